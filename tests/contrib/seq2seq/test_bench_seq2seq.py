"""benchmarks/bench_seq2seq.py builds its attention model and trains (no timings asserted)."""
import importlib
import os
import sys

BENCHMARKS = os.path.join(os.path.dirname(os.path.abspath(__file__)), *[os.pardir] * 3,
                          "benchmarks")


def test_seq2seq_benchmark_model_trains():
    sys.path.insert(0, BENCHMARKS)
    try:
        bench = importlib.import_module("bench_seq2seq")
    finally:
        sys.path.remove(BENCHMARKS)
    step = bench.tfcompat_step()
    data = bench.batches(8, 2)
    losses = [step(data[0])[1] for _ in range(6)]
    assert losses[-1] < losses[0]
