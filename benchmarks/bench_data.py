"""Benchmark of issue 18: training M1 (the book's batch-norm network, benchmarks/models.py
"bn") at batch 50 from a tf.data pipeline against feed_dict, in images/s.

    python benchmarks/bench_data.py [--examples 20000] [--steps 400] [--rounds 3]
                                    [--buffer 10000] [--json FILE]

- feed_dict: the book's loop, a NumPy permutation per epoch and X[idx] batches fed by
  feed_dict;
- shuffle_batch: slice_input_producer + tf.train.shuffle_batch filled by two queue-runner
  threads (the TF1 queue pipeline);
- queues alone: sess.run of the shuffle_batch batch of the same queue pipeline, no training;
- tf.data: Dataset.from_tensor_slices((X, y)).shuffle(buffer).repeat().batch(50).prefetch(1),
  the step fetching its batch from the iterator's get_next();
- pipeline alone: sess.run(get_next()) of the same pipeline, no training: when it delivers
  many more images/s than a step consumes, the pipeline does not starve the step.

Data are random MNIST-shaped arrays (float32 [N, 784], int64 labels); the three
measurements alternate in blocks (``--rounds``) and report the median images/s of the
blocks, 2 BLAS threads.

CSV parsing (``--csv``): ``TextLineDataset(file).skip(1)`` then ``decode_csv`` of 6 float32,
3 int32 and 1 string column, either on batches of lines (``.batch(B).map(decode)``, the
default) or per line (``--csv-per-line``: ``.map(decode).batch(B)``), iterated to the end;
or (``--csv-queue``) TF1's reader pipeline: ``string_input_producer``, ``TextLineReader``,
``decode_csv`` per line, ``tf.train.batch`` filled by two queue-runner threads; reports MB/s
of CSV text. The CSV (``--csv-mb`` MB of random rows, written once to
``--csv-path``, default /tmp) is never part of the repository. ``--tensorflow PY`` runs the
same pipeline in another interpreter with TensorFlow (``tensorflow.compat.v1``), the two
alternating ``--rounds`` times; the medians are compared:

    python benchmarks/bench_data.py --csv --tensorflow /work/tfvenv/bin/python --rounds 3

``--prefetch-ab``: M1 from the tf.data pipeline with its prefetch forced onto a background
thread against the synchronous prefetch tfcompat uses for batches of sliced arrays.
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


def queue_runner(tf, X_all, y_all, train=True):
    """(step runner, stop function) fed by a TF1 queue pipeline: slice_input_producer into
    shuffle_batch, filled by queue-runner threads; the step trains M1 on the batch, or with
    ``train=False`` only fetches it (the pipeline alone)."""
    import models
    graph = tf.Graph()
    with graph.as_default():
        image, label = tf.train.slice_input_producer([X_all, y_all], shuffle=True, seed=1)
        images, labels = tf.train.shuffle_batch([image, label], batch_size=BATCH,
                                                capacity=2000 + 3 * BATCH,
                                                min_after_dequeue=2000, num_threads=2, seed=1)
        fetches, extra = [images, labels], {}
        if train:
            _, _, fetches, extra = models.build(tf, "bn", inputs=(images, labels))
        sess = tf.Session(graph=graph)
        sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess=sess, coord=coord)

    def train(steps):
        for _ in range(steps):
            sess.run(fetches, extra)

    def stop():
        coord.request_stop()
        coord.join(threads, stop_grace_period_secs=10)
        sess.close()
    return train, stop


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
    parser.add_argument("--csv", action="store_true", help="benchmark CSV parsing instead")
    parser.add_argument("--csv-mb", type=float, default=100)
    parser.add_argument("--csv-path", default=None)
    parser.add_argument("--csv-batch", type=int, default=1024)
    parser.add_argument("--csv-per-line", action="store_true")
    parser.add_argument("--csv-queue", action="store_true",
                        help="parse with TF1's TextLineReader + decode_csv + tf.train.batch")
    parser.add_argument("--tensorflow", metavar="PY",
                        help="also run the CSV pipeline with TensorFlow in interpreter PY")
    parser.add_argument("--prefetch-ab", action="store_true",
                        help="M1 with a threaded against a synchronous prefetch")
    args = parser.parse_args(argv)
    if args.prefetch_ab:
        return prefetch_ab(args)
    if args.csv:
        args.csv_path = args.csv_path or f"/tmp/tfcompat_bench_{args.csv_mb:g}mb.csv"
        return csv_main(args)
    import tfcompat as tf
    X_all, y_all = _data(args.examples)
    feed = feed_dict_runner(tf, X_all, y_all)
    train, read = dataset_runners(tf, X_all, y_all, args.buffer)
    queued, stop_queues = queue_runner(tf, X_all, y_all)
    dequeued, stop_dequeues = queue_runner(tf, X_all, y_all, train=False)
    runners = {"feed_dict": feed, "tf.data": train, "shuffle_batch": queued,
               "pipeline alone": read, "queues alone": dequeued}
    for run in runners.values():
        run(50)  # warm-up: plan specialisation, fusion, the shuffle buffer
    samples = {name: [] for name in runners}
    for _ in range(args.rounds):
        for name, run in runners.items():
            samples[name].append(images_per_second(run, args.steps))
    stop_queues()
    stop_dequeues()
    results = {name: float(np.median(values)) for name, values in samples.items()}
    for name, value in results.items():
        print(f"{name:>15}: {value:10.0f} images/s")
    ratio = results["pipeline alone"] / results["tf.data"]
    print(f"shuffle_batch queues / feed_dict: "
          f"{results['shuffle_batch'] / results['feed_dict']:.2f}x; the queue pipeline alone "
          f"delivers {results['queues alone'] / results['shuffle_batch']:.1f}x what its "
          "training step consumes")
    print(f"tf.data / feed_dict: {results['tf.data'] / results['feed_dict']:.2f}x; the "
          f"pipeline alone delivers {ratio:.1f}x what the training step consumes "
          f"({'does not starve' if ratio > 2 else 'may starve'} the step)")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"images_per_second": results, "args": vars(args)}, f, indent=2)
    return results


def prefetch_ab(args):
    """M1 trained from the tf.data pipeline with its prefetch on a background thread (forced)
    against the synchronous one tfcompat picks for a batch of sliced arrays; alternating
    blocks, the median per-round ratio."""
    import tfcompat as tf
    from tfcompat.ops import dataset_ops
    X_all, y_all = _data(args.examples)
    synchronous = dataset_runners(tf, X_all, y_all, args.buffer)[0]
    synchronous(50)
    choice = dataset_ops._gathers_rows
    dataset_ops._gathers_rows = lambda dataset: False  # the pass starts in the warm-up
    try:
        threaded = dataset_runners(tf, X_all, y_all, args.buffer)[0]
        threaded(50)
    finally:
        dataset_ops._gathers_rows = choice
    samples = {"threaded": [], "synchronous": []}
    for index in range(args.rounds):
        pairs = [("threaded", threaded), ("synchronous", synchronous)]
        for name, run in pairs if index % 2 else pairs[::-1]:
            samples[name].append(images_per_second(run, args.steps))
    for name, values in samples.items():
        print(f"{name:>12}: median {np.median(values):8.0f} images/s; blocks "
              f"{', '.join(f'{v:.0f}' for v in values)}")
    ratios = [a / b for a, b in zip(samples["threaded"], samples["synchronous"])]
    print(f"threaded / synchronous per round: median {np.median(ratios):.3f}")
    return samples


CSV_DEFAULTS = [[0.0]] * 6 + [[0]] * 3 + [[""]]


def write_csv(path, megabytes, seed=0):
    """A header and random rows (6 floats with 6 decimals, 3 ints, a word) up to the size."""
    rng = np.random.default_rng(seed)
    words = np.array(["alpha", "beta", "gamma", "delta", "epsilon"])
    with open(path, "w") as out:
        out.write(",".join(f"c{i}" for i in range(10)) + "\n")
        while out.tell() < megabytes * 1e6:
            rows = 20000
            floats = np.round(rng.normal(0, 100, (rows, 6)), 6)
            ints = rng.integers(-100000, 100000, (rows, 3))
            text = [",".join([*(f"{v:.6f}" for v in f), *(str(v) for v in i), w])
                    for f, i, w in zip(floats, ints, rng.choice(words, rows))]
            out.write("\n".join(text) + "\n")


def csv_seconds(tf, path, batch, per_line):
    """(wall seconds, CPU seconds of the process, rows) to parse every line of ``path``
    through tf.data + decode_csv."""
    graph = tf.Graph()
    with graph.as_default():
        lines = tf.data.TextLineDataset(path).skip(1)
        if per_line:
            dataset = lines.map(lambda line: tf.decode_csv(line, CSV_DEFAULTS)).batch(batch)
        else:
            dataset = lines.batch(batch).map(lambda line: tf.decode_csv(line, CSV_DEFAULTS))
        columns = tf.data.make_one_shot_iterator(dataset).get_next() \
            if hasattr(tf.data, "make_one_shot_iterator") else \
            dataset.make_one_shot_iterator().get_next()
        rows = 0
        with tf.Session(graph=graph) as sess:
            start, cpu_start = time.perf_counter(), time.process_time()
            while True:
                try:
                    rows += len(sess.run(columns)[0])
                except tf.errors.OutOfRangeError:
                    return (time.perf_counter() - start, time.process_time() - cpu_start,
                            rows)


def csv_queue_seconds(tf, path, batch, threads=2):
    """(wall seconds, CPU seconds of the process, rows) to parse every line of ``path``
    through TF1's reader pipeline: string_input_producer, TextLineReader, decode_csv per
    line, tf.train.batch filled by ``threads`` queue-runner threads."""
    graph = tf.Graph()
    with graph.as_default():
        files = tf.train.string_input_producer([path], num_epochs=1, shuffle=False)
        _, line = tf.TextLineReader(skip_header_lines=1).read(files)
        columns = tf.train.batch(tf.decode_csv(line, CSV_DEFAULTS), batch,
                                 num_threads=threads, capacity=4 * batch,
                                 allow_smaller_final_batch=True)
        rows = 0
        with tf.Session(graph=graph) as sess:
            sess.run(tf.local_variables_initializer())
            coord = tf.train.Coordinator()
            start, cpu_start = time.perf_counter(), time.process_time()
            runners = tf.train.start_queue_runners(sess, coord)
            try:
                while True:
                    rows += len(sess.run(columns)[0])
            except tf.errors.OutOfRangeError:
                seconds = time.perf_counter() - start, time.process_time() - cpu_start
            coord.request_stop()
            coord.join(runners)
    return (*seconds, rows)


def _csv_function(args):
    if args.csv_queue:
        return "csv_queue_seconds", f"{args.csv_path!r}, {args.csv_batch}"
    return "csv_seconds", f"{args.csv_path!r}, {args.csv_batch}, {args.csv_per_line}"


def _tensorflow_csv_seconds(python, args):
    """The CSV pipeline's seconds with TensorFlow in the interpreter ``python``."""
    import subprocess
    function, arguments = _csv_function(args)
    code = (f"import sys; sys.path.insert(0, {HERE!r}); import bench_data; "
            "import tensorflow.compat.v1 as tf; tf.disable_v2_behavior(); "
            f"print('RESULT', *bench_data.{function}(tf, {arguments}))")
    output = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True,
                            env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3",
                                 "CUDA_VISIBLE_DEVICES": ""}).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT"))
    seconds, cpu_seconds, rows = line.split()[1:]
    return float(seconds), float(cpu_seconds), int(rows)


