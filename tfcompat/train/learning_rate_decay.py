"""Learning-rate schedules of TF 1.x (``tf.train.exponential_decay`` ...), built as graph ops
of the step tensor exactly as TF 1.15 builds them (``learning_rate_decay.py`` calling the
Keras ``learning_rate_schedule`` classes): the initial learning rate fixes the dtype (a
Python float gives float32), ``decay_steps``, the rates and the step are cast to it, and
``staircase`` floors step / decay_steps. Each returns the decayed learning rate tensor, named
after its scope ("ExponentialDecay" ...) where TF names it so.
"""
import math

from tfcompat.framework import dtypes, ops
from tfcompat.ops import array_ops, control_flow_ops, math_ops, random_ops


def _require_step(global_step, function):
    if global_step is None:
        raise ValueError(f"global_step is required for {function}.")


def exponential_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                      name=None):
    """learning_rate * decay_rate ^ (global_step / decay_steps)."""
    _require_step(global_step, "exponential_decay")
    return _exponential(learning_rate, global_step, decay_steps, decay_rate, staircase, name)


def _exponential(learning_rate, step, decay_steps, decay_rate, staircase, name):
    with ops.name_scope(name or "ExponentialDecay") as scope:
        initial = ops.convert_to_tensor(learning_rate, name="initial_learning_rate")
        dtype = initial.dtype.base_dtype
        decay_steps = math_ops.cast(decay_steps, dtype)
        decay_rate = math_ops.cast(decay_rate, dtype)
        p = math_ops.cast(step, dtype) / decay_steps
        if staircase:
            p = math_ops.floor(p)
        return math_ops.multiply(initial, math_ops.pow(decay_rate, p), name=scope)


def natural_exp_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                      name=None):
    """learning_rate * exp(-decay_rate * global_step / decay_steps); TF 1.15 computes it as
    an exponential decay with the rate exp(-decay_rate)."""
    _require_step(global_step, "natural_exp_decay")
    natural_exp_rate = math_ops.exp(math_ops.negative(decay_rate))
    return _exponential(learning_rate, global_step, decay_steps, natural_exp_rate, staircase,
                        name)


def inverse_time_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                       name=None):
    """learning_rate / (1 + decay_rate * global_step / decay_steps) (the book's power
    scheduling)."""
    _require_step(global_step, "inverse_time_decay")
    with ops.name_scope(name or "InverseTimeDecay") as scope:
        initial = ops.convert_to_tensor(learning_rate, name="initial_learning_rate")
        dtype = initial.dtype.base_dtype
        decay_steps = math_ops.cast(decay_steps, dtype)
        decay_rate = math_ops.cast(decay_rate, dtype)
        p = math_ops.cast(global_step, dtype) / decay_steps
        if staircase:
            p = math_ops.floor(p)
        const = math_ops.cast(array_ops.constant(1), dtype)
        denominator = math_ops.add(const, math_ops.multiply(decay_rate, p))
        return math_ops.divide(initial, denominator, name=scope)


def polynomial_decay(learning_rate, global_step, decay_steps, end_learning_rate=0.0001,
                     power=1.0, cycle=False, name=None):
    """(learning_rate - end) * (1 - min(step, decay_steps) / decay_steps) ^ power + end; with
    ``cycle``, decay_steps is stretched to the first multiple of it above the step."""
    _require_step(global_step, "polynomial_decay")
    with ops.name_scope(name or "PolynomialDecay") as scope:
        initial = ops.convert_to_tensor(learning_rate, name="initial_learning_rate")
        dtype = initial.dtype.base_dtype
        end_learning_rate = math_ops.cast(end_learning_rate, dtype)
        power = math_ops.cast(power, dtype)
        step = math_ops.cast(global_step, dtype)
        decay_steps_recomp = math_ops.cast(decay_steps, dtype)
        if cycle:
            # The first multiple of decay_steps above the step; 1 at step 0 (TF uses tf.cond).
            multiplier = math_ops.where(
                math_ops.equal(step, array_ops.constant(0, dtype=dtype)),
                array_ops.constant(1.0, dtype=dtype),
                math_ops.ceil(step / math_ops.cast(decay_steps, dtype)))
            decay_steps_recomp = math_ops.multiply(decay_steps_recomp, multiplier)
        else:
            step = math_ops.minimum(step, math_ops.cast(decay_steps, dtype))
        p = math_ops.divide(step, decay_steps_recomp)
        return math_ops.add(
            math_ops.multiply(initial - end_learning_rate, math_ops.pow(1 - p, power)),
            end_learning_rate, name=scope)


