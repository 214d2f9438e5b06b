"""Fused batch normalisation (TF's FusedBatchNormV3 / FusedBatchNormGradV3 from gen_nn_ops,
``tf.nn.fused_batch_norm``): one op normalising a 4-D NHWC or NCHW tensor per channel.
(LRN is h-conv's nn_conv_ops.py.)"""
import numpy as np

from tfcompat.framework import dtypes, errors, ops, tensor_shape
from tfcompat.framework.op_def import OpDef, format_shape, make_op, register_op

# float64 is a tfcompat extension (TF takes half, bfloat16 and float32), so float64 gradients
# can be checked by finite differences.
_X_TYPES = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64)


def _channel_axis(data_format):
    if data_format not in ("NHWC", "NCHW"):
        raise ValueError(f"Invalid data format: {data_format}")
    return 3 if data_format == "NHWC" else 1


def _reduce_axes(data_format):
    return (0, 1, 2) if data_format == "NHWC" else (0, 2, 3)


def _per_channel(value, data_format):
    """A [C] vector shaped to broadcast against the 4-D input."""
    return value.reshape((1, 1, 1, -1) if data_format == "NHWC" else (1, -1, 1, 1))


@register_op
class FusedBatchNormV3(OpDef):
    """y = scale·(x - mean)/√(variance + epsilon) + offset per channel. Training: the
    batch's mean and biased variance normalise, and the outputs batch_mean and
    batch_variance (Bessel-corrected, n/(n-1)) feed the moving averages; inference: the
    given mean and variance. Outputs y, batch_mean, batch_variance and three reserve spaces
    (the mean and biased variance used, and an empty one)."""

    def infer(self, op):
        x, scale, offset, mean, variance = op.inputs
        dtype = x.dtype.base_dtype
        if dtype not in _X_TYPES:
            raise TypeError(f"Value passed to parameter 'x' has DataType {dtype.name} not in "
                            "list of allowed values: float16, bfloat16, float32")
        if x.shape.ndims not in (None, 4):
            raise ValueError(f"Shape must be rank 4 but is rank {x.shape.ndims} for "
                             f"'{op.name}' (op: 'FusedBatchNormV3') with input shapes: "
                             f"{format_shape(x.shape)}.")
        channels = tensor_shape.TensorShape([None])
        if x.shape.ndims == 4:
            channels = tensor_shape.TensorShape([x.shape[_channel_axis(
                op.attrs["data_format"])].value])
        for name, vector in (("scale", scale), ("offset", offset), ("mean", mean),
                             ("variance", variance)):
            if vector.shape.ndims not in (None, 1):
                raise ValueError(f"Shape must be rank 1 but is rank {vector.shape.ndims} for "
                                 f"'{op.name}' (op: 'FusedBatchNormV3') ({name})")
            if op.attrs["is_training"] and name in ("mean", "variance"):
                continue
            if not vector.shape.is_compatible_with(channels):
                raise ValueError(f"Dimensions must be equal, but are {channels[0].value} and "
                                 f"{vector.shape[0].value} for '{op.name}' (op: "
                                 f"'FusedBatchNormV3') ({name})")
            channels = channels.merge_with(vector.shape)
        vector_type = scale.dtype.base_dtype
        return ([(x.shape, dtype)] + [(channels, vector_type)] * 4
                + [(tensor_shape.TensorShape([0]), vector_type)])

    def kernel(self, op, ctx):
        epsilon, training = op.attrs["epsilon"], op.attrs["is_training"]
        data_format = op.attrs["data_format"]
        axes = _reduce_axes(data_format)

        def fused_batch_norm(x, scale, offset, mean, variance):
            if x.ndim != 4:
                raise errors.InvalidArgumentError(
                    None, op, f"input must be 4-dimensional{list(x.shape)}\n\t "
                    f"[[node {op.name}]]")
            wide = x.astype(np.float64)
            if training:
                mean = wide.mean(axis=axes)
                variance = wide.var(axis=axes)
                count = x.size // max(x.shape[_channel_axis(data_format)], 1)
                corrected = variance * (count / max(count - 1, 1))
            else:
                corrected = variance
            inverse = 1.0 / np.sqrt(np.asarray(variance, np.float64) + epsilon)
            y = ((wide - _per_channel(np.asarray(mean, np.float64), data_format))
                 * _per_channel(inverse * scale, data_format) + _per_channel(offset, data_format))
            vector = scale.dtype
            return (y.astype(x.dtype), np.asarray(mean, vector), np.asarray(corrected, vector),
                    np.asarray(mean, vector), np.asarray(variance, vector), np.zeros(0, vector))
        return fused_batch_norm

    def grad(self, op, dy, *unused_output_grads):
        x, scale = op.inputs[:2]
        saved_mean, saved_variance, reserve = op.outputs[3:]
        dx, dscale, doffset = make_op("FusedBatchNormGradV3", [
            dy, x, scale, saved_mean, saved_variance, reserve], {
            "epsilon": op.attrs["epsilon"], "data_format": op.attrs["data_format"],
            "is_training": op.attrs["is_training"]}).outputs[:3]
        return [dx, dscale, doffset, None, None]


