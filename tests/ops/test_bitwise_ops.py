"""tf.bitwise against NumPy, with TF's results for out-of-range shifts; the small
namespaces tf.manip, tf.dtypes, tf.version."""
import numpy as np
import pytest

import tfcompat as tf


def test_bitwise_ops():
    x = np.array([0, 5, -6, 127], np.int32)
    y = np.array([3, 1, 2, 40], np.int32)
    with tf.Graph().as_default():
        values = tf.Session().run([
            tf.bitwise.bitwise_and(x, y), tf.bitwise.bitwise_or(x, y),
            tf.bitwise.bitwise_xor(x, 3), tf.bitwise.invert(x),
            tf.bitwise.left_shift(x, y), tf.bitwise.right_shift(x, y)])
        np.testing.assert_array_equal(values[0], x & y)
        np.testing.assert_array_equal(values[1], x | y)
        np.testing.assert_array_equal(values[2], x ^ 3)
        np.testing.assert_array_equal(values[3], ~x)
        np.testing.assert_array_equal(values[4], [0, 10, -24, 0])
        np.testing.assert_array_equal(values[5], [0, 2, -2, 0])
        with pytest.raises(TypeError, match="not in list of allowed values"):
            tf.bitwise.bitwise_and(tf.constant([1.0]), tf.constant([2.0]))
        with pytest.raises(TypeError, match="DataType float32"):
            tf.bitwise.invert(tf.constant([1.0]))


def test_small_namespaces():
    assert tf.manip.roll is tf.roll and tf.manip.tile is tf.tile
    assert tf.dtypes.float32 is tf.float32 and tf.dtypes.as_dtype("int32") == tf.int32
    assert tf.version.VERSION == tf.VERSION == "1.15.0"
