"""Fractional pooling (TF's fractional_max_pool_op.cc / fractional_avg_pool_op.cc, Graham
2014): FractionalMaxPool and FractionalAvgPool with their gradient ops, and the ``tf.nn``
builders fractional_max_pool / fractional_avg_pool.

Each spatial dimension of length n pooled by ratio r gets floor(n / r) windows whose sizes
are k = n // out or k + 1, drawn as TF draws them: a random arrangement of the k + 1 sized
windows, or (``pseudo_random``) the boundaries ceil(alpha (i + u)) - ceil(alpha u) for one
uniform u. The ops also return the boundary sequences [0, ..., n]; ``overlapping`` windows
include their right boundary. The random draws come from NumPy (TF uses Philox), so the
regions differ from TF's for the same seeds; the pooling given the sequences is TF's.
"""
import numpy as np

from tfcompat.framework import dtypes, errors, ops, tensor_shape
from tfcompat.framework.op_def import OpDef, constant_shape_value, make_op, make_tensor, \
    register_op
from tfcompat.ops import array_ops
from tfcompat.ops.nn_ops import _check_dtype, _with_rank

__all__ = []  # reached through tf.nn only

_POOL_TYPES = (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64)


def pooling_sequence(rng, length, out, pseudo_random):
    """The window boundaries [0, ..., length] of ``out`` windows over ``length``."""
    k = length // out
    if length % out == 0:
        sizes = np.full(out, k)
    elif pseudo_random:
        alpha = length / out
        u_max = min((k + 2) / alpha - 1, (length + 1 - k) / alpha - (out - 1))
        u = rng.random() * u_max
        bounds = np.ceil(alpha * (np.arange(out + 1) + u)) - np.ceil(alpha * u)
        bounds[-1] = length
        return bounds.astype(np.int64)
    else:
        sizes = np.full(out, k)
        sizes[:length % out] += 1
        rng.shuffle(sizes)
    return np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)


def _windows(bounds, length, overlapping):
    """(start, end) index pairs of each window (end exclusive)."""
    ends = bounds[1:] + (1 if overlapping else 0)
    return list(zip(bounds[:-1], np.minimum(ends, length), strict=True))


def _cells(row_seq, col_seq, height, width, overlapping):
    for i, (r0, r1) in enumerate(_windows(row_seq, height, overlapping)):
        for j, (c0, c1) in enumerate(_windows(col_seq, width, overlapping)):
            yield i, j, slice(r0, r1), slice(c0, c1)


def pool_windows(x, rows, cols, overlapping, mode):
    """The max or mean of ``x`` [N, H, W, C] over the windows the sequences bound."""
    pooled = np.empty((x.shape[0], len(rows) - 1, len(cols) - 1, x.shape[3]), x.dtype)
    for i, j, r, c in _cells(rows, cols, x.shape[1], x.shape[2], overlapping):
        window = x[:, r, c, :]
        pooled[:, i, j, :] = window.max(axis=(1, 2)) if mode == "max" else window.mean(
            axis=(1, 2))
    return pooled


