"""Special functions, inverse trigonometry, segment reductions and the other ``tf.math`` ops
TF 1.15 has beyond the basic arithmetic of math_ops (TF's gen_math_ops / math_grad.py /
special_math_ops.py), with their gradients. scipy.special supplies the special functions."""
import numpy as np
import scipy.special

from tfcompat.framework import dtypes, errors, ops, tensor_shape
from tfcompat.framework.op_def import (OpDef, broadcast_shapes, constant_value, format_shape,
                                       make_op, make_tensor, register_op)
from tfcompat.ops import array_ops, math_ops, nn_ops
from tfcompat.ops.math_ops import _Binary, _broadcast_grads, _Unary, _unary_builder


def _real_floating(dtype):
    return dtype.is_floating


def _const(value, like):
    return array_ops.constant(value, dtype=like.dtype.base_dtype)


# ---- elementwise unary ops ---------------------------------------------------------------------
class _SpecialUnary(_Unary):
    """Elementwise function of one real floating tensor, evaluated in the input's dtype."""

    allowed = staticmethod(_real_floating)
    function = None

    def kernel(self, op, ctx):
        function = self.function
        return lambda x: np.asarray(function(x)).astype(x.dtype, copy=False)


@register_op
class Lgamma(_SpecialUnary):
    """y = ln|Γ(x)|; dy/dx = ψ(x)."""

    function = staticmethod(scipy.special.gammaln)

    def grad(self, op, dy):
        return [dy * digamma(op.inputs[0])]


@register_op
class Digamma(_SpecialUnary):
    """y = ψ(x) = d ln Γ(x)/dx; dy/dx = ψ'(x) (polygamma of order 1)."""

    function = staticmethod(scipy.special.psi)

    def grad(self, op, dy):
        x = op.inputs[0]
        return [dy * polygamma(array_ops.ones_like(x), x)]


@register_op
class Erf(_SpecialUnary):
    """y = erf(x); dy/dx = 2/√π·exp(-x²)."""

    function = staticmethod(scipy.special.erf)
    slope = 2.0 / np.sqrt(np.pi)

    def grad(self, op, dy):
        x = op.inputs[0]
        return [dy * (_const(self.slope, x) * math_ops.exp(math_ops.negative(math_ops.square(x))))]


@register_op
class Erfc(Erf):
    """y = 1 - erf(x); dy/dx = -2/√π·exp(-x²)."""

    op_type = "Erfc"
    function = staticmethod(scipy.special.erfc)
    slope = -2.0 / np.sqrt(np.pi)


@register_op
class BesselI0e(_SpecialUnary):
    """y = exp(-|x|)·I₀(x); dy/dx = i1e(x) - sign(x)·y."""

    function = staticmethod(scipy.special.i0e)

    def grad(self, op, dy):
        x, y = op.inputs[0], op.outputs[0]
        return [dy * (bessel_i1e(x) - math_ops.sign(x) * y)]


@register_op
class BesselI1e(_SpecialUnary):
    """y = exp(-|x|)·I₁(x); dy/dx = i0e(x) - y·(sign(x) + 1/x), 0.5 at x = 0."""

    function = staticmethod(scipy.special.i1e)

    def grad(self, op, dy):
        x, y = op.inputs[0], op.outputs[0]
        zero = math_ops.equal(x, _const(0, x))
        safe_x = math_ops.where(zero, array_ops.ones_like(x), x)
        slope = bessel_i0e(x) - y * (math_ops.sign(x) + math_ops.reciprocal(safe_x))
        return [dy * math_ops.where(zero, array_ops.fill(array_ops.shape(x), _const(0.5, x)),
                                    slope)]


@register_op
class Tan(_SpecialUnary):
    """y = tan x; dy/dx = 1 + y²."""

    function = staticmethod(np.tan)

    def grad(self, op, dy):
        y = op.outputs[0]
        return [dy * (_const(1, y) + math_ops.square(y))]


@register_op
class Sinh(_SpecialUnary):
    """y = sinh x; dy/dx = cosh x."""

    function = staticmethod(np.sinh)

    def grad(self, op, dy):
        return [dy * cosh(op.inputs[0])]


@register_op
class Cosh(_SpecialUnary):
    """y = cosh x; dy/dx = sinh x."""

    function = staticmethod(np.cosh)

    def grad(self, op, dy):
        return [dy * sinh(op.inputs[0])]


@register_op
class Asin(_SpecialUnary):
    """y = asin x; dy/dx = 1/√(1 - x²)."""

    function = staticmethod(np.arcsin)
    sign = 1

    def grad(self, op, dy):
        x = op.inputs[0]
        slope = math_ops.rsqrt(_const(1, x) - math_ops.square(x))
        return [dy * slope if self.sign > 0 else math_ops.negative(dy) * slope]


@register_op
class Acos(Asin):
    """y = acos x; dy/dx = -1/√(1 - x²)."""

    op_type = "Acos"
    function = staticmethod(np.arccos)
    sign = -1


@register_op
class Atan(_SpecialUnary):
    """y = atan x; dy/dx = 1/(1 + x²)."""

    function = staticmethod(np.arctan)

    def grad(self, op, dy):
        x = op.inputs[0]
        return [dy * math_ops.reciprocal(_const(1, x) + math_ops.square(x))]


@register_op
class Asinh(_SpecialUnary):
    """y = asinh x; dy/dx = 1/cosh y."""

    function = staticmethod(np.arcsinh)

    def grad(self, op, dy):
        return [dy / cosh(op.outputs[0])]


@register_op
class Acosh(_SpecialUnary):
    """y = acosh x; dy/dx = 1/sinh y."""

    function = staticmethod(np.arccosh)

    def grad(self, op, dy):
        return [dy / sinh(op.outputs[0])]


@register_op
class Atanh(_SpecialUnary):
    """y = atanh x; dy/dx = 1/(1 - x²)."""

    function = staticmethod(np.arctanh)

    def grad(self, op, dy):
        x = op.inputs[0]
        return [dy * math_ops.reciprocal(_const(1, x) - math_ops.square(x))]


@register_op
class Rint(_SpecialUnary):
    """Round half to even (``tf.rint``); no gradient (TF registers None)."""

    function = staticmethod(np.rint)

    def grad(self, op, dy):
        return [None]


class _Classify(_Unary):
    """Elementwise bool test of a floating tensor (IsNan, IsInf, IsFinite)."""

    allowed = staticmethod(_real_floating)
    differentiable = False

    def infer(self, op):
        [(shape, _)] = super().infer(op)
        return [(shape, dtypes.bool)]


@register_op
class IsNan(_Classify):
    compute = staticmethod(np.isnan)


@register_op
class IsInf(_Classify):
    compute = staticmethod(np.isinf)


@register_op
class IsFinite(_Classify):
    compute = staticmethod(np.isfinite)


