"""tf.data datasets: sources, transformations and what their iterators yield (TF 1.15)."""
import collections

import numpy as np
import pytest

import tfcompat as tf


def _all(dataset, session=None, feed=None, initializable=False):
    """Every element of ``dataset`` in a fresh session, then checks it ends as TF does."""
    if initializable:
        iterator = dataset.make_initializable_iterator()
    else:
        iterator = dataset.make_one_shot_iterator()
    element = iterator.get_next()
    out = []
    with tf.Session() as sess:
        if initializable:
            sess.run(iterator.initializer, feed)
        while True:
            try:
                out.append(sess.run(element))
            except tf.errors.OutOfRangeError as exc:
                assert exc.message == "End of sequence"
                break
        with pytest.raises(tf.errors.OutOfRangeError):  # it stays at its end
            sess.run(element)
    return out


def test_from_tensor_slices_tuple_yields_rows_and_static_structure():
    with tf.Graph().as_default():
        images = np.arange(12, dtype=np.float32).reshape(3, 4)
        labels = np.array([7, 8, 9], dtype=np.int64)
        dataset = tf.data.Dataset.from_tensor_slices((images, labels))
        assert dataset.output_types == (tf.float32, tf.int64)
        assert [s.as_list() for s in dataset.output_shapes] == [[4], []]
        assert dataset.output_classes == (tf.Tensor, tf.Tensor)
        assert dataset._variant_tensor.op.type == "TensorSliceDataset"
        got = _all(dataset)
    assert len(got) == 3
    for row, (image, label) in enumerate(got):
        np.testing.assert_array_equal(image, images[row])
        assert label == labels[row]


def test_dict_and_namedtuple_elements_keep_their_structure():
    point = collections.namedtuple("Point", "x y")
    with tf.Graph().as_default():
        dataset = tf.data.Dataset.from_tensor_slices(
            {"b": np.zeros((2, 3), np.float32), "a": point(np.arange(2), np.ones(2))})
        assert dataset.output_shapes["b"].as_list() == [3]
        element = dataset.make_one_shot_iterator().get_next()
        assert isinstance(element["a"], point)
        with tf.Session() as sess:
            value = sess.run(element)
    assert isinstance(value["a"], point) and value["a"].x == 0
    np.testing.assert_array_equal(value["b"], np.zeros(3))


def test_from_tensor_slices_rejects_mismatched_first_dimensions():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="Dimensions 2 and 3 are not compatible"):
            tf.data.Dataset.from_tensor_slices((np.zeros(2), np.zeros(3)))


def test_from_tensors_range_zip_concatenate_take_skip():
    with tf.Graph().as_default():
        assert [v.tolist() for v in _all(tf.data.Dataset.from_tensors([1, 2]))] == [[1, 2]]
        assert _all(tf.data.Dataset.range(5)) == [0, 1, 2, 3, 4]
        assert _all(tf.data.Dataset.range(2, 9, 3)) == [2, 5, 8]
        assert tf.data.Dataset.range(3).output_types == tf.int64
        zipped = tf.data.Dataset.zip((tf.data.Dataset.range(3),
                                      tf.data.Dataset.range(10, 20)))
        assert [tuple(map(int, v)) for v in _all(zipped)] == [(0, 10), (1, 11), (2, 12)]
        joined = tf.data.Dataset.range(2).concatenate(tf.data.Dataset.range(5, 7))
        assert _all(joined) == [0, 1, 5, 6]
        assert _all(tf.data.Dataset.range(10).skip(7)) == [7, 8, 9]
        assert _all(tf.data.Dataset.range(10).take(2)) == [0, 1]
        assert _all(tf.data.Dataset.range(3).repeat(2)) == [0, 1, 2, 0, 1, 2]
        assert _all(tf.data.Dataset.range(3).repeat().take(5)) == [0, 1, 2, 0, 1]
        with pytest.raises(TypeError, match="different types"):
            tf.data.Dataset.range(2).concatenate(
                tf.data.Dataset.from_tensor_slices(np.zeros(2, np.float32)))


def test_map_is_traced_once_and_runs_per_element():
    calls = []

    def double(x, y):
        calls.append((x, y))
        assert isinstance(x, tf.Tensor) and x.shape.as_list() == [2]
        return {"twice": x * 2.0, "label": y + 1}

    with tf.Graph().as_default():
        features = np.arange(8, dtype=np.float32).reshape(4, 2)
        dataset = tf.data.Dataset.from_tensor_slices((features, np.arange(4)))
        mapped = dataset.map(double, num_parallel_calls=2)
        assert mapped._variant_tensor.op.type == "MapDataset"
        assert mapped.output_shapes["twice"].as_list() == [2]
        got = _all(mapped)
    assert len(calls) == 1
    np.testing.assert_array_equal(np.stack([g["twice"] for g in got]), features * 2)
    assert [int(g["label"]) for g in got] == [1, 2, 3, 4]


