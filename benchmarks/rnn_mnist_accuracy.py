"""Issue 17's accuracy check: chapter 14's MNIST RNN (benchmarks/bench_rnn.py's network:
BasicRNNCell(150), dynamic_rnn, dense 10 on the final state, Adam 0.001) trained for one
epoch on real MNIST (batch 150 as the book, shuffled with a fixed seed per run) and its test
accuracy, on tfcompat or, with --tensorflow, on TensorFlow's compat.v1 in this interpreter.
Each seed sets the graph seed (initial weights) and the shuffle.

    python benchmarks/rnn_mnist_accuracy.py [--data ../shared/data/mnist] [--tensorflow]
                                            [--seeds 42 43 44] [--cell rnn|lstm]
"""
import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_rnn  # noqa: E402 (its folder first on sys.path)
from cnn_mnist_accuracy import load_idx  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _import_tf(tensorflow):
    if not tensorflow:
        import tfcompat as tf
        return tf
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    tf.disable_control_flow_v2()
    return tf


def one_epoch(tf, data, seed, cell, batch_size):
    """(seconds for the epoch, test accuracy) of one training run."""
    X_train, y_train, X_test, y_test = data
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(seed)
        X, y, fetches = bench_rnn.build(tf, cell)
        logits = graph.get_tensor_by_name("dense/BiasAdd:0")
        accuracy = tf.reduce_mean(tf.cast(tf.nn.in_top_k(logits, y, 1), tf.float32))
        with tf.Session(graph=graph) as sess:
            sess.run(tf.global_variables_initializer())
            order = np.random.RandomState(seed).permutation(len(X_train))
            start = time.perf_counter()
            for begin in range(0, len(order), batch_size):
                batch = order[begin:begin + batch_size]
                sess.run(fetches[0], {X: X_train[batch], y: y_train[batch]})
            seconds = time.perf_counter() - start
            parts = [sess.run(accuracy, {X: X_test[i:i + 1000], y: y_test[i:i + 1000]})
                     for i in range(0, len(X_test), 1000)]
    return seconds, 100 * float(np.mean(parts))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "mnist"))
    parser.add_argument("--tensorflow", action="store_true")
    parser.add_argument("--seeds", type=int, nargs="+", default=[42])
    parser.add_argument("--cell", choices=["rnn", "lstm"], default="rnn")
    parser.add_argument("--batch", type=int, default=150)
    args = parser.parse_args()
    shape = (-1, bench_rnn.STEPS, bench_rnn.INPUTS)
    data = (load_idx(os.path.join(args.data, "train-images-idx3-ubyte.gz")),
            load_idx(os.path.join(args.data, "train-labels-idx1-ubyte.gz")).astype(np.int32),
            load_idx(os.path.join(args.data, "t10k-images-idx3-ubyte.gz")),
            load_idx(os.path.join(args.data, "t10k-labels-idx1-ubyte.gz")).astype(np.int32))
    data = (data[0].reshape(shape).astype(np.float32) / 255.0, data[1],
            data[2].reshape(shape).astype(np.float32) / 255.0, data[3])
    tf = _import_tf(args.tensorflow)
    name = "TensorFlow" if args.tensorflow else "tfcompat"
    accuracies = []
    for seed in args.seeds:
        seconds, accuracy = one_epoch(tf, data, seed, args.cell, args.batch)
        accuracies.append(accuracy)
        print(f"{name} seed {seed}: one epoch in {seconds:.1f} s, test accuracy "
              f"{accuracy:.2f}%", flush=True)
    print(f"{name}: mean test accuracy over {len(accuracies)} seeds "
          f"{np.mean(accuracies):.2f}%")


if __name__ == "__main__":
    main()
