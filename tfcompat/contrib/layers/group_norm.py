"""``tf.contrib.layers.group_norm`` (Wu & He, 2018; TF 1.15 contrib layers.py): the
channels split into ``groups``; each example and group normalised over the group's channels
and ``reduction_axes`` (default the spatial axes of NHWC), with per-channel ``beta``/``gamma``
(``GroupNorm/beta``, ``GroupNorm/gamma``): x * gain + offset, gain = rsqrt(var + epsilon)
(* gamma), offset = -mean * gain (+ beta).
"""
from tfcompat import nn
from tfcompat.contrib.framework.arg_scope import add_arg_scope
from tfcompat.contrib.framework.variables import model_variable
from tfcompat.contrib.layers.layers import collect_named_outputs, get_variable_collections
from tfcompat.framework import ops
from tfcompat.ops import variable_scope as vs
from tfcompat.ops import array_ops, init_ops, math_ops


def _checked_axes(inputs, groups, channels_axis, reduction_axes):
    """(channels_axis, channels, reduction_axes) made positive, with TF's checks."""
    rank = inputs.shape.ndims
    if rank is None:
        raise ValueError(f"Inputs {inputs.name} has undefined rank.")
    if channels_axis > rank - 1:
        raise ValueError("Axis is out of bounds.")
    if channels_axis < 0:
        channels_axis += rank
    channels = inputs.shape[channels_axis].value
    if channels is None:
        raise ValueError(f"Inputs {inputs.name} has undefined channel dimension: "
                         f"{channels_axis}.")
    reduction_axes = [a + rank if a < 0 else a for a in reduction_axes]
    for axis in reduction_axes:
        if axis > rank:
            raise ValueError("Axis is out of bounds.")
        if inputs.shape[axis].value is None:
            raise ValueError(f"Inputs {inputs.name} has undefined dimensions {axis}.")
        if channels_axis == axis:
            raise ValueError("reduction_axis must be mutually exclusive with channels_axis")
    if groups > channels:
        raise ValueError(f"Invalid groups {groups} for {channels} channels.")
    if channels % groups != 0:
        raise ValueError(f"{channels} channels is not commensurate with {groups} groups.")
    return channels_axis, channels, reduction_axes


def _parameter(name, channels, broadcast, dtype, initializers, default, collections,
               trainable):
    variable = model_variable(name, shape=[channels], dtype=dtype,
                              initializer=initializers.get(name, default),
                              collections=get_variable_collections(collections, name),
                              trainable=trainable)
    return array_ops.reshape(variable, broadcast)


@add_arg_scope
def group_norm(inputs, groups=32, channels_axis=-1, reduction_axes=(-3, -2), center=True,
               scale=True, epsilon=1e-6, activation_fn=None, param_initializers=None,
               reuse=None, variables_collections=None, outputs_collections=None,
               trainable=True, scope=None, mean_close_to_zero=False):
    """Group normalization; ``mean_close_to_zero`` takes the one-pass moments
    (``nn.sufficient_statistics``)."""
    inputs = ops.convert_to_tensor(inputs)
    channels_axis, channels, reduction_axes = _checked_axes(inputs, groups, channels_axis,
                                                            reduction_axes)
    dynamic_shape = array_ops.shape(inputs)
    shape_list = [dim if dim is not None else dynamic_shape[i]
                  for i, dim in enumerate(inputs.shape.as_list())]
    before, after = shape_list[:channels_axis], shape_list[channels_axis + 1:]
    broadcast = [1] * len(before) + [groups, channels // groups] + [1] * len(after)
    grouped_shape = before + [groups, channels // groups] + after
    inputs = array_ops.reshape(inputs, grouped_shape if all(
        isinstance(d, int) for d in grouped_shape) else array_ops.stack(grouped_shape))
    moments_axes = [channels_axis + 1] + [a + 1 if a > channels_axis else a
                                          for a in reduction_axes]
    with vs.variable_scope(scope, "GroupNorm", [inputs], reuse=reuse) as sc:
        dtype = inputs.dtype.base_dtype
        param_initializers = param_initializers or {}
        beta = gamma = None
        if center:
            beta = _parameter("beta", channels, broadcast, dtype, param_initializers,
                              init_ops.zeros_initializer(), variables_collections, trainable)
        if scale:
            gamma = _parameter("gamma", channels, broadcast, dtype, param_initializers,
                               init_ops.ones_initializer(), variables_collections, trainable)
        if mean_close_to_zero:
            counts, means_ss, variance_ss, _ = nn.sufficient_statistics(
                inputs, moments_axes, keep_dims=True)
            mean, variance = nn.normalize_moments(counts, means_ss, variance_ss, shift=None)
        else:
            mean, variance = nn.moments(inputs, moments_axes, keep_dims=True)
        gain = math_ops.rsqrt(variance + epsilon)
        offset = -mean * gain
        if gamma is not None:
            gain *= gamma
            offset *= gamma
        if beta is not None:
            offset += beta
        outputs = inputs * gain + offset
        outputs = array_ops.reshape(outputs, shape_list if all(
            isinstance(d, int) for d in shape_list) else array_ops.stack(shape_list))
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return collect_named_outputs(outputs_collections, sc.original_name_scope, outputs)
