"""tf.train.SyncReplicasOptimizer: two workers in threads of one session, each with its own
optimizer instance (between-graph replication in one graph), aggregate their gradients step
by step (the result and the global step match TensorFlow's for the same schedule: the first
step after the initial tokens is dropped as stale); IndexedSlices gradients through the
sparse accumulator; the session hook in a MonitoredSession; names and TF's errors."""
import threading
import time

import numpy as np
import pytest

import tfcompat as tf


def _two_worker_graph(c_a, c_b):
    tf.reset_default_graph()
    step = tf.train.get_or_create_global_step()
    w = tf.Variable(np.array([1.0, 2.0], np.float32), name="w")
    trains, opts = [], []
    for c in (c_a, c_b):
        loss = tf.reduce_sum(w * np.array(c, np.float32))
        opt = tf.train.SyncReplicasOptimizer(tf.train.GradientDescentOptimizer(0.5),
                                             replicas_to_aggregate=2, total_num_replicas=2)
        trains.append(opt.minimize(loss, global_step=step))
        opts.append(opt)
    return step, w, trains, opts


def test_two_workers_aggregate_each_step():
    step, w, trains, opts = _two_worker_graph([1.0, 0.0], [3.0, 4.0])
    assert [v.op.name for v in tf.local_variables()] == ["sync_rep_local_step",
                                                         "sync_rep_local_step_1"]
    assert trains[0].name == "Assign_1:0"
    pending = opts[0]._accumulator_list[0][0].num_accumulated()
    sess = tf.Session()
    sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
    sess.run(opts[0].chief_init_op)
    sess.run(opts[1].local_step_init_op)
    sess.run(opts[0].get_init_tokens_op())
    opts[0].get_chief_queue_runner().create_threads(sess, daemon=True, start=True)
    barrier = threading.Barrier(2, timeout=30)

    def worker(index):
        for _ in range(6):
            barrier.wait()
            sess.run(trains[index])
            while sess.run(pending) != 0:  # both gradients of the step were taken
                time.sleep(0.001)
            barrier.wait()

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    # Six rounds, the second one stale: five updates with the mean gradient [2, 2].
    assert sess.run(step) == 5
    np.testing.assert_array_equal(sess.run(w), [-4.0, -3.0])


def test_sparse_gradients_and_the_hook():
    tf.reset_default_graph()
    step = tf.train.get_or_create_global_step()
    emb = tf.Variable(np.ones((4, 2), np.float32), name="emb")
    loss = tf.reduce_sum(tf.gather(emb, [1, 3, 3]))
    opt = tf.train.SyncReplicasOptimizer(tf.train.GradientDescentOptimizer(0.25),
                                         replicas_to_aggregate=1)
    train = opt.minimize(loss, global_step=step)
    accumulator = opt._accumulator_list[0][0]
    assert isinstance(accumulator, tf.SparseConditionalAccumulator)
    hook = opt.make_session_run_hook(is_chief=True)
    pending = accumulator.num_accumulated()
    with tf.train.MonitoredSession(hooks=[hook]) as session:
        for _ in range(4):
            session.run(train)
        while session.run(pending):  # the chief's queue runner takes the last gradient
            time.sleep(0.005)
        previous, current = None, session.run([step, emb])
        while previous is None or previous[0] != current[0]:  # and applies it
            time.sleep(0.02)
            previous, current = current, session.run([step, emb])
        taken, emb_value = current
    # every applied update adds 0.25 * (1 for row 1, 2 for row 3); rows 0 and 2 stay
    assert taken >= 2
    np.testing.assert_allclose(emb_value[[0, 2]], 1.0)
    np.testing.assert_allclose(emb_value[1], 1.0 - 0.25 * taken)
    np.testing.assert_allclose(emb_value[3], 1.0 - 0.5 * taken)


def test_errors():
    tf.reset_default_graph()
    w = tf.Variable(1.0)
    opt = tf.train.SyncReplicasOptimizer(tf.train.GradientDescentOptimizer(0.1), 2)
    with pytest.raises(ValueError, match="Should be called after apply_gradients"):
        opt.get_chief_queue_runner()
    with pytest.raises(ValueError, match="should be called after apply_gradients"):
        opt.get_init_tokens_op()
    with pytest.raises(ValueError, match="SyncReplicasOptimizer.apply_gradient should be "
                                         "called before using the hook."):
        opt.make_session_run_hook(True).begin()
    with pytest.raises(ValueError, match="Global step is required to check staleness"):
        opt.minimize(w * 2.0)
    step = tf.train.get_or_create_global_step()
    opt = tf.train.SyncReplicasOptimizer(tf.train.GradientDescentOptimizer(0.1), 2,
                                         total_num_replicas=1)
    opt.minimize(w * 2.0, global_step=step)
    assert opt.get_slot_names() == [] and opt.variables() == []
    with pytest.raises(ValueError, match=r"Too few tokens to finish the first step: 0 "
                                         r"\(given\) vs 1 \(needed\)"):
        opt.get_init_tokens_op(0)
