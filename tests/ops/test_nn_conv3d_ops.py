"""3-D convolution and pooling: values and gradients against goldens written by real
TensorFlow (tests/golden/make_nn_extra_goldens.py), float64 finite-difference checks (second
order included), NCDHW against NDHWC, static shapes, op names and TF's build-time errors."""
import pathlib

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.test import check_gradients

GOLDEN = np.load(pathlib.Path(__file__).parent.parent / "golden" / "nn_extra_goldens.npz")
rng = np.random.default_rng(5)


def _distinct(*shape):
    """Values with gaps far wider than the finite-difference step (no max-pool ties)."""
    return (rng.permutation(int(np.prod(shape))) * 0.1 - 1.0).reshape(shape)


@pytest.mark.parametrize("padding", ["SAME", "VALID"])
@pytest.mark.parametrize("stride", [1, 2])
def test_conv3d_and_pools_match_tensorflow(padding, stride):
    with tf.Graph().as_default(), tf.Session() as sess:
        x, w = tf.constant(GOLDEN["x3"]), tf.constant(GOLDEN["w3"])
        key = f"conv3d_{padding}_{stride}"
        y = tf.nn.conv3d(x, w, [1, stride, stride, 1, 1], padding)
        assert y.op.type == "Conv3D" and y.op.name == "Conv3D"
        assert y.shape.as_list() == list(GOLDEN[key].shape)
        gx, gw = tf.gradients(y, [x, w], GOLDEN[key + "_dy"])
        for value, suffix in zip(sess.run([y, gx, gw]), ["", "_gx", "_gw"]):
            np.testing.assert_allclose(value, GOLDEN[key + suffix], rtol=1e-4, atol=1e-4)
        for kind, pool in (("max", tf.nn.max_pool3d), ("avg", tf.nn.avg_pool3d)):
            name = f"{kind}3d_{padding}_{stride}"
            out = pool(x, [1, 2, 3, 2, 1], [1, stride, stride, 1, 1], padding)
            assert out.shape.as_list() == list(GOLDEN[name].shape)
            grad = tf.gradients(out, x, GOLDEN[name + "_dy"])[0]
            value, grad_value = sess.run([out, grad])
            np.testing.assert_allclose(value, GOLDEN[name], rtol=1e-6, atol=1e-6)
            np.testing.assert_allclose(grad_value, GOLDEN[name + "_g"], rtol=1e-5, atol=1e-6)


