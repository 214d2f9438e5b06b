"""Math ops: elementwise arithmetic with NumPy broadcasting, reductions, matmul, casts and
comparisons (TF's math_ops / gen_math_ops), with gradients registered beside each op
(TF's math_grad.py)."""
import math

import numpy as np

from tfcompat.framework import dtypes, errors, ops, tensor_shape
from tfcompat.framework.op_def import (OpDef, broadcast_shapes, constant_value, format_shape,
                                       make_op, make_tensor, normalize_axis, register_op)
from tfcompat.ops import array_ops


# ---- conversion helpers --------------------------------------------------------------------
def _binary_operands(x, y, names=("x", "y")):
    """Converts the operands of a binary op: a Python/NumPy value takes the dtype of the
    tensor on the other side, as TF's operator overloads do. Called inside the op's name
    scope, so a converted value is named like TF's ("add/y", "MatMul/a")."""
    x_name, y_name = names
    if isinstance(x, ops.Tensor) or _is_tensor_like(x):
        x = ops.convert_to_tensor(x, name=x_name)
        y = ops.convert_to_tensor(y, dtype=None if _is_tensor_like(y) else x.dtype.base_dtype,
                                  name=y_name)
    elif isinstance(y, ops.Tensor) or _is_tensor_like(y):
        y = ops.convert_to_tensor(y, name=y_name)
        x = ops.convert_to_tensor(x, dtype=y.dtype.base_dtype, name=x_name)
    else:
        x = ops.convert_to_tensor(x, name=x_name)
        y = ops.convert_to_tensor(y, dtype=x.dtype.base_dtype, name=y_name)
    return x, y


def _is_tensor_like(value):
    return isinstance(value, ops.Tensor) or hasattr(value, "_as_graph_element")


def _check_same_dtype(op, argument_names=("x", "y")):
    first = op.inputs[0].dtype.base_dtype
    for name, t in zip(argument_names[1:], op.inputs[1:]):
        if t.dtype.base_dtype != first:
            raise TypeError(f"Input '{name}' of '{op.type}' Op has type {t.dtype.base_dtype.name} "
                            f"that does not match type {first.name} of argument "
                            f"'{argument_names[0]}'.")
    return first


# ---- elementwise binary ops ------------------------------------------------------------------
class _Binary(OpDef):
    """Elementwise op of two broadcastable tensors of one dtype."""

    output_dtype = None  # None: same as the inputs (comparisons give bool)
    allowed = None       # predicate on the dtype, None: any numeric

    def infer(self, op):
        dtype = _check_same_dtype(op)
        if self.allowed is not None and not self.allowed(dtype):
            raise TypeError(f"Value passed to parameter 'x' has DataType {dtype.name} not in list "
                            f"of allowed values for op '{op.type}'")
        shape = broadcast_shapes(op, op.inputs[0].shape, op.inputs[1].shape)
        return [(shape, self.output_dtype or dtype)]

    def kernel(self, op, ctx):
        return self.compute


def _numeric(dtype):
    return dtype.is_numeric


@register_op
class Add(_Binary):
    """z = x + y; dz/dx = dz/dy = 1 (summed over broadcast axes)."""

    compute = staticmethod(np.add)
    allowed = staticmethod(lambda d: d.is_numeric or d == dtypes.string)

    def kernel(self, op, ctx):
        if op.inputs[0].dtype.base_dtype == dtypes.string:
            return lambda x, y: np.char.add(x.astype(bytes), y.astype(bytes)).astype(object)
        return np.add

    def grad(self, op, dz):
        return _broadcast_grads(op, dz, dz)


@register_op
class AddV2(Add):
    op_type = "AddV2"


@register_op
class Sub(_Binary):
    """z = x - y."""

    compute = staticmethod(np.subtract)
    allowed = staticmethod(_numeric)

    def grad(self, op, dz):
        return _broadcast_grads(op, dz, negative(dz))


@register_op
class Mul(_Binary):
    """z = x * y; dz/dx = y, dz/dy = x."""

    compute = staticmethod(np.multiply)
    allowed = staticmethod(_numeric)

    def grad(self, op, dz):
        x, y = op.inputs
        if x.dtype.is_complex:  # TF: dz·conj(y), conj(x)·dz
            x, y = make_tensor("Conj", [x]), make_tensor("Conj", [y])
        return _broadcast_grads(op, dz * y, x * dz)


def _float_divide(x, y):
    return np.true_divide(x, y, dtype=x.dtype) if x.dtype.kind in "fc" else x / y


@register_op
class RealDiv(_Binary):
    """z = x / y (``x / y`` on floats); dz/dx = 1/y, dz/dy = -x/y²."""

    allowed = staticmethod(_numeric)
    compute = staticmethod(_float_divide)

    def grad(self, op, dz):
        x, y = op.inputs
        return _broadcast_grads(op, dz / y, dz * (negative(x) / y / y))


@register_op
class Div(RealDiv):
    """``tf.div``: true division for floats, flooring division for integers (TF 1.x)."""

    op_type = "Div"

    def kernel(self, op, ctx):
        if op.inputs[0].dtype.is_integer:
            return _integer_floor_divide(op)
        return _float_divide


def _divides_by_zero(x, y):
    """Whether an integer x / y has an element to compute with a zero divisor (an empty
    result computes nothing, so TF raises nothing)."""
    return bool(np.any(y == 0)) and math.prod(np.broadcast_shapes(np.shape(x),
                                                                  np.shape(y))) > 0


def _integer_floor_divide(op):
    def floor_divide(x, y):
        if _divides_by_zero(x, y):
            raise errors.InvalidArgumentError(None, op, "Integer division by zero\n\t [[node "
                                              f"{op.name}]]")
        return np.floor_divide(x, y)
    return floor_divide


@register_op
class FloorDiv(_Binary):
    """z = floor(x / y) (``x // y``); no gradient, as in TF."""

    allowed = staticmethod(_numeric)
    differentiable = False

    def kernel(self, op, ctx):
        if op.inputs[0].dtype.is_integer:
            return _integer_floor_divide(op)
        return np.floor_divide


@register_op
class FloorMod(_Binary):
    """z = x - floor(x / y) * y (``x % y``); dz/dx = 1, dz/dy = -floor(x / y)."""

    allowed = staticmethod(_numeric)

    def kernel(self, op, ctx):
        if op.inputs[0].dtype.is_integer:
            def integer_mod(x, y):
                if _divides_by_zero(x, y):
                    raise errors.InvalidArgumentError(None, op, "Integer division by zero")
                return np.mod(x, y)
            return integer_mod
        return np.mod

    def grad(self, op, dz):
        x, y = op.inputs
        return _broadcast_grads(op, dz, dz * negative(floor(x / y)))


@register_op
class Pow(_Binary):
    """z = x ** y; dz/dx = y·x^(y-1), dz/dy = z·log(x) (0 where x <= 0, as TF)."""

    allowed = staticmethod(_numeric)

    def kernel(self, op, ctx):
        if op.inputs[0].dtype.is_integer:
            def integer_power(x, y):
                if np.any(y < 0):
                    raise errors.InvalidArgumentError(
                        None, op, "Integers to negative integer powers are not allowed")
                return np.power(x, y)
            return integer_power
        return np.power

    def grad(self, op, dz):
        x, y = op.inputs
        z = op.outputs[0]
        dx = dz * y * pow(x, y - array_ops.constant(1, dtype=y.dtype.base_dtype))
        safe_log = where(x > array_ops.zeros_like(x), log(where(
            x > array_ops.zeros_like(x), x, array_ops.ones_like(x))), array_ops.zeros_like(x))
        return _broadcast_grads(op, dx, dz * z * safe_log)


class _Extremum(_Binary):
    allowed = staticmethod(_numeric)

    def grad(self, op, dz):
        x, y = op.inputs
        # TF routes the gradient to x where x wins ties for Maximum (x >= y) / Minimum (x <= y).
        x_selected = self.select_x(x, y)
        zeros = array_ops.zeros_like(dz)
        return _broadcast_grads(op, where(x_selected, dz, zeros), where(x_selected, zeros, dz))


@register_op
class Maximum(_Extremum):
    """z = max(x, y)."""

    compute = staticmethod(np.maximum)
    select_x = staticmethod(lambda x, y: greater_equal(x, y))


@register_op
class Minimum(_Extremum):
    """z = min(x, y)."""

    compute = staticmethod(np.minimum)
    select_x = staticmethod(lambda x, y: less_equal(x, y))


@register_op
class SquaredDifference(_Binary):
    """z = (x - y)²; dz/dx = 2(x - y)."""

    allowed = staticmethod(_numeric)
    compute = staticmethod(lambda x, y: np.square(x - y))

    def grad(self, op, dz):
        x, y = op.inputs
        d = array_ops.constant(2, dtype=dz.dtype.base_dtype) * dz * (x - y)
        return _broadcast_grads(op, d, negative(d))


class _Comparison(_Binary):
    output_dtype = dtypes.bool
    differentiable = False


@register_op
class Equal(_Comparison):
    """Elementwise x == y (``tf.equal``)."""

    compute = staticmethod(np.equal)
    allowed = staticmethod(lambda d: True)


@register_op
class NotEqual(_Comparison):
    compute = staticmethod(np.not_equal)
    allowed = staticmethod(lambda d: True)


@register_op
class Less(_Comparison):
    compute = staticmethod(np.less)


