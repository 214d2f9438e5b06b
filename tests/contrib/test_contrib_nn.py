"""tf.contrib.nn: alpha_dropout (TF 1.15's mask and affine map), scaled_softplus (values and
float64 finite-difference gradients), sampled_sparse_softmax_loss (= sampled_softmax_loss with
one true class) and the argument-flipped cross-entropies."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.test import check_gradients

contrib_nn = tf.contrib.nn
SATURATION = -1.7580993408473766


def test_alpha_dropout_masks_to_saturation_then_restores_moments():
    keep_prob = 0.8
    scale = (keep_prob + keep_prob * (1 - keep_prob) * SATURATION ** 2) ** -0.5
    shift = -scale * SATURATION * (1 - keep_prob)
    x_value = np.random.RandomState(0).normal(size=(200, 100)).astype(np.float32)
    with tf.Graph().as_default(), tf.Session() as sess:
        x = tf.constant(x_value)
        assert contrib_nn.alpha_dropout(x, 1.0) is x
        with pytest.raises(ValueError, match=r"range \(0, 1\], got 1.5"):
            contrib_nn.alpha_dropout(x, 1.5)
        out = contrib_nn.alpha_dropout(x, keep_prob, seed=3)
        assert out.op.name.startswith("alpha_dropout_2/")  # after the two calls above
        value = sess.run(out)
    dropped = np.isclose(value, scale * SATURATION + shift, atol=1e-6)
    np.testing.assert_allclose(value[~dropped], scale * x_value[~dropped] + shift, rtol=1e-5,
                               atol=1e-6)
    assert abs(dropped.mean() - (1 - keep_prob)) < 0.02
    assert abs(value.mean()) < 0.05 and abs(value.std() - 1) < 0.05


def _softplus(v):
    return np.log1p(np.exp(v))


def test_scaled_softplus_values_and_gradients():
    x_value = np.array([[-3.0, -0.5, 0.0], [0.7, 2.0, 9.0]])
    with tf.Graph().as_default(), tf.Session() as sess:
        plain, clipped = sess.run([contrib_nn.scaled_softplus(x_value, 0.5),
                                   contrib_nn.scaled_softplus(x_value, 0.5, clip=1.5)])
    np.testing.assert_allclose(plain, 0.5 * _softplus(x_value / 0.5), rtol=1e-12)
    np.testing.assert_allclose(clipped, np.minimum(plain, 1.5), rtol=1e-12)
    alpha = np.array([0.5, 1.0, 2.0])
    check_gradients(lambda x, a: contrib_nn.scaled_softplus(x, a), x_value, alpha)
    check_gradients(lambda x, a, c: contrib_nn.scaled_softplus(x, a, clip=c),
                    x_value, alpha, np.array(1.5))


def test_sampled_sparse_softmax_loss_matches_sampled_softmax_loss():
    rng = np.random.RandomState(1)
    weights, biases = rng.normal(size=(6, 3)), rng.normal(size=6)
    inputs, labels = rng.normal(size=(4, 3)), np.array([[0], [2], [5], [2]])
    with tf.Graph().as_default(), tf.Session() as sess:
        sampled = (tf.constant([1, 3, 4], tf.int64), tf.constant([[0.3]] * 4, tf.float64),
                   tf.constant([0.2, 0.25, 0.1], tf.float64))
        sparse = contrib_nn.sampled_sparse_softmax_loss(weights, biases, labels, inputs, 3, 6,
                                                        sampled_values=sampled)
        dense = tf.nn.sampled_softmax_loss(weights, biases, labels, inputs, 3, 6,
                                           sampled_values=sampled)
        sparse_value, dense_value = sess.run([sparse, dense])
    assert sparse_value.shape == (4,)
    np.testing.assert_allclose(sparse_value, dense_value, rtol=1e-12)


def test_flipped_cross_entropies_take_logits_first():
    logits = np.array([[1.0, -2.0, 0.5], [0.0, 3.0, -1.0]])
    onehot = np.array([[0.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    with tf.Graph().as_default(), tf.Session() as sess:
        got = sess.run([
            contrib_nn.deprecated_flipped_softmax_cross_entropy_with_logits(logits, onehot),
            contrib_nn.deprecated_flipped_sparse_softmax_cross_entropy_with_logits(
                logits, np.array([2, 1])),
            contrib_nn.deprecated_flipped_sigmoid_cross_entropy_with_logits(logits, onehot)])
    log_softmax = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    np.testing.assert_allclose(got[0], -(onehot * log_softmax).sum(axis=1), rtol=1e-12)
    np.testing.assert_allclose(got[1], got[0], rtol=1e-12)
    np.testing.assert_allclose(got[2], _softplus(logits) - onehot * logits, rtol=1e-12)
    with pytest.raises(AttributeError, match="does not implement tf.contrib.nn.nth_element"):
        contrib_nn.nth_element  # noqa: B018
