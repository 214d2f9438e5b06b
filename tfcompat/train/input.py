"""TF 1.x queue-based input functions (``training/input.py``): producers that fill a queue
from a tensor, and ``batch`` / ``shuffle_batch`` / ``batch_join`` that batch through one.
Each adds a ``QueueRunner`` to the graph; ``tf.train.start_queue_runners`` runs them."""
import numpy as np

from tfcompat.framework import dtypes, ops, tensor_shape
from tfcompat.ops import variables
from tfcompat.ops import array_ops, data_flow_ops, math_ops, random_ops
from tfcompat import summary
from tfcompat.train.queue_runner import QueueRunner, add_queue_runner


def limit_epochs(tensor, num_epochs=None, name=None):
    """``tensor``, at most ``num_epochs`` times: then OutOfRangeError (a local ``epochs``
    counter variable)."""
    if num_epochs is None:
        return tensor
    if num_epochs <= 0:
        raise ValueError(f"num_epochs must be > 0 not {num_epochs}.")
    with ops.name_scope(name, "limit_epochs", [tensor]) as scope:
        epochs = variables.Variable(np.int64(0), name="epochs", trainable=False,
                                    collections=[ops.GraphKeys.LOCAL_VARIABLES])
        counter = data_flow_ops.count_up_to(epochs, num_epochs)
        with ops.control_dependencies([counter]):
            return array_ops.identity(tensor, name=scope)


def input_producer(input_tensor, element_shape=None, num_epochs=None, shuffle=True, seed=None,
                   capacity=32, shared_name=None, summary_name=None, name=None,
                   cancel_op=None):
    """A FIFOQueue fed with the rows of ``input_tensor`` (shuffled each epoch unless
    ``shuffle=False``), ``num_epochs`` times (None: forever)."""
    with ops.name_scope(name, "input_producer", [input_tensor]):
        input_tensor = ops.convert_to_tensor(input_tensor, name="input_tensor")
        element_shape = input_tensor.shape[1:].merge_with(
            tensor_shape.as_shape(element_shape) if element_shape is not None
            else input_tensor.shape[1:])
        if not element_shape.is_fully_defined():
            raise ValueError("Either `input_tensor` must have a fully defined shape or "
                             "`element_shape` must be specified")
        if shuffle:
            input_tensor = random_ops.random_shuffle(input_tensor, seed=seed)
        input_tensor = limit_epochs(input_tensor, num_epochs)
        queue = data_flow_ops.FIFOQueue(capacity=capacity, dtypes=[input_tensor.dtype],
                                        shapes=[element_shape], shared_name=shared_name,
                                        name=name)
        enqueue = queue.enqueue_many([input_tensor])
        add_queue_runner(QueueRunner(queue, [enqueue], cancel_op=cancel_op))
        if summary_name is not None:
            summary.scalar(summary_name, math_ops.cast(queue.size(), dtypes.float32)
                           * (1.0 / capacity))
        return queue


def string_input_producer(string_tensor, num_epochs=None, shuffle=True, seed=None,
                          capacity=32, shared_name=None, name=None, cancel_op=None):
    """A queue of file names for readers (``tf.train.string_input_producer``)."""
    with ops.name_scope(name, "input_producer", [string_tensor]) as scope:
        strings = ops.convert_to_tensor(string_tensor, dtype=dtypes.string)
        if strings.shape.ndims is not None and strings.shape.ndims != 1:
            raise ValueError("string_input_producer requires a 1-D tensor of strings")
        if strings.shape.is_fully_defined() and strings.shape[0].value == 0:
            raise ValueError("string_input_producer requires a non-null input tensor")
        return input_producer(strings, [], num_epochs, shuffle, seed, capacity, shared_name,
                              "fraction_of_%d_full" % capacity, scope, cancel_op)


def range_input_producer(limit, num_epochs=None, shuffle=True, seed=None, capacity=32,
                         shared_name=None, name=None):
    """A queue of the integers 0 .. limit-1."""
    with ops.name_scope(name, "input_producer", [limit]) as scope:
        range_tensor = math_ops._range(limit)
        return input_producer(range_tensor, [], num_epochs, shuffle, seed, capacity,
                              shared_name, "fraction_of_%d_full" % capacity, scope)


def slice_input_producer(tensor_list, num_epochs=None, shuffle=True, seed=None, capacity=32,
                         shared_name=None, name=None):
    """One row of every tensor of ``tensor_list`` at a time (rows kept together)."""
    with ops.name_scope(name, "input_producer", tensor_list):
        tensor_list = [ops.convert_to_tensor(t) for t in tensor_list]
        if not tensor_list:
            raise ValueError("Expected at least one tensor in slice_input_producer().")
        size = array_ops.shape(tensor_list[0], out_type=dtypes.int32)[0]
        queue = range_input_producer(size, num_epochs=num_epochs, shuffle=shuffle, seed=seed,
                                     capacity=capacity, shared_name=shared_name)
        index = queue.dequeue()
        return [array_ops.gather(t, index) for t in tensor_list]


