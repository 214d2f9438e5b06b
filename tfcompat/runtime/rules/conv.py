"""Lowering rules for the convolution and pooling ops of ``ops/nn_conv_ops.py``.

Convolutions are BLAS GEMMs over an im2col patch matrix that a Numba loop writes straight
from the unpadded NHWC input (zeros where a window hangs over the border, no padded copy)
into a buffer kept per shape, in cache-sized blocks of images (im2col, GEMM and the fused
bias/ReLU pass of a block run back to back). The gradients skip the zeros of dy when it
is sparse enough (a 2x2 max pool leaves at most a quarter of it nonzero): the input
gradient sums each position's nonzero channels' filter rows and adds the patch into its
window; the filter gradient adds g * patch row per nonzero; a dense dy takes the GEMMs
(and a col2im that gathers, writing each input once). Zeros are skipped only where the
dense product would have added exact zeros (finite filter, finite input: 0 * NaN is NaN).
Max and average pooling and their gradients are single Numba passes.

``lower_convolutions`` (a pass of ``runtime/passes.py``) rewrites a specialised plan: a
Conv2D takes its BiasAdd and Relu into its output pass and hands its patch matrix to the
Conv2DBackpropFilter of the same input; a ReLU layer's MaxPoolGrad, ReluGrad and
BiasAddGrad become one step that scatters through the argmax the MaxPool kept; the layer
below's Conv2DBackpropInput, ReluGrad, BiasAddGrad and Conv2DBackpropFilter run as one step
per cache-sized block of images; neighbouring independent gradient steps run side by side
as the two tasks of one step (``threads.run_tasks``). Kept storage belongs to the
specialisation (one thread runs it at a time). Work is cut into blocks on the run's
threads (``threads.run_parts``); blocks' partial sums are added in order, so results
repeat bit for bit. Everything else — NCHW, other dtypes, ranks — keeps the NumPy
reference kernel.
"""
import numpy as np
from numba import njit

from tfcompat.ops import nn_conv_ops
from tfcompat.runtime import lifetimes, lowering, memory, threads
from tfcompat.runtime.plan import Step

_jit = njit(cache=True, error_model="numpy", nogil=True)
_FLOATS = (np.float32, np.float64)
#: Rows summed before a partial sum joins the total in the sparse filter gradient.
_SUM_BLOCK = 256
#: The gradients through a convolution skip the zeros of dy when at most this fraction of
#: it is nonzero (a 2x2 max pool leaves at most a quarter; relu about half): below it the
#: per-entry Numba loops beat the dense BLAS product plus col2im.
SPARSE_DENSITY = 0.35
#: Images of a large batch of which one in this many is counted to judge dy's density.
_DENSITY_SAMPLE = 7
#: The forward convolution runs in blocks of images whose patches and outputs take about
#: this many bytes, so the GEMM reads what im2col has just left in the cache and the bias
#: pass what the GEMM has (measured at batch 200: 24 ms a step unblocked, 20.5 blocked).
_CACHED_BYTES = 1 << 19
#: Kernels without sums across images (whose results do not depend on the cut) cut their
#: images into this many blocks a thread, taken in turn: a thread that starts late (a busy
#: machine) leaves its blocks to the others instead of finishing after them.
_BLOCKS_A_THREAD = 4


# ---- Numba passes -------------------------------------------------------------------------------
@_jit
def _im2col(x, geometry, out):
    """out[(n, oh, ow), (i, j, c)] = x[n, oh*sh + i*dh - top, ow*sw + j*dw - left, c], zeros
    where the window hangs over the border (no padded copy)."""
    n_count, height, width, channels = x.shape
    oh_count, ow_count, kh, kw, sh, sw, dh, dw, top, left = geometry
    if channels == 1:  # one value a tap: a tap's column along the row (2.5x faster)
        for n in range(n_count):
            for oh in range(oh_count):
                row = (n * oh_count + oh) * ow_count
                for i in range(kh):
                    h = oh * sh + i * dh - top
                    inside = 0 <= h < height
                    for j in range(kw):
                        for ow in range(ow_count):
                            w = ow * sw + j * dw - left
                            out[row + ow, i * kw + j] = x[n, h, w, 0] \
                                if inside and 0 <= w < width else 0.0
        return
    row = 0
    for n in range(n_count):
        for oh in range(oh_count):
            for ow in range(ow_count):
                for i in range(kh):
                    h = oh * sh + i * dh - top
                    for j in range(kw):
                        w = ow * sw + j * dw - left
                        start = (i * kw + j) * channels
                        if 0 <= h < height and 0 <= w < width:
                            for c in range(channels):
                                out[row, start + c] = x[n, h, w, c]
                        else:
                            for c in range(channels):
                                out[row, start + c] = 0.0
                row += 1


@_jit
def _source_rows(position, pad, dilation, stride, count, rows):
    """rows[k]: the output index whose tap k reads input ``position`` (-1: none)."""
    for k in range(rows.shape[0]):
        offset = position + pad - k * dilation
        index = offset // stride
        rows[k] = index if offset >= 0 and offset % stride == 0 and index < count else -1


