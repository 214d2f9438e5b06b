"""Initializers (framework/init_ops.py, tf.initializers, tf.keras.initializers): TF 1.x's
variance-scaling formulas per mode and distribution, Glorot/He/LeCun factories, orthogonal
and identity matrices, errors and seeding."""
import math

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.ops import init_ops

TRUNC = 0.87962566103423978  # stddev of a unit normal truncated to [-2, 2]


def _sample(initializer, shape, dtype=tf.float32, seed=7):
    graph = tf.Graph()
    with graph.as_default():
        if seed is not None:
            tf.set_random_seed(seed)
        value = initializer(shape, dtype=dtype)
        with tf.Session(graph=graph) as sess:
            return sess.run(value)


def _fans(shape):
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = int(np.prod(shape[:-2]))
    return shape[-2] * receptive, shape[-1] * receptive


@pytest.mark.parametrize("mode", ["fan_in", "fan_out", "fan_avg"])
@pytest.mark.parametrize("shape", [(400, 250), (3, 3, 64, 48)])
def test_variance_scaling_truncated_normal(mode, shape):
    fan_in, fan_out = _fans(shape)
    n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[mode]
    values = _sample(tf.variance_scaling_initializer(scale=2.0, mode=mode), shape)
    stddev = math.sqrt(2.0 / n) / TRUNC  # the parameter of the truncated normal
    assert values.shape == shape and values.dtype == np.float32
    assert np.abs(values).max() <= 2 * stddev * (1 + 1e-6)
    # the truncation divisor makes the actual variance scale / n
    assert values.var() == pytest.approx(2.0 / n, rel=0.03)
    assert abs(values.mean()) < 0.01 * math.sqrt(2.0 / n) * 10


def test_variance_scaling_defaults_are_tf1():
    init = tf.variance_scaling_initializer()
    assert (init.scale, init.mode, init.distribution) == (1.0, "fan_in", "truncated_normal")
    values = _sample(init, (500, 300))
    assert values.var() == pytest.approx(1.0 / 500, rel=0.03)


def test_variance_scaling_uniform_and_untruncated():
    values = _sample(tf.variance_scaling_initializer(3.0, "fan_avg", "uniform"), (300, 100))
    limit = math.sqrt(3 * 3.0 / 200)
    assert np.abs(values).max() <= limit and np.abs(values).max() > 0.98 * limit
    assert values.var() == pytest.approx(3.0 / 200, rel=0.03)
    values = _sample(tf.variance_scaling_initializer(1.0, "fan_in", "untruncated_normal"),
                     (400, 300))
    assert values.var() == pytest.approx(1.0 / 400, rel=0.03)
    assert np.abs(values).max() > 2.5 * math.sqrt(1.0 / 400)  # not truncated
    # "normal" is TF 1.x's alias of the truncated normal
    values = _sample(tf.variance_scaling_initializer(1.0, "fan_in", "normal"), (400, 300))
    assert np.abs(values).max() <= 2 * math.sqrt(1 / 400) / TRUNC * (1 + 1e-6)


def test_variance_scaling_errors():
    with pytest.raises(ValueError, match="`scale` must be positive float"):
        tf.variance_scaling_initializer(scale=0.0)
    with pytest.raises(ValueError, match="Invalid `mode` argument: FAN_IN"):
        tf.variance_scaling_initializer(mode="FAN_IN")
    with pytest.raises(ValueError, match="Invalid `distribution` argument"):
        tf.variance_scaling_initializer(distribution="gaussian")
    with pytest.raises(TypeError, match="non-floating point type: int32"):
        _sample(tf.variance_scaling_initializer(), (3, 3), dtype=tf.int32)


def test_glorot_uniform_bounds_and_normal_variance():
    values = _sample(tf.glorot_uniform_initializer(), (200, 300))
    limit = math.sqrt(6.0 / 500)
    assert np.abs(values).max() <= limit and np.abs(values).max() > 0.98 * limit
    assert values.var() == pytest.approx(2.0 / 500, rel=0.03)
    values = _sample(tf.glorot_normal_initializer(), (400, 600))
    assert values.var() == pytest.approx(2.0 / 1000, rel=0.03)
    assert isinstance(tf.glorot_uniform_initializer(), init_ops.VarianceScaling)


@pytest.mark.parametrize("factory,scale,uniform", [
    (init_ops.he_normal, 2.0, False), (init_ops.he_uniform, 2.0, True),
    (init_ops.lecun_normal, 1.0, False), (init_ops.lecun_uniform, 1.0, True)])
