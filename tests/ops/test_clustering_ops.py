"""Clustering ops: NearestNeighbors against TF's goldens (both tiers, ties, k capped),
the selection rule against the stable sort, k-means++ / k-MC² semantics (which rows can be
chosen, determinism for a seed), TF's static and run-time errors."""
import os

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.ops.clustering_ops import (kmc2_chain_initialization,
                                         kmeans_plus_plus_initialization, nearest_neighbors)
from tfcompat.runtime.rules.clustering import _k_smallest

GOLDENS = np.load(os.path.join(os.path.dirname(__file__), "..", "golden",
                               "clustering_goldens.npz"))


def _run_twice(fetches, feed_dict=None):
    """The reference interpreter's result (first run) and the specialised plan's."""
    with tf.Session() as sess:
        return sess.run(fetches, feed_dict), sess.run(fetches, feed_dict)


@pytest.mark.parametrize("k", [1, 2, 4, 6])
def test_nearest_neighbors_matches_tensorflow(k):
    with tf.Graph().as_default():
        indices, distances = nearest_neighbors(GOLDENS["nn_points"], GOLDENS["nn_centers"], k)
        assert indices.shape.as_list() == [9, min(k, 4)]
        assert (indices.dtype, distances.dtype) == (tf.int64, tf.float32)
        for got_indices, got_distances in _run_twice([indices, distances]):
            np.testing.assert_array_equal(got_indices, GOLDENS[f"nn_indices_k{k}"])
            np.testing.assert_allclose(got_distances, GOLDENS[f"nn_distances_k{k}"],
                                       rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("k", [1, 3])
def test_nearest_neighbors_breaks_ties_by_lower_index_as_tensorflow(k):
    with tf.Graph().as_default():
        points = tf.placeholder(tf.float32, [None, 2])
        k_value = tf.placeholder(tf.int64, [])
        indices, distances = nearest_neighbors(points, GOLDENS["nn_tied_centers"], k_value)
        assert indices.shape.as_list() == [None, None]
        feed = {points: GOLDENS["nn_tied_points"], k_value: k}
        for got_indices, got_distances in _run_twice([indices, distances], feed):
            np.testing.assert_array_equal(got_indices, GOLDENS[f"nn_tied_indices_k{k}"])
            np.testing.assert_array_equal(got_distances, GOLDENS[f"nn_tied_distances_k{k}"])


def test_selection_rule_agrees_with_stable_sort_bit_for_bit():
    rng = np.random.RandomState(0)
    partial = rng.randint(0, 6, size=(200, 12)).astype(np.float32)  # many ties
    partial[5, 3] = np.nan
    partial[7, :] = np.nan
    for k in (1, 2, 5, 12):
        expected = np.argsort(partial, axis=1, kind="stable")[:, :k]
        np.testing.assert_array_equal(_k_smallest(partial, k), expected)


def test_nearest_neighbors_zero_k_and_run_time_errors():
    with tf.Graph().as_default():
        points = tf.placeholder(tf.float32)
        centers = tf.placeholder(tf.float32)
        k = tf.placeholder(tf.int64)
        indices, distances = nearest_neighbors(points, centers, k)
        with tf.Session() as sess:
            ones = np.ones((2, 3), np.float32)
            got = sess.run(indices, {points: ones, centers: ones, k: 0})
            assert got.shape == (2, 0) and got.dtype == np.int64
            for feed, message in [
                    ({points: ones[0], centers: ones, k: 1}, "Input points should be a matrix."),
                    ({points: ones, centers: ones, k: [1]}, "Input k should be a scalar."),
                    ({points: ones[:0], centers: ones, k: 1}, "Expected points.rows() > 0."),
                    ({points: ones, centers: ones[:, :2], k: 1},
                     "Expected point_dimensions == center_dimensions: 3 vs 2."),
                    ({points: ones, centers: ones, k: -1}, "Expected k >= 0.")]:
                with pytest.raises(tf.errors.InvalidArgumentError, match=message.replace(
                        ".", r"\.").replace("(", r"\(").replace(")", r"\)")):
                    sess.run(distances, feed)


def test_clustering_ops_reject_other_dtypes_and_have_no_gradient():
    with tf.Graph().as_default():
        with pytest.raises(TypeError, match="Input 'points' of 'NearestNeighbors' Op has type "
                                            "float64 that does not match expected type of "
                                            "float32."):
            nearest_neighbors(tf.zeros([2, 3], tf.float64), np.ones((2, 3)), 1)
        with pytest.raises(TypeError, match="Input 'seed' of 'KMC2ChainInitialization'"):
            kmc2_chain_initialization([1.0, 2.0], tf.constant(1))
        points = tf.constant(np.ones((3, 2), np.float32))
        _, distances = nearest_neighbors(points, points, 1)
        assert tf.gradients(tf.reduce_sum(distances), points) == [None]


def test_kmeans_plus_plus_picks_distinct_rows_deterministically_for_a_seed():
    rng = np.random.RandomState(1)
    points = np.concatenate([rng.randn(30, 4) + offset for offset in (0, 20, 40)])
    points = points.astype(np.float32)
    with tf.Graph().as_default():
        seed = tf.placeholder(tf.int64, [])
        samples = kmeans_plus_plus_initialization(points, 3, seed, 2)
        assert samples.shape.as_list() == [3, 4]
        first, again = _run_twice(samples, {seed: 11})
        with tf.Session() as sess:
            other = sess.run(samples, {seed: 12})
    np.testing.assert_array_equal(first, again)
    for got in (first, other):
        rows = [int(np.flatnonzero((points == row).all(1))[0]) for row in got]
        # Far apart blobs: k-means++ takes one row from each.
        assert sorted(row // 30 for row in rows) == [0, 1, 2]
    assert not np.array_equal(first, other)


def test_kmeans_plus_plus_all_rows_and_errors_match_tensorflow():
    points = GOLDENS["nn_points"]
    with tf.Graph().as_default():
        count = tf.placeholder(tf.int64, [])
        samples = kmeans_plus_plus_initialization(points, count, 3, -1)
        with tf.Session() as sess:
            got = sess.run(samples, {count: 9})
            # Every row once (TF's own order differs: another random stream).
            np.testing.assert_array_equal(np.sort(got, axis=0),
                                          np.sort(GOLDENS["kpp_all_rows"], axis=0))
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match=r"Expected num_to_sample <= points\.rows\(\)\. 10 vs 9\."):
                sess.run(samples, {count: 10})
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match=r"Expected num_to_sample > 0\."):
                sess.run(samples, {count: 0})


