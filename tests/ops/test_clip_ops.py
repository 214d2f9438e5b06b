"""Clipping: forward against NumPy (axes, tensor bounds, zero norms without NaN, infinite
norms), static shapes, TF's op names and errors, gradients by finite differences."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.test import check_gradients

rng = np.random.default_rng(5)


def _run(fetches, feed=None):
    graph = tf.get_default_graph()
    with tf.Session(graph=graph) as sess:
        return sess.run(fetches, feed)


def np_clip_by_norm(t, clip_norm, axes=None):
    norm = np.sqrt(np.sum(t * t, axis=axes, keepdims=True))
    return t * clip_norm / np.maximum(norm, clip_norm)


# ---- clip_by_value -------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32])
def test_clip_by_value_scalar_bounds(dtype):
    x = (rng.normal(size=(4, 5)) * 5).astype(dtype)
    with tf.Graph().as_default():
        out = tf.clip_by_value(tf.constant(x), dtype(-2), dtype(3))
        assert out.op.name == "clip_by_value" and out.op.type == "Maximum"
        assert out.op.inputs[0].op.name == "clip_by_value/Minimum"
        assert out.shape.as_list() == [4, 5] and out.dtype == tf.as_dtype(dtype)
        np.testing.assert_array_equal(_run(out), np.clip(x, -2, 3))


def test_clip_by_value_tensor_bounds_and_placeholder_shape():
    x = rng.normal(size=(3, 4)).astype(np.float32)
    low = -rng.uniform(0, 1, size=(3, 4)).astype(np.float32)
    high = rng.uniform(0, 1, size=(3, 4)).astype(np.float32)
    with tf.Graph().as_default():
        ph = tf.placeholder(tf.float32, [None, 4])
        out = tf.clip_by_value(ph, low, high, name="clipped")
        assert out.op.name == "clipped" and out.shape.as_list() == [3, 4]
        np.testing.assert_array_equal(_run(out, {ph: x}), np.clip(x, low, high))


def test_clip_by_value_errors():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="not compatible"):
            tf.clip_by_value(tf.zeros([4]), tf.zeros([3, 4]), 1.0)
        with pytest.raises(TypeError):
            tf.clip_by_value(tf.constant([1, 20, 13]), 0.5, 3.5)


def test_clip_by_value_gradient():
    x = np.array([[-3.0, -0.5, 0.2], [0.9, 1.7, 4.0]])
    check_gradients(lambda t: tf.clip_by_value(t, -1.0, 1.5), x)
    # The gradient passes only where the value was inside the bounds.
    with tf.Graph().as_default():
        t = tf.constant(x)
        grad = tf.gradients(tf.reduce_sum(tf.clip_by_value(t, -1.0, 1.5)), t)[0]
        np.testing.assert_array_equal(_run(grad), [[0, 1, 1], [1, 0, 0]])


# ---- clip_by_norm ----------------------------------------------------------------------------
@pytest.mark.parametrize("axes", [None, 0, 1, [0, 1], [1]])
def test_clip_by_norm_against_numpy(axes):
    x = rng.normal(size=(5, 4)).astype(np.float32) * 2
    x[1] *= 0.01  # a row below the threshold stays as it is
    with tf.Graph().as_default():
        out = tf.clip_by_norm(tf.constant(x), 1.0, axes=axes)
        assert out.op.name == "clip_by_norm" and out.shape.as_list() == [5, 4]
        value = _run(out)
    np.testing.assert_allclose(value, np_clip_by_norm(x, 1.0, None if axes is None
                                                      else tuple(np.atleast_1d(axes))),
                               rtol=1e-6, atol=1e-7)
    if axes == 1:
        assert np.all(np.linalg.norm(value, axis=1) <= 1.0 + 1e-6)
        np.testing.assert_array_equal(value[1], x[1])


def test_clip_by_norm_max_norm_listing_on_a_variable():
    # The book's max-norm listing: clip a kernel's rows in place with tf.assign.
    w0 = rng.normal(size=(6, 3)).astype(np.float32)
    with tf.Graph().as_default():
        with tf.variable_scope("hidden1"):
            tf.get_variable("kernel", initializer=w0)
        weights = tf.get_default_graph().get_tensor_by_name("hidden1/kernel:0")
        clip_weights = tf.assign(weights, tf.clip_by_norm(weights, clip_norm=1.0, axes=1))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            clip_weights.eval(session=sess)
            np.testing.assert_allclose(sess.run(weights), np_clip_by_norm(w0, 1.0, 1),
                                       rtol=1e-6)


def test_clip_by_norm_zero_inputs_have_no_nan():
    x = np.zeros((3, 4), np.float32)
    x[2] = [3, 4, 0, 0]
    with tf.Graph().as_default():
        t = tf.constant(x)
        rows = tf.clip_by_norm(t, 1.0, axes=1)
        everything = tf.clip_by_norm(tf.zeros([2, 2]), 1.0)
        grads = tf.gradients(tf.reduce_sum(rows * tf.constant(rng.normal(size=(3, 4)),
                                                              tf.float32)), t)[0]
        zero_grad = tf.gradients(tf.reduce_sum(everything), everything.op.inputs[0])
        values = _run([rows, everything, grads])
    np.testing.assert_allclose(values[0], [[0] * 4, [0] * 4, [0.6, 0.8, 0, 0]], rtol=1e-6)
    np.testing.assert_array_equal(values[1], np.zeros((2, 2)))
    assert np.all(np.isfinite(values[2]))
    assert zero_grad[0] is not None


@pytest.mark.parametrize("axes", [None, 1, 0])
def test_clip_by_norm_gradient(axes):
    x = rng.normal(size=(3, 4)) * 2
    x[0] *= 0.05  # one row below the clip norm, the others above
    check_gradients(lambda t: tf.clip_by_norm(t, 1.0, axes=axes), x)


def test_clip_by_norm_gradient_wrt_clip_norm():
    x = rng.normal(size=(2, 3)) * 3
    check_gradients(lambda t, c: tf.clip_by_norm(t, c, axes=1), x, np.array(1.5))


# ---- global_norm and clip_by_global_norm -------------------------------------------------------
def test_global_norm_against_numpy_ignoring_none():
    a, b = rng.normal(size=(3, 4)), rng.normal(size=5)
    with tf.Graph().as_default():
        norm = tf.global_norm([tf.constant(a), None, tf.constant(b)])
        assert norm.op.name == "global_norm/global_norm" and norm.shape.ndims == 0
        np.testing.assert_allclose(_run(norm), np.sqrt(np.sum(a * a) + np.sum(b * b)),
                                   rtol=1e-12)
        with pytest.raises(TypeError, match="t_list should be a sequence"):
            tf.global_norm(tf.constant(a))


@pytest.mark.parametrize("clip_norm", [0.5, 100.0])
def test_clip_by_global_norm_against_numpy(clip_norm):
    a = rng.normal(size=(3, 4)).astype(np.float32)
    b = rng.normal(size=5).astype(np.float32)
    norm = np.sqrt(np.sum(a.astype(np.float64) ** 2) + np.sum(b.astype(np.float64) ** 2))
    with tf.Graph().as_default():
        clipped, use_norm = tf.clip_by_global_norm([tf.constant(a), None, tf.constant(b)],
                                                   clip_norm)
        assert clipped[1] is None
        assert clipped[0].op.name == "clip_by_global_norm/clip_by_global_norm/_0"
        assert clipped[2].op.name == "clip_by_global_norm/clip_by_global_norm/_2"
        values = _run([clipped[0], clipped[2], use_norm])
    scale = clip_norm / max(norm, clip_norm)
    np.testing.assert_allclose(values[0], a * scale, rtol=1e-6)
    np.testing.assert_allclose(values[1], b * scale, rtol=1e-6)
    np.testing.assert_allclose(values[2], norm, rtol=1e-6)


def test_clip_by_global_norm_zero_inf_and_given_norm():
    with tf.Graph().as_default():
        zeros, zero_norm = tf.clip_by_global_norm([tf.zeros([3]), tf.zeros([2, 2])], 1.0)
        infs, _ = tf.clip_by_global_norm([tf.constant([1.0, np.inf])], 1.0)
        given, norm = tf.clip_by_global_norm([tf.constant([3.0, 4.0])], 1.0,
                                             use_norm=tf.constant(10.0))
        values = _run([zeros, zero_norm, infs, given, norm])
    np.testing.assert_array_equal(values[0][0], np.zeros(3))
    np.testing.assert_array_equal(values[0][1], np.zeros((2, 2)))
    assert values[1] == 0.0
    assert np.all(np.isnan(values[2][0]))  # TF: an infinite norm turns every value to NaN
    np.testing.assert_allclose(values[3][0], [0.3, 0.4], rtol=1e-6)
    assert values[4] == 10.0


def test_clip_by_global_norm_gradient():
    a, b = rng.normal(size=(2, 3)) * 2, rng.normal(size=4) * 2

    def build(x, y):
        clipped, _ = tf.clip_by_global_norm([x, y], 1.0)
        return tf.concat([tf.reshape(clipped[0], [-1]), clipped[1]], 0)
    check_gradients(build, a, b)


def test_gradient_clipping_listing():
    # The book: compute_gradients, clip each gradient to [-1, 1], apply_gradients.
    with tf.Graph().as_default():
        w = tf.Variable([2.0, -3.0, 0.25], name="w")
        loss = tf.reduce_sum(tf.square(w) * 2.0)  # gradient 4w = [8, -12, 1]
        optimizer = tf.train.GradientDescentOptimizer(0.1)
        grads_and_vars = optimizer.compute_gradients(loss)
        capped = [(tf.clip_by_value(grad, -1.0, 1.0), var) for grad, var in grads_and_vars]
        training_op = optimizer.apply_gradients(capped)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(training_op)
            np.testing.assert_allclose(sess.run(w), [1.9, -2.9, 0.15], rtol=1e-6)


# ---- clip_by_average_norm ----------------------------------------------------------------------
def np_clip_by_average_norm(t, clip_norm):
    l2norm_inv = 1 / np.sqrt(np.sum(t * t))
    return t * clip_norm * np.minimum(l2norm_inv * t.size, 1 / clip_norm)


@pytest.mark.parametrize("clip_norm", [0.05, 10.0])
def test_clip_by_average_norm_against_numpy(clip_norm):
    x = rng.normal(size=(4, 3)).astype(np.float32)
    with tf.Graph().as_default():
        out = tf.clip_by_average_norm(tf.constant(x), clip_norm)
        assert out.op.name == "clip_by_average_norm" and out.shape.as_list() == [4, 3]
        np.testing.assert_allclose(_run(out), np_clip_by_average_norm(x.astype(np.float64),
                                                                      clip_norm), rtol=1e-6)
        zero = _run(tf.clip_by_average_norm(tf.zeros([2, 3]), 0.1))
    np.testing.assert_array_equal(zero, np.zeros((2, 3)))


def test_clip_by_average_norm_gradient():
    x = rng.normal(size=(3, 4))
    check_gradients(lambda t: tf.clip_by_average_norm(t, 0.05), x)
    check_gradients(lambda t: tf.clip_by_average_norm(t, 10.0), x)


def test_exported_names():
    from tfcompat.ops import clip_ops
    for name in clip_ops.__all__:
        assert getattr(tf, name) is getattr(clip_ops, name)
