"""Sparse updates: the ``Scatter*`` / ``ScatterNd*`` ops that write rows of a variable in
place (TF 1.x ref semantics, like ``Assign``), the ``TensorScatter*`` ops that return an
updated copy of a tensor (differentiable), and ``tf.batch_scatter_update``.

Duplicate indices accumulate for add/sub/mul/div/min/max (``np.<ufunc>.at``); for update
the last write wins (TF leaves the order unspecified).
"""
import numpy as np

from tfcompat.framework import ops, tensor_shape
from tfcompat.framework.op_def import OpDef, format_shape, make_tensor, register_op
from tfcompat.ops import array_ops
from tfcompat.ops.array_ops import (_check_index_dtype, _check_indices_in_range, _invalid,
                                    _nd_index, _shape_text)
from tfcompat.ops.state_ops import _ref_of, variable_op_of, variable_reader


def _combine_into(kind, target, index, updates):
    """Writes ``updates`` into ``target`` (a fresh array) at ``index`` by ``kind``."""
    if kind == "update":
        target[index] = updates
    else:
        _UFUNCS[kind].at(target, index, updates)


_UFUNCS = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.divide,
           "min": np.minimum, "max": np.maximum}


def _merge_shapes(op, updates_shape, expected):
    """TF's shape-function Merge of the updates' shape with the one the indices imply."""
    if updates_shape.ndims is None or expected.ndims is None:
        return
    inputs = ", ".join(format_shape(t.shape) for t in op.inputs)
    where = f"for '{op.name}' (op: '{op.type}') with input shapes: {inputs}."
    if updates_shape.ndims != expected.ndims:
        raise ValueError(f"Shapes must be equal rank, but are {updates_shape.ndims} and "
                         f"{expected.ndims} {where}")
    pairs = zip(updates_shape.as_list(), expected.as_list(), strict=True)
    for axis, (got, want) in enumerate(pairs):
        if got is not None and want is not None and got != want:
            raise ValueError(f"Dimension {axis} in both shapes must be equal, but are {got} and "
                             f"{want}. Shapes are {format_shape(updates_shape)} and "
                             f"{format_shape(expected)}. {where}")


def _nd_expected_shape(indices_shape, target_shape):
    """indices.shape[:-1] + target.shape[indices.shape[-1]:] where it is known."""
    if indices_shape.ndims is None or target_shape.ndims is None:
        return tensor_shape.unknown_shape()
    depth = indices_shape[-1].value
    if depth is None:
        return tensor_shape.unknown_shape()
    return tensor_shape.TensorShape(indices_shape.as_list()[:-1]
                                    + target_shape.as_list()[depth:])


def _check_ref(op):
    ref, _, updates = op.inputs
    if not ref.dtype.is_ref_dtype:
        raise TypeError(f"'{op.type}' Op requires that input 'ref' be a mutable tensor "
                        f"(e.g. a tf.Variable); got {ref.name} of type {ref.dtype.name}")
    if ref.dtype.base_dtype != updates.dtype.base_dtype:
        raise TypeError(f"Input 'updates' of '{op.type}' Op has type "
                        f"{updates.dtype.base_dtype.name} that does not match type "
                        f"{ref.dtype.base_dtype.name} of argument 'ref'.")


class _ScatterRef(OpDef):
    """ref[indices, ...] (op)= updates on a variable; the output is the variable's ref."""

    mutates_state = True
    stateful = True
    ref_inputs = (0,)
    differentiable = False
    may_alias_input = True  # the output is the variable's new storage
    combine = None

    def infer(self, op):
        _check_ref(op)
        ref, indices, updates = op.inputs
        _check_index_dtype(op, indices, "Tindices")
        if updates.shape.ndims != 0 and ref.shape.ndims is not None \
                and indices.shape.ndims is not None:
            if ref.shape.ndims == 0:
                raise ValueError(f"Shape must be at least rank 1 but is rank 0 for '{op.name}' "
                                 f"(op: '{op.type}')")
            _merge_shapes(op, updates.shape, indices.shape.concatenate(ref.shape[1:]))
        return [(ref.shape, ref.dtype)]

    def kernel(self, op, ctx):
        var_op = variable_op_of(op.inputs[0])
        read = variable_reader(var_op, ctx)
        kind = self.combine

        def scatter(indices, updates):
            current = read()
            expected = indices.shape + current.shape[1:]
            if updates.ndim and updates.shape != expected:
                raise _invalid(op, f"Must have updates.shape = indices.shape + params.shape[1:] "
                               f"or updates.shape = [], got updates.shape "
                               f"{_shape_text(updates.shape)}, indices.shape "
                               f"{_shape_text(indices.shape)}, params.shape "
                               f"{_shape_text(current.shape)}")
            _check_indices_in_range(op, indices, current.shape[0])
            new_value = current.copy()
            _combine_into(kind, new_value, indices, updates)
            ctx.write_variable(var_op, new_value)
            return new_value
        return scatter


