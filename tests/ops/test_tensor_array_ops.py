"""tf.TensorArray: reads, writes, stacking, errors, and gradients through while loops."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.test import check_gradients

RNG = np.random.default_rng(1)


def test_write_read_stack_gather_concat_split_size():
    with tf.Graph().as_default():
        ta = tf.TensorArray(tf.float32, size=3)
        ta = ta.write(0, [1.0, 2.0]).write(1, [3.0, 4.0]).write(2, [5.0, 6.0])
        stacked = ta.stack()
        assert stacked.shape.as_list() == [None, 2]
        keep = tf.TensorArray(tf.float32, size=3, clear_after_read=False).unstack(
            tf.constant([[1.0], [2.0], [3.0]]))
        pieces = tf.TensorArray(tf.float32, size=2).split(tf.constant([1.0, 2.0, 3.0]),
                                                           [1, 2])
        grown = tf.TensorArray(tf.int32, size=0, dynamic_size=True).write(4, 7)
        with tf.Session() as sess:
            got = sess.run([stacked, keep.gather([2, 0]), keep.read(1), keep.read(1),
                            pieces.concat(), grown.size()])
    np.testing.assert_array_equal(got[0], [[1, 2], [3, 4], [5, 6]])
    np.testing.assert_array_equal(got[1], [[3], [1]])
    np.testing.assert_array_equal(got[2], [2])
    np.testing.assert_array_equal(got[4], [1, 2, 3])
    assert got[5] == 5


def test_errors_name_the_array():
    with tf.Graph().as_default():
        ta = tf.TensorArray(tf.float32, size=2, name="buf")
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError, match="not resizeable"):
                sess.run(ta.write(2, 1.0).flow)
            with pytest.raises(tf.errors.InvalidArgumentError, match="already been written"):
                sess.run(ta.write(0, 1.0).write(0, 2.0).flow)
            with pytest.raises(tf.errors.InvalidArgumentError, match="not yet been written"):
                sess.run(ta.read(1))
            once = tf.TensorArray(tf.float32, size=1).write(0, 1.0)
            with pytest.raises(tf.errors.InvalidArgumentError, match="cleared after"):
                sess.run(once.stack() + once.read(0))


def _recurrence(x):
    inputs = tf.TensorArray(tf.float64, size=4).unstack(x)
    outputs = tf.TensorArray(tf.float64, size=4)

    def body(t, h, out):
        h = tf.tanh(h * 0.5 + inputs.read(t))
        return t + 1, h, out.write(t, h)
    _, h, outputs = tf.while_loop(lambda t, h, o: t < 4, body,
                                  [0, tf.zeros([2], tf.float64), outputs])
    return outputs, h


def test_loop_carries_arrays():
    x = RNG.normal(size=(4, 2))
    with tf.Graph().as_default():
        outputs, h = _recurrence(tf.constant(x))
        with tf.Session() as sess:
            got, last = sess.run([outputs.stack(), h])
    state, expected = np.zeros(2), []
    for row in x:
        state = np.tanh(state * 0.5 + row)
        expected.append(state)
    np.testing.assert_allclose(got, expected)
    np.testing.assert_allclose(last, state)


def test_gradient_through_unstack_read_write_stack():
    def build(x):
        outputs, h = _recurrence(x)
        return outputs.stack() * 2.0 + h
    check_gradients(build, RNG.normal(size=(4, 2)))


def test_gradient_of_gather_scatter_split_concat():
    def build(x):
        scattered = tf.TensorArray(tf.float64, size=3).scatter([2, 0, 1], x)
        split = tf.TensorArray(tf.float64, size=2).split(tf.reshape(x, [-1]) * 3.0, [2, 4])
        return tf.concat([tf.reshape(scattered.gather([1, 2]), [-1]), split.concat()], 0)
    check_gradients(build, RNG.normal(size=(3, 2)))


def test_unwritten_elements_read_as_zeros_once_the_element_shape_is_known():
    """TF: identical element shapes (infer_shape) fix the shape at the first write; unwritten
    elements then stack as zeros. Without a known shape reading them is an error."""
    with tf.Graph().as_default():
        value = tf.placeholder(tf.float32, [None])
        ta = tf.TensorArray(tf.float32, size=3).write(1, value)
        loose = tf.TensorArray(tf.float32, size=3, infer_shape=False).write(1, value)
        with tf.Session() as sess:
            np.testing.assert_array_equal(sess.run(ta.stack(), {value: [1.0, 2.0]}),
                                          [[0, 0], [1, 2], [0, 0]])
            with pytest.raises(tf.errors.InvalidArgumentError, match="not yet been written"):
                sess.run(loose.read(0), {value: [1.0, 2.0]})
