"""Set operations over the last dimension (``tf.sets``) and ``tf.edit_distance``.

A tensor of rank n holds one set per index of its first n - 1 dimensions: for a dense
tensor every entry of the last dimension is an element (duplicates collapse), for a
SparseTensor only the entries present. Results are SparseTensors whose rows list each
set's elements in increasing order, the last dimension as long as the largest result, as
TF's DenseToDenseSetOperation / DenseToSparseSetOperation / SparseToSparseSetOperation and
SetSize compute them. ``edit_distance`` compares the sequences of two SparseTensors group
by group (Levenshtein distance, optionally divided by the truth's length).
"""
import numpy as np

from tfcompat.framework import dtypes, tensor_shape
from tfcompat.framework.op_def import OpDef, make_op, make_tensor, register_op
from tfcompat.ops.array_ops import _invalid
from tfcompat.ops.sparse_tensor import SparseTensor, convert_to_tensor_or_sparse_tensor

__all__ = ["set_size", "set_intersection", "set_union", "set_difference", "edit_distance"]

_SET_DTYPES = (dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64, dtypes.uint8,
               dtypes.uint16, dtypes.string)
_OPERATIONS = ("a-b", "b-a", "intersection", "union")


def _dense_groups(values):
    """{leading index tuple: set of elements} of a dense tensor (every row present)."""
    rows = values.reshape(-1, values.shape[-1]) if values.ndim else values.reshape(1, 1)
    positions = np.ndindex(*values.shape[:-1])
    return {position: set(row.tolist()) for position, row in zip(positions, rows)}


def _sparse_groups(op, indices, values, shape):
    """{leading index tuple: set of elements} of a SparseTensor's present entries."""
    if indices.size and (np.any(indices < 0) or np.any(indices >= shape)):
        raise _invalid(op, "Invalid indices: an index is out of the dense shape "
                       f"{shape.tolist()}")
    groups = {}
    for index, value in zip(indices.tolist(), values.tolist()):
        groups.setdefault(tuple(index[:-1]), set()).add(value)
    return groups


def _combine(operation, first, second):
    if operation == "intersection":
        return first & second
    if operation == "union":
        return first | second
    return first - second if operation == "a-b" else second - first


def _sets_result(groups, leading_shape, dtype):
    """(indices, values, dense_shape) of sorted sets per leading index, row-major."""
    indices, values, longest = [], [], 0
    for position in sorted(groups):
        members = sorted(groups[position])
        longest = max(longest, len(members))
        for column, member in enumerate(members):
            indices.append(list(position) + [column])
            values.append(member)
    rank = len(leading_shape) + 1
    out_values = np.empty(len(values), dtype=object if dtype == dtypes.string
                          else dtype.as_numpy_dtype)
    out_values[:] = values
    return (np.array(indices, np.int64).reshape(-1, rank), out_values,
            np.array(list(leading_shape) + [longest], np.int64))


def _sparse_outputs(rank, dtype):
    return [(tensor_shape.TensorShape([None, rank]), dtypes.int64),
            (tensor_shape.TensorShape([None]), dtype),
            (tensor_shape.TensorShape([rank]), dtypes.int64)]


