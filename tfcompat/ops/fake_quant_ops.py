"""Fake quantisation (TF's FakeQuantWithMinMax* ops): float tensors rounded to the
2^num_bits levels of a [min, max] range nudged so that zero is exactly representable,
with straight-through gradients inside the range (and, for the Vars forms, the outside
gradients summed into min and max)."""
import numpy as np

from tfcompat.framework import dtypes, ops
from tfcompat.framework.op_def import OpDef, make_op, make_tensor, register_op


def _nudged(low, high, num_bits, narrow_range):
    """(nudged min, nudged max, scale) as TF's Nudge (arrays broadcast)."""
    low, high = np.asarray(low, np.float32), np.asarray(high, np.float32)
    quant_min = np.float32(1 if narrow_range else 0)
    quant_max = np.float32(2 ** num_bits - 1)
    scale = (high - low) / (quant_max - quant_min)
    zero_point = quant_min - low / scale
    nudged_zero = np.where(zero_point < quant_min, quant_min,
                           np.where(zero_point > quant_max, quant_max,
                                    np.floor(zero_point + np.float32(0.5))))  # half up
    return (quant_min - nudged_zero) * scale, (quant_max - nudged_zero) * scale, scale


def _quantize(x, low, high, num_bits, narrow_range):
    nudged_min, nudged_max, scale = _nudged(low, high, num_bits, narrow_range)
    clamped = np.clip(x, nudged_min, nudged_max)
    steps = np.floor((clamped - nudged_min) * (np.float32(1) / scale) + np.float32(0.5))
    return (steps * scale + nudged_min).astype(x.dtype)


def _inside(x, low, high, num_bits, narrow_range):
    nudged_min, nudged_max, _ = _nudged(low, high, num_bits, narrow_range)
    return (x >= nudged_min) & (x <= nudged_max), x < nudged_min, x > nudged_max


def _check_float(op, tensor, name):
    if tensor.dtype.base_dtype != dtypes.float32:
        raise TypeError(f"Value passed to parameter '{name}' has DataType "
                        f"{tensor.dtype.base_dtype.name} not in list of allowed values: "
                        "float32")


class _FakeQuant(OpDef):
    def infer(self, op):
        _check_float(op, op.inputs[0], "inputs")
        return [(op.inputs[0].shape, dtypes.float32)]

    def _settings(self, op):
        return op.attrs["num_bits"], op.attrs["narrow_range"]


@register_op
class FakeQuantWithMinMaxArgs(_FakeQuant):
    """Quantises to the range given by the ``min``/``max`` attributes."""

    def kernel(self, op, ctx):
        low, high = op.attrs["min"], op.attrs["max"]
        bits, narrow = self._settings(op)
        return lambda x: _quantize(x, low, high, bits, narrow)

    def grad(self, op, dy):
        return [make_tensor("FakeQuantWithMinMaxArgsGradient", [dy, op.inputs[0]],
                            dict(op.attrs))]


@register_op
class FakeQuantWithMinMaxArgsGradient(_FakeQuant):
    """dy where the input lies inside the nudged range, else 0."""

    differentiable = False

    def infer(self, op):
        return [(op.inputs[1].shape, dtypes.float32)]

    def kernel(self, op, ctx):
        low, high = op.attrs["min"], op.attrs["max"]
        bits, narrow = self._settings(op)

        def gradient(dy, x):
            inside = _inside(x, low, high, bits, narrow)[0]
            return np.where(inside, dy, np.float32(0)).astype(np.float32)
        return gradient


@register_op
class FakeQuantWithMinMaxVars(_FakeQuant):
    """Quantises to the range of the scalar tensors min and max (PerChannel: vectors over
    the last dimension)."""

    def kernel(self, op, ctx):
        bits, narrow = self._settings(op)
        return lambda x, low, high: _quantize(x, low, high, bits, narrow)

    def grad(self, op, dy):
        gradient_type = op.type + "Gradient"
        return list(make_op(gradient_type, [dy] + list(op.inputs), dict(op.attrs)).outputs)


@register_op
class FakeQuantWithMinMaxVarsPerChannel(FakeQuantWithMinMaxVars):
    op_type = "FakeQuantWithMinMaxVarsPerChannel"


