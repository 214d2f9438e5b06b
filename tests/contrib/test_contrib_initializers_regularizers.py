"""tf.contrib.layers initializers (TF 1.x contrib formulas) and regularizers (values, names,
scale checks, apply_regularization)."""
import math

import numpy as np
import pytest

import tfcompat as tf

TRUNC_VAR = 0.87962566103423978 ** 2  # variance of a unit normal truncated to [-2, 2]


@pytest.fixture(autouse=True)
def fresh_graph():
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(11)
        yield graph


def _sample(initializer, shape, dtype=tf.float32):
    value = initializer(shape, dtype=dtype)
    with tf.Session() as sess:
        return sess.run(value)


@pytest.mark.parametrize("mode", ["FAN_IN", "FAN_OUT", "FAN_AVG"])
@pytest.mark.parametrize("uniform", [False, True])
@pytest.mark.parametrize("shape", [(600, 300), (3, 3, 32, 64)])
def test_variance_scaling_formulas(mode, uniform, shape):
    factor = 2.0
    if len(shape) == 2:
        fan_in, fan_out = shape
    else:
        receptive = shape[0] * shape[1]
        fan_in, fan_out = shape[2] * receptive, shape[3] * receptive
    n = {"FAN_IN": fan_in, "FAN_OUT": fan_out, "FAN_AVG": (fan_in + fan_out) / 2}[mode]
    values = _sample(tf.contrib.layers.variance_scaling_initializer(factor, mode, uniform),
                     shape)
    if uniform:
        limit = math.sqrt(3 * factor / n)
        assert np.abs(values).max() <= limit and np.abs(values).max() > 0.98 * limit
        assert values.var() == pytest.approx(factor / n, rel=0.03)
    else:
        stddev = math.sqrt(1.3 * factor / n)  # the truncated normal's parameter
        assert np.abs(values).max() <= 2 * stddev * (1 + 1e-6)
        assert values.var() == pytest.approx(1.3 * factor / n * TRUNC_VAR, rel=0.03)


def test_contrib_and_core_defaults_differ():
    contrib = _sample(tf.contrib.layers.variance_scaling_initializer(), (1000, 400))
    core = _sample(tf.variance_scaling_initializer(), (1000, 400))
    assert contrib.var() == pytest.approx(2.6 * TRUNC_VAR / 1000, rel=0.03)  # ~2.01 / n
    assert core.var() == pytest.approx(1.0 / 1000, rel=0.03)


def test_xavier_initializer():
    values = _sample(tf.contrib.layers.xavier_initializer(), (200, 100))
    limit = math.sqrt(6.0 / 300)
    assert np.abs(values).max() <= limit and np.abs(values).max() > 0.98 * limit
    values = _sample(tf.contrib.layers.xavier_initializer(uniform=False), (400, 200))
    assert values.var() == pytest.approx(1.3 / 300 * TRUNC_VAR, rel=0.03)
    assert _sample(tf.contrib.layers.xavier_initializer(), (3,), tf.float64).dtype == np.float64


def test_initializer_errors():
    with pytest.raises(TypeError, match="Unknown mode fan_in"):
        tf.contrib.layers.variance_scaling_initializer(mode="fan_in")
    with pytest.raises(TypeError, match="non-floating point type"):
        tf.contrib.layers.variance_scaling_initializer(dtype=tf.int32)


# ---- regularizers -------------------------------------------------------------------------------
def test_l1_l2_values_and_names():
    w = tf.constant([[1.0, -2.0], [3.0, -4.0]])
    l1 = tf.contrib.layers.l1_regularizer(0.1)(w)
    l2 = tf.contrib.layers.l2_regularizer(0.1)(w)
    l1_l2 = tf.contrib.layers.l1_l2_regularizer(0.1, 0.2)(w)
    assert l1.op.name == "l1_regularizer" and l2.op.name == "l2_regularizer"
    assert l1_l2.op.name == "l1_l2_regularizer"
    with tf.Session() as sess:
        v1, v2, v12 = sess.run([l1, l2, l1_l2])
    assert v1 == pytest.approx(1.0) and v2 == pytest.approx(0.1 * 30 / 2)
    assert v12 == pytest.approx(1.0 + 0.2 * 15)
    assert tf.contrib.layers.l1_l2_regularizer(0.0, 0.1)(w).op.name.startswith(
        "l1_l2_regularizer")


def test_regularizer_scale_checks():
    assert tf.contrib.layers.l2_regularizer(0.0)(tf.constant(1.0)) is None
    assert tf.contrib.layers.l1_regularizer(0.0)(tf.constant(1.0)) is None
    with pytest.raises(ValueError, match="scale cannot be an integer: 1"):
        tf.contrib.layers.l1_regularizer(1)
    with pytest.raises(ValueError, match=r"Setting a scale less than 0 on a regularizer: -0.5."):
        tf.contrib.layers.l2_regularizer(-0.5)
    with pytest.raises(ValueError, match="scale_l2 cannot be an integer"):
        tf.contrib.layers.l1_l2_regularizer(0.1, 2)
    assert tf.contrib.layers.sum_regularizer([None, None]) is None
    both_disabled = tf.contrib.layers.sum_regularizer([tf.contrib.layers.l1_regularizer(0.0)])
    assert both_disabled(tf.constant(1.0)) is None


def test_regularizer_through_get_variable_and_apply_regularization():
    with tf.variable_scope("layer", regularizer=tf.contrib.layers.l1_regularizer(0.5)):
        w = tf.get_variable("w", [2], initializer=tf.constant_initializer(-2.0))
    (loss,) = tf.losses.get_regularization_losses()
    assert loss.name == "layer/w/Regularizer/l1_regularizer:0"
    v = tf.get_variable("v", [3], initializer=tf.ones_initializer())
    tf.add_to_collection(tf.GraphKeys.WEIGHTS, v)
    penalty = tf.contrib.layers.apply_regularization(tf.contrib.layers.l2_regularizer(1.0))
    assert penalty.op.name == "get_regularization_penalty"
    explicit = tf.contrib.layers.apply_regularization(tf.contrib.layers.l1_regularizer(1.0),
                                                      [w, v])
    assert tf.losses.get_regularization_losses() == [loss, penalty, explicit]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(loss) == pytest.approx(2.0)
        assert sess.run(penalty) == pytest.approx(1.5)
        assert sess.run(explicit) == pytest.approx(7.0)
        assert sess.run(tf.losses.get_regularization_loss()) == pytest.approx(10.5)
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="No weights to regularize."):
            tf.contrib.layers.apply_regularization(tf.contrib.layers.l1_regularizer(1.0))
    with pytest.raises(ValueError, match="regularizer must return a scalar Tensor"):
        tf.contrib.layers.apply_regularization(lambda t: t * 2.0, [v])


def test_namespace():
    for name in ["fully_connected", "batch_norm", "dropout", "flatten", "linear", "relu",
                 "variance_scaling_initializer", "xavier_initializer", "l1_regularizer",
                 "l2_regularizer", "l1_l2_regularizer", "sum_regularizer",
                 "apply_regularization", "arg_scope", "add_arg_scope"]:
        assert callable(getattr(tf.contrib.layers, name)), name
    with pytest.raises(AttributeError, match="tf.contrib.layers.conv3d"):
        tf.contrib.layers.conv3d  # noqa: B018
    with pytest.raises(AttributeError, match="tf.contrib.tensor_forest"):
        tf.contrib.tensor_forest  # noqa: B018
