"""``tf.contrib.predictor``: callables that map a dict of NumPy inputs to a dict of outputs,
built from a SavedModel (``from_saved_model``) or a core Estimator (``from_estimator``)."""
from tfcompat.contrib.predictor.predictor_factories import (  # noqa: F401
    from_estimator, from_saved_model)


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.contrib.predictor' has no attribute '{name}': "
                         f"tfcompat does not implement tf.contrib.predictor.{name} yet")
