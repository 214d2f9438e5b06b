"""tf.random's gamma, poisson, crop, stateless ops and candidate samplers: shapes, seeds,
distributions on modest samples, the gamma sample's reparameterised gradient, errors."""
import numpy as np
import pytest
import scipy.special

import tfcompat as tf
from tfcompat.ops import random_ops


def _run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


def test_random_gamma_shape_seed_and_moments():
    with tf.Graph().as_default():
        tf.set_random_seed(3)
        alpha = tf.constant([0.5, 2.0, 7.0])
        samples = tf.random_gamma([20000], alpha, beta=tf.constant([[1.0], [2.0]]))
        assert samples.shape.as_list() == [20000, 2, 3]
        first, second = _run(samples), _run(samples)
        np.testing.assert_array_equal(first, second)  # a new Session restarts the sequence
        mean = first.mean(0)
        np.testing.assert_allclose(mean, np.array([[0.5, 2, 7], [0.25, 1, 3.5]]), rtol=0.05)
        assert first.min() > 0 and samples.dtype == tf.float32


def test_random_gamma_gradient_is_the_implicit_derivative():
    with tf.Graph().as_default():
        alpha = tf.constant([0.7, 1.5, 4.0], tf.float64)
        sample = tf.random_gamma([3], alpha, dtype=tf.float64, seed=5)
        grad = tf.gradients(tf.reduce_sum(sample), alpha)[0]
        x, g = _run([sample, grad])
    a = np.array([0.7, 1.5, 4.0])
    cdf = scipy.special.gammainc(a, x)
    step = 1e-6
    expected = (scipy.special.gammaincinv(a + step, cdf)
                - scipy.special.gammaincinv(a - step, cdf)) / (2 * step)
    np.testing.assert_allclose(g, expected.sum(0), rtol=1e-4)


def test_random_poisson_and_crop():
    with tf.Graph().as_default():
        counts = tf.random_poisson([1.0, 10.0], [5000], seed=1)
        assert counts.shape.as_list() == [5000, 2] and counts.dtype == tf.float32
        np.testing.assert_allclose(_run(counts).mean(0), [1.0, 10.0], rtol=0.06)
        image = np.arange(5 * 6 * 2).reshape(5, 6, 2)
        crop = tf.random_crop(image, [3, 4, 2], seed=2)
        assert crop.shape.as_list() == [3, 4, 2]
        value = _run(crop)
        row, col = np.argwhere(image[..., 0] == value[0, 0, 0])[0]
        np.testing.assert_array_equal(value, image[row:row + 3, col:col + 4])
        with pytest.raises(ValueError, match="Need value.shape >= size"):
            tf.random_crop(image, [6, 4, 2])
        fed = tf.placeholder(tf.int64, [None, None, 2])
        with pytest.raises(tf.errors.InvalidArgumentError, match="Need value.shape >= size"):
            _run(tf.random_crop(fed, [3, 4, 2]), {fed: image[:2]})


def test_categorical_is_multinomial():
    with tf.Graph().as_default():
        draws = tf.random.categorical(tf.log([[0.1, 0.9]]), 4000, seed=4)
        assert draws.dtype == tf.int64 and draws.shape.as_list() == [1, 4000]
        assert abs(_run(draws).mean() - 0.9) < 0.03


STATELESS = [
    ("uniform", lambda seed: tf.random.stateless_uniform([400], seed), 0.5),
    ("uniform_int", lambda seed: tf.random.stateless_uniform([400], seed, 0, 10, tf.int32), 4.5),
    ("normal", lambda seed: tf.random.stateless_normal([400], seed, mean=3.0), 3.0),
    ("truncated", lambda seed: tf.random.stateless_truncated_normal([400], seed), 0.0),
    ("categorical", lambda seed: tf.random.stateless_categorical(
        tf.log([[0.5, 0.5]]), 400, seed), 0.5),
    ("binomial", lambda seed: tf.random.stateless_binomial([400], seed, 10.0, 0.3), 3.0),
]


