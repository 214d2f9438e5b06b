"""UnsortedSegmentSum's Numba rule: bit for bit the reference (np.add.at in row order) on
float32/float64 rows, negative ids dropped, TF's error for an id out of range, other
shapes through the reference."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.framework import errors


def _run_twice(fetch, feed):
    """The reference interpreter's result (first run) and the specialised plan's."""
    with tf.Session() as sess:
        return sess.run(fetch, feed), sess.run(fetch, feed)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_rule_matches_reference_bit_for_bit(dtype):
    rng = np.random.RandomState(0)
    data = (rng.randn(500, 7) * 1e3).astype(dtype)
    ids = rng.randint(-1, 5, 500)
    with tf.Graph().as_default():
        x = tf.placeholder(dtype, [None, 7])
        i = tf.placeholder(tf.int64, [None])
        total = tf.unsorted_segment_sum(x, i, 6)
        reference, fast = _run_twice(total, {x: data, i: ids})
    np.testing.assert_array_equal(reference.view(np.uint8), fast.view(np.uint8))
    expected = np.zeros((6, 7), dtype)
    np.add.at(expected, ids[ids >= 0], data[ids >= 0])
    np.testing.assert_array_equal(fast, expected)
    assert fast.dtype == dtype


def test_rule_leaves_errors_and_other_shapes_to_the_reference():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, None)
        i = tf.placeholder(tf.int32, None)
        total = tf.unsorted_segment_sum(x, i, 3)
        with tf.Session() as sess:
            ones = np.ones((4, 2), np.float32)
            for _ in range(2):
                got = sess.run(total, {x: ones, i: [0, 2, 2, -1]})
                np.testing.assert_array_equal(got, [[1, 1], [0, 0], [2, 2]])
                cube = sess.run(total, {x: np.ones((2, 2, 2), np.float32), i: [1, 1]})
                np.testing.assert_array_equal(cube[1], 2 * np.ones((2, 2)))
            with pytest.raises(errors.InvalidArgumentError,
                               match=r"segment_ids\[1\] = 3 is out of range \[0, 3\)"):
                sess.run(total, {x: ones, i: [0, 3, 1, 1]})
