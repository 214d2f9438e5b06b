"""``tf.layers``: TF 1.x's layer classes and functional forms (dense, dropout, flatten,
batch_normalization) with TF 1.15's variable/name-scope rules (see ``base``)."""
from tfcompat.layers.base import InputSpec, Layer  # noqa: F401
from tfcompat.layers.convolutional import (Conv1D, Conv2D, Conv2DTranspose,  # noqa: F401
                                           Conv3D, Conv3DTranspose, SeparableConv1D,
                                           SeparableConv2D, conv1d, conv2d, conv2d_transpose,
                                           conv3d, conv3d_transpose, separable_conv1d,
                                           separable_conv2d)
from tfcompat.layers.core import Dense, Dropout, Flatten, dense, dropout, flatten  # noqa: F401
from tfcompat.layers.normalization import (BatchNormalization,  # noqa: F401
                                           batch_normalization)
from tfcompat.layers.pooling import (AveragePooling1D, AveragePooling2D,  # noqa: F401
                                     AveragePooling3D, MaxPooling1D, MaxPooling2D, MaxPooling3D,
                                     average_pooling1d, average_pooling2d, average_pooling3d,
                                     max_pooling1d, max_pooling2d, max_pooling3d)

__all__ = ["Layer", "InputSpec", "Dense", "Dropout", "Flatten", "BatchNormalization", "dense",
           "dropout", "flatten", "batch_normalization",
           "Conv1D", "Conv2D", "Conv2DTranspose", "SeparableConv2D", "conv1d", "conv2d",
           "conv2d_transpose", "separable_conv2d", "MaxPooling1D", "MaxPooling2D",
           "AveragePooling1D", "AveragePooling2D", "max_pooling1d", "max_pooling2d",
           "average_pooling1d", "average_pooling2d", "Conv3D", "Conv3DTranspose",
           "SeparableConv1D", "conv3d", "conv3d_transpose", "separable_conv1d", "MaxPooling3D",
           "AveragePooling3D", "max_pooling3d", "average_pooling3d"]


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.layers' has no attribute '{name}': tfcompat does "
                         f"not implement tf.layers.{name} yet")
