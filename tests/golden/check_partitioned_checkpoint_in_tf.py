"""Hand check (not a test: TensorFlow is not a tfcompat dependency) that TF 2.21's
``tf.compat.v1`` Saver restores a checkpoint of partitioned variables written by tfcompat,
into the same partitioning and into other ones:

    PYTHONPATH=. python tests/golden/check_partitioned_checkpoint_in_tf.py write DIR  # tfcompat
    /work/tfvenv/bin/python tests/golden/check_partitioned_checkpoint_in_tf.py check DIR

The graph and values are those of make_partitioned_checkpoint.py. The second command prints
one "MAXDIFF <partitioning> 0.0" line per restore when TF reads back exactly what tfcompat
saved, and restores once more through ``import_meta_graph`` of tfcompat's ``.meta`` (the
parts' SaveSliceInfoDefs).
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_partitioned_checkpoint as maker  # noqa: E402


def write(directory):
    import tfcompat as tf
    variables = maker.build(tf)
    assigns = [v.assign(maker.values()[name]) for name, v in variables.items()]
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(assigns)
        saver.save(sess, os.path.join(directory, "model.ckpt"))


def check(directory):
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    prefix = os.path.join(directory, "model.ckpt")
    for label, partitioner in [("same", "build"), ("whole", None), ("two parts", 2)]:
        with tf.Graph().as_default():
            if partitioner == "build":
                variables = maker.build(tf)
            else:
                parts = partitioner and tf.fixed_size_partitioner(partitioner)
                variables = {name: tf.get_variable(name, value.shape, partitioner=parts)
                             for name, value in maker.values().items()}
            saver = tf.train.Saver(variables)
            with tf.Session() as sess:
                saver.restore(sess, prefix)
                diff = max(np.abs(sess.run(tf.convert_to_tensor(v)) - maker.values()[n]).max()
                           for n, v in variables.items())
        print("MAXDIFF", label, diff)
    reader = tf.train.NewCheckpointReader(prefix)
    print("SHAPES", sorted(reader.get_variable_to_shape_map().items()))
    with tf.Graph().as_default():  # tfcompat's .meta: parts keep their SaveSliceInfoDefs
        saver = tf.train.import_meta_graph(prefix + ".meta")
        parts = [v for v in tf.global_variables() if v._save_slice_info]
        print("SLICES", [(v.op.name, v._save_slice_info.spec) for v in parts])
        with tf.Session() as sess:
            saver.restore(sess, prefix)
            table = np.concatenate(sess.run([v for v in parts
                                             if v._save_slice_info.full_name == "emb/table"]))
        print("MAXDIFF meta", np.abs(table - maker.values()["emb/table"]).max())


if __name__ == "__main__":
    {"write": write, "check": check}[sys.argv[1]](sys.argv[2])
