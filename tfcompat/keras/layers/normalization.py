"""Keras ``BatchNormalization``: the ``tf.layers`` layer (variables
"batch_normalization/gamma", "beta", "moving_mean", "moving_variance") with Keras' string
initializers, normalizing with the batch statistics and updating the moving averages when
the Keras learning phase is True (``fit`` runs the updates with each training step), and
with the moving averages otherwise."""
from tfcompat.keras.engine.base_layer import Layer
from tfcompat.keras.layers.core import training_flag
from tfcompat.layers import normalization as tf_normalization


class BatchNormalization(Layer, tf_normalization.BatchNormalization):
    """``BatchNormalization(axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
    beta_initializer='zeros', gamma_initializer='ones', moving_mean_initializer='zeros',
    moving_variance_initializer='ones', ...)``."""

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 **kwargs):
        super().__init__(axis=axis, momentum=momentum, epsilon=epsilon, center=center,
                         scale=scale, beta_initializer=beta_initializer,
                         gamma_initializer=gamma_initializer,
                         moving_mean_initializer=moving_mean_initializer,
                         moving_variance_initializer=moving_variance_initializer, **kwargs)

    def call(self, inputs, training=None):
        return super().call(inputs, training=training_flag(training))


__all__ = ["BatchNormalization"]