@register_op
class LessEqual(_Comparison):
    compute = staticmethod(np.less_equal)


@register_op
class Greater(_Comparison):
    compute = staticmethod(np.greater)


@register_op
class GreaterEqual(_Comparison):
    compute = staticmethod(np.greater_equal)


class _Logical(_Comparison):
    allowed = staticmethod(lambda d: d == dtypes.bool)


@register_op
class LogicalAnd(_Logical):
    compute = staticmethod(np.logical_and)


@register_op
class LogicalOr(_Logical):
    compute = staticmethod(np.logical_or)


def _binary_builder(op_type, default_name):
    """``tf.<op>(x, y, name=None)``: the op and its converted operands in one name scope, as
    TF's generated wrappers (``tf.add(x, 1)`` gives "Add" with "Add/y")."""
    def builder(x, y, name=None):
        with ops.name_scope(name, default_name, [x, y]) as scope:
            x, y = _binary_operands(x, y)
            return make_tensor(op_type, [x, y], name=scope)
    builder.__name__ = default_name
    builder.__doc__ = f"``tf.{default_name}``: elementwise {op_type} with broadcasting."
    return builder


# Default names as in TF 1.x: the generated ops use their type ("Add", "Mul"), the Python
# wrappers their own scope ("div", "floordiv").
add = _binary_builder("Add", "Add")
subtract = _binary_builder("Sub", "Sub")
multiply = _binary_builder("Mul", "Mul")
realdiv = _binary_builder("RealDiv", "RealDiv")
div = _binary_builder("Div", "div")
floor_div = _binary_builder("FloorDiv", "floordiv")
floormod = _binary_builder("FloorMod", "FloorMod")
pow = _binary_builder("Pow", "Pow")  # noqa: A001 (tf.pow)
maximum = _binary_builder("Maximum", "Maximum")
minimum = _binary_builder("Minimum", "Minimum")
squared_difference = _binary_builder("SquaredDifference", "SquaredDifference")
equal = _binary_builder("Equal", "Equal")
not_equal = _binary_builder("NotEqual", "NotEqual")
less = _binary_builder("Less", "Less")
less_equal = _binary_builder("LessEqual", "LessEqual")
greater = _binary_builder("Greater", "Greater")
greater_equal = _binary_builder("GreaterEqual", "GreaterEqual")
logical_and = _binary_builder("LogicalAnd", "LogicalAnd")
logical_or = _binary_builder("LogicalOr", "LogicalOr")
floordiv = floor_div
mod = floormod


def truediv(x, y, name=None):
    """``x / y``: integers are cast to float64 (float32 for int8/16) first, as TF 1.x."""
    with ops.name_scope(name, "truediv", [x, y]) as scope:
        x, y = _binary_operands(x, y)
        dtype = x.dtype.base_dtype
        if dtype.is_integer or dtype.is_bool:
            target = dtypes.float32 if dtype in (dtypes.int8, dtypes.int16, dtypes.uint8,
                                                 dtypes.uint16) else dtypes.float64
            x, y = cast(x, target), cast(y, target)
        return make_tensor("RealDiv", [x, y], name=scope)


divide = truediv


def logical_xor(x, y, name="LogicalXor"):
    return logical_and(logical_or(x, y), logical_not(logical_and(x, y)), name=name)


def scalar_mul(scalar, x, name=None):
    return multiply(scalar, x, name=name)


# ---- elementwise unary ops -------------------------------------------------------------------
class _Unary(OpDef):
    """Elementwise op of one tensor; output dtype = input dtype."""

    allowed = staticmethod(lambda d: d.is_numeric)

    def infer(self, op):
        x = op.inputs[0]
        if not self.allowed(x.dtype.base_dtype):
            raise TypeError(f"Value passed to parameter 'x' has DataType {x.dtype.base_dtype.name} "
                            f"not in list of allowed values for op '{op.type}'")
        return [(x.shape, x.dtype.base_dtype)]

    def kernel(self, op, ctx):
        return self.compute


def _floating(dtype):
    return dtype.is_floating or dtype.is_complex


@register_op
class Neg(_Unary):
    """y = -x."""

    compute = staticmethod(np.negative)

    def grad(self, op, dy):
        return [negative(dy)]


@register_op
class Abs(_Unary):
    """y = |x|; dy/dx = sign(x)."""

    compute = staticmethod(np.abs)

    def grad(self, op, dy):
        return [dy * sign(op.inputs[0])]


@register_op
class Sign(_Unary):
    """y = sign(x); gradient zero."""

    compute = staticmethod(np.sign)

    def grad(self, op, dy):
        return [array_ops.zeros_like(op.inputs[0])]


@register_op
class Square(_Unary):
    """y = x²; dy/dx = 2x."""

    compute = staticmethod(np.square)

    def grad(self, op, dy):
        x = op.inputs[0]
        return [dy * (array_ops.constant(2, dtype=x.dtype.base_dtype) * x)]


@register_op
class Sqrt(_Unary):
    """y = √x; dy/dx = 0.5 / y."""

    allowed = staticmethod(_floating)
    compute = staticmethod(np.sqrt)

    def grad(self, op, dy):
        return [make_tensor("SqrtGrad", [op.outputs[0], dy])]


@register_op
class Rsqrt(_Unary):
    """y = 1/√x; dy/dx = -0.5·y³."""

    allowed = staticmethod(_floating)

    def compute(self, x):
        return 1 / np.sqrt(x)

    def grad(self, op, dy):
        return [make_tensor("RsqrtGrad", [op.outputs[0], dy])]


@register_op
class Exp(_Unary):
    """y = eˣ; dy/dx = y."""

    allowed = staticmethod(_floating)
    compute = staticmethod(np.exp)

    def grad(self, op, dy):
        return [dy * op.outputs[0]]


@register_op
class Expm1(_Unary):
    """y = eˣ - 1; dy/dx = y + 1."""

    allowed = staticmethod(_floating)
    compute = staticmethod(np.expm1)

    def grad(self, op, dy):
        return [dy * exp(op.inputs[0])]


@register_op
class Log(_Unary):
    """y = ln x; dy/dx = 1/x."""

    allowed = staticmethod(_floating)

    def compute(self, x):
        return np.log(x)

    def grad(self, op, dy):
        return [dy * reciprocal(op.inputs[0])]


@register_op
class Log1p(_Unary):
    """y = ln(1 + x); dy/dx = 1/(1 + x)."""

    allowed = staticmethod(_floating)

    def compute(self, x):
        return np.log1p(x)

    def grad(self, op, dy):
        x = op.inputs[0]
        return [dy * reciprocal(array_ops.constant(1, dtype=x.dtype.base_dtype) + x)]


@register_op
class Reciprocal(_Unary):
    """y = 1/x; dy/dx = -y²."""

    allowed = staticmethod(_floating)

    def compute(self, x):
        return np.reciprocal(x)

    def grad(self, op, dy):
        return [make_tensor("ReciprocalGrad", [op.outputs[0], dy])]


# ---- gradient ops of unary ops, from the output y (TF's math_grad emits these) -------------------
class _UnaryGrad(OpDef):
    """dx from y = f(x) and the incoming gradient dy, elementwise."""

    def infer(self, op):
        dtype = _check_same_dtype(op, ("y", "dy"))
        if not _floating(dtype):
            raise TypeError(f"Value passed to parameter 'y' has DataType {dtype.name} not in "
                            f"list of allowed values for op '{op.type}'")
        return [(broadcast_shapes(op, op.inputs[0].shape, op.inputs[1].shape), dtype)]

    def kernel(self, op, ctx):
        return self.compute


@register_op
class SqrtGrad(_UnaryGrad):
    """dx = dy · 0.5 / y (y = √x)."""

    @staticmethod
    def compute(y, dy):
        return dy * 0.5 / y

    def grad(self, op, grad):
        # TF's _SqrtGradGrad
        y, out = op.inputs[0], op.outputs[0]
        ga = grad / y
        return [negative(ga) * out, ga * 0.5]


@register_op
class RsqrtGrad(_UnaryGrad):
    """dx = dy · -0.5 · y³ (y = 1/√x)."""

    @staticmethod
    def compute(y, dy):
        return dy * (y * y * y) * -0.5

    def grad(self, op, grad):
        # TF's _RsqrtGradGrad
        y, dy = op.inputs
        return [grad * -1.5 * dy * square(y), make_tensor("RsqrtGrad", [y, grad])]


@register_op
class ReciprocalGrad(_UnaryGrad):
    """dx = -dy · y² (y = 1/x)."""

    @staticmethod
    def compute(y, dy):
        return -dy * (y * y)

    def grad(self, op, grad):
        # TF's _ReciprocalGradGrad
        y, dy = op.inputs
        return [grad * -2.0 * dy * y, make_tensor("ReciprocalGrad", [y, grad])]


@register_op
class Floor(_Unary):
    """y = ⌊x⌋; no gradient (TF registers None)."""

    allowed = staticmethod(_floating)
    compute = staticmethod(np.floor)

    def grad(self, op, dy):
        return [None]


@register_op
class Ceil(Floor):
    op_type = "Ceil"
    compute = staticmethod(np.ceil)


@register_op
class Round(Floor):
    """Round half to even, as TF."""

    op_type = "Round"
    compute = staticmethod(np.round)


