"""Convolution and pooling ops (TF's nn_ops.cc / nn_grad.py): Conv2D with its two backprop
ops, DepthwiseConv2dNative with its backprops, MaxPool/AvgPool with their gradient ops,
MaxPoolWithArgmax and LRN, plus the ``tf.nn`` builders composed from them (conv1d,
conv2d_transpose, separable_conv2d, atrous_conv2d, convolution).

Every backprop op is a real op with its own gradient, as in TF, so second-order gradients
work. The geometry, inference and reference kernels are written once for any number of
spatial dimensions (``nn_conv3d_ops`` declares the 3-D op types with them): kernels work
channels last (channels-first inputs are transposed in and out); a convolution is an
im2col patch view (a strided view of the padded input, [N, O..., K..., C]) times the filter
as one GEMM; its input gradient scatters the patch gradients back (col2im). SAME padding
splits an odd total as TF does: the extra row/column goes after. Faster 2-D kernels for
specialised plans live in ``tfcompat/runtime/rules/conv.py``.
"""
import collections
import itertools

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


def _static_outs(op, sizes, kernel, strides, dilations):
    """The static output sizes of the spatial dimensions ``sizes`` (None when unknown)."""
    return [_static_out(op, size, k, stride, dilation, op.attrs["padding"])
            for size, k, stride, dilation in zip(sizes, kernel, strides, dilations, strict=True)]


def _channels_first(data_format):
    return data_format.startswith("NC")


def _check_attrs(op, names, formats=_FORMATS):
    """TF's attribute checks: padding in the allowed strings, data_format one of
    ``formats`` (channels last, channels first), the list attributes of one value per
    dimension and 1 in the batch and depth dimensions."""
    padding, data_format = op.attrs["padding"], op.attrs["data_format"]
    if padding not in _PADDINGS:
        raise ValueError(f"Attr 'padding' of '{op.type}' Op passed string '{padding}' not in: "
                         f"\"SAME\", \"VALID\".")
    if data_format not in formats:
        raise ValueError(f"Attr 'data_format' of '{op.type}' Op passed string "
                         f"'{data_format}' not in: \"{formats[0]}\", \"{formats[1]}\".")
    rank = len(data_format)
    channel = 1 if _channels_first(data_format) else rank - 1
    for name in names:
        values = list(op.attrs[name])
        if len(values) != rank:
            raise ValueError(f"{op.type} requires the {name} attribute to contain {rank} "
                             f"values, but got: {len(values)} for '{op.name}' (op: "
                             f"'{op.type}') with input shapes: {_input_shapes(op)}.")
        if values[0] != 1 or values[channel] != 1:
            raise ValueError(f"{op.type}: current implementation does not yet support "
                             f"{name} in the batch and depth dimensions. for '{op.name}' "
                             f"(op: '{op.type}')")
        if min(values) < 1:
            raise ValueError(f"{op.type}: {name} must be positive, got {values}")


def _spatial_values(values, data_format):
    """The spatial entries (height and width; depth first in 3-D) of a list attribute with
    one value per dimension in ``data_format`` order."""
    return tuple(map(int, values[2:] if data_format.startswith("NC") else values[1:-1]))


def _windows(op, input_shape, kernel, dilations=None):
    """The Windows of the spatial dimensions of a channels-last ``input_shape``; TF's
    InvalidArgumentError when a VALID window does not fit."""
    attrs = op.attrs
    strides, padding = _spatial_values(attrs["strides"], attrs["data_format"]), attrs["padding"]
    if dilations is None:
        dilations = (1,) * len(kernel)
    windows = tuple([window(input_shape[1 + i], kernel[i], strides[i], dilations[i], padding)
                     for i in range(len(kernel))])
    for win in windows:
        if win.out <= 0:
            effective = (win.kernel - 1) * win.dilation + 1
            raise errors.InvalidArgumentError(
                None, op, f"Computed output size would be negative: {win.out} [input_size: "
                f"{win.size}, effective_filter_size: {effective}, stride: {win.stride}]"
                f"\n\t [[node {op.name}]]")
    return windows


def _to_last(x, data_format):
    """``x`` with its channels last (a transposed view when it has them first)."""
    return np.transpose(x, (0, *range(2, x.ndim), 1)) if _channels_first(data_format) else x


def _from_last(x, data_format):
    """A channels-last result in ``data_format`` order."""
    if not _channels_first(data_format):
        return x
    return np.ascontiguousarray(np.transpose(x, (0, x.ndim - 1, *range(1, x.ndim - 1))))


def _last_shape(shape, data_format):
    """A runtime sizes vector as a channels-last shape."""
    shape = [int(d) for d in shape]
    return [shape[0], *shape[2:], shape[1]] if _channels_first(data_format) else shape


def _layout(dims, data_format):
    """Channels-last dims as a TensorShape in ``data_format``."""
    if _channels_first(data_format):
        return tensor_shape.TensorShape([dims[0], dims[-1], *dims[1:-1]])
    return tensor_shape.TensorShape(dims)


def _dims_last(shape, data_format):
    """An input's static [N, spatial..., C] (entries None when unknown)."""
    if shape.ndims is None:
        return [None] * len(data_format)
    dims = shape.as_list()
    return [dims[0], *dims[2:], dims[1]] if _channels_first(data_format) else dims


