"""Assign, AssignAdd and AssignSub: the reference kernels and the short paths specialised
plans take (a run of the same feed shapes after the first) give the same variables."""
import numpy as np
import pytest

import tfcompat as tf


def _run_in_both_paths(build, runs=4):
    """The fetches' values over ``runs`` runs (the first on the reference interpreter, the
    rest on the specialised plan), and the session."""
    with tf.Graph().as_default():
        fetches, init = build()
        with tf.Session() as sess:
            sess.run(init)
            return [sess.run(fetches) for _ in range(runs)], sess


@pytest.mark.parametrize("shape", [(), (3,), (40, 30)])  # scalar, small, aligned storage
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32])
def test_assign_family_in_specialised_runs_matches_numpy(shape, dtype):
    start = np.arange(np.prod(shape), dtype=dtype).reshape(shape) + 1

    def build():
        v = tf.Variable(start)
        doubled = tf.assign(v, v * 2)
        with tf.control_dependencies([doubled]):
            added = tf.assign_add(v, tf.ones(shape, dtype))
        with tf.control_dependencies([added]):
            taken = tf.assign_sub(v, tf.fill(shape, tf.constant(3, dtype)))
        return [taken, v.value()], v.initializer

    results, sess = _run_in_both_paths(build)
    want = start.copy()
    for got_taken, _ in results:
        want = want * 2 + 1 - 3
        np.testing.assert_array_equal(got_taken, want)
    stored = sess._state.variables
    assert all(type(a) is np.ndarray and a.dtype == dtype and a.shape == shape
               for a in stored.values())


def test_specialised_assigns_store_copies_never_the_value_itself():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [2])
        v = tf.Variable([0.0, 0.0])
        store = tf.assign(v, x)
        with tf.Session() as sess:
            sess.run(v.initializer)
            for k in range(4):
                fed = np.array([k, k], np.float32)
                sess.run(store, {x: fed})
                fed[:] = -1  # changing the fed array afterwards leaves the variable alone
                np.testing.assert_array_equal(sess.run(v), [k, k])


def test_shape_checks_hold_in_specialised_runs():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None])
        v = tf.Variable([1.0, 2.0])
        strict = tf.assign(v, x)
        loose = tf.assign(v, x, validate_shape=False)
        w = tf.Variable([1.0, 2.0])
        sub = tf.assign_sub(w, x)
        with tf.Session() as sess:
            sess.run([v.initializer, w.initializer])
            for _ in range(3):
                sess.run([strict, sub], {x: [1.0, 1.0]})
            with pytest.raises(tf.errors.InvalidArgumentError, match="Assign requires shapes"):
                sess.run(strict, {x: [1.0, 1.0, 1.0]})
            with pytest.raises(tf.errors.InvalidArgumentError, match="shapes must be equal"):
                sess.run(sub, {x: [1.0, 1.0, 1.0]})
            for _ in range(3):
                sess.run(loose, {x: [4.0, 5.0, 6.0]})
            np.testing.assert_array_equal(sess.run(v), [4.0, 5.0, 6.0])
            np.testing.assert_array_equal(sess.run(w), [-2.0, -1.0])


@pytest.mark.parametrize("shape", [(), (3,)])
def test_assign_add_from_concurrent_runs_loses_no_increment(shape):
    """AssignAdd reads, adds and replaces under the state's update lock: increments from
    Hogwild threads all count (TF's are in-place adds), on the reference and fast tiers."""
    import sys
    import threading
    tf.reset_default_graph()
    counter = tf.Variable(np.zeros(shape, np.int64), name="counter")
    bump = tf.assign_add(counter, np.ones(shape, np.int64))
    drop = tf.assign_sub(counter, np.ones(shape, np.int64))
    old_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        with tf.Session() as sess:
            sess.run(counter.initializer)

            def work(op, times):
                for _ in range(times):
                    sess.run(op)

            threads = [threading.Thread(target=work, args=(op, 2000))
                       for op in (bump, bump, bump, bump, bump, drop)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            np.testing.assert_array_equal(sess.run(counter), np.full(shape, 4 * 2000))
    finally:
        sys.setswitchinterval(old_interval)