def cosine_decay(learning_rate, global_step, decay_steps, alpha=0.0, name=None):
    """learning_rate * ((1 - alpha) * 0.5 * (1 + cos(pi * min(step, decay_steps) /
    decay_steps)) + alpha) (Loshchilov & Hutter's SGDR without restarts)."""
    _require_step(global_step, "cosine_decay")
    with ops.name_scope(name or "CosineDecay"):
        initial = ops.convert_to_tensor(learning_rate, name="initial_learning_rate")
        dtype = initial.dtype.base_dtype
        decay_steps = math_ops.cast(decay_steps, dtype)
        step = math_ops.minimum(math_ops.cast(global_step, dtype), decay_steps)
        completed_fraction = step / decay_steps
        cosine_decayed = 0.5 * (1.0 + math_ops.cos(
            array_ops.constant(math.pi, dtype=dtype) * completed_fraction))
        decayed = (1 - alpha) * cosine_decayed + alpha
        return math_ops.multiply(initial, decayed)


def cosine_decay_restarts(learning_rate, global_step, first_decay_steps, t_mul=2.0, m_mul=1.0,
                          alpha=0.0, name=None):
    """SGDR: cosine decay over periods that restart at the initial rate; period i lasts
    first_decay_steps * t_mul^i steps and starts at m_mul^i times the initial rate."""
    _require_step(global_step, "cosine_decay_restarts")
    with ops.name_scope(name or "SGDRDecay") as scope:
        initial = ops.convert_to_tensor(learning_rate, name="initial_learning_rate")
        dtype = initial.dtype.base_dtype
        first_decay_steps = math_ops.cast(first_decay_steps, dtype)
        alpha = math_ops.cast(alpha, dtype)
        t_mul = math_ops.cast(t_mul, dtype)
        m_mul = math_ops.cast(m_mul, dtype)
        completed_fraction = math_ops.cast(global_step, dtype) / first_decay_steps

        def uniform_periods():
            i_restart = math_ops.floor(completed_fraction)
            return i_restart, completed_fraction - i_restart

        def geometric_periods():
            i_restart = math_ops.floor(
                math_ops.log(1.0 - completed_fraction * (1.0 - t_mul)) / math_ops.log(t_mul))
            sum_r = (1.0 - t_mul ** i_restart) / (1.0 - t_mul)
            return i_restart, (completed_fraction - sum_r) / t_mul ** i_restart

        i_restart, fraction = control_flow_ops.cond(
            math_ops.equal(t_mul, 1.0), uniform_periods, geometric_periods)
        cosine_decayed = 0.5 * m_mul ** i_restart * (1.0 + math_ops.cos(
            array_ops.constant(math.pi, dtype=dtype) * fraction))
        decayed = (1 - alpha) * cosine_decayed + alpha
        return math_ops.multiply(initial, decayed, name=scope)


def linear_cosine_decay(learning_rate, global_step, decay_steps, num_periods=0.5, alpha=0.0,
                        beta=0.001, name=None):
    """learning_rate * ((alpha + linear) * cosine + beta) with linear = (decay_steps - step) /
    decay_steps and cosine = 0.5 (1 + cos(2 pi num_periods step / decay_steps)), the step
    capped at decay_steps."""
    _require_step(global_step, "linear_cosine_decay")
    return _linear_cosine(learning_rate, global_step, decay_steps, num_periods, alpha, beta,
                          None, name or "LinearCosineDecay")


