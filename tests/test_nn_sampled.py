"""tf.nn.nce_loss and tf.nn.sampled_softmax_loss against NumPy, with fixed candidates."""
import numpy as np

import tfcompat as tf
from tfcompat.test import check_gradients

RNG = np.random.default_rng(5)
W, B = RNG.normal(size=(10, 4)), RNG.normal(size=10)
X = RNG.normal(size=(3, 4))
LABELS = np.array([[1, 2], [3, 4], [5, 1]])
SAMPLED = np.array([2, 7, 0])
TRUE_EXPECTED = RNG.uniform(0.2, 0.9, size=(3, 2))
SAMPLED_EXPECTED = RNG.uniform(0.2, 0.9, size=3)


def _numpy_logits(remove_hits):
    true = np.einsum("bd,btd->bt", X, W[LABELS]) + B[LABELS] - np.log(TRUE_EXPECTED)
    sampled = X @ W[SAMPLED].T + B[SAMPLED] - np.log(SAMPLED_EXPECTED)
    if remove_hits:
        hits = (LABELS[:, :, None] == SAMPLED[None, None, :]).any(1)
        sampled = sampled + np.where(hits, -np.finfo(np.float32).max, 0.0)
    return np.concatenate([true, sampled], 1)


def _values():
    return (tf.constant(SAMPLED, tf.int64), tf.constant(TRUE_EXPECTED, tf.float64),
            tf.constant(SAMPLED_EXPECTED, tf.float64))


def test_nce_loss_matches_numpy():
    with tf.Graph().as_default():
        loss = tf.nn.nce_loss(tf.constant(W), tf.constant(B), LABELS, tf.constant(X),
                              num_sampled=3, num_classes=10, num_true=2,
                              sampled_values=_values())
        got = tf.Session().run(loss)
    logits = _numpy_logits(False)
    targets = np.concatenate([np.full((3, 2), 0.5), np.zeros((3, 3))], 1)
    xent = np.maximum(logits, 0) - logits * targets + np.log1p(np.exp(-np.abs(logits)))
    np.testing.assert_allclose(got, xent.sum(1), rtol=1e-10)


def test_sampled_softmax_loss_matches_numpy_and_removes_hits():
    with tf.Graph().as_default():
        loss = tf.nn.sampled_softmax_loss(tf.constant(W), tf.constant(B), LABELS,
                                          tf.constant(X), num_sampled=3, num_classes=10,
                                          num_true=2, sampled_values=_values())
        got = tf.Session().run(loss)
    logits = _numpy_logits(True)
    targets = np.concatenate([np.full((3, 2), 0.5), np.zeros((3, 3))], 1)
    shifted = logits - logits.max(1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(1, keepdims=True))
    np.testing.assert_allclose(got, -(targets * log_softmax).sum(1), rtol=1e-10)


def test_nce_loss_gradients_with_partitioned_weights():
    def build(w, x):
        parts = [w[0:5], w[5:10]]
        return tf.nn.nce_loss(parts, tf.constant(B), LABELS, x, num_sampled=3,
                              num_classes=10, num_true=2, sampled_values=_values(),
                              partition_strategy="div")
    check_gradients(build, W, X)
