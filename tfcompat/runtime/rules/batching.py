"""Batch rules: ops run once on many elements of a queue runner's element pipeline.

Each rule gets the op, its reference kernel, its arguments and which of them carry a
leading batch axis, and returns the batch of what the kernel gives each element — bit for
bit, so only ops whose per-element results cannot depend on how many elements one call
sees have rules here: exactly rounded arithmetic and comparisons, casts, pass-throughs,
gathers, reshapes, axis shuffles, slices, stacks, one-hot rows and record parsing (no transcendental
functions, whose vectorised loops may round differently, and nothing stateful). A rule
checks an axis argument against the element's rank before it shifts it past the batch axis:
what fails for one element must fail (and then run element by element) for the batch.
"""
import numpy as np

from tfcompat.ops import parsing_ops
from tfcompat.runtime import lowering
from tfcompat.runtime.lowering import NotBatchable

#: Elementwise ops whose results are exactly rounded (IEEE operations, comparisons, casts):
#: their reference kernels broadcast as NumPy does.
EXACT_ELEMENTWISE = (
    "Add", "AddV2", "Sub", "Mul", "RealDiv", "Div", "FloorDiv", "FloorMod", "TruncateDiv",
    "Maximum", "Minimum", "SquaredDifference", "Equal", "NotEqual", "Less", "LessEqual",
    "Greater", "GreaterEqual", "LogicalAnd", "LogicalOr",
    "Neg", "Abs", "Square", "Sqrt", "Floor", "Ceil", "Sign", "LogicalNot", "Cast",
    "Identity", "StopGradient", "AsString", "StringToNumber")


def _element_rank(arg, batched):
    return np.ndim(arg) - 1 if batched else np.ndim(arg)


@lowering.batch_rule(*EXACT_ELEMENTWISE)
def _elementwise(op, kernel, args, batched):
    """The kernel on the batch, each batched argument given unit axes after its batch axis
    up to the largest element rank, so that elements broadcast as they do alone."""
    rank = max(_element_rank(arg, flag) for arg, flag in zip(args, batched))
    aligned = []
    for arg, flag in zip(args, batched):
        missing = rank - _element_rank(arg, flag)
        if flag and missing:
            arg = arg.reshape(arg.shape[:1] + (1,) * missing + arg.shape[1:])
        aligned.append(arg)
    return kernel(*aligned)


@lowering.batch_rule("GatherV2")
def _gather(op, kernel, args, batched):
    """Rows of unbatched ``params`` along axis 0 at batched indices: one gather of all."""
    params_batched, _, axis_batched = batched
    if params_batched or axis_batched or op.attrs.get("batch_dims", 0) or int(args[2]) not in (
            0, -np.ndim(args[0])):
        raise NotBatchable(op.name)
    return kernel(*args)


@lowering.batch_rule("Reshape")
def _reshape(op, kernel, args, batched):
    """Batched values to an unbatched target shape: each element reshaped alike."""
    value, shape = args
    if batched[1] or not batched[0]:
        raise NotBatchable(op.name)
    dims = [int(d) for d in np.ravel(shape)]
    count = value.shape[0]
    size = value.size // count if count else 0
    known = int(np.prod([d for d in dims if d != -1]))
    if dims.count(-1) > 1 or min(dims, default=0) < -1 or (
            -1 in dims and (known == 0 or size % known)) or (
            -1 not in dims and known != size):
        raise NotBatchable(op.name)  # each element fails alone, with TF's error
    return value.reshape([count] + dims)


@lowering.batch_rule("Pack")
def _stack(op, kernel, args, batched):
    """``tf.stack`` of elements: every argument given the batch axis (broadcast where it
    has none), stacked one axis further in."""
    count = next(len(arg) for arg, flag in zip(args, batched) if flag)
    rows = [arg if flag else np.broadcast_to(arg, (count,) + np.shape(arg))
            for arg, flag in zip(args, batched)]
    if len({row.shape for row in rows}) != 1:
        raise NotBatchable(op.name)  # each element fails alone, with TF's error
    axis = op.attrs["axis"]
    return np.stack(rows, axis=axis + 1 if axis >= 0 else axis)


@lowering.batch_rule("DecodeCSV", fast=True)
def _decode_csv(op, kernel, args, batched):
    """Batched records, unbatched defaults: the kernel parses records of any shape (the
    fast kernel parses the whole batch in one pass)."""
    if any(batched[1:]):
        raise NotBatchable(op.name)
    return kernel(*args)


