"""A queue runner's element pipeline done as batched runs: the outcome of plain runs."""
import threading
import time

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.runtime.element_batching import ElementPipeline


def _pipeline(values, transform=lambda row: row, capacity=100):
    """(index queue fed with ``values``, its close op, output queue, enqueue op): one
    index per run is dequeued, its row of a table gathered, transformed and enqueued."""
    table = np.arange(60, dtype=np.float32).reshape(12, 5) - 20.5
    indices = tf.FIFOQueue(64, tf.int32, shapes=[])
    fill = indices.enqueue_many([np.asarray(values, dtype=np.int32)])
    row = transform(tf.gather(tf.constant(table), indices.dequeue()))
    output = tf.FIFOQueue(capacity, [row.dtype, tf.int32], shapes=[row.shape, []])
    enqueue = output.enqueue([row, tf.constant(7)])
    return fill, indices, output, enqueue


def _plan(sess, op):
    """The session's plan running ``op`` (made by a first run of it)."""
    (plan,) = [p for key, p in sess._plans.items() if key[0] == (op,)]
    return plan


def _transforms():
    return {
        "gather": lambda row: row,
        "arithmetic": lambda row: tf.cast(tf.maximum(row * 2.0 + 1.0, -3.0) / 4.0, tf.float64),
        "reshape": lambda row: -tf.reshape(tf.square(row), [5, 1]),
        "floor_mod": lambda row: tf.floormod(tf.cast(row, tf.int32), 3),
        "one_hot": lambda row: tf.one_hot(tf.floormod(tf.cast(tf.abs(row), tf.int32), 4), 4),
        "axes": lambda row: tf.squeeze(tf.transpose(
            tf.expand_dims(tf.reshape(row, [5, 1]), -1), [2, 0, 1]), [0]),
        "concat": lambda row: tf.concat([row, row * 2.0, tf.constant([1.0])], axis=-1),
        "strings": lambda row: tf.string_to_number(tf.as_string(row, precision=2)),
        "slices": lambda row: tf.concat([tf.reverse(row[1:4], [0]), tf.slice(row, [3], [2]),
                                         tf.tile(row[::2], [2])], axis=0),
    }


def _plain_and_batched(build, count, batched_calls, check=None):
    """Runs the pipeline ``build()`` makes in the current graph (its fill op, output queue
    and enqueue op) once with plain runs and once through the element runner until the
    output holds ``count`` elements; asserts the number of calls each took (the batched
    side's first call is a plain run that makes the plan), calls ``check(sess, batched)``
    and asserts both outputs equal bit for bit; returns them (plain, batched)."""
    outcomes = []
    for batched in (False, True):
        with tf.Graph().as_default():
            fill, output, enqueue = build()
            with tf.Session() as sess:
                sess.run(fill)
                run = sess._element_runner(enqueue) if batched else sess.make_callable(enqueue)
                calls = 0
                while sess.run(output.size()) < count:
                    run()
                    calls += 1
                assert calls == (batched_calls if batched else count)
                if batched:
                    assert _plan(sess, enqueue).element_pipeline is not None
                if check is not None:
                    check(sess, batched)
                outcomes.append(sess.run(output.dequeue_many(count)))
    for plain, batched in zip(*outcomes):
        assert plain.dtype == batched.dtype
        np.testing.assert_array_equal(plain, batched)  # bit for bit, in order
    return outcomes


@pytest.mark.parametrize("name", sorted(_transforms()))
def test_batched_runs_enqueue_what_plain_runs_enqueue(name):
    def build():
        fill, _, output, enqueue = _pipeline([3, 1, 4, 1, 5, 9, 2, 6, 5, 3],
                                             _transforms()[name])
        return fill, output, enqueue
    _, (_, tags) = _plain_and_batched(build, 10, batched_calls=2)
    assert tags.tolist() == [7] * 10


