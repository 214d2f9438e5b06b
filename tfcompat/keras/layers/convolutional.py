"""Keras convolution layers: Conv1D, Conv2D, Conv3D, Conv2DTranspose, Conv3DTranspose,
SeparableConv2D,
DepthwiseConv2D, SeparableConv1D, and the shape layers ZeroPadding1D/2D/3D, Cropping1D/2D/3D,
UpSampling1D/2D/3D.

The convolutions are the ``tf.layers`` ones (variables "conv2d/kernel", "conv2d/bias",
"separable_conv2d/depthwise_kernel" ...) with Keras' defaults: ``data_format=None`` meaning
channels_last, Glorot-uniform kernels, zero biases.
"""
from tfcompat import nn
from tfcompat.keras.engine.base_layer import Layer
from tfcompat.layers import convolutional as tf_conv
from tfcompat.layers import utils
from tfcompat.ops import array_ops


def _keras_conv(tf_class, doc):
    """The Keras class of a tf.layers convolution: same layer, Keras' defaults."""

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", **kwargs):
        tf_class_init = super(keras_class, self).__init__
        tf_class_init(filters, kernel_size, strides=strides, padding=padding,
                      data_format=data_format or "channels_last",
                      kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                      **kwargs)

    keras_class = type(tf_class.__name__, (Layer, tf_class),
                       {"__init__": __init__, "__doc__": doc, "__module__": __name__})
    return keras_class


Conv1D = _keras_conv(tf_conv.Conv1D, "``Conv1D(filters, kernel_size, strides=1, "
                     "padding='valid', data_format=None, dilation_rate=1, activation=None, "
                     "use_bias=True, ...)``")
Conv2D = _keras_conv(tf_conv.Conv2D, "``Conv2D(filters, kernel_size, strides=(1, 1), "
                     "padding='valid', data_format=None, dilation_rate=(1, 1), ...)``")
Conv2DTranspose = _keras_conv(tf_conv.Conv2DTranspose, "``Conv2DTranspose(filters, "
                              "kernel_size, strides=(1, 1), padding='valid', ...)``")
SeparableConv2D = _keras_conv(tf_conv.SeparableConv2D, "``SeparableConv2D(filters, "
                              "kernel_size, strides=(1, 1), padding='valid', "
                              "depth_multiplier=1, ...)``")
Conv3D = _keras_conv(tf_conv.Conv3D, "``Conv3D(filters, kernel_size, strides=(1, 1, 1), "
                     "padding='valid', data_format=None, dilation_rate=(1, 1, 1), ...)``")
Conv3DTranspose = _keras_conv(tf_conv.Conv3DTranspose, "``Conv3DTranspose(filters, "
                              "kernel_size, strides=(1, 1, 1), padding='valid', ...)``")
Convolution1D, Convolution2D, Convolution3D = Conv1D, Conv2D, Conv3D
Convolution2DTranspose, SeparableConvolution2D = Conv2DTranspose, SeparableConv2D
Convolution3DTranspose = Conv3DTranspose


