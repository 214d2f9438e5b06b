"""Float-operation counts per op type, with TF's formulas (TF's flops_registry and the
statistics nn_ops registers): ``float_ops(op)`` is None for op types without a formula and
raises ValueError where a shape the formula needs is not fully known, as TF's does."""
import math

_REGISTRY = {}


def _register(*op_types):
    def decorate(formula):
        for op_type in op_types:
            _REGISTRY[op_type] = formula
        return formula
    return decorate


def float_ops(op):
    """The float operations ``op`` does (None: its type has no registered formula)."""
    formula = _REGISTRY.get(op.type)
    return None if formula is None else int(formula(op))


def _known_shape(tensor):
    """``tensor``'s dims as a list of ints; ValueError when not fully defined (TF's
    ``assert_is_fully_defined``)."""
    shape = tensor.shape
    if not shape.is_fully_defined():
        raise ValueError(f"Shape {shape} is not fully defined")
    return shape.as_list()


def _elements(tensor):
    return math.prod(_known_shape(tensor))


def _check_nhwc(op):
    if op.attrs.get("data_format", "NHWC") != "NHWC":
        raise ValueError("Only NHWC format is supported in flops computations")


def _per_input_element(ops_per_element):
    return lambda op: _elements(op.inputs[0]) * ops_per_element


def _per_output_element(ops_per_element):
    return lambda op: _elements(op.outputs[0]) * ops_per_element


for _op_types, _count in (
        (("Reciprocal", "Square", "Log", "Neg", "AssignSub", "AssignAdd"), 1),
        (("Rsqrt",), 2), (("Softmax",), 5)):
    _register(*_op_types)(_per_input_element(_count))

for _op_types, _count in (
        (("Add", "AddV2", "Sub", "Mul", "RealDiv", "Maximum", "Minimum", "Pow",
          "GreaterEqual", "Greater", "LessEqual", "Less", "Equal", "NotEqual"), 1),
        (("SquaredDifference",), 2), (("RsqrtGrad",), 4)):
    _register(*_op_types)(_per_output_element(_count))


@_register("L2Loss")
def _l2_loss(op):
    return _elements(op.inputs[0]) * 3 - 1


def _reduction(reduce_flops, finalize_flops):
    """Reduce ops: ``reduce_flops`` per input element, ``finalize_flops - reduce_flops`` more
    per output element."""
    def formula(op):
        return (_elements(op.inputs[0]) * reduce_flops
                + _elements(op.outputs[0]) * (finalize_flops - reduce_flops))
    return formula


_register("Mean")(_reduction(1, 1))
_register("Sum", "ArgMax", "ArgMin", "BiasAddGrad")(_reduction(1, 0))


@_register("AvgPool", "MaxPool")
def _pool(op):
    _check_nhwc(op)
    return _elements(op.outputs[0]) * math.prod(op.attrs["ksize"])


@_register("AvgPoolGrad")
def _avg_pool_grad(op):
    _check_nhwc(op)
    return math.prod(op.attrs["ksize"]) * _elements(op.inputs[1]) * 2


@_register("MaxPoolGrad")
def _max_pool_grad(op):
    _check_nhwc(op)
    pooled = _elements(op.inputs[1])
    return math.prod(op.attrs["ksize"]) * pooled + pooled


def _backprop_conv(image, kernel, strides):
    """TF's count for a Conv2D backprop: 2 * image * kernel / (channels * stride area), in
    floating point as TF computes it."""
    image_shape = _known_shape(image)
    return (2 * math.prod(image_shape) * _elements(kernel)
            / (image_shape[-1] * strides[1] * strides[2]))


@_register("Conv2DBackpropInput")
def _conv2d_backprop_input(op):
    _check_nhwc(op)
    return _backprop_conv(op.outputs[0], op.inputs[1], op.attrs["strides"])


@_register("Conv2DBackpropFilter")
def _conv2d_backprop_filter(op):
    _check_nhwc(op)
    return _backprop_conv(op.inputs[0], op.outputs[0], op.attrs["strides"])


@_register("AddN")
def _add_n(op):
    if not op.inputs:
        return 0
    return _elements(op.inputs[0]) * (len(op.inputs) - 1)


@_register("MatMul", "BatchMatMul", "BatchMatMulV2", "BatchMatMulV3")
def _mat_mul(op):
    """2 * k per output element, k the contracted dim of the first operand. As in TF, a
    batched product reads a ``transpose_a`` attr (which BatchMatMul ops lack: their
    ``adj_x`` is not consulted)."""
    a_shape = _known_shape(op.inputs[0])
    transposed = bool(op.attrs.get("transpose_a", False))
    if op.type == "MatMul":
        k = a_shape[0] if transposed else a_shape[1]
    else:
        k = a_shape[-2] if transposed else a_shape[-1]
    return 2 * k * _elements(op.outputs[0])


@_register("Conv2D", "Conv3D")
def _conv(op):
    """2 multiply-adds per output element and filter tap over the input depth."""
    _known_shape(op.inputs[0])
    taps = math.prod(_known_shape(op.inputs[1])[:-1])
    return 2 * taps * _elements(op.outputs[0])


@_register("DepthwiseConv2dNative", "Dilation2D")
def _windowed(op):
    _known_shape(op.inputs[0])
    filter_shape = _known_shape(op.inputs[1])
    return 2 * filter_shape[0] * filter_shape[1] * _elements(op.outputs[0])


@_register("BiasAdd")
def _bias_add(op):
    return _elements(op.inputs[0])
