"""Writes layers3d_goldens.npz: tf.layers conv3d / conv3d_transpose / separable_conv1d /
max_pooling3d / average_pooling3d outputs and variables from TensorFlow (run with a
TensorFlow 2.x interpreter and TF_USE_LEGACY_KERAS=1, compat.v1 graph mode)."""
import os

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()


def inputs():
    rng = np.random.default_rng(0)
    return (rng.normal(size=(2, 5, 6, 7, 3)).astype(np.float32),
            rng.normal(size=(2, 9, 3)).astype(np.float32))


def main():
    volume, sequence = inputs()
    x, x1 = tf.constant(volume), tf.constant(sequence)
    normal = tf.initializers.random_normal
    outputs = {
        "conv3d": tf.layers.conv3d(x, 4, (2, 3, 2), strides=(1, 2, 1), padding="same",
                                   kernel_initializer=normal(seed=1),
                                   bias_initializer=tf.constant_initializer(0.1)),
        "conv3d_transpose": tf.layers.conv3d_transpose(x, 2, 3, strides=2, padding="valid",
                                                       kernel_initializer=normal(seed=2)),
        "separable_conv1d": tf.layers.separable_conv1d(
            x1, 5, 3, strides=2, depth_multiplier=2, padding="same",
            depthwise_initializer=normal(seed=3), pointwise_initializer=normal(seed=4)),
        "max_pooling3d": tf.layers.max_pooling3d(x, 2, 2),
        "average_pooling3d": tf.layers.average_pooling3d(x, (2, 3, 2), (1, 2, 2),
                                                         padding="same"),
    }
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        values = sess.run(outputs)
        values.update({"var:" + v.op.name: sess.run(v) for v in tf.global_variables()})
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "layers3d_goldens.npz")
    np.savez_compressed(path, **values)


if __name__ == "__main__":
    main()
