"""``tf.layers.Conv1D`` / ``Conv2D`` / ``Conv2DTranspose`` / ``SeparableConv2D`` and their
functional forms (TF 1.15's tensorflow/python/layers/convolutional.py over Keras' layers).

A convolution layer builds ``kernel`` [*kernel_size, in channels, filters] (Glorot uniform
unless the variable scope or ``kernel_initializer`` says otherwise) and ``bias`` [filters],
and computes Conv2D -> BiasAdd -> activation under its name scope ("conv2d/Conv2D",
"conv2d/BiasAdd", "conv2d/Relu"); variables are "conv2d/kernel", "conv2d_1/bias" ...
``padding`` is "valid" or "same" (any case), ``data_format`` "channels_last" (NHWC) or
"channels_first" (NCHW).
"""
import numbers

import numpy as np

from tfcompat.framework import dtypes, tensor_shape
from tfcompat.ops import init_ops
from tfcompat.layers import utils
from tfcompat.layers.base import InputSpec, Layer
from tfcompat.ops import array_ops, nn_conv3d_ops, nn_conv_ops, nn_ops


def normalize_tuple(value, n, name):
    """An int or an n-sequence of ints as an n-tuple (Keras' conv_utils.normalize_tuple)."""
    if isinstance(value, (numbers.Integral, np.integer)):
        return (int(value),) * n
    try:
        values = tuple(int(v) for v in value)
    except (TypeError, ValueError):
        raise ValueError(f"The `{name}` argument must be a tuple of {n} integers. Received: "
                         f"{value}") from None
    if len(values) != n:
        raise ValueError(f"The `{name}` argument must be a tuple of {n} integers. Received: "
                         f"{value}")
    return values


def normalize_padding(value):
    padding = str(value).lower()
    if padding not in ("valid", "same"):
        raise ValueError(f"The `padding` argument must be one of \"valid\", \"same\". "
                         f"Received: {value}")
    return padding


def normalize_data_format(value):
    data_format = (value or "channels_last").lower()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"The `data_format` argument must be one of \"channels_first\", "
                         f"\"channels_last\". Received: {value}")
    return data_format


def conv_output_length(size, kernel, padding, stride, dilation=1):
    """Keras' conv_utils.conv_output_length (None stays None)."""
    if size is None:
        return None
    effective = (kernel - 1) * dilation + 1
    length = size if padding == "same" else size - effective + 1
    return (length + stride - 1) // stride


def deconv_output_length(size, kernel, padding, stride):
    """The transposed convolution's output length: size * stride ("same"), or
    size * stride + max(kernel - stride, 0) ("valid"); ``size`` may be a scalar tensor."""
    if size is None:
        return None
    if padding == "same":
        return size * stride
    return size * stride + max(kernel - stride, 0)


