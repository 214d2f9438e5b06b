"""tf.layers.batch_normalization / BatchNormalization (layers/normalization.py): variables
and collections, training/inference outputs against NumPy, moving averages updated only by
the UPDATE_OPS (and only when training), gradients through the batch statistics, the fused
(4-D) semantics and graph-construction errors."""
import functools

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.test import check_gradients

rng = np.random.default_rng(5)


@pytest.fixture(autouse=True)
def fresh_graph():
    graph = tf.Graph()
    with graph.as_default():
        yield graph


def _bn_ref(x, mean, var, gamma=1.0, beta=0.0, eps=1e-3):
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


def _moving(name="batch_normalization"):
    return [v for v in tf.global_variables() if v.op.name in
            (f"{name}/moving_mean", f"{name}/moving_variance")]


def test_variables_names_and_collections():
    X = tf.placeholder(tf.float32, (None, 4), name="X")
    with tf.name_scope("dnn"):
        out = tf.layers.batch_normalization(X, training=True)
        out2 = tf.layers.batch_normalization(out)
    assert out.name == "dnn/batch_normalization/batchnorm/add_1:0"
    assert out2.name == "dnn/batch_normalization_1/batchnorm/add_1:0"
    names = [v.name for v in tf.global_variables()]
    assert names[:4] == ["batch_normalization/gamma:0", "batch_normalization/beta:0",
                         "batch_normalization/moving_mean:0",
                         "batch_normalization/moving_variance:0"]
    assert names[4] == "batch_normalization_1/gamma:0"
    assert [v.name for v in tf.trainable_variables()] == [
        "batch_normalization/gamma:0", "batch_normalization/beta:0",
        "batch_normalization_1/gamma:0", "batch_normalization_1/beta:0"]
    assert all(v.shape.as_list() == [4] for v in tf.global_variables())
    assert "dnn/batch_normalization/moments/mean" in [op.name for op in
                                                      tf.get_default_graph().get_operations()]


def test_training_output_matches_numpy_and_updates_need_update_ops():
    x = (rng.normal(size=(16, 3)) * 3 + 2).astype(np.float32)
    X = tf.placeholder(tf.float32, (None, 3))
    out = tf.layers.batch_normalization(X, training=True, momentum=0.9)
    update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    assert [op.name for op in update_ops] == ["batch_normalization/AssignMovingAvg",
                                              "batch_normalization/AssignMovingAvg_1"]
    moving = _moving()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        value = sess.run(out, {X: x})
        np.testing.assert_allclose(value, _bn_ref(x, x.mean(0), x.var(0)), rtol=1e-4,
                                   atol=1e-5)
        # running the output alone does not touch the moving statistics (the book's trap)
        mm, mv = sess.run(moving)
        np.testing.assert_array_equal(mm, np.zeros(3))
        np.testing.assert_array_equal(mv, np.ones(3))
        sess.run(update_ops, {X: x})
        mm, mv = sess.run(moving)
        np.testing.assert_allclose(mm, 0.1 * x.mean(0), rtol=1e-5)
        np.testing.assert_allclose(mv, 0.9 + 0.1 * x.var(0), rtol=1e-5)  # biased variance
        sess.run(update_ops, {X: x})
        np.testing.assert_allclose(sess.run(moving[0]), 0.19 * x.mean(0), rtol=1e-5)


def test_inference_uses_moving_statistics():
    x = rng.normal(size=(5, 3)).astype(np.float32)
    X = tf.placeholder(tf.float32, (None, 3))
    out = tf.layers.batch_normalization(
        X, moving_mean_initializer=tf.constant_initializer([1.0, 2.0, 3.0]),
        moving_variance_initializer=tf.constant_initializer(4.0),
        gamma_initializer=tf.constant_initializer(2.0),
        beta_initializer=tf.constant_initializer(0.5), epsilon=0.01)
    assert tf.get_collection(tf.GraphKeys.UPDATE_OPS) == []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(out, {X: x}),
                                   _bn_ref(x, np.array([1, 2, 3]), 4.0, 2.0, 0.5, 0.01),
                                   rtol=1e-5)