class _ScatterNdRef(_ScatterRef):
    """ref[indices[..., :]] (op)= updates, indices' last dim indexing ref's leading dims."""

    def infer(self, op):
        _check_ref(op)
        ref, indices, updates = op.inputs
        _check_index_dtype(op, indices, "Tindices")
        _merge_shapes(op, updates.shape, _nd_expected_shape(indices.shape, ref.shape))
        return [(ref.shape, ref.dtype)]

    def kernel(self, op, ctx):
        var_op = variable_op_of(op.inputs[0])
        read = variable_reader(var_op, ctx)
        kind = self.combine

        def scatter_nd(indices, updates):
            current = read()
            new_value = current.copy()
            _combine_into(kind, new_value, _checked_nd_index(op, current, indices, updates),
                          updates)
            ctx.write_variable(var_op, new_value)
            return new_value
        return scatter_nd


def _checked_nd_index(op, target, indices, updates):
    """The NumPy index of ScatterNd-style ``indices`` into ``target``, after TF's checks."""
    index = _nd_index(op, target.shape, indices)
    expected = indices.shape[:-1] + target.shape[indices.shape[-1]:]
    if updates.shape != expected:
        raise _invalid(op, f"updates.shape {_shape_text(updates.shape)} must equal "
                       f"indices.shape[:-1] + shape[indices.shape[-1]:] = "
                       f"{_shape_text(expected)}")
    return index


for _kind in ("update", "add", "sub", "mul", "div", "min", "max"):
    _name = "Scatter" + _kind.capitalize()
    register_op(type(_name, (_ScatterRef,), {
        "__doc__": f"ref[indices] {_kind} updates (``tf.scatter_{_kind}``).",
        "combine": _kind, "__module__": __name__}))
for _kind in ("update", "add", "sub"):
    _name = "ScatterNd" + _kind.capitalize()
    register_op(type(_name, (_ScatterNdRef,), {
        "__doc__": f"ref[indices[..., :]] {_kind} updates (``tf.scatter_nd_{_kind}``).",
        "combine": _kind, "__module__": __name__}))


class _TensorScatter(OpDef):
    """A copy of ``tensor`` with ``updates`` written (op) at ScatterNd-style ``indices``."""

    combine = None

    def infer(self, op):
        tensor, indices, updates = op.inputs
        _check_index_dtype(op, indices, "Tindices")
        if tensor.dtype.base_dtype != updates.dtype.base_dtype:
            raise TypeError(f"Input 'updates' of '{op.type}' Op has type "
                            f"{updates.dtype.base_dtype.name} that does not match type "
                            f"{tensor.dtype.base_dtype.name} of argument 'tensor'.")
        _merge_shapes(op, updates.shape, _nd_expected_shape(indices.shape, tensor.shape))
        return [(tensor.shape, tensor.dtype.base_dtype)]

    def kernel(self, op, ctx):
        kind = self.combine

        def tensor_scatter(tensor, indices, updates):
            out = tensor.copy()
            _combine_into(kind, out, _checked_nd_index(op, tensor, indices, updates), updates)
            return out
        return tensor_scatter

    def grad(self, op, dy):
        _, indices, updates = op.inputs
        picked = array_ops.gather_nd(dy, indices)
        if self.combine == "update":
            cleared = tensor_scatter_update(dy, indices, array_ops.zeros_like(updates))
            return [cleared, None, picked]
        if self.combine == "sub":
            from tfcompat.ops import math_ops
            picked = math_ops.negative(picked)
        return [dy, None, picked]


for _kind in ("update", "add", "sub"):
    _name = "TensorScatter" + _kind.capitalize()
    register_op(type(_name, (_TensorScatter,), {
        "__doc__": f"A copy of tensor with updates {_kind}-ed at indices "
                   f"(``tf.tensor_scatter_{_kind}``).",
        "combine": _kind, "__module__": __name__}))


