"""Keras core layers: Dense, Dropout, SpatialDropout1D/2D/3D, Flatten, Activation, Reshape,
Permute, RepeatVector, Lambda, Masking, ActivityRegularization (Keras 2.2.4-tf defaults).

Dense, Dropout and Flatten are the ``tf.layers`` layers (variables "dense/kernel",
"dense/bias") with Keras' defaults; layers whose behaviour differs between training and
inference follow the Keras learning phase (``tf.keras.backend.learning_phase()``: True in
``fit``, False in ``evaluate``/``predict``) unless called with ``training``.
"""
import numpy as np

from tfcompat.framework import tensor_shape
from tfcompat.keras.engine.base_layer import Layer
from tfcompat.layers import core as tf_core
from tfcompat.layers import utils
from tfcompat.ops import array_ops, math_ops


def training_flag(training):
    """``training`` itself, or the Keras learning phase when it is None."""
    if training is None:
        from tfcompat.keras import backend
        return backend.learning_phase()
    return training


class Dense(Layer, tf_core.Dense):
    """``Dense(units, activation=None, use_bias=True, kernel_initializer='glorot_uniform',
    bias_initializer='zeros', kernel_regularizer=None, ...)``."""

    def __init__(self, units, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", **kwargs):
        super().__init__(units, activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer,
                         bias_initializer=bias_initializer, **kwargs)


class Dropout(Layer, tf_core.Dropout):
    """``Dropout(rate, noise_shape=None, seed=None)``: inverted dropout while training."""

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(rate, noise_shape=noise_shape, seed=seed, **kwargs)

    def call(self, inputs, training=None):
        return super().call(inputs, training=training_flag(training))


class SpatialDropout1D(Dropout):
    """``SpatialDropout1D(rate)``: drops whole channels of [batch, steps, channels]."""

    def call(self, inputs, training=None):
        shape = array_ops.shape(inputs)
        self.noise_shape = array_ops.stack([shape[0], 1, shape[2]])
        return super().call(inputs, training=training)


class SpatialDropout2D(Dropout):
    """``SpatialDropout2D(rate, data_format=None)``: drops whole feature maps."""

    def __init__(self, rate, data_format=None, **kwargs):
        super().__init__(rate, **kwargs)
        self.data_format = data_format or "channels_last"

    def call(self, inputs, training=None):
        shape = array_ops.shape(inputs)
        if self.data_format == "channels_first":
            self.noise_shape = array_ops.stack([shape[0], shape[1], 1, 1])
        else:
            self.noise_shape = array_ops.stack([shape[0], 1, 1, shape[3]])
        return super().call(inputs, training=training)


class SpatialDropout3D(Dropout):
    """``SpatialDropout3D(rate, data_format=None)``: drops whole 3-D feature maps."""

    def __init__(self, rate, data_format=None, **kwargs):
        super().__init__(rate, **kwargs)
        self.data_format = data_format or "channels_last"

    def call(self, inputs, training=None):
        shape = array_ops.shape(inputs)
        if self.data_format == "channels_first":
            self.noise_shape = array_ops.stack([shape[0], shape[1], 1, 1, 1])
        else:
            self.noise_shape = array_ops.stack([shape[0], 1, 1, 1, shape[4]])
        return super().call(inputs, training=training)


class Flatten(Layer, tf_core.Flatten):
    """``Flatten(data_format=None)``: [batch, ...] -> [batch, product of the rest]."""

    def __init__(self, data_format=None, **kwargs):
        super().__init__(data_format=data_format or "channels_last", **kwargs)


class Activation(Layer):
    """``Activation(activation)``: the activation ("relu", "softmax" ... or a callable)."""

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = utils.get_activation(activation)
        self.supports_masking = True

    def call(self, inputs):
        if self.activation is None:
            return array_ops.identity(inputs)
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape


class Reshape(Layer):
    """``Reshape(target_shape)``: each example to ``target_shape`` (one entry may be -1)."""

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        self.target_shape = tuple(target_shape)

    def _resolved_shape(self, input_shape):
        """target_shape with its -1 resolved when the example size is known (Keras'
        ``_fix_unknown_dimension``, with its error for sizes that do not divide)."""
        target = list(self.target_shape)
        known = tensor_shape.as_shape(input_shape)[1:]
        unknown = [i for i, d in enumerate(target) if d == -1]
        if len(unknown) > 1:
            raise ValueError("Can only specify one unknown dimension.")
        if not known.is_fully_defined():
            return target
        original = int(np.prod(known.as_list()))
        rest = int(np.prod([d for d in target if d != -1]))
        if unknown and rest and original % rest == 0:
            target[unknown[0]] = original // rest
        elif original != int(np.prod(target)):
            raise ValueError("total size of new array must be unchanged")
        return target

    def call(self, inputs):
        target = self._resolved_shape(inputs.shape)
        if -1 not in target:
            return array_ops.reshape(inputs, [-1] + target)
        batch = array_ops.shape(inputs)[:1]
        return array_ops.reshape(inputs, array_ops.concat([batch, target], 0))

    def compute_output_shape(self, input_shape):
        dims = self._resolved_shape(input_shape)
        return tensor_shape.TensorShape([tensor_shape.as_shape(input_shape)[0].value] +
                                        [None if d == -1 else d for d in dims])


class Permute(Layer):
    """``Permute(dims)``: permutes the non-batch axes (1-based, as Keras numbers them)."""

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        self.dims = tuple(dims)
        if sorted(self.dims) != list(range(1, len(self.dims) + 1)):
            raise ValueError(f"Invalid permutation `dims` for Permute Layer: {dims}. The set "
                             "of indices in `dims` must be consecutive and start from 1.")

    def call(self, inputs):
        return array_ops.transpose(inputs, perm=(0,) + self.dims)


class RepeatVector(Layer):
    """``RepeatVector(n)``: [batch, features] -> [batch, n, features]."""

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        self.n = int(n)

    def call(self, inputs):
        if inputs.shape.ndims != 2:
            raise ValueError(f"Input 0 of layer {self.name} is incompatible with the layer: "
                             f"expected ndim=2, found ndim={inputs.shape.ndims}. Full shape "
                             f"received: {inputs.shape.as_list()}")
        return array_ops.tile(array_ops.expand_dims(inputs, 1), [1, self.n, 1])


class Lambda(Layer):
    """``Lambda(function, output_shape=None, mask=None, arguments=None)``: any function of
    the input tensor(s) as a layer (``arguments`` are passed as keyword arguments)."""

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        self.function = function
        self.arguments = dict(arguments or {})
        self._output_shape = output_shape

    def call(self, inputs, mask=None, training=None):
        return self.function(inputs, **self.arguments)


class Masking(Layer):
    """``Masking(mask_value=0.)``: time steps whose features all equal ``mask_value`` are
    zeroed and masked (layers downstream, e.g. LSTM, skip them)."""

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.mask_value = mask_value

    def compute_mask(self, inputs, mask=None):
        return math_ops.reduce_any(math_ops.not_equal(inputs, self.mask_value), axis=-1)

    def call(self, inputs):
        kept = math_ops.reduce_any(math_ops.not_equal(inputs, self.mask_value), axis=-1,
                                   keepdims=True)
        return inputs * math_ops.cast(kept, inputs.dtype)


class ActivityRegularization(Layer):
    """``ActivityRegularization(l1=0., l2=0.)``: identity that adds l1 * sum|x| + l2 *
    sum(x^2) (divided by the batch size, as TF 1.15 does) to the layer's losses."""

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        from tfcompat.keras import regularizers
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.l1, self.l2 = l1, l2

    def call(self, inputs):
        return array_ops.identity(inputs)


__all__ = ["Dense", "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
           "Flatten",
           "Activation", "Reshape", "Permute", "RepeatVector", "Lambda", "Masking",
           "ActivityRegularization"]