class DepthwiseConv2D(Layer, tf_conv.Conv2D):
    """``DepthwiseConv2D(kernel_size, strides=(1, 1), padding='valid', depth_multiplier=1,
    data_format=None, activation=None, use_bias=True, depthwise_initializer=
    'glorot_uniform', bias_initializer='zeros', ...)``: variables depthwise_kernel [kh, kw,
    in, multiplier] and bias [in * multiplier]."""

    def __init__(self, kernel_size, strides=(1, 1), padding="valid", depth_multiplier=1,
                 data_format=None, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(1, kernel_size, strides=strides, padding=padding,
                         data_format=data_format or "channels_last", activation=activation,
                         use_bias=use_bias, bias_initializer=bias_initializer,
                         bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         bias_constraint=bias_constraint, **kwargs)
        self.depth_multiplier = int(depth_multiplier)
        self.depthwise_initializer = utils.get_initializer(depthwise_initializer)
        self.depthwise_regularizer = depthwise_regularizer
        self.depthwise_constraint = depthwise_constraint

    def build(self, input_shape):
        channels = self.input_channels(input_shape)
        dtype = self._weight_dtype()
        self.filters = channels * self.depth_multiplier
        self.depthwise_kernel = self.add_weight(
            "depthwise_kernel", shape=self.kernel_size + (channels, self.depth_multiplier),
            initializer=self.depthwise_initializer, regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint, dtype=dtype)
        self.add_bias(dtype)
        self.built = True

    def convolve(self, inputs):
        return nn.depthwise_conv2d(inputs, self.depthwise_kernel, self.op_list(self.strides),
                                   self.padding.upper(), rate=list(self.dilation_rate),
                                   data_format=self.op_data_format())


class SeparableConv1D(Layer, tf_conv.Conv1D):
    """``SeparableConv1D(filters, kernel_size, strides=1, padding='valid', data_format=None,
    dilation_rate=1, depth_multiplier=1, ...)``: variables depthwise_kernel [k, in,
    multiplier], pointwise_kernel [1, in * multiplier, filters] and bias; computed as
    SeparableConv2D over a height-1 image, as Keras does."""

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, depth_multiplier=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", pointwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None,
                 pointwise_regularizer=None, depthwise_constraint=None,
                 pointwise_constraint=None, **kwargs):
        super().__init__(filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format or "channels_last",
                         dilation_rate=dilation_rate, activation=activation,
                         use_bias=use_bias, bias_initializer=bias_initializer, **kwargs)
        self.depth_multiplier = int(depth_multiplier)
        self.initializers = (utils.get_initializer(depthwise_initializer),
                             utils.get_initializer(pointwise_initializer))
        self.kernel_regularizers = (depthwise_regularizer, pointwise_regularizer)
        self.kernel_constraints = (depthwise_constraint, pointwise_constraint)

    def build(self, input_shape):
        channels = self.input_channels(input_shape)
        dtype = self._weight_dtype()
        shapes = (self.kernel_size + (channels, self.depth_multiplier),
                  (1, channels * self.depth_multiplier, self.filters))
        self.depthwise_kernel, self.pointwise_kernel = (
            self.add_weight(name, shape=shape, initializer=initializer,
                            regularizer=regularizer, constraint=constraint, dtype=dtype)
            for name, shape, initializer, regularizer, constraint in zip(
                ("depthwise_kernel", "pointwise_kernel"), shapes, self.initializers,
                self.kernel_regularizers, self.kernel_constraints, strict=True))
        self.add_bias(dtype)
        self.built = True

    def convolve(self, inputs):
        channels_first = self.channel_axis == 1
        images = array_ops.expand_dims(inputs, 2 if channels_first else 1)
        strides = [1, 1, 1, self.strides[0]] if channels_first else [1, 1, self.strides[0], 1]
        outputs = nn.separable_conv2d(
            images, array_ops.expand_dims(self.depthwise_kernel, 0),
            array_ops.expand_dims(self.pointwise_kernel, 0), strides, self.padding.upper(),
            rate=[1, self.dilation_rate[0]], data_format="NCHW" if channels_first else "NHWC")
        return array_ops.squeeze(outputs, [2 if channels_first else 1])


def _pairs(value, rank, name):
    """Keras' padding/cropping argument: an int, ``rank`` ints, or ``rank`` (before, after)
    pairs -> a list of ``rank`` pairs."""
    if isinstance(value, int):
        return [(value, value)] * rank
    value = list(value)
    if len(value) != rank:
        raise ValueError(f"`{name}` should have {rank} elements. Found: {value}")
    return [(v, v) if isinstance(v, int) else tuple(v) for v in value]


class _SpatialLayer(Layer):
    """Padding/cropping/upsampling over the spatial axes of channels_last or channels_first
    inputs of rank ``rank + 2``."""

    rank = 2

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format or "channels_last"

    def _spatial_axes(self):
        first = 2 if self.data_format == "channels_first" else 1
        return list(range(first, first + self.rank))


class ZeroPadding2D(_SpatialLayer):
    """``ZeroPadding2D(padding=(1, 1), data_format=None)``: zeros around the rows/columns."""

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.padding = _pairs(padding, self.rank, "padding")

    def call(self, inputs):
        paddings = [[0, 0]] * (self.rank + 2)
        for axis, pair in zip(self._spatial_axes(), self.padding, strict=True):
            paddings[axis] = list(pair)
        return array_ops.pad(inputs, paddings)


