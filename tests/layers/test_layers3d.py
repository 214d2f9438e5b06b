"""tf.layers' 3-D convolution/pooling layers and separable_conv1d: TF's variable names and
shapes, static output shapes, and outputs equal to TensorFlow's for TensorFlow's variable
values (tests/golden/make_layers3d_goldens.py)."""
import os

import numpy as np

import tfcompat as tf

_GOLDEN_DIR = os.path.join(os.path.dirname(__file__), "..", "golden")
GOLDEN = np.load(os.path.join(_GOLDEN_DIR, "layers3d_goldens.npz"))


def _inputs():
    source = open(os.path.join(_GOLDEN_DIR, "make_layers3d_goldens.py")).read()
    namespace = {"np": np}
    exec(source[source.index("def inputs():"):source.index("def main():")], namespace)
    return namespace["inputs"]()


def test_layers_match_tensorflow():
    volume, sequence = _inputs()
    with tf.Graph().as_default():
        x, x1 = tf.constant(volume), tf.constant(sequence)
        outputs = {
            "conv3d": tf.layers.conv3d(x, 4, (2, 3, 2), strides=(1, 2, 1), padding="same"),
            "conv3d_transpose": tf.layers.conv3d_transpose(x, 2, 3, strides=2),
            "separable_conv1d": tf.layers.separable_conv1d(x1, 5, 3, strides=2,
                                                           depth_multiplier=2, padding="same"),
            "max_pooling3d": tf.layers.max_pooling3d(x, 2, 2),
            "average_pooling3d": tf.layers.average_pooling3d(x, (2, 3, 2), (1, 2, 2),
                                                             padding="same"),
        }
        variables = {v.op.name: v for v in tf.global_variables()}
        assert sorted("var:" + name for name in variables) == sorted(
            k for k in GOLDEN if k.startswith("var:"))
        for key, tensor in outputs.items():
            assert tensor.shape.as_list() == list(GOLDEN[key].shape), key
        assert outputs["conv3d"].op.name == "conv3d/BiasAdd"
        assert outputs["max_pooling3d"].op.name == "max_pooling3d/MaxPool3D"
        with tf.Session() as sess:
            for name, variable in variables.items():
                sess.run(variable.assign(GOLDEN["var:" + name]))
            got = sess.run(outputs)
    for key, value in got.items():
        np.testing.assert_allclose(value, GOLDEN[key], rtol=1e-4, atol=1e-4, err_msg=key)


def test_channels_first_3d_layers_agree_with_channels_last():
    volume, _ = _inputs()
    with tf.Graph().as_default():
        last = tf.layers.Conv3D(4, 2, bias_initializer=tf.constant_initializer(0.5), name="c")
        first = tf.layers.Conv3D(4, 2, data_format="channels_first",
                                 bias_initializer=tf.constant_initializer(0.5), name="d")
        out_last = last(tf.constant(volume))
        out_first = first(tf.constant(np.transpose(volume, (0, 4, 1, 2, 3))))
        pooled = tf.layers.MaxPooling3D(2, 1, data_format="channels_first")(
            tf.constant(np.transpose(volume, (0, 4, 1, 2, 3))))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(first.kernel.assign(last.kernel))
            a, b, p = sess.run([out_last, out_first, pooled])
    np.testing.assert_allclose(np.transpose(b, (0, 2, 3, 4, 1)), a, rtol=1e-5, atol=1e-5)
    assert p.shape == (2, 3, 4, 5, 6)
