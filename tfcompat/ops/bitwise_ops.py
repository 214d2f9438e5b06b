"""Bitwise ops on integer tensors (TF's bitwise_ops): and, or, xor with broadcasting,
invert, and shifts (by amounts outside [0, bits) the result is as TF's kernels give:
0 for a left shift, the sign fill for a right shift)."""
import numpy as np

from tfcompat.framework import ops
from tfcompat.framework.op_def import make_tensor, register_op
from tfcompat.ops.math_ops import _Binary, _binary_builder, _Unary


def _integer(dtype):
    return dtype.is_integer


class _BitwiseBinary(_Binary):
    allowed = staticmethod(_integer)
    differentiable = False


@register_op
class BitwiseAnd(_BitwiseBinary):
    compute = staticmethod(np.bitwise_and)


@register_op
class BitwiseOr(_BitwiseBinary):
    compute = staticmethod(np.bitwise_or)


@register_op
class BitwiseXor(_BitwiseBinary):
    compute = staticmethod(np.bitwise_xor)


def _shift(direction):
    def shift(x, y):
        bits = x.dtype.itemsize * 8
        inside = (y >= 0) & (y < bits)
        safe = np.where(inside, y, 0).astype(x.dtype)
        shifted = np.left_shift(x, safe) if direction == "left" else np.right_shift(x, safe)
        overflow = np.zeros_like(shifted) if direction == "left" else np.where(
            x < 0, np.array(-1, x.dtype), np.array(0, x.dtype))
        return np.where(inside, shifted, overflow).astype(x.dtype)
    return shift


@register_op
class LeftShift(_BitwiseBinary):
    compute = staticmethod(_shift("left"))


@register_op
class RightShift(_BitwiseBinary):
    compute = staticmethod(_shift("right"))


@register_op
class Invert(_Unary):
    """~x, bit by bit."""

    allowed = staticmethod(_integer)
    compute = staticmethod(np.invert)
    differentiable = False


bitwise_and = _binary_builder("BitwiseAnd", "BitwiseAnd")
bitwise_or = _binary_builder("BitwiseOr", "BitwiseOr")
bitwise_xor = _binary_builder("BitwiseXor", "BitwiseXor")
left_shift = _binary_builder("LeftShift", "LeftShift")
right_shift = _binary_builder("RightShift", "RightShift")


def invert(x, name=None):
    """``tf.bitwise.invert(x, name=None)``."""
    x = ops.convert_to_tensor(x)
    if not x.dtype.is_integer:
        raise TypeError(f"Value passed to parameter 'x' has DataType {x.dtype.name} not in "
                        "list of allowed values: int8, int16, int32, int64, uint8, uint16, "
                        "uint32, uint64")
    return make_tensor("Invert", [x], name=name or "Invert")


# Reached through tf.bitwise only.
__all__ = []
