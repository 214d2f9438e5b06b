"""tf.distributions: densities, cdfs, moments and entropies against scipy.stats, sample
shapes and sample moments, KL divergences against numerical integrals or sums, and TF's
argument rules."""
import numpy as np
import pytest
from scipy import stats

import tfcompat as tf

X = np.array([0.3, 1.7, 2.5], np.float64)
POSITIVE = np.array([0.4, 1.2, 3.0], np.float64)
UNIT = np.array([0.15, 0.5, 0.85], np.float64)


def _run(fetches):
    with tf.Session() as sess:
        return sess.run(fetches)


CASES = {
    "normal": (lambda: tf.distributions.Normal(np.float64([0.5, -1.0, 2.0]),
                                               np.float64([1.5, 0.7, 2.0])),
               stats.norm(loc=[0.5, -1.0, 2.0], scale=[1.5, 0.7, 2.0]), X),
    "uniform": (lambda: tf.distributions.Uniform(np.float64([0.0, 1.0, -1.0]),
                                                 np.float64([1.0, 3.0, 4.0])),
                stats.uniform(loc=[0.0, 1.0, -1.0], scale=[1.0, 2.0, 5.0]),
                np.array([0.3, 1.7, 2.5])),
    "laplace": (lambda: tf.distributions.Laplace(np.float64([0.0, 1.0, 2.0]),
                                                 np.float64(1.3)),
                stats.laplace(loc=[0.0, 1.0, 2.0], scale=1.3), X),
    "student_t": (lambda: tf.distributions.StudentT(np.float64([3.0, 5.0, 9.0]),
                                                    np.float64(0.5), np.float64(2.0)),
                  stats.t(df=[3.0, 5.0, 9.0], loc=0.5, scale=2.0), X),
    "gamma": (lambda: tf.distributions.Gamma(np.float64([2.0, 3.5, 0.8]),
                                             np.float64([1.0, 2.0, 0.5])),
              stats.gamma(a=[2.0, 3.5, 0.8], scale=1 / np.array([1.0, 2.0, 0.5])), POSITIVE),
    "exponential": (lambda: tf.distributions.Exponential(np.float64([0.5, 1.0, 2.0])),
                    stats.expon(scale=1 / np.array([0.5, 1.0, 2.0])), POSITIVE),
    "beta": (lambda: tf.distributions.Beta(np.float64([2.0, 0.7, 5.0]),
                                           np.float64([3.0, 1.5, 1.2])),
             stats.beta(a=[2.0, 0.7, 5.0], b=[3.0, 1.5, 1.2]), UNIT),
}


@pytest.mark.parametrize("key", sorted(CASES))
def test_scalar_distributions_match_scipy(key):
    build, reference, x = CASES[key]
    with tf.Graph().as_default():
        dist = build()
        fetched = _run([dist.log_prob(x), dist.prob(x), dist.cdf(x), dist.mean(),
                        dist.variance(), dist.stddev(), dist.entropy()])
        assert dist.batch_shape.as_list() == [3] and dist.event_shape.as_list() == []
    expected = [reference.logpdf(x), reference.pdf(x), reference.cdf(x), reference.mean(),
                reference.var(), reference.std(), reference.entropy()]
    for got, want in zip(fetched, expected):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("key", sorted(CASES))
def test_samples_have_tf_shapes_and_the_right_moments(key):
    build, reference, _ = CASES[key]
    with tf.Graph().as_default():
        dist = build()
        draws = dist.sample([4000, 5], seed=3)
        assert draws.shape.as_list() == [4000, 5, 3]
        values = _run(draws)
    flat = values.reshape(-1, 3)
    tolerance = 6 * np.sqrt(reference.var() / flat.shape[0])  # six standard errors
    assert np.all(np.abs(flat.mean(0) - reference.mean()) <= tolerance)


def test_discrete_distributions_match_scipy():
    probs = np.array([0.2, 0.5, 0.9])
    with tf.Graph().as_default():
        bernoulli = tf.distributions.Bernoulli(probs=probs)
        categorical = tf.distributions.Categorical(logits=np.log([[0.2, 0.3, 0.5],
                                                                  [0.6, 0.3, 0.1]]))
        multinomial = tf.distributions.Multinomial(5.0, probs=[0.2, 0.3, 0.5])
        got = _run([bernoulli.log_prob([1, 0, 1]), bernoulli.entropy(), bernoulli.mean(),
                    bernoulli.mode(), categorical.log_prob([2, 0]), categorical.entropy(),
                    categorical.mode(), multinomial.log_prob([1.0, 1.0, 3.0]),
                    multinomial.mean(), bernoulli.sample(4000, seed=1),
                    categorical.sample([3000], seed=2), multinomial.sample(2000, seed=5)])
    np.testing.assert_allclose(got[0], stats.bernoulli(probs).logpmf([1, 0, 1]), rtol=1e-6)
    np.testing.assert_allclose(got[1], stats.bernoulli(probs).entropy(), rtol=1e-6)
    np.testing.assert_allclose(got[2], probs)
    assert got[3].tolist() == [0, 0, 1] and got[3].dtype == np.int32
    np.testing.assert_allclose(got[4], np.log([0.5, 0.6]), rtol=1e-6)
    np.testing.assert_allclose(got[5], [stats.entropy([0.2, 0.3, 0.5]),
                                        stats.entropy([0.6, 0.3, 0.1])], rtol=1e-6)
    assert got[6].tolist() == [2, 0]
    np.testing.assert_allclose(got[7], stats.multinomial(5, [0.2, 0.3, 0.5]).logpmf(
        [1, 1, 3]), rtol=1e-5)
    np.testing.assert_allclose(got[8], [1.0, 1.5, 2.5], rtol=1e-6)
    assert got[9].shape == (4000, 3)
    np.testing.assert_allclose(got[9].mean(0), probs, atol=0.04)
    assert got[10].shape == (3000, 2)
    np.testing.assert_allclose(np.bincount(got[10][:, 0], minlength=3) / 3000,
                               [0.2, 0.3, 0.5], atol=0.04)
    assert got[11].shape == (2000, 3) and np.all(got[11].sum(-1) == 5)
    np.testing.assert_allclose(got[11].mean(0), [1.0, 1.5, 2.5], atol=0.1)


