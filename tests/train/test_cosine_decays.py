"""tf.train.cosine_decay_restarts, linear_cosine_decay and noisy_linear_cosine_decay: values
at a range of steps against TensorFlow's (tests/golden/train_goldens.npz), TF's op names, the
noisy schedule's spread around the noiseless one, and the missing-step error."""
import os

import numpy as np
import pytest

import tfcompat as tf

GOLDENS = np.load(os.path.join(os.path.dirname(__file__), "..", "golden", "train_goldens.npz"))


def _values(build, steps):
    with tf.Graph().as_default():
        step = tf.placeholder(tf.int64, [])
        lr = build(step)
        with tf.Session() as sess:
            return np.array([sess.run(lr, {step: s}) for s in steps]), lr


@pytest.mark.parametrize("key,build,op_name", [
    ("restarts", lambda s: tf.train.cosine_decay_restarts(0.1, s, 10, t_mul=2.0, m_mul=0.8,
                                                          alpha=0.05), "SGDRDecay"),
    ("restarts_default", lambda s: tf.train.cosine_decay_restarts(0.2, s, 7), "SGDRDecay"),
    ("linear_cosine", lambda s: tf.train.linear_cosine_decay(0.1, s, 40, num_periods=1.5,
                                                             alpha=0.1, beta=0.01),
     "LinearCosineDecay"),
])
def test_schedules_match_tensorflow(key, build, op_name):
    got, lr = _values(build, GOLDENS["decay_steps"])
    np.testing.assert_allclose(got, GOLDENS[key], rtol=2e-6, atol=1e-8)
    assert lr.op.name == op_name and lr.dtype == tf.float32


def test_restarts_with_t_mul_one_restarts_every_period():
    steps = np.arange(0, 30)
    got, _ = _values(lambda s: tf.train.cosine_decay_restarts(
        tf.constant(1.0, tf.float64), s, 10, t_mul=1.0, m_mul=0.5), steps)
    fraction = (steps % 10) / 10.0
    expected = 0.5 ** (steps // 10) * 0.5 * (1 + np.cos(np.pi * fraction))
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_noisy_linear_cosine_decay_spreads_around_the_linear_cosine_schedule():
    with tf.Graph().as_default():
        step = tf.placeholder(tf.int64, [])
        noisy = tf.train.noisy_linear_cosine_decay(tf.constant(1.0, tf.float64), step, 100,
                                                   initial_variance=0.5, variance_decay=0.6)
        plain = tf.train.linear_cosine_decay(tf.constant(1.0, tf.float64), step, 100)
        assert noisy.op.name == "NoisyLinearCosineDecay"
        with tf.Session() as sess:
            draws = np.array([sess.run(noisy, {step: 20}) for _ in range(400)])
            center = sess.run(plain, {step: 20})
            at_end = sess.run(noisy, {step: 100})
    cosine = 0.5 * (1 + np.cos(np.pi * 20 / 100))
    # (linear + noise) * cosine + beta: the noise has std sqrt(0.5 / 21^0.6) before scaling
    expected_std = np.sqrt(0.5 / 21 ** 0.6) * cosine
    assert abs(draws.mean() - center) < 4 * expected_std / np.sqrt(draws.size)
    assert 0.85 * expected_std < draws.std() < 1.15 * expected_std
    assert at_end == pytest.approx(0.001)  # cos(pi) = -1 cancels the noise: beta remains


def test_the_step_is_required():
    with pytest.raises(ValueError, match="global_step is required for linear_cosine_decay"):
        tf.train.linear_cosine_decay(0.1, None, 10)
    with pytest.raises(ValueError, match="global_step is required for cosine_decay_restarts"):
        tf.train.cosine_decay_restarts(0.1, None, 10)
