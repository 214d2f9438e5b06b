"""Linear-algebra ops on (batches of) matrices (TF's linalg_ops / linalg_grad): inverse,
determinants, diagonals and bands, Cholesky, solves, QR, SVD, eigendecomposition, LU,
exponential and square root, through NumPy's and SciPy's LAPACK bindings."""
import numpy as np
import scipy.linalg

from tfcompat.framework import dtypes, errors, ops, tensor_shape
from tfcompat.framework.op_def import OpDef, format_shape, make_op, make_tensor, register_op
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


def _matrix_shape(op, index=0, name="input", allowed=_FLOATS):
    """Checks op.inputs[index] is a (batch of) matrices of an allowed dtype; its shape."""
    x = op.inputs[index]
    dtype = x.dtype.base_dtype
    if dtype not in allowed:
        raise TypeError(f"Value passed to parameter '{name}' has DataType {dtype.name} not in "
                        f"list of allowed values: {', '.join(d.name for d in allowed)}")
    if x.shape.ndims is not None and x.shape.ndims < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {x.shape.ndims} for "
                         f"'{op.name}' (op: '{op.type}') with input shapes: "
                         f"{format_shape(x.shape)}.")
    return x.shape


def _cast_like(x):
    return lambda value: np.asarray(value).astype(x.dtype, copy=False)


def _linalg_error(op, message):
    return errors.InvalidArgumentError(None, op, f"{message}\n\t [[node {op.name}]]")


def _solve_shape(op):
    """Shape of the solution of matrix · X = rhs (MatrixSolve, MatrixTriangularSolve)."""
    matrix = _square_batch_shape(op)
    rhs = _matrix_shape(op, 1, "rhs")
    if op.inputs[1].dtype.base_dtype != op.inputs[0].dtype.base_dtype:
        raise TypeError(f"Input 'rhs' of '{op.type}' Op has type "
                        f"{op.inputs[1].dtype.base_dtype.name} that does not match type "
                        f"{op.inputs[0].dtype.base_dtype.name} of argument 'matrix'.")
    if matrix.ndims is None or rhs.ndims is None:
        return tensor_shape.unknown_shape()
    rows, rhs_rows = matrix[-1].value, rhs[-2].value
    if rows is not None and rhs_rows is not None and rows != rhs_rows:
        raise ValueError(f"Dimensions must be equal, but are {rows} and {rhs_rows} for "
                         f"'{op.name}' (op: '{op.type}') with input shapes: "
                         f"{format_shape(matrix)}, {format_shape(rhs)}.")
    batch = matrix[:-2].merge_with(rhs[:-2]) if matrix.ndims == rhs.ndims else rhs[:-2]
    return batch.concatenate(tensor_shape.TensorShape([rows if rows is not None else rhs_rows,
                                                       rhs[-1].value]))


@register_op
class MatrixBandPart(OpDef):
    """Keeps the entries within ``num_lower`` diagonals below and ``num_upper`` above the
    main one (negative: all) of each matrix (``tf.matrix_band_part``); the gradient is the
    band part of dy."""

    def infer(self, op):
        x = op.inputs[0]
        _matrix_shape(op, allowed=tuple(dtypes.as_dtype(d) for d in (
            "float16", "float32", "float64", "complex64", "complex128", "int32", "int64",
            "bool")))
        return [(x.shape, x.dtype.base_dtype)]

    def kernel(self, op, ctx):
        def band_part(x, lower, upper):
            rows, cols = x.shape[-2:]
            if int(lower) > rows or int(upper) > cols:
                raise _linalg_error(op, f"num_lower must be negative or less or equal to number "
                                        f"of rows ({rows}) got: {int(lower)}"
                                    if int(lower) > rows else
                                    f"num_upper must be negative or less or equal to number of "
                                    f"columns ({cols}) got: {int(upper)}")
            offset = np.arange(cols)[None, :] - np.arange(rows)[:, None]
            keep = np.ones((rows, cols), bool)
            if int(lower) >= 0:
                keep &= offset >= -int(lower)
            if int(upper) >= 0:
                keep &= offset <= int(upper)
            return np.where(keep, x, np.zeros_like(x))
        return band_part

    def grad(self, op, dy):
        return [matrix_band_part(dy, op.inputs[1], op.inputs[2]), None, None]


def matrix_band_part(input, num_lower, num_upper, name=None):  # noqa: A002
    """``tf.matrix_band_part(input, num_lower, num_upper, name=None)``."""
    return make_tensor("MatrixBandPart", [ops.convert_to_tensor(input),
                                          array_ops._as_int_tensor(num_lower),
                                          array_ops._as_int_tensor(num_upper)],
                       name=name or "MatrixBandPart")


def _lower(x):
    return matrix_band_part(x, -1, 0)


def _symmetric_lower_grad(grad):
    """TF's gradient for ops that read the lower triangle of a symmetric input: the lower
    part of grad + gradᴴ with the diagonal counted once."""
    folded = _lower(grad + array_ops.matrix_transpose(grad))
    return matrix_set_diag(folded, 0.5 * matrix_diag_part(folded))


