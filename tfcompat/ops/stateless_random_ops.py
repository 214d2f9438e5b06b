"""Stateless random ops (TF's stateless_random_ops): the same ``seed`` pair gives the same
numbers in every run and Session, whatever ran before. The numbers come from NumPy's
generator seeded with the pair, so they differ from TensorFlow's Philox streams."""
import numpy as np

from tfcompat.framework import dtypes, errors, ops, tensor_shape
from tfcompat.framework.op_def import (OpDef, constant_shape_value, constant_value,
                                       make_tensor, register_op)
from tfcompat.ops import math_ops, random_ops


def _generator(op, seed):
    seed = np.asarray(seed)
    if seed.shape != (2,):
        raise errors.InvalidArgumentError(
            None, op, f"seed must have shape [2], not {list(seed.shape)}\n\t [[node {op.name}]]")
    return np.random.default_rng([int(s) & 0xFFFFFFFFFFFFFFFF for s in seed])


def _check_seed(op, seed):
    if seed.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError(f"Value passed to parameter 'seed' has DataType "
                        f"{seed.dtype.base_dtype.name} not in list of allowed values: int32, "
                        "int64")
    if not seed.shape.is_compatible_with([2]):
        raise ValueError(f"Dimension must be 2 but is {seed.shape[-1].value} for '{op.name}' "
                         f"(op: '{op.type}') (seed shape {seed.shape})")


class _StatelessDraw(OpDef):
    """Values of the op's ``dtype`` and shape ``shape`` drawn by ``draw`` (inputs: shape,
    seed, then the draw's own)."""

    differentiable = False
    draw = None

    def infer(self, op):
        _check_seed(op, op.inputs[1])
        return [(constant_shape_value(op.inputs[0]), op.attrs["dtype"])]

    def kernel(self, op, ctx):
        dtype = op.attrs["dtype"].as_numpy_dtype
        native = dtype if dtype in (np.float32, np.float64) else np.float32
        draw = self.draw

        def stateless(shape, seed, *args):
            rng = _generator(op, seed)
            values = draw(rng, random_ops._checked_shape(op, shape), native, *args)
            return np.asarray(values).astype(dtype, copy=False)
        return stateless


@register_op
class StatelessRandomUniform(_StatelessDraw):
    draw = staticmethod(lambda rng, shape, dtype: rng.random(shape, dtype=dtype))


@register_op
class StatelessRandomNormal(_StatelessDraw):
    draw = staticmethod(lambda rng, shape, dtype: rng.standard_normal(shape, dtype=dtype))


@register_op
class StatelessTruncatedNormal(_StatelessDraw):
    draw = staticmethod(random_ops._truncated)


@register_op
class StatelessRandomUniformInt(_StatelessDraw):
    """Integers uniform in [minval, maxval) (inputs shape, seed, minval, maxval)."""

    def kernel(self, op, ctx):
        def uniform_int(shape, seed, low, high):
            if low >= high:
                raise errors.InvalidArgumentError(
                    None, op, f"Need minval < maxval: {low} >= {high}\n\t [[node {op.name}]]")
            return _generator(op, seed).integers(
                low, high, size=random_ops._checked_shape(op, shape), dtype=low.dtype)
        return uniform_int


@register_op
class StatelessRandomBinomial(_StatelessDraw):
    """Binomial(counts, probs) samples, counts and probs broadcast to ``shape``."""

    @staticmethod
    def draw(rng, shape, dtype, counts, probs):
        return rng.binomial(np.broadcast_to(counts, shape).astype(np.int64),
                            np.broadcast_to(probs, shape))


@register_op
class StatelessMultinomial(OpDef):
    """``num_samples`` class ids per row of ``logits`` (``tf.random.stateless_categorical``)."""

    differentiable = False

    def infer(self, op):
        logits, num_tensor, seed = op.inputs
        _check_seed(op, seed)
        num = constant_value(num_tensor)
        batch = logits.shape[0].value if logits.shape.ndims == 2 else None
        if logits.shape.ndims not in (None, 2):
            raise ValueError(f"Shape must be rank 2 but is rank {logits.shape.ndims} for "
                             f"'{op.name}' (op: 'StatelessMultinomial')")
        return [(tensor_shape.TensorShape([batch, None if num is None else int(num)]),
                 op.attrs["output_dtype"])]

    def kernel(self, op, ctx):
        out_type = op.attrs["output_dtype"].as_numpy_dtype

        def stateless_multinomial(logits, num_samples, seed):
            return random_ops.sample_categorical(op, _generator(op, seed), logits,
                                                 num_samples, out_type)
        return stateless_multinomial


