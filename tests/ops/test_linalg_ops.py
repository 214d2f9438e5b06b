"""Linear-algebra ops: forward against NumPy, static shapes, gradients and errors."""
import numpy as np
import pytest
import scipy.linalg

import tfcompat as tf
from tfcompat.test import check_gradients

rng = np.random.default_rng(3)


def _run(tensor, feed=None):
    with tf.Session(graph=tensor.graph) as sess:
        return sess.run(tensor, feed)


def _well_conditioned(shape):
    n = shape[-1]
    return rng.normal(size=shape) * 0.3 + np.eye(n) * 2


CASES = [
    ("inverse", tf.matrix_inverse, np.linalg.inv),
    ("inverse_adjoint", lambda x: tf.matrix_inverse(x, adjoint=True),
     lambda x: np.linalg.inv(np.swapaxes(x, -1, -2))),
    ("determinant", tf.matrix_determinant, np.linalg.det),
    ("diag_part", tf.matrix_diag_part, lambda x: np.diagonal(x, axis1=-2, axis2=-1)),
    ("trace", tf.trace, lambda x: np.trace(x, axis1=-2, axis2=-1)),
]


@pytest.mark.parametrize("builder,reference", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
@pytest.mark.parametrize("shape", [(3, 3), (2, 3, 3)], ids=str)
def test_forward_and_gradient(builder, reference, shape):
    x = _well_conditioned(shape)
    with tf.Graph().as_default():
        out = builder(tf.constant(x))
        expected = reference(x)
        assert out.shape.as_list() == list(np.shape(expected))
        np.testing.assert_allclose(_run(out), expected, rtol=1e-10, atol=1e-12)
        ph = tf.placeholder(tf.float64, [None, 3, 3] if len(shape) == 3 else [None, None])
        assert builder(ph).shape.is_compatible_with(np.shape(expected))
    check_gradients(builder, x)


def test_matrix_diag_and_set_diag():
    d = rng.normal(size=(2, 3))
    x = rng.normal(size=(2, 3, 4))
    with tf.Graph().as_default():
        out = tf.matrix_diag(tf.constant(d))
        assert out.shape.as_list() == [2, 3, 3]
        np.testing.assert_array_equal(_run(out), np.stack([np.diag(r) for r in d]))
        part = tf.matrix_diag_part(tf.constant(x))
        assert part.shape.as_list() == [2, 3]
    check_gradients(tf.matrix_diag, d)
    check_gradients(tf.matrix_diag_part, x)
    check_gradients(tf.matrix_set_diag, x, d)


def test_shape_errors_and_singular_matrix():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="Dimensions must be equal, but are 2 and 3"):
            tf.matrix_inverse(tf.zeros([2, 3]))
        with pytest.raises(ValueError, match="at least rank 2"):
            tf.matrix_determinant(tf.zeros([3]))
        with pytest.raises(TypeError, match="int32"):
            tf.matrix_inverse(tf.zeros([2, 2], tf.int32))
        out = tf.matrix_inverse(tf.zeros([2, 2], tf.float64), name="inv")
        with pytest.raises(tf.errors.InvalidArgumentError, match="not invertible") as info:
            _run(out)
        assert "inv" in str(info.value)
        ph = tf.placeholder(tf.float64, [None, None])
        with pytest.raises(tf.errors.InvalidArgumentError, match="must be square"):
            _run(tf.matrix_determinant(ph), {ph: np.zeros((2, 3))})


def test_float32_dtype_preserved():
    x = _well_conditioned((3, 3)).astype(np.float32)
    with tf.Graph().as_default():
        inv, det = tf.matrix_inverse(x), tf.matrix_determinant(x)
        assert inv.dtype == tf.float32 and det.dtype == tf.float32
        vi, vd = tf.Session().run([inv, det])
        assert vi.dtype == np.float32 and vd.dtype == np.float32
        np.testing.assert_allclose(vi @ x, np.eye(3), atol=1e-5)