def _known_shape(sizes, rank):
    """The static shape an int32 sizes input names (unknown unless it has ``rank`` values)."""
    known = constant_shape_value(sizes)
    return known if known.ndims == rank else tensor_shape.unknown_shape(rank)


# ---- im2col / col2im ---------------------------------------------------------------------------
def pad_windows(x, windows, value=0):
    """Channels-last ``x`` padded as the windows say (``x`` itself when none is needed)."""
    if not any(win.before or win.after for win in windows):
        return x
    return np.pad(x, [(0, 0)] + [(win.before, win.after) for win in windows] + [(0, 0)],
                  constant_values=value)


def patches(padded, windows):
    """The read-only patch view [N, O..., K..., C] of a padded channels-last array."""
    steps = padded.strides[1:-1]
    pairs = list(zip(steps, windows, strict=True))
    shape = ((padded.shape[0],) + tuple(win.out for win in windows)
             + tuple(win.kernel for win in windows) + (padded.shape[-1],))
    strides = ((padded.strides[0],) + tuple(step * win.stride for step, win in pairs)
               + tuple(step * win.dilation for step, win in pairs) + (padded.strides[-1],))
    return np.lib.stride_tricks.as_strided(padded, shape, strides, writeable=False)


def _padded(shape, windows, dtype):
    """Zeros shaped like channels-last ``shape`` with the windows' padding."""
    return np.zeros([shape[0]] + [size + win.before + win.after for size, win in
                                  zip(shape[1:-1], windows, strict=True)] + [shape[-1]], dtype)


def _crop(padded, shape, windows):
    """The unpadded part (of channels-last ``shape``) of a padded array."""
    return padded[(slice(None),) + tuple(slice(win.before, win.before + size)
                                         for size, win in zip(shape[1:-1], windows, strict=True))]


def col2im(cols, input_shape, windows):
    """Sums patch values [N, O..., K..., C] back onto a channels-last input of
    ``input_shape`` (the adjoint of ``patches``), taps in order."""
    padded = _padded(input_shape, windows, cols.dtype)
    spatial = len(windows)
    for taps in itertools.product(*(range(win.kernel) for win in windows)):
        target = tuple(slice(k * win.dilation, k * win.dilation + (win.out - 1) * win.stride + 1,
                             win.stride) for k, win in zip(taps, windows, strict=True))
        padded[(slice(None),) + target] += cols[(slice(None),) * (spatial + 1) + taps]
    return _crop(padded, input_shape, windows)


def _valid_input(op, x, rank=4):
    if x.ndim != rank:
        raise errors.InvalidArgumentError(
            None, op, f"input must be {rank}-dimensional{list(x.shape)}\n\t [[node {op.name}]]")
    return x


# ---- convolutions and their backprops ---------------------------------------------------------
def _conv_windows(op, input_shape, filter_shape):
    spatial = len(input_shape) - 2
    dilations = _spatial_values(op.attrs["dilations"], op.attrs["data_format"])
    return _windows(op, input_shape, filter_shape[:spatial], dilations)


def conv_channels_last(x, kernel, windows):
    """The convolution of channels-last ``x`` with [K..., C, O] ``kernel`` as one GEMM over
    patches."""
    cols = patches(pad_windows(x, windows), windows)
    positions = cols.shape[:len(windows) + 1]
    flat = cols.reshape(int(np.prod(positions)), -1)
    return np.dot(flat, kernel.reshape(flat.shape[1], -1)).reshape(positions + (-1,))


def conv_input_grad(dy, kernel, input_shape, windows):
    """The gradient of ``conv_channels_last`` with respect to its input (col2im of
    dy @ kernelᵀ)."""
    out_depth = kernel.shape[-1]
    cols = np.dot(dy.reshape(-1, out_depth), kernel.reshape(-1, out_depth).T)
    return col2im(cols.reshape(dy.shape[:-1] + kernel.shape[:-1]), input_shape, windows)


def conv_filter_grad(x, dy, filter_shape, windows):
    """The gradient of ``conv_channels_last`` with respect to its filter (patchesᵀ @ dy)."""
    cols = patches(pad_windows(x, windows), windows)
    flat = cols.reshape(-1, int(np.prod(filter_shape[:-1])))
    return np.dot(flat.T, dy.reshape(flat.shape[0], -1)).reshape(filter_shape)


def depthwise_conv(x, kernel, windows):
    """Depthwise convolution: channel c of ``x`` with kernel[:, :, c, m] gives output channel
    c * M + m."""
    cols = patches(pad_windows(x, windows), windows)
    out = np.einsum("nhwijc,ijcm->nhwcm", cols, kernel)
    return out.reshape(out.shape[:3] + (-1,))


def depthwise_input_grad(dy, kernel, input_shape, windows):
    kh, kw, c, m = kernel.shape
    cols = np.einsum("nhwcm,ijcm->nhwijc", dy.reshape(dy.shape[:3] + (c, m)), kernel)
    return col2im(cols, input_shape, windows)


