"""tf.contrib.layers.fully_connected / batch_norm / dropout (contrib/layers/layers.py):
TF 1.15's variable names ("weights", "biases", "BatchNorm/beta" ...), model-variable
collections, normalizer wiring, the batch-norm paths and their moving-average rules."""
import math

import numpy as np
import pytest

import tfcompat as tf

rng = np.random.default_rng(8)
layers = None


@pytest.fixture(autouse=True)
def fresh_graph():
    global layers
    layers = tf.contrib.layers
    graph = tf.Graph()
    with graph.as_default():
        yield graph


def _names(variables):
    return [v.name for v in variables]


def _bn_ref(x, mean, var, eps=1e-3):
    return (x - mean) / np.sqrt(var + eps)


# ---- fully_connected ----------------------------------------------------------------------------
def test_fully_connected_names_and_collections():
    X = tf.placeholder(tf.float32, (None, 4), name="X")
    h1 = layers.fully_connected(X, 3)
    h2 = layers.fully_connected(h1, 2, activation_fn=None)
    h3 = layers.fully_connected(h2, 2, scope="outputs")
    assert h1.name == "fully_connected/Relu:0"
    assert h2.name == "fully_connected_1/BiasAdd:0"
    assert h3.name == "outputs/Relu:0"
    assert _names(tf.global_variables()) == [
        "fully_connected/weights:0", "fully_connected/biases:0", "fully_connected_1/weights:0",
        "fully_connected_1/biases:0", "outputs/weights:0", "outputs/biases:0"]
    assert _names(tf.model_variables()) == _names(tf.global_variables())
    assert _names(tf.trainable_variables()) == _names(tf.global_variables())
    assert "fully_connected/MatMul" in [op.name for op in tf.get_default_graph().get_operations()]


def test_fully_connected_default_xavier_weights_and_values():
    x = rng.normal(size=(5, 300)).astype(np.float32)
    X = tf.placeholder(tf.float32, (None, 300))
    out = layers.fully_connected(X, 100)
    weights, biases = tf.global_variables()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        value, w, b = sess.run([out, weights, biases], {X: x})
    limit = math.sqrt(6.0 / 400)
    assert np.abs(w).max() <= limit and w.var() == pytest.approx(limit ** 2 / 3, rel=0.05)
    np.testing.assert_array_equal(b, np.zeros(100))
    np.testing.assert_allclose(value, np.maximum(x @ w, 0), rtol=1e-5, atol=1e-6)


def test_fully_connected_with_normalizer_has_no_biases():
    X = tf.placeholder(tf.float32, (None, 4))
    is_training = tf.placeholder(tf.bool, (), name="is_training")
    out = layers.fully_connected(X, 3, normalizer_fn=layers.batch_norm,
                                 normalizer_params={"is_training": is_training, "decay": 0.9,
                                                    "scale": True})
    assert _names(tf.global_variables()) == [
        "fully_connected/weights:0", "fully_connected/BatchNorm/beta:0",
        "fully_connected/BatchNorm/gamma:0", "fully_connected/BatchNorm/moving_mean:0",
        "fully_connected/BatchNorm/moving_variance:0"]
    assert out.op.name == "fully_connected/Relu"
    assert len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)) == 2
    assert _names(layers.fully_connected(X, 2, biases_initializer=None).op.graph.get_collection(
        tf.GraphKeys.GLOBAL_VARIABLES))[-1] == "fully_connected_1/weights:0"


def test_fully_connected_reuse_collections_and_regularizer():
    X = tf.placeholder(tf.float32, (None, 4))
    out = layers.fully_connected(X, 3, scope="fc", variables_collections=["mine"],
                                 outputs_collections="outs",
                                 weights_regularizer=layers.l2_regularizer(0.5))
    assert _names(tf.get_collection("mine")) == ["fc/weights:0", "fc/biases:0"]
    assert tf.get_collection("outs") == [out] and out.aliases == ["fc"]
    (loss,) = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert loss.name == "fc/kernel/Regularizer/l2_regularizer:0"  # TF 1.15 names it so
    with pytest.raises(ValueError, match="Variable fc/weights already exists"):
        layers.fully_connected(X, 3, scope="fc")
    layers.fully_connected(X, 3, scope="fc", reuse=True)
    assert len(tf.global_variables()) == 2
    with pytest.raises(ValueError, match="num_outputs type should be one of"):
        layers.fully_connected(X, 3.0)
    with pytest.raises(ValueError, match="reuse=True cannot be used without a name_or_scope"):
        layers.fully_connected(X, 3, reuse=True)


# ---- batch_norm ---------------------------------------------------------------------------------
def test_batch_norm_defaults_and_fused_2d_semantics():
    x = (rng.normal(size=(8, 3)) * 2 + 1).astype(np.float32)
    X = tf.placeholder(tf.float32, (None, 3))
    out = layers.batch_norm(X)  # decay 0.999, center, no scale, is_training=True
    assert _names(tf.global_variables()) == ["BatchNorm/beta:0", "BatchNorm/moving_mean:0",
                                             "BatchNorm/moving_variance:0"]
    assert _names(tf.model_variables()) == _names(tf.global_variables())
    assert _names(tf.trainable_variables()) == ["BatchNorm/beta:0"]
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    assert [t.op.name for t in updates] == ["BatchNorm/AssignMovingAvg",
                                            "BatchNorm/AssignMovingAvg_1"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(out, {X: x}), _bn_ref(x, x.mean(0), x.var(0)),
                                   rtol=1e-4, atol=1e-5)
        sess.run(updates, {X: x})
        mm, mv = sess.run(tf.global_variables()[1:])
    np.testing.assert_allclose(mm, 0.001 * x.mean(0), rtol=1e-4)
    # the fused kernel reports the unbiased batch variance to the moving average
    np.testing.assert_allclose(mv, 0.999 + 0.001 * x.var(0, ddof=1), rtol=1e-6)


