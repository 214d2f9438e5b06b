"""In-process A/B of the while-loop rewrites of ``tfcompat/runtime/loops.py`` on the chapter-14
step (``bench_rnn.py``'s network): session "off" is built with the deferred product
accumulators and the transposed invariants switched off and runs its blocks without the held
path's compaction of strided loop variables; session "on" has all three. Both live in one
process (same BLAS, same allocator), their blocks alternate, and the order flips every round.
Prints median and minimum wall and process-CPU ms per step of each.

    PYTHONPATH=. python benchmarks/rnn_loop_rewrites_ab.py [--cell rnn] [--batch 50] [--rounds 16]
"""
import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_rnn  # noqa: E402 (sets the thread variables before NumPy loads)

from tfcompat.runtime import loops  # noqa: E402

BLOCK_STEPS = 20
_ORIGINALS = {"_only_transposed_operand": loops._only_transposed_operand,
              "_strided_positions": loops._strided_positions}
_FIND = loops.DeferredProduct.__dict__["find"]


def _rewrites(enabled):
    """Switches the three rewrites on or off (module attributes the runner looks up)."""
    if enabled:
        for name, function in _ORIGINALS.items():
            setattr(loops, name, function)
        loops.DeferredProduct.find = _FIND
    else:
        loops._only_transposed_operand = lambda tensor: False
        loops._strided_positions = lambda values: []
        loops.DeferredProduct.find = classmethod(lambda cls, frame: [])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cell", default="rnn", choices=["rnn", "lstm"])
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=16)
    args = parser.parse_args(argv)
    data = bench_rnn._batches(args.batch)
    steps = {}
    for name in ("off", "on"):  # (a runner decides on deferral when its session builds it)
        _rewrites(name == "on")
        steps[name] = bench_rnn.tfcompat_step(args.cell)
        bench_rnn.warm_up(steps[name], data)
    blocks = {"off": [], "on": []}
    for round_ in range(args.rounds):
        for name in ("off", "on") if round_ % 2 else ("on", "off"):
            _rewrites(name == "on")
            cpu = time.process_time()
            wall = bench_rnn.time_block(steps[name], data, BLOCK_STEPS)[0]
            blocks[name].append((wall, 1e3 * (time.process_time() - cpu) / BLOCK_STEPS))
    _rewrites(True)
    for name, values in blocks.items():
        walls, cpus = [v[0] for v in values], [v[1] for v in values]
        print(f"{args.cell} batch {args.batch} rewrites {name:3s}: wall median "
              f"{statistics.median(walls):.2f} min {min(walls):.2f}   CPU median "
              f"{statistics.median(cpus):.2f} min {min(cpus):.2f} ms/step", flush=True)


if __name__ == "__main__":
    main()
