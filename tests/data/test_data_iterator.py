"""tf.data iterators: kinds, initialisation, string handles, per-session state, the end of
the data during training (TF 1.15 semantics)."""
import numpy as np
import pytest

import tfcompat as tf


def test_uninitialised_iterator_fails_with_tf_message():
    with tf.Graph().as_default():
        iterator = tf.data.Dataset.range(3).make_initializable_iterator()
        assert iterator.initializer.type == "MakeIterator"
        assert iterator._iterator_resource.op.type == "IteratorV2"
        element = iterator.get_next()
        with tf.Session() as sess:
            with pytest.raises(tf.errors.FailedPreconditionError, match="not been initialized"):
                sess.run(element)


def test_initializable_iterator_restarts_with_new_feeds():
    with tf.Graph().as_default():
        limit = tf.placeholder(tf.int64, [])
        iterator = tf.data.Dataset.range(limit).make_initializable_iterator()
        element = iterator.get_next()
        with tf.Session() as sess:
            sess.run(iterator.initializer, {limit: 2})
            assert [sess.run(element) for _ in range(2)] == [0, 1]
            with pytest.raises(tf.errors.OutOfRangeError, match="End of sequence"):
                sess.run(element)
            sess.run(iterator.initializer, {limit: 4})
            assert [sess.run(element) for _ in range(4)] == [0, 1, 2, 3]


def test_reinitializable_iterator_from_structure():
    with tf.Graph().as_default():
        train = tf.data.Dataset.range(10).batch(4)
        test = tf.data.Dataset.range(100, 103).batch(4)
        iterator = tf.data.Iterator.from_structure(train.output_types, train.output_shapes)
        batch = iterator.get_next()
        assert batch.shape.as_list() == [None]
        train_init = iterator.make_initializer(train)
        test_init = iterator.make_initializer(test, name="test_init")
        assert test_init.name == "test_init"
        with tf.Session() as sess:
            sess.run(train_init)
            assert sess.run(batch).tolist() == [0, 1, 2, 3]
            sess.run(test_init)
            assert sess.run(batch).tolist() == [100, 101, 102]
        with pytest.raises(TypeError, match="Expected output types"):
            iterator.make_initializer(tf.data.Dataset.from_tensors(np.float32(1)))


def test_feedable_iterator_switches_by_string_handle():
    with tf.Graph().as_default():
        train = tf.data.Dataset.range(100).repeat()
        valid = tf.data.Dataset.range(50, 53)
        handle = tf.placeholder(tf.string, shape=[])
        iterator = tf.data.Iterator.from_string_handle(handle, train.output_types,
                                                       train.output_shapes)
        element = iterator.get_next()
        train_iterator = train.make_one_shot_iterator()
        valid_iterator = valid.make_initializable_iterator()
        with tf.Session() as sess:
            train_handle = sess.run(train_iterator.string_handle())
            valid_handle = sess.run(valid_iterator.string_handle())
            assert isinstance(train_handle, bytes)
            assert [sess.run(element, {handle: train_handle}) for _ in range(3)] == [0, 1, 2]
            sess.run(valid_iterator.initializer)
            assert sess.run(element, {handle: valid_handle}) == 50
            assert sess.run(element, {handle: train_handle}) == 3  # kept its position
        direct = tf.data.Iterator.from_string_handle(train_iterator.string_handle(),
                                                     train.output_types).get_next()
        with tf.Session() as sess:
            assert [sess.run(direct) for _ in range(2)] == [0, 1]
        wrong = tf.data.Iterator.from_string_handle(handle, tf.float32)
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError):
                sess.run(wrong.get_next(), {handle: sess.run(train_iterator.string_handle())})


def test_iterator_state_belongs_to_its_session():
    with tf.Graph().as_default():
        element = tf.data.Dataset.range(5).make_one_shot_iterator().get_next()
        first, second = tf.Session(), tf.Session()
        assert [first.run(element) for _ in range(3)] == [0, 1, 2]
        assert second.run(element) == 0
        assert first.run(element) == 3
        first.close()
        second.close()


def test_step_that_gets_no_element_changes_no_variable():
    with tf.Graph().as_default():
        data = np.arange(6, dtype=np.float32).reshape(3, 2)
        features = tf.data.Dataset.from_tensor_slices(data).batch(2) \
            .make_one_shot_iterator().get_next()
        weights = tf.Variable(tf.ones([2, 1]))
        step = tf.train.get_or_create_global_step()
        loss = tf.reduce_mean(tf.matmul(features, weights))
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=step)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(train)
            sess.run(train)  # the last, smaller batch
            before = sess.run([weights, step])
            with pytest.raises(tf.errors.OutOfRangeError):
                sess.run(train)
            after = sess.run([weights, step])
    np.testing.assert_array_equal(before[0], after[0])
    assert before[1] == after[1] == 2