def test_dirichlet_against_scipy():
    alpha = np.array([1.5, 2.0, 3.5])
    point = np.array([0.2, 0.3, 0.5])
    with tf.Graph().as_default():
        dist = tf.distributions.Dirichlet(alpha)
        got = _run([dist.log_prob(point), dist.entropy(), dist.mean(), dist.variance(),
                    dist.sample(3000, seed=4)])
        assert dist.event_shape.as_list() == [3] and dist.batch_shape.as_list() == []
    reference = stats.dirichlet(alpha)
    np.testing.assert_allclose(got[0], reference.logpdf(point), rtol=1e-6)
    np.testing.assert_allclose(got[1], reference.entropy(), rtol=1e-6)
    np.testing.assert_allclose(got[2], reference.mean(), rtol=1e-6)
    np.testing.assert_allclose(got[3], reference.var(), rtol=1e-6)
    np.testing.assert_allclose(got[4].mean(0), reference.mean(), atol=0.02)


def test_kl_divergences_against_numerical_integrals():
    grid = np.linspace(-12, 12, 200001)
    p, q = stats.norm(0.3, 1.2), stats.norm(-0.5, 0.8)
    normal_kl = np.trapezoid(p.pdf(grid) * (p.logpdf(grid) - q.logpdf(grid)), grid)
    unit = np.linspace(1e-7, 1 - 1e-7, 400001)
    pb, qb = stats.beta(2.0, 3.0), stats.beta(1.5, 1.2)
    beta_kl = np.trapezoid(pb.pdf(unit) * (pb.logpdf(unit) - qb.logpdf(unit)), unit)
    positive = np.linspace(1e-9, 60, 600001)
    pg, qg = stats.gamma(2.5, scale=1 / 1.5), stats.gamma(1.5, scale=1 / 0.7)
    gamma_kl = np.trapezoid(pg.pdf(positive) * (pg.logpdf(positive) - qg.logpdf(positive)),
                            positive)
    with tf.Graph().as_default():
        kls = [tf.distributions.kl_divergence(tf.distributions.Normal(0.3, 1.2),
                                              tf.distributions.Normal(-0.5, 0.8)),
               tf.distributions.kl_divergence(tf.distributions.Beta(2.0, 3.0),
                                              tf.distributions.Beta(1.5, 1.2)),
               tf.distributions.Gamma(2.5, 1.5).kl_divergence(tf.distributions.Gamma(1.5, 0.7)),
               tf.distributions.kl_divergence(tf.distributions.Bernoulli(probs=0.3),
                                              tf.distributions.Bernoulli(probs=0.6)),
               tf.distributions.kl_divergence(
                   tf.distributions.Categorical(probs=[0.2, 0.8]),
                   tf.distributions.Categorical(probs=[0.5, 0.5])),
               tf.distributions.kl_divergence(tf.distributions.Dirichlet([1.0, 2.0]),
                                              tf.distributions.Dirichlet([1.0, 2.0]))]
        got = _run(kls)
    bern = 0.3 * np.log(0.3 / 0.6) + 0.7 * np.log(0.7 / 0.4)
    cat = 0.2 * np.log(0.2 / 0.5) + 0.8 * np.log(0.8 / 0.5)
    np.testing.assert_allclose(got, [normal_kl, beta_kl, gamma_kl, bern, cat, 0.0],
                               rtol=1e-4, atol=1e-6)


def test_reparameterised_samples_carry_gradients():
    with tf.Graph().as_default():
        loc = tf.Variable(0.5)
        scale = tf.Variable(2.0)
        draws = tf.distributions.Normal(loc, scale).sample(1000, seed=1)
        grads = tf.gradients(tf.reduce_mean(draws), [loc, scale])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            d_loc, d_scale = sess.run(grads)
    assert tf.distributions.Normal(0.0, 1.0).reparameterization_type is \
        tf.distributions.FULLY_REPARAMETERIZED
    assert d_loc == pytest.approx(1.0) and abs(d_scale) < 0.2


def test_argument_errors_and_names():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="Must pass probs or logits, but not both."):
            tf.distributions.Bernoulli(logits=0.0, probs=0.5)
        dist = tf.distributions.Normal(0.0, 1.0)
        assert dist.name == "Normal/"
        assert dist.log_prob(0.0).name.startswith("Normal/log_prob/")
        with pytest.raises(NotImplementedError, match="No KL"):
            tf.distributions.kl_divergence(dist, tf.distributions.Uniform())
        checked = tf.distributions.Normal(0.0, -1.0, validate_args=True)
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError):
                sess.run(checked.log_prob(0.0))
        undefined = tf.distributions.StudentT(0.5, 0.0, 1.0)
        assert np.isnan(_run(undefined.mean()))


def test_contrib_distributions_share_the_core_classes():
    assert tf.contrib.distributions.Normal is tf.distributions.Normal
    with pytest.raises(AttributeError, match="tf.contrib.distributions.MultivariateNormalTriL"):
        assert tf.contrib.distributions.MultivariateNormalTriL is None
