"""``tf.dynamic_partition`` and ``tf.dynamic_stitch``: splitting a tensor's rows among
several outputs by a partition index, and interleaving rows back by position.

These are the two halves of TF 1.x's data-parallel gather/scatter idiom (partitioned
embeddings, per-class processing). Their gradients are each other, as in TF's
data_flow_grad.py: a partition's gradient stitches the output gradients back to where each
row came from; a stitch's gradient gathers each data input's rows from the output gradient.
"""
import numpy as np

from tfcompat.framework import dtypes, ops, tensor_shape
from tfcompat.framework.op_def import (OpDef, constant_value, format_shape, make_op,
                                       make_tensor, register_op)
from tfcompat.ops import array_ops, math_ops
from tfcompat.ops.array_ops import _invalid, _shape_text

__all__ = ["dynamic_partition", "dynamic_stitch"]


def _where(op):
    return f"for '{op.name}' (op: '{op.type}') with input shapes: " + ", ".join(
        format_shape(t.shape) for t in op.inputs) + "."


def _dims_equal_error(op, a, b):
    return ValueError(f"Dimensions must be equal, but are {a} and {b} {_where(op)}")


def _merge_prefix(op, data_shape, prefix_shape):
    """``data_shape`` with its leading dimensions merged with ``prefix_shape`` (TF's check
    that the data starts with the partition/index shape), at graph-build time."""
    dims = data_shape.as_list()
    if len(dims) < prefix_shape.ndims:
        raise ValueError(f"Shape must be at least rank {prefix_shape.ndims} but is rank "
                         f"{len(dims)} {_where(op)}")
    for axis, want in enumerate(prefix_shape.as_list()):
        have = dims[axis]
        if have is not None and want is not None and have != want:
            raise _dims_equal_error(op, have, want)
    return dims


@register_op
class DynamicPartition(OpDef):
    """Rows of ``data`` split among ``num_partitions`` outputs by ``partitions``, keeping
    their order (``tf.dynamic_partition``)."""

    dynamic_output_shape = True
    shape_determining_inputs = (1,)

    def infer(self, op):
        data, partitions = op.inputs
        count = op.attrs["num_partitions"]
        dtype = data.dtype.base_dtype
        if data.shape.ndims is None or partitions.shape.ndims is None:
            return [(tensor_shape.unknown_shape(), dtype)] * count
        dims = _merge_prefix(op, data.shape, partitions.shape)
        piece = tensor_shape.TensorShape([None] + dims[partitions.shape.ndims:])
        return [(piece, dtype)] * count

    def kernel(self, op, ctx):
        count = op.attrs["num_partitions"]

        def partition(data, partitions):
            if data.shape[:partitions.ndim] != partitions.shape:
                raise _invalid(op, "data.shape must start with partitions.shape, got "
                               f"data.shape = {_shape_text(data.shape)}, partitions.shape = "
                               f"{_shape_text(partitions.shape)}")
            outside = (partitions < 0) | (partitions >= count)
            if outside.any():
                position = int(np.flatnonzero(outside.reshape(-1))[0])
                raise _invalid(op, f"partitions[{position}] = "
                               f"{int(partitions.reshape(-1)[position])} is not in [0, {count})")
            return tuple(data[partitions == index] for index in range(count))
        return partition

    def grad(self, op, *grads):
        data, partitions = op.inputs
        prefix = array_ops.shape(partitions)
        positions = array_ops.reshape(
            math_ops._range(math_ops.reduce_prod(prefix)), prefix)
        pieces = dynamic_partition(positions, partitions, op.attrs["num_partitions"])
        grads = [g if g is not None else array_ops.zeros_like(out)
                 for g, out in zip(grads, op.outputs)]
        stitched = _stitch("ParallelDynamicStitch", pieces, grads, None)
        return [array_ops.reshape(stitched, array_ops.shape(data)), None]