@register_op
class Cholesky(OpDef):
    """Lower Cholesky factor L of each symmetric positive-definite matrix (only its lower
    triangle is read) (``tf.cholesky``). Gradient (Murray 2016): with Φ the lower triangle
    with halved diagonal, S = L⁻ᵀ Φ(Lᵀ dL) L⁻¹ and dA = (S + Sᵀ)/2."""

    def infer(self, op):
        return [(_square_batch_shape(op), op.inputs[0].dtype.base_dtype)]

    def kernel(self, op, ctx):
        def cholesky(x):
            _check_square(op, x)
            try:
                return np.linalg.cholesky(x).astype(x.dtype, copy=False)
            except np.linalg.LinAlgError:
                raise _linalg_error(op, "Cholesky decomposition was not successful. The input "
                                        "might not be valid.") from None
        return cholesky

    def grad(self, op, dl):
        chol = op.outputs[0]
        phi = _lower(math_ops.matmul(chol, dl, adjoint_a=True))
        phi = matrix_set_diag(phi, 0.5 * matrix_diag_part(phi))
        left = matrix_triangular_solve(chol, phi, lower=True, adjoint=True)  # L⁻ᵀ Φ
        s = array_ops.matrix_transpose(matrix_triangular_solve(
            chol, array_ops.matrix_transpose(left), lower=True, adjoint=True))  # · L⁻¹
        return [0.5 * (s + array_ops.matrix_transpose(s))]


def cholesky(input, name=None):  # noqa: A002
    """``tf.cholesky(input, name=None)``."""
    return make_tensor("Cholesky", [ops.convert_to_tensor(input)], name=name or "Cholesky")


@register_op
class MatrixSolve(OpDef):
    """X with matrix · X = rhs (matrixᴴ with ``adjoint``) (``tf.matrix_solve``). Gradient:
    drhs = solve(matrix, dX, not adjoint); dmatrix = -drhs Xᴴ (-X drhsᴴ with adjoint)."""

    def infer(self, op):
        return [(_solve_shape(op), op.inputs[0].dtype.base_dtype)]

    def kernel(self, op, ctx):
        adjoint = op.attrs["adjoint"]

        def solve(matrix, rhs):
            _check_square(op, matrix)
            a = np.swapaxes(matrix, -1, -2).conj() if adjoint else matrix
            try:
                return np.linalg.solve(a, rhs).astype(rhs.dtype, copy=False)
            except np.linalg.LinAlgError:
                raise _linalg_error(op, "Input matrix is not invertible.") from None
        return solve

    def grad(self, op, dx):
        matrix, x = op.inputs[0], op.outputs[0]
        adjoint = op.attrs["adjoint"]
        drhs = matrix_solve(matrix, dx, adjoint=not adjoint)
        if adjoint:
            dmatrix = math_ops.negative(math_ops.matmul(x, drhs, adjoint_b=True))
        else:
            dmatrix = math_ops.negative(math_ops.matmul(drhs, x, adjoint_b=True))
        return [dmatrix, drhs]


def matrix_solve(matrix, rhs, adjoint=False, name=None):
    """``tf.matrix_solve(matrix, rhs, adjoint=False, name=None)``."""
    return make_tensor("MatrixSolve", [ops.convert_to_tensor(matrix),
                                       ops.convert_to_tensor(rhs)],
                       {"adjoint": bool(adjoint)}, name=name or "MatrixSolve")


@register_op
class MatrixTriangularSolve(OpDef):
    """X with T · X = rhs for the lower (or upper) triangle T of ``matrix`` (Tᴴ with
    ``adjoint``) (``tf.matrix_triangular_solve``); the other triangle is ignored. Gradient
    as MatrixSolve's, dmatrix kept to the triangle."""

    def infer(self, op):
        return [(_solve_shape(op), op.inputs[0].dtype.base_dtype)]

    def kernel(self, op, ctx):
        lower, adjoint = op.attrs["lower"], op.attrs["adjoint"]

        def triangular_solve(matrix, rhs):
            _check_square(op, matrix)
            n = matrix.shape[-1]
            offset = np.arange(n)[None, :] - np.arange(n)[:, None]
            triangle = np.where(offset <= 0 if lower else offset >= 0, matrix, 0)
            if adjoint:
                triangle = np.swapaxes(triangle, -1, -2).conj()
            if np.any(np.diagonal(matrix, axis1=-2, axis2=-1) == 0):
                raise _linalg_error(op, "Input matrix is not invertible.")
            return np.linalg.solve(triangle, rhs).astype(rhs.dtype, copy=False)
        return triangular_solve

    def grad(self, op, dx):
        matrix, x = op.inputs[0], op.outputs[0]
        lower, adjoint = op.attrs["lower"], op.attrs["adjoint"]
        drhs = matrix_triangular_solve(matrix, dx, lower=lower, adjoint=not adjoint)
        if adjoint:
            dmatrix = math_ops.negative(math_ops.matmul(x, drhs, adjoint_b=True))
        else:
            dmatrix = math_ops.negative(math_ops.matmul(drhs, x, adjoint_b=True))
        return [matrix_band_part(dmatrix, -1, 0) if lower else matrix_band_part(dmatrix, 0, -1),
                drhs]


