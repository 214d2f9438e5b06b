"""Keras ``BatchNormalization``: the ``tf.layers`` layer (variables
"batch_normalization/gamma", "beta", "moving_mean", "moving_variance") with Keras' string
initializers, normalizing with the batch statistics and updating the moving averages when
the Keras learning phase is True (``fit`` runs the updates with each training step), and
with the moving averages otherwise; and ``LayerNormalization`` (per-example statistics)."""
from tfcompat import nn
from tfcompat.framework import tensor_shape
from tfcompat.keras.engine.base_layer import Layer
from tfcompat.keras.layers.core import training_flag
from tfcompat.layers import normalization as tf_normalization
from tfcompat.layers import utils
from tfcompat.ops import array_ops


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


class LayerNormalization(Layer):
    """``LayerNormalization(axis=-1, epsilon=1e-3, center=True, scale=True,
    beta_initializer='zeros', gamma_initializer='ones', ...)``: each example normalized
    over ``axis`` by its own mean and variance, then scaled by "gamma" and shifted by
    "beta" (weights over ``axis``)."""

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else [axis]
        self.epsilon, self.center, self.scale = epsilon, center, scale
        self.settings = {"beta": (utils.get_initializer(beta_initializer), beta_regularizer,
                                  beta_constraint),
                         "gamma": (utils.get_initializer(gamma_initializer),
                                   gamma_regularizer, gamma_constraint)}

    def build(self, input_shape):
        dims = tensor_shape.as_shape(input_shape).as_list()
        self.axis = [axis % len(dims) for axis in self.axis]
        shape = [dims[axis] for axis in self.axis]
        self.gamma = self.beta = None
        for name, wanted in (("gamma", self.scale), ("beta", self.center)):
            if wanted:
                initializer, regularizer, constraint = self.settings[name]
                setattr(self, name, self.add_weight(name, shape, initializer=initializer,
                                                    regularizer=regularizer,
                                                    constraint=constraint))
        self.built = True

    def call(self, inputs):
        rank = inputs.shape.ndims
        mean, variance = nn.moments(inputs, self.axis, keep_dims=True)
        broadcast = [inputs.shape[i].value if i in self.axis else 1 for i in range(rank)]

        def shaped(weight):
            return None if weight is None else array_ops.reshape(weight, broadcast)
        return nn.batch_normalization(inputs, mean, variance, shaped(self.beta),
                                      shaped(self.gamma), self.epsilon)


__all__ = ["BatchNormalization", "LayerNormalization"]