def depthwise_filter_grad(x, dy, filter_shape, windows):
    kh, kw, c, m = filter_shape
    cols = patches(pad_windows(x, windows), windows)
    return np.einsum("nhwijc,nhwcm->ijcm", cols, dy.reshape(dy.shape[:3] + (c, m)))


def _conv_attrs(op):
    return {name: op.attrs[name] for name in ("strides", "padding", "data_format",
                                              "dilations")}


class _Convolution(OpDef):
    """What the ops of a convolution family share: ``family`` names its (forward, input
    gradient, filter gradient) op types, ``formats`` its (channels last, channels first)
    data formats; each gradient op is a real op whose own gradient is built from the
    other two."""

    family = ("Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter")
    formats = _FORMATS


class _ConvForward(_Convolution):
    """A forward convolution: input [N, spatial..., C] (or channels first), filter
    [K..., C, O]; output [N, out spatial..., O] (C * M channels when ``depthwise``)."""

    depthwise = False
    convolve = staticmethod(conv_channels_last)

    def infer(self, op):
        x, kernel = op.inputs
        dtype = _check_same_dtype(op, ("input", "filter"))
        _check_dtype(op, x, "T", _FLOATS)
        _with_rank(op, x.shape, len(self.formats[0]))
        _with_rank(op, kernel.shape, len(self.formats[0]))
        return [(self.output_shape(op, x.shape, kernel.shape), dtype)]

    def output_shape(self, op, input_shape, filter_shape):
        _check_attrs(op, ("strides", "dilations"), self.formats)
        data_format = op.attrs["data_format"]
        dims = _dims_last(input_shape, data_format)
        kdims = filter_shape.as_list() if filter_shape.ndims is not None else [None] * len(dims)
        depth = _merge_dims(op, tensor_shape.Dimension(dims[-1]),
                            tensor_shape.Dimension(kdims[-2])).value
        out_depth = kdims[-1]
        if self.depthwise and out_depth is not None:
            out_depth = out_depth * depth if depth is not None else None
        spatial = _static_outs(op, dims[1:-1], kdims[:-2],
                               _spatial_values(op.attrs["strides"], data_format),
                               _spatial_values(op.attrs["dilations"], data_format))
        return _layout([dims[0], *spatial, out_depth], data_format)

    def kernel(self, op, ctx):
        data_format, convolve = op.attrs["data_format"], self.convolve

        def convolution(x, kernel):
            x = _to_last(_valid_input(op, x, len(data_format)), data_format)
            windows = _conv_windows(op, x.shape, kernel.shape)
            return _from_last(np.ascontiguousarray(convolve(x, kernel, windows)), data_format)
        return convolution

    def grad(self, op, dy):
        x, kernel = op.inputs
        attrs = _conv_attrs(op)
        _, input_grad, filter_grad = self.family
        return [make_tensor(input_grad, [array_ops.shape(x), kernel, dy], attrs),
                make_tensor(filter_grad, [x, array_ops.shape(kernel), dy], attrs)]


class _ConvInputGrad(_Convolution):
    """A convolution's input gradient: inputs input_sizes (int32, one value a dimension),
    filter, out_backprop."""

    shape_determining_inputs = (0,)
    input_grad = staticmethod(conv_input_grad)

    def check_depths(self, op, shape, kernel, dy):
        """TF's checks of the input and output depths against the filter's."""
        if kernel.shape.ndims is not None:
            data_format = op.attrs["data_format"]
            _merge_dims(op, tensor_shape.Dimension(_dims_last(shape, data_format)[-1]),
                        kernel.shape[-2])
            _merge_dims(op, kernel.shape[-1],
                        tensor_shape.Dimension(_dims_last(dy.shape, data_format)[-1]))

    def kernel(self, op, ctx):
        data_format, input_grad = op.attrs["data_format"], self.input_grad

        def convolution_backprop_input(sizes, kernel, dy):
            shape = _last_shape(sizes, data_format)
            windows = _conv_windows(op, shape, kernel.shape)
            dx = input_grad(_to_last(dy, data_format), kernel, shape, windows)
            return _from_last(np.ascontiguousarray(dx), data_format)
        return convolution_backprop_input

    def grad(self, op, ddx):
        sizes, kernel, dy = op.inputs
        attrs = _conv_attrs(op)
        forward, _, filter_grad = self.family
        return [None, make_tensor(filter_grad, [ddx, array_ops.shape(kernel), dy], attrs),
                make_tensor(forward, [ddx, kernel], attrs)]


class _ConvFilterGrad(_Convolution):
    """A convolution's filter gradient: inputs input, filter_sizes (int32, one value a
    dimension), out_backprop."""

    shape_determining_inputs = (1,)
    filter_grad = staticmethod(conv_filter_grad)

    def infer(self, op):
        x, sizes, dy = op.inputs
        rank = len(self.formats[0])
        _check_attrs(op, ("strides", "dilations"), self.formats)
        dtype = _check_dtype(op, x, "T", _FLOATS)
        _with_rank(op, x.shape, rank)
        _with_rank(op, dy.shape, rank)
        return [(_known_shape(sizes, rank), dtype)]

    def kernel(self, op, ctx):
        data_format, filter_grad = op.attrs["data_format"], self.filter_grad

        def convolution_backprop_filter(x, sizes, dy):
            x = _to_last(x, data_format)
            shape = tuple(int(d) for d in sizes)
            windows = _conv_windows(op, x.shape, shape)
            return filter_grad(x, _to_last(dy, data_format), shape, windows)
        return convolution_backprop_filter

    def grad(self, op, dkernel):
        x, sizes, dy = op.inputs
        attrs = _conv_attrs(op)
        forward, input_grad, _ = self.family
        return [make_tensor(input_grad, [array_ops.shape(x), dkernel, dy], attrs),
                None, make_tensor(forward, [x, dkernel], attrs)]