@pytest.mark.parametrize("build,mean", [c[1:] for c in STATELESS], ids=[c[0] for c in STATELESS])
def test_stateless_ops_depend_on_the_seed_only(build, mean):
    with tf.Graph().as_default():
        a, b, c = build([1, 2]), build([1, 2]), build([2, 1])
        values = _run([a, b, c])
        np.testing.assert_array_equal(values[0], values[1])
        np.testing.assert_array_equal(values[0], _run(a))
        assert not np.array_equal(values[0], values[2])
        assert abs(values[0].mean() - mean) < 0.25 * max(1.0, abs(mean))
        assert a.shape.as_list()[-1] == 400


def test_stateless_truncated_normal_stays_within_two_stddevs_and_seed_is_checked():
    with tf.Graph().as_default():
        values = _run(tf.random.stateless_truncated_normal([2000], [7, 7]))
        assert np.abs(values).max() <= 2.0
        seed = tf.placeholder(tf.int64, [None])
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"seed must have shape \[2\]"):
            _run(tf.random.stateless_normal([3], seed), {seed: [1, 2, 3]})
        with pytest.raises(TypeError, match="seed"):
            tf.random.stateless_normal([3], tf.constant([1.0, 2.0]))


@pytest.mark.parametrize("unique", [False, True])
@pytest.mark.parametrize("sampler,probability", [
    (tf.random.uniform_candidate_sampler, lambda c, n: np.full_like(c, 1.0 / n, np.float64)),
    (tf.random.log_uniform_candidate_sampler,
     lambda c, n: np.log((c + 2.0) / (c + 1.0)) / np.log(n + 1.0)),
], ids=["uniform", "log_uniform"])
def test_candidate_samplers(sampler, probability, unique):
    true_classes = np.array([[1, 3], [0, 7]], np.int64)
    with tf.Graph().as_default():
        sampled, true_count, sampled_count = sampler(true_classes, 2, 5, unique, 10, seed=3)
        assert sampled.shape.as_list() == [5] and true_count.shape.as_list() == [2, 2]
        s, t, c = _run([sampled, true_count, sampled_count])
    assert s.dtype == np.int64 and ((s >= 0) & (s < 10)).all()
    if unique:
        assert len(set(s.tolist())) == 5
        assert (t > probability(true_classes, 10)).all() and (t < 1).all()
    else:
        np.testing.assert_allclose(t, 5 * probability(true_classes, 10), rtol=1e-6)
        np.testing.assert_allclose(c, 5 * probability(s, 10), rtol=1e-6)


def test_fixed_unigram_and_all_candidate_samplers(tmp_path):
    with tf.Graph().as_default():
        sampled, true_count, _ = tf.random.fixed_unigram_candidate_sampler(
            [[2]], 1, 200, False, 4, unigrams=[0.0, 1.0, 3.0], num_reserved_ids=1, seed=1)
        s, t = _run([sampled, true_count])
        assert set(s.tolist()) <= {2, 3}
        np.testing.assert_allclose(t, [[200 * 0.25]], rtol=1e-6)
        vocab = tmp_path / "vocab.txt"
        vocab.write_text("a,1\nb,3\n")
        sampled, _, counts = tf.random.fixed_unigram_candidate_sampler(
            [[0]], 1, 3, False, 2, vocab_file=str(vocab), seed=1)
        assert set(_run(sampled).tolist()) <= {0, 1}
        everything = tf.random.all_candidate_sampler([[1, 2]], 2, 4, True)
        s, t, c = _run(list(everything))
        np.testing.assert_array_equal(s, np.arange(4))
        assert (t == 1).all() and (c == 1).all()
        with pytest.raises(tf.errors.InvalidArgumentError, match="range is too small"):
            _run(tf.random.uniform_candidate_sampler([[1]], 1, 5, True, 3)[0])


def test_random_namespace_names():
    assert tf.random.uniform is tf.random_uniform
    assert tf.random.normal is tf.random_normal
    assert tf.random.shuffle is tf.random_shuffle
    assert tf.random.gamma is tf.random_gamma
    assert tf.random.set_random_seed is tf.set_random_seed
    assert tf.random.truncated_normal is random_ops.truncated_normal
    with tf.Graph().as_default():
        tf.set_random_seed(5)
        assert tf.get_seed(7) == (5, 7)
