"""tf.gradients (tfcompat/framework/gradients.py): reverse-mode traversal, accumulation,
unconnected and non-differentiable inputs, grad_ys, stop_gradients, variables and the
errors TF 1.x raises."""
import collections

import numpy as np
import pytest

import tfcompat as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


def run(fetches, feed=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches, feed)


def test_simple_gradient_and_names():
    x = tf.placeholder(tf.float32, [], name="x")
    y = x * x * 3
    (dx,) = tf.gradients(y, [x])
    assert dx.op.name.startswith("gradients/") and dx.dtype == tf.float32
    assert run(dx, {x: 2.0}) == pytest.approx(12.0)
    (again,) = tf.gradients(y, x)
    assert again.op.name.startswith("gradients_1/")
    (named,) = tf.gradients(y, x, name="my_grads")
    assert named.op.name.startswith("my_grads/")


def test_unconnected_xs_give_none_or_zeros():
    x = tf.placeholder(tf.float32, [2], name="x")
    other = tf.placeholder(tf.float32, [3], name="other")
    y = tf.reduce_sum(x * 2)
    assert tf.gradients(y, [x, other])[1] is None
    zeros = tf.gradients(y, [x, other], unconnected_gradients="zero")[1]
    assert run(zeros, {other: [1, 2, 3], x: [0, 0]}).tolist() == [0.0, 0.0, 0.0]
    with pytest.raises(ValueError, match="Unknown value for unconnected_gradients"):
        tf.gradients(y, x, unconnected_gradients="maybe")
    # Something upstream of y but not of the xs does not matter either.
    assert tf.gradients(x, other) == [None]


def test_diamond_builds_each_gradient_once_and_sums_both_paths():
    x = tf.placeholder(tf.float32, [], name="x")
    a = tf.multiply(x, 2.0, name="a")
    b = tf.exp(a, name="b")
    c = tf.square(a, name="c")
    d = tf.add(b, c, name="d")
    before = len(tf.get_default_graph().get_operations())
    (dx,) = tf.gradients(d, x)
    new_ops = tf.get_default_graph().get_operations()[before:]
    scopes = collections.Counter(op.name.split("/")[1] for op in new_ops
                                 if op.name.count("/") >= 2)
    for forward in ("a_grad", "b_grad", "c_grad"):   # d (an add) may just pass dy through
        assert forward in scopes                 # one gradient scope per forward op
    assert not any(name.startswith(("a_grad_", "b_grad_", "c_grad_", "d_grad_"))
                   for name in scopes)           # ... and never a second one
    # The two paths meet at `a`: their contributions are summed once, with AddN.
    assert sum(op.type == "AddN" for op in new_ops) == 1
    xv = 0.3
    assert run(dx, {x: xv}) == pytest.approx(2 * np.exp(2 * xv) + 8 * xv, rel=1e-5)


def test_fan_out_accumulates():
    x = tf.placeholder(tf.float32, [3], name="x")
    y = tf.reduce_sum(x * 2) + tf.reduce_sum(x * x) + tf.reduce_sum(tf.sin(x))
    (dx,) = tf.gradients(y, x)
    xv = np.array([0.1, -0.5, 2.0], np.float32)
    assert np.allclose(run(dx, {x: xv}), 2 + 2 * xv + np.cos(xv), rtol=1e-5)


def test_several_ys_are_summed_and_grad_ys_weight_them():
    x = tf.placeholder(tf.float32, [2], name="x")
    y1, y2 = x * 3, x * x
    (dx,) = tf.gradients([y1, y2], x)
    xv = np.array([1.0, 2.0], np.float32)
    assert run(dx, {x: xv}).tolist() == [5.0, 7.0]
    (weighted,) = tf.gradients([y1, y2], x, grad_ys=[np.array([1.0, 0.0]), [2.0, 2.0]])
    assert run(weighted, {x: xv}).tolist() == [7.0, 8.0]
    g = tf.placeholder(tf.float32, [2])
    (fed,) = tf.gradients(y2, x, grad_ys=g)
    assert run(fed, {x: xv, g: [10.0, 0.5]}).tolist() == [20.0, 2.0]
    with pytest.raises(ValueError, match="Passed 1 grad_ys for 2 ys"):
        tf.gradients([y1, y2], x, grad_ys=[g])


