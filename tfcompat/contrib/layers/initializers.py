"""``tf.contrib.layers`` initializers with TF 1.x's contrib formulas (which differ from
the core ``tf.variance_scaling_initializer``):

- fan_in = shape[-2] (shape[-1] for vectors), fan_out = shape[-1], both multiplied by the
  product of the leading dimensions; n = fan_in, fan_out or their average (mode FAN_IN,
  FAN_OUT, FAN_AVG);
- ``uniform=False``: truncated normal with stddev sqrt(1.3 * factor / n);
- ``uniform=True``: uniform in ±sqrt(3 * factor / n).

Defaults: ``variance_scaling_initializer(factor=2.0, mode='FAN_IN', uniform=False)`` (He
initialisation); ``xavier_initializer(uniform=True)`` = factor 1.0, FAN_AVG.
"""
import math

from tfcompat.framework import dtypes
from tfcompat.ops import random_ops


def variance_scaling_initializer(factor=2.0, mode="FAN_IN", uniform=False, seed=None,
                                 dtype=dtypes.float32):
    """``tf.contrib.layers.variance_scaling_initializer(factor=2.0, mode='FAN_IN',
    uniform=False, seed=None, dtype=tf.float32)``."""
    dtype = dtypes.as_dtype(dtype)
    if not dtype.is_floating:
        raise TypeError("Cannot create initializer for non-floating point type.")
    if mode not in ("FAN_IN", "FAN_OUT", "FAN_AVG"):
        raise TypeError(f"Unknown mode {mode} [FAN_IN, FAN_OUT, FAN_AVG]")
    default_dtype = dtype

    def _initializer(shape, dtype=default_dtype, partition_info=None):
        dtype = dtypes.as_dtype(dtype if dtype is not None else default_dtype)
        if not dtype.is_floating:
            raise TypeError("Cannot create initializer for non-floating point type.")
        if partition_info is not None and hasattr(partition_info, "full_shape"):
            fan_shape = list(partition_info.full_shape)
        else:
            fan_shape = list(shape)
        if fan_shape:
            fan_in = float(fan_shape[-2]) if len(fan_shape) > 1 else float(fan_shape[-1])
            fan_out = float(fan_shape[-1])
        else:
            fan_in = fan_out = 1.0
        for dim in fan_shape[:-2]:
            fan_in *= float(dim)
            fan_out *= float(dim)
        if mode == "FAN_IN":
            n = fan_in
        elif mode == "FAN_OUT":
            n = fan_out
        else:
            n = (fan_in + fan_out) / 2.0
        if uniform:
            limit = math.sqrt(3.0 * factor / n)
            return random_ops.random_uniform(shape, -limit, limit, dtype, seed=seed)
        trunc_stddev = math.sqrt(1.3 * factor / n)
        return random_ops.truncated_normal(shape, 0.0, trunc_stddev, dtype, seed=seed)

    return _initializer


def xavier_initializer(uniform=True, seed=None, dtype=dtypes.float32):
    """``tf.contrib.layers.xavier_initializer(uniform=True, seed=None, dtype=tf.float32)``:
    uniform in ±sqrt(6 / (fan_in + fan_out)), or a truncated normal with stddev
    sqrt(1.3 * 2 / (fan_in + fan_out))."""
    return variance_scaling_initializer(factor=1.0, mode="FAN_AVG", uniform=uniform, seed=seed,
                                        dtype=dtype)


xavier_initializer_conv2d = xavier_initializer