class _SetOperation(OpDef):
    """The shared kernel; subclasses say which inputs are sparse."""

    differentiable = False
    dynamic_output_shape = True
    first_sparse = False
    second_sparse = False

    def _ranks(self, op):
        """The static ranks of both operands (a SparseTensor's from its dense_shape)."""
        def rank(tensor, sparse):
            return tensor.shape[0].value if sparse else tensor.shape.ndims
        first = rank(op.inputs[2] if self.first_sparse else op.inputs[0], self.first_sparse)
        return first, rank(op.inputs[-1], self.second_sparse)

    def infer(self, op):
        first, second = self._ranks(op)
        if first is not None and second is not None and first != second:
            raise ValueError(f"Shapes must be equal rank, but are {first} and {second} for "
                             f"'{op.name}' (op: '{op.type}')")
        if not (self.first_sparse or self.second_sparse):
            a, b = op.inputs[0].shape, op.inputs[1].shape
            if a.ndims is not None and b.ndims is not None:
                for axis, (x, y) in enumerate(zip(a.as_list()[:-1], b.as_list()[:-1])):
                    if x is not None and y is not None and x != y:
                        raise ValueError(
                            f"Dimension {axis} in both shapes must be equal, but are {x} and "
                            f"{y}. Shapes are {a[:-1]} and {b[:-1]}. for '{op.name}' "
                            f"(op: '{op.type}')")
        dtype = op.attrs["T"]
        return _sparse_outputs(first if first is not None else second, dtype)

    def kernel(self, op, ctx):
        operation = op.attrs["set_operation"]
        dtype = op.attrs["T"]

        def set_operation(*inputs):
            if self.first_sparse:
                first_shape = inputs[2]
                first = _sparse_groups(op, *inputs[:3])
                rest = inputs[3:]
            else:
                first_shape = np.array(inputs[0].shape, np.int64)
                first = _dense_groups(inputs[0])
                rest = inputs[1:]
            if self.second_sparse:
                second_shape = rest[2]
                second = _sparse_groups(op, *rest)
            else:
                second_shape = np.array(rest[0].shape, np.int64)
                second = _dense_groups(rest[0])
            if first_shape.size != second_shape.size:
                raise _invalid(op, "Shapes must be equal rank, got "
                               f"{first_shape.tolist()} and {second_shape.tolist()}")
            leading = np.maximum(first_shape[:-1], second_shape[:-1])
            groups = {}
            for position in set(first) | set(second):
                combined = _combine(operation, first.get(position, set()),
                                    second.get(position, set()))
                if combined:
                    groups[position] = combined
            return _sets_result(groups, leading.tolist(), dtype)
        return set_operation


@register_op
class DenseToDenseSetOperation(_SetOperation):
    """A set operation between two dense tensors."""


@register_op
class DenseToSparseSetOperation(_SetOperation):
    """A set operation between a dense tensor and a SparseTensor."""

    second_sparse = True


@register_op
class SparseToSparseSetOperation(_SetOperation):
    """A set operation between two SparseTensors."""

    first_sparse = True
    second_sparse = True


@register_op
class SetSize(OpDef):
    """The number of distinct elements of each set of a SparseTensor (int32)."""

    differentiable = False
    shape_determining_inputs = (2,)

    def infer(self, op):
        rank = op.inputs[2].shape[0].value
        return [(tensor_shape.unknown_shape() if rank is None
                 else tensor_shape.unknown_shape(rank - 1), dtypes.int32)]

    def kernel(self, op, ctx):
        def set_size(indices, values, shape):
            sizes = np.zeros(shape[:-1], np.int32)
            for position, members in _sparse_groups(op, indices, values, shape).items():
                sizes[position] = len(members)
            return sizes
        return set_size


def _as_set_operand(value, name):
    value = convert_to_tensor_or_sparse_tensor(value, name=name)
    if value.dtype.base_dtype not in _SET_DTYPES:
        raise TypeError(f"'{name}' has invalid dtype `{value.dtype!r}` not in supported "
                        f"dtypes: `{frozenset(_SET_DTYPES)!r}`.")
    return value


def _set_operation(a, b, operation, validate_indices):
    a, b = _as_set_operand(a, "a"), _as_set_operand(b, "b")
    if a.dtype.base_dtype != b.dtype.base_dtype:
        raise TypeError(f"Types don't match, {a.dtype!r} vs {b.dtype!r}.")
    if isinstance(a, SparseTensor) and not isinstance(b, SparseTensor):
        a, b = b, a  # TF puts the dense operand first and flips a difference
        operation = {"a-b": "b-a", "b-a": "a-b"}.get(operation, operation)
    parts, op_type = [], "DenseToDenseSetOperation"
    for operand in (a, b):
        if isinstance(operand, SparseTensor):
            parts += [operand.indices, operand.values, operand.dense_shape]
        else:
            parts.append(operand)
    if isinstance(a, SparseTensor):
        op_type = "SparseToSparseSetOperation"
    elif isinstance(b, SparseTensor):
        op_type = "DenseToSparseSetOperation"
    op = make_op(op_type, parts, {"set_operation": operation, "T": a.dtype.base_dtype,
                                  "validate_indices": bool(validate_indices)}, name=op_type)
    return SparseTensor(*op.outputs)


