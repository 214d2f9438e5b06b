"""``tf.sets``: set operations over the last dimension (``tfcompat/ops/set_ops.py``)."""
from tfcompat.ops.set_ops import (set_difference, set_intersection, set_size,  # noqa: F401
                                  set_union)

difference, intersection, size, union = set_difference, set_intersection, set_size, set_union

__all__ = ["difference", "intersection", "size", "union", "set_difference",
           "set_intersection", "set_size", "set_union"]


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.sets' has no attribute '{name}': tfcompat does "
                         f"not implement tf.sets.{name} yet")