class _Conv(Layer):
    """The shared N-d convolution layer (Keras' ``Conv``) for ``rank`` 1 or 2."""

    rank = 2

    def __init__(self, filters, kernel_size, strides=1, padding="valid",
                 data_format="channels_last", dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer=None, bias_initializer=init_ops.zeros_initializer(),
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
                 **kwargs):
        super().__init__(trainable=trainable, name=name,
                         activity_regularizer=activity_regularizer, **kwargs)
        if not isinstance(filters, (numbers.Integral, np.integer)) or filters <= 0:
            raise ValueError(f"Layer {self.name}: `filters` must be a positive integer, got "
                             f"{filters!r}")
        self.filters = int(filters)
        self.kernel_size = normalize_tuple(kernel_size, self.rank, "kernel_size")
        self.strides = normalize_tuple(strides, self.rank, "strides")
        self.padding = normalize_padding(padding)
        self.data_format = normalize_data_format(data_format)
        self.dilation_rate = normalize_tuple(dilation_rate, self.rank, "dilation_rate")
        utils.set_kernel_and_bias_options(self, activation, use_bias, kernel_initializer,
                                          bias_initializer, kernel_regularizer,
                                          bias_regularizer, kernel_constraint, bias_constraint)
        self.input_spec = InputSpec(ndim=self.rank + 2)
        self.kernel = None
        self.bias = None

    @property
    def channel_axis(self):
        return 1 if self.data_format == "channels_first" else -1

    def input_channels(self, input_shape):
        input_shape = tensor_shape.as_shape(input_shape)
        channels = input_shape[self.channel_axis].value
        if channels is None:
            raise ValueError("The channel dimension of the inputs should be defined. Found "
                             "`None`.")
        return channels

    def kernel_shape(self, channels):
        return self.kernel_size + (channels, self.filters)

    def _weight_dtype(self):
        dtype = dtypes.as_dtype(self.dtype or dtypes.float32)
        if not dtype.is_floating:
            raise TypeError(f"Unable to build `{type(self).__name__}` layer with non-floating "
                            f"point dtype {dtype!r}")
        return dtype

    def build(self, input_shape):
        channels = self.input_channels(input_shape)
        dtype = self._weight_dtype()
        self.kernel = self.add_weight("kernel", shape=self.kernel_shape(channels),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint, dtype=dtype,
                                      trainable=True)
        self.add_bias(dtype)
        self.input_spec = InputSpec(ndim=self.rank + 2,
                                    axes={self.channel_axis: channels})
        self.built = True

    def add_bias(self, dtype):
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight("bias", shape=[self.filters],
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint, dtype=dtype,
                                        trainable=True)

    def op_data_format(self):
        """The ops' data_format: "NWC", "NHWC" or "NDHWC" (channels first: "NCW" ...)."""
        spatial = "DHW"[-self.rank:]
        return f"NC{spatial}" if self.channel_axis == 1 else f"N{spatial}C"

    def op_list(self, values):
        """Per-spatial-dimension ``values`` as an op attribute with 1 for batch and
        channels."""
        return [1, 1, *values] if self.channel_axis == 1 else [1, *values, 1]

    def convolve(self, inputs):
        padding, data_format = self.padding.upper(), self.op_data_format()
        if self.rank == 1:
            return nn_conv_ops.conv1d(inputs, self.kernel, self.strides[0], padding,
                                      data_format=data_format, dilations=self.dilation_rate[0])
        convolution = nn_conv_ops.conv2d if self.rank == 2 else nn_conv3d_ops.conv3d
        return convolution(inputs, self.kernel, self.op_list(self.strides), padding,
                           data_format=data_format, dilations=self.op_list(self.dilation_rate))

    def finish(self, outputs):
        """Adds the bias and applies the activation (Keras' Conv.call tail)."""
        if self.use_bias:
            data_format = "NCHW" if self.channel_axis == 1 else "NHWC"
            if self.rank != 2 and data_format == "NCHW":  # Keras: a broadcast bias
                bias = array_ops.reshape(self.bias, [1, self.filters] + [1] * self.rank)
                outputs = outputs + bias
            else:
                outputs = nn_ops.bias_add(outputs, self.bias, data_format=data_format)
        if self.activation is not None:
            return self.activation(outputs)
        return outputs

    def call(self, inputs):
        return self.finish(self.convolve(inputs))

    def output_length(self, size, axis):
        """The output length of spatial dimension ``axis`` for an input length ``size``."""
        return conv_output_length(size, self.kernel_size[axis], self.padding,
                                  self.strides[axis], self.dilation_rate[axis])

    def output_dims(self, batch, lengths):
        """The output shape's dims in the layer's data format."""
        if self.channel_axis == 1:
            return [batch, self.filters] + lengths
        return [batch] + lengths + [self.filters]

    def compute_output_shape(self, input_shape):
        dims = tensor_shape.as_shape(input_shape).as_list()
        spatial = dims[2:] if self.channel_axis == 1 else dims[1:-1]
        lengths = [self.output_length(size, i) for i, size in enumerate(spatial)]
        return tensor_shape.TensorShape(self.output_dims(dims[0], lengths))


