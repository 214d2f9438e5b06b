"""Array manipulations beyond array_ops.py (TF's manip_ops / array_ops / sort_ops):
roll, where_v2, unravel_index, identity_n, ensure_shape, searchsorted, broadcast shapes,
sort/argsort, meshgrid, timestamp, guarantee_const, and the static helpers tf.is_tensor /
tf.dimension_value / tf.get_static_value / tf.hessians. (reverse_sequence, bitcast and the
fixed-width histograms come from h-apiio's array_ops_extra.py.)"""
import numpy as np

from tfcompat.framework import dtypes, errors, ops, tensor_shape
from tfcompat.framework.op_def import (OpDef, broadcast_shapes, constant_value, format_shape,
                                       make_op, make_tensor, register_op)
from tfcompat.ops import array_ops, math_ops


def _int_input(op, index, name):
    dtype = op.inputs[index].dtype.base_dtype
    if dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError(f"Value passed to parameter '{name}' has DataType {dtype.name} not in "
                        "list of allowed values: int32, int64")


@register_op
class Roll(OpDef):
    """Elements shifted cyclically by ``shift`` along ``axis`` (both scalars or vectors;
    repeated axes add up) (``tf.roll``); the gradient rolls dy back."""

    def infer(self, op):
        x, shift, axis = op.inputs
        _int_input(op, 1, "shift")
        _int_input(op, 2, "axis")
        if shift.shape.ndims is not None and axis.shape.ndims is not None and (
                shift.shape.ndims > 1 or axis.shape.ndims > 1):
            raise ValueError(f"Shape must be at most rank 1 for '{op.name}' (op: 'Roll')")
        return [(x.shape, x.dtype.base_dtype)]

    def kernel(self, op, ctx):
        def roll(x, shift, axis):
            shift, axis = np.atleast_1d(shift), np.atleast_1d(axis)
            if shift.shape != axis.shape:
                raise errors.InvalidArgumentError(
                    None, op, f"shift and axis must have the same size\n\t [[node {op.name}]]")
            if np.any((axis < -x.ndim) | (axis >= x.ndim)):
                raise errors.InvalidArgumentError(
                    None, op, f"axis {int(axis[0])} is out of range\n\t [[node {op.name}]]")
            return np.roll(x, tuple(int(s) for s in shift), tuple(int(a) for a in axis))
        return roll

    def grad(self, op, dy):
        shift, axis = op.inputs[1:]
        return [roll(dy, math_ops.negative(shift), axis), None, None]


def roll(input, shift, axis, name=None):  # noqa: A002
    """``tf.roll(input, shift, axis, name=None)``."""
    return make_tensor("Roll", [ops.convert_to_tensor(input), array_ops._as_int_tensor(shift),
                                array_ops._as_int_tensor(axis)], name=name or "Roll")


@register_op
class SelectV2(OpDef):
    """x where ``condition`` else y, all three broadcast together (``tf.where_v2``); the
    gradients go to the taken side, summed back to each operand's shape."""

    def infer(self, op):
        condition, x, y = op.inputs
        if condition.dtype.base_dtype != dtypes.bool:
            raise TypeError(f"Value passed to parameter 'condition' has DataType "
                            f"{condition.dtype.base_dtype.name} not in list of allowed "
                            "values: bool")
        dtype = math_ops._check_same_dtype(_Operands(op, 1), ("t", "e"))
        shape = broadcast_shapes(op, broadcast_shapes(op, condition.shape, x.shape), y.shape)
        return [(shape, dtype)]

    def kernel(self, op, ctx):
        return lambda condition, x, y: np.where(condition, x, y)

    def grad(self, op, dz):
        condition, x, y = op.inputs
        zeros = array_ops.zeros_like(dz)
        return [None, _sum_to_shape(where_v2(condition, dz, zeros), x),
                _sum_to_shape(where_v2(condition, zeros, dz), y)]


class _Operands:
    """The op seen from input ``start`` on (for dtype checks of trailing operands)."""

    def __init__(self, op, start):
        self.inputs = op.inputs[start:]
        self.type = op.type


