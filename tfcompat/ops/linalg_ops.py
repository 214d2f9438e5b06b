"""Linear-algebra ops on (batches of) square matrices (TF's linalg_ops / linalg_grad):
inverse, determinant, diagonals and trace, through NumPy's LAPACK bindings."""
import numpy as np

from tfcompat.framework import dtypes, errors, ops, tensor_shape
from tfcompat.framework.op_def import OpDef, format_shape, make_tensor, register_op
from tfcompat.ops import array_ops, math_ops

_FLOATS = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.complex64, dtypes.complex128)


def _square_batch_shape(op, allowed=_FLOATS):
    """Checks op.inputs[0] is a (batch of) square matrices; returns its TensorShape."""
    x = op.inputs[0]
    dtype = x.dtype.base_dtype
    if dtype not in allowed:
        raise TypeError(f"Value passed to parameter 'input' has DataType {dtype.name} not in "
                        f"list of allowed values: {', '.join(d.name for d in allowed)}")
    if x.shape.ndims is None:
        return x.shape
    if x.shape.ndims < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {x.shape.ndims} for "
                         f"'{op.name}' (op: '{op.type}') with input shapes: "
                         f"{format_shape(x.shape)}.")
    rows, cols = x.shape[-2].value, x.shape[-1].value
    if rows is not None and cols is not None and rows != cols:
        raise ValueError(f"Dimensions must be equal, but are {rows} and {cols} for '{op.name}' "
                         f"(op: '{op.type}') with input shapes: {format_shape(x.shape)}.")
    size = rows if rows is not None else cols
    return tensor_shape.TensorShape(x.shape.as_list()[:-2] + [size, size])


def _check_square(op, x):
    if x.ndim < 2 or x.shape[-1] != x.shape[-2]:
        raise errors.InvalidArgumentError(
            None, op, f"Input matrix must be square.\n\t [[node {op.name}]]")


@register_op
class MatrixInverse(OpDef):
    """Inverse of each square matrix (of its adjoint with ``adjoint=True``)
    (``tf.matrix_inverse``). Gradient of Y = A⁻¹: dA = -Yᵀ dY Yᵀ; with adjoint
    (Y = A⁻ᵀ): dA = -Y dYᵀ Y."""

    def infer(self, op):
        return [(_square_batch_shape(op), op.inputs[0].dtype.base_dtype)]

    def kernel(self, op, ctx):
        adjoint = op.attrs["adjoint"]

        def inverse(x):
            _check_square(op, x)
            a = np.swapaxes(x, -1, -2).conj() if adjoint else x
            try:
                out = np.linalg.inv(a)
            except np.linalg.LinAlgError:
                raise errors.InvalidArgumentError(
                    None, op, f"Input is not invertible.\n\t [[node {op.name}]]") from None
            return out.astype(x.dtype, copy=False)
        return inverse

    def grad(self, op, dy):
        y = op.outputs[0]
        if op.attrs["adjoint"]:
            return [math_ops.negative(math_ops.matmul(y, math_ops.matmul(dy, y,
                                                                         adjoint_a=True)))]
        return [math_ops.negative(math_ops.matmul(y, math_ops.matmul(dy, y, adjoint_b=True),
                                                  adjoint_a=True))]


def matrix_inverse(input, adjoint=False, name=None):  # noqa: A002
    """``tf.matrix_inverse(input, adjoint=False, name=None)``."""
    return make_tensor("MatrixInverse", [ops.convert_to_tensor(input)],
                       {"adjoint": bool(adjoint)}, name=name or "MatrixInverse")


@register_op
class MatrixDeterminant(OpDef):
    """Determinant of each square matrix (``tf.matrix_determinant``);
    d det(A)/dA = det(A)·A⁻ᵀ."""

    def infer(self, op):
        shape = _square_batch_shape(op)
        dtype = op.inputs[0].dtype.base_dtype
        if shape.ndims is None:
            return [(tensor_shape.unknown_shape(), dtype)]
        return [(shape[:-2], dtype)]

    def kernel(self, op, ctx):
        def determinant(x):
            _check_square(op, x)
            return np.asarray(np.linalg.det(x)).astype(x.dtype, copy=False)
        return determinant

    def grad(self, op, dy):
        a, det = op.inputs[0], op.outputs[0]
        inverse_t = matrix_inverse(a, adjoint=True)
        scale = array_ops.expand_dims(array_ops.expand_dims(dy * det, -1), -1)
        return [scale * inverse_t]


