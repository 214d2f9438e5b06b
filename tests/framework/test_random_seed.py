"""Graph and op seeds (tfcompat/framework/random_seed.py) with TF 1.x's rules: a graph seed
makes a program reproducible across fresh graphs and sessions, op seeds alone too, and
without any seed every session draws new values."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.framework import random_seed


def build_and_run(graph_seed=None, op_seed=None):
    """Builds the same small program in a fresh graph and runs it in a fresh session."""
    with tf.Graph().as_default():
        if graph_seed is not None:
            tf.set_random_seed(graph_seed)
        a = tf.random_uniform([4], seed=op_seed)
        b = tf.random_normal([4], seed=op_seed)
        c = tf.random_uniform([4], seed=op_seed)
        v = tf.Variable(tf.truncated_normal([3]))
        w = tf.get_variable("w", [2, 2])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            first = sess.run([a, b, c, v, w])
            second = sess.run(a)
    return first, second


def same(xs, ys):
    return all(np.array_equal(x, y) for x, y in zip(xs, ys))


def test_graph_seed_reproduces_everything_across_graphs_and_sessions():
    (r1, a1), (r2, a2) = build_and_run(42), build_and_run(42)
    assert same(r1, r2) and np.array_equal(a1, a2)
    # Within one program, different ops give different values ...
    assert not np.array_equal(r1[0], r1[2])
    # ... and one op gives a new value on every run of the session.
    assert not np.array_equal(r1[0], a1)


def test_different_graph_seeds_differ():
    (r1, _), (r2, _) = build_and_run(1), build_and_run(2)
    assert not any(np.array_equal(x, y) for x, y in zip(r1, r2))


def test_op_seed_alone_is_reproducible():
    (r1, _), (r2, _) = build_and_run(op_seed=7), build_and_run(op_seed=7)
    assert np.array_equal(r1[0], r2[0]) and np.array_equal(r1[1], r2[1])


def test_no_seed_differs_across_sessions():
    (r1, _), (r2, _) = build_and_run(), build_and_run()
    assert not np.array_equal(r1[0], r2[0]) and not np.array_equal(r1[4], r2[4])
    with tf.Graph().as_default():
        x = tf.random_uniform([5])
        assert not np.array_equal(tf.Session().run(x), tf.Session().run(x))


def test_a_seeded_op_restarts_in_each_new_session():
    with tf.Graph().as_default():
        tf.set_random_seed(3)
        x = tf.random_normal([5])
        s1, s2 = tf.Session(), tf.Session()
        first = [s1.run(x), s1.run(x)]
        assert np.array_equal(first[0], s2.run(x)) and np.array_equal(first[1], s2.run(x))


def test_get_seed_rules():
    with tf.Graph().as_default() as g:
        assert random_seed.get_seed(None) == (None, None)
        assert random_seed.get_seed(5) == (random_seed.DEFAULT_GRAPH_SEED, 5)
        tf.set_random_seed(10)
        assert g.seed == 10
        tf.constant(1.0)
        assert random_seed.get_seed(None) == (10, g._last_id)
        assert random_seed.get_seed(3) == (10, 3)
        # Seeds are reduced modulo 2**31 - 1 like TF's _truncate_seed ...
        assert random_seed.get_seed(2**31 + 5) == (10, (2**31 + 5) % (2**31 - 1))
        # ... and (0, 0), which the kernels read as "nondeterministic", is avoided.
        tf.set_random_seed(0)
        assert random_seed.get_seed(0) == (0, 2**31 - 1)


@pytest.mark.parametrize("make, op_type", [
    (lambda: tf.random_uniform([3], seed=1), "RandomUniform"),
    (lambda: tf.random_normal([3], seed=1), "RandomStandardNormal"),
    (lambda: tf.truncated_normal([3], seed=1), "TruncatedNormal"),
])
def test_seeded_random_ops_record_their_seeds(make, op_type):
    with tf.Graph().as_default() as g:
        tf.set_random_seed(11)
        make()
        (op,) = [op for op in g.get_operations() if op.type == op_type]
        assert op.get_attr("seed") == 11 and op.get_attr("seed2") == 1
