"""tf.contrib.factorization.KMeans: TF 1.15's training_graph 6-tuple and variables,
full-batch Lloyd steps and mini-batch running averages against NumPy, cosine distance,
the initialization modes (random, k-means++, k-MC², callable, given centers), sharded
inputs and the constructor's errors."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.contrib import factorization

BLOB_CENTERS = np.array([[0, 0, 1], [6, 6, 1], [0, 6, 3]], np.float32)


def _blobs(per_blob=20, seed=0):
    rng = np.random.RandomState(seed)
    points = np.concatenate([center + 0.4 * rng.randn(per_blob, 3) for center in BLOB_CENTERS])
    return points[rng.permutation(len(points))].astype(np.float32)


def _numpy_assign(points, centers, cosine=False):
    """(nearest index, distance to it, all distances) as KMeans defines them."""
    if cosine:
        unit = points / np.linalg.norm(points, axis=1, keepdims=True)
        all_distances = 1 - unit @ centers.T
    else:
        all_distances = ((points[:, None, :] - centers[None]) ** 2).sum(-1)
    nearest = all_distances.argmin(1)
    return nearest, all_distances[np.arange(len(points)), nearest], all_distances


def _numpy_lloyd_step(points, centers, cosine=False):
    nearest, _, _ = _numpy_assign(points, centers, cosine)
    if cosine:
        points = points / np.linalg.norm(points, axis=1, keepdims=True)
    sums = np.zeros_like(centers)
    np.add.at(sums, nearest, points)
    new = sums / (np.bincount(nearest, minlength=len(centers))[:, None] + 1e-6)
    return new / np.linalg.norm(new, axis=1, keepdims=True) if cosine else new


def _initialized_session(x, points, graph_tuple, max_init_runs=10):
    """A session with KMeans' variables set and init_op run until the centers are chosen;
    also returns how many init_op runs that took."""
    _, _, _, initialized, init_op, _ = graph_tuple
    sess = tf.Session()
    sess.run(tf.global_variables_initializer(), {x: points})
    runs = 0
    while not sess.run(initialized) and runs < max_init_runs:
        sess.run(init_op, {x: points})
        runs += 1
    return sess, runs


def _clusters_variable(name="clusters"):
    return [v for v in tf.global_variables() if v.op.name == name][0]


@pytest.mark.parametrize("cosine", [False, True])
def test_full_batch_steps_match_numpy_lloyd(cosine):
    points = _blobs()
    initial = points[:3] if not cosine else points[:3] / np.linalg.norm(points[:3], axis=1,
                                                                         keepdims=True)
    metric = factorization.COSINE_DISTANCE if cosine else factorization.SQUARED_EUCLIDEAN_DISTANCE
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 3])
        kmeans = factorization.KMeans(x, 3, initial_clusters=points[:3], distance_metric=metric)
        graph_tuple = kmeans.training_graph()
        all_scores, cluster_idx, scores, initialized, init_op, train_op = graph_tuple
        assert [v.op.name for v in tf.global_variables()] == ["clusters", "initialized"]
        assert isinstance(cluster_idx, tuple) and len(cluster_idx) == 1
        sess, runs = _initialized_session(x, points, graph_tuple)
        assert runs == 1
        sess.run(init_op, {x: points})  # already initialized: only asserts
        clusters = _clusters_variable()
        centers = initial.astype(np.float64)
        np.testing.assert_allclose(sess.run(clusters), centers, rtol=1e-6)
        for _ in range(4):
            got_all, got_idx, got_scores, _ = sess.run(
                [all_scores[0], cluster_idx[0], scores[0], train_op], {x: points})
            nearest, distance, all_distances = _numpy_assign(points, centers, cosine)
            np.testing.assert_array_equal(got_idx, nearest)
            np.testing.assert_allclose(got_scores, distance, rtol=1e-4, atol=1e-4)
            np.testing.assert_allclose(got_all, all_distances, rtol=1e-4, atol=1e-4)
            centers = _numpy_lloyd_step(points, centers, cosine)
            np.testing.assert_allclose(sess.run(clusters), centers, rtol=1e-5, atol=1e-5)


def test_mini_batch_running_average_matches_numpy():
    points = _blobs()
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 3])
        kmeans = factorization.KMeans(x, 3, initial_clusters=points[:3], use_mini_batch=True)
        graph_tuple = kmeans.training_graph()
        train_op = graph_tuple[-1]
        assert [v.op.name for v in tf.global_variables()] == ["clusters", "initialized",
                                                              "Variable"]
        sess, _ = _initialized_session(x, points, graph_tuple)
        centers, counts = points[:3].astype(np.float64), np.ones(3)
        for step in range(4):
            batch = points[step * 10:(step + 1) * 10]
            sess.run(train_op, {x: batch})
            nearest, _, _ = _numpy_assign(batch, centers)
            for cluster in np.unique(nearest):
                mine = batch[nearest == cluster]
                counts[cluster] += len(mine)
                centers[cluster] += (mine.sum(0) - len(mine) * centers[cluster]) / counts[cluster]
            np.testing.assert_allclose(sess.run(_clusters_variable()), centers, rtol=1e-5,
                                       atol=1e-5)
        np.testing.assert_array_equal(sess.run(_clusters_variable("Variable")), counts)


def test_mini_batch_with_several_steps_per_iteration_syncs_the_updated_copy():
    points = _blobs()
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 3])
        kmeans = factorization.KMeans(x, 3, initial_clusters=points[:3], use_mini_batch=True,
                                      mini_batch_steps_per_iteration=2)
        graph_tuple = kmeans.training_graph()
        names = [v.op.name for v in tf.global_variables()]
        assert names == ["clusters", "initialized", "clusters_updated", "update_in_steps",
                         "Variable"]
        sess, _ = _initialized_session(x, points, graph_tuple)
        clusters, updated = _clusters_variable(), _clusters_variable("clusters_updated")
        np.testing.assert_array_equal(sess.run(updated), points[:3])
        for step in range(2):
            sess.run(graph_tuple[-1], {x: points[step * 10:(step + 1) * 10]})
            np.testing.assert_array_equal(sess.run(clusters), points[:3])
        before_sync = sess.run(updated)
        assert not np.array_equal(before_sync, points[:3])
        sess.run(graph_tuple[-1], {x: points[20:30]})
        np.testing.assert_array_equal(sess.run(clusters), before_sync)
        assert sess.run(_clusters_variable("update_in_steps")) == 1


@pytest.mark.parametrize("init", [factorization.RANDOM_INIT,
                                  factorization.KMEANS_PLUS_PLUS_INIT])
def test_random_and_kmeans_plus_plus_init_choose_input_rows(init):
    points = _blobs()
    chosen = []
    for _ in range(2):
        with tf.Graph().as_default():
            x = tf.placeholder(tf.float32, [None, 3])
            kmeans = factorization.KMeans(x, 3, initial_clusters=init, random_seed=4)
            sess, runs = _initialized_session(x, points, kmeans.training_graph())
            assert runs == 1
            chosen.append(sess.run(_clusters_variable()))
    np.testing.assert_array_equal(chosen[0], chosen[1])  # the seed fixes the choice
    rows = [int(np.flatnonzero((points == row).all(1))[0]) for row in chosen[0]]
    assert len(rows) == 3
    if init == factorization.KMEANS_PLUS_PLUS_INIT:
        assert len({tuple(BLOB_CENTERS[np.argmin(((BLOB_CENTERS - points[r]) ** 2).sum(1))])
                    for r in rows}) == 3  # one per far-apart blob


def test_kmc2_adds_one_center_per_chain_until_initialized():
    points = _blobs()  # 60 rows, chains of 40: one new center per init_op run
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 3])
        kmeans = factorization.KMeans(x, 3, initial_clusters=factorization.KMC2_INIT,
                                      kmc2_chain_length=40)
        sess, runs = _initialized_session(x, points, kmeans.training_graph())
        centers = sess.run(_clusters_variable())
    assert runs == 3 and centers.shape == (3, 3)
    np.testing.assert_array_equal(centers[0], points[0])
    for center in centers:
        assert (points == center).all(1).any()


def test_random_init_takes_a_small_batch_whole_over_several_runs():
    points = _blobs()
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 3])
        kmeans = factorization.KMeans(x, 3, use_mini_batch=True)
        all_scores, _, _, initialized, init_op, _ = kmeans.training_graph()
        sess = tf.Session()
        sess.run(tf.global_variables_initializer(), {x: points[:2]})
        sess.run(init_op, {x: points[:2]})
        assert not sess.run(initialized)
        np.testing.assert_array_equal(sess.run(_clusters_variable()), points[:2])
        sess.run(init_op, {x: points[2:4]})
        assert sess.run(initialized)
        centers = sess.run(_clusters_variable())
        assert centers.shape == (3, 3) and (points[2:4] == centers[2]).all(1).any()
        assert sess.run(all_scores[0], {x: points}).shape == (60, 3)


def test_callable_init_and_sharded_inputs():
    points = _blobs()

    def first_rows(inputs, num_remaining):
        return inputs[0][:num_remaining]

    with tf.Graph().as_default():
        shards = [tf.constant(points[:25]), tf.constant(points[25:])]
        kmeans = factorization.KMeans(shards, 3, initial_clusters=first_rows)
        all_scores, cluster_idx, scores, initialized, init_op, train_op = \
            kmeans.training_graph()
        assert len(cluster_idx) == 2 and len(scores) == 2 and len(all_scores) == 2
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(init_op)
            assert sess.run(initialized)
            sess.run(train_op)
            np.testing.assert_allclose(sess.run(_clusters_variable()),
                                       _numpy_lloyd_step(points, points[:3].astype(float)),
                                       rtol=1e-5, atol=1e-5)


def test_constructor_errors_and_unimplemented_names():
    with pytest.raises(ValueError, match="Unsupported initialization algorithm 'kmeans'"):
        factorization.KMeans(np.zeros((2, 2), np.float32), 2, initial_clusters="kmeans")
    with pytest.raises(ValueError, match="Unsupported distance metric 'manhattan'"):
        factorization.KMeans(np.zeros((2, 2), np.float32), 2, distance_metric="manhattan")
    with pytest.raises(AttributeError, match="tfcompat does not implement "
                                             "tf.contrib.factorization.GMM yet"):
        factorization.GMM  # noqa: B018
    assert tf.contrib.factorization.KMeans is factorization.KMeans
