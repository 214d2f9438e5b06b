"""Writes tests/golden/profiler_goldens.json: tf.profiler parameter and FLOP counts.

Run with the TensorFlow scratch venv (never a project dependency):
    /work/tfvenv/bin/python tests/golden/make_profiler_goldens.py
Each case builds a small TF 1.x graph (tests/profiler/test_profiler.py builds the same graphs
in tfcompat) and records, for the trainable-parameter and the float-operation profiles of
cmd "scope", the totals, every displayed node's counts and the text report written.
"""
import json
import os
import tempfile

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")  # tf.layers needs tf-keras

import tensorflow.compat.v1 as tf  # noqa: E402

tf.disable_v2_behavior()


def dense_mlp():
    x = tf.placeholder(tf.float32, [8, 20], name="x")
    labels = tf.placeholder(tf.float32, [8, 5], name="labels")
    hidden = tf.layers.dense(x, 16, activation=tf.nn.relu)
    logits = tf.layers.dense(hidden, 5)
    loss = tf.reduce_mean(tf.square(logits - labels))
    tf.add_n([tf.nn.l2_loss(v) for v in tf.trainable_variables()], name="l2")
    return loss


def conv_net():
    images = tf.placeholder(tf.float32, [2, 12, 12, 3], name="images")
    with tf.variable_scope("conv1"):
        kernel = tf.get_variable("weights", [3, 3, 3, 4])
        bias = tf.get_variable("biases", [4], initializer=tf.zeros_initializer())
        conv = tf.nn.conv2d(images, kernel, [1, 1, 1, 1], "SAME")
        act = tf.nn.relu(tf.nn.bias_add(conv, bias))
    pool = tf.nn.max_pool(act, [1, 2, 2, 1], [1, 2, 2, 1], "VALID", name="pool1")
    with tf.variable_scope("conv2"):
        kernel = tf.get_variable("weights", [3, 3, 4, 6])
        conv = tf.nn.conv2d(pool, kernel, [1, 2, 2, 1], "VALID")
    avg = tf.nn.avg_pool(conv, [1, 2, 2, 1], [1, 1, 1, 1], "SAME", name="pool2")
    depth = tf.get_variable("depthwise", [3, 3, 6, 2], trainable=False)
    tf.nn.depthwise_conv2d(avg, depth, [1, 1, 1, 1], "SAME", name="dw")


def reductions_softmax():
    a = tf.placeholder(tf.float32, [4, 6], name="a")
    b = tf.placeholder(tf.float32, [6, 3], name="b")
    with tf.name_scope("head"):
        logits = tf.matmul(a, b, name="logits")
        probs = tf.nn.softmax(logits)
        tf.reduce_sum(probs, axis=1, name="row_sum")
        tf.argmax(probs, axis=1, name="best")
        scaled = tf.math.rsqrt(tf.abs(logits) + 1.0, name="rsqrt")
        tf.maximum(scaled, tf.log(probs), name="max")
    c = tf.placeholder(tf.float32, [3, 4, 5], name="c")
    d = tf.placeholder(tf.float32, [3, 5, 2], name="d")
    tf.matmul(c, d, name="batched")
    tf.matmul(a, b, transpose_a=False, name="plain")
    tf.matmul(tf.placeholder(tf.float32, [6, 4]), b, transpose_a=True, name="transposed")
    tf.reduce_mean(tf.placeholder(tf.float32, [None, 3]), name="unknown_mean")


CASES = {"dense_mlp": dense_mlp, "conv_net": conv_net,
         "reductions_softmax": reductions_softmax}
PROFILES = {
    "params": tf.profiler.ProfileOptionBuilder.trainable_variables_parameter,
    "flops": tf.profiler.ProfileOptionBuilder.float_operation,
}


def flatten(node, out, depth=0):
    out.append([depth, node.name, node.parameters, node.total_parameters,
                node.float_ops, node.total_float_ops])
    for child in node.children:
        flatten(child, out, depth + 1)
    return out


def main():
    goldens = {}
    for case, build in CASES.items():
        for kind, options in PROFILES.items():
            graph = tf.Graph()
            with graph.as_default():
                build()
            with tempfile.TemporaryDirectory() as tmp:
                path = os.path.join(tmp, "report.txt")
                opts = tf.profiler.ProfileOptionBuilder(options()).with_file_output(path)
                node = tf.profiler.profile(graph, options=opts.build())
                with open(path) as f:
                    text = f.read()
            goldens[f"{case}/{kind}"] = {
                "total_parameters": node.total_parameters,
                "total_float_ops": node.total_float_ops,
                "nodes": flatten(node, []),
                "text": text,
            }
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "profiler_goldens.json"), "w") as f:
        json.dump(goldens, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