def test_kmc2_chain_follows_distances_and_is_deterministic_for_a_seed():
    with tf.Graph().as_default():
        distances = tf.placeholder(tf.float32, [None])
        seed = tf.placeholder(tf.int64, [])
        index = kmc2_chain_initialization(distances, seed)
        assert index.shape.as_list() == [] and index.dtype == tf.int64
        single = np.zeros(6, np.float32)
        single[4] = 2.0
        with tf.Session() as sess:
            assert sess.run(index, {distances: single, seed: 5}) == GOLDENS["kmc2_single"] == 4
            assert sess.run(index, {distances: [3.0], seed: 0}) == 0
            # A growing distance is always accepted: the chain ends at the largest.
            assert sess.run(index, {distances: np.arange(1, 9, dtype=np.float32),
                                    seed: 1}) == 7
            skewed = np.full(200, 1e-3, np.float32)
            skewed[[50, 120]] = 1e3
            picks = {int(sess.run(index, {distances: skewed, seed: s})) for s in range(20)}
            # From 50 the chain moves to 120 (same distance) and almost never leaves it.
            assert picks == {120}
            repeat = np.random.RandomState(3).rand(50).astype(np.float32)
            assert sess.run(index, {distances: repeat, seed: 9}) == sess.run(
                index, {distances: repeat, seed: 9})
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match=r"Expected distances_tensor\.size\(\) > 0\."):
                sess.run(index, {distances: np.zeros(0, np.float32), seed: 1})
