"""Random ops (TF's random_ops): each op draws from its own generator in the Session, seeded
from (seed, seed2) as chosen by ``random_seed.get_seed``; a new Session restarts the
sequence, as TF's kernels do."""
import numpy as np

from tfcompat.framework import dtypes, errors, ops, random_seed
from tfcompat.framework.op_def import (OpDef, constant_shape_value, make_tensor, register_op)
from tfcompat.ops import math_ops


class _RandomOp(OpDef):
    stateful = True
    differentiable = False

    def infer(self, op):
        return [(constant_shape_value(op.inputs[0]), op.attrs["dtype"])]

    def kernel(self, op, ctx):
        rng = ctx.random_generator(op)
        dtype = op.attrs["dtype"].as_numpy_dtype
        draw = self.draw

        def random_kernel(shape, *args):
            shape = tuple(int(d) for d in shape)
            if any(d < 0 for d in shape):
                raise errors.InvalidArgumentError(None, op, f"Shape dimensions must be "
                                                  f"non-negative, got {list(shape)}")
            return np.asarray(draw(rng, shape, *args), dtype=dtype)
        return random_kernel


@register_op
class RandomUniform(_RandomOp):
    """Uniform in [0, 1)."""

    draw = staticmethod(lambda rng, shape: rng.random(shape))


@register_op
class RandomStandardNormal(_RandomOp):
    """Standard normal."""

    draw = staticmethod(lambda rng, shape: rng.standard_normal(shape))


def _truncated(rng, shape):
    """Standard normal redrawn until within two standard deviations (TF's TruncatedNormal)."""
    values = rng.standard_normal(shape)
    bad = np.abs(values) > 2.0
    while bad.any():
        values[bad] = rng.standard_normal(int(bad.sum()))
        bad = np.abs(values) > 2.0
    return values


@register_op
class TruncatedNormal(_RandomOp):
    draw = staticmethod(_truncated)


@register_op
class RandomUniformInt(_RandomOp):
    """Integers uniform in [minval, maxval)."""

    def infer(self, op):
        return [(constant_shape_value(op.inputs[0]), op.inputs[1].dtype.base_dtype)]

    def kernel(self, op, ctx):
        rng = ctx.random_generator(op)

        def uniform_int(shape, low, high):
            if low >= high:
                raise errors.InvalidArgumentError(None, op, f"Need minval < maxval: {low} >= "
                                                  f"{high}")
            return rng.integers(low, high, size=tuple(shape), dtype=low.dtype)
        return uniform_int


def _seeded_attrs(seed, dtype):
    seed1, seed2 = random_seed.get_seed(seed)
    return {"seed": seed1 or 0, "seed2": seed2 or 0, "dtype": dtype}


def _shape_tensor(shape):
    if isinstance(shape, ops.Tensor):
        return shape
    return ops.convert_to_tensor(list(shape) if not np.isscalar(shape) else [shape],
                                 dtype=dtypes.int32)


def random_uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None):
    """``tf.random_uniform``: floats in [minval, maxval) (maxval defaults to 1), or integers."""
    dtype = dtypes.as_dtype(dtype)
    with ops.name_scope(name, "random_uniform", [shape, minval, maxval]) as scope:
        shape = _shape_tensor(shape)
        if dtype.is_integer:
            if maxval is None:
                raise ValueError(f"Must specify maxval for integer dtype {dtype!r}")
            low = ops.convert_to_tensor(minval, dtype=dtype, name="min")
            high = ops.convert_to_tensor(maxval, dtype=dtype, name="max")
            attrs = _seeded_attrs(seed, dtype)
            return make_tensor("RandomUniformInt", [shape, low, high], attrs, name=scope)
        low = ops.convert_to_tensor(minval, dtype=dtype, name="min")
        high = ops.convert_to_tensor(1 if maxval is None else maxval, dtype=dtype, name="max")
        rnd = make_tensor("RandomUniform", [shape], _seeded_attrs(seed, dtype))
        return math_ops.add(rnd * (high - low), low, name=scope)


def _normal_builder(op_type, default_name):
    def builder(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
        dtype = dtypes.as_dtype(dtype)
        with ops.name_scope(name, default_name, [shape, mean, stddev]) as scope:
            shape = _shape_tensor(shape)
            mean_t = ops.convert_to_tensor(mean, dtype=dtype, name="mean")
            std_t = ops.convert_to_tensor(stddev, dtype=dtype, name="stddev")
            rnd = make_tensor(op_type, [shape], _seeded_attrs(seed, dtype))
            return math_ops.add(rnd * std_t, mean_t, name=scope)
    builder.__name__ = default_name
    builder.__doc__ = (f"``tf.{default_name}(shape, mean=0.0, stddev=1.0, dtype=tf.float32, "
                       f"seed=None, name=None)``.")
    return builder


random_normal = _normal_builder("RandomStandardNormal", "random_normal")
truncated_normal = _normal_builder("TruncatedNormal", "truncated_normal")


# The public builders re-exported as tf.*; extend when adding one.
__all__ = [
    "random_uniform",
    "random_normal",
    "truncated_normal",
]