def test_training_on_batches_matches_feed_dict_training():
    rng = np.random.RandomState(0)
    x_all = rng.rand(20, 3).astype(np.float32)
    y_all = rng.rand(20, 1).astype(np.float32)

    def train(use_dataset):
        with tf.Graph().as_default():
            if use_dataset:
                x, y = tf.data.Dataset.from_tensor_slices((x_all, y_all)).batch(6).repeat(2) \
                    .make_one_shot_iterator().get_next()
            else:
                x = tf.placeholder(tf.float32, [None, 3])
                y = tf.placeholder(tf.float32, [None, 1])
            w = tf.Variable(tf.zeros([3, 1]))
            loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - y))
            step = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                for _ in range(2):
                    for start in range(0, 20, 6):
                        feed = None if use_dataset else {
                            x: x_all[start:start + 6], y: y_all[start:start + 6]}
                        sess.run(step, feed)
                if use_dataset:
                    with pytest.raises(tf.errors.OutOfRangeError):
                        sess.run(step)
                return sess.run(w)

    np.testing.assert_allclose(train(True), train(False), rtol=1e-6)


def test_get_next_returns_structure_and_names():
    with tf.Graph().as_default():
        dataset = tf.data.Dataset.from_tensor_slices({"x": np.zeros((2, 3), np.float32),
                                                      "y": np.arange(2)})
        iterator = tf.data.make_one_shot_iterator(dataset)
        assert iterator._iterator_resource.op.type == "OneShotIterator"
        element = iterator.get_next(name="next")
        assert element["x"].op.name == "next" and element["x"].op.type == "IteratorGetNext"
        assert element["x"].shape.as_list() == [3]
        assert tf.data.get_output_types(iterator) == {"x": tf.float32, "y": tf.int64}
        with tf.Session() as sess:
            value = sess.run(element)
        assert value["x"].shape == (3,) and value["y"] == 0


def test_random_ops_in_map_draw_per_element():
    with tf.Graph().as_default():
        noisy = tf.data.Dataset.range(4).map(
            lambda x: tf.cast(x, tf.float32) + tf.random_uniform([], seed=1))
        element = noisy.make_one_shot_iterator().get_next()
        with tf.Session() as sess:
            values = [sess.run(element) for _ in range(4)]
        with tf.Session() as sess:
            again = [sess.run(element) for _ in range(4)]
    fractions = [v - i for i, v in enumerate(values)]
    assert len(set(np.round(fractions, 6))) == 4
    assert values == again  # seeded: each session restarts the sequence


def test_pipeline_survives_a_meta_graph_round_trip(tmp_path):
    path = str(tmp_path / "model.meta")
    with tf.Graph().as_default():
        with tf.name_scope("input"):
            dataset = tf.data.Dataset.from_tensor_slices(np.arange(10, dtype=np.float32)) \
                .shuffle(4, seed=1).batch(3)
            iterator = dataset.make_initializable_iterator()
            batch = iterator.get_next(name="next")
        mapped = dataset.map(lambda x: x + 1).make_one_shot_iterator().get_next()
        tf.add_to_collection("init", iterator.initializer)
        tf.train.export_meta_graph(path)
        with tf.Session() as sess:
            sess.run(iterator.initializer)
            expected = [sess.run(batch) for _ in range(2)]
            expected_mapped = [sess.run(mapped) for _ in range(2)]
    with tf.Graph().as_default() as graph:
        tf.train.import_meta_graph(path)
        batch = graph.get_tensor_by_name("input/next:0")
        assert batch.shape.as_list() == [None]
        with tf.Session() as sess:
            sess.run(tf.get_collection("init")[0])
            for want in expected:
                np.testing.assert_array_equal(sess.run(batch), want)
            # A map function's body travels in the GraphDef (tfcompat's body attrs).
            for want in expected_mapped:
                np.testing.assert_array_equal(
                    sess.run(graph.get_tensor_by_name(mapped.name)), want)


def test_one_shot_iterators_refuse_pipelines_that_capture_stateful_ops():
    """TF 1.x rebuilds a one-shot iterator's dataset by value: a variable or random op read
    outside the pipeline's functions is refused; inside a map function it is fine."""
    with tf.Graph().as_default():
        scale = tf.Variable(2.0, name="scale")
        scaled = tf.data.Dataset.range(3).map(lambda n: tf.cast(n, tf.float32) * scale)
        with pytest.raises(ValueError, match=r"capture a stateful node \(name:scale, "
                                             r"type:VariableV2\) by value"):
            scaled.make_one_shot_iterator()
        noise = tf.data.Dataset.from_tensors(tf.random_uniform([2]))
        with pytest.raises(ValueError, match="use `Dataset.make_initializable_iterator"):
            noise.make_one_shot_iterator()
        inside = tf.data.Dataset.range(3).map(
            lambda n: tf.cast(n, tf.float32) + tf.random_uniform([]))
        element = inside.make_one_shot_iterator().get_next()
        iterator = scaled.make_initializable_iterator()
        with tf.Session() as sess:
            assert 0.0 <= sess.run(element) < 1.0
            sess.run(scale.initializer)
            sess.run(iterator.initializer)
            assert sess.run(iterator.get_next()) == 0.0