@_jit
def _col2im(cols, geometry, out):
    """The adjoint of ``_im2col``: each input position gathers the patch entries that read
    it, taps in (i, j) order, and is written once (no zeroing pass, no scatter)."""
    n_count, height, width, channels = out.shape
    oh_count, ow_count, kh, kw, sh, sw, dh, dw, top, left = geometry
    rows_h = np.empty(kh, np.int64)
    rows_w = np.empty(kw, np.int64)
    for n in range(n_count):
        for h in range(height):
            _source_rows(h, top, dh, sh, oh_count, rows_h)
            for w in range(width):
                _source_rows(w, left, dw, sw, ow_count, rows_w)
                for c in range(channels):
                    out[n, h, w, c] = 0.0
                for i in range(kh):
                    if rows_h[i] < 0:
                        continue
                    base = (n * oh_count + rows_h[i]) * ow_count
                    for j in range(kw):
                        if rows_w[j] >= 0:
                            row, start = base + rows_w[j], (i * kw + j) * channels
                            for c in range(channels):
                                out[n, h, w, c] += cols[row, start + c]


@_jit
def _bias_relu(out, bias, relu):
    """out[row] += bias, then max(., 0) where ``relu`` (NaN stays NaN), in place: the
    BiasAdd and Relu after a convolution as one pass over its fresh GEMM output."""
    for row in range(out.shape[0]):
        for c in range(out.shape[1]):
            value = out[row, c] + bias[c]
            out[row, c] = 0.0 if relu and value < 0.0 else value


@_jit
def _relu_bias_grad(d, y, out, bias_grad):
    """ReluGrad and the BiasAddGrad of its result in one pass over (rows, channels) views:
    out = d where y > 0 else d * 0 (TF's d * (y > 0): NaN stays NaN), bias_grad = the
    column sums of out, summed in blocks of rows and then across blocks."""
    rows, channels = d.shape
    partial = np.empty_like(bias_grad)
    bias_grad[:] = 0.0
    for first in range(0, rows, _SUM_BLOCK):
        partial[:] = 0.0
        for row in range(first, min(first + _SUM_BLOCK, rows)):
            for c in range(channels):
                value = d[row, c] if y[row, c] > 0 else d[row, c] * 0
                out[row, c] = value
                partial[c] += value
        bias_grad += partial


@_jit
def _nonzeros(values, where):
    """Writes the positions of the nonzero entries of ``values`` (NaN counts) to the front
    of ``where`` without branching; returns how many there are."""
    count = 0
    for c in range(values.shape[0]):
        g = values[c]
        where[count] = c
        count += (g != 0.0) | (g != g)
    return count


@_jit
def _sparse_input_grad(dy, kernel_t, geometry, out):
    """Conv2DBackpropInput from the nonzero entries of ``dy`` alone (kernel_t: the filter
    as (out channels, taps x in channels), all finite, so the skipped zeros would have
    added exact zeros): each output position's patch gradient sums g * kernel_t[c] over
    its nonzero g = dy[..., c], two channels a pass, and is added into its window of
    ``out``, positions in order."""
    n_count, height, width, channels = out.shape
    oh_count, ow_count, kh, kw, sh, sw, dh, dw, top, left = geometry
    out_channels, size = kernel_t.shape
    patch = np.empty(size, out.dtype)
    where = np.empty(out_channels, np.int64)
    out[:] = 0.0
    for n in range(n_count):
        for oh in range(oh_count):
            for ow in range(ow_count):
                g = dy[n, oh, ow]
                count = _nonzeros(g, where)
                if count == 0:
                    continue
                patch[:] = 0.0
                for q in range(0, count - 3, 4):
                    a, b, c, e = where[q], where[q + 1], where[q + 2], where[q + 3]
                    for k in range(size):
                        patch[k] += (g[a] * kernel_t[a, k] + g[b] * kernel_t[b, k]) + (
                            g[c] * kernel_t[c, k] + g[e] * kernel_t[e, k])
                for q in range(count - count % 4, count):
                    a = where[q]
                    for k in range(size):
                        patch[k] += g[a] * kernel_t[a, k]
                for i in range(kh):
                    h = oh * sh + i * dh - top
                    if h < 0 or h >= height:
                        continue
                    for j in range(kw):
                        w = ow * sw + j * dw - left
                        if 0 <= w < width:
                            start = (i * kw + j) * channels
                            for c in range(channels):
                                out[n, h, w, c] += patch[start + c]


@_jit
def _sparse_filter_grad(cols, dy, out_t):
    """dyᵀ·cols from the nonzero entries of ``dy`` (rows: output positions; ``cols`` all
    finite): out_t[c] sums g * cols[row] over the rows whose g = dy[row, c] is nonzero,
    summed in blocks of rows and then across blocks (as BLAS blocks a long reduction)."""
    rows, out_channels = dy.shape
    size = cols.shape[1]
    where = np.empty(out_channels, np.int64)
    image = np.empty_like(out_t)
    out_t[:] = 0.0
    for first in range(0, rows, _SUM_BLOCK):
        image[:] = 0.0
        for row in range(first, min(first + _SUM_BLOCK, rows)):
            g = dy[row]
            for q in range(_nonzeros(g, where)):
                c = where[q]
                for k in range(size):
                    image[c, k] += g[c] * cols[row, k]
        out_t += image


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
def _max_pool(x, geometry, out, argmax, keep):
    """Each window's maximum into ``out`` and, where ``keep``, its position into
    ``argmax`` (h * W + w, -1 when no real input beats -inf) for the gradient."""
    channels = x.shape[3]
    best = np.empty(channels, x.dtype)
    where = np.empty(channels, np.int64)
    for n in range(out.shape[0]):
        for oh in range(out.shape[1]):
            for ow in range(out.shape[2]):
                _window_max(x, n, oh, ow, geometry, best, where)
                for c in range(channels):
                    out[n, oh, ow, c] = best[c]
                if keep:
                    for c in range(channels):
                        argmax[n, oh, ow, c] = where[c]


