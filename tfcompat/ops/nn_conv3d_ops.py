"""3-D convolution and pooling ops (TF's conv_ops_3d.cc / pooling_ops_3d.cc / nn_grad.py):
Conv3D with Conv3DBackpropInputV2 and Conv3DBackpropFilterV2, MaxPool3D with MaxPool3DGrad
and MaxPool3DGradGrad, AvgPool3D with AvgPool3DGrad, plus the ``tf.nn`` builders conv3d,
conv3d_transpose, conv3d_backprop_filter(_v2), max_pool3d and avg_pool3d.

Reference kernels work in NDHWC (NCDHW is transposed in and out) with the same geometry as
the 2-D ops (``nn_conv_ops.window``: SAME puts the odd padding element after): a convolution
is a read-only patch view [N, OD, OH, OW, KD, KH, KW, C] of the padded input times the filter
as one GEMM; its input gradient sums the patch gradients back (col2im). Every backprop op is
a real op with its own gradient, so second-order gradients work as in TF.
"""
import itertools

import numpy as np

from tfcompat.framework import dtypes, errors, ops, tensor_shape
from tfcompat.framework.op_def import OpDef, constant_shape_value, make_tensor, register_op
from tfcompat.ops import array_ops
from tfcompat.ops.nn_conv_ops import _format, _static_out, window
from tfcompat.ops.nn_ops import _FLOATS, _check_dtype, _check_same_dtype, _input_shapes, \
    _merge_dims, _with_rank

__all__ = ["conv3d", "conv3d_transpose", "conv3d_backprop_filter",
           "conv3d_backprop_filter_v2", "max_pool3d", "avg_pool3d"]

_SPATIAL = 3
_FORMATS = ("NDHWC", "NCDHW")


# ---- geometry and layouts -------------------------------------------------------------------
def _channels_first(op):
    return op.attrs["data_format"] == "NCDHW"


def _spatial_values(values, channels_first):
    """The (depth, height, width) entries of a 5-value attribute."""
    return tuple(int(v) for v in (values[2:] if channels_first else values[1:4]))


def _check_attrs(op, names):
    """TF's attribute checks: padding and data_format known, 5-value list attributes with 1
    in the batch and channel dimensions."""
    padding, data_format = op.attrs["padding"], op.attrs["data_format"]
    if padding not in ("SAME", "VALID"):
        raise ValueError(f"Attr 'padding' of '{op.type}' Op passed string '{padding}' not in: "
                         f"\"SAME\", \"VALID\".")
    if data_format not in _FORMATS:
        raise ValueError(f"Attr 'data_format' of '{op.type}' Op passed string "
                         f"'{data_format}' not in: \"NDHWC\", \"NCDHW\".")
    channel = 1 if data_format == "NCDHW" else 4
    for name in names:
        values = list(op.attrs[name])
        if len(values) != 5:
            raise ValueError(f"{op.type} requires the {name} attribute to contain 5 values, "
                             f"but got: {len(values)} for '{op.name}' (op: '{op.type}') with "
                             f"input shapes: {_input_shapes(op)}.")
        if values[0] != 1 or values[channel] != 1:
            raise ValueError(f"{op.type}: current implementation does not yet support "
                             f"{name} in the batch and depth dimensions. for '{op.name}' "
                             f"(op: '{op.type}')")
        if min(values) < 1:
            raise ValueError(f"{op.type}: {name} must be positive, got {values}")


def _to_last(x, channels_first):
    return np.transpose(x, (0, 2, 3, 4, 1)) if channels_first else x


def _from_last(x, channels_first):
    return np.ascontiguousarray(np.transpose(x, (0, 4, 1, 2, 3))) if channels_first else x


def _last_shape(shape, channels_first):
    shape = [int(d) for d in shape]
    return [shape[0]] + shape[2:] + [shape[1]] if channels_first else shape


def _dims_last(shape, channels_first):
    """A static shape's [N, D, H, W, C] (entries None when unknown)."""
    if shape.ndims is None:
        return [None] * 5
    dims = shape.as_list()
    return [dims[0]] + dims[2:] + [dims[1]] if channels_first else dims


