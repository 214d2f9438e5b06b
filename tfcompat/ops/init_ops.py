"""Initializers (TF 1.x ``init_ops``): callables ``init(shape, dtype=None, partition_info=None)``
that build the ops producing a variable's initial value.

``VarianceScaling`` follows TF 1.x exactly: n = fan_in, fan_out or their average; the
"truncated_normal" (alias "normal") draw uses stddev = sqrt(scale / n) / 0.87962566103423978
(the stddev of a unit normal truncated at ±2), "untruncated_normal" sqrt(scale / n), and
"uniform" the range ±sqrt(3·scale / n).

Also ``Orthogonal`` (QR of a normal draw, signs fixed by R's diagonal, as TF), ``Identity``,
``UniformUnitScaling`` and the Keras-style factories ``he_normal``/``he_uniform``/
``lecun_normal``/``lecun_uniform`` (VarianceScaling with scale 2 or 1, mode "fan_in").
"""
import math

import numpy as np

from tfcompat.framework import dtypes, tensor_shape
from tfcompat.framework.op_def import OpDef, make_op, register_op
from tfcompat.framework import op_def as _op_def
from tfcompat.ops import array_ops, math_ops, random_ops
from tfcompat.ops import linalg_ops  # imported first: its ops register before the Qr check


def _float_dtype(dtype, initializer):
    dtype = dtypes.as_dtype(dtype)
    if not dtype.is_floating:
        raise TypeError(f"Cannot create initializer for non-floating point type: {dtype.name} "
                        f"({type(initializer).__name__})")
    return dtype


class Initializer:
    """Base class (``tf.keras.initializers.Initializer``)."""

    def __call__(self, shape, dtype=None, partition_info=None):
        raise NotImplementedError(f"{type(self).__name__} must implement __call__")

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class Zeros(Initializer):
    def __init__(self, dtype=dtypes.float32):
        self.dtype = dtypes.as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        return array_ops.zeros(shape, dtype or self.dtype)

    def get_config(self):
        return {"dtype": self.dtype.name}


class Ones(Zeros):
    def __call__(self, shape, dtype=None, partition_info=None):
        return array_ops.ones(shape, dtype or self.dtype)


class Constant(Initializer):
    """Fills with ``value`` (a scalar, or a list/array reshaped to the variable's shape)."""

    def __init__(self, value=0, dtype=dtypes.float32, verify_shape=False):
        self.value = value
        self.dtype = dtypes.as_dtype(dtype)
        self._verify_shape = verify_shape

    def __call__(self, shape, dtype=None, partition_info=None, verify_shape=None):
        return array_ops.constant(self.value, dtype=dtype or self.dtype, shape=shape,
                                  verify_shape=self._verify_shape if verify_shape is None
                                  else verify_shape)

    def get_config(self):
        return {"value": self.value, "dtype": self.dtype.name}


class RandomUniform(Initializer):
    def __init__(self, minval=0, maxval=None, seed=None, dtype=dtypes.float32):
        self.minval, self.maxval, self.seed = minval, maxval, seed
        self.dtype = dtypes.as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        return random_ops.random_uniform(shape, self.minval, self.maxval, dtype or self.dtype,
                                         seed=self.seed)

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed,
                "dtype": self.dtype.name}


class RandomNormal(Initializer):
    _draw = staticmethod(random_ops.random_normal)

    def __init__(self, mean=0.0, stddev=1.0, seed=None, dtype=dtypes.float32):
        self.mean, self.stddev, self.seed = mean, stddev, seed
        self.dtype = dtypes.as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        dtype = _float_dtype(dtype or self.dtype, self)
        return self._draw(shape, self.mean, self.stddev, dtype, seed=self.seed)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed,
                "dtype": self.dtype.name}


class TruncatedNormal(RandomNormal):
    _draw = staticmethod(random_ops.truncated_normal)


def _compute_fans(shape):
    """(fan_in, fan_out) as TF: dense [in, out]; conv [..., in, out] times the receptive field."""
    shape = [int(d) for d in shape]
    if len(shape) < 1:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = int(np.prod(shape[:-2]))
    return shape[-2] * receptive, shape[-1] * receptive


def _scale_shape(shape, partition_info):
    """The shape whose fans scale an initializer: the whole variable's for a part of a
    partitioned variable (TF 1.x scales each part like the whole)."""
    return shape if partition_info is None else partition_info.full_shape


# stddev of a standard normal truncated to [-2, 2]
_TRUNCATED_NORMAL_STDDEV = 0.87962566103423978


