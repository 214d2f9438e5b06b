"""``tf.queue`` (TF 1.15): the queue classes of ``tfcompat/ops/data_flow_ops.py``."""
from tfcompat.ops.data_flow_ops import (FIFOQueue, PaddingFIFOQueue, PriorityQueue,  # noqa: F401
                                        QueueBase, RandomShuffleQueue)

__all__ = ["FIFOQueue", "PaddingFIFOQueue", "PriorityQueue", "QueueBase", "RandomShuffleQueue"]


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.queue' has no attribute '{name}': tfcompat does "
                         f"not implement tf.queue.{name} yet")
