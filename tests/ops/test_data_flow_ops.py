"""Queues and readers (TF 1.x data_flow_ops / io_ops): contents, blocking, closing, errors."""
import threading
import time

import numpy as np
import pytest

import tfcompat as tf


def test_fifo_queue_enqueue_many_dequeue_many_up_to_close():
    with tf.Graph().as_default():
        queue = tf.FIFOQueue(10, [tf.float32, tf.int32], shapes=[[2], []])
        enqueue = queue.enqueue_many([np.arange(8, dtype=np.float32).reshape(4, 2),
                                      [1, 2, 3, 4]])
        x, y = queue.dequeue()
        xs, ys = queue.dequeue_many(2)
        rest = queue.dequeue_up_to(3)
        assert queue.queue_ref.op.type == "FIFOQueueV2" and queue.name == "fifo_queue"
        assert x.op.name == "fifo_queue_Dequeue" and xs.op.name == "fifo_queue_DequeueMany"
        with tf.name_scope("inner"):
            assert queue.size().op.name == "inner/fifo_queue_Size"
        assert x.shape.as_list() == [2] and xs.shape.as_list() == [2, 2]
        assert rest[0].shape.as_list() == [None, 2]
        with tf.Session() as sess:
            sess.run(enqueue)
            assert sess.run(queue.size()) == 4
            value = sess.run([x, y])
            np.testing.assert_array_equal(value[0], [0, 1])
            assert value[1] == 1
            batch_x, batch_y = sess.run([xs, ys])
            assert batch_x.shape == (2, 2) and batch_y.tolist() == [2, 3]
            sess.run(queue.close())
            assert sess.run(rest)[1].tolist() == [4]  # a closed queue gives what is left
            with pytest.raises(tf.errors.OutOfRangeError,
                               match="is closed and has insufficient elements"):
                sess.run(x)
            with pytest.raises(tf.errors.CancelledError, match="is closed"):
                sess.run(enqueue)


def test_dequeue_many_of_a_closed_queue_with_too_few_elements_fails():
    with tf.Graph().as_default():
        queue = tf.FIFOQueue(5, tf.int32, shapes=[])
        with tf.Session() as sess:
            sess.run(queue.enqueue_many([[1, 2]]))
            sess.run(queue.close())
            with pytest.raises(tf.errors.OutOfRangeError, match=r"requested 3, current size 2"):
                sess.run(queue.dequeue_many(3))
            assert sess.run(queue.dequeue_up_to(3)).tolist() == [1, 2]


def test_queues_belong_to_their_session_and_check_shapes():
    with tf.Graph().as_default():
        queue = tf.FIFOQueue(5, tf.float32, shapes=[2])
        value = tf.placeholder(tf.float32)
        enqueue = queue.enqueue(value)
        with tf.Session() as first, tf.Session() as second:
            first.run(enqueue, {value: [1, 2]})
            assert first.run(queue.size()) == 1 and second.run(queue.size()) == 0
            with pytest.raises(tf.errors.InvalidArgumentError, match="Shape mismatch"):
                first.run(enqueue, {value: [1, 2, 3]})


def test_blocked_dequeue_wakes_on_enqueue_and_on_close():
    with tf.Graph().as_default():
        queue = tf.FIFOQueue(2, tf.int32, shapes=[])
        value = tf.placeholder(tf.int32, [])
        enqueue, dequeue, close = queue.enqueue(value), queue.dequeue(), queue.close()
        with tf.Session() as sess:
            results = []

            def consume():
                try:
                    while True:
                        results.append(sess.run(dequeue))
                except tf.errors.OutOfRangeError:
                    results.append("closed")

            thread = threading.Thread(target=consume)
            thread.start()
            time.sleep(0.05)
            for item in range(3):
                sess.run(enqueue, {value: item})
            deadline = time.monotonic() + 5
            while len(results) < 3 and time.monotonic() < deadline:
                time.sleep(0.01)
            sess.run(close)
            thread.join(5)
    assert results == [0, 1, 2, "closed"]


