"""``tf.queue``: TF 1.15's namespace for the queue classes (``tfcompat/ops/data_flow_ops.py``)."""
from tfcompat.ops.data_flow_ops import (FIFOQueue, PaddingFIFOQueue,  # noqa: F401
                                        PriorityQueue, QueueBase, RandomShuffleQueue)

__all__ = ["FIFOQueue", "PaddingFIFOQueue", "PriorityQueue", "QueueBase", "RandomShuffleQueue"]


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.queue' has no attribute '{name}': tfcompat does "
                         f"not implement tf.queue.{name} yet")
