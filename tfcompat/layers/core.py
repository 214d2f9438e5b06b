"""``tf.layers.Dense`` / ``Dropout`` / ``Flatten`` and their functional forms (TF 1.15's
tensorflow/python/layers/core.py over Keras' core layers).

Dense builds ``kernel`` [last input dim, units] and ``bias`` [units] and computes
MatMul -> BiasAdd -> activation under the layer's name scope ("hidden1/MatMul",
"hidden1/BiasAdd", "hidden1/Relu"); inputs of rank > 2 go through ``tf.tensordot`` over the
last axis ("dense/Tensordot"). Dropout is the identity (an Identity op) when not training and
``tf.nn.dropout`` (kept units scaled by 1 / (1 - rate)) when training; with a boolean tensor
``training`` both are built under ``tf.cond``.
"""
import numbers

import numpy as np

from tfcompat.framework import dtypes, ops, tensor_shape
from tfcompat.ops import init_ops
from tfcompat.layers import utils
from tfcompat.layers.base import InputSpec, Layer
from tfcompat.ops import array_ops, math_ops, nn_ops


class Dense(Layer):
    """``tf.layers.Dense(units, activation=None, use_bias=True, kernel_initializer=None,
    bias_initializer=tf.zeros_initializer(), kernel_regularizer=None, bias_regularizer=None,
    activity_regularizer=None, kernel_constraint=None, bias_constraint=None, trainable=True,
    name=None, **kwargs)``; ``kernel_initializer=None`` means the variable scope's
    initializer, else Glorot uniform (as ``tf.get_variable``)."""

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer=None,
                 bias_initializer=init_ops.zeros_initializer(), kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, trainable=True, name=None, **kwargs):
        super().__init__(trainable=trainable, name=name,
                         activity_regularizer=activity_regularizer, **kwargs)
        try:
            valid = isinstance(units, (numbers.Integral, np.integer)) or float(units).is_integer()
            units_value = int(units)
        except (TypeError, ValueError):
            valid = False
        if not valid or units_value <= 0:
            raise ValueError(f"Layer {self.name}: `units` must be a positive integer, got "
                             f"{units!r}")
        self.units = units_value
        utils.set_kernel_and_bias_options(self, activation, use_bias, kernel_initializer,
                                          bias_initializer, kernel_regularizer,
                                          bias_regularizer, kernel_constraint, bias_constraint)
        self.supports_masking = True
        self.input_spec = InputSpec(min_ndim=2)
        self.kernel = None
        self.bias = None

    def build(self, input_shape):
        dtype = dtypes.as_dtype(self.dtype or dtypes.float32)
        if not (dtype.is_floating or dtype.is_complex):
            raise TypeError(f"Unable to build `Dense` layer with non-floating point dtype "
                            f"{dtype!r} (layer {self.name}: its inputs are {dtype.name})")
        input_shape = tensor_shape.as_shape(input_shape)
        last_dim = input_shape[-1].value if input_shape.ndims else None
        if last_dim is None:
            raise ValueError("The last dimension of the inputs to `Dense` should be defined. "
                             f"Found `None`. (layer {self.name}, input shape {input_shape})")
        self.input_spec = InputSpec(min_ndim=2, axes={-1: last_dim})
        self.kernel = self.add_weight("kernel", shape=[last_dim, self.units],
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint, dtype=dtype,
                                      trainable=True)
        if self.use_bias:
            self.bias = self.add_weight("bias", shape=[self.units],
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint, dtype=dtype,
                                        trainable=True)
        else:
            self.bias = None
        self.built = True

    def call(self, inputs):
        rank = inputs.shape.ndims
        if rank is not None and rank > 2:
            outputs = math_ops.tensordot(inputs, self.kernel, [[rank - 1], [0]])
            outputs.set_shape(inputs.shape.as_list()[:-1] + [self.units])
        else:
            inputs = math_ops.cast(inputs, self.dtype)
            outputs = math_ops.matmul(inputs, self.kernel)
        if self.use_bias:
            outputs = nn_ops.bias_add(outputs, self.bias)
        if self.activation is not None:
            return self.activation(outputs)
        return outputs

    def compute_output_shape(self, input_shape):
        input_shape = tensor_shape.as_shape(input_shape)
        return input_shape[:-1].concatenate(self.units)


