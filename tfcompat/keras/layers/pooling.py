"""Keras pooling layers: Max/AveragePooling1D/2D (the ``tf.layers`` ones with Keras'
defaults: ``pool_size`` 2, ``strides=None`` meaning ``pool_size``) and
GlobalMax/GlobalAveragePooling1D/2D/3D (a max/mean over the spatial axes)."""
from tfcompat.keras.engine.base_layer import Layer
from tfcompat.layers import pooling as tf_pooling
from tfcompat.ops import math_ops


def _keras_pooling(tf_class, default_size, doc):

    def __init__(self, pool_size=default_size, strides=None, padding="valid",
                 data_format=None, **kwargs):
        super(keras_class, self).__init__(pool_size, pool_size if strides is None else strides,
                                          padding=padding,
                                          data_format=data_format or "channels_last", **kwargs)

    keras_class = type(tf_class.__name__, (Layer, tf_class),
                       {"__init__": __init__, "__doc__": doc, "__module__": __name__})
    return keras_class


MaxPooling1D = _keras_pooling(tf_pooling.MaxPooling1D, 2, "``MaxPooling1D(pool_size=2, "
                              "strides=None, padding='valid', data_format='channels_last')``")
AveragePooling1D = _keras_pooling(tf_pooling.AveragePooling1D, 2, "``AveragePooling1D("
                                  "pool_size=2, strides=None, padding='valid')``")
MaxPooling2D = _keras_pooling(tf_pooling.MaxPooling2D, (2, 2), "``MaxPooling2D(pool_size="
                              "(2, 2), strides=None, padding='valid', data_format=None)``")
AveragePooling2D = _keras_pooling(tf_pooling.AveragePooling2D, (2, 2), "``AveragePooling2D("
                                  "pool_size=(2, 2), strides=None, padding='valid')``")
MaxPooling3D = _keras_pooling(tf_pooling.MaxPooling3D, (2, 2, 2), "``MaxPooling3D("
                              "pool_size=(2, 2, 2), strides=None, padding='valid')``")
AveragePooling3D = _keras_pooling(tf_pooling.AveragePooling3D, (2, 2, 2), "``AveragePooling3D("
                                  "pool_size=(2, 2, 2), strides=None, padding='valid')``")
MaxPool1D, AvgPool1D, MaxPool2D, AvgPool2D = (MaxPooling1D, AveragePooling1D, MaxPooling2D,
                                              AveragePooling2D)
MaxPool3D, AvgPool3D = MaxPooling3D, AveragePooling3D


class _GlobalPooling(Layer):
    """Reduces the spatial axes (1 for steps, 2 for rows and columns) with ``reduce``."""

    rank = 2
    reduce = None

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format or "channels_last"

    def call(self, inputs):
        first = 2 if self.data_format == "channels_first" else 1
        return type(self).reduce(inputs, axis=list(range(first, first + self.rank)))


class GlobalAveragePooling2D(_GlobalPooling):
    """``GlobalAveragePooling2D(data_format=None)``: [b, h, w, c] -> [b, c] means."""

    reduce = math_ops.reduce_mean


class GlobalMaxPooling2D(_GlobalPooling):
    """``GlobalMaxPooling2D(data_format=None)``: [b, h, w, c] -> [b, c] maxima."""

    reduce = math_ops.reduce_max


class GlobalAveragePooling1D(_GlobalPooling):
    """``GlobalAveragePooling1D(data_format='channels_last')``: [b, steps, c] -> [b, c]."""

    rank = 1
    reduce = math_ops.reduce_mean


class GlobalMaxPooling1D(_GlobalPooling):
    """``GlobalMaxPooling1D(data_format='channels_last')``: [b, steps, c] -> [b, c]."""

    rank = 1
    reduce = math_ops.reduce_max


class GlobalAveragePooling3D(_GlobalPooling):
    """``GlobalAveragePooling3D(data_format=None)``: [b, d, h, w, c] -> [b, c] means."""

    rank = 3
    reduce = math_ops.reduce_mean


class GlobalMaxPooling3D(_GlobalPooling):
    """``GlobalMaxPooling3D(data_format=None)``: [b, d, h, w, c] -> [b, c] maxima."""

    rank = 3
    reduce = math_ops.reduce_max


GlobalAvgPool1D, GlobalAvgPool2D = GlobalAveragePooling1D, GlobalAveragePooling2D
GlobalMaxPool1D, GlobalMaxPool2D = GlobalMaxPooling1D, GlobalMaxPooling2D
GlobalAvgPool3D, GlobalMaxPool3D = GlobalAveragePooling3D, GlobalMaxPooling3D

__all__ = ["MaxPooling1D", "AveragePooling1D", "MaxPooling2D", "AveragePooling2D",
           "MaxPool1D", "AvgPool1D", "MaxPool2D", "AvgPool2D", "GlobalAveragePooling1D",
           "GlobalAveragePooling2D", "GlobalMaxPooling1D", "GlobalMaxPooling2D",
           "GlobalAvgPool1D", "GlobalAvgPool2D", "GlobalMaxPool1D", "GlobalMaxPool2D",
           "GlobalAveragePooling3D", "GlobalMaxPooling3D", "GlobalAvgPool3D", "GlobalMaxPool3D",
           "MaxPooling3D", "AveragePooling3D", "MaxPool3D", "AvgPool3D"]