def _layout(dims, channels_first):
    return tensor_shape.TensorShape([dims[0], dims[4]] + dims[1:4] if channels_first else dims)


def _windows(op, input_shape, kernel, dilations=(1, 1, 1)):
    """The Windows of the three spatial dimensions of a channels-last ``input_shape``; TF's
    InvalidArgumentError when a VALID window does not fit."""
    channels_first = _channels_first(op)
    strides = _spatial_values(op.attrs["strides"], channels_first)
    windows = tuple(window(input_shape[1 + i], kernel[i], strides[i], dilations[i],
                           op.attrs["padding"]) for i in range(_SPATIAL))
    for win in windows:
        if win.out <= 0:
            effective = (win.kernel - 1) * win.dilation + 1
            raise errors.InvalidArgumentError(
                None, op, f"Computed output size would be negative: {win.out} [input_size: "
                f"{win.size}, effective_filter_size: {effective}, stride: {win.stride}]"
                f"\n\t [[node {op.name}]]")
    return windows


def _pad(x, windows, value=0):
    if not any(win.before or win.after for win in windows):
        return x
    return np.pad(x, [(0, 0)] + [(win.before, win.after) for win in windows] + [(0, 0)],
                  constant_values=value)


def _patches(padded, windows):
    """The read-only patch view [N, O..., K..., C] of a padded channels-last array."""
    steps = padded.strides[1:-1]
    shape = ((padded.shape[0],) + tuple(win.out for win in windows)
             + tuple(win.kernel for win in windows) + (padded.shape[-1],))
    pairs = list(zip(steps, windows, strict=True))
    strides = ((padded.strides[0],) + tuple(s * win.stride for s, win in pairs)
               + tuple(s * win.dilation for s, win in pairs) + (padded.strides[-1],))
    return np.lib.stride_tricks.as_strided(padded, shape, strides, writeable=False)


def _col2im(cols, input_shape, windows):
    """Sums patch values [N, O..., K..., C] back onto a channels-last input (the adjoint of
    ``_patches``)."""
    padded = np.zeros(_padded_shape(input_shape, windows), dtype=cols.dtype)
    for offsets in itertools.product(*(range(win.kernel) for win in windows)):
        target = tuple(slice(k * win.dilation, k * win.dilation + (win.out - 1) * win.stride + 1,
                             win.stride) for k, win in zip(offsets, windows, strict=True))
        padded[(slice(None),) + target] += cols[(slice(None),) * (_SPATIAL + 1) + offsets]
    return _crop(padded, input_shape, windows)


def _padded_shape(shape, windows):
    return ([shape[0]] + [size + win.before + win.after
                          for size, win in zip(shape[1:-1], windows, strict=True)] + [shape[-1]])


def _crop(padded, shape, windows):
    """The unpadded part (of channels-last ``shape``) of a padded array."""
    return padded[(slice(None),) + tuple(slice(win.before, win.before + size)
                                         for size, win in zip(shape[1:-1], windows, strict=True))]


def _valid_input(op, x):
    if x.ndim != 5:
        raise errors.InvalidArgumentError(
            None, op, f"input must be 5-dimensional{list(x.shape)}\n\t [[node {op.name}]]")
    return x


# ---- Conv3D and its backprops ---------------------------------------------------------------
def _conv_windows(op, input_shape, filter_shape):
    dilations = _spatial_values(op.attrs["dilations"], _channels_first(op))
    return _windows(op, input_shape, filter_shape[:_SPATIAL], dilations)


def conv3d_ndhwc(x, kernel, windows):
    """The convolution of NDHWC ``x`` with [KD, KH, KW, C, O] ``kernel`` as one GEMM."""
    cols = _patches(_pad(x, windows), windows)
    flat = cols.reshape(int(np.prod(cols.shape[:_SPATIAL + 1])), -1)
    out = np.dot(flat, kernel.reshape(flat.shape[1], -1))
    return out.reshape(cols.shape[:_SPATIAL + 1] + (-1,))