class Conv1D(_Conv):
    """``tf.layers.Conv1D(filters, kernel_size, strides=1, padding='valid',
    data_format='channels_last', dilation_rate=1, activation=None, use_bias=True,
    kernel_initializer=None, bias_initializer=tf.zeros_initializer(), ...)``."""

    rank = 1


class Conv2D(_Conv):
    """``tf.layers.Conv2D(filters, kernel_size, strides=(1, 1), padding='valid',
    data_format='channels_last', dilation_rate=(1, 1), activation=None, use_bias=True,
    kernel_initializer=None, bias_initializer=tf.zeros_initializer(), kernel_regularizer=None,
    bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
    bias_constraint=None, trainable=True, name=None)``."""

    rank = 2


class Conv2DTranspose(_Conv):
    """``tf.layers.Conv2DTranspose(filters, kernel_size, strides=(1, 1), padding='valid',
    ...)``: kernel [kh, kw, filters, in channels]; the output size is in * stride ("same") or
    in * stride + max(kernel - stride, 0) ("valid"), batch taken from the input at run time."""

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid",
                 data_format="channels_last", **kwargs):
        super().__init__(filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, **kwargs)

    def kernel_shape(self, channels):
        return self.kernel_size + (self.filters, channels)

    def output_length(self, size, axis):
        return deconv_output_length(size, self.kernel_size[axis], self.padding,
                                    self.strides[axis])

    def convolve(self, inputs):
        """The transposed convolution, its output shape taken from the input's static shape
        where known, else from its run-time shape."""
        shape = array_ops.shape(inputs)
        static = inputs.shape.as_list()
        first_axis = 2 if self.channel_axis == 1 else 1
        lengths = [self.output_length(static[axis] if static[axis] is not None
                                      else shape[axis], i)
                   for i, axis in enumerate(range(first_axis, first_axis + self.rank))]
        dims = self.output_dims(static[0] if static[0] is not None else shape[0], lengths)
        output_shape = dims if all(isinstance(d, int) for d in dims) else array_ops.stack(dims)
        transpose = (nn_conv_ops.conv2d_transpose if self.rank == 2
                     else nn_conv3d_ops.conv3d_transpose)
        outputs = transpose(inputs, self.kernel, output_shape, self.op_list(self.strides),
                            padding=self.padding.upper(), data_format=self.op_data_format())
        outputs.set_shape(self.compute_output_shape(inputs.shape))
        return outputs


class SeparableConv2D(_Conv):
    """``tf.layers.SeparableConv2D(filters, kernel_size, strides=(1, 1), padding='valid',
    data_format='channels_last', dilation_rate=(1, 1), depth_multiplier=1, activation=None,
    use_bias=True, depthwise_initializer=None, pointwise_initializer=None, ...)``: variables
    depthwise_kernel [kh, kw, in, multiplier], pointwise_kernel [1, 1, in * multiplier,
    filters] and bias."""

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid",
                 data_format="channels_last", dilation_rate=(1, 1), depth_multiplier=1,
                 depthwise_initializer=None, pointwise_initializer=None,
                 depthwise_regularizer=None, pointwise_regularizer=None,
                 depthwise_constraint=None, pointwise_constraint=None, **kwargs):
        super().__init__(filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate, **kwargs)
        self.depth_multiplier = int(depth_multiplier)
        self.depthwise_initializer = utils.get_initializer(depthwise_initializer)
        self.pointwise_initializer = utils.get_initializer(pointwise_initializer)
        self.depthwise_regularizer = depthwise_regularizer
        self.pointwise_regularizer = pointwise_regularizer
        self.depthwise_constraint = depthwise_constraint
        self.pointwise_constraint = pointwise_constraint
        self.depthwise_kernel = None
        self.pointwise_kernel = None

    def build(self, input_shape):
        channels = self.input_channels(input_shape)
        dtype = self._weight_dtype()
        depthwise_shape, pointwise_shape = self._weight_shapes(channels)
        self.depthwise_kernel = self.add_weight(
            "depthwise_kernel", shape=depthwise_shape,
            initializer=self.depthwise_initializer, regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint, dtype=dtype, trainable=True)
        self.pointwise_kernel = self.add_weight(
            "pointwise_kernel", shape=pointwise_shape,
            initializer=self.pointwise_initializer, regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint, dtype=dtype, trainable=True)
        self.add_bias(dtype)
        self.input_spec = InputSpec(ndim=4, axes={self.channel_axis: channels})
        self.built = True

    def _weight_shapes(self, channels):
        return (self.kernel_size + (channels, self.depth_multiplier),
                (1, 1, channels * self.depth_multiplier, self.filters))

    def convolve(self, inputs):
        return nn_conv_ops.separable_conv2d(inputs, self.depthwise_kernel,
                                            self.pointwise_kernel, self.op_list(self.strides),
                                            self.padding.upper(),
                                            rate=list(self.dilation_rate),
                                            data_format=self.op_data_format())