def matrix_triangular_solve(matrix, rhs, lower=True, adjoint=False, name=None):
    """``tf.matrix_triangular_solve(matrix, rhs, lower=True, adjoint=False, name=None)``."""
    return make_tensor("MatrixTriangularSolve", [ops.convert_to_tensor(matrix),
                                                 ops.convert_to_tensor(rhs)],
                       {"lower": bool(lower), "adjoint": bool(adjoint)},
                       name=name or "MatrixTriangularSolve")


def cholesky_solve(chol, rhs, name=None):
    """``tf.cholesky_solve(chol, rhs)``: X with (L Lᴴ) X = rhs from the Cholesky factor L."""
    with ops.name_scope(name, "cholesky_solve", [chol, rhs]):
        y = matrix_triangular_solve(chol, rhs, adjoint=False, lower=True)
        return matrix_triangular_solve(chol, y, adjoint=True, lower=True)


@register_op
class LogMatrixDeterminant(OpDef):
    """(sign, log|det|) of each square matrix (``tf.linalg.slogdet``); the gradient of
    log|det A| is A⁻ᵀ, the sign has none."""

    def infer(self, op):
        shape = _square_batch_shape(op)
        batch = tensor_shape.unknown_shape() if shape.ndims is None else shape[:-2]
        dtype = op.inputs[0].dtype.base_dtype
        return [(batch, dtype), (batch, dtype)]

    def kernel(self, op, ctx):
        def slogdet(x):
            _check_square(op, x)
            sign, log_abs = np.linalg.slogdet(x)
            return _cast_like(x)(sign), _cast_like(x)(log_abs)
        return slogdet

    def grad(self, op, dsign, dlog):
        a = op.inputs[0]
        scale = array_ops.expand_dims(array_ops.expand_dims(dlog, -1), -1)
        return [scale * matrix_inverse(a, adjoint=True)]


def log_matrix_determinant(input, name=None):  # noqa: A002
    """``tf.linalg.slogdet(input, name=None)``: (sign, log_abs_determinant)."""
    return tuple(make_op("LogMatrixDeterminant", [ops.convert_to_tensor(input)],
                         name=name or "LogMatrixDeterminant").outputs)


def logdet(matrix, name=None):
    """``tf.linalg.logdet``: log det of Hermitian positive-definite matrices, as
    2·Σ log diag(cholesky(matrix))."""
    with ops.name_scope(name, "logdet", [matrix]):
        chol = cholesky(matrix)
        return 2.0 * math_ops.reduce_sum(math_ops.log(matrix_diag_part(chol)), axis=[-1])


@register_op
class SelfAdjointEigV2(OpDef):
    """Eigenvalues (ascending) and, with ``compute_v``, eigenvectors of each symmetric
    matrix from its lower triangle (``tf.self_adjoint_eig``). Gradient (TF's):
    V (diag(de) + F ∘ (Vᵀ dV)) Vᵀ with F_ij = 1/(e_j - e_i), folded to the lower triangle."""

    def infer(self, op):
        shape = _square_batch_shape(op)
        dtype = op.inputs[0].dtype.base_dtype
        if shape.ndims is None:
            return [(shape, dtype), (shape, dtype)]
        values = shape[:-1]
        vectors = shape if op.attrs["compute_v"] else tensor_shape.TensorShape([0])
        return [(values, dtype), (vectors, dtype)]

    def kernel(self, op, ctx):
        compute_v = op.attrs["compute_v"]

        def eig(x):
            _check_square(op, x)
            if compute_v:
                e, v = np.linalg.eigh(x, UPLO="L")
                return _cast_like(x)(e), _cast_like(x)(v)
            return _cast_like(x)(np.linalg.eigvalsh(x, UPLO="L")), np.zeros([0], x.dtype)
        return eig

    def grad(self, op, de, dv):
        e, v = op.outputs
        if not op.attrs["compute_v"]:
            _, v = self_adjoint_eig(op.inputs[0])
            inner = matrix_diag(de)
        else:
            differences = array_ops.expand_dims(e, -2) - array_ops.expand_dims(e, -1)
            f = matrix_set_diag(math_ops.reciprocal(differences), array_ops.zeros_like(e))
            inner = matrix_diag(de) + f * math_ops.matmul(v, dv, adjoint_a=True)
        grad = math_ops.matmul(v, math_ops.matmul(inner, v, adjoint_b=True))
        return [_symmetric_lower_grad(grad)]


def self_adjoint_eig(tensor, name=None):
    """``tf.self_adjoint_eig(tensor, name=None)``: (e, v)."""
    return tuple(make_op("SelfAdjointEigV2", [ops.convert_to_tensor(tensor)],
                         {"compute_v": True}, name=name or "SelfAdjointEigV2").outputs)


