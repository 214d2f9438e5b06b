"""3-D convolution and pooling ops (TF's conv_ops_3d.cc / pooling_ops_3d.cc / nn_grad.py):
Conv3D with Conv3DBackpropInputV2 and Conv3DBackpropFilterV2, MaxPool3D with MaxPool3DGrad
and MaxPool3DGradGrad, AvgPool3D with AvgPool3DGrad, plus the ``tf.nn`` builders conv3d,
conv3d_transpose, conv3d_backprop_filter(_v2), max_pool3d and avg_pool3d.

Each op is its 2-D twin of ``nn_conv_ops`` with the 3-D op types and data formats (NDHWC,
NCDHW): the same rank-generic inference, reference kernels (a read-only patch view
[N, OD, OH, OW, KD, KH, KW, C] of the padded input times the filter as one GEMM; col2im for
the input gradient; SAME puts the odd padding element after) and gradients, so
second-order gradients work as in TF. Only the checks TF makes differently are written here.
"""
from tfcompat.framework import ops
from tfcompat.framework.op_def import register_op
from tfcompat.ops import nn_conv_ops
from tfcompat.ops.nn_conv_ops import _check_attrs, _format, _known_shape
from tfcompat.ops.nn_ops import _FLOATS, _check_dtype, _with_rank

__all__ = ["conv3d", "conv3d_transpose", "conv3d_backprop_filter",
           "conv3d_backprop_filter_v2", "max_pool3d", "avg_pool3d"]

_FORMATS = ("NDHWC", "NCDHW")


# ---- Conv3D and its backprops ---------------------------------------------------------------
class _Conv3D(nn_conv_ops._Convolution):
    """The 3-D convolution family's op types and data formats."""

    family = ("Conv3D", "Conv3DBackpropInputV2", "Conv3DBackpropFilterV2")
    formats = _FORMATS


@register_op
class Conv3D(_Conv3D, nn_conv_ops._ConvForward):
    """3-D convolution (``tf.nn.conv3d``): input [N, D, H, W, C] (or NCDHW), filter
    [KD, KH, KW, C, O]; gradients Conv3DBackpropInputV2 and Conv3DBackpropFilterV2."""


@register_op
class Conv3DBackpropInputV2(_Conv3D, nn_conv_ops._ConvInputGrad):
    """Gradient of Conv3D with respect to its input (``tf.nn.conv3d_transpose``): inputs
    input_sizes (int32 [5]), filter [KD, KH, KW, C, O], out_backprop."""

    def infer(self, op):
        sizes, kernel, dy = op.inputs
        _check_attrs(op, ("strides", "dilations"), _FORMATS)
        _with_rank(op, kernel.shape, 5)
        _with_rank(op, dy.shape, 5)
        dtype = _check_dtype(op, kernel, "T", _FLOATS)
        shape = _known_shape(sizes, 5)
        self.check_depths(op, shape, kernel, dy)
        return [(shape, dtype)]


@register_op
class Conv3DBackpropFilterV2(_Conv3D, nn_conv_ops._ConvFilterGrad):
    """Gradient of Conv3D with respect to its filter (``tf.nn.conv3d_backprop_filter``):
    inputs input, filter_sizes (int32 [5]), out_backprop."""


# ---- 3-D pooling ----------------------------------------------------------------------------
class _MaxPooling3D(nn_conv_ops._MaxPooling):
    """The 3-D max pooling ops' types and data formats."""

    family = ("MaxPool3D", "MaxPool3DGrad", "MaxPool3DGradGrad")
    formats = _FORMATS


@register_op
class MaxPool3D(_MaxPooling3D, nn_conv_ops._MaxPool):
    """3-D max pooling (``tf.nn.max_pool3d``); padded positions never win. Gradient
    MaxPool3DGrad."""


