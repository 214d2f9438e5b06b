"""Activation gradients as one Numba pass (``runtime.kernels``) in specialised plans.

Each kernel computes the reference's formula in its order and in the arrays' dtype, so the
tiers agree bit for bit (NaN included: TF's ReluGrad multiplies by the mask, EluGrad and
SeluGrad select on ``output < 0``).
"""
from tfcompat.framework import dtypes
from tfcompat.ops.nn_ops import SELU_ALPHA, SELU_SCALE
from tfcompat.runtime import kernels, lowering

#: op type -> (kernel, coefficients of the op, whether the op takes (y, dy) rather than (dy, y))
_ACTIVATION_GRADS = {
    "ReluGrad": (kernels.relu_grad, lambda op: (), False),
    "EluGrad": (kernels.elu_grad, lambda op: (1.0,), False),
    "SeluGrad": (kernels.selu_grad, lambda op: (SELU_SCALE, SELU_SCALE * SELU_ALPHA), False),
    "LeakyReluGrad": (kernels.leaky_relu_grad, lambda op: (float(op.attrs["alpha"]),), False),
    "SigmoidGrad": (kernels.sigmoid_grad, lambda op: (1.0,), True),
    "TanhGrad": (kernels.tanh_grad, lambda op: (1.0,), True),
}


def _activation_grad_rule(kernel, coefficients_of, y_first):
    def rule(op, ctx):
        if op.inputs[0].dtype.base_dtype not in (dtypes.float32, dtypes.float64):
            return None
        coefficients = coefficients_of(op)
        if y_first:
            return lambda y, dy: kernel(dy, y, *coefficients)
        return lambda dy, y: kernel(dy, y, *coefficients)
    return rule


for _op_type, (_kernel, _coefficients, _y_first) in _ACTIVATION_GRADS.items():
    lowering.fast_kernel(_op_type)(_activation_grad_rule(_kernel, _coefficients, _y_first))