def test_he_and_lecun_variance_over_a_large_layer(factory, scale, uniform):
    values = _sample(factory(), (1000, 500))
    assert values.var() == pytest.approx(scale / 1000, rel=0.02)
    bound = math.sqrt(3 * scale / 1000) if uniform else 2 * math.sqrt(scale / 1000) / TRUNC
    assert np.abs(values).max() <= bound * (1 + 1e-6)


def test_orthogonal():
    for shape in [(6, 4), (4, 6), (3, 3, 4, 8)]:
        q = _sample(tf.initializers.orthogonal(gain=2.0), shape).reshape(-1, shape[-1])
        if q.shape[0] >= q.shape[1]:
            np.testing.assert_allclose(q.T @ q, 4 * np.eye(q.shape[1]), atol=1e-5)
        else:
            np.testing.assert_allclose(q @ q.T, 4 * np.eye(q.shape[0]), atol=1e-5)
    with pytest.raises(ValueError, match="at least two-dimensional"):
        _sample(init_ops.Orthogonal(), (5,))
    graph = tf.Graph()
    with graph.as_default():
        op = init_ops.Orthogonal()((5, 3))
        assert any(o.type == "Qr" for o in graph.get_operations())
        assert op.shape.as_list() == [5, 3]


def test_identity_and_constants():
    np.testing.assert_array_equal(_sample(tf.initializers.identity(gain=3.0), (2, 3)),
                                  3 * np.eye(2, 3))
    with pytest.raises(ValueError, match="only be used for 2D matrices"):
        _sample(init_ops.Identity(), (2, 2, 2))
    np.testing.assert_array_equal(_sample(tf.zeros_initializer(), (2, 2)), np.zeros((2, 2)))
    np.testing.assert_array_equal(_sample(tf.ones_initializer(), (3,)), np.ones(3))
    np.testing.assert_array_equal(_sample(tf.constant_initializer([1, 2, 3, 4]), (2, 2)),
                                  [[1, 2], [3, 4]])
    np.testing.assert_array_equal(_sample(tf.constant_initializer(0.5), (2,), tf.float64),
                                  [0.5, 0.5])


def test_random_initializers_and_uniform_unit_scaling():
    values = _sample(tf.random_uniform_initializer(-0.3, 0.3), (100, 100))
    assert values.min() >= -0.3 and values.max() < 0.3
    values = _sample(tf.truncated_normal_initializer(1.0, 0.5), (100, 100))
    assert values.min() >= 0.0 and values.max() <= 2.0
    values = _sample(tf.random_normal_initializer(0.0, 2.0), (200, 200))
    assert values.std() == pytest.approx(2.0, rel=0.03)
    values = _sample(tf.initializers.uniform_unit_scaling(1.5), (300, 20))
    assert np.abs(values).max() <= math.sqrt(3 / 300) * 1.5


def test_seeded_initializers_repeat():
    a = _sample(tf.initializers.he_normal(seed=3), (20, 10), seed=1)
    b = _sample(tf.initializers.he_normal(seed=3), (20, 10), seed=1)
    c = _sample(tf.initializers.he_normal(seed=4), (20, 10), seed=1)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_namespaces():
    for name in ["zeros", "ones", "constant", "random_normal", "random_uniform",
                 "truncated_normal", "variance_scaling", "glorot_uniform", "glorot_normal",
                 "he_normal", "he_uniform", "lecun_normal", "lecun_uniform", "orthogonal",
                 "identity", "uniform_unit_scaling", "global_variables", "local_variables",
                 "variables"]:
        assert callable(getattr(tf.initializers, name)), name
    keras = tf.keras.initializers
    assert keras.RandomNormal().stddev == 0.05 and keras.RandomUniform().minval == -0.05
    he = keras.get("he_normal")
    assert (he.scale, he.mode, he.distribution) == (2.0, "fan_in", "truncated_normal")
    assert isinstance(keras.get("glorot_uniform"), init_ops.GlorotUniform)
    config = keras.serialize(keras.VarianceScaling(2.0, "fan_out"))
    assert keras.deserialize(config).mode == "fan_out"
    with pytest.raises(ValueError, match="Unknown initializer: nope"):
        keras.get("nope")


def test_initializer_ops_of_the_tf_initializers_namespace():
    graph = tf.Graph()
    with graph.as_default():
        v = tf.Variable(3.0, name="v")
        init = tf.initializers.global_variables()
        with tf.Session(graph=graph) as sess:
            sess.run(init)
            assert sess.run(v) == 3.0
        assert tf.initializers.variables([v]).type == "NoOp"