def conv3d_input_grad_ndhwc(dy, kernel, input_shape, windows):
    """The gradient of ``conv3d_ndhwc`` with respect to its input (col2im of dy @ kernelᵀ)."""
    out_depth = kernel.shape[-1]
    cols = np.dot(dy.reshape(-1, out_depth), kernel.reshape(-1, out_depth).T)
    return _col2im(cols.reshape(dy.shape[:-1] + kernel.shape[:-1]), input_shape, windows)


def conv3d_filter_grad_ndhwc(x, dy, filter_shape, windows):
    """The gradient of ``conv3d_ndhwc`` with respect to its filter (patchesᵀ @ dy)."""
    cols = _patches(_pad(x, windows), windows)
    flat = cols.reshape(-1, int(np.prod(filter_shape[:-1])))
    return np.dot(flat.T, dy.reshape(flat.shape[0], -1)).reshape(filter_shape)


def _conv_attrs(op):
    return {name: op.attrs[name] for name in ("strides", "padding", "data_format",
                                              "dilations")}


def _sizes_shape(op, sizes):
    known = constant_shape_value(sizes)
    return known if known.ndims == 5 else tensor_shape.unknown_shape(5)


@register_op
class Conv3D(OpDef):
    """3-D convolution (``tf.nn.conv3d``): input [N, D, H, W, C] (or NCDHW), filter
    [KD, KH, KW, C, O]; gradients Conv3DBackpropInputV2 and Conv3DBackpropFilterV2."""

    def infer(self, op):
        x, kernel = op.inputs
        dtype = _check_same_dtype(op, ("input", "filter"))
        _check_dtype(op, x, "T", _FLOATS)
        _with_rank(op, x.shape, 5)
        _with_rank(op, kernel.shape, 5)
        _check_attrs(op, ("strides", "dilations"))
        channels_first = _channels_first(op)
        dims = _dims_last(x.shape, channels_first)
        kdims = kernel.shape.as_list() if kernel.shape.ndims is not None else [None] * 5
        _merge_dims(op, tensor_shape.Dimension(dims[4]), tensor_shape.Dimension(kdims[3]))
        strides = _spatial_values(op.attrs["strides"], channels_first)
        dilations = _spatial_values(op.attrs["dilations"], channels_first)
        spatial = [_static_out(op, dims[1 + i], kdims[i], strides[i], dilations[i],
                               op.attrs["padding"]) for i in range(_SPATIAL)]
        return [(_layout([dims[0]] + spatial + [kdims[4]], channels_first), dtype)]

    def kernel(self, op, ctx):
        channels_first = _channels_first(op)

        def conv3d(x, kernel):
            x = _to_last(_valid_input(op, x), channels_first)
            windows = _conv_windows(op, x.shape, kernel.shape)
            return _from_last(conv3d_ndhwc(x, kernel, windows), channels_first)
        return conv3d

    def grad(self, op, dy):
        x, kernel = op.inputs
        attrs = _conv_attrs(op)
        return [make_tensor("Conv3DBackpropInputV2", [array_ops.shape(x), kernel, dy], attrs),
                make_tensor("Conv3DBackpropFilterV2", [x, array_ops.shape(kernel), dy], attrs)]


@register_op
class Conv3DBackpropInputV2(OpDef):
    """Gradient of Conv3D with respect to its input (``tf.nn.conv3d_transpose``): inputs
    input_sizes (int32 [5]), filter [KD, KH, KW, C, O], out_backprop."""

    shape_determining_inputs = (0,)

    def infer(self, op):
        sizes, kernel, dy = op.inputs
        _check_attrs(op, ("strides", "dilations"))
        _with_rank(op, kernel.shape, 5)
        _with_rank(op, dy.shape, 5)
        dtype = _check_dtype(op, kernel, "T", _FLOATS)
        shape = _sizes_shape(op, sizes)
        if kernel.shape.ndims is not None:
            channels_first = _channels_first(op)
            _merge_dims(op, tensor_shape.Dimension(_dims_last(shape, channels_first)[4]),
                        kernel.shape[3])
            _merge_dims(op, kernel.shape[4],
                        tensor_shape.Dimension(_dims_last(dy.shape, channels_first)[4]))
        return [(shape, dtype)]

    def kernel(self, op, ctx):
        channels_first = _channels_first(op)

        def conv3d_backprop_input(sizes, kernel, dy):
            shape = _last_shape(sizes, channels_first)
            windows = _conv_windows(op, shape, kernel.shape)
            dx = conv3d_input_grad_ndhwc(_to_last(dy, channels_first), kernel, shape, windows)
            return _from_last(np.ascontiguousarray(dx), channels_first)
        return conv3d_backprop_input

    def grad(self, op, ddx):
        sizes, kernel, dy = op.inputs
        attrs = _conv_attrs(op)
        return [None,
                make_tensor("Conv3DBackpropFilterV2", [ddx, array_ops.shape(kernel), dy],
                            attrs),
                make_tensor("Conv3D", [ddx, kernel], attrs)]


