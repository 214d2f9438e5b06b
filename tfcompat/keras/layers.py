"""``tf.keras.layers`` for graph-mode models: Input, Dense, Dropout, Flatten, Activation.

They are the ``tf.layers`` layers (same naming: "dense", "dense_1" ..., variables
"dense/kernel", "dense/bias") with Keras' defaults (Glorot-uniform kernels) and Keras'
``input_shape`` / ``input_dim`` / ``batch_input_shape`` arguments, which a Sequential model's
first layer uses for its input placeholder. Dropout follows the Keras learning phase (on in
``fit``, off in ``evaluate``/``predict``) unless called with ``training``.
"""
import weakref

from tfcompat.framework import dtypes
from tfcompat.layers import core as tf_layers
from tfcompat.layers import utils
from tfcompat.layers.base import Layer
from tfcompat.ops import array_ops

#: graph -> [(layer, output tensor)] of every Keras layer call, for functional Models.
_CALLS = weakref.WeakKeyDictionary()


class _Recorded:
    """Mixin: remembers each call's output so ``tf.keras.Model(inputs, outputs)`` can find
    the layers between its inputs and outputs."""

    def __call__(self, inputs, *args, **kwargs):
        outputs = super().__call__(inputs, *args, **kwargs)
        _CALLS.setdefault(outputs.graph, []).append((self, outputs))
        return outputs


def Input(shape=None, batch_size=None, name=None, dtype=None, batch_shape=None,  # noqa: N802
          **kwargs):
    """``tf.keras.Input``: a placeholder of ``(batch_size,) + shape`` named "input_1",
    "input_2" ... (or ``name``)."""
    from tfcompat.keras import backend
    if batch_shape is None:
        if shape is None:
            raise ValueError("Please provide to Input either a `shape` or a `batch_shape` "
                             "argument. Note that `shape` does not include the batch "
                             "dimension.")
        batch_shape = (batch_size,) + tuple(shape)
    name = name or f"input_{backend.get_uid('input')}"
    return array_ops.placeholder(dtypes.as_dtype(dtype or "float32"), list(batch_shape),
                                 name=name)


def _pop_input_shape(layer, kwargs):
    """Keras' input arguments: batch_input_shape wins, else (batch_size,) + input_shape."""
    input_dim = kwargs.pop("input_dim", None)
    if input_dim is not None and "input_shape" not in kwargs:
        kwargs["input_shape"] = (input_dim,)
    input_shape = kwargs.pop("input_shape", None)
    batch_size = kwargs.pop("batch_size", None)
    batch_input_shape = kwargs.pop("batch_input_shape", None)
    if batch_input_shape is None and input_shape is not None:
        batch_input_shape = (batch_size,) + tuple(input_shape)
    layer._batch_input_shape = None if batch_input_shape is None else tuple(batch_input_shape)


class Dense(_Recorded, tf_layers.Dense):
    """``tf.keras.layers.Dense(units, activation=None, use_bias=True,
    kernel_initializer='glorot_uniform', bias_initializer='zeros', ...)``."""

    def __init__(self, units, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        _pop_input_shape(self, kwargs)
        super().__init__(units, activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer,
                         bias_initializer=bias_initializer,
                         kernel_regularizer=kernel_regularizer,
                         bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
                         **kwargs)


class Dropout(_Recorded, tf_layers.Dropout):
    """``tf.keras.layers.Dropout(rate, noise_shape=None, seed=None)``."""

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        _pop_input_shape(self, kwargs)
        super().__init__(rate, noise_shape=noise_shape, seed=seed, **kwargs)

    def call(self, inputs, training=None):
        if training is None:
            from tfcompat.keras import backend
            training = backend.learning_phase()
        return super().call(inputs, training=training)


class Flatten(_Recorded, tf_layers.Flatten):
    """``tf.keras.layers.Flatten(data_format=None)``."""

    def __init__(self, data_format=None, **kwargs):
        _pop_input_shape(self, kwargs)
        super().__init__(data_format=data_format, **kwargs)


class Activation(_Recorded, Layer):
    """``tf.keras.layers.Activation(activation)``: the activation ("relu", "softmax" ...
    or a callable) applied element-wise."""

    def __init__(self, activation, **kwargs):
        _pop_input_shape(self, kwargs)
        super().__init__(**kwargs)
        self.activation = utils.get_activation(activation)
        self.supports_masking = True

    def call(self, inputs):
        if self.activation is None:
            return array_ops.identity(inputs)
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.keras.layers' has no attribute '{name}': "
                         f"tfcompat does not implement tf.keras.layers.{name} yet")
