"""``tf.layers.MaxPooling1D/2D`` and ``AveragePooling1D/2D`` with their functional forms
(TF 1.15's tensorflow/python/layers/pooling.py over Keras' pooling layers).

``pool_size`` and ``strides`` are required (an int or a tuple); ``padding`` "valid" or
"same"; ``data_format`` "channels_last" or "channels_first". The 2-D layers are one MaxPool /
AvgPool op under the layer's scope ("max_pooling2d/MaxPool"); the 1-D ones expand the
input by a unit spatial axis, pool and squeeze it again, as Keras does.
"""
from tfcompat.framework import tensor_shape
from tfcompat.layers.base import InputSpec, Layer
from tfcompat.layers.convolutional import (conv_output_length, normalize_data_format,
                                           normalize_padding, normalize_tuple)
from tfcompat.ops import array_ops, nn_conv3d_ops, nn_conv_ops


class _Pooling(Layer):
    """The shared pooling layer for ``rank`` 1 or 2 and a ``pool_function``."""

    rank = 2
    pool_function = None

    def __init__(self, pool_size, strides, padding="valid", data_format="channels_last",
                 name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.pool_size = normalize_tuple(pool_size, self.rank, "pool_size")
        self.strides = normalize_tuple(strides, self.rank, "strides")
        self.padding = normalize_padding(padding)
        self.data_format = normalize_data_format(data_format)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def call(self, inputs):
        channels_first = self.data_format == "channels_first"
        pool_size, strides = self.pool_size, self.strides
        if self.rank == 1:
            pad_axis = 3 if channels_first else 2
            inputs = array_ops.expand_dims(inputs, pad_axis)
            pool_size, strides = pool_size + (1,), strides + (1,)
        formats = {2: ("NCHW", "NHWC"), 3: ("NCDHW", "NDHWC")}[len(pool_size)]
        if channels_first:
            ksize, stride_list, data_format = [1, 1, *pool_size], [1, 1, *strides], formats[0]
        else:
            ksize, stride_list, data_format = [1, *pool_size, 1], [1, *strides, 1], formats[1]
        outputs = type(self).pool_function(inputs, ksize, stride_list, self.padding.upper(),
                                           data_format=data_format)
        if self.rank == 1:
            return array_ops.squeeze(outputs, [pad_axis])
        return outputs

    def compute_output_shape(self, input_shape):
        dims = tensor_shape.as_shape(input_shape).as_list()
        channels_first = self.data_format == "channels_first"
        spatial = dims[2:] if channels_first else dims[1:-1]
        lengths = [conv_output_length(size, self.pool_size[i], self.padding, self.strides[i])
                   for i, size in enumerate(spatial)]
        if channels_first:
            return tensor_shape.TensorShape(dims[:2] + lengths)
        return tensor_shape.TensorShape(dims[:1] + lengths + dims[-1:])


class MaxPooling1D(_Pooling):
    """``tf.layers.MaxPooling1D(pool_size, strides, padding='valid',
    data_format='channels_last', name=None)``."""

    rank = 1
    pool_function = staticmethod(nn_conv_ops.max_pool)


class AveragePooling1D(_Pooling):
    """``tf.layers.AveragePooling1D(pool_size, strides, padding='valid',
    data_format='channels_last', name=None)``."""

    rank = 1
    pool_function = staticmethod(nn_conv_ops.avg_pool)


class MaxPooling2D(_Pooling):
    """``tf.layers.MaxPooling2D(pool_size, strides, padding='valid',
    data_format='channels_last', name=None)``."""

    pool_function = staticmethod(nn_conv_ops.max_pool)


class AveragePooling2D(_Pooling):
    """``tf.layers.AveragePooling2D(pool_size, strides, padding='valid',
    data_format='channels_last', name=None)``."""

    pool_function = staticmethod(nn_conv_ops.avg_pool)


class MaxPooling3D(_Pooling):
    """``tf.layers.MaxPooling3D(pool_size, strides, padding='valid',
    data_format='channels_last', name=None)``."""

    rank = 3
    pool_function = staticmethod(nn_conv3d_ops.max_pool3d)


class AveragePooling3D(_Pooling):
    """``tf.layers.AveragePooling3D(pool_size, strides, padding='valid',
    data_format='channels_last', name=None)``."""

    rank = 3
    pool_function = staticmethod(nn_conv3d_ops.avg_pool3d)


def _pool(layer_class, inputs, pool_size, strides, padding, data_format, name):
    layer = layer_class(pool_size=pool_size, strides=strides, padding=padding,
                        data_format=data_format, name=name)
    return layer.apply(inputs)


def max_pooling1d(inputs, pool_size, strides, padding="valid", data_format="channels_last",
                  name=None):
    """``tf.layers.max_pooling1d``."""
    return _pool(MaxPooling1D, inputs, pool_size, strides, padding, data_format, name)


def average_pooling1d(inputs, pool_size, strides, padding="valid",
                      data_format="channels_last", name=None):
    """``tf.layers.average_pooling1d``."""
    return _pool(AveragePooling1D, inputs, pool_size, strides, padding, data_format, name)


def max_pooling2d(inputs, pool_size, strides, padding="valid", data_format="channels_last",
                  name=None):
    """``tf.layers.max_pooling2d``."""
    return _pool(MaxPooling2D, inputs, pool_size, strides, padding, data_format, name)


def average_pooling2d(inputs, pool_size, strides, padding="valid",
                      data_format="channels_last", name=None):
    """``tf.layers.average_pooling2d``."""
    return _pool(AveragePooling2D, inputs, pool_size, strides, padding, data_format, name)


def max_pooling3d(inputs, pool_size, strides, padding="valid", data_format="channels_last",
                  name=None):
    """``tf.layers.max_pooling3d``."""
    return _pool(MaxPooling3D, inputs, pool_size, strides, padding, data_format, name)


def average_pooling3d(inputs, pool_size, strides, padding="valid",
                      data_format="channels_last", name=None):
    """``tf.layers.average_pooling3d``."""
    return _pool(AveragePooling3D, inputs, pool_size, strides, padding, data_format, name)

