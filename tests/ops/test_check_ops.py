"""Run-time checks and printing: tf.Assert and the tf.assert_* family (static and run-time
failures with TF's messages), check_numerics, a failing check leaving a training step
unapplied, tf.Print / tf.print output."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.ops.check_ops import summarize_value


def _run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


def test_summaries_follow_tf():
    assert summarize_value(np.array([[1, 2], [3, 4]]), 3) == "[1 2][3...]..."
    assert summarize_value(np.array([[1, 2], [3, 4]]), 4) == "[1 2][3 4]"
    assert summarize_value(np.arange(30), 3) == "0 1 2..."
    assert summarize_value(np.arange(5), -1) == "0 1 2 3 4"
    assert summarize_value(np.array([0.1, 1 / 3], np.float32), 3) == "0.1 0.333333343"
    assert summarize_value(np.array([True, False]), 3) == "1 0"
    assert summarize_value(np.float64(2.5), 3) == "2.5"
    assert summarize_value(np.array(b"hello"), 3) == "hello"


def test_assert_op_message_and_name():
    with tf.Graph().as_default():
        flag = tf.placeholder(tf.bool, [])
        check = tf.Assert(flag, ["hello", tf.constant([[1, 2], [3, 4]]), tf.constant(3.5),
                                 tf.range(30)])
        assert check.type == "Assert" and check.name == "Assert/Assert" and not check.outputs
        _run(check, {flag: True})
        with pytest.raises(tf.errors.InvalidArgumentError) as info:
            _run(check, {flag: False})
        assert str(info.value).startswith(
            "assertion failed: [hello] [[1 2][3...]...] [3.5] [0 1 2...]")
        with pytest.raises(ValueError, match="rank 0"):
            tf.Assert([True, False], ["x"])


BINARY = [
    (tf.assert_equal, "==", [1, 2], [1, 2], [1, 3]),
    (tf.assert_none_equal, "!=", [1, 2], [2, 1], [1, 3]),
    (tf.assert_less, "<", [1, 2], [2, 3], [1, 3]),
    (tf.assert_less_equal, "<=", [1, 2], [1, 3], [0, 3]),
    (tf.assert_greater, ">", [1, 2], [0, 1], [1, 0]),
    (tf.assert_greater_equal, ">=", [1, 2], [1, 2], [2, 0]),
]


@pytest.mark.parametrize("check,symbol,x,good,bad", BINARY, ids=[c[1] for c in BINARY])
def test_binary_asserts_fail_at_run_time_with_tf_messages(check, symbol, x, good, bad):
    with tf.Graph().as_default():
        fed = tf.placeholder(tf.int32, [2], name="x")
        y = tf.placeholder(tf.int32, [2], name="y")
        op = check(fed, y, message="custom")
        _run(op, {fed: x, y: good})
        with pytest.raises(tf.errors.InvalidArgumentError) as info:
            _run(op, {fed: x, y: bad})
        text = str(info.value)
        assert text.startswith("assertion failed: [custom] [Condition x " + symbol + " y did "
                               "not hold")
        assert "[x (x:0) = ] [" + " ".join(map(str, x)) + "]" in text


def test_assert_equal_of_constants_fails_at_graph_construction():
    with tf.Graph().as_default():
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"Condition x == y did not hold element-wise:\nx \(x:0\) = "
                                 r"\n\[1 2\]"):
            tf.assert_equal(tf.constant([1, 2], name="x"), tf.constant([1, 3], name="y"))
        assert tf.assert_equal(tf.constant([1, 2]), tf.constant([1, 2])).type == "Assert"


@pytest.mark.parametrize("check,text,good,bad", [
    (tf.assert_positive, "> 0", [1.0, 2.0], [1.0, 0.0]),
    (tf.assert_negative, "< 0", [-1.0, -2.0], [-1.0, 0.0]),
    (tf.assert_non_negative, ">= 0", [0.0, 2.0], [-1.0, 0.0]),
    (tf.assert_non_positive, "<= 0", [0.0, -2.0], [1.0, 0.0]),
])
def test_sign_asserts(check, text, good, bad):
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [2])
        op = check(x)
        _run(op, {x: good})
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=rf"\[\] \[Condition x {text} did not hold element-wise:\]"):
            _run(op, {x: bad})


def test_assert_near():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, [2])
        op = tf.assert_near(x, tf.constant([1.0, 2.0], tf.float64), rtol=1e-3, atol=0.0)
        _run(op, {x: [1.0005, 2.001]})
        with pytest.raises(tf.errors.InvalidArgumentError, match="not equal to tolerance"):
            _run(op, {x: [1.0, 2.1]})


def test_rank_asserts():
    with tf.Graph().as_default():
        x = tf.constant([1, 2], name="x")
        with pytest.raises(ValueError, match=r"^Tensor x:0 must have rank 2\.  Received rank 1, "
                                             r"shape \(2,\)$"):
            tf.assert_rank(x, 2)
        with pytest.raises(ValueError, match=r"^m\.  Tensor x:0 must have rank at least 2\."):
            tf.assert_rank_at_least(x, 2, message="m")
        with pytest.raises(ValueError, match=r"must have rank in \(0, 2\)\.  Received rank 1"):
            tf.assert_rank_in(x, [0, 2])
        assert tf.assert_rank(x, 1).type == "NoOp"
        fed = tf.placeholder(tf.float32)
        checks = [tf.assert_rank(fed, 2), tf.assert_rank_at_least(fed, 1),
                  tf.assert_rank_in(fed, [1, 2])]
        _run(checks, {fed: np.zeros((2, 2))})
        with pytest.raises(tf.errors.InvalidArgumentError, match="must have rank"):
            _run(checks[0], {fed: np.zeros(3)})
        with pytest.raises(tf.errors.InvalidArgumentError, match="must have rank in"):
            _run(checks[2], {fed: np.zeros(())})


def test_static_type_asserts():
    with tf.Graph().as_default():
        floats = tf.constant([1.0])
        with pytest.raises(TypeError, match=r'Expected "x" to be integer type\.  Found: Const:0'):
            tf.assert_integer(floats)
        assert tf.assert_integer(tf.constant([1])).type == "NoOp"
        with pytest.raises(TypeError, match=r"Const:0 must be of type tf\.int32; got "
                                            r"tf\.float32"):
            tf.assert_type(floats, tf.int32)
        with pytest.raises(ValueError, match=r"Expected scalar shape for Const:0, saw shape: "
                                             r"\(1,\)\."):
            tf.assert_scalar(floats)
        scalar = tf.constant(1.0)
        assert tf.assert_scalar(scalar).shape.ndims == 0
        with pytest.raises(TypeError, match='"proper" iterable'):
            tf.assert_proper_iterable(np.array([1]))
        tf.assert_proper_iterable([1, 2])
        assert tf.assert_same_float_dtype([floats, scalar]) == tf.float32
        assert tf.assert_same_float_dtype() == tf.float32
        with pytest.raises(ValueError, match="must be of the same type"):
            tf.assert_same_float_dtype([floats, tf.constant(1.0, tf.float64)])
        with pytest.raises(ValueError, match="Expected floating point type"):
            tf.assert_same_float_dtype([tf.constant(1)])


def test_check_numerics_messages_and_gradient():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, [2])
        checked = tf.check_numerics(x, "bad thing")
        np.testing.assert_array_equal(_run(checked, {x: [1.0, 2.0]}), [1.0, 2.0])
        for value, found in (([1.0, np.nan], "NaN"), ([np.inf, 1.0], "Inf"),
                             ([np.inf, np.nan], "Inf and NaN")):
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match=f"^bad thing : Tensor had {found} values"):
                _run(checked, {x: value})
        grad = tf.gradients(checked * tf.constant([np.inf, 1.0], tf.float64), x)[0]
        with pytest.raises(tf.errors.InvalidArgumentError, match="detected in gradient"):
            _run(grad, {x: [1.0, 2.0]})
        with pytest.raises(TypeError, match="tensor"):
            tf.check_numerics(tf.constant([1]), "ints")


def test_verify_tensor_all_finite_and_add_check_numerics_ops():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [2])
        verified = tf.verify_tensor_all_finite(x, "verify")
        assert verified.op.type == "Identity"
        with pytest.raises(tf.errors.InvalidArgumentError, match="verify : Tensor had NaN"):
            _run(verified, {x: [np.nan, 1.0]})
        with pytest.raises(tf.errors.InvalidArgumentError, match="verify : Tensor had Inf"):
            _run(tf.debugging.assert_all_finite(x, "verify"), {x: [np.inf, 1.0]})
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [2], name="x")
        y = tf.log(x, name="log")
        checks = tf.add_check_numerics_ops()
        _run([y, checks], {x: [1.0, 2.0]})
        with pytest.raises(tf.errors.InvalidArgumentError, match="log:0 : Tensor had NaN"):
            _run([y, checks], {x: [-1.0, 2.0]})


def test_failing_assert_leaves_the_training_step_unapplied():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, [2])
        v = tf.Variable([1.0, 2.0], dtype=tf.float64)
        loss = tf.reduce_sum(v * x)
        with tf.control_dependencies([tf.assert_positive(x)]):
            train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(3):  # the later runs go through the specialised plan
                sess.run(train, {x: [1.0, 1.0]})
            before = sess.run(v)
            for _ in range(2):
                with pytest.raises(tf.errors.InvalidArgumentError):
                    sess.run(train, {x: [1.0, -1.0]})
                np.testing.assert_array_equal(sess.run(v), before)


def test_print_and_tf_print(capsys, tmp_path):
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [2])
        printed = tf.Print(x, [x, tf.range(20), "s"], message="MSG: ", first_n=2)
        doubled = 2.0 * printed
        with tf.Session() as sess:
            for _ in range(3):
                np.testing.assert_array_equal(sess.run(doubled, {x: [3.0, 4.0]}), [6.0, 8.0])
        assert capsys.readouterr().err == "MSG: [3 4][0 1 2...][s]\n" * 2
        op = tf.print("x:", x, {"a": x}, [1, x], output_stream=__import__("sys").stdout)
        assert op.type == "PrintV2" and not op.outputs
        ranged = tf.print(tf.range(10), summarize=-1, sep="|", end="!\n")
        target = tmp_path / "out.txt"
        to_file = tf.print("to file", tf.range(8), output_stream=f"file://{target}")
        with tf.Session() as sess:
            sess.run([op, ranged, to_file], {x: [1.0, 2.5]})
        out = capsys.readouterr()
        assert out.out == "x: [1 2.5] {'a': [1 2.5]} [1, [1 2.5]]\n"
        assert out.err == "[0 1 2 3 4 5 6 7 8 9]!\n"
        assert target.read_text() == "to file [0 1 2 ... 5 6 7]\n"
        with pytest.raises(ValueError, match="Unsupported output stream"):
            tf.print(x, output_stream="nowhere")


def test_monotonicity_and_numeric_checks():
    with tf.Graph().as_default():
        values = _run([tf.is_non_decreasing([1, 1, 2]), tf.is_strictly_increasing([1, 1, 2]),
                       tf.is_strictly_increasing([[1, 2], [3, 4]]), tf.is_non_decreasing([])])
        assert values == [True, False, True, True]
        assert tf.is_numeric_tensor(tf.constant(1.0))
        assert not tf.is_numeric_tensor(tf.constant(True)) and not tf.is_numeric_tensor(1.0)


def test_debugging_namespace():
    assert tf.debugging.assert_equal is tf.assert_equal
    assert tf.debugging.check_numerics is tf.check_numerics
    assert tf.debugging.is_nan is tf.is_nan
    assert tf.debugging.Assert is tf.Assert


def test_assert_shapes():
    with tf.Graph().as_default():
        x, y = tf.zeros([2, 3], name="x"), tf.zeros([3, 4], name="y")
        ok = tf.debugging.assert_shapes([(x, ("N", "Q")), (y, ("Q", "D")), (x, ("*", 3)),
                                         (x, (".", 3)), (tf.constant(1.0), ("N",))])
        assert ok.type == "NoOp"
        with pytest.raises(ValueError, match=r"^Specified by tensor x:0 dimension 0\.  Tensor "
                                             r"y:0 dimension 0 must have size 2\.  Received "
                                             r"size 3, shape \(3, 4\)$"):
            tf.debugging.assert_shapes([(x, ("N", "Q")), (y, ("N", "D"))])
        with pytest.raises(ValueError, match=r"must have rank in \(0, 1\)"):
            tf.debugging.assert_shapes([(x, ("N",))])
        with pytest.raises(ValueError, match=r"^Specified explicitly\.  Tensor x:0 dimension 1 "
                                             r"must have size 4"):
            tf.debugging.assert_shapes({x: (2, 4)})
        p = tf.placeholder(tf.float32, [None, 3])
        q = tf.placeholder(tf.float32, [None])
        check = tf.debugging.assert_shapes([(p, ("N", 3)), (q, ("N",))])
        _run(check, {p: np.zeros((2, 3)), q: np.zeros(2)})
        with pytest.raises(tf.errors.InvalidArgumentError, match="must have size"):
            _run(check, {p: np.zeros((2, 3)), q: np.zeros(3)})


def test_assert_near_of_complex_tensors_uses_real_tolerances():
    with tf.Graph().as_default():
        close = tf.debugging.assert_near(tf.constant([1 + 1j]), tf.constant([1 + 1.0000001j]),
                                         atol=1e-6)
        far = tf.debugging.assert_near(tf.constant([1 + 1j]), tf.constant([1 + 2j]))
        with tf.Session() as session:
            session.run(close)
            with pytest.raises(tf.errors.InvalidArgumentError):
                session.run(far)
