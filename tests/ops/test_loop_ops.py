"""tf.while_loop: TF 1.x graph form, results, shape invariants and gradients."""
import collections

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.test import check_gradients

RNG = np.random.default_rng(0)


def test_graph_form_and_names_are_tf_v1():
    with tf.Graph().as_default() as graph:
        result = tf.while_loop(lambda i, x: i < 5, lambda i, x: (i + 1, x * 2.0),
                               [tf.constant(0), tf.constant(1.0)])
        names = [op.name for op in graph.get_operations()]
        assert isinstance(result, tuple) and result[0].name == "while/Exit:0"
        assert result[1].name == "while/Exit_1:0"
        for name in ("while/Enter", "while/Merge_1", "while/LoopCond", "while/Switch_1",
                     "while/Identity", "while/NextIteration_1", "while/Less/y"):
            assert name in names
        enter = graph.get_operation_by_name("while/Enter")
        assert enter.get_attr("frame_name") == "while/while_context"
        assert graph.get_operation_by_name("while/Merge").inputs[1].op.type == "NextIteration"
        less_y = graph.get_operation_by_name("while/Less/y")
        assert [c.name for c in less_y.control_inputs] == ["while/Merge"]
        with tf.Session() as sess:
            assert sess.run(result) == (5, 32.0)


def test_single_loop_var_and_return_structure():
    with tf.Graph().as_default():
        single = tf.while_loop(lambda i: i < 3, lambda i: i + 1, [tf.constant(1)])
        same = tf.while_loop(lambda i: i < 3, lambda i: i + 1, [tf.constant(1)],
                             return_same_structure=True)
        assert isinstance(single, tf.Tensor) and isinstance(same, list)
        with tf.Session() as sess:
            assert sess.run(single) == 3 and sess.run(same) == [3]


def test_nested_structures_namedtuple():
    pair = collections.namedtuple("Pair", ["a", "b"])
    with tf.Graph().as_default():
        start = (tf.constant(0), pair(tf.constant([1.0, 2.0]), [tf.constant(3.0)]))

        def body(i, p):
            return i + 1, pair(p.a * 2.0, [p.b[0] + tf.reduce_sum(p.a)])
        i, p = tf.while_loop(lambda i, p: i < 3, body, start)
        assert isinstance(p, pair) and isinstance(p.b, list)
        with tf.Session() as sess:
            got = sess.run(p)
        a, b = np.array([1.0, 2.0]), 3.0
        for _ in range(3):
            a, b = a * 2, b + a.sum()
        np.testing.assert_allclose(got.a, a)
        np.testing.assert_allclose(got.b[0], b)


def test_maximum_iterations_counter():
    with tf.Graph().as_default() as graph:
        out = tf.while_loop(lambda i: i < 100, lambda i: i + 1, [tf.constant(1)],
                            maximum_iterations=4)
        assert "while/iteration_counter" in [op.name for op in graph.get_operations()]
        with tf.Session() as sess:
            assert sess.run(out) == 5


def test_shape_invariants():
    with tf.Graph().as_default():
        start = tf.constant([1])
        with pytest.raises(ValueError, match="Input tensor 'Const:0' enters the loop with shape "
                                             r"\(1,\), but has shape \(2,\)"):
            tf.while_loop(lambda x: tf.reduce_sum(x) < 10, lambda x: tf.concat([x, x], 0),
                          [start])
        grown = tf.while_loop(lambda x: tf.reduce_sum(x) < 10, lambda x: tf.concat([x, x], 0),
                              [start], shape_invariants=[tf.TensorShape([None])])
        assert grown.shape.as_list() == [None]
        with pytest.raises(ValueError, match="shape invariant specified for Const:0"):
            tf.while_loop(lambda x: True, lambda x: x, [start],
                          shape_invariants=[tf.TensorShape([2])])
        with tf.Session() as sess:
            np.testing.assert_array_equal(sess.run(grown), np.ones(16, np.int32))


def test_cond_inside_loop_and_nested_loops_forward():
    with tf.Graph().as_default():
        def outer(i, total):
            inner = tf.while_loop(lambda j, s: j < i, lambda j, s: (j + 1, s + j), [0, 0])[1]
            extra = tf.cond(tf.equal(i % 2, 0), lambda: inner * 10, lambda: inner)
            return i + 1, total + extra
        result = tf.while_loop(lambda i, t: i < 5, outer, [0, 0])[1]
        with tf.Session() as sess:
            expected = sum((sum(range(i)) * (10 if i % 2 == 0 else 1)) for i in range(5))
            assert sess.run(result) == expected


def test_loop_invariant_captures_and_variables():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, [3])
        v = tf.Variable(np.ones(3) * 0.3)
        _, h = tf.while_loop(lambda i, h: i < 3, lambda i, h: (i + 1, h * v + x), [0, x])
        loss = tf.reduce_sum(h * h)
        grads = tf.gradients(loss, [v, x])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got = sess.run(grads, {x: [1.0, 2.0, 3.0]})
    # TF 1.15 (control flow v1) gives these values for the same graph.
    np.testing.assert_allclose(got[0], [5.29958, 21.19832, 47.69622], rtol=1e-12)
    np.testing.assert_allclose(got[1], [4.015778, 8.031556, 12.047334], rtol=1e-12)


