"""What another Python thread of the process costs a feed_dict training step (issue 18).

A queue-runner pipeline's threads hold the GIL while they run Python code, and on a
machine whose cores all run the step's BLAS threads they also take a core from one of
those. This measures the chapter's M1 step (batch 50, feed_dict, book style) alone and
with a second thread that is woken after every step (or every second step) and then
spins for a given time in Python, as a producer thread would:

    python benchmarks/thread_contention.py [--steps 300] [--rounds 3]

Prints the median microseconds per step for each setting, one line per round.
"""
import argparse
import os
import sys
import threading
import time

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "2")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bench_data  # noqa: E402 (after the thread settings)

#: (microseconds of Python work per wake-up, steps between wake-ups; 0: no wake-ups)
SETTINGS = [(0, 0), (0, 1), (50, 1), (100, 2), (100, 1)]


class Producer:
    """A daemon thread that, each time it is woken, spins ``work_us`` microseconds."""

    def __init__(self):
        self.work_us = 0
        self._woken = threading.Condition()
        threading.Thread(target=self._loop, daemon=True).start()

    def wake(self):
        with self._woken:
            self._woken.notify()

    def _loop(self):
        while True:
            with self._woken:
                self._woken.wait()
            end = time.perf_counter() + self.work_us * 1e-6
            while time.perf_counter() < end:
                pass


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    import tfcompat as tf
    X_all, y_all = bench_data._data(20000)
    step = bench_data.feed_dict_runner(tf, X_all, y_all)
    step(100)  # warm-up: plan specialisation and fusion
    producer = Producer()

    def microseconds_per_step(every):
        start = time.perf_counter()
        for index in range(args.steps):
            step(1)
            if every and index % every == 0:
                producer.wake()
        return (time.perf_counter() - start) / args.steps * 1e6

    for _ in range(args.rounds):
        cells = []
        for work_us, every in SETTINGS:
            producer.work_us = work_us
            label = "alone" if not every else f"{work_us} us every {every} step(s)"
            cells.append(f"{label}: {microseconds_per_step(every):.0f}")
        print(" | ".join(cells))


if __name__ == "__main__":
    main()