def _as_list(tensors):
    """(the tensors as a list, a function giving dequeued values the caller's form: a
    dict for a dict; else what dequeue gives, a lone tensor for one component as TF)."""
    if isinstance(tensors, dict):
        keys = sorted(tensors)
        return [tensors[k] for k in keys], lambda values: dict(zip(keys, values))
    flat = list(tensors) if isinstance(tensors, (list, tuple)) else [tensors]
    return flat, lambda values: values[0] if len(values) == 1 else list(values)


def _shapes(tensor_lists, shapes, enqueue_many):
    if shapes is not None:
        return [tensor_shape.as_shape(s) for s in shapes]
    out = []
    for column in zip(*tensor_lists):
        shape = column[0].shape[1:] if enqueue_many else column[0].shape
        for tensor in column[1:]:
            shape = shape.merge_with(tensor.shape[1:] if enqueue_many else tensor.shape)
        out.append(shape)
    return out


def _keep_input_tensor(keep_input, enqueue_many):
    """TF's checks of ``keep_input``: a bool scalar, or a vector with ``enqueue_many``."""
    keep = ops.convert_to_tensor(keep_input, dtype=dtypes.bool, name="keep_input")
    if keep.shape.ndims is None:
        raise ValueError("`keep_input` dimensions must be known at graph construction.")
    if not enqueue_many and keep.shape.ndims == 1:
        raise ValueError("`keep_input` cannot be a vector when `enqueue_many=False`.")
    if keep.shape.ndims > 1:
        raise ValueError("`keep_input` must be 0 or 1 dimensions.")
    return keep


def _enqueue(queue, tensors, enqueue_many, keep):
    """The enqueue op of one tensor list; with ``keep`` (TF's maybe_* batching) only the
    kept elements: a vector selects rows, a scalar enqueues or not (a cond)."""
    enqueue = queue.enqueue_many if enqueue_many else queue.enqueue
    if keep is None:
        return enqueue(tensors)
    if keep.shape.ndims == 1:
        return enqueue([array_ops.boolean_mask(t, keep) for t in tensors])
    from tfcompat.ops import control_flow_ops
    return control_flow_ops.cond(keep, lambda: enqueue(tensors), control_flow_ops.no_op)


def _batch(tensor_lists, batch_size, queue_maker, threads_per_list, enqueue_many,
           allow_smaller_final_batch, name, pack, fullness, keep=None):
    for tensors in tensor_lists:
        for tensor in tensors:
            if not isinstance(tensor, ops.Tensor):
                raise TypeError(f"Expected tensors, got {tensor!r}")
    queue = queue_maker()
    enqueue_ops = [_enqueue(queue, t, enqueue_many, keep)
                   for t in tensor_lists for _ in range(threads_per_list)]
    add_queue_runner(QueueRunner(queue, enqueue_ops))
    summary_name, fraction = fullness(math_ops.cast(queue.size(), dtypes.float32))
    summary.scalar(summary_name, fraction)
    dequeue = queue.dequeue_up_to if allow_smaller_final_batch else queue.dequeue_many
    values = dequeue(batch_size, name=name)
    return pack(values if isinstance(values, list) else [values])


def batch(tensors, batch_size, num_threads=1, capacity=32, enqueue_many=False, shapes=None,
          dynamic_pad=False, allow_smaller_final_batch=False, shared_name=None, name=None):
    """Batches of ``batch_size`` through a FIFOQueue (a PaddingFIFOQueue with
    ``dynamic_pad``), filled by ``num_threads`` threads."""
    flat, pack = _as_list(tensors)
    return batch_join([flat], batch_size, capacity, enqueue_many, shapes, dynamic_pad,
                      allow_smaller_final_batch, shared_name, name, _pack=pack,
                      _threads=num_threads)


def batch_join(tensors_list, batch_size, capacity=32, enqueue_many=False, shapes=None,
               dynamic_pad=False, allow_smaller_final_batch=False, shared_name=None,
               name=None, _pack=None, _threads=1, _keep_input=None):
    """Batches of elements from several tensor lists, one enqueueing thread each."""
    with ops.name_scope(name, "batch_join" if _pack is None else "batch") as scope:
        keep = None if _keep_input is None else _keep_input_tensor(_keep_input, enqueue_many)
        lists = [_as_list(t)[0] for t in tensors_list]
        pack = _pack or _as_list(tensors_list[0])[1]
        lists = [[ops.convert_to_tensor(t) for t in tensors] for tensors in lists]
        types = [t.dtype.base_dtype for t in lists[0]]
        shapes = _shapes(lists, shapes, enqueue_many)
        if dynamic_pad:
            def make():
                return data_flow_ops.PaddingFIFOQueue(capacity, types, shapes,
                                                      shared_name=shared_name)
        else:
            def make():
                return data_flow_ops.FIFOQueue(capacity, types, shapes,
                                               shared_name=shared_name)

        def fullness(size):
            return f"fraction_of_{capacity}_full", size * (1.0 / capacity)
        return _batch(lists, batch_size, make, _threads, enqueue_many,
                      allow_smaller_final_batch, scope, pack, fullness, keep)


