"""Random ops: reproducibility with graph/op seeds across graphs and sessions, and
distribution sanity on 10^5 samples."""
import numpy as np
import pytest

import tfcompat as tf

N = 100_000


def _build_and_run(build, graph_seed=None, runs=1):
    with tf.Graph().as_default() as graph:
        if graph_seed is not None:
            tf.set_random_seed(graph_seed)
        tensor = build()
        with tf.Session(graph=graph) as sess:
            return [sess.run(tensor) for _ in range(runs)]


BUILDERS = [
    ("uniform", lambda seed=None: tf.random_uniform([50], seed=seed)),
    ("uniform_int", lambda seed=None: tf.random_uniform([50], 0, 1000, tf.int32, seed=seed)),
    ("normal", lambda seed=None: tf.random_normal([50], seed=seed)),
    ("truncated", lambda seed=None: tf.truncated_normal([50], seed=seed)),
    ("shuffle", lambda seed=None: tf.random_shuffle(tf.range(50), seed=seed)),
    ("multinomial", lambda seed=None: tf.multinomial(tf.zeros([2, 10]), 25, seed=seed)),
]


@pytest.mark.parametrize("build", [b[1] for b in BUILDERS], ids=[b[0] for b in BUILDERS])
def test_reproducible_with_graph_and_op_seeds(build):
    first = _build_and_run(lambda: build(seed=7), graph_seed=1, runs=2)
    second = _build_and_run(lambda: build(seed=7), graph_seed=1, runs=2)
    # same seeds, new graph and session: the same sequence of draws
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])
    # successive runs in one session continue the sequence
    assert not np.array_equal(first[0], first[1])
    other = _build_and_run(lambda: build(seed=8), graph_seed=1)
    assert not np.array_equal(first[0], other[0])
    # op seed alone, and graph seed alone, are reproducible too
    np.testing.assert_array_equal(_build_and_run(lambda: build(seed=3))[0],
                                  _build_and_run(lambda: build(seed=3))[0])
    np.testing.assert_array_equal(_build_and_run(build, graph_seed=5)[0],
                                  _build_and_run(build, graph_seed=5)[0])


def test_random_shuffle_is_a_permutation_of_rows():
    with tf.Graph().as_default():
        x = np.arange(20).reshape(10, 2)
        out = tf.random_shuffle(tf.constant(x), seed=1)
        assert out.op.type == "RandomShuffle" and out.op.name == "RandomShuffle"
        assert out.shape.as_list() == [10, 2]
        value = tf.Session().run(out)
        np.testing.assert_array_equal(np.sort(value[:, 0]), x[:, 0])
        np.testing.assert_array_equal(value[:, 1], value[:, 0] + 1)
        assert tf.gradients(tf.cast(out, tf.float32), tf.constant(1.0)) == [None]


def test_random_shuffle_is_uniform_over_positions():
    with tf.Graph().as_default():
        out = tf.random_shuffle(tf.range(4), seed=2)
        with tf.Session() as sess:
            firsts = np.array([sess.run(out)[0] for _ in range(4000)])
    counts = np.bincount(firsts, minlength=4) / len(firsts)
    np.testing.assert_allclose(counts, 0.25, atol=0.03)


def test_multinomial_distribution_and_shape():
    probs = np.array([0.1, 0.2, 0.7])
    with tf.Graph().as_default():
        logits = tf.constant(np.log(np.stack([probs, probs[::-1]])), tf.float32)
        out = tf.multinomial(logits, N, seed=4)
        assert out.op.type == "Multinomial" and out.op.name == "multinomial/Multinomial"
        assert out.shape.as_list() == [2, N] and out.dtype == tf.int64
        value = tf.Session().run(out)
    np.testing.assert_allclose(np.bincount(value[0], minlength=3) / N, probs, atol=0.01)
    np.testing.assert_allclose(np.bincount(value[1], minlength=3) / N, probs[::-1], atol=0.01)


def test_multinomial_options_and_errors():
    with tf.Graph().as_default():
        n = tf.placeholder(tf.int32, [])
        out = tf.multinomial([[0.0, -np.inf, 0.0]], n, output_dtype=tf.int32, seed=1)
        assert out.dtype == tf.int32 and out.shape.as_list() == [1, None]
        value = tf.Session().run(out, {n: 1000})
        assert set(np.unique(value)) == {0, 2}
        with pytest.raises(ValueError, match="rank 2"):
            tf.multinomial([0.0, 1.0], 3)
        with pytest.raises(tf.errors.InvalidArgumentError, match="nonnegative"):
            tf.Session().run(out, {n: -1})


DISTRIBUTIONS = [
    ("uniform", lambda: tf.random_uniform([N], -1.0, 3.0, tf.float64, seed=1), 1.0,
     4 / np.sqrt(12)),
    ("normal", lambda: tf.random_normal([N], 2.0, 0.5, tf.float64, seed=2), 2.0, 0.5),
    # truncated at 2 std: std of the standard normal truncated to [-2, 2] is 0.8796
    ("truncated", lambda: tf.truncated_normal([N], 0.0, 1.0, tf.float64, seed=3), 0.0, 0.8796),
]


@pytest.mark.parametrize("build,mean,std", [d[1:] for d in DISTRIBUTIONS],
                         ids=[d[0] for d in DISTRIBUTIONS])
def test_distribution_moments(build, mean, std):
    value = _build_and_run(build)[0]
    assert abs(value.mean() - mean) < 5 * std / np.sqrt(N)
    assert abs(value.std() - std) < 0.01 * std + 5 * std / np.sqrt(2 * N)