def test_gradient_of_a_non_scalar_y_is_the_gradient_of_its_sum():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    y = tf.matmul(x, tf.constant(np.arange(6, dtype=np.float32).reshape(3, 2)))
    (dx,) = tf.gradients(y, x)
    assert dx.shape.as_list() == [None, 3]
    assert run(dx, {x: np.ones((2, 3))}).tolist() == [[1.0, 5.0, 9.0]] * 2


def test_stop_gradients_argument_and_op():
    a = tf.placeholder(tf.float32, [], name="a")
    b = 2 * a
    c = a + b
    ga, gb = tf.gradients(c, [a, b], stop_gradients=[a, b])
    assert run([ga, gb], {a: 1.0}) == [1.0, 1.0]    # the partial derivatives
    (total,) = tf.gradients(c, a)
    assert run(total, {a: 1.0}) == 3.0
    stopped = a + tf.stop_gradient(b)
    assert run(tf.gradients(stopped, a)[0], {a: 1.0}) == 1.0
    assert tf.gradients(tf.stop_gradient(b), a) == [None]


def test_integer_tensors_are_not_differentiable():
    x = tf.placeholder(tf.float32, [], name="x")
    i = tf.placeholder(tf.int32, [], name="i")
    y = tf.cast(i, tf.float32) * x
    gi, gx = tf.gradients(y, [i, x])
    assert gi is None and run(gx, {i: 3, x: 1.0}) == 3.0
    assert tf.gradients(i * 2, i) == [None]
    through_int = tf.cast(tf.cast(x, tf.int32), tf.float32) * 2.0
    assert tf.gradients(through_int, x) == [None]
    b = tf.placeholder(tf.bool, [], name="b")
    assert tf.gradients(tf.cast(b, tf.float32), b) == [None]


def test_gradients_through_a_variable_read():
    with tf.variable_scope("layer"):
        w = tf.get_variable("w", [2], initializer=tf.constant_initializer([1.0, -2.0]))
    loss = tf.reduce_sum(w * w)
    (by_variable,) = tf.gradients(loss, w)
    (by_ref,) = tf.gradients(loss, tf.get_default_graph().get_tensor_by_name("layer/w:0"))
    (by_read,) = tf.gradients(loss, w.value())
    assert by_variable.dtype == tf.float32
    values = run([by_variable, by_ref, by_read])
    for value in values:
        assert value.tolist() == [2.0, -4.0]


def test_gradients_of_variables_used_twice():
    W = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    x = tf.constant([[1.0, 1.0]])
    y = tf.reduce_sum(tf.matmul(tf.matmul(x, W), W))
    (dW,) = tf.gradients(y, [W])
    Wv = np.array([[1.0, 2.0], [3.0, 4.0]])
    xv = np.array([[1.0, 1.0]])
    ones = np.ones((1, 2))
    want = xv.T @ (ones @ Wv.T) + (xv @ Wv).T @ ones
    assert np.allclose(run(dW), want)


def test_xs_inside_the_graph_need_no_gradient_of_their_own_op():
    x = tf.placeholder(tf.float32, [2, 2], name="x")
    hidden = tf.matmul(x, x, name="hidden")
    out = tf.reduce_sum(hidden * 3)
    before = len(tf.get_default_graph().get_operations())
    (dh,) = tf.gradients(out, hidden)
    new = tf.get_default_graph().get_operations()[before:]
    assert not any("hidden_grad" in op.name for op in new)
    assert run(dh, {x: np.eye(2)}).tolist() == [[3.0, 3.0], [3.0, 3.0]]


