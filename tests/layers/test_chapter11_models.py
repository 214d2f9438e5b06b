"""Chapter 11's model-building listings on small synthetic data: the graphs they build in
TF 1.x (variable and op names, collections) and that they train (batch norm with its update
ops, dropout, l1 regularization, the 2017 contrib spelling with arg_scope)."""
from functools import partial

import numpy as np
import pytest

import tfcompat as tf

rng = np.random.default_rng(21)
N_INPUTS, N_OUTPUTS = 20, 3
CENTERS = rng.normal(size=(N_OUTPUTS, N_INPUTS)) * 2


def _batch(n=60):
    y = rng.integers(0, N_OUTPUTS, n)
    x = (CENTERS[y] + rng.normal(size=(n, N_INPUTS))).astype(np.float32)
    return x, y


@pytest.fixture(autouse=True)
def fresh_graph():
    graph = tf.Graph()
    with graph.as_default():
        yield graph


def _classifier_head(logits, y, learning_rate, extra_loss=None):
    with tf.name_scope("loss"):
        xentropy = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
        loss = tf.reduce_mean(xentropy, name="loss")
        if extra_loss is not None:
            loss = tf.add_n([loss] + extra_loss, name="total")
    with tf.name_scope("train"):
        training_op = tf.train.GradientDescentOptimizer(learning_rate).minimize(loss)
    with tf.name_scope("eval"):
        correct = tf.nn.in_top_k(logits, y, 1)
        accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
    return loss, training_op, accuracy


def test_batch_normalization_listing():
    X = tf.placeholder(tf.float32, shape=(None, N_INPUTS), name="X")
    y = tf.placeholder(tf.int64, shape=None, name="y")
    training = tf.placeholder_with_default(False, shape=(), name="training")
    with tf.name_scope("dnn"):
        he_init = tf.contrib.layers.variance_scaling_initializer()
        my_batch_norm_layer = partial(tf.layers.batch_normalization, training=training,
                                      momentum=0.9)
        my_dense_layer = partial(tf.layers.dense, kernel_initializer=he_init)
        hidden1 = my_dense_layer(X, 30, name="hidden1")
        bn1 = tf.nn.elu(my_batch_norm_layer(hidden1))
        hidden2 = my_dense_layer(bn1, 10, name="hidden2")
        bn2 = tf.nn.elu(my_batch_norm_layer(hidden2))
        logits_before_bn = my_dense_layer(bn2, N_OUTPUTS, name="outputs")
        logits = my_batch_norm_layer(logits_before_bn)
    loss, training_op, accuracy = _classifier_head(logits, y, 0.1)
    extra_update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)

    assert hidden1.name == "dnn/hidden1/BiasAdd:0" and bn1.name == "dnn/Elu:0"
    assert logits.name == "dnn/batch_normalization_2/batchnorm/add_1:0"
    names = [v.op.name for v in tf.global_variables()]
    expected = []
    for dense, bn in [("hidden1", "batch_normalization"), ("hidden2", "batch_normalization_1"),
                      ("outputs", "batch_normalization_2")]:
        expected += [f"{dense}/kernel", f"{dense}/bias", f"{bn}/gamma", f"{bn}/beta",
                     f"{bn}/moving_mean", f"{bn}/moving_variance"]
    assert names[:len(expected)] == expected
    assert len(tf.trainable_variables()) == 12 and len(extra_update_ops) == 6
    moving_mean = tf.get_default_graph().get_tensor_by_name("batch_normalization/moving_mean:0")

    x_test, y_test = _batch(300)
    with tf.Session() as sess:
        tf.global_variables_initializer().run()
        before = sess.run(loss, {X: x_test, y: y_test, training: True})
        for _ in range(30):
            x_batch, y_batch = _batch()
            sess.run(training_op, {training: True, X: x_batch, y: y_batch})
        # training alone leaves the moving statistics at their initial values...
        np.testing.assert_array_equal(sess.run(moving_mean), np.zeros(30))
        for _ in range(30):
            x_batch, y_batch = _batch()
            sess.run([training_op, extra_update_ops], {training: True, X: x_batch, y: y_batch})
        # ...running the UPDATE_OPS with it moves them
        assert np.abs(sess.run(moving_mean)).max() > 0.1
        after = sess.run(loss, {X: x_test, y: y_test, training: True})
        assert after < before * 0.5
        assert accuracy.eval({X: x_test, y: y_test}) > 0.9  # inference: moving statistics


def test_dropout_and_l1_listings():
    X = tf.placeholder(tf.float32, shape=(None, N_INPUTS), name="X")
    y = tf.placeholder(tf.int64, shape=None, name="y")
    training = tf.placeholder_with_default(False, shape=(), name="training")
    my_dense_layer = partial(tf.layers.dense, activation=tf.nn.relu,
                             kernel_regularizer=tf.contrib.layers.l1_regularizer(0.001))
    with tf.name_scope("dnn"):
        X_drop = tf.layers.dropout(X, 0.5, training=training)
        hidden1 = my_dense_layer(X_drop, 30, name="hidden1")
        hidden1_drop = tf.layers.dropout(hidden1, 0.5, training=training)
        logits = my_dense_layer(hidden1_drop, N_OUTPUTS, activation=None, name="outputs")
    reg_losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert [t.op.name for t in reg_losses] == ["dnn/hidden1/kernel/Regularizer/l1_regularizer",
                                               "dnn/outputs/kernel/Regularizer/l1_regularizer"]
    loss, training_op, accuracy = _classifier_head(logits, y, 0.05, extra_loss=reg_losses)
    assert X_drop.op.name.startswith("dnn/dropout/") and hidden1.name == "dnn/hidden1/Relu:0"
    x_test, y_test = _batch(300)
    with tf.Session() as sess:
        tf.global_variables_initializer().run()
        for _ in range(60):
            x_batch, y_batch = _batch()
            sess.run(training_op, {training: True, X: x_batch, y: y_batch})
        first, second = (sess.run(logits, {X: x_test}) for _ in range(2))
        np.testing.assert_array_equal(first, second)  # no dropout at inference
        assert accuracy.eval({X: x_test, y: y_test}) > 0.9
    hidden_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="hidden[1]")
    assert [v.op.name for v in hidden_vars] == ["hidden1/kernel", "hidden1/bias"]


