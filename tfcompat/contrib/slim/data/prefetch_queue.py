"""``slim.prefetch_queue.prefetch_queue`` (TF 1.15 contrib/slim/python/slim/data/
prefetch_queue.py): a queue that ``num_threads`` queue-runner threads keep filled with
``tensors`` (a list, or a dict whose keys name the dequeued components; a PaddingFIFOQueue
with ``dynamic_pad``), its fill fraction summarised as 'fraction_of_<capacity>_full'."""
from tfcompat.framework import dtypes as tf_dtypes
from tfcompat.framework import ops
from tfcompat.ops import data_flow_ops, math_ops

__all__ = ["prefetch_queue"]


def prefetch_queue(tensors, capacity=8, num_threads=1, dynamic_pad=False, shared_name=None,
                   name=None):
    """The filled queue; ``dequeue()`` gives the prefetched tensors."""
    from tfcompat import summary
    from tfcompat.train import queue_runner
    if isinstance(tensors, dict):
        names = sorted(tensors)
        tensor_list = [tensors[n] for n in names]
    else:
        names = None
        tensor_list = tensors
    with ops.name_scope(name, "prefetch_queue", tensor_list):
        queue_class = data_flow_ops.PaddingFIFOQueue if dynamic_pad else data_flow_ops.FIFOQueue
        queue = queue_class(capacity=capacity, dtypes=[t.dtype for t in tensor_list],
                            shapes=[t.shape for t in tensor_list], names=names,
                            shared_name=shared_name)
        enqueue_op = queue.enqueue(tensors)
        queue_runner.add_queue_runner(queue_runner.QueueRunner(queue,
                                                               [enqueue_op] * num_threads))
        summary.scalar(f"fraction_of_{capacity}_full",
                       math_ops.cast(queue.size(), tf_dtypes.float32) * (1. / capacity))
        return queue
