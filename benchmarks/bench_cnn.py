"""Benchmark of issue 16: one training step of chapter 13's MNIST CNN on tfcompat and, when
``--tensorflow PYTHON`` names an interpreter with TensorFlow 2.x and tf-keras, on
TensorFlow's compat.v1 Session, in one run: median ms/step after a warm-up, random float32
28x28x1 batches fed through feed_dict, 2 threads, the two alternating in blocks of steps.
Also the peak RSS of a fresh process that builds the CNN and trains it for 100 steps.

    python benchmarks/bench_cnn.py [--batch 50 200] [--steps 200] [--rounds 4]
                                   [--tensorflow /path/to/python] [--json FILE]
                                   [--also CHECKOUT ...] [--tfcompat-threads session]

TensorFlow's Session gets ConfigProto(intra_op_parallelism_threads=2,
inter_op_parallelism_threads=2); tfcompat's gets none by default, and its thread count
follows the load it measures, TensorFlow's blocks just before its own included.
``--tfcompat-threads session`` gives tfcompat the same config, so the same TF1 program,
config and all, runs on both.

``--also`` times the tfcompat of other checkouts (their own benchmarks/bench_cnn.py) in
the same alternation: an A/B of two commits under the same load.

The network (chapter 13's "CNN for MNIST"): conv 32 3x3 stride 1 SAME relu, conv 64 3x3
stride 2 SAME relu, max pool 2x2 stride 2 VALID, flatten, dense 64 relu, dense 10, sparse
softmax cross-entropy, Adam.
"""
import argparse
import json
import os
import subprocess
import sys
import time

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "2")

import numpy as np  # noqa: E402 (after the thread settings)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)  # this checkout's tfcompat, not an installed one

# tfcompat fuses a plan's elementwise chains after TFCOMPAT_FUSE_AFTER runs (200 by default);
# the benchmark lowers that to 20 so that a 40-step warm-up reaches the fused plan.
os.environ.setdefault("TFCOMPAT_FUSE_AFTER", "20")
WARM_UP_STEPS = 40


def build_cnn(tf):
    """Chapter 13's MNIST CNN in ``tf`` (tfcompat or tensorflow.compat.v1): (X, y, train_op,
    loss)."""
    X = tf.placeholder(tf.float32, shape=[None, 28 * 28], name="X")
    X_reshaped = tf.reshape(X, shape=[-1, 28, 28, 1])
    y = tf.placeholder(tf.int32, shape=[None], name="y")
    conv1 = tf.layers.conv2d(X_reshaped, filters=32, kernel_size=3, strides=1,
                             padding="SAME", activation=tf.nn.relu, name="conv1")
    conv2 = tf.layers.conv2d(conv1, filters=64, kernel_size=3, strides=2, padding="SAME",
                             activation=tf.nn.relu, name="conv2")
    pool3 = tf.nn.max_pool(conv2, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="VALID")
    pool3_flat = tf.reshape(pool3, shape=[-1, 64 * 7 * 7])
    fc1 = tf.layers.dense(pool3_flat, 64, activation=tf.nn.relu, name="fc1")
    logits = tf.layers.dense(fc1, 10, name="output")
    xentropy = tf.nn.sparse_softmax_cross_entropy_with_logits(logits=logits, labels=y)
    loss = tf.reduce_mean(xentropy)
    train_op = tf.train.AdamOptimizer().minimize(loss)
    return X, y, train_op, loss


def _batches(batch, count=4, seed=0):
    rng = np.random.default_rng(seed)
    return [(rng.random((batch, 784), dtype=np.float32), rng.integers(0, 10, batch))
            for _ in range(count)]


#: Set (to "session") by ``--tfcompat-threads session`` for the worker processes.
_TFCOMPAT_THREADS = "BENCH_CNN_TFCOMPAT_THREADS"


def _import_tf(real):
    """(tfcompat or tensorflow.compat.v1, the Session config of the benchmark)."""
    if not real:
        import tfcompat as tf
        if os.environ.get(_TFCOMPAT_THREADS) != "session":
            return tf, None
    else:
        os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        import tensorflow.compat.v1 as tf
        tf.disable_v2_behavior()
    return tf, tf.ConfigProto(intra_op_parallelism_threads=2, inter_op_parallelism_threads=2)