def self_adjoint_eigvals(tensor, name=None):
    """``tf.self_adjoint_eigvals(tensor, name=None)``: the eigenvalues only."""
    return make_op("SelfAdjointEigV2", [ops.convert_to_tensor(tensor)],
                   {"compute_v": False}, name=name or "SelfAdjointEigV2").outputs[0]


@register_op
class Qr(OpDef):
    """Q and R of each [M, N] matrix, K = min(M, N) columns of Q (M with
    ``full_matrices``) (``tf.qr``). Gradient (TF 1.15's, for M ≥ N without
    full_matrices): with X⁻ = ·R⁻ᵀ, dA = Q (dR + (tril(QᵀdQ - dQᵀQ + R dRᵀ - dR Rᵀ))R⁻ᵀ)
    + (dQ - Q QᵀdQ) R⁻ᵀ."""

    def infer(self, op):
        shape = _matrix_shape(op)
        dtype = op.inputs[0].dtype.base_dtype
        if shape.ndims is None:
            return [(shape, dtype)] * 2
        batch, (rows, cols) = shape.as_list()[:-2], shape.as_list()[-2:]
        k = rows if op.attrs["full_matrices"] else (
            None if rows is None or cols is None else min(rows, cols))
        return [(tensor_shape.TensorShape(batch + [rows, k]), dtype),
                (tensor_shape.TensorShape(batch + [k, cols]), dtype)]

    def kernel(self, op, ctx):
        mode = "complete" if op.attrs["full_matrices"] else "reduced"

        def qr(x):
            q, r = np.linalg.qr(x, mode=mode)
            return _cast_like(x)(q), _cast_like(x)(r)
        return qr

    def grad(self, op, dq, dr):
        a = op.inputs[0]
        q, r = op.outputs
        rows, cols = a.shape[-2].value, a.shape[-1].value
        if op.attrs["full_matrices"] or rows is None or cols is None or rows < cols:
            raise NotImplementedError("QrGrad not implemented when ncols > nrows or "
                                      "full_matrices is true and ncols != nrows.")
        qdq = math_ops.matmul(q, dq, adjoint_a=True)
        rdr = math_ops.matmul(r, dr, adjoint_b=True)
        tril = _lower(qdq - array_ops.matrix_transpose(qdq)
                      + rdr - array_ops.matrix_transpose(rdr))

        def times_r_inverse_t(x):
            return array_ops.matrix_transpose(matrix_triangular_solve(
                r, array_ops.matrix_transpose(x), lower=False, adjoint=False))
        grad_a = math_ops.matmul(q, dr + times_r_inverse_t(tril))
        grad_b = times_r_inverse_t(dq - math_ops.matmul(q, qdq))
        return [grad_a + grad_b]


def qr(input, full_matrices=False, name=None):  # noqa: A002
    """``tf.qr(input, full_matrices=False, name=None)``: (q, r)."""
    return tuple(make_op("Qr", [ops.convert_to_tensor(input)],
                         {"full_matrices": bool(full_matrices)}, name=name or "Qr").outputs)


@register_op
class Svd(OpDef):
    """Singular values (descending) and, with ``compute_uv``, U and V (not Vᴴ) of each
    [M, N] matrix (``tf.svd``). Gradient: TF's (Townsend's formula), for full_matrices only
    when M == N."""

    def infer(self, op):
        shape = _matrix_shape(op)
        dtype = op.inputs[0].dtype.base_dtype
        if shape.ndims is None:
            return [(shape, dtype)] * 3
        batch, (rows, cols) = shape.as_list()[:-2], shape.as_list()[-2:]
        k = None if rows is None or cols is None else min(rows, cols)
        if not op.attrs["compute_uv"]:
            empty = tensor_shape.TensorShape([0])
            return [(tensor_shape.TensorShape(batch + [k]), dtype), (empty, dtype),
                    (empty, dtype)]
        full = op.attrs["full_matrices"]
        return [(tensor_shape.TensorShape(batch + [k]), dtype),
                (tensor_shape.TensorShape(batch + [rows, rows if full else k]), dtype),
                (tensor_shape.TensorShape(batch + [cols, cols if full else k]), dtype)]

    def kernel(self, op, ctx):
        compute_uv, full = op.attrs["compute_uv"], op.attrs["full_matrices"]

        def svd(x):
            if not compute_uv:
                empty = np.zeros([0], x.dtype)
                return _cast_like(x)(np.linalg.svd(x, compute_uv=False)), empty, empty
            u, s, vh = np.linalg.svd(x, full_matrices=full)
            return (_cast_like(x)(s), _cast_like(x)(u),
                    _cast_like(x)(np.swapaxes(vh, -1, -2).conj()))
        return svd

    def grad(self, op, ds, du, dv):
        a = op.inputs[0]
        if not op.attrs["compute_uv"]:
            s, u, v = svd(a, compute_uv=True)
            return [math_ops.matmul(u, math_ops.matmul(matrix_diag(ds), v, adjoint_b=True))]
        rows, cols = a.shape[-2].value, a.shape[-1].value
        if rows is None or cols is None:
            raise NotImplementedError("SVD gradient requires the matrix dimensions to be known "
                                      "at graph construction.")
        if op.attrs["full_matrices"] and rows != cols:
            raise NotImplementedError("svd gradient has not been implemented for input with "
                                      "unequal number of rows and columns when full_matrices "
                                      "is true.")
        s, u, v = op.outputs
        if rows > cols:  # work on the adjoint, whose rows <= columns
            u, v, du, dv = v, u, dv, du
        grad = _svd_grad_wide(s, u, v, ds, du, dv, min(rows, cols))
        return [array_ops.matrix_transpose(grad) if rows > cols else grad]