def noisy_linear_cosine_decay(learning_rate, global_step, decay_steps, initial_variance=1.0,
                              variance_decay=0.55, num_periods=0.5, alpha=0.0, beta=0.001,
                              name=None):
    """linear_cosine_decay with N(0, initial_variance / (1 + step)^variance_decay) noise added
    to its linear part, drawn anew at every evaluation."""
    _require_step(global_step, "noisy_linear_cosine_decay")
    return _linear_cosine(learning_rate, global_step, decay_steps, num_periods, alpha, beta,
                          (initial_variance, variance_decay), name or "NoisyLinearCosineDecay")


def _linear_cosine(learning_rate, global_step, decay_steps, num_periods, alpha, beta, noise,
                   name):
    with ops.name_scope(name) as scope:
        initial = ops.convert_to_tensor(learning_rate, name="initial_learning_rate")
        dtype = initial.dtype.base_dtype
        decay_steps = math_ops.cast(decay_steps, dtype)
        if noise is not None:
            initial_variance, variance_decay = (math_ops.cast(v, dtype) for v in noise)
        num_periods = math_ops.cast(num_periods, dtype)
        alpha = math_ops.cast(alpha, dtype)
        beta = math_ops.cast(beta, dtype)
        step = math_ops.minimum(math_ops.cast(global_step, dtype), decay_steps)
        linear_decayed = (decay_steps - step) / decay_steps
        if noise is not None:
            variance = initial_variance / math_ops.pow(1.0 + step, variance_decay)
            linear_decayed = linear_decayed + random_ops.random_normal(
                linear_decayed.shape, stddev=math_ops.sqrt(variance), dtype=dtype)
        fraction = 2.0 * num_periods * (step / decay_steps)
        cosine_decayed = 0.5 * (1.0 + math_ops.cos(
            array_ops.constant(math.pi, dtype=dtype) * fraction))
        decayed = (alpha + linear_decayed) * cosine_decayed + beta
        return math_ops.multiply(initial, decayed, name=scope)


def piecewise_constant(x, boundaries, values, name=None):
    """values[0] while x <= boundaries[0], values[i] while boundaries[i-1] < x <=
    boundaries[i], values[-1] once x > boundaries[-1]."""
    boundaries = [ops.convert_to_tensor(b) for b in boundaries]
    values = [ops.convert_to_tensor(v) for v in values]
    x_recomp = ops.convert_to_tensor(x)
    for i, b in enumerate(boundaries):
        if b.dtype.base_dtype != x_recomp.dtype.base_dtype:
            # int32 boundaries (Python ints) are promoted to an int64 step losslessly.
            if b.dtype.base_dtype == dtypes.int32 and x_recomp.dtype.base_dtype == dtypes.int64:
                boundaries[i] = math_ops.cast(b, x_recomp.dtype.base_dtype)
            else:
                raise ValueError("Boundaries (%s) must have the same dtype as x (%s)."
                                 % (b.dtype.base_dtype, x_recomp.dtype.base_dtype))
    for v in values[1:]:
        if v.dtype.base_dtype != values[0].dtype.base_dtype:
            raise ValueError("Values must have elements all with the same dtype (%s vs %s)."
                             % (values[0].dtype.base_dtype, v.dtype.base_dtype))
    if len(boundaries) != len(values) - 1:
        raise ValueError("The length of boundaries should be 1 less than the length of values")
    with ops.name_scope(name or "PiecewiseConstant"):
        # TF selects the interval with tf.case over exclusive predicates; nested selects give
        # the same value for the strictly increasing boundaries TF requires.
        result = values[-1]
        for boundary, value in zip(reversed(boundaries), reversed(values[:-1])):
            result = math_ops.where(math_ops.less_equal(x_recomp, boundary), value, result)
        return array_ops.identity(result)


piecewise_constant_decay = piecewise_constant

__all__ = [
    "exponential_decay",
    "natural_exp_decay",
    "inverse_time_decay",
    "polynomial_decay",
    "cosine_decay",
    "cosine_decay_restarts",
    "linear_cosine_decay",
    "noisy_linear_cosine_decay",
    "piecewise_constant",
    "piecewise_constant_decay",
]