def test_second_order_where_defined_and_clear_errors_where_not():
    x = tf.placeholder(tf.float32, [], name="x")
    y = x * x * x
    (dx,) = tf.gradients(y, x)
    (d2x,) = tf.gradients(dx, x)
    assert run([dx, d2x], {x: 2.0}) == [12.0, 12.0]
    t = tf.tanh(x)
    (dt,) = tf.gradients(t, x)
    with pytest.raises(LookupError, match="No gradient defined for operation "
                                          "'gradients_2/Tanh_grad/TanhGrad' \\(op type: "
                                          "TanhGrad\\)"):
        tf.gradients(dt, x)


def test_gradients_match_finite_differences_for_an_mlp_loss():
    rng = np.random.default_rng(0)
    X = tf.constant(rng.normal(size=(5, 4)))
    y = tf.constant(rng.integers(0, 3, size=5))
    W1 = tf.placeholder(tf.float64, [4, 6])
    W2 = tf.placeholder(tf.float64, [6, 3])
    hidden = tf.maximum(tf.matmul(X, W1), 0.0)
    logits = tf.matmul(hidden, W2)
    shifted = logits - tf.reduce_max(logits, axis=1, keepdims=True)
    log_probs = shifted - tf.log(tf.reduce_sum(tf.exp(shifted), axis=1, keepdims=True))
    loss = -tf.reduce_mean(tf.reduce_sum(tf.one_hot(y, 3, dtype=tf.float64) * log_probs,
                                         axis=1))
    grads = tf.gradients(loss, [W1, W2])
    w1, w2 = rng.normal(size=(4, 6)), rng.normal(size=(6, 3))
    with tf.Session() as sess:
        g1, g2 = sess.run(grads, {W1: w1, W2: w2})
        eps = 1e-6
        for arg, value, grad in ((W1, w1, g1), (W2, w2, g2)):
            direction = rng.normal(size=value.shape)
            plus = sess.run(loss, {W1: w1, W2: w2, arg: value + eps * direction})
            minus = sess.run(loss, {W1: w1, W2: w2, arg: value - eps * direction})
            assert (plus - minus) / (2 * eps) == pytest.approx(np.sum(grad * direction),
                                                               rel=1e-6, abs=1e-9)


def test_gradient_names_inside_name_scopes():
    x = tf.placeholder(tf.float32, [None, 3], name="X")
    with tf.name_scope("dnn"):
        w = tf.Variable(tf.ones([3, 2]), name="w")
        out = tf.matmul(x, w, name="out")
    with tf.name_scope("train"):
        (dw,) = tf.gradients(tf.reduce_sum(out), w)
    assert dw.op.name.startswith("train/gradients/dnn/out_grad/")


def test_gate_gradients_passes_each_ops_input_gradients_through_a_tuple():
    """TF 1.x's gate_gradients (the optimizers' default GATE_OP): an op with two or more
    input gradients gets "<op>_grad/tuple/group_deps" and ".../control_dependency(_1)"."""
    x = tf.placeholder(tf.float32, [2, 3], name="x")
    w = tf.Variable(np.ones((3, 1), np.float32), name="w")
    loss = tf.reduce_sum(tf.matmul(x, w, name="product"))
    ungated = tf.gradients(loss, [x, w])
    gated = tf.gradients(loss, [x, w], gate_gradients=True)
    assert [g.op.type for g in ungated] == ["MatMul", "MatMul"]
    assert [g.op.name for g in gated] == ["gradients_1/product_grad/tuple/control_dependency",
                                          "gradients_1/product_grad/tuple/control_dependency_1"]
    group = tf.get_default_graph().get_operation_by_name("gradients_1/product_grad/tuple/"
                                                         "group_deps")
    assert group.type == "NoOp" and {g.op for g in gated} <= {
        o for o in tf.get_default_graph().get_operations() if group in o.control_inputs}
    feed = {x: np.arange(6, dtype=np.float32).reshape(2, 3)}
    for a, b in zip(run(ungated, feed), run(gated, feed)):
        np.testing.assert_array_equal(a, b)
    train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss)  # GATE_OP by default
    names = {op.name for op in tf.get_default_graph().get_operations()}
    assert "gradients_2/product_grad/tuple/control_dependency_1" in names
    assert train_op.type == "NoOp"