def _sum_to_shape(grad, x):
    axes = math_ops._static_reduction_axes(x.shape, grad.shape, grad.shape)
    if axes is not None:
        return math_ops._sum_to(grad, x, axes)
    shape_x = array_ops.shape(x)
    axes_x, _ = make_op("BroadcastGradientArgs", [shape_x, array_ops.shape(grad)]).outputs
    return array_ops.reshape(math_ops.reduce_sum(grad, axes_x), shape_x)


def where_v2(condition, x=None, y=None, name=None):
    """``tf.where_v2(condition, x=None, y=None)``: SelectV2 with broadcasting, or the
    coordinates of true entries when x and y are None."""
    if x is None and y is None:
        return math_ops.where(condition, name=name)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    with ops.name_scope(name, "SelectV2", [condition, x, y]) as scope:
        condition = ops.convert_to_tensor(condition, name="condition", dtype=dtypes.bool)
        x, y = math_ops._binary_operands(x, y, names=("t", "e"))
        return make_tensor("SelectV2", [condition, x, y], name=scope)


@register_op
class UnravelIndex(OpDef):
    """The coordinates in an array of shape ``dims`` of each flat index (``tf.unravel_index``):
    shape [len(dims)] for a scalar index, [len(dims), n] for n indices."""

    differentiable = False

    def infer(self, op):
        indices, dims = op.inputs
        _int_input(op, 0, "indices")
        rank = dims.shape[0].value if dims.shape.ndims == 1 else None
        if indices.shape.ndims == 0:
            return [(tensor_shape.TensorShape([rank]), indices.dtype.base_dtype)]
        count = indices.shape[0].value if indices.shape.ndims == 1 else None
        return [(tensor_shape.TensorShape([rank, count]), indices.dtype.base_dtype)]

    def kernel(self, op, ctx):
        def unravel(indices, dims):
            size = int(np.prod(dims))
            if np.any((indices < 0) | (indices >= size)):
                raise errors.InvalidArgumentError(
                    None, op, f"index out of bounds for dims {list(dims)}\n\t [[node "
                    f"{op.name}]]")
            return np.array(np.unravel_index(indices, tuple(int(d) for d in dims)),
                            dtype=indices.dtype)
        return unravel


def unravel_index(indices, dims, name=None):
    """``tf.unravel_index(indices, dims, name=None)``."""
    indices = array_ops._as_int_tensor(indices)
    dims = ops.convert_to_tensor(dims, dtype=indices.dtype.base_dtype)
    return make_tensor("UnravelIndex", [indices, dims], name=name or "UnravelIndex")


@register_op
class IdentityN(OpDef):
    """Its inputs passed through as outputs (``tf.identity_n``)."""

    may_alias_input = True

    def infer(self, op):
        return [(t.shape, t.dtype.base_dtype) for t in op.inputs]

    def kernel(self, op, ctx):
        return lambda *values: tuple(values)

    def grad(self, op, *grads):
        return list(grads)


def identity_n(input, name=None):  # noqa: A002
    """``tf.identity_n(input, name=None)``: a list of identities of the tensors in input."""
    tensors = [ops.convert_to_tensor(t) for t in input]
    return list(make_op("IdentityN", tensors, name=name or "IdentityN").outputs)


@register_op
class EnsureShape(OpDef):
    """The input, checked at run time against ``shape`` (None dims match anything), whose
    static shape it refines (``tf.ensure_shape``); the gradient passes through."""

    may_alias_input = True
    side_effects = True

    def infer(self, op):
        x = op.inputs[0]
        wanted = op.attrs["shape"]
        if not x.shape.is_compatible_with(wanted):
            raise ValueError(f"Shape must be {format_shape(wanted)} but is "
                             f"{format_shape(x.shape)} for '{op.name}' (op: 'EnsureShape')")
        return [(x.shape.merge_with(wanted), x.dtype.base_dtype)]

    def kernel(self, op, ctx):
        wanted = op.attrs["shape"]

        def ensure_shape(x):
            if not tensor_shape.TensorShape(list(x.shape)).is_compatible_with(wanted):
                raise errors.InvalidArgumentError(
                    None, op, f"Shape of tensor {op.inputs[0].name.split(':')[0]} "
                    f"{list(x.shape)} is not compatible with expected shape "
                    f"{format_shape(wanted)}.\n\t [[node {op.name}]]")
            return x
        return ensure_shape

    def grad(self, op, dy):
        return [dy]