@register_op
class Conv3DBackpropFilterV2(OpDef):
    """Gradient of Conv3D with respect to its filter (``tf.nn.conv3d_backprop_filter``):
    inputs input, filter_sizes (int32 [5]), out_backprop."""

    shape_determining_inputs = (1,)

    def infer(self, op):
        x, sizes, dy = op.inputs
        _check_attrs(op, ("strides", "dilations"))
        dtype = _check_dtype(op, x, "T", _FLOATS)
        _with_rank(op, x.shape, 5)
        _with_rank(op, dy.shape, 5)
        return [(_sizes_shape(op, sizes), dtype)]

    def kernel(self, op, ctx):
        channels_first = _channels_first(op)

        def conv3d_backprop_filter(x, sizes, dy):
            x = _to_last(x, channels_first)
            shape = tuple(int(d) for d in sizes)
            windows = _conv_windows(op, x.shape, shape)
            return conv3d_filter_grad_ndhwc(x, _to_last(dy, channels_first), shape, windows)
        return conv3d_backprop_filter

    def grad(self, op, dkernel):
        x, sizes, dy = op.inputs
        attrs = _conv_attrs(op)
        return [make_tensor("Conv3DBackpropInputV2", [array_ops.shape(x), dkernel, dy], attrs),
                None, make_tensor("Conv3D", [x, dkernel], attrs)]


# ---- 3-D pooling ----------------------------------------------------------------------------
def _pool_windows(op, input_shape):
    return _windows(op, input_shape, _spatial_values(op.attrs["ksize"], _channels_first(op)))


def _pool_attrs(op):
    return {name: op.attrs[name] for name in ("ksize", "strides", "padding", "data_format")}


def _pool_shape(op, shape):
    _check_attrs(op, ("ksize", "strides"))
    channels_first = _channels_first(op)
    dims = _dims_last(_with_rank(op, shape, 5), channels_first)
    kernel = _spatial_values(op.attrs["ksize"], channels_first)
    strides = _spatial_values(op.attrs["strides"], channels_first)
    spatial = [_static_out(op, dims[1 + i], kernel[i], strides[i], 1, op.attrs["padding"])
               for i in range(_SPATIAL)]
    return _layout([dims[0]] + spatial + [dims[4]], channels_first)


def _flat_windows(cols):
    """[N, O..., K..., C] patches as [N, O..., K, C] (the window flattened)."""
    return cols.reshape(cols.shape[:_SPATIAL + 1] + (-1, cols.shape[-1]))


def max_windows(x, windows):
    """The flat in-window index of each window's first maximum and the maxima (-inf pads)."""
    cols = _flat_windows(_patches(_pad(x, windows, -np.inf), windows))
    index = np.argmax(cols, axis=-2)
    return index, np.take_along_axis(cols, index[..., None, :], axis=-2)[..., 0, :]


def max_pool_grad_ndhwc(x, dy, windows):
    """Routes each output gradient to its window's first maximum (TF's MaxPool3DGrad)."""
    index, _ = max_windows(x, windows)
    kernel = tuple(win.kernel for win in windows)
    offsets = np.unravel_index(index, kernel)
    coordinates = []
    for axis, (offset, win) in enumerate(zip(offsets, windows, strict=True)):
        shape = [1] * (_SPATIAL + 2)
        shape[1 + axis] = win.out
        coordinates.append(np.arange(win.out).reshape(shape) * win.stride + offset)
    batch = np.arange(x.shape[0]).reshape([-1] + [1] * (_SPATIAL + 1))
    channel = np.arange(x.shape[-1])
    padded = np.zeros(_padded_shape(x.shape, windows), dy.dtype)
    np.add.at(padded, (batch, *coordinates, channel), dy)
    return _crop(padded, x.shape, windows)


