"""Benchmarks of issue 7: training-step time of the book's networks on tfcompat against the
hand-written NumPy floor (and TensorFlow's compat.v1 when ``--tensorflow PYTHON`` names an
interpreter that has it), in one run, alternating, median ms/step after a warm-up.

    python benchmarks/bench.py [--batch 50 200] [--steps 200] [--nets bn dropout deep_adam]

Also reports time from process start to the end of the first M1 step, and peak RSS.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def _batches(batch, count, seed=0):
    rng = np.random.default_rng(seed)
    return [(rng.random((batch, 784), dtype=np.float32), rng.integers(0, 10, batch))
            for _ in range(count)]


def time_tfcompat(net, batch, steps):
    import tfcompat as tf
    import models
    graph = tf.Graph()
    with graph.as_default():
        X, y, fetches, extra = models.build(tf, net)
        sess = tf.Session(graph=graph)
        sess.run(tf.global_variables_initializer())
    data = _batches(batch, 8)
    return _time_steps(lambda xb, yb: sess.run(fetches, {X: xb, y: yb, **extra}), data, steps)


def time_numpy(net, batch, steps):
    import numpy_floor
    step = numpy_floor.NETWORKS[net]()
    return _time_steps(step, _batches(batch, 8), steps)


def _time_steps(step, data, steps, rounds=5):
    for xb, yb in data * 3:  # warm-up: plans, caches, BLAS threads
        step(xb, yb)
    medians = []
    for _ in range(rounds):
        samples = []
        for i in range(steps // rounds):
            xb, yb = data[i % len(data)]
            t0 = time.perf_counter()
            step(xb, yb)
            samples.append(time.perf_counter() - t0)
        medians.append(float(np.median(samples)))
    return 1e3 * float(np.median(medians))


def first_step_seconds():
    """Process start -> end of the first M1 step, in a fresh interpreter."""
    code = ("import time,sys; t0=time.time(); sys.path.insert(0, %r); import tfcompat as tf, "
            "models, numpy as np; X,y,f,e=models.build(tf,'bn'); s=tf.Session(); "
            "s.run(tf.global_variables_initializer()); "
            "s.run(f,{X:np.zeros((50,784),np.float32),y:np.zeros(50,np.int64),**e}); "
            "print(time.time()-t0)") % HERE
    t0 = time.time()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    return time.time() - t0, float(out.stdout.strip())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--nets", nargs="+", default=["bn", "dropout", "deep_adam"])
    parser.add_argument("--json", help="write the results here too")
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "2")
    results = []
    print(f"{'net':10} {'batch':>5} {'tfcompat ms':>12} {'numpy ms':>9} {'ratio':>6}")
    for net in args.nets:
        for batch in args.batch:
            ours = time_tfcompat(net, batch, args.steps)
            floor = time_numpy(net, batch, args.steps)
            results.append({"net": net, "batch": batch, "tfcompat_ms": ours, "numpy_ms": floor,
                            "ratio_vs_numpy": ours / floor})
            print(f"{net:10} {batch:5d} {ours:12.3f} {floor:9.3f} {ours / floor:6.2f}")
    wall, inside = first_step_seconds()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"first M1 step: {wall:.2f} s from process start ({inside:.2f} s inside Python)")
    print(f"peak RSS of this benchmark process: {peak:.0f} MB")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"results": results, "first_step_s": wall, "peak_rss_mb": peak}, f,
                      indent=1)


if __name__ == "__main__":
    main()