@register_op
class Sin(_Unary):
    """y = sin x; dy/dx = cos x."""

    allowed = staticmethod(_floating)
    compute = staticmethod(np.sin)

    def grad(self, op, dy):
        return [dy * cos(op.inputs[0])]


@register_op
class Cos(_Unary):
    """y = cos x; dy/dx = -sin x."""

    allowed = staticmethod(_floating)
    compute = staticmethod(np.cos)

    def grad(self, op, dy):
        return [negative(dy) * sin(op.inputs[0])]


@register_op
class LogicalNot(_Unary):
    allowed = staticmethod(lambda d: d == dtypes.bool)
    compute = staticmethod(np.logical_not)
    differentiable = False


def _unary_builder(op_type, default_name):
    def builder(x, name=None):
        return make_tensor(op_type, [ops.convert_to_tensor(x)], name=name or default_name)
    builder.__name__ = default_name
    builder.__doc__ = f"``tf.{default_name.lower()}``: elementwise {op_type}."
    return builder


negative = _unary_builder("Neg", "Neg")
sign = _unary_builder("Sign", "Sign")
square = _unary_builder("Square", "Square")
sqrt = _unary_builder("Sqrt", "Sqrt")
rsqrt = _unary_builder("Rsqrt", "Rsqrt")
exp = _unary_builder("Exp", "Exp")
expm1 = _unary_builder("Expm1", "Expm1")
log = _unary_builder("Log", "Log")
log1p = _unary_builder("Log1p", "Log1p")
reciprocal = _unary_builder("Reciprocal", "Reciprocal")
floor = _unary_builder("Floor", "Floor")
ceil = _unary_builder("Ceil", "Ceil")
round = _unary_builder("Round", "Round")  # noqa: A001 (tf.round)
sin = _unary_builder("Sin", "Sin")
cos = _unary_builder("Cos", "Cos")
logical_not = _unary_builder("LogicalNot", "LogicalNot")
neg = negative


def abs(x, name=None):  # noqa: A001 (tf.abs)
    """``tf.abs``: Abs, or for complex x ComplexAbs giving the real magnitude (as TF)."""
    x = ops.convert_to_tensor(x)
    if x.dtype.is_complex:
        return make_tensor("ComplexAbs", [x], {"Tout": x.dtype.real_dtype},
                           name=name or "ComplexAbs")
    return make_tensor("Abs", [x], name=name or "Abs")


# ---- broadcasting gradients ------------------------------------------------------------------
@register_op
class BroadcastGradientArgs(OpDef):
    """Given the shapes of the two operands of a broadcasting op, returns the axes each
    operand's gradient must be summed over (TF's internal ``BroadcastGradientArgs``)."""

    differentiable = False

    def infer(self, op):
        vector = tensor_shape.TensorShape([None])
        return [(vector, dtypes.int32), (vector, dtypes.int32)]

    def kernel(self, op, ctx):
        def reduction_axes(shape_x, shape_y):
            rank = max(len(shape_x), len(shape_y))
            sx = [1] * (rank - len(shape_x)) + list(shape_x)
            sy = [1] * (rank - len(shape_y)) + list(shape_y)
            rx = [i for i in range(rank) if sx[i] == 1 and sy[i] != 1 or i < rank - len(shape_x)]
            ry = [i for i in range(rank) if sy[i] == 1 and sx[i] != 1 or i < rank - len(shape_y)]
            return np.array(rx, np.int32), np.array(ry, np.int32)
        return reduction_axes


def _static_reduction_axes(shape_x, shape_other, shape_out):
    """Axes to sum the gradient of x over, or None when only run time can tell."""
    if shape_x.ndims is None or shape_other.ndims is None or shape_out.ndims is None:
        return None
    rank = shape_out.ndims
    x = [1] * (rank - shape_x.ndims) + shape_x.as_list()
    other = [1] * (rank - shape_other.ndims) + shape_other.as_list()
    axes = []
    for i in range(rank):
        lead = i < rank - shape_x.ndims
        if lead:
            axes.append(i)
        elif x[i] == 1:
            if other[i] != 1:
                axes.append(i)
        elif x[i] is None and other[i] != 1:
            return None  # x may be 1 here at run time while the other operand is not
    return axes


def _sum_to(grad, x, axes):
    if axes is None:
        return None
    if not axes:
        return grad
    summed = reduce_sum(grad, axes)
    if x.shape.is_fully_defined():
        return array_ops.reshape(summed, x.shape.as_list())
    return array_ops.reshape(summed, array_ops.shape(x))


def _broadcast_grads(op, grad_x, grad_y):
    """Sums each operand's gradient over the axes it was broadcast along."""
    x, y = op.inputs
    out_shape = op.outputs[0].shape
    gx = _sum_to(grad_x, x, _static_reduction_axes(x.shape, y.shape, out_shape))
    gy = _sum_to(grad_y, y, _static_reduction_axes(y.shape, x.shape, out_shape))
    if gx is None or gy is None:
        sx, sy = array_ops.shape(x), array_ops.shape(y)
        rx, ry = make_op("BroadcastGradientArgs", [sx, sy]).outputs
        if gx is None:
            gx = array_ops.reshape(reduce_sum(grad_x, rx), sx)
        if gy is None:
            gy = array_ops.reshape(reduce_sum(grad_y, ry), sy)
    return [gx, gy]


# ---- reductions ------------------------------------------------------------------------------
class _Reduction(OpDef):
    """Reduces ``input`` over the axes given by the ``reduction_indices`` input."""

    output_dtype = None
    allowed = staticmethod(lambda d: d.is_numeric)

    def _axes(self, op):
        """The normalised reduction axes when they are static, else None."""
        value = constant_value(op.inputs[1])
        if value is None:
            return None
        axes = np.atleast_1d(value).astype(int).tolist()
        rank = op.inputs[0].shape.ndims
        if rank is None:
            return sorted(set(axes))
        if rank == 0 and axes:
            raise ValueError(f"Invalid reduction dimension {axes[0]} for input with 0 "
                             f"dimensions in '{op.name}' (op: '{op.type}')")
        return sorted({normalize_axis(op, a, rank) for a in axes})

    def infer(self, op):
        x = op.inputs[0]
        if not self.allowed(x.dtype.base_dtype):
            raise TypeError(f"Value passed to parameter 'input' has DataType "
                            f"{x.dtype.base_dtype.name} not in list of allowed values for op "
                            f"'{op.type}'")
        keep = op.attrs["keep_dims"]
        out_dtype = self.output_dtype or x.dtype.base_dtype
        axes = self._axes(op)
        if x.shape.ndims is None:
            return [(tensor_shape.unknown_shape(), out_dtype)]
        if axes is None:
            return [(tensor_shape.unknown_shape(x.shape.ndims if keep else None), out_dtype)]
        dims = x.shape.as_list()
        if keep:
            out = [1 if i in axes else d for i, d in enumerate(dims)]
        else:
            out = [d for i, d in enumerate(dims) if i not in axes]
        return [(tensor_shape.TensorShape(out), out_dtype)]

    def kernel(self, op, ctx):
        return self._reduction_kernel(op, self.reduce_fn)

    def _reduction_kernel(self, op, reduce_fn):
        keep = op.attrs["keep_dims"]
        static_axes = self._axes(op)
        if static_axes is not None:
            axes = tuple(static_axes)
            return lambda x, _: np.asarray(reduce_fn(x, axis=axes, keepdims=keep))
        return lambda x, axes: np.asarray(reduce_fn(x, axis=tuple(np.atleast_1d(axes).tolist()),
                                                    keepdims=keep))


def _reduced_shape_for_grad(op):
    """The shape of the reduction output with the reduced axes kept as 1 (static if known)."""
    x = op.inputs[0]
    axes = op.op_def._axes(op)
    if axes is not None and x.shape.is_fully_defined():
        return [1 if i in axes else d for i, d in enumerate(x.shape.as_list())]
    if axes is not None and x.shape.ndims is not None:
        # Known axes, unknown dims: build [1 or shape[i] ...] at run time.
        shape = array_ops.shape(x)
        ones = array_ops.ones_like(shape)
        keep_mask = array_ops.constant([i in axes for i in range(x.shape.ndims)])
        return where(keep_mask, ones, shape)
    # Axes or rank known only at run time (TF's reduced_shape): dims whose index is one of
    # the (normalised) axes become 1.
    shape = array_ops.shape(x)
    rank = array_ops.size(shape)
    axes_tensor = floormod(array_ops.reshape(cast(op.inputs[1], dtypes.int32), [1, -1]), rank)
    index = array_ops.expand_dims(_range(0, rank), 1)
    reduced = reduce_any(equal(index, axes_tensor), axis=1)
    return where(reduced, array_ops.ones_like(shape), shape)


def _broadcast_back(op, dy):
    """Reshapes dy to the kept-dims shape and broadcasts it to the input's shape."""
    x = op.inputs[0]
    kept = dy if op.attrs["keep_dims"] else array_ops.reshape(dy, _reduced_shape_for_grad(op))
    return broadcast_to(kept, array_ops.shape(x) if not x.shape.is_fully_defined()
                        else x.shape.as_list())


@register_op
class Sum(_Reduction):
    """Sum over axes; the gradient broadcasts dy back over the reduced axes."""

    reduce_fn = staticmethod(np.sum)

    def grad(self, op, dy):
        return [_broadcast_back(op, dy), None]


