"""Random ops (TF's random_ops): each op draws from its own generator in the Session, seeded
from (seed, seed2) as chosen by ``random_seed.get_seed``; a new Session restarts the
sequence, as TF's kernels do."""
import numpy as np
import scipy.special

from tfcompat.framework import dtypes, errors, ops, random_seed, tensor_shape
from tfcompat.framework.op_def import (OpDef, constant_shape_value, constant_value, format_shape,
                                       make_tensor, register_op)
from tfcompat.ops import array_ops, math_ops


class _RandomOp(OpDef):
    stateful = True
    differentiable = False

    def infer(self, op):
        return [(constant_shape_value(op.inputs[0]), op.attrs["dtype"])]

    def kernel(self, op, ctx):
        rng = ctx.random_generator(op)
        dtype = op.attrs["dtype"].as_numpy_dtype
        # NumPy draws float32 natively (about twice as fast as float64 plus a cast); other
        # float widths are drawn in float32 and cast.
        native = dtype if dtype in (np.float32, np.float64) else np.float32
        draw = self.draw

        def random_kernel(shape, *args):
            return np.asarray(draw(rng, _checked_shape(op, shape), native, *args), dtype=dtype)
        return random_kernel


def _checked_shape(op, shape):
    """The fed shape tensor of a random op as a tuple, with TF's error for negative dims."""
    shape = tuple(int(d) for d in shape)
    if any(d < 0 for d in shape):
        raise errors.InvalidArgumentError(None, op, f"Shape dimensions must be non-negative, "
                                          f"got {list(shape)}")
    return shape


@register_op
class RandomUniform(_RandomOp):
    """Uniform in [0, 1). Float32/float64 come from interleaved xoshiro256+ streams in Numba
    whose states are drawn once from the op's seeded generator (dropout masks are the hot
    use: NumPy's PCG64 costs about 2 ns a number here, these 0.3); other widths from NumPy."""

    draw = staticmethod(lambda rng, shape, dtype: rng.random(shape, dtype=dtype))

    def kernel(self, op, ctx):
        dtype = op.attrs["dtype"].as_numpy_dtype
        if dtype not in (np.float32, np.float64):
            return super().kernel(op, ctx)
        fill = ctx.uniform_filler(op)

        def uniform(shape):
            out = np.empty(_checked_shape(op, shape), dtype)
            fill(out.reshape(-1))
            return out
        return uniform


@register_op
class RandomStandardNormal(_RandomOp):
    """Standard normal."""

    draw = staticmethod(lambda rng, shape, dtype: rng.standard_normal(shape, dtype=dtype))


def _truncated(rng, shape, dtype):
    """Standard normal redrawn until within two standard deviations (TF's TruncatedNormal)."""
    values = rng.standard_normal(shape, dtype=dtype)
    bad = np.abs(values) > 2.0
    while bad.any():
        values[bad] = rng.standard_normal(int(bad.sum()), dtype=dtype)
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
                                 dtype=dtypes.int32, name="shape")


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


@register_op
class RandomShuffle(OpDef):
    """A random permutation of ``value`` along its first dimension (``tf.random_shuffle``)."""

    stateful = True
    differentiable = False

    def infer(self, op):
        x = op.inputs[0]
        return [(x.shape, x.dtype.base_dtype)]

    def kernel(self, op, ctx):
        rng = ctx.random_generator(op)

        def shuffle(x):
            if x.ndim == 0 or x.shape[0] <= 1:
                return x.copy()
            return x[rng.permutation(x.shape[0])]
        return shuffle


def random_shuffle(value, seed=None, name=None):
    """``tf.random_shuffle(value, seed=None, name=None)``."""
    seed1, seed2 = random_seed.get_seed(seed)
    return make_tensor("RandomShuffle", [ops.convert_to_tensor(value)],
                       {"seed": seed1 or 0, "seed2": seed2 or 0}, name=name or "RandomShuffle")


@register_op
class Multinomial(OpDef):
    """``num_samples`` class ids per row of ``logits`` [batch, classes], drawn with
    probabilities softmax(logits) (``tf.multinomial``)."""

    stateful = True
    differentiable = False

    def infer(self, op):
        logits, num_tensor = op.inputs
        if not logits.dtype.base_dtype.is_floating:
            raise TypeError(f"Value passed to parameter 'logits' has DataType "
                            f"{logits.dtype.base_dtype.name} not in list of allowed values: "
                            "float16, float32, float64")
        if logits.shape.ndims not in (None, 2):
            raise ValueError(f"Shape must be rank 2 but is rank {logits.shape.ndims} for "
                             f"'{op.name}' (op: 'Multinomial') with input shapes: "
                             f"{format_shape(logits.shape)}, {format_shape(num_tensor.shape)}.")
        num = constant_value(num_tensor)
        batch = logits.shape[0].value if logits.shape.ndims == 2 else None
        return [(tensor_shape.TensorShape([batch, None if num is None else int(num)]),
                 op.attrs["output_dtype"])]

    def kernel(self, op, ctx):
        rng = ctx.random_generator(op)
        out_type = op.attrs["output_dtype"].as_numpy_dtype

        def multinomial_kernel(logits, num_samples):
            return sample_categorical(op, rng, logits, num_samples, out_type)
        return multinomial_kernel