def test_rows_gathered_from_a_constant_are_queued_as_row_numbers_and_copied_once():
    """The output queue keeps the constant's row numbers (no copy per element); elements
    enqueued by plain runs in between, or gathered from another constant, are stored as
    values; a dequeue gives each element's values, in order, in an array of its own."""
    with tf.Graph().as_default():
        fill, indices, output, enqueue = _pipeline([3, 1, 4, 1, 5])
        more = indices.enqueue_many([[9, 2, 6, 5, 3]])
        other = np.full((2, 5), 0.25, dtype=np.float32)
        plain_row = output.enqueue([tf.constant(other[0]), tf.constant(1)])
        other_rows = tf.FIFOQueue(8, tf.int32, shapes=[])
        other_fill = other_rows.enqueue_many([[1, 0, 1]])
        from_other = output.enqueue([tf.gather(tf.constant(other), other_rows.dequeue()),
                                     tf.constant(2)])
        with tf.Session() as sess:
            sess.run([fill, other_fill])
            run = sess._element_runner(enqueue)
            run()  # the first run makes the plan: a plain one
            run()  # the other four indices in one batched run
            sess.run(plain_row)
            sess._element_runner(from_other)()
            sess._element_runner(from_other)()  # two rows of the other constant at once
            sess.run(more)
            run()  # five more
            (queue,) = [r for r in sess._state.resources.values()
                        if getattr(r, "capacity", None) == 100]
            numbers = queue._store[0].numbers
            assert sum(int(numbers[row] >= 0) for row in queue._items) == 9
            rows, tags = sess.run(output.dequeue_many(14))
    table = np.arange(60, dtype=np.float32).reshape(12, 5) - 20.5
    expected = np.concatenate([table[[3, 1, 4, 1, 5]], other[:1], other[[1, 0, 1]],
                               table[[9, 2, 6, 5, 3]]])
    np.testing.assert_array_equal(rows, expected)
    assert tags.tolist() == [7] * 5 + [1] + [2] * 3 + [7] * 5
    assert rows.flags.writeable and rows.flags.owndata


def test_a_batched_run_takes_what_the_queues_allow():
    with tf.Graph().as_default():
        fill, indices, output, enqueue = _pipeline(list(range(12)), capacity=5)
        with tf.Session() as sess:
            sess.run(fill)
            sess.run(enqueue)
            pipeline = _plan(sess, enqueue).element_pipeline
            assert pipeline.run(sess._state, 3) == 3   # the limit
            assert pipeline.run(sess._state, 10) == 0  # room for one: a plain run's job
            assert sess.run([indices.size(), output.size()]) == [8, 4]
            sess.run(output.dequeue_many(4))
            assert pipeline.run(sess._state, 100) == 5  # the room
            sess.run(output.dequeue_many(5))
            assert pipeline.run(sess._state, 100) == 3  # what the input holds
            assert pipeline.run(sess._state, 100) == 0
            got = sess.run(output.dequeue_many(3))[0][:, 0]
            np.testing.assert_array_equal(got, np.arange(9, 12) * 5 - 20.5)


def test_an_element_that_fails_stops_the_runner_after_the_ones_before_it():
    with tf.Graph().as_default():
        fill, indices, output, enqueue = _pipeline([0, 1, 2, 99, 4])
        with tf.Session() as sess:
            sess.run(fill)
            run = sess._element_runner(enqueue)
            with pytest.raises(tf.errors.InvalidArgumentError, match=r"99 is not in \[0, 12\)"):
                for _ in range(5):
                    run()
            # As plain runs: three rows enqueued, the bad index consumed, one left.
            assert sess.run([output.size(), indices.size()]) == [3, 1]


def test_a_closed_output_queue_fails_the_batched_run_as_a_plain_one():
    with tf.Graph().as_default():
        fill, indices, output, enqueue = _pipeline(list(range(6)))
        with tf.Session() as sess:
            sess.run(fill)
            run = sess._element_runner(enqueue)
            run()
            sess.run(output.close())
            with pytest.raises(tf.errors.CancelledError, match="is closed"):
                run()
            assert sess.run(indices.size()) == 4  # as a plain run: one element taken


