"""Per-element formulas and column reductions of the ops the fusion tier fuses
(``runtime/fusion.py``).

A formula is Numba scalar code over the op's inputs ``{0}``, ``{1}`` (float32/float64 data;
``np``, ``math`` and ``kernels`` are in scope), computing TF's value in the reference
kernel's order: the fusion tier types its float literals as the data, so each operation
rounds as the reference's NumPy pass does and the tiers agree bit for bit (but for the
expm1 of Elu and Selu, within one unit in the last place). Where attributes or the
recorded input values of a reference run decide, a rule ``(op, values) -> formula | None``
is registered instead. A column reduction rule
answers "sum" or "mean" when the op sums or averages a matrix over axis 0 alone.
"""
import numpy as np

from tfcompat.framework import dtypes
from tfcompat.ops.nn_ops import SELU_ALPHA, SELU_SCALE
from tfcompat.runtime import lowering

#: op type -> formula, for ops whose formula never depends on attributes or values.
FORMULAS = {
    "Add": "{0} + {1}",
    "AddV2": "{0} + {1}",
    "Sub": "{0} - {1}",
    "Mul": "{0} * {1}",
    "RealDiv": "{0} / {1}",
    "Div": "{0} / {1}",  # fused for floats only: true division
    "SquaredDifference": "({0} - {1}) * ({0} - {1})",
    "Neg": "-{0}",
    "Square": "{0} * {0}",
    "Sqrt": "np.sqrt({0})",
    "Rsqrt": "1.0 / np.sqrt({0})",
    "Reciprocal": "1.0 / {0}",
    "SqrtGrad": "{1} * 0.5 / {0}",
    "RsqrtGrad": "{1} * ({0} * {0} * {0}) * -0.5",
    "ReciprocalGrad": "-{1} * ({0} * {0})",
    "Floor": "np.floor({0})",
    "Ceil": "np.ceil({0})",
    "Round": "np.rint({0})",  # half to even, as np.round
    "BroadcastTo": "{0}",  # the fusion tier reads the input broadcast, as NumPy would
    "Relu": "{0} if not {0} < 0.0 else 0.0",  # max(x, 0), NaN stays NaN
    "ReluGrad": "{0} if {1} > 0.0 else {0} * 0.0",  # dy * (x > 0): NaN dy stays NaN
    "EluGrad": "{0} * ({1} + 1.0) if {1} < 0.0 else {0}",
    "SigmoidGrad": "{1} * {0} * (1.0 - {0})",
    "TanhGrad": "{1} * (1.0 - {0} * {0})",
    "Reshape": "{0}",
    "ExpandDims": "{0}",
    "Squeeze": "{0}",
    "ZerosLike": "0.0",
    "OnesLike": "1.0",
}

#: Ops that only relabel their input's elements: they fuse where input and output occupy
#: the same loop positions.
REINDEXING = {"Reshape", "ExpandDims", "Squeeze"}


def _constant(formula):
    return lambda op, values: formula


for _op_type, _formula in FORMULAS.items():
    lowering.fusion_formula(_op_type)(_constant(_formula))


def _expm1_call(op):
    """expm1 inside a fused kernel: the vectorisable float32 helper, else libm's."""
    if op.outputs[0].dtype.base_dtype == dtypes.float32:
        return "kernels.expm1_negative_f32"
    return "math.expm1"


@lowering.fusion_formula("Elu")
def _elu(op, values):
    # TF's functor: x < 0 ? expm1(x) : x (NaN and -0.0 pass through).
    return f"({{0}} if not {{0}} < 0.0 else {_expm1_call(op)}({{0}}))"


@lowering.fusion_formula("Selu")
def _selu(op, values):
    # TF's functor: x < 0 ? scale * alpha * expm1(x) : scale * x.
    return (f"({SELU_SCALE!r} * {{0}} if not {{0}} < 0.0 else "
            f"{SELU_SCALE * SELU_ALPHA!r} * {_expm1_call(op)}({{0}}))")


@lowering.fusion_formula("BiasAdd")
def _bias_add(op, values):
    return "{0} + {1}" if op.attrs["data_format"] != "NCHW" else None


@lowering.fusion_formula("AddN")
def _add_n(op, values):
    # Left to right, as the kernel adds.
    return " + ".join(f"{{{i}}}" for i in range(len(op.inputs)))


def _no_axes(op, values):
    """A reduction over no axes copies its input (the Sum of a gradient between operands of
    equal shapes)."""
    return "{0}" if np.size(values[1]) == 0 else None


lowering.fusion_formula("Sum")(_no_axes)
lowering.fusion_formula("Mean")(_no_axes)


def _over_rows(values):
    """Whether a reduction's recorded (input, axes) reduce a matrix over axis 0 alone."""
    x, axes = values
    return np.ndim(x) == 2 and sorted({int(a) % 2 for a in np.ravel(axes)}) == [0]


@lowering.fusion_reduction("Sum")
def _sum(op, values):
    return "sum" if _over_rows(values) else None


@lowering.fusion_reduction("Mean")
def _mean(op, values):
    return "mean" if _over_rows(values) else None


@lowering.fusion_reduction("BiasAddGrad")
def _bias_add_grad(op, values):
    return "sum" if op.attrs["data_format"] != "NCHW" and np.ndim(values[0]) == 2 else None
