"""Where a training step of benchmarks/bench_cnn.py's CNN goes on tfcompat: each step of the
specialised (and fused) plan timed on its own, median over the timed steps, plus the whole
step's wall and process CPU time. CPU time (``--clock process``) counts what the step costs
whatever the machine's load; wall time (``--clock wall``) what it takes.

    python benchmarks/profile_cnn.py [--batch 50] [--steps 30] [--clock process|wall]

The per-step CPU time of TensorFlow's step is printed with ``--tensorflow`` (run this script
with an interpreter that has TensorFlow 2.x and tf-keras; no per-op split there).
"""
import argparse
import collections
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_cnn  # noqa: E402 (its folder first on sys.path; sets the thread variables)

WARM_UP_STEPS = 45  # past the fusion threshold bench_cnn sets (20 runs)


def _timed_plans(clock, times):
    """Makes each plan compiled from now on time its steps into ``times``."""
    from tfcompat.runtime import codegen
    compile_steps = codegen.compile_steps

    def timed(steps, *args, **kwargs):
        for index, step in enumerate(steps):
            label = f"{index:02d} {step.op.type:28s} {step.op.name[:56]}"
            step.kernel = _timing(step.kernel, label, clock, times)
        return compile_steps(steps, *args, **kwargs)
    codegen.compile_steps = timed


def _timing(kernel, label, clock, times):
    def run(*args):
        start = clock()
        result = kernel(*args)
        times[label].append(clock() - start)
        return result
    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--clock", choices=("process", "wall"), default="process")
    parser.add_argument("--tensorflow", action="store_true")
    args = parser.parse_args()
    clock = time.process_time if args.clock == "process" else time.perf_counter
    times = collections.defaultdict(list)
    if not args.tensorflow:
        _timed_plans(clock, times)
    step, data = bench_cnn.make_step(args.tensorflow), bench_cnn._batches(args.batch)
    for i in range(WARM_UP_STEPS):
        step(*data[i % len(data)])
    times.clear()
    walls, cpus = [], []
    for i in range(args.steps):
        wall, cpu = time.perf_counter(), time.process_time()
        step(*data[i % len(data)])
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    rows = [(1e3 * float(np.median(v)), label) for label, v in times.items()
            if len(v) >= args.steps]
    for ms, label in sorted(rows, key=lambda row: row[1]):
        if ms >= 0.05:
            print(f"{ms:8.3f} ms  {label}")
    if rows:
        print(f"sum of the steps' medians ({args.clock} clock): "
              f"{sum(ms for ms, _ in rows):.2f} ms")
    print(f"batch {args.batch}: step wall median {1e3 * np.median(walls):.2f} ms, process CPU "
          f"median {1e3 * np.median(cpus):.2f} ms")


if __name__ == "__main__":
    main()