# ---- bands, factorizations, solves (issue 21) ---------------------------------------------------
def _spd(shape):
    a = rng.normal(size=shape)
    return a @ np.swapaxes(a, -1, -2) + shape[-1] * np.eye(shape[-1])


def _symmetrized(builder):
    """builder applied to (x + xᵀ)/2: the finite differences then see the symmetric input
    the ops that read one triangle assume."""
    return lambda x: builder(0.5 * (x + tf.matrix_transpose(x)))


def _forward(tensor, expected, rtol=1e-9):
    value = _run(tensor)
    assert tensor.shape.as_list() == list(np.shape(value))
    np.testing.assert_allclose(value, expected, rtol=rtol, atol=1e-10)


def test_band_part():
    x = rng.normal(size=(2, 4, 5))
    with tf.Graph().as_default():
        for lower, upper in ((1, 0), (-1, 2), (0, -1)):
            keep = [[(j - i <= upper or upper < 0) and (i - j <= lower or lower < 0)
                     for j in range(5)] for i in range(4)]
            expected = x * np.array(keep)
            _forward(tf.matrix_band_part(x, lower, upper), expected)
        with pytest.raises(tf.errors.InvalidArgumentError, match="num_lower must be negative"):
            _run(tf.matrix_band_part(x, 5, 0))
    check_gradients(lambda v: tf.matrix_band_part(v, 1, 0), x)


def test_cholesky_and_cholesky_solve():
    a, rhs = _spd((2, 3, 3)), rng.normal(size=(2, 3, 2))
    with tf.Graph().as_default():
        chol = tf.cholesky(a)
        _forward(chol, np.linalg.cholesky(a))
        _forward(tf.cholesky_solve(chol, rhs), np.linalg.solve(a, rhs))
        with pytest.raises(tf.errors.InvalidArgumentError, match="Cholesky decomposition was "
                                                                 "not successful"):
            _run(tf.cholesky(-np.eye(2)))
    check_gradients(_symmetrized(tf.cholesky), a)
    check_gradients(lambda m, b: tf.cholesky_solve(tf.cholesky(0.5 * (m + tf.matrix_transpose(
        m))), b), a, rhs)


@pytest.mark.parametrize("adjoint", [False, True])
def test_matrix_solve(adjoint):
    a, rhs = _well_conditioned((2, 3, 3)), rng.normal(size=(2, 3, 4))
    with tf.Graph().as_default():
        matrix = np.swapaxes(a, -1, -2) if adjoint else a
        _forward(tf.matrix_solve(a, rhs, adjoint=adjoint), np.linalg.solve(matrix, rhs))
        with pytest.raises(ValueError, match="Dimensions must be equal, but are 3 and 2"):
            tf.matrix_solve(a, rhs[:, :2])
        with pytest.raises(tf.errors.InvalidArgumentError, match="not invertible"):
            _run(tf.matrix_solve(np.zeros((2, 2)), np.ones((2, 1))))
    check_gradients(lambda m, b: tf.matrix_solve(m, b, adjoint=adjoint), a, rhs)


@pytest.mark.parametrize("lower,adjoint", [(True, False), (False, True), (True, True)])
def test_triangular_solve(lower, adjoint):
    a, rhs = _well_conditioned((3, 3)), rng.normal(size=(3, 2))
    triangle = np.tril(a) if lower else np.triu(a)
    with tf.Graph().as_default():
        _forward(tf.matrix_triangular_solve(a, rhs, lower=lower, adjoint=adjoint),
                 np.linalg.solve(triangle.T if adjoint else triangle, rhs))
    check_gradients(lambda m, b: tf.matrix_triangular_solve(m, b, lower=lower, adjoint=adjoint),
                    a, rhs)


def test_slogdet_and_logdet():
    a, spd = _well_conditioned((2, 3, 3)) - 2.5 * np.eye(3), _spd((3, 3))
    with tf.Graph().as_default():
        sign, log_abs = tf.linalg.slogdet(a)
        expected_sign, expected_log = np.linalg.slogdet(a)
        _forward(sign, expected_sign)
        _forward(log_abs, expected_log)
        _forward(tf.linalg.logdet(spd), np.linalg.slogdet(spd)[1])
    check_gradients(lambda m: tf.linalg.slogdet(m)[1], a)
    check_gradients(_symmetrized(tf.linalg.logdet), spd)