def sample_categorical(op, rng, logits, num_samples, out_type):
    """``num_samples`` class ids per row of ``logits``, drawn from ``rng`` with
    probabilities softmax(logits), with TF's errors (Multinomial and its stateless twin)."""
    num = int(num_samples)
    if logits.ndim != 2:
        raise errors.InvalidArgumentError(
            None, op, f"logits should be a matrix, got shape {list(logits.shape)}\n\t "
            f"[[node {op.name}]]")
    if num < 0:
        raise errors.InvalidArgumentError(
            None, op, f"num_samples should be nonnegative, got {num}\n\t [[node {op.name}]]")
    batch, classes = logits.shape
    if classes == 0 and batch > 0:
        raise errors.InvalidArgumentError(
            None, op, f"num_classes should be positive, got {classes}\n\t [[node {op.name}]]")
    z = logits.astype(np.float64)
    z = z - np.max(np.where(np.isfinite(z), z, -np.inf), axis=1, keepdims=True)
    probs = np.where(np.isfinite(z), np.exp(z), 0.0)
    cdf = np.cumsum(probs, axis=1)
    u = rng.random((batch, num)) * cdf[:, -1:]
    out = np.empty((batch, num), dtype=out_type)
    for row in range(batch):
        out[row] = np.minimum(np.searchsorted(cdf[row], u[row], side="right"), classes - 1)
    return out


def multinomial(logits, num_samples, seed=None, name=None, output_dtype=None):
    """``tf.multinomial(logits, num_samples, seed=None, name=None, output_dtype=None)``."""
    with ops.name_scope(name, "multinomial", [logits]):
        logits = ops.convert_to_tensor(logits, name="logits")
        num = num_samples if isinstance(num_samples, ops.Tensor) else ops.convert_to_tensor(
            num_samples, dtype=dtypes.int32, name="num_samples")
        seed1, seed2 = random_seed.get_seed(seed)
        dtype = dtypes.int64 if output_dtype is None else dtypes.as_dtype(output_dtype)
        return make_tensor("Multinomial", [logits, num], {
            "seed": seed1 or 0, "seed2": seed2 or 0, "output_dtype": dtype,
            "T": logits.dtype.base_dtype}, name="Multinomial")


@register_op
class RandomGamma(OpDef):
    """Gamma(alpha, 1) samples of shape ``shape + alpha.shape`` (``tf.random_gamma``). The
    gradient in alpha is TF's implicit reparameterisation: dsample/dalpha =
    -(∂P(alpha, x)/∂alpha) / density(x) (RandomGammaGrad)."""

    stateful = True

    def infer(self, op):
        shape, alpha = op.inputs
        dtype = alpha.dtype.base_dtype
        if dtype not in (dtypes.float16, dtypes.float32, dtypes.float64):
            raise TypeError(f"Value passed to parameter 'alpha' has DataType {dtype.name} not in "
                            "list of allowed values: float16, float32, float64")
        return [(constant_shape_value(shape).concatenate(alpha.shape), dtype)]

    def kernel(self, op, ctx):
        rng = ctx.random_generator(op)

        def gamma(shape, alpha):
            shape = _checked_shape(op, shape)
            draws = rng.standard_gamma(np.broadcast_to(alpha, shape + alpha.shape))
            return np.asarray(draws, dtype=alpha.dtype)
        return gamma

    def grad(self, op, dy):
        shape, alpha = op.inputs
        sample = op.outputs[0]
        leading = array_ops.size(shape)
        partial = make_tensor("RandomGammaGrad", [
            math_ops.broadcast_to(alpha, array_ops.shape(sample)), sample])
        summed = math_ops.reduce_sum(dy * partial, math_ops._range(0, leading))
        return [None, summed]


@register_op
class RandomGammaGrad(OpDef):
    """dsample/dalpha of Gamma(alpha, 1) samples at fixed CDF value (RandomGamma's
    gradient)."""

    differentiable = False

    def infer(self, op):
        alpha, sample = op.inputs
        return [(alpha.shape.merge_with(sample.shape), alpha.dtype.base_dtype)]

    def kernel(self, op, ctx):
        from tfcompat.ops import special_math_ops

        def gamma_grad(alpha, sample):
            a, x = alpha.astype(np.float64), sample.astype(np.float64)
            with np.errstate(all="ignore"):
                log_density = (a - 1) * np.log(x) - x - scipy.special.gammaln(a)
                out = -special_math_ops._igamma_grad_a(a, x) / np.exp(log_density)
            return np.where(x > 0, out, 0.0).astype(alpha.dtype)
        return gamma_grad