def ensure_shape(x, shape, name=None):
    """``tf.ensure_shape(x, shape, name=None)``."""
    shape = shape if isinstance(shape, tensor_shape.TensorShape) else \
        tensor_shape.TensorShape(shape)
    return make_tensor("EnsureShape", [ops.convert_to_tensor(x)], {"shape": shape},
                       name=name or "EnsureShape")


class _Bound(OpDef):
    """For each row of ``values``, the insertion points into the matching sorted row of
    ``sorted_inputs`` (both [..., N] with equal leading dims); ``side`` as searchsorted's."""

    differentiable = False
    side = None

    def infer(self, op):
        sorted_inputs, values = op.inputs
        math_ops._check_same_dtype(op, ("sorted_inputs", "values"))
        return [(values.shape, op.attrs["out_type"])]

    def kernel(self, op, ctx):
        side, out_type = self.side, op.attrs["out_type"].as_numpy_dtype

        def bound(sorted_inputs, values):
            if sorted_inputs.shape[:-1] != values.shape[:-1]:
                raise errors.InvalidArgumentError(
                    None, op, "Leading dim_size of both tensors must match.\n\t [[node "
                    f"{op.name}]]")
            rows = sorted_inputs.reshape(-1, sorted_inputs.shape[-1])
            queries = values.reshape(-1, values.shape[-1])
            out = np.stack([np.searchsorted(r, q, side=side) for r, q in zip(
                rows, queries, strict=True)]) if len(rows) else np.zeros(queries.shape)
            return out.reshape(values.shape).astype(out_type)
        return bound


@register_op
class LowerBound(_Bound):
    side = "left"


@register_op
class UpperBound(_Bound):
    side = "right"


def searchsorted(sorted_sequence, values, side="left", out_type=dtypes.int32, name=None):
    """``tf.searchsorted(sorted_sequence, values, side='left', out_type=tf.int32)``."""
    if side not in ("left", "right"):
        raise ValueError(f"side must be either 'right' or 'left'.  Saw: {side}.")
    sorted_sequence = ops.convert_to_tensor(sorted_sequence, name="sorted_sequence")
    values = ops.convert_to_tensor(values, name="values",
                                   dtype=sorted_sequence.dtype.base_dtype)
    op_type = "LowerBound" if side == "left" else "UpperBound"
    return make_tensor(op_type, [sorted_sequence, values],
                       {"out_type": dtypes.as_dtype(out_type)}, name=name or op_type)


@register_op
class BroadcastArgs(OpDef):
    """The broadcast shape of two shape vectors (``tf.broadcast_dynamic_shape``)."""

    differentiable = False

    def infer(self, op):
        s0, s1 = op.inputs
        sizes = [s.shape[0].value if s.shape.ndims == 1 else None for s in (s0, s1)]
        rank = None if None in sizes else max(sizes)
        return [(tensor_shape.TensorShape([rank]), s0.dtype.base_dtype)]

    def kernel(self, op, ctx):
        def broadcast_args(s0, s1):
            try:
                shape = np.broadcast_shapes(tuple(int(d) for d in s0), tuple(int(d) for d in s1))
            except ValueError:
                raise errors.InvalidArgumentError(
                    None, op, f"Incompatible shapes: {list(s0)} vs. {list(s1)}\n\t [[node "
                    f"{op.name}]]") from None
            return np.array(shape, dtype=s0.dtype)
        return broadcast_args


def broadcast_dynamic_shape(shape_x, shape_y):
    """``tf.broadcast_dynamic_shape(shape_x, shape_y)``."""
    shape_x = array_ops._as_int_tensor(shape_x)
    shape_y = ops.convert_to_tensor(shape_y, dtype=shape_x.dtype.base_dtype)
    return make_tensor("BroadcastArgs", [shape_x, shape_y], name="BroadcastArgs")


def broadcast_static_shape(shape_x, shape_y):
    """``tf.broadcast_static_shape``: the broadcast TensorShape; ValueError when the shapes
    cannot broadcast."""
    try:
        return broadcast_shapes(_NamedOp("broadcast_static_shape"), shape_x, shape_y)
    except ValueError:
        raise ValueError(f"Incompatible shapes for broadcasting: {shape_x} and {shape_y}") \
            from None


