"""``tf.contrib.learn`` (the parts the book's first printing uses): DNNClassifier,
DNNRegressor, SKCompat, RunConfig and infer_real_valued_columns_from_input."""
from tfcompat.contrib.learn.estimators import (DNNClassifier, DNNRegressor,  # noqa: F401
                                               RunConfig, SKCompat,
                                               infer_real_valued_columns_from_input)
from tfcompat.contrib.learn import datasets, preprocessing  # noqa: F401


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.contrib.learn' has no attribute '{name}': "
                         f"tfcompat does not implement tf.contrib.learn.{name} yet")
