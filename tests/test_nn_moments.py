"""tf.nn's sufficient_statistics / normalize_moments / weighted_moments and
log_poisson_loss against NumPy, with float64 finite-difference gradients."""
import numpy as np
import pytest
import scipy.special

import tfcompat as tf
from tfcompat.test import check_gradients

rng = np.random.default_rng(9)


def _run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


@pytest.mark.parametrize("shift", [None, 0.5])
def test_sufficient_statistics_and_normalize_moments(shift):
    x = rng.normal(size=(3, 4, 2))
    with tf.Graph().as_default():
        counts, mean_ss, variance_ss, shift_out = tf.nn.sufficient_statistics(x, [0, 1],
                                                                              shift=shift)
        assert counts.op.type == "Const"
        mean, variance = tf.nn.normalize_moments(counts, mean_ss, variance_ss, shift_out)
        values = _run([counts, mean, variance])
        assert values[0] == 12
        np.testing.assert_allclose(values[1], x.mean((0, 1)), rtol=1e-12)
        np.testing.assert_allclose(values[2], x.var((0, 1)), rtol=1e-10)
        fed = tf.placeholder(tf.float64, [None, 4, 2])
        dynamic = tf.nn.sufficient_statistics(fed, [0, 1], keep_dims=True)
        counts_value, mean_value = _run(list(dynamic[:2]), {fed: x})
        assert counts_value == 12 and mean_value.shape == (1, 1, 2)
    check_gradients(lambda v: tf.nn.normalize_moments(
        *tf.nn.sufficient_statistics(v, [0], shift=shift))[1], x)


def test_weighted_moments():
    x = rng.normal(size=(4, 3))
    weights = rng.uniform(0.5, 2.0, size=(4, 1))
    with tf.Graph().as_default():
        mean, variance = tf.nn.weighted_moments(x, [0], weights)
        kept_mean, _ = tf.nn.weighted_moments(x, [0], weights, keep_dims=True)
        assert kept_mean.shape.as_list() == [1, 3] and mean.shape.as_list() == [3]
        m, v = _run([mean, variance])
    expected_mean = (weights * x).sum(0) / weights.sum()
    np.testing.assert_allclose(m, expected_mean, rtol=1e-12)
    np.testing.assert_allclose(v, (weights * (x - expected_mean) ** 2).sum(0) / weights.sum(),
                               rtol=1e-12)
    check_gradients(lambda a, w: tf.nn.weighted_moments(a, [0], w)[1], x, weights)


@pytest.mark.parametrize("full", [False, True])
def test_log_poisson_loss(full):
    targets = np.array([[0.0, 0.5, 1.0], [2.0, 3.0, 7.0]])
    log_input = rng.normal(size=(2, 3))
    expected = np.exp(log_input) - log_input * targets
    if full:
        stirling = (targets * np.log(np.where(targets > 0, targets, 1)) - targets
                    + 0.5 * np.log(2 * np.pi * np.where(targets > 0, targets, 1)))
        expected += np.where(targets <= 1, 0.0, stirling)
    with tf.Graph().as_default():
        loss = tf.nn.log_poisson_loss(targets, log_input, compute_full_loss=full)
        np.testing.assert_allclose(_run(loss), expected, rtol=1e-12)
        with pytest.raises(ValueError, match="must have the same shape"):
            tf.nn.log_poisson_loss(targets, log_input[:, :2])
    check_gradients(lambda v: tf.nn.log_poisson_loss(targets, v, compute_full_loss=full),
                    log_input)
    assert scipy.special.gammaln(8.0) == pytest.approx(np.log(5040.0))


def test_nn_names_of_other_modules():
    assert tf.nn.uniform_candidate_sampler is tf.random.uniform_candidate_sampler
    assert tf.nn.log_uniform_candidate_sampler is tf.random.log_uniform_candidate_sampler
    assert tf.nn.crelu is not None and tf.nn.swish is not None


def _sampled_reference(weights, biases, labels, inputs, sampled, true_count, sampled_count,
                       remove_hits):
    true_logits = (inputs * weights[labels[:, 0]]).sum(1, keepdims=True) + biases[labels]
    sampled_logits = inputs @ weights[sampled].T + biases[sampled]
    if remove_hits:
        sampled_logits = np.where(sampled[None, :] == labels, -np.finfo(np.float32).max,
                                  sampled_logits)
    true_logits = true_logits - np.log(true_count)
    sampled_logits = sampled_logits - np.log(sampled_count)
    return np.concatenate([true_logits, sampled_logits], 1)


@pytest.mark.parametrize("loss_name", ["nce", "sampled_softmax"])
def test_sampled_losses_against_numpy(loss_name):
    weights, biases = rng.normal(size=(10, 4)), rng.normal(size=10)
    inputs = rng.normal(size=(3, 4))
    labels = np.array([[1], [4], [7]], np.int64)
    sampled = np.array([0, 4, 9], np.int64)
    true_count = np.full((3, 1), 0.3)
    sampled_count = np.array([0.5, 0.3, 0.2])
    def values():
        return tf.constant(sampled), tf.constant(true_count), tf.constant(sampled_count)
    remove = loss_name == "sampled_softmax"
    logits = _sampled_reference(weights, biases, labels, inputs, sampled, true_count,
                                sampled_count, remove)
    targets = np.concatenate([np.ones((3, 1)), np.zeros((3, 3))], 1)
    if loss_name == "nce":
        expected = (np.maximum(logits, 0) - logits * targets
                    + np.log1p(np.exp(-np.abs(logits)))).sum(1)
    else:
        expected = -(targets * (logits - scipy.special.logsumexp(logits, 1,
                                                                  keepdims=True))).sum(1)
    with tf.Graph().as_default():
        loss = (tf.nn.nce_loss if loss_name == "nce" else tf.nn.sampled_softmax_loss)(
            weights, biases, labels, inputs, 3, 10, sampled_values=values())
        np.testing.assert_allclose(_run(loss), expected, rtol=1e-9)
        # the samplers' expected counts are float32, as TF's: so are the weights here
        sampled_by_op = tf.nn.nce_loss(weights.astype(np.float32), biases.astype(np.float32),
                                       labels, inputs.astype(np.float32), 4, 10)
        assert _run(sampled_by_op).shape == (3,)
        hits = _run(list(tf.nn.compute_accidental_hits(labels, sampled, 1)))
        assert hits[0].tolist() == [1] and hits[1].tolist() == [1]
    check_gradients(lambda w, x: (tf.nn.nce_loss if loss_name == "nce"
                                  else tf.nn.sampled_softmax_loss)(
        w, biases, labels, x, 3, 10, sampled_values=values()), weights, inputs)
