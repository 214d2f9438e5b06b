"""Continuous distributions of ``tf.distributions``: Normal, Uniform, Laplace, StudentT,
Gamma, Exponential, Beta, Dirichlet — TF 1.x's parameterisations, formulas and samplers
(location-scale transforms of standard draws, Gamma draws for Beta and Dirichlet)."""
import math

import numpy as np

import tfcompat as tf
from tfcompat.distributions.distribution import (FULLY_REPARAMETERIZED, NOT_REPARAMETERIZED,
                                                 Distribution, RegisterKL)

_HALF_LOG_TWO_PI = 0.5 * math.log(2 * math.pi)


def _parameters(names, values, dtype=None):
    """The parameters as tensors of one float dtype, named as TF names them."""
    tensors = [tf.convert_to_tensor(v, name=n, dtype=dtype) for n, v in zip(names, values)]
    dtype = tensors[0].dtype.base_dtype
    for tensor in tensors[1:]:
        if tensor.dtype.base_dtype != dtype:
            raise TypeError(f"{tensor.name} has dtype {tensor.dtype.base_dtype.name}, "
                            f"expected {dtype.name}")
    return tensors


def _positive(values, validate_args):
    """Identity of the parameters, with run-time positivity checks when validating."""
    if not validate_args:
        return values
    checks = [tf.assert_positive(v) for v in values]
    with tf.control_dependencies(checks):
        return [tf.identity(v) for v in values]


class _Broadcast(Distribution):
    """A distribution with scalar events whose batch shape broadcasts its parameters."""

    _parameter_names = ()

    def _parameter_tensors(self):
        return [getattr(self, f"_{n}") for n in self._parameter_names]

    def _batch_shape(self):
        shape = tf.TensorShape([])
        for tensor in self._parameter_tensors():
            shape = _broadcast_static(shape, tensor.shape)
        return shape

    def _batch_shape_tensor(self):
        shape = tf.constant([], dtype=tf.int32)
        for tensor in self._parameter_tensors():
            shape = tf.broadcast_dynamic_shape(shape, tf.shape(tensor))
        return shape

    def _standard_shape(self, n):
        return tf.concat([[n], self.batch_shape_tensor()], 0)

    def _ones(self):
        ones = tf.ones([], self._dtype)
        for tensor in self._parameter_tensors():
            ones = ones * tf.ones_like(tensor)
        return ones


def _broadcast_static(a, b):
    if a.ndims is None or b.ndims is None:
        return tf.TensorShape(None)
    dims_a, dims_b = a.as_list()[::-1], b.as_list()[::-1]
    out = []
    for i in range(max(len(dims_a), len(dims_b))):
        x = dims_a[i] if i < len(dims_a) else 1
        y = dims_b[i] if i < len(dims_b) else 1
        if x == 1:
            out.append(y)
        elif y == 1 or y == x or y is None:
            out.append(x if y is not None or x is not None else None)
        elif x is None:
            out.append(y)
        else:
            raise ValueError(f"Incompatible shapes for broadcasting: {a} and {b}")
    return tf.TensorShape(out[::-1])


class _LocationScale(_Broadcast):
    """A reparameterised distribution of ``loc`` and a positive ``scale`` (Normal,
    Laplace), whose mean and mode are ``loc``."""

    _parameter_names = ("loc", "scale")

    def __init__(self, loc, scale, validate_args=False, allow_nan_stats=True, name=None):
        parameters = dict(locals())
        parameters.pop("__class__", None)
        with tf.name_scope(name or type(self).__name__, values=[loc, scale]) as scope:
            self._loc, self._scale = _parameters(("loc", "scale"), (loc, scale))
            self._scale, = _positive([self._scale], validate_args)
        super().__init__(self._loc.dtype.base_dtype, FULLY_REPARAMETERIZED, validate_args,
                         allow_nan_stats, parameters, [self._loc, self._scale], scope)

    loc = property(lambda self: self._loc)
    scale = property(lambda self: self._scale)

    def _mean(self):
        return self._loc * self._ones()

    def _mode(self):
        return self._loc * self._ones()


