"""Clustering ops (TF's gen_clustering_ops, used by tf.contrib.factorization's KMeans):
k-means++ seeding, one k-MC² Markov chain, and the k nearest centers of each point.

None is differentiable (TF registers no gradients). The two seeding ops draw from a Philox
generator made afresh from their ``seed`` input on every run, as TF's kernels do, so a seed
gives the same choice on every run; the streams are NumPy's Philox, not TF's bit for bit."""
import numpy as np

from tfcompat.framework import dtypes, errors, ops, tensor_shape
from tfcompat.framework.op_def import OpDef, constant_value, make_op, register_op

__all__ = ["kmeans_plus_plus_initialization", "kmc2_chain_initialization",
           "nearest_neighbors"]


def _check_dtypes(op, expected):
    """TF's MatchSignature: each input named in ``expected`` must have its dtype."""
    for tensor, (argument, dtype) in zip(op.inputs, expected, strict=True):
        if tensor.dtype.base_dtype != dtype:
            raise TypeError(f"Input '{argument}' of '{op.type}' Op has type "
                            f"{tensor.dtype.base_dtype.name} that does not match expected type "
                            f"of {dtype.name}.")


def _require(op, condition, message):
    if not condition:
        raise errors.InvalidArgumentError(None, op, message)


def _check_ranks(op, arrays, names_and_ranks):
    """The kernels' shape checks: 'Input points should be a matrix.' and the like."""
    words = {0: "a scalar", 1: "a vector", 2: "a matrix"}
    for array, (argument, rank) in zip(arrays, names_and_ranks, strict=True):
        _require(op, np.ndim(array) == rank, f"Input {argument} should be {words[rank]}.")


def _input(value, dtype, argument):
    """``value`` as a tensor; a Tensor of another dtype is left to the op's TypeError."""
    if isinstance(value, ops.Tensor):
        return value
    return ops.convert_to_tensor(value, dtype=dtype, name=argument)


def seeded_generator(seed):
    """The run's generator for an int64 ``seed`` (TF: PhiloxRandom(seed) per run)."""
    return np.random.Generator(np.random.Philox(int(seed) & (2 ** 64 - 1)))


def half_squared_norms(matrix):
    """0.5 * |row|² per row, in the matrix's float32."""
    return np.float32(0.5) * np.einsum("ij,ij->i", matrix, matrix)


@register_op
class KmeansPlusPlusInitialization(OpDef):
    """``num_to_sample`` rows of ``points`` chosen by k-means++: the first uniformly, each
    next one with probability proportional to its squared distance to the nearest chosen
    row (never a row chosen before); with ``num_retries_per_sample`` r > 0, r + 1 candidates
    are drawn and the one leaving the least total distance wins (r < 0: 2 + log(k))."""

    differentiable = False
    signature = (("points", dtypes.float32), ("num_to_sample", dtypes.int64),
                 ("seed", dtypes.int64), ("num_retries_per_sample", dtypes.int64))

    def infer(self, op):
        _check_dtypes(op, self.signature)
        columns = op.inputs[0].shape[1].value if op.inputs[0].shape.ndims == 2 else None
        count = constant_value(op.inputs[1])
        rows = int(count) if count is not None and np.ndim(count) == 0 else None
        return [(tensor_shape.TensorShape([rows, columns]), dtypes.float32)]

    def kernel(self, op, ctx):
        return lambda points, count, seed, retries: kmeans_plus_plus(op, points, count, seed,
                                                                     retries)


def kmeans_plus_plus(op, points, num_to_sample, seed, num_retries):
    """The k-means++ choice of TF's KmeansPlusPlusInitialization kernel (float32 math)."""
    _check_ranks(op, (points, num_to_sample, seed, num_retries),
                 (("points", 2), ("num_to_sample", 0), ("seed", 0),
                  ("num_retries_per_sample", 0)))
    num_points, num_to_sample = points.shape[0], int(num_to_sample)
    _require(op, num_points > 0, "Expected points.rows() > 0.")
    _require(op, num_to_sample > 0, "Expected num_to_sample > 0.")
    _require(op, num_to_sample <= num_points, f"Expected num_to_sample <= points.rows(). "
             f"{num_to_sample} vs {num_points}.")
    num_retries = int(num_retries) if num_retries >= 0 else 2 + int(np.log(num_to_sample))
    rng = seeded_generator(seed)
    half_norms = half_squared_norms(points)
    chosen = []
    taken = np.zeros(num_points, bool)
    min_distances = np.full(num_points, np.inf, np.float32)
    for i in range(num_to_sample):
        cumulative = np.cumsum(min_distances) if i > 0 else None
        best = (np.inf, 0, None)
        for _ in range(1 + num_retries):
            index = _draw_unchosen(rng, cumulative, taken)
            distances = np.minimum(min_distances, half_norms - points @ points[index]
                                   + half_norms[index])
            potential = np.sum(distances, dtype=np.float32) if num_retries else -np.inf
            if potential < best[0] or best[2] is None:
                best = (potential, index, distances)
        _, index, min_distances = best
        taken[index] = True
        chosen.append(index)
    return points[np.array(chosen, np.int64)].astype(np.float32, copy=False)


