"""Lowering rules for the convolution and pooling ops of ``ops/nn_conv_ops.py``.

Convolutions are BLAS GEMMs over an im2col patch matrix that a Numba loop writes straight
from the unpadded NHWC input (zeros where a window hangs over the border, no padded copy),
into a buffer kept per shape across runs; the input gradient is the GEMM dy @ kernelᵀ
scattered back by a Numba col2im. Max and average pooling and their gradients are single
Numba passes over the input (MaxPoolGrad recomputes each window's first maximum rather than
storing it). Everything else — NCHW, other dtypes, ranks — keeps the NumPy reference kernel.
"""
import numpy as np
from numba import njit

from tfcompat.ops import nn_conv_ops
from tfcompat.runtime import lowering

_jit = njit(cache=True, error_model="numpy", nogil=True)
_FLOATS = (np.float32, np.float64)


# ---- Numba passes -------------------------------------------------------------------------------
@_jit
def _im2col(x, geometry, out):
    """out[(n, oh, ow), (i, j, c)] = x[n, oh*sh + i*dh - top, ow*sw + j*dw - left, c]."""
    n_count, height, width, channels = x.shape
    oh_count, ow_count, kh, kw, sh, sw, dh, dw, top, left = geometry
    row = 0
    for n in range(n_count):
        for oh in range(oh_count):
            for ow in range(ow_count):
                column = 0
                for i in range(kh):
                    h = oh * sh + i * dh - top
                    for j in range(kw):
                        w = ow * sw + j * dw - left
                        inside = 0 <= h < height and 0 <= w < width
                        for c in range(channels):
                            out[row, column + c] = x[n, h, w, c] if inside else 0.0
                        column += channels
                row += 1


@_jit
def _col2im(cols, geometry, out):
    """The adjoint of ``_im2col``: sums patch rows back into ``out`` (zeroed, NHWC), kernel
    position by kernel position as the reference does."""
    n_count, height, width, channels = out.shape
    oh_count, ow_count, kh, kw, sh, sw, dh, dw, top, left = geometry
    for n in range(n_count):
        for i in range(kh):
            for j in range(kw):
                column = (i * kw + j) * channels
                for oh in range(oh_count):
                    h = oh * sh + i * dh - top
                    if h < 0 or h >= height:
                        continue
                    row = (n * oh_count + oh) * ow_count
                    for ow in range(ow_count):
                        w = ow * sw + j * dw - left
                        if 0 <= w < width:
                            for c in range(channels):
                                out[n, h, w, c] += cols[row + ow, column + c]


@_jit
def _window_max(x, n, oh, ow, geometry, best, where):
    """Each channel's first maximum over window (oh, ow) of image n (NaN wins, as argmax);
    ``where`` gets the flat input position h * W + w, -1 when no real input beats -inf."""
    _, height, width, channels = x.shape
    oh_count, ow_count, kh, kw, sh, sw, dh, dw, top, left = geometry
    for c in range(channels):
        best[c] = -np.inf
        where[c] = -1
    for i in range(kh):
        h = oh * sh + i - top
        if h < 0 or h >= height:
            continue
        for j in range(kw):
            w = ow * sw + j - left
            if w < 0 or w >= width:
                continue
            for c in range(channels):
                value = x[n, h, w, c]
                if value > best[c] or (value != value and best[c] == best[c]):
                    best[c] = value
                    where[c] = h * width + w


@_jit
def _max_pool(x, geometry, out):
    channels = x.shape[3]
    best = np.empty(channels, x.dtype)
    where = np.empty(channels, np.int64)
    for n in range(out.shape[0]):
        for oh in range(out.shape[1]):
            for ow in range(out.shape[2]):
                _window_max(x, n, oh, ow, geometry, best, where)
                for c in range(channels):
                    out[n, oh, ow, c] = best[c]


