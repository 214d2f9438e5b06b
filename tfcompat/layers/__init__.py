"""``tf.layers``: TF 1.x's layer classes and functional forms (dense, dropout, flatten,
batch_normalization) with TF 1.15's variable/name-scope rules (see ``base``)."""
from tfcompat.layers.base import InputSpec, Layer  # noqa: F401
from tfcompat.layers.core import Dense, Dropout, Flatten, dense, dropout, flatten  # noqa: F401
from tfcompat.layers.normalization import (BatchNormalization,  # noqa: F401
                                           batch_normalization)

__all__ = ["Layer", "InputSpec", "Dense", "Dropout", "Flatten", "BatchNormalization", "dense",
           "dropout", "flatten", "batch_normalization"]


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.layers' has no attribute '{name}': tfcompat does "
                         f"not implement tf.layers.{name} yet")