def _svd_grad_wide(s, u, v, ds, du, dv, m):
    """dA of A = U diag(s) Vᴴ for A with m ≤ n columns (TF's _SvdGrad)."""
    s_squared = math_ops.square(s)
    f = matrix_set_diag(math_ops.reciprocal(array_ops.expand_dims(s_squared, -2)
                                            - array_ops.expand_dims(s_squared, -1)),
                        array_ops.zeros_like(s))
    s_mat = matrix_diag(s)
    f_u = f * math_ops.matmul(u, du, adjoint_a=True)
    v1 = v[..., :, :m]
    dv1 = dv[..., :, :m]
    f_v = f * math_ops.matmul(v1, dv1, adjoint_a=True)
    middle = (matrix_diag(ds) + math_ops.matmul(f_u + array_ops.matrix_transpose(f_u), s_mat)
              + math_ops.matmul(s_mat, f_v + array_ops.matrix_transpose(f_v)))
    grad = math_ops.matmul(u, math_ops.matmul(middle, v1, adjoint_b=True))
    if v.shape[-2].value == m:
        return grad
    dv1_t = array_ops.matrix_transpose(dv1)
    outside = dv1_t - math_ops.matmul(math_ops.matmul(dv1_t, v1), v1, adjoint_b=True)
    s_inverse = matrix_diag(math_ops.reciprocal(s))
    return grad + math_ops.matmul(math_ops.matmul(u, s_inverse), outside)


def svd(tensor, full_matrices=False, compute_uv=True, name=None):
    """``tf.svd(tensor, full_matrices=False, compute_uv=True, name=None)``: s, or (s, u, v)."""
    s, u, v = make_op("Svd", [ops.convert_to_tensor(tensor)],
                      {"compute_uv": bool(compute_uv), "full_matrices": bool(full_matrices)},
                      name=name or "Svd").outputs
    return (s, u, v) if compute_uv else s


@register_op
class MatrixSolveLs(OpDef):
    """Least-squares solutions X minimising ‖matrix·X - rhs‖² + l2·‖X‖² (minimum-norm
    ones for wide matrices) (``tf.matrix_solve_ls``), through the regularised normal
    equations. Gradient: that of the same normal-equation formula built from ops."""

    def infer(self, op):
        matrix = _matrix_shape(op, 0, "matrix", (dtypes.float32, dtypes.float64))
        rhs = _matrix_shape(op, 1, "rhs", (dtypes.float32, dtypes.float64))
        dtype = op.inputs[0].dtype.base_dtype
        if matrix.ndims is None or rhs.ndims is None:
            return [(tensor_shape.unknown_shape(), dtype)]
        return [(rhs[:-2].concatenate([matrix[-1].value, rhs[-1].value]), dtype)]

    def kernel(self, op, ctx):
        def solve_ls(matrix, rhs, l2):
            rows, cols = matrix.shape[-2:]
            if rhs.shape[-2] != rows:
                raise _linalg_error(op, f"Input matrix and rhs are incompatible: {rows} vs "
                                        f"{rhs.shape[-2]}")
            a_t = np.swapaxes(matrix, -1, -2)
            if rows >= cols:
                gram = a_t @ matrix + float(l2) * np.eye(cols)
                return np.linalg.solve(gram, a_t @ rhs).astype(rhs.dtype, copy=False)
            gram = matrix @ a_t + float(l2) * np.eye(rows)
            return (a_t @ np.linalg.solve(gram, rhs)).astype(rhs.dtype, copy=False)
        return solve_ls

    def grad(self, op, dx):
        from tfcompat.ops.gradients_impl import gradients
        matrix, rhs, l2 = op.inputs
        formula = _normal_equations_solution(matrix, rhs, l2)
        dmatrix, drhs = gradients(formula, [matrix, rhs], grad_ys=dx)
        return [dmatrix, drhs, None]


