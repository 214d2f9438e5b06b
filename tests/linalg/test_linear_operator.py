"""tf.linalg.LinearOperator*: dense forms, shapes, matmul/matvec/solve, determinants, trace,
adjoint and inverse against NumPy; gradients through an operator's solve."""
import numpy as np
import pytest
import scipy.linalg

import tfcompat as tf
from tfcompat.test import check_gradients

rng = np.random.default_rng(13)
la = tf.linalg


def _well(n):
    return rng.normal(size=(n, n)) * 0.3 + 2 * np.eye(n)


A, B = _well(3), _well(2)
DIAG = rng.uniform(0.5, 2.0, 3)
TRIL = np.tril(_well(3))
U = rng.normal(size=(3, 2))
AXIS = rng.normal(size=3)
COL, ROW = rng.normal(size=3) + np.array([3.0, 0, 0]), rng.normal(size=3)

OPERATORS = [
    ("full", lambda: la.LinearOperatorFullMatrix(A), A),
    ("diag", lambda: la.LinearOperatorDiag(DIAG), np.diag(DIAG)),
    ("tril", lambda: la.LinearOperatorLowerTriangular(TRIL + np.triu(np.ones((3, 3)), 1)),
     TRIL),
    ("identity", lambda: la.LinearOperatorIdentity(3, dtype=tf.float64), np.eye(3)),
    ("scaled", lambda: la.LinearOperatorScaledIdentity(3, np.float64(2.5)), 2.5 * np.eye(3)),
    ("composition", lambda: la.LinearOperatorComposition(
        [la.LinearOperatorFullMatrix(A), la.LinearOperatorDiag(DIAG)]), A @ np.diag(DIAG)),
    ("kronecker", lambda: la.LinearOperatorKronecker(
        [la.LinearOperatorFullMatrix(A), la.LinearOperatorFullMatrix(B)]), np.kron(A, B)),
    ("block_diag", lambda: la.LinearOperatorBlockDiag(
        [la.LinearOperatorFullMatrix(A), la.LinearOperatorFullMatrix(B)]),
     scipy.linalg.block_diag(A, B)),
    ("inversion", lambda: la.LinearOperatorInversion(la.LinearOperatorFullMatrix(A)),
     np.linalg.inv(A)),
    ("adjoint", lambda: la.LinearOperatorAdjoint(la.LinearOperatorFullMatrix(A)), A.T),
    ("low_rank", lambda: la.LinearOperatorLowRankUpdate(
        la.LinearOperatorDiag(DIAG + 2), U, diag_update=[0.5, 0.25]),
     np.diag(DIAG + 2) + U @ np.diag([0.5, 0.25]) @ U.T),
    ("householder", lambda: la.LinearOperatorHouseholder(AXIS),
     np.eye(3) - 2 * np.outer(AXIS, AXIS) / AXIS.dot(AXIS)),
    ("permutation", lambda: la.LinearOperatorPermutation([1, 2, 0], dtype=tf.float64),
     np.eye(3)[[1, 2, 0]]),
    ("toeplitz", lambda: la.LinearOperatorToeplitz(COL, ROW), scipy.linalg.toeplitz(COL, ROW)),
]


@pytest.mark.parametrize("build,dense", [c[1:] for c in OPERATORS], ids=[c[0] for c in OPERATORS])
def test_operator_against_its_dense_matrix(build, dense):
    n = dense.shape[0]
    x = rng.normal(size=(n, 2))
    with tf.Graph().as_default():
        operator = build()
        assert operator.shape.as_list() == list(dense.shape) and operator.is_square
        fetches = [operator.to_dense(), operator.matmul(x), operator.matmul(x, adjoint=True),
                   operator.matvec(x[:, 0]), operator.solve(x), operator.solvevec(x[:, 0]),
                   operator.solve(x.T, adjoint=True, adjoint_arg=True), operator.determinant(),
                   operator.log_abs_determinant(), operator.trace(), operator.diag_part(),
                   operator.adjoint().to_dense(), operator.inverse().to_dense(),
                   operator.shape_tensor(), operator.add_to_tensor(np.ones((n, n)))]
        values = tf.Session().run(fetches)
    inverse = np.linalg.inv(dense)
    expected = [dense, dense @ x, dense.T @ x, dense @ x[:, 0], inverse @ x, inverse @ x[:, 0],
                inverse.T @ x, np.linalg.det(dense), np.log(abs(np.linalg.det(dense))),
                np.trace(dense), np.diag(dense), dense.T, inverse, list(dense.shape),
                dense + 1]
    for value, reference in zip(values, expected, strict=True):
        np.testing.assert_allclose(value, reference, rtol=1e-9, atol=1e-10)


def test_batches_names_and_hints():
    diags = rng.uniform(0.5, 2, (2, 3))
    with tf.Graph().as_default():
        operator = la.LinearOperatorDiag(diags, is_positive_definite=True)
        assert operator.batch_shape.as_list() == [2] and operator.tensor_rank == 3
        assert operator.domain_dimension.value == 3 and operator.is_non_singular
        assert operator.name == "LinearOperatorDiag"
        # the constructor took the scope "LinearOperatorDiag", as TF's does
        assert operator.to_dense().op.name.startswith("LinearOperatorDiag_1/to_dense/")
        np.testing.assert_allclose(tf.Session().run(operator.determinant()),
                                   diags.prod(-1))
        chol = operator.cholesky()
        np.testing.assert_allclose(tf.Session().run(chol.to_dense()),
                                   np.stack([np.diag(np.sqrt(d)) for d in diags]))
        composed = la.LinearOperatorFullMatrix(A, name="a") @ la.LinearOperatorDiag(DIAG,
                                                                                      name="d")
        assert isinstance(composed, la.LinearOperatorComposition) and composed.name == "a_o_d"
        zeros = la.LinearOperatorZeros(2, 3, batch_shape=[4])
        assert zeros.shape.as_list() == [4, 2, 3] and not zeros.is_square
        with pytest.raises(NotImplementedError, match="not be square"):
            zeros.determinant()
        with pytest.raises(ValueError, match="always singular"):
            la.LinearOperatorZeros(2, is_non_singular=True)
        with pytest.raises(ValueError, match="positive definite matrix is always"):
            la.LinearOperatorFullMatrix(A, is_non_singular=False, is_positive_definite=True)
        with pytest.raises(TypeError, match="same dtype"):
            la.LinearOperatorComposition([la.LinearOperatorFullMatrix(A),
                                          la.LinearOperatorIdentity(3)])


def test_run_time_assertions():
    with tf.Graph().as_default():
        singular = la.LinearOperatorFullMatrix(np.ones((2, 2)))
        with pytest.raises(tf.errors.InvalidArgumentError, match="Singular matrix"):
            tf.Session().run(singular.assert_non_singular())
        symmetric = la.LinearOperatorFullMatrix(A + A.T)
        tf.Session().run(symmetric.assert_self_adjoint())
        with pytest.raises(tf.errors.InvalidArgumentError):
            tf.Session().run(la.LinearOperatorFullMatrix(A).assert_self_adjoint())


def test_gradient_through_an_operator_solve():
    check_gradients(lambda m, b: la.LinearOperatorFullMatrix(m).solve(b), A, rng.normal(
        size=(3, 2)))
    check_gradients(lambda d, b: la.LinearOperatorDiag(d).matvec(b), DIAG, rng.normal(size=3))