class _FractionalPool(OpDef):
    """Input [N, H, W, C]; outputs the pooled [N, floor(H / rh), floor(W / rw), C] and the
    row and column boundary sequences (int64)."""

    stateful = True
    mode = None

    def infer(self, op):
        x = op.inputs[0]
        dtype = _check_dtype(op, x, "T", _POOL_TYPES)
        ratio = [float(r) for r in op.attrs["pooling_ratio"]]
        if len(ratio) != 4:
            raise ValueError(f"pooling_ratio field must specify 4 dimensions for '{op.name}' "
                             f"(op: '{op.type}')")
        if ratio[0] != 1.0 or ratio[3] != 1.0:
            raise ValueError("pooling_ratio cannot be applied to batch and channel dimensions")
        if min(ratio) < 1.0:
            raise ValueError(f"pooling_ratio must be >= 1.0, got {ratio}")
        dims = _with_rank(op, x.shape, 4).as_list() if x.shape.ndims else [None] * 4
        out = [None if d is None else int(d // r) for d, r in zip(dims, ratio, strict=True)]
        rows = None if out[1] is None else out[1] + 1
        cols = None if out[2] is None else out[2] + 1
        return [(tensor_shape.TensorShape(out), dtype),
                (tensor_shape.TensorShape([rows]), dtypes.int64),
                (tensor_shape.TensorShape([cols]), dtypes.int64)]

    def kernel(self, op, ctx):
        ratio = [float(r) for r in op.attrs["pooling_ratio"]]
        pseudo, overlapping = op.attrs["pseudo_random"], op.attrs["overlapping"]
        deterministic = op.attrs["deterministic"]
        seeds = [op.attrs["seed"], op.attrs["seed2"]]
        if deterministic and seeds == [0, 0]:  # TF draws the fixed seeds once per kernel
            seeds = [int(s) for s in np.random.SeedSequence().generate_state(2)]
        shared = ctx.random_generator(op)

        def fractional_pool(x):
            if x.ndim != 4:
                raise errors.InvalidArgumentError(
                    None, op, f"input must be 4-dimensional{list(x.shape)}")
            out = [int(d // r) for d, r in zip(x.shape, ratio, strict=True)]
            if min(out) <= 0:
                raise errors.InvalidArgumentError(
                    None, op, f"output size must be positive, got {out} for input "
                    f"{list(x.shape)} and pooling_ratio {ratio}")
            if not deterministic and seeds != [0, 0]:
                raise errors.InvalidArgumentError(
                    None, op, "Both seed and seed2 should be 0 if deterministic is false.")
            rng = np.random.default_rng(seeds) if deterministic else shared
            rows = pooling_sequence(rng, x.shape[1], out[1], pseudo)
            cols = pooling_sequence(rng, x.shape[2], out[2], pseudo)
            return pool_windows(x, rows, cols, overlapping, self.mode), rows, cols
        return fractional_pool


@register_op
class FractionalMaxPool(_FractionalPool):
    """Fractional max pooling (``tf.nn.fractional_max_pool``); gradient
    FractionalMaxPoolGrad."""

    mode = "max"

    def grad(self, op, dy, drows, dcols):
        return [make_tensor("FractionalMaxPoolGrad", [op.inputs[0], op.outputs[0], dy,
                                                      op.outputs[1], op.outputs[2]],
                            {"overlapping": op.attrs["overlapping"]})]


@register_op
class FractionalAvgPool(_FractionalPool):
    """Fractional average pooling (``tf.nn.fractional_avg_pool``); gradient
    FractionalAvgPoolGrad."""

    mode = "avg"

    def grad(self, op, dy, drows, dcols):
        return [make_tensor("FractionalAvgPoolGrad", [array_ops.shape(op.inputs[0]), dy,
                                                      op.outputs[1], op.outputs[2]],
                            {"overlapping": op.attrs["overlapping"]})]


@register_op
class FractionalMaxPoolGrad(OpDef):
    """Gradient of FractionalMaxPool: inputs orig_input, orig_output, out_backprop,
    row_pooling_sequence, col_pooling_sequence; each gradient goes to its window's first
    maximum."""

    differentiable = False

    def infer(self, op):
        return [(op.inputs[0].shape, op.inputs[2].dtype.base_dtype)]

    def kernel(self, op, ctx):
        overlapping = op.attrs["overlapping"]

        def fractional_max_pool_grad(x, y, dy, rows, cols):
            n, height, width, channels = x.shape
            dx = np.zeros(x.shape, dy.dtype)
            batch = np.arange(n)[:, None]
            channel = np.arange(channels)[None, :]
            for i, j, r, c in _cells(rows, cols, height, width, overlapping):
                window = x[:, r, c, :]
                flat = window.reshape(n, -1, channels)
                index = np.argmax(flat, axis=1)
                row = r.start + index // window.shape[2]
                column = c.start + index % window.shape[2]
                np.add.at(dx, (batch, row, column, channel), dy[:, i, j, :])
            return dx
        return fractional_max_pool_grad


@register_op
class FractionalAvgPoolGrad(OpDef):
    """Gradient of FractionalAvgPool: inputs orig_input_tensor_shape, out_backprop,
    row_pooling_sequence, col_pooling_sequence; each gradient is spread evenly over its
    window."""

    differentiable = False
    shape_determining_inputs = (0,)

    def infer(self, op):
        known = constant_shape_value(op.inputs[0])
        return [(known if known.ndims == 4 else tensor_shape.unknown_shape(4),
                 op.inputs[1].dtype.base_dtype)]

    def kernel(self, op, ctx):
        overlapping = op.attrs["overlapping"]

        def fractional_avg_pool_grad(sizes, dy, rows, cols):
            shape = [int(d) for d in sizes]
            dx = np.zeros(shape, dy.dtype)
            for i, j, r, c in _cells(rows, cols, shape[1], shape[2], overlapping):
                count = (r.stop - r.start) * (c.stop - c.start)
                dx[:, r, c, :] += (dy[:, i, j, :] / count)[:, None, None, :]
            return dx
        return fractional_avg_pool_grad


def _fractional_pool(op_type, value, pooling_ratio, pseudo_random, overlapping, deterministic,
                     seed, seed2, name):
    with ops.name_scope(name, op_type, [value]) as scope:
        value = ops.convert_to_tensor(value, name="value")
        op = make_op(op_type, [value], {
            "pooling_ratio": [float(r) for r in pooling_ratio],
            "pseudo_random": bool(pseudo_random), "overlapping": bool(overlapping),
            "deterministic": bool(deterministic), "seed": int(seed), "seed2": int(seed2)},
            name=scope)
        return tuple(op.outputs)


def fractional_max_pool(value, pooling_ratio, pseudo_random=False, overlapping=False,
                        deterministic=False, seed=0, seed2=0, name=None):
    """``tf.nn.fractional_max_pool``: (output, row_pooling_sequence, col_pooling_sequence);
    ``pooling_ratio`` is [1.0, rh, rw, 1.0]."""
    return _fractional_pool("FractionalMaxPool", value, pooling_ratio, pseudo_random,
                            overlapping, deterministic, seed, seed2, name)


def fractional_avg_pool(value, pooling_ratio, pseudo_random=False, overlapping=False,
                        deterministic=False, seed=0, seed2=0, name=None):
    """``tf.nn.fractional_avg_pool``: as fractional_max_pool with window means."""
    return _fractional_pool("FractionalAvgPool", value, pooling_ratio, pseudo_random,
                            overlapping, deterministic, seed, seed2, name)