def _normal_equations_solution(matrix, rhs, l2):
    rows, cols = matrix.shape[-2].value, matrix.shape[-1].value
    if rows is None or cols is None:
        raise NotImplementedError("tfcompat: the gradient of MatrixSolveLs needs the matrix "
                                  "dimensions at graph construction")
    l2 = math_ops.cast(l2, matrix.dtype.base_dtype)
    if rows >= cols:
        gram = math_ops.matmul(matrix, matrix, adjoint_a=True) + l2 * array_ops.eye(
            cols, dtype=matrix.dtype.base_dtype)
        return matrix_solve(gram, math_ops.matmul(matrix, rhs, adjoint_a=True))
    gram = math_ops.matmul(matrix, matrix, adjoint_b=True) + l2 * array_ops.eye(
        rows, dtype=matrix.dtype.base_dtype)
    return math_ops.matmul(matrix, matrix_solve(gram, rhs), adjoint_a=True)


def matrix_solve_ls(matrix, rhs, l2_regularizer=0.0, fast=True, name=None):
    """``tf.matrix_solve_ls(matrix, rhs, l2_regularizer=0.0, fast=True, name=None)``."""
    matrix = ops.convert_to_tensor(matrix, name="matrix")
    rhs = ops.convert_to_tensor(rhs, dtype=matrix.dtype.base_dtype, name="rhs")
    l2 = ops.convert_to_tensor(l2_regularizer, dtype=dtypes.float64, name="l2_regularizer")
    return make_tensor("MatrixSolveLs", [matrix, rhs, l2], {"fast": bool(fast)},
                       name=name or "MatrixSolveLs")


@register_op
class MatrixExponential(OpDef):
    """exp(A) of each square matrix (``tf.linalg.expm``, scipy's Padé approximant with
    scaling and squaring). Gradient: the Fréchet derivative L(Aᵀ, dY), read off the
    upper-right block of exp([[Aᵀ, dY], [0, Aᵀ]])."""

    def infer(self, op):
        return [(_square_batch_shape(op), op.inputs[0].dtype.base_dtype)]

    def kernel(self, op, ctx):
        def expm(x):
            _check_square(op, x)
            return _cast_like(x)(scipy.linalg.expm(x))
        return expm

    def grad(self, op, dy):
        a_t = array_ops.matrix_transpose(op.inputs[0])
        n = a_t.shape[-1].value
        if n is None:
            raise NotImplementedError("tfcompat: the gradient of MatrixExponential needs the "
                                      "matrix size at graph construction")
        top = array_ops.concat([a_t, dy], -1)
        bottom = array_ops.concat([array_ops.zeros_like(a_t), a_t], -1)
        block = make_tensor("MatrixExponential", [array_ops.concat([top, bottom], -2)])
        return [block[..., :n, n:]]


def matrix_exponential(input, name=None):  # noqa: A002
    """``tf.linalg.expm(input, name=None)``."""
    return make_tensor("MatrixExponential", [ops.convert_to_tensor(input)],
                       name=name or "MatrixExponential")


@register_op
class MatrixSquareRoot(OpDef):
    """The principal square root of each square matrix (``tf.matrix_square_root``; scipy's
    Schur method). Gradient: dA solves Yᵀ dA + dA Yᵀ = dY (a Sylvester equation)."""

    def infer(self, op):
        return [(_square_batch_shape(op), op.inputs[0].dtype.base_dtype)]

    def kernel(self, op, ctx):
        def sqrtm(x):
            _check_square(op, x)
            flat = x.reshape((-1,) + x.shape[-2:])
            roots = [np.real_if_close(scipy.linalg.sqrtm(m)) for m in flat]
            return _cast_like(x)(np.array(roots).reshape(x.shape))
        return sqrtm

    def grad(self, op, dy):
        y_t = array_ops.matrix_transpose(op.outputs[0])
        return [make_tensor("MatrixSylvesterSolve", [y_t, dy])]


@register_op
class MatrixSylvesterSolve(OpDef):
    """X with A X + X A = C for each square A (MatrixSquareRoot's gradient; tfcompat's own
    helper op, as TF computes that gradient inside its kernel)."""

    differentiable = False

    def infer(self, op):
        return [(op.inputs[1].shape, op.inputs[1].dtype.base_dtype)]

    def kernel(self, op, ctx):
        def sylvester(a, c):
            flat_a = a.reshape((-1,) + a.shape[-2:])
            flat_c = c.reshape((-1,) + c.shape[-2:])
            out = [scipy.linalg.solve_sylvester(m, m, rhs)
                   for m, rhs in zip(flat_a, flat_c, strict=True)]
            return _cast_like(c)(np.array(out).reshape(c.shape))
        return sylvester


def matrix_square_root(input, name=None):  # noqa: A002
    """``tf.matrix_square_root(input, name=None)``."""
    return make_tensor("MatrixSquareRoot", [ops.convert_to_tensor(input)],
                       name=name or "MatrixSquareRoot")