@register_op
class Conv2D(_ConvForward):
    """2-D convolution (``tf.nn.conv2d``): input [N, H, W, C] (or NCHW), filter
    [KH, KW, C, O]; gradients Conv2DBackpropInput and Conv2DBackpropFilter."""


def _sizes_shape(op, sizes):
    """The static shape named by an int32 sizes input (4 values, or 2 spatial ones)."""
    known = constant_shape_value(sizes)
    if known.ndims is not None and known.ndims not in (2, 4):
        raise ValueError(f"{op.type} requires input_sizes to contain 4 values or 2 values, "
                         f"but got: {known.ndims} for '{op.name}' (op: '{op.type}') with "
                         f"input shapes: {_input_shapes(op)}.")
    return known if known.ndims == 4 else tensor_shape.unknown_shape(4)


@register_op
class Conv2DBackpropInput(_ConvInputGrad):
    """Gradient of Conv2D with respect to its input (``tf.nn.conv2d_transpose``): inputs
    input_sizes (int32 [4]), filter [KH, KW, C, O], out_backprop [N, OH, OW, O]."""

    def infer(self, op):
        sizes, kernel, dy = op.inputs
        _check_attrs(op, ("strides", "dilations"))
        dtype = kernel.dtype.base_dtype
        _with_rank(op, kernel.shape, 4)
        _with_rank(op, dy.shape, 4)
        shape = _sizes_shape(op, sizes)
        self.check_depths(op, shape, kernel, dy)
        return [(shape, dtype)]


@register_op
class Conv2DBackpropFilter(_ConvFilterGrad):
    """Gradient of Conv2D with respect to its filter: inputs input [N, H, W, C],
    filter_sizes (int32 [4]), out_backprop [N, OH, OW, O]."""


# ---- depthwise convolution ----------------------------------------------------------------------
class _Depthwise(_Convolution):
    """The depthwise convolution family's op types."""

    family = ("DepthwiseConv2dNative", "DepthwiseConv2dNativeBackpropInput",
              "DepthwiseConv2dNativeBackpropFilter")


@register_op
class DepthwiseConv2dNative(_Depthwise, _ConvForward):
    """Depthwise 2-D convolution (``tf.nn.depthwise_conv2d_native``): filter
    [KH, KW, C, M] gives C * M output channels."""

    depthwise = True
    convolve = staticmethod(depthwise_conv)


@register_op
class DepthwiseConv2dNativeBackpropInput(_Depthwise, _ConvInputGrad):
    """Gradient of DepthwiseConv2dNative with respect to its input."""

    input_grad = staticmethod(depthwise_input_grad)

    def infer(self, op):
        sizes, kernel, dy = op.inputs
        _check_attrs(op, ("strides", "dilations"))
        return [(_sizes_shape(op, sizes), kernel.dtype.base_dtype)]


@register_op
class DepthwiseConv2dNativeBackpropFilter(_Depthwise, _ConvFilterGrad):
    """Gradient of DepthwiseConv2dNative with respect to its filter."""

    filter_grad = staticmethod(depthwise_filter_grad)

    def infer(self, op):
        x, sizes, dy = op.inputs
        _check_attrs(op, ("strides", "dilations"))
        return [(_known_shape(sizes, 4), x.dtype.base_dtype)]


# ---- pooling ----------------------------------------------------------------------------------
def _pool_windows(op, input_shape):
    """The Windows of a pooling op over a channels-last ``input_shape``."""
    return _windows(op, input_shape, _spatial_values(op.attrs["ksize"], op.attrs["data_format"]))


def _pool_attrs(op):
    return {name: op.attrs[name] for name in ("ksize", "strides", "padding", "data_format")}


def _pool_shape(op, shape, formats=_FORMATS):
    _check_attrs(op, ("ksize", "strides"), formats)
    data_format = op.attrs["data_format"]
    dims = _dims_last(_with_rank(op, shape, len(formats[0])), data_format)
    spatial = _static_outs(op, dims[1:-1], _spatial_values(op.attrs["ksize"], data_format),
                           _spatial_values(op.attrs["strides"], data_format),
                           (1,) * (len(dims) - 2))
    return _layout([dims[0], *spatial, dims[-1]], data_format)


def _flat_windows(cols):
    """[N, O..., K..., C] patches as [N, O..., K, C] (each window flattened)."""
    spatial = (cols.ndim - 2) // 2
    return cols.reshape(cols.shape[:spatial + 1] + (-1, cols.shape[-1]))


