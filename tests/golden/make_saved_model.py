"""Writes tests/golden/saved_model/: a tiny SavedModel written by TensorFlow's v1 API, which
tests/saved_model/test_saved_model.py loads and runs with tfcompat.

    /work/tfvenv/bin/python tests/golden/make_saved_model.py

tf_model/: SavedModelBuilder with two meta graphs ("serve" with a Predict and a Regress
signature, "train"), reference variables, a sharded Saver (TF's default), an asset file fed
to the main op, which writes its length in bytes into a local variable. expected.json: the
inputs and the outputs TensorFlow computed.
"""
import json
import os
import shutil

import numpy as np
import tensorflow as tf

tf.compat.v1.disable_v2_behavior()
v1 = tf.compat.v1
HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "saved_model")


def main():
    export_dir = os.path.join(HERE, "tf_model")
    shutil.rmtree(export_dir, ignore_errors=True)
    vocab = os.path.join(HERE, "vocab.txt")
    with open(vocab, "w") as f:
        f.write("alpha\nbeta\ngamma\n")
    x_value = np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]], np.float32)
    with tf.Graph().as_default() as graph, v1.Session(graph=graph) as sess:
        x = v1.placeholder(tf.float32, [None, 3], name="x")
        w = v1.get_variable("dense/kernel", initializer=np.arange(6, dtype=np.float32)
                            .reshape(3, 2) / 10.0, use_resource=False)
        b = v1.get_variable("dense/bias", initializer=np.array([0.5, -0.25], np.float32),
                            use_resource=False)
        y = tf.nn.relu(tf.matmul(x, w) + b, name="y")
        total = tf.reduce_sum(y, axis=1, name="total")
        examples = v1.placeholder(tf.string, [None], name="examples")
        asset = tf.constant(vocab, name="vocab_path")
        v1.add_to_collection(v1.GraphKeys.ASSET_FILEPATHS, asset)
        vocab_bytes = v1.get_variable("vocab_bytes", [], tf.int64, trainable=False,
                                     collections=[v1.GraphKeys.LOCAL_VARIABLES],
                                     initializer=v1.zeros_initializer(), use_resource=False)
        count = tf.cast(tf.strings.length(tf.io.read_file(asset)), tf.int64)
        main_op = tf.group(v1.local_variables_initializer(), name="main_init")
        with tf.control_dependencies([main_op]):
            main_op = tf.group(v1.assign(vocab_bytes, count), name="main_op")
        sess.run(v1.global_variables_initializer())
        builder = v1.saved_model.Builder(export_dir)
        predict = v1.saved_model.predict_signature_def({"x": x}, {"y": y, "total": total})
        regress = v1.saved_model.regression_signature_def(examples, total)
        builder.add_meta_graph_and_variables(
            sess, ["serve"], signature_def_map={"serving_default": predict, "regress": regress},
            assets_collection=v1.get_collection(v1.GraphKeys.ASSET_FILEPATHS), main_op=main_op)
        builder.add_meta_graph(["train"])
        builder.save()
        expected = {"x": x_value.tolist(), "y": sess.run(y, {x: x_value}).tolist(),
                    "total": sess.run(total, {x: x_value}).tolist()}
    with tf.Graph().as_default() as graph, v1.Session(graph=graph) as sess:
        v1.saved_model.loader.load(sess, ["serve"], export_dir)
        expected["vocab_bytes"] = int(sess.run("vocab_bytes:0"))
    os.remove(vocab)  # the SavedModel keeps its copy in assets/
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")
    print("written", export_dir, expected)


if __name__ == "__main__":
    main()
