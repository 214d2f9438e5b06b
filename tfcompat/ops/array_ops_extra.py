"""More of TF's array ops: unique values, set difference, the space/depth/batch
rearrangements, bitcasts, fixed-width histograms and ``tf.batch_gather``.

The rearrangements are reshape + transpose in NumPy; each one's gradient is its inverse
rearrangement, as in TF's array_grad.py.
"""
import collections

import numpy as np

from tfcompat.framework import dtypes, ops, tensor_shape
from tfcompat.framework.op_def import (OpDef, constant_value, format_shape, make_op,
                                       make_tensor, register_op)
from tfcompat.ops import array_ops, math_ops
from tfcompat.ops.array_ops import _invalid, _shape_text

UniqueOutput = collections.namedtuple("Unique", ["y", "idx"])
UniqueWithCountsOutput = collections.namedtuple("UniqueWithCounts", ["y", "idx", "count"])
ListDiffOutput = collections.namedtuple("ListDiff", ["out", "idx"])


def _where(op):
    return f"for '{op.name}' (op: '{op.type}') with input shapes: " + ", ".join(
        format_shape(t.shape) for t in op.inputs) + "."


def _require_rank(op, tensor, rank):
    if tensor.shape.ndims is not None and tensor.shape.ndims != rank:
        raise ValueError(f"Shape must be rank {rank} but is rank {tensor.shape.ndims} "
                         f"{_where(op)}")


def _check_1d(op, value, what):
    if value.ndim != 1:
        raise _invalid(op, f"{what} should be a vector but received shape "
                       f"{_shape_text(value.shape)}")


# ---- unique values and set difference ------------------------------------------------------
@register_op
class UniqueWithCounts(OpDef):
    """The distinct values of a vector in order of first appearance, each element's
    position among them and (UniqueWithCounts) how often each occurs (``tf.unique``)."""

    differentiable = False
    dynamic_output_shape = True
    with_counts = True

    def infer(self, op):
        x = op.inputs[0]
        _require_rank(op, x, 1)
        index_dtype = op.attrs["out_idx"]
        outputs = [(tensor_shape.TensorShape([None]), x.dtype.base_dtype),
                   (x.shape if x.shape.ndims is not None else tensor_shape.TensorShape([None]),
                    index_dtype)]
        if self.with_counts:
            outputs.append((tensor_shape.TensorShape([None]), index_dtype))
        return outputs

    def kernel(self, op, ctx):
        index_dtype = op.attrs["out_idx"].as_numpy_dtype
        with_counts = self.with_counts

        def unique(x):
            if x.ndim != 1:
                raise _invalid(op, "unique expects a 1D vector.")
            values, first, inverse, counts = np.unique(
                x, return_index=True, return_inverse=True, return_counts=True)
            order = np.argsort(first, kind="stable")  # sorted order -> first-appearance order
            rank_of = np.empty_like(order)
            rank_of[order] = np.arange(order.size)
            outputs = (values[order], rank_of[inverse.reshape(-1)].astype(index_dtype))
            if with_counts:
                outputs += (counts[order].astype(index_dtype),)
            return outputs
        return unique


@register_op
class Unique(UniqueWithCounts):
    """``tf.unique(x, out_idx=tf.int32)``: (y, idx) with x == gather(y, idx)."""

    op_type = "Unique"
    with_counts = False


def _check_out_idx(out_idx):
    out_idx = dtypes.as_dtype(out_idx)
    if out_idx not in (dtypes.int32, dtypes.int64):
        raise TypeError(f"Value passed to parameter 'out_idx' has DataType {out_idx.name} not "
                        f"in list of allowed values: int32, int64")
    return out_idx


def unique(x, out_idx=dtypes.int32, name=None):
    """``tf.unique(x, out_idx=tf.int32, name=None)`` -> (y, idx)."""
    op = make_op("Unique", [ops.convert_to_tensor(x)], {"out_idx": _check_out_idx(out_idx)},
                 name=name or "Unique")
    return UniqueOutput(*op.outputs)


