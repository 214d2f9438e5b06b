"""Learning-rate schedules: TF 1.15's formulas (float32 arithmetic like TF's graph) at many
steps, staircase, the step as a global-step variable of either integer dtype, float64
learning rates, names and TF's errors."""
import math

import numpy as np
import pytest

import tfcompat as tf

f32 = np.float32
STEPS = [0, 1, 2, 5, 9, 10, 11, 37, 100, 250]


def _schedule_values(build, steps=STEPS, step_dtype=tf.int32):
    """Evaluates build(global_step) with the global step set to each of ``steps``."""
    with tf.Graph().as_default():
        global_step = tf.Variable(0, trainable=False, name="global_step", dtype=step_dtype)
        lr = build(global_step)
        value = tf.placeholder(step_dtype, [])
        set_step = tf.assign(global_step, value)
        out = []
        with tf.Session() as sess:
            sess.run(global_step.initializer)
            for step in steps:
                sess.run(set_step, {value: step})
                out.append(sess.run(lr))
    return np.array(out), lr


def test_exponential_decay():
    values, lr = _schedule_values(lambda s: tf.train.exponential_decay(0.1, s, 10, 0.5))
    assert lr.op.name == "ExponentialDecay" and lr.dtype == tf.float32
    expected = [f32(0.1) * f32(0.5) ** (f32(s) / f32(10)) for s in STEPS]
    np.testing.assert_allclose(values, expected, rtol=1e-6)


