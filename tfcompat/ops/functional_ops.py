"""``tf.map_fn``, ``tf.scan``, ``tf.foldl``, ``tf.foldr`` (TF 1.x functional_ops): a
tf.while_loop over the first axis of (nested) ``elems``, read through TensorArrays."""
from tfcompat.framework import dtypes, nest, ops
from tfcompat.ops import array_ops, loop_ops
from tfcompat.ops.tensor_array_ops import TensorArray


def _unstacked(elems_flat):
    return [TensorArray(e.dtype, size=array_ops.shape(e)[0], dynamic_size=False,
                        infer_shape=True).unstack(e) for e in elems_flat]


def _elements(elems):
    flat = [ops.convert_to_tensor(e, name="elem") for e in nest.flatten(elems)]
    if not flat:
        raise ValueError("elems must not be empty")
    length = flat[0].shape[0].value if flat[0].shape.ndims else None
    count = array_ops.shape(flat[0])[0] if length is None else length
    return flat, count


def _fold(fn, elems, initializer, parallel_iterations, back_prop, swap_memory, name,
          reverse):
    default = "foldr" if reverse else "foldl"
    if not callable(fn):
        raise TypeError("fn must be callable.")
    with ops.name_scope(name, default, nest.flatten(elems)):
        flat, count = _elements(elems)
        arrays = _unstacked(flat)

        def element(i):
            return nest.pack_sequence_as(elems, [a.read(i) for a in arrays])
        if initializer is None:
            start = count - 1 if reverse else 0
            accumulator = element(start)
            i = start - 1 if reverse else 1
        else:
            accumulator = initializer
            i = count - 1 if reverse else 0

        def cond(i, _):
            return i >= 0 if reverse else i < count

        def body(i, acc):
            return (i - 1 if reverse else i + 1), fn(acc, element(i))
        return loop_ops.while_loop(cond, body, (i, accumulator),
                                   parallel_iterations=parallel_iterations,
                                   back_prop=back_prop, swap_memory=swap_memory)[1]


def foldl(fn, elems, initializer=None, parallel_iterations=10, back_prop=True,
          swap_memory=False, name=None):
    """``fn(acc, x)`` folded over ``elems`` from the first element (``tf.foldl``)."""
    return _fold(fn, elems, initializer, parallel_iterations, back_prop, swap_memory, name,
                 reverse=False)


def foldr(fn, elems, initializer=None, parallel_iterations=10, back_prop=True,
          swap_memory=False, name=None):
    """``fn(acc, x)`` folded over ``elems`` from the last element (``tf.foldr``)."""
    return _fold(fn, elems, initializer, parallel_iterations, back_prop, swap_memory, name,
                 reverse=True)


def _stacked(arrays, count):
    values = []
    for array in arrays:
        value = array.stack()
        if isinstance(count, int) and value.shape.ndims:
            value.set_shape([count] + value.shape.as_list()[1:])
        values.append(value)
    return values


def map_fn(fn, elems, dtype=None, parallel_iterations=None, back_prop=True,
           swap_memory=False, infer_shape=True, name=None):
    """``fn`` applied to each slice of ``elems`` along axis 0, results stacked (``tf.map_fn``;
    ``dtype`` gives the result structure when it differs from ``elems``)."""
    if not callable(fn):
        raise TypeError("fn must be callable.")
    with ops.name_scope(name, "map", nest.flatten(elems)):
        flat, count = _elements(elems)
        arrays = _unstacked(flat)
        out_structure = elems if dtype is None else dtype
        out_dtypes = ([e.dtype for e in flat] if dtype is None else
                      [dtypes.as_dtype(d) for d in nest.flatten(dtype)])
        size = count
        outputs = [TensorArray(d, size=size, dynamic_size=False, infer_shape=infer_shape)
                   for d in out_dtypes]

        def body(i, outs):
            value = fn(nest.pack_sequence_as(elems, [a.read(i) for a in arrays]))
            flat_value = nest.flatten(value)
            if len(flat_value) != len(outs):
                raise ValueError(f"The two structures don't have the same number of "
                                 f"elements: fn returned {len(flat_value)} values for "
                                 f"{len(outs)} outputs")
            return i + 1, [o.write(i, v) for o, v in zip(outs, flat_value)]
        _, outputs = loop_ops.while_loop(lambda i, _: i < count, body, (0, outputs),
                                         parallel_iterations=parallel_iterations or 10,
                                         back_prop=back_prop, swap_memory=swap_memory)
        return nest.pack_sequence_as(out_structure, _stacked(outputs, count))


def scan(fn, elems, initializer=None, parallel_iterations=10, back_prop=True,
         swap_memory=False, infer_shape=True, reverse=False, name=None):
    """The successive values of ``acc = fn(acc, x)`` over ``elems`` (``tf.scan``): without
    an ``initializer`` the first element starts the accumulator and is the first output."""
    if not callable(fn):
        raise TypeError("fn must be callable.")
    with ops.name_scope(name, "scan", nest.flatten(elems)):
        flat, count = _elements(elems)
        arrays = _unstacked(flat)

        def element(i):
            return nest.pack_sequence_as(elems, [a.read(i) for a in arrays])
        first = count - 1 if reverse else 0
        if initializer is None:
            accumulator, i = element(first), (first - 1 if reverse else 1)
        else:
            accumulator, i = initializer, first
        flat_acc = [ops.convert_to_tensor(a) for a in nest.flatten(accumulator)]
        outputs = [TensorArray(a.dtype, size=count, dynamic_size=False, infer_shape=infer_shape)
                   for a in flat_acc]
        if initializer is None:
            outputs = [o.write(first, a) for o, a in zip(outputs, flat_acc)]

        def body(i, acc, outs):
            acc = fn(nest.pack_sequence_as(accumulator, acc), element(i))
            flat_new = [ops.convert_to_tensor(a) for a in nest.flatten(acc)]
            return ((i - 1 if reverse else i + 1), flat_new,
                    [o.write(i, a) for o, a in zip(outs, flat_new)])

        def cond(i, acc, outs):
            return i >= 0 if reverse else i < count
        _, _, outputs = loop_ops.while_loop(cond, body, (i, flat_acc, outputs),
                                            parallel_iterations=parallel_iterations,
                                            back_prop=back_prop, swap_memory=swap_memory)
        return nest.pack_sequence_as(accumulator, _stacked(outputs, count))


def vectorized_map(fn, elems, fallback_to_while_loop=True):
    """``tf.vectorized_map(fn, elems)``: ``fn`` over the slices of ``elems`` along axis 0,
    results stacked. TF vectorises with pfor and falls back to a while loop; here it is the
    loop (``map_fn``) with the result structure read off ``fn`` applied to the first slice,
    so the values are the same."""
    with ops.name_scope(None, "vectorized_map"):
        first = nest.map_structure(lambda e: ops.convert_to_tensor(e)[0], elems)
        with ops.name_scope("structure"):
            probe = fn(first)
        structure = nest.map_structure(lambda t: ops.convert_to_tensor(t).dtype.base_dtype,
                                       probe)
        return map_fn(fn, elems, dtype=structure)


__all__ = ["foldl", "foldr", "map_fn", "scan", "vectorized_map"]
