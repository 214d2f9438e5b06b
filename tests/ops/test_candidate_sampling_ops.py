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


def test_learned_unigram_sampler_learns_from_true_classes():
    with tf.Graph().as_default():
        true_classes = tf.constant([[3, 3], [7, 3]], tf.int64)
        for module in (tf.nn, tf.random):
            sampled, true_expected, sampled_expected = module.learned_unigram_candidate_sampler(
                true_classes, 2, 5, False, 10, seed=4)
            assert sampled.op.type == "LearnedUnigramCandidateSampler"
        with tf.Session() as sess:
            first = sess.run(true_expected)
            np.testing.assert_allclose(first, np.full((2, 2), 0.5), rtol=1e-6)
            for _ in range(9):
                sess.run(true_expected)
            # after 10 batches class 3 was seen 30 times, class 7 10 times, of 40 + 10 weight
            values, expected, sampled_counts = sess.run([sampled, true_expected,
                                                         sampled_expected])
            np.testing.assert_allclose(expected, [[31 / 50 * 5] * 2, [11 / 50 * 5, 31 / 50 * 5]],
                                       rtol=1e-6)
            weights = np.ones(10)
            weights[3], weights[7] = 31, 11
            np.testing.assert_allclose(sampled_counts, weights[values] / weights.sum() * 5,
                                       rtol=1e-6)
        with tf.Session() as sess:  # the counts belong to the Session
            np.testing.assert_allclose(sess.run(true_expected), first)
