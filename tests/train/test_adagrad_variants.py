"""tf.train.ProximalAdagradOptimizer and AdagradDAOptimizer: three steps on a dense weight and
an embedding read through a gather (dense and sparse updates) against TensorFlow's values
(tests/golden/train_goldens.npz, written by make_train_goldens.py), TF's slot names, the
global step AdagradDA reads, a float64 run against a NumPy reference, and TF's errors."""
import os

import numpy as np
import pytest

import tfcompat as tf

GOLDENS = np.load(os.path.join(os.path.dirname(__file__), "..", "golden", "train_goldens.npz"))

OPTIMIZERS = {
    "proximal_adagrad": lambda step: tf.train.ProximalAdagradOptimizer(0.5),
    "proximal_adagrad_l1l2": lambda step: tf.train.ProximalAdagradOptimizer(
        0.5, initial_accumulator_value=0.2, l1_regularization_strength=0.05,
        l2_regularization_strength=0.1),
    "adagrad_da": lambda step: tf.train.AdagradDAOptimizer(0.5, step),
    "adagrad_da_l1l2": lambda step: tf.train.AdagradDAOptimizer(
        0.5, step, initial_gradient_squared_accumulator_value=0.3,
        l1_regularization_strength=0.05, l2_regularization_strength=0.1),
}


def _build(data):
    w = tf.Variable(data["w0"], name="w")
    e = tf.Variable(data["e0"], name="e")
    rows = tf.gather(e, data["ids"])
    loss = tf.reduce_sum(tf.square(tf.matmul(data["x"], w) - data["y"] + rows))
    return w, e, loss


@pytest.mark.parametrize("key", sorted(OPTIMIZERS))
def test_three_steps_match_tensorflow(key):
    with tf.Graph().as_default():
        step = tf.train.get_or_create_global_step()
        w, e, loss = _build(GOLDENS)
        opt = OPTIMIZERS[key](step)
        train = opt.minimize(loss, global_step=step)
        names = sorted(v.op.name for v in tf.global_variables())
        assert names == list(GOLDENS[key + "_names"])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for i in range(3):
                sess.run(train)
                for name in opt.get_slot_names():
                    for var, label in ((w, "w"), (e, "e")):
                        np.testing.assert_allclose(sess.run(opt.get_slot(var, name)),
                                                   GOLDENS[f"{key}_{i}_{label}_{name}"],
                                                   rtol=2e-6, atol=1e-7)
                got_w, got_e = sess.run([w, e])
                np.testing.assert_allclose(got_w, GOLDENS[f"{key}_{i}_w"], rtol=2e-6,
                                           atol=1e-7)
                np.testing.assert_allclose(got_e, GOLDENS[f"{key}_{i}_e"], rtol=2e-6,
                                           atol=1e-7)
            assert sess.run(step) == 3


def test_sparse_update_touches_only_gathered_rows():
    with tf.Graph().as_default():
        step = tf.train.get_or_create_global_step()
        e = tf.Variable(np.ones((4, 2)), name="e")
        loss = tf.reduce_sum(tf.gather(e, [2, 0, 2]))
        opt = tf.train.AdagradDAOptimizer(0.1, step, l2_regularization_strength=0.5)
        train = opt.minimize(loss, var_list=[e], global_step=step)
        assert train.graph.get_operation_by_name("AdagradDA/update_e/SparseApplyAdagradDA")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(train)
            got = sess.run(e)
        g = np.array([1.0, 0.0, 2.0, 0.0])[:, None] * np.ones((1, 2))
        lr = float(np.float32(0.1))  # the float32 learning-rate tensor, cast as in TF
        expected = -lr * g / (0.5 * 1 * lr + np.sqrt(0.1 + g * g))
        expected[[1, 3]] = 1.0
        np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_float64_proximal_adagrad_against_numpy():
    lr, l1, l2 = 0.3, 0.3, 0.05
    var0 = np.array([[0.5, -0.01], [2.0, -1.5]])
    target = np.array([[0.1, 0.2], [-0.3, 0.4]])
    with tf.Graph().as_default():
        v = tf.Variable(var0)
        loss = tf.reduce_sum(tf.square(v - target))
        opt = tf.train.ProximalAdagradOptimizer(
            tf.constant(lr, tf.float64), l1_regularization_strength=tf.constant(l1, tf.float64),
            l2_regularization_strength=tf.constant(l2, tf.float64))
        train = opt.minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            var, accum = var0.copy(), np.full_like(var0, 0.1)
            for _ in range(4):
                sess.run(train)
                g = 2 * (var - target)
                accum = accum + g * g
                rate = lr / np.sqrt(accum)
                prox = var - rate * g
                var = np.sign(prox) * np.maximum(np.abs(prox) - rate * l1, 0) / (1 + rate * l2)
                np.testing.assert_allclose(sess.run(v), var, rtol=1e-13)
                np.testing.assert_allclose(sess.run(opt.get_slot(v, "accumulator")), accum,
                                           rtol=1e-13)
    assert (var == 0).any()  # the l1 shrinkage zeroed a coordinate


def test_errors():
    with pytest.raises(ValueError, match="initial_accumulator_value must be positive: 0.0"):
        tf.train.ProximalAdagradOptimizer(0.1, initial_accumulator_value=0.0)
    with pytest.raises(ValueError, match="initial_gradient_squared_accumulator_value must be "
                                         "positive: -1"):
        tf.train.AdagradDAOptimizer(0.1, None, initial_gradient_squared_accumulator_value=-1)
    from tfcompat.ops import training_ops
    with tf.Graph().as_default():
        v = tf.Variable(np.ones(3, np.float32))
        a = tf.Variable(np.ones(3, np.float32))
        b = tf.Variable(np.ones(3, np.float32))
        with pytest.raises(TypeError, match="Input 'global_step' of 'ApplyAdagradDA' Op has "
                                            "type int32 that does not match expected type of "
                                            "int64."):
            training_ops.apply_adagrad_da(v, a, b, np.ones(3, np.float32), 1.0, 0.0, 0.0,
                                          tf.constant(1, tf.int32))
        bad_l1 = training_ops.apply_proximal_adagrad(v, a, 1.0, -1.0, 0.0,
                                                     np.ones(3, np.float32))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match="l1 regularization strength is not a non-negative scalar"):
                sess.run(bad_l1)
            np.testing.assert_array_equal(sess.run(a), np.ones(3))  # nothing was applied