class Normal(_LocationScale):
    """``tf.distributions.Normal(loc, scale, validate_args=False, allow_nan_stats=True,
    name='Normal')``."""

    def _sample_n(self, n, seed):
        draws = tf.random_normal(self._standard_shape(n), dtype=self._dtype, seed=seed)
        return draws * self._scale + self._loc

    def _z(self, x):
        return (x - self._loc) / self._scale

    def _log_prob(self, x):
        return -0.5 * tf.square(self._z(x)) - tf.log(self._scale) - _HALF_LOG_TWO_PI

    def _cdf(self, x):
        return 0.5 * tf.erfc(-self._z(x) / math.sqrt(2.0))

    def _entropy(self):
        return (0.5 + _HALF_LOG_TWO_PI) + tf.log(self._scale) * self._ones()

    def _stddev(self):
        return self._scale * self._ones()


class Uniform(_Broadcast):
    """``tf.distributions.Uniform(low=0., high=1.)``: density 1/(high-low) on [low, high)."""

    _parameter_names = ("low", "high")

    def __init__(self, low=0.0, high=1.0, validate_args=False, allow_nan_stats=True,
                 name="Uniform"):
        parameters = dict(locals())
        with tf.name_scope(name, values=[low, high]) as scope:
            self._low, self._high = _parameters(("low", "high"), (low, high))
            if validate_args:
                check = tf.assert_less(self._low, self._high,
                                       message="uniform not defined when low >= high.")
                with tf.control_dependencies([check]):
                    self._low, self._high = tf.identity(self._low), tf.identity(self._high)
        super().__init__(self._low.dtype.base_dtype, FULLY_REPARAMETERIZED, validate_args,
                         allow_nan_stats, parameters, [self._low, self._high],
                         scope)

    low = property(lambda self: self._low)
    high = property(lambda self: self._high)

    def range(self, name="range"):
        with self._scope(name):
            return self._high - self._low

    def _sample_n(self, n, seed):
        draws = tf.random_uniform(self._standard_shape(n), dtype=self._dtype, seed=seed)
        return self._low + (self._high - self._low) * draws

    def _prob(self, x):
        inside = tf.logical_and(x >= self._low, x < self._high)
        density = tf.ones_like(x) / (self._high - self._low)
        return tf.where(inside, density, tf.zeros_like(density))

    _log_prob = None

    def _cdf(self, x):
        return tf.clip_by_value((x - self._low) / (self._high - self._low), 0.0, 1.0)

    def _entropy(self):
        return tf.log(self._high - self._low)

    def _mean(self):
        return (self._low + self._high) / 2.0

    def _variance(self):
        return tf.square(self._high - self._low) / 12.0

    _stddev = None


class Laplace(_LocationScale):
    """``tf.distributions.Laplace(loc, scale, ...)``: density exp(-|x-loc|/scale) /
    (2 scale)."""

    def _sample_n(self, n, seed):
        low = np.nextafter(self._dtype.as_numpy_dtype(-1.0), self._dtype.as_numpy_dtype(0.0))
        u = tf.random_uniform(self._standard_shape(n), minval=low, maxval=1.0,
                              dtype=self._dtype, seed=seed)
        return self._loc - self._scale * tf.sign(u) * tf.log1p(-tf.abs(u))

    def _log_prob(self, x):
        return -math.log(2.0) - tf.log(self._scale) - tf.abs(x - self._loc) / self._scale

    def _cdf(self, x):
        z = (x - self._loc) / self._scale
        return 0.5 - 0.5 * tf.sign(z) * tf.expm1(-tf.abs(z))

    def _entropy(self):
        return (math.log(2.0) + 1.0) + tf.log(self._scale) * self._ones()

    def _stddev(self):
        return math.sqrt(2.0) * self._scale * self._ones()


