"""Graph- and op-level seeds (``tf.set_random_seed``, TF 1.x ``random_seed.get_seed``).

With a graph seed and no op seed, the op seed is the graph's op counter at creation, so the
same program yields the same random sequence on every run; with neither, runs differ.
"""
from tfcompat.framework import ops

DEFAULT_GRAPH_SEED = 87654321
_MAXINT32 = 2**31 - 1


def set_random_seed(seed):
    """``tf.set_random_seed``: sets the default graph's seed."""
    ops.get_default_graph().seed = seed


def get_seed(op_seed):
    """Returns (seed, seed2) for a random op, following TF 1.x's rules."""
    graph = ops.get_default_graph()
    graph_seed = graph.seed
    if graph_seed is not None:
        if op_seed is None:
            op_seed = graph._last_id
        seeds = _truncate(graph_seed), _truncate(op_seed)
    elif op_seed is not None:
        seeds = DEFAULT_GRAPH_SEED, _truncate(op_seed)
    else:
        return None, None
    if seeds == (0, 0):  # (0, 0) means "nondeterministic" to the kernels; TF avoids it
        return 0, _MAXINT32
    return seeds


def _truncate(seed):
    """TF's _truncate_seed: seeds are reduced modulo 2**31 - 1 to fit the kernels' int32."""
    return int(seed) % _MAXINT32