def shuffle_batch(tensors, batch_size, capacity, min_after_dequeue, num_threads=1, seed=None,
                  enqueue_many=False, shapes=None, allow_smaller_final_batch=False,
                  shared_name=None, name=None):
    """Batches of random elements of a RandomShuffleQueue that keeps at least
    ``min_after_dequeue`` elements (until closed)."""
    flat, pack = _as_list(tensors)
    return shuffle_batch_join([flat], batch_size, capacity, min_after_dequeue, seed,
                              enqueue_many, shapes, allow_smaller_final_batch, shared_name,
                              name, _pack=pack, _threads=num_threads)


def shuffle_batch_join(tensors_list, batch_size, capacity, min_after_dequeue, seed=None,
                       enqueue_many=False, shapes=None, allow_smaller_final_batch=False,
                       shared_name=None, name=None, _pack=None, _threads=1,
                       _keep_input=None):
    with ops.name_scope(name, "shuffle_batch_join" if _pack is None else "shuffle_batch") \
            as scope:
        keep = None if _keep_input is None else _keep_input_tensor(_keep_input, enqueue_many)
        lists = [[ops.convert_to_tensor(t) for t in _as_list(t)[0]] for t in tensors_list]
        pack = _pack or _as_list(tensors_list[0])[1]
        types = [t.dtype.base_dtype for t in lists[0]]
        shapes = _shapes(lists, shapes, enqueue_many)

        def make():
            return data_flow_ops.RandomShuffleQueue(capacity, min_after_dequeue, types,
                                                    shapes, seed=seed,
                                                    shared_name=shared_name)

        def fullness(size):
            spare = capacity - min_after_dequeue
            return (f"fraction_over_{min_after_dequeue}_of_{spare}_full",
                    math_ops.maximum(0.0, size - min_after_dequeue) * (1.0 / spare))
        return _batch(lists, batch_size, make, _threads, enqueue_many,
                      allow_smaller_final_batch, scope, pack, fullness, keep)


def maybe_batch(tensors, keep_input, batch_size, num_threads=1, capacity=32,
                enqueue_many=False, shapes=None, dynamic_pad=False,
                allow_smaller_final_batch=False, shared_name=None, name=None):
    """``tf.train.batch`` enqueueing only the elements ``keep_input`` keeps (a bool scalar,
    or a vector over the rows with ``enqueue_many``)."""
    flat, pack = _as_list(tensors)
    return batch_join([flat], batch_size, capacity, enqueue_many, shapes, dynamic_pad,
                      allow_smaller_final_batch, shared_name, name, _pack=pack,
                      _threads=num_threads, _keep_input=keep_input)


def maybe_batch_join(tensors_list, keep_input, batch_size, capacity=32, enqueue_many=False,
                     shapes=None, dynamic_pad=False, allow_smaller_final_batch=False,
                     shared_name=None, name=None):
    """``tf.train.batch_join`` enqueueing only what ``keep_input`` keeps."""
    return batch_join(tensors_list, batch_size, capacity, enqueue_many, shapes, dynamic_pad,
                      allow_smaller_final_batch, shared_name, name, _keep_input=keep_input)


def maybe_shuffle_batch(tensors, batch_size, capacity, min_after_dequeue, keep_input,
                        num_threads=1, seed=None, enqueue_many=False, shapes=None,
                        allow_smaller_final_batch=False, shared_name=None, name=None):
    """``tf.train.shuffle_batch`` enqueueing only what ``keep_input`` keeps."""
    flat, pack = _as_list(tensors)
    return shuffle_batch_join([flat], batch_size, capacity, min_after_dequeue, seed,
                              enqueue_many, shapes, allow_smaller_final_batch, shared_name,
                              name, _pack=pack, _threads=num_threads, _keep_input=keep_input)


def maybe_shuffle_batch_join(tensors_list, batch_size, capacity, min_after_dequeue,
                             keep_input, seed=None, enqueue_many=False, shapes=None,
                             allow_smaller_final_batch=False, shared_name=None, name=None):
    """``tf.train.shuffle_batch_join`` enqueueing only what ``keep_input`` keeps."""
    return shuffle_batch_join(tensors_list, batch_size, capacity, min_after_dequeue, seed,
                              enqueue_many, shapes, allow_smaller_final_batch, shared_name,
                              name, _keep_input=keep_input)