def max_pool_grad_grad_ndhwc(x, ddx, windows):
    """For each output, the second-order gradient at its window's first maximum."""
    index, _ = max_windows(x, windows)
    cols = _flat_windows(_patches(_pad(ddx, windows), windows))
    return np.take_along_axis(cols, index[..., None, :], axis=-2)[..., 0, :]


def _window_counts(windows):
    """How many real (unpadded) inputs each output window covers, [O..., 1]."""
    total = np.ones([1] * _SPATIAL)
    for axis, win in enumerate(windows):
        starts = np.arange(win.out) * win.stride - win.before
        counts = np.minimum(starts + win.kernel, win.size) - np.maximum(starts, 0)
        shape = [1] * _SPATIAL
        shape[axis] = win.out
        total = total * counts.reshape(shape)
    return total[..., None]


def avg_pool_ndhwc(x, windows):
    """Window means over the real inputs only (padding does not count, as in TF)."""
    cols = _patches(_pad(x, windows), windows)
    sums = cols.sum(axis=tuple(range(_SPATIAL + 1, 2 * _SPATIAL + 1)))
    return (sums / _window_counts(windows)).astype(x.dtype, copy=False)


def avg_pool_grad_ndhwc(dy, input_shape, windows):
    share = dy / _window_counts(windows).astype(dy.dtype)
    index = (slice(None),) * (_SPATIAL + 1) + (None,) * _SPATIAL + (slice(None),)
    cols = np.broadcast_to(share[index], share.shape[:-1] + tuple(
        win.kernel for win in windows) + share.shape[-1:])
    return _col2im(cols, input_shape, windows)


@register_op
class MaxPool3D(OpDef):
    """3-D max pooling (``tf.nn.max_pool3d``); padded positions never win. Gradient
    MaxPool3DGrad."""

    def infer(self, op):
        x = op.inputs[0]
        return [(_pool_shape(op, x.shape), _check_dtype(op, x, "T", _FLOATS))]

    def kernel(self, op, ctx):
        channels_first = _channels_first(op)

        def max_pool3d(x):
            x = _to_last(_valid_input(op, x), channels_first)
            return _from_last(max_windows(x, _pool_windows(op, x.shape))[1], channels_first)
        return max_pool3d

    def grad(self, op, dy):
        return [make_tensor("MaxPool3DGrad", [op.inputs[0], op.outputs[0], dy],
                            _pool_attrs(op))]


@register_op
class MaxPool3DGrad(OpDef):
    """Gradient of MaxPool3D: inputs orig_input, orig_output, grad; each grad goes to its
    window's first maximum. Its own gradient is MaxPool3DGradGrad."""

    def infer(self, op):
        x = op.inputs[0]
        _check_attrs(op, ("ksize", "strides"))
        return [(_with_rank(op, x.shape, 5), _check_dtype(op, op.inputs[2], "T", _FLOATS))]

    def kernel(self, op, ctx):
        channels_first = _channels_first(op)

        def max_pool3d_grad(x, y, dy):
            x = _to_last(x, channels_first)
            dx = max_pool_grad_ndhwc(x, _to_last(dy, channels_first), _pool_windows(op, x.shape))
            return _from_last(np.ascontiguousarray(dx), channels_first)
        return max_pool3d_grad

    def grad(self, op, ddx):
        x, y, _ = op.inputs
        return [array_ops.zeros_like(x), array_ops.zeros_like(y),
                make_tensor("MaxPool3DGradGrad", [x, y, ddx], _pool_attrs(op))]


