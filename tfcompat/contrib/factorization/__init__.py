"""``tf.contrib.factorization`` (TF 1.15): the KMeans training graph, its distance and
initialization constants, the clustering ops (k-means++ and k-MC² seeding, nearest
neighbors) and the KMeansClustering estimator (tf.estimator.experimental.KMeans, imported
on first use). Not implemented yet: GMM and WALS."""
from tfcompat.contrib.factorization.clustering_ops import (COSINE_DISTANCE, KMC2_INIT,
                                                           KMEANS_PLUS_PLUS_INIT, RANDOM_INIT,
                                                           SQUARED_EUCLIDEAN_DISTANCE, KMeans)
from tfcompat.ops.clustering_ops import (kmc2_chain_initialization,
                                         kmeans_plus_plus_initialization, nearest_neighbors)

__all__ = ["KMeans", "COSINE_DISTANCE", "SQUARED_EUCLIDEAN_DISTANCE", "RANDOM_INIT",
           "KMEANS_PLUS_PLUS_INIT", "KMC2_INIT", "kmc2_chain_initialization",
           "kmeans_plus_plus_initialization", "nearest_neighbors", "KMeansClustering"]


def __getattr__(name):
    if name == "KMeansClustering":
        from tfcompat.estimator.canned.kmeans import KMeansClustering
        return KMeansClustering
    raise AttributeError(f"module 'tensorflow.contrib.factorization' has no attribute "
                         f"'{name}': tfcompat does not implement "
                         f"tf.contrib.factorization.{name} yet")