@register_op
class FakeQuantWithMinMaxVarsGradient(_FakeQuant):
    """(dy inside the range, Σ dy below it, Σ dy above it): the gradients for inputs, min
    and max (per channel: sums over all but the last dimension)."""

    differentiable = False
    per_channel = False

    def infer(self, op):
        x, low = op.inputs[1], op.inputs[2]
        return [(x.shape, dtypes.float32), (low.shape, dtypes.float32),
                (op.inputs[3].shape, dtypes.float32)]

    def kernel(self, op, ctx):
        bits, narrow = self._settings(op)
        per_channel = self.per_channel

        def gradient(dy, x, low, high):
            inside, below, above = _inside(x, low, high, bits, narrow)
            zero = np.float32(0)
            sum_axes = tuple(range(x.ndim - 1)) if per_channel else None
            return (np.where(inside, dy, zero).astype(np.float32),
                    np.asarray(np.where(below, dy, zero).sum(axis=sum_axes), np.float32),
                    np.asarray(np.where(above, dy, zero).sum(axis=sum_axes), np.float32))
        return gradient


@register_op
class FakeQuantWithMinMaxVarsPerChannelGradient(FakeQuantWithMinMaxVarsGradient):
    op_type = "FakeQuantWithMinMaxVarsPerChannelGradient"
    per_channel = True


def _attrs(num_bits, narrow_range, **extra):
    return {"num_bits": int(num_bits), "narrow_range": bool(narrow_range), **extra}


def fake_quant_with_min_max_args(inputs, min=-6, max=6, num_bits=8,  # noqa: A002
                                 narrow_range=False, name=None):
    """``tf.fake_quant_with_min_max_args(inputs, min=-6, max=6, num_bits=8,
    narrow_range=False)``."""
    return make_tensor("FakeQuantWithMinMaxArgs", [ops.convert_to_tensor(inputs)],
                       _attrs(num_bits, narrow_range, min=float(min), max=float(max)),
                       name=name or "FakeQuantWithMinMaxArgs")


def fake_quant_with_min_max_args_gradient(gradients, inputs, min=-6, max=6,  # noqa: A002
                                          num_bits=8, narrow_range=False, name=None):
    """``tf.fake_quant_with_min_max_args_gradient(gradients, inputs, ...)``."""
    return make_tensor("FakeQuantWithMinMaxArgsGradient",
                       [ops.convert_to_tensor(gradients), ops.convert_to_tensor(inputs)],
                       _attrs(num_bits, narrow_range, min=float(min), max=float(max)),
                       name=name or "FakeQuantWithMinMaxArgsGradient")


def _vars_inputs(tensors):
    return [ops.convert_to_tensor(t, dtype=dtypes.float32) for t in tensors]


def fake_quant_with_min_max_vars(inputs, min, max, num_bits=8,  # noqa: A002
                                 narrow_range=False, name=None):
    """``tf.fake_quant_with_min_max_vars(inputs, min, max, num_bits=8, narrow_range=False)``:
    min and max are scalar tensors (variables, typically)."""
    return make_tensor("FakeQuantWithMinMaxVars", _vars_inputs([inputs, min, max]),
                       _attrs(num_bits, narrow_range), name=name or "FakeQuantWithMinMaxVars")


def fake_quant_with_min_max_vars_gradient(gradients, inputs, min, max,  # noqa: A002
                                          num_bits=8, narrow_range=False, name=None):
    """``tf.fake_quant_with_min_max_vars_gradient``: (for inputs, for min, for max)."""
    return tuple(make_op("FakeQuantWithMinMaxVarsGradient",
                         _vars_inputs([gradients, inputs, min, max]),
                         _attrs(num_bits, narrow_range),
                         name=name or "FakeQuantWithMinMaxVarsGradient").outputs)


def fake_quant_with_min_max_vars_per_channel(inputs, min, max, num_bits=8,  # noqa: A002
                                             narrow_range=False, name=None):
    """``tf.fake_quant_with_min_max_vars_per_channel``: min and max are vectors over the
    last dimension."""
    return make_tensor("FakeQuantWithMinMaxVarsPerChannel", _vars_inputs([inputs, min, max]),
                       _attrs(num_bits, narrow_range),
                       name=name or "FakeQuantWithMinMaxVarsPerChannel")


def fake_quant_with_min_max_vars_per_channel_gradient(gradients, inputs, min,  # noqa: A002
                                                      max, num_bits=8,  # noqa: A002
                                                      narrow_range=False, name=None):
    """``tf.fake_quant_with_min_max_vars_per_channel_gradient``."""
    return tuple(make_op("FakeQuantWithMinMaxVarsPerChannelGradient",
                         _vars_inputs([gradients, inputs, min, max]),
                         _attrs(num_bits, narrow_range),
                         name=name or "FakeQuantWithMinMaxVarsPerChannelGradient").outputs)


__all__ = [
    "fake_quant_with_min_max_args", "fake_quant_with_min_max_args_gradient",
    "fake_quant_with_min_max_vars", "fake_quant_with_min_max_vars_gradient",
    "fake_quant_with_min_max_vars_per_channel",
    "fake_quant_with_min_max_vars_per_channel_gradient",
]
