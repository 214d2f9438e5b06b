"""``tf.losses``: TF 1.15's loss functions (weights, Reduction, GraphKeys.LOSSES) and the
loss-collection helpers (``get_regularization_loss`` ...)."""
from tfcompat.losses.losses_impl import (Reduction, absolute_difference,  # noqa: F401
                                         compute_weighted_loss, cosine_distance, hinge_loss,
                                         huber_loss, log_loss, mean_pairwise_squared_error,
                                         mean_squared_error,
                                         sigmoid_cross_entropy, softmax_cross_entropy,
                                         sparse_softmax_cross_entropy)
from tfcompat.losses.util import (add_loss, get_losses, get_regularization_loss,  # noqa: F401
                                  get_regularization_losses, get_total_loss)

__all__ = ["Reduction", "absolute_difference", "compute_weighted_loss", "cosine_distance",
           "hinge_loss", "huber_loss", "log_loss", "mean_pairwise_squared_error",
           "mean_squared_error",
           "sigmoid_cross_entropy", "softmax_cross_entropy", "sparse_softmax_cross_entropy",
           "add_loss", "get_losses", "get_regularization_loss", "get_regularization_losses",
           "get_total_loss"]


def __getattr__(name):
    if name == "MeanSquaredError":  # TF 1.15 exports Keras' loss class here too
        from tfcompat.keras.losses import MeanSquaredError
        return MeanSquaredError
    raise AttributeError(f"module 'tensorflow.losses' has no attribute '{name}': tfcompat does "
                         f"not implement tf.losses.{name} yet")
