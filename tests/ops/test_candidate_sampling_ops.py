"""Candidate samplers and accidental hits."""
import numpy as np
import pytest

import tfcompat as tf


def test_log_uniform_unique_samples_and_expected_counts():
    with tf.Graph().as_default():
        sampled, true_expected, sampled_expected = tf.nn.log_uniform_candidate_sampler(
            [[1, 2], [0, 7]], num_true=2, num_sampled=6, unique=True, range_max=10, seed=3)
        assert sampled.shape.as_list() == [6] and true_expected.shape.as_list() == [2, 2]
        with tf.Session() as sess:
            got = sess.run([sampled, true_expected, sampled_expected])
    assert len(set(got[0])) == 6 and got[0].min() >= 0 and got[0].max() < 10
    p = np.log((got[0] + 2.0) / (got[0] + 1.0)) / np.log(11.0)
    # unique sampling: expected = 1 - (1 - p)^tries for one common number of tries
    tries = np.log1p(-got[2].astype(np.float64)) / np.log1p(-p)
    np.testing.assert_allclose(tries, tries[0], rtol=1e-4)
    assert tries[0] >= 6


def test_uniform_non_unique_expected_count():
    with tf.Graph().as_default():
        sampled, true_expected, sampled_expected = tf.nn.uniform_candidate_sampler(
            [[3]], num_true=1, num_sampled=4, unique=False, range_max=8, seed=1)
        with tf.Session() as sess:
            got = sess.run([sampled, true_expected, sampled_expected])
    np.testing.assert_allclose(got[1], [[0.5]])
    np.testing.assert_allclose(got[2], [0.5] * 4)


def test_sampler_range_too_small_and_accidental_hits():
    with tf.Graph().as_default():
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError, match="range is too small"):
                sess.run(tf.nn.uniform_candidate_sampler([[0]], 1, 5, True, 3)[0])
            indices, ids, weights = sess.run(tf.nn.compute_accidental_hits(
                [[1, 2], [3, 4]], [2, 5, 3, 1], num_true=2))
    np.testing.assert_array_equal(indices, [0, 0, 1])
    np.testing.assert_array_equal(ids, [0, 3, 2])
    assert (weights == -np.finfo(np.float32).max).all()
