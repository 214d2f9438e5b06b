"""tf.estimator.experimental.KMeans / tf.contrib.factorization.KMeansClustering: TF 1.15's
docstring example (limit_epochs input_fn, full batch): train runs the init hook then Lloyd
steps matching NumPy, cluster_centers, score, predict_cluster_index, transform, the
relative-tolerance stop, dict features, and the constructor's errors."""
import numpy as np
import pytest

import tfcompat as tf

CENTERS = np.array([[0, 0], [10, 10], [0, 10]], np.float32)


def _points():
    rng = np.random.RandomState(0)
    points = np.concatenate([c + rng.randn(15, 2) for c in CENTERS]).astype(np.float32)
    return points[rng.permutation(len(points))]


def _lloyd(points, centers, steps):
    for _ in range(steps):
        nearest = ((points[:, None] - centers[None]) ** 2).sum(-1).argmin(1)
        centers = np.stack([points[nearest == c].sum(0) / ((nearest == c).sum() + 1e-6)
                            for c in range(len(centers))])
    return centers


def test_full_batch_estimator_trains_scores_and_predicts(tmp_path):
    points = _points()

    def input_fn():
        return tf.train.limit_epochs(tf.convert_to_tensor(points, dtype=tf.float32),
                                     num_epochs=1)

    kmeans = tf.estimator.experimental.KMeans(num_clusters=3, model_dir=str(tmp_path),
                                              initial_clusters=points[:3],
                                              use_mini_batch=False)
    assert tf.contrib.factorization.KMeansClustering is type(kmeans)
    for iteration in range(1, 4):
        kmeans.train(input_fn)
        centers = kmeans.cluster_centers()
        np.testing.assert_allclose(centers, _lloyd(points, points[:3], iteration), rtol=1e-4,
                                   atol=1e-4)
    assert kmeans.get_variable_value("global_step") == 3
    distances = ((points[:, None] - centers[None]) ** 2).sum(-1)
    np.testing.assert_allclose(kmeans.score(input_fn), distances.min(1).sum(), rtol=1e-4)
    indices = list(kmeans.predict_cluster_index(input_fn))
    np.testing.assert_array_equal(indices, distances.argmin(1))
    all_distances = np.array(list(kmeans.transform(input_fn)))
    np.testing.assert_allclose(all_distances, distances, rtol=1e-3, atol=1e-3)


def test_mini_batch_kmeans_plus_plus_with_dict_features_and_tolerance_stop(tmp_path):
    points = _points()

    def input_fn():
        features = {"y": tf.constant(points[:, 1:]), "x": tf.constant(points[:, :1])}
        return features, None

    kmeans = tf.contrib.factorization.KMeansClustering(
        num_clusters=3, model_dir=str(tmp_path),
        initial_clusters=tf.contrib.factorization.KMeansClustering.KMEANS_PLUS_PLUS_INIT,
        relative_tolerance=1e-3)
    kmeans.train(input_fn, steps=50)
    assert kmeans.get_variable_value("global_step") < 50  # stopped by the tolerance
    centers = kmeans.cluster_centers()
    nearest_true = ((centers[:, None] - CENTERS[None]) ** 2).sum(-1).argmin(1)
    assert sorted(nearest_true) == [0, 1, 2]
    np.testing.assert_allclose(np.sort(centers, 0), np.sort(CENTERS, 0), atol=0.8)


def test_constructor_errors():
    with pytest.raises(ValueError, match="Unsupported initialization algorithm 'kmc2'"):
        tf.estimator.experimental.KMeans(3, initial_clusters="kmc2")
    with pytest.raises(ValueError, match="Unsupported distance metric 'l1'"):
        tf.estimator.experimental.KMeans(3, distance_metric="l1")