class Conv3D(_Conv):
    """``tf.layers.Conv3D(filters, kernel_size, strides=(1, 1, 1), padding='valid',
    data_format='channels_last', dilation_rate=(1, 1, 1), ...)``: kernel [kd, kh, kw, in,
    filters]."""

    rank = 3


class Conv3DTranspose(Conv2DTranspose):
    """``tf.layers.Conv3DTranspose(filters, kernel_size, strides=(1, 1, 1),
    padding='valid', ...)``: kernel [kd, kh, kw, filters, in]; each output length
    in * stride ("same") or in * stride + max(kernel - stride, 0) ("valid")."""

    rank = 3

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid",
                 data_format="channels_last", **kwargs):
        super().__init__(filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, **kwargs)


class SeparableConv1D(SeparableConv2D):
    """``tf.layers.SeparableConv1D(filters, kernel_size, strides=1, padding='valid',
    data_format='channels_last', dilation_rate=1, depth_multiplier=1, ...)``: variables
    depthwise_kernel [k, in, multiplier] and pointwise_kernel [1, in * multiplier, filters];
    run as a 2-D separable convolution over a unit axis, as Keras does."""

    rank = 1

    def __init__(self, filters, kernel_size, strides=1, padding="valid",
                 data_format="channels_last", dilation_rate=1, **kwargs):
        super().__init__(filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate, **kwargs)

    def build(self, input_shape):
        super().build(input_shape)
        self.input_spec = InputSpec(ndim=3, axes={self.channel_axis: self.input_channels(
            input_shape)})

    def _weight_shapes(self, channels):
        return (self.kernel_size + (channels, self.depth_multiplier),
                (1, channels * self.depth_multiplier, self.filters))

    def convolve(self, inputs):
        first = self.channel_axis == 1
        axis = 2 if first else 1
        strides = (1, 1) + self.strides * 2 if first else (1,) + self.strides * 2 + (1,)
        outputs = nn_conv_ops.separable_conv2d(
            array_ops.expand_dims(inputs, axis), array_ops.expand_dims(self.depthwise_kernel, 0),
            array_ops.expand_dims(self.pointwise_kernel, 0), list(strides),
            self.padding.upper(), rate=[1] + list(self.dilation_rate),
            data_format="NCHW" if first else "NHWC")
        return array_ops.squeeze(outputs, [axis])


def _functional(layer_class, arguments):
    """``layer_class`` built from a functional form's ``arguments`` (its ``locals()``: the
    layer's arguments with ``inputs``, ``name`` and ``reuse``) and applied to the inputs."""
    arguments = dict(arguments)
    inputs, name, reuse = (arguments.pop(key) for key in ("inputs", "name", "reuse"))
    return layer_class(name=name, _scope=name, _reuse=reuse, **arguments).apply(inputs)