def csv_main(args):
    import tfcompat as tf
    if not os.path.exists(args.csv_path) or \
            os.path.getsize(args.csv_path) < args.csv_mb * 1e6 * 0.99:
        write_csv(args.csv_path, args.csv_mb)
    megabytes = os.path.getsize(args.csv_path) / 1e6
    names = ["tfcompat"] + (["tensorflow"] if args.tensorflow else [])
    samples = {name: {"wall": [], "cpu": []} for name in names}
    for _ in range(args.rounds):
        for name in names:
            if name == "tfcompat":
                wall, cpu, rows = csv_queue_seconds(tf, args.csv_path, args.csv_batch) \
                    if args.csv_queue else csv_seconds(tf, args.csv_path, args.csv_batch,
                                                       args.csv_per_line)
            else:
                wall, cpu, tf_rows = _tensorflow_csv_seconds(args.tensorflow, args)
                assert tf_rows == rows, (tf_rows, rows)
            samples[name]["wall"].append(wall)
            samples[name]["cpu"].append(cpu)
    mode = "per line" if args.csv_per_line else f"batches of {args.csv_batch} lines"
    if args.csv_queue:
        mode = f"TF1 reader + queue runners, batches of {args.csv_batch}"
    results = {}
    for name in names:
        wall, cpu = samples[name]["wall"], samples[name]["cpu"]
        results[name] = float(np.median(wall))
        print(f"{name:>10}: {megabytes / results[name]:7.1f} MB/s ({rows} rows, {mode}); "
              f"wall s per pass {', '.join(f'{v:.2f}' for v in wall)}; CPU s per pass "
              f"{', '.join(f'{v:.2f}' for v in cpu)}")
    if args.tensorflow:
        ratio = results["tensorflow"] / results["tfcompat"]
        cpu_ratio = np.median(samples["tensorflow"]["cpu"]) / np.median(samples["tfcompat"]["cpu"])
        print(f"tfcompat / TensorFlow speed: {ratio:.2f}x wall, {cpu_ratio:.2f}x CPU time")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"csv_seconds": samples, "megabytes": megabytes, "rows": rows}, f,
                      indent=2)
    return results


if __name__ == "__main__":
    main()
