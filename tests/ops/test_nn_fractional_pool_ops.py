"""Fractional max/avg pooling: pooling and gradients over TF's own boundary sequences
against goldens written by real TensorFlow (tests/golden/make_nn_extra_goldens.py), the
sequences tfcompat draws (TF's window sizes, deterministic seeds), float64 finite
differences and TF's errors."""
import pathlib

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.framework.op_def import make_tensor
from tfcompat.ops.nn_fractional_pool_ops import pool_windows, pooling_sequence
from tfcompat.test import check_gradients

GOLDEN = np.load(pathlib.Path(__file__).parent.parent / "golden" / "nn_extra_goldens.npz")
KEYS = [(kind, pseudo, overlapping) for kind in ("max", "avg")
        for pseudo, overlapping in ((0, 0), (1, 1), (0, 1))]


@pytest.mark.parametrize("kind,pseudo,overlapping", KEYS)
def test_pooling_and_gradients_over_tensorflow_sequences(kind, pseudo, overlapping):
    key = f"frac_{kind}_{pseudo}{overlapping}"
    x, rows, cols = GOLDEN["fx"], GOLDEN[key + "_rows"], GOLDEN[key + "_cols"]
    np.testing.assert_allclose(pool_windows(x, rows, cols, overlapping, kind), GOLDEN[key],
                               rtol=1e-6)
    with tf.Graph().as_default(), tf.Session() as sess:
        attrs = {"overlapping": bool(overlapping)}
        if kind == "max":
            grad = make_tensor("FractionalMaxPoolGrad", [
                tf.constant(x), tf.constant(GOLDEN[key]), tf.constant(GOLDEN[key + "_dy"]),
                tf.constant(rows), tf.constant(cols)], attrs)
        else:
            grad = make_tensor("FractionalAvgPoolGrad", [
                tf.constant(np.array(x.shape, np.int64)), tf.constant(GOLDEN[key + "_dy"]),
                tf.constant(rows), tf.constant(cols)], attrs)
        np.testing.assert_allclose(sess.run(grad), GOLDEN[key + "_g"], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("pseudo", [False, True])
def test_drawn_sequences_have_tensorflow_window_sizes(pseudo):
    rng = np.random.default_rng(0)
    for length, out in ((9, 5), (8, 5), (10, 5), (17, 6), (7, 6)):
        bounds = pooling_sequence(rng, length, out, pseudo)
        sizes = np.diff(bounds)
        assert bounds[0] == 0 and bounds[-1] == length and len(bounds) == out + 1
        assert set(sizes) <= {length // out, length // out + 1}


def test_op_outputs_and_determinism():
    x = GOLDEN["fx"]
    with tf.Graph().as_default():
        y, rows, cols = tf.nn.fractional_max_pool(x, [1.0, 1.6, 1.4, 1.0], deterministic=True,
                                                  seed=1, seed2=2)
        a, arows, acols = tf.nn.fractional_avg_pool(x, [1.0, 1.6, 1.4, 1.0], overlapping=True,
                                                    pseudo_random=True)
        assert y.op.type == "FractionalMaxPool" and y.shape.as_list() == [2, 5, 5, 3]
        assert rows.shape.as_list() == [6] and cols.dtype == tf.int64
        with tf.Session() as sess:
            first = sess.run([y, rows, cols])
            second = sess.run([y, rows, cols])
            avg = sess.run([a, arows, acols])
    for u, v in zip(first, second):
        np.testing.assert_array_equal(u, v)
    np.testing.assert_array_equal(first[0], pool_windows(x, first[1], first[2], False, "max"))
    np.testing.assert_allclose(avg[0], pool_windows(x, avg[1], avg[2], True, "avg"))


@pytest.mark.parametrize("overlapping", [False, True])
def test_gradients_finite_differences(overlapping):
    rng = np.random.default_rng(4)
    x = (rng.permutation(1 * 7 * 6 * 2) * 0.1).reshape(1, 7, 6, 2)
    for pool in (tf.nn.fractional_max_pool, tf.nn.fractional_avg_pool):
        check_gradients(lambda v, p=pool: p(v, [1.0, 1.7, 1.3, 1.0], overlapping=overlapping,
                                            deterministic=True, seed=3, seed2=4)[0], x)


def test_errors():
    with tf.Graph().as_default():
        x = tf.zeros([1, 4, 4, 1])
        with pytest.raises(ValueError, match="pooling_ratio cannot be applied to batch"):
            tf.nn.fractional_max_pool(x, [2.0, 1.5, 1.5, 1.0])
        with pytest.raises(TypeError, match="DataType bool not in list of allowed values"):
            tf.nn.fractional_avg_pool(tf.zeros([1, 4, 4, 1], tf.bool), [1.0, 1.5, 1.5, 1.0])
        seeded = tf.nn.fractional_max_pool(x, [1.0, 1.5, 1.5, 1.0], seed=3)[0]
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match="Both seed and seed2 should be 0 if deterministic is false"):
                sess.run(seeded)
