"""tf.IndexedSlices: the gather gradient as TF gives it, its densification, aggregation,
fetching, clipping and gating."""
import numpy as np
import pytest

import tfcompat as tf

PARAMS = np.arange(12.0).reshape(4, 3)


def test_gather_gradient_is_indexed_slices_and_fetches_as_value():
    with tf.Graph().as_default():
        var = tf.Variable(PARAMS)
        loss = tf.reduce_sum(tf.gather(var, [[3, 1], [3, 3]]) * 2.0)
        grad = tf.gradients(loss, var)[0]
        assert isinstance(grad, tf.IndexedSlices)
        assert grad.dtype == tf.float64 and grad.values.shape.as_list() == [4, 3]
        dense = tf.convert_to_tensor(grad)
        assert dense.op.type == "UnsortedSegmentSum"
        with tf.Session() as sess:
            sess.run(var.initializer)
            value, dense_value = sess.run([grad, dense])
    assert isinstance(value, tf.IndexedSlicesValue)
    np.testing.assert_array_equal(value.indices, [3, 1, 3, 3])
    np.testing.assert_array_equal(value.values, np.full((4, 3), 2.0))
    np.testing.assert_array_equal(value.dense_shape, [4, 3])
    expected = np.zeros_like(PARAMS)
    expected[3], expected[1] = 6.0, 2.0
    np.testing.assert_array_equal(dense_value, expected)


def test_aggregation_concatenates_slices_and_densifies_with_a_dense_term():
    with tf.Graph().as_default():
        var = tf.Variable(PARAMS)
        ids = tf.placeholder(tf.int64, [None])
        two_gathers = tf.reduce_sum(tf.gather(var, ids)) + tf.reduce_sum(tf.gather(var, [0]))
        sparse = tf.gradients(two_gathers, var)[0]
        mixed = tf.gradients(two_gathers + tf.reduce_sum(var * 3.0), var)[0]
        assert isinstance(sparse, tf.IndexedSlices) and sparse.indices.dtype == tf.int64
        assert isinstance(mixed, tf.Tensor) and mixed.op.type == "AddN"
        with tf.Session() as sess:
            sess.run(var.initializer)
            sparse_value, mixed_value = sess.run([sparse, mixed], {ids: [2, 2]})
    np.testing.assert_array_equal(sparse_value.indices, [2, 2, 0])
    expected = np.full_like(PARAMS, 3.0)
    expected[2] += 2.0
    expected[0] += 1.0
    np.testing.assert_array_equal(mixed_value, expected)


def test_other_gradient_functions_get_densified_slices():
    x = np.linspace(-1.0, 1.0, 12).reshape(4, 3)
    with tf.Graph().as_default():
        ph = tf.placeholder(tf.float64, [4, 3])
        out = tf.reduce_sum(tf.gather(tf.tanh(ph), [1, 1, 2]))
        grad = tf.gradients(out, ph)[0]
        assert isinstance(grad, tf.Tensor)
        with tf.Session() as sess:
            value = sess.run(grad, {ph: x})
    expected = np.zeros_like(x)
    expected[1] = 2 * (1 - np.tanh(x[1]) ** 2)
    expected[2] = 1 - np.tanh(x[2]) ** 2
    np.testing.assert_allclose(value, expected)


def test_clip_by_global_norm_and_clip_by_norm_keep_slices():
    with tf.Graph().as_default():
        var = tf.Variable(PARAMS)
        other = tf.Variable([3.0, 4.0], dtype=tf.float64)
        loss = tf.reduce_sum(tf.gather(var, [1, 1]) * 5.0) + tf.reduce_sum(other * other)
        grads = tf.gradients(loss, [var, other])
        clipped, norm = tf.clip_by_global_norm(grads, 1.0)
        by_norm = tf.clip_by_norm(grads[0], 1.0)
        assert isinstance(clipped[0], tf.IndexedSlices)
        assert isinstance(by_norm, tf.IndexedSlices)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            clipped_v, norm_v, by_norm_v = sess.run([clipped, norm, by_norm])
    # TF's global norm counts the slices' values: two rows of 5s and the dense 6, 8.
    expected_norm = np.sqrt(6 * 25.0 + 36.0 + 64.0)
    np.testing.assert_allclose(norm_v, expected_norm)
    np.testing.assert_allclose(clipped_v[0].values, np.full((2, 3), 5.0) / expected_norm)
    np.testing.assert_allclose(clipped_v[1], [6.0 / expected_norm, 8.0 / expected_norm])
    np.testing.assert_allclose(by_norm_v.values, np.full((2, 3), 5.0) / np.sqrt(150.0))


def test_tuple_gates_slices_and_convert_checks_dtype():
    with tf.Graph().as_default():
        var = tf.Variable(PARAMS)
        grad = tf.gradients(tf.reduce_sum(tf.gather(var, [0])), var)[0]
        gated = tf.tuple([grad, tf.constant(1.0)])
        assert isinstance(gated[0], tf.IndexedSlices)
        assert gated[0].values.op.type == "Identity" and gated[0].indices is grad.indices
        assert tf.convert_to_tensor_or_indexed_slices(grad) is grad
        with pytest.raises(ValueError, match="requested dtype int32"):
            tf.convert_to_tensor_or_indexed_slices(grad, dtype=tf.int32)
        with pytest.raises(ValueError, match="without dense_shape"):
            tf.convert_to_tensor(tf.IndexedSlices(grad.values, grad.indices))
