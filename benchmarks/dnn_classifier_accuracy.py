"""Accuracy of the book's chapter-10 ``tf.estimator.DNNClassifier`` (hidden_units=[300, 100],
10 classes, numpy_input_fn batch 50, shuffled) after one epoch of real MNIST, on tfcompat
and on TensorFlow.

TensorFlow 2.21 has no tf.estimator, so its side is the same network written as TF 1.x's
canned DNNClassifier builds it, in compat.v1 graph mode: ReLU dense layers 300 and 100 with
Glorot-uniform kernels and zero biases, a 10-way logits layer, the sum over the batch of the
softmax cross-entropies (the v1 head's SUM reduction) and AdagradOptimizer(0.05) (initial
accumulator 0.1). Each side trains with several seeds; the means are compared.

    python benchmarks/dnn_classifier_accuracy.py --mnist ../shared/data/mnist \\
        [--tensorflow /path/to/python-with-tensorflow] [--seeds 3]
"""
import argparse
import json
import os
import subprocess
import sys

import numpy as np

BATCH, HIDDEN = 50, (300, 100)


def load_mnist(folder):
    """(train images, train labels, test images, test labels) from the four IDX .gz files,
    images as float32 in [0, 1] (input_data's scaling); the first 55000 train images, as
    input_data's train split."""
    import gzip

    def read(name, header, shape):
        with gzip.open(os.path.join(folder, name), "rb") as f:
            data = np.frombuffer(f.read(), np.uint8, offset=header)
        return data.reshape(shape)
    train_x = read("train-images-idx3-ubyte.gz", 16, (-1, 784))[:55000] / np.float32(255)
    train_y = read("train-labels-idx1-ubyte.gz", 8, (-1,))[:55000].astype(np.int64)
    test_x = read("t10k-images-idx3-ubyte.gz", 16, (-1, 784)) / np.float32(255)
    test_y = read("t10k-labels-idx1-ubyte.gz", 8, (-1,)).astype(np.int64)
    return (train_x.astype(np.float32), train_y, test_x.astype(np.float32), test_y)


def tfcompat_accuracy(data, seed):
    """One epoch of the canned DNNClassifier on tfcompat; the test accuracy."""
    import tfcompat as tf
    train_x, train_y, test_x, test_y = data
    config = tf.estimator.RunConfig(tf_random_seed=seed, log_step_count_steps=10 ** 9)
    columns = [tf.feature_column.numeric_column("X", shape=[784])]
    classifier = tf.estimator.DNNClassifier(hidden_units=list(HIDDEN), n_classes=10,
                                            feature_columns=columns, config=config)
    np.random.seed(seed)  # numpy_input_fn's shuffling
    classifier.train(tf.estimator.inputs.numpy_input_fn(
        {"X": train_x}, train_y, batch_size=BATCH, num_epochs=1, shuffle=True))
    results = classifier.evaluate(tf.estimator.inputs.numpy_input_fn(
        {"X": test_x}, test_y, shuffle=False))
    return float(results["accuracy"])


def tensorflow_accuracy(data, seed):
    """The same network and training in TensorFlow's compat.v1 graph mode."""
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    train_x, train_y, test_x, test_y = data
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(seed)
        x = tf.placeholder(tf.float32, [None, 784])
        y = tf.placeholder(tf.int64, [None])
        hidden = x
        for units in HIDDEN:
            hidden = tf.layers.dense(hidden, units, activation=tf.nn.relu)
        logits = tf.layers.dense(hidden, 10)
        loss = tf.reduce_sum(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y,
                                                                            logits=logits))
        step = tf.train.AdagradOptimizer(0.05).minimize(loss)
        correct = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), y), tf.float32))
        order = np.random.RandomState(seed).permutation(len(train_x))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for start in range(0, len(order), BATCH):
                batch = order[start:start + BATCH]
                sess.run(step, {x: train_x[batch], y: train_y[batch]})
            return float(sess.run(correct, {x: test_x, y: test_y}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mnist", required=True, help="folder with the four MNIST .gz files")
    parser.add_argument("--tensorflow", help="a Python with TensorFlow 2.x (and tf-keras)")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--side", choices=["tfcompat", "tensorflow"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    data = load_mnist(args.mnist)
    if args.side == "tensorflow":
        print(json.dumps([tensorflow_accuracy(data, seed) for seed in range(args.seeds)]))
        return
    ours = [tfcompat_accuracy(data, seed) for seed in range(args.seeds)]
    print(f"tfcompat DNNClassifier, one epoch: {ours} (mean {np.mean(ours):.4f})")
    if args.tensorflow:
        env = dict(os.environ, TF_USE_LEGACY_KERAS="1", TF_CPP_MIN_LOG_LEVEL="3")
        done = subprocess.run([args.tensorflow, __file__, "--mnist", args.mnist, "--seeds",
                               str(args.seeds), "--side", "tensorflow"], capture_output=True,
                              text=True, env=env, check=True)
        theirs = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"TensorFlow, same network and training: {theirs} (mean {np.mean(theirs):.4f})")
        print(f"difference of the means: {100 * (np.mean(ours) - np.mean(theirs)):+.2f} "
              "points")


if __name__ == "__main__":
    sys.exit(main())