class _NamedOp:
    def __init__(self, name):
        self.name = self.type = name


@register_op
class Timestamp(OpDef):
    """Seconds since the epoch as float64, when the op runs (``tf.timestamp``)."""

    differentiable = False
    stateful = True

    def infer(self, op):
        return [(tensor_shape.TensorShape([]), dtypes.float64)]

    def kernel(self, op, ctx):
        import time
        return lambda: np.float64(time.time())


def timestamp(name=None):
    """``tf.timestamp(name=None)``."""
    return make_tensor("Timestamp", [], name=name or "Timestamp")


@register_op
class GuaranteeConst(OpDef):
    """The input, promised constant over the session's life (``tf.guarantee_const``); TF
    gives it no gradient."""

    differentiable = False
    may_alias_input = True

    def infer(self, op):
        return [(op.inputs[0].shape, op.inputs[0].dtype.base_dtype)]

    def kernel(self, op, ctx):
        return lambda x: x


def guarantee_const(input, name=None):  # noqa: A002
    """``tf.guarantee_const(input, name=None)``."""
    return make_tensor("GuaranteeConst", [ops.convert_to_tensor(input)],
                       name=name or "GuaranteeConst")


def parallel_stack(values, name="parallel_stack"):
    """``tf.parallel_stack(values)``: tf.stack's result (the values' shapes must be known,
    as TF requires)."""
    values = [ops.convert_to_tensor(v) for v in values]
    for value in values:
        if not value.shape.is_fully_defined():
            raise ValueError(f"Cannot parallel_stack tensors with unknown shape: "
                             f"{value.shape}")
    return array_ops.stack(values, name=name)


def _sort_keys(values, direction):
    """Values whose descending order is ``direction``'s order of ``values``."""
    if direction == "DESCENDING":
        return values
    if direction != "ASCENDING":
        raise ValueError(f"Unknown direction: {direction}")
    if values.dtype.is_integer:
        return array_ops.constant(-1, dtype=values.dtype.base_dtype) - values
    return math_ops.negative(values)


def _sort_along(values, axis, direction, want_indices):
    """top_k over the last axis, with ``axis`` moved there and back (TF's sort_ops)."""
    values = ops.convert_to_tensor(values, name="values")
    rank = values.shape.ndims
    if rank is None:
        raise ValueError("tfcompat: sort needs the rank of values")
    axis = axis % rank
    perm = list(range(rank))
    perm[axis], perm[-1] = perm[-1], perm[axis]
    moved = array_ops.transpose(values, perm) if axis != rank - 1 else values
    size = moved.shape[-1].value
    k = size if size is not None else array_ops.shape(moved)[-1]
    keys = _sort_keys(moved, direction)
    top_values, top_indices = math_ops.top_k(keys, k=k, sorted=True)
    result = top_indices if want_indices else (
        top_values if direction == "DESCENDING" else _sort_keys(top_values, direction))
    return array_ops.transpose(result, perm) if axis != rank - 1 else result


def sort(values, axis=-1, direction="ASCENDING", name=None):
    """``tf.sort(values, axis=-1, direction='ASCENDING')``."""
    with ops.name_scope(name, "sort", [values]):
        return _sort_along(values, axis, direction, want_indices=False)


def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None):
    """``tf.argsort(values, axis=-1, direction='ASCENDING', stable=False)``: int32 indices
    (ties keep their order, so the sort is stable either way)."""
    with ops.name_scope(name, "argsort", [values]):
        return _sort_along(values, axis, direction, want_indices=True)