class VarianceScaling(Initializer):
    """``tf.variance_scaling_initializer(scale=1.0, mode="fan_in",
    distribution="truncated_normal", seed=None, dtype=tf.float32)``."""

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None,
                 dtype=dtypes.float32):
        if scale <= 0.0:
            raise ValueError("`scale` must be positive float.")
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(f"Invalid `mode` argument: {mode}")
        distribution = distribution.lower()
        if distribution not in ("normal", "uniform", "truncated_normal", "untruncated_normal"):
            raise ValueError(f"Invalid `distribution` argument: {distribution}")
        self.scale, self.mode, self.distribution, self.seed = scale, mode, distribution, seed
        self.dtype = _float_dtype(dtype, self)

    def __call__(self, shape, dtype=None, partition_info=None):
        dtype = _float_dtype(dtype or self.dtype, self)
        fan_in, fan_out = _compute_fans(_scale_shape(shape, partition_info))
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        scale = self.scale / max(1.0, n)
        if self.distribution in ("normal", "truncated_normal"):
            stddev = math.sqrt(scale) / _TRUNCATED_NORMAL_STDDEV
            return random_ops.truncated_normal(shape, 0.0, stddev, dtype, seed=self.seed)
        if self.distribution == "untruncated_normal":
            return random_ops.random_normal(shape, 0.0, math.sqrt(scale), dtype, seed=self.seed)
        limit = math.sqrt(3.0 * scale)
        return random_ops.random_uniform(shape, -limit, limit, dtype, seed=self.seed)

    def get_config(self):
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution,
                "seed": self.seed, "dtype": self.dtype.name}


class GlorotUniform(VarianceScaling):
    """Xavier/Glorot uniform: VarianceScaling(1.0, "fan_avg", "uniform")."""

    def __init__(self, seed=None, dtype=dtypes.float32):
        super().__init__(1.0, "fan_avg", "uniform", seed, dtype)

    def get_config(self):
        return {"seed": self.seed, "dtype": self.dtype.name}


class GlorotNormal(VarianceScaling):
    """Xavier/Glorot normal: VarianceScaling(1.0, "fan_avg", "truncated_normal")."""

    def __init__(self, seed=None, dtype=dtypes.float32):
        super().__init__(1.0, "fan_avg", "truncated_normal", seed, dtype)

    def get_config(self):
        return {"seed": self.seed, "dtype": self.dtype.name}


def lecun_normal(seed=None):
    """``tf.initializers.lecun_normal``: VarianceScaling(1.0, "fan_in", "truncated_normal")."""
    return VarianceScaling(1.0, "fan_in", "truncated_normal", seed)


def lecun_uniform(seed=None):
    """``tf.initializers.lecun_uniform``: VarianceScaling(1.0, "fan_in", "uniform")."""
    return VarianceScaling(1.0, "fan_in", "uniform", seed)


def he_normal(seed=None):
    """``tf.initializers.he_normal``: VarianceScaling(2.0, "fan_in", "truncated_normal")."""
    return VarianceScaling(2.0, "fan_in", "truncated_normal", seed)


def he_uniform(seed=None):
    """``tf.initializers.he_uniform``: VarianceScaling(2.0, "fan_in", "uniform")."""
    return VarianceScaling(2.0, "fan_in", "uniform", seed)


class UniformUnitScaling(Initializer):
    """``tf.uniform_unit_scaling_initializer(factor=1.0, seed=None, dtype=tf.float32)``
    (deprecated in TF 1.x): uniform in ±sqrt(3 / input_size)·factor, where input_size is the
    product of all dimensions but the last."""

    def __init__(self, factor=1.0, seed=None, dtype=dtypes.float32):
        self.factor, self.seed = factor, seed
        self.dtype = _float_dtype(dtype, self)

    def __call__(self, shape, dtype=None, partition_info=None):
        dtype = _float_dtype(dtype or self.dtype, self)
        input_size = 1.0
        for dim in list(_scale_shape(shape, partition_info))[:-1]:
            input_size *= float(dim)
        input_size = max(input_size, 1.0)
        limit = math.sqrt(3 / input_size) * self.factor
        return random_ops.random_uniform(shape, -limit, limit, dtype, seed=self.seed)

    def get_config(self):
        return {"factor": self.factor, "seed": self.seed, "dtype": self.dtype.name}


