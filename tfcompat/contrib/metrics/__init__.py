"""``tf.contrib.metrics`` (TF 1.15 contrib/metrics/__init__.py; also ``slim.metrics``): the
streaming metrics (``streaming_accuracy(predictions, labels)`` ... over ``tf.metrics``),
``aggregate_metrics`` / ``aggregate_metric_map``, ``accuracy``, ``f1_score`` and
``confusion_matrix``. Other names raise the "not implemented yet" AttributeError."""
from tfcompat.contrib.metrics.classification import accuracy, f1_score  # noqa: F401
from tfcompat.contrib.metrics.metric_ops import *  # noqa: F401,F403
from tfcompat.contrib.metrics.metric_ops import __all__ as _streaming_names
from tfcompat.ops.special_math_ops import confusion_matrix  # noqa: F401

__all__ = sorted(_streaming_names + ["accuracy", "f1_score", "confusion_matrix"])


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.contrib.metrics' has no attribute '{name}': "
                         f"tfcompat does not implement tf.contrib.metrics.{name} yet")
