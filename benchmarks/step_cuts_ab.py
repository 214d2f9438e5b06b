"""In-process A/B of issue 15's per-step cuts on the book's training steps (``bench.py``'s
networks): each network is built four times in one process — without the ``share_reads``
specialisation pass and the cross-entropy's fast rule ("neither"), with one of them
("reads", "xent"), and with both ("both", the runtime as it is) — and their blocks of steps
alternate, the order reversed every round, so BLAS, the allocator and the machine's slow
spells hit all four alike. Prints the median ms per step of each and its change against
"neither".

    PYTHONPATH=. python benchmarks/step_cuts_ab.py [--batch 50] [--rounds 12]
                                                   [--nets bn dropout deep_adam]
"""
import argparse
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402 (sets the thread variables before NumPy loads)

from tfcompat.runtime import lowering, passes  # noqa: E402

BLOCK_STEPS = 50
VARIANTS = ("neither", "reads", "xent", "both")
_XENT = "SparseSoftmaxCrossEntropyWithLogits"
lowering._load()
_ALL_PASSES = passes.SPECIALISATION
_XENT_RULE = lowering._FAST_KERNELS[_XENT]


def _cuts(variant):
    """Switches the two cuts for the plans specialised from now on (module tables that
    ``passes.specialise`` and ``lowering.lookup_fast_kernel`` read)."""
    passes.SPECIALISATION = _ALL_PASSES if variant in ("reads", "both") else tuple(
        p for p in _ALL_PASSES if p is not passes.share_reads)
    passes.FUSION = passes.SPECIALISATION + (passes.fuse,)
    if variant in ("xent", "both"):
        lowering._FAST_KERNELS[_XENT] = _XENT_RULE
    else:
        lowering._FAST_KERNELS.pop(_XENT, None)


def compare(net, batch, rounds):
    """{variant: median ms per step} of ``net`` at ``batch``."""
    data = bench._batches(batch, 8)
    steps = {}
    for variant in VARIANTS:  # (a plan takes its passes and rules when it specialises)
        _cuts(variant)
        steps[variant] = bench.tfcompat_step(net)
        bench.warm_up(steps[variant], data)
    _cuts("both")
    blocks = {variant: [] for variant in VARIANTS}
    for round_ in range(rounds):
        for variant in VARIANTS if round_ % 2 else VARIANTS[::-1]:
            blocks[variant].append(bench.time_block(steps[variant], data, BLOCK_STEPS))
    return {variant: statistics.median(values) for variant, values in blocks.items()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--nets", nargs="+", default=["bn", "dropout", "deep_adam"])
    args = parser.parse_args(argv)
    print(f"{'net':10} " + " ".join(f"{v:>16}" for v in VARIANTS))
    for net in args.nets:
        ms = compare(net, args.batch, args.rounds)
        base = ms["neither"]
        print(f"{net:10} " + " ".join(f"{ms[v]:8.3f} ({100 * (ms[v] / base - 1):+5.1f}%)"
                                      for v in VARIANTS), flush=True)


if __name__ == "__main__":
    main()