class StudentT(_Broadcast):
    """``tf.distributions.StudentT(df, loc, scale)``."""

    _parameter_names = ("df", "loc", "scale")

    def __init__(self, df, loc, scale, validate_args=False, allow_nan_stats=True,
                 name="StudentT"):
        parameters = dict(locals())
        with tf.name_scope(name, values=[df, loc, scale]) as scope:
            self._df, self._loc, self._scale = _parameters(("df", "loc", "scale"),
                                                           (df, loc, scale))
            self._df, = _positive([self._df], validate_args)
        super().__init__(self._df.dtype.base_dtype, NOT_REPARAMETERIZED, validate_args,
                         allow_nan_stats, parameters, [self._df, self._loc, self._scale],
                         scope)

    df = property(lambda self: self._df)
    loc = property(lambda self: self._loc)
    scale = property(lambda self: self._scale)

    def _sample_n(self, n, seed):
        shape = self._standard_shape(n)
        normal = tf.random_normal(shape, dtype=self._dtype, seed=seed)
        df = self._df * self._ones()
        gamma = tf.random_gamma([n], 0.5 * df, beta=0.5, dtype=self._dtype, seed=seed)
        return self._loc + self._scale * normal * tf.rsqrt(gamma / df)

    def _log_prob(self, x):
        y = (x - self._loc) / self._scale
        half_df = 0.5 * self._df
        return (-0.5 * (self._df + 1.0) * tf.log1p(tf.square(y) / self._df)
                - 0.5 * tf.log(self._df) - 0.5 * math.log(math.pi) - tf.log(tf.abs(self._scale))
                + tf.lgamma(half_df + 0.5) - tf.lgamma(half_df))

    def _cdf(self, x):
        y = (x - self._loc) / tf.abs(self._scale)
        below = 0.5 * tf.betainc(0.5 * self._df * tf.ones_like(y), 0.5 * tf.ones_like(y),
                                 self._df / (tf.square(y) + self._df))
        return tf.where(y < 0.0, below, 1.0 - below)

    def _entropy(self):
        half_df = 0.5 * self._df * self._ones()
        return ((half_df + 0.5) * (tf.digamma(half_df + 0.5) - tf.digamma(half_df))
                + 0.5 * tf.log(self._df) + tf.lbeta(tf.stack([half_df, 0.5 * tf.ones_like(
                    half_df)], axis=-1)) + tf.log(tf.abs(self._scale)))

    def _mean(self):
        mean = self._loc * self._ones()
        return self._nan_where(self._df <= 1.0, mean,
                               "mean not defined for components of df <= 1")

    def _mode(self):
        return self._loc * self._ones()

    def _variance(self):
        df = self._df * self._ones()
        variance = tf.square(self._scale) * df / (df - 2.0)
        infinite = tf.zeros_like(df) + np.array(np.inf, self._dtype.as_numpy_dtype)
        variance = tf.where(df > 2.0, variance, infinite)
        return self._nan_where(df <= 1.0, variance,
                               "variance not defined for components of df <= 1")

    _stddev = None


class Gamma(_Broadcast):
    """``tf.distributions.Gamma(concentration, rate)``."""

    _parameter_names = ("concentration", "rate")

    def __init__(self, concentration, rate, validate_args=False, allow_nan_stats=True,
                 name="Gamma"):
        parameters = dict(locals())
        with tf.name_scope(name, values=[concentration, rate]) as scope:
            self._concentration, self._rate = _parameters(("concentration", "rate"),
                                                          (concentration, rate))
            self._concentration, self._rate = _positive([self._concentration, self._rate],
                                                        validate_args)
        super().__init__(self._concentration.dtype.base_dtype, NOT_REPARAMETERIZED,
                         validate_args, allow_nan_stats, parameters,
                         [self._concentration, self._rate], scope)

    concentration = property(lambda self: self._concentration)
    rate = property(lambda self: self._rate)

    def _sample_n(self, n, seed):
        return tf.random_gamma([n], self._concentration * self._ones(), beta=self._rate,
                               dtype=self._dtype, seed=seed)

    def _log_prob(self, x):
        a, b = self._concentration, self._rate
        return tf.math.xlogy(a - 1.0, x) - b * x + a * tf.log(b) - tf.lgamma(a)

    def _cdf(self, x):
        return tf.igamma(self._concentration * self._ones(), self._rate * x)

    def _entropy(self):
        a = self._concentration
        return (a - tf.log(self._rate) + tf.lgamma(a) + (1.0 - a) * tf.digamma(a))

    def _mean(self):
        return self._concentration / self._rate

    def _variance(self):
        return self._concentration / tf.square(self._rate)

    _stddev = None

    def _mode(self):
        mode = (self._concentration - 1.0) / self._rate
        return self._nan_where(self._concentration <= 1.0, mode,
                               "mode not defined when any concentration <= 1")