def _ref_scatter_builder(op_type, default_locking):
    def builder(ref, indices, updates, use_locking=default_locking, name=None):
        ref = _ref_of(ref)
        indices = array_ops._as_int_tensor(indices)
        updates = ops.convert_to_tensor(updates, dtype=ref.dtype.base_dtype)
        return make_tensor(op_type, [ref, indices, updates], {"use_locking": bool(use_locking)},
                           name=name or op_type)
    builder.__doc__ = (f"``tf.{_snake(op_type)}(ref, indices, updates, "
                       f"use_locking={default_locking}, name=None)``: the ``{op_type}`` op.")
    return builder


def _snake(op_type):
    return "".join("_" + c.lower() if c.isupper() else c for c in op_type).lstrip("_")


scatter_update = _ref_scatter_builder("ScatterUpdate", True)
scatter_add = _ref_scatter_builder("ScatterAdd", False)
scatter_sub = _ref_scatter_builder("ScatterSub", False)
scatter_mul = _ref_scatter_builder("ScatterMul", False)
scatter_div = _ref_scatter_builder("ScatterDiv", False)
scatter_min = _ref_scatter_builder("ScatterMin", False)
scatter_max = _ref_scatter_builder("ScatterMax", False)
scatter_nd_update = _ref_scatter_builder("ScatterNdUpdate", True)
scatter_nd_add = _ref_scatter_builder("ScatterNdAdd", False)
scatter_nd_sub = _ref_scatter_builder("ScatterNdSub", False)


def _tensor_scatter_builder(op_type):
    def builder(tensor, indices, updates, name=None):
        tensor = ops.convert_to_tensor(tensor)
        indices = array_ops._as_int_tensor(indices)
        updates = ops.convert_to_tensor(updates, dtype=tensor.dtype.base_dtype)
        return make_tensor(op_type, [tensor, indices, updates], name=name or op_type)
    builder.__doc__ = f"``tf.tensor_scatter_nd_*(tensor, indices, updates, name=None)``: " \
                      f"the ``{op_type}`` op."
    return builder


tensor_scatter_update = _tensor_scatter_builder("TensorScatterUpdate")
tensor_scatter_add = _tensor_scatter_builder("TensorScatterAdd")
tensor_scatter_sub = _tensor_scatter_builder("TensorScatterSub")
tensor_scatter_nd_update = tensor_scatter_update
tensor_scatter_nd_add = tensor_scatter_add
tensor_scatter_nd_sub = tensor_scatter_sub


def batch_scatter_update(ref, indices, updates, use_locking=True, name=None):
    """``tf.batch_scatter_update``: ref[i..., indices[i..., j], ...] = updates[i..., j, ...]
    for the leading batch dims of ``indices`` (one ScatterNdUpdate, as TF builds it)."""
    with ops.name_scope(name, "BatchScatterUpdate", [ref, indices, updates]):
        ref = _ref_of(ref)
        indices = array_ops._as_int_tensor(indices, name="indices")
        rank = indices.shape.ndims
        if rank is None:
            raise ValueError("batch_scatter_update needs indices of known rank in tfcompat")
        if rank == 1:
            return scatter_update(ref, indices, updates, use_locking=use_locking)
        nd_indices = _batch_nd_indices(indices)
        return scatter_nd_update(ref, nd_indices, updates, use_locking=use_locking)


def _batch_nd_indices(indices):
    """[B..., K] indices -> [B..., K, rank] ScatterNd indices (batch coordinates + index)."""
    from tfcompat.ops import math_ops
    rank = indices.shape.ndims
    dims = array_ops.shape(indices, out_type=indices.dtype.base_dtype)
    coords = []
    for axis in range(rank - 1):
        size = array_ops.gather(dims, axis)
        along = math_ops._range(size)
        view = [1] * rank
        view[axis] = -1
        coords.append(array_ops.reshape(along, view) + array_ops.zeros_like(indices))
    return array_ops.stack(coords + [indices], axis=-1)


# The public builders re-exported as tf.*; extend when adding one.
__all__ = [
    "scatter_update", "scatter_add", "scatter_sub", "scatter_mul", "scatter_div",
    "scatter_min", "scatter_max", "scatter_nd_update", "scatter_nd_add", "scatter_nd_sub",
    "tensor_scatter_update", "tensor_scatter_add", "tensor_scatter_sub",
    "tensor_scatter_nd_update", "tensor_scatter_nd_add", "tensor_scatter_nd_sub",
    "batch_scatter_update",
]