@pytest.mark.parametrize("transform", [
    lambda row: tf.exp(row),                       # may round differently in a batch
    lambda row: tf.image.random_flip_left_right(tf.reshape(row, [5, 1, 1])),  # random
    lambda row: row + tf.random_uniform([5]),
], ids=["transcendental", "random op", "random tensor"])
def test_pipelines_with_ops_that_cannot_batch_run_plainly(transform):
    with tf.Graph().as_default():
        fill, indices, output, enqueue = _pipeline(list(range(6)), transform)
        with tf.Session() as sess:
            sess.run(fill)
            run = sess._element_runner(enqueue)
            run()
            run()
            assert _plan(sess, enqueue).element_pipeline is None
            assert sess.run([indices.size(), output.size()]) == [4, 2]  # one per call


def test_only_single_element_dequeue_to_enqueue_plans_are_pipelines():
    with tf.Graph().as_default():
        queue = tf.FIFOQueue(10, tf.float32, shapes=[])
        value = tf.placeholder(tf.float32, [])
        fed = queue.enqueue(value)
        many = queue.enqueue_many([tf.constant([1.0, 2.0])])
        with tf.Session() as sess:
            sess.run(many)
            sess.run(fed, {value: 1.0})
            for key, plan in sess._plans.items():
                assert plan.element_pipeline is None, key
            dequeue = queue.dequeue()
            sess.run(dequeue)
            assert ElementPipeline.of(_plan(sess, dequeue).plan, sess._state) is None


def test_shuffle_batch_from_slice_input_producer_delivers_each_example_once_per_epoch():
    examples = 300
    features = np.arange(examples * 3, dtype=np.float32).reshape(examples, 3)
    with tf.Graph().as_default():
        row, label = tf.train.slice_input_producer(
            [features, np.arange(examples, dtype=np.int64)], num_epochs=2, seed=3)
        batch = tf.train.shuffle_batch([row * 2.0, label], batch_size=32, capacity=200,
                                       min_after_dequeue=50, num_threads=2, seed=4,
                                       allow_smaller_final_batch=True)
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess, coord)
            rows, labels = [], []
            try:
                while True:
                    got_rows, got_labels = sess.run(batch)
                    rows.append(got_rows)
                    labels.extend(got_labels.tolist())
            except tf.errors.OutOfRangeError:
                pass
            coord.request_stop()
            coord.join(threads)
    assert sorted(labels) == sorted(list(range(examples)) * 2)
    np.testing.assert_array_equal(np.concatenate(rows), features[labels] * 2.0)


def test_a_batched_run_waits_for_room_before_taking_its_inputs():
    with tf.Graph().as_default():
        fill, indices, output, enqueue = _pipeline(list(range(10)), capacity=3)
        with tf.Session() as sess:
            sess.run(fill)
            run = sess._element_runner(enqueue)
            for _ in range(3):
                sess.run(enqueue)
            waiting = threading.Thread(target=run)
            waiting.start()
            time.sleep(0.1)
            assert waiting.is_alive()
            assert sess.run(indices.size()) == 7  # nothing taken while the output is full
            sess.run(output.dequeue_many(2))
            waiting.join(10)
            assert sess.run([indices.size(), output.size()]) == [5, 3]  # two at once
            closing = threading.Thread(target=lambda: sess.run(output.close()))
            failures = []

            def run_until_cancelled():
                try:
                    run()
                except tf.errors.CancelledError as exc:
                    failures.append(exc)
            waiting = threading.Thread(target=run_until_cancelled)
            waiting.start()
            time.sleep(0.1)
            closing.start()
            waiting.join(10)
            closing.join(10)
            assert len(failures) == 1 and "is closed" in str(failures[0])


def _csv_pipeline(tmp_path, files):
    """(filename queue fill, reader, output queue, enqueue, records produced) of the TF1
    CSV idiom: TextLineReader -> decode_csv -> stack -> enqueue (with the line's key)."""
    names = []
    for index, lines in enumerate(files):
        path = tmp_path / f"part{index}.csv"
        path.write_text("".join(line + "\n" for line in lines))
        names.append(str(path))
    filenames = tf.FIFOQueue(10, tf.string, shapes=[])
    fill = filenames.enqueue_many([names])
    reader = tf.TextLineReader()
    key, line = reader.read(filenames)
    *columns, label = tf.decode_csv(line, record_defaults=[[0.0], [0.0], [0]])
    features = tf.stack(columns) * 2.0
    output = tf.FIFOQueue(100, [tf.float32, tf.int32, tf.string], shapes=[[2], [], []])
    enqueue = output.enqueue([features, label, key])
    return fill, output, enqueue, reader.num_records_produced()


