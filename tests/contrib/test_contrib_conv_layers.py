"""tf.contrib.layers conv2d / conv2d_transpose / max_pool2d / avg_pool2d
(contrib/layers/convolutional.py): TF 1.15's scopes and variable names, arg_scope,
normalizer_fn=batch_norm (no biases, update ops), values against tf.nn and a training step."""
import numpy as np
import pytest

import tfcompat as tf

layers = tf.contrib.layers
rng = np.random.default_rng(9)


@pytest.fixture(autouse=True)
def fresh_graph():
    graph = tf.Graph()
    with graph.as_default():
        yield graph


def test_names_under_arg_scope_with_batch_norm():
    x = tf.placeholder(tf.float32, [None, 28, 28, 1])
    training = tf.placeholder_with_default(False, [])
    with layers.arg_scope([layers.conv2d, layers.conv2d_transpose],
                          normalizer_fn=layers.batch_norm,
                          normalizer_params={"is_training": training}):
        c1 = layers.conv2d(x, 8, [3, 3])
        c2 = layers.conv2d(c1, 8, 3, stride=2, scope="c2")
        up = layers.conv2d_transpose(c2, 4, 3, stride=2)
    c3 = layers.convolution2d(up, 6, 3, activation_fn=None)
    pooled = layers.max_pool2d(c3, [2, 2])
    averaged = layers.avg_pool2d(pooled, 2, padding="SAME")
    flat = layers.flatten(averaged)
    names = [v.name for v in tf.global_variables()]
    assert names[:4] == ["Conv/weights:0", "Conv/BatchNorm/beta:0",
                         "Conv/BatchNorm/moving_mean:0", "Conv/BatchNorm/moving_variance:0"]
    assert "Conv2d_transpose/weights:0" in names and "c2/weights:0" in names
    assert names[-2:] == ["Conv_1/weights:0", "Conv_1/biases:0"]
    assert [(t.name, t.shape.as_list()) for t in (c1, c2, up, c3, pooled, averaged, flat)] == [
        ("Conv/Relu:0", [None, 28, 28, 8]), ("c2/Relu:0", [None, 14, 14, 8]),
        ("Conv2d_transpose/Relu:0", [None, 28, 28, 4]), ("Conv_1/BiasAdd:0", [None, 28, 28, 6]),
        ("MaxPool2D/MaxPool:0", [None, 14, 14, 6]), ("AvgPool2D/AvgPool:0", [None, 7, 7, 6]),
        ("Flatten/flatten/Reshape:0", [None, 294])]
    assert len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)) == 6
    assert len(tf.get_collection(tf.GraphKeys.MODEL_VARIABLES)) == 14


def test_conv2d_values_and_training_with_batch_norm():
    x = rng.normal(size=(4, 6, 6, 2)).astype(np.float32)
    out = layers.conv2d(x, 3, 3, stride=2, padding="VALID", activation_fn=None,
                        weights_initializer=tf.ones_initializer())
    expected = tf.nn.conv2d(x, np.ones((3, 3, 2, 3), np.float32), [1, 2, 2, 1], "VALID")
    normalized = layers.conv2d(x, 3, 3, normalizer_fn=layers.batch_norm,
                               normalizer_params={"is_training": True}, scope="bn_conv")
    loss = tf.reduce_mean(tf.square(layers.max_pool2d(normalized, 2) - 1.0))
    update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.control_dependencies(update_ops):
        train = tf.train.AdamOptimizer(0.05).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got, want = sess.run([out, expected])
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
        first = sess.run(loss)
        for _ in range(5):
            sess.run(train)
        assert sess.run(loss) < first
        moving_mean = [v for v in tf.global_variables() if "moving_mean" in v.name][0]
        assert np.any(sess.run(moving_mean) != 0)


def test_bad_data_format():
    with pytest.raises(ValueError, match="data_format has to be either NCHW or NHWC"):
        layers.conv2d(tf.zeros([1, 4, 4, 1]), 2, 3, data_format="NWC")
