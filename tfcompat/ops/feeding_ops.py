"""Feeding NumPy arrays into a graph batch by batch (what ``numpy_input_fn`` builds).

TensorFlow feeds ``tf.estimator.inputs.numpy_input_fn`` through a FIFO (or random-shuffle)
queue that a QueueRunner thread fills, and dequeues with QueueDequeueUpToV2 /
QueueDequeueManyV2. tfcompat has no queues: one stateful op, ``NumpyFeedDequeue``, returns
the next batch of the arrays directly. Its position is per Session (a new Session starts at
the first batch again, as a new queue runner would) and shared by every run of that Session.
When the requested epochs are used up it raises ``tf.errors.OutOfRangeError`` with the
message of a closed, drained queue, which ends ``Estimator.train``/``evaluate`` as in TF.
"""
import weakref

import numpy as np

from tfcompat.framework import dtypes, errors, ops, tensor_shape
from tfcompat.framework.op_def import OpDef, make_op, register_op

__all__ = []

#: Session runtime state -> {op: _Cursor}: the per-Session position of every feeding op.
_CURSORS = weakref.WeakKeyDictionary()


class NumpySource:
    """The arrays one feeding op serves and how: batch size, epochs, shuffling."""

    def __init__(self, arrays, batch_size, num_epochs, shuffle, seed):
        self.arrays = [np.asarray(a) for a in arrays]
        self.batch_size = int(batch_size)
        self.num_epochs = num_epochs
        self.shuffle = shuffle
        self.seed = seed
        self.length = len(self.arrays[0])


class _Cursor:
    """Walks the stream of row indices (epoch after epoch, each one in order or shuffled) and
    cuts it into batches; the last batch of the last epoch may be short."""

    def __init__(self, source):
        self.source = source
        self.rng = np.random.RandomState(source.seed)
        self.epoch = 0
        self.pending = np.zeros(0, dtype=np.int64)

    def _fill(self, wanted):
        source = self.source
        while source.length and len(self.pending) < wanted and (
                source.num_epochs is None or self.epoch < source.num_epochs):
            order = (self.rng.permutation(source.length) if source.shuffle
                     else np.arange(source.length))
            self.pending = np.concatenate([self.pending, order])
            self.epoch += 1

    def next_indices(self):
        wanted = self.source.batch_size
        self._fill(wanted)
        taken, self.pending = self.pending[:wanted], self.pending[wanted:]
        return taken if len(taken) else None


@register_op
class NumpyFeedDequeue(OpDef):
    """The next batch of every array of a ``NumpySource`` (tfcompat's stand-in for a queue
    fed from NumPy and its QueueDequeueUpToV2); OutOfRangeError once the epochs are done."""

    stateful = True
    differentiable = False
    dynamic_output_shape = True

    def infer(self, op):
        return [(tensor_shape.TensorShape([None] + list(shape)), dtype)
                for shape, dtype in zip(op.attrs["shapes"], op.attrs["component_types"],
                                        strict=True)]

    def kernel(self, op, ctx):
        source = getattr(op, "numpy_source", None)
        if source is None:
            raise ValueError(f"{op.name} has lost its NumPy arrays (a NumpyFeedDequeue op "
                             f"only runs in the graph that numpy_input_fn built it in)")
        cursors = _CURSORS.setdefault(ctx, {})

        def dequeue():
            cursor = cursors.get(op)
            if cursor is None:
                cursor = cursors[op] = _Cursor(source)
            indices = cursor.next_indices()
            if indices is None:
                raise errors.OutOfRangeError(
                    None, op, f"FIFOQueue '{op.attrs['queue_name']}' is closed and has "
                              f"insufficient elements (requested {source.batch_size}, current "
                              f"size 0)\n\t [[node {op.name} (op: {op.type})]]")
            batch = tuple(array[indices] for array in source.arrays)
            return batch if len(batch) > 1 else batch[0]
        return dequeue


def numpy_feed_dequeue(arrays, batch_size, num_epochs, shuffle, seed=None, name=None):
    """Builds a NumpyFeedDequeue op serving ``arrays`` and returns its output tensors."""
    source = NumpySource(arrays, batch_size, num_epochs, shuffle, seed)
    with ops.name_scope(None, "enqueue_input") as scope:
        queue_name = scope + ("random_shuffle_queue" if shuffle else "fifo_queue")
    op = make_op("NumpyFeedDequeue", [], {
        "component_types": [dtypes.as_dtype(a.dtype) for a in source.arrays],
        "shapes": [tensor_shape.TensorShape(a.shape[1:]) for a in source.arrays],
        "batch_size": source.batch_size, "queue_name": queue_name},
        name=name or ("random_shuffle_queue_DequeueUpTo" if shuffle
                      else "fifo_queue_DequeueUpTo"))
    op.numpy_source = source
    return list(op.outputs)
