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