class Exponential(Gamma):
    """``tf.distributions.Exponential(rate)``: Gamma with concentration 1."""

    def __init__(self, rate, validate_args=False, allow_nan_stats=True, name="Exponential"):
        parameters = dict(locals())
        with tf.name_scope(name, values=[rate]) as scope:
            rate = tf.convert_to_tensor(rate, name="rate")
        super().__init__(tf.ones_like(rate), rate, validate_args, allow_nan_stats,
                         name=scope)
        self._parameters = {k: v for k, v in parameters.items() if k != "self"}

    def _sample_n(self, n, seed):
        tiny = np.finfo(self._dtype.as_numpy_dtype).tiny
        u = tf.random_uniform(self._standard_shape(n), minval=tiny, maxval=1.0,
                              dtype=self._dtype, seed=seed)
        return -tf.log(u) / self._rate

    def _cdf(self, x):
        return -tf.expm1(-self._rate * x)

    def _log_prob(self, x):
        return tf.log(self._rate) - self._rate * x


class Beta(_Broadcast):
    """``tf.distributions.Beta(concentration1, concentration0)`` on (0, 1)."""

    _parameter_names = ("concentration1", "concentration0")

    def __init__(self, concentration1=None, concentration0=None, validate_args=False,
                 allow_nan_stats=True, name="Beta"):
        parameters = dict(locals())
        with tf.name_scope(name, values=[concentration1, concentration0]) as scope:
            self._concentration1, self._concentration0 = _positive(_parameters(
                ("concentration1", "concentration0"), (concentration1, concentration0)),
                validate_args)
            self._total_concentration = self._concentration1 + self._concentration0
        super().__init__(self._concentration1.dtype.base_dtype, NOT_REPARAMETERIZED,
                         validate_args, allow_nan_stats, parameters,
                         [self._concentration1, self._concentration0], scope)

    concentration1 = property(lambda self: self._concentration1)
    concentration0 = property(lambda self: self._concentration0)
    total_concentration = property(lambda self: self._total_concentration)

    def _sample_n(self, n, seed):
        ones = self._ones()
        first = tf.random_gamma([n], self._concentration1 * ones, dtype=self._dtype, seed=seed)
        second = tf.random_gamma([n], self._concentration0 * ones, dtype=self._dtype,
                                 seed=None if seed is None else seed + 1)
        return first / (first + second)

    def _log_normalization(self):
        return (tf.lgamma(self._concentration1) + tf.lgamma(self._concentration0)
                - tf.lgamma(self._total_concentration))

    def _log_prob(self, x):
        return (tf.math.xlogy(self._concentration1 - 1.0, x)
                + (self._concentration0 - 1.0) * tf.log1p(-x) - self._log_normalization())

    def _cdf(self, x):
        ones = self._ones()
        return tf.betainc(self._concentration1 * ones, self._concentration0 * ones, x * ones)

    def _entropy(self):
        return (self._log_normalization()
                - (self._concentration1 - 1.0) * tf.digamma(self._concentration1)
                - (self._concentration0 - 1.0) * tf.digamma(self._concentration0)
                + (self._total_concentration - 2.0) * tf.digamma(self._total_concentration))

    def _mean(self):
        return self._concentration1 / self._total_concentration

    def _variance(self):
        total = self._total_concentration
        return self._mean() * (1.0 - self._mean()) / (1.0 + total)

    _stddev = None

    def _mode(self):
        mode = (self._concentration1 - 1.0) / (self._total_concentration - 2.0)
        undefined = tf.logical_or(self._concentration1 <= 1.0, self._concentration0 <= 1.0)
        return self._nan_where(undefined, mode, "Mode undefined for concentration1 <= 1.")