def max_windows(x, windows):
    """The flat in-window index of each window's first maximum and the maxima (padding
    never wins)."""
    fill = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    cols = _flat_windows(patches(pad_windows(x, windows, fill), windows))
    index = np.argmax(cols, axis=-2)
    return index, np.take_along_axis(cols, index[..., None, :], axis=-2)[..., 0, :]


def _window_origin(index, windows):
    """Padded-input coordinates (one array a spatial dimension) of in-window index
    ``index`` for each output position."""
    offsets = np.unravel_index(index, tuple(win.kernel for win in windows))
    coordinates = []
    for axis, (offset, win) in enumerate(zip(offsets, windows, strict=True)):
        shape = [1] * (len(windows) + 2)
        shape[1 + axis] = win.out
        coordinates.append(np.arange(win.out).reshape(shape) * win.stride + offset)
    return coordinates


def max_pool_grad_channels_last(x, dy, windows):
    """Routes each output gradient to its window's first maximum (TF's MaxPoolGrad)."""
    index, _ = max_windows(x, windows)
    batch = np.arange(x.shape[0]).reshape([-1] + [1] * (len(windows) + 1))
    padded = _padded(x.shape, windows, dy.dtype)
    np.add.at(padded, (batch, *_window_origin(index, windows), np.arange(x.shape[-1])), dy)
    return _crop(padded, x.shape, windows)


def max_pool_grad_grad_channels_last(x, ddx, windows):
    """Picks, for each output, the second-order gradient at its window's first maximum."""
    index, _ = max_windows(x, windows)
    cols = _flat_windows(patches(pad_windows(ddx, windows), windows))
    return np.take_along_axis(cols, index[..., None, :], axis=-2)[..., 0, :]


def _window_counts(windows):
    """How many real (unpadded) inputs each output window covers, [O..., 1]."""
    total = np.ones([1] * len(windows), np.int64)
    for axis, win in enumerate(windows):
        starts = np.arange(win.out) * win.stride - win.before
        counts = np.minimum(starts + win.kernel, win.size) - np.maximum(starts, 0)
        shape = [1] * len(windows)
        shape[axis] = win.out
        total = total * counts.reshape(shape)
    return total[..., None]


def avg_pool_channels_last(x, windows):
    """Window means over the real inputs only (padding does not count, as in TF)."""
    cols = patches(pad_windows(x, windows), windows)
    spatial = len(windows)
    sums = cols.sum(axis=tuple(range(spatial + 1, 2 * spatial + 1)))
    return (sums / _window_counts(windows)).astype(x.dtype, copy=False)


def avg_pool_grad_channels_last(dy, input_shape, windows):
    """Each gradient spread evenly over the real inputs of its window."""
    share = dy / _window_counts(windows).astype(dy.dtype)
    spatial = len(windows)
    index = (slice(None),) * (spatial + 1) + (None,) * spatial + (slice(None),)
    cols = np.broadcast_to(share[index], share.shape[:-1] + tuple(
        win.kernel for win in windows) + share.shape[-1:])
    return col2im(cols, input_shape, windows)


class _MaxPooling(OpDef):
    """What max pooling's ops share: ``family`` names the (forward, gradient, second-order
    gradient) op types, ``formats`` their data formats; each gradient is a real op whose
    own gradient is the other one."""

    family = ("MaxPool", "MaxPoolGrad", "MaxPoolGradGrad")
    formats = _FORMATS

    def pool_grad(self, op, x, y, dy, order):
        """The gradient op of ``order`` (1 or 2) with zero gradients for x and y."""
        return [array_ops.zeros_like(x), array_ops.zeros_like(y),
                make_tensor(self.family[order], [x, y, dy], _pool_attrs(op))]


class _MaxPool(_MaxPooling):
    """Max pooling; padded positions never win."""

    def infer(self, op):
        x = op.inputs[0]
        return [(_pool_shape(op, x.shape, self.formats), _check_dtype(op, x, "T", _FLOATS))]

    def kernel(self, op, ctx):
        data_format = op.attrs["data_format"]

        def max_pool(x):
            x = _to_last(_valid_input(op, x, len(data_format)), data_format)
            return _from_last(max_windows(x, _pool_windows(op, x.shape))[1], data_format)
        return max_pool

    def grad(self, op, dy):
        return [make_tensor(self.family[1], [op.inputs[0], op.outputs[0], dy],
                            _pool_attrs(op))]


def _pool_grad_kernel(op, gradient):
    """The kernel (orig_input, orig_output, grad) of a max pooling gradient op computing
    ``gradient(x, grad, windows)`` channels last."""
    data_format = op.attrs["data_format"]

    def max_pool_gradient(x, y, dy):
        x = _to_last(x, data_format)
        out = gradient(x, _to_last(dy, data_format), _pool_windows(op, x.shape))
        return _from_last(np.ascontiguousarray(out), data_format)
    return max_pool_gradient


class _MaxPoolGrad(_MaxPooling):
    """Max pooling's gradient: each grad goes to its window's first maximum."""

    def kernel(self, op, ctx):
        return _pool_grad_kernel(op, max_pool_grad_channels_last)

    def grad(self, op, ddx):
        x, y, _ = op.inputs
        return self.pool_grad(op, x, y, ddx, 2)