def test_training_placeholder_selects_statistics_and_guards_updates():
    x = (rng.normal(size=(10, 2)) * 2 - 1).astype(np.float32)
    X = tf.placeholder(tf.float32, (None, 2))
    training = tf.placeholder_with_default(False, shape=(), name="training")
    my_bn = functools.partial(tf.layers.batch_normalization, training=training, momentum=0.9)
    out = my_bn(X)
    update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    assert len(update_ops) == 2
    moving = _moving()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(out, {X: x}), _bn_ref(x, 0.0, 1.0), rtol=1e-5)
        np.testing.assert_allclose(sess.run(out, {X: x, training: True}),
                                   _bn_ref(x, x.mean(0), x.var(0)), rtol=1e-4, atol=1e-5)
        sess.run(update_ops, {X: x})  # training defaults to False: no update
        np.testing.assert_array_equal(sess.run(moving[0]), np.zeros(2))
        sess.run(update_ops, {X: x, training: True})
        np.testing.assert_allclose(sess.run(moving[0]), 0.1 * x.mean(0), rtol=1e-5)
        np.testing.assert_allclose(sess.run(moving[1]), 0.9 + 0.1 * x.var(0), rtol=1e-5)
        # the updates forced through control dependencies, as in the book
        with tf.control_dependencies(update_ops):
            forced = tf.identity(out)
        sess.run(forced, {X: x, training: True})
        np.testing.assert_allclose(sess.run(moving[0]), 0.19 * x.mean(0), rtol=1e-5)


def test_constant_training_tensor_is_static():
    X = tf.placeholder(tf.float32, (None, 2))
    tf.layers.batch_normalization(X, training=tf.constant(True))
    assert [op.type for op in tf.get_collection(tf.GraphKeys.UPDATE_OPS)] == ["AssignSub"] * 2


def test_layer_object_properties():
    X = tf.placeholder(tf.float32, (None, 3))
    layer = tf.layers.BatchNormalization(momentum=0.5, name="bn")
    layer(X, training=True)
    assert layer.gamma.name == "bn/gamma:0" and layer.moving_variance.name == "bn/moving_variance:0"
    assert layer.trainable_variables == [layer.gamma, layer.beta]
    assert layer.non_trainable_variables == [layer.moving_mean, layer.moving_variance]
    assert layer.variables == [layer.gamma, layer.beta, layer.moving_mean,
                               layer.moving_variance]
    assert [op.name for op in layer.updates] == ["bn/AssignMovingAvg", "bn/AssignMovingAvg_1"]
    layer(X, training=True)
    assert len(layer.updates) == 4 and len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)) == 4
    assert len(tf.global_variables()) == 4


def test_center_scale_flags_and_float64():
    x = rng.normal(size=(6, 3))
    X = tf.placeholder(tf.float64, (None, 3))
    out = tf.layers.batch_normalization(X, center=False, scale=False, training=True)
    assert [v.name for v in tf.global_variables()] == ["batch_normalization/moving_mean:0",
                                                       "batch_normalization/moving_variance:0"]
    assert out.dtype == tf.float64 and tf.global_variables()[0].dtype.base_dtype == tf.float64
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(out, {X: x}), _bn_ref(x, x.mean(0), x.var(0)),
                                   rtol=1e-10)


def test_rank3_and_axis_1():
    x = rng.normal(size=(4, 3, 5)).astype(np.float32)
    X = tf.placeholder(tf.float32, (None, 3, 5))
    out = tf.layers.batch_normalization(X, axis=1, training=True)
    assert tf.global_variables()[0].shape.as_list() == [3]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        mean, var = x.mean((0, 2), keepdims=True), x.var((0, 2), keepdims=True)
        np.testing.assert_allclose(sess.run(out, {X: x}), _bn_ref(x, mean, var), rtol=1e-4,
                                   atol=1e-5)


def test_fused_4d_updates_with_unbiased_variance():
    x = rng.normal(size=(2, 3, 3, 4)).astype(np.float32)
    X = tf.placeholder(tf.float32, (None, 3, 3, 4))
    training = tf.placeholder_with_default(True, ())
    out = tf.layers.batch_normalization(X, training=training, momentum=0.5, epsilon=1e-7)
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    moving = _moving()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        mean, var = x.mean((0, 1, 2)), x.var((0, 1, 2))
        # normalisation uses the biased variance, epsilon raised to 1.001e-5
        np.testing.assert_allclose(sess.run(out, {X: x}), _bn_ref(x, mean, var, eps=1.001e-5),
                                   rtol=1e-4, atol=1e-5)
        sess.run(updates, {X: x, training: False})  # decay 0: unchanged
        np.testing.assert_array_equal(sess.run(moving[1]), np.ones(4))
        sess.run(updates, {X: x})
        np.testing.assert_allclose(sess.run(moving[1]), 0.5 + 0.5 * var * 18 / 17, rtol=1e-5)
        np.testing.assert_allclose(sess.run(moving[0]), 0.5 * mean, rtol=1e-5)


def test_4d_axis_2_needs_fused_false():
    X = tf.placeholder(tf.float32, (None, 3, 3, 4))
    with pytest.raises(ValueError, match=r"fused batch norm only supports axis == \[1\] or "
                                         r"axis == \[3\]"):
        tf.layers.batch_normalization(X, axis=2)
    x = rng.normal(size=(2, 3, 3, 4)).astype(np.float32)
    out = tf.layers.batch_normalization(X, axis=2, fused=False, training=True)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        mean, var = x.mean((0, 1, 3), keepdims=True), x.var((0, 1, 3), keepdims=True)
        np.testing.assert_allclose(sess.run(out, {X: x}), _bn_ref(x, mean, var), rtol=1e-4,
                                   atol=1e-5)


