"""Benchmarks of issue 7: training-step time of the book's networks on tfcompat against the
hand-written NumPy floor and, when ``--tensorflow PYTHON`` names an interpreter that has
TensorFlow 2.x with tf-keras, TensorFlow's compat.v1 Session, all in one run: median ms/step
after a warm-up, feeding random float32 MNIST-shaped batches through feed_dict, 2 threads.
The implementations alternate in blocks of steps (``--rounds`` blocks each), so a slow
stretch of a shared machine hits all of them alike.

    python benchmarks/bench.py [--batch 50 200] [--steps 1000] [--rounds 5]
                               [--nets bn dropout deep_adam] [--busy N]
                               [--tensorflow /path/to/python | --make-tensorflow-venv DIR]
                               [--json FILE]

``--busy N`` runs the comparisons while N other processes keep a core busy each (a shared
machine): the speed-up over TensorFlow should stay close to the unloaded one.

Also reports the share of tfcompat's M1 step spent outside BLAS calls, and, for tfcompat (and
TensorFlow), the time from process start to the end of the first M1 step and the peak RSS of
a process that builds M1 and trains it for 400 steps.
"""
import argparse
import contextlib
import json
import os
import subprocess
import sys
import time

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "2")  # the "2 threads", also for the subprocesses

import numpy as np  # noqa: E402 (after the thread settings)

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def _batches(batch, count, seed=0):
    rng = np.random.default_rng(seed)
    return [(rng.random((batch, 784), dtype=np.float32), rng.integers(0, 10, batch))
            for _ in range(count)]


def _session_step(tf, net, config=None):
    """A training-step function of network ``net`` built with ``tf`` in a fresh graph."""
    import models
    graph = tf.Graph()
    with graph.as_default():
        X, y, fetches, extra = models.build(tf, net)
        sess = tf.Session(graph=graph, config=config)
        sess.run(tf.global_variables_initializer())
    return lambda xb, yb: sess.run(fetches, {X: xb, y: yb, **extra})


def tfcompat_step(net):
    import tfcompat as tf
    return _session_step(tf, net)


def tensorflow_step(net):
    """The same step on real TensorFlow's compat.v1 (inside an interpreter that has it)."""
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")  # tf.layers needs the legacy Keras
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    config = tf.ConfigProto(intra_op_parallelism_threads=2, inter_op_parallelism_threads=2)
    return _session_step(tf, net, config)


def numpy_step(net):
    import numpy_floor
    return numpy_floor.NETWORKS[net]()


def time_block(step, data, steps):
    """Median ms of ``steps`` consecutive training steps."""
    samples = []
    for i in range(steps):
        xb, yb = data[i % len(data)]
        t0 = time.perf_counter()
        step(xb, yb)
        samples.append(time.perf_counter() - t0)
    return 1e3 * float(np.median(samples))


WARM_UP_STEPS = 320  # past tfcompat's fusion threshold (200 runs of a plan)


def warm_up(step, data):
    """Plans, Numba kernels, tfcompat's fusion tier, BLAS threads."""
    for i in range(WARM_UP_STEPS):
        step(*data[i % len(data)])


