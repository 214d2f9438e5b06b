"""Issue 16's accuracy check: chapter 13's MNIST CNN (benchmarks/bench_cnn.py's network)
trained for one epoch on real MNIST (batch 50, Adam, shuffled with a fixed seed) and its test
accuracy, on tfcompat or, with --tensorflow, on TensorFlow's compat.v1 in this interpreter.

    python benchmarks/cnn_mnist_accuracy.py [--data ../shared/data/mnist] [--tensorflow]
"""
import argparse
import gzip
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_cnn  # noqa: E402 (its folder first on sys.path)


def load_idx(path):
    with gzip.open(path, "rb") as handle:
        data = handle.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=os.path.join(bench_cnn.ROOT, "..", "shared", "data",
                                                       "mnist"))
    parser.add_argument("--tensorflow", action="store_true")
    parser.add_argument("--batch", type=int, default=50)
    args = parser.parse_args()
    images = load_idx(os.path.join(args.data, "train-images-idx3-ubyte.gz"))
    labels = load_idx(os.path.join(args.data, "train-labels-idx1-ubyte.gz"))
    test_images = load_idx(os.path.join(args.data, "t10k-images-idx3-ubyte.gz"))
    test_labels = load_idx(os.path.join(args.data, "t10k-labels-idx1-ubyte.gz"))
    X_train = images.reshape(-1, 784).astype(np.float32) / 255.0
    X_test = test_images.reshape(-1, 784).astype(np.float32) / 255.0
    tf, config = bench_cnn._import_tf(args.tensorflow)
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(42)
        X, y, train_op, loss = bench_cnn.build_cnn(tf)
        logits = graph.get_tensor_by_name("output/BiasAdd:0")
        correct = tf.nn.in_top_k(logits, y, 1)
        accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
        with tf.Session(graph=graph, config=config) as sess:
            sess.run(tf.global_variables_initializer())
            order = np.random.RandomState(42).permutation(len(X_train))
            start = time.perf_counter()
            for begin in range(0, len(order), args.batch):
                batch = order[begin:begin + args.batch]
                sess.run(train_op, {X: X_train[batch], y: labels[batch]})
            seconds = time.perf_counter() - start
            parts = [sess.run(accuracy, {X: X_test[i:i + 1000], y: test_labels[i:i + 1000]})
                     for i in range(0, len(X_test), 1000)]
    name = "TensorFlow" if args.tensorflow else "tfcompat"
    print(f"{name}: one epoch in {seconds:.1f} s, test accuracy {100 * np.mean(parts):.2f}%")


if __name__ == "__main__":
    main()
