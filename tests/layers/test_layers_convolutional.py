"""tf.layers conv1d/conv2d/conv2d_transpose/separable_conv2d and the pooling layers
(layers/convolutional.py, layers/pooling.py): TF 1.15's variable and op names (checked
against real TensorFlow by hand), Glorot-uniform default kernels, reuse, regularizers,
trainable, forward values against tf.nn and static shapes."""
import numpy as np
import pytest

import tfcompat as tf

rng = np.random.default_rng(5)


@pytest.fixture(autouse=True)
def fresh_graph():
    graph = tf.Graph()
    with graph.as_default():
        yield graph


def _names(variables):
    return [(v.name, v.shape.as_list()) for v in variables]


def test_variable_and_op_names_follow_tf1():
    x = tf.placeholder(tf.float32, [None, 28, 28, 1])
    c1 = tf.layers.conv2d(x, 32, 3, padding="SAME", activation=tf.nn.relu)
    c2 = tf.layers.conv2d(c1, 64, 3, strides=2, padding="same", activation=tf.nn.relu)
    pool = tf.layers.max_pooling2d(c2, 2, 2)
    up = tf.layers.conv2d_transpose(pool, 8, 3, strides=2, padding="valid")
    sep = tf.layers.separable_conv2d(up, 4, 3, depth_multiplier=2, padding="same")
    avg = tf.layers.average_pooling1d(tf.placeholder(tf.float32, [None, 9, 3]), 2, 2,
                                      padding="same")
    c1d = tf.layers.conv1d(tf.placeholder(tf.float32, [None, 9, 3]), 5, 3, strides=2)
    assert _names(tf.global_variables()) == [
        ("conv2d/kernel:0", [3, 3, 1, 32]), ("conv2d/bias:0", [32]),
        ("conv2d_1/kernel:0", [3, 3, 32, 64]), ("conv2d_1/bias:0", [64]),
        ("conv2d_transpose/kernel:0", [3, 3, 8, 64]), ("conv2d_transpose/bias:0", [8]),
        ("separable_conv2d/depthwise_kernel:0", [3, 3, 8, 2]),
        ("separable_conv2d/pointwise_kernel:0", [1, 1, 16, 4]),
        ("separable_conv2d/bias:0", [4]), ("conv1d/kernel:0", [3, 3, 5]),
        ("conv1d/bias:0", [5])]
    expected = [("conv2d/Relu:0", [None, 28, 28, 32]), ("conv2d_1/Relu:0", [None, 14, 14, 64]),
                ("max_pooling2d/MaxPool:0", [None, 7, 7, 64]),
                ("conv2d_transpose/BiasAdd:0", [None, 15, 15, 8]),
                ("separable_conv2d/BiasAdd:0", [None, 15, 15, 4]),
                ("average_pooling1d/Squeeze:0", [None, 5, 3]),
                ("conv1d/BiasAdd:0", [None, 4, 5])]
    assert [(t.name, t.shape.as_list()) for t in (c1, c2, pool, up, sep, avg, c1d)] == expected
    assert tf.get_default_graph().get_operation_by_name("conv2d/Conv2D").type == "Conv2D"


def test_conv2d_layer_computes_nn_conv2d_plus_bias():
    x = rng.normal(size=(2, 7, 6, 3)).astype(np.float32)
    layer = tf.layers.Conv2D(4, (3, 2), strides=(2, 1), padding="same",
                             bias_initializer=tf.constant_initializer(0.5),
                             activation="relu", name="c")
    out = layer.apply(tf.constant(x))
    reference = tf.nn.relu(tf.nn.conv2d(x, layer.kernel, [1, 2, 1, 1], "SAME") + 0.5)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        value, expected, kernel = sess.run([out, reference, layer.kernel])
    np.testing.assert_allclose(value, expected, rtol=1e-5, atol=1e-6)
    limit = np.sqrt(6.0 / (3 * 2 * 3 + 3 * 2 * 4))  # Glorot uniform over fan_in + fan_out
    assert np.abs(kernel).max() <= limit and np.abs(kernel).max() > limit / 2