def meshgrid(*args, **kwargs):
    """``tf.meshgrid(*args, indexing='xy', name=None)``: N-D coordinate arrays."""
    indexing = kwargs.pop("indexing", "xy")
    name = kwargs.pop("name", "meshgrid")
    if kwargs:
        raise TypeError(f"'{next(iter(kwargs))}' is an invalid keyword argument for this "
                        "function")
    if indexing not in ("xy", "ij"):
        raise ValueError("indexing parameter must be either 'xy' or 'ij'")
    with ops.name_scope(name, "meshgrid", list(args)):
        vectors = [array_ops.reshape(ops.convert_to_tensor(a), [-1]) for a in args]
        count = len(vectors)
        outputs = []
        for index, vector in enumerate(vectors):
            shape = [1] * count
            shape[index] = -1
            outputs.append(array_ops.reshape(vector, shape))
        if indexing == "xy" and count > 1:
            outputs[0] = array_ops.reshape(vectors[0], [1, -1] + [1] * (count - 2))
            outputs[1] = array_ops.reshape(vectors[1], [-1, 1] + [1] * (count - 2))
        sizes = [v.shape[0].value if v.shape[0].value is not None else array_ops.size(v)
                 for v in vectors]
        if indexing == "xy" and count > 1:
            sizes[0], sizes[1] = sizes[1], sizes[0]
        if not all(isinstance(size, int) for size in sizes):
            sizes = array_ops.stack([ops.convert_to_tensor(size) for size in sizes])
        dtype = vectors[0].dtype.base_dtype
        filled = array_ops.ones(sizes, dtype=dtype)
        return [o * filled for o in outputs]


def arg_max(input, dimension, output_type=dtypes.int64, name=None):  # noqa: A002
    """``tf.arg_max(input, dimension, output_type=tf.int64)`` (TF's deprecated ArgMax)."""
    return math_ops.argmax(input, axis=dimension, output_type=output_type, name=name)


def arg_min(input, dimension, output_type=dtypes.int64, name=None):  # noqa: A002
    """``tf.arg_min(input, dimension, output_type=tf.int64)`` (TF's deprecated ArgMin)."""
    return math_ops.argmin(input, axis=dimension, output_type=output_type, name=name)


def is_tensor(x):
    """``tf.is_tensor``: a Tensor, or an object standing for one (a Variable)."""
    return isinstance(x, ops.Tensor) or hasattr(x, "_as_graph_element")


def dimension_value(dimension):
    """``tf.dimension_value``: the int (or None) of a Dimension; ints pass through."""
    return dimension.value if isinstance(dimension, tensor_shape.Dimension) else dimension


def dimension_at_index(shape, index):
    """``tf.dimension_at_index``: the Dimension at ``index`` (unknown for unknown rank)."""
    shape = tensor_shape.TensorShape(shape) if not isinstance(
        shape, tensor_shape.TensorShape) else shape
    if shape.ndims is None:
        return tensor_shape.Dimension(None)
    return shape.dims[index]


def get_static_value(tensor, partial=False):
    """``tf.get_static_value``: the NumPy value of ``tensor`` when known at graph
    construction, else None."""
    if not is_tensor(tensor):
        return np.asarray(tensor)
    return constant_value(ops.convert_to_tensor(tensor))


def hessians(ys, xs, name="hessians", colocate_gradients_with_ops=False,
             gate_gradients=False, aggregation_method=None):
    """``tf.hessians(ys, xs)``: for each x, the second derivatives of sum(ys) shaped
    x.shape + x.shape, one gradient per element of x (so x's size must be static)."""
    from tfcompat.ops.gradients_impl import gradients
    xs = [xs] if isinstance(xs, ops.Tensor) or hasattr(xs, "_as_graph_element") else list(xs)
    results = []
    with ops.name_scope(name, "hessians", list(xs)):
        for x, grad in zip(xs, gradients(ys, xs), strict=True):
            x = ops.convert_to_tensor(x)
            if not x.shape.is_fully_defined():
                raise ValueError("tfcompat: tf.hessians needs the shapes of xs to be known")
            flat = array_ops.reshape(grad, [-1])
            rows = []
            for i in range(x.shape.num_elements()):
                second = gradients(flat[i], x)[0]
                rows.append(array_ops.zeros_like(x) if second is None else second)
            stacked = array_ops.stack(rows)
            results.append(array_ops.reshape(stacked, x.shape.as_list() * 2))
    return results


__all__ = [
    "roll", "where_v2", "unravel_index", "identity_n", "ensure_shape", "searchsorted",
    "broadcast_dynamic_shape", "broadcast_static_shape", "sort", "argsort", "meshgrid",
    "arg_max", "arg_min",
    "is_tensor", "dimension_value", "dimension_at_index", "get_static_value", "hessians",
    "timestamp", "guarantee_const", "parallel_stack",
]