@_jit
def _max_pool_grad(x, dy, geometry, out):
    """Adds each dy to its window's first maximum in ``out`` (zeroed, shaped like x)."""
    width, channels = x.shape[2], x.shape[3]
    best = np.empty(channels, x.dtype)
    where = np.empty(channels, np.int64)
    for n in range(dy.shape[0]):
        for oh in range(dy.shape[1]):
            for ow in range(dy.shape[2]):
                _window_max(x, n, oh, ow, geometry, best, where)
                for c in range(channels):
                    if where[c] >= 0:
                        out[n, where[c] // width, where[c] % width, c] += dy[n, oh, ow, c]


@_jit
def _avg_pool(x, geometry, out, backward):
    """Window means over real inputs (forward: x -> out), or each dy spread evenly over its
    window (backward: x is dy, out is zeroed and shaped like the input)."""
    source, target = (out, x) if backward else (x, out)
    _, height, width, channels = source.shape
    oh_count, ow_count, kh, kw, sh, sw, dh, dw, top, left = geometry
    for n in range(target.shape[0]):
        for oh in range(oh_count):
            h0, h1 = max(oh * sh - top, 0), min(oh * sh - top + kh, height)
            for ow in range(ow_count):
                w0, w1 = max(ow * sw - left, 0), min(ow * sw - left + kw, width)
                scale = 1.0 / ((h1 - h0) * (w1 - w0))
                for c in range(channels):
                    if backward:
                        share = x[n, oh, ow, c] * scale
                        for h in range(h0, h1):
                            for w in range(w0, w1):
                                out[n, h, w, c] += share
                    else:
                        total = 0.0
                        for h in range(h0, h1):
                            for w in range(w0, w1):
                                total += x[n, h, w, c]
                        out[n, oh, ow, c] = total * scale


# ---- helpers ------------------------------------------------------------------------------------
def _geometry(wh, ww):
    return np.array([wh.out, ww.out, wh.kernel, ww.kernel, wh.stride, ww.stride, wh.dilation,
                     ww.dilation, wh.before, ww.before], dtype=np.int64)


def _eligible(op):
    """NHWC float32/float64 ops only (the reference handles everything else)."""
    return (op.attrs.get("data_format", "NHWC") == "NHWC"
            and op.outputs[0].dtype.base_dtype.as_numpy_dtype in _FLOATS)


def _usable(*arrays):
    dtype = arrays[0].dtype
    return all(a.ndim == 4 and a.dtype == dtype for a in arrays) and dtype in _FLOATS


class _Buffers:
    """One patch matrix per shape and dtype, reused across runs (never handed out)."""

    def __init__(self):
        self.arrays = {}

    def get(self, shape, dtype):
        key = (shape, np.dtype(dtype).str)
        array = self.arrays.get(key)
        if array is None:
            array = self.arrays[key] = np.empty(shape, dtype)
        return array


def _patches(buffers, x, wh, ww):
    cols = buffers.get((x.shape[0] * wh.out * ww.out, wh.kernel * ww.kernel * x.shape[3]),
                       x.dtype)
    _im2col(np.ascontiguousarray(x), _geometry(wh, ww), cols)
    return cols


def _conv_windows(op, input_shape, kernel_shape):
    dilations = nn_conv_ops._hw(op.attrs["dilations"], "NHWC")
    return nn_conv_ops._windows(op, input_shape, kernel_shape[:2], dilations)


# ---- rules --------------------------------------------------------------------------------------
@lowering.fast_kernel("Conv2D")
def conv2d_rule(op, ctx):
    if not _eligible(op):
        return None
    reference, buffers = op.op_def.kernel(op, ctx), _Buffers()

    def conv2d(x, kernel):
        if not _usable(x, kernel) or x.shape[3] != kernel.shape[2]:
            return reference(x, kernel)
        wh, ww = _conv_windows(op, x.shape, kernel.shape)
        cols = _patches(buffers, x, wh, ww)
        out = np.dot(cols, kernel.reshape(cols.shape[1], -1))
        return out.reshape(x.shape[0], wh.out, ww.out, kernel.shape[3])
    return conv2d


@lowering.fast_kernel("Conv2DBackpropFilter")
def conv2d_backprop_filter_rule(op, ctx):
    if not _eligible(op):
        return None
    reference, buffers = op.op_def.kernel(op, ctx), _Buffers()

    def conv2d_backprop_filter(x, sizes, dy):
        shape = tuple(int(d) for d in sizes)
        if not _usable(x, dy) or len(shape) != 4:
            return reference(x, sizes, dy)
        wh, ww = _conv_windows(op, x.shape, shape)
        cols = _patches(buffers, x, wh, ww)
        return np.dot(cols.T, dy.reshape(cols.shape[0], -1)).reshape(shape)
    return conv2d_backprop_filter


@lowering.fast_kernel("Conv2DBackpropInput")
def conv2d_backprop_input_rule(op, ctx):
    if not _eligible(op):
        return None
    reference = op.op_def.kernel(op, ctx)

    def conv2d_backprop_input(sizes, kernel, dy):
        shape = tuple(int(d) for d in sizes)
        if not _usable(kernel, dy) or len(shape) != 4:
            return reference(sizes, kernel, dy)
        wh, ww = _conv_windows(op, shape, kernel.shape)
        out_channels = kernel.shape[3]
        cols = np.dot(dy.reshape(-1, out_channels), kernel.reshape(-1, out_channels).T)
        out = np.zeros(shape, dy.dtype)
        _col2im(cols, _geometry(wh, ww), out)
        return out
    return conv2d_backprop_input


def _pool_rule(op, ctx, run):
    """A pooling fast kernel: ``run(inputs, wh, ww)`` for NHWC float inputs."""
    if not _eligible(op):
        return None
    reference = op.op_def.kernel(op, ctx)

    def pool(*inputs):
        arrays = [a for a in inputs if a.ndim == 4]
        if not _usable(*arrays):
            return reference(*inputs)
        image_shape = (tuple(int(d) for d in inputs[0]) if inputs[0].ndim == 1
                       else inputs[0].shape)
        wh, ww = nn_conv_ops._pool_windows(op, image_shape)
        return run([np.ascontiguousarray(a) if a.ndim == 4 else a for a in inputs],
                   image_shape, wh, ww)
    return pool


def _run_max_pool(inputs, shape, wh, ww):
    out = np.empty((shape[0], wh.out, ww.out, shape[3]), inputs[0].dtype)
    _max_pool(inputs[0], _geometry(wh, ww), out)
    return out


def _run_max_pool_grad(inputs, shape, wh, ww):
    x, _, dy = inputs
    out = np.zeros(shape, dy.dtype)
    _max_pool_grad(x, dy, _geometry(wh, ww), out)
    return out


def _run_avg_pool_forward(inputs, shape, wh, ww):
    out = np.empty((shape[0], wh.out, ww.out, shape[3]), inputs[0].dtype)
    _avg_pool(inputs[0], _geometry(wh, ww), out, False)
    return out


def _run_avg_pool_backward(inputs, shape, wh, ww):
    dy = inputs[1]
    out = np.zeros(shape, dy.dtype)
    _avg_pool(dy, _geometry(wh, ww), out, True)
    return out


@lowering.fast_kernel("MaxPool")
def max_pool_rule(op, ctx):
    return _pool_rule(op, ctx, _run_max_pool)


@lowering.fast_kernel("MaxPoolGrad")
def max_pool_grad_rule(op, ctx):
    return _pool_rule(op, ctx, _run_max_pool_grad)


@lowering.fast_kernel("AvgPool")
def avg_pool_rule(op, ctx):
    return _pool_rule(op, ctx, _run_avg_pool_forward)


@lowering.fast_kernel("AvgPoolGrad")
def avg_pool_grad_rule(op, ctx):
    return _pool_rule(op, ctx, _run_avg_pool_backward)
