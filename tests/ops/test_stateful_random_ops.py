"""tf.random's counter-based generators: Algorithm ids, create_rng_state layouts (checked
against TF 2.21's), Generator streams (same state -> same numbers, state advancing by 256
per number as in TF), every distribution's range, reset/skip/split/make_seeds, the global
generator and the errors."""
import numpy as np
import pytest

import tfcompat as tf


def test_algorithm_and_create_rng_state():
    assert tf.random.Algorithm.PHILOX.value == 1 and tf.random.Algorithm.THREEFRY.value == 2
    np.testing.assert_array_equal(tf.random.create_rng_state(1234, "philox"), [1234, 0, 0])
    np.testing.assert_array_equal(tf.random.create_rng_state([12, 34], "threefry"), [12, 34])
    np.testing.assert_array_equal(tf.random.create_rng_state(2 ** 70 + 3, 1), [3, 64, 0])
    np.testing.assert_array_equal(
        tf.random.create_rng_state(2 ** 64 - 1, tf.random.Algorithm.THREEFRY), [-1, 0])
    assert tf.random.create_rng_state(5, 1).dtype == np.int64
    with pytest.raises(ValueError, match="Unsupported algorithm id: 7"):
        tf.random.create_rng_state(5, 7)
    with pytest.raises(ValueError, match="seed should only have one dimension"):
        tf.random.create_rng_state([[1, 2]], 1)


def test_generator_streams_are_determined_by_the_state():
    with tf.Graph().as_default():
        g = tf.random.Generator.from_seed(1234)
        assert g.state.name == "random_generator/StateVar:0" and g.algorithm == 1
        assert g.state not in tf.trainable_variables()
        normal = g.normal([2, 3], mean=1.0, stddev=2.0)
        assert normal.shape.as_list() == [2, 3] and normal.dtype == tf.float32
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            first = sess.run(normal)
            np.testing.assert_array_equal(sess.run(g.state), [2770, 0, 0])  # TF's figure
            second = sess.run(normal)
            assert not np.allclose(first, second)
            sess.run(g.reset_from_seed(1234))
            np.testing.assert_array_equal(sess.run(normal), first)
            sess.run(g.reset([1234, 0, 0]))
            sess.run(g.skip(6))
            np.testing.assert_array_equal(sess.run(normal), second)
        other = tf.random.Generator.from_seed(1234)
        copy = tf.random.Generator(copy_from=other)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            np.testing.assert_array_equal(sess.run(other.normal([2, 3], 1.0, 2.0)), first)
            np.testing.assert_array_equal(sess.run(copy.state), [1234, 0, 0])


def test_distributions():
    with tf.Graph().as_default():
        g = tf.random.Generator.from_seed(7, alg="threefry")
        draws = {
            "uniform": g.uniform([2000], 2.0, 5.0, dtype=tf.float64),
            "ints": g.uniform([2000], -3, 4, dtype=tf.int64),
            "full": g.uniform_full_int([2000], dtype=tf.int32),
            "truncated": g.truncated_normal([2000]),
            "binomial": g.binomial([2000], counts=10.0, probs=0.25),
            "normal": g.normal([4000], dtype=tf.float64),
            "seeds": g.make_seeds(3),
        }
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            v = sess.run(draws)
            key = sess.run(g.key)
    assert 2.0 <= v["uniform"].min() and v["uniform"].max() < 5.0
    assert set(np.unique(v["ints"])) == set(range(-3, 4)) and v["ints"].dtype == np.int64
    assert v["full"].dtype == np.int32 and v["full"].min() < -2 ** 30 < 2 ** 30 < v["full"].max()
    assert np.abs(v["truncated"]).max() <= 2.0 and v["truncated"].dtype == np.float32
    assert v["binomial"].dtype == np.int32 and abs(v["binomial"].mean() - 2.5) < 0.15
    assert abs(v["normal"].mean()) < 0.1 and abs(v["normal"].std() - 1) < 0.1
    assert v["seeds"].shape == (2, 3) and (v["seeds"][1] == 0).all() and key == 0


def test_split_and_global_generator():
    with tf.Graph().as_default():
        g = tf.random.Generator.from_seed(3)
        children = g.split(3)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            states = sess.run([c.state for c in children])
            draws = sess.run([c.normal([4]) for c in children])
        assert all(s[0] == 0 and s[1] == 0 for s in states)
        assert len({s[2] for s in states}) == 3
        assert not np.allclose(draws[0], draws[1])
        tf.random.set_global_generator(g)
        assert tf.random.get_global_generator() is g
    with tf.Graph().as_default():
        fresh = tf.random.get_global_generator()
        assert fresh is not g and fresh is tf.random.get_global_generator()
        with tf.Session() as sess:
            sess.run(fresh.state.initializer)
            assert sess.run(fresh.uniform([3])).shape == (3,)


def test_errors():
    with tf.Graph().as_default():
        g = tf.random.Generator.from_seed(1)
        with pytest.raises(ValueError, match="Must specify maxval for integer dtype"):
            g.uniform([2], dtype=tf.int32)
        with pytest.raises(ValueError):
            tf.random.Generator.from_state([1, 2], tf.random.Algorithm.PHILOX)
        bad = g.uniform([2], 5, 5, dtype=tf.int32)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            with pytest.raises(tf.errors.InvalidArgumentError, match="Need minval < maxval"):
                sess.run(bad)
        with tf.Session() as sess:
            with pytest.raises(tf.errors.FailedPreconditionError,
                               match="uninitialized value random_generator/StateVar"):
                sess.run(g.normal([1]))