def test_close_with_cancel_pending_enqueues_cancels_a_blocked_enqueue():
    with tf.Graph().as_default():
        queue = tf.FIFOQueue(1, tf.int32, shapes=[])
        enqueue = queue.enqueue(7)
        with tf.Session() as sess:
            sess.run(enqueue)
            errors = []

            def produce():
                try:
                    sess.run(enqueue)  # blocks: the queue is full
                except tf.errors.CancelledError as exc:
                    errors.append(exc.message)

            thread = threading.Thread(target=produce)
            thread.start()
            time.sleep(0.05)
            assert thread.is_alive()
            sess.run(queue.close(cancel_pending_enqueues=True))
            thread.join(5)
    assert errors == ["Enqueue operation was cancelled"]


def test_random_shuffle_queue_keeps_min_after_dequeue_until_closed():
    with tf.Graph().as_default():
        queue = tf.RandomShuffleQueue(20, min_after_dequeue=5, dtypes=tf.int32, shapes=[],
                                      seed=3)
        assert queue.queue_ref.op.type == "RandomShuffleQueueV2"
        with tf.Session() as sess:
            sess.run(queue.enqueue_many([list(range(10))]))
            first = sess.run(queue.dequeue_many(5)).tolist()
            assert sess.run(queue.size()) == 5
            sess.run(queue.close())
            rest = sess.run(queue.dequeue_many(5)).tolist()
    assert sorted(first + rest) == list(range(10)) and first != list(range(5))


def test_padding_fifo_queue_pads_and_priority_queue_orders():
    with tf.Graph().as_default():
        padding = tf.PaddingFIFOQueue(5, tf.int32, shapes=[[None]])
        value = tf.placeholder(tf.int32, [None])
        priority = tf.PriorityQueue(5, [tf.string], shapes=[[]])
        with tf.Session() as sess:
            for row in ([1], [2, 2, 2], [3, 3]):
                sess.run(padding.enqueue(value), {value: row})
            np.testing.assert_array_equal(sess.run(padding.dequeue_many(3)),
                                          [[1, 0, 0], [2, 2, 2], [3, 3, 0]])
            sess.run(priority.enqueue_many([[5, 1, 3], [b"e", b"a", b"c"]]))
            priorities, names = sess.run(priority.dequeue_many(3))
    assert priorities.tolist() == [1, 3, 5] and names.tolist() == [b"a", b"c", b"e"]


def test_named_queue_enqueues_and_dequeues_dicts():
    with tf.Graph().as_default():
        queue = tf.FIFOQueue(3, [tf.int32, tf.float32], shapes=[[], []], names=["n", "x"])
        with tf.Session() as sess:
            sess.run(queue.enqueue({"n": 1, "x": 2.5}))
            assert sess.run(queue.dequeue()) == {"n": 1, "x": 2.5}
        with pytest.raises(ValueError, match="do not match names"):
            queue.enqueue({"n": 1})


def test_readers_read_files_from_a_filename_queue(tmp_path):
    lines = tmp_path / "a.csv"
    lines.write_bytes(b"header\r\n1,2\n3,4\n")
    other = tmp_path / "b.csv"
    other.write_bytes(b"header\n5,6")
    with tf.Graph().as_default():
        names = tf.FIFOQueue(5, tf.string, shapes=[])
        fill = names.enqueue_many([[str(lines), str(other)]])
        key, value = tf.TextLineReader(skip_header_lines=1).read(names)
        whole_key, whole = tf.WholeFileReader().read(names)
        with tf.Session() as sess:
            sess.run([fill, names.close()])
            got = [sess.run([key, value]) for _ in range(3)]
            with pytest.raises(tf.errors.OutOfRangeError):
                sess.run(value)
    assert got == [[f"{lines}:2".encode(), b"1,2"], [f"{lines}:3".encode(), b"3,4"],
                   [f"{other}:2".encode(), b"5,6"]]
    assert whole_key.dtype == tf.string and whole.shape.ndims == 0