def _csv_lines(count, start=0):
    return [f"{i * 0.5},{-i},{i % 3}" for i in range(start, start + count)]


def test_a_reader_pipeline_batched_enqueues_what_plain_runs_enqueue(tmp_path):
    produced = []

    def build():
        fill, output, enqueue, count = _csv_pipeline(tmp_path, [_csv_lines(7), _csv_lines(5, 7)])
        produced.append(count)
        return fill, output, enqueue

    def check(sess, batched):
        assert sess.run(produced[-1]) == 12
    # a plain run makes the plan; batches end where a file does
    outcomes = _plain_and_batched(build, 12, batched_calls=3, check=check)
    assert outcomes[1][2][6].decode().endswith("part0.csv:7")


def test_a_bad_record_fails_after_the_ones_before_it_and_leaves_the_rest_unread(tmp_path):
    lines = _csv_lines(3) + ["1.0,2.0"] + _csv_lines(2, 3)
    with tf.Graph().as_default():
        fill, output, enqueue, produced = _csv_pipeline(tmp_path, [lines])
        with tf.Session() as sess:
            sess.run(fill)
            run = sess._element_runner(enqueue)
            with pytest.raises(tf.errors.InvalidArgumentError, match="Expect 3 fields but have 2"):
                for _ in range(6):
                    run()
            assert sess.run([output.size(), produced]) == [3, 4]  # as plain runs
            run()
            run()
            assert sess.run([output.size(), produced]) == [5, 6]
            assert sess.run(output.dequeue_many(5))[1].tolist() == [0, 1, 2, 0, 1]