lgamma = _unary_builder("Lgamma", "Lgamma")
digamma = _unary_builder("Digamma", "Digamma")
erf = _unary_builder("Erf", "Erf")
erfc = _unary_builder("Erfc", "Erfc")
bessel_i0e = _unary_builder("BesselI0e", "BesselI0e")
bessel_i1e = _unary_builder("BesselI1e", "BesselI1e")
tan = _unary_builder("Tan", "Tan")
sinh = _unary_builder("Sinh", "Sinh")
cosh = _unary_builder("Cosh", "Cosh")
asin = _unary_builder("Asin", "Asin")
acos = _unary_builder("Acos", "Acos")
atan = _unary_builder("Atan", "Atan")
asinh = _unary_builder("Asinh", "Asinh")
acosh = _unary_builder("Acosh", "Acosh")
atanh = _unary_builder("Atanh", "Atanh")
rint = _unary_builder("Rint", "Rint")
is_nan = _unary_builder("IsNan", "IsNan")
is_inf = _unary_builder("IsInf", "IsInf")
is_finite = _unary_builder("IsFinite", "IsFinite")


def bessel_i0(x, name=None):
    """``tf.math.bessel_i0``: exp(|x|)·bessel_i0e(x), as TF 1.15 builds it."""
    with ops.name_scope(name, "bessel_i0", [x]):
        x = ops.convert_to_tensor(x, name="x")
        return math_ops.exp(math_ops.abs(x)) * bessel_i0e(x)


def bessel_i1(x, name=None):
    """``tf.math.bessel_i1``: exp(|x|)·bessel_i1e(x), as TF 1.15 builds it."""
    with ops.name_scope(name, "bessel_i1", [x]):
        x = ops.convert_to_tensor(x, name="x")
        return math_ops.exp(math_ops.abs(x)) * bessel_i1e(x)


# ---- elementwise binary ops --------------------------------------------------------------------
class _SpecialBinary(_Binary):
    """Elementwise function of two broadcastable real floating tensors of one dtype."""

    allowed = staticmethod(_real_floating)
    function = None

    def kernel(self, op, ctx):
        function = self.function
        return lambda x, y: np.asarray(function(x, y)).astype(
            np.result_type(x, y), copy=False)


def _xlogy(x, y):
    return np.where(x == 0, np.zeros_like(x * y), scipy.special.xlogy(x, y))


def _xdivy(x, y):
    with np.errstate(all="ignore"):
        return np.where(x == 0, np.zeros_like(x * y), x / y)


def _div_no_nan(x, y):
    with np.errstate(all="ignore"):
        return np.where(y == 0, np.zeros_like(x * y), x / y)


@register_op
class Xlogy(_SpecialBinary):
    """z = x·ln y, 0 where x = 0; dz/dx = ln y (0 where x = 0), dz/dy = x/y."""

    function = staticmethod(_xlogy)

    def grad(self, op, dz):
        x, y = op.inputs
        not_zero_x = math_ops.cast(math_ops.not_equal(x, _const(0, x)), x.dtype.base_dtype)
        return _broadcast_grads(op, dz * xlogy(not_zero_x, y), dz * xdivy(x, y))


@register_op
class Xdivy(_SpecialBinary):
    """z = x/y, 0 where x = 0; dz/dx = 1/y (0 where x = 0), dz/dy = -x/y²."""

    function = staticmethod(_xdivy)

    def grad(self, op, dz):
        x, y = op.inputs
        not_zero_x = math_ops.cast(math_ops.not_equal(x, _const(0, x)), x.dtype.base_dtype)
        return _broadcast_grads(op, dz * xdivy(not_zero_x, y),
                                dz * xdivy(math_ops.negative(x), math_ops.square(y)))


@register_op
class DivNoNan(_SpecialBinary):
    """z = x/y, 0 where y = 0; dz/dx = 1/y, dz/dy = -x/y² (both 0 where y = 0)."""

    function = staticmethod(_div_no_nan)

    def grad(self, op, dz):
        x, y = op.inputs
        return _broadcast_grads(op, div_no_nan(dz, y),
                                dz * div_no_nan(div_no_nan(math_ops.negative(x), y), y))


@register_op
class Atan2(_SpecialBinary):
    """z = atan2(y, x) (the inputs are y, x); dz/dy = x/(x²+y²), dz/dx = -y/(x²+y²)."""

    function = staticmethod(np.arctan2)

    def grad(self, op, dz):
        y, x = op.inputs
        scaled = dz * math_ops.reciprocal(math_ops.square(x) + math_ops.square(y))
        return _broadcast_grads(op, x * scaled, math_ops.negative(y) * scaled)


def _igamma_grad_a(a, x):
    """dP(a, x)/da of the regularised lower incomplete gamma function P, from the series
    P = Σₙ exp((a+n)·ln x - x - ln Γ(a+n+1)) differentiated term by term."""
    a, x = np.broadcast_arrays(np.asarray(a, np.float64), np.asarray(x, np.float64))
    positive = x > 0
    safe_x = np.where(positive, x, 1.0)
    log_x = np.log(safe_x)
    largest = float(np.max(safe_x, initial=1.0))
    terms = int(np.ceil(largest + 12 * np.sqrt(largest))) + 40  # the terms peak near n = x
    total = np.zeros_like(a)
    for n in range(terms):
        shifted = a + n + 1
        term = np.exp((a + n) * log_x - safe_x - scipy.special.gammaln(shifted))
        total += term * (log_x - scipy.special.psi(shifted))
    return np.where(positive, total, 0.0)


@register_op
class IgammaGradA(_SpecialBinary):
    """dP(a, x)/da of the regularised lower incomplete gamma function (Igamma's gradient)."""

    function = staticmethod(_igamma_grad_a)
    differentiable = False


@register_op
class Igamma(_SpecialBinary):
    """z = P(a, x) = γ(a, x)/Γ(a); dz/da = IgammaGradA, dz/dx = exp(-x)·x^(a-1)/Γ(a)."""

    function = staticmethod(scipy.special.gammainc)
    sign = 1

    def grad(self, op, dz):
        a, x = op.inputs
        partial_a = make_tensor("IgammaGradA", [a, x])
        partial_x = math_ops.exp(math_ops.negative(x) + (a - _const(1, a)) * math_ops.log(x)
                                 - lgamma(a))
        if self.sign < 0:
            partial_a, partial_x = math_ops.negative(partial_a), math_ops.negative(partial_x)
        return _broadcast_grads(op, dz * partial_a, dz * partial_x)


@register_op
class Igammac(Igamma):
    """z = Q(a, x) = 1 - P(a, x); the gradients are Igamma's negated."""

    op_type = "Igammac"
    function = staticmethod(scipy.special.gammaincc)
    sign = -1


@register_op
class Zeta(_SpecialBinary):
    """z = ζ(x, q) = Σₙ (n+q)^-x (Hurwitz zeta); dz/dq = -x·ζ(x+1, q); none for x (as TF)."""

    function = staticmethod(scipy.special.zeta)

    def grad(self, op, dz):
        x, q = op.inputs
        partial_q = math_ops.negative(x) * zeta(x + _const(1, x), q)
        return [None, _broadcast_grads(op, dz, dz * partial_q)[1]]