@register_op
class Lu(OpDef):
    """LU decomposition with partial pivoting of each square matrix (``tf.linalg.lu``):
    ``lu`` holds L (unit diagonal, below) and U (on and above), ``p`` the row
    permutation with input[p] = L·U. TF 1.15 registers no gradient."""

    def infer(self, op):
        shape = _square_batch_shape(op)
        index = dtypes.as_dtype(op.attrs["output_idx_type"])
        perm = tensor_shape.unknown_shape() if shape.ndims is None else shape[:-1]
        return [(shape, op.inputs[0].dtype.base_dtype), (perm, index)]

    def kernel(self, op, ctx):
        index = dtypes.as_dtype(op.attrs["output_idx_type"]).as_numpy_dtype

        def lu(x):
            _check_square(op, x)
            n = x.shape[-1]
            flat = x.reshape((-1, n, n))
            factors, perms = np.empty_like(flat), np.empty((len(flat), n), index)
            for i, matrix in enumerate(flat):
                factors[i], pivots = scipy.linalg.lu_factor(matrix, check_finite=False)
                perm = np.arange(n)
                for row, pivot in enumerate(pivots):
                    perm[[row, pivot]] = perm[[pivot, row]]
                perms[i] = perm
            return factors.reshape(x.shape), perms.reshape(x.shape[:-1])
        return lu


def lu(input, output_idx_type=dtypes.int32, name=None):  # noqa: A002
    """``tf.linalg.lu(input, output_idx_type=tf.int32, name=None)``: (lu, p)."""
    return tuple(make_op("Lu", [ops.convert_to_tensor(input)],
                         {"output_idx_type": dtypes.as_dtype(output_idx_type).name},
                         name=name or "Lu").outputs)


@register_op
class Cross(OpDef):
    """Pairwise cross products of 3-vectors along the last axis (``tf.cross``); gradients
    b × dy for a and dy × a for b."""

    def infer(self, op):
        a, b = op.inputs
        if a.dtype.base_dtype != b.dtype.base_dtype:
            raise TypeError(f"Input 'b' of 'Cross' Op has type {b.dtype.base_dtype.name} that "
                            f"does not match type {a.dtype.base_dtype.name} of argument 'a'.")
        shape = a.shape.merge_with(b.shape) if a.shape.is_compatible_with(b.shape) else None
        if shape is None:
            raise ValueError(f"Dimensions must be equal for '{op.name}' (op: 'Cross') with "
                             f"input shapes: {format_shape(a.shape)}, "
                             f"{format_shape(b.shape)}.")
        if shape.ndims is not None and shape[-1].value not in (None, 3):
            raise ValueError(f"Dimension must be 3 but is {shape[-1].value} for '{op.name}' "
                             f"(op: 'Cross') with input shapes: {format_shape(a.shape)}, "
                             f"{format_shape(b.shape)}.")
        return [(shape, a.dtype.base_dtype)]

    def kernel(self, op, ctx):
        return lambda a, b: np.cross(a, b).astype(a.dtype, copy=False)

    def grad(self, op, dy):
        a, b = op.inputs
        return [cross(b, dy), cross(dy, a)]


def cross(a, b, name=None):
    """``tf.cross(a, b, name=None)``."""
    return make_tensor("Cross", [ops.convert_to_tensor(a), ops.convert_to_tensor(b)],
                       name=name or "Cross")


@register_op
class Diag(OpDef):
    """The rank-2k tensor with ``diagonal`` (rank k) on its diagonal (``tf.diag``);
    gradient DiagPart."""

    def infer(self, op):
        d = op.inputs[0]
        if d.shape.ndims == 0:
            raise ValueError(f"Shape must be at least rank 1 but is rank 0 for '{op.name}' "
                             "(op: 'Diag')")
        shape = d.shape.concatenate(d.shape) if d.shape.ndims is not None else d.shape
        return [(shape, d.dtype.base_dtype)]

    def kernel(self, op, ctx):
        def diag(d):
            return np.diag(d.reshape(-1)).reshape(d.shape + d.shape).astype(d.dtype, copy=False)
        return diag

    def grad(self, op, dy):
        return [tensor_diag_part(dy)]


@register_op
class DiagPart(OpDef):
    """The diagonal of a rank-2k tensor with shape dims (d₁..d_k, d₁..d_k)
    (``tf.diag_part``); gradient Diag."""

    def infer(self, op):
        x = op.inputs[0]
        if x.shape.ndims is None:
            return [(x.shape, x.dtype.base_dtype)]
        rank = x.shape.ndims
        if rank % 2 or rank == 0:
            raise ValueError(f"Input must have even rank <= 6, input rank is {rank} for "
                             f"'{op.name}' (op: 'DiagPart')")
        half = rank // 2
        first, second = x.shape[:half], x.shape[half:]
        if not first.is_compatible_with(second):
            raise ValueError(f"Dimensions must be equal for '{op.name}' (op: 'DiagPart') with "
                             f"input shape {format_shape(x.shape)}.")
        return [(first.merge_with(second), x.dtype.base_dtype)]

    def kernel(self, op, ctx):
        def diag_part(x):
            half = x.ndim // 2
            if x.shape[:half] != x.shape[half:]:
                raise _linalg_error(op, f"Invalid shape {list(x.shape)}: dimensions must match")
            size = int(np.prod(x.shape[:half]))
            return np.diagonal(x.reshape(size, size)).reshape(x.shape[:half]).copy()
        return diag_part

    def grad(self, op, dy):
        return [tensor_diag(dy)]