def unique_with_counts(x, out_idx=dtypes.int32, name=None):
    """``tf.unique_with_counts(x, out_idx=tf.int32, name=None)`` -> (y, idx, count)."""
    op = make_op("UniqueWithCounts", [ops.convert_to_tensor(x)],
                 {"out_idx": _check_out_idx(out_idx)}, name=name or "UniqueWithCounts")
    return UniqueWithCountsOutput(*op.outputs)


@register_op
class ListDiff(OpDef):
    """The elements of x not in y, in x's order with duplicates kept, and their positions
    in x (``tf.setdiff1d``)."""

    differentiable = False
    dynamic_output_shape = True

    def infer(self, op):
        x, y = op.inputs
        _require_rank(op, x, 1)
        _require_rank(op, y, 1)
        if x.dtype.base_dtype != y.dtype.base_dtype:
            raise TypeError(f"Input 'y' of 'ListDiff' Op has type {y.dtype.base_dtype.name} "
                            f"that does not match type {x.dtype.base_dtype.name} of argument "
                            f"'x'.")
        return [(tensor_shape.TensorShape([None]), x.dtype.base_dtype),
                (tensor_shape.TensorShape([None]), op.attrs["out_idx"])]

    def kernel(self, op, ctx):
        index_dtype = op.attrs["out_idx"].as_numpy_dtype

        def list_diff(x, y):
            _check_1d(op, x, "x")
            _check_1d(op, y, "y")
            keep = ~np.isin(x, y)
            return x[keep], np.flatnonzero(keep).astype(index_dtype)
        return list_diff


def setdiff1d(x, y, index_dtype=dtypes.int32, name=None):
    """``tf.setdiff1d(x, y, index_dtype=tf.int32, name=None)`` -> (out, idx)."""
    x = ops.convert_to_tensor(x, name="x")
    y = ops.convert_to_tensor(y, dtype=x.dtype.base_dtype, name="y")
    op = make_op("ListDiff", [x, y], {"out_idx": _check_out_idx(index_dtype)},
                 name=name or "ListDiff")
    return ListDiffOutput(*op.outputs)


# ---- space <-> depth -----------------------------------------------------------------------
def _times(size, factor):
    return None if size is None else size * factor


def _over(size, divisor):
    return None if size is None else size // divisor


