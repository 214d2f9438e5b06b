"""Benchmark of issue 18: training M1 (the book's batch-norm network, benchmarks/models.py
"bn") at batch 50 from a tf.data pipeline against feed_dict, in images/s.

    python benchmarks/bench_data.py [--examples 20000] [--steps 400] [--rounds 3]
                                    [--buffer 10000] [--json FILE]

- feed_dict: the book's loop, a NumPy permutation per epoch and X[idx] batches fed by
  feed_dict;
- tf.data: Dataset.from_tensor_slices((X, y)).shuffle(buffer).repeat().batch(50).prefetch(1),
  the step fetching its batch from the iterator's get_next();
- pipeline alone: sess.run(get_next()) of the same pipeline, no training: when it delivers
  many more images/s than a step consumes, the pipeline does not starve the step.

Data are random MNIST-shaped arrays (float32 [N, 784], int64 labels); the three
measurements alternate in blocks (``--rounds``) and report the median images/s of the
blocks, 2 BLAS threads.
"""
import argparse
import json
import os
import sys
import time

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "2")

import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))

BATCH = 50


def _data(examples, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.random((examples, 784), dtype=np.float32),
            rng.integers(0, 10, examples).astype(np.int64))


def feed_dict_runner(tf, X_all, y_all):
    """A function running ``steps`` training steps fed by feed_dict (book style)."""
    import models
    graph = tf.Graph()
    with graph.as_default():
        X, y, fetches, extra = models.build(tf, "bn")
        sess = tf.Session(graph=graph)
        sess.run(tf.global_variables_initializer())
    rng = np.random.default_rng(1)
    state = {"order": rng.permutation(len(X_all)), "pos": 0}

    def run(steps):
        for _ in range(steps):
            if state["pos"] + BATCH > len(X_all):
                state["order"], state["pos"] = rng.permutation(len(X_all)), 0
            idx = state["order"][state["pos"]:state["pos"] + BATCH]
            state["pos"] += BATCH
            sess.run(fetches, {X: X_all[idx], y: y_all[idx], **extra})
    return run


def dataset_runners(tf, X_all, y_all, buffer):
    """(training-step runner, pipeline-only runner) on one tf.data pipeline each."""
    import models

    def pipeline():
        dataset = tf.data.Dataset.from_tensor_slices((X_all, y_all))
        return dataset.shuffle(buffer, seed=1).repeat().batch(BATCH).prefetch(1) \
            .make_one_shot_iterator().get_next()

    graph = tf.Graph()
    with graph.as_default():
        _, _, fetches, extra = models.build(tf, "bn", inputs=pipeline())
        train_sess = tf.Session(graph=graph)
        train_sess.run(tf.global_variables_initializer())
    alone = tf.Graph()
    with alone.as_default():
        batch = pipeline()
        data_sess = tf.Session(graph=alone)

    def train(steps):
        for _ in range(steps):
            train_sess.run(fetches, extra)

    def read(steps):
        for _ in range(steps):
            data_sess.run(batch)
    return train, read


def images_per_second(run, steps):
    start = time.perf_counter()
    run(steps)
    return steps * BATCH / (time.perf_counter() - start)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=20000)
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--buffer", type=int, default=10000)
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    import tfcompat as tf
    X_all, y_all = _data(args.examples)
    feed = feed_dict_runner(tf, X_all, y_all)
    train, read = dataset_runners(tf, X_all, y_all, args.buffer)
    runners = {"feed_dict": feed, "tf.data": train, "pipeline alone": read}
    for run in runners.values():
        run(50)  # warm-up: plan specialisation, fusion, the shuffle buffer
    samples = {name: [] for name in runners}
    for _ in range(args.rounds):
        for name, run in runners.items():
            samples[name].append(images_per_second(run, args.steps))
    results = {name: float(np.median(values)) for name, values in samples.items()}
    for name, value in results.items():
        print(f"{name:>15}: {value:10.0f} images/s")
    ratio = results["pipeline alone"] / results["tf.data"]
    print(f"tf.data / feed_dict: {results['tf.data'] / results['feed_dict']:.2f}x; the "
          f"pipeline alone delivers {ratio:.1f}x what the training step consumes "
          f"({'does not starve' if ratio > 2 else 'may starve'} the step)")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"images_per_second": results, "args": vars(args)}, f, indent=2)
    return results


if __name__ == "__main__":
    main()
