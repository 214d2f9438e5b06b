"""Convolution and pooling ops (TF's nn_ops.cc / nn_grad.py): Conv2D with its two backprop
ops, DepthwiseConv2dNative with its backprops, MaxPool/AvgPool with their gradient ops,
MaxPoolWithArgmax and LRN, plus the ``tf.nn`` builders composed from them (conv1d,
conv2d_transpose, separable_conv2d, atrous_conv2d, convolution).

Every backprop op is a real op with its own gradient, as in TF, so second-order gradients
work. Reference kernels work in NHWC (NCHW inputs are transposed in and out): a convolution
is an im2col patch view (a strided view of the padded input, [N, OH, OW, KH, KW, C]) times
the filter as one GEMM; its input gradient scatters the patch gradients back (col2im). SAME
padding splits an odd total as TF does: the extra row/column goes after. Faster kernels for
specialised plans live in ``tfcompat/runtime/rules/conv.py``.
"""
import collections

import numpy as np

from tfcompat.framework import dtypes, errors, ops, tensor_shape
from tfcompat.framework.op_def import OpDef, constant_shape_value, make_op, make_tensor, \
    register_op
from tfcompat.ops import array_ops
from tfcompat.ops.nn_ops import _FLOATS, _check_dtype, _check_same_dtype, _input_shapes, \
    _merge_dims, _with_rank

# The tf.nn builders (TF 1.x has none of them at the top level, so tfcompat/__init__.py does
# not star-import this module; tfcompat/nn.py imports these names).
__all__ = ["conv2d", "conv2d_backprop_input", "conv2d_backprop_filter", "conv1d",
           "conv2d_transpose", "depthwise_conv2d", "depthwise_conv2d_native",
           "separable_conv2d", "atrous_conv2d", "convolution", "max_pool", "avg_pool",
           "max_pool_with_argmax", "local_response_normalization", "lrn"]

_PADDINGS = ("SAME", "VALID")
_FORMATS = ("NHWC", "NCHW")


# ---- geometry ---------------------------------------------------------------------------------
Window = collections.namedtuple("Window", "size kernel stride dilation out before after")