class TensorFlowWorker:
    """TensorFlow's step in another interpreter, timed block by block on request, so that its
    blocks alternate with ours in time."""

    def __init__(self, python, net, batch):
        self.process = subprocess.Popen(
            [python, os.path.abspath(__file__), "--tf-worker", net, str(batch)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        if self.process.stdout.readline().strip() != "ready":
            raise RuntimeError("the TensorFlow worker did not start (TensorFlow and tf-keras "
                               "installed in that interpreter?)")

    def __call__(self, steps):
        self.process.stdin.write(f"{steps}\n")
        self.process.stdin.flush()
        return float(self.process.stdout.readline())

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def _serve_tensorflow(net, batch):
    step, data = tensorflow_step(net), _batches(int(batch), 8)
    warm_up(step, data)
    print("ready", flush=True)
    for line in sys.stdin:
        print(time_block(step, data, int(line)), flush=True)


def make_tensorflow_venv(folder):
    """A virtual environment with TensorFlow's CPU build and the legacy Keras that
    ``tf.layers`` needs since TF 2.16; returns its interpreter (kept for later runs)."""
    python = os.path.join(folder, "bin", "python")
    if not os.path.exists(python):
        subprocess.run([sys.executable, "-m", "venv", folder], check=True)
    subprocess.run([python, "-m", "pip", "install", "-q", "tensorflow-cpu", "tf-keras"],
                   check=True)
    return python


@contextlib.contextmanager
def busy_processes(count):
    """``count`` processes spinning on a core each while the block runs; killed after it."""
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"])
                for _ in range(count)]
    try:
        yield
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()


def compare(net, batch, steps, rounds, tensorflow=None):
    """Median ms/step of tfcompat, the NumPy floor and (optionally) TensorFlow, measured in
    alternating blocks of steps // rounds steps; the median over the blocks."""
    data = _batches(batch, 8)
    ours, floor = tfcompat_step(net), numpy_step(net)
    warm_up(ours, data)
    warm_up(floor, data)
    worker = TensorFlowWorker(tensorflow, net, batch) if tensorflow else None
    blocks = {"tfcompat": [], "numpy": [], "tensorflow": []}
    try:
        for _ in range(rounds):
            blocks["tfcompat"].append(time_block(ours, data, steps // rounds))
            blocks["numpy"].append(time_block(floor, data, steps // rounds))
            if worker:
                blocks["tensorflow"].append(worker(steps // rounds))
    finally:
        if worker:
            worker.close()
    return {name: float(np.median(values)) for name, values in blocks.items() if values}


class BlasClock:
    """Accumulates the time spent in BLAS calls while ``installed``: NumPy's ``dot`` (what
    tfcompat's MatMul kernels call) and the Numba function of ``runtime/blas.py`` that calls
    the library's GEMM for folded optimizer updates (its dispatch and layout checks, about
    1 µs a call, count as BLAS time) — not tfcompat's code around them."""

    def __init__(self):
        self.seconds = 0.0

    def _timed(self, function):
        def run(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start
        return run

    @contextlib.contextmanager
    def installed(self):
        from tfcompat.runtime import blas
        plain_dot, plain_gemm = np.dot, blas._gemm
        np.dot, blas._gemm = self._timed(plain_dot), self._timed(plain_gemm)
        try:
            yield
        finally:
            np.dot, blas._gemm = plain_dot, plain_gemm


def outside_blas_share(batch, steps):
    """(median step ms, median ms in BLAS calls, median share outside them) of M1 steps in
    this process, each step's share from its own two times."""
    data = _batches(batch, 8)
    step, clock = tfcompat_step("bn"), BlasClock()
    warm_up(step, data)
    step_ms, blas_ms = [], []
    for i in range(steps):
        clock.seconds = 0.0
        with clock.installed():
            start = time.perf_counter()
            step(*data[i % len(data)])
            step_ms.append(1e3 * (time.perf_counter() - start))
        blas_ms.append(1e3 * clock.seconds)
    shares = 1.0 - np.array(blas_ms) / np.array(step_ms)
    return float(np.median(step_ms)), float(np.median(blas_ms)), float(np.median(shares))


def outside_blas_share_in_fresh_processes(batch, steps, processes=3):
    """``outside_blas_share`` measured in new interpreters, as a program training only M1
    would run (after the comparisons, this process holds a dozen other sessions): a list
    of (step ms, BLAS ms, share), one per process (a shared machine's slow spells move a
    single process's share by several points)."""
    runs = []
    for _ in range(processes):
        output = subprocess.run([sys.executable, os.path.abspath(__file__),
                                 "--blas-share-worker", str(batch), str(steps)], check=True,
                                capture_output=True, text=True).stdout
        runs.append(json.loads(output.splitlines()[-1]))
    return runs


# Run in a fresh interpreter: import, build M1, first step (timed from process start by the
# parent), then 400 more steps of batch 50 (past the fusion tier's compile); prints the
# in-process seconds and peak RSS in MB.
_FIRST_STEP = """
import os, resource, sys, time
t0 = time.time()
sys.path.insert(0, {here!r})
if {tensorflow!r}:
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import tfcompat as tf
import numpy as np, models
X, y, fetches, extra = models.build(tf, "bn")
sess = tf.Session()
sess.run(tf.global_variables_initializer())
feed = {{X: np.random.rand(50, 784).astype(np.float32), y: np.zeros(50, np.int64), **extra}}
sess.run(fetches, feed)
first = time.time() - t0
sys.stdout.write("%.3f " % first); sys.stdout.flush()
for _ in range(400):
    sess.run(fetches, feed)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def first_step_and_memory(python=None, tensorflow=False):
    """(seconds from process start to the end of the first M1 step, peak RSS MB of M1)."""
    code = _FIRST_STEP.format(here=HERE, tensorflow=tensorflow)
    t0 = time.time()
    process = subprocess.Popen([python or sys.executable, "-c", code], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    first = process.stdout.read(1)
    wall = time.time() - t0  # the first byte arrives right after the first step
    rest = process.stdout.read()
    if process.wait() != 0:
        raise RuntimeError("the first-step probe failed")
    return wall, float((first + rest).split()[1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--nets", nargs="+", default=["bn", "dropout", "deep_adam"])
    parser.add_argument("--tensorflow", metavar="PYTHON",
                        help="an interpreter with TensorFlow 2.x and tf-keras: time it too")
    parser.add_argument("--make-tensorflow-venv", metavar="DIR",
                        help="create a virtual environment in DIR with tensorflow-cpu and "
                             "tf-keras (pip, ~600 MB) and time TensorFlow from it")
    parser.add_argument("--rounds", type=int, default=5,
                        help="alternating blocks per implementation (default 5)")
    parser.add_argument("--tf-worker", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--blas-share-worker", nargs=2, type=int, help=argparse.SUPPRESS)
    parser.add_argument("--busy", type=int, default=0, metavar="N",
                        help="compare while N other processes keep a core busy each")
    parser.add_argument("--json", help="write the results here too")
    args = parser.parse_args(argv)
    if args.tf_worker:
        _serve_tensorflow(*args.tf_worker)
        return
    if args.blas_share_worker:
        print(json.dumps(outside_blas_share(*args.blas_share_worker)))
        return
    if args.make_tensorflow_venv:
        args.tensorflow = make_tensorflow_venv(args.make_tensorflow_venv)
    results = []
    print(f"{'net':10} {'batch':>5} {'tfcompat ms':>12} {'steps/s':>8} {'numpy ms':>9} "
          f"{'TF ms':>7} {'vs numpy':>8} {'TF/ours':>7}")
    for net in args.nets:
        for batch in args.batch:
            with busy_processes(args.busy):
                ms = compare(net, batch, args.steps, args.rounds, args.tensorflow)
            row = {"net": net, "batch": batch, "busy": args.busy, "tfcompat_ms": ms["tfcompat"],
                   "numpy_ms": ms["numpy"], "ratio_vs_numpy": ms["tfcompat"] / ms["numpy"]}
            tf_text = speedup = "-"
            if "tensorflow" in ms:
                row["tensorflow_ms"] = ms["tensorflow"]
                row["speedup_vs_tensorflow"] = ms["tensorflow"] / ms["tfcompat"]
                tf_text = f"{row['tensorflow_ms']:.3f}"
                speedup = f"{row['speedup_vs_tensorflow']:.2f}"
            results.append(row)
            print(f"{net:10} {batch:5d} {ms['tfcompat']:12.3f} {1e3 / ms['tfcompat']:8.0f} "
                  f"{ms['numpy']:9.3f} {tf_text:>7} {row['ratio_vs_numpy']:8.2f} {speedup:>7}",
                  flush=True)
    summary = {"results": results, "m1_outside_blas": {}}
    for batch in args.batch:
        runs = outside_blas_share_in_fresh_processes(batch, args.steps)
        step, in_blas, share = (float(np.median(column)) for column in zip(*runs))
        shares = sorted(run[2] for run in runs)
        summary["m1_outside_blas"][batch] = {"step_ms": step, "blas_ms": in_blas,
                                             "share": share, "shares": shares}
        print(f"M1 batch {batch}: step {step:.3f} ms, in BLAS {in_blas:.3f} ms, outside BLAS "
              f"{100 * share:.0f}% (median of {len(runs)} processes: "
              f"{', '.join(f'{100 * v:.0f}%' for v in shares)})", flush=True)
    probes = [("tfcompat", None, False)]
    if args.tensorflow:
        probes.append(("tensorflow", args.tensorflow, True))
    for label, python, is_tf in probes:
        wall, peak = first_step_and_memory(python, is_tf)
        summary[label] = {"first_step_s": wall, "m1_peak_rss_mb": peak}
        print(f"{label}: first M1 step {wall:.2f} s from process start; "
              f"peak RSS of M1 (400 steps) {peak:.0f} MB")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summary, f, indent=1)


if __name__ == "__main__":
    main()
