"""The ``tf.distributions.Distribution`` base class and the KL-divergence registry.

As TF 1.x's: a distribution holds parameter tensors made under its own name scope; each
method opens ``<name>/<method>/`` and returns tensors of shape ``sample_shape + batch_shape
+ event_shape`` (samples) or ``batch_shape`` (densities, moments). ``allow_nan_stats``
decides whether undefined statistics are NaN or raise at run time.
"""
import numpy as np

import tfcompat as tf


class ReparameterizationType:
    """Whether samples are differentiable functions of the parameters."""

    def __init__(self, rep_type):
        self._rep_type = rep_type

    def __repr__(self):
        return f"<Reparameteriation Type: {self._rep_type}>"

    def __eq__(self, other):
        return self is other

    __hash__ = object.__hash__


FULLY_REPARAMETERIZED = ReparameterizationType("FULLY_REPARAMETERIZED")
NOT_REPARAMETERIZED = ReparameterizationType("NOT_REPARAMETERIZED")


class Distribution:
    """Base class: subclasses set parameters in ``__init__`` and implement the ``_``
    methods they support; the rest raise NotImplementedError naming the method."""

    def __init__(self, dtype, reparameterization_type, validate_args, allow_nan_stats,
                 parameters=None, graph_parents=None, name=None):
        self._dtype = dtype
        self._reparameterization_type = reparameterization_type
        self._validate_args = validate_args
        self._allow_nan_stats = allow_nan_stats
        self._parameters = dict(parameters or {})
        self._parameters.pop("self", None)
        self._graph_parents = list(graph_parents or [])
        self._name = name

    name = property(lambda self: self._name)
    dtype = property(lambda self: self._dtype)
    parameters = property(lambda self: dict(self._parameters))
    reparameterization_type = property(lambda self: self._reparameterization_type)
    allow_nan_stats = property(lambda self: self._allow_nan_stats)
    validate_args = property(lambda self: self._validate_args)

    def copy(self, **override_parameters_kwargs):
        """A new distribution of this class with some parameters replaced."""
        parameters = dict(self._parameters, **override_parameters_kwargs)
        return type(self)(**parameters)

    def _scope(self, method, values=()):
        return _Scopes(self._name, method, values)

    # ---- shapes ----
    @property
    def batch_shape(self):
        return self._batch_shape()

    @property
    def event_shape(self):
        return self._event_shape()

    def batch_shape_tensor(self, name="batch_shape_tensor"):
        with self._scope(name):
            return self._batch_shape_tensor()

    def event_shape_tensor(self, name="event_shape_tensor"):
        with self._scope(name):
            return self._event_shape_tensor()

    def _event_shape(self):
        return tf.TensorShape([])

    def _event_shape_tensor(self):
        return tf.constant([], dtype=tf.int32)

    def is_scalar_batch(self, name="is_scalar_batch"):
        with self._scope(name):
            return tf.equal(tf.size(self.batch_shape_tensor()), 0)

    def is_scalar_event(self, name="is_scalar_event"):
        with self._scope(name):
            return tf.equal(tf.size(self.event_shape_tensor()), 0)

    # ---- sampling ----
    def sample(self, sample_shape=(), seed=None, name="sample"):
        """Samples of shape ``sample_shape + batch_shape + event_shape``."""
        with self._scope(name, [sample_shape]):
            sample_shape = tf.convert_to_tensor(sample_shape, dtype=tf.int32,
                                                name="sample_shape")
            flat_shape = tf.reshape(sample_shape, [-1])
            count = tf.reduce_prod(flat_shape)
            samples = self._sample_n(count, seed)
            rest = tf.shape(samples)[1:]
            result = tf.reshape(samples, tf.concat([flat_shape, rest], 0))
            known = _known_values(sample_shape)
            if known is not None:
                result.set_shape(tf.TensorShape(known).concatenate(samples.shape[1:]))
            return result

    # ---- the methods every distribution may offer ----
    def _method(self, method, value=None, name=None):
        implementation = getattr(self, f"_{method}", None)
        if implementation is None:
            raise NotImplementedError(f"{method} is not implemented: {type(self).__name__}")
        with self._scope(name or method, [] if value is None else [value]):
            if value is None:
                return implementation()
            return implementation(tf.convert_to_tensor(value, name="value",
                                                       dtype=self._value_dtype()))

    def _value_dtype(self):
        return self._dtype

    def log_prob(self, value, name="log_prob"):
        if getattr(self, "_log_prob", None) is None and hasattr(self, "_prob"):
            return tf.log(self.prob(value, name))
        return self._method("log_prob", value, name)

    def prob(self, value, name="prob"):
        if getattr(self, "_prob", None) is None:
            with self._scope(name, [value]):
                return tf.exp(self._log_prob(tf.convert_to_tensor(
                    value, name="value", dtype=self._value_dtype())))
        return self._method("prob", value, name)

    def cdf(self, value, name="cdf"):
        return self._method("cdf", value, name)

    def log_cdf(self, value, name="log_cdf"):
        if getattr(self, "_log_cdf", None) is None:
            return tf.log(self.cdf(value, name))
        return self._method("log_cdf", value, name)

    def survival_function(self, value, name="survival_function"):
        return 1.0 - self.cdf(value, name)

    def log_survival_function(self, value, name="log_survival_function"):
        return tf.log1p(-self.cdf(value, name))

    def quantile(self, value, name="quantile"):
        return self._method("quantile", value, name)

    def entropy(self, name="entropy"):
        return self._method("entropy", name=name)

    def mean(self, name="mean"):
        return self._method("mean", name=name)

    def mode(self, name="mode"):
        return self._method("mode", name=name)

    def variance(self, name="variance"):
        if getattr(self, "_variance", None) is None:
            return tf.square(self.stddev(name))
        return self._method("variance", name=name)

    def stddev(self, name="stddev"):
        if getattr(self, "_stddev", None) is None:
            return tf.sqrt(self.variance(name))
        return self._method("stddev", name=name)

    def covariance(self, name="covariance"):
        return self._method("covariance", name=name)

    def cross_entropy(self, other, name="cross_entropy"):
        """H[self, other] = H[self] + KL[self || other]."""
        with self._scope(name):
            return self.entropy() + kl_divergence(self, other)

    def kl_divergence(self, other, name="kl_divergence"):
        return kl_divergence(self, other, name=name)

    def _nan_where(self, undefined, value, message):
        """``value`` with NaN where ``undefined`` (allow_nan_stats) or a run-time check."""
        if self._allow_nan_stats:
            nan = tf.zeros_like(value) + np.array(np.nan, value.dtype.as_numpy_dtype)
            return tf.where(tf.broadcast_to(undefined, tf.shape(value)), nan, value)
        check = tf.Assert(tf.logical_not(tf.reduce_any(undefined)), [message])
        with tf.control_dependencies([check]):
            return tf.identity(value)

    def __repr__(self):
        return (f"<tf.distributions.{type(self).__name__} '{self._name}' "
                f"batch_shape={self.batch_shape} event_shape={self.event_shape} "
                f"dtype={self._dtype.name}>")