def test_map_captures_placeholders_fed_at_initialisation():
    with tf.Graph().as_default():
        scale = tf.placeholder(tf.int64, [], name="scale")
        dataset = tf.data.Dataset.range(3).map(lambda x: x * scale)
        assert _all(dataset, feed={scale: 10}, initializable=True) == [0, 10, 20]
        iterator = dataset.make_initializable_iterator()
        element = iterator.get_next()
        with tf.Session() as sess:
            for factor in (2, 3):  # one compiled function, new captured values per init
                sess.run(iterator.initializer, {scale: factor})
                assert [sess.run(element) for _ in range(3)] == [0, factor, 2 * factor]


def test_filter_batch_and_drop_remainder():
    with tf.Graph().as_default():
        evens = tf.data.Dataset.range(10).filter(lambda x: tf.equal(x % 2, 0))
        assert _all(evens) == [0, 2, 4, 6, 8]
        batched = tf.data.Dataset.range(7).batch(3)
        assert batched.output_shapes.as_list() == [None]
        assert [b.tolist() for b in _all(batched)] == [[0, 1, 2], [3, 4, 5], [6]]
        dropped = tf.data.Dataset.range(7).batch(3, drop_remainder=True)
        assert dropped.output_shapes.as_list() == [3]
        assert [b.tolist() for b in _all(dropped)] == [[0, 1, 2], [3, 4, 5]]
        with pytest.raises(ValueError, match="scalar boolean"):
            tf.data.Dataset.range(3).filter(lambda x: x)


def test_batch_of_unequal_shapes_fails_and_padded_batch_pads():
    with tf.Graph().as_default():
        ragged = tf.data.Dataset.from_tensor_slices(np.array([1, 2, 3], np.int32)).map(
            lambda n: tf.fill([n], n))
        element = ragged.batch(2).make_one_shot_iterator().get_next()
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError, match="Cannot batch tensors"):
                sess.run(element)
        padded = ragged.padded_batch(2, padded_shapes=[None])
        assert padded.output_shapes.as_list() == [None, None]
        first, second = _all(padded)
        np.testing.assert_array_equal(first, [[1, 0], [2, 2]])
        np.testing.assert_array_equal(second, [[3, 3, 3]])
        fixed = ragged.padded_batch(3, padded_shapes=[4], padding_values=np.int32(-1))
        np.testing.assert_array_equal(_all(fixed)[0], [[1, -1, -1, -1], [2, 2, -1, -1],
                                                       [3, 3, 3, -1]])


def test_shuffle_is_a_permutation_and_one_seed_gives_one_order():
    def orders(seed, reshuffle=None):
        with tf.Graph().as_default():
            dataset = tf.data.Dataset.range(20).shuffle(
                8, seed=seed, reshuffle_each_iteration=reshuffle).repeat(2)
            values = _all(dataset)
        return values[:20], values[20:]

    first, second = orders(5)
    assert sorted(first) == list(range(20)) and sorted(second) == list(range(20))
    assert first != list(range(20)) and first != second  # a new order every pass
    assert orders(5) == (first, second)
    assert orders(6) != (first, second)
    same_first, same_second = orders(5, reshuffle=False)
    assert same_first == same_second


def test_shuffle_replays_its_order_when_an_iterator_is_reinitialised():
    with tf.Graph().as_default():
        count = tf.placeholder(tf.int64, [])
        iterator = tf.data.Dataset.range(count).shuffle(10, seed=3) \
            .make_initializable_iterator()
        element = iterator.get_next()
        with tf.Session() as sess:
            passes = []
            for _ in range(2):
                sess.run(iterator.initializer, {count: 10})
                passes.append([sess.run(element) for _ in range(10)])
            sess.run(iterator.initializer, {count: 3})
            assert sorted(sess.run(element) for _ in range(3)) == [0, 1, 2]
    assert passes[0] == passes[1] and sorted(passes[0]) == list(range(10))


