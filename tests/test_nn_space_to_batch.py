"""tf.nn composites added for issue 21: pool and with_space_to_batch (dilated windows through
SpaceToBatchND), atrous_conv2d_transpose against goldens written by real TensorFlow
(tests/golden/make_nn_extra_goldens.py), the tf.nn aliases of existing ops, with float64
finite-difference gradients and TF's errors."""
import pathlib

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.test import check_gradients

GOLDEN = np.load(pathlib.Path(__file__).parent / "golden" / "nn_extra_goldens.npz")


def test_pool_matches_tensorflow():
    x = GOLDEN["px"]
    with tf.Graph().as_default(), tf.Session() as sess:
        xc = tf.constant(x)
        results = {
            "pool_max_2d": tf.nn.pool(xc, [2, 3], "MAX", "VALID", dilation_rate=[2, 2]),
            "pool_avg_2d": tf.nn.pool(xc, [3, 2], "AVG", "VALID", dilation_rate=[1, 3]),
            "pool_avg_1d": tf.nn.pool(xc[:, 0], [3], "AVG", "SAME", strides=[2]),
            "pool_max_1d_dil": tf.nn.pool(xc[:, 0], [2], "MAX", "VALID", dilation_rate=[3]),
        }
        assert results["pool_max_2d"].op.type == "BatchToSpaceND"
        assert results["pool_avg_1d"].op.inputs[0].op.type == "AvgPool"
        for key, tensor in results.items():
            assert tensor.shape.as_list() == list(GOLDEN[key].shape), key
            np.testing.assert_allclose(sess.run(tensor), GOLDEN[key], rtol=1e-6, atol=1e-6)
        plain = tf.nn.pool(xc, [2, 2], "MAX", "SAME", strides=[2, 2])
        assert plain.op.type == "MaxPool" and plain.op.name == "max_pool_2"
        np.testing.assert_allclose(*sess.run([plain, tf.nn.max_pool(xc, [1, 2, 2, 1],
                                                                    [1, 2, 2, 1], "SAME")]))


def test_pool_3d_and_channels_first():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(1, 5, 4, 6, 2))
    with tf.Graph().as_default(), tf.Session() as sess:
        a = tf.nn.pool(x, [2, 2, 2], "AVG", "VALID", dilation_rate=[2, 1, 2])
        assert a.shape.as_list() == [1, 3, 3, 4, 2] and a.op.inputs[0].op.type == "AvgPool3D"
        expected = np.mean([x[:, i:i + 3, j:j + 3, k:k + 4]
                            for i in (0, 2) for j in (0, 1) for k in (0, 2)], axis=0)
        np.testing.assert_allclose(sess.run(a), expected, atol=1e-12)
        nchw = np.transpose(x[:, 0], (0, 3, 1, 2))
        c = tf.nn.pool(nchw, [2, 2], "MAX", "VALID", dilation_rate=[2, 2], data_format="NCHW")
        d = tf.nn.pool(x[:, 0], [2, 2], "MAX", "VALID", dilation_rate=[2, 2])
        np.testing.assert_allclose(sess.run(c), np.transpose(sess.run(d), (0, 3, 1, 2)))
    check_gradients(lambda v: tf.nn.pool(v, [2, 2], "AVG", "VALID", dilation_rate=[2, 1]),
                    x[:, 0])


def test_with_space_to_batch_matches_tensorflow():
    x, f = GOLDEN["px"], GOLDEN["atf"][:, :, :3, :]
    with tf.Graph().as_default(), tf.Session() as sess:
        for padding in ["SAME", "VALID"]:
            seen = []

            def conv(inp, num_spatial_dims, pad, seen=seen):
                seen.append((num_spatial_dims, pad))
                return tf.nn.conv2d(inp, f, [1, 1, 1, 1], pad)
            out = tf.nn.with_space_to_batch(tf.constant(x), [2, 3], padding, conv,
                                            filter_shape=[3, 3])
            assert seen == [(2, "VALID")]
            np.testing.assert_allclose(sess.run(out), GOLDEN[f"wstb_{padding}"], rtol=1e-4,
                                       atol=1e-4)
        ones = tf.nn.with_space_to_batch(tf.constant(x), [1, 1], "SAME",
                                         lambda inp, n, pad: (inp, n, pad))
        assert ones[1:] == (2, "SAME")
        unknown = tf.placeholder(tf.float64, [None, None, None, 3])
        out = tf.nn.with_space_to_batch(unknown, [2, 2], "SAME",
                                        lambda inp, n, pad: tf.nn.max_pool(
                                            inp, [1, 2, 2, 1], [1, 1, 1, 1], pad),
                                        filter_shape=[2, 2])
        value = sess.run(out, {unknown: x.astype(np.float64)})
        reference = tf.nn.pool(x.astype(np.float64), [2, 2], "MAX", "VALID",
                               dilation_rate=[2, 2])
        np.testing.assert_allclose(value[:, 1:-1, 1:-1], sess.run(reference))
        with pytest.raises(ValueError, match="filter_shape must be specified for SAME"):
            tf.nn.with_space_to_batch(x, [2, 2], "SAME", conv)
        with pytest.raises(ValueError, match="dilation_rate must be positive"):
            tf.nn.with_space_to_batch(x, [0, 2], "VALID", conv)


