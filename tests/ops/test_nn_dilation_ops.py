"""Grayscale dilation and erosion: values and gradients against goldens written by real
TensorFlow (tests/golden/make_nn_extra_goldens.py), float64 finite differences, static
shapes and TF's build-time errors."""
import pathlib

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.test import check_gradients

GOLDEN = np.load(pathlib.Path(__file__).parent.parent / "golden" / "nn_extra_goldens.npz")
CASES = [(padding, stride, rate) for padding in ["SAME", "VALID"]
         for stride, rate in [(1, 1), (2, 1), (1, 2)]]


@pytest.mark.parametrize("padding,stride,rate", CASES)
def test_dilation_and_erosion_match_tensorflow(padding, stride, rate):
    with tf.Graph().as_default(), tf.Session() as sess:
        x, k = tf.constant(GOLDEN["mx"]), tf.constant(GOLDEN["mk"])
        for kind, fn in (("dilation", tf.nn.dilation2d), ("erosion", tf.nn.erosion2d)):
            key = f"{kind}_{padding}_{stride}_{rate}"
            y = fn(x, k, [1, stride, stride, 1], [1, rate, rate, 1], padding)
            assert y.shape.as_list() == list(GOLDEN[key].shape)
            gx, gk = tf.gradients(y, [x, k], GOLDEN[key + "_dy"])
            for value, suffix in zip(sess.run([y, gx, gk]), ["", "_gx", "_gk"]):
                np.testing.assert_allclose(value, GOLDEN[key + suffix], rtol=1e-5, atol=1e-5)


def test_op_names_and_types():
    with tf.Graph().as_default():
        x, k = tf.zeros([1, 4, 4, 2]), tf.zeros([2, 2, 2])
        y = tf.nn.dilation2d(x, k, [1, 1, 1, 1], [1, 1, 1, 1], "SAME")
        e = tf.nn.erosion2d(x, k, [1, 1, 1, 1], [1, 1, 1, 1], "SAME")
        assert (y.op.type, y.op.name) == ("Dilation2D", "Dilation2D")
        assert e.op.name == "erosion2d" and e.op.inputs[0].op.name == "erosion2d/dilation2d"


@pytest.mark.parametrize("padding,stride,rate", CASES)
def test_gradients_finite_differences(padding, stride, rate):
    rng = np.random.default_rng(stride * 10 + rate)
    x = (rng.permutation(2 * 5 * 6 * 2) * 0.1).reshape(2, 5, 6, 2)
    k = (rng.permutation(2 * 3 * 2) * 0.037).reshape(2, 3, 2)
    for fn in (tf.nn.dilation2d, tf.nn.erosion2d):
        check_gradients(lambda a, b, f=fn: f(a, b, [1, stride, stride, 1], [1, rate, rate, 1],
                                             padding), x, k)


def test_backprops_have_no_gradient_and_errors():
    with tf.Graph().as_default():
        x, k = tf.ones([1, 4, 4, 2]), tf.ones([2, 2, 2])
        y = tf.nn.dilation2d(x, k, [1, 1, 1, 1], [1, 1, 1, 1], "VALID")
        gx = tf.gradients(y, x)[0]
        with pytest.raises(LookupError, match="Dilation2DBackpropInput"):
            tf.gradients(gx, x)
        with pytest.raises(ValueError, match="Dimensions must be equal, but are 2 and 3"):
            tf.nn.dilation2d(x, tf.ones([2, 2, 3]), [1, 1, 1, 1], [1, 1, 1, 1], "SAME")
        with pytest.raises(ValueError, match="Negative dimension size caused by subtracting 5"):
            tf.nn.dilation2d(x, k, [1, 1, 1, 1], [1, 4, 1, 1], "VALID")
        with pytest.raises(ValueError, match="Shape must be rank 3 but is rank 4"):
            tf.nn.dilation2d(x, tf.ones([2, 2, 2, 1]), [1, 1, 1, 1], [1, 1, 1, 1], "SAME")
        with pytest.raises(ValueError, match="requires the rates attribute to contain 4"):
            tf.nn.dilation2d(x, k, [1, 1, 1, 1], [1, 1], "SAME")