class _MaxPoolGradGrad(_MaxPooling):
    """Max pooling's second-order gradient: for each output, the grad at its window's first
    maximum."""

    def kernel(self, op, ctx):
        return _pool_grad_kernel(op, max_pool_grad_grad_channels_last)

    def grad(self, op, ddy):
        x, y, _ = op.inputs
        return self.pool_grad(op, x, y, ddy, 1)


class _AvgPooling(OpDef):
    """What average pooling's two ops share: ``family`` names the (forward, gradient) op
    types, ``formats`` their data formats."""

    family = ("AvgPool", "AvgPoolGrad")
    formats = _FORMATS


class _AvgPool(_AvgPooling):
    """Average pooling over the unpadded inputs of each window."""

    def infer(self, op):
        x = op.inputs[0]
        return [(_pool_shape(op, x.shape, self.formats), _check_dtype(op, x, "T", _FLOATS))]

    def kernel(self, op, ctx):
        data_format = op.attrs["data_format"]

        def avg_pool(x):
            x = _to_last(_valid_input(op, x, len(data_format)), data_format)
            return _from_last(avg_pool_channels_last(x, _pool_windows(op, x.shape)),
                              data_format)
        return avg_pool

    def grad(self, op, dy):
        return [make_tensor(self.family[1], [array_ops.shape(op.inputs[0]), dy],
                            _pool_attrs(op))]


class _AvgPoolGrad(_AvgPooling):
    """Average pooling's gradient: each grad spread evenly over its window's real inputs."""

    shape_determining_inputs = (0,)

    def kernel(self, op, ctx):
        data_format = op.attrs["data_format"]

        def avg_pool_grad(sizes, dy):
            shape = _last_shape(sizes, data_format)
            dx = avg_pool_grad_channels_last(_to_last(dy, data_format), shape,
                                             _pool_windows(op, shape))
            return _from_last(np.ascontiguousarray(dx), data_format)
        return avg_pool_grad

    def grad(self, op, ddx):
        return [None, make_tensor(self.family[0], [ddx], _pool_attrs(op))]


@register_op
class MaxPool(_MaxPool):
    """Max pooling (``tf.nn.max_pool``); padded positions never win. Gradient MaxPoolGrad."""


@register_op
class MaxPoolGrad(_MaxPoolGrad):
    """Gradient of MaxPool: inputs orig_input, orig_output, grad; each grad goes to its
    window's first maximum. Its own gradient is MaxPoolGradGrad."""

    def infer(self, op):
        x = op.inputs[0]
        return [(_with_rank(op, x.shape, 4), _check_dtype(op, x, "T", _FLOATS))]


@register_op
class MaxPoolGradGrad(_MaxPoolGradGrad):
    """Second-order max pooling gradient: inputs orig_input, orig_output, grad (shaped like
    orig_input); output shaped like orig_output. Its gradient is MaxPoolGrad."""

    def infer(self, op):
        x, y = op.inputs[:2]
        return [(_with_rank(op, y.shape, 4), _check_dtype(op, x, "T", _FLOATS))]


@register_op
class AvgPool(_AvgPool):
    """Average pooling (``tf.nn.avg_pool``) over the unpadded inputs of each window;
    gradient AvgPoolGrad."""


@register_op
class AvgPoolGrad(_AvgPoolGrad):
    """Gradient of AvgPool: inputs orig_input_shape (int32 [4]) and grad; each grad is spread
    evenly over its window. Its gradient with respect to grad is AvgPool."""

    def infer(self, op):
        sizes, dy = op.inputs
        _check_attrs(op, ("ksize", "strides"))
        return [(_sizes_shape(op, sizes), _check_dtype(op, dy, "T", _FLOATS))]


@register_op
class MaxPoolWithArgmax(OpDef):
    """Max pooling that also returns each maximum's flat index ((y * W + x) * C + c, plus
    the batch offset when include_batch_in_index); NHWC only, like TF."""

    def infer(self, op):
        x = op.inputs[0]
        shape = _pool_shape(op, x.shape)
        return [(shape, _check_dtype(op, x, "T", _FLOATS)), (shape, op.attrs["Targmax"])]

    def kernel(self, op, ctx):
        with_batch = op.attrs["include_batch_in_index"]
        index_type = op.attrs["Targmax"].as_numpy_dtype

        def max_pool_with_argmax(x):
            wh, ww = windows = _pool_windows(op, _valid_input(op, x).shape)
            index, maxima = max_windows(x, windows)
            rows, columns = _window_origin(index, windows)
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
class MaxPoolGradWithArgmax(OpDef):
    """Gradient of MaxPoolWithArgmax: grad summed into input positions named by argmax."""

    def infer(self, op):
        x = op.inputs[0]
        return [(_with_rank(op, x.shape, 4), _check_dtype(op, x, "T", _FLOATS))]

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
def _attr_list(values, name, data_format, op_name, rank=4):
    """A stride/ksize/dilation argument as TF 1.x's list of ``rank`` values (an int, one
    value or one per spatial dimension is spread over the spatial dimensions)."""
    if isinstance(values, int):
        values = [values]
    values = [int(v) for v in values]
    if len(values) == rank:
        return values
    spatial = rank - 2
    if len(values) not in (1, spatial):
        raise ValueError(f"{op_name} requires the {name} attribute to contain {rank} values, "
                         f"but got: {len(values)}")
    values = values * spatial if len(values) == 1 else values
    return [1, 1, *values] if _channels_first(data_format) else [1, *values, 1]