def test_atrous_conv2d_transpose_matches_tensorflow():
    x, f = GOLDEN["px"], GOLDEN["atf"]
    with tf.Graph().as_default(), tf.Session() as sess:
        for padding, shape in (("SAME", [2, 9, 8, 4]), ("VALID", [2, 13, 12, 4])):
            out = tf.nn.atrous_conv2d_transpose(tf.constant(x), f, shape, 2, padding)
            assert out.shape.as_list() == shape
            np.testing.assert_allclose(sess.run(out), GOLDEN[f"atrous_t_{padding}"],
                                       rtol=1e-4, atol=1e-4)
        with pytest.raises(ValueError, match="rate 0 cannot be less than one"):
            tf.nn.atrous_conv2d_transpose(x, f, [2, 9, 8, 4], 0, "SAME")
        with pytest.raises(ValueError, match="output_shape does not match filter's output"):
            tf.nn.atrous_conv2d_transpose(x, f, [2, 9, 8, 5], 2, "SAME")
    rng = np.random.default_rng(2)
    check_gradients(lambda v, k: tf.nn.atrous_conv2d_transpose(v, k, [1, 5, 4, 2], 2, "SAME"),
                    rng.normal(size=(1, 5, 4, 3)), rng.normal(size=(2, 2, 2, 3)))


def test_pool_errors():
    x = np.zeros((1, 4, 4, 1), np.float32)
    with pytest.raises(ValueError, match="pooling with SAME padding is not implemented"):
        tf.nn.pool(x, [2, 2], "MAX", "SAME", dilation_rate=[2, 2])
    with pytest.raises(ValueError, match="strides > window_shape not supported"):
        tf.nn.pool(x, [2, 2], "MAX", "VALID", strides=[3, 3])
    with pytest.raises(ValueError, match="strides > 1 not supported in conjunction"):
        tf.nn.pool(x, [2, 2], "MAX", "VALID", strides=[2, 2], dilation_rate=[2, 2])
    with pytest.raises(ValueError, match="2-D MIN pooling is not supported"):
        tf.nn.pool(x, [2, 2], "MIN", "VALID")


def test_aliases_of_existing_ops():
    rng = np.random.default_rng(3)
    x, k = rng.normal(size=(1, 5, 4, 2)), rng.normal(size=(2, 2, 2, 3))
    with tf.Graph().as_default(), tf.Session() as sess:
        y = tf.nn.depthwise_conv2d_native(x, k, [1, 1, 1, 1], "SAME")
        dy = rng.normal(size=(1, 5, 4, 6))
        gx, gk = tf.gradients(y, [y.op.inputs[0], y.op.inputs[1]], dy)
        for fn in (tf.nn.depthwise_conv2d_backprop_input,
                   tf.nn.depthwise_conv2d_native_backprop_input):
            bx = fn([1, 5, 4, 2], k, dy, [1, 1, 1, 1], "SAME")
            assert bx.op.type == "DepthwiseConv2dNativeBackpropInput"
            np.testing.assert_allclose(*sess.run([bx, gx]))
        for fn in (tf.nn.depthwise_conv2d_backprop_filter,
                   tf.nn.depthwise_conv2d_native_backprop_filter):
            bk = fn(x, [2, 2, 2, 3], dy, [1, 1, 1, 1], "SAME")
            assert bk.op.type == "DepthwiseConv2dNativeBackpropFilter"
            np.testing.assert_allclose(*sess.run([bk, gk]))
        assert tf.nn.space_to_depth(x[:, :4], 2).op.type == "SpaceToDepth"
        np.testing.assert_allclose(sess.run(tf.nn.depth_to_space(
            tf.nn.space_to_depth(x[:, :4], 2), 2)), x[:, :4])
        s2b = tf.nn.space_to_batch(x[:, :4], [[0, 0], [0, 0]], 2)
        assert s2b.op.type == "SpaceToBatchND" and s2b.shape.as_list() == [4, 2, 2, 2]
