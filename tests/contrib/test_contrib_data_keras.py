"""tf.contrib.data (TF 1.15's transformations under contrib names, and the deprecated
contrib-only ones) and tf.contrib.keras (the tf.keras sub-modules)."""
import numpy as np
import pytest

import tfcompat as tf

data = tf.contrib.data


@pytest.fixture(autouse=True)
def _fresh_graph():
    with tf.Graph().as_default():
        yield


def _elements(dataset):
    next_element = tf.data.make_one_shot_iterator(dataset).get_next()
    values = []
    with tf.Session() as sess:
        while True:
            try:
                values.append(sess.run(next_element))
            except tf.errors.OutOfRangeError:
                return values


def test_batch_and_drop_remainder():
    got = _elements(tf.data.Dataset.range(7).apply(data.batch_and_drop_remainder(3)))
    assert [v.tolist() for v in got] == [[0, 1, 2], [3, 4, 5]]


def test_padded_batch_and_drop_remainder():
    dataset = tf.data.Dataset.range(1, 6).map(lambda n: tf.fill([tf.cast(n, tf.int32)], n))
    batched = dataset.apply(data.padded_batch_and_drop_remainder(2, [None]))
    assert batched.output_shapes.as_list() == [2, None]
    got = _elements(batched)
    assert [v.tolist() for v in got] == [[[1, 0], [2, 2]], [[3, 3, 3, 0], [4, 4, 4, 4]]]


@pytest.mark.parametrize("kwargs,want", [
    ({}, [[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5]]),
    ({"stride": 2}, [[0, 1, 2], [2, 3, 4]]),
    ({"window_shift": 3, "window_stride": 2}, [[0, 2, 4]]),
])
def test_sliding_window_batch(kwargs, want):
    got = _elements(tf.data.Dataset.range(6).apply(data.sliding_window_batch(3, **kwargs)))
    assert [v.tolist() for v in got] == want


def test_sliding_window_batch_of_tuples():
    dataset = tf.data.Dataset.from_tensor_slices((np.arange(4), np.arange(4) * 10.0))
    got = _elements(dataset.apply(data.sliding_window_batch(2, window_shift=2)))
    assert [(a.tolist(), b.tolist()) for a, b in got] == [([0, 1], [0.0, 10.0]),
                                                           ([2, 3], [20.0, 30.0])]
    with pytest.raises(ValueError, match="Cannot specify both"):
        data.sliding_window_batch(2, stride=1, window_shift=1)


def test_aliases_of_experimental_transformations():
    dataset = tf.data.Dataset.range(5)
    assert data.map_and_batch is tf.data.experimental.map_and_batch
    got = _elements(dataset.apply(data.map_and_batch(lambda x: x * 2, 2)))
    assert [v.tolist() for v in got] == [[0, 2], [4, 6], [8]]
    got = _elements(dataset.batch(2).apply(data.unbatch()))
    assert [int(v) for v in got] == [0, 1, 2, 3, 4]
    got = _elements(dataset.apply(data.shuffle_and_repeat(5, count=2, seed=1)))
    assert sorted(int(v) for v in got) == sorted(list(range(5)) * 2)


def test_sloppy_interleave():
    dataset = tf.data.Dataset.range(1, 3).apply(data.sloppy_interleave(
        lambda n: tf.data.Dataset.from_tensors(n).repeat(n), cycle_length=2))
    assert sorted(int(v) for v in _elements(dataset)) == [1, 2, 2]


def test_read_batch_features(tmp_path):
    path = str(tmp_path / "records.tfrecord")
    with tf.python_io.TFRecordWriter(path) as writer:
        for value in range(4):
            example = tf.train.Example(features=tf.train.Features(feature={
                "x": tf.train.Feature(int64_list=tf.train.Int64List(value=[value]))}))
            writer.write(example.SerializeToString())
    features = data.read_batch_features(path, 2, {"x": tf.FixedLenFeature([], tf.int64)},
                                        randomize_input=False, num_epochs=1)
    with tf.Session() as sess:
        assert sess.run(features)["x"].tolist() == [0, 1]
        assert sess.run(features)["x"].tolist() == [2, 3]


@pytest.mark.parametrize("module,name", [
    ("data", "LMDBDataset"), ("keras", "applications"), ("opt", "ShampooOptimizer"),
    ("crf", "CrfLayer"), ("image", "bipartite_match")])
def test_missing_names_say_so(module, name):
    with pytest.raises(AttributeError, match=f"does not implement tf.contrib.{module}.{name}"):
        getattr(getattr(tf.contrib, module), name)


def test_contrib_keras_is_tf_keras():
    assert tf.contrib.keras.layers is tf.keras.layers
    assert tf.contrib.keras.models.Sequential is tf.keras.Sequential
    model = tf.contrib.keras.models.Sequential([tf.contrib.keras.layers.Dense(2,
                                                                              input_shape=(3,))])
    assert model.output.shape.as_list() == [None, 2]


def test_assert_element_shape():
    dataset = tf.data.Dataset.from_tensor_slices(np.zeros([4, 3], np.float32)).map(
        lambda x: (tf.placeholder_with_default(x, [None]), {"n": tf.constant(1)}))
    checked = dataset.apply(data.assert_element_shape(([3], {"n": []})))
    assert checked.output_shapes[0].as_list() == [3]
    assert len(_elements(checked)) == 4
    wrong = dataset.apply(data.assert_element_shape(([2], {"n": []})))
    next_element = tf.data.make_one_shot_iterator(wrong).get_next()
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run(next_element)
    with pytest.raises(ValueError):
        tf.data.Dataset.from_tensors(np.zeros([3])).apply(data.assert_element_shape([4]))