# ---- orthogonal: needs a QR decomposition ---------------------------------------------------
class _Qr(OpDef):
    """TF's ``Qr`` op (``tf.linalg.qr(input, full_matrices=False)``) for a (batch of) [M, N]
    matrices: Q [..., M, K] and R [..., K, N] with K = min(M, N) (all of M for
    full_matrices). Only the forward pass: the orthogonal initializer needs no gradient."""

    op_type = "Qr"
    differentiable = False

    def infer(self, op):
        x = op.inputs[0]
        dtype = x.dtype.base_dtype
        if dtype not in (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.complex64,
                         dtypes.complex128):
            raise TypeError(f"Value passed to parameter 'input' has DataType {dtype.name} not "
                            "in list of allowed values: float64, float32, half, complex64, "
                            "complex128")
        if x.shape.ndims is None:
            return [(tensor_shape.unknown_shape(), dtype)] * 2
        if x.shape.ndims < 2:
            raise ValueError(f"Shape must be at least rank 2 but is rank {x.shape.ndims} for "
                             f"'{op.name}' (op: 'Qr')")
        batch = x.shape.as_list()[:-2]
        rows, cols = x.shape.as_list()[-2:]
        if op.attrs["full_matrices"]:
            k_q = k_r = rows
        else:
            k_q = k_r = None if rows is None or cols is None else min(rows, cols)
        return [(tensor_shape.TensorShape(batch + [rows, k_q]), dtype),
                (tensor_shape.TensorShape(batch + [k_r, cols]), dtype)]

    def kernel(self, op, ctx):
        mode = "complete" if op.attrs["full_matrices"] else "reduced"

        def qr(x):
            q, r = np.linalg.qr(x, mode=mode)
            return q.astype(x.dtype, copy=False), r.astype(x.dtype, copy=False)
        return qr


if "Qr" not in _op_def.registered_op_types():
    register_op(_Qr)


def _qr(x, full_matrices=False, name=None):
    return make_op("Qr", [x], {"full_matrices": bool(full_matrices)}, name=name or "Qr").outputs


class Orthogonal(Initializer):
    """``tf.orthogonal_initializer(gain=1.0, seed=None, dtype=tf.float32)``: the shape is
    flattened to [prod(shape[:-1]), shape[-1]]; Q of the QR decomposition of a normal draw
    (of the transposed shape when it has fewer rows than columns), with column signs made
    positive on R's diagonal, times ``gain``."""

    def __init__(self, gain=1.0, seed=None, dtype=dtypes.float32):
        self.gain, self.seed = gain, seed
        self.dtype = _float_dtype(dtype, self)

    def __call__(self, shape, dtype=None, partition_info=None):
        dtype = _float_dtype(dtype or self.dtype, self)
        shape = [int(d) for d in shape]
        if len(shape) < 2:
            raise ValueError("The tensor to initialize must be at least two-dimensional")
        num_rows = int(np.prod(shape[:-1]))
        num_cols = shape[-1]
        flat_shape = (num_cols, num_rows) if num_rows < num_cols else (num_rows, num_cols)
        a = random_ops.random_normal(flat_shape, dtype=dtype, seed=self.seed)
        q, r = _qr(a, full_matrices=False)
        d = linalg_ops.matrix_diag_part(r)
        q *= math_ops.sign(d)
        if num_rows < num_cols:
            q = array_ops.matrix_transpose(q)
        return self.gain * array_ops.reshape(q, shape)

    def get_config(self):
        return {"gain": self.gain, "seed": self.seed, "dtype": self.dtype.name}


class Identity(Initializer):
    """``tf.initializers.identity(gain=1.0, dtype=tf.float32)``: ``gain`` times the identity
    matrix; 2-D shapes only."""

    def __init__(self, gain=1.0, dtype=dtypes.float32):
        self.gain = gain
        self.dtype = _float_dtype(dtype, self)

    def __call__(self, shape, dtype=None, partition_info=None):
        shape = list(shape.as_list() if isinstance(shape, tensor_shape.TensorShape) else shape)
        full_shape = list(_scale_shape(shape, partition_info))
        if len(full_shape) != 2:
            raise ValueError("Identity matrix initializer can only be used for 2D matrices.")
        dtype = _float_dtype(dtype or self.dtype, self)
        matrix = array_ops.eye(int(full_shape[0]), int(full_shape[1]), dtype=dtype)
        if partition_info is not None:  # a part of a partitioned variable: its slice
            matrix = array_ops.slice(matrix, partition_info.var_offset, shape)
        return self.gain * matrix

    def get_config(self):
        return {"gain": self.gain, "dtype": self.dtype.name}


# TF 1.x's names for the classes (init_ops.py keeps both spellings).
zeros_initializer = Zeros
ones_initializer = Ones
constant_initializer = Constant
random_uniform_initializer = RandomUniform
random_normal_initializer = RandomNormal
truncated_normal_initializer = TruncatedNormal
uniform_unit_scaling_initializer = UniformUnitScaling
variance_scaling_initializer = VarianceScaling
glorot_uniform_initializer = GlorotUniform
glorot_normal_initializer = GlorotNormal
orthogonal_initializer = Orthogonal
identity_initializer = Identity