@register_op
class MaxPool3DGradGrad(OpDef):
    """Second-order 3-D max pooling gradient: inputs orig_input, orig_output, grad (shaped
    like orig_input); output shaped like orig_output. Its gradient is MaxPool3DGrad."""

    def infer(self, op):
        x, y = op.inputs[:2]
        _check_attrs(op, ("ksize", "strides"))
        return [(_with_rank(op, y.shape, 5), _check_dtype(op, x, "T", _FLOATS))]

    def kernel(self, op, ctx):
        channels_first = _channels_first(op)

        def max_pool3d_grad_grad(x, y, ddx):
            x = _to_last(x, channels_first)
            out = max_pool_grad_grad_ndhwc(x, _to_last(ddx, channels_first),
                                           _pool_windows(op, x.shape))
            return _from_last(np.ascontiguousarray(out), channels_first)
        return max_pool3d_grad_grad

    def grad(self, op, ddy):
        x, y, _ = op.inputs
        return [array_ops.zeros_like(x), array_ops.zeros_like(y),
                make_tensor("MaxPool3DGrad", [x, y, ddy], _pool_attrs(op))]


@register_op
class AvgPool3D(OpDef):
    """3-D average pooling (``tf.nn.avg_pool3d``) over the unpadded inputs of each window;
    gradient AvgPool3DGrad."""

    def infer(self, op):
        x = op.inputs[0]
        return [(_pool_shape(op, x.shape), _check_dtype(op, x, "T", _FLOATS))]

    def kernel(self, op, ctx):
        channels_first = _channels_first(op)

        def avg_pool3d(x):
            x = _to_last(_valid_input(op, x), channels_first)
            return _from_last(avg_pool_ndhwc(x, _pool_windows(op, x.shape)), channels_first)
        return avg_pool3d

    def grad(self, op, dy):
        return [make_tensor("AvgPool3DGrad", [array_ops.shape(op.inputs[0]), dy],
                            _pool_attrs(op))]


@register_op
class AvgPool3DGrad(OpDef):
    """Gradient of AvgPool3D: inputs orig_input_shape (int32 [5]) and grad, each grad spread
    evenly over its window. Its gradient with respect to grad is AvgPool3D."""

    shape_determining_inputs = (0,)

    def infer(self, op):
        sizes, dy = op.inputs
        _check_attrs(op, ("ksize", "strides"))
        return [(_sizes_shape(op, sizes), _check_dtype(op, dy, "T", _FLOATS))]

    def kernel(self, op, ctx):
        channels_first = _channels_first(op)

        def avg_pool3d_grad(sizes, dy):
            shape = _last_shape(sizes, channels_first)
            dx = avg_pool_grad_ndhwc(_to_last(dy, channels_first), shape,
                                     _pool_windows(op, shape))
            return _from_last(np.ascontiguousarray(dx), channels_first)
        return avg_pool3d_grad

    def grad(self, op, ddx):
        return [None, make_tensor("AvgPool3D", [ddx], _pool_attrs(op))]


# ---- builders -------------------------------------------------------------------------------
def _five(values, name, data_format, op_name):
    """A 5-value attribute: an int or 1/3 values are spread over the spatial dimensions."""
    if isinstance(values, int):
        values = [values]
    values = [int(v) for v in values]
    if len(values) == 5:
        return values
    if len(values) not in (1, 3):
        raise ValueError(f"{op_name} requires the {name} attribute to contain 5 values, but "
                         f"got: {len(values)}")
    spatial = values * 3 if len(values) == 1 else values
    return [1, 1] + spatial if data_format == "NCDHW" else [1] + spatial + [1]


def _conv_op(op_type, inputs, strides, padding, data_format, dilations, name):
    return make_tensor(op_type, inputs, {
        "strides": _five(strides, "stride", data_format, op_type), "padding": padding,
        "data_format": data_format,
        "dilations": _five(dilations, "dilations", data_format, op_type)}, name=name)


def conv3d(input, filter=None, strides=None, padding=None,  # noqa: A002
           data_format="NDHWC", dilations=(1, 1, 1, 1, 1), name=None, filters=None):
    """``tf.nn.conv3d(input, filter, strides, padding, data_format='NDHWC',
    dilations=[1, 1, 1, 1, 1], name=None)`` (one Conv3D op)."""
    filter = filters if filter is None else filter  # noqa: A001
    data_format = _format(data_format or "NDHWC")
    with ops.name_scope(name, "Conv3D", [input, filter]) as scope:
        x = ops.convert_to_tensor(input, name="input")
        kernel = ops.convert_to_tensor(filter, dtype=x.dtype.base_dtype, name="filter")
        return _conv_op("Conv3D", [x, kernel], strides, padding, data_format, dilations, scope)