def test_channels_first_matches_channels_last():
    x = rng.normal(size=(2, 6, 5, 3)).astype(np.float32)
    last = tf.layers.Conv2D(4, 3, padding="same", kernel_initializer=tf.ones_initializer())
    first = tf.layers.Conv2D(4, 3, padding="same", data_format="channels_first",
                             kernel_initializer=tf.ones_initializer())
    outputs = [last.apply(tf.constant(x)),
               first.apply(tf.constant(np.transpose(x, (0, 3, 1, 2))))]
    pools = [tf.layers.max_pooling2d(outputs[0], 2, 2),
             tf.layers.max_pooling2d(outputs[1], 2, 2, data_format="channels_first")]
    assert outputs[1].shape.as_list() == [2, 4, 6, 5]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        a, b, pa, pb = sess.run(outputs + pools)
    np.testing.assert_allclose(np.transpose(a, (0, 3, 1, 2)), b, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(np.transpose(pa, (0, 3, 1, 2)), pb, rtol=1e-5, atol=1e-5)


def test_reuse_regularizers_and_trainable():
    x = tf.placeholder(tf.float32, [None, 8, 8, 2])
    tf.layers.conv2d(x, 3, 3, name="shared",
                     kernel_regularizer=lambda w: tf.reduce_sum(tf.square(w)))
    with pytest.raises(ValueError, match="Variable shared/kernel already exists"):
        tf.layers.conv2d(x, 3, 3, name="shared")
    tf.layers.conv2d(x, 3, 3, name="shared", reuse=True)
    assert len(tf.global_variables()) == 2
    assert len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)) == 1
    tf.layers.conv2d(x, 3, 3, trainable=False, name="frozen")
    assert [v.name for v in tf.trainable_variables()] == ["shared/kernel:0", "shared/bias:0"]


def test_pooling_layers_match_nn_pools():
    x = rng.normal(size=(2, 7, 5, 3)).astype(np.float32)
    layers_out = [tf.layers.max_pooling2d(x, [3, 2], 2, padding="same"),
                  tf.layers.average_pooling2d(x, 2, [2, 1]),
                  tf.layers.max_pooling1d(x[:, :, 0, :], 3, 2)]
    reference = [tf.nn.max_pool(x, [1, 3, 2, 1], [1, 2, 2, 1], "SAME"),
                 tf.nn.avg_pool(x, [1, 2, 2, 1], [1, 2, 1, 1], "VALID"),
                 tf.nn.max_pool(x[:, :, :1, :], [1, 3, 1, 1], [1, 2, 1, 1], "VALID")[:, :, 0]]
    with tf.Session() as sess:
        for got, want in zip(sess.run(layers_out), sess.run(reference)):
            np.testing.assert_allclose(got, want, rtol=1e-6)


def test_conv2d_transpose_unknown_batch_and_training_step():
    x = tf.placeholder(tf.float32, [None, 4, 4, 3])
    up = tf.layers.conv2d_transpose(x, 2, 4, strides=2, padding="same", activation=tf.nn.tanh)
    assert up.shape.as_list() == [None, 8, 8, 2]
    loss = tf.reduce_mean(tf.square(up - 0.3))
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    feed = {x: rng.normal(size=(3, 4, 4, 3)).astype(np.float32)}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss, feed)
        for _ in range(5):
            sess.run(train, feed)
        assert sess.run(loss, feed) < first


def test_layer_argument_errors():
    with pytest.raises(ValueError, match="`padding` argument must be one of"):
        tf.layers.Conv2D(3, 3, padding="full")
    with pytest.raises(ValueError, match="`kernel_size` argument must be a tuple of 2"):
        tf.layers.Conv2D(3, (1, 2, 3))
    with pytest.raises(ValueError, match="`filters` must be a positive integer"):
        tf.layers.Conv2D(0, 3)
    with pytest.raises(ValueError, match="expected ndim=4"):
        tf.layers.conv2d(tf.placeholder(tf.float32, [None, 5, 3]), 2, 3)