def make_step(real=False):
    tf, config = _import_tf(real)
    graph = tf.Graph()
    with graph.as_default():
        X, y, train_op, loss = build_cnn(tf)
        sess = tf.Session(graph=graph, config=config)
        sess.run(tf.global_variables_initializer())
    return lambda xb, yb: sess.run([train_op, loss], {X: xb, y: yb})


def time_block(step, data, steps):
    samples = []
    for i in range(steps):
        t0 = time.perf_counter()
        step(*data[i % len(data)])
        samples.append(time.perf_counter() - t0)
    return 1e3 * float(np.median(samples))


def _serve(real, batch):
    step, data = make_step(real), _batches(batch)
    for i in range(WARM_UP_STEPS):
        step(*data[i % len(data)])
    print("ready", flush=True)
    for line in sys.stdin:
        print(time_block(step, data, int(line)), flush=True)


class Worker:
    """A step served by another interpreter, timed block by block on request."""

    def __init__(self, python, real, batch, root=ROOT):
        args = [python, os.path.join(root, "benchmarks", os.path.basename(__file__)),
                "--worker", "tf" if real else "tfcompat", str(batch)]
        self.process = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, text=True, cwd=root)
        if self.process.stdout.readline().strip() != "ready":
            raise RuntimeError("the benchmark worker did not start")

    def __call__(self, steps):
        self.process.stdin.write(f"{steps}\n")
        self.process.stdin.flush()
        return float(self.process.stdout.readline())

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def compare(batch, steps, rounds, tensorflow=None, also=()):
    """Median ms/step of tfcompat, the tfcompat of the checkouts ``also`` and
    (optionally) TensorFlow, each in its own process, measured in alternating blocks of
    steps // rounds steps."""
    workers = {"tfcompat": Worker(sys.executable, False, batch)}
    for checkout in also:
        workers[checkout] = Worker(sys.executable, False, batch, os.path.abspath(checkout))
    if tensorflow:
        workers["tensorflow"] = Worker(tensorflow, True, batch)
    blocks = {name: [] for name in workers}
    try:
        for _ in range(rounds):
            for name, worker in workers.items():
                blocks[name].append(worker(steps // rounds))
    finally:
        for worker in workers.values():
            worker.close()
    return {name: float(np.median(values)) for name, values in blocks.items()}


def _peak_rss_child(real, batch):
    import resource
    step, data = make_step(real), _batches(batch)
    for i in range(100):
        step(*data[i % len(data)])
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, flush=True)


def peak_rss_mb(python, real, batch):
    out = subprocess.run([python, os.path.abspath(__file__), "--rss", "tf" if real else
                          "tfcompat", str(batch)], capture_output=True, text=True, check=True,
                         cwd=ROOT)
    return float(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--tensorflow", help="a Python interpreter with TensorFlow 2.x")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--also", nargs="+", default=[], metavar="CHECKOUT",
                        help="other checkouts whose tfcompat is timed alongside")
    parser.add_argument("--tfcompat-threads", choices=("policy", "session"),
                        default="policy", help="session: tfcompat's Session gets TF's config")
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--rss", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return _serve(args.worker[0] == "tf", int(args.worker[1]))
    if args.rss:
        return _peak_rss_child(args.rss[0] == "tf", int(args.rss[1]))
    os.environ[_TFCOMPAT_THREADS] = args.tfcompat_threads
    results = {}
    for batch in args.batch:
        times = compare(batch, args.steps, args.rounds, args.tensorflow, args.also)
        line = f"batch {batch}: tfcompat {times['tfcompat']:.2f} ms/step"
        for checkout in args.also:
            line += f", {checkout} {times[checkout]:.2f} ms/step"
        if "tensorflow" in times:
            line += (f", TensorFlow {times['tensorflow']:.2f} ms/step, speed-up "
                     f"{times['tensorflow'] / times['tfcompat']:.2f}x")
        print(line, flush=True)
        results[f"batch_{batch}"] = times
    rss = {"tfcompat": peak_rss_mb(sys.executable, False, args.batch[0])}
    if args.tensorflow:
        rss["tensorflow"] = peak_rss_mb(args.tensorflow, True, args.batch[0])
    print("peak RSS (MB, 100 steps at batch %d): " % args.batch[0]
          + ", ".join(f"{k} {v:.0f}" for k, v in rss.items()), flush=True)
    results["peak_rss_mb"] = rss
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(results, handle, indent=2)


if __name__ == "__main__":
    main()
