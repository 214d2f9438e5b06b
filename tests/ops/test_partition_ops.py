"""dynamic_partition / dynamic_stitch: values against NumPy, TF's static shapes, errors and
float64 gradients (each op's gradient is the other)."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.test import check_gradients

rng = np.random.default_rng(5)


def _run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


def test_partition_splits_rows_in_order_and_keeps_trailing_shape():
    data = rng.normal(size=(6, 3)).astype(np.float32)
    where = np.array([1, 0, 2, 1, 1, 0], np.int32)
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 3])
        p = tf.placeholder(tf.int32, [None])
        parts = tf.dynamic_partition(x, p, 3)
        assert [t.name for t in parts] == ["DynamicPartition:0", "DynamicPartition:1",
                                           "DynamicPartition:2"]
        assert parts[0].shape.as_list() == [None, 3]
        values = _run(parts, {x: data, p: where})
    for index, value in enumerate(values):
        np.testing.assert_array_equal(value, data[where == index])


def test_partition_with_a_matrix_of_partitions_flattens_the_prefix():
    with tf.Graph().as_default():
        parts = tf.dynamic_partition(tf.constant([[1, 2], [3, 4]]), [[0, 1], [1, 0]], 2)
        first, second = _run(parts)
    assert first.tolist() == [1, 4] and second.tolist() == [2, 3]


def test_partition_errors():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="Dimensions must be equal, but are 2 and 3"):
            tf.dynamic_partition(tf.ones([2, 3]), tf.ones([3], tf.int32), 2)
        with pytest.raises(ValueError, match="num_partitions"):
            tf.dynamic_partition(tf.ones([2]), [0, 0], 0)
        x = tf.placeholder(tf.float32, [None, 3])
        p = tf.placeholder(tf.int32, [None])
        parts = tf.dynamic_partition(x, p, 3)
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"partitions\[1\] = 5 is not in \[0, 3\)"):
            _run(parts, {x: np.ones((2, 3)), p: [0, 5]})
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"data.shape must start with partitions.shape, got "
                                 r"data.shape = \[2,3\], partitions.shape = \[3\]"):
            _run(parts, {x: np.ones((2, 3)), p: [0, 1, 1]})


def test_stitch_interleaves_later_inputs_win_and_gaps_are_zero():
    with tf.Graph().as_default():
        ordered = tf.dynamic_stitch([[1, 6, 2, 3, 5, 0, 4, 7]], [[10, 60, 20, 30, 50, 0, 40, 70]])
        assert ordered.shape.as_list() == [8] and ordered.op.type == "DynamicStitch"
        repeated = tf.dynamic_stitch([[0, 1], [1]], [[1.0, 2.0], [7.0]])
        gap = tf.dynamic_stitch([[0, 3]], [[1.0, 2.0]])
        mixed = tf.dynamic_stitch(
            [tf.constant(6), tf.constant([4, 1]), tf.constant([[5, 2], [0, 3]])],
            [tf.constant([61.0, 62.0]), tf.constant([[41.0, 42.0], [11.0, 12.0]]),
             tf.constant([[[51.0, 52.0], [21.0, 22.0]], [[1.0, 2.0], [31.0, 32.0]]])])
        assert mixed.shape.as_list() == [7, 2]
        values = _run([ordered, repeated, gap, mixed])
    assert values[0].tolist() == [0, 10, 20, 30, 40, 50, 60, 70]
    assert values[1].tolist() == [1.0, 7.0]
    assert values[2].tolist() == [1.0, 0.0, 0.0, 2.0]
    np.testing.assert_array_equal(values[3], 10.0 * np.arange(7)[:, None] + [1.0, 2.0])


def test_stitch_undoes_partition():
    data = rng.normal(size=(7, 2))
    where = np.array([2, 0, 1, 2, 0, 0, 1], np.int32)
    with tf.Graph().as_default():
        parts = tf.dynamic_partition(data, where, 3)
        positions = tf.dynamic_partition(tf.range(7), where, 3)
        rebuilt = tf.dynamic_stitch(positions, parts)
        assert rebuilt.shape.as_list() == [None, 2]
        np.testing.assert_array_equal(_run(rebuilt), data)


def test_stitch_errors():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="Dimensions must be equal, but are 1 and 2"):
            tf.dynamic_stitch([[0, 1]], [[[1.0, 2.0]]])
        x = tf.placeholder(tf.float32, [None, 3])
        p = tf.placeholder(tf.int32, [None])
        stitched = tf.dynamic_stitch([p, tf.constant([1])], [x, tf.ones([1, 3])])
        assert stitched.shape.as_list() == [None, 3]
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"indices\[1\] is out of range"):
            _run(stitched, {x: np.ones((2, 3)), p: [0, -1]})
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"data\[0\].shape = \[2,3\] does not start with "
                                 r"indices\[0\].shape = \[3\]"):
            _run(stitched, {x: np.ones((2, 3)), p: [0, 1, 2]})


def test_gradients_in_float64():
    where = np.array([1, 0, 2, 1, 0], np.int32)
    check_gradients(lambda t: tf.dynamic_partition(t, where, 3)[1] * 3.0
                    + tf.reduce_sum(tf.dynamic_partition(t, where, 3)[0]),
                    rng.normal(size=(5, 2)))
    check_gradients(lambda a, b: tf.dynamic_stitch([[0, 2, 4], [3, 1]], [a, b]),
                    rng.normal(size=(3, 2)), rng.normal(size=(2, 2)))
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 3])
        p = tf.placeholder(tf.int32, [None])
        grads = tf.gradients(tf.dynamic_stitch([p], [x]), [x, p])
        assert grads[1] is None and grads[0].op.type == "GatherV2"
        # As TF's gather-based gradient: a row overwritten by a later input still gets the
        # output gradient of its position.
        a = tf.constant([1.0, 2.0])
        overwritten = tf.gradients(tf.dynamic_stitch([[0, 1], [1]], [a, [5.0]]) * [1.0, 3.0], a)
        assert _run(overwritten)[0].tolist() == [1.0, 3.0]