@register_op
class MaxPool3DGrad(_MaxPooling3D, nn_conv_ops._MaxPoolGrad):
    """Gradient of MaxPool3D: inputs orig_input, orig_output, grad; each grad goes to its
    window's first maximum. Its own gradient is MaxPool3DGradGrad."""

    def infer(self, op):
        x = op.inputs[0]
        _check_attrs(op, ("ksize", "strides"), _FORMATS)
        return [(_with_rank(op, x.shape, 5), _check_dtype(op, op.inputs[2], "T", _FLOATS))]


@register_op
class MaxPool3DGradGrad(_MaxPooling3D, nn_conv_ops._MaxPoolGradGrad):
    """Second-order 3-D max pooling gradient: inputs orig_input, orig_output, grad (shaped
    like orig_input); output shaped like orig_output. Its gradient is MaxPool3DGrad."""

    def infer(self, op):
        x, y = op.inputs[:2]
        _check_attrs(op, ("ksize", "strides"), _FORMATS)
        return [(_with_rank(op, y.shape, 5), _check_dtype(op, x, "T", _FLOATS))]


class _AvgPooling3D(nn_conv_ops._AvgPooling):
    """The 3-D average pooling ops' types and data formats."""

    family = ("AvgPool3D", "AvgPool3DGrad")
    formats = _FORMATS


@register_op
class AvgPool3D(_AvgPooling3D, nn_conv_ops._AvgPool):
    """3-D average pooling (``tf.nn.avg_pool3d``) over the unpadded inputs of each window;
    gradient AvgPool3DGrad."""


@register_op
class AvgPool3DGrad(_AvgPooling3D, nn_conv_ops._AvgPoolGrad):
    """Gradient of AvgPool3D: inputs orig_input_shape (int32 [5]) and grad, each grad spread
    evenly over its window. Its gradient with respect to grad is AvgPool3D."""

    def infer(self, op):
        sizes, dy = op.inputs
        _check_attrs(op, ("ksize", "strides"), _FORMATS)
        return [(_known_shape(sizes, 5), _check_dtype(op, dy, "T", _FLOATS))]


# ---- builders -------------------------------------------------------------------------------
def conv3d(input, filter=None, strides=None, padding=None,  # noqa: A002
           data_format="NDHWC", dilations=(1, 1, 1, 1, 1), name=None, filters=None):
    """``tf.nn.conv3d(input, filter, strides, padding, data_format='NDHWC',
    dilations=[1, 1, 1, 1, 1], name=None)`` (one Conv3D op)."""
    filter = filters if filter is None else filter  # noqa: A001
    return nn_conv_ops._forward_node("Conv3D", input, filter, strides, padding,
                                     _format(data_format or "NDHWC"), dilations, name, 5)


def conv3d_backprop_filter_v2(input, filter_sizes, out_backprop, strides, padding,  # noqa
                              data_format="NDHWC", dilations=(1, 1, 1, 1, 1), name=None):
    """``tf.nn.conv3d_backprop_filter(_v2)``: the Conv3DBackpropFilterV2 op."""
    return nn_conv_ops._filter_grad_node("Conv3DBackpropFilterV2", input, filter_sizes,
                                         out_backprop, strides, padding, _format(data_format),
                                         dilations, name, 5)


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
        value, filter, sizes = nn_conv_ops._transpose_operands(  # noqa: A001
            value, filter, output_shape, data_format)
        return nn_conv_ops._conv_node("Conv3DBackpropInputV2", [sizes, filter, value], strides,
                                      padding, data_format, dilations or 1, scope, 5)


def max_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):  # noqa: A002
    """``tf.nn.max_pool3d(input, ksize, strides, padding, data_format='NDHWC', name=None)``."""
    return nn_conv_ops._pool("MaxPool3D", input, ksize, strides, padding, data_format, name, 5)


def avg_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):  # noqa: A002
    """``tf.nn.avg_pool3d(input, ksize, strides, padding, data_format='NDHWC', name=None)``."""
    return nn_conv_ops._pool("AvgPool3D", input, ksize, strides, padding, data_format, name, 5)
