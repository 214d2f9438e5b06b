"""Linear-algebra ops: forward against NumPy, static shapes, gradients and errors."""
import numpy as np
import pytest

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