def _seed_tensor(seed):
    return ops.convert_to_tensor(seed, dtype=None if isinstance(seed, ops.Tensor)
                                 else dtypes.int64, name="seed")


def stateless_random_uniform(shape, seed, minval=0, maxval=None, dtype=dtypes.float32,
                             name=None):
    """``tf.random.stateless_uniform(shape, seed, minval=0, maxval=None, dtype=tf.float32)``."""
    dtype = dtypes.as_dtype(dtype)
    with ops.name_scope(name, "stateless_random_uniform", [shape, seed, minval, maxval]) as scope:
        shape = random_ops._shape_tensor(shape)
        seed = _seed_tensor(seed)
        if dtype.is_integer:
            if maxval is None:
                raise ValueError(f"Must specify maxval for integer dtype {dtype!r}")
            low = ops.convert_to_tensor(minval, dtype=dtype, name="min")
            high = ops.convert_to_tensor(maxval, dtype=dtype, name="max")
            return make_tensor("StatelessRandomUniformInt", [shape, seed, low, high],
                               {"dtype": dtype}, name=scope)
        low = ops.convert_to_tensor(minval, dtype=dtype, name="min")
        high = ops.convert_to_tensor(1 if maxval is None else maxval, dtype=dtype, name="max")
        draws = make_tensor("StatelessRandomUniform", [shape, seed], {"dtype": dtype})
        return math_ops.add(draws * (high - low), low, name=scope)


def _stateless_normal_builder(op_type, default_name):
    def builder(shape, seed, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None):
        dtype = dtypes.as_dtype(dtype)
        with ops.name_scope(name, default_name, [shape, seed, mean, stddev]) as scope:
            shape = random_ops._shape_tensor(shape)
            mean = ops.convert_to_tensor(mean, dtype=dtype, name="mean")
            stddev = ops.convert_to_tensor(stddev, dtype=dtype, name="stddev")
            draws = make_tensor(op_type, [shape, _seed_tensor(seed)], {"dtype": dtype})
            return math_ops.add(draws * stddev, mean, name=scope)
    builder.__name__ = default_name
    builder.__doc__ = (f"``tf.random.{default_name.replace('_random', '')}(shape, seed, "
                       "mean=0.0, stddev=1.0, dtype=tf.float32, name=None)``.")
    return builder


stateless_random_normal = _stateless_normal_builder("StatelessRandomNormal",
                                                    "stateless_random_normal")
stateless_truncated_normal = _stateless_normal_builder("StatelessTruncatedNormal",
                                                       "stateless_truncated_normal")


def stateless_multinomial(logits, num_samples, seed, output_dtype=dtypes.int64, name=None):
    """``tf.random.stateless_multinomial(logits, num_samples, seed, output_dtype=tf.int64)``."""
    with ops.name_scope(name, "stateless_multinomial", [logits, seed]):
        logits = ops.convert_to_tensor(logits, name="logits")
        num = ops.convert_to_tensor(num_samples, dtype=dtypes.int32, name="num_samples")
        return make_tensor("StatelessMultinomial", [logits, num, _seed_tensor(seed)],
                           {"output_dtype": dtypes.as_dtype(output_dtype)})


def stateless_categorical(logits, num_samples, seed, dtype=dtypes.int64, name=None):
    """``tf.random.stateless_categorical(logits, num_samples, seed, dtype=tf.int64)``."""
    return stateless_multinomial(logits, num_samples, seed, output_dtype=dtype,
                                 name=name or "stateless_categorical")


def stateless_random_binomial(shape, seed, counts, probs, output_dtype=dtypes.int32,
                              name=None):
    """``tf.random.stateless_binomial(shape, seed, counts, probs, output_dtype=tf.int32)``."""
    with ops.name_scope(name, "stateless_random_binomial", [shape, seed, counts, probs]):
        shape = random_ops._shape_tensor(shape)
        probs = ops.convert_to_tensor(probs, name="probs")
        counts = ops.convert_to_tensor(counts, name="counts", dtype=probs.dtype.base_dtype)
        return make_tensor("StatelessRandomBinomial", [shape, _seed_tensor(seed), counts, probs],
                           {"dtype": dtypes.as_dtype(output_dtype)})


# Reached through tf.random only (TF 1.15 has no top-level stateless names).
__all__ = []
