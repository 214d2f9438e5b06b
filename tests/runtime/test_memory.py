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


def test_buffers_for_kept_run_values_are_aligned_and_capped():
    big = np.zeros((300, 50), np.float32)  # 60 KB
    buffer = memory.buffer_like(big)
    assert buffer.shape == big.shape and buffer.dtype == big.dtype and _offset(buffer) == 0
    assert not np.shares_memory(buffer, big) and buffer.flags.writeable
    assert memory.buffer_like(np.zeros(3, np.int32)).shape == (3,)
    too_big = np.lib.stride_tricks.as_strided(np.zeros(1, np.float32),
                                              (memory.MAX_KEPT_BYTES // 4 + 1,), (0,))
    assert memory.buffer_like(too_big) is None  # a whole test set's activations
    for value in (None, np.float32(1.0), np.array(["a"], object), np.zeros(2, bool), 3.0):
        assert memory.buffer_like(value) is None