def matrix_determinant(input, name=None):  # noqa: A002
    """``tf.matrix_determinant(input, name=None)``."""
    return make_tensor("MatrixDeterminant", [ops.convert_to_tensor(input)],
                       name=name or "MatrixDeterminant")


@register_op
class MatrixDiag(OpDef):
    """Batched diagonal matrices from their diagonals (``tf.matrix_diag``)."""

    def infer(self, op):
        d = op.inputs[0]
        if d.shape.ndims is None:
            return [(tensor_shape.unknown_shape(), d.dtype.base_dtype)]
        if d.shape.ndims < 1:
            raise ValueError(f"Shape must be at least rank 1 but is rank 0 for '{op.name}' "
                             "(op: 'MatrixDiag')")
        n = d.shape[-1].value
        return [(tensor_shape.TensorShape(d.shape.as_list() + [n]), d.dtype.base_dtype)]

    def kernel(self, op, ctx):
        def matrix_diag(d):
            n = d.shape[-1]
            out = np.zeros(d.shape + (n,), dtype=d.dtype)
            idx = np.arange(n)
            out[..., idx, idx] = d
            return out
        return matrix_diag

    def grad(self, op, dy):
        return [matrix_diag_part(dy)]


def matrix_diag(diagonal, name=None):
    return make_tensor("MatrixDiag", [ops.convert_to_tensor(diagonal)],
                       name=name or "MatrixDiag")


@register_op
class MatrixDiagPart(OpDef):
    """The main diagonals of a batch of matrices (``tf.matrix_diag_part``); the gradient
    places dy on the diagonal of zeros (MatrixSetDiag for non-square inputs)."""

    def infer(self, op):
        x = op.inputs[0]
        if x.shape.ndims is None:
            return [(tensor_shape.unknown_shape(), x.dtype.base_dtype)]
        if x.shape.ndims < 2:
            raise ValueError(f"Shape must be at least rank 2 but is rank {x.shape.ndims} for "
                             f"'{op.name}' (op: 'MatrixDiagPart')")
        rows, cols = x.shape[-2].value, x.shape[-1].value
        n = None if rows is None or cols is None else min(rows, cols)
        return [(tensor_shape.TensorShape(x.shape.as_list()[:-2] + [n]), x.dtype.base_dtype)]

    def kernel(self, op, ctx):
        return lambda x: np.diagonal(x, axis1=-2, axis2=-1).copy()

    def grad(self, op, dy):
        x = op.inputs[0]
        if x.shape.ndims is not None and x.shape[-1].value is not None and (
                x.shape[-1].value == x.shape[-2].value):
            return [matrix_diag(dy)]
        return [matrix_set_diag(array_ops.zeros_like(x), dy)]


def matrix_diag_part(input, name=None):  # noqa: A002
    return make_tensor("MatrixDiagPart", [ops.convert_to_tensor(input)],
                       name=name or "MatrixDiagPart")


@register_op
class MatrixSetDiag(OpDef):
    """Replaces the main diagonals of a batch of matrices (``tf.matrix_set_diag``)."""

    def infer(self, op):
        x = op.inputs[0]
        return [(x.shape, x.dtype.base_dtype)]

    def kernel(self, op, ctx):
        def set_diag(x, d):
            n = min(x.shape[-2:])
            if d.shape != x.shape[:-2] + (n,):
                raise errors.InvalidArgumentError(
                    None, op, f"must have diagonal.shape == input.shape[:-2] + "
                    f"min(input.shape[-2:]), but received input shape: {list(x.shape)} and "
                    f"diagonal shape: {list(d.shape)}\n\t [[node {op.name}]]")
            out = x.copy()
            idx = np.arange(n)
            out[..., idx, idx] = d
            return out
        return set_diag

    def grad(self, op, dy):
        return [matrix_set_diag(dy, array_ops.zeros_like(op.inputs[1])), matrix_diag_part(dy)]


def matrix_set_diag(input, diagonal, name=None):  # noqa: A002
    return make_tensor("MatrixSetDiag", [ops.convert_to_tensor(input),
                                         ops.convert_to_tensor(diagonal)],
                       name=name or "MatrixSetDiag")


def trace(x, name=None):
    """``tf.trace``: sum of the main diagonal(s) over the last two dims."""
    with ops.name_scope(name, "Trace", [x]) as scope:
        x = ops.convert_to_tensor(x, name="x")
        return math_ops.reduce_sum(matrix_diag_part(x), [-1], name=scope)


# The public builders re-exported as tf.*; extend when adding one.
__all__ = [
    "matrix_inverse",
    "matrix_determinant",
    "matrix_diag",
    "matrix_diag_part",
    "matrix_set_diag",
    "trace",
]