def _format(data_format):
    data_format = data_format or "NHWC"
    if isinstance(data_format, bytes):
        data_format = data_format.decode()
    return data_format


def _conv_node(op_type, inputs, strides, padding, data_format, dilations, name, rank=4,
               **extra_attrs):
    """The output of one convolution op (``extra_attrs`` such as use_cudnn_on_gpu come
    before its dilations)."""
    return make_tensor(op_type, inputs, {
        "strides": _attr_list(strides, "stride", data_format, op_type, rank),
        "padding": padding, "data_format": data_format, **extra_attrs,
        "dilations": _attr_list(dilations, "dilations", data_format, op_type, rank)},
        name=name)


def _forward_node(op_type, input, filter, strides, padding, data_format,  # noqa: A002
                  dilations, name, rank=4, **extra_attrs):
    """A forward convolution op under its own name scope (default: its op type)."""
    with ops.name_scope(name, op_type, [input, filter]) as scope:
        x = ops.convert_to_tensor(input, name="input")
        kernel = ops.convert_to_tensor(filter, dtype=x.dtype.base_dtype, name="filter")
        return _conv_node(op_type, [x, kernel], strides, padding, data_format, dilations,
                          scope, rank, **extra_attrs)


def _input_grad_node(op_type, input_sizes, filter, out_backprop, strides,  # noqa: A002
                     padding, data_format, dilations, name, **extra_attrs):
    """A convolution's input gradient op under its own name scope."""
    with ops.name_scope(name, op_type, [filter, out_backprop]) as scope:
        sizes = ops.convert_to_tensor(input_sizes, dtype=dtypes.int32, name="input_sizes")
        dy = ops.convert_to_tensor(out_backprop, name="out_backprop")
        kernel = ops.convert_to_tensor(filter, dtype=dy.dtype.base_dtype, name="filter")
        return _conv_node(op_type, [sizes, kernel, dy], strides, padding, data_format,
                          dilations, scope, **extra_attrs)


def _filter_grad_node(op_type, input, filter_sizes, out_backprop, strides,  # noqa: A002
                      padding, data_format, dilations, name, rank=4, **extra_attrs):
    """A convolution's filter gradient op under its own name scope."""
    with ops.name_scope(name, op_type, [input, out_backprop]) as scope:
        x = ops.convert_to_tensor(input, name="input")
        sizes = ops.convert_to_tensor(filter_sizes, dtype=dtypes.int32, name="filter_sizes")
        dy = ops.convert_to_tensor(out_backprop, dtype=x.dtype.base_dtype, name="out_backprop")
        return _conv_node(op_type, [x, sizes, dy], strides, padding, data_format, dilations,
                          scope, rank, **extra_attrs)


def conv2d(input, filter=None, strides=None, padding=None, use_cudnn_on_gpu=True,  # noqa: A002
           data_format="NHWC", dilations=(1, 1, 1, 1), name=None, filters=None):
    """``tf.nn.conv2d(input, filter, strides, padding, use_cudnn_on_gpu=True,
    data_format='NHWC', dilations=[1, 1, 1, 1], name=None)`` (one Conv2D op)."""
    filter = filters if filter is None else filter  # noqa: A001
    return _forward_node("Conv2D", input, filter, strides, padding, _format(data_format),
                         dilations, name, use_cudnn_on_gpu=bool(use_cudnn_on_gpu))


def conv2d_backprop_input(input_sizes, filter, out_backprop, strides, padding,  # noqa: A002
                          use_cudnn_on_gpu=True, data_format="NHWC", dilations=(1, 1, 1, 1),
                          name=None):
    """``tf.nn.conv2d_backprop_input``: the Conv2DBackpropInput op."""
    return _input_grad_node("Conv2DBackpropInput", input_sizes, filter, out_backprop, strides,
                            padding, _format(data_format), dilations, name,
                            use_cudnn_on_gpu=bool(use_cudnn_on_gpu))


def conv2d_backprop_filter(input, filter_sizes, out_backprop, strides, padding,  # noqa: A002
                           use_cudnn_on_gpu=True, data_format="NHWC", dilations=(1, 1, 1, 1),
                           name=None):
    """``tf.nn.conv2d_backprop_filter``: the Conv2DBackpropFilter op."""
    return _filter_grad_node("Conv2DBackpropFilter", input, filter_sizes, out_backprop,
                             strides, padding, _format(data_format), dilations, name,
                             use_cudnn_on_gpu=bool(use_cudnn_on_gpu))


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


