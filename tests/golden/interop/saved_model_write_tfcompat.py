"""tfcompat side of the by-hand SavedModel check (PYTHONPATH=. python THIS DIR): DIR/built,
the golden's model written by tfcompat's SavedModelBuilder (assets, main op, tags serve and
train); DIR/resaved, the TF-written golden loaded by tfcompat and written again; DIR/export*,
Estimator exports (raw and tf.Example-parsing receivers). Then run
saved_model_read_tensorflow.py DIR with /work/tfvenv."""
import os
import sys

import numpy as np

import tfcompat as tf

OUT = sys.argv[1]
X = np.random.RandomState(0).rand(64, 4).astype(np.float32)


def built():
    vocab = os.path.join(OUT, "vocab.txt")
    with open(vocab, "w") as f:
        f.write("alpha\nbeta\ngamma\n")
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        w = tf.get_variable("dense/kernel",
                            initializer=np.arange(6, dtype=np.float32).reshape(3, 2) / 10.0)
        b = tf.get_variable("dense/bias", initializer=np.array([0.5, -0.25], np.float32))
        y = tf.nn.relu(tf.matmul(x, w) + b, name="y")
        total = tf.reduce_sum(y, axis=1, name="total")
        examples = tf.placeholder(tf.string, [None], name="examples")
        asset = tf.constant(vocab, name="vocab_path")
        tf.add_to_collection(tf.GraphKeys.ASSET_FILEPATHS, asset)
        vocab_bytes = tf.get_variable("vocab_bytes", [], tf.int64, trainable=False,
                                      collections=[tf.GraphKeys.LOCAL_VARIABLES],
                                      initializer=tf.zeros_initializer())
        count = tf.cast(tf.strings.length(tf.io.read_file(asset)), tf.int64)
        main_op = tf.group(tf.local_variables_initializer(), name="main_init")
        with tf.control_dependencies([main_op]):
            main_op = tf.group(tf.assign(vocab_bytes, count), name="main_op")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            builder = tf.saved_model.Builder(OUT + "/built")
            predict = tf.saved_model.predict_signature_def({"x": x}, {"y": y, "total": total})
            regress = tf.saved_model.regression_signature_def(examples, total)
            builder.add_meta_graph_and_variables(
                sess, ["serve"], {"serving_default": predict, "regress": regress},
                assets_collection=tf.get_collection(tf.GraphKeys.ASSET_FILEPATHS),
                main_op=main_op)
            builder.add_meta_graph(["train"])
            builder.save()
    os.remove(vocab)


def resaved():
    with tf.Session(graph=tf.Graph()) as sess:
        tf.saved_model.loader.load(sess, ["serve"], "tests/golden/saved_model/tf_model")
        for key in ("saved_model_assets", "saved_model_main_op"):
            sess.graph.clear_collection(key)
        graph = sess.graph
        signature = tf.saved_model.predict_signature_def(
            {"x": graph.get_tensor_by_name("x:0")}, {"y": graph.get_tensor_by_name("y:0")})
        builder = tf.saved_model.Builder(OUT + "/resaved")
        builder.add_meta_graph_and_variables(sess, ["serve"], {"serving_default": signature})
        builder.save()


def model_fn(features, labels, mode):
    logits = tf.layers.dense(features["x"], 2, name="logits")
    probs = tf.nn.softmax(logits, name="probs")
    predictions = {"probabilities": probs, "class_ids": tf.argmax(logits, 1)}
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode, predictions=predictions, export_outputs={
            "serving_default": tf.estimator.export.PredictOutput(predictions),
            "scores": tf.estimator.export.ClassificationOutput(scores=probs)})
    loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
    train_op = tf.train.GradientDescentOptimizer(0.5).minimize(loss, tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)


def estimator_exports():
    y = (X.sum(1) > 2).astype(np.int64)
    est = tf.estimator.Estimator(model_fn, model_dir=OUT + "/model")
    est.train(tf.estimator.inputs.numpy_input_fn({"x": X}, y, batch_size=16, num_epochs=2,
                                                 shuffle=False))
    raw = tf.estimator.export.build_raw_serving_input_receiver_fn(
        {"x": tf.placeholder(tf.float32, [None, 4])})
    est.export_saved_model(OUT + "/export", raw)
    parsing = tf.estimator.export.build_parsing_serving_input_receiver_fn(
        {"x": tf.FixedLenFeature([4], tf.float32)})
    est.export_savedmodel(OUT + "/export_parsing", parsing)
    predictions = est.predict(tf.estimator.inputs.numpy_input_fn({"x": X[:3]}, shuffle=False))
    print("tfcompat probabilities", np.stack([p["probabilities"] for p in predictions]))


if __name__ == "__main__":
    built()
    resaved()
    estimator_exports()