def _polygamma(n, x):
    """ψ⁽ⁿ⁾(x) for whole n >= 0, NaN for other orders (as TF)."""
    whole = (n == np.floor(n)) & (n >= 0)
    value = scipy.special.polygamma(np.where(whole, n, 0).astype(np.int64), x)
    return np.where(whole, value, np.nan)


@register_op
class Polygamma(_SpecialBinary):
    """z = ψ⁽ⁿ⁾(x) (inputs n, x); dz/dx = ψ⁽ⁿ⁺¹⁾(x); none for n (as TF)."""

    function = staticmethod(_polygamma)

    def grad(self, op, dz):
        n, x = op.inputs
        partial_x = polygamma(n + _const(1, n), x)
        return [None, _broadcast_grads(op, dz, dz * partial_x)[1]]


class _IntegerDivision(_Binary):
    """Integer-or-float division rounding toward zero (TruncateDiv, TruncateMod)."""

    differentiable = False

    def kernel(self, op, ctx):
        function = self.function
        integer = op.inputs[0].dtype.base_dtype.is_integer

        def divide(x, y):
            if integer and np.any(y == 0):
                raise errors.InvalidArgumentError(
                    None, op, f"Integer division by zero\n\t [[node {op.name}]]")
            with np.errstate(all="ignore"):
                return np.asarray(function(x, y)).astype(x.dtype, copy=False)
        return divide