def test_prefetch_cache_flat_map_interleave_unbatch():
    with tf.Graph().as_default():
        assert _all(tf.data.Dataset.range(4).prefetch(2)) == [0, 1, 2, 3]
        assert _all(tf.data.Dataset.range(3).cache().repeat(2)) == [0, 1, 2, 0, 1, 2]
        nested = tf.data.Dataset.range(3).flat_map(
            lambda x: tf.data.Dataset.from_tensors(x).repeat(x))
        assert _all(nested) == [1, 2, 2]
        rows = tf.data.Dataset.from_tensor_slices(np.array([[1, 2], [3, 4]]))
        woven = rows.interleave(lambda x: tf.data.Dataset.from_tensor_slices(x).repeat(2),
                                cycle_length=2, block_length=1)
        assert _all(woven) == [1, 3, 2, 4, 1, 3, 2, 4]
        blocks = tf.data.Dataset.range(1, 4).interleave(
            lambda x: tf.data.Dataset.from_tensors(x).repeat(3), cycle_length=2,
            block_length=2)
        assert _all(blocks) == [1, 1, 2, 2, 1, 2, 3, 3, 3]
        assert _all(tf.data.Dataset.range(5).batch(2).unbatch()) == [0, 1, 2, 3, 4]


def test_experimental_transformations_through_apply():
    with tf.Graph().as_default():
        shuffled = tf.data.Dataset.range(5).apply(
            tf.data.experimental.shuffle_and_repeat(5, count=2, seed=1))
        values = _all(shuffled)
        assert sorted(values[:5]) == list(range(5)) and sorted(values[5:]) == list(range(5))
        mapped = tf.data.Dataset.range(5).apply(
            tf.data.experimental.map_and_batch(lambda x: x * 10, 2, drop_remainder=True))
        assert mapped.output_shapes.as_list() == [2]
        assert [b.tolist() for b in _all(mapped)] == [[0, 10], [20, 30]]
        flat = tf.data.Dataset.from_tensors(np.arange(3)).apply(tf.data.experimental.unbatch())
        assert _all(flat) == [0, 1, 2]


def test_from_generator_converts_and_checks_elements():
    def pairs():
        for i in range(3):
            yield i, [float(i)] * i

    with tf.Graph().as_default():
        dataset = tf.data.Dataset.from_generator(pairs, (tf.int32, tf.float32),
                                                 (tf.TensorShape([]), tf.TensorShape([None])))
        got = _all(dataset)
        assert [int(a) for a, _ in got] == [0, 1, 2]
        assert got[2][1].dtype == np.float32 and got[2][1].tolist() == [2.0, 2.0]
        bad = tf.data.Dataset.from_generator(lambda: iter([[1, 2]]), tf.int32,
                                             tf.TensorShape([3]))
        element = bad.make_one_shot_iterator().get_next()
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError, match="shape"):
                sess.run(element)


def test_datasets_are_graph_ops_under_name_scopes():
    with tf.Graph().as_default() as graph:
        with tf.name_scope("input"):
            dataset = tf.data.Dataset.range(3).batch(2)
        assert dataset._variant_tensor.op.name == "input/BatchDatasetV2"
        assert graph.get_operation_by_name("input/RangeDataset").type == "RangeDataset"
        assert dataset._variant_tensor.dtype == tf.variant


def test_batches_gathered_from_rows_equal_stacked_elements():
    images = np.arange(60, dtype=np.float32).reshape(20, 3)
    labels = np.array([str(i).encode() for i in range(20)], dtype=object)

    def batches(through_map):
        with tf.Graph().as_default():
            dataset = tf.data.Dataset.from_tensor_slices((images, labels)).skip(1).take(18)
            dataset = dataset.shuffle(7, seed=9).repeat(2)
            if through_map:  # elements: the general path
                dataset = dataset.map(lambda x, y: (x, y))
            return _all(dataset.batch(4).prefetch(1))

    gathered, stacked = batches(False), batches(True)
    assert len(gathered) == len(stacked) == 9
    for (x1, y1), (x2, y2) in zip(gathered, stacked):
        np.testing.assert_array_equal(x1, x2)
        assert y1.tolist() == y2.tolist()
    rows = np.concatenate([x for x, _ in gathered[:5]])[:18, 0] / 3
    assert sorted(rows.tolist()) == list(range(1, 19))


def test_shuffle_streams_an_endless_input_and_empty_repeat_ends():
    with tf.Graph().as_default():
        rows = tf.data.Dataset.from_tensor_slices(np.arange(5))
        values = _all(rows.repeat().shuffle(3, seed=1).batch(4).take(3))
        assert [len(v) for v in values] == [4, 4, 4]
        assert set(np.concatenate(values).tolist()) <= set(range(5))
        assert _all(rows.take(0).repeat().batch(2)) == []
        assert [v.tolist() for v in _all(rows.skip(3).repeat(2).batch(3))] == [[3, 4, 3], [4]]