def random_gamma(shape, alpha, beta=None, dtype=dtypes.float32, seed=None, name=None):
    """``tf.random_gamma(shape, alpha, beta=None, dtype=tf.float32, seed=None)``: Gamma(alpha,
    rate beta) samples of shape ``shape + broadcast(alpha, beta).shape``."""
    dtype = dtypes.as_dtype(dtype)
    with ops.name_scope(name, "random_gamma", [shape, alpha, beta]):
        shape = _shape_tensor(shape)
        alpha = ops.convert_to_tensor(alpha, name="alpha", dtype=dtype)
        beta = ops.convert_to_tensor(beta if beta is not None else 1, name="beta", dtype=dtype)
        alpha_broadcast = alpha + array_ops.zeros_like(beta)
        seed1, seed2 = random_seed.get_seed(seed)
        sample = make_tensor("RandomGamma", [shape, alpha_broadcast],
                             {"seed": seed1 or 0, "seed2": seed2 or 0, "T": dtype})
        tiny = np.finfo(dtype.as_numpy_dtype).tiny
        return math_ops.maximum(array_ops.constant(tiny, dtype=dtype), sample / beta)


@register_op
class RandomPoissonV2(OpDef):
    """Poisson(rate) samples of shape ``shape + rate.shape`` (``tf.random_poisson``)."""

    stateful = True
    differentiable = False

    def infer(self, op):
        shape, rate = op.inputs
        return [(constant_shape_value(shape).concatenate(rate.shape), op.attrs["dtype"])]

    def kernel(self, op, ctx):
        rng = ctx.random_generator(op)
        dtype = op.attrs["dtype"].as_numpy_dtype

        def poisson(shape, rate):
            shape = _checked_shape(op, shape)
            draws = rng.poisson(np.broadcast_to(np.maximum(rate, 0), shape + rate.shape))
            return np.where(np.broadcast_to(rate, draws.shape) >= 0, draws, np.nan).astype(dtype)
        return poisson


def random_poisson(lam, shape, dtype=dtypes.float32, seed=None, name=None):
    """``tf.random_poisson(lam, shape, dtype=tf.float32, seed=None)``: samples of shape
    ``shape + lam.shape``."""
    with ops.name_scope(name, "random_poisson", [lam, shape]):
        shape = _shape_tensor(shape)
        lam = ops.convert_to_tensor(lam, name="lam", dtype=dtypes.float32
                                    if not isinstance(lam, ops.Tensor) else None)
        seed1, seed2 = random_seed.get_seed(seed)
        return make_tensor("RandomPoissonV2", [shape, lam], {
            "seed": seed1 or 0, "seed2": seed2 or 0, "dtype": dtypes.as_dtype(dtype)})


def random_crop(value, size, seed=None, name=None):
    """``tf.random_crop(value, size, seed=None)``: a slice of shape ``size`` at a uniformly
    random offset (every dimension of value must be at least size's)."""
    with ops.name_scope(name, "random_crop", [value, size]) as scope:
        value = ops.convert_to_tensor(value, name="value")
        size = ops.convert_to_tensor(size, dtype=dtypes.int32, name="size")
        shape = array_ops.shape(value)
        static_value, static_size = value.shape, constant_value(size)
        if static_value.is_fully_defined() and static_size is not None:
            if np.any(np.array(static_value.as_list()) < static_size):
                raise ValueError(f"Need value.shape >= size, got {static_value.as_list()} and "
                                 f"{static_size.tolist()}")
        else:
            from tfcompat.ops import check_ops, control_flow_ops
            check = check_ops.assert_greater_equal(
                shape, size, message="Need value.shape >= size, got ", summarize=1000)
            shape = control_flow_ops._with_dependencies([check], shape)
        limit = shape - size + 1
        offset = random_uniform(array_ops.shape(shape), dtype=size.dtype,
                                maxval=size.dtype.max, seed=seed) % limit
        return array_ops.slice(value, offset, size, name=scope)


def categorical(logits, num_samples, dtype=None, seed=None, name=None):
    """``tf.random.categorical(logits, num_samples, dtype=None, seed=None)``."""
    return multinomial(logits, num_samples, seed=seed, name=name or "categorical",
                       output_dtype=dtype)


# The public builders re-exported as tf.*; extend when adding one.
__all__ = [
    "random_uniform",
    "random_normal",
    "truncated_normal",
    "random_shuffle",
    "multinomial",
    "random_gamma",
    "random_poisson",
    "random_crop",
]
