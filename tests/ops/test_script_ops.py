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


def test_py_function_gets_eager_values_and_converts_results():
    seen = []

    def double_and_length(x, text):
        seen.append((type(x).__name__, x.numpy().dtype, text.numpy()))
        return x * 2, len(text.numpy())

    with tf.Graph().as_default():
        outputs = tf.py_function(double_and_length, [tf.constant([1.0, 2.0]), tf.constant("abc")],
                                 [tf.float32, tf.int32])
        assert outputs[0].op.type == "EagerPyFunc" and outputs[0].op.name == "EagerPyFunc"
        assert outputs[0].shape.ndims is None and outputs[0].op.get_attr("is_async") is False
        python_float = tf.py_function(lambda v: 3, [tf.constant(1.0)], tf.float32)
        plus_one = tf.py_function(lambda v: v.numpy() + 1, [tf.constant(1.0)], tf.float32)
        no_outputs = tf.py_function(lambda: None, [], [])
        assert isinstance(no_outputs, tf.Operation)
        with tf.Session() as sess:
            values = sess.run(outputs)
            assert sess.run(python_float) == np.float32(3.0)
            assert sess.run(plus_one) == np.float32(2.0)
            assert sess.run(no_outputs) is None
    np.testing.assert_array_equal(values[0], np.float32([2.0, 4.0]))
    assert values[1].dtype == np.int32 and values[1] == 3
    assert seen == [("EagerValue", np.float32, b"abc")]


def test_py_function_rejects_a_result_of_another_kind():
    with tf.Graph().as_default():
        text_for_float = tf.py_function(lambda: "x", [], tf.float32)
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match=r"0-th value returned by pyfunc_\d+ is string, but "
                                     "expects float"):
                sess.run(text_for_float)


def _raiser(exception):
    def raise_it(*args):
        raise exception
    return raise_it


@pytest.mark.parametrize("make", [tf.py_func, tf.numpy_function, tf.py_function])
@pytest.mark.parametrize("exception, error_class", [
    (ValueError("bad value"), tf.errors.InvalidArgumentError),
    (TypeError("bad type"), tf.errors.InvalidArgumentError),
    (StopIteration("stop"), tf.errors.OutOfRangeError),
    (MemoryError("full"), tf.errors.ResourceExhaustedError),
    (NotImplementedError("later"), tf.errors.UnimplementedError),
    (ZeroDivisionError("zero"), tf.errors.UnknownError)])
def test_exceptions_become_tf_error_classes(make, exception, error_class):
    with tf.Graph().as_default():
        failing = make(_raiser(exception), [tf.constant(1.0)], tf.float32)
        with tf.Session() as sess:
            with pytest.raises(error_class, match=f"^{type(exception).__name__}: {exception}"):
                sess.run(failing)


def test_numpy_function_is_a_stateful_py_func():
    with tf.Graph().as_default():
        out = tf.numpy_function(lambda x: x * 3, [tf.constant([1, 2])], tf.int32)
        assert out.op.type == "PyFunc"
        with tf.Session() as sess:
            np.testing.assert_array_equal(sess.run(out), [3, 6])


def test_py_func_gradient_through_gradient_override_map():
    @tf.RegisterGradient("TfcompatTestSquareGrad")
    def _square_grad(op, grad):
        return [grad * 2.0 * op.inputs[0]]

    with tf.Graph().as_default() as graph:
        x = tf.constant([1.0, 3.0], tf.float64)
        plain = tf.py_func(np.square, [x], tf.float64)
        with graph.gradient_override_map({"PyFunc": "TfcompatTestSquareGrad"}):
            squared = tf.py_func(np.square, [x], tf.float64)
        assert tf.gradients(plain, x) == [None]
        (dx,) = tf.gradients(squared * 5.0, x)
        eager = tf.py_function(lambda v: v.numpy() ** 2, [x], tf.float64)
        with pytest.raises(LookupError, match="EagerPyFunc"):
            tf.gradients(eager, x)
        with tf.Session() as sess:
            np.testing.assert_allclose(sess.run(dx), [10.0, 30.0])
