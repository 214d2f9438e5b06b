"""tf.py_func: Python functions as ops, their outputs and errors (TF 1.x)."""
import numpy as np
import pytest

import tfcompat as tf


def test_py_func_lists_and_single_outputs():
    calls = []

    def double_and_length(x, text):
        calls.append(text)
        return x * 2, np.int32(len(text))

    with tf.Graph().as_default():
        outputs = tf.py_func(double_and_length, [tf.constant([1.0, 2.0]), tf.constant("abc")],
                             [tf.float32, tf.int32])
        assert outputs[0].op.type == "PyFunc" and outputs[0].shape.ndims is None
        single = tf.py_func(lambda x: x + 1, [tf.constant(1)], tf.int32, stateful=False)
        assert single.op.type == "PyFuncStateless" and isinstance(single, tf.Tensor)
        with tf.Session() as sess:
            values = sess.run(outputs)
            assert sess.run(single) == 2
    np.testing.assert_array_equal(values[0], [2.0, 4.0])
    assert values[1] == 3 and calls == [b"abc"]


def test_py_func_errors_name_the_function_or_carry_the_exception():
    with tf.Graph().as_default():
        wrong = tf.py_func(lambda: np.float64(1), [], tf.float32)
        raising = tf.py_func(lambda: 1 / 0, [], tf.float32)
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match=r"0-th value returned by pyfunc_\d+ is double, but "
                                     "expects float"):
                sess.run(wrong)
            with pytest.raises(tf.errors.UnknownError, match="ZeroDivisionError"):
                sess.run(raising)


def test_py_func_in_a_dataset_map():
    with tf.Graph().as_default():
        dataset = tf.data.Dataset.range(3).map(
            lambda x: tf.py_func(lambda v: np.int64(v * v), [x], tf.int64))
        element = dataset.make_one_shot_iterator().get_next()
        with tf.Session() as sess:
            assert [sess.run(element) for _ in range(3)] == [0, 1, 4]
