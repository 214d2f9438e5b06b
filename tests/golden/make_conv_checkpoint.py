"""Writes a small convolutional checkpoint with real TensorFlow (run in a TF 2.x interpreter
with tf-keras: ``TF_USE_LEGACY_KERAS=1 python tests/golden/make_conv_checkpoint.py
tests/golden/conv_ckpt``): tf.layers.conv2d + max_pooling2d + conv2d_transpose + dense,
saved by tf.train.Saver (V2 bundle), with the network's output on a fixed input in
expected.npz. tests/test_acceptance_cnn.py rebuilds the same graph in tfcompat, restores the
checkpoint and compares. tfcompat never imports this."""
import os
import sys

import numpy as np


def build(tf):
    """The network, written once for both libraries."""
    images = tf.placeholder(tf.float32, [None, 8, 8, 2], name="images")
    conv = tf.layers.conv2d(images, 4, 3, padding="same", activation=tf.nn.relu)
    pooled = tf.layers.max_pooling2d(conv, 2, 2)
    up = tf.layers.conv2d_transpose(pooled, 3, 3, strides=2, padding="same")
    logits = tf.layers.dense(tf.reshape(up, [-1, 8 * 8 * 3]), 5)
    return images, logits


def main(folder):
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    os.makedirs(folder, exist_ok=True)
    tf.set_random_seed(7)
    images, logits = build(tf)
    saver = tf.train.Saver()
    data = np.random.default_rng(0).random((3, 8, 8, 2)).astype(np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        saver.save(sess, os.path.join(folder, "model.ckpt"), write_meta_graph=False)
        np.savez(os.path.join(folder, "expected.npz"), images=data,
                 logits=sess.run(logits, {images: data}))


if __name__ == "__main__":
    main(sys.argv[1])