@_jit
def _scatter_argmax(argmax, dy, out):
    """MaxPoolGrad from the forward's ``argmax``: out (zeroed) gets each dy at its window's
    maximum."""
    width = out.shape[2]
    for n in range(dy.shape[0]):
        for oh in range(dy.shape[1]):
            for ow in range(dy.shape[2]):
                for c in range(dy.shape[3]):
                    where = argmax[n, oh, ow, c]
                    if where >= 0:
                        out[n, where // width, where % width, c] += dy[n, oh, ow, c]


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
            array = self.arrays[key] = memory.aligned_empty(shape, dtype)
        return array


def _blocks():
    """How many blocks a kernel without sums across images cuts its images into."""
    parts = threads.policy().parts()
    return parts * _BLOCKS_A_THREAD if parts > 1 else 1


def _patches(buffers, x, wh, ww):
    """The im2col patch matrix of ``x`` (kept storage), written image block by image block
    on the run's threads."""
    cols = buffers.get((x.shape[0] * wh.out * ww.out, wh.kernel * ww.kernel * x.shape[3]),
                       x.dtype)
    x, geometry, rows = np.ascontiguousarray(x), _geometry(wh, ww), wh.out * ww.out

    def block(part, first, last):
        _im2col(x[first:last], geometry, cols[first * rows:last * rows])
    threads.policy().run_parts(block, x.shape[0], _blocks())
    return cols


def _conv_windows(op, input_shape, kernel_shape):
    dilations = nn_conv_ops._spatial_values(op.attrs["dilations"], "NHWC")
    return nn_conv_ops._windows(op, input_shape, kernel_shape[:2], dilations)


def _forward(op, buffers, x, kernel, bias=None, relu=False):
    """(Conv2D of NHWC ``x``, its patch matrix): per block of images on the run's threads,
    im2col, one GEMM into the output's rows and, when ``bias`` is given, the bias (and
    ``relu``'s clamp) added in one pass over them."""
    wh, ww = _conv_windows(op, x.shape, kernel.shape)
    out_channels = kernel.shape[3]
    x, geometry, rows = np.ascontiguousarray(x), _geometry(wh, ww), wh.out * ww.out
    cols = buffers.get((x.shape[0] * rows, wh.kernel * ww.kernel * x.shape[3]), x.dtype)
    weights = np.ascontiguousarray(kernel.reshape(cols.shape[1], out_channels))
    out = np.empty((cols.shape[0], out_channels), x.dtype)

    step = max(1, _CACHED_BYTES // ((cols.shape[1] + out_channels) * rows * cols.itemsize))
    if threads.policy().blas_threads() > 1:  # BLAS's own threads want one large product
        step = x.shape[0]

    def block(part, first, last):
        for start in range(first, last, step):  # each GEMM reads patches still in cache
            stop = min(start + step, last)
            span = slice(start * rows, stop * rows)
            _im2col(x[start:stop], geometry, cols[span])
            np.dot(cols[span], weights, out=out[span])
            if bias is not None:
                _bias_relu(out[span], bias, relu)
    threads.policy().run_parts(block, x.shape[0], _blocks())
    return out.reshape(x.shape[0], wh.out, ww.out, out_channels), cols


def _filter_grad(op, buffers, x, shape, dy, cols=None):
    """Conv2DBackpropFilter of NHWC ``x`` and ``dy`` for the filter ``shape``, from the
    forward's patch matrix ``cols`` when given: dyᵀ·patches (the zero-skipping loop for a
    sparse ``dy``) per block of rows on the run's threads, the blocks' products summed in
    order, transposed."""
    if cols is None:
        cols = _patches(buffers, x, *_conv_windows(op, x.shape, shape))
    sparse = _sparse(dy) and _all_finite(x)
    dy = np.ascontiguousarray(dy).reshape(cols.shape[0], shape[3])
    # dyᵀ·patches, or (few taps: one input channel, where this order is faster) patchesᵀ·dy
    taps_first = not sparse and cols.shape[1] < shape[3]
    parts = threads.policy().parts()
    products = np.empty((parts, *((cols.shape[1], shape[3]) if taps_first
                                  else (shape[3], cols.shape[1]))), x.dtype)

    def block(part, first, last):
        if sparse:
            _sparse_filter_grad(cols[first:last], dy[first:last], products[part])
        elif taps_first:
            np.dot(cols[first:last].T, dy[first:last], out=products[part])
        else:
            np.dot(dy[first:last].T, cols[first:last], out=products[part])
    product = products[0]
    for part in range(1, threads.policy().run_parts(block, cols.shape[0], parts)):
        product = product + products[part]
    return (product if taps_first else np.ascontiguousarray(product.T)).reshape(shape)


def _input_grad_pass(kernel, dy, geometry):
    """``write(first, last, out)``: Conv2DBackpropInput of images [first, last) of ``dy``
    into ``out`` (their input gradient's shape): the zero-skipping loop for a sparse
    ``dy`` and a finite kernel, else the GEMM dy·kernelᵀ into patch rows and col2im."""
    out_channels = kernel.shape[3]
    if _sparse(dy) and _all_finite(kernel):
        kernel_t = np.ascontiguousarray(kernel.reshape(-1, out_channels).T)

        def write(first, last, out):
            _sparse_input_grad(dy[first:last], kernel_t, geometry, out)
        return write
    weights_t = kernel.reshape(-1, out_channels).T
    flat, rows = dy.reshape(-1, out_channels), dy.shape[1] * dy.shape[2]

    def write(first, last, out):
        cols = np.dot(flat[first * rows:last * rows], weights_t)
        _col2im(cols, geometry, out)
    return write


def _input_grad(shape, kernel, dy, geometry):
    """Conv2DBackpropInput per block of images on the run's threads."""
    out = np.empty(shape, dy.dtype)
    write = _input_grad_pass(kernel, dy, geometry)
    threads.policy().run_parts(lambda part, first, last: write(first, last, out[first:last]),
                               shape[0], _blocks())
    return out


def _all_finite(x):
    """True only when no entry of ``x`` is NaN or infinite, from one summing pass: an inf
    or NaN entry makes the sum inf or NaN (a finite sum that overflows answers False, and
    the caller then takes its dense path, which is right for any input)."""
    return bool(np.isfinite(np.add.reduce(x, axis=None)))


def _sparse(dy):
    """Whether few enough entries of ``dy`` (N, ...) are nonzero for the zero-skipping
    loops, judged from every ``_DENSITY_SAMPLE``-th image of a large batch (counting all of
    it cost as much as a pass of the kernel). Either answer gives the gradient."""
    images = dy.reshape(dy.shape[0], -1)
    step = _DENSITY_SAMPLE if images.shape[0] >= 4 * _DENSITY_SAMPLE else 1
    nonzero = sum(np.count_nonzero(image) for image in images[::step])
    return nonzero <= SPARSE_DENSITY * images[::step].size


def _filter_grad_fits(op, x, shape, dy):
    """Whether ``dy`` and the filter ``shape`` fit ``x`` (else the reference raises TF's
    error)."""
    if len(shape) != 4 or x.shape[3] != shape[2]:
        return False
    wh, ww = _conv_windows(op, x.shape, shape)
    return dy.shape == (x.shape[0], wh.out, ww.out, shape[3])


# ---- rules --------------------------------------------------------------------------------------
def _conv2d_kernel(op, ctx, with_patches, epilogue=()):
    """Conv2D's fast kernel; ``with_patches``: it also returns the patch matrix it built
    (None when it built none), for the Conv2DBackpropFilter of the same input;
    ``epilogue``: the BiasAdd op (and the Relu op after it) folded into the GEMM's output
    pass, whose bias the kernel takes as a third argument."""
    reference, buffers = op.op_def.kernel(op, ctx), _Buffers()
    chain = [follower.op_def.kernel(follower, ctx) for follower in epilogue]
    relu = len(epilogue) == 2

    def unfused(x, kernel, *bias):
        out = reference(x, kernel)
        if chain:
            out = chain[0](out, *bias)
        return chain[1](out) if relu else out

    def conv2d(x, kernel, *bias):
        if not _usable(x, kernel) or x.shape[3] != kernel.shape[2] or bias and (
                bias[0].ndim != 1 or bias[0].dtype != x.dtype
                or bias[0].shape[0] != kernel.shape[3]):
            return (unfused(x, kernel, *bias), None) if with_patches else unfused(x, kernel,
                                                                                  *bias)
        out, cols = _forward(op, buffers, x, kernel, bias[0] if bias else None, relu)
        return (out, cols) if with_patches else out
    return conv2d


def _filter_grad_kernel(op, ctx, with_patches):
    """Conv2DBackpropFilter's fast kernel; ``with_patches``: it takes the forward's patch
    matrix of the same input as a last argument (None: it builds its own)."""
    reference, buffers = op.op_def.kernel(op, ctx), _Buffers()

    def conv2d_backprop_filter(x, sizes, dy, cols=None):
        shape = tuple(int(d) for d in sizes)
        if not _usable(x, dy) or not _filter_grad_fits(op, x, shape, dy):
            return reference(x, sizes, dy)
        if cols is not None and cols.shape[1] != shape[0] * shape[1] * shape[2]:
            cols = None
        return _filter_grad(op, buffers, x, shape, dy, cols)
    if with_patches:
        return conv2d_backprop_filter
    return lambda x, sizes, dy: conv2d_backprop_filter(x, sizes, dy)


lowering.own_threads("Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter")


@lowering.fast_kernel("Conv2D")
def conv2d_rule(op, ctx):
    return _conv2d_kernel(op, ctx, False) if _eligible(op) else None


@lowering.fast_kernel("Conv2DBackpropFilter")
def conv2d_backprop_filter_rule(op, ctx):
    return _filter_grad_kernel(op, ctx, False) if _eligible(op) else None


@lowering.fast_kernel("Conv2DBackpropInput")
def conv2d_backprop_input_rule(op, ctx):
    if not _eligible(op):
        return None
    reference = op.op_def.kernel(op, ctx)

    def conv2d_backprop_input(sizes, kernel, dy):
        fits = _input_grad_fits(op, sizes, kernel, dy)
        if fits is None:
            return reference(sizes, kernel, dy)
        return _input_grad(fits[0], kernel, np.ascontiguousarray(dy), fits[1])
    return conv2d_backprop_input


def _input_grad_fits(op, sizes, kernel, dy):
    """(input shape, window geometry) of a Conv2DBackpropInput whose operands its fast
    kernel takes, else None (the reference raises TF's error for those that do not fit)."""
    shape = tuple(int(d) for d in sizes)
    if not _usable(kernel, dy) or len(shape) != 4 or kernel.shape[2] != shape[3] \
            or dy.shape[3] != kernel.shape[3]:
        return None
    wh, ww = _conv_windows(op, shape, kernel.shape)
    if dy.shape != (shape[0], wh.out, ww.out, kernel.shape[3]):
        return None
    return shape, _geometry(wh, ww)


# ---- the plan rewrite sharing patch matrices -----------------------------------------------------
_GEOMETRY_ATTRS = ("strides", "padding", "dilations", "data_format")
_SHARING = ("Conv2D", "Conv2DBackpropFilter")


def _shares_geometry(forward, backward):
    return all(forward.op.attrs.get(name) == backward.op.attrs.get(name)
               for name in _GEOMETRY_ATTRS)


def _epilogues(steps, kept_slots):
    """{Conv2D step: [BiasAdd step] or [BiasAdd step, Relu step]} for the NHWC chains
    whose intermediate values nothing else reads (nor fetches)."""
    readers = {}
    for step in steps:
        for slot in step.inputs:
            readers.setdefault(slot, []).append(step)

    def only_reader(step, op_type):
        found = readers.get(step.outputs[0], [])
        if len(found) != 1 or step.outputs[0] in kept_slots:
            return None
        follower = found[0]
        plain = type(follower) is Step and not follower.maybe_dead
        return follower if plain and follower.op.type == op_type \
            and follower.inputs[0] == step.outputs[0] else None

    chains = {}
    for step in steps:
        if type(step) is Step and step.op.type == "Conv2D" and not step.maybe_dead \
                and _eligible(step.op):
            bias = only_reader(step, "BiasAdd")
            if bias is None or bias.op.attrs.get("data_format", "NHWC") != "NHWC":
                continue
            relu = only_reader(bias, "Relu")
            chains[step] = [bias] if relu is None else [bias, relu]
    return chains


def _relu_layer_grad_kernel(ctx, relu_grad, bias_grad, max_pool_grad=None):
    """One step for a ReLU layer's backward pass: ReluGrad and the BiasAddGrad of its
    result in one pass, after the MaxPoolGrad whose input is the Relu's output when
    ``max_pool_grad`` is given (its result, which nothing else reads, goes to storage the
    kernel keeps). The kernel takes (d, y), or the MaxPoolGrad's inputs (y, pooled, dy)
    and optionally the forward MaxPool's argmax, and returns (ReluGrad, BiasAddGrad)."""
    relu_reference = relu_grad.op_def.kernel(relu_grad, ctx)
    bias_reference = bias_grad.op_def.kernel(bias_grad, ctx)
    pool_reference = max_pool_grad and max_pool_grad.op_def.kernel(max_pool_grad, ctx)
    buffers = _Buffers()

    def pooled_geometry(y, pooled, dy):
        """The MaxPoolGrad's window geometry, or None where its fast kernel does not fit."""
        if not _usable(y, pooled, dy) or not _eligible(max_pool_grad):
            return None
        wh, ww = nn_conv_ops._pool_windows(max_pool_grad, y.shape)
        return _geometry(wh, ww) if dy.shape == (y.shape[0], wh.out, ww.out, y.shape[3]) \
            else None

    def relu_layer_grad(*inputs):
        argmax = inputs[3] if len(inputs) == 4 else None
        inputs = inputs[:3] if max_pool_grad else inputs
        geometry = pooled_geometry(*inputs) if max_pool_grad else None
        if max_pool_grad and geometry is None:
            d, y = pool_reference(*inputs), inputs[0]
        elif max_pool_grad:
            y, dy = np.ascontiguousarray(inputs[0]), np.ascontiguousarray(inputs[2])
            d = buffers.get(y.shape, y.dtype)
        else:
            d, y = inputs
        if d.ndim != 4 or not _usable(d, y) or d.shape != y.shape:
            out = relu_reference(d, y)
            return out, bias_reference(out)
        d, y = np.ascontiguousarray(d), np.ascontiguousarray(y)
        out, channels = np.empty(d.shape, d.dtype), d.shape[3]
        parts = threads.policy().parts()
        biases = np.empty((parts, channels), d.dtype)

        def block(part, first, last):
            if geometry is not None:
                d[first:last] = 0.0
                if argmax is not None and argmax.shape == dy.shape:
                    _scatter_argmax(argmax[first:last], dy[first:last], d[first:last])
                else:
                    _max_pool_grad(y[first:last], dy[first:last], geometry, d[first:last])
            _relu_bias_grad(d[first:last].reshape(-1, channels),
                            y[first:last].reshape(-1, channels),
                            out[first:last].reshape(-1, channels), biases[part])
        bias = biases[0]
        for part in range(1, threads.policy().run_parts(block, d.shape[0], parts)):
            bias = bias + biases[part]
        return out, bias
    return relu_layer_grad


def _relu_layer_grads(steps, kept_slots, value_of):
    """{ReluGrad step: (BiasAddGrad step, MaxPoolGrad step or None)} for NHWC rank-4
    ReLU layers whose bias gradient reads the ReluGrad; the MaxPoolGrad joins when the
    ReluGrad alone reads its result and it pooled the Relu's output."""
    readers, producer = {}, {}
    for step in steps:
        for slot in step.inputs:
            readers.setdefault(slot, []).append(step)
        for slot in step.outputs:
            producer[slot] = step

    def plain(step, op_type):
        return type(step) is Step and not step.maybe_dead and step.op.type == op_type \
            and step.op.attrs.get("data_format", "NHWC") == "NHWC"

    layers = {}
    for step in steps:
        if not plain(step, "ReluGrad") or np.ndim(value_of(step.outputs[0])) != 4:
            continue
        bias = next((r for r in readers.get(step.outputs[0], ())
                     if plain(r, "BiasAddGrad")), None)
        if bias is None:
            continue
        pool = producer.get(step.inputs[0])
        if pool is None or not plain(pool, "MaxPoolGrad") \
                or len(readers.get(step.inputs[0], ())) != 1 or step.inputs[0] in kept_slots \
                or pool.inputs[0] != step.inputs[1]:
            pool = None
        layers[step] = (bias, pool)
    return layers


def _input_relu_filter_kernel(ctx, input_step, relu_step, filter_step):
    """One step for a Conv2DBackpropInput whose result only the ReLU-layer gradient step
    (``_relu_layer_grad_kernel``, no MaxPoolGrad) reads, whose ReluGrad result only the
    layer's Conv2DBackpropFilter reads: per block of images small enough for the cache,
    the input gradient, ReluGrad with its bias sum and the filter gradient's GEMM run back
    to back, and neither of the two gradients in between is materialised. The kernel
    takes (sizes, kernel, dy, y, x, filter sizes[, x's patch matrix]) and returns
    (BiasAddGrad, Conv2DBackpropFilter); whatever its fast path does not take runs the
    three steps' own kernels in turn (and raises their errors)."""
    input_grad, relu_grad, filter_grad = (input_step.kernel, relu_step.kernel,
                                          filter_step.kernel)
    buffers = _Buffers()

    def unfused(sizes, kernel, dy, y, x, filter_sizes, *patches):
        relu_out, bias = relu_grad(input_grad(sizes, kernel, dy), y)
        return bias, filter_grad(x, filter_sizes, relu_out, *patches)

    def fused(sizes, kernel, dy, y, x, filter_sizes, *patches):
        fits = _input_grad_fits(input_step.op, sizes, kernel, dy)
        filter_shape = tuple(int(d) for d in filter_sizes)
        if fits is None or not _usable(dy, y, x) or y.shape != fits[0] \
                or not _filter_grad_fits(filter_step.op, x, filter_shape, y):
            return unfused(sizes, kernel, dy, y, x, filter_sizes, *patches)
        windows = _conv_windows(filter_step.op, x.shape, filter_shape)
        taps = filter_shape[0] * filter_shape[1] * filter_shape[2]
        cols = patches[0] if patches and patches[0] is not None \
            and patches[0].shape == (x.shape[0] * y.shape[1] * y.shape[2], taps) else None
        write = _input_grad_pass(kernel, np.ascontiguousarray(dy), fits[1])
        return _chained_grads(buffers, write, np.ascontiguousarray(y),
                              np.ascontiguousarray(x), filter_shape, windows, cols)
    return fused


def _chained_grads(buffers, write, y, x, filter_shape, windows, cols):
    """(bias gradient, filter gradient) of the layer whose input gradient ``write`` gives
    (``_input_relu_filter_kernel``), image block by image block on the run's threads;
    sums over blocks and parts are added in order."""
    rows, channels = y.shape[1] * y.shape[2], y.shape[3]
    taps = filter_shape[0] * filter_shape[1] * filter_shape[2]
    images = max(1, _CACHED_BYTES // ((3 * channels + taps) * rows * y.itemsize))
    taps_first = taps < channels  # the filter gradient's faster GEMM order (few taps)
    parts = threads.policy().parts()
    grads = buffers.get((parts, 2, images * rows, channels), y.dtype)  # dx, ReluGrad
    own_cols = buffers.get((parts, images * rows, taps), y.dtype) if cols is None else None
    products = np.zeros((parts, *((taps, channels) if taps_first else (channels, taps))),
                        y.dtype)
    biases = np.zeros((parts, channels), y.dtype)
    geometry = _geometry(*windows)

    def block(part, first, last):
        bias_part = np.empty(channels, y.dtype)
        for start in range(first, last, images):
            stop = min(start + images, last)
            span = (stop - start) * rows
            d, z = grads[part, 0, :span], grads[part, 1, :span]
            write(start, stop, d.reshape(stop - start, *y.shape[1:]))
            _relu_bias_grad(d, y[start:stop].reshape(span, channels), z, bias_part)
            biases[part] += bias_part
            if cols is None:
                patches = own_cols[part, :span]
                _im2col(x[start:stop], geometry, patches)
            else:
                patches = cols[start * rows:stop * rows]
            products[part] += np.dot(patches.T, z) if taps_first else np.dot(z.T, patches)
    total_parts = threads.policy().run_parts(block, y.shape[0], parts)
    bias, product = biases[0], products[0]
    for part in range(1, total_parts):
        bias, product = bias + biases[part], product + products[part]
    product = product if taps_first else product.T
    return bias, np.ascontiguousarray(product).reshape(filter_shape)


def _same_pooling(forward, backward):
    return all(forward.op.attrs.get(name) == backward.op.attrs.get(name)
               for name in ("ksize", "strides", "padding", "data_format"))


def lower_convolutions(steps, state, kept_slots, value_of):
    """``steps`` (a specialised plan's) with the convolutions' plan-level rewrites:

    - a Conv2D whose only reader is a BiasAdd (and its only reader a Relu) becomes one
      step in the last one's place, adding the bias and clamping in the GEMM output's
      pass; the values in between are never materialised (nothing else reads them);
    - a rank-4 ReluGrad and the BiasAddGrad of its result become one step in the
      ReluGrad's place (one pass computing both), with the MaxPoolGrad before it when the
      ReluGrad alone reads that and it pooled the Relu's output;
    - that MaxPoolGrad's MaxPool (same input, same windows) keeps each window's argmax
      for it (kept storage, a new slot), so the gradient scatters without searching;
    - each Conv2D and the Conv2DBackpropFilter that reads the same input slot, with the
      same strides, padding and dilations, share one patch matrix: the forward's kernel
      also returns the matrix it keeps (storage owned by this specialisation, which one
      thread runs at a time) into a new slot, which the filter gradient reads instead of
      building it again. Inputs that may be variable storage are left alone (an update
      between the two steps could change them);
    - a Conv2DBackpropInput whose result only a ReLU layer's gradient step (without a
      MaxPoolGrad) reads, and whose ReluGrad result only the layer's Conv2DBackpropFilter
      reads, becomes one step with them (``_chain_input_relu_filter``);
    - two neighbouring independent gradient steps become one step of two tasks that run
      side by side on the run's threads (``_pair_gradients``).

    Steps on a tf.cond branch and what the fast kernels do not take (NCHW, other dtypes)
    keep their kernels."""
    chains = _epilogues(steps, kept_slots)
    layers = _relu_layer_grads(steps, kept_slots, value_of)
    folded = {part for bias, pool in layers.values() for part in (bias, pool) if part}
    merged = {follower for chain in chains.values() for follower in chain}
    ends = {chain[-1]: forward for forward, chain in chains.items()}
    state_values = lifetimes.state_slots(steps)
    forwards, epilogue_of, shared, pools = {}, {}, set(), {}
    rewritten, poolless = [], []
    for step in steps:
        if step in chains or step in folded:
            continue  # it runs in a later step's place (or its ReluGrad's)
        if step in layers:
            bias, pool = layers[step]
            kernel = _relu_layer_grad_kernel(state, step.op, bias.op, pool and pool.op)
            step = Step(step.op, kernel, list(pool.inputs) if pool else step.inputs,
                        step.outputs + bias.outputs)
            if pool is None:
                poolless.append(step)
            forward = pool and pools.get((pool.inputs[0], pool.inputs[1]))
            if forward is not None and _same_pooling(forward, pool):
                if len(forward.outputs) == 1:
                    forward.outputs.append(f"argmax{forward.op._id}")
                    forward.kernel = _max_pool_keeping_argmax(forward.op, state)
                step.inputs.append(forward.outputs[1])
        if step in merged:
            if step not in ends:
                continue
            forward = ends[step]
            chain = chains[forward]
            step = Step(forward.op, forward.kernel, forward.inputs + [chain[0].inputs[1]],
                        list(step.outputs))
            epilogue_of[step] = [follower.op for follower in chain]
            step.kernel = _conv2d_kernel(step.op, state, False, epilogue_of[step])
        rewritten.append(step)
        if type(step) is Step and step.op.type == "MaxPool" and not step.maybe_dead \
                and _eligible(step.op) and step.inputs[0] not in state_values:
            pools[(step.inputs[0], step.outputs[0])] = step
        if type(step) is not Step or step.op.type not in _SHARING or step.maybe_dead \
                or not _eligible(step.op) or step.inputs[0] in state_values:
            continue
        if step.op.type == "Conv2D":
            forwards.setdefault(step.inputs[0], []).append(step)
            continue
        forward = next((f for f in forwards.get(step.inputs[0], ())
                        if _shares_geometry(f, step)), None)
        if forward is not None:
            slot = f"patches{forward.op._id}"
            if forward not in shared:
                shared.add(forward)
                forward.outputs.append(slot)
                forward.kernel = _conv2d_kernel(forward.op, state, True,
                                                epilogue_of.get(forward, ()))
            step.inputs.append(slot)
            step.kernel = _filter_grad_kernel(step.op, state, True)
    rewritten = _chain_input_relu_filter(rewritten, state, kept_slots, poolless)
    return _pair_gradients(rewritten, value_of)


def _chain_input_relu_filter(steps, state, kept_slots, relu_layers):
    """``steps`` with each Conv2DBackpropInput -> ReLU-layer gradient (of ``relu_layers``)
    -> Conv2DBackpropFilter chain as one step in the filter gradient's place
    (``_input_relu_filter_kernel``), where nothing else reads or fetches the two
    gradients in between and nothing before that place reads the bias gradient."""
    readers, producer, position = {}, {}, {}
    for index, step in enumerate(steps):
        position[step] = index
        for slot in step.inputs:
            readers.setdefault(slot, []).append(step)
        for slot in step.outputs:
            producer[slot] = step

    def only_reader(slot):
        found = readers.get(slot, [])
        return found[0] if len(found) == 1 and slot not in kept_slots else None

    def plain(step, op_type):
        return type(step) is Step and not step.maybe_dead \
            and step.op.type == op_type and _eligible(step.op)

    chains = {}
    for relu in relu_layers:
        source, target = producer.get(relu.inputs[0]), only_reader(relu.outputs[0])
        if plain(source, "Conv2DBackpropInput") and plain(target, "Conv2DBackpropFilter") \
                and only_reader(relu.inputs[0]) is relu and target.inputs[2] == relu.outputs[0] \
                and all(position[r] > position[target] for r in readers.get(relu.outputs[1], ())):
            chains[target] = (source, relu)
    folded = {part for chain in chains.values() for part in chain}
    rewritten = []
    for step in steps:
        if step in folded:
            continue
        if step in chains:
            source, relu = chains[step]
            kernel = _input_relu_filter_kernel(state, source, relu, step)
            step = Step(step.op, kernel, source.inputs + [relu.inputs[1]] + step.inputs[:2]
                        + step.inputs[3:], relu.outputs[1:] + step.outputs)
        rewritten.append(step)
    return rewritten


_PAIRED = ("Conv2DBackpropFilter", "Conv2DBackpropInput")


#: A MatMul joins a pair when it multiplies at least this many times (m * k * n): below
#: it handing it to another thread costs more than it saves.
PAIRED_PRODUCT = 1 << 20


def _pair_gradients(steps, value_of):
    """``steps`` with each two neighbouring convolution gradient steps (fast kernels,
    the chained ones included), or in a plan with convolutions two large MatMul steps (a
    dense layer's two gradients, BLAS at one thread there), of which the second reads
    nothing the first writes as one step running both side by side (``_paired_kernel``):
    two whole kernels on two threads waste less than each cut in two blocks in turn."""
    convolutions = any(type(step) is Step and step.op.type in _PAIRED for step in steps)

    def large_product(step):
        a, out = value_of(step.inputs[0]), value_of(step.outputs[0])
        if not convolutions or np.ndim(a) != 2 or np.ndim(out) != 2:
            return False
        inner = a.shape[0] if step.op.attrs.get("transpose_a") else a.shape[1]
        return out.size * inner >= PAIRED_PRODUCT

    def pairable(step):
        return type(step) is Step and not step.maybe_dead and (
            step.op.type in _PAIRED or step.op.type == "MatMul" and large_product(step)) \
            and _eligible(step.op)

    rewritten, paired = [], set()
    for step in steps:
        previous = rewritten[-1] if rewritten else None
        if pairable(step) and pairable(previous) and previous not in paired \
                and not set(previous.outputs) & set(step.inputs):
            rewritten[-1] = Step(previous.op, _paired_kernel(previous, step),
                                 previous.inputs + step.inputs, previous.outputs + step.outputs)
            paired.add(rewritten[-1])
        else:
            rewritten.append(step)
    return rewritten


def _paired_kernel(first, second):
    """The kernel of two independent steps: both run as tasks of ``threads.run_tasks``
    (side by side when the run has two threads), their outputs in order."""
    split, kernels = len(first.inputs), (first.kernel, second.kernel)
    single = (len(first.outputs) == 1, len(second.outputs) == 1)

    def paired(*inputs):
        results = threads.policy().run_tasks([
            lambda: kernels[0](*inputs[:split]), lambda: kernels[1](*inputs[split:])])
        return tuple(value for result, one in zip(results, single, strict=True)
                     for value in ((result,) if one else result))
    return paired


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
    _max_pool_blocks(inputs[0], _geometry(wh, ww), out, None)
    return out


def _max_pool_blocks(x, geometry, out, argmax):
    """``_max_pool`` image block by image block on the run's threads (keeping the
    windows' argmax when ``argmax`` is given)."""
    def block(part, first, last):
        if argmax is None:
            _max_pool(x[first:last], geometry, out[first:last], _NO_ARGMAX, False)
        else:
            _max_pool(x[first:last], geometry, out[first:last], argmax[first:last], True)
    threads.policy().run_parts(block, x.shape[0], _blocks())


_NO_ARGMAX = np.empty((0, 0, 0, 0), np.int32)


def _max_pool_keeping_argmax(op, ctx):
    """MaxPool's fast kernel also returning the windows' argmax (kept storage, None when
    the reference ran) for the fused gradient of the same pooling."""
    reference, buffers = op.op_def.kernel(op, ctx), _Buffers()

    def run(inputs, shape, wh, ww):
        out = np.empty((shape[0], wh.out, ww.out, shape[3]), inputs[0].dtype)
        argmax = buffers.get(out.shape, np.int32)
        _max_pool_blocks(inputs[0], _geometry(wh, ww), out, argmax)
        return out, argmax
    fast = _pool_rule(op, ctx, run)

    def max_pool(x):
        result = fast(x)
        return result if isinstance(result, tuple) else (result, None)
    return max_pool if fast else lambda x: (reference(x), None)


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