def _transpose_operands(value, filter, output_shape, data_format):  # noqa: A002
    """(value, filter, output_shape) tensors of a transposed convolution with TF's checks:
    output_shape one value a dimension, value's channels the filter's last dimension and,
    when output_shape is a list, its channels the filter's next to last."""
    rank = len(data_format)
    value = ops.convert_to_tensor(value, name="value")
    filter = ops.convert_to_tensor(filter, dtype=value.dtype.base_dtype,  # noqa: A001
                                   name="filter")
    sizes = ops.convert_to_tensor(output_shape, dtype=dtypes.int32, name="output_shape")
    axis = 1 if _channels_first(data_format) else rank - 1
    if not sizes.shape.is_compatible_with(tensor_shape.TensorShape([rank])):
        raise ValueError(f"output_shape must have shape ({rank},), got {sizes.shape}")
    if not value.shape[axis].is_compatible_with(filter.shape[rank - 1]):
        raise ValueError(f"input channels does not match filter's input channels, "
                         f"{value.shape[axis]} != {filter.shape[rank - 1]}")
    if isinstance(output_shape, (list, tuple, np.ndarray)):
        if not filter.shape[rank - 2].is_compatible_with(output_shape[axis]):
            raise ValueError(f"output_shape does not match filter's output channels, "
                             f"{output_shape[axis]} != {filter.shape[rank - 2]}")
    return value, filter, sizes


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
        value, filter, output_shape_ = _transpose_operands(  # noqa: A001
            value, filter, output_shape, data_format)
        return conv2d_backprop_input(output_shape_, filter, value, strides, padding,
                                     data_format=data_format,
                                     dilations=dilations or (1, 1, 1, 1), name=name)


def depthwise_conv2d_native(input, filter, strides, padding, data_format="NHWC",  # noqa: A002
                            dilations=(1, 1, 1, 1), name=None):
    """``tf.nn.depthwise_conv2d_native``: the DepthwiseConv2dNative op."""
    return _forward_node("DepthwiseConv2dNative", input, filter, strides, padding,
                         _format(data_format), dilations, name)


def depthwise_conv2d(input, filter, strides, padding, rate=None, name=None,  # noqa: A002
                     data_format=None, dilations=None):
    """``tf.nn.depthwise_conv2d(input, filter, strides, padding, rate=None, name=None,
    data_format=None)``: DepthwiseConv2dNative (``rate`` as its dilations) named like TF."""
    rate = dilations if rate is None else rate
    data_format = _format(data_format)
    with ops.name_scope(name, "depthwise", [input, filter]) as scope:
        return depthwise_conv2d_native(input, filter, strides, padding, data_format,
                                       _attr_list(rate or 1, "rate", data_format,
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
            _attr_list(rate or 1, "rate", data_format, "separable_conv2d"), name="depthwise")
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


def _pool(op_type, value, ksize, strides, padding, data_format, name, rank=4):
    """A pooling op under its own name scope (default: its op type)."""
    data_format = _format(data_format)
    with ops.name_scope(name, op_type, [value]) as scope:
        value = ops.convert_to_tensor(value, name="input")
        return make_tensor(op_type, [value], {
            "ksize": _attr_list(ksize, "ksize", data_format, op_type, rank),
            "strides": _attr_list(strides, "stride", data_format, op_type, rank),
            "padding": padding, "data_format": data_format}, name=scope)


def max_pool(value, ksize, strides, padding, data_format="NHWC", name=None,
             input=None):  # noqa: A002
    """``tf.nn.max_pool(value, ksize, strides, padding, data_format='NHWC', name=None)``."""
    value = input if value is None else value
    return _pool("MaxPool", value, ksize, strides, padding, data_format, name)


def avg_pool(value, ksize, strides, padding, data_format="NHWC", name=None,
             input=None):  # noqa: A002
    """``tf.nn.avg_pool(value, ksize, strides, padding, data_format='NHWC', name=None)``."""
    value = input if value is None else value
    return _pool("AvgPool", value, ksize, strides, padding, data_format, name)


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
            "ksize": _attr_list(ksize, "ksize", "NHWC", "MaxPoolWithArgmax"),
            "strides": _attr_list(strides, "stride", "NHWC", "MaxPoolWithArgmax"),
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



def depthwise_conv2d_native_backprop_input(input_sizes, filter, out_backprop,  # noqa: A002
                                           strides, padding, data_format="NHWC",
                                           dilations=(1, 1, 1, 1), name=None):
    """``tf.nn.depthwise_conv2d_native_backprop_input`` (also
    ``tf.nn.depthwise_conv2d_backprop_input``): the DepthwiseConv2dNativeBackpropInput op."""
    return _input_grad_node("DepthwiseConv2dNativeBackpropInput", input_sizes, filter,
                            out_backprop, strides, padding, _format(data_format), dilations,
                            name)


def depthwise_conv2d_native_backprop_filter(input, filter_sizes, out_backprop,  # noqa: A002
                                            strides, padding, data_format="NHWC",
                                            dilations=(1, 1, 1, 1), name=None):
    """``tf.nn.depthwise_conv2d_native_backprop_filter`` (also
    ``tf.nn.depthwise_conv2d_backprop_filter``): the DepthwiseConv2dNativeBackpropFilter op."""
    return _filter_grad_node("DepthwiseConv2dNativeBackpropFilter", input, filter_sizes,
                             out_backprop, strides, padding, _format(data_format), dilations,
                             name)


__all__ += ["depthwise_conv2d_native_backprop_input", "depthwise_conv2d_native_backprop_filter"]
