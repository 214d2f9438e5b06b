"""``tf.linalg``: TF 1.15's linear-algebra namespace: the ops of ``ops/linalg_ops.py`` under
their ``tf.linalg`` names plus TF's composites (linalg_impl.py): LU solves, pinv, matrix
rank, tridiagonal products and solves, matvec, normalize."""
import numpy as np

from tfcompat.framework import dtypes, ops
from tfcompat.linalg.linear_operator import (LinearOperator,  # noqa: F401
                                             LinearOperatorAdjoint, LinearOperatorBlockDiag,
                                             LinearOperatorComposition, LinearOperatorDiag,
                                             LinearOperatorFullMatrix,
                                             LinearOperatorHouseholder, LinearOperatorIdentity,
                                             LinearOperatorInversion, LinearOperatorKronecker,
                                             LinearOperatorLowerTriangular,
                                             LinearOperatorLowRankUpdate,
                                             LinearOperatorPermutation,
                                             LinearOperatorScaledIdentity,
                                             LinearOperatorToeplitz, LinearOperatorZeros)
from tfcompat.nn import l2_normalize  # noqa: F401
from tfcompat.ops import array_ops, math_ops
from tfcompat.ops.array_ops import eye, matrix_transpose  # noqa: F401
from tfcompat.ops.clip_ops import global_norm  # noqa: F401
from tfcompat.ops.linalg_ops import (cholesky, cholesky_solve, cross, logdet,  # noqa: F401
                                     lu, norm, qr, svd, tensor_diag, tensor_diag_part, trace)
from tfcompat.ops.linalg_ops import log_matrix_determinant as slogdet  # noqa: F401
from tfcompat.ops.linalg_ops import matrix_band_part as band_part  # noqa: F401
from tfcompat.ops.linalg_ops import matrix_determinant as det  # noqa: F401
from tfcompat.ops.linalg_ops import matrix_diag as diag  # noqa: F401
from tfcompat.ops.linalg_ops import matrix_diag_part as diag_part  # noqa: F401
from tfcompat.ops.linalg_ops import matrix_exponential as expm  # noqa: F401
from tfcompat.ops.linalg_ops import matrix_inverse as inv  # noqa: F401
from tfcompat.ops.linalg_ops import matrix_set_diag as set_diag  # noqa: F401
from tfcompat.ops.linalg_ops import matrix_solve as solve  # noqa: F401
from tfcompat.ops.linalg_ops import matrix_solve_ls as lstsq  # noqa: F401
from tfcompat.ops.linalg_ops import matrix_square_root as sqrtm  # noqa: F401
from tfcompat.ops.linalg_ops import matrix_triangular_solve as triangular_solve  # noqa: F401
from tfcompat.ops.linalg_ops import self_adjoint_eig as eigh  # noqa: F401
from tfcompat.ops.linalg_ops import self_adjoint_eigvals as eigvalsh  # noqa: F401
from tfcompat.ops.math_ops import matmul, tensordot  # noqa: F401
from tfcompat.ops.special_math_ops import einsum  # noqa: F401

transpose = matrix_transpose


def adjoint(matrix, name=None):
    """``tf.linalg.adjoint``: the conjugate transpose of the last two dimensions."""
    with ops.name_scope(name, "adjoint", [matrix]):
        return matrix_transpose(ops.convert_to_tensor(matrix, name="matrix"), conjugate=True)


def matvec(a, b, transpose_a=False, adjoint_a=False, a_is_sparse=False, b_is_sparse=False,
           name=None):
    """``tf.linalg.matvec``: a · b for (batches of) matrices a and vectors b."""
    with ops.name_scope(name, "MatVec", [a, b]):
        product = matmul(a, array_ops.expand_dims(ops.convert_to_tensor(b), -1),
                         transpose_a=transpose_a, adjoint_a=adjoint_a)
        return array_ops.squeeze(product, axis=[-1])


def normalize(tensor, ord="euclidean", axis=None, name=None):
    """``tf.linalg.normalize``: (tensor / norm, norm) with the norm kept over ``axis``."""
    with ops.name_scope(name, "normalize", [tensor]):
        tensor = ops.convert_to_tensor(tensor)
        magnitude = norm(tensor, ord, axis, keepdims=True)
        return tensor / magnitude, magnitude


def _default_tolerance(a, singular_values, scale):
    """scale · eps · max(rows, cols) (times the largest singular value for the rank)."""
    eps = np.finfo(a.dtype.as_numpy_dtype).eps
    rows, cols = array_ops.shape(a)[-2], array_ops.shape(a)[-1]
    size = math_ops.cast(math_ops.maximum(rows, cols), a.dtype.base_dtype)
    return size * array_ops.constant(scale * eps, dtype=a.dtype.base_dtype)


def matrix_rank(a, tol=None, validate_args=False, name=None):
    """``tf.linalg.matrix_rank``: the number of singular values above ``tol`` (default
    eps · max(rows, cols) · largest singular value)."""
    with ops.name_scope(name, "matrix_rank", [a, tol]):
        a = ops.convert_to_tensor(a, name="a")
        s = svd(a, compute_uv=False)
        if tol is None:
            tol = _default_tolerance(a, s, 1.0) * math_ops.reduce_max(s, -1, keepdims=True)
        else:
            tol = ops.convert_to_tensor(tol, dtype=a.dtype.base_dtype, name="tol")
        return math_ops.reduce_sum(math_ops.cast(math_ops.greater(s, tol), dtypes.int32), -1)


