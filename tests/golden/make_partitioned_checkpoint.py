"""Writes a checkpoint of partitioned variables with real TensorFlow (TF 2.x with
``tensorflow.compat.v1``: ``/work/tfvenv/bin/python tests/golden/make_partitioned_checkpoint.py
tests/golden/partitioned_ckpt``): a [10, 4] variable ``emb/table`` split by
fixed_size_partitioner(3) (parts of 4, 3 and 3 rows), a [7] variable ``bias`` split by
min_max_variable_partitioner(4, min_slice_size=8) (2, 2, 2, 1) and a plain [2, 3] ``dense``,
saved by tf.train.Saver (V2 bundle: each partitioned variable is one entry with slices). The
whole values go to expected.npz. tests/train/test_saver_partitioned.py restores it in
tfcompat. tfcompat never imports this."""
import os
import sys

import numpy as np


def values():
    """The variables' whole values, written once for both libraries."""
    rng = np.random.default_rng(11)
    return {"emb/table": rng.normal(size=(10, 4)).astype(np.float32),
            "bias": rng.normal(size=(7,)).astype(np.float32),
            "dense": rng.normal(size=(2, 3)).astype(np.float32)}


def build(tf):
    """The graph, written once for both libraries: {name: variable}."""
    with tf.variable_scope("emb", partitioner=tf.fixed_size_partitioner(3)):
        table = tf.get_variable("table", [10, 4], initializer=tf.zeros_initializer())
    bias = tf.get_variable("bias", [7], initializer=tf.zeros_initializer(),
                           partitioner=tf.min_max_variable_partitioner(4, min_slice_size=8))
    dense = tf.get_variable("dense", [2, 3], initializer=tf.zeros_initializer())
    return {"emb/table": table, "bias": bias, "dense": dense}


def main(folder):
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    os.makedirs(folder, exist_ok=True)
    variables = build(tf)
    assigns = [v.assign(values()[name]) for name, v in variables.items()]
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(assigns)
        saver.save(sess, os.path.join(folder, "model.ckpt"), write_meta_graph=False)
    np.savez(os.path.join(folder, "expected.npz"), **{k.replace("/", "__"): v
                                                      for k, v in values().items()})


if __name__ == "__main__":
    main(sys.argv[1])
