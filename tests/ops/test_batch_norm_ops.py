"""FusedBatchNormV3: forward against NumPy in both layouts and modes, static shapes, the
Bessel-corrected batch variance, float64 finite-difference gradients, errors."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.test import check_gradients

rng = np.random.default_rng(5)


def _reference(x, scale, offset, mean, variance, epsilon, channels_last):
    shape = (1, 1, 1, -1) if channels_last else (1, -1, 1, 1)
    return ((x - mean.reshape(shape)) / np.sqrt(variance.reshape(shape) + epsilon)
            * scale.reshape(shape) + offset.reshape(shape))


@pytest.mark.parametrize("data_format", ["NHWC", "NCHW"])
def test_training_forward_and_batch_statistics(data_format):
    x = rng.normal(size=(2, 3, 4, 5)).astype(np.float32)
    channels = 5 if data_format == "NHWC" else 3
    axes = (0, 1, 2) if data_format == "NHWC" else (0, 2, 3)
    scale, offset = rng.uniform(0.5, 2, channels), rng.normal(size=channels)
    with tf.Graph().as_default():
        y, mean, variance = tf.nn.fused_batch_norm(
            x, scale.astype(np.float32), offset.astype(np.float32), data_format=data_format)
        assert y.op.type == "FusedBatchNormV3" and y.shape.as_list() == list(x.shape)
        assert mean.shape.as_list() == [channels]
        values = tf.Session().run([y, mean, variance])
    expected = _reference(x.astype(np.float64), scale, offset, x.mean(axes), x.var(axes),
                          0.001, data_format == "NHWC")
    np.testing.assert_allclose(values[0], expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(values[1], x.mean(axes), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(values[2], x.var(axes, ddof=1), rtol=1e-5)


def test_inference_uses_the_given_statistics():
    x = rng.normal(size=(2, 2, 2, 3))
    scale, offset = rng.uniform(0.5, 2, 3), rng.normal(size=3)
    mean, variance = rng.normal(size=3), rng.uniform(0.5, 2, 3)
    with tf.Graph().as_default():
        y, m, v = tf.nn.fused_batch_norm(x, scale, offset, mean, variance, epsilon=0.01,
                                         is_training=False)
        values = tf.Session().run([y, m, v])
    np.testing.assert_allclose(values[0], _reference(x, scale, offset, mean, variance, 0.01,
                                                     True), rtol=1e-10)
    np.testing.assert_allclose(values[1], mean)
    np.testing.assert_allclose(values[2], variance)


@pytest.mark.parametrize("is_training", [True, False])
@pytest.mark.parametrize("data_format", ["NHWC", "NCHW"])
def test_gradients(is_training, data_format):
    x = rng.normal(size=(2, 3, 2, 3))
    scale, offset = rng.uniform(0.5, 2, 3), rng.normal(size=3)
    mean, variance = rng.normal(size=3), rng.uniform(0.5, 2, 3)

    def build(x_, scale_, offset_):
        if is_training:
            return tf.nn.fused_batch_norm(x_, scale_, offset_, data_format=data_format)[0]
        return tf.nn.fused_batch_norm(x_, scale_, offset_, mean, variance,
                                      data_format=data_format, is_training=False)[0]
    check_gradients(build, x, scale, offset)


def test_errors():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="must be a 1D tensor when is_training is False"):
            tf.nn.fused_batch_norm(tf.zeros([1, 2, 2, 3]), tf.ones([3]), tf.zeros([3]),
                                   is_training=False)
        with pytest.raises(ValueError, match="rank 4"):
            tf.nn.fused_batch_norm(tf.zeros([2, 3]), tf.ones([3]), tf.zeros([3]))
        with pytest.raises(TypeError, match="DataType int32"):
            tf.nn.fused_batch_norm(tf.zeros([1, 2, 2, 3], tf.int32), tf.ones([3]),
                                   tf.zeros([3]))
        with pytest.raises(ValueError, match="Dimensions must be equal, but are 3 and 4"):
            tf.nn.fused_batch_norm(tf.zeros([1, 2, 2, 3]), tf.ones([4]), tf.zeros([3]))
        with pytest.raises(ValueError, match="Invalid data format"):
            tf.nn.fused_batch_norm(tf.zeros([1, 2, 2, 3]), tf.ones([3]), tf.zeros([3]),
                                   data_format="NDHWC")


def test_batch_norm_with_global_normalization():
    x = rng.normal(size=(2, 3))
    mean, variance = rng.normal(size=3), rng.uniform(0.5, 2, 3)
    beta, gamma = rng.normal(size=3), rng.uniform(0.5, 2, 3)
    with tf.Graph().as_default():
        scaled, unscaled = tf.Session().run([
            tf.nn.batch_norm_with_global_normalization(x, mean, variance, beta, gamma, 0.01,
                                                       True),
            tf.nn.batch_norm_with_global_normalization(x, mean, variance, beta, gamma, 0.01,
                                                       False)])
    normalized = (x - mean) / np.sqrt(variance + 0.01)
    np.testing.assert_allclose(scaled, normalized * gamma + beta, rtol=1e-10)
    np.testing.assert_allclose(unscaled, normalized + beta, rtol=1e-10)
