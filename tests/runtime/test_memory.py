"""Variable storage aligned to 64 bytes."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.runtime import memory


def _offset(array):
    return array.ctypes.data % memory.ALIGNMENT


@pytest.mark.parametrize("shape", [(1024,), (784, 100), (3, 5, 7, 11)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
def test_aligned_copy_converts_like_np_array_and_is_aligned(shape, dtype):
    value = np.random.default_rng(0).normal(size=shape) * 100
    for _ in range(5):  # whatever offset the allocator hands out
        copy = memory.aligned_copy(value, dtype)
        assert _offset(copy) == 0 and copy.flags.c_contiguous and copy.flags.writeable
        assert copy.dtype == dtype and copy.shape == shape
        np.testing.assert_array_equal(copy, np.array(value, dtype=dtype))
        assert not np.shares_memory(copy, value)


def test_small_and_non_numeric_values_are_plain_copies():
    for value, dtype in [(np.float32(2.5), np.float32), (np.arange(10.0), np.float32),
                         (np.array([b"ab", b"c"] * 3000, dtype=object), object),
                         (np.array([True, False] * 3000), bool)]:
        copy = memory.aligned_copy(value, dtype)
        np.testing.assert_array_equal(copy, np.array(value, dtype=dtype))
        assert copy.shape == np.shape(value) and not np.shares_memory(copy, value)


def test_assigned_variables_and_optimizer_slots_are_aligned():
    with tf.Graph().as_default():
        w = tf.Variable(tf.random_normal([784, 100]), name="w")
        train_op = tf.train.AdamOptimizer().minimize(tf.reduce_sum(w * w))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(3):
                sess.run(train_op)
            store = sess._state.variables
            arrays = [store[v.op] for v in tf.global_variables() if v.shape.as_list() == [784, 100]]
            assert len(arrays) == 3  # w and its two Adam slots
            assert all(_offset(a) == 0 for a in arrays)
