"""``slim.parallel_reader`` (TF 1.15 contrib/slim/python/slim/data/parallel_reader.py):
several readers filling one common queue of (key, value) records.

``parallel_read(data_sources, reader_class, ...)`` opens name scope "parallel_read": a
filename queue ('filenames', string_input_producer over the files, shuffled unless
``shuffle`` is False, ``num_epochs`` passes), a common queue ('common_queue': a
RandomShuffleQueue, or a FIFOQueue without shuffling) whose fill fraction is summarised as
'fraction_of_<capacity>_full', and ``num_readers`` readers whose enqueues run in one queue
runner; it returns the dequeued (key, value)."""
from tfcompat.framework import dtypes as tf_dtypes
from tfcompat.framework import ops
from tfcompat.ops import data_flow_ops, math_ops

__all__ = ["ParallelReader", "parallel_read", "single_pass_read", "get_data_files"]


class ParallelReader:
    """Reads with ``num_readers`` instances of ``reader_class`` into ``common_queue`` (of
    two string components) and reads back from it."""

    def __init__(self, reader_class, common_queue, num_readers=4, reader_kwargs=None):
        if len(common_queue.dtypes) != 2 or not all(
                dtype.is_compatible_with(tf_dtypes.string) for dtype in common_queue.dtypes):
            raise TypeError("common_queue.dtypes must be [tf.string, tf.string]")
        self._readers = [reader_class(**(reader_kwargs or {})) for _ in range(num_readers)]
        self._common_queue = common_queue

    num_readers = property(lambda self: len(self._readers))
    common_queue = property(lambda self: self._common_queue)

    def read(self, queue, name=None):
        """The next (key, value) of the common queue, the readers reading ``queue``."""
        self._configure_readers_by(queue)
        return self._common_queue.dequeue(name=name)

    def read_up_to(self, queue, num_records, name=None):
        """Up to ``num_records`` (keys, values) of the common queue."""
        self._configure_readers_by(queue)
        return self._common_queue.dequeue_up_to(num_records, name)

    def _configure_readers_by(self, queue):
        from tfcompat.train import queue_runner
        enqueue_ops = [self._common_queue.enqueue(reader.read(queue))
                       for reader in self._readers]
        queue_runner.add_queue_runner(queue_runner.QueueRunner(self._common_queue,
                                                               enqueue_ops))

    def num_records_produced(self, name=None):
        return math_ops.add_n([r.num_records_produced() for r in self._readers], name=name)


def get_data_files(data_sources):
    """The files of ``data_sources`` (a path, a glob pattern or a list of them)."""
    if isinstance(data_sources, (list, tuple)):
        data_files = [f for source in data_sources for f in get_data_files(source)]
    elif any(char in data_sources for char in "*?["):
        from tfcompat import gfile
        data_files = gfile.Glob(data_sources)
    else:
        data_files = [data_sources]
    if not data_files:
        raise ValueError(f"No data files found in {data_sources}")
    return data_files


def parallel_read(data_sources, reader_class, num_epochs=None, num_readers=4,
                  reader_kwargs=None, shuffle=True, dtypes=None, capacity=256,
                  min_after_dequeue=128, seed=None, scope=None):
    """(key, value) tensors of records read in parallel (see the module docstring)."""
    from tfcompat import summary
    from tfcompat.train import input as tf_input
    data_files = get_data_files(data_sources)
    with ops.name_scope(scope, "parallel_read"):
        filename_queue = tf_input.string_input_producer(
            data_files, num_epochs=num_epochs, shuffle=shuffle, seed=seed, name="filenames")
        dtypes = dtypes or [tf_dtypes.string, tf_dtypes.string]
        if shuffle:
            common_queue = data_flow_ops.RandomShuffleQueue(
                capacity=capacity, min_after_dequeue=min_after_dequeue, dtypes=dtypes,
                seed=seed, name="common_queue")
        else:
            common_queue = data_flow_ops.FIFOQueue(capacity=capacity, dtypes=dtypes,
                                                   name="common_queue")
        summary.scalar(f"fraction_of_{capacity}_full",
                       math_ops.cast(common_queue.size(), tf_dtypes.float32) * (1. / capacity))
        return ParallelReader(reader_class, common_queue, num_readers=num_readers,
                              reader_kwargs=reader_kwargs).read(filename_queue)


def single_pass_read(data_sources, reader_class, reader_kwargs=None, scope=None):
    """(key, value) of one reader going once over the files in order."""
    from tfcompat.train import input as tf_input
    data_files = get_data_files(data_sources)
    with ops.name_scope(scope, "single_pass_read"):
        filename_queue = tf_input.string_input_producer(
            data_files, num_epochs=1, shuffle=False, capacity=1, name="filenames")
        return reader_class(**(reader_kwargs or {})).read(filename_queue)