class _SpaceDepth(OpDef):
    """NHWC blocks of block_size x block_size pixels <-> depth (``tf.space_to_depth`` and
    ``tf.depth_to_space``); each op's gradient is the other."""

    to_depth = True

    def infer(self, op):
        x = op.inputs[0]
        block = op.attrs["block_size"]
        if block < 2:
            raise ValueError(f"Value for attr 'block_size' of {block} must be at least minimum 2")
        _require_rank(op, x, 4)
        if x.shape.ndims is None:
            return [(tensor_shape.unknown_shape(4), x.dtype.base_dtype)]
        n, h, w, c = x.shape.as_list()
        if op.attrs["data_format"] != "NHWC":
            return [(tensor_shape.unknown_shape(4), x.dtype.base_dtype)]
        checked = (h, w) if self.to_depth else (c,)
        divisor = block if self.to_depth else block * block
        for size in checked:
            if size is not None and size % divisor:
                raise ValueError(f"Dimension size must be evenly divisible by {divisor} but is "
                                 f"{size} {_where(op)}")

        if self.to_depth:
            dims = [n, _over(h, block), _over(w, block), _times(c, block * block)]
        else:
            dims = [n, _times(h, block), _times(w, block), _over(c, block * block)]
        return [(tensor_shape.TensorShape(dims), x.dtype.base_dtype)]

    def kernel(self, op, ctx):
        block, to_depth = op.attrs["block_size"], self.to_depth
        data_format = op.attrs["data_format"]

        def rearrange(x):
            if data_format != "NHWC":
                raise _invalid(op, f"Only NHWC data_format supported on CPU. Got {data_format}")
            n, h, w, c = x.shape
            if to_depth:
                if h % block or w % block:
                    raise _invalid(op, f"Image height {h} and width {w} should be divisible "
                                   f"by block_size: {block}")
                blocks = x.reshape(n, h // block, block, w // block, block, c)
                return blocks.transpose(0, 1, 3, 2, 4, 5).reshape(
                    n, h // block, w // block, block * block * c)
            if c % (block * block):
                raise _invalid(op, f"Input depth dimension {c} should be divisible by: "
                               f"{block * block}")
            blocks = x.reshape(n, h, w, block, block, c // (block * block))
            return blocks.transpose(0, 1, 3, 2, 4, 5).reshape(
                n, h * block, w * block, c // (block * block))
        return rearrange

    def grad(self, op, dy):
        builder = depth_to_space if self.to_depth else space_to_depth
        return [builder(dy, op.attrs["block_size"], data_format=op.attrs["data_format"])]


@register_op
class SpaceToDepth(_SpaceDepth):
    """out[b, i, j, (bi * bs + bj) * C + c] = x[b, i * bs + bi, j * bs + bj, c]."""


@register_op
class DepthToSpace(_SpaceDepth):
    """The inverse of SpaceToDepth."""

    to_depth = False


def space_to_depth(input, block_size, name=None, data_format="NHWC"):  # noqa: A002
    """``tf.space_to_depth(input, block_size, name=None, data_format='NHWC')``."""
    return make_tensor("SpaceToDepth", [ops.convert_to_tensor(input, name="input")],
                       {"block_size": int(block_size), "data_format": data_format},
                       name=name or "SpaceToDepth")


def depth_to_space(input, block_size, name=None, data_format="NHWC"):  # noqa: A002
    """``tf.depth_to_space(input, block_size, name=None, data_format='NHWC')``."""
    return make_tensor("DepthToSpace", [ops.convert_to_tensor(input, name="input")],
                       {"block_size": int(block_size), "data_format": data_format},
                       name=name or "DepthToSpace")


# ---- space <-> batch -----------------------------------------------------------------------
class _SpaceBatch(OpDef):
    """Zero-pads the M spatial dims after the batch dim and moves block_shape blocks of them
    into the batch (SpaceToBatchND), or the inverse with crops (BatchToSpaceND)."""

    shape_determining_inputs = (1, 2)
    to_batch = True

    def infer(self, op):
        x, block_tensor, amounts_tensor = op.inputs
        dtype = x.dtype.base_dtype
        block, amounts = constant_value(block_tensor), constant_value(amounts_tensor)
        if x.shape.ndims is None or block is None or amounts is None:
            return [(tensor_shape.unknown_shape(x.shape.ndims), dtype)]
        try:
            dims = self._out_dims(x.shape.as_list(), block, amounts)
        except ValueError as exc:
            raise ValueError(f"{exc} {_where(op)}") from None
        return [(tensor_shape.TensorShape(dims), dtype)]

    def _out_dims(self, dims, block, amounts):
        """The output dims (None unknown) from input dims, block shape and pads/crops."""
        block, amounts = [int(b) for b in block], np.asarray(amounts).reshape(-1, 2)
        if len(dims) < len(block) + 1:
            raise ValueError(f"input rank should be >= {len(block) + 1} instead of {len(dims)}")
        if any(b < 1 for b in block) or (amounts < 0).any():
            raise ValueError("block_shape must be positive and paddings/crops non-negative")
        moved = _batch_dims_after_to_batch if self.to_batch else _batch_dims_after_to_space
        return moved(dims, block, amounts) + dims[len(block) + 1:]

    def kernel(self, op, ctx):
        def rearrange(x, block, amounts):
            try:
                self._out_dims(list(x.shape), block, amounts)
            except ValueError as exc:
                raise _invalid(op, str(exc)) from None
            block, amounts = [int(b) for b in block], np.asarray(amounts).reshape(-1, 2)
            return (_space_to_batch if self.to_batch else _batch_to_space)(x, block, amounts)
        return rearrange

    def grad(self, op, dy):
        _, block, amounts = op.inputs
        builder = batch_to_space_nd if self.to_batch else space_to_batch_nd
        return [builder(dy, block, amounts), None, None]


def _batch_dims_after_to_batch(dims, block, paddings):
    """SpaceToBatchND's batch and spatial output dims (None where unknown)."""
    out = [None if dims[0] is None else dims[0] * int(np.prod(block))]
    for i, size in enumerate(dims[1:len(block) + 1]):
        padded = None if size is None else size + int(paddings[i].sum())
        if padded is not None and padded % block[i]:
            raise ValueError(f"padded_shape[{i}]={padded} is not divisible by "
                             f"block_shape[{i}]={block[i]}")
        out.append(None if padded is None else padded // block[i])
    return out


def _batch_dims_after_to_space(dims, block, crops):
    """BatchToSpaceND's batch and spatial output dims (None where unknown)."""
    total = int(np.prod(block))
    if dims[0] is not None and dims[0] % total:
        raise ValueError(f"Input batch dimension ({dims[0]}) is not divisible by the product of "
                         f"block sizes ({total})")
    out = [None if dims[0] is None else dims[0] // total]
    for i, size in enumerate(dims[1:len(block) + 1]):
        cropped = None if size is None else size * block[i] - int(crops[i].sum())
        if cropped is not None and cropped < 0:
            raise ValueError(f"Crops must be less than the block size times the dimension "
                             f"size, got {crops[i].tolist()} for dimension {i + 1}")
        out.append(cropped)
    return out


def _space_to_batch(x, block, paddings):
    m = len(block)
    padded = np.pad(x, [(0, 0)] + [tuple(p) for p in paddings] + [(0, 0)] * (x.ndim - m - 1))
    split = [padded.shape[0]]
    for i in range(m):
        split += [padded.shape[i + 1] // block[i], block[i]]
    blocks = padded.reshape(split + list(padded.shape[m + 1:]))
    rest = list(range(2 * m + 1, blocks.ndim))
    order = [2 + 2 * i for i in range(m)] + [0] + [1 + 2 * i for i in range(m)] + rest
    return blocks.transpose(order).reshape(
        [padded.shape[0] * int(np.prod(block))] + split[1::2] + list(padded.shape[m + 1:]))


def _batch_to_space(x, block, crops):
    m = len(block)
    batch = x.shape[0] // int(np.prod(block))
    blocks = x.reshape(list(block) + [batch] + list(x.shape[1:]))
    rest = list(range(2 * m + 1, blocks.ndim))
    order = [m] + [axis for i in range(m) for axis in (m + 1 + i, i)] + rest
    full = blocks.transpose(order).reshape(
        [batch] + [x.shape[i + 1] * block[i] for i in range(m)] + list(x.shape[m + 1:]))
    index = (slice(None),) + tuple(slice(int(c[0]), full.shape[i + 1] - int(c[1]))
                                   for i, c in enumerate(crops))
    return full[index].copy()


@register_op
class SpaceToBatchND(_SpaceBatch):
    """``tf.space_to_batch_nd(input, block_shape, paddings)``."""


@register_op
class BatchToSpaceND(_SpaceBatch):
    """``tf.batch_to_space_nd(input, block_shape, crops)``."""

    to_batch = False


def _space_batch(op_type, x, block_shape, amounts, name):
    x = ops.convert_to_tensor(x, name="input")
    block = array_ops._as_int_tensor(block_shape, name="block_shape")
    amounts = array_ops._as_int_tensor(amounts)
    for tensor, label in ((block, "Tblock_shape"), (amounts, "Tpaddings")):
        if tensor.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
            raise TypeError(f"Value passed to parameter '{label}' has DataType "
                            f"{tensor.dtype.base_dtype.name} not in list of allowed values: "
                            f"int32, int64")
    return make_tensor(op_type, [x, block, amounts], name=name or op_type)


def space_to_batch_nd(input, block_shape, paddings, name=None):  # noqa: A002
    """``tf.space_to_batch_nd(input, block_shape, paddings, name=None)``."""
    return _space_batch("SpaceToBatchND", input, block_shape, paddings, name)


def batch_to_space_nd(input, block_shape, crops, name=None):  # noqa: A002
    """``tf.batch_to_space_nd(input, block_shape, crops, name=None)``."""
    return _space_batch("BatchToSpaceND", input, block_shape, crops, name)


def space_to_batch(input, paddings, block_size=None, name=None, block_shape=None):  # noqa: A002
    """``tf.space_to_batch``: SpaceToBatchND over the two spatial dims of NHWC ``input``."""
    block_size = block_size if block_size is not None else block_shape
    return space_to_batch_nd(input, [block_size, block_size], paddings, name=name)


def batch_to_space(input, crops, block_size, name=None, block_shape=None):  # noqa: A002
    """``tf.batch_to_space``: BatchToSpaceND over the two spatial dims of NHWC ``input``."""
    block_size = block_size if block_size is not None else block_shape
    return batch_to_space_nd(input, [block_size, block_size], crops, name=name)


# ---- bitcast, histograms -------------------------------------------------------------------
@register_op
class Bitcast(OpDef):
    """Reinterprets the bytes of ``input`` as ``type`` (``tf.bitcast``): a wider type eats
    the last dim (which must equal the size ratio), a narrower one appends it."""

    differentiable = False
    may_alias_input = True  # a NumPy view of the input

    def infer(self, op):
        x = op.inputs[0]
        source, target = x.dtype.base_dtype, op.attrs["type"]
        ratio_in, ratio_out = source.size, target.size
        if x.shape.ndims is None:
            return [(tensor_shape.unknown_shape(), target)]
        dims = x.shape.as_list()
        if ratio_in > ratio_out:
            dims.append(ratio_in // ratio_out)
        elif ratio_in < ratio_out:
            if not dims:
                raise ValueError(f"Cannot bitcast from {source.name} to {target.name}: the input "
                                 f"must be at least rank 1 {_where(op)}")
            if dims[-1] is not None and dims[-1] != ratio_out // ratio_in:
                raise ValueError(f"Cannot bitcast due to shape. {dims[-1]} does not match "
                                 f"{ratio_out // ratio_in} {_where(op)}")
            dims.pop()
        return [(tensor_shape.TensorShape(dims), target)]

    def kernel(self, op, ctx):
        target = np.dtype(op.attrs["type"].as_numpy_dtype)

        def bitcast(x):
            shape = list(x.shape)
            if x.itemsize > target.itemsize:
                shape.append(x.itemsize // target.itemsize)
            elif x.itemsize < target.itemsize:
                if not shape or shape[-1] != target.itemsize // x.itemsize:
                    raise _invalid(op, f"Cannot bitcast from {x.dtype} to {target}: shape "
                                   f"{_shape_text(x.shape)} does not end in "
                                   f"{target.itemsize // x.itemsize}")
                shape.pop()
            return np.ascontiguousarray(x).view(target).reshape(shape)
        return bitcast


def bitcast(input, type, name=None):  # noqa: A002
    """``tf.bitcast(input, type, name=None)``."""
    x = ops.convert_to_tensor(input, name="input")
    return make_tensor("Bitcast", [x], {"T": x.dtype.base_dtype, "type": dtypes.as_dtype(type)},
                       name=name or "Bitcast")


@register_op
class HistogramFixedWidth(OpDef):
    """Counts of ``values`` in ``nbins`` equal bins over ``value_range``; values outside
    fall into the first or last bin (``tf.histogram_fixed_width``)."""

    differentiable = False
    shape_determining_inputs = (2,)

    def infer(self, op):
        values, value_range, nbins = op.inputs
        _require_rank(op, value_range, 1)
        _require_rank(op, nbins, 0)
        count = constant_value(nbins)
        return [(tensor_shape.TensorShape([None if count is None else int(count)]),
                 op.attrs["dtype"])]

    def kernel(self, op, ctx):
        out_dtype = op.attrs["dtype"].as_numpy_dtype

        def histogram(values, value_range, nbins):
            nbins = int(nbins)
            low, high = value_range[0], value_range[1]
            if not low < high:
                raise _invalid(op, f"value_range should satisfy value_range[0] < "
                               f"value_range[1], but got [{low}, {high}]")
            if nbins <= 0:
                raise _invalid(op, f"nbins should be a positive number, but got '{nbins}'")
            step = (np.float64(high) - np.float64(low)) / nbins
            bins = np.floor((values.astype(np.float64).ravel() - low) / step)
            bins = np.clip(bins, 0, nbins - 1).astype(np.int64)
            return np.bincount(bins, minlength=nbins).astype(out_dtype)
        return histogram


def histogram_fixed_width(values, value_range, nbins=100, dtype=dtypes.int32, name=None):
    """``tf.histogram_fixed_width(values, value_range, nbins=100, dtype=tf.int32)``."""
    with ops.name_scope(name, "histogram_fixed_width", [values, value_range, nbins]) as scope:
        values = ops.convert_to_tensor(values, name="values")
        value_range = ops.convert_to_tensor(value_range, dtype=values.dtype.base_dtype,
                                            name="value_range")
        nbins = ops.convert_to_tensor(nbins, dtype=dtypes.int32, name="nbins")
        return make_tensor("HistogramFixedWidth", [values, value_range, nbins],
                           {"dtype": dtypes.as_dtype(dtype)}, name=scope)


def histogram_fixed_width_bins(values, value_range, nbins=100, dtype=dtypes.int32, name=None):
    """``tf.histogram_fixed_width_bins``: each value's bin index, composed as TF does
    (floor(nbins * (v - lo) / (hi - lo)) clipped to [0, nbins - 1])."""
    with ops.name_scope(name, "histogram_fixed_width", [values, value_range, nbins]):
        values = ops.convert_to_tensor(values, name="values")
        value_range = ops.convert_to_tensor(value_range, dtype=values.dtype.base_dtype,
                                            name="value_range")
        nbins_float = math_ops.cast(nbins, values.dtype.base_dtype)
        low, high = array_ops.gather(value_range, 0), array_ops.gather(value_range, 1)
        scaled = math_ops.truediv(values - low, high - low)
        indices = math_ops.floor(nbins_float * scaled, name="indices")
        clipped = math_ops.minimum(math_ops.maximum(indices, 0.0), nbins_float - 1)
        return math_ops.cast(clipped, dtype)


# ---- batch_gather --------------------------------------------------------------------------
def batch_gather(params, indices, name=None):
    """``tf.batch_gather``: out[i..., j, ...] = params[i..., indices[i..., j], ...] for the
    leading batch dims of ``indices`` (a gather from params with its batch dims flattened,
    offset per batch entry)."""
    with ops.name_scope(name, "BatchGather", [params, indices]):
        params = ops.convert_to_tensor(params, name="params")
        indices = array_ops._as_int_tensor(indices, name="indices")
        rank = indices.shape.ndims
        if rank is None:
            raise ValueError("batch_gather does not allow indices with unknown shape.")
        if rank == 1:
            return array_ops.gather(params, indices)
        index_dtype = indices.dtype.base_dtype
        params_shape = array_ops.shape(params, out_type=index_dtype)
        index_shape = array_ops.shape(indices, out_type=index_dtype)
        batch = rank - 1
        batch_size = math_ops.reduce_prod(array_ops.slice(params_shape, [0], [batch]))
        width = array_ops.gather(params_shape, batch)
        offsets = array_ops.reshape(math_ops._range(batch_size) * width,
                                    array_ops.concat([array_ops.slice(index_shape, [0], [batch]),
                                                      [1]], 0))
        flat_params = array_ops.reshape(params, array_ops.concat(
            [[-1], array_ops.slice(params_shape, [rank], [-1])], 0))
        gathered = array_ops.gather(flat_params, indices + offsets)
        if params.shape.ndims is not None and indices.shape.ndims is not None:
            gathered.set_shape(indices.shape.concatenate(params.shape[rank:]))
        return gathered


# ---- image patches -------------------------------------------------------------------------
def _patch_geometry(size, window, stride, rate, padding):
    """(output size, padding before) along one axis, TF's SAME/VALID rules with dilation."""
    effective = window + (window - 1) * (rate - 1)
    if padding == "VALID":
        return max(-(-(size - effective + 1) // stride), 0), 0
    out = -(-size // stride)
    return out, max((out - 1) * stride + effective - size, 0) // 2


@register_op
class ExtractImagePatches(OpDef):
    """Patches of ``ksizes`` taken every ``strides`` with ``rates`` dilation, each flattened
    into the depth axis as (row, column, channel) (``tf.extract_image_patches``)."""

    def _attrs(self, op):
        return (op.attrs["ksizes"][1:3], op.attrs["strides"][1:3], op.attrs["rates"][1:3],
                op.attrs["padding"])

    def infer(self, op):
        images = op.inputs[0]
        _require_rank(op, images, 4)
        for attr in ("ksizes", "strides", "rates"):
            values = op.attrs[attr]
            if len(values) != 4 or values[0] != 1 or values[3] != 1:
                raise ValueError(f"ExtractImagePatches only supports {attr} across spatial "
                                 f"dimensions: got {list(values)} for '{op.name}'")
        if images.shape.ndims is None:
            return [(tensor_shape.unknown_shape(4), images.dtype.base_dtype)]
        batch, height, width, depth = images.shape.as_list()
        windows, strides, rates, padding = self._attrs(op)
        dims = [None if size is None else _patch_geometry(size, k, s, r, padding)[0]
                for size, k, s, r in zip((height, width), windows, strides, rates)]
        channels = None if depth is None else windows[0] * windows[1] * depth
        return [(tensor_shape.TensorShape([batch] + dims + [channels]),
                 images.dtype.base_dtype)]

    def kernel(self, op, ctx):
        windows, strides, rates, padding = self._attrs(op)

        def extract(images):
            geometry = [_patch_geometry(size, k, s, r, padding) for size, k, s, r
                        in zip(images.shape[1:3], windows, strides, rates)]
            (out_h, top), (out_w, left) = geometry
            rows = (np.arange(out_h)[:, None] * strides[0] - top
                    + np.arange(windows[0])[None, :] * rates[0])      # [out_h, kh]
            cols = (np.arange(out_w)[:, None] * strides[1] - left
                    + np.arange(windows[1])[None, :] * rates[1])      # [out_w, kw]
            inside = ((rows >= 0) & (rows < images.shape[1]))[:, None, :, None] & \
                ((cols >= 0) & (cols < images.shape[2]))[None, :, None, :]
            gathered = images[:, np.clip(rows, 0, images.shape[1] - 1)[:, None, :, None],
                              np.clip(cols, 0, images.shape[2] - 1)[None, :, None, :]]
            gathered = np.where(inside[None, ..., None], gathered, 0).astype(images.dtype)
            return gathered.reshape(images.shape[0], out_h, out_w, -1)
        return extract

    def grad(self, op, dy):
        """TF's construction: patches of an image of pixel numbers (1-based; 0 = padding)
        say where each patch element came from; the gradient sums dy onto those pixels."""
        images = op.inputs[0]
        shape = array_ops.shape(images)
        height, width, depth = shape[1], shape[2], shape[3]
        pixels = height * width
        numbers = array_ops.reshape(math_ops._range(1, pixels + 1, dtype=dtypes.int64),
                                    array_ops.stack([1, height, width, 1]))
        origin = make_tensor("ExtractImagePatches", [numbers], dict(op.attrs,
                                                                    T=dtypes.int64))
        origin = array_ops.reshape(origin, [-1])
        # dy: [batch, out_h, out_w, kh * kw * depth] -> [out_h * out_w * kh * kw, batch, depth]
        batch = shape[0]
        pieces = array_ops.reshape(dy, array_ops.stack([batch, -1, depth]))
        pieces = array_ops.transpose(pieces, [1, 0, 2])
        summed = math_ops.unsorted_segment_sum(pieces, origin, pixels + 1)[1:]
        summed = array_ops.reshape(summed, array_ops.stack([height, width, batch, depth]))
        return [array_ops.transpose(summed, [2, 0, 1, 3])]


def extract_image_patches(images, ksizes=None, strides=None, rates=None, padding=None,
                          name=None, sizes=None):
    """``tf.extract_image_patches(images, ksizes, strides, rates, padding)`` (also
    ``tf.image.extract_image_patches``, ``sizes`` being the TF 2 spelling of ksizes)."""
    ksizes = ksizes if ksizes is not None else sizes
    if padding not in ("SAME", "VALID"):
        raise ValueError(f"Value for attr 'padding' of \"{padding}\" is not in the list of "
                         "allowed values: \"SAME\", \"VALID\"")
    images = ops.convert_to_tensor(images, name="images")
    attrs = {"ksizes": list(ksizes), "strides": list(strides), "rates": list(rates),
             "padding": padding, "T": images.dtype.base_dtype}
    return make_tensor("ExtractImagePatches", [images], attrs,
                       name=name or "ExtractImagePatches")


def required_space_to_batch_paddings(input_shape, block_shape, base_paddings=None, name=None):
    """``tf.required_space_to_batch_paddings`` -> (paddings, crops): the base paddings
    extended at the end so each padded size is a multiple of its block size, and the crops
    that undo that extension."""
    with ops.name_scope(name, "required_space_to_batch_paddings",
                        [input_shape, block_shape]):
        input_shape = ops.convert_to_tensor(input_shape, dtype=dtypes.int32,
                                            name="input_shape")
        block_shape = ops.convert_to_tensor(block_shape, dtype=dtypes.int32,
                                            name="block_shape")
        block_shape.shape.assert_is_fully_defined()
        block_shape.shape.assert_has_rank(1)
        dims = block_shape.shape[0].value
        if base_paddings is None:
            base_paddings = array_ops.zeros([dims, 2], dtypes.int32)
        base_paddings = ops.convert_to_tensor(base_paddings, dtype=dtypes.int32,
                                              name="base_paddings")
        pad_start = base_paddings[:, 0]
        orig_pad_end = base_paddings[:, 1]
        full_input_shape = input_shape + pad_start + orig_pad_end
        pad_end_extra = (block_shape - full_input_shape % block_shape) % block_shape
        pad_end = orig_pad_end + pad_end_extra
        paddings = array_ops.stack([[pad_start[i], pad_end[i]] for i in range(dims)],
                                   name="paddings")
        crops = array_ops.stack([[0, pad_end_extra[i]] for i in range(dims)], name="crops")
        return paddings, crops


__all__ = [
    "unique", "unique_with_counts", "setdiff1d", "space_to_depth",
    "depth_to_space", "space_to_batch_nd", "batch_to_space_nd", "space_to_batch",
    "batch_to_space", "bitcast", "histogram_fixed_width", "histogram_fixed_width_bins",
    "batch_gather", "extract_image_patches", "required_space_to_batch_paddings",
]
