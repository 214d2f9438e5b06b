"""tf.linalg's composites (pinv, matrix_rank, tridiagonal ops, matvec, normalize ...) and its
aliases of the linalg ops."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.test import check_gradients

rng = np.random.default_rng(11)


def _check(tensor, expected):
    value = tf.Session().run(tensor)
    assert tensor.shape.is_compatible_with(np.shape(value))
    np.testing.assert_allclose(value, expected, rtol=1e-9, atol=1e-10)


def test_aliases_are_the_ops():
    assert tf.linalg.inv is tf.matrix_inverse
    assert tf.linalg.det is tf.matrix_determinant
    assert tf.linalg.solve is tf.matrix_solve
    assert tf.linalg.triangular_solve is tf.matrix_triangular_solve
    assert tf.linalg.band_part is tf.matrix_band_part
    assert tf.linalg.eigh is tf.self_adjoint_eig
    assert tf.linalg.lstsq is tf.matrix_solve_ls
    assert tf.linalg.tensor_diag is tf.diag
    assert tf.linalg.matmul is tf.matmul
    assert tf.linalg.einsum is tf.einsum


def test_adjoint_matvec_normalize():
    a, b = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 4))
    with tf.Graph().as_default():
        _check(tf.linalg.adjoint(a), np.swapaxes(a, -1, -2))
        _check(tf.linalg.matvec(a, b), np.einsum("bij,bj->bi", a, b))
        normalized, norm = tf.linalg.normalize(b, axis=1)
        _check(norm, np.linalg.norm(b, axis=1, keepdims=True))
        _check(normalized, b / np.linalg.norm(b, axis=1, keepdims=True))
    check_gradients(tf.linalg.matvec, a, b)


def test_pinv_and_matrix_rank():
    low_rank = rng.normal(size=(4, 2)) @ rng.normal(size=(2, 3))
    full = rng.normal(size=(2, 3, 4))
    with tf.Graph().as_default():
        _check(tf.linalg.pinv(full), np.linalg.pinv(full))
        _check(tf.linalg.pinv(low_rank), np.linalg.pinv(low_rank))
        _check(tf.linalg.matrix_rank(low_rank), 2)
        _check(tf.linalg.matrix_rank(full), [3, 3])
        _check(tf.linalg.matrix_rank(np.diag([1.0, 1e-3, 0.0]), tol=1e-2), 1)
    check_gradients(tf.linalg.pinv, full)


def _tridiagonal(upper, main, lower):
    return np.diag(main) + np.diag(upper[:-1], 1) + np.diag(lower[1:], -1)


def test_tridiagonal_matmul_and_solve():
    upper, lower = rng.normal(size=4), rng.normal(size=4)
    main = rng.normal(size=4) + 4.0
    compact = np.stack([upper, main, lower])
    dense = _tridiagonal(upper, main, lower)
    rhs = rng.normal(size=(4, 2))
    with tf.Graph().as_default():
        _check(tf.linalg.tridiagonal_matmul(compact, rhs), dense @ rhs)
        _check(tf.linalg.tridiagonal_solve(compact, rhs), np.linalg.solve(dense, rhs))
        _check(tf.linalg.tridiagonal_solve([upper, main, lower], rhs,
                                           diagonals_format="sequence"),
               np.linalg.solve(dense, rhs))
        _check(tf.linalg.tridiagonal_solve(dense, rhs.T, diagonals_format="matrix",
                                           transpose_rhs=True), np.linalg.solve(dense, rhs).T)
        with pytest.raises(ValueError, match="Unrecognized diagonals_format"):
            tf.linalg.tridiagonal_solve(compact, rhs, diagonals_format="banded")
    check_gradients(tf.linalg.tridiagonal_solve, compact, rhs)