def window(size, kernel, stride, dilation, padding):
    """One spatial dimension's output size and padding (TF's GetWindowedOutputSize): SAME
    gives ceil(size / stride) and pads (out - 1) * stride + effective kernel - size, the odd
    element after; VALID gives ceil((size - effective kernel + 1) / stride) and no padding."""
    effective = (kernel - 1) * dilation + 1
    if padding == "SAME":
        out = -(-size // stride)
        total = max((out - 1) * stride + effective - size, 0)
        return Window(size, kernel, stride, dilation, out, total // 2, total - total // 2)
    out = -(-(size - effective + 1) // stride)
    return Window(size, kernel, stride, dilation, out, 0, 0)


def _static_out(op, size, kernel, stride, dilation, padding):
    """The static output dimension (None when unknown), with TF's negative-size error."""
    if size is None or kernel is None:
        return None
    effective = (kernel - 1) * dilation + 1
    if padding == "VALID" and size < effective:
        raise ValueError(f"Negative dimension size caused by subtracting {effective} from "
                         f"{size} for '{op.name}' (op: '{op.type}') with input shapes: "
                         f"{_input_shapes(op)}.")
    return window(size, kernel, stride, dilation, padding).out


def _spatial(data_format):
    return (2, 3) if data_format == "NCHW" else (1, 2)


def _channel(data_format):
    return 1 if data_format == "NCHW" else 3


def _check_attrs(op, names):
    """TF's attribute checks: padding in the allowed strings, data_format known, the 4-value
    list attributes of the right length and 1 in the batch and depth dimensions."""
    padding, data_format = op.attrs["padding"], op.attrs["data_format"]
    if padding not in _PADDINGS:
        raise ValueError(f"Attr 'padding' of '{op.type}' Op passed string '{padding}' not in: "
                         f"\"SAME\", \"VALID\".")
    if data_format not in _FORMATS:
        raise ValueError(f"Attr 'data_format' of '{op.type}' Op passed string "
                         f"'{data_format}' not in: \"NHWC\", \"NCHW\".")
    for name in names:
        values = op.attrs[name]
        if len(values) != 4:
            raise ValueError(f"{op.type} requires the {name} attribute to contain 4 values, "
                             f"but got: {len(values)} for '{op.name}' (op: '{op.type}') with "
                             f"input shapes: {_input_shapes(op)}.")
        if values[0] != 1 or values[_channel(data_format)] != 1:
            raise ValueError(f"{op.type}: current implementation does not yet support "
                             f"{name} in the batch and depth dimensions. for '{op.name}' "
                             f"(op: '{op.type}')")
        if min(values) < 1:
            raise ValueError(f"{op.type}: {name} must be positive, got {list(values)}")


def _hw(values, data_format):
    """The (height, width) entries of a 4-value attribute in ``data_format`` order."""
    return tuple(int(values[i]) for i in _spatial(data_format))


def _windows(op, input_shape, kernel_hw, dilations=(1, 1)):
    """Runtime (Window, Window) for an NHWC ``input_shape``; TF's InvalidArgumentError when
    a VALID window does not fit."""
    data_format = op.attrs["data_format"]
    strides = _hw(op.attrs["strides"], data_format)
    windows = tuple(window(input_shape[1 + i], kernel_hw[i], strides[i], dilations[i],
                           op.attrs["padding"]) for i in range(2))
    for win in windows:
        if win.out <= 0:
            effective = (win.kernel - 1) * win.dilation + 1
            raise errors.InvalidArgumentError(
                None, op, f"Computed output size would be negative: {win.out} [input_size: "
                f"{win.size}, effective_filter_size: {effective}, stride: {win.stride}]"
                f"\n\t [[node {op.name}]]")
    return windows


def _to_nhwc(x, data_format):
    return np.transpose(x, (0, 2, 3, 1)) if data_format == "NCHW" else x


def _from_nhwc(x, data_format):
    return np.ascontiguousarray(np.transpose(x, (0, 3, 1, 2))) if data_format == "NCHW" else x


def _nhwc_shape(shape, data_format):
    shape = [int(d) for d in shape]
    return [shape[0], shape[2], shape[3], shape[1]] if data_format == "NCHW" else shape


def _layout(dims, data_format):
    """NHWC-ordered dims as a TensorShape in ``data_format``."""
    n, h, w, c = dims
    return tensor_shape.TensorShape([n, c, h, w] if data_format == "NCHW" else dims)


def _dims_nhwc(shape, data_format):
    """An input's static [N, H, W, C] (entries None when unknown)."""
    if shape.ndims is None:
        return [None] * 4
    dims = shape.as_list()
    return [dims[0], dims[2], dims[3], dims[1]] if data_format == "NCHW" else dims


# ---- im2col / col2im ---------------------------------------------------------------------------
def pad_nhwc(x, wh, ww, value=0):
    """``x`` padded in H and W as the windows say (a view of ``x`` when none is needed)."""
    if not (wh.before or wh.after or ww.before or ww.after):
        return x
    return np.pad(x, ((0, 0), (wh.before, wh.after), (ww.before, ww.after), (0, 0)),
                  constant_values=value)


def patches(padded, wh, ww):
    """The read-only patch view [N, OH, OW, KH, KW, C] of a padded NHWC array."""
    sn, sh, sw, sc = padded.strides
    shape = (padded.shape[0], wh.out, ww.out, wh.kernel, ww.kernel, padded.shape[3])
    strides = (sn, sh * wh.stride, sw * ww.stride, sh * wh.dilation, sw * ww.dilation, sc)
    return np.lib.stride_tricks.as_strided(padded, shape, strides, writeable=False)


def col2im(cols, input_shape, wh, ww):
    """Sums patch values [N, OH, OW, KH, KW, C] back onto an NHWC input of ``input_shape``
    (the adjoint of ``patches``)."""
    n, height, width, channels = input_shape
    padded = np.zeros((n, height + wh.before + wh.after, width + ww.before + ww.after,
                       channels), dtype=cols.dtype)
    for i in range(wh.kernel):
        rows = slice(i * wh.dilation, i * wh.dilation + (wh.out - 1) * wh.stride + 1, wh.stride)
        for j in range(ww.kernel):
            columns = slice(j * ww.dilation, j * ww.dilation + (ww.out - 1) * ww.stride + 1,
                            ww.stride)
            padded[:, rows, columns, :] += cols[:, :, :, i, j, :]
    return padded[:, wh.before:wh.before + height, ww.before:ww.before + width, :]


def _valid_input(op, x, rank=4):
    if x.ndim != rank:
        raise errors.InvalidArgumentError(
            None, op, f"input must be {rank}-dimensional{list(x.shape)}\n\t [[node {op.name}]]")
    return x


# ---- Conv2D and its backprops -----------------------------------------------------------------
def _conv_geometry(op, input_shape, filter_shape):
    data_format = op.attrs["data_format"]
    return _windows(op, input_shape, filter_shape[:2], _hw(op.attrs["dilations"], data_format))


def conv2d_nhwc(x, kernel, wh, ww):
    """The convolution of NHWC ``x`` with [KH, KW, C, O] ``kernel`` as one GEMM over patches."""
    cols = patches(pad_nhwc(x, wh, ww), wh, ww)
    n = x.shape[0]
    flat = cols.reshape(n * wh.out * ww.out, -1)
    return np.dot(flat, kernel.reshape(flat.shape[1], -1)).reshape(n, wh.out, ww.out, -1)


def conv2d_input_grad_nhwc(dy, kernel, input_shape, wh, ww):
    """The gradient of ``conv2d_nhwc`` with respect to its input (col2im of dy @ kernelᵀ)."""
    kh, kw, c, o = kernel.shape
    cols = np.dot(dy.reshape(-1, o), kernel.reshape(-1, o).T)
    return col2im(cols.reshape(dy.shape[:3] + (kh, kw, c)), input_shape, wh, ww)


def conv2d_filter_grad_nhwc(x, dy, filter_shape, wh, ww):
    """The gradient of ``conv2d_nhwc`` with respect to its filter (patchesᵀ @ dy)."""
    cols = patches(pad_nhwc(x, wh, ww), wh, ww)
    flat = cols.reshape(-1, int(np.prod(filter_shape[:3])))
    return np.dot(flat.T, dy.reshape(flat.shape[0], -1)).reshape(filter_shape)


class _ConvOp(OpDef):
    """Shared inference of Conv2D-like ops: output [N, OH, OW, O] in the data format."""

    depthwise = False

    def output_shape(self, op, input_shape, filter_shape):
        _check_attrs(op, ("strides", "dilations"))
        data_format, padding = op.attrs["data_format"], op.attrs["padding"]
        n, h, w, c = _dims_nhwc(input_shape, data_format)
        if filter_shape.ndims is None:
            kh = kw = ci = co = None
        else:
            kh, kw, ci, co = filter_shape.as_list()
        depth = _merge_dims(op, tensor_shape.Dimension(c), tensor_shape.Dimension(ci)).value
        if self.depthwise and co is not None:
            co = co * depth if depth is not None else None
        strides = _hw(op.attrs["strides"], data_format)
        dilations = _hw(op.attrs["dilations"], data_format)
        out_h = _static_out(op, h, kh, strides[0], dilations[0], padding)
        out_w = _static_out(op, w, kw, strides[1], dilations[1], padding)
        return _layout([n, out_h, out_w, co], data_format)


def _conv_attrs(op):
    return {name: op.attrs[name] for name in ("strides", "padding", "data_format",
                                              "dilations")}


@register_op
class Conv2D(_ConvOp):
    """2-D convolution (``tf.nn.conv2d``): input [N, H, W, C] (or NCHW), filter
    [KH, KW, C, O]; gradients Conv2DBackpropInput and Conv2DBackpropFilter."""

    def infer(self, op):
        x, kernel = op.inputs
        dtype = _check_same_dtype(op, ("input", "filter"))
        _check_dtype(op, x, "T", _FLOATS)
        _with_rank(op, x.shape, 4)
        _with_rank(op, kernel.shape, 4)
        return [(self.output_shape(op, x.shape, kernel.shape), dtype)]

    def kernel(self, op, ctx):
        data_format = op.attrs["data_format"]

        def conv2d(x, kernel):
            x = _to_nhwc(_valid_input(op, x), data_format)
            wh, ww = _conv_geometry(op, x.shape, kernel.shape)
            return _from_nhwc(conv2d_nhwc(x, kernel, wh, ww), data_format)
        return conv2d

    def grad(self, op, dy):
        x, kernel = op.inputs
        attrs = _conv_attrs(op)
        return [make_tensor("Conv2DBackpropInput", [array_ops.shape(x), kernel, dy], attrs),
                make_tensor("Conv2DBackpropFilter", [x, array_ops.shape(kernel), dy], attrs)]


def _sizes_shape(op, sizes, data_format):
    """The static shape named by an int32 sizes input (4 values, or 2 spatial ones)."""
    known = constant_shape_value(sizes)
    if known.ndims is not None and known.ndims not in (2, 4):
        raise ValueError(f"{op.type} requires input_sizes to contain 4 values or 2 values, "
                         f"but got: {known.ndims} for '{op.name}' (op: '{op.type}') with "
                         f"input shapes: {_input_shapes(op)}.")
    return known if known.ndims == 4 else tensor_shape.unknown_shape(4)


@register_op
class Conv2DBackpropInput(OpDef):
    """Gradient of Conv2D with respect to its input (``tf.nn.conv2d_transpose``): inputs
    input_sizes (int32 [4]), filter [KH, KW, C, O], out_backprop [N, OH, OW, O]."""

    shape_determining_inputs = (0,)

    def infer(self, op):
        sizes, kernel, dy = op.inputs
        _check_attrs(op, ("strides", "dilations"))
        dtype = kernel.dtype.base_dtype
        _with_rank(op, kernel.shape, 4)
        _with_rank(op, dy.shape, 4)
        data_format = op.attrs["data_format"]
        shape = _sizes_shape(op, sizes, data_format)
        if kernel.shape.ndims is not None:
            in_depth = _dims_nhwc(shape, data_format)[3]
            out_depth = _dims_nhwc(dy.shape, data_format)[3]
            _merge_dims(op, tensor_shape.Dimension(in_depth), kernel.shape[2])
            _merge_dims(op, kernel.shape[3], tensor_shape.Dimension(out_depth))
        return [(shape, dtype)]

    def kernel(self, op, ctx):
        data_format = op.attrs["data_format"]

        def conv2d_backprop_input(sizes, kernel, dy):
            shape = _nhwc_shape(sizes, data_format)
            wh, ww = _conv_geometry(op, shape, kernel.shape)
            dx = conv2d_input_grad_nhwc(_to_nhwc(dy, data_format), kernel, shape, wh, ww)
            return _from_nhwc(np.ascontiguousarray(dx), data_format)
        return conv2d_backprop_input

    def grad(self, op, ddx):
        sizes, kernel, dy = op.inputs
        attrs = _conv_attrs(op)
        return [None,
                make_tensor("Conv2DBackpropFilter", [ddx, array_ops.shape(kernel), dy], attrs),
                make_tensor("Conv2D", [ddx, kernel], attrs)]


@register_op
class Conv2DBackpropFilter(OpDef):
    """Gradient of Conv2D with respect to its filter: inputs input [N, H, W, C],
    filter_sizes (int32 [4]), out_backprop [N, OH, OW, O]."""

    shape_determining_inputs = (1,)

    def infer(self, op):
        x, sizes, dy = op.inputs
        _check_attrs(op, ("strides", "dilations"))
        dtype = _check_dtype(op, x, "T", _FLOATS)
        _with_rank(op, x.shape, 4)
        _with_rank(op, dy.shape, 4)
        shape = constant_shape_value(sizes)
        return [(shape if shape.ndims == 4 else tensor_shape.unknown_shape(4), dtype)]

    def kernel(self, op, ctx):
        data_format = op.attrs["data_format"]

        def conv2d_backprop_filter(x, sizes, dy):
            x = _to_nhwc(x, data_format)
            shape = tuple(int(d) for d in sizes)
            wh, ww = _conv_geometry(op, x.shape, shape)
            return conv2d_filter_grad_nhwc(x, _to_nhwc(dy, data_format), shape, wh, ww)
        return conv2d_backprop_filter

    def grad(self, op, dkernel):
        x, sizes, dy = op.inputs
        attrs = _conv_attrs(op)
        return [make_tensor("Conv2DBackpropInput", [array_ops.shape(x), dkernel, dy], attrs),
                None, make_tensor("Conv2D", [x, dkernel], attrs)]


# ---- depthwise convolution ----------------------------------------------------------------------
def depthwise_nhwc(x, kernel, wh, ww):
    """Depthwise convolution: channel c of ``x`` with kernel[:, :, c, m] gives output channel
    c * M + m."""
    cols = patches(pad_nhwc(x, wh, ww), wh, ww)
    out = np.einsum("nhwijc,ijcm->nhwcm", cols, kernel)
    return out.reshape(out.shape[:3] + (-1,))


def depthwise_input_grad_nhwc(dy, kernel, input_shape, wh, ww):
    kh, kw, c, m = kernel.shape
    cols = np.einsum("nhwcm,ijcm->nhwijc", dy.reshape(dy.shape[:3] + (c, m)), kernel)
    return col2im(cols, input_shape, wh, ww)


def depthwise_filter_grad_nhwc(x, dy, filter_shape, wh, ww):
    kh, kw, c, m = filter_shape
    cols = patches(pad_nhwc(x, wh, ww), wh, ww)
    return np.einsum("nhwijc,nhwcm->ijcm", cols, dy.reshape(dy.shape[:3] + (c, m)))


@register_op
class DepthwiseConv2dNative(_ConvOp):
    """Depthwise 2-D convolution (``tf.nn.depthwise_conv2d_native``): filter
    [KH, KW, C, M] gives C * M output channels."""

    depthwise = True

    def infer(self, op):
        x, kernel = op.inputs
        dtype = _check_same_dtype(op, ("input", "filter"))
        _check_dtype(op, x, "T", _FLOATS)
        _with_rank(op, x.shape, 4)
        _with_rank(op, kernel.shape, 4)
        return [(self.output_shape(op, x.shape, kernel.shape), dtype)]

    def kernel(self, op, ctx):
        data_format = op.attrs["data_format"]

        def depthwise_conv2d(x, kernel):
            x = _to_nhwc(_valid_input(op, x), data_format)
            wh, ww = _conv_geometry(op, x.shape, kernel.shape)
            return _from_nhwc(np.ascontiguousarray(depthwise_nhwc(x, kernel, wh, ww)),
                              data_format)
        return depthwise_conv2d

    def grad(self, op, dy):
        x, kernel = op.inputs
        attrs = _conv_attrs(op)
        return [make_tensor("DepthwiseConv2dNativeBackpropInput",
                            [array_ops.shape(x), kernel, dy], attrs),
                make_tensor("DepthwiseConv2dNativeBackpropFilter",
                            [x, array_ops.shape(kernel), dy], attrs)]


@register_op
class DepthwiseConv2dNativeBackpropInput(OpDef):
    """Gradient of DepthwiseConv2dNative with respect to its input."""

    shape_determining_inputs = (0,)

    def infer(self, op):
        sizes, kernel, dy = op.inputs
        _check_attrs(op, ("strides", "dilations"))
        return [(_sizes_shape(op, sizes, op.attrs["data_format"]), kernel.dtype.base_dtype)]

    def kernel(self, op, ctx):
        data_format = op.attrs["data_format"]

        def depthwise_backprop_input(sizes, kernel, dy):
            shape = _nhwc_shape(sizes, data_format)
            wh, ww = _conv_geometry(op, shape, kernel.shape)
            dx = depthwise_input_grad_nhwc(_to_nhwc(dy, data_format), kernel, shape, wh, ww)
            return _from_nhwc(np.ascontiguousarray(dx), data_format)
        return depthwise_backprop_input

    def grad(self, op, ddx):
        sizes, kernel, dy = op.inputs
        attrs = _conv_attrs(op)
        return [None,
                make_tensor("DepthwiseConv2dNativeBackpropFilter",
                            [ddx, array_ops.shape(kernel), dy], attrs),
                make_tensor("DepthwiseConv2dNative", [ddx, kernel], attrs)]


@register_op
class DepthwiseConv2dNativeBackpropFilter(OpDef):
    """Gradient of DepthwiseConv2dNative with respect to its filter."""

    shape_determining_inputs = (1,)

    def infer(self, op):
        x, sizes, dy = op.inputs
        _check_attrs(op, ("strides", "dilations"))
        shape = constant_shape_value(sizes)
        return [(shape if shape.ndims == 4 else tensor_shape.unknown_shape(4),
                 x.dtype.base_dtype)]

    def kernel(self, op, ctx):
        data_format = op.attrs["data_format"]

        def depthwise_backprop_filter(x, sizes, dy):
            x = _to_nhwc(x, data_format)
            shape = tuple(int(d) for d in sizes)
            wh, ww = _conv_geometry(op, x.shape, shape)
            return depthwise_filter_grad_nhwc(x, _to_nhwc(dy, data_format), shape, wh, ww)
        return depthwise_backprop_filter

    def grad(self, op, dkernel):
        x, sizes, dy = op.inputs
        attrs = _conv_attrs(op)
        return [make_tensor("DepthwiseConv2dNativeBackpropInput",
                            [array_ops.shape(x), dkernel, dy], attrs),
                None, make_tensor("DepthwiseConv2dNative", [x, dkernel], attrs)]


# ---- pooling ----------------------------------------------------------------------------------
def _pool_windows(op, input_shape):
    """The (Window, Window) of a pooling op over an NHWC ``input_shape``."""
    return _windows(op, input_shape, _hw(op.attrs["ksize"], op.attrs["data_format"]))


def _pool_attrs(op):
    return {name: op.attrs[name] for name in ("ksize", "strides", "padding", "data_format")}


def _pool_shape(op, shape):
    _check_attrs(op, ("ksize", "strides"))
    data_format, padding = op.attrs["data_format"], op.attrs["padding"]
    n, h, w, c = _dims_nhwc(_with_rank(op, shape, 4), data_format)
    kernel = _hw(op.attrs["ksize"], data_format)
    strides = _hw(op.attrs["strides"], data_format)
    return _layout([n, _static_out(op, h, kernel[0], strides[0], 1, padding),
                    _static_out(op, w, kernel[1], strides[1], 1, padding), c], data_format)


def max_windows(x, wh, ww):
    """The flat in-window index of each window's first maximum and the maxima (-inf pads)."""
    fill = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    cols = patches(pad_nhwc(x, wh, ww, fill), wh, ww)
    cols = cols.reshape(cols.shape[:3] + (-1, cols.shape[5]))
    index = np.argmax(cols, axis=3)
    return index, np.take_along_axis(cols, index[:, :, :, None, :], axis=3)[:, :, :, 0, :]


def _window_origin(index, wh, ww):
    """Padded-input (row, column) of in-window index ``index`` for each output position."""
    rows = np.arange(wh.out)[None, :, None, None] * wh.stride + index // ww.kernel
    columns = np.arange(ww.out)[None, None, :, None] * ww.stride + index % ww.kernel
    return rows, columns


def max_pool_grad_nhwc(x, dy, wh, ww):
    """Routes each output gradient to its window's first maximum (TF's MaxPoolGrad)."""
    index, _ = max_windows(x, wh, ww)
    rows, columns = _window_origin(index, wh, ww)
    n, h, w, c = x.shape
    padded = np.zeros((n, h + wh.before + wh.after, w + ww.before + ww.after, c), dy.dtype)
    batch = np.arange(n)[:, None, None, None]
    channel = np.arange(c)[None, None, None, :]
    np.add.at(padded, (batch, rows, columns, channel), dy)
    return padded[:, wh.before:wh.before + h, ww.before:ww.before + w, :]


def max_pool_grad_grad_nhwc(x, ddx, wh, ww):
    """Picks, for each output, the second-order gradient at its window's first maximum."""
    index, _ = max_windows(x, wh, ww)
    cols = patches(pad_nhwc(ddx, wh, ww), wh, ww)
    cols = cols.reshape(cols.shape[:3] + (-1, cols.shape[5]))
    return np.take_along_axis(cols, index[:, :, :, None, :], axis=3)[:, :, :, 0, :]


def _window_counts(wh, ww):
    """How many real (unpadded) inputs each output window covers, [OH, OW, 1]."""
    def counts(win):
        starts = np.arange(win.out) * win.stride - win.before
        return np.minimum(starts + win.kernel, win.size) - np.maximum(starts, 0)
    return (counts(wh)[:, None] * counts(ww)[None, :])[:, :, None]


def avg_pool_nhwc(x, wh, ww):
    """Window means over the real inputs only (padding does not count, as in TF)."""
    cols = patches(pad_nhwc(x, wh, ww), wh, ww)
    return (cols.sum(axis=(3, 4)) / _window_counts(wh, ww)).astype(x.dtype, copy=False)


def avg_pool_grad_nhwc(dy, input_shape, wh, ww):
    share = dy / _window_counts(wh, ww).astype(dy.dtype)
    cols = np.broadcast_to(share[:, :, :, None, None, :], share.shape[:3] + (
        wh.kernel, ww.kernel, share.shape[3]))
    return col2im(cols, input_shape, wh, ww)


class _PoolOp(OpDef):
    def check_input(self, op, tensor, name="input"):
        return _check_dtype(op, tensor, "T", _FLOATS)


@register_op
class MaxPool(_PoolOp):
    """Max pooling (``tf.nn.max_pool``); padded positions never win. Gradient MaxPoolGrad."""

    def infer(self, op):
        x = op.inputs[0]
        return [(_pool_shape(op, x.shape), self.check_input(op, x))]

    def kernel(self, op, ctx):
        data_format = op.attrs["data_format"]

        def max_pool(x):
            x = _to_nhwc(_valid_input(op, x), data_format)
            wh, ww = _pool_windows(op, x.shape)
            return _from_nhwc(max_windows(x, wh, ww)[1], data_format)
        return max_pool

    def grad(self, op, dy):
        return [make_tensor("MaxPoolGrad", [op.inputs[0], op.outputs[0], dy], _pool_attrs(op))]


@register_op
class MaxPoolGrad(_PoolOp):
    """Gradient of MaxPool: inputs orig_input, orig_output, grad; each grad goes to its
    window's first maximum. Its own gradient is MaxPoolGradGrad."""

    def infer(self, op):
        x = op.inputs[0]
        return [(_with_rank(op, x.shape, 4), self.check_input(op, x, "orig_input"))]

    def kernel(self, op, ctx):
        data_format = op.attrs["data_format"]

        def max_pool_grad(x, y, dy):
            x = _to_nhwc(x, data_format)
            wh, ww = _pool_windows(op, x.shape)
            dx = max_pool_grad_nhwc(x, _to_nhwc(dy, data_format), wh, ww)
            return _from_nhwc(np.ascontiguousarray(dx), data_format)
        return max_pool_grad

    def grad(self, op, ddx):
        x, y, _ = op.inputs
        return [array_ops.zeros_like(x), array_ops.zeros_like(y),
                make_tensor("MaxPoolGradGrad", [x, y, ddx], _pool_attrs(op))]


@register_op
class MaxPoolGradGrad(_PoolOp):
    """Second-order max pooling gradient: inputs orig_input, orig_output, grad (shaped like
    orig_input); output shaped like orig_output. Its gradient is MaxPoolGrad."""

    def infer(self, op):
        x, y = op.inputs[:2]
        return [(_with_rank(op, y.shape, 4), self.check_input(op, x, "orig_input"))]

    def kernel(self, op, ctx):
        data_format = op.attrs["data_format"]

        def max_pool_grad_grad(x, y, ddx):
            x = _to_nhwc(x, data_format)
            wh, ww = _pool_windows(op, x.shape)
            out = max_pool_grad_grad_nhwc(x, _to_nhwc(ddx, data_format), wh, ww)
            return _from_nhwc(np.ascontiguousarray(out), data_format)
        return max_pool_grad_grad

    def grad(self, op, ddy):
        x, y, _ = op.inputs
        return [array_ops.zeros_like(x), array_ops.zeros_like(y),
                make_tensor("MaxPoolGrad", [x, y, ddy], _pool_attrs(op))]


@register_op
class AvgPool(_PoolOp):
    """Average pooling (``tf.nn.avg_pool``) over the unpadded inputs of each window;
    gradient AvgPoolGrad."""

    def infer(self, op):
        x = op.inputs[0]
        return [(_pool_shape(op, x.shape), self.check_input(op, x, "value"))]

    def kernel(self, op, ctx):
        data_format = op.attrs["data_format"]

        def avg_pool(x):
            x = _to_nhwc(_valid_input(op, x), data_format)
            wh, ww = _pool_windows(op, x.shape)
            return _from_nhwc(avg_pool_nhwc(x, wh, ww), data_format)
        return avg_pool

    def grad(self, op, dy):
        return [make_tensor("AvgPoolGrad", [array_ops.shape(op.inputs[0]), dy],
                            _pool_attrs(op))]


@register_op
class AvgPoolGrad(_PoolOp):
    """Gradient of AvgPool: inputs orig_input_shape (int32 [4]) and grad; each grad is spread
    evenly over its window. Its gradient with respect to grad is AvgPool."""

    shape_determining_inputs = (0,)

    def infer(self, op):
        sizes, dy = op.inputs
        _check_attrs(op, ("ksize", "strides"))
        return [(_sizes_shape(op, sizes, op.attrs["data_format"]),
                 self.check_input(op, dy, "grad"))]

    def kernel(self, op, ctx):
        data_format = op.attrs["data_format"]

        def avg_pool_grad(sizes, dy):
            shape = _nhwc_shape(sizes, data_format)
            wh, ww = _pool_windows(op, shape)
            dx = avg_pool_grad_nhwc(_to_nhwc(dy, data_format), shape, wh, ww)
            return _from_nhwc(np.ascontiguousarray(dx), data_format)
        return avg_pool_grad

    def grad(self, op, ddx):
        return [None, make_tensor("AvgPool", [ddx], _pool_attrs(op))]


@register_op
class MaxPoolWithArgmax(_PoolOp):
    """Max pooling that also returns each maximum's flat index ((y * W + x) * C + c, plus
    the batch offset when include_batch_in_index); NHWC only, like TF."""

    def infer(self, op):
        x = op.inputs[0]
        shape = _pool_shape(op, x.shape)
        return [(shape, self.check_input(op, x)), (shape, op.attrs["Targmax"])]

    def kernel(self, op, ctx):
        with_batch = op.attrs["include_batch_in_index"]
        index_type = op.attrs["Targmax"].as_numpy_dtype

        def max_pool_with_argmax(x):
            wh, ww = _pool_windows(op, _valid_input(op, x).shape)
            index, maxima = max_windows(x, wh, ww)
            rows, columns = _window_origin(index, wh, ww)
            n, h, w, c = x.shape
            flat = ((rows - wh.before) * w + columns - ww.before) * c + np.arange(c)
            if with_batch:
                flat = flat + np.arange(n)[:, None, None, None] * (h * w * c)
            return maxima, flat.astype(index_type)
        return max_pool_with_argmax

    def grad(self, op, dy, dargmax):
        return [make_tensor("MaxPoolGradWithArgmax", [op.inputs[0], dy, op.outputs[1]],
                            {name: op.attrs[name] for name in
                             ("ksize", "strides", "padding", "data_format",
                              "include_batch_in_index")})]


@register_op
class MaxPoolGradWithArgmax(_PoolOp):
    """Gradient of MaxPoolWithArgmax: grad summed into input positions named by argmax."""

    def infer(self, op):
        x = op.inputs[0]
        return [(_with_rank(op, x.shape, 4), self.check_input(op, x))]

    def kernel(self, op, ctx):
        with_batch = op.attrs["include_batch_in_index"]

        def max_pool_grad_with_argmax(x, dy, argmax):
            n = x.shape[0]
            per_image = x.size // max(n, 1)
            flat = argmax.reshape(n, -1).astype(np.int64)
            if not with_batch:
                flat = flat + np.arange(n)[:, None] * per_image
            dx = np.zeros(x.size, dtype=dy.dtype)
            np.add.at(dx, flat.ravel(), dy.ravel())
            return dx.reshape(x.shape)
        return max_pool_grad_with_argmax

    def grad(self, op, ddx):
        return [None, None, None]


# ---- local response normalisation -------------------------------------------------------------
def _channel_window_sum(values, radius):
    """Sums over channels [c - radius, c + radius] along the last axis."""
    depth = values.shape[-1]
    cumulative = np.zeros(values.shape[:-1] + (depth + 1,), values.dtype)
    np.cumsum(values, axis=-1, out=cumulative[..., 1:])
    upper = np.minimum(np.arange(depth) + radius + 1, depth)
    lower = np.maximum(np.arange(depth) - radius, 0)
    return cumulative[..., upper] - cumulative[..., lower]


def _lrn_norm(op, x):
    return op.attrs["bias"] + op.attrs["alpha"] * _channel_window_sum(
        np.square(x), op.attrs["depth_radius"])


@register_op
class LRN(OpDef):
    """Local response normalisation (``tf.nn.lrn``): x / (bias + alpha * sum of x² over
    channels within depth_radius) ** beta, along the last axis of a 4-D input."""

    def infer(self, op):
        x = op.inputs[0]
        return [(_with_rank(op, x.shape, 4), _check_dtype(op, x, "T", _FLOATS))]

    def kernel(self, op, ctx):
        beta = op.attrs["beta"]

        def lrn(x):
            return (x * _lrn_norm(op, _valid_input(op, x)) ** -beta).astype(x.dtype, copy=False)
        return lrn

    def grad(self, op, dy):
        return [make_tensor("LRNGrad", [dy, op.inputs[0], op.outputs[0]],
                            {name: op.attrs[name]
                             for name in ("depth_radius", "bias", "alpha", "beta")})]


@register_op
class LRNGrad(OpDef):
    """Gradient of LRN: inputs input_grads, input_image, output_image. With
    N = bias + alpha * window sum of x², dx = dy N^-beta - 2 alpha beta x * window sum of
    (dy y / N). TF registers no gradient for it."""

    def infer(self, op):
        dy = op.inputs[0]
        return [(_with_rank(op, dy.shape, 4), _check_dtype(op, dy, "T", _FLOATS))]

    def kernel(self, op, ctx):
        alpha, beta, radius = op.attrs["alpha"], op.attrs["beta"], op.attrs["depth_radius"]

        def lrn_grad(dy, x, y):
            norm = _lrn_norm(op, x)
            spread = _channel_window_sum(dy * y / norm, radius)
            return (dy * norm ** -beta - 2 * alpha * beta * x * spread).astype(dy.dtype,
                                                                                copy=False)
        return lrn_grad


# ---- builders ---------------------------------------------------------------------------------
def _four(values, name, data_format, op_name):
    """A stride/ksize/dilation argument as TF 1.x's 4-value list (an int or 1/2 values are
    spread over the spatial dimensions)."""
    if isinstance(values, int):
        values = [values]
    values = [int(v) for v in values]
    if len(values) == 4:
        return values
    if len(values) not in (1, 2):
        raise ValueError(f"{op_name} requires the {name} attribute to contain 4 values, but "
                         f"got: {len(values)}")
    height, width = values if len(values) == 2 else values * 2
    return [1, 1, height, width] if data_format == "NCHW" else [1, height, width, 1]


def _format(data_format):
    data_format = data_format or "NHWC"
    if isinstance(data_format, bytes):
        data_format = data_format.decode()
    return data_format


def conv2d(input, filter=None, strides=None, padding=None, use_cudnn_on_gpu=True,  # noqa: A002
           data_format="NHWC", dilations=(1, 1, 1, 1), name=None, filters=None):
    """``tf.nn.conv2d(input, filter, strides, padding, use_cudnn_on_gpu=True,
    data_format='NHWC', dilations=[1, 1, 1, 1], name=None)`` (one Conv2D op)."""
    if filter is None:
        filter = filters  # noqa: A001
    data_format = _format(data_format)
    with ops.name_scope(name, "Conv2D", [input, filter]) as scope:
        x = ops.convert_to_tensor(input, name="input")
        kernel = ops.convert_to_tensor(filter, dtype=x.dtype.base_dtype, name="filter")
        return make_tensor("Conv2D", [x, kernel], {
            "strides": _four(strides, "stride", data_format, "Conv2D"), "padding": padding,
            "data_format": data_format, "use_cudnn_on_gpu": bool(use_cudnn_on_gpu),
            "dilations": _four(dilations, "dilations", data_format, "Conv2D")}, name=scope)


def conv2d_backprop_input(input_sizes, filter, out_backprop, strides, padding,  # noqa: A002
                          use_cudnn_on_gpu=True, data_format="NHWC", dilations=(1, 1, 1, 1),
                          name=None):
    """``tf.nn.conv2d_backprop_input``: the Conv2DBackpropInput op."""
    data_format = _format(data_format)
    with ops.name_scope(name, "Conv2DBackpropInput", [filter, out_backprop]) as scope:
        sizes = ops.convert_to_tensor(input_sizes, dtype=dtypes.int32, name="input_sizes")
        dy = ops.convert_to_tensor(out_backprop, name="out_backprop")
        kernel = ops.convert_to_tensor(filter, dtype=dy.dtype.base_dtype, name="filter")
        return make_tensor("Conv2DBackpropInput", [sizes, kernel, dy], {
            "strides": _four(strides, "stride", data_format, "Conv2DBackpropInput"),
            "padding": padding, "data_format": data_format,
            "use_cudnn_on_gpu": bool(use_cudnn_on_gpu),
            "dilations": _four(dilations, "dilations", data_format, "Conv2DBackpropInput")},
            name=scope)


def conv2d_backprop_filter(input, filter_sizes, out_backprop, strides, padding,  # noqa: A002
                           use_cudnn_on_gpu=True, data_format="NHWC", dilations=(1, 1, 1, 1),
                           name=None):
    """``tf.nn.conv2d_backprop_filter``: the Conv2DBackpropFilter op."""
    data_format = _format(data_format)
    with ops.name_scope(name, "Conv2DBackpropFilter", [input, out_backprop]) as scope:
        x = ops.convert_to_tensor(input, name="input")
        sizes = ops.convert_to_tensor(filter_sizes, dtype=dtypes.int32, name="filter_sizes")
        dy = ops.convert_to_tensor(out_backprop, dtype=x.dtype.base_dtype, name="out_backprop")
        return make_tensor("Conv2DBackpropFilter", [x, sizes, dy], {
            "strides": _four(strides, "stride", data_format, "Conv2DBackpropFilter"),
            "padding": padding, "data_format": data_format,
            "use_cudnn_on_gpu": bool(use_cudnn_on_gpu),
            "dilations": _four(dilations, "dilations", data_format, "Conv2DBackpropFilter")},
            name=scope)


def conv1d(value=None, filters=None, stride=None, padding=None, use_cudnn_on_gpu=None,
           data_format=None, name=None, input=None, dilations=None):  # noqa: A002
    """``tf.nn.conv1d``: Conv2D over [N, 1, W, C] (ExpandDims, Conv2D, Squeeze under the
    "conv1d" scope, as TF builds it); data_format "NWC" (default) or "NCW"."""
    value = input if value is None else value
    data_format = _format(data_format or "NWC")
    if data_format not in ("NWC", "NCW", "NHWC", "NCHW"):
        raise ValueError(f"data_format must be \"NWC\" or \"NCW\", got {data_format!r}.")
    channels_first = data_format in ("NCW", "NCHW")
    with ops.name_scope(name, "conv1d", [value, filters]) as scope:
        spatial = 2 if channels_first else 1
        value = array_ops.expand_dims(value, spatial)
        filters = array_ops.expand_dims(filters, 0)
        stride = stride if isinstance(stride, int) else list(stride)[-1 if not
                                                                     channels_first else 2]
        dilation = 1 if dilations is None else (dilations if isinstance(dilations, int)
                                                else list(dilations)[-1])
        fmt = "NCHW" if channels_first else "NHWC"
        result = conv2d(value, filters, [1, stride], padding, use_cudnn_on_gpu is not False,
                        fmt, [1, dilation], name=scope)
        return array_ops.squeeze(result, [spatial])


def conv2d_transpose(value, filter=None, output_shape=None, strides=None,  # noqa: A002
                     padding="SAME", data_format="NHWC", name=None, input=None, filters=None,
                     dilations=None):
    """``tf.nn.conv2d_transpose(value, filter, output_shape, strides, padding='SAME',
    data_format='NHWC', name=None)``: Conv2DBackpropInput with ``output_shape`` as the
    input sizes; filter [KH, KW, out_channels, in_channels]; TF's shape checks."""
    value = input if value is None else value
    filter = filters if filter is None else filter  # noqa: A001
    data_format = _format(data_format)
    with ops.name_scope(name, "conv2d_transpose", [value, filter, output_shape]) as name:
        value = ops.convert_to_tensor(value, name="value")
        filter = ops.convert_to_tensor(filter, dtype=value.dtype.base_dtype,  # noqa: A001
                                       name="filter")
        output_shape_ = ops.convert_to_tensor(output_shape, dtype=dtypes.int32,
                                              name="output_shape")
        axis = _channel(data_format)
        if not output_shape_.shape.is_compatible_with(tensor_shape.TensorShape([4])):
            raise ValueError(f"output_shape must have shape (4,), got {output_shape_.shape}")
        if not value.shape[axis].is_compatible_with(filter.shape[3]):
            raise ValueError(f"input channels does not match filter's input channels, "
                             f"{value.shape[axis]} != {filter.shape[3]}")
        if isinstance(output_shape, (list, np.ndarray, tuple)):
            if not filter.shape[2].is_compatible_with(output_shape[axis]):
                raise ValueError(f"output_shape does not match filter's output channels, "
                                 f"{output_shape[axis]} != {filter.shape[2]}")
        return conv2d_backprop_input(output_shape_, filter, value, strides, padding,
                                     data_format=data_format,
                                     dilations=dilations or (1, 1, 1, 1), name=name)


def depthwise_conv2d_native(input, filter, strides, padding, data_format="NHWC",  # noqa: A002
                            dilations=(1, 1, 1, 1), name=None):
    """``tf.nn.depthwise_conv2d_native``: the DepthwiseConv2dNative op."""
    data_format = _format(data_format)
    with ops.name_scope(name, "DepthwiseConv2dNative", [input, filter]) as scope:
        x = ops.convert_to_tensor(input, name="input")
        kernel = ops.convert_to_tensor(filter, dtype=x.dtype.base_dtype, name="filter")
        return make_tensor("DepthwiseConv2dNative", [x, kernel], {
            "strides": _four(strides, "stride", data_format, "DepthwiseConv2dNative"),
            "padding": padding, "data_format": data_format,
            "dilations": _four(dilations, "dilations", data_format, "DepthwiseConv2dNative")},
            name=scope)


def depthwise_conv2d(input, filter, strides, padding, rate=None, name=None,  # noqa: A002
                     data_format=None, dilations=None):
    """``tf.nn.depthwise_conv2d(input, filter, strides, padding, rate=None, name=None,
    data_format=None)``: DepthwiseConv2dNative (``rate`` as its dilations) named like TF."""
    rate = dilations if rate is None else rate
    data_format = _format(data_format)
    with ops.name_scope(name, "depthwise", [input, filter]) as scope:
        return depthwise_conv2d_native(input, filter, strides, padding, data_format,
                                       _four(rate or 1, "rate", data_format,
                                             "depthwise_conv2d"), name=scope)


def separable_conv2d(input, depthwise_filter, pointwise_filter, strides, padding,  # noqa: A002
                     rate=None, name=None, data_format=None, dilations=None):
    """``tf.nn.separable_conv2d``: a depthwise convolution ("depthwise") followed by a 1x1
    Conv2D with ``pointwise_filter`` [1, 1, C * M, O], under the "separable_conv2d" scope."""
    rate = dilations if rate is None else rate
    data_format = _format(data_format)
    with ops.name_scope(name, "separable_conv2d",
                        [input, depthwise_filter, pointwise_filter]) as scope:
        pointwise_filter = ops.convert_to_tensor(pointwise_filter, name="pointwise_filter")
        if pointwise_filter.shape.ndims is not None:
            kernel = pointwise_filter.shape.as_list()
            if kernel[0] not in (1, None) or kernel[1] not in (1, None):
                raise ValueError(f"Shape must be rank 4 with spatial dims 1x1: pointwise "
                                 f"filter has shape {kernel}")
        depthwise = depthwise_conv2d_native(
            input, depthwise_filter, strides, padding, data_format,
            _four(rate or 1, "rate", data_format, "separable_conv2d"), name="depthwise")
        return conv2d(depthwise, pointwise_filter, [1, 1, 1, 1], "VALID",
                      data_format=data_format, name=scope)


def atrous_conv2d(value, filters, rate, padding, name=None):
    """``tf.nn.atrous_conv2d(value, filters, rate, padding, name=None)``: Conv2D with
    dilations [1, rate, rate, 1] (TF reaches the same values through SpaceToBatchND)."""
    if rate < 1:
        raise ValueError(f"rate {rate} cannot be less than one")
    return conv2d(value, filters, [1, 1, 1, 1], padding, dilations=[1, rate, rate, 1],
                  name=name or "convolution")


def convolution(input, filter, padding, strides=None, dilation_rate=None,  # noqa: A002
                name=None, data_format=None, filters=None, dilations=None):
    """``tf.nn.convolution``: 1-D and 2-D convolutions (``strides`` and ``dilation_rate``
    per spatial dimension) as Conv2D under the "convolution" name."""
    filter = filters if filter is None else filter  # noqa: A001
    dilation_rate = dilations if dilation_rate is None else dilation_rate
    with ops.name_scope(name, "convolution", [input, filter]) as scope:
        x = ops.convert_to_tensor(input, name="input")
        rank = x.shape.ndims
        if rank not in (3, 4):
            raise ValueError(f"tfcompat: tf.nn.convolution supports 1-D and 2-D "
                             f"convolutions (input rank 3 or 4), got rank {rank}")
        spatial = rank - 2
        strides = list(strides or [1] * spatial)
        dilation_rate = list(dilation_rate or [1] * spatial)
        if len(strides) != spatial or len(dilation_rate) != spatial:
            raise ValueError(f"len(strides)={len(strides)} and len(dilation_rate)="
                             f"{len(dilation_rate)} must match the {spatial} spatial dims")
        if max(strides) > 1 and max(dilation_rate) > 1:
            raise ValueError("strides > 1 not supported in conjunction with dilation_rate > 1")
        if spatial == 1:
            fmt = "NCW" if (data_format or "NWC").startswith("NC") else "NWC"
            return conv1d(x, filter, strides[0], padding, data_format=fmt,
                          dilations=dilation_rate[0], name=scope)
        fmt = _format(data_format)
        return conv2d(x, filter, strides, padding, data_format=fmt, dilations=dilation_rate,
                      name=scope)


def _pool(op_type, value, ksize, strides, padding, data_format, name, default_name):
    data_format = _format(data_format)
    with ops.name_scope(name, default_name, [value]) as scope:
        value = ops.convert_to_tensor(value, name="input")
        return make_tensor(op_type, [value], {
            "ksize": _four(ksize, "ksize", data_format, op_type),
            "strides": _four(strides, "stride", data_format, op_type),
            "padding": padding, "data_format": data_format}, name=scope)


def max_pool(value, ksize, strides, padding, data_format="NHWC", name=None,
             input=None):  # noqa: A002
    """``tf.nn.max_pool(value, ksize, strides, padding, data_format='NHWC', name=None)``."""
    value = input if value is None else value
    return _pool("MaxPool", value, ksize, strides, padding, data_format, name, "MaxPool")


def avg_pool(value, ksize, strides, padding, data_format="NHWC", name=None,
             input=None):  # noqa: A002
    """``tf.nn.avg_pool(value, ksize, strides, padding, data_format='NHWC', name=None)``."""
    value = input if value is None else value
    return _pool("AvgPool", value, ksize, strides, padding, data_format, name, "AvgPool")


def max_pool_with_argmax(input, ksize, strides, padding, data_format="NHWC",  # noqa: A002
                         Targmax=dtypes.int64, name=None, output_dtype=None,
                         include_batch_in_index=False):
    """``tf.nn.max_pool_with_argmax``: (output, argmax); argmax is int64 by default."""
    if _format(data_format) != "NHWC":
        raise ValueError("Data formats other than 'NHWC' are not yet supported")
    index_type = dtypes.as_dtype(output_dtype or Targmax)
    with ops.name_scope(name, "MaxPoolWithArgmax", [input]) as scope:
        value = ops.convert_to_tensor(input, name="input")
        op = make_op("MaxPoolWithArgmax", [value], {
            "ksize": _four(ksize, "ksize", "NHWC", "MaxPoolWithArgmax"),
            "strides": _four(strides, "stride", "NHWC", "MaxPoolWithArgmax"),
            "padding": padding, "data_format": "NHWC", "Targmax": index_type,
            "include_batch_in_index": bool(include_batch_in_index)}, name=scope)
        return op.outputs[0], op.outputs[1]


def local_response_normalization(input, depth_radius=5, bias=1, alpha=1, beta=0.5,  # noqa
                                 name=None):
    """``tf.nn.local_response_normalization`` / ``tf.nn.lrn`` (TF's defaults: depth_radius 5,
    bias 1, alpha 1, beta 0.5)."""
    with ops.name_scope(name, "LRN", [input]) as scope:
        value = ops.convert_to_tensor(input, name="input")
        return make_tensor("LRN", [value], {"depth_radius": int(depth_radius),
                                            "bias": float(bias), "alpha": float(alpha),
                                            "beta": float(beta)}, name=scope)


lrn = local_response_normalization



def _depthwise_backprop(op_type, inputs, strides, padding, data_format, dilations, name):
    return make_tensor(op_type, inputs, {
        "strides": _four(strides, "stride", data_format, op_type), "padding": padding,
        "data_format": data_format,
        "dilations": _four(dilations, "dilations", data_format, op_type)}, name=name)


def depthwise_conv2d_native_backprop_input(input_sizes, filter, out_backprop,  # noqa: A002
                                           strides, padding, data_format="NHWC",
                                           dilations=(1, 1, 1, 1), name=None):
    """``tf.nn.depthwise_conv2d_native_backprop_input`` (also
    ``tf.nn.depthwise_conv2d_backprop_input``): the DepthwiseConv2dNativeBackpropInput op."""
    data_format = _format(data_format)
    with ops.name_scope(name, "DepthwiseConv2dNativeBackpropInput",
                        [filter, out_backprop]) as scope:
        sizes = ops.convert_to_tensor(input_sizes, dtype=dtypes.int32, name="input_sizes")
        dy = ops.convert_to_tensor(out_backprop, name="out_backprop")
        kernel = ops.convert_to_tensor(filter, dtype=dy.dtype.base_dtype, name="filter")
        return _depthwise_backprop("DepthwiseConv2dNativeBackpropInput", [sizes, kernel, dy],
                                   strides, padding, data_format, dilations, scope)


def depthwise_conv2d_native_backprop_filter(input, filter_sizes, out_backprop,  # noqa: A002
                                            strides, padding, data_format="NHWC",
                                            dilations=(1, 1, 1, 1), name=None):
    """``tf.nn.depthwise_conv2d_native_backprop_filter`` (also
    ``tf.nn.depthwise_conv2d_backprop_filter``): the DepthwiseConv2dNativeBackpropFilter op."""
    data_format = _format(data_format)
    with ops.name_scope(name, "DepthwiseConv2dNativeBackpropFilter",
                        [input, out_backprop]) as scope:
        x = ops.convert_to_tensor(input, name="input")
        sizes = ops.convert_to_tensor(filter_sizes, dtype=dtypes.int32, name="filter_sizes")
        dy = ops.convert_to_tensor(out_backprop, dtype=x.dtype.base_dtype, name="out_backprop")
        return _depthwise_backprop("DepthwiseConv2dNativeBackpropFilter", [x, sizes, dy],
                                   strides, padding, data_format, dilations, scope)


__all__ += ["depthwise_conv2d_native_backprop_input", "depthwise_conv2d_native_backprop_filter"]
