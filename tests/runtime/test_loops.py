"""runtime/loops.py: a while frame is one plan step driving compiled sub-plans."""
import numpy as np

import tfcompat as tf
from tfcompat.runtime import threads
from tfcompat.runtime.plan import Plan


def test_a_frame_is_one_step_of_the_plan():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [2])
        y = tf.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, v * 2.0), [0, x])[1]
        with tf.Session() as sess:
            plan = Plan([y + 1.0], [x], sess._state)
            types = [step.op.type for step in plan.steps]
            assert "While" in types
            assert not {"Enter", "Merge", "Switch", "NextIteration", "Exit"} & set(types)
            np.testing.assert_array_equal(sess.run(y, {x: [1.0, 2.0]}), [8.0, 16.0])


def test_loops_run_on_one_blas_thread_and_restore_the_count():
    from threadpoolctl import threadpool_info
    seen = []
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [])

        def body(i):
            counted = tf.py_func(lambda v: seen.append(
                max(lib["num_threads"] for lib in threadpool_info()
                    if lib["user_api"] == "blas")) or v, [i], tf.int32)
            counted.set_shape([])
            return counted + 1
        y = tf.while_loop(lambda i: i < 3, body, [0])
        with tf.Session() as sess:
            sess.run(x, {x: 1.0})  # the policy has set its count
            before = threads.policy()._current
            assert sess.run(y) == 3
            assert threads.policy()._current == before
    assert seen and set(seen) == {1}


def test_errors_inside_a_body_name_the_failing_op():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None])
        y = tf.while_loop(lambda i, v: i < 2,
                          lambda i, v: (i + 1, tf.reshape(v, [3], name="bad_reshape")),
                          [0, x], shape_invariants=[tf.TensorShape([]),
                                                    tf.TensorShape([None])])[1]
        with tf.Session() as sess:
            try:
                sess.run(y, {x: [1.0, 2.0]})
            except tf.errors.InvalidArgumentError as error:
                assert "bad_reshape" in str(error)
            else:
                raise AssertionError("expected InvalidArgumentError")


def _rnn_training_graph(batch=3, steps=5, inputs=4, units=6):
    """A small chapter-14 style RNN: (X, y, [loss, gradients...])."""
    X = tf.placeholder(tf.float32, [None, steps, inputs])
    y = tf.placeholder(tf.int32, [None])
    cell = tf.nn.rnn_cell.BasicRNNCell(units)
    _, state = tf.nn.dynamic_rnn(cell, X, dtype=tf.float32)
    logits = tf.layers.dense(state, 3)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y,
                                                                         logits=logits))
    grads = tf.gradients(loss, [X] + tf.trainable_variables())
    return X, y, [loss] + grads


def _runs(monkeypatch, executor, feeds_list, fuse_after="3"):
    monkeypatch.setenv("TFCOMPAT_EXECUTOR", executor)
    monkeypatch.setenv("TFCOMPAT_FUSE_AFTER", fuse_after)
    with tf.Graph().as_default():
        tf.set_random_seed(3)
        X, y, fetches = _rnn_training_graph()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            return [sess.run(fetches, {X: xb, y: yb}) for xb, yb in feeds_list]


def test_held_loop_specialisations_give_the_reference_results_bit_for_bit(monkeypatch):
    # Runs 1-2 specialise the loops' plans, later runs iterate on held specialisations and
    # the fusion tier rebuilds them past 3 runs: every run equals the reference interpreter.
    rng = np.random.default_rng(5)
    feeds = [(rng.random((3, 5, 4), dtype=np.float32), rng.integers(0, 3, 3))] * 2
    feeds = feeds * 4
    reference = _runs(monkeypatch, "numpy", feeds)
    compiled = _runs(monkeypatch, "", feeds)
    for ours, theirs in zip(compiled, reference):
        for a, b in zip(ours, theirs):
            np.testing.assert_array_equal(a, b)


def test_loop_variables_that_change_shape_leave_the_held_path():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None])
        n = tf.placeholder(tf.int32, [])
        _, grown = tf.while_loop(lambda i, v: i < n,
                                 lambda i, v: (i + 1, tf.concat([v, v[-1:] * 2.0], 0)),
                                 [0, x], shape_invariants=[tf.TensorShape([]),
                                                           tf.TensorShape([None])])
        total = tf.while_loop(lambda i, s: i < n, lambda i, s: (i + 1, s + grown[i]),
                              [0, 0.0])[1]
        with tf.Session() as sess:
            for count in (3, 3, 5, 2, 5):
                expected = [1.0] + [2.0 ** k for k in range(1, count + 1)]
                got, got_total = sess.run([grown, total], {x: [1.0], n: count})
                np.testing.assert_array_equal(got, expected)
                assert got_total == sum(expected[:count])


