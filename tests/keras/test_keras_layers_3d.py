"""tf.keras 3-D convolution and pooling layers: Keras names and defaults over the tf.layers
3-D layers (whose values are checked against TensorFlow in tests/layers)."""
import numpy as np

import tfcompat as tf


def test_keras_3d_layers_build_and_agree_with_tf_layers():
    volume = np.random.default_rng(0).normal(size=(2, 4, 5, 6, 3)).astype(np.float32)
    with tf.Graph().as_default():
        inputs = tf.keras.layers.Input(shape=(4, 5, 6, 3))
        conv = tf.keras.layers.Conv3D(2, 3, padding="same")
        up = tf.keras.layers.Conv3DTranspose(2, 2, strides=2)
        pooled = tf.keras.layers.MaxPooling3D()(conv(inputs))
        averaged = tf.keras.layers.AvgPool3D(pool_size=(1, 2, 2))(up(inputs))
        model = tf.keras.Model(inputs, [pooled, averaged])
        assert [w.name for w in model.weights] == [
            "conv3d/kernel:0", "conv3d/bias:0", "conv3d_transpose/kernel:0",
            "conv3d_transpose/bias:0"]
        assert pooled.shape.as_list() == [None, 2, 2, 3, 2]
        assert averaged.shape.as_list() == [None, 8, 5, 6, 2]
        reference = tf.nn.max_pool3d(tf.layers.conv3d(volume, 2, 3, padding="same",
                                                      name="check"),
                                     [1, 2, 2, 2, 1], [1, 2, 2, 2, 1], "VALID")
        sess = tf.keras.backend.get_session()
        sess.run(tf.global_variables_initializer())
        check_kernel, check_bias = [v for v in tf.global_variables()
                                    if v.name.startswith("check/")]
        sess.run([check_kernel.assign(conv.kernel), check_bias.assign(conv.bias)])
        got, want = sess.run([pooled, reference], {inputs: volume})
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
    assert tf.keras.layers.Convolution3D is tf.keras.layers.Conv3D
