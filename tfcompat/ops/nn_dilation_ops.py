"""Grayscale morphology (TF's dilation_ops.cc / nn_grad.py): Dilation2D with its two backprop
ops, and the ``tf.nn`` builders dilation2d and erosion2d.

Dilation2D: out[b, y, x, c] = max over (i, j) of input[b, y * sy + i * ry - top,
x * sx + j * rx - left, c] + filter[i, j, c], windows laid out as a dilated convolution's
(padded positions never win). The backprops send each output gradient to the first
maximising (i, j) in row-major order, as TF's kernels do. erosion2d is TF's
-dilation2d(-value, filter reversed in both spatial dimensions).
"""
import numpy as np

from tfcompat.framework import errors, ops, tensor_shape
from tfcompat.framework.op_def import OpDef, make_tensor, register_op
from tfcompat.ops import array_ops, math_ops
from tfcompat.ops.nn_conv_ops import _static_out, pad_windows, patches, window
from tfcompat.ops.nn_ops import _REAL_NUMBERS, _check_dtype, _check_same_dtype, _merge_dims, \
    _with_rank

__all__ = ["dilation2d", "erosion2d"]


def _check_attrs(op):
    padding = op.attrs["padding"]
    if padding not in ("SAME", "VALID"):
        raise ValueError(f"Attr 'padding' of '{op.type}' Op passed string '{padding}' not in: "
                         f"\"SAME\", \"VALID\".")
    for name in ("strides", "rates"):
        values = list(op.attrs[name])
        if len(values) != 4:
            raise ValueError(f"{op.type} requires the {name} attribute to contain 4 values, "
                             f"but got: {len(values)}")
        if values[0] != 1 or values[3] != 1:
            raise ValueError(f"{op.type}: current implementation does not yet support "
                             f"{name} in the batch and depth dimensions.")


def _output_shape(op, x_shape, filter_shape):
    _check_attrs(op)
    n, h, w, c = _with_rank(op, x_shape, 4).as_list() if x_shape.ndims else [None] * 4
    kh, kw, kc = (_with_rank(op, filter_shape, 3).as_list() if filter_shape.ndims
                  else [None] * 3)
    depth = _merge_dims(op, tensor_shape.Dimension(c), tensor_shape.Dimension(kc)).value
    strides, rates = op.attrs["strides"], op.attrs["rates"]
    return tensor_shape.TensorShape([
        n, _static_out(op, h, kh, strides[1], rates[1], op.attrs["padding"]),
        _static_out(op, w, kw, strides[2], rates[2], op.attrs["padding"]), depth])


def _windows(op, input_shape, filter_shape):
    strides, rates = op.attrs["strides"], op.attrs["rates"]
    windows = tuple(window(input_shape[1 + i], filter_shape[i], strides[1 + i], rates[1 + i],
                           op.attrs["padding"]) for i in range(2))
    for win in windows:
        if win.out <= 0:
            raise errors.InvalidArgumentError(
                None, op, f"Computed output size would be negative: {win.out} "
                f"[input_size: {win.size}, effective_filter_size: "
                f"{(win.kernel - 1) * win.dilation + 1}, stride: {win.stride}]")
    return windows


def _dilation_argmax(op, x, kernel):
    """(the flat in-window index of each output's first maximum, the maxima, windows)."""
    if x.ndim != 4:
        raise errors.InvalidArgumentError(
            None, op, f"input must be 4-dimensional{list(x.shape)}")
    wh, ww = _windows(op, x.shape, kernel.shape)
    fill = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    cols = patches(pad_windows(x, (wh, ww), fill), (wh, ww)) + kernel
    cols = cols.reshape(cols.shape[:3] + (-1, cols.shape[5]))
    index = np.argmax(cols, axis=3)
    maxima = np.take_along_axis(cols, index[:, :, :, None, :], axis=3)[:, :, :, 0, :]
    return index, maxima.astype(x.dtype, copy=False), (wh, ww)