def test_a_failing_iteration_on_a_held_body_names_the_op_and_changes_nothing():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [4])
        limit = tf.placeholder(tf.int32, [])
        counter = tf.Variable(0.0)
        elements = tf.TensorArray(tf.float32, size=4).unstack(x)
        total = tf.while_loop(lambda i, s: i < limit,
                              lambda i, s: (i + 1, s + elements.read(i, name="read_it")),
                              [0, 0.0])[1]
        step = tf.assign_add(counter, total)
        with tf.Session() as sess:
            sess.run(counter.initializer)
            for _ in range(4):  # specialised, then held
                assert sess.run(step, {x: [1, 2, 3, 4], limit: 4}) > 0
            before = sess.run(counter)
            try:
                sess.run(step, {x: [1, 2, 3, 4], limit: 6})
            except tf.errors.InvalidArgumentError as error:
                assert "read_it" in str(error)
            else:
                raise AssertionError("expected InvalidArgumentError")
            assert sess.run(counter) == before
            assert sess.run(step, {x: [1, 2, 3, 4], limit: 2}) == before + 3.0


def test_threads_running_one_loop_at_once_get_their_own_results():
    import threading
    rng = np.random.default_rng(8)
    feeds = [(rng.random((3, 5, 4), dtype=np.float32), rng.integers(0, 3, 3))
             for _ in range(4)]
    with tf.Graph().as_default():
        tf.set_random_seed(4)
        X, y, fetches = _rnn_training_graph()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            expected = [sess.run(fetches, {X: xb, y: yb}) for xb, yb in feeds]
            failures = []

            def work(index):
                for _ in range(15):
                    xb, yb = feeds[index]
                    got = sess.run(fetches, {X: xb, y: yb})
                    if not all(np.array_equal(a, b) for a, b in zip(got, expected[index])):
                        failures.append(index)
            workers = [threading.Thread(target=work, args=(k,)) for k in range(4)]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
    assert not failures


def test_a_variable_taking_a_new_shape_inside_a_held_loop():
    # The body reads the variable's snapshot from outside the loop (as TF does: 3 per
    # iteration) and re-assigns it with a new shape: every run drops the stale plans.
    with tf.Graph().as_default():
        v = tf.Variable([1.0], validate_shape=False)
        n = tf.placeholder(tf.int32, [])

        def body(i, total):
            grown = tf.assign(v, tf.concat([v, [2.0]], 0), validate_shape=False)
            return i + 1, total + tf.reduce_sum(grown)
        total = tf.while_loop(lambda i, t: i < n, body, [0, 0.0])[1]
        with tf.Session() as sess:
            for _ in range(5):
                sess.run(v.initializer)
                assert sess.run(total, {n: 4}) == 12.0
                np.testing.assert_array_equal(sess.run(v), [1.0, 2.0])


def _nested_loop_runs(monkeypatch, executor):
    monkeypatch.setenv("TFCOMPAT_EXECUTOR", executor)
    monkeypatch.setenv("TFCOMPAT_FUSE_AFTER", "4")
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, [2, 3])
        w = tf.constant(np.random.default_rng(9).normal(size=(3, 3)))

        def outer(i, h):
            inner = tf.while_loop(lambda j, g: j < i + 1,
                                  lambda j, g: (j + 1, tf.tanh(tf.matmul(g, w))), [0, h])[1]
            return i + 1, inner + h
        y = tf.while_loop(lambda i, h: i < 3, outer, [0, x])[1]
        grad = tf.gradients(tf.reduce_sum(y * y), [x, w])
        with tf.Session() as sess:
            feeds = [np.random.default_rng(k).normal(size=(2, 3)) for k in range(3)]
            return [sess.run([y] + grad, {x: feeds[k % 3]}) for k in range(9)]


def test_nested_held_loops_and_their_gradients_equal_the_reference(monkeypatch):
    reference = _nested_loop_runs(monkeypatch, "numpy")
    compiled = _nested_loop_runs(monkeypatch, "")
    for ours, theirs in zip(compiled, reference):
        for a, b in zip(ours, theirs):
            np.testing.assert_array_equal(a, b)