def test_self_adjoint_eig():
    a = _spd((2, 3, 3))
    with tf.Graph().as_default():
        e, v = tf.self_adjoint_eig(a)
        expected_e, expected_v = np.linalg.eigh(a)
        _forward(e, expected_e)
        _forward(tf.abs(v), np.abs(expected_v))
        _forward(tf.self_adjoint_eigvals(a), expected_e)
    check_gradients(_symmetrized(lambda m: tf.self_adjoint_eig(m)[0]), a)
    check_gradients(_symmetrized(lambda m: tf.square(tf.self_adjoint_eig(m)[1])), a)
    check_gradients(_symmetrized(tf.self_adjoint_eigvals), a)


@pytest.mark.parametrize("shape", [(4, 3), (2, 3, 3)], ids=str)
def test_qr(shape):
    a = rng.normal(size=shape)
    with tf.Graph().as_default():
        q, r = tf.qr(a)
        expected_q, expected_r = np.linalg.qr(a)
        _forward(q, expected_q)
        _forward(r, expected_r)
        q_full, _ = tf.qr(a, full_matrices=True)
        assert q_full.shape.as_list() == list(shape[:-2]) + [shape[-2], shape[-2]]
        with pytest.raises(NotImplementedError, match="QrGrad not implemented"):
            wide = tf.constant(rng.normal(size=(2, 3)))
            tf.gradients(tf.qr(wide)[0], wide)
    check_gradients(lambda m: tf.qr(m)[0], a)
    check_gradients(lambda m: tf.qr(m)[1], a)


@pytest.mark.parametrize("shape", [(4, 3), (3, 4), (3, 3)], ids=str)
def test_svd(shape):
    a = rng.normal(size=shape)
    with tf.Graph().as_default():
        s, u, v = tf.svd(a)
        expected_u, expected_s, expected_vh = np.linalg.svd(a, full_matrices=False)
        _forward(s, expected_s)
        _forward(tf.abs(u), np.abs(expected_u))
        _forward(tf.abs(v), np.abs(expected_vh.T))
        _forward(tf.svd(a, compute_uv=False), expected_s)
        s_full, u_full, v_full = tf.svd(a, full_matrices=True)
        assert u_full.shape.as_list() == [shape[0]] * 2
        assert v_full.shape.as_list() == [shape[1]] * 2
    check_gradients(lambda m: tf.svd(m, compute_uv=False), a)
    check_gradients(lambda m: tf.svd(m)[0], a)
    # products invariant to the singular vectors' signs
    check_gradients(lambda m: tf.svd(m)[1] * tf.svd(m)[1][..., :1], a)
    check_gradients(lambda m: tf.svd(m)[2] * tf.svd(m)[2][..., :1], a)


@pytest.mark.parametrize("shape,rhs_cols", [((4, 3), 2), ((2, 4), 1)], ids=str)
def test_matrix_solve_ls(shape, rhs_cols):
    a, rhs = rng.normal(size=shape), rng.normal(size=(shape[0], rhs_cols))
    with tf.Graph().as_default():
        _forward(tf.matrix_solve_ls(a, rhs), np.linalg.lstsq(a, rhs, rcond=None)[0])
        regularised = tf.linalg.lstsq(a, rhs, l2_regularizer=0.5)
        expected = np.linalg.solve(a.T @ a + 0.5 * np.eye(shape[1]), a.T @ rhs) \
            if shape[0] >= shape[1] else a.T @ np.linalg.solve(a @ a.T + 0.5 * np.eye(shape[0]),
                                                               rhs)
        _forward(regularised, expected)
    check_gradients(tf.matrix_solve_ls, a, rhs)


