"""NearestNeighbors without the reference kernel's full sort: the same BLAS product of
points and centers, then per row an argmin (k = 1) or an argpartition of the k smallest
sorted by (distance, index); rows where that could pick differently from the reference's
stable sort (NaN, or ties at the k-th distance) take the stable sort, so both tiers agree
bit for bit."""
import numpy as np

from tfcompat.ops.clustering_ops import (check_nearest_neighbors_arrays, nearest_distances,
                                         nearest_partial_distances)
from tfcompat.runtime import lowering


def _stable_order(partial, k):
    return np.argsort(partial, axis=1, kind="stable")[:, :k]


def _k_smallest(partial, k):
    """Column indices [n, k] of each row's k smallest entries, by (value, index)."""
    if k == partial.shape[1]:
        return _stable_order(partial, k)
    if k == 1:
        chosen = np.argmin(partial, axis=1)[:, None]
    else:
        candidates = np.argpartition(partial, k - 1, axis=1)[:, :k]
        values = np.take_along_axis(partial, candidates, axis=1)
        chosen = np.take_along_axis(candidates, np.lexsort((candidates, values), axis=1),
                                    axis=1)
    kth = np.take_along_axis(partial, chosen[:, -1:], axis=1)
    ties_at_kth = np.count_nonzero(partial == kth, axis=1) != np.count_nonzero(
        np.take_along_axis(partial, chosen, axis=1) == kth, axis=1)
    unsure = np.flatnonzero(ties_at_kth | np.isnan(kth[:, 0]))
    if unsure.size:
        chosen[unsure] = _stable_order(partial[unsure], k)
    return chosen


@lowering.fast_kernel("NearestNeighbors")
def _nearest_neighbors(op, ctx):
    """The k nearest centers by selection instead of a sort of every row."""
    def nearest_neighbors(points, centers, k):
        k = check_nearest_neighbors_arrays(op, points, centers, k)
        partial = nearest_partial_distances(points, centers)
        if k == 0:
            chosen = np.zeros((points.shape[0], 0), np.int64)
        else:
            chosen = _k_smallest(partial, k).astype(np.int64, copy=False)
        return chosen, nearest_distances(points, partial, chosen)
    return nearest_neighbors