def dense(inputs, units, activation=None, use_bias=True, kernel_initializer=None,
          bias_initializer=init_ops.zeros_initializer(), kernel_regularizer=None,
          bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
          bias_constraint=None, trainable=True, name=None, reuse=None):
    """``tf.layers.dense``: builds a ``Dense`` layer with ``_scope=name`` and applies it;
    calling it twice with the same name needs ``reuse=True`` (or tf.AUTO_REUSE)."""
    layer = Dense(units, activation=activation, use_bias=use_bias,
                  kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                  kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                  activity_regularizer=activity_regularizer,
                  kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
                  trainable=trainable, name=name, _scope=name, _reuse=reuse)
    return layer.apply(inputs)


def _check_rate(rate, layer_name):
    if isinstance(rate, (numbers.Real, np.floating, np.integer)) and not isinstance(rate, bool):
        if not 0 <= float(rate) < 1:
            raise ValueError(f"Layer {layer_name}: `rate` must be a float in the range [0, 1) "
                             f"(the fraction of units dropped), got {rate!r}")
        return float(rate)
    if isinstance(rate, ops.Tensor) or hasattr(rate, "_as_graph_element"):
        return rate
    raise TypeError(f"Layer {layer_name}: `rate` must be a float in [0, 1) or a scalar float "
                    f"tensor, got {rate!r}")


class Dropout(Layer):
    """``tf.layers.Dropout(rate=0.5, noise_shape=None, seed=None, name=None, **kwargs)``;
    ``call(inputs, training=False)``."""

    def __init__(self, rate=0.5, noise_shape=None, seed=None, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.rate = _check_rate(rate, self.name)
        self.noise_shape = noise_shape
        self.seed = seed
        self.supports_masking = True

    def _get_noise_shape(self, inputs):
        if self.noise_shape is None:
            return None
        if isinstance(self.noise_shape, ops.Tensor):
            return self.noise_shape
        dims = list(self.noise_shape)
        if all(d is not None for d in dims):
            return dims
        concrete = array_ops.shape(inputs)
        return array_ops.stack([concrete[i] if d is None else d for i, d in enumerate(dims)])

    def call(self, inputs, training=False):
        from tfcompat import nn
        training = utils.check_bool_flag(training, self.name, "training")

        def dropped_inputs():
            return nn.dropout(inputs, noise_shape=self._get_noise_shape(inputs), seed=self.seed,
                              rate=self.rate)

        return utils.smart_cond(training, dropped_inputs, lambda: array_ops.identity(inputs))

    def compute_output_shape(self, input_shape):
        return tensor_shape.as_shape(input_shape)


def dropout(inputs, rate=0.5, noise_shape=None, seed=None, training=False, name=None):
    """``tf.layers.dropout(inputs, rate=0.5, noise_shape=None, seed=None, training=False,
    name=None)``: ``rate`` is the fraction dropped (not keep_prob)."""
    layer = Dropout(rate, noise_shape=noise_shape, seed=seed, name=name)
    return layer.apply(inputs, training=training)


class Flatten(Layer):
    """``tf.layers.Flatten(data_format=None, **kwargs)``: [batch, ...] -> [batch, rest]."""

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        if data_format not in (None, "channels_last", "channels_first"):
            raise ValueError(f"Layer {self.name}: `data_format` must be 'channels_last' or "
                             f"'channels_first', got {data_format!r}")
        self.data_format = data_format or "channels_last"
        self.input_spec = InputSpec(min_ndim=1)

    def call(self, inputs):
        rank = inputs.shape.ndims
        if self.data_format == "channels_first" and rank is not None and rank > 1:
            inputs = array_ops.transpose(inputs, [0] + list(range(2, rank)) + [1])
        if rank == 1:
            return array_ops.expand_dims(inputs, 1)
        batch = inputs.shape[0].value if rank else None
        outputs = array_ops.reshape(
            inputs, [batch if batch is not None else array_ops.shape(inputs)[0], -1])
        outputs.set_shape(self.compute_output_shape(inputs.shape))
        return outputs

    def compute_output_shape(self, input_shape):
        input_shape = tensor_shape.as_shape(input_shape)
        if input_shape.ndims is None:
            return tensor_shape.unknown_shape(2)
        dims = input_shape.as_list()
        rest = None if None in dims[1:] else int(np.prod(dims[1:]))
        return tensor_shape.TensorShape([dims[0], rest])


def flatten(inputs, name=None, data_format="channels_last"):
    """``tf.layers.flatten(inputs, name=None, data_format='channels_last')``."""
    layer = Flatten(name=name, data_format=data_format)
    return layer.apply(inputs)