def test_expm_and_sqrtm():
    a, spd = rng.normal(size=(2, 3, 3)) * 0.5, _spd((3, 3))
    with tf.Graph().as_default():
        _forward(tf.linalg.expm(a), np.stack([scipy.linalg.expm(m) for m in a]))
        _forward(tf.matrix_square_root(spd), scipy.linalg.sqrtm(spd))
    check_gradients(tf.linalg.expm, a)
    check_gradients(tf.linalg.sqrtm, spd)


def test_lu_and_its_solves():
    a, rhs = _well_conditioned((2, 3, 3)), rng.normal(size=(2, 3, 2))
    with tf.Graph().as_default():
        lu, perm = tf.linalg.lu(a)
        assert perm.dtype == tf.int32 and perm.shape.as_list() == [2, 3]
        lu_value, perm_value = tf.Session().run([lu, perm])
        for m, factors, p in zip(a, lu_value, perm_value, strict=True):
            lower = np.tril(factors, -1) + np.eye(3)
            np.testing.assert_allclose(m[p], lower @ np.triu(factors), atol=1e-12)
        _forward(tf.linalg.lu_solve(lu, perm, rhs), np.linalg.solve(a, rhs))
        _forward(tf.linalg.lu_matrix_inverse(lu, perm), np.linalg.inv(a))
        _forward(tf.linalg.lu_reconstruct(lu, perm), a)


def test_cross_and_tensor_diag():
    a, b = rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    d = rng.normal(size=(2, 3))
    with tf.Graph().as_default():
        _forward(tf.cross(a, b), np.cross(a, b))
        with pytest.raises(ValueError, match="Dimension must be 3 but is 2"):
            tf.cross(a[:, :2], b[:, :2])
        full = np.diag(d.ravel()).reshape(2, 3, 2, 3)
        _forward(tf.diag(d), full)
        _forward(tf.diag_part(full), d)
        with pytest.raises(ValueError, match="even rank"):
            tf.diag_part(tf.zeros([2, 3, 4]))
    check_gradients(tf.cross, a, b)
    check_gradients(tf.diag, d)
    check_gradients(tf.diag_part, rng.normal(size=(2, 3, 2, 3)))


@pytest.mark.parametrize("ord_,axis,reference", [
    ("euclidean", None, lambda x: np.sqrt(np.sum(x ** 2))),
    (1, 1, lambda x: np.abs(x).sum(1)),
    (np.inf, -1, lambda x: np.abs(x).max(-1)),
    (3, 0, lambda x: (np.abs(x) ** 3).sum(0) ** (1 / 3)),
    ("fro", (0, 1), lambda x: np.linalg.norm(x, "fro")),
    (1, (0, 1), lambda x: np.linalg.norm(x, 1)),
    (np.inf, (0, 1), lambda x: np.linalg.norm(x, np.inf)),
    (2, (0, 1), lambda x: np.linalg.norm(x, 2)),
], ids=str)
def test_norm(ord_, axis, reference):
    x = rng.normal(size=(3, 4))
    with tf.Graph().as_default():
        _forward(tf.norm(x, ord=ord_, axis=axis), reference(x))
        kept = tf.norm(x, ord=ord_, axis=axis, keepdims=True)
        assert _run(kept).ndim == 2
    check_gradients(lambda v: tf.norm(v, ord=ord_, axis=axis), x)


def test_norm_rejects_unsupported_orders():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="'ord' must be a supported vector norm"):
            tf.norm(tf.zeros([3]), ord=-1)
        with pytest.raises(ValueError, match="'ord' must be a supported matrix norm"):
            tf.norm(tf.zeros([3, 3]), ord=3, axis=(0, 1))


def test_p_norm_of_complex_vector_is_real():
    z = np.array([3 + 4j, 1j, -2])
    with tf.Graph().as_default():
        norm = tf.norm(tf.constant(z), ord=3)
        assert norm.dtype == tf.float64
        value = tf.Session().run(norm)
    np.testing.assert_allclose(value, np.sum(np.abs(z) ** 3) ** (1 / 3))