def pinv(a, rcond=None, validate_args=False, name=None):
    """``tf.linalg.pinv``: the Moore-Penrose pseudo-inverse through the SVD, singular values
    at or below rcond · (largest one) treated as zero (rcond default 10 · eps ·
    max(rows, cols))."""
    with ops.name_scope(name, "pinv", [a, rcond]):
        a = ops.convert_to_tensor(a, name="a")
        s, u, v = svd(a, full_matrices=False, compute_uv=True)
        if rcond is None:
            rcond = _default_tolerance(a, s, 10.0)
        else:
            rcond = ops.convert_to_tensor(rcond, dtype=a.dtype.base_dtype, name="rcond")
        cutoff = rcond * math_ops.reduce_max(s, -1, keepdims=True)
        kept = math_ops.where(math_ops.greater(s, cutoff), s,
                              array_ops.fill(array_ops.shape(s), array_ops.constant(
                                  np.inf, dtype=a.dtype.base_dtype)))
        return matmul(v / array_ops.expand_dims(kept, -2), u, adjoint_b=True)


def _permutation_matrix(perm, dtype):
    """P with (P x)[i] = x[perm[i]] (rows of the identity, one-hot)."""
    perm = ops.convert_to_tensor(perm, name="perm")
    size = perm.shape[-1].value if perm.shape.ndims else None
    if size is None:
        size = array_ops.shape(perm)[-1]
    return array_ops.one_hot(perm, size, dtype=dtype)


def _unit_lower(lower_upper):
    lower = band_part(lower_upper, -1, 0)
    return set_diag(lower, array_ops.ones_like(diag_part(lower_upper)))


def lu_solve(lower_upper, perm, rhs, validate_args=False, name=None):
    """``tf.linalg.lu_solve``: X with A X = rhs from A's ``tf.linalg.lu`` factors."""
    with ops.name_scope(name, "lu_solve", [lower_upper, perm, rhs]):
        lower_upper = ops.convert_to_tensor(lower_upper, name="lower_upper")
        rhs = ops.convert_to_tensor(rhs, dtype=lower_upper.dtype.base_dtype, name="rhs")
        permuted = matmul(_permutation_matrix(perm, lower_upper.dtype.base_dtype), rhs)
        y = triangular_solve(_unit_lower(lower_upper), permuted, lower=True)
        return triangular_solve(band_part(lower_upper, 0, -1), y, lower=False)


def lu_matrix_inverse(lower_upper, perm, validate_args=False, name=None):
    """``tf.linalg.lu_matrix_inverse``: A⁻¹ from A's ``tf.linalg.lu`` factors."""
    with ops.name_scope(name, "lu_matrix_inverse", [lower_upper, perm]):
        lower_upper = ops.convert_to_tensor(lower_upper, name="lower_upper")
        identity = set_diag(array_ops.zeros_like(lower_upper),
                            array_ops.ones_like(diag_part(lower_upper)))
        return lu_solve(lower_upper, perm, identity)


def lu_reconstruct(lower_upper, perm, validate_args=False, name=None):
    """``tf.linalg.lu_reconstruct``: A = Pᵀ L U from its ``tf.linalg.lu`` factors."""
    with ops.name_scope(name, "lu_reconstruct", [lower_upper, perm]):
        lower_upper = ops.convert_to_tensor(lower_upper, name="lower_upper")
        product = matmul(_unit_lower(lower_upper), band_part(lower_upper, 0, -1))
        return matmul(_permutation_matrix(perm, lower_upper.dtype.base_dtype), product,
                      transpose_a=True)


def _tridiagonal_dense(diagonals, diagonals_format):
    """The dense [..., M, M] matrix of tridiagonal ``diagonals`` in TF's formats: 'compact'
    [..., 3, M] (superdiagonal, main, subdiagonal; the superdiagonal's last and the
    subdiagonal's first entries unused), 'sequence' (the three as a list), 'matrix'."""
    if diagonals_format == "matrix":
        return ops.convert_to_tensor(diagonals, name="diagonals")
    if diagonals_format == "sequence":
        upper, main, lower = [ops.convert_to_tensor(d) for d in diagonals]
    elif diagonals_format == "compact":
        diagonals = ops.convert_to_tensor(diagonals, name="diagonals")
        upper, main, lower = diagonals[..., 0, :], diagonals[..., 1, :], diagonals[..., 2, :]
    else:
        raise ValueError(f"Unrecognized diagonals_format: {diagonals_format}")
    size = main.shape[-1].value if main.shape.ndims is not None else None
    if size is None:
        raise ValueError("tfcompat: tridiagonal ops need the matrix size at graph construction")
    shift = array_ops.constant(np.eye(size, k=1), dtype=main.dtype.base_dtype)
    return (diag(main) + matmul(diag(upper), shift)
            + matmul(diag(lower), shift, transpose_b=True))


def tridiagonal_matmul(diagonals, rhs, diagonals_format="compact", name=None):
    """``tf.linalg.tridiagonal_matmul``: the tridiagonal matrix times ``rhs`` [..., M, N]."""
    with ops.name_scope(name, "tridiagonal_matmul", [diagonals, rhs]):
        return matmul(_tridiagonal_dense(diagonals, diagonals_format), rhs)


def tridiagonal_solve(diagonals, rhs, diagonals_format="compact", transpose_rhs=False,
                      conjugate_rhs=False, name=None, partial_pivoting=True):
    """``tf.linalg.tridiagonal_solve``: X with (tridiagonal matrix) X = rhs; rhs [..., M, K]
    or, with ``transpose_rhs``, [..., K, M] (the result then has rhs's layout too)."""
    with ops.name_scope(name, "tridiagonal_solve", [diagonals, rhs]):
        matrix = _tridiagonal_dense(diagonals, diagonals_format)
        rhs = ops.convert_to_tensor(rhs, name="rhs")
        if transpose_rhs:
            return matrix_transpose(solve(matrix, matrix_transpose(rhs)))
        return solve(matrix, rhs)