@register_op
class DynamicStitch(OpDef):
    """Rows of the data inputs placed at the positions their index inputs name; a later
    input wins where positions repeat; positions no input names are zero
    (``tf.dynamic_stitch``)."""

    shape_determining_inputs = None  # the largest index sets the first dimension

    def _halves(self, op):
        count = op.attrs["N"]
        return op.inputs[:count], op.inputs[count:]

    def infer(self, op):
        indices, data = self._halves(op)
        dtype = data[0].dtype.base_dtype
        extra = None
        for position, (index, datum) in enumerate(zip(indices, data)):
            if datum.dtype.base_dtype != dtype:
                raise TypeError(f"Tensors in list passed to 'data' of '{op.type}' Op have "
                                "types that don't all match.")
            if index.shape.ndims is None or datum.shape.ndims is None:
                continue
            dims = _merge_prefix(op, datum.shape, index.shape)
            rest = tensor_shape.TensorShape(dims[index.shape.ndims:])
            try:
                extra = rest if extra is None else extra.merge_with(rest)
            except ValueError:
                raise ValueError(f"Shapes {extra} and {rest} of data[{position}] are not "
                                 f"compatible {_where(op)}") from None
        if extra is None:
            return [(tensor_shape.unknown_shape(), dtype)]
        known = [constant_value(index) for index in indices]
        first = None
        if all(value is not None for value in known):
            first = max((int(np.max(v)) for v in known if np.size(v)), default=-1) + 1
        return [(tensor_shape.TensorShape([first]).concatenate(extra), dtype)]

    def kernel(self, op, ctx):
        count = op.attrs["N"]

        def stitch(*inputs):
            indices, data = inputs[:count], inputs[count:]
            extra = None
            for position, (index, datum) in enumerate(zip(indices, data)):
                if datum.shape[:index.ndim] != index.shape:
                    raise _invalid(op, f"data[{position}].shape = {_shape_text(datum.shape)} "
                                   f"does not start with indices[{position}].shape = "
                                   f"{_shape_text(index.shape)}")
                rest = datum.shape[index.ndim:]
                if extra is not None and rest != extra:
                    raise _invalid(op, f"Need data[0].shape[{indices[0].ndim}:] = "
                                   f"data[{position}].shape[{index.ndim}:], got "
                                   f"data[0].shape = {_shape_text(data[0].shape)}, "
                                   f"data[{position}].shape = {_shape_text(datum.shape)}")
                extra = rest
            first = max((int(index.max()) for index in indices if index.size), default=-1) + 1
            merged = np.zeros((first,) + extra, dtype=data[0].dtype)
            for index, datum in zip(indices, data):
                flat = index.reshape(-1)
                if flat.size and flat.min() < 0:
                    raise _invalid(op, f"indices[{int(np.flatnonzero(flat < 0)[0])}] is out of "
                                   "range")
                merged[flat] = datum.reshape((flat.size,) + extra)
            return merged
        return stitch

    def grad(self, op, dy):
        """Each data input's rows gathered from ``dy`` (TF's gradient: rows that a later
        input overwrote get the gradient of the position too)."""
        indices, _ = self._halves(op)
        values = [array_ops.gather(dy, math_ops.cast(index, dtypes.int32)) for index in indices]
        return [None] * len(indices) + values


@register_op
class ParallelDynamicStitch(DynamicStitch):
    """DynamicStitch whose result is unspecified where positions repeat (TF's faster form,
    used by DynamicPartition's gradient); here it resolves repeats as DynamicStitch does."""

    op_type = "ParallelDynamicStitch"


def dynamic_partition(data, partitions, num_partitions, name=None):
    """``tf.dynamic_partition(data, partitions, num_partitions, name=None)`` -> a list of
    ``num_partitions`` tensors; ``partitions`` (int32, the leading shape of ``data``) says
    which output each row goes to."""
    if not isinstance(num_partitions, (int, np.integer)) or num_partitions < 1:
        raise ValueError(f"Attr 'num_partitions' of 'DynamicPartition' Op passed "
                         f"{num_partitions} less than minimum 1.")
    data = ops.convert_to_tensor(data, name="data")
    partitions = ops.convert_to_tensor(partitions, dtype=dtypes.int32, name="partitions")
    op = make_op("DynamicPartition", [data, partitions],
                 {"T": data.dtype.base_dtype, "num_partitions": int(num_partitions)},
                 name=name or "DynamicPartition")
    return list(op.outputs)


def _stitch(op_type, indices, data, name):
    if len(indices) != len(data) or not indices:
        raise ValueError(f"List argument 'indices' to '{op_type}' Op with length "
                         f"{len(indices)} must match length {len(data)} of argument 'data' "
                         "and be at least 1.")
    indices = [ops.convert_to_tensor(index, dtype=dtypes.int32, name="indices")
               for index in indices]
    data = [ops.convert_to_tensor(datum, name="data") for datum in data]
    dtype = data[0].dtype.base_dtype
    data = [ops.convert_to_tensor(datum, dtype=dtype) for datum in data]
    return make_tensor(op_type, indices + data, {"N": len(indices), "T": dtype},
                       name=name or op_type)


def dynamic_stitch(indices, data, name=None):
    """``tf.dynamic_stitch(indices, data, name=None)``: ``merged[indices[m][i]] =
    data[m][i]`` with the first dimension ``max(indices) + 1``."""
    return _stitch("DynamicStitch", list(indices), list(data), name)
