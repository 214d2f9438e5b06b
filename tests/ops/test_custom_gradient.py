"""tf.custom_gradient in graph mode: the user's gradient replaces the function's, for
inputs and for variables the function reads; TF's op layout and errors."""
import numpy as np
import pytest

import tfcompat as tf


def _run(fetches):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches)


@tf.custom_gradient
def _log1pexp(x):
    e = tf.exp(x)

    def grad(dy):
        return dy * (1 - 1 / (1 + e))
    return tf.log(1 + e), grad


def test_the_numerically_stable_gradient_replaces_the_naive_one():
    with tf.Graph().as_default():
        x = tf.constant(100.0)
        y = _log1pexp(x)
        (grad,) = tf.gradients(y, x)
        naive = tf.gradients(tf.log(1 + tf.exp(x)), x)[0]
        assert y.op.type == "IdentityN" and y.name == "IdentityN:0"
        assert grad.op.name == "gradients/IdentityN_grad/mul"
        value, grad_value, naive_value = _run([y, grad, naive])
    assert np.isinf(value) and grad_value == 1.0 and np.isnan(naive_value)


def test_several_inputs_and_nested_results():
    @tf.custom_gradient
    def product_and_sum(a, b):
        def grad(d_product, d_sum):
            return d_product * 2.0 + d_sum, d_product * 3.0
        return (a * b, tf.reduce_sum(a)), grad

    with tf.Graph().as_default():
        a, b = tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0])
        product, total = product_and_sum(a, b)
        grads = tf.gradients([product, total], [a, b])
        values = _run([product, total] + grads)
    assert values[0].tolist() == [3.0, 8.0] and values[1] == 3.0
    assert values[2].tolist() == [3.0, 3.0] and values[3].tolist() == [3.0, 3.0]


def test_variables_read_by_the_function_get_the_gradients_grad_fn_returns():
    with tf.Graph().as_default():
        w = tf.Variable([2.0, 5.0], name="w")

        @tf.custom_gradient
        def scaled(x):
            def grad(dy, variables=None):
                assert variables == [w]
                return dy * 10.0, [dy * 100.0]
            return x * w, grad

        x = tf.constant([1.0, 1.0])
        loss = tf.reduce_sum(scaled(x))
        step = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
        grads = tf.gradients(loss, [x, w])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            assert [g.tolist() for g in sess.run(grads)] == [[10.0, 10.0], [100.0, 100.0]]
            sess.run(step)
            np.testing.assert_allclose(sess.run(w), [1.0, 4.0])


def test_errors_as_tf():
    with tf.Graph().as_default():
        w = tf.Variable(1.0)

        @tf.custom_gradient
        def uses_variable(x):
            return x * w, lambda dy: dy

        with pytest.raises(TypeError, match="grad_fn must accept a keyword argument "
                                            "'variables'"):
            uses_variable(tf.constant(1.0))

        @tf.custom_gradient
        def two_grads(a):
            return a * 2.0, lambda dy: (dy, dy)

        a = tf.constant([1.0])
        with pytest.raises(ValueError, match="Num gradients 3 generated for op IdentityN.* "
                                             "do not match num inputs 2"):
            tf.gradients(two_grads(a), a)