class Dirichlet(Distribution):
    """``tf.distributions.Dirichlet(concentration)``: events are probability vectors
    (the last dimension of ``concentration``)."""

    def __init__(self, concentration, validate_args=False, allow_nan_stats=True,
                 name="Dirichlet"):
        parameters = dict(locals())
        with tf.name_scope(name, values=[concentration]) as scope:
            self._concentration, = _positive([tf.convert_to_tensor(
                concentration, name="concentration")], validate_args)
            self._total_concentration = tf.reduce_sum(self._concentration, -1)
        super().__init__(self._concentration.dtype.base_dtype, NOT_REPARAMETERIZED,
                         validate_args, allow_nan_stats, parameters, [self._concentration],
                         scope)

    concentration = property(lambda self: self._concentration)
    total_concentration = property(lambda self: self._total_concentration)

    def _batch_shape(self):
        return self._concentration.shape[:-1]

    def _batch_shape_tensor(self):
        return tf.shape(self._concentration)[:-1]

    def _event_shape(self):
        return self._concentration.shape[-1:]

    def _event_shape_tensor(self):
        return tf.shape(self._concentration)[-1:]

    def _sample_n(self, n, seed):
        gamma = tf.random_gamma([n], self._concentration, dtype=self._dtype, seed=seed)
        return gamma / tf.reduce_sum(gamma, -1, keepdims=True)

    def _log_normalization(self):
        return tf.lbeta(self._concentration)

    def _log_prob(self, x):
        return tf.reduce_sum(tf.math.xlogy(self._concentration - 1.0, x), -1) - \
            self._log_normalization()

    def _entropy(self):
        k = tf.cast(tf.shape(self._concentration)[-1], self._dtype)
        total = self._total_concentration
        return (self._log_normalization() + (total - k) * tf.digamma(total)
                - tf.reduce_sum((self._concentration - 1.0) * tf.digamma(self._concentration),
                                -1))

    def _mean(self):
        return self._concentration / self._total_concentration[..., None]

    def _variance(self):
        total = self._total_concentration[..., None]
        mean = self._mean()
        return mean * (1.0 - mean) / (total + 1.0)

    _stddev = None


@RegisterKL(Normal, Normal)
def _kl_normal_normal(a, b, name=None):
    ratio = tf.square(a.scale / b.scale)
    return (0.5 * tf.square((a.loc - b.loc) / b.scale)
            + 0.5 * (ratio - 1.0 - tf.log(ratio)))


@RegisterKL(Gamma, Gamma)
def _kl_gamma_gamma(a, b, name=None):
    return ((a.concentration - b.concentration) * tf.digamma(a.concentration)
            + tf.lgamma(b.concentration) - tf.lgamma(a.concentration)
            + b.concentration * (tf.log(a.rate) - tf.log(b.rate))
            + a.concentration * (b.rate / a.rate - 1.0))


@RegisterKL(Beta, Beta)
def _kl_beta_beta(a, b, name=None):
    return (b._log_normalization() - a._log_normalization()
            - tf.digamma(a.concentration1) * (b.concentration1 - a.concentration1)
            - tf.digamma(a.concentration0) * (b.concentration0 - a.concentration0)
            + tf.digamma(a.total_concentration) * (b.total_concentration
                                                   - a.total_concentration))


@RegisterKL(Dirichlet, Dirichlet)
def _kl_dirichlet_dirichlet(a, b, name=None):
    digamma_diff = tf.digamma(a.concentration) - tf.digamma(a.total_concentration)[..., None]
    return (tf.reduce_sum((a.concentration - b.concentration) * digamma_diff, -1)
            - tf.lbeta(a.concentration) + tf.lbeta(b.concentration))