def test_gradients_flow_through_batch_statistics():
    x = rng.normal(size=(5, 3))

    def build(inputs):
        return tf.layers.batch_normalization(inputs, center=False, scale=False, training=True,
                                             epsilon=0.01)

    check_gradients(build, x)

    # with a training tensor (tf.cond), the gradient is the same as with training=True
    X = tf.placeholder(tf.float64, (None, 3))
    training = tf.placeholder_with_default(False, ())
    static = tf.layers.batch_normalization(X, training=True, epsilon=0.01)
    dynamic = tf.layers.batch_normalization(X, training=training, epsilon=0.01)
    u = rng.normal(size=x.shape)
    grads = tf.gradients(tf.reduce_sum(static * u), X) + \
        tf.gradients(tf.reduce_sum(dynamic * u), X)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        g_static, g_dynamic = sess.run(grads, {X: x, training: True})
        np.testing.assert_allclose(g_dynamic, g_static, rtol=1e-10)
        assert np.abs(g_static).max() > 0.1
        # in inference mode the statistics are constants: the gradient is gamma / sqrt(1 + eps)
        g_inference = sess.run(grads[1], {X: x})
        np.testing.assert_allclose(g_inference, u / np.sqrt(1.01), rtol=1e-10)


def test_gamma_beta_gradients():
    x = rng.normal(size=(6, 2)).astype(np.float64)
    X = tf.placeholder(tf.float64, (None, 2))
    layer = tf.layers.BatchNormalization(gamma_initializer=tf.constant_initializer(1.5))
    out = layer(X, training=True)
    dy = rng.normal(size=(6, 2))
    grads = tf.gradients(out, [layer.gamma, layer.beta, X], grad_ys=tf.constant(dy))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        dgamma, dbeta, dx = sess.run(grads, {X: x})
    xhat = _bn_ref(x, x.mean(0), x.var(0))
    np.testing.assert_allclose(dgamma, (dy * xhat).sum(0), rtol=1e-8)
    np.testing.assert_allclose(dbeta, dy.sum(0), rtol=1e-8)
    n = x.shape[0]
    inv = 1.5 / np.sqrt(x.var(0) + 1e-3)
    expected = inv / n * (n * dy - dy.sum(0) - xhat * (dy * xhat).sum(0))
    np.testing.assert_allclose(dx, expected, rtol=1e-7, atol=1e-10)


def test_reuse_and_regularizers():
    X = tf.placeholder(tf.float32, (None, 3))
    tf.layers.batch_normalization(X, name="bn", gamma_regularizer=lambda g: tf.reduce_sum(g))
    with pytest.raises(ValueError, match="Variable bn/gamma already exists"):
        tf.layers.batch_normalization(X, name="bn")
    tf.layers.batch_normalization(X, name="bn", reuse=True)
    assert len(tf.global_variables()) == 4
    (loss,) = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert loss.op.name.startswith("bn/gamma/Regularizer/")


def test_bad_arguments():
    X = tf.placeholder(tf.float32, (None, 3))
    with pytest.raises(ValueError, match=r"Invalid axis: 2 \(layer batch_normalization, "
                                         r"argument `axis`\)"):
        tf.layers.batch_normalization(X, axis=2)
    with pytest.raises(ValueError, match=r"Invalid axis: -3"):
        tf.layers.batch_normalization(X, axis=-3)
    with pytest.raises(ValueError, match="tfcompat does not support batch renormalization"):
        tf.layers.batch_normalization(X, renorm=True)
    with pytest.raises(TypeError, match=r"the `training` argument must be a Python bool or a "
                                        r"scalar bool tensor .* got a float32 tensor"):
        tf.layers.batch_normalization(X, training=tf.placeholder(tf.float32, ()))
    with pytest.raises(TypeError, match="scalar bool tensor"):
        tf.layers.batch_normalization(X, training=tf.placeholder(tf.bool, (2,)))
    with pytest.raises(ValueError, match="undefined `axis` dimension"):
        tf.layers.batch_normalization(tf.placeholder(tf.float32, (None, None)))
    with pytest.raises(ValueError, match="undefined rank"):
        tf.layers.batch_normalization(tf.placeholder(tf.float32))
    with pytest.raises(TypeError, match="`axis` must be int or list"):
        tf.layers.BatchNormalization(axis="last")
    with pytest.raises(ValueError, match="`momentum` must be in"):
        tf.layers.BatchNormalization(momentum=1.5)
    for fused in (None, True, False):
        tf.layers.batch_normalization(X, fused=fused)  # all accepted (same math)
