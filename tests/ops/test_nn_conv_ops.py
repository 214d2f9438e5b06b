"""Convolution and pooling ops: values and gradients against goldens written by real
TensorFlow (tests/golden/make_conv_goldens.py), float64 finite-difference gradient checks
over strides, dilations, SAME/VALID on odd sizes and both data formats (second order
included), static shapes against TF's formulas, op names and TF's build-time errors."""
import math
import pathlib

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.test import check_gradients

GOLDEN = np.load(pathlib.Path(__file__).parent.parent / "golden" / "conv_goldens.npz")
rng = np.random.default_rng(3)


def _nchw(x):
    return np.ascontiguousarray(np.transpose(x, (0, 3, 1, 2)))


def _distinct(*shape):
    """Values with gaps far wider than the finite-difference step (no max-pool ties)."""
    return (rng.permutation(int(np.prod(shape))) * 0.1 - 1.0).reshape(shape)


@pytest.mark.parametrize("padding", ["SAME", "VALID"])
@pytest.mark.parametrize("stride,dilation", [(1, 1), (2, 1), (1, 2), (3, 1)])
def test_conv2d_and_pools_match_tensorflow(padding, stride, dilation):
    x, w = GOLDEN["x"], GOLDEN["w"]
    key = f"conv_{padding}_{stride}_{dilation}"
    with tf.Graph().as_default(), tf.Session() as sess:
        xc, wc = tf.constant(x), tf.constant(w)
        y = tf.nn.conv2d(xc, wc, [1, stride, stride, 1], padding,
                         dilations=[1, dilation, dilation, 1])
        gx, gw = tf.gradients(y, [xc, wc], GOLDEN[key + "_dy"])
        assert y.shape.as_list() == list(GOLDEN[key].shape)
        values = sess.run([y, gx, gw])
        for value, suffix in zip(values, ["", "_gx", "_gw"]):
            np.testing.assert_allclose(value, GOLDEN[key + suffix], rtol=1e-5, atol=1e-5)
        for kind, pool in (("max", tf.nn.max_pool), ("avg", tf.nn.avg_pool)):
            name = f"{kind}_{padding}_{stride}"
            out = pool(xc, [1, 3, 2, 1], [1, stride, stride, 1], padding)
            grad = tf.gradients(out, xc, GOLDEN[name + "_dy"])[0]
            assert out.shape.as_list() == list(GOLDEN[name].shape)
            value, grad_value = sess.run([out, grad])
            np.testing.assert_allclose(value, GOLDEN[name], rtol=1e-6, atol=1e-6)
            np.testing.assert_allclose(grad_value, GOLDEN[name + "_g"], rtol=1e-5, atol=1e-6)