def conv1d(inputs, filters, kernel_size, strides=1, padding="valid", data_format="channels_last",
           dilation_rate=1, activation=None, use_bias=True, kernel_initializer=None,
           bias_initializer=init_ops.zeros_initializer(), kernel_regularizer=None,
           bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
           bias_constraint=None, trainable=True, name=None, reuse=None):
    """``tf.layers.conv1d``: builds a ``Conv1D`` layer and applies it to ``inputs``."""
    return _functional(Conv1D, locals())


def conv2d(inputs, filters, kernel_size, strides=(1, 1), padding="valid",
           data_format="channels_last", dilation_rate=(1, 1), activation=None, use_bias=True,
           kernel_initializer=None, bias_initializer=init_ops.zeros_initializer(),
           kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
           kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
           reuse=None):
    """``tf.layers.conv2d``: builds a ``Conv2D`` layer and applies it to ``inputs``; a second
    call with the same ``name`` needs ``reuse=True`` (or tf.AUTO_REUSE)."""
    return _functional(Conv2D, locals())


def conv2d_transpose(inputs, filters, kernel_size, strides=(1, 1), padding="valid",
                     data_format="channels_last", activation=None, use_bias=True,
                     kernel_initializer=None, bias_initializer=init_ops.zeros_initializer(),
                     kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                     kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
                     reuse=None):
    """``tf.layers.conv2d_transpose``: builds a ``Conv2DTranspose`` layer and applies it."""
    return _functional(Conv2DTranspose, locals())


def separable_conv2d(inputs, filters, kernel_size, strides=(1, 1), padding="valid",
                     data_format="channels_last", dilation_rate=(1, 1), depth_multiplier=1,
                     activation=None, use_bias=True, depthwise_initializer=None,
                     pointwise_initializer=None, bias_initializer=init_ops.zeros_initializer(),
                     depthwise_regularizer=None, pointwise_regularizer=None,
                     bias_regularizer=None, activity_regularizer=None,
                     depthwise_constraint=None, pointwise_constraint=None,
                     bias_constraint=None, trainable=True, name=None, reuse=None):
    """``tf.layers.separable_conv2d``: builds a ``SeparableConv2D`` layer and applies it."""
    return _functional(SeparableConv2D, locals())


def conv3d(inputs, filters, kernel_size, strides=(1, 1, 1), padding="valid",
           data_format="channels_last", dilation_rate=(1, 1, 1), activation=None, use_bias=True,
           kernel_initializer=None, bias_initializer=init_ops.zeros_initializer(),
           kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
           kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
           reuse=None):
    """``tf.layers.conv3d``: builds a ``Conv3D`` layer and applies it."""
    return _functional(Conv3D, locals())


def conv3d_transpose(inputs, filters, kernel_size, strides=(1, 1, 1), padding="valid",
                     data_format="channels_last", activation=None, use_bias=True,
                     kernel_initializer=None, bias_initializer=init_ops.zeros_initializer(),
                     kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                     kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
                     reuse=None):
    """``tf.layers.conv3d_transpose``: builds a ``Conv3DTranspose`` layer and applies it."""
    return _functional(Conv3DTranspose, locals())


def separable_conv1d(inputs, filters, kernel_size, strides=1, padding="valid",
                     data_format="channels_last", dilation_rate=1, depth_multiplier=1,
                     activation=None, use_bias=True, depthwise_initializer=None,
                     pointwise_initializer=None, bias_initializer=init_ops.zeros_initializer(),
                     depthwise_regularizer=None, pointwise_regularizer=None,
                     bias_regularizer=None, activity_regularizer=None,
                     depthwise_constraint=None, pointwise_constraint=None,
                     bias_constraint=None, trainable=True, name=None, reuse=None):
    """``tf.layers.separable_conv1d``: builds a ``SeparableConv1D`` layer and applies it."""
    return _functional(SeparableConv1D, locals())