def test_elementwise_map_before_batch_runs_once_per_batch_with_same_results():
    features = np.arange(21, dtype=np.float32).reshape(7, 3)
    labels = np.arange(7)
    cases = [  # (function, batchable, expected rows)
        (lambda x, y: (x * 2.0 + 1.0, tf.cast(y, tf.float32) / 4.0), True,
         lambda x, y: (x * 2 + 1, np.float32(y) / 4)),
        (lambda x, y: (x * tf.cast(y, tf.float32), y), False,  # mixes ranks 1 and 0
         lambda x, y: (x * y, y)),
        (lambda x, y: (x / tf.reduce_sum(x), y), False,
         lambda x, y: (x / x.sum(), y)),
    ]
    for fn, batchable, expected in cases:
        with tf.Graph().as_default():
            mapped = tf.data.Dataset.from_tensor_slices((features, labels)).map(fn)
            assert mapped._variant_tensor.op.attrs["f"].batchable is batchable
            got = _all(mapped.batch(3))
        assert [len(b[0]) for b in got] == [3, 3, 1]
        first = np.concatenate([b[0] for b in got])
        second = np.concatenate([b[1] for b in got])
        want = [expected(x, y) for x, y in zip(features, labels)]
        np.testing.assert_allclose(first, np.stack([w[0] for w in want]), rtol=1e-6)
        np.testing.assert_allclose(second, np.stack([w[1] for w in want]), rtol=1e-6)


def test_per_line_decode_csv_runs_once_per_batch_with_per_element_errors():
    lines = np.array([b"1,2.5", b"3,4.5", b"5,x", b"7,8"], dtype=object)
    with tf.Graph().as_default():
        mapped = tf.data.Dataset.from_tensor_slices(lines).map(
            lambda line: tf.decode_csv(line, [[0], [0.0]]))
        assert mapped._variant_tensor.op.attrs["f"].batchable
        batch = mapped.batch(2).make_one_shot_iterator().get_next()
        assert [t.shape.as_list() for t in batch] == [[None], [None]]
        with tf.Session() as sess:
            ints, floats = sess.run(batch)
            # The failing element is reported as the unbatched map reports it: record 0.
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match="Field 1 in record 0 is not a valid float: x"):
                sess.run(batch)
    assert ints.tolist() == [1, 3] and floats.dtype == np.float32
    assert floats.tolist() == [2.5, 4.5]


def test_decode_csv_with_defaults_from_the_element_is_not_batched():
    with tf.Graph().as_default():
        pairs = tf.data.Dataset.from_tensor_slices((np.array([b"1", b""], dtype=object),
                                                    np.array([7, 8], np.int32)))
        mapped = pairs.map(lambda line, default: tf.decode_csv(line, [default[None]]))
        assert not mapped._variant_tensor.op.attrs["f"].batchable
        batch = mapped.batch(2).make_one_shot_iterator().get_next()
        with tf.Session() as sess:
            assert sess.run(batch)[0].tolist() == [1, 8]


def test_from_sparse_tensor_slices_gives_row_triples_as_tf():
    with tf.Graph().as_default():
        sparse = tf.SparseTensor([[0, 1], [2, 0], [2, 2]], [1.0, 2.0, 3.0], [4, 3])
        dataset = tf.data.Dataset.from_sparse_tensor_slices(sparse)
        assert dataset._variant_tensor.op.type == "SparseTensorSliceDataset"
        assert [s.as_list() for s in dataset.output_shapes] == [[None, 1], [None], [1]]
        legacy = dataset.map_with_legacy_function(lambda i, v, s: v).filter_with_legacy_function(
            lambda v: tf.size(v) > 0)
        element = dataset.make_one_shot_iterator().get_next()
        nonempty = legacy.make_one_shot_iterator().get_next()
        with tf.Session() as sess:
            rows = [sess.run(element) for _ in range(4)]
            values = [sess.run(nonempty).tolist() for _ in range(2)]
    # TensorFlow 2.21 compat.v1 gives the same triples.
    assert [r[0].tolist() for r in rows] == [[[1]], [], [[0], [2]], []]
    assert [r[1].tolist() for r in rows] == [[1.0], [], [2.0, 3.0], []]
    assert all(r[2].tolist() == [3] for r in rows) and rows[1][0].shape == (0, 1)
    assert values == [[1.0], [2.0, 3.0]]