def test_exponential_decay_staircase_and_book_values():
    values, _ = _schedule_values(
        lambda s: tf.train.exponential_decay(0.1, s, 10, 1 / 10, staircase=True, name="lr"))
    expected = [0.1 * 0.1 ** (s // 10) for s in STEPS]
    np.testing.assert_allclose(values, expected, rtol=1e-6)
    # The book: 0.1 divided by 10 every 10,000 steps.
    values, _ = _schedule_values(lambda s: tf.train.exponential_decay(0.1, s, 10000, 1 / 10),
                                 steps=[0, 5000, 10000, 20000])
    np.testing.assert_allclose(values, [0.1, 0.1 * 0.1 ** 0.5, 0.01, 0.001], rtol=1e-6)


def test_natural_exp_decay():
    values, _ = _schedule_values(
        lambda s: tf.train.natural_exp_decay(0.2, s, 5, 0.3))
    np.testing.assert_allclose(values, [0.2 * math.exp(-0.3 * s / 5) for s in STEPS],
                               rtol=2e-6)
    values, lr = _schedule_values(
        lambda s: tf.train.natural_exp_decay(0.2, s, 5, 0.3, staircase=True))
    np.testing.assert_allclose(values, [0.2 * math.exp(-0.3 * (s // 5)) for s in STEPS],
                               rtol=2e-6)
    assert lr.op.name == "ExponentialDecay"  # TF 1.15 builds it with ExponentialDecay


def test_inverse_time_decay():
    values, lr = _schedule_values(lambda s: tf.train.inverse_time_decay(0.1, s, 10, 0.5))
    assert lr.op.name == "InverseTimeDecay"
    np.testing.assert_allclose(values, [0.1 / (1 + 0.5 * s / 10) for s in STEPS], rtol=1e-6)
    values, _ = _schedule_values(
        lambda s: tf.train.inverse_time_decay(0.1, s, 10, 0.5, staircase=True))
    np.testing.assert_allclose(values, [0.1 / (1 + 0.5 * (s // 10)) for s in STEPS], rtol=1e-6)


@pytest.mark.parametrize("power", [1.0, 0.5, 2.0])
def test_polynomial_decay(power):
    values, lr = _schedule_values(
        lambda s: tf.train.polynomial_decay(0.1, s, 100, end_learning_rate=0.01, power=power))
    assert lr.op.name == "PolynomialDecay"
    expected = [(0.1 - 0.01) * (1 - min(s, 100) / 100) ** power + 0.01 for s in STEPS]
    np.testing.assert_allclose(values, expected, rtol=1e-6)


def test_polynomial_decay_cycle():
    values, _ = _schedule_values(
        lambda s: tf.train.polynomial_decay(0.1, s, 10, end_learning_rate=0.0, cycle=True))
    expected = []
    for s in STEPS:
        decay_steps = 10 * (1 if s == 0 else math.ceil(s / 10))
        expected.append(0.1 * (1 - s / decay_steps))
    np.testing.assert_allclose(values, expected, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("alpha", [0.0, 0.2])
def test_cosine_decay(alpha):
    values, _ = _schedule_values(lambda s: tf.train.cosine_decay(0.1, s, 100, alpha=alpha))
    expected = [0.1 * ((1 - alpha) * 0.5 * (1 + math.cos(math.pi * min(s, 100) / 100)) + alpha)
                for s in STEPS]
    np.testing.assert_allclose(values, expected, rtol=1e-5, atol=1e-8)


def test_piecewise_constant():
    values, _ = _schedule_values(
        lambda s: tf.train.piecewise_constant(s, [10, 100], [1.0, 0.5, 0.1]))
    expected = [1.0 if s <= 10 else 0.5 if s <= 100 else 0.1 for s in STEPS]
    np.testing.assert_array_equal(values, np.float32(expected))
    assert tf.train.piecewise_constant_decay is tf.train.piecewise_constant


def test_piecewise_constant_int64_step_and_errors():
    values, _ = _schedule_values(
        lambda s: tf.train.piecewise_constant(s, [5], [0.1, 0.01]), step_dtype=tf.int64)
    np.testing.assert_allclose(values, [0.1 if s <= 5 else 0.01 for s in STEPS], rtol=1e-7)
    with tf.Graph().as_default():
        step = tf.Variable(0, name="global_step")
        with pytest.raises(ValueError, match="The length of boundaries should be 1 less"):
            tf.train.piecewise_constant(step, [1, 2], [0.1, 0.2])
        with pytest.raises(ValueError, match="Values must have elements all with the same "
                                             "dtype"):
            tf.train.piecewise_constant(step, [1], [0.1, 2])
        with pytest.raises(ValueError, match=r"Boundaries \(<dtype: 'float32'>\) must have the "
                                             r"same dtype as x \(<dtype: 'int32'>\)"):
            tf.train.piecewise_constant(step, [1.5], [0.1, 0.2])


def test_int64_global_step_and_float64_learning_rate():
    values, lr = _schedule_values(
        lambda s: tf.train.exponential_decay(tf.constant(0.1, tf.float64), s, 3, 0.25),
        step_dtype=tf.int64)
    assert lr.dtype == tf.float64
    np.testing.assert_allclose(values, [0.1 * 0.25 ** (s / 3) for s in STEPS], rtol=1e-12)
    values, lr = _schedule_values(
        lambda s: tf.train.cosine_decay(np.float64(0.1), s, 50))
    assert lr.dtype == tf.float64


def test_schedule_with_get_or_create_global_step_drives_training():
    with tf.Graph().as_default():
        step = tf.train.get_or_create_global_step()
        lr = tf.train.inverse_time_decay(1.0, step, 1, 1.0)
        w = tf.Variable(0.0)
        train_op = tf.train.GradientDescentOptimizer(lr).minimize(-w, global_step=step)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(4):
                sess.run(train_op)
            # w += 1/(1+t) for t = 0..3
            np.testing.assert_allclose(sess.run(w), 1 + 1 / 2 + 1 / 3 + 1 / 4, rtol=1e-6)
            assert sess.run(step) == 4


def test_global_step_required():
    with tf.Graph().as_default():
        for fn in (tf.train.exponential_decay, tf.train.natural_exp_decay,
                   tf.train.inverse_time_decay):
            with pytest.raises(ValueError, match="global_step is required"):
                fn(0.1, None, 10, 0.5)
        with pytest.raises(ValueError, match="global_step is required for polynomial_decay"):
            tf.train.polynomial_decay(0.1, None, 10)
        with pytest.raises(ValueError, match="global_step is required for cosine_decay"):
            tf.train.cosine_decay(0.1, None, 10)