def test_lrn_argmax_depthwise_and_transpose_match_tensorflow():
    x = GOLDEN["x"]
    with tf.Graph().as_default(), tf.Session() as sess:
        xc = tf.constant(x)
        y = tf.nn.lrn(xc, 2, 0.5, 0.3, 0.7)
        value, grad = sess.run([y, tf.gradients(y, xc, GOLDEN["lrn_dy"])[0]])
        np.testing.assert_allclose(value, GOLDEN["lrn"], rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(grad, GOLDEN["lrn_g"], rtol=1e-5, atol=1e-6)
        pooled, argmax = tf.nn.max_pool_with_argmax(xc, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
        assert argmax.dtype == tf.int64 and pooled.op.type == "MaxPoolWithArgmax"
        pooled_value, argmax_value = sess.run([pooled, argmax])
        np.testing.assert_array_equal(pooled_value, GOLDEN["argmax_out"])
        np.testing.assert_array_equal(argmax_value, GOLDEN["argmax"])
        depthwise = tf.nn.depthwise_conv2d(xc, GOLDEN["dw"], [1, 2, 2, 1], "SAME")
        assert depthwise.shape.as_list() == [2, 4, 3, 6]
        np.testing.assert_allclose(sess.run(depthwise), GOLDEN["depthwise"], rtol=1e-5,
                                   atol=1e-5)
        transposed = tf.nn.conv2d_transpose(tf.constant(x[:, :4, :3, :]), GOLDEN["tw"],
                                            [2, 8, 6, 5], [1, 2, 2, 1], "SAME")
        assert transposed.op.type == "Conv2DBackpropInput"
        assert transposed.shape.as_list() == [2, 8, 6, 5]
        np.testing.assert_allclose(sess.run(transposed), GOLDEN["transpose"], rtol=1e-5,
                                   atol=1e-5)


CONV_CASES = [  # (input NHWC shape, filter shape, stride, dilation, padding)
    ((1, 5, 4, 2), (3, 2, 2, 3), 1, 1, "SAME"),
    ((2, 5, 6, 2), (3, 3, 2, 2), 2, 1, "SAME"),
    ((1, 6, 5, 2), (2, 3, 2, 2), 2, 1, "VALID"),
    ((1, 7, 5, 1), (3, 2, 1, 2), 1, 2, "SAME"),
    ((1, 7, 6, 2), (2, 2, 2, 1), 1, 2, "VALID"),
    ((1, 7, 7, 1), (3, 3, 1, 2), 3, 1, "SAME"),
]


@pytest.mark.parametrize("data_format", ["NHWC", "NCHW"])
@pytest.mark.parametrize("shape,kernel_shape,stride,dilation,padding", CONV_CASES)
def test_conv2d_gradients_by_finite_differences(shape, kernel_shape, stride, dilation,
                                                padding, data_format):
    x, w = rng.normal(size=shape), rng.normal(size=kernel_shape)
    if data_format == "NCHW":
        x = _nchw(x)
        strides, dilations = [1, 1, stride, stride], [1, 1, dilation, dilation]
    else:
        strides, dilations = [1, stride, stride, 1], [1, dilation, dilation, 1]
    check_gradients(lambda a, b: tf.nn.conv2d(a, b, strides, padding, data_format=data_format,
                                              dilations=dilations), x, w)


@pytest.mark.parametrize("shape,kernel_shape,stride,dilation,padding", CONV_CASES[:4])
def test_conv2d_backprops_have_gradients(shape, kernel_shape, stride, dilation, padding):
    strides, dilations = [1, stride, stride, 1], [1, dilation, dilation, 1]
    with tf.Graph().as_default():
        out_shape = tf.nn.conv2d(tf.zeros(shape), tf.zeros(kernel_shape), strides, padding,
                                 dilations=dilations).shape.as_list()
    x, w, dy = (rng.normal(size=s) for s in (shape, kernel_shape, out_shape))
    check_gradients(lambda b, d: tf.nn.conv2d_backprop_input(
        shape, b, d, strides, padding, dilations=dilations), w, dy)
    check_gradients(lambda a, d: tf.nn.conv2d_backprop_filter(
        a, kernel_shape, d, strides, padding, dilations=dilations), x, dy)
    # Second order through Conv2D's own gradient.
    check_gradients(lambda a, b: tf.gradients(tf.reduce_sum(tf.square(tf.nn.conv2d(
        a, b, strides, padding, dilations=dilations))), a)[0], x, w)


def test_nchw_matches_nhwc():
    x, w = rng.normal(size=(2, 6, 5, 3)).astype(np.float32), rng.normal(size=(3, 3, 3, 4))
    with tf.Graph().as_default(), tf.Session() as sess:
        w = w.astype(np.float32)
        nhwc = [tf.nn.conv2d(x, w, [1, 2, 1, 1], "SAME"), tf.nn.bias_add(x, [1., 2., 3.]),
                tf.nn.max_pool(x, [1, 3, 2, 1], [1, 2, 2, 1], "SAME"),
                tf.nn.avg_pool(x, [1, 2, 3, 1], [1, 1, 2, 1], "VALID")]
        xt = _nchw(x)
        nchw = [tf.nn.conv2d(xt, w, [1, 1, 2, 1], "SAME", data_format="NCHW"),
                tf.nn.bias_add(xt, [1., 2., 3.], data_format="NCHW"),
                tf.nn.max_pool(xt, [1, 1, 3, 2], [1, 1, 2, 2], "SAME", data_format="NCHW"),
                tf.nn.avg_pool(xt, [1, 1, 2, 3], [1, 1, 1, 2], "VALID", data_format="NCHW")]
        for a, b in zip(sess.run(nhwc), sess.run(nchw)):
            np.testing.assert_allclose(_nchw(a), b, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("data_format", ["NHWC", "NCHW"])
@pytest.mark.parametrize("padding,ksize,stride", [("SAME", 3, 2), ("VALID", 2, 2),
                                                  ("SAME", 2, 1), ("VALID", 3, 1)])
def test_pool_gradients_by_finite_differences(padding, ksize, stride, data_format):
    x = _distinct(1, 5, 5, 2)
    if data_format == "NCHW":
        x = _nchw(x)
        ksizes, strides = [1, 1, ksize, ksize], [1, 1, stride, stride]
    else:
        ksizes, strides = [1, ksize, ksize, 1], [1, stride, stride, 1]
    for pool in (tf.nn.max_pool, tf.nn.avg_pool):
        check_gradients(lambda a, pool=pool: pool(a, ksizes, strides, padding,
                                                  data_format=data_format), x)


def test_pool_grad_ops_have_gradients():
    x = _distinct(1, 5, 4, 2)
    args = ([1, 3, 2, 1], [1, 2, 2, 1], "SAME")
    with tf.Graph().as_default():
        out_shape = tf.nn.max_pool(tf.zeros(x.shape), *args).shape.as_list()
    dy = rng.normal(size=out_shape)
    check_gradients(lambda d: _max_pool_grad(x, d, args), dy)
    check_gradients(lambda d: _avg_pool_grad(x.shape, d, args), dy)


def _max_pool_grad(x, dy, args):
    xc = tf.constant(x)
    grad = tf.gradients(tf.nn.max_pool(xc, *args), xc, dy)[0]
    assert grad.op.type == "MaxPoolGrad"
    return grad


def _avg_pool_grad(shape, dy, args):
    xc = tf.zeros(shape, tf.float64)
    grad = tf.gradients(tf.nn.avg_pool(xc, *args), xc, dy)[0]
    assert grad.op.type == "AvgPoolGrad"
    return grad


def test_max_pool_grad_grad_by_finite_differences():
    x = _distinct(1, 4, 5, 2)
    args = ([1, 2, 3, 1], [1, 1, 2, 1], "VALID")

    def second_order(ddx):
        xc = tf.constant(x)
        y = tf.nn.max_pool(xc, *args)
        dy = tf.ones_like(y)
        grad = tf.gradients(y, xc, dy)[0]
        return tf.gradients(grad, dy, ddx)[0]
    check_gradients(second_order, rng.normal(size=x.shape))


@pytest.mark.parametrize("stride,rate,padding", [(1, 1, "SAME"), (2, 1, "VALID"),
                                                 (1, 2, "SAME")])
def test_depthwise_separable_and_friends_gradients(stride, rate, padding):
    x, dw = rng.normal(size=(1, 6, 5, 2)), rng.normal(size=(3, 2, 2, 2))
    pw = rng.normal(size=(1, 1, 4, 3))
    strides = [1, stride, stride, 1]
    check_gradients(lambda a, b: tf.nn.depthwise_conv2d(a, b, strides, padding,
                                                        rate=[rate, rate]), x, dw)
    check_gradients(lambda a, b, c: tf.nn.separable_conv2d(a, b, c, strides, padding,
                                                           rate=[rate, rate]), x, dw, pw)


def test_depthwise_backprops_have_gradients():
    x, w = rng.normal(size=(1, 5, 5, 2)), rng.normal(size=(2, 3, 2, 2))
    for index in (0, 1):
        check_gradients(lambda a, b, i=index: tf.gradients(tf.reduce_sum(tf.square(
            tf.nn.depthwise_conv2d(a, b, [1, 2, 2, 1], "SAME"))), [a, b])[i], x, w)


def test_conv1d_transpose_atrous_convolution_lrn_argmax_gradients():
    x1, w1 = rng.normal(size=(2, 7, 3)), rng.normal(size=(3, 3, 2))
    check_gradients(lambda a, b: tf.nn.conv1d(a, b, 2, "SAME"), x1, w1)
    check_gradients(lambda a, b: tf.nn.conv1d(a, b, 1, "VALID", data_format="NCW"),
                    np.ascontiguousarray(np.transpose(x1, (0, 2, 1))), w1)
    x, w = rng.normal(size=(1, 3, 4, 3)), rng.normal(size=(3, 3, 2, 3))
    check_gradients(lambda a, b: tf.nn.conv2d_transpose(a, b, [1, 6, 7, 2], [1, 2, 2, 1],
                                                        "SAME"), x, w)
    check_gradients(lambda a, b: tf.nn.atrous_conv2d(a, b, 2, "SAME"),
                    rng.normal(size=(1, 6, 6, 2)), rng.normal(size=(2, 2, 2, 2)))
    check_gradients(lambda a, b: tf.nn.convolution(a, b, "VALID", strides=[1, 2]),
                    rng.normal(size=(1, 6, 6, 2)), rng.normal(size=(3, 2, 2, 2)))
    check_gradients(lambda a: tf.nn.lrn(a, 2, 0.5, 0.3, 0.7), rng.normal(size=(1, 2, 3, 7)))
    check_gradients(lambda a: tf.nn.max_pool_with_argmax(a, [1, 2, 2, 1], [1, 2, 2, 1],
                                                         "SAME")[0], _distinct(2, 3, 5, 2))


def _tf_out(size, kernel, stride, dilation, padding):
    if padding == "SAME":
        return math.ceil(size / stride)
    return math.ceil((size - (kernel - 1) * dilation) / stride)


@pytest.mark.parametrize("padding", ["SAME", "VALID"])
def test_static_shapes_follow_tf_formulas_and_runtime(padding):
    with tf.Graph().as_default(), tf.Session() as sess:
        for size, kernel, stride, dilation in [(9, 3, 2, 1), (10, 3, 3, 1), (11, 2, 1, 3),
                                               (8, 4, 4, 1), (7, 1, 2, 1)]:
            x = tf.placeholder(tf.float32, [None, size, size + 1, 2])
            y = tf.nn.conv2d(x, tf.zeros([kernel, kernel, 2, 3]), [1, stride, stride, 1],
                             padding, dilations=[1, dilation, dilation, 1])
            expected = [None, _tf_out(size, kernel, stride, dilation, padding),
                        _tf_out(size + 1, kernel, stride, dilation, padding), 3]
            assert y.shape.as_list() == expected
            value = sess.run(y, {x: np.zeros((2, size, size + 1, 2))})
            assert list(value.shape) == [2] + expected[1:]
            pooled = tf.nn.max_pool(x, [1, kernel, kernel, 1], [1, stride, stride, 1], padding)
            assert pooled.shape.as_list()[1] == _tf_out(size, kernel, stride, 1, padding)
        unknown = tf.nn.conv2d(tf.placeholder(tf.float32), tf.zeros([3, 3, 2, 3]),
                               [1, 1, 1, 1], padding)
        assert unknown.shape.as_list() == [None, None, None, 3]


def test_op_types_and_names_follow_tf():
    with tf.Graph().as_default() as graph:
        x = tf.placeholder(tf.float32, [1, 5, 5, 3])
        assert tf.nn.conv2d(x, tf.zeros([3, 3, 3, 2]), [1, 1, 1, 1], "SAME").name == "Conv2D:0"
        assert tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME").name == "MaxPool:0"
        assert tf.nn.avg_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME").name == "AvgPool:0"
        assert tf.nn.lrn(x).name == "LRN:0"
        out = tf.nn.conv1d(tf.placeholder(tf.float32, [2, 7, 3]), tf.zeros([3, 3, 4]), 2,
                           "SAME")
        assert out.name == "conv1d/Squeeze:0"
        assert graph.get_operation_by_name("conv1d").type == "Conv2D"
        out = tf.nn.separable_conv2d(x, tf.zeros([3, 3, 3, 2]), tf.zeros([1, 1, 6, 5]),
                                     [1, 1, 1, 1], "SAME")
        assert out.name == "separable_conv2d:0" and out.shape.as_list() == [1, 5, 5, 5]
        assert graph.get_operation_by_name("separable_conv2d/depthwise").type == \
            "DepthwiseConv2dNative"
        grad = tf.gradients(tf.nn.conv2d(x, tf.zeros([3, 3, 3, 2]), [1, 1, 1, 1], "SAME"),
                            x)[0]
        assert grad.op.type == "Conv2DBackpropInput"


def test_build_time_errors_follow_tf():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [1, 5, 5, 3])
        with pytest.raises(ValueError, match="Dimensions must be equal, but are 3 and 4"):
            tf.nn.conv2d(x, tf.zeros([3, 3, 4, 2]), [1, 1, 1, 1], "SAME")
        with pytest.raises(ValueError, match="Conv2D requires the stride attribute to contain"
                                             " 4 values, but got: 3"):
            tf.nn.conv2d(x, tf.zeros([3, 3, 3, 2]), [1, 1, 1], "SAME")
        with pytest.raises(ValueError, match="Attr 'padding' of 'Conv2D' Op passed string "
                                             "'SAMEX' not in"):
            tf.nn.conv2d(x, tf.zeros([3, 3, 3, 2]), [1, 1, 1, 1], "SAMEX")
        with pytest.raises(ValueError, match="MaxPool requires the ksize attribute to contain"
                                             " 4 values, but got: 3"):
            tf.nn.max_pool(x, [1, 2, 2], [1, 1, 1, 1], "SAME")
        with pytest.raises(ValueError, match="Negative dimension size caused by subtracting 7 "
                                             "from 5 for 'Conv2D_.*'"):
            tf.nn.conv2d(x, tf.zeros([7, 7, 3, 2]), [1, 1, 1, 1], "VALID")
        with pytest.raises(ValueError, match="does not yet support strides in the batch"):
            tf.nn.conv2d(x, tf.zeros([3, 3, 3, 2]), [2, 1, 1, 1], "SAME")
        with pytest.raises(ValueError, match="input channels does not match filter's input "
                                             "channels, 3 != 2"):
            tf.nn.conv2d_transpose(x, tf.zeros([3, 3, 4, 2]), [1, 5, 5, 4], [1, 1, 1, 1])
        with pytest.raises(ValueError, match="output_shape does not match filter's output "
                                             "channels, 5 != 4"):
            tf.nn.conv2d_transpose(x, tf.zeros([3, 3, 4, 3]), [1, 5, 5, 5], [1, 1, 1, 1])
        with pytest.raises(ValueError, match=r"output_shape must have shape \(4,\)"):
            tf.nn.conv2d_transpose(x, tf.zeros([3, 3, 4, 3]), [1, 5, 5], [1, 1, 1, 1])
        with pytest.raises(TypeError, match="DataType int32 not in list"):
            tf.nn.max_pool(tf.zeros([1, 4, 4, 1], tf.int32), [1, 2, 2, 1], [1, 1, 1, 1],
                           "SAME")


def test_run_time_errors_follow_tf():
    with tf.Graph().as_default(), tf.Session() as sess:
        x = tf.placeholder(tf.float32, [None, None, None, 2])
        conv = tf.nn.conv2d(x, tf.zeros([5, 5, 2, 1]), [1, 1, 1, 1], "VALID")
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"Computed output size would be negative: -1 \[input_size: 3, "
                                 r"effective_filter_size: 5, stride: 1\]"):
            sess.run(conv, {x: np.zeros((1, 3, 6, 2))})
        pooled = tf.nn.max_pool(x, [1, 4, 4, 1], [1, 1, 1, 1], "VALID")
        with pytest.raises(tf.errors.InvalidArgumentError, match="Computed output size"):
            sess.run(pooled, {x: np.zeros((1, 3, 6, 2))})


def test_kernels_leave_inputs_alone_and_nan_propagates():
    x = rng.normal(size=(1, 4, 4, 2)).astype(np.float32)
    x[0, 1, 1, 0] = np.nan
    keep = x.copy()
    with tf.Graph().as_default(), tf.Session() as sess:
        conv = tf.nn.conv2d(x, np.ones((2, 2, 2, 1), np.float32), [1, 1, 1, 1], "VALID")
        avg = tf.nn.avg_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
        conv_value, avg_value = sess.run([conv, avg])
    np.testing.assert_array_equal(x, keep)
    assert np.isnan(conv_value[0, 0, 0, 0]) and np.isnan(avg_value[0, 0, 0, 0])
    assert not np.isnan(conv_value[0, 2, 2, 0])