def conv3d_backprop_filter_v2(input, filter_sizes, out_backprop, strides, padding,  # noqa
                              data_format="NDHWC", dilations=(1, 1, 1, 1, 1), name=None):
    """``tf.nn.conv3d_backprop_filter(_v2)``: the Conv3DBackpropFilterV2 op."""
    data_format = _format(data_format)
    with ops.name_scope(name, "Conv3DBackpropFilterV2", [input, out_backprop]) as scope:
        x = ops.convert_to_tensor(input, name="input")
        sizes = ops.convert_to_tensor(filter_sizes, dtype=dtypes.int32, name="filter_sizes")
        dy = ops.convert_to_tensor(out_backprop, dtype=x.dtype.base_dtype, name="out_backprop")
        return _conv_op("Conv3DBackpropFilterV2", [x, sizes, dy], strides, padding,
                        data_format, dilations, scope)


conv3d_backprop_filter = conv3d_backprop_filter_v2


def conv3d_transpose(value, filter=None, output_shape=None, strides=None,  # noqa: A002
                     padding="SAME", data_format="NDHWC", name=None, input=None,  # noqa: A002
                     filters=None, dilations=None):
    """``tf.nn.conv3d_transpose(value, filter, output_shape, strides, padding='SAME',
    data_format='NDHWC', name=None)``: Conv3DBackpropInputV2 with ``output_shape`` as the
    input sizes; filter [KD, KH, KW, out_channels, in_channels]; TF's shape checks."""
    value = input if value is None else value
    filter = filters if filter is None else filter  # noqa: A001
    data_format = _format(data_format)
    with ops.name_scope(name, "conv3d_transpose", [value, filter, output_shape]) as scope:
        value = ops.convert_to_tensor(value, name="value")
        filter = ops.convert_to_tensor(filter, dtype=value.dtype.base_dtype,  # noqa: A001
                                       name="filter")
        sizes = ops.convert_to_tensor(output_shape, dtype=dtypes.int32, name="output_shape")
        axis = 1 if data_format == "NCDHW" else 4
        if not sizes.shape.is_compatible_with(tensor_shape.TensorShape([5])):
            raise ValueError(f"output_shape must have shape (5,), got {sizes.shape}")
        if not value.shape[axis].is_compatible_with(filter.shape[4]):
            raise ValueError(f"input channels does not match filter's input channels, "
                             f"{value.shape[axis]} != {filter.shape[4]}")
        if isinstance(output_shape, (list, tuple, np.ndarray)):
            if not filter.shape[3].is_compatible_with(output_shape[axis]):
                raise ValueError(f"output_shape does not match filter's output channels, "
                                 f"{output_shape[axis]} != {filter.shape[3]}")
        return _conv_op("Conv3DBackpropInputV2", [sizes, filter, value], strides, padding,
                        data_format, dilations or 1, scope)


def _pool3d(op_type, input, ksize, strides, padding, data_format, name):  # noqa: A002
    data_format = _format(data_format)
    with ops.name_scope(name, op_type, [input]) as scope:
        value = ops.convert_to_tensor(input, name="input")
        return make_tensor(op_type, [value], {
            "ksize": _five(ksize, "ksize", data_format, op_type),
            "strides": _five(strides, "stride", data_format, op_type),
            "padding": padding, "data_format": data_format}, name=scope)


def max_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):  # noqa: A002
    """``tf.nn.max_pool3d(input, ksize, strides, padding, data_format='NDHWC', name=None)``."""
    return _pool3d("MaxPool3D", input, ksize, strides, padding, data_format, name)


def avg_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):  # noqa: A002
    """``tf.nn.avg_pool3d(input, ksize, strides, padding, data_format='NDHWC', name=None)``."""
    return _pool3d("AvgPool3D", input, ksize, strides, padding, data_format, name)