@register_op
class FusedBatchNormGradV3(OpDef):
    """Gradients of FusedBatchNormV3 from dy, x, scale and its reserve spaces: training
    dx = scale/σ·(dy - mean(dy) - x̂·mean(dy·x̂)), inference dx = scale/σ·dy;
    dscale = Σ dy·x̂, doffset = Σ dy (x̂ = (x - mean)/σ, σ = √(variance + epsilon))."""

    differentiable = False

    def infer(self, op):
        x, scale = op.inputs[1], op.inputs[2]
        vector = (scale.shape, scale.dtype.base_dtype)
        return [(x.shape, x.dtype.base_dtype), vector, vector,
                (tensor_shape.TensorShape([0]), scale.dtype.base_dtype),
                (tensor_shape.TensorShape([0]), scale.dtype.base_dtype)]

    def kernel(self, op, ctx):
        epsilon, training = op.attrs["epsilon"], op.attrs["is_training"]
        data_format = op.attrs["data_format"]
        axes = _reduce_axes(data_format)

        def fused_batch_norm_grad(dy, x, scale, mean, variance, _reserve):
            dy_wide = dy.astype(np.float64)
            inverse = 1.0 / np.sqrt(variance.astype(np.float64) + epsilon)
            normalized = ((x.astype(np.float64) - _per_channel(mean, data_format))
                          * _per_channel(inverse, data_format))
            dscale = (dy_wide * normalized).sum(axis=axes)
            doffset = dy_wide.sum(axis=axes)
            if training:
                count = x.size // max(scale.size, 1)
                centred = (dy_wide - _per_channel(doffset / count, data_format)
                           - normalized * _per_channel(dscale / count, data_format))
            else:
                centred = dy_wide
            dx = centred * _per_channel(scale * inverse, data_format)
            vector = scale.dtype
            empty = np.zeros(0, vector)
            return (dx.astype(x.dtype), dscale.astype(vector), doffset.astype(vector), empty,
                    empty)
        return fused_batch_norm_grad


def fused_batch_norm(x, scale, offset, mean=None, variance=None, epsilon=0.001,
                     data_format="NHWC", is_training=True, name=None):
    """``tf.nn.fused_batch_norm``: (y, batch_mean, batch_variance) of FusedBatchNormV3;
    epsilon is raised to at least 1.001e-5 as TF does."""
    x = ops.convert_to_tensor(x, name="input")
    scale = ops.convert_to_tensor(scale, name="scale")
    offset = ops.convert_to_tensor(offset, name="offset")
    _channel_axis(data_format)
    if not is_training and (mean is None or variance is None):
        raise ValueError("Both 'mean' and 'variance' must be a 1D tensor when is_training is "
                         f"False, got mean {mean} and variance {variance}")
    vector_type = scale.dtype.base_dtype
    mean = ops.convert_to_tensor(mean if mean is not None else [], dtype=vector_type,
                                 name="mean")
    variance = ops.convert_to_tensor(variance if variance is not None else [],
                                     dtype=vector_type, name="variance")
    outputs = make_op("FusedBatchNormV3", [x, scale, offset, mean, variance], {
        "epsilon": max(float(epsilon), 1.001e-5), "data_format": data_format,
        "is_training": bool(is_training)}, name=name or "FusedBatchNormV3").outputs
    return outputs[0], outputs[1], outputs[2]


# Reached through tf.nn only.
__all__ = []
