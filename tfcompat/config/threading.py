"""``tf.config.threading``: the process's default thread-pool sizes (0: the runtime picks).

The intra-op count bounds the BLAS threads of Sessions made afterwards whose ConfigProto
leaves ``intra_op_parallelism_threads`` at 0 (tfcompat has no inter-op pool: a step's ops
run in order, so the inter-op count is kept and reported only)."""

from tfcompat.framework.config import PROCESS_THREADS as _counts


def get_intra_op_parallelism_threads():
    return _counts["intra"]


def set_intra_op_parallelism_threads(num_threads):
    _counts["intra"] = _count(num_threads)


def get_inter_op_parallelism_threads():
    return _counts["inter"]


def set_inter_op_parallelism_threads(num_threads):
    _counts["inter"] = _count(num_threads)


def _count(num_threads):
    value = int(num_threads)
    if value < 0:
        raise ValueError(f"The number of threads must be >= 0, got {num_threads}")
    return value
