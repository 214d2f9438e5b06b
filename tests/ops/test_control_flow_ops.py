"""tf.cond (Switch/Merge with dead branches), tf.group, tf.tuple."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.test import check_gradients


@pytest.fixture(params=["specialised", "numpy"])
def executor(request, monkeypatch):
    if request.param == "numpy":
        monkeypatch.setenv("TFCOMPAT_EXECUTOR", "numpy")
    return request.param


def test_cond_runs_only_the_taken_branch(executor):
    with tf.Graph().as_default():
        pred = tf.placeholder(tf.bool, [])
        x = tf.placeholder(tf.float32, [None])
        counter = tf.Variable(0, name="counter")

        def true_fn():
            return tf.reduce_sum(x) * 2.0

        def false_fn():
            with tf.control_dependencies([tf.assign_add(counter, 1)]):
                return tf.reduce_sum(x) - 1.0

        y = tf.cond(pred, true_fn, false_fn)
        assert y.op.type == "Merge" and y.op.name == "cond/Merge"
        with tf.Session() as sess:
            sess.run(counter.initializer)
            for flag, expected, count in [(True, 6.0, 0), (False, 2.0, 1), (True, 6.0, 1),
                                          (False, 2.0, 2), (False, 2.0, 3)]:
                assert sess.run(y, {pred: flag, x: [1.0, 2.0]}) == expected
                assert sess.run(counter) == count


def test_cond_gradients_follow_the_taken_branch(executor):
    with tf.Graph().as_default():
        pred = tf.placeholder(tf.bool, [])
        x = tf.placeholder(tf.float64, [3])
        y = tf.cond(pred, lambda: tf.reduce_sum(x * x), lambda: tf.reduce_sum(3.0 * x))
        grad = tf.gradients(y, x)[0]
        with tf.Session() as sess:
            xv = np.array([1.0, -2.0, 0.5])
            for _ in range(2):
                np.testing.assert_allclose(sess.run(grad, {pred: True, x: xv}), 2 * xv)
                np.testing.assert_allclose(sess.run(grad, {pred: False, x: xv}), [3.0] * 3)
    for flag in (True, False):
        check_gradients(lambda a, b, flag=flag: tf.cond(tf.constant(flag), lambda: a * b,
                                             lambda: tf.exp(a) - b), np.array([0.3, -0.7]),
                        np.array([1.5, 2.0]))


def test_nested_cond_and_tuple_results(executor):
    with tf.Graph().as_default():
        a = tf.placeholder(tf.bool, [])
        b = tf.placeholder(tf.bool, [])
        x = tf.constant(10.0)
        inner = lambda: tf.cond(b, lambda: x + 1.0, lambda: x + 2.0)  # noqa: E731
        y = tf.cond(a, inner, lambda: x * 0.0)
        pair = tf.cond(a, lambda: (x, x * 2.0), lambda: (x * 3.0, x * 4.0))
        assert isinstance(pair, tuple) and len(pair) == 2
        with tf.Session() as sess:
            assert sess.run(y, {a: True, b: True}) == 11.0
            assert sess.run(y, {a: True, b: False}) == 12.0
            assert sess.run(y, {a: False, b: True}) == 0.0
            assert sess.run(pair, {a: False}) == (30.0, 40.0)


def test_cond_errors():
    with tf.Graph().as_default():
        with pytest.raises(TypeError, match="scalar bool"):
            tf.cond(tf.constant(1.0), lambda: 1.0, lambda: 2.0)
        with pytest.raises(ValueError, match="same number of outputs"):
            tf.cond(tf.constant(True), lambda: (1.0, 2.0), lambda: 3.0)
        pred = tf.placeholder(tf.bool, [])
        branch_values = []

        def true_fn():
            branch_values.append(tf.constant(1.0) * 2.0)
            return branch_values[-1]
        tf.cond(pred, true_fn, lambda: tf.constant(0.0))
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError, match="does not have value"):
                sess.run(branch_values[0], {pred: False})


def test_variables_created_in_a_branch_are_outside_the_cond():
    with tf.Graph().as_default():
        pred = tf.placeholder(tf.bool, [])

        def true_fn():
            v = tf.Variable(5.0, name="in_branch")
            return v * 2.0
        y = tf.cond(pred, true_fn, lambda: tf.constant(1.0))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            assert sess.run(y, {pred: True}) == 10.0
            assert sess.run(y, {pred: False}) == 1.0


def test_group_and_tuple():
    with tf.Graph().as_default():
        v = tf.Variable(0.0)
        w = tf.Variable(0.0)
        both = tf.group(tf.assign(v, 1.0), tf.assign(w, 2.0), name="both")
        assert both.type == "NoOp" and both.name == "both"
        a, b = tf.tuple([tf.constant(1.0), tf.constant(2.0)])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            assert sess.run(both) is None
            assert sess.run([v, w]) == [1.0, 2.0]
            assert sess.run([a, b]) == [1.0, 2.0]


def test_ref_switch_forwards_the_variable_ref_as_tf_graphs_use_it():
    """RefSwitch (in graphs real TF wrote: batch norm's moving-average AssignSub under a
    tf.cond) outputs refs of the variable; assignments through them update the variable.
    (Those assignments are gated by the values they read from the same branch, as in TF's
    graphs; the ref path alone does not make them dead.)"""
    from tfcompat.framework.op_def import make_op
    v = tf.Variable([1.0, 2.0], name="v")
    flag = tf.placeholder(tf.bool, (), name="flag")
    switch = make_op("RefSwitch", [v.op.outputs[0], flag], name="ref_switch")
    assert [t.dtype for t in switch.outputs] == [v.op.outputs[0].dtype] * 2
    assert switch.outputs[1].dtype.is_ref_dtype
    decrement = tf.assign_sub(switch.outputs[1], [0.5, 0.5])
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(switch.outputs[1], {flag: True}).tolist() == [1.0, 2.0]
        with pytest.raises(tf.errors.InvalidArgumentError, match="not taken"):
            sess.run(switch.outputs[1], {flag: False})
        sess.run(decrement, {flag: True})
        assert sess.run(v).tolist() == [0.5, 1.5]
    with pytest.raises(ValueError, match="predicate of a RefSwitch"):
        make_op("RefSwitch", [v.op.outputs[0], tf.constant(1.0)])
    with pytest.raises(TypeError, match="needs a variable ref"):
        make_op("RefSwitch", [tf.constant([1.0, 2.0]), flag])


def test_group_flattens_nested_lists_as_tf_does():
    v = tf.Variable(0)
    w = tf.Variable(0)
    grouped = tf.group(tf.assign_add(v, 1), [tf.assign_add(w, 2), [tf.assign_add(w, 3)]])
    assert len(grouped.control_inputs) == 3
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        session.run(grouped)
        assert session.run([v, w]) == [1, 5]