@lowering.batch_rule("DecodeRaw")
def _decode_raw(op, kernel, args, batched):
    """Batched strings: the kernel decodes strings of any shape (all of one size)."""
    return kernel(*args)


@lowering.batch_rule("ParseSingleExample")
def _parse_single_example(op, kernel, args, batched):
    """Batched serialized Examples with fixed-shape dense features only: parsed as
    ParseExample parses a batch (each feature stacked along a new first axis)."""
    if op.attrs.get("num_sparse", 0) or any(batched[1:]) or np.ndim(args[0]) != 1 or any(
            None in shape.as_list() for shape in op.attrs["dense_shapes"]):
        raise NotBatchable(op.name)
    return parsing_ops.single_example_parser(op, batched=True)(*args)


def _element_axis(op, axis, rank, inclusive=False):
    """``axis`` of an element of rank ``rank`` as an axis of the batch (one further in);
    NotBatchable when the element has no such axis (its own run raises TF's error)."""
    axis = int(axis)
    if not -rank - inclusive <= axis < rank + inclusive:
        raise NotBatchable(op.name)
    return axis % (rank + inclusive) + 1


@lowering.batch_rule("ExpandDims")
def _expand_dims(op, kernel, args, batched):
    value, dim = args
    if batched[1] or not batched[0]:
        raise NotBatchable(op.name)
    return kernel(value, _element_axis(op, np.ravel(dim)[0], value.ndim - 1, inclusive=True))


@lowering.batch_rule("Squeeze")
def _squeeze(op, kernel, args, batched):
    (value,) = args
    shape = value.shape[1:]
    axes = op.attrs["squeeze_dims"]
    if axes:
        axes = [_element_axis(op, axis, len(shape)) for axis in axes]
        if any(value.shape[axis] != 1 for axis in axes):
            raise NotBatchable(op.name)
    else:
        axes = [axis + 1 for axis, size in enumerate(shape) if size == 1]
    return np.squeeze(value, axis=tuple(sorted(set(axes))))


@lowering.batch_rule("Transpose")
def _transpose(op, kernel, args, batched):
    value, perm = args
    rank = value.ndim - 1
    if batched[1] or np.shape(perm) != (rank,):
        raise NotBatchable(op.name)
    moved = [_element_axis(op, axis, rank) for axis in np.ravel(perm)]
    if sorted(moved) != list(range(1, rank + 1)):
        raise NotBatchable(op.name)
    return kernel(value, np.array([0] + moved, dtype=np.asarray(perm).dtype))


@lowering.batch_rule("ConcatV2")
def _concat(op, kernel, args, batched):
    """Elements joined along their axis: unbatched pieces are broadcast to every element."""
    *pieces, axis = args
    if batched[-1]:
        raise NotBatchable(op.name)
    count = next(len(piece) for piece, flag in zip(pieces, batched) if flag)
    pieces = [piece if flag else np.broadcast_to(piece, (count,) + np.shape(piece))
              for piece, flag in zip(pieces, batched)]
    ranks = {piece.ndim - 1 for piece in pieces}
    if len(ranks) != 1:
        raise NotBatchable(op.name)
    return kernel(*pieces, _element_axis(op, np.ravel(axis)[0], ranks.pop()))


@lowering.batch_rule("OneHot")
def _one_hot(op, kernel, args, batched):
    """Batched indices, the depth axis last (TF's default): each element's one-hot rows."""
    if op.attrs.get("axis", -1) != -1 or any(batched[1:]):
        raise NotBatchable(op.name)
    return kernel(*args)


@lowering.batch_rule("StridedSlice", "Slice", "ReverseV2", "Tile")
def _moved_elements(op, kernel, args, batched):
    """Ops that only move an element's values (slices, reversals, tiles), the other inputs
    unbatched: the kernel runs once on an element-shaped array of positions, which says
    where each output value comes from; one gather then moves every element's values. The
    probe fails, with TF's error, exactly where an element would."""
    value, *rest = args
    if not batched[0] or any(batched[1:]):
        raise NotBatchable(op.name)
    count, shape = len(value), value.shape[1:]
    positions = np.asarray(kernel(np.arange(int(np.prod(shape)), dtype=np.intp).reshape(shape),
                                  *rest))
    return value.reshape(count, -1)[:, positions.ravel()].reshape((count,) + positions.shape)