@register_op
class TruncateDiv(_IntegerDivision):
    function = staticmethod(lambda x, y: np.trunc(np.true_divide(x, y)) if x.dtype.kind == "f"
                            else np.sign(x) * np.sign(y) * (np.abs(x) // np.abs(y)))


@register_op
class TruncateMod(_IntegerDivision):
    function = staticmethod(np.fmod)


_binary = math_ops._binary_builder
xlogy = _binary("Xlogy", "Xlogy")
xdivy = _binary("Xdivy", "Xdivy")
div_no_nan = _binary("DivNoNan", "div_no_nan")
divide_no_nan = div_no_nan
atan2 = _binary("Atan2", "Atan2")
igamma = _binary("Igamma", "Igamma")
igammac = _binary("Igammac", "Igammac")
zeta = _binary("Zeta", "Zeta")
polygamma = _binary("Polygamma", "Polygamma")
truncatediv = _binary("TruncateDiv", "TruncateDiv")
truncatemod = _binary("TruncateMod", "TruncateMod")


@register_op
class Betainc(OpDef):
    """z = I_x(a, b), the regularised incomplete beta function (inputs a, b, x, broadcast);
    dz/dx = x^(a-1)·(1-x)^(b-1)/B(a, b); none for a and b (as TF)."""

    def infer(self, op):
        a, b, x = op.inputs
        dtype = math_ops._check_same_dtype(op, ("a", "b", "x"))
        if dtype not in (dtypes.float32, dtypes.float64):
            raise TypeError(f"Value passed to parameter 'a' has DataType {dtype.name} not in "
                            "list of allowed values: float32, float64")
        return [(broadcast_shapes(op, broadcast_shapes(op, a.shape, b.shape), x.shape), dtype)]

    def kernel(self, op, ctx):
        return lambda a, b, x: np.asarray(scipy.special.betainc(a, b, x)).astype(a.dtype)

    def grad(self, op, dz):
        a, b, x = op.inputs
        one = _const(1, x)
        log_beta = lgamma(a) + lgamma(b) - lgamma(a + b)
        partial_x = math_ops.exp((a - one) * math_ops.log(x)
                                 + (b - one) * math_ops.log1p(math_ops.negative(x)) - log_beta)
        return [None, None, _sum_to_shape_of(dz * partial_x, x)]


def _sum_to_shape_of(grad, x):
    """``grad`` (broadcast from x's shape) summed back to x's shape."""
    axes = math_ops._static_reduction_axes(x.shape, grad.shape, grad.shape)
    if axes is not None:
        return math_ops._sum_to(grad, x, axes)
    shape_x = array_ops.shape(x)
    axes_x, _ = make_op("BroadcastGradientArgs", [shape_x, array_ops.shape(grad)]).outputs
    return array_ops.reshape(math_ops.reduce_sum(grad, axes_x), shape_x)


def betainc(a, b, x, name=None):
    """``tf.math.betainc(a, b, x, name=None)``."""
    with ops.name_scope(name, "Betainc", [a, b, x]) as scope:
        a = ops.convert_to_tensor(a, name="a")
        b = ops.convert_to_tensor(b, dtype=a.dtype.base_dtype, name="b")
        x = ops.convert_to_tensor(x, dtype=a.dtype.base_dtype, name="x")
        return make_tensor("Betainc", [a, b, x], name=scope)


def lbeta(x, name=None):
    """``tf.lbeta``: ln|B(x)| over the last axis = Σ lgamma(x) - lgamma(Σ x)."""
    with ops.name_scope(name, "lbeta", [x]):
        x = ops.convert_to_tensor(x, name="x")
        return (math_ops.reduce_sum(lgamma(x), axis=[-1])
                - lgamma(math_ops.reduce_sum(x, axis=[-1])))


def log_sigmoid(x, name=None):
    """``tf.log_sigmoid``: -softplus(-x), stable for large |x|."""
    with ops.name_scope(name, "LogSigmoid", [x]) as scope:
        x = ops.convert_to_tensor(x, name="x")
        return math_ops.negative(nn_ops.softplus(math_ops.negative(x)), name=scope)


# ---- cumulative products -------------------------------------------------------------------------
@register_op
class Cumprod(math_ops.Cumsum):
    """Running product along ``axis`` (``tf.cumprod``), optionally exclusive and/or reversed;
    the gradient (non-zero inputs, as TF's) is cumsum(cumprod·dy, opposite direction) / x."""

    op_type = "Cumprod"
    accumulate = staticmethod(np.cumprod)
    identity = 1

    def grad(self, op, dy):
        x, axis = op.inputs
        exclusive, reverse = op.attrs["exclusive"], op.attrs["reverse"]
        product = cumprod(x, axis, exclusive=exclusive, reverse=reverse)
        summed = math_ops.cumsum(product * dy, axis, exclusive=exclusive, reverse=not reverse)
        return [summed / x, None]


def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    """``tf.cumprod(x, axis=0, exclusive=False, reverse=False, name=None)``."""
    x = ops.convert_to_tensor(x)
    return make_tensor("Cumprod", [x, array_ops._as_int_tensor(axis)],
                       {"exclusive": bool(exclusive), "reverse": bool(reverse)},
                       name=name or "Cumprod")


# ---- segment reductions --------------------------------------------------------------------------
def _check_index_dtype(tensor, argument):
    if tensor.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError(f"Value passed to parameter '{argument}' has DataType "
                        f"{tensor.dtype.base_dtype.name} not in list of allowed values: int32, "
                        "int64")


class _SegmentReduction(OpDef):
    """out[i] = reduction of data[j] over j with segment_ids[j] == i.

    Sorted ops (``tf.segment_*``: inputs data, 1-D increasing ids; output rows ids[-1] + 1,
    empty segments 0 for sum/mean/max/min and 1 for prod) and unsorted ones
    (``tf.unsorted_segment_*``: inputs data, ids of any prefix shape of data, num_segments;
    negative ids dropped; empty segments hold the reduction's identity: 1 for prod, the
    dtype's lowest value for max and highest for min)."""

    ufunc = None          # the reduction's binary ufunc
    identity = None       # starting value (None: the dtype's extreme, for max/min)
    lowest = True         # max starts at the dtype's lowest value, min at its highest
    mean = False
    unsorted = False

    def infer(self, op):
        data, ids = op.inputs[:2]
        _check_index_dtype(ids, "segment_ids")
        dtype = data.dtype.base_dtype
        if not dtype.is_numeric:
            raise TypeError(f"Value passed to parameter 'data' has DataType {dtype.name} not in "
                            f"list of allowed values for op '{op.type}'")
        if self.unsorted:
            return self._infer_unsorted(op, data, ids, dtype)
        if ids.shape.ndims not in (None, 1):
            raise ValueError(f"Shape must be rank 1 but is rank {ids.shape.ndims} for "
                             f"'{op.name}' (op: '{op.type}') with input shapes: "
                             f"{format_shape(data.shape)}, {format_shape(ids.shape)}.")
        if data.shape.ndims is None:
            return [(tensor_shape.unknown_shape(), dtype)]
        if data.shape.ndims == 0:
            raise ValueError(f"Shape must be at least rank 1 but is rank 0 for '{op.name}' "
                             f"(op: '{op.type}')")
        if not data.shape[:1].is_compatible_with(ids.shape):
            raise ValueError(f"Dimensions must be equal, but are {data.shape[0].value} and "
                             f"{ids.shape[0].value} for '{op.name}' (op: '{op.type}') with "
                             f"input shapes: {format_shape(data.shape)}, "
                             f"{format_shape(ids.shape)}.")
        value = constant_value(ids)
        rows = int(value[-1]) + 1 if value is not None and value.size else None
        return [(tensor_shape.TensorShape([rows] + data.shape.as_list()[1:]), dtype)]

    def _infer_unsorted(self, op, data, ids, dtype):
        num_tensor = op.inputs[2]
        _check_index_dtype(num_tensor, "num_segments")
        if num_tensor.shape.ndims not in (None, 0):
            raise ValueError(f"Shape must be rank 0 but is rank {num_tensor.shape.ndims} for "
                             f"'{op.name}' (op: '{op.type}')")
        num = constant_value(num_tensor)
        if data.shape.ndims is None or ids.shape.ndims is None:
            return [(tensor_shape.unknown_shape(), dtype)]
        prefix = tensor_shape.TensorShape(data.shape.as_list()[:ids.shape.ndims])
        if prefix.ndims < ids.shape.ndims or not prefix.is_compatible_with(ids.shape):
            raise ValueError(f"Dimensions must be equal for data.shape = "
                             f"{format_shape(data.shape)} and segment_ids.shape = "
                             f"{format_shape(ids.shape)} in '{op.name}' (op: '{op.type}')")
        rows = None if num is None else int(num)
        return [(tensor_shape.TensorShape([rows] + data.shape.as_list()[ids.shape.ndims:]),
                 dtype)]

    def _start(self, dtype):
        if self.identity is not None:
            return self.identity
        info = np.finfo(dtype) if dtype.kind == "f" else np.iinfo(dtype)
        return info.min if self.lowest else info.max

    def _rows_and_ids(self, op, data, ids, num):
        """(number of segments, flat ids, data rows) after TF's checks of the ids."""
        if data.shape[:ids.ndim] != ids.shape:
            raise errors.InvalidArgumentError(
                None, op, f"segment_ids should be the same size as dimension 0 of input, "
                f"but got data.shape = {list(data.shape)} and segment_ids.shape = "
                f"{list(ids.shape)}\n\t [[node {op.name}]]")
        flat_ids = ids.reshape(-1).astype(np.int64)
        rows = data.reshape((flat_ids.size,) + data.shape[ids.ndim:])
        if not self.unsorted:
            if flat_ids.size and (flat_ids[0] < 0 or np.any(np.diff(flat_ids) < 0)):
                raise errors.InvalidArgumentError(
                    None, op, f"segment ids are not increasing\n\t [[node {op.name}]]")
            return (int(flat_ids[-1]) + 1 if flat_ids.size else 0), flat_ids, rows
        num = int(num)
        too_big = flat_ids >= num
        if too_big.any():
            j = int(np.argmax(too_big))
            raise errors.InvalidArgumentError(
                None, op, f"segment_ids[{j}] = {int(flat_ids[j])} is out of range [0, {num})"
                f"\n\t [[node {op.name}]]")
        keep = flat_ids >= 0
        return num, flat_ids[keep], rows[keep]

    def kernel(self, op, ctx):
        def segment_reduce(data, ids, num=None):
            count, flat_ids, rows = self._rows_and_ids(op, data, ids, num)
            out = np.full((count,) + data.shape[ids.ndim:], self._start(data.dtype), data.dtype)
            self.ufunc.at(out, flat_ids, rows)
            if self.mean or not self.unsorted:
                sizes = np.bincount(flat_ids, minlength=count).reshape(
                    (count,) + (1,) * (out.ndim - 1))
                if self.mean:
                    out = (out / np.maximum(sizes, 1)).astype(data.dtype)
                elif self.identity is None:
                    out = np.where(sizes > 0, out, np.zeros_like(out))
            return out
        return segment_reduce

    def _segment_sum(self, op, values):
        if self.unsorted:
            return math_ops.unsorted_segment_sum(values, op.inputs[1], op.inputs[2])
        return segment_sum(values, op.inputs[1])

    def _gather(self, op, values):
        """values[ids] with TF's _GatherDropNegatives: rows of dropped ids are zero."""
        ids = op.inputs[1]
        if not self.unsorted:
            return array_ops.gather(values, ids)
        zero_ids = array_ops.zeros_like(ids)
        gathered = array_ops.gather(values, math_ops.maximum(ids, zero_ids))
        kept = math_ops.cast(math_ops.greater_equal(ids, zero_ids), values.dtype.base_dtype)
        if gathered.shape.ndims is None or ids.shape.ndims is None:
            raise ValueError(f"tfcompat: the gradient of {op.type} needs the ranks of data "
                             "and segment_ids at graph construction")
        extra = gathered.shape.ndims - ids.shape.ndims
        if extra:
            kept = array_ops.reshape(kept, array_ops.concat(
                [array_ops.shape(ids), array_ops.ones([extra], dtypes.int32)], 0))
        return gathered * kept

    def _extra_inputs(self):
        return [None] if not self.unsorted else [None, None]


class _SumLike(_SegmentReduction):
    ufunc = np.add
    identity = 0

    def grad(self, op, dy):
        return [self._gather(op, dy)] + self._extra_inputs()


class _MeanLike(_SumLike):
    mean = True

    def grad(self, op, dy):
        data = op.inputs[0]
        ones = array_ops.ones_like(data)
        sizes = self._segment_sum(op, ones)
        return [self._gather(op, dy / math_ops.maximum(sizes, array_ops.ones_like(sizes)))] \
            + self._extra_inputs()


class _ExtremumLike(_SegmentReduction):
    """Max/min: the gradient goes evenly to the entries equal to their segment's result."""

    def grad(self, op, dy):
        data = op.inputs[0]
        selected = math_ops.equal(data, self._gather(op, op.outputs[0]))
        counts = self._segment_sum(op, math_ops.cast(selected, dy.dtype.base_dtype))
        shares = self._gather(op, dy / math_ops.maximum(counts, array_ops.ones_like(counts)))
        return [math_ops.where(selected, shares, array_ops.zeros_like(data))] \
            + self._extra_inputs()


class _ProdLike(_SegmentReduction):
    """Product; the gradient is the product of the other entries of the segment (TF's
    _UnsortedSegmentProdGrad: zeros handled through the product of the non-zero entries)."""

    ufunc = np.multiply
    identity = 1

    def grad(self, op, dy):
        data = op.inputs[0]
        is_zero = math_ops.equal(data, array_ops.zeros_like(data))
        zeros = self._segment_sum(op, math_ops.cast(is_zero, dtypes.int32))
        non_zero = math_ops.where(is_zero, array_ops.ones_like(data), data)
        product_non_zero = make_tensor(op.type, [non_zero] + list(op.inputs[1:]))
        gathered_product = self._gather(op, op.outputs[0])
        gathered_non_zero = self._gather(op, product_non_zero)
        single_zero = math_ops.equal(self._gather(op, zeros), array_ops.ones_like(
            self._gather(op, zeros)))
        others = math_ops.where(
            is_zero, gathered_non_zero * math_ops.cast(single_zero, data.dtype.base_dtype),
            math_ops.truediv(gathered_product, non_zero))
        return [others * self._gather(op, dy)] + self._extra_inputs()


@register_op
class SegmentSum(_SumLike):
    pass


@register_op
class SegmentMean(_MeanLike):
    pass


@register_op
class SegmentProd(_ProdLike):
    pass


@register_op
class SegmentMax(_ExtremumLike):
    ufunc = np.maximum


@register_op
class SegmentMin(_ExtremumLike):
    ufunc = np.minimum
    lowest = False


@register_op
class UnsortedSegmentProd(_ProdLike):
    unsorted = True


@register_op
class UnsortedSegmentMax(_ExtremumLike):
    ufunc = np.maximum
    unsorted = True


@register_op
class UnsortedSegmentMin(_ExtremumLike):
    ufunc = np.minimum
    lowest = False
    unsorted = True


def _sorted_segment_builder(op_type):
    def builder(data, segment_ids, name=None):
        return make_tensor(op_type, [ops.convert_to_tensor(data),
                                     array_ops._as_int_tensor(segment_ids)],
                           name=name or op_type)
    builder.__name__ = op_type
    builder.__doc__ = f"``tf.{op_type}(data, segment_ids, name=None)`` on sorted ids."
    return builder


def _unsorted_segment_builder(op_type):
    def builder(data, segment_ids, num_segments, name=None):
        segment_ids = array_ops._as_int_tensor(segment_ids)
        num_segments = ops.convert_to_tensor(
            num_segments, dtype=None if math_ops._is_tensor_like(num_segments)
            else segment_ids.dtype.base_dtype)
        return make_tensor(op_type, [ops.convert_to_tensor(data), segment_ids, num_segments],
                           name=name or op_type)
    builder.__name__ = op_type
    builder.__doc__ = f"``tf.{op_type}(data, segment_ids, num_segments, name=None)``."
    return builder


segment_sum = _sorted_segment_builder("SegmentSum")
segment_mean = _sorted_segment_builder("SegmentMean")
segment_prod = _sorted_segment_builder("SegmentProd")
segment_max = _sorted_segment_builder("SegmentMax")
segment_min = _sorted_segment_builder("SegmentMin")
unsorted_segment_prod = _unsorted_segment_builder("UnsortedSegmentProd")
unsorted_segment_max = _unsorted_segment_builder("UnsortedSegmentMax")
unsorted_segment_min = _unsorted_segment_builder("UnsortedSegmentMin")


def _unsorted_segment_scaled(data, segment_ids, num_segments, name, default_name, root):
    """Sum per segment divided by N (mean) or √N (sqrt_n), N = max(1, entries), as TF's
    unsorted_segment_mean / unsorted_segment_sqrt_n build it."""
    with ops.name_scope(name, default_name, [data, segment_ids, num_segments]):
        data = ops.convert_to_tensor(data, name="data")
        segment_ids = array_ops._as_int_tensor(segment_ids)
        ones = array_ops.ones_like(data)
        sizes = math_ops.unsorted_segment_sum(ones, segment_ids, num_segments)
        sizes = math_ops.maximum(sizes, array_ops.ones_like(sizes))
        if root:
            sizes = math_ops.sqrt(sizes)
        return math_ops.unsorted_segment_sum(data, segment_ids, num_segments) / sizes


def unsorted_segment_mean(data, segment_ids, num_segments, name=None):
    """``tf.unsorted_segment_mean(data, segment_ids, num_segments, name=None)``."""
    return _unsorted_segment_scaled(data, segment_ids, num_segments, name,
                                    "UnsortedSegmentMean", root=False)


def unsorted_segment_sqrt_n(data, segment_ids, num_segments, name=None):
    """``tf.unsorted_segment_sqrt_n(data, segment_ids, num_segments, name=None)``."""
    return _unsorted_segment_scaled(data, segment_ids, num_segments, name,
                                    "UnsortedSegmentSqrtN", root=True)


# ---- counting ------------------------------------------------------------------------------------
@register_op
class Bincount(OpDef):
    """Counts (or sums ``weights`` of) each value in [0, size) of ``arr``; values at or
    above size are ignored, negative ones are an error (TF's Bincount)."""

    differentiable = False
    shape_determining_inputs = (1,)

    def infer(self, op):
        arr, size, weights = op.inputs
        if arr.dtype.base_dtype != dtypes.int32:
            raise TypeError(f"Value passed to parameter 'arr' has DataType "
                            f"{arr.dtype.base_dtype.name} not in list of allowed values: int32")
        value = constant_value(size)
        return [(tensor_shape.TensorShape([None if value is None else int(value)]),
                 weights.dtype.base_dtype)]

    def kernel(self, op, ctx):
        def bincount(arr, size, weights):
            size = int(size)
            if size < 0:
                raise errors.InvalidArgumentError(
                    None, op, f"size ({size}) must be non-negative\n\t [[node {op.name}]]")
            if np.any(arr < 0):
                raise errors.InvalidArgumentError(
                    None, op, f"Input arr must be non-negative!\n\t [[node {op.name}]]")
            values = arr.reshape(-1)
            inside = values < size
            if weights.size == 0:
                counts = np.bincount(values[inside], minlength=size)
            else:
                if weights.shape != arr.shape:
                    raise errors.InvalidArgumentError(
                        None, op, f"Weights and input arr must have the same shape: "
                        f"{list(weights.shape)} vs {list(arr.shape)}\n\t [[node {op.name}]]")
                counts = np.bincount(values[inside], weights=weights.reshape(-1)[inside],
                                     minlength=size)
            return counts[:size].astype(weights.dtype)
        return bincount


def bincount(arr, weights=None, minlength=None, maxlength=None, dtype=dtypes.int32,
             name=None):
    """``tf.bincount(arr, weights=None, minlength=None, maxlength=None, dtype=tf.int32)``:
    the output length is max(arr) + 1 (0 for an empty arr) clipped to [minlength,
    maxlength]."""
    with ops.name_scope(name, "bincount", [arr, weights, minlength, maxlength]):
        arr = ops.convert_to_tensor(arr, name="arr", dtype=dtypes.int32)
        flat = array_ops.reshape(arr, [-1])
        size = math_ops.reduce_max(array_ops.concat([flat, array_ops.constant([-1])], 0)) + 1
        if minlength is not None:
            size = math_ops.maximum(ops.convert_to_tensor(minlength, dtype=dtypes.int32), size)
        if maxlength is not None:
            size = math_ops.minimum(ops.convert_to_tensor(maxlength, dtype=dtypes.int32), size)
        if weights is None:
            weights = array_ops.constant([], dtype=dtypes.as_dtype(dtype))
        else:
            weights = ops.convert_to_tensor(weights, name="weights")
        return make_tensor("Bincount", [arr, size, weights])


def count_nonzero(input_tensor=None, axis=None, keepdims=None, dtype=dtypes.int64, name=None,
                  reduction_indices=None, keep_dims=None, input=None):  # noqa: A002
    """``tf.count_nonzero``: the number of non-zero entries over ``axis``, as ``dtype``."""
    if input_tensor is None:
        input_tensor = input
    with ops.name_scope(name, "count_nonzero", [input_tensor]):
        x = ops.convert_to_tensor(input_tensor, name="input")
        nonzero = math_ops.cast(math_ops.not_equal(x, array_ops.zeros([], x.dtype.base_dtype)),
                                dtypes.int64)
        total = math_ops.reduce_sum(nonzero, axis=axis, keepdims=keepdims,
                                    reduction_indices=reduction_indices, keep_dims=keep_dims)
        return math_ops.cast(total, dtype)


def confusion_matrix(labels, predictions, num_classes=None, dtype=dtypes.int32, name=None,
                     weights=None):
    """``tf.confusion_matrix``: entry [i, j] counts (or sums the weights of) the examples
    with label i and prediction j; num_classes defaults to max(labels, predictions) + 1."""
    with ops.name_scope(name, "confusion_matrix", [labels, predictions, num_classes,
                                                   weights]) as scope:
        labels = math_ops.cast(ops.convert_to_tensor(labels, name="labels"), dtypes.int64)
        predictions = math_ops.cast(ops.convert_to_tensor(predictions, name="predictions"),
                                    dtypes.int64)
        if num_classes is None:
            num_classes = math_ops.maximum(math_ops.reduce_max(labels),
                                           math_ops.reduce_max(predictions)) + 1
        else:
            num_classes = math_ops.cast(ops.convert_to_tensor(num_classes), dtypes.int64)
        dtype = dtypes.as_dtype(dtype)
        if weights is None:
            weights = array_ops.ones_like(predictions, dtype=dtype)
        else:
            weights = math_ops.cast(ops.convert_to_tensor(weights, name="weights"), dtype)
        cells = labels * num_classes + predictions
        counts = math_ops.unsorted_segment_sum(weights, cells, num_classes * num_classes)
        return array_ops.reshape(counts, array_ops.stack([num_classes, num_classes]),
                                 name=scope)


# ---- reductions built from others --------------------------------------------------------------
def reduce_logsumexp(input_tensor, axis=None, keepdims=None, name=None,
                     reduction_indices=None, keep_dims=None):
    """``tf.reduce_logsumexp``: ln Σ exp(x) over ``axis``, computed around the (finite)
    maximum as TF does, so large inputs do not overflow."""
    if keepdims is None:
        keepdims = bool(keep_dims)
    if axis is None:
        axis = reduction_indices
    with ops.name_scope(name, "ReduceLogSumExp", [input_tensor]) as scope:
        x = ops.convert_to_tensor(input_tensor, name="input_tensor")
        raw_max = math_ops.reduce_max(x, axis, keepdims=True)
        shift = array_ops.stop_gradient(math_ops.where(
            is_finite(raw_max), raw_max, array_ops.zeros_like(raw_max)))
        result = math_ops.log(math_ops.reduce_sum(math_ops.exp(x - shift), axis,
                                                  keepdims=keepdims))
        if not keepdims:
            shift = array_ops.reshape(shift, array_ops.shape(result))
        return math_ops.add(result, shift, name=scope)


def reduce_variance(input_tensor, axis=None, keepdims=False, name=None):
    """``tf.math.reduce_variance``: mean squared deviation from the mean over ``axis``."""
    with ops.name_scope(name, "reduce_variance", [input_tensor]):
        x = ops.convert_to_tensor(input_tensor, name="input_tensor")
        means = math_ops.reduce_mean(x, axis, keepdims=True)
        return math_ops.reduce_mean(math_ops.square(x - means), axis, keepdims=keepdims)


def reduce_std(input_tensor, axis=None, keepdims=False, name=None):
    """``tf.math.reduce_std``: square root of reduce_variance."""
    with ops.name_scope(name, "reduce_std", [input_tensor]):
        return math_ops.sqrt(reduce_variance(input_tensor, axis, keepdims))


def polyval(coeffs, x, name=None):
    """``tf.math.polyval(coeffs, x)``: Σ coeffs[i]·x^(n-1-i) by Horner's rule (zeros for
    no coefficients)."""
    if not isinstance(coeffs, (list, tuple)):
        raise ValueError(f"Argument coeffs must be list type found {type(coeffs)}.")
    with ops.name_scope(name, "polyval", list(coeffs) + [x]):
        x = ops.convert_to_tensor(x, name="x")
        if not coeffs:
            return array_ops.zeros_like(x, name=name)
        coeffs = [ops.convert_to_tensor(c, dtype=x.dtype.base_dtype, name=f"coeffs_{i}")
                  for i, c in enumerate(coeffs)]
        result = coeffs[0]
        for coefficient in coeffs[1:]:
            result = coefficient + result * x
        return result


def accumulate_n(inputs, shape=None, tensor_dtype=None, name=None):
    """``tf.accumulate_n``: the elementwise sum of ``inputs`` (add_n's result)."""
    inputs = [ops.convert_to_tensor(t) for t in inputs]
    if tensor_dtype is not None and any(t.dtype.base_dtype != tensor_dtype for t in inputs):
        raise TypeError(f"tensor_dtype is {tensor_dtype}, but input is of type "
                        f"{inputs[0].dtype.base_dtype}")
    if shape is not None and any(not t.shape.is_compatible_with(shape) for t in inputs):
        raise ValueError(f"Shape of inputs must match shape {shape}")
    return math_ops.add_n(inputs, name=name or "AccumulateN")


def _cast_builder(dtype, default_name):
    def builder(x, name=default_name):
        return math_ops.cast(x, dtype, name=name)
    builder.__name__ = f"to_{dtype.name}"
    builder.__doc__ = f"``tf.to_{dtype.name}``: cast to {dtype.name}."
    return builder


to_double = _cast_builder(dtypes.float64, "ToDouble")
to_bfloat16 = _cast_builder(dtypes.bfloat16, "ToBFloat16")


def _limits(numpy_dtype):
    if np.issubdtype(numpy_dtype, np.floating):
        return np.finfo(numpy_dtype)
    if np.issubdtype(numpy_dtype, np.integer):
        return np.iinfo(numpy_dtype)
    return None


def saturate_cast(value, dtype, name=None):
    """``tf.saturate_cast``: clips ``value`` to the range of ``dtype`` before casting."""
    with ops.name_scope(name, "saturate_cast", [value]) as scope:
        value = ops.convert_to_tensor(value, name="value")
        dtype = dtypes.as_dtype(dtype)
        source, target = _limits(value.dtype.as_numpy_dtype), _limits(dtype.as_numpy_dtype)
        if source is not None and target is not None:
            if target.min > source.min:
                value = math_ops.maximum(value, _const(target.min, value))
            if target.max < source.max:
                value = math_ops.minimum(value, _const(target.max, value))
        return math_ops.cast(value, dtype, name=scope)




# ---- complex numbers -----------------------------------------------------------------------
_COMPLEX_OF = {dtypes.float32: dtypes.complex64, dtypes.float64: dtypes.complex128}


@register_op
class Complex(OpDef):
    """real + i·imag of two broadcastable float tensors (``tf.complex``); gradients
    real(dz) and imag(dz) summed to each input's shape."""

    def infer(self, op):
        dtype = math_ops._check_same_dtype(op, ("real", "imag"))
        if dtype not in _COMPLEX_OF:
            raise TypeError(f"Value passed to parameter 'real' has DataType {dtype.name} not in "
                            "list of allowed values: float32, float64")
        shape = broadcast_shapes(op, op.inputs[0].shape, op.inputs[1].shape)
        return [(shape, op.attrs["Tout"])]

    def kernel(self, op, ctx):
        out_type = op.attrs["Tout"].as_numpy_dtype
        return lambda re, im: (re + 1j * im).astype(out_type)

    def grad(self, op, dz):
        return _broadcast_grads(op, real(dz), imag(dz))


class _ComplexPart(OpDef):
    """A real part of a complex tensor (Real, Imag, ComplexAbs, Angle)."""

    function = None

    def infer(self, op):
        x = op.inputs[0]
        if not x.dtype.is_complex:
            raise TypeError(f"Value passed to parameter 'input' has DataType "
                            f"{x.dtype.base_dtype.name} not in list of allowed values: "
                            "complex64, complex128")
        return [(x.shape, op.attrs["Tout"])]

    def kernel(self, op, ctx):
        function, out_type = self.function, op.attrs["Tout"].as_numpy_dtype
        return lambda x: np.asarray(function(x)).astype(out_type)


@register_op
class Real(_ComplexPart):
    """Re(x); the gradient is complex(dy, 0)."""

    function = staticmethod(np.real)

    def grad(self, op, dy):
        return [complex(dy, array_ops.zeros_like(dy))]


@register_op
class Imag(_ComplexPart):
    """Im(x); the gradient is complex(0, dy)."""

    function = staticmethod(np.imag)

    def grad(self, op, dy):
        return [complex(array_ops.zeros_like(dy), dy)]


@register_op
class Angle(_ComplexPart):
    """arg(x) = atan2(Im x, Re x); TF's gradient -dy / (Im x + i·Re x)."""

    function = staticmethod(np.angle)

    def grad(self, op, dy):
        x = op.inputs[0]
        re, im = real(x), imag(x)
        scale = math_ops.reciprocal(math_ops.square(re) + math_ops.square(im))
        return [complex(math_ops.negative(im) * scale * dy, re * scale * dy)]


@register_op
class ComplexAbs(_ComplexPart):
    """|x| (``tf.abs`` of complex x); TF's gradient dy·x / |x|, 0 where |x| is 0."""

    function = staticmethod(np.abs)

    def grad(self, op, dy):
        scale = div_no_nan(dy, op.outputs[0])
        return [complex(scale, array_ops.zeros_like(scale)) * op.inputs[0]]


@register_op
class Conj(OpDef):
    """The complex conjugate (``tf.conj``); the gradient is conj(dy)."""

    def infer(self, op):
        x = op.inputs[0]
        return [(x.shape, x.dtype.base_dtype)]

    def kernel(self, op, ctx):
        return np.conj

    def grad(self, op, dy):
        return [conj(dy)]


def complex(real, imag, name=None):  # noqa: A001 (tf.complex)
    """``tf.complex(real, imag, name=None)``: complex64 from float32, complex128 from
    float64."""
    with ops.name_scope(name, "Complex", [real, imag]) as scope:
        real = ops.convert_to_tensor(real, name="real")
        imag = ops.convert_to_tensor(imag, name="imag")
        out = _COMPLEX_OF.get(real.dtype.base_dtype, dtypes.complex64)
        return make_tensor("Complex", [real, imag], {"Tout": out}, name=scope)


def _complex_part_builder(op_type, default_name, real_input):
    def builder(input, name=None):  # noqa: A002
        with ops.name_scope(name, default_name, [input]) as scope:
            x = ops.convert_to_tensor(input, name="input")
            if not x.dtype.is_complex:
                return real_input(x, scope)
            return make_tensor(op_type, [x], {"Tout": x.dtype.real_dtype}, name=scope)
    builder.__name__ = default_name
    builder.__doc__ = (f"``tf.{default_name}(input, name=None)``: the {op_type} op for complex "
                       "input; for real input, as TF: " + real_input.__doc__)
    return builder


def _real_of_real(x, scope):
    """x itself."""
    return x


def _imag_of_real(x, scope):
    """TypeError (TF's Imag takes complex input only)."""
    raise TypeError(f"Value passed to parameter 'input' has DataType {x.dtype.base_dtype.name} "
                    "not in list of allowed values: complex64, complex128")


def _angle_of_real(x, scope):
    """π where x < 0, else 0."""
    return math_ops.where(math_ops.less(x, array_ops.zeros_like(x)),
                          array_ops.fill(array_ops.shape(x), _const(np.pi, x)),
                          array_ops.zeros_like(x), name=scope)


real = _complex_part_builder("Real", "Real", _real_of_real)
imag = _complex_part_builder("Imag", "Imag", _imag_of_real)
angle = _complex_part_builder("Angle", "Angle", _angle_of_real)


def conj(x, name=None):
    """``tf.conj(x, name=None)``: the Conj op for complex x; real x comes back as it is."""
    with ops.name_scope(name, "Conj", [x]) as scope:
        x = ops.convert_to_tensor(x, name="x")
        if not x.dtype.is_complex:
            if not x.dtype.is_numeric:
                raise TypeError(f"Expected numeric or variant tensor, got dtype {x.dtype!r}")
            return x
        return make_tensor("Conj", [x], name=scope)


to_complex64 = _cast_builder(dtypes.complex64, "ToComplex64")
to_complex128 = _cast_builder(dtypes.complex128, "ToComplex128")


# ---- einsum --------------------------------------------------------------------------------------
def _einsum_explicit(equation, shapes):
    """The equation with '...' spelled out as letters (needs the operands' ranks) and its
    implicit output (the letters used once, sorted) written after '->'."""
    equation = equation.replace(" ", "")
    inputs, arrow, output = equation.partition("->")
    terms = inputs.split(",")
    if len(terms) != len(shapes):
        raise ValueError(f"Got {len(shapes)} arguments for equation \"{equation}\", expecting "
                         f"{len(terms)}")
    unused = [c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if c not in equation]
    ellipsis_rank = 0
    for term, shape in zip(terms, shapes, strict=True):
        if "..." in term:
            if shape.ndims is None:
                raise ValueError(f"tfcompat: einsum with '...' needs the rank of every operand "
                                 f"(equation \"{equation}\")")
            ellipsis_rank = max(ellipsis_rank, shape.ndims - (len(term) - 3))
    letters = "".join(unused[:ellipsis_rank])
    spelled = []
    for term, shape in zip(terms, shapes, strict=True):
        if "..." in term:
            own = shape.ndims - (len(term) - 3)
            term = term.replace("...", letters[ellipsis_rank - own:])
        spelled.append(term)
    if not arrow:
        counts = {c: "".join(spelled).count(c) for c in "".join(spelled)}
        output = letters + "".join(sorted(c for c, n in counts.items()
                                          if n == 1 and c not in letters))
    else:
        output = output.replace("...", letters)
    return ",".join(spelled) + "->" + output


@register_op
class Einsum(OpDef):
    """Tensor contraction in Einstein notation (``tf.einsum``; the equation is explicit,
    '...' spelled out). The gradient of each operand is the einsum of dy with the other
    operands (and ones along the letters only that operand has)."""

    def _parse(self, op):
        inputs, output = op.attrs["equation"].split("->")
        return inputs.split(","), output

    def infer(self, op):
        terms, output = self._parse(op)
        dtype = math_ops._check_same_dtype(op, [f"inputs[{i}]" for i in range(len(terms))])
        sizes = {}
        for term, tensor in zip(terms, op.inputs, strict=True):
            if tensor.shape.ndims is None:
                continue
            if tensor.shape.ndims != len(term):
                raise ValueError(f"Input {term} of einsum equation \"{op.attrs['equation']}\" "
                                 f"has rank {tensor.shape.ndims}, expected {len(term)}")
            for letter, dim in zip(term, tensor.shape.as_list(), strict=True):
                if dim is None:
                    continue
                if sizes.get(letter, dim) != dim:
                    raise ValueError(f"Expected dimension {sizes[letter]} at axis of index "
                                     f"{letter} in einsum \"{op.attrs['equation']}\", got {dim}")
                sizes[letter] = dim
        known_ranks = all(t.shape.ndims is not None for t in op.inputs)
        shape = tensor_shape.TensorShape([sizes.get(c) for c in output]) if known_ranks \
            else tensor_shape.unknown_shape()
        return [(shape, dtype)]

    def kernel(self, op, ctx):
        equation = op.attrs["equation"]
        return lambda *operands: np.asarray(np.einsum(equation, *operands)).astype(
            operands[0].dtype, copy=False)

    def grad(self, op, dy):
        terms, output = self._parse(op)
        grads = []
        for index, term in enumerate(terms):
            if len(set(term)) != len(term):
                raise NotImplementedError("tfcompat: the gradient of einsum "
                                          f"\"{op.attrs['equation']}\" for an operand with a "
                                          "repeated index")
            others = [(t, x) for i, (t, x) in enumerate(zip(terms, op.inputs, strict=True))
                      if i != index]
            seen = output + "".join(t for t, _ in others)
            alone = [c for c in term if c not in seen]
            shape = array_ops.shape(op.inputs[index])
            ones = [array_ops.ones(array_ops.reshape(shape[term.index(c)], [1]),
                                   dtype=dy.dtype.base_dtype) for c in alone]
            grad_terms = [output] + [t for t, _ in others] + alone
            grads.append(einsum(",".join(grad_terms) + "->" + term,
                                dy, *[x for _, x in others], *ones))
        return grads


def einsum(equation, *inputs, **kwargs):
    """``tf.einsum(equation, *inputs, name=None)``."""
    name = kwargs.pop("name", None)
    if kwargs:
        raise TypeError(f"invalid keyword arguments for this function: "
                        f"{', '.join(sorted(kwargs))}")
    with ops.name_scope(name, "einsum", list(inputs)) as scope:
        inputs = [ops.convert_to_tensor(x, name=f"input_{i}") for i, x in enumerate(inputs)]
        explicit = _einsum_explicit(equation, [x.shape for x in inputs])
        return make_tensor("Einsum", inputs, {"equation": explicit}, name=scope)


# The public builders re-exported as tf.* (the tf.math-only names live in tfcompat.math).
__all__ = [
    "lgamma", "digamma", "erf", "erfc", "tan", "sinh", "cosh", "asin", "acos", "atan",
    "asinh", "acosh", "atanh", "rint", "is_nan", "is_inf", "is_finite", "atan2", "igamma",
    "igammac", "zeta", "polygamma", "truncatediv", "truncatemod", "div_no_nan", "betainc",
    "lbeta", "log_sigmoid", "cumprod", "segment_sum", "segment_mean", "segment_prod",
    "segment_max", "segment_min", "unsorted_segment_prod", "unsorted_segment_max",
    "unsorted_segment_min", "unsorted_segment_mean", "unsorted_segment_sqrt_n", "bincount",
    "count_nonzero", "confusion_matrix", "reduce_logsumexp", "accumulate_n", "to_double",
    "to_bfloat16", "saturate_cast", "einsum", "complex", "real", "imag", "angle", "conj",
    "to_complex64", "to_complex128",
]
