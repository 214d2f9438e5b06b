"""tf.train's queue-based input: Coordinator, QueueRunner, producers and batching (TF 1.x).

Runs here use one enqueueing thread per queue; tests with several threads on one enqueue
op need Session.run to be thread-safe."""
import threading

import numpy as np
import pytest

import tfcompat as tf


def _drain(fetches, init_local=True):
    """Runs ``fetches`` with the graph's queue runners until OutOfRangeError."""
    out = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        if init_local:
            sess.run(tf.local_variables_initializer())
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess=sess, coord=coord)
        try:
            while not coord.should_stop():
                out.append(sess.run(fetches))
        except tf.errors.OutOfRangeError:
            pass
        finally:
            coord.request_stop()
        coord.join(threads)
    return out


def test_coordinator_join_reraises_and_clean_stops():
    coord = tf.train.Coordinator()
    assert not coord.should_stop()

    def work():
        with coord.stop_on_exception():
            raise ValueError("boom")

    thread = threading.Thread(target=work)
    thread.start()
    with pytest.raises(ValueError, match="boom"):
        coord.join([thread])
    assert coord.should_stop() and coord.joined
    clean = tf.train.Coordinator()
    clean.request_stop(tf.errors.OutOfRangeError(None, None, "End of sequence"))
    clean.join([])
    assert clean.wait_for_stop(0)


def test_slice_input_producer_and_batch_with_smaller_final_batch():
    with tf.Graph().as_default():
        x, y = tf.train.slice_input_producer(
            [np.arange(10, dtype=np.float32), np.arange(10)], num_epochs=2, shuffle=False)
        bx, by = tf.train.batch([x, y], batch_size=4, allow_smaller_final_batch=True)
        assert bx.shape.as_list() == [None] and bx.op.name == "batch"
        assert len(tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)) == 2
        batches = _drain(by)
    assert [b.tolist() for b in batches] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 0, 1],
                                             [2, 3, 4, 5], [6, 7, 8, 9]]


def test_string_input_producer_shuffles_each_epoch_and_stops():
    with tf.Graph().as_default():
        names = [f"f{i}".encode() for i in range(6)]
        queue = tf.train.string_input_producer(names, num_epochs=2, seed=1)
        dequeue = queue.dequeue()
        assert queue.name == "input_producer" and dequeue.op.name == "input_producer_Dequeue"
        assert [s.op.name for s in tf.get_collection(tf.GraphKeys.SUMMARIES)] == [
            "input_producer/fraction_of_32_full"]
        got = _drain(dequeue)
    assert sorted(got[:6]) == names and sorted(got[6:]) == names and len(got) == 12
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="non-null input tensor"):
            tf.train.string_input_producer(tf.constant([], tf.string))


def test_shuffle_batch_of_dicts_and_batch_join_and_dynamic_pad():
    with tf.Graph().as_default():
        x = tf.train.input_producer(np.arange(20), num_epochs=1, shuffle=False).dequeue()
        batch = tf.train.shuffle_batch({"x": x, "twice": x * 2}, batch_size=5, capacity=20,
                                       min_after_dequeue=5, seed=2)
        assert tf.get_collection(tf.GraphKeys.SUMMARIES)[-1].op.name == \
            "shuffle_batch/fraction_over_5_of_15_full"
        assert batch["x"].shape.as_list() == [5]
        batches = _drain(batch)
    values = np.concatenate([b["x"] for b in batches])
    assert sorted(values.tolist()) == list(range(20)) and values.tolist() != list(range(20))
    np.testing.assert_array_equal(np.concatenate([b["twice"] for b in batches]), values * 2)
    with tf.Graph().as_default():
        low = tf.train.input_producer(np.arange(3), num_epochs=1, shuffle=False).dequeue()
        high = tf.train.input_producer(np.arange(100, 103), num_epochs=1,
                                       shuffle=False).dequeue()
        joined = tf.train.batch_join([[low], [high]], batch_size=2,
                                     allow_smaller_final_batch=True)
        got = np.concatenate(_drain(joined))
    assert sorted(got.tolist()) == [0, 1, 2, 100, 101, 102]
    with tf.Graph().as_default():
        n = tf.train.input_producer(np.arange(1, 4), num_epochs=1, shuffle=False).dequeue()
        padded = tf.train.batch([tf.fill([tf.cast(n, tf.int32)], n)], batch_size=3,
                                dynamic_pad=True)
        np.testing.assert_array_equal(_drain(padded)[0], [[1, 0, 0], [2, 2, 0], [3, 3, 3]])


def test_queue_runner_reports_errors_to_the_coordinator():
    with tf.Graph().as_default():
        queue = tf.FIFOQueue(4, tf.float32, shapes=[])
        failing = queue.enqueue(tf.py_func(lambda: np.float32(1 / 0), [], tf.float32))
        runner = tf.train.QueueRunner(queue, [failing])
        with tf.Session() as sess:
            coord = tf.train.Coordinator()
            threads = runner.create_threads(sess, coord=coord, start=True)
            assert len(threads) == 2  # the enqueue thread and the one cancelling on stop
            with pytest.raises(tf.errors.UnknownError, match="ZeroDivisionError"):
                coord.join(threads)