def set_size(a, validate_indices=True):
    """``tf.sets.set_size(a)``: the number of distinct elements in each set of the
    SparseTensor ``a`` (its last dimension), as int32."""
    if not isinstance(a, SparseTensor) and not hasattr(a, "dense_shape"):
        raise TypeError("Expected `SparseTensor`, got %s." % a)
    a = convert_to_tensor_or_sparse_tensor(a)
    if a.dtype.base_dtype not in _SET_DTYPES:
        raise TypeError(f"Invalid dtype {a.dtype!r}.")
    return make_tensor("SetSize", [a.indices, a.values, a.dense_shape],
                       {"T": a.dtype.base_dtype, "validate_indices": bool(validate_indices)},
                       name="SetSize")


def set_intersection(a, b, validate_indices=True):
    """``tf.sets.set_intersection(a, b)``: the elements in both sets, as a SparseTensor."""
    return _set_operation(a, b, "intersection", validate_indices)


def set_union(a, b, validate_indices=True):
    """``tf.sets.set_union(a, b)``: the elements in either set, as a SparseTensor."""
    return _set_operation(a, b, "union", validate_indices)


def set_difference(a, b, aminusb=True, validate_indices=True):
    """``tf.sets.set_difference(a, b, aminusb=True)``: a - b (or b - a), as a
    SparseTensor."""
    return _set_operation(a, b, "a-b" if aminusb else "b-a", validate_indices)


# ---- edit distance -------------------------------------------------------------------------
def _levenshtein(first, second):
    previous = np.arange(len(second) + 1)
    for i, item in enumerate(first, 1):
        current = np.empty_like(previous)
        current[0] = i
        for j, other in enumerate(second, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1,
                             previous[j - 1] + (item != other))
        previous = current
    return int(previous[-1])


def _sequences(indices, values):
    groups = {}
    for index, value in sorted(zip(map(tuple, indices.tolist()), values.tolist())):
        groups.setdefault(index[:-1], []).append(value)
    return groups


@register_op
class EditDistance(OpDef):
    """Levenshtein distances between the sequences of two SparseTensors, one per leading
    index (``tf.edit_distance``); normalised by the truth's length (inf for an empty truth
    against a non-empty hypothesis)."""

    differentiable = False
    shape_determining_inputs = (2, 5)

    def infer(self, op):
        rank = op.inputs[2].shape[0].value or op.inputs[5].shape[0].value
        return [(tensor_shape.unknown_shape() if rank is None
                 else tensor_shape.unknown_shape(rank - 1), dtypes.float32)]

    def kernel(self, op, ctx):
        normalize = op.attrs["normalize"]

        def edit_distance(h_indices, h_values, h_shape, t_indices, t_values, t_shape):
            if h_shape.size != t_shape.size:
                raise _invalid(op, "hypothesis and truth must have the same rank, got "
                               f"{h_shape.size} and {t_shape.size}")
            out = np.zeros(np.maximum(h_shape, t_shape)[:-1], np.float32)
            hypotheses = _sequences(h_indices, h_values)
            truths = _sequences(t_indices, t_values)
            with np.errstate(divide="ignore", invalid="ignore"):
                for position in set(hypotheses) | set(truths):
                    hypothesis = hypotheses.get(position, [])
                    truth = truths.get(position, [])
                    distance = np.float32(_levenshtein(hypothesis, truth))
                    if normalize:
                        distance = distance / np.float32(len(truth)) if truth else \
                            np.float32(np.inf if hypothesis else 0)
                    out[position] = distance
            return out
        return edit_distance


def edit_distance(hypothesis, truth, normalize=True, name="edit_distance"):
    """``tf.edit_distance(hypothesis, truth, normalize=True)``: float32 distances of
    shape ``max(hypothesis.dense_shape, truth.dense_shape)[:-1]``."""
    for value, what in ((hypothesis, "Hypothesis"), (truth, "Truth")):
        if not isinstance(value, SparseTensor) and not hasattr(value, "dense_shape"):
            raise TypeError(f"{what} must be a SparseTensor.")
    hypothesis = convert_to_tensor_or_sparse_tensor(hypothesis)
    truth = convert_to_tensor_or_sparse_tensor(truth)
    return make_tensor("EditDistance",
                       [hypothesis.indices, hypothesis.values, hypothesis.dense_shape,
                        truth.indices, truth.values, truth.dense_shape],
                       {"normalize": bool(normalize), "T": hypothesis.dtype.base_dtype},
                       name=name)
