"""``tf.keras.constraints``: projections applied to a weight after each optimizer update
(MaxNorm, NonNeg, UnitNorm, MinMaxNorm; Keras 2.2.4-tf formulas, norms over ``axis``)."""
from tfcompat.framework import dtypes
from tfcompat.ops import math_ops

_EPSILON = 1e-7


def _norms(w, axis):
    return math_ops.sqrt(math_ops.reduce_sum(math_ops.square(w), axis=axis, keep_dims=True))


class Constraint:
    """Base: the identity projection."""

    def __call__(self, w):
        return w

    def get_config(self):
        return {}


class MaxNorm(Constraint):
    """``MaxNorm(max_value=2, axis=0)``: rescales columns whose norm exceeds max_value."""

    def __init__(self, max_value=2, axis=0):
        self.max_value, self.axis = max_value, axis

    def __call__(self, w):
        norms = _norms(w, self.axis)
        desired = math_ops.minimum(math_ops.maximum(norms, 0.0), float(self.max_value))
        return w * (desired / (_EPSILON + norms))

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


class NonNeg(Constraint):
    """``NonNeg()``: negative entries set to zero."""

    def __call__(self, w):
        return w * math_ops.cast(math_ops.greater_equal(w, 0.0), dtypes.float32)


class UnitNorm(Constraint):
    """``UnitNorm(axis=0)``: columns rescaled to norm 1."""

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        return w / (_EPSILON + _norms(w, self.axis))

    def get_config(self):
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    """``MinMaxNorm(min_value=0.0, max_value=1.0, rate=1.0, axis=0)``: norms moved ``rate``
    of the way into [min_value, max_value]."""

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value, self.max_value, self.rate, self.axis = min_value, max_value, rate, axis

    def __call__(self, w):
        norms = _norms(w, self.axis)
        clipped = math_ops.minimum(math_ops.maximum(norms, float(self.min_value)),
                                   float(self.max_value))
        desired = self.rate * clipped + (1 - self.rate) * norms
        return w * (desired / (_EPSILON + norms))

    def get_config(self):
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate,
                "axis": self.axis}


max_norm, non_neg, unit_norm, min_max_norm = MaxNorm, NonNeg, UnitNorm, MinMaxNorm
maxnorm, nonneg, unitnorm = MaxNorm, NonNeg, UnitNorm

_BY_NAME = {"max_norm": MaxNorm, "maxnorm": MaxNorm, "MaxNorm": MaxNorm,
            "non_neg": NonNeg, "nonneg": NonNeg, "NonNeg": NonNeg,
            "unit_norm": UnitNorm, "unitnorm": UnitNorm, "UnitNorm": UnitNorm,
            "min_max_norm": MinMaxNorm, "MinMaxNorm": MinMaxNorm}


def get(identifier):
    """None, a callable, or a constraint name."""
    if identifier is None or callable(identifier):
        return identifier
    if isinstance(identifier, str) and identifier in _BY_NAME:
        return _BY_NAME[identifier]()
    raise ValueError(f"Could not interpret constraint identifier: {identifier}")


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.keras.constraints' has no attribute '{name}': "
                         f"tfcompat does not implement tf.keras.constraints.{name} yet")