def test_training_from_a_queue_stops_cleanly_without_a_partial_step():
    with tf.Graph().as_default():
        features = np.arange(12, dtype=np.float32).reshape(6, 2)
        row = tf.train.slice_input_producer([features], num_epochs=1, shuffle=False)[0]
        batch = tf.train.batch([row], batch_size=4)
        weights = tf.Variable(tf.ones([2, 1]))
        step = tf.train.get_or_create_global_step()
        train = tf.train.GradientDescentOptimizer(0.01).minimize(
            tf.reduce_sum(tf.matmul(batch, weights)), global_step=step)
        with tf.Session() as sess:
            sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess, coord)
            sess.run(train)
            with pytest.raises(tf.errors.OutOfRangeError):
                sess.run(train)  # two rows left: dequeue_many(4) gets nothing
            assert sess.run(step) == 1
            coord.request_stop()
            coord.join(threads)


def test_queue_runners_survive_a_meta_graph_round_trip(tmp_path):
    path = str(tmp_path / "queues.meta")
    with tf.Graph().as_default():
        values = tf.train.input_producer(np.arange(6), num_epochs=1, shuffle=False).dequeue()
        batch = tf.train.batch([values], batch_size=3)
        tf.add_to_collection("batch", batch)
        tf.train.export_meta_graph(path)
    with tf.Graph().as_default():
        tf.train.import_meta_graph(path)
        runners = tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)
        assert [r.name for r in runners] == ["input_producer/FIFOQueueV2", "batch/fifo_queue"]
        assert runners[0].queue_closed_exception_types == (tf.errors.OutOfRangeError,)
        got = _drain(tf.get_collection("batch")[0])
    assert [b.tolist() for b in got] == [[0, 1, 2], [3, 4, 5]]


def test_maybe_batch_keeps_only_the_selected_elements():
    with tf.Graph().as_default():
        value = tf.train.slice_input_producer([tf.range(10)], num_epochs=1,
                                              shuffle=False)[0]
        evens = tf.train.maybe_batch([value], tf.equal(value % 2, 0), 2,
                                     allow_smaller_final_batch=True)
        assert evens.op.name.startswith("batch")
        batches = _drain(evens)
    assert [b.tolist() for b in batches] == [[0, 2], [4, 6], [8]]
    with tf.Graph().as_default():
        rows = tf.train.limit_epochs(tf.constant([[1, 2], [3, 4], [5, 6]]), 1)
        kept = tf.train.maybe_shuffle_batch([rows], 2, 10, 0, [True, False, True],
                                            enqueue_many=True, seed=1,
                                            allow_smaller_final_batch=True)
        with pytest.raises(ValueError, match="cannot be a vector when `enqueue_many=False`"):
            tf.train.maybe_batch([rows], [True, False, True], 2)
        shuffled = _drain(kept)
    assert sorted(map(tuple, shuffled[0].tolist())) == [(1, 2), (5, 6)]
    assert len(shuffled) == 1
    with tf.Graph().as_default():
        rows = tf.train.limit_epochs(tf.constant([[1, 2], [3, 4], [5, 6]]), 1)
        joined = tf.train.maybe_batch_join([[rows]], [False, True, True], 5,
                                           enqueue_many=True, allow_smaller_final_batch=True)
        assert [b.tolist() for b in _drain(joined)] == [[[3, 4], [5, 6]]]


def test_stopping_queue_runners_blocked_on_a_full_queue_is_clean():
    # TF's Coordinator ignores exceptions reported after the stop was requested: the
    # cancelled enqueue of a queue runner stopped while its queue is full is no error.
    late = tf.train.Coordinator()
    late.request_stop()
    late.request_stop(tf.errors.CancelledError(None, None, "Enqueue operation was cancelled"))
    late.join([])
    with tf.Graph().as_default():
        x, = tf.train.slice_input_producer([np.arange(100.0)], shuffle=False)
        batch = tf.train.shuffle_batch([x], batch_size=2, capacity=10, min_after_dequeue=4,
                                       num_threads=2, seed=1)
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess=sess, coord=coord)
            sess.run(batch)
            coord.request_stop()
            coord.join(threads, stop_grace_period_secs=10)
    assert all(not thread.is_alive() for thread in threads)


@pytest.mark.parametrize("wrapped", [False, True])
def test_a_queue_runner_runs_its_enqueue_op_through_a_callable_or_run(wrapped):
    """A Session's runner calls a callable made once (TF's make_callable); an object with
    only ``run`` (a MonitoredSession) is run through it."""
    with tf.Graph().as_default():
        queue = tf.FIFOQueue(8, tf.int32, shapes=[])
        counter = tf.Variable(0)
        runner = tf.train.QueueRunner(queue, [queue.enqueue(tf.assign_add(counter, 1))])
        taken = queue.dequeue_many(6)
        with tf.Session() as sess:
            sess.run(counter.initializer)

            class OnlyRun:
                graph = sess.graph
                run = sess.run

            coord = tf.train.Coordinator()
            threads = runner.create_threads(OnlyRun() if wrapped else sess, coord=coord,
                                            start=True)
            assert sess.run(taken).tolist() == [1, 2, 3, 4, 5, 6]
            coord.request_stop()
            coord.join(threads)