def test_gradient_fixed_trip_count_with_captured_weights():
    def build(x, w):
        def body(i, h):
            return i + 1, tf.tanh(tf.matmul(h, w) + x)
        return tf.while_loop(lambda i, h: i < 3, body, [0, x])[1]
    check_gradients(build, RNG.normal(size=(2, 3)), RNG.normal(size=(3, 3)) * 0.5)


def test_gradient_data_dependent_trip_count():
    def build(x):
        n = tf.cast(tf.reduce_sum(tf.abs(x)) * 2, tf.int32)
        return tf.while_loop(lambda i, y: i < n, lambda i, y: (i + 1, y * tf.sin(x)),
                             [0, x])[1]
    check_gradients(build, RNG.normal(size=(3,)))


def test_gradient_nested_loops():
    def build(x, w):
        def outer_body(i, h):
            def inner_body(j, g):
                return j + 1, tf.sin(g * w) + h
            g = tf.while_loop(lambda j, g: j < i + 1, inner_body, [0, h])[1]
            return i + 1, g * 0.5
        return tf.while_loop(lambda i, h: i < 3, outer_body, [0, x])[1]
    check_gradients(build, RNG.normal(size=(3,)), RNG.normal(size=(3,)))


def test_gradient_cond_inside_loop():
    def build(x, w):
        def body(i, h):
            return i + 1, tf.cond(tf.equal(i % 2, 0), lambda: tf.sin(h * w),
                                  lambda: h * h + w)
        return tf.while_loop(lambda i, h: i < 4, body, [0, x])[1]
    check_gradients(build, RNG.normal(size=(3,)), RNG.normal(size=(3,)))


def test_zero_iterations_pass_gradient_through():
    def build(x):
        return tf.while_loop(lambda i, y: i < 0, lambda i, y: (i + 1, y * y), [0, x])[1]
    check_gradients(build, RNG.normal(size=(2,)))


def test_back_prop_false_stops_gradients():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [2])
        y = tf.while_loop(lambda i, y: i < 2, lambda i, y: (i + 1, y * 2.0), [0, x],
                          back_prop=False)[1]
        assert tf.gradients(tf.reduce_sum(y), x) == [None]


def test_training_through_a_loop_runs_repeatedly():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, [4, 3])
        w = tf.Variable(RNG.normal(size=(3, 3)) * 0.3)
        h = tf.while_loop(lambda i, h: i < 4,
                          lambda i, h: (i + 1, tf.tanh(tf.matmul(h, w) + x)), [0, x])[1]
        loss = tf.reduce_mean(h * h)
        train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
        feed = {x: RNG.normal(size=(4, 3))}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = [sess.run([loss, train], feed)[0] for _ in range(30)]
    assert losses[-1] < losses[0] * 0.5


def test_assignments_and_control_dependencies_in_the_body():
    with tf.Graph().as_default():
        v = tf.Variable(0.0)
        counter = tf.Variable(0)

        def body(i, total):
            increment = tf.assign_add(v, 1.0)
            with tf.control_dependencies([increment, tf.group(tf.assign_add(counter, 2))]):
                return i + 1, total + v.read_value()
        result = tf.while_loop(lambda i, t: i < 4, body, [0, 0.0])
        assert any(op.type == "RefEnter" for op in tf.get_default_graph().get_operations())
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            assert sess.run(result)[1] == 1 + 2 + 3 + 4
            assert sess.run([v, counter]) == [4.0, 8]
            assert sess.run(result)[1] == 5 + 6 + 7 + 8


def test_loop_inside_cond_and_fed_bool_cond_inside_loop():
    with tf.Graph().as_default():
        flag = tf.placeholder(tf.bool, [])
        training = tf.placeholder_with_default(False, [])
        x = tf.placeholder(tf.float32, [3])

        def looped():
            return tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * 2.0), [0, x])[1]
        chosen = tf.cond(flag, looped, lambda: x - 1.0)
        grad = tf.gradients(tf.reduce_sum(chosen), x)[0]
        switched = tf.while_loop(lambda i, h: i < 2, lambda i, h: (i + 1, tf.cond(
            training, lambda: h * 0.5, lambda: h + 1.0)), [0, x])[1]
        feed = {x: [1.0, 2.0, 3.0]}
        with tf.Session() as sess:
            for taken in (True, False, True):
                value, gradient = sess.run([chosen, grad], {flag: taken, **feed})
                expected = np.array([1.0, 2.0, 3.0]) * 8 if taken else np.array([0, 1, 2.0])
                np.testing.assert_array_equal(value, expected)
                np.testing.assert_array_equal(gradient, [8.0 if taken else 1.0] * 3)
            np.testing.assert_array_equal(sess.run(switched, feed), [3, 4, 5])
            np.testing.assert_array_equal(sess.run(switched, {training: True, **feed}),
                                          [0.25, 0.5, 0.75])
