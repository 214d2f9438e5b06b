"""tf.nn.embedding_lookup_sparse and safe_embedding_lookup_sparse against goldens written by
real TensorFlow (tests/golden/make_nn_extra_goldens.py): every combiner with and without
weights (values and parameter gradients), partitioned params, pruning of invalid ids and
weights, empty rows, default ids, float64 finite differences and TF's errors. Weighted
"mean"/"sqrtn" rows with no ids are 0/0 = NaN as in TF 1.15 (TF 2.x's goldens have 0)."""
import pathlib

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.test import check_gradients

GOLDEN = np.load(pathlib.Path(__file__).parent / "golden" / "nn_extra_goldens.npz")


def _sparse(values, shape=(5, 3)):
    return tf.SparseTensor(GOLDEN["emb_indices"], values, list(shape))


@pytest.mark.parametrize("combiner", ["sum", "mean", "sqrtn"])
@pytest.mark.parametrize("weighted", [False, True])
def test_embedding_lookup_sparse_matches_tensorflow(combiner, weighted):
    key = f"emb_{combiner}_{int(weighted)}"
    with tf.Graph().as_default(), tf.Session() as sess:
        params = tf.constant(GOLDEN["emb_params"])
        weights = _sparse(GOLDEN["emb_weights"]) if weighted else None
        y = tf.nn.embedding_lookup_sparse(params, _sparse(GOLDEN["emb_ids"]), weights,
                                          combiner=combiner)
        assert y.op.name == "embedding_lookup_sparse"
        grad = tf.convert_to_tensor(tf.gradients(tf.reduce_sum(y * y), params)[0])
        value, grad_value = sess.run([y, grad])
        expected = GOLDEN[key].copy()
        if weighted and combiner != "sum":  # TF 1.15 divides 0 by 0 on the empty row 2
            expected[2] = np.nan  # (later TFs, which wrote the goldens, use div_no_nan)
        np.testing.assert_allclose(value, expected, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(grad_value, GOLDEN[key + "_g"], rtol=1e-5, atol=1e-6)


def test_partitioned_and_safe_lookups_match_tensorflow():
    params = GOLDEN["emb_params"]
    with tf.Graph().as_default(), tf.Session() as sess:
        pc = tf.constant(params)
        parts = [pc[:2], pc[2:4], pc[4:]]
        y = tf.nn.embedding_lookup_sparse(parts, _sparse(GOLDEN["emb_ids"]),
                                          _sparse(GOLDEN["emb_weights"]),
                                          partition_strategy="div", combiner="sqrtn")
        expected = GOLDEN["emb_partitioned"].copy()
        expected[2] = np.nan
        np.testing.assert_allclose(sess.run(y), expected, rtol=1e-5, atol=1e-6)
        indices = [[0, 0, 0], [0, 0, 1], [0, 1, 0], [1, 1, 1], [1, 1, 2]]
        ids = tf.SparseTensor(indices, np.array([2, -1, 3, 5, 0], np.int64), [2, 2, 3])
        weights = tf.SparseTensor(indices, np.array([1.0, 2.0, 0.0, 0.5, 1.5], np.float32),
                                  [2, 2, 3])
        for combiner in ("mean", "sum"):
            safe = tf.nn.safe_embedding_lookup_sparse(pc, ids, weights, combiner=combiner)
            assert safe.shape.as_list() == [None, None, 3]
            np.testing.assert_allclose(sess.run(safe), GOLDEN[f"safe_{combiner}"], rtol=1e-5,
                                       atol=1e-6)
        safe = tf.nn.safe_embedding_lookup_sparse(pc, ids, None, default_id=4)
        np.testing.assert_allclose(sess.run(safe), GOLDEN["safe_default"], rtol=1e-5,
                                   atol=1e-6)


@pytest.mark.parametrize("combiner", ["sum", "mean", "sqrtn"])
def test_gradients_finite_differences(combiner):
    rng = np.random.default_rng(0)

    def build(params, weight_values):
        ids = _sparse(GOLDEN["emb_ids"])
        weights = _sparse(weight_values)
        return tf.nn.embedding_lookup_sparse(params, ids, weights, combiner=combiner)
    check_gradients(build, rng.normal(size=(6, 3)), rng.uniform(0.5, 2.0, size=6))


def test_errors():
    with tf.Graph().as_default():
        params = tf.zeros([4, 2])
        ids = tf.SparseTensor([[0, 0]], np.array([1], np.int64), [1, 1])
        with pytest.raises(ValueError, match="combiner must be one of 'mean', 'sqrtn' or 'sum'"):
            tf.nn.embedding_lookup_sparse(params, ids, None, combiner="max")
        with pytest.raises(TypeError, match="sp_ids must be SparseTensor"):
            tf.nn.embedding_lookup_sparse(params, [[1]], None)
        with pytest.raises(TypeError, match="sp_weights must be either None or SparseTensor"):
            tf.nn.embedding_lookup_sparse(params, ids, [1.0])
        with pytest.raises(ValueError, match="Missing embedding_weights"):
            tf.nn.safe_embedding_lookup_sparse([], ids)