def test_fixed_length_and_tfrecord_readers(tmp_path):
    raw = tmp_path / "raw.bin"
    raw.write_bytes(b"HH" + bytes(range(6)) + b"F")
    records = tmp_path / "r.tfrecord"
    with tf.python_io.TFRecordWriter(str(records)) as writer:
        for item in (b"one", b"two"):
            writer.write(item)
    with tf.Graph().as_default():
        raw_names = tf.train.string_input_producer([str(raw)], num_epochs=1, shuffle=False)
        key, chunk = tf.FixedLengthRecordReader(3, header_bytes=2, footer_bytes=1) \
            .read(raw_names)
        record_names = tf.FIFOQueue(2, tf.string, shapes=[])
        _, record = tf.TFRecordReader().read(record_names)
        keys, values = tf.TFRecordReader().read_up_to(record_names, 5)
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess, coord)
            assert sess.run([key, chunk]) == [f"{raw}:0".encode(), bytes([0, 1, 2])]
            assert sess.run(chunk) == bytes([3, 4, 5])
            with pytest.raises(tf.errors.OutOfRangeError):
                sess.run(chunk)
            coord.request_stop()
            coord.join(threads)
            sess.run(record_names.enqueue_many([[str(records), str(records)]]))
            assert [sess.run(record) for _ in range(2)] == [b"one", b"two"]
            got_keys, got_values = sess.run([keys, values])
            assert got_values.tolist() == [b"one", b"two"]
            assert got_keys.tolist() == [f"{records}:0".encode(), f"{records}:19".encode()]


def test_count_up_to_stops_at_its_limit():
    with tf.Graph().as_default():
        counter = tf.Variable(0, dtype=tf.int64)
        step = tf.count_up_to(counter, 2)
        with tf.Session() as sess:
            sess.run(counter.initializer)
            assert [sess.run(step) for _ in range(2)] == [0, 1]
            with pytest.raises(tf.errors.OutOfRangeError, match="Reached limit of 2"):
                sess.run(step)
            assert sess.run(counter) == 2


def test_the_tf_queue_namespace_holds_the_queue_classes():
    assert tf.queue.FIFOQueue is tf.FIFOQueue and tf.queue.QueueBase is tf.QueueBase
    assert tf.queue.RandomShuffleQueue is tf.RandomShuffleQueue
    with pytest.raises(AttributeError, match="does not implement tf.queue.nothing"):
        assert tf.queue.nothing is None


def test_identity_reader_and_the_tf_queue_namespace():
    with tf.Graph().as_default():
        work = tf.queue.FIFOQueue(3, tf.string)
        assert tf.queue.FIFOQueue is tf.FIFOQueue and tf.queue.QueueBase is tf.QueueBase
        fill = work.enqueue_many([["a", "b"]])
        reader = tf.IdentityReader()
        key, value = reader.read(work)
        assert reader.reader_ref.op.type == "IdentityReaderV2"
        with tf.Session() as sess:
            sess.run(fill)
            assert sess.run([key, value]) == [b"a", b"a"]
            assert sess.run([key, value]) == [b"b", b"b"]
            assert sess.run(reader.num_records_produced()) == 2


def _in_threads(targets):
    threads = [threading.Thread(target=target) for target in targets]
    for thread in threads:
        thread.start()
    return threads