def test_conv3d_transpose_matches_tensorflow():
    with tf.Graph().as_default(), tf.Session() as sess:
        value = tf.constant(GOLDEN["x3"][:, :3, :3, :3, :])
        out = tf.nn.conv3d_transpose(value, GOLDEN["t3w"], [2, 6, 6, 3, 4], [1, 2, 2, 1, 1],
                                     "SAME")
        assert out.op.type == "Conv3DBackpropInputV2"
        assert out.shape.as_list() == [2, 6, 6, 3, 4]
        np.testing.assert_allclose(sess.run(out), GOLDEN["transpose3d"], rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("padding,stride,dilation", [("SAME", 1, 1), ("VALID", 2, 1),
                                                     ("SAME", 1, 2)])
def test_conv3d_gradients_second_order(padding, stride, dilation):
    x, w = rng.normal(size=(1, 4, 3, 4, 2)), rng.normal(size=(2, 2, 3, 2, 2))
    strides, dilations = [1, stride, 1, stride, 1], [1, dilation, 1, 1, 1]
    check_gradients(lambda a, b: tf.nn.conv3d(a, b, strides, padding, dilations=dilations),
                    x, w)

    def grad_of_grad(a, b):
        y = tf.nn.conv3d(a, b, strides, padding, dilations=dilations)
        gx, gw = tf.gradients(tf.reduce_sum(tf.square(y)), [a, b])
        return tf.reduce_sum(tf.sin(gx)) + tf.reduce_sum(tf.cos(gw))
    check_gradients(grad_of_grad, x, w)


def test_conv3d_backprop_filter_and_transpose_gradients():
    x, dy = rng.normal(size=(1, 3, 4, 3, 2)), rng.normal(size=(1, 2, 4, 3, 3))
    for fn in (tf.nn.conv3d_backprop_filter, tf.nn.conv3d_backprop_filter_v2):
        check_gradients(lambda a, b, f=fn: f(a, [2, 1, 1, 2, 3], b, [1, 2, 1, 1, 1], "SAME"),
                        x, dy)
    kernel, value = rng.normal(size=(2, 2, 2, 2, 3)), rng.normal(size=(1, 2, 2, 2, 3))
    check_gradients(lambda k, v: tf.nn.conv3d_transpose(v, k, [1, 4, 3, 2, 2],
                                                        [1, 2, 2, 1, 1], "SAME"), kernel, value)


@pytest.mark.parametrize("padding", ["SAME", "VALID"])
def test_pool3d_gradients_second_order(padding):
    x = _distinct(1, 4, 5, 3, 2)
    for pool in (tf.nn.max_pool3d, tf.nn.avg_pool3d):
        check_gradients(lambda a, p=pool: p(a, [1, 2, 2, 2, 1], [1, 2, 1, 2, 1], padding), x)

        def second(a, p=pool):
            y = p(a, [1, 2, 2, 2, 1], [1, 2, 1, 2, 1], padding)
            g = tf.gradients(tf.reduce_sum(tf.square(y)), a)[0]
            return tf.gradients(tf.reduce_sum(tf.sin(g) * a), a)[0] * a
        check_gradients(second, x)


def test_ncdhw_matches_ndhwc():
    x, w = rng.normal(size=(2, 4, 5, 3, 2)), rng.normal(size=(2, 3, 2, 2, 3))
    first = np.ascontiguousarray(np.transpose(x, (0, 4, 1, 2, 3)))
    with tf.Graph().as_default(), tf.Session() as sess:
        pairs = [(tf.nn.conv3d(x, w, [1, 1, 2, 1, 1], "SAME"),
                  tf.nn.conv3d(first, w, [1, 1, 1, 2, 1], "SAME", data_format="NCDHW")),
                 (tf.nn.max_pool3d(x, [1, 2, 2, 2, 1], [1, 1, 2, 2, 1], "VALID"),
                  tf.nn.max_pool3d(first, [1, 1, 2, 2, 2], [1, 1, 1, 2, 2], "VALID",
                                   data_format="NCDHW")),
                 (tf.nn.avg_pool3d(x, [1, 2, 2, 2, 1], [1, 1, 2, 2, 1], "SAME"),
                  tf.nn.avg_pool3d(first, [1, 1, 2, 2, 2], [1, 1, 1, 2, 2], "SAME",
                                   data_format="NCDHW"))]
        for last, channels_first in pairs:
            assert channels_first.shape.as_list() == [
                last.shape[0].value, last.shape[4].value] + last.shape.as_list()[1:4]
            a, b = sess.run([last, channels_first])
            np.testing.assert_allclose(np.transpose(a, (0, 4, 1, 2, 3)), b, atol=1e-12)
    check_gradients(lambda a, b: tf.nn.conv3d(a, b, [1, 1, 1, 1, 1], "SAME",
                                              data_format="NCDHW"), first, w)


def test_build_time_errors():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [1, 4, 4, 4, 2])
        with pytest.raises(ValueError, match="Shape must be rank 5 but is rank 4"):
            tf.nn.conv3d(tf.zeros([1, 4, 4, 2]), tf.zeros([1, 1, 1, 2, 1]), [1] * 5, "SAME")
        with pytest.raises(ValueError, match="Dimensions must be equal, but are 2 and 3"):
            tf.nn.conv3d(x, tf.zeros([1, 1, 1, 3, 1]), [1] * 5, "SAME")
        with pytest.raises(ValueError, match="Negative dimension size caused by subtracting 5 "
                                             "from 4"):
            tf.nn.max_pool3d(x, [1, 5, 1, 1, 1], [1] * 5, "VALID")
        with pytest.raises(ValueError, match="does not yet support strides in the batch"):
            tf.nn.conv3d(x, tf.zeros([1, 1, 1, 2, 1]), [2, 1, 1, 1, 1], "SAME")
        with pytest.raises(ValueError, match="Attr 'padding' of 'AvgPool3D' Op passed string "
                                             "'FULL'"):
            tf.nn.avg_pool3d(x, [1, 2, 2, 2, 1], [1] * 5, "FULL")
        with pytest.raises(TypeError, match="DataType int32 not in list of allowed values"):
            tf.nn.max_pool3d(tf.zeros([1, 2, 2, 2, 1], tf.int32), [1] * 5, [1] * 5, "SAME")
        with pytest.raises(ValueError, match="input channels does not match"):
            tf.nn.conv3d_transpose(x, tf.zeros([1, 1, 1, 2, 3]), [1, 4, 4, 4, 2], [1] * 5)