def _draw_unchosen(rng, cumulative, taken):
    """One row index not taken yet: uniform at first (or when all distances are zero),
    else proportional to the rows' distances through their running sum."""
    num_points = taken.shape[0]
    while True:
        if cumulative is None or not cumulative[-1] > 0:
            index = int(rng.integers(num_points))
        else:
            threshold = rng.random(dtype=np.float32) * cumulative[-1]
            index = min(int(np.searchsorted(cumulative, threshold, side="right")),
                        num_points - 1)
        if not taken[index]:
            return index


def kmeans_plus_plus_initialization(points, num_to_sample, seed, num_retries_per_sample,
                                    name=None):
    """``gen_clustering_ops.kmeans_plus_plus_initialization``: k-means++ seeding."""
    inputs = [_input(points, dtypes.float32, "points")]
    inputs += [_input(value, dtypes.int64, argument)
               for value, argument in ((num_to_sample, "num_to_sample"), (seed, "seed"),
                                       (num_retries_per_sample, "num_retries_per_sample"))]
    return make_op("KmeansPlusPlusInitialization", inputs,
                   name=name or "KmeansPlusPlusInitialization").outputs[0]


@register_op
class KMC2ChainInitialization(OpDef):
    """The index where one k-MC² Markov chain over ``distances`` ends: it starts at 0 and
    moves to candidate i with probability min(1, distances[i] / distances[current])."""

    differentiable = False
    signature = (("distances", dtypes.float32), ("seed", dtypes.int64))

    def infer(self, op):
        _check_dtypes(op, self.signature)
        return [(tensor_shape.TensorShape([]), dtypes.int64)]

    def kernel(self, op, ctx):
        def kmc2_chain(distances, seed):
            _check_ranks(op, (distances, seed), (("distances", 1), ("seed", 0)))
            _require(op, distances.shape[0] > 0, "Expected distances_tensor.size() > 0.")
            uniforms = seeded_generator(seed).random(distances.shape[0] - 1, dtype=np.float32)
            selected = 0
            for candidate in range(1, distances.shape[0]):
                if distances[candidate] > uniforms[candidate - 1] * distances[selected]:
                    selected = candidate
            return np.array(selected, np.int64)
        return kmc2_chain


def kmc2_chain_initialization(distances, seed, name=None):
    """``gen_clustering_ops.kmc2_chain_initialization``: one k-MC² chain's last state."""
    inputs = [_input(distances, dtypes.float32, "distances"),
              _input(seed, dtypes.int64, "seed")]
    return make_op("KMC2ChainInitialization", inputs,
                   name=name or "KMC2ChainInitialization").outputs[0]


@register_op
class NearestNeighbors(OpDef):
    """For each row of ``points`` [n, d], the indices [n, min(k, m)] (int64) of its k nearest
    rows of ``centers`` [m, d] in increasing squared L2 distance (ties: lower index first),
    and those squared distances (float32), computed as |p|² - 2 p·c + |c|²."""

    differentiable = False
    signature = (("points", dtypes.float32), ("centers", dtypes.float32), ("k", dtypes.int64))

    def infer(self, op):
        _check_dtypes(op, self.signature)
        points, centers = op.inputs[0].shape, op.inputs[1].shape
        rows = points[0].value if points.ndims == 2 else None
        k = constant_value(op.inputs[2])
        columns = None
        if k is not None and np.ndim(k) == 0 and centers.ndims == 2 \
                and centers[0].value is not None:
            columns = max(0, min(int(k), centers[0].value))
        shape = tensor_shape.TensorShape([rows, columns])
        return [(shape, dtypes.int64), (shape, dtypes.float32)]

    def kernel(self, op, ctx):
        def nearest_neighbors(points, centers, k):
            k = check_nearest_neighbors_arrays(op, points, centers, k)
            partial = nearest_partial_distances(points, centers)
            order = np.argsort(partial, axis=1, kind="stable")[:, :k]
            return order.astype(np.int64), nearest_distances(points, partial, order)
        return nearest_neighbors


def check_nearest_neighbors_arrays(op, points, centers, k):
    """TF's checks of NearestNeighbors' inputs; returns the k it uses (at most m)."""
    _check_ranks(op, (points, centers, k), (("points", 2), ("centers", 2), ("k", 0)))
    _require(op, points.shape[0] > 0, "Expected points.rows() > 0.")
    _require(op, points.shape[1] == centers.shape[1],
             f"Expected point_dimensions == center_dimensions: {points.shape[1]} vs "
             f"{centers.shape[1]}.")
    _require(op, k >= 0, "Expected k >= 0.")
    return int(min(centers.shape[0], k))


def nearest_partial_distances(points, centers):
    """0.5 |c|² - p·c for every (point, center): the squared distance less 0.5 |p|², halved."""
    return half_squared_norms(centers)[None, :] - points @ centers.T


def nearest_distances(points, partial, chosen):
    """The squared distances 2 (0.5 |p|² + partial) of the chosen centers of each point."""
    picked = np.take_along_axis(partial, chosen, axis=1)
    return (np.float32(2.0) * (half_squared_norms(points)[:, None] + picked)).astype(
        np.float32, copy=False)


def nearest_neighbors(points, centers, k, name=None):
    """``gen_clustering_ops.nearest_neighbors``: (indices, squared distances) of the k
    nearest centers of each point."""
    inputs = [_input(points, dtypes.float32, "points"),
              _input(centers, dtypes.float32, "centers"),
              _input(k, dtypes.int64, "k")]
    return tuple(make_op("NearestNeighbors", inputs, name=name or "NearestNeighbors").outputs)