class ZeroPadding1D(ZeroPadding2D):
    """``ZeroPadding1D(padding=1)``: zeros before and after the steps of [batch, steps, c]."""

    rank = 1

    def __init__(self, padding=1, **kwargs):
        super().__init__(padding=[padding] if isinstance(padding, int) else [padding],
                         **kwargs)


class Cropping2D(_SpatialLayer):
    """``Cropping2D(cropping=((0, 0), (0, 0)), data_format=None)``."""

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.cropping = _pairs(cropping, self.rank, "cropping")

    def call(self, inputs):
        index = [slice(None)] * (self.rank + 2)
        for axis, (before, after) in zip(self._spatial_axes(), self.cropping, strict=True):
            index[axis] = slice(before, -after if after else None)
        return inputs[tuple(index)]


class Cropping1D(Cropping2D):
    """``Cropping1D(cropping=(1, 1))``: drops steps at the start and end."""

    rank = 1

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(cropping=[cropping], **kwargs)


class UpSampling2D(_SpatialLayer):
    """``UpSampling2D(size=(2, 2), data_format=None, interpolation='nearest')``: each row
    and column repeated ``size`` times (nearest-neighbour resizing)."""

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if interpolation != "nearest":
            raise ValueError(f"tfcompat's UpSampling2D supports interpolation='nearest' only, "
                             f"got {interpolation!r}")
        self.size = tf_conv.normalize_tuple(size, self.rank, "size")

    def call(self, inputs):
        outputs = inputs
        for axis, factor in zip(self._spatial_axes(), self.size, strict=True):
            outputs = _repeat_elements(outputs, factor, axis)
        return outputs


class UpSampling1D(UpSampling2D):
    """``UpSampling1D(size=2)``: each step repeated ``size`` times."""

    rank = 1

    def __init__(self, size=2, **kwargs):
        super().__init__(size=size, **kwargs)


class ZeroPadding3D(ZeroPadding2D):
    """``ZeroPadding3D(padding=(1, 1, 1), data_format=None)``."""

    rank = 3

    def __init__(self, padding=(1, 1, 1), **kwargs):
        super().__init__(padding=padding, **kwargs)


class Cropping3D(Cropping2D):
    """``Cropping3D(cropping=((1, 1), (1, 1), (1, 1)), data_format=None)``."""

    rank = 3

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), **kwargs):
        super().__init__(cropping=cropping, **kwargs)


class UpSampling3D(UpSampling2D):
    """``UpSampling3D(size=(2, 2, 2), data_format=None)``."""

    rank = 3

    def __init__(self, size=(2, 2, 2), **kwargs):
        super().__init__(size=size, **kwargs)


def _repeat_elements(x, rep, axis):
    """NumPy's ``repeat`` along ``axis`` (Keras' ``backend.repeat_elements``)."""
    multiples = [1] * (x.shape.ndims + 1)
    multiples[axis + 1] = rep
    tiled = array_ops.tile(array_ops.expand_dims(x, axis + 1), multiples)
    factors = [rep if i == axis else 1 for i in range(x.shape.ndims)]
    dims = [None if d is None else d * f for d, f in zip(x.shape.as_list(), factors,
                                                          strict=True)]
    if dims.count(None) <= 1:
        return array_ops.reshape(tiled, [-1 if d is None else d for d in dims])
    shape = array_ops.shape(x)
    return array_ops.reshape(tiled, array_ops.stack([shape[i] * f
                                                     for i, f in enumerate(factors)]))


SeparableConvolution1D = SeparableConv1D

__all__ = ["Conv1D", "Conv2D", "Conv2DTranspose", "SeparableConv2D", "DepthwiseConv2D",
           "SeparableConv1D", "SeparableConvolution1D",
           "Convolution1D", "Convolution2D", "Convolution2DTranspose", "SeparableConvolution2D",
           "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D", "Cropping1D", "Cropping2D",
           "Cropping3D", "UpSampling1D", "UpSampling2D", "UpSampling3D", "Conv3D",
           "Conv3DTranspose", "Convolution3D", "Convolution3DTranspose"]
