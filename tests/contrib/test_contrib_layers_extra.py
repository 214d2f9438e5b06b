"""tf.contrib.layers additions: layer_norm, instance_norm, group_norm, bias_add, unit_norm,
embed_sequence/embedding_lookup_unique, separable_conv2d and optimize_loss (TF 1.15 names
and math)."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.test import check_gradients

layers = tf.contrib.layers


@pytest.fixture(autouse=True)
def _fresh_graph():
    with tf.Graph().as_default():
        yield


def _run_initialised(*fetches, feed_dict=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(list(fetches), feed_dict)


def _names():
    return sorted(v.op.name for v in tf.global_variables())


def test_layer_norm_bert_style():
    x = np.random.RandomState(0).randn(2, 3, 5)
    outputs = layers.layer_norm(tf.constant(x), begin_norm_axis=-1, begin_params_axis=-1,
                                scope="ln")
    got, = _run_initialised(outputs)
    assert _names() == ["ln/beta", "ln/gamma"]
    assert {v.op.name for v in tf.model_variables()} == {"ln/beta", "ln/gamma"}
    mean = x.mean(-1, keepdims=True)
    want = (x - mean) / np.sqrt(x.var(-1, keepdims=True) + 1e-12)
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)
    assert outputs.shape.as_list() == [2, 3, 5]


def test_layer_norm_defaults_normalise_all_but_the_batch_axis():
    x = np.random.RandomState(1).randn(2, 4, 3).astype(np.float32)
    outputs = layers.layer_norm(x, activation_fn=tf.nn.relu)
    got, = _run_initialised(outputs)
    assert _names() == ["LayerNorm/beta", "LayerNorm/gamma"]
    assert tf.global_variables()[0].shape.as_list() == [3]
    flat = x.reshape(2, -1)
    want = (flat - flat.mean(1, keepdims=True)) / np.sqrt(flat.var(1, keepdims=True) + 1e-12)
    np.testing.assert_allclose(got, np.maximum(want.reshape(x.shape), 0), rtol=1e-4,
                               atol=1e-5)
    with pytest.raises(ValueError, match=r"must be < rank\(inputs\) \(3\)"):
        layers.layer_norm(x, begin_norm_axis=3)
    with pytest.raises(ValueError, match="is not fully defined"):
        layers.layer_norm(tf.placeholder(tf.float32, [None, None]))


def test_layer_norm_gradients():
    def build(x):
        return layers.layer_norm(x, center=False, scale=False, begin_norm_axis=-1)

    check_gradients(build, np.random.RandomState(2).randn(3, 4))


@pytest.mark.parametrize("data_format,shape,axis", [("NHWC", (2, 3, 3, 4), 3),
                                                    ("NCHW", (2, 4, 3, 3), 1),
                                                    ("NHWC", (5, 4), 1)])
def test_bias_add(data_format, shape, axis):
    x = np.zeros(shape, np.float32)
    outputs = layers.bias_add(x, initializer=tf.constant_initializer([1.0, 2.0, 3.0, 4.0]),
                              data_format=data_format)
    got, = _run_initialised(outputs)
    assert _names() == ["BiasAdd/biases"]
    index = [None] * len(shape)
    index[axis] = slice(None)
    np.testing.assert_array_equal(got, np.broadcast_to(
        np.array([1.0, 2.0, 3.0, 4.0], np.float32)[tuple(index)], shape))
    with pytest.raises(ValueError, match="NCHW only supports 4D"):
        layers.bias_add(np.zeros([2, 4], np.float32), data_format="NCHW")


def test_unit_norm():
    values = np.array([[3.0, 4.0], [6.0, 8.0]])
    got, = _run_initialised(layers.unit_norm(tf.constant(values), 1))
    np.testing.assert_allclose(got, values / np.sqrt(1e-7 + (values ** 2).sum(1,
                                                                               keepdims=True)))
    with pytest.raises(ValueError, match="dim must be positive"):
        layers.unit_norm(tf.constant(values), 2)


@pytest.mark.parametrize("unique", [False, True])
def test_embed_sequence(unique):
    ids = np.array([[1, 3, 1], [0, 3, 2]])
    table = np.arange(20, dtype=np.float32).reshape(5, 4)
    outputs = layers.embed_sequence(ids, vocab_size=5, embed_dim=4, unique=unique,
                                    initializer=tf.constant_initializer(table))
    got, = _run_initialised(outputs)
    assert _names() == ["EmbedSequence/embeddings"]
    assert outputs.shape.as_list() == [2, 3, 4]
    np.testing.assert_array_equal(got, table[ids])
    with pytest.raises(ValueError, match="Must specify vocab size"):
        layers.embed_sequence(ids)


def _regression():
    x = tf.constant([[1.0, 2.0], [3.0, -1.0]])
    w = tf.get_variable("w", initializer=tf.constant([[0.5], [-0.5]]))
    return w, tf.reduce_mean(tf.square(tf.matmul(x, w) - [[1.0], [2.0]]))


def test_optimize_loss_sgd_by_name_with_clipping_and_summaries():
    w, loss = _regression()
    global_step = tf.train.get_or_create_global_step()
    train = layers.optimize_loss(loss, global_step, 0.1, "SGD", clip_gradients=1.0,
                                 summaries=["loss", "gradients", "gradient_norm"])
    assert train.op.name == "OptimizeLoss/control_dependency"
    assert "OptimizeLoss/learning_rate" in _names()
    assert "OptimizeLoss/learning_rate" not in {v.op.name for v in tf.trainable_variables()}
    summary_names = sorted(s.op.name for s in tf.get_collection(tf.GraphKeys.SUMMARIES))
    assert summary_names == ["OptimizeLoss/global_norm/clipped_gradient_norm",
                             "OptimizeLoss/global_norm/gradient_norm",
                             "OptimizeLoss/gradient_norm/w_0", "OptimizeLoss/gradients/w_0",
                             "OptimizeLoss/loss"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        w0, grad = sess.run([w, tf.gradients(loss, w)[0]])
        loss_before = sess.run(loss)
        returned = sess.run(train)
        w1, step = sess.run([w, global_step])
    assert returned == pytest.approx(loss_before)
    clipped = grad / max(1.0, np.linalg.norm(grad))
    np.testing.assert_allclose(w1, w0 - 0.1 * clipped, rtol=1e-5)
    assert step == 1


@pytest.mark.parametrize("make_optimizer", [
    lambda: tf.train.AdamOptimizer, lambda: tf.train.AdamOptimizer(0.01),
    lambda: (lambda lr: tf.train.MomentumOptimizer(lr, 0.5))])
def test_optimize_loss_optimizer_forms(make_optimizer):
    _, loss = _regression()
    step = tf.train.get_or_create_global_step()
    train = layers.optimize_loss(loss, None, 0.01, make_optimizer(),
                                 learning_rate_decay_fn=lambda lr, gs: lr * 0.5,
                                 gradient_multipliers={"w:0": 2.0}, increment_global_step=False)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss)
        for _ in range(3):
            sess.run(train)
        assert sess.run(loss) < first and sess.run(step) == 0


def test_optimize_loss_errors():
    _, loss = _regression()
    with pytest.raises(ValueError, match="Optimizer name should be one of"):
        layers.optimize_loss(loss, None, 0.1, "Nope")
    with pytest.raises(ValueError, match="Learning rate is None"):
        layers.optimize_loss(loss, None, None, "SGD")
    with pytest.raises(ValueError, match="Summaries should be one of"):
        layers.optimize_loss(loss, None, 0.1, "SGD", summaries=["weights"])
    with pytest.raises(ValueError, match="Learning rate should be 0d Tensor or float"):
        layers.optimize_loss(loss, None, 1, "SGD")


@pytest.mark.parametrize("data_format", ["NHWC", "NCHW"])
def test_instance_norm(data_format):
    x = np.random.RandomState(8).randn(2, 3, 4, 5)
    channels_last = x if data_format == "NHWC" else np.moveaxis(x, 1, -1)
    outputs = layers.instance_norm(
        tf.constant(x), data_format=data_format,
        param_initializers={"gamma": tf.constant_initializer(2.0)})
    got, = _run_initialised(outputs)
    assert _names() == ["InstanceNorm/beta", "InstanceNorm/gamma"]
    axes = (1, 2)
    mean = channels_last.mean(axes, keepdims=True)
    want = 2.0 * (channels_last - mean) / np.sqrt(channels_last.var(axes, keepdims=True)
                                                  + 1e-6)
    if data_format == "NCHW":
        want = np.moveaxis(want, -1, 1)
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)
    with pytest.raises(ValueError, match="undefined channels dimension"):
        layers.instance_norm(tf.placeholder(tf.float32, [None, 2, 2, None]))


def test_separable_conv2d_variables_and_values():
    rng = np.random.RandomState(9)
    x = rng.randn(2, 5, 5, 3).astype(np.float32)
    outputs = layers.separable_conv2d(x, 4, [3, 3], depth_multiplier=2, activation_fn=None,
                                      scope="sep")
    depthwise = layers.separable_conv2d(x, None, 3, stride=2, activation_fn=None)
    assert outputs.shape.as_list() == [2, 5, 5, 4]
    assert depthwise.shape.as_list() == [2, 3, 3, 3]
    assert _names() == ["SeparableConv2d/biases", "SeparableConv2d/depthwise_weights",
                        "sep/biases", "sep/depthwise_weights", "sep/pointwise_weights"]
    assert len(tf.model_variables()) == 5
    by_name = {v.op.name: v for v in tf.global_variables()}
    got, got_depthwise, dw, pw, dw2 = _run_initialised(
        outputs, depthwise, by_name["sep/depthwise_weights"], by_name["sep/pointwise_weights"],
        by_name["SeparableConv2d/depthwise_weights"])
    want = tf.nn.separable_conv2d(x, dw, pw, [1, 1, 1, 1], "SAME")
    want_depthwise = tf.nn.depthwise_conv2d(x, dw2, [1, 2, 2, 1], "SAME")
    with tf.Session() as sess:
        want, want_depthwise = sess.run([want, want_depthwise])
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got_depthwise, want_depthwise, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("mean_close_to_zero", [False, True])
def test_group_norm(mean_close_to_zero):
    x = np.random.RandomState(10).randn(2, 3, 3, 8)
    outputs = layers.group_norm(tf.constant(x), groups=4,
                                mean_close_to_zero=mean_close_to_zero,
                                param_initializers={"beta": tf.constant_initializer(0.5)})
    got, = _run_initialised(outputs)
    assert _names() == ["GroupNorm/beta", "GroupNorm/gamma"]
    grouped = x.reshape(2, 3, 3, 4, 2)
    mean = grouped.mean((1, 2, 4), keepdims=True)
    var = grouped.var((1, 2, 4), keepdims=True)
    want = ((grouped - mean) / np.sqrt(var + 1e-6)).reshape(x.shape) + 0.5
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9)
    assert outputs.shape.as_list() == [2, 3, 3, 8]


def test_group_norm_nchw_dynamic_batch_and_errors():
    x = np.random.RandomState(11).randn(2, 6, 2, 3)
    inputs = tf.placeholder(tf.float64, [None, 6, 2, 3])
    outputs = layers.group_norm(inputs, groups=3, channels_axis=1, reduction_axes=(2, 3))
    got, = _run_initialised(outputs, feed_dict={inputs: x})
    grouped = x.reshape(2, 3, 2, 2, 3)
    want = (grouped - grouped.mean((2, 3, 4), keepdims=True)) / np.sqrt(
        grouped.var((2, 3, 4), keepdims=True) + 1e-6)
    np.testing.assert_allclose(got, want.reshape(x.shape), rtol=1e-9, atol=1e-9)
    with pytest.raises(ValueError, match="Invalid groups 32 for 6 channels"):
        layers.group_norm(inputs, channels_axis=1, reduction_axes=(2, 3))
    with pytest.raises(ValueError, match="not commensurate"):
        layers.group_norm(inputs, groups=4, channels_axis=1, reduction_axes=(2, 3))
    with pytest.raises(ValueError, match="mutually exclusive"):
        layers.group_norm(inputs, groups=3, channels_axis=1, reduction_axes=(1, 2))


def test_dense_to_sparse_for_ctc_labels():
    labels = np.array([[3, 1, 0, 0], [2, 0, 5, 0]], np.int32)
    sparse = layers.dense_to_sparse(labels)
    got, = _run_initialised(sparse)
    np.testing.assert_array_equal(got.indices, [[0, 0], [0, 1], [1, 0], [1, 2]])
    np.testing.assert_array_equal(got.values, [3, 1, 2, 5])
    np.testing.assert_array_equal(got.dense_shape, [2, 4])
    assert sparse.indices.dtype == tf.int64 and sparse.values.dtype == tf.int32
    padded, = _run_initialised(layers.dense_to_sparse(labels, eos_token=3))
    assert len(padded.values) == 7


def test_maxout():
    x = np.random.RandomState(16).randn(2, 3, 6)
    inputs = tf.placeholder(tf.float64, [None, 3, 6])
    outputs = layers.maxout(inputs, 2)
    got, = _run_initialised(outputs, feed_dict={inputs: x})
    assert outputs.shape.as_list() == [None, 3, 2]
    np.testing.assert_array_equal(got, x.reshape(2, 3, 2, 3).max(-1))
    with pytest.raises(ValueError, match=r"number of features\(6\) is not a multiple"):
        layers.maxout(inputs, 4)
