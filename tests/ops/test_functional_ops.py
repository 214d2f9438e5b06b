"""tf.map_fn, tf.scan, tf.foldl, tf.foldr and tf.case."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.test import check_gradients

X = np.arange(1.0, 7.0).reshape(3, 2)


def _run(*tensors):
    with tf.Session() as sess:
        return sess.run(list(tensors))


def test_map_fn_nested_and_dtype():
    with tf.Graph().as_default():
        x = tf.constant(X)
        doubled = tf.map_fn(lambda r: r * 2, x)
        pair = tf.map_fn(lambda r: (r[0], r[1] * 2), (x[:, 0], x[:, 1]))
        ints = tf.map_fn(lambda r: tf.cast(r[0], tf.int32), (x[:, 0], x[:, 1]), dtype=tf.int32)
        assert doubled.shape.as_list() == [3, 2]
        got = _run(doubled, pair[0], pair[1], ints)
    np.testing.assert_array_equal(got[0], X * 2)
    np.testing.assert_array_equal(got[2], X[:, 1] * 2)
    np.testing.assert_array_equal(got[3], [1, 3, 5])


def test_scan_and_folds():
    with tf.Graph().as_default():
        x = tf.constant(X)
        got = _run(tf.scan(lambda a, r: a + r, x),
                   tf.scan(lambda a, r: a + r, x, reverse=True),
                   tf.scan(lambda a, r: a * r, x, initializer=tf.constant([1.0, 1.0],
                                                                          tf.float64)),
                   tf.foldl(lambda a, r: a - r, x), tf.foldr(lambda a, r: a - r, x),
                   tf.foldl(lambda a, r: a + r[0] * r[1], (x[:, 0], x[:, 1]),
                            initializer=tf.constant(0.0, tf.float64)))
    np.testing.assert_array_equal(got[0], np.cumsum(X, 0))
    np.testing.assert_array_equal(got[1], np.cumsum(X[::-1], 0)[::-1])
    np.testing.assert_array_equal(got[2], np.cumprod(X, 0))
    np.testing.assert_array_equal(got[3], X[0] - X[1] - X[2])
    np.testing.assert_array_equal(got[4], X[2] - X[1] - X[0])
    assert got[5] == (X[:, 0] * X[:, 1]).sum()


def test_scan_and_map_gradients():
    check_gradients(lambda x: tf.scan(lambda a, r: tf.sin(a) * r, x), X * 0.3)
    check_gradients(lambda x: tf.map_fn(lambda r: r * tf.reduce_sum(r), x), X * 0.3)
    check_gradients(lambda x: tf.foldr(lambda a, r: a * r + 1.0, x), X * 0.3)


def test_case_takes_the_first_true_predicate():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.int32, [])
        with_default = tf.case([(tf.equal(x, 1), lambda: tf.constant(10)),
                                (tf.equal(x, 2), lambda: tf.constant(20))],
                               default=lambda: tf.constant(-1))
        last_default = tf.case([(tf.less(x, 2), lambda: tf.constant(10)),
                                (tf.less(x, 5), lambda: tf.constant(20))])
        with tf.Session() as sess:
            assert [sess.run(with_default, {x: v}) for v in (1, 2, 3)] == [10, 20, -1]
            assert [sess.run(last_default, {x: v}) for v in (1, 3)] == [10, 20]
            # Without a default, the last pair's function runs behind an Assert that some
            # predicate holds (TF's _case_create_default_action).
            with pytest.raises(tf.errors.InvalidArgumentError, match="None of the conditions"):
                sess.run(last_default, {x: 7})


def test_vectorized_map_matches_a_loop_over_rows():
    data = np.arange(12.0).reshape(4, 3)
    with tf.Graph().as_default():
        doubled, sums = tf.vectorized_map(lambda row: (row * 2.0, tf.reduce_sum(row)),
                                          tf.constant(data))
        with tf.Session() as sess:
            got_doubled, got_sums = sess.run([doubled, sums])
    np.testing.assert_allclose(got_doubled, data * 2)
    np.testing.assert_allclose(got_sums, data.sum(axis=1))