def test_batch_norm_updates_collections_none_forces_updates():
    x = rng.normal(size=(6, 2)).astype(np.float32)
    X = tf.placeholder(tf.float32, (None, 2))
    is_training = tf.placeholder_with_default(True, ())
    out = layers.batch_norm(X, decay=0.5, updates_collections=None, is_training=is_training)
    assert tf.get_collection(tf.GraphKeys.UPDATE_OPS) == []
    moving_mean = tf.global_variables()[1]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(out, {X: x, is_training: False})
        np.testing.assert_array_equal(sess.run(moving_mean), np.zeros(2))
        sess.run(out, {X: x})
        np.testing.assert_allclose(sess.run(moving_mean), 0.5 * x.mean(0), rtol=1e-5)
        # inference uses the moving statistics
        mm, mv = sess.run(tf.global_variables()[1:])
        np.testing.assert_allclose(sess.run(out, {X: x, is_training: False}),
                                   _bn_ref(x, mm, mv), rtol=1e-4, atol=1e-5)


def test_batch_norm_is_training_false_builds_no_updates():
    X = tf.placeholder(tf.float32, (None, 2))
    layers.batch_norm(X, is_training=False)
    assert tf.get_collection(tf.GraphKeys.UPDATE_OPS) == []
    with pytest.raises(TypeError, match="`is_training` argument must be a Python bool"):
        layers.batch_norm(X, is_training=tf.placeholder(tf.int32, ()))


def test_batch_norm_rank3_uses_the_core_layer():
    x = rng.normal(size=(4, 3, 2)).astype(np.float32)
    X = tf.placeholder(tf.float32, (None, 3, 2))
    out = layers.batch_norm(X, scale=True, decay=0.9)
    assert _names(tf.global_variables()) == ["BatchNorm/gamma:0", "BatchNorm/beta:0",
                                             "BatchNorm/moving_mean:0",
                                             "BatchNorm/moving_variance:0"]
    assert _names(tf.model_variables()) == _names(tf.global_variables())
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    assert [op.name for op in updates] == ["BatchNorm/AssignMovingAvg",
                                           "BatchNorm/AssignMovingAvg_1"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        mean, var = x.mean((0, 1)), x.var((0, 1))
        np.testing.assert_allclose(sess.run(out, {X: x}), _bn_ref(x, mean, var), rtol=1e-4,
                                   atol=1e-5)
        sess.run(updates, {X: x})
        np.testing.assert_allclose(sess.run(tf.global_variables()[3]), 0.9 + 0.1 * var,
                                   rtol=1e-5)  # biased, as the layer


def test_batch_norm_legacy_path_and_nchw():
    x = rng.normal(size=(3, 2, 2, 2)).astype(np.float32)
    X = tf.placeholder(tf.float32, (None, 2, 2, 2))
    out = layers.batch_norm(X, fused=False, updates_collections=None, data_format="NCHW",
                            decay=0.5)
    moving_var = tf.global_variables()[2]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        mean = x.mean((0, 2, 3), keepdims=True)
        var = x.var((0, 2, 3), keepdims=True)
        np.testing.assert_allclose(sess.run(out, {X: x}), _bn_ref(x, mean, var), rtol=1e-4,
                                   atol=1e-5)
        np.testing.assert_allclose(sess.run(moving_var), 0.5 + 0.5 * var.ravel(), rtol=1e-5)


def test_batch_norm_unsupported_arguments():
    X = tf.placeholder(tf.float32, (None, 2))
    for kwargs in [{"renorm": True}, {"zero_debias_moving_mean": True},
                   {"batch_weights": tf.ones([4])}]:
        with pytest.raises(ValueError, match="tfcompat does not support"):
            layers.batch_norm(X, **kwargs)
    with pytest.raises(ValueError, match="data_format has to be either NCHW or NHWC"):
        layers.batch_norm(X, data_format="NWC")
    with pytest.raises(ValueError, match="`C` dimension must be known"):
        layers.batch_norm(tf.placeholder(tf.float32, (None, None)))


# ---- dropout ------------------------------------------------------------------------------------
def test_contrib_dropout():
    x = np.ones((100, 50), np.float32)
    X = tf.placeholder(tf.float32, (None, 50))
    is_training = tf.placeholder_with_default(False, ())
    out = layers.dropout(X, keep_prob=0.8, is_training=is_training)
    assert out.op.name.startswith("Dropout/")
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(out, {X: x}), x)
        value = sess.run(out, {X: x, is_training: True})
    assert set(np.unique(value)) <= {0.0, 1.25}
    assert abs((value != 0).mean() - 0.8) < 0.03
    static = layers.dropout(X, is_training=False)
    assert static.op.type == "Identity"
    with pytest.raises(ValueError, match=r"`keep_prob` must be in \(0, 1\]"):
        layers.dropout(X, keep_prob=0.0)