class _Scopes:
    """``<distribution name>/<method>/`` as TF's _name_scope."""

    def __init__(self, owner, method, values):
        self._outer = tf.name_scope(owner)
        self._inner = tf.name_scope(method, values=list(values) or None)

    def __enter__(self):
        self._outer.__enter__()
        return self._inner.__enter__()

    def __exit__(self, *exc):
        self._inner.__exit__(*exc)
        return self._outer.__exit__(*exc)


def _known_values(tensor):
    from tfcompat.framework.op_def import constant_value
    value = constant_value(tensor)
    return None if value is None else [int(v) for v in np.reshape(value, [-1])]


# ---- KL divergence -------------------------------------------------------------------------
_DIVERGENCES = {}


class RegisterKL:
    """``@tf.distributions.RegisterKL(A, B)``: registers ``f(a, b, name=None)`` as
    KL(a || b) for distributions of classes A and B (and their subclasses)."""

    def __init__(self, dist_cls_a, dist_cls_b):
        self._key = (dist_cls_a, dist_cls_b)

    def __call__(self, function):
        if self._key in _DIVERGENCES:
            raise ValueError(f"KL({self._key[0].__name__} || {self._key[1].__name__}) has "
                             "already been registered to: " + str(_DIVERGENCES[self._key]))
        _DIVERGENCES[self._key] = function
        return function


def kl_divergence(distribution_a, distribution_b, allow_nan_stats=True, name=None):
    """``tf.distributions.kl_divergence(a, b)``: the registered KL(a || b), searching the
    classes' MROs as TF does; NaN entries fail the run unless ``allow_nan_stats``."""
    for class_a in type(distribution_a).__mro__:
        for class_b in type(distribution_b).__mro__:
            function = _DIVERGENCES.get((class_a, class_b))
            if function is not None:
                with tf.name_scope("KullbackLeibler"):
                    divergence = function(distribution_a, distribution_b, name=name)
                    if allow_nan_stats:
                        return tf.identity(divergence, name=name)
                    check = tf.Assert(tf.logical_not(tf.reduce_any(tf.is_nan(divergence))),
                                      [f"KL calculation between {distribution_a.name} and "
                                       f"{distribution_b.name} returned NaN values (and was "
                                       "called with allow_nan_stats=False). Values:",
                                       divergence])
                    with tf.control_dependencies([check]):
                        return tf.identity(divergence, name=name)
    raise NotImplementedError(f"No KL(distribution_a || distribution_b) registered for "
                              f"distribution_a type {type(distribution_a).__name__} and "
                              f"distribution_b type {type(distribution_b).__name__}")