def tensor_diag(diagonal, name=None):
    """``tf.diag(diagonal, name=None)``."""
    return make_tensor("Diag", [ops.convert_to_tensor(diagonal)], name=name or "Diag")


def tensor_diag_part(input, name=None):  # noqa: A002
    """``tf.diag_part(input, name=None)``."""
    return make_tensor("DiagPart", [ops.convert_to_tensor(input)], name=name or "DiagPart")


diag = tensor_diag
diag_part = tensor_diag_part


def _vector_norm(x, ord, axis, keepdims):
    magnitude = math_ops.abs(x)
    if ord in ("euclidean", "fro", 2, 2.0):
        return math_ops.sqrt(math_ops.reduce_sum(x * x, axis, keepdims=keepdims))
    if ord == np.inf:
        return math_ops.reduce_max(magnitude, axis, keepdims=keepdims)
    if ord in (1, 1.0):
        return math_ops.reduce_sum(magnitude, axis, keepdims=keepdims)
    power = array_ops.constant(ord, dtype=magnitude.dtype.base_dtype)
    return math_ops.pow(math_ops.reduce_sum(math_ops.pow(magnitude, power), axis,
                                            keepdims=keepdims),
                        math_ops.reciprocal(power))


def _matrix_norm(x, ord, axis, keepdims):
    rows, cols = axis
    magnitude = math_ops.abs(x)
    if ord in ("euclidean", "fro"):
        return math_ops.sqrt(math_ops.reduce_sum(x * x, list(axis), keepdims=keepdims))
    if ord in (1, 1.0, np.inf):
        summed_axis, max_axis = (rows, cols) if ord != np.inf else (cols, rows)
        sums = math_ops.reduce_sum(magnitude, summed_axis, keepdims=True)
        result = math_ops.reduce_max(sums, max_axis, keepdims=True)
    else:  # ord 2: the largest singular value, with the two axes moved last
        rank = x.shape.ndims
        if rank is None:
            raise ValueError("tfcompat: tf.norm with ord=2 over two axes needs the rank")
        rows, cols = rows % rank, cols % rank
        perm = [d for d in range(rank) if d not in (rows, cols)] + [rows, cols]
        values = svd(array_ops.transpose(x, perm), compute_uv=False)
        result = math_ops.reduce_max(values, -1)
        if keepdims:
            result = array_ops.expand_dims(array_ops.expand_dims(result, min(rows, cols)),
                                           max(rows, cols))
        return result
    return result if keepdims else array_ops.squeeze(result, list(axis))


def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None, keep_dims=None):
    """``tf.norm``: vector norms (ord 'euclidean', 1, 2, inf or p > 0) over one axis or the
    whole tensor, matrix norms ('fro'/'euclidean', 1, 2, inf) over a pair of axes."""
    if keepdims is None:
        keepdims = bool(keep_dims)
    is_matrix = isinstance(axis, (tuple, list)) and len(axis) == 2
    if is_matrix:
        if ord not in ("euclidean", "fro", 1, 1.0, 2, 2.0, np.inf):
            raise ValueError(f"'ord' must be a supported matrix norm in ['euclidean', 'fro', "
                             f"1, 2, np.inf], got {ord}")
    elif isinstance(axis, (tuple, list)) and len(axis) != 1 or ord == "fro":
        raise ValueError(f"'axis' must be None, an integer, or a tuple of 2 unique integers, "
                         f"got {axis}" if ord != "fro" else
                         f"'ord' must be a supported vector norm, got {ord}")
    elif not (ord == "euclidean" or isinstance(ord, (int, float)) and ord > 0):
        raise ValueError(f"'ord' must be a supported vector norm, got {ord}")
    with ops.name_scope(name, "norm", [tensor]):
        x = ops.convert_to_tensor(tensor)
        if is_matrix:
            return _matrix_norm(x, ord, tuple(axis), keepdims)
        if axis is None:
            flat = array_ops.reshape(x, [-1])
            result = _vector_norm(flat, ord, 0, False)
            if keepdims:
                ones = ([1] * x.shape.ndims if x.shape.ndims is not None
                        else array_ops.ones_like(array_ops.shape(x)))
                result = array_ops.reshape(result, ones)
            return result
        return _vector_norm(x, ord, axis if not isinstance(axis, (tuple, list)) else axis[0],
                            keepdims)


# The public builders re-exported as tf.*; extend when adding one.
__all__ = [
    "matrix_inverse",
    "matrix_determinant",
    "matrix_diag",
    "matrix_diag_part",
    "matrix_set_diag",
    "trace",
    "matrix_band_part",
    "cholesky",
    "cholesky_solve",
    "matrix_solve",
    "matrix_triangular_solve",
    "matrix_solve_ls",
    "matrix_square_root",
    "self_adjoint_eig",
    "self_adjoint_eigvals",
    "qr",
    "svd",
    "cross",
    "diag",
    "diag_part",
    "norm",
]
