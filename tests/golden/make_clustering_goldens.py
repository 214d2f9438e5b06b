"""Writes tests/golden/clustering_goldens.npz from real TensorFlow (run with
/work/tfvenv/bin/python from the worktree root): NearestNeighbors on small inputs (k below,
equal to and above the number of centers, tied distances), and the sets of rows TF's
KmeansPlusPlusInitialization and KMC2ChainInitialization can choose where the choice is forced."""
import numpy as np
import tensorflow as tf


def main():
    rng = np.random.RandomState(7)
    out = {}
    points = rng.randn(9, 3).astype(np.float32)
    centers = rng.randn(4, 3).astype(np.float32)
    tied_points = np.array([[0, 0], [1, 1], [2, 0]], np.float32)
    tied_centers = np.array([[1, 0], [-1, 0], [0, 1], [0, -1], [3, 0]], np.float32)
    out["nn_points"], out["nn_centers"] = points, centers
    out["nn_tied_points"], out["nn_tied_centers"] = tied_points, tied_centers
    for k in (1, 2, 4, 6):
        indices, distances = tf.raw_ops.NearestNeighbors(points=points, centers=centers, k=k)
        out[f"nn_indices_k{k}"], out[f"nn_distances_k{k}"] = indices.numpy(), distances.numpy()
    for k in (1, 3):
        indices, distances = tf.raw_ops.NearestNeighbors(points=tied_points,
                                                         centers=tied_centers, k=k)
        out[f"nn_tied_indices_k{k}"] = indices.numpy()
        out[f"nn_tied_distances_k{k}"] = distances.numpy()
    # All rows asked for: k-means++ returns every row once, in some order.
    samples = tf.raw_ops.KmeansPlusPlusInitialization(
        points=points, num_to_sample=9, seed=3, num_retries_per_sample=-1)
    out["kpp_all_rows"] = samples.numpy()
    # Zero distances everywhere but one candidate: the chain ends there.
    distances = np.zeros(6, np.float32)
    distances[4] = 2.0
    out["kmc2_single"] = tf.raw_ops.KMC2ChainInitialization(distances=distances,
                                                            seed=5).numpy()
    np.savez("tests/golden/clustering_goldens.npz", **out)


if __name__ == "__main__":
    main()