def test_a_tfrecord_example_pipeline_batched_enqueues_what_plain_runs_enqueue(tmp_path):
    path = str(tmp_path / "images.tfrecords")
    with tf.python_io.TFRecordWriter(path) as writer:
        for index in range(9):
            pixels = bytes((index * 7 + k) % 256 for k in range(6))
            example = tf.train.Example(features=tf.train.Features(feature={
                "image_raw": tf.train.Feature(bytes_list=tf.train.BytesList(value=[pixels])),
                "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[index % 4]))}))
            writer.write(example.SerializeToString())
    def build():  # the shape of TF 1.x's fully_connected_reader.py
        files = tf.FIFOQueue(4, tf.string, shapes=[])
        fill = files.enqueue_many([[path]])
        _, serialized = tf.TFRecordReader().read(files)
        features = tf.parse_single_example(serialized, features={
            "image_raw": tf.FixedLenFeature([], tf.string),
            "label": tf.FixedLenFeature([], tf.int64)})
        image = tf.decode_raw(features["image_raw"], tf.uint8)
        image.set_shape([6])
        image = tf.cast(image, tf.float32) * (1.0 / 255) - 0.5
        label = tf.cast(features["label"], tf.int32)
        output = tf.FIFOQueue(20, [tf.float32, tf.int32], shapes=[[6], []])
        return fill, output, output.enqueue([image, label])
    _, (_, labels) = _plain_and_batched(build, 9, batched_calls=2)
    assert labels.tolist() == [i % 4 for i in range(9)]


def test_elements_of_several_shapes_go_one_at_a_time():
    with tf.Graph().as_default():
        source = tf.FIFOQueue(10, tf.float32)  # no shapes: rows of any length
        fill = source.enqueue_many([[[1.0, 2.0], [3.0, 4.0]]])
        fill_longer = source.enqueue([[5.0, 6.0, 7.0]])
        output = tf.FIFOQueue(10, tf.float32)
        enqueue = output.enqueue([source.dequeue() * 2.0])
        with tf.Session() as sess:
            sess.run([fill])
            sess.run(fill_longer)
            sess.run(enqueue)
            pipeline = _plan(sess, enqueue).element_pipeline
            assert pipeline.run(sess._state, 10) is None  # a miss: plain runs for a while
            run = sess._element_runner(enqueue)
            run()
            run()
            assert sess.run(output.size()) == 3
            got = [sess.run(output.dequeue()).tolist() for _ in range(3)]
    assert got == [[2.0, 4.0], [6.0, 8.0], [10.0, 12.0, 14.0]]


def test_a_fixed_length_record_pipeline_batched_enqueues_what_plain_runs_enqueue(tmp_path):
    path = tmp_path / "data_batch.bin"  # CIFAR-10's layout: a label byte, then CHW pixels
    path.write_bytes(bytes(range(13 * 7)))
    def build():  # the shape of TF 1.x's cifar10_input.py
        files = tf.FIFOQueue(4, tf.string, shapes=[])
        fill = files.enqueue_many([[str(path)]])
        _, value = tf.FixedLengthRecordReader(record_bytes=13).read(files)
        record = tf.decode_raw(value, tf.uint8)
        label = tf.cast(tf.strided_slice(record, [0], [1]), tf.int32)
        depth_major = tf.reshape(tf.strided_slice(record, [1], [13]), [3, 2, 2])
        image = tf.cast(tf.transpose(depth_major, [1, 2, 0]), tf.float32)
        output = tf.FIFOQueue(20, [tf.float32, tf.int32], shapes=[[2, 2, 3], [1]])
        return fill, output, output.enqueue([image, label])
    _, (_, labels) = _plain_and_batched(build, 7, batched_calls=2)
    assert labels.ravel().tolist() == [13 * i for i in range(7)]


def test_a_batched_run_takes_past_a_full_source_into_its_waiting_enqueues():
    outcomes = []
    for batched in (False, True):
        with tf.Graph().as_default():
            table = tf.constant(np.arange(24, dtype=np.float32).reshape(12, 2))
            source = tf.FIFOQueue(4, tf.int32, shapes=[])  # input_producer's small queue
            fill = source.enqueue_many([np.array([5, 1, 4, 1, 5, 9, 2, 6, 11, 3], np.int32)])
            output = tf.FIFOQueue(20, tf.float32, shapes=[[2]])
            enqueue = output.enqueue([tf.gather(table, source.dequeue()) + 0.5])
            with tf.Session() as sess:
                filler = threading.Thread(target=sess.run, args=(fill,))
                filler.start()  # blocks with 6 elements waiting for room
                time.sleep(0.1)
                assert sess.run(source.size()) == 4
                sess.run(enqueue)  # a plain run makes the plan
                if batched:
                    pipeline = _plan(sess, enqueue).element_pipeline
                    assert pipeline.run(sess._state, 7) == 7  # 4 held + 3 waiting
                    assert sess.run(source.size()) == 2  # the rest came in
                else:
                    for _ in range(7):
                        sess.run(enqueue)
                filler.join(10)
                assert not filler.is_alive()  # its enqueue_many finished
                for _ in range(2):
                    sess.run(enqueue)
                outcomes.append(sess.run(output.dequeue_many(10)))
    np.testing.assert_array_equal(*outcomes)
    assert outcomes[1][:, 0].tolist() == [10.5, 2.5, 8.5, 2.5, 10.5, 18.5, 4.5, 12.5, 22.5, 6.5]


def test_a_csv_reader_pipeline_over_epochs_delivers_each_record_once_per_epoch(tmp_path):
    files = [_csv_lines(37), _csv_lines(23, 37), _csv_lines(40, 60)]
    names = []
    for index, lines in enumerate(files):
        path = tmp_path / f"part{index}.csv"
        path.write_text("".join(line + "\n" for line in lines))
        names.append(str(path))
    with tf.Graph().as_default():
        queue = tf.train.string_input_producer(names, num_epochs=2, seed=5)
        _, line = tf.TextLineReader().read(queue)
        *columns, label = tf.decode_csv(line, record_defaults=[[0.0], [0.0], [0]])
        batch = tf.train.batch([tf.stack(columns), label], batch_size=16, num_threads=3,
                               capacity=40, allow_smaller_final_batch=True)
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess, coord)
            firsts = []
            try:
                while True:
                    features, _ = sess.run(batch)
                    firsts.extend(features[:, 0].tolist())
            except tf.errors.OutOfRangeError:
                pass
            coord.request_stop()
            coord.join(threads)
    assert sorted(firsts) == sorted([i * 0.5 for i in range(100)] * 2)