def test_contrib_batch_norm_listing_with_arg_scope():
    X = tf.placeholder(tf.float32, shape=(None, N_INPUTS), name="X")
    y = tf.placeholder(tf.int64, shape=None, name="y")
    is_training = tf.placeholder(tf.bool, shape=(), name="is_training")
    bn_params = {"is_training": is_training, "decay": 0.9, "updates_collections": None}
    layers = tf.contrib.layers
    with tf.contrib.framework.arg_scope([layers.fully_connected],
                                        normalizer_fn=layers.batch_norm,
                                        normalizer_params=bn_params):
        hidden1 = layers.fully_connected(X, 30, scope="hidden1")
        logits = layers.fully_connected(hidden1, N_OUTPUTS, scope="outputs", activation_fn=None)
    loss, training_op, accuracy = _classifier_head(logits, y, 0.1)
    assert [v.op.name for v in tf.global_variables()][:4] == [
        "hidden1/weights", "hidden1/BatchNorm/beta", "hidden1/BatchNorm/moving_mean",
        "hidden1/BatchNorm/moving_variance"]
    moving_mean = tf.get_default_graph().get_tensor_by_name(
        "hidden1/BatchNorm/moving_mean:0")
    x_test, y_test = _batch(300)
    with tf.Session() as sess:
        tf.global_variables_initializer().run()
        for _ in range(40):
            x_batch, y_batch = _batch()
            sess.run(training_op, {is_training: True, X: x_batch, y: y_batch})
        assert np.abs(sess.run(moving_mean)).max() > 0.1  # forced with the outputs
        assert accuracy.eval({X: x_test, y: y_test, is_training: False}) > 0.9


def test_batch_norm_listing_builds_the_forward_graph_real_tensorflow_builds():
    """Op names and types of the chapter's batch-norm graph that differ easily, as real
    TensorFlow (2.21, compat.v1 with tf-keras) names them for the same code: constants
    converted inside their op's scope, zeros of 1000+ elements as Fill, tf.cond outputs
    straight from the branch's Switch (no Identity), the moving-average AssignSub's ref
    through a RefSwitch named Switch."""
    X = tf.placeholder(tf.float32, shape=(None, 784), name="X")
    y = tf.placeholder(tf.int64, shape=None, name="y")
    training = tf.placeholder_with_default(False, shape=(), name="training")
    with tf.name_scope("dnn"):
        batch_norm = partial(tf.layers.batch_normalization, training=training, momentum=0.9)
        dense = partial(tf.layers.dense,
                        kernel_initializer=tf.contrib.layers.variance_scaling_initializer())
        hidden1 = tf.nn.elu(batch_norm(dense(X, 300, name="hidden1")))
        logits = batch_norm(dense(hidden1, 10, name="outputs"))
    with tf.name_scope("loss"):
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=y, logits=logits), name="loss")
    with tf.name_scope("train"):
        tf.train.MomentumOptimizer(0.01, 0.9).minimize(loss)
    with tf.name_scope("eval"):
        tf.nn.in_top_k(logits, y, 1)
    types = {op.name: op.type for op in tf.get_default_graph().get_operations()}
    expected = {
        "training/input": "Const",
        "hidden1/kernel/Initializer/truncated_normal/shape": "Const",
        "hidden1/kernel/Momentum/Initializer/zeros": "Fill",
        "hidden1/kernel/Momentum/Initializer/zeros/shape_as_tensor": "Const",
        "hidden1/kernel/Momentum/Initializer/zeros/Const": "Const",
        "hidden1/bias/Momentum/Initializer/zeros": "Const",
        "dnn/batch_normalization/moments/mean/reduction_indices": "Const",
        "dnn/batch_normalization/moments/variance/reduction_indices": "Const",
        "dnn/batch_normalization/cond/Merge": "Merge",
        "dnn/batch_normalization/cond/Switch_1": "Switch",
        "dnn/batch_normalization/cond/Switch_2": "Switch",
        "dnn/batch_normalization/cond_2/AssignMovingAvg/Switch": "RefSwitch",
        "dnn/batch_normalization/cond_2/AssignMovingAvg": "AssignSub",
        "eval/in_top_k/InTopKV2": "InTopKV2",
        "eval/in_top_k/InTopKV2/k": "Const",
    }
    assert {name: types.get(name) for name in expected} == expected
    assert not [name for name in types if name.startswith("dnn/batch_normalization/cond/")
                and types[name] == "Identity" and name.split("/")[-1].startswith("Identity")]
    assert "Const" not in types  # nothing converted outside a scope