def _float_mean(x, axis=None, keepdims=False):
    """np.mean's arithmetic for float32/64 arrays (pairwise sum, then one true division)
    without its Python-level overhead: about half the time at the book's shapes."""
    total = np.add.reduce(x, axis=axis, keepdims=keepdims)
    count = x.size // max(np.size(total), 1)
    if isinstance(total, np.ndarray):
        return np.true_divide(total, count, out=total)
    return np.true_divide(total, count)


@register_op
class Mean(_Reduction):
    """Mean over axes; gradient dy / (number of reduced elements)."""

    reduce_fn = staticmethod(np.mean)

    def kernel(self, op, ctx):
        # np.mean accumulates float16 in float32: only float32/64 take the short path.
        plain = op.inputs[0].dtype.base_dtype in (dtypes.float32, dtypes.float64)
        inner = self._reduction_kernel(op, _float_mean if plain else np.mean)
        out_type = op.inputs[0].dtype.as_numpy_dtype

        def mean(x, axes):
            return inner(x, axes).astype(out_type, copy=False)
        return mean

    def grad(self, op, dy):
        x, y = op.inputs[0], op.outputs[0]
        if x.shape.is_fully_defined() and y.shape.is_fully_defined():
            count = max(x.shape.num_elements() // max(y.shape.num_elements(), 1), 1)
            scale = array_ops.constant(1.0 / count, dtype=dy.dtype.base_dtype)
        else:
            count = cast(maximum(array_ops.size(x) // maximum(array_ops.size(y), 1), 1),
                         dy.dtype.base_dtype)
            scale = reciprocal(count)
        return [_broadcast_back(op, dy) * scale, None]


@register_op
class Prod(_Reduction):
    """Product over axes; gradient prod / x (inputs must be non-zero for this formula)."""

    reduce_fn = staticmethod(np.prod)

    def grad(self, op, dy):
        x = op.inputs[0]
        y_kept = _broadcast_back(op, op.outputs[0] if op.attrs["keep_dims"] else op.outputs[0])
        return [_broadcast_back(op, dy) * y_kept / x, None]


class _ExtremumReduction(_Reduction):
    def grad(self, op, dy):
        # TF: the gradient is split evenly between all entries equal to the extremum.
        x = op.inputs[0]
        y = _broadcast_back(op, op.outputs[0])
        indicators = cast(equal(y, x), dy.dtype.base_dtype)
        counts = _broadcast_back(op, _reduce_like(op, indicators))
        return [indicators / counts * _broadcast_back(op, dy), None]


def _reduce_like(op, value):
    return make_tensor("Sum", [value, op.inputs[1]], {"keep_dims": op.attrs["keep_dims"]})


def _extremum(reduce, lowest):
    """np.max/np.min with TF's value for an empty reduction: the dtype's lowest (Max) or
    highest (Min) value, -inf/inf for floats."""
    def reduce_with_identity(x, axis=None, keepdims=False):
        if x.size:
            return reduce(x, axis=axis, keepdims=keepdims)
        if x.dtype.kind == "f":
            initial = -np.inf if lowest else np.inf
        elif x.dtype.kind in "iu":
            initial = np.iinfo(x.dtype).min if lowest else np.iinfo(x.dtype).max
        else:
            initial = not lowest
        return reduce(x, axis=axis, keepdims=keepdims, initial=initial)
    return reduce_with_identity


@register_op
class Max(_ExtremumReduction):
    reduce_fn = staticmethod(_extremum(np.max, lowest=True))


@register_op
class Min(_ExtremumReduction):
    reduce_fn = staticmethod(_extremum(np.min, lowest=False))


@register_op
class All(_Reduction):
    reduce_fn = staticmethod(np.all)
    allowed = staticmethod(lambda d: d == dtypes.bool)
    differentiable = False


@register_op
class Any(_Reduction):
    reduce_fn = staticmethod(np.any)
    allowed = staticmethod(lambda d: d == dtypes.bool)
    differentiable = False


def _reduction_builder(op_type, default_name):
    def builder(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
                keep_dims=None):
        x = ops.convert_to_tensor(input_tensor)
        if axis is None:
            axis = reduction_indices
        elif reduction_indices is not None:
            raise ValueError("Cannot specify both 'axis' and 'reduction_indices'.")
        if keepdims is None:
            keepdims = bool(keep_dims)
        elif keep_dims is not None:
            raise ValueError("Cannot specify both 'keepdims' and 'keep_dims'.")
        if axis is None:  # TF's _ReductionDims: built before the op's own scope
            if x.shape.ndims is not None:
                axis_tensor = array_ops.constant(np.arange(x.shape.ndims, dtype=np.int32))
            else:
                axis_tensor = _range(0, array_ops.rank(x), 1)
        with ops.name_scope(name, default_name, [x]) as scope:
            if axis is not None:  # converted inside it: "Mean/reduction_indices"
                axis_tensor = ops.convert_to_tensor(axis, dtype=dtypes.int32,
                                                    name="reduction_indices")
            return make_tensor(op_type, [x, axis_tensor], {"keep_dims": bool(keepdims)},
                               name=scope)
    builder.__name__ = f"reduce_{default_name.lower()}"
    builder.__doc__ = (f"``tf.reduce_{default_name.lower()}(input_tensor, axis=None, keepdims="
                       f"None, name=None, reduction_indices=None, keep_dims=None)``.")
    return builder


reduce_sum = _reduction_builder("Sum", "Sum")
reduce_mean = _reduction_builder("Mean", "Mean")
reduce_prod = _reduction_builder("Prod", "Prod")
reduce_max = _reduction_builder("Max", "Max")
reduce_min = _reduction_builder("Min", "Min")
reduce_all = _reduction_builder("All", "All")
reduce_any = _reduction_builder("Any", "Any")


@register_op
class BroadcastTo(OpDef):
    """Broadcasts ``input`` to ``shape`` (``tf.broadcast_to``); gradient sums back."""

    may_alias_input = True

    def infer(self, op):
        from tfcompat.framework.op_def import constant_shape_value
        target = constant_shape_value(op.inputs[1])
        shape = broadcast_shapes(op, op.inputs[0].shape, target)
        return [(shape.merge_with(target) if target.ndims is not None else shape,
                 op.inputs[0].dtype.base_dtype)]

    def kernel(self, op, ctx):
        return lambda x, shape: np.broadcast_to(x, tuple(shape))

    def grad(self, op, dy):
        x = op.inputs[0]
        axes = _static_reduction_axes(x.shape, op.outputs[0].shape, op.outputs[0].shape)
        if axes is not None:
            return [_sum_to(dy, x, axes), None]
        sx = array_ops.shape(x)
        rx, _ = make_op("BroadcastGradientArgs", [sx, op.inputs[1]]).outputs
        return [array_ops.reshape(reduce_sum(dy, rx), sx), None]


def broadcast_to(input, shape, name=None):  # noqa: A002
    return make_tensor("BroadcastTo", [ops.convert_to_tensor(input),
                                       ops.convert_to_tensor(shape, dtype=dtypes.int32)],
                       name=name or "BroadcastTo")


# ---- matmul ----------------------------------------------------------------------------------
@register_op
class MatMul(OpDef):
    """C = op(A) @ op(B) for rank-2 tensors, op = transpose when ``transpose_a/b``; through
    BLAS. Gradients: dA = dC @ Bᵀ, dB = Aᵀ @ dC (transposes folded in as TF does)."""

    def infer(self, op):
        a, b = op.inputs
        dtype = _check_same_dtype(op, ("a", "b"))
        ta, tb = op.attrs["transpose_a"], op.attrs["transpose_b"]
        sa, sb = a.shape.with_rank(2) if a.shape.ndims in (None, 2) else None, b.shape
        if a.shape.ndims not in (None, 2) or b.shape.ndims not in (None, 2):
            raise ValueError(f"Shape must be rank 2 but is rank "
                             f"{a.shape.ndims if a.shape.ndims != 2 else b.shape.ndims} for "
                             f"'{op.name}' (op: 'MatMul') with input shapes: "
                             f"{format_shape(a.shape)}, {format_shape(b.shape)}.")
        sa, sb = a.shape.with_rank(2), b.shape.with_rank(2)
        m, k1 = (sa[1], sa[0]) if ta else (sa[0], sa[1])
        k2, n = (sb[1], sb[0]) if tb else (sb[0], sb[1])
        if not k1.is_compatible_with(k2):
            raise ValueError(f"Dimensions must be equal, but are {k1} and {k2} for '{op.name}' "
                             f"(op: 'MatMul') with input shapes: {format_shape(a.shape)}, "
                             f"{format_shape(b.shape)}.")
        return [(tensor_shape.TensorShape([m, n]), dtype)]

    def kernel(self, op, ctx):
        ta, tb = op.attrs["transpose_a"], op.attrs["transpose_b"]

        def matmul_kernel(a, b):
            if ta:
                a = a.T
            if tb:
                b = b.T
            if a.shape[1] != b.shape[0]:
                raise errors.InvalidArgumentError(
                    None, op, f"Matrix size-incompatible: In[0]: [{a.shape[0]},{a.shape[1]}], "
                    f"In[1]: [{b.shape[0]},{b.shape[1]}]\n\t [[node {op.name}]]")
            return np.dot(a, b)
        return matmul_kernel

    def grad(self, op, dc):
        a, b = op.inputs
        ta, tb = op.attrs["transpose_a"], op.attrs["transpose_b"]
        if not ta and not tb:
            return [matmul(dc, b, transpose_b=True), matmul(a, dc, transpose_a=True)]
        if not ta and tb:
            return [matmul(dc, b), matmul(dc, a, transpose_a=True)]
        if ta and not tb:
            return [matmul(b, dc, transpose_b=True), matmul(a, dc)]
        return [matmul(b, dc, transpose_a=True, transpose_b=True),
                matmul(dc, a, transpose_a=True, transpose_b=True)]


@register_op
class SparseMatMul(MatMul):
    """MatMul with hints that an operand is mostly zeros (``tf.sparse_matmul``); the hints
    only choose TF's kernel, the product and its gradient are MatMul's."""

    op_type = "SparseMatMul"


def sparse_matmul(a, b, transpose_a=False, transpose_b=False, a_is_sparse=False,
                  b_is_sparse=False, name=None):
    """``tf.sparse_matmul``: a float32 product of two matrices."""
    a = ops.convert_to_tensor(a, dtype=dtypes.float32, name="a")
    b = ops.convert_to_tensor(b, dtype=dtypes.float32, name="b")
    return make_tensor("SparseMatMul", [a, b],
                       {"transpose_a": bool(transpose_a), "transpose_b": bool(transpose_b),
                        "a_is_sparse": bool(a_is_sparse), "b_is_sparse": bool(b_is_sparse),
                        "Ta": dtypes.float32, "Tb": dtypes.float32},
                       name=name or "SparseMatMul")


@register_op
class BatchMatMul(OpDef):
    """Batched matmul over leading dims (``tf.matmul`` on rank > 2, adj_x/adj_y attrs)."""

    def infer(self, op):
        a, b = op.inputs
        dtype = _check_same_dtype(op)
        if a.shape.ndims is None or b.shape.ndims is None:
            return [(tensor_shape.unknown_shape(), dtype)]
        sa, sb = a.shape.as_list(), b.shape.as_list()
        if op.attrs["adj_x"]:
            sa[-1], sa[-2] = sa[-2], sa[-1]
        if op.attrs["adj_y"]:
            sb[-1], sb[-2] = sb[-2], sb[-1]
        if None not in (sa[-1], sb[-2]) and sa[-1] != sb[-2]:
            raise ValueError(f"Dimensions must be equal, but are {sa[-1]} and {sb[-2]} for "
                             f"'{op.name}' (op: 'BatchMatMul')")
        batch = broadcast_shapes(op, tensor_shape.TensorShape(sa[:-2]),
                                 tensor_shape.TensorShape(sb[:-2]))
        return [(batch.concatenate([sa[-2], sb[-1]]), dtype)]

    def kernel(self, op, ctx):
        ax, ay = op.attrs["adj_x"], op.attrs["adj_y"]
        return lambda a, b: np.matmul(np.swapaxes(a, -1, -2) if ax else a,
                                      np.swapaxes(b, -1, -2) if ay else b)

    def grad(self, op, dc):
        """TF's _BatchMatMul gradients for the four adjoint combinations, each summed over
        the batch dimensions its operand was broadcast along."""
        a, b = op.inputs
        ax, ay = op.attrs["adj_x"], op.attrs["adj_y"]
        if not ax and not ay:
            ga, gb = matmul(dc, b, adjoint_b=True), matmul(a, dc, adjoint_a=True)
        elif not ax:
            ga, gb = matmul(dc, b), matmul(dc, a, adjoint_a=True)
        elif not ay:
            ga, gb = matmul(b, dc, adjoint_b=True), matmul(a, dc)
        else:
            ga = matmul(b, dc, adjoint_a=True, adjoint_b=True)
            gb = matmul(dc, a, adjoint_a=True, adjoint_b=True)
        return _batch_broadcast_grads(a, b, ga, gb)


def _batch_broadcast_grads(a, b, ga, gb):
    """Sums BatchMatMul operand gradients over the batch axes that were broadcast (nothing to
    do when both operands have the same static batch shape)."""
    sa, sb = a.shape, b.shape
    if (sa.ndims is not None and sa.ndims == sb.ndims and sa.is_fully_defined()
            and sa[:-2] == sb[:-2]):
        return [ga, gb]
    shape_a, shape_b = array_ops.shape(a), array_ops.shape(b)
    ra, rb = make_op("BroadcastGradientArgs", [shape_a[:-2], shape_b[:-2]]).outputs
    return [array_ops.reshape(reduce_sum(ga, ra), shape_a),
            array_ops.reshape(reduce_sum(gb, rb), shape_b)]


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, name=None):
    """``tf.matmul``: MatMul for rank-2 inputs, BatchMatMul above."""
    with ops.name_scope(name, "MatMul", [a, b]) as scope:
        a, b = _binary_operands(a, b, names=("a", "b"))
        transpose_a = transpose_a or adjoint_a
        transpose_b = transpose_b or adjoint_b
        if (a.shape.ndims or 2) > 2 or (b.shape.ndims or 2) > 2:
            return make_tensor("BatchMatMul", [a, b],
                               {"adj_x": transpose_a, "adj_y": transpose_b}, name=scope)
        return make_tensor("MatMul", [a, b], {"transpose_a": bool(transpose_a),
                                              "transpose_b": bool(transpose_b)}, name=scope)


# ---- casts, selection, ranges ----------------------------------------------------------------
@register_op
class Cast(OpDef):
    """Converts the element type (``tf.cast``); float→int truncates toward zero like C++."""

    def infer(self, op):
        return [(op.inputs[0].shape, op.attrs["DstT"])]

    def kernel(self, op, ctx):
        source, destination = op.attrs["SrcT"], op.attrs["DstT"]
        if (source == dtypes.string) != (destination == dtypes.string):
            def unsupported(x):
                raise errors.UnimplementedError(
                    None, op, f"Cast {dtypes.kernel_type_name(source)} to "
                    f"{dtypes.kernel_type_name(destination)} is not supported")
            return unsupported
        target = destination.as_numpy_dtype
        return lambda x: x.astype(target)

    def grad(self, op, dy):
        src = op.inputs[0].dtype.base_dtype
        if src.is_floating and op.attrs["DstT"].is_floating:
            return [cast(dy, src)]
        return [None]


def cast(x, dtype, name=None):
    """``tf.cast``: a tensor's (or a SparseTensor's or IndexedSlices' values') new dtype."""
    dtype = dtypes.as_dtype(dtype).base_dtype
    from tfcompat.ops.indexed_slices import IndexedSlices
    from tfcompat.ops.sparse_tensor import SparseTensor
    if isinstance(x, SparseTensor):
        return SparseTensor(x.indices, cast(x.values, dtype, name), x.dense_shape)
    if isinstance(x, IndexedSlices):
        return IndexedSlices(cast(x.values, dtype, name), x.indices, x.dense_shape)
    x = ops.convert_to_tensor(x)
    if x.dtype.base_dtype == dtype:
        return x
    return make_tensor("Cast", [x], {"DstT": dtype, "SrcT": x.dtype.base_dtype},
                       name=name or "Cast")


def to_float(x, name="ToFloat"):
    return cast(x, dtypes.float32, name=name)


def to_int32(x, name="ToInt32"):
    return cast(x, dtypes.int32, name=name)


def to_int64(x, name="ToInt64"):
    return cast(x, dtypes.int64, name=name)


@register_op
class Select(OpDef):
    """``tf.where(cond, x, y)`` (TF 1.x: cond has x's shape or is a vector over dim 0)."""

    def infer(self, op):
        cond, x, y = op.inputs
        if cond.dtype.base_dtype != dtypes.bool:
            raise TypeError(f"Input 'condition' of 'Select' Op has type {cond.dtype.name} that "
                            "does not match expected type of bool.")
        if x.dtype.base_dtype != y.dtype.base_dtype:
            raise TypeError(f"Input 'e' of 'Select' Op has type {y.dtype.base_dtype.name} that "
                            f"does not match type {x.dtype.base_dtype.name} of argument 't'.")
        shape = x.shape.merge_with(y.shape)
        return [(shape, x.dtype.base_dtype)]

    def kernel(self, op, ctx):
        def select(cond, x, y):
            if cond.ndim == 1 and x.ndim > 1:
                cond = cond.reshape((-1,) + (1,) * (x.ndim - 1))
            return np.where(cond, x, y)
        return select

    def grad(self, op, dz):
        cond = op.inputs[0]
        zeros = array_ops.zeros_like(dz)
        return [None, where(cond, dz, zeros), where(cond, zeros, dz)]


@register_op
class Where(OpDef):
    """Coordinates of true elements, int64 [n, rank] (``tf.where(cond)``)."""

    differentiable = False

    def infer(self, op):
        rank = op.inputs[0].shape.ndims
        return [(tensor_shape.TensorShape([None, rank]), dtypes.int64)]

    def kernel(self, op, ctx):
        return lambda cond: np.argwhere(cond).astype(np.int64)


def where(condition, x=None, y=None, name=None):
    """``tf.where``: element selection with x and y, coordinates without."""
    condition = ops.convert_to_tensor(condition)
    if x is None and y is None:
        return make_tensor("Where", [condition], name=name or "Where")
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    x, y = _binary_operands(x, y)
    return make_tensor("Select", [condition, x, y], name=name or "Select")


select = where


@register_op
class Range(OpDef):
    """``tf.range(start, limit, delta)``."""

    differentiable = False

    def infer(self, op):
        values = [constant_value(t) for t in op.inputs]
        length = None
        if all(v is not None for v in values):
            length = len(np.arange(*[v.item() for v in values]))
        return [(tensor_shape.TensorShape([length]), op.attrs["Tidx"])]

    def kernel(self, op, ctx):
        dtype = op.attrs["Tidx"].as_numpy_dtype

        def range_kernel(start, limit, delta):
            if delta == 0:
                raise errors.InvalidArgumentError(None, op, "Requires delta != 0: 0")
            return np.arange(start, limit, delta, dtype=dtype)
        return range_kernel


def _range(start, limit=None, delta=1, dtype=None, name="range"):
    """``tf.range(start, limit=None, delta=1, dtype=None, name="range")``."""
    if limit is None:
        start, limit = 0, start
    values = [start, limit, delta]
    if dtype is None:
        kinds = [ops.convert_to_tensor(v).dtype if _is_tensor_like(v) else
                 dtypes.as_dtype(ops.numpy_value_of(v).dtype) for v in values]
        order = [dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64]
        dtype = max(kinds, key=lambda d: order.index(d.base_dtype) if d.base_dtype in order else 0)
    dtype = dtypes.as_dtype(dtype).base_dtype
    with ops.name_scope(name, "Range", [v for v in values if _is_tensor_like(v)]) as scope:
        tensors = [cast(ops.convert_to_tensor(v), dtype) if _is_tensor_like(v)
                   else ops.convert_to_tensor(v, dtype=dtype) for v in values]
        return make_tensor("Range", tensors, {"Tidx": dtype}, name=scope)




@register_op
class AddN(OpDef):
    """Sum of N tensors of one shape (``tf.add_n``); each input gets dy."""

    def infer(self, op):
        shape = op.inputs[0].shape
        for t in op.inputs[1:]:
            shape = shape.merge_with(t.shape)
        return [(shape, op.inputs[0].dtype.base_dtype)]

    def kernel(self, op, ctx):
        def add_n_kernel(*xs):
            total = xs[0] + xs[1] if len(xs) > 1 else xs[0].copy()
            for x in xs[2:]:
                total += x
            return total
        return add_n_kernel

    def grad(self, op, dy):
        return [dy] * len(op.inputs)


def add_n(inputs, name=None):
    inputs = [ops.convert_to_tensor(t) for t in inputs]
    if not inputs:
        raise ValueError("inputs must be a list of at least one Tensor with the same dtype and "
                         "shape")
    if len(inputs) == 1:
        return array_ops.identity(inputs[0], name=name) if name else inputs[0]
    return make_tensor("AddN", inputs, {"N": len(inputs)}, name=name or "AddN")


class _ArgExtremum(OpDef):
    differentiable = False

    def infer(self, op):
        x = op.inputs[0]
        axis = constant_value(op.inputs[1])
        if x.shape.ndims is None or axis is None:
            return [(tensor_shape.unknown_shape(), op.attrs["output_type"])]
        axis = normalize_axis(op, int(axis), x.shape.ndims)
        dims = x.shape.as_list()
        del dims[axis]
        return [(tensor_shape.TensorShape(dims), op.attrs["output_type"])]

    def kernel(self, op, ctx):
        out_type = op.attrs["output_type"].as_numpy_dtype
        fn = self.fn
        return lambda x, axis: np.asarray(fn(x, axis=int(axis)), dtype=out_type)


@register_op
class ArgMax(_ArgExtremum):
    """Index of the largest value along ``axis`` (``tf.argmax``; int64 by default)."""

    fn = staticmethod(np.argmax)


@register_op
class ArgMin(_ArgExtremum):
    fn = staticmethod(np.argmin)


def _arg_builder(op_type, default_name):
    def builder(input, axis=None, name=None, dimension=None,  # noqa: A002
                output_type=dtypes.int64):
        if axis is None:
            axis = 0 if dimension is None else dimension
        return make_tensor(op_type, [ops.convert_to_tensor(input),
                                     ops.convert_to_tensor(axis, dtype=dtypes.int32)],
                           {"output_type": dtypes.as_dtype(output_type)},
                           name=name or default_name)
    builder.__name__ = default_name.lower()
    return builder


argmax = _arg_builder("ArgMax", "ArgMax")
argmin = _arg_builder("ArgMin", "ArgMin")


# ---- segment sums --------------------------------------------------------------------------
@register_op
class UnsortedSegmentSum(OpDef):
    """out[i, ...] = sum of data[j..., ...] over j with segment_ids[j...] == i; negative ids
    are dropped (``tf.unsorted_segment_sum``). Gather's gradient is built on it. The
    gradient gathers dy at the ids (zero for dropped ones)."""

    def infer(self, op):
        data, ids, num_tensor = op.inputs
        for t, arg in ((ids, "segment_ids"), (num_tensor, "num_segments")):
            if t.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
                raise TypeError(f"Value passed to parameter '{arg}' has DataType "
                                f"{t.dtype.base_dtype.name} not in list of allowed values: "
                                "int32, int64")
        dtype = data.dtype.base_dtype
        if num_tensor.shape.ndims not in (None, 0):
            raise ValueError(f"Shape must be rank 0 but is rank {num_tensor.shape.ndims} for "
                             f"'{op.name}' (op: 'UnsortedSegmentSum')")
        num = constant_value(num_tensor)
        num = None if num is None else int(num)
        if data.shape.ndims is None or ids.shape.ndims is None:
            return [(tensor_shape.unknown_shape(), dtype)]
        prefix = data.shape.as_list()[:ids.shape.ndims]
        if len(prefix) < ids.shape.ndims or not tensor_shape.TensorShape(
                prefix).is_compatible_with(ids.shape):
            raise ValueError(f"Dimensions must be equal for data.shape = "
                             f"{format_shape(data.shape)} and segment_ids.shape = "
                             f"{format_shape(ids.shape)} in '{op.name}' (op: "
                             "'UnsortedSegmentSum')")
        return [(tensor_shape.TensorShape([num] + data.shape.as_list()[ids.shape.ndims:]),
                 dtype)]

    def kernel(self, op, ctx):
        def unsorted_segment_sum(data, ids, num):
            num = int(num)
            if data.shape[:ids.ndim] != ids.shape:
                raise errors.InvalidArgumentError(
                    None, op, f"data.shape = {list(data.shape)} does not start with "
                    f"segment_ids.shape = {list(ids.shape)}\n\t [[node {op.name}]]")
            inner = data.shape[ids.ndim:]
            flat_ids = ids.reshape(-1)
            flat = data.reshape((flat_ids.size,) + inner)
            too_big = flat_ids >= num
            if too_big.any():
                j = int(np.argmax(too_big))
                raise errors.InvalidArgumentError(
                    None, op, f"segment_ids[{j}] = {int(flat_ids[j])} is out of range [0, "
                    f"{num})\n\t [[node {op.name}]]")
            keep = flat_ids >= 0
            if not keep.all():
                flat_ids, flat = flat_ids[keep], flat[keep]
            out = np.zeros((num,) + inner, dtype=data.dtype)
            if flat.ndim == 1 and data.dtype.kind == "f":
                return np.bincount(flat_ids, weights=flat, minlength=num).astype(data.dtype)
            np.add.at(out, flat_ids, flat)
            return out
        return unsorted_segment_sum

    def grad(self, op, dy):
        ids = op.inputs[1]
        clipped = maximum(ids, array_ops.zeros_like(ids))
        gathered = array_ops.gather(dy, clipped)
        data_rank, id_rank = op.inputs[0].shape.ndims, ids.shape.ndims
        if data_rank is None or id_rank is None:
            return [gathered, None, None]
        mask = cast(greater_equal(ids, array_ops.zeros_like(ids)), dy.dtype.base_dtype)
        if data_rank > id_rank:
            mask = array_ops.reshape(mask, array_ops.concat(
                [array_ops.shape(ids), array_ops.ones([data_rank - id_rank], dtypes.int32)], 0))
        return [gathered * mask, None, None]


def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    """``tf.unsorted_segment_sum(data, segment_ids, num_segments, name=None)``."""
    data = ops.convert_to_tensor(data)
    segment_ids = array_ops._as_int_tensor(segment_ids)
    num_segments = ops.convert_to_tensor(num_segments) if _is_tensor_like(num_segments) else \
        ops.convert_to_tensor(num_segments, dtype=segment_ids.dtype.base_dtype)
    return make_tensor("UnsortedSegmentSum", [data, segment_ids, num_segments],
                       name=name or "UnsortedSegmentSum")


# ---- cumulative sums, linspace -------------------------------------------------------------
@register_op
class Cumsum(OpDef):
    """Running sum along ``axis`` (``tf.cumsum``), optionally exclusive (shifted by one) and/or
    reversed; the gradient is the cumsum of dy in the opposite direction."""

    accumulate = staticmethod(np.cumsum)  # Cumprod: np.cumprod, identity 1
    identity = 0

    def infer(self, op):
        x, axis_tensor = op.inputs
        if axis_tensor.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
            raise TypeError(f"Value passed to parameter 'axis' has DataType "
                            f"{axis_tensor.dtype.base_dtype.name} not in list of allowed "
                            "values: int32, int64")
        if axis_tensor.shape.ndims not in (None, 0):
            raise ValueError(f"Shape must be rank 0 but is rank {axis_tensor.shape.ndims} for "
                             f"'{op.name}' (op: '{op.type}')")
        axis = constant_value(axis_tensor)
        if axis is not None and x.shape.ndims is not None:
            normalize_axis(op, int(axis), x.shape.ndims)
        return [(x.shape, x.dtype.base_dtype)]

    def kernel(self, op, ctx):
        exclusive, reverse = op.attrs["exclusive"], op.attrs["reverse"]

        def cumsum_kernel(x, axis):
            axis = int(axis)
            if not -x.ndim <= axis < x.ndim:
                raise errors.InvalidArgumentError(
                    None, op, f"ValueError: axis must be in range [{-x.ndim}, {x.ndim}), got "
                    f"{axis}\n\t [[node {op.name}]]")
            y = np.flip(x, axis) if reverse else x
            out = self.accumulate(y, axis=axis, dtype=x.dtype)
            if exclusive:
                shifted = np.full_like(out, self.identity)
                index = [slice(None)] * x.ndim
                index[axis] = slice(1, None)
                source = [slice(None)] * x.ndim
                source[axis] = slice(None, -1)
                shifted[tuple(index)] = out[tuple(source)]
                out = shifted
            return np.flip(out, axis) if reverse else out
        return cumsum_kernel

    def grad(self, op, dy):
        return [cumsum(dy, op.inputs[1], exclusive=op.attrs["exclusive"],
                       reverse=not op.attrs["reverse"]), None]


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    """``tf.cumsum(x, axis=0, exclusive=False, reverse=False, name=None)``."""
    x = ops.convert_to_tensor(x)
    return make_tensor("Cumsum", [x, array_ops._as_int_tensor(axis)],
                       {"exclusive": bool(exclusive), "reverse": bool(reverse)},
                       name=name or "Cumsum")


@register_op
class LinSpace(OpDef):
    """``num`` evenly spaced values from start to stop inclusive (``tf.linspace``)."""

    differentiable = False

    def infer(self, op):
        start, stop, num_tensor = op.inputs
        dtype = start.dtype.base_dtype
        if dtype not in (dtypes.float32, dtypes.float64, dtypes.bfloat16):
            raise TypeError(f"Value passed to parameter 'start' has DataType {dtype.name} not in "
                            "list of allowed values: bfloat16, float32, float64")
        if stop.dtype.base_dtype != dtype:
            raise TypeError(f"Input 'stop' of 'LinSpace' Op has type {stop.dtype.base_dtype.name}"
                            f" that does not match type {dtype.name} of argument 'start'.")
        for t, arg in ((start, "start"), (stop, "stop"), (num_tensor, "num")):
            if t.shape.ndims not in (None, 0):
                raise ValueError(f"Shape must be rank 0 but is rank {t.shape.ndims} for "
                                 f"'{op.name}' (op: 'LinSpace') ({arg})")
        num = constant_value(num_tensor)
        if num is not None and int(num) <= 0:
            raise ValueError(f"Requires num > 0: {int(num)} for '{op.name}' (op: 'LinSpace')")
        return [(tensor_shape.TensorShape([None if num is None else int(num)]), dtype)]

    def kernel(self, op, ctx):
        def linspace_kernel(start, stop, num):
            num = int(num)
            if num <= 0:
                raise errors.InvalidArgumentError(None, op, f"Requires num > 0: {num}\n\t "
                                                  f"[[node {op.name}]]")
            return np.linspace(start, stop, num, dtype=start.dtype)
        return linspace_kernel


def linspace(start, stop, num, name=None):
    """``tf.linspace(start, stop, num, name=None)`` (LinSpace)."""
    start = ops.convert_to_tensor(start)
    stop = ops.convert_to_tensor(stop, dtype=start.dtype.base_dtype)
    return make_tensor("LinSpace", [start, stop, array_ops._as_int_tensor(num)],
                       name=name or "LinSpace")


lin_space = linspace


# ---- top-k -----------------------------------------------------------------------------------
@register_op
class InTopKV2(OpDef):
    """out[i] = predictions[i, targets[i]] is among the k largest of row i, ties included: true
    iff fewer than k entries are strictly larger. A target out of range or any non-finite
    prediction in the row gives false (TF's InTopK kernel)."""

    shape_determining_inputs = ()

    differentiable = False

    def infer(self, op):
        predictions, targets, k = op.inputs
        if predictions.dtype.base_dtype != dtypes.float32:
            raise TypeError(f"Input 'predictions' of 'InTopKV2' Op has type "
                            f"{predictions.dtype.base_dtype.name} that does not match expected "
                            "type of float32.")
        for t, arg in ((targets, "targets"), (k, "k")):
            if t.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
                raise TypeError(f"Value passed to parameter '{arg}' has DataType "
                                f"{t.dtype.base_dtype.name} not in list of allowed values: "
                                "int32, int64")
        if targets.dtype.base_dtype != k.dtype.base_dtype:
            raise TypeError(f"Input 'k' of 'InTopKV2' Op has type {k.dtype.base_dtype.name} that"
                            f" does not match type {targets.dtype.base_dtype.name} of argument "
                            "'targets'.")
        shapes = (f"with input shapes: {format_shape(predictions.shape)}, "
                  f"{format_shape(targets.shape)}, {format_shape(k.shape)}.")
        for t, rank in ((predictions, 2), (targets, 1), (k, 0)):
            if t.shape.ndims not in (None, rank):
                raise ValueError(f"Shape must be rank {rank} but is rank {t.shape.ndims} for "
                                 f"'{op.name}' (op: 'InTopKV2') {shapes}")
        batch = tensor_shape.TensorShape([None])
        if predictions.shape.ndims == 2:
            batch = batch.merge_with(predictions.shape[:1])
        if targets.shape.ndims == 1:
            try:
                batch = batch.merge_with(targets.shape)
            except ValueError:
                raise ValueError(f"Dimensions must be equal, but are "
                                 f"{predictions.shape[0].value} and {targets.shape[0].value} "
                                 f"for '{op.name}' (op: 'InTopKV2') {shapes}") from None
        return [(batch, dtypes.bool)]

    def kernel(self, op, ctx):
        def in_top_k_kernel(predictions, targets, k):
            if predictions.shape[0] != targets.shape[0]:
                raise errors.InvalidArgumentError(
                    None, op, f"First dimension of predictions {predictions.shape[0]} must match"
                    f" length of targets {targets.shape[0]}\n\t [[node {op.name}]]")
            k = int(k)
            classes = predictions.shape[1]
            valid = (targets >= 0) & (targets < classes)
            rows = np.arange(targets.shape[0])
            target_values = predictions[rows, np.where(valid, targets, 0)]
            larger = np.sum(predictions > target_values[:, None], axis=1)
            finite = np.all(np.isfinite(predictions), axis=1)
            return valid & finite & (larger < k)
        return in_top_k_kernel


def in_top_k(predictions, targets, k, name=None):
    """``tf.nn.in_top_k(predictions, targets, k, name=None)`` (InTopKV2, k as a tensor)."""
    # TF 1.x passes ``name`` to the op inside its own scope: "in_top_k/InTopKV2", with k
    # converted in the op's scope ("in_top_k/InTopKV2/k").
    with ops.name_scope(name, "in_top_k"), ops.name_scope(name, "InTopKV2") as scope:
        predictions = ops.convert_to_tensor(predictions, name="predictions")
        targets = array_ops._as_int_tensor(targets, name="targets")
        k = ops.convert_to_tensor(k, dtype=targets.dtype.base_dtype, name="k") if not \
            isinstance(k, ops.Tensor) else k
        return make_tensor("InTopKV2", [predictions, targets, k], name=scope)


@register_op
class TopKV2(OpDef):
    """The k largest entries of the last axis, sorted descending, with their indices (ties:
    lower index first). The gradient scatters dy back to the selected positions."""

    def infer(self, op):
        x, k_tensor = op.inputs
        if k_tensor.dtype.base_dtype != dtypes.int32:
            raise TypeError(f"Input 'k' of 'TopKV2' Op has type {k_tensor.dtype.base_dtype.name}"
                            " that does not match expected type of int32.")
        if k_tensor.shape.ndims not in (None, 0):
            raise ValueError(f"Shape must be rank 0 but is rank {k_tensor.shape.ndims} for "
                             f"'{op.name}' (op: 'TopKV2')")
        dtype = x.dtype.base_dtype
        k = constant_value(k_tensor)
        k = None if k is None else int(k)
        if k is not None and k < 0:
            raise ValueError(f"Need k >= 0, got {k} for '{op.name}' (op: 'TopKV2')")
        if x.shape.ndims is None:
            return [(tensor_shape.unknown_shape(), dtype),
                    (tensor_shape.unknown_shape(), dtypes.int32)]
        if x.shape.ndims == 0:
            raise ValueError(f"Shape must be at least rank 1 but is rank 0 for '{op.name}' "
                             f"(op: 'TopKV2') with input shapes: [], "
                             f"{format_shape(k_tensor.shape)}.")
        last = x.shape[-1].value
        if k is not None and last is not None and last < k:
            raise ValueError(f"input must have last dimension >= k = {k} but is {last} for "
                             f"'{op.name}' (op: 'TopKV2') with input shapes: "
                             f"{format_shape(x.shape)}, {format_shape(k_tensor.shape)} and with "
                             f"computed input tensors: input[1] = <{k}>.")
        out = tensor_shape.TensorShape(x.shape.as_list()[:-1] + [k])
        return [(out, dtype), (out, dtypes.int32)]

    def kernel(self, op, ctx):
        def top_k_kernel(x, k):
            k = int(k)
            if k < 0:
                raise errors.InvalidArgumentError(None, op, f"Need k >= 0, got {k}\n\t [[node "
                                                  f"{op.name}]]")
            if x.shape[-1] < k:
                raise errors.InvalidArgumentError(
                    None, op, f"input must have at least k columns. Had {x.shape[-1]}, needed "
                    f"{k}\n\t [[node {op.name}]]")
            keys = x.astype(np.int64) if x.dtype.kind == "u" else x
            order = np.argsort(-keys, axis=-1, kind="stable")[..., :k]
            return np.take_along_axis(x, order, axis=-1), order.astype(np.int32)
        return top_k_kernel

    def grad(self, op, dvalues, dindices=None):
        x = op.inputs[0]
        indices = op.outputs[1]
        x_shape = array_ops.shape(x)
        n = x_shape[-1]
        k = array_ops.shape(indices)[-1]
        rows_2d = array_ops.reshape(indices, array_ops.stack([-1, k]))
        rows = array_ops.shape(rows_2d)[0]
        offsets = array_ops.expand_dims(_range(0, rows * n, n), -1)
        flat = array_ops.reshape(rows_2d + offsets, [-1, 1])
        scattered = array_ops.scatter_nd(flat, array_ops.reshape(dvalues, [-1]),
                                         array_ops.reshape(array_ops.size(x), [1]))
        dx = array_ops.reshape(scattered, x_shape)
        dx.set_shape(x.shape)
        return [dx, None]


class _TopKResult(tuple):
    """(values, indices) with named fields, like TF's generated TopKV2 result."""

    __slots__ = ()

    def __new__(cls, values, indices):
        return super().__new__(cls, (values, indices))

    values = property(lambda self: self[0])
    indices = property(lambda self: self[1])


def top_k(input, k=1, sorted=True, name=None):  # noqa: A002
    """``tf.nn.top_k(input, k=1, sorted=True, name=None)`` -> (values, indices)."""
    x = ops.convert_to_tensor(input)
    k_tensor = ops.convert_to_tensor(k, dtype=dtypes.int32) if not isinstance(
        k, ops.Tensor) else k
    values, indices = make_op("TopKV2", [x, k_tensor], {"sorted": bool(sorted)},
                              name=name or "TopKV2").outputs
    return _TopKResult(values, indices)


# ---- tensordot -------------------------------------------------------------------------------
def _tensordot_axes(a_rank, b_rank, axes):
    if isinstance(axes, (int, np.integer)):
        axes = int(axes)
        if axes < 0:
            raise ValueError(f"'axes' must be at least 0, got {axes}.")
        if axes > a_rank or axes > b_rank:
            raise ValueError(f"'axes' must not be larger than the number of dimensions of "
                             f"tensor (a rank {a_rank}, b rank {b_rank}), got {axes}.")
        return list(range(a_rank - axes, a_rank)), list(range(axes))
    if isinstance(axes, ops.Tensor):
        value = constant_value(axes)
        if value is None:
            raise ValueError("tfcompat: tensordot needs axes known at graph-construction time")
        return _tensordot_axes(a_rank, b_rank, value.tolist())
    axes = list(axes) if not isinstance(axes, np.ndarray) else axes.tolist()
    if len(axes) != 2:
        raise ValueError(f"'axes' must be an integer or have length 2, got {axes}.")
    a_axes, b_axes = axes
    a_axes = [a_axes] if isinstance(a_axes, (int, np.integer)) else list(a_axes)
    b_axes = [b_axes] if isinstance(b_axes, (int, np.integer)) else list(b_axes)
    if len(a_axes) != len(b_axes):
        raise ValueError(f"Different number of contraction axes 'a' and 'b', {len(a_axes)} != "
                         f"{len(b_axes)}.")
    return [int(i) % a_rank for i in a_axes], [int(i) % b_rank for i in b_axes]


def _tensordot_reshape(x, contract, contract_first):
    """Transposes x so the contracted axes come last (first for b) and flattens it to 2-D;
    returns (matrix, free dims as a list of ints/None, free dims as a tensor or None)."""
    rank = x.shape.ndims
    free = [i for i in range(rank) if i not in contract]
    perm = contract + free if contract_first else free + contract
    if perm != list(range(rank)):
        x_t = array_ops.transpose(x, perm)
    else:
        x_t = x
    dims = x.shape.as_list()
    free_dims = [dims[i] for i in free]
    contract_dims = [dims[i] for i in contract]
    if None not in free_dims and None not in contract_dims:
        rows, cols = int(np.prod(free_dims)), int(np.prod(contract_dims))
        target = [cols, rows] if contract_first else [rows, cols]
        return array_ops.reshape(x_t, target), free_dims, None
    full = array_ops.shape(x)
    free_tensor = array_ops.gather(full, free) if free else array_ops.constant(
        np.zeros(0, np.int32))
    rows = reduce_prod(free_tensor, keepdims=True) if free else array_ops.constant([1])
    cols = (reduce_prod(array_ops.gather(full, contract), keepdims=True) if contract
            else array_ops.constant([1]))
    target = array_ops.concat([cols, rows] if contract_first else [rows, cols], 0)
    return array_ops.reshape(x_t, target), free_dims, free_tensor


def tensordot(a, b, axes, name=None):
    """``tf.tensordot``: contraction over ``axes`` built from Transpose, Reshape and MatMul,
    as TF does."""
    with ops.name_scope(name, "Tensordot", [a, b, axes]) as scope:
        a = ops.convert_to_tensor(a, name="a")
        b = ops.convert_to_tensor(b, name="b", dtype=a.dtype.base_dtype) if not isinstance(
            b, ops.Tensor) else b
        if a.shape.ndims is None or b.shape.ndims is None:
            raise ValueError("tfcompat: tensordot needs inputs of known rank")
        a_axes, b_axes = _tensordot_axes(a.shape.ndims, b.shape.ndims, axes)
        a_matrix, a_free, a_free_t = _tensordot_reshape(a, a_axes, False)
        b_matrix, b_free, b_free_t = _tensordot_reshape(b, b_axes, True)
        product = matmul(a_matrix, b_matrix)
        if a_free_t is None and b_free_t is None:
            return array_ops.reshape(product, a_free + b_free, name=scope)
        parts = [a_free_t if a_free_t is not None else array_ops.constant(
                     np.array(a_free, np.int32)),
                 b_free_t if b_free_t is not None else array_ops.constant(
                     np.array(b_free, np.int32))]
        result = array_ops.reshape(product, array_ops.concat(parts, 0), name=scope)
        result.set_shape(a_free + b_free)
        return result


def _operator(function, scope_name):
    """TF's binary_op_wrapper: ``x + 1`` builds its op in a scope named after the Python
    operator ("add", "truediv", "and"), converting the other operand inside it ("add/y")."""
    def apply(x, y):
        with ops.name_scope(None, scope_name, [x, y]) as scope:
            return function(x, y, name=scope)
    return apply


for _name, _fn in [("add", add), ("subtract", subtract), ("multiply", multiply),
                   ("truediv", truediv), ("floordiv", floordiv), ("mod", mod), ("pow", pow),
                   ("matmul", matmul), ("logical_and", logical_and), ("logical_or", logical_or),
                   ("logical_xor", logical_xor)]:
    _scope_name = {"subtract": "sub", "multiply": "mul", "logical_and": "and",
                   "logical_or": "or", "logical_xor": "xor"}.get(_name, _name)
    ops._OVERLOADS[_name] = _operator(_fn, _scope_name)
# Comparisons and unary operators are the generated ops themselves ("Less", "Neg").
for _name, _fn in [("less", less), ("less_equal", less_equal), ("greater", greater),
                   ("greater_equal", greater_equal), ("negative", negative), ("abs", abs),
                   ("logical_not", logical_not), ("getitem", array_ops._slice_helper)]:
    ops._OVERLOADS[_name] = _fn


# The public builders re-exported as tf.*; extend when adding one.
__all__ = [
    "sparse_matmul",
    "add",
    "subtract",
    "multiply",
    "realdiv",
    "div",
    "floor_div",
    "floordiv",
    "floormod",
    "mod",
    "pow",
    "maximum",
    "minimum",
    "squared_difference",
    "equal",
    "not_equal",
    "less",
    "less_equal",
    "greater",
    "greater_equal",
    "logical_and",
    "logical_or",
    "logical_xor",
    "logical_not",
    "truediv",
    "divide",
    "scalar_mul",
    "negative",
    "sign",
    "square",
    "sqrt",
    "rsqrt",
    "exp",
    "expm1",
    "log",
    "log1p",
    "reciprocal",
    "floor",
    "ceil",
    "round",
    "sin",
    "cos",
    "abs",
    "reduce_sum",
    "reduce_mean",
    "reduce_prod",
    "reduce_max",
    "reduce_min",
    "reduce_all",
    "reduce_any",
    "broadcast_to",
    "matmul",
    "cast",
    "to_float",
    "to_int32",
    "to_int64",
    "where",
    "select",
    "add_n",
    "argmax",
    "argmin",
    "unsorted_segment_sum",
    "cumsum",
    "linspace",
    "lin_space",
    "in_top_k",
    "top_k",
    "tensordot",
]
