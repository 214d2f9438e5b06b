"""roll, where_v2, unravel_index, identity_n, ensure_shape, searchsorted, broadcast shapes,
sort/argsort, meshgrid, arg_max/arg_min, hessians and the static helpers."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.test import check_gradients

rng = np.random.default_rng(17)


def _run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


def test_roll():
    x = rng.normal(size=(3, 4))
    with tf.Graph().as_default():
        values = _run([tf.roll(x, 1, 0), tf.roll(x, [1, -2], [0, 1]), tf.roll(x, [1, 1], [1, 1])])
        np.testing.assert_array_equal(values[0], np.roll(x, 1, 0))
        np.testing.assert_array_equal(values[1], np.roll(x, (1, -2), (0, 1)))
        np.testing.assert_array_equal(values[2], np.roll(x, 2, 1))
        with pytest.raises(tf.errors.InvalidArgumentError, match="same size"):
            _run(tf.roll(x, [1, 2], [0]))
    check_gradients(lambda v: tf.roll(v, [2], [1]), x)


def test_where_v2_broadcasts_and_differentiates():
    condition = np.array([[True], [False]])
    x, y = rng.normal(size=(2, 3)), rng.normal(size=(3,))
    with tf.Graph().as_default():
        out = tf.where_v2(condition, x, y)
        assert out.op.type == "SelectV2" and out.shape.as_list() == [2, 3]
        np.testing.assert_array_equal(_run(out), np.where(condition, x, y))
        coordinates = _run(tf.where_v2([[True, False], [False, True]]))
        np.testing.assert_array_equal(coordinates, [[0, 0], [1, 1]])
        with pytest.raises(ValueError, match="both be non-None"):
            tf.where_v2(condition, x)
    check_gradients(lambda a, b: tf.where_v2(condition, a, b), x, y)


def test_unravel_identity_n_ensure_shape():
    with tf.Graph().as_default():
        flat = tf.unravel_index([22, 41, 37], [7, 6])
        scalar = tf.unravel_index(5, [2, 3])
        assert flat.shape.as_list() == [2, 3] and scalar.shape.as_list() == [2]
        np.testing.assert_array_equal(_run(flat), np.unravel_index([22, 41, 37], (7, 6)))
        np.testing.assert_array_equal(_run(scalar), [1, 2])
        a, b = tf.identity_n([tf.constant(1.0), tf.constant([2, 3])])
        assert _run(b).tolist() == [2, 3] and a.op.type == "IdentityN"
        x = tf.placeholder(tf.float32, [None, None])
        ensured = tf.ensure_shape(x, [None, 3])
        assert ensured.shape.as_list() == [None, 3]
        _run(ensured, {x: np.zeros((2, 3))})
        with pytest.raises(tf.errors.InvalidArgumentError, match="is not compatible with "
                                                                 "expected shape"):
            _run(ensured, {x: np.zeros((2, 4))})
        with pytest.raises(ValueError, match="Shape must be"):
            tf.ensure_shape(tf.zeros([2, 2]), [3, 2])
    check_gradients(lambda v: tf.identity_n([v, 2 * v])[1], rng.normal(size=3))


def test_searchsorted_and_broadcast_shapes():
    sorted_rows = np.array([[0.0, 3, 9, 9, 10], [1, 2, 3, 4, 5]])
    values = np.array([[2.0, 4, 9], [0, 2, 6]])
    with tf.Graph().as_default():
        left, right = _run([tf.searchsorted(sorted_rows, values),
                            tf.searchsorted(sorted_rows, values, side="right")])
        for row in range(2):
            np.testing.assert_array_equal(left[row], np.searchsorted(sorted_rows[row],
                                                                     values[row]))
            np.testing.assert_array_equal(right[row], np.searchsorted(
                sorted_rows[row], values[row], side="right"))
        assert left.dtype == np.int32
        assert _run(tf.broadcast_dynamic_shape([2, 1, 3], [4, 1])).tolist() == [2, 4, 3]
        with pytest.raises(tf.errors.InvalidArgumentError, match="Incompatible shapes"):
            _run(tf.broadcast_dynamic_shape([2, 3], [4, 1]))
        assert tf.broadcast_static_shape(tf.TensorShape([None, 1]),
                                         tf.TensorShape([3])).as_list() == [None, 3]
        with pytest.raises(ValueError, match="Incompatible shapes for broadcasting"):
            tf.broadcast_static_shape(tf.TensorShape([2]), tf.TensorShape([3]))


@pytest.mark.parametrize("direction", ["ASCENDING", "DESCENDING"])
@pytest.mark.parametrize("axis", [-1, 0])
def test_sort_and_argsort(direction, axis):
    x = rng.normal(size=(3, 4))
    ints = rng.integers(-5, 5, size=(3, 4)).astype(np.int32)
    order = np.sort(x, axis=axis)
    if direction == "DESCENDING":
        order = np.flip(order, axis)
    with tf.Graph().as_default():
        values, indices, sorted_ints = _run([
            tf.sort(x, axis=axis, direction=direction),
            tf.argsort(x, axis=axis, direction=direction),
            tf.sort(ints, axis=axis, direction=direction)])
        np.testing.assert_array_equal(values, order)
        np.testing.assert_array_equal(np.take_along_axis(x, indices, axis), order)
        expected_ints = np.sort(ints, axis=axis)
        if direction == "DESCENDING":
            expected_ints = np.flip(expected_ints, axis)
        np.testing.assert_array_equal(sorted_ints, expected_ints)
    check_gradients(lambda v: tf.sort(v, axis=axis, direction=direction), x)


def test_meshgrid_and_deprecated_arg_extrema():
    x, y, z = np.arange(3.0), np.arange(4.0), np.arange(2.0)
    with tf.Graph().as_default():
        for indexing in ("xy", "ij"):
            grids = _run(tf.meshgrid(x, y, z, indexing=indexing))
            for grid, expected in zip(grids, np.meshgrid(x, y, z, indexing=indexing),
                                      strict=True):
                np.testing.assert_array_equal(grid, expected)
        m = rng.normal(size=(3, 4))
        assert _run(tf.arg_max(m, 1)).tolist() == np.argmax(m, 1).tolist()
        assert _run(tf.arg_min(m, 0)).tolist() == np.argmin(m, 0).tolist()


def test_static_helpers_and_hessians():
    with tf.Graph().as_default():
        c = tf.constant([1, 2])
        assert tf.is_tensor(c) and not tf.is_tensor(np.ones(2))
        assert tf.dimension_value(c.shape[0]) == 2 and tf.dimension_value(3) == 3
        assert tf.dimension_at_index(c.shape, 0).value == 2
        assert tf.get_static_value(c).tolist() == [1, 2]
        assert tf.get_static_value(tf.placeholder(tf.float32)) is None
        x = tf.constant([1.0, 2.0, 3.0], tf.float64)
        a = tf.constant(rng.normal(size=(3, 3)))
        quadratic = tf.reduce_sum(x * tf.linalg.matvec(a, x)) + tf.reduce_sum(x ** 3)
        hessian, = tf.hessians(quadratic, x)
        value, matrix = _run([hessian, a])
    np.testing.assert_allclose(value, matrix + matrix.T + np.diag(6 * np.array([1.0, 2, 3])),
                               rtol=1e-10)


def test_timestamp_guarantee_const_parallel_stack():
    with tf.Graph().as_default():
        floats = tf.constant([1.0, -2.0], tf.float32)
        stamp = _run(tf.timestamp())
        assert stamp.dtype == np.float64 and stamp > 1.5e9
        assert _run(tf.guarantee_const(floats)).tolist() == [1.0, -2.0]
        assert _run(tf.parallel_stack([floats, floats])).shape == (2, 2)
        with pytest.raises(ValueError, match="unknown shape"):
            tf.parallel_stack([tf.placeholder(tf.float32)])