@register_op
class Dilation2D(OpDef):
    """Grayscale dilation (``tf.nn.dilation2d``): input [N, H, W, C], filter [KH, KW, C];
    gradients Dilation2DBackpropInput and Dilation2DBackpropFilter."""

    def infer(self, op):
        x, kernel = op.inputs
        dtype = _check_same_dtype(op, ("input", "filter"))
        _check_dtype(op, x, "T", _REAL_NUMBERS)
        return [(_output_shape(op, x.shape, kernel.shape), dtype)]

    def kernel(self, op, ctx):
        return lambda x, kernel: _dilation_argmax(op, x, kernel)[1]

    def grad(self, op, dy):
        x, kernel = op.inputs
        attrs = {name: op.attrs[name] for name in ("strides", "rates", "padding")}
        return [make_tensor("Dilation2DBackpropInput", [x, kernel, dy], attrs),
                make_tensor("Dilation2DBackpropFilter", [x, kernel, dy], attrs)]


class _DilationBackprop(OpDef):
    """Shared by the two backprops: inputs input, filter, out_backprop; TF registers no
    gradient for them."""

    to_filter = False
    grad = None

    def infer(self, op):
        x, kernel, dy = op.inputs
        dtype = _check_same_dtype(op, ("input", "filter", "out_backprop"))
        expected = _output_shape(op, x.shape, kernel.shape)
        if not expected.is_compatible_with(dy.shape):
            raise ValueError(f"Dimensions of out_backprop {dy.shape} do not match the "
                             f"output shape {expected} of '{op.name}' (op: '{op.type}')")
        return [((kernel if self.to_filter else x).shape, dtype)]

    def kernel(self, op, ctx):
        def backprop(x, kernel, dy):
            index, _, (wh, ww) = _dilation_argmax(op, x, kernel)
            i, j = index // ww.kernel, index % ww.kernel
            channel = np.arange(x.shape[3])
            if self.to_filter:
                grad = np.zeros(kernel.shape, dy.dtype)
                np.add.at(grad, (i, j, channel), dy)
                return grad
            n, h, w, c = x.shape
            rows = np.arange(wh.out)[None, :, None, None] * wh.stride + i * wh.dilation
            columns = np.arange(ww.out)[None, None, :, None] * ww.stride + j * ww.dilation
            padded = np.zeros((n, h + wh.before + wh.after, w + ww.before + ww.after, c),
                              dy.dtype)
            np.add.at(padded, (np.arange(n)[:, None, None, None], rows, columns, channel), dy)
            return np.ascontiguousarray(padded[:, wh.before:wh.before + h,
                                               ww.before:ww.before + w])
        return backprop


@register_op
class Dilation2DBackpropInput(_DilationBackprop):
    """Gradient of Dilation2D with respect to its input."""


@register_op
class Dilation2DBackpropFilter(_DilationBackprop):
    """Gradient of Dilation2D with respect to its filter."""

    to_filter = True


def dilation2d(input=None, filter=None, strides=None, rates=None,  # noqa: A002
               padding=None, name=None, filters=None, dilations=None):
    """``tf.nn.dilation2d(input, filter, strides, rates, padding, name=None)``: one
    Dilation2D op (strides and rates are 4-value lists with 1 in the batch and depth)."""
    filter = filters if filter is None else filter  # noqa: A001
    rates = dilations if rates is None else rates
    with ops.name_scope(name, "Dilation2D", [input, filter]) as scope:
        x = ops.convert_to_tensor(input, name="input")
        kernel = ops.convert_to_tensor(filter, dtype=x.dtype.base_dtype, name="filter")
        return make_tensor("Dilation2D", [x, kernel], {
            "strides": [int(v) for v in strides], "rates": [int(v) for v in rates],
            "padding": padding}, name=scope)


def erosion2d(value, kernel, strides, rates, padding, name=None):
    """``tf.nn.erosion2d(value, kernel, strides, rates, padding, name=None)``: grayscale
    erosion, -dilation2d(-value, kernel reversed in height and width), under "erosion2d"."""
    with ops.name_scope(name, "erosion2d", [value, kernel]) as scope:
        value = ops.convert_to_tensor(value, name="value")
        kernel = ops.convert_to_tensor(kernel, dtype=value.dtype.base_dtype, name="kernel")
        dilated = dilation2d(math_ops.negative(value), array_ops.reverse(kernel, [0, 1]),
                             strides, rates, padding, name="dilation2d")
        return math_ops.negative(dilated, name=scope)