@pytest.mark.parametrize("kind", ["fifo", "random_shuffle"])
def test_four_producers_and_two_consumers_lose_and_duplicate_nothing(kind):
    producers, per_producer, batch = 4, 150, 3
    with tf.Graph().as_default():
        if kind == "fifo":
            queue = tf.FIFOQueue(5, tf.int64, shapes=[])
        else:
            queue = tf.RandomShuffleQueue(12, 3, tf.int64, shapes=[], seed=1)
        start = tf.placeholder(tf.int64, [])
        enqueue_one = queue.enqueue(start)
        enqueue_many = queue.enqueue_many([start + tf.range(50, dtype=tf.int64)])
        taken = queue.dequeue_up_to(batch)
        with tf.Session() as sess:
            got = [[], []]

            def produce(index):
                base = index * per_producer
                for value in range(base, base + 50):  # one by one, then blocks of 50
                    sess.run(enqueue_one, {start: value})
                for block in range(base + 50, base + per_producer, 50):
                    sess.run(enqueue_many, {start: block})

            def consume(index):
                try:
                    while True:
                        got[index].extend(sess.run(taken).tolist())
                except tf.errors.OutOfRangeError:
                    pass

            writers = _in_threads([lambda i=i: produce(i) for i in range(producers)])
            readers = _in_threads([lambda i=i: consume(i) for i in range(2)])
            for thread in writers:
                thread.join(30)
            sess.run(queue.close())
            for thread in readers:
                thread.join(30)
    assert sorted(got[0] + got[1]) == list(range(producers * per_producer))
    if kind == "fifo":  # each consumer sees each producer's elements in the order put
        for seen in got:
            for index in range(producers):
                mine = [v for v in seen if v // per_producer == index]
                assert mine == sorted(mine)


def test_a_blocked_enqueue_many_is_finished_by_dequeues_in_order():
    with tf.Graph().as_default():
        queue = tf.FIFOQueue(2, tf.int32, shapes=[])
        first = queue.enqueue_many([[1, 2, 3, 4, 5]])
        second = queue.enqueue_many([[6, 7]])
        one = queue.dequeue()
        with tf.Session() as sess:
            waiting = _in_threads([lambda: sess.run(first)])
            time.sleep(0.05)
            late = _in_threads([lambda: sess.run(second)])  # queued behind the first
            time.sleep(0.05)
            assert waiting[0].is_alive() and late[0].is_alive()
            assert sess.run(queue.size()) == 2
            values = [sess.run(one) for _ in range(7)]
            for thread in waiting + late:
                thread.join(5)
                assert not thread.is_alive()
    assert values == [1, 2, 3, 4, 5, 6, 7]


def test_a_dequeue_waiting_before_a_blocking_enqueue_many_wakes():
    with tf.Graph().as_default():
        queue = tf.FIFOQueue(2, tf.int32, shapes=[])
        enqueue = queue.enqueue_many([[1, 2, 3]])
        pair = queue.dequeue_many(2)
        with tf.Session() as sess:
            got = []
            reader = _in_threads([lambda: got.append(sess.run(pair).tolist())])
            time.sleep(0.05)
            writer = _in_threads([lambda: sess.run(enqueue)])
            reader[0].join(5)
            assert got == [[1, 2]]
            assert sess.run(queue.dequeue()) == 3
            writer[0].join(5)
            assert not writer[0].is_alive()


def test_closing_cancels_a_partly_done_enqueue_many_and_keeps_what_it_put():
    with tf.Graph().as_default():
        queue = tf.FIFOQueue(2, tf.int32, shapes=[])
        enqueue = queue.enqueue_many([[1, 2, 3, 4]])
        with tf.Session() as sess:
            failures = []

            def produce():
                try:
                    sess.run(enqueue)
                except tf.errors.CancelledError as exc:
                    failures.append(exc.message)

            writer = _in_threads([produce])
            time.sleep(0.05)
            assert sess.run(queue.dequeue()) == 1  # room for 3
            sess.run(queue.close())
            writer[0].join(5)
            assert len(failures) == 1 and failures[0].endswith("fifo_queue' is closed.")
            assert sess.run(queue.dequeue_up_to(5)).tolist() == [2, 3]


def test_a_seeded_random_shuffle_queue_repeats_its_order_in_each_session():
    with tf.Graph().as_default():
        queue = tf.RandomShuffleQueue(100, 10, tf.int32, shapes=[], seed=7)
        fill = queue.enqueue_many([list(range(60))])
        batch = queue.dequeue_many(25)
        orders = []
        for _ in range(2):
            with tf.Session() as sess:
                sess.run(fill)
                orders.append(sess.run(batch).tolist() + sess.run(batch).tolist())
    assert orders[0] == orders[1] and orders[0] != sorted(orders[0])
    assert len(set(orders[0])) == 50


def test_closing_the_session_cancels_its_blocked_queue_runs():
    with tf.Graph().as_default():
        empty = tf.FIFOQueue(2, tf.int32, shapes=[])
        full = tf.FIFOQueue(1, tf.int32, shapes=[])
        dequeue, enqueue = empty.dequeue(), full.enqueue(1)
        sess = tf.Session()
        sess.run(enqueue)
        messages = []

        def blocked(fetch):
            try:
                sess.run(fetch)
            except tf.errors.CancelledError as exc:
                messages.append(exc.message)

        threads = _in_threads([lambda: blocked(dequeue), lambda: blocked(enqueue)])
        time.sleep(0.05)
        assert all(thread.is_alive() for thread in threads)
        sess.close()
        for thread in threads:
            thread.join(5)
    assert sorted(messages) == ["Dequeue operation was cancelled",
                                "Enqueue operation was cancelled"]


def test_blocked_queue_ops_give_up_at_the_run_deadline():
    """RunOptions(timeout_in_ms) bounds one run's waits, ConfigProto's
    operation_timeout_in_ms every run's: DeadlineExceededError, as TF's."""
    import time
    tf.reset_default_graph()
    queue = tf.FIFOQueue(2, tf.float32, shapes=[])
    take = queue.dequeue()
    fill = queue.enqueue_many([[1.0, 2.0, 3.0]])
    with tf.Session() as sess:
        started = time.monotonic()
        with pytest.raises(tf.errors.DeadlineExceededError,
                           match="Timed out waiting for notification") as info:
            sess.run(take, options=tf.RunOptions(timeout_in_ms=100))
        assert info.value.op is take.op and time.monotonic() - started < 5
        with pytest.raises(tf.errors.DeadlineExceededError):
            sess.run(fill, options=tf.RunOptions(timeout_in_ms=100))
        # The two elements that fitted are in; the third was dropped with the timed-out run.
        assert sess.run(queue.size()) == 2
        assert [sess.run(take) for _ in range(2)] == [1.0, 2.0]
        sess.run(queue.enqueue(4.0), options=tf.RunOptions(timeout_in_ms=100))  # no wait
        assert sess.run(take) == 4.0
    with tf.Session(config=tf.ConfigProto(operation_timeout_in_ms=100)) as sess:
        with pytest.raises(tf.errors.DeadlineExceededError):
            sess.run(take)
        accumulator = tf.ConditionalAccumulator(tf.float32, shape=[])
        with pytest.raises(tf.errors.DeadlineExceededError):
            sess.run(accumulator.take_grad(1))


@pytest.mark.parametrize("shapes", [[[2]], None], ids=["rows of a store", "tuples"])
def test_a_queue_keeps_its_own_copy_of_what_was_enqueued(shapes):
    with tf.Graph().as_default():
        queue = tf.FIFOQueue(10, tf.float32, shapes=shapes)
        value = tf.placeholder(tf.float32, [None, 2])
        enqueue_many = queue.enqueue_many([value])
        with tf.Session() as sess:
            buffer = np.ones((3, 2), dtype=np.float32)
            sess.run(enqueue_many, {value: buffer})
            buffer[...] = 5.0  # a TF1 input loop refilling its batch buffer
            first = sess.run(queue.dequeue())
            rest = sess.run(queue.dequeue_many(2))
            buffer[...] = 6.0
    assert first.tolist() == [1.0, 1.0] and rest.tolist() == [[1.0, 1.0]] * 2


def test_a_queue_store_grows_and_reuses_rows_in_order():
    with tf.Graph().as_default():
        queue = tf.FIFOQueue(100, [tf.int64, tf.string], shapes=[[2], []])
        start = tf.placeholder(tf.int64, [])
        numbers = start + tf.range(7, dtype=tf.int64)
        enqueue = queue.enqueue_many([tf.stack([numbers, -numbers], axis=1),
                                      tf.as_string(numbers)])
        taken = queue.dequeue_many(5)
        with tf.Session() as sess:
            got, texts = [], []
            for block in range(12):  # 84 in, 60 out: the store grows while rows are reused
                sess.run(enqueue, {start: 7 * block})
                if block % 3:
                    pairs, strings = sess.run(taken)
                    got.extend(pairs.tolist())
                    texts.extend(strings.tolist())
            assert sess.run(queue.size()) == 84 - 5 * len(got) // 5
    assert got == [[i, -i] for i in range(len(got))]
    assert texts == [str(i).encode() for i in range(len(got))]
