"""Benchmark of KMeans: one full-batch Lloyd step (nearest center of every point, then each
center the mean of its points) on 10,000 x 784 random float32 points with 25 clusters,
median ms/step over blocks after a warm-up, points fed through feed_dict.

    PYTHONPATH=. python benchmarks/bench_kmeans.py [--points 10000] [--steps 20] [--rounds 5]
    /work/tfvenv/bin/python benchmarks/bench_kmeans.py --framework tensorflow

tfcompat times tf.contrib.factorization.KMeans' training_op (the graph TF 1.15 builds) and
the same step written with the raw ops (NearestNeighbors, unsorted_segment_sum, assign);
TensorFlow 2.x has no tf.contrib, so under ``--framework tensorflow`` only the raw-ops step
runs (tf.compat.v1 graph mode, tf.raw_ops.NearestNeighbors). Also times the
NearestNeighbors kernels alone (reference sort vs the lowering rule's selection)."""
import argparse
import os
import time

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "2")

import numpy as np  # noqa: E402 (after the thread settings)

FEATURES, CLUSTERS = 784, 25


def raw_ops_step(tf, nearest_neighbors, points, centers):
    """The Lloyd step from the raw ops; returns (placeholder, step fetch)."""
    x = tf.placeholder(tf.float32, [None, FEATURES])
    clusters = tf.Variable(centers, name="clusters")
    indices, _ = nearest_neighbors(x, clusters, tf.constant(1, tf.int64))
    indices = tf.squeeze(indices, [-1])
    sums = tf.unsorted_segment_sum(x, indices, CLUSTERS)
    counts = tf.unsorted_segment_sum(tf.ones_like(x[:, :1]), indices, CLUSTERS)
    return x, tf.assign(clusters, sums / (counts + 1e-6))


def kmeans_step(tf, centers):
    """tf.contrib.factorization.KMeans' full-batch training_op, centers initialized."""
    x = tf.placeholder(tf.float32, [None, FEATURES])
    graph = tf.contrib.factorization.KMeans(x, CLUSTERS, initial_clusters=centers)
    return x, list(graph.training_graph()[4:])


def median_ms(run, steps, rounds):
    for _ in range(3):
        run()
    blocks = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(steps):
            run()
        blocks.append((time.perf_counter() - start) / steps * 1e3)
    return float(np.median(blocks))


def time_graph(tf, build, points, args):
    with tf.Graph().as_default():
        x, fetch = build()
        sess = tf.Session()
        sess.run(tf.global_variables_initializer(), {x: points})
        if isinstance(fetch, list):  # KMeans: (init_op, training_op)
            sess.run(fetch[0], {x: points})
            fetch = fetch[1]
        return median_ms(lambda: sess.run(fetch, {x: points}), args.steps, args.rounds)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--points", type=int, default=10000)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--framework", choices=("tfcompat", "tensorflow"), default="tfcompat")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    points = rng.random((args.points, FEATURES), dtype=np.float32)
    centers = points[:CLUSTERS].copy()
    if args.framework == "tensorflow":
        import tensorflow.compat.v1 as tf
        tf.disable_v2_behavior()
        nearest = tf.raw_ops.NearestNeighbors

        def build():
            return raw_ops_step(tf, lambda p, c, k: nearest(points=p, centers=c, k=k),
                                points, centers)
        print(f"tensorflow raw-ops Lloyd step: {time_graph(tf, build, points, args):.2f} ms")
        return
    import tfcompat as tf
    from tfcompat.ops.clustering_ops import NearestNeighbors, nearest_neighbors
    from tfcompat.runtime.rules.clustering import _nearest_neighbors
    raw = time_graph(tf, lambda: raw_ops_step(tf, nearest_neighbors, points, centers), points,
                     args)
    kmeans = time_graph(tf, lambda: kmeans_step(tf, centers), points, args)
    print(f"tfcompat raw-ops Lloyd step: {raw:.2f} ms")
    print(f"tfcompat KMeans training_op: {kmeans:.2f} ms")
    k = np.array(1, np.int64)
    reference = NearestNeighbors().kernel(None, None)
    fast = _nearest_neighbors(None, None)
    for _ in range(2):  # interleaved A/B
        for label, kernel in (("reference", reference), ("selection rule", fast)):
            ms = median_ms(lambda kernel=kernel: kernel(points, centers, k), args.steps,
                           args.rounds)
            print(f"NearestNeighbors k=1 {label}: {ms:.2f} ms")


if __name__ == "__main__":
    main()
