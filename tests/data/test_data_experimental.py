"""Dataset.window/shard/reduce/with_options, list_files errors, background prefetch and
tf.data.experimental transformations (elements checked against TensorFlow's goldens)."""
import importlib.util
import json
import pathlib
import threading
import time

import numpy as np
import pytest

import tfcompat as tf

GOLDEN = pathlib.Path(__file__).parent.parent / "golden"


def _cases():
    spec = importlib.util.spec_from_file_location("dataset_cases", GOLDEN / "dataset_cases.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_pipelines_match_tensorflow():
    expected = json.loads((GOLDEN / "dataset_goldens.json").read_text())
    with tf.Graph().as_default(), tf.Session() as sess:
        mine = _cases().run(tf, sess)
    assert sorted(mine) == sorted(expected)
    for name, value in expected.items():
        assert mine[name] == value, name


def _all(element, sess):
    values = []
    try:
        while True:
            values.append(sess.run(element))
    except tf.errors.OutOfRangeError:
        return values


def test_shard_and_window_argument_errors():
    with tf.Graph().as_default(), tf.Session() as sess:
        for dataset, message in (
                (tf.data.Dataset.range(4).shard(0, 0), r"Number of shards must be greater "
                                                       r"than zero \(currently num_shards = 0\)"),
                (tf.data.Dataset.range(4).shard(2, 2), r"Index must be between 0 and 1 "
                                                       r"\(currently index = 2\)"),
                (tf.data.Dataset.range(4).window(0), "Window size must be greater than zero")):
            with pytest.raises(tf.errors.InvalidArgumentError, match=message):
                sess.run(dataset.make_one_shot_iterator().get_next())


def test_reduce_state_must_keep_its_dtype():
    with tf.Graph().as_default():
        with pytest.raises(TypeError, match="new state must match the initial state"):
            tf.data.Dataset.range(3).reduce(np.int32(0), lambda s, x: x)


def test_options_accept_known_fields_and_merge():
    options = tf.data.Options()
    options.experimental_optimization.map_fusion = True
    options.experimental_threading.private_threadpool_size = 4
    with pytest.raises(AttributeError, match="Cannot set the property bogus on Options"):
        options.bogus = 1
    other = tf.data.Options()
    other.experimental_deterministic = False
    with tf.Graph().as_default():
        dataset = tf.data.Dataset.range(3).with_options(options).with_options(other)
        merged = dataset.options()
        assert merged.experimental_deterministic is False
        assert merged.experimental_optimization.map_fusion is True
        assert merged.experimental_threading.private_threadpool_size == 4
        assert tf.data.Dataset.range(1).options() == tf.data.Options()
        with tf.Session() as sess:
            assert _all(dataset.make_one_shot_iterator().get_next(), sess) == [0, 1, 2]


def test_list_files_without_a_match_fails_as_tf(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    with tf.Graph().as_default():
        missing = tf.data.Dataset.list_files(str(tmp_path / "*.csv"))
        found = tf.data.Dataset.list_files(str(tmp_path / "*.txt"), shuffle=False)
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match=r"assertion failed: \[No files matched pattern: .*\*\.csv\]"):
                sess.run(missing.make_one_shot_iterator().get_next())
            assert _all(found.make_one_shot_iterator().get_next(), sess) == [
                str(tmp_path / "a.txt").encode()]


def test_get_single_element_errors():
    with tf.Graph().as_default(), tf.Session() as sess:
        empty = tf.data.experimental.get_single_element(tf.data.Dataset.range(0))
        several = tf.data.experimental.get_single_element(tf.data.Dataset.range(2))
        with pytest.raises(tf.errors.InvalidArgumentError, match="Dataset was empty."):
            sess.run(empty)
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="Dataset had more than one element."):
            sess.run(several)


def test_choose_from_datasets_rejects_an_unknown_index():
    with tf.Graph().as_default(), tf.Session() as sess:
        chosen = tf.data.experimental.choose_from_datasets(
            [tf.data.Dataset.range(2)], tf.data.Dataset.from_tensors(np.int64(3)))
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="Selector index out of range: 3 >= 1"):
            sess.run(chosen.make_one_shot_iterator().get_next())


def test_sample_from_datasets_follows_weights_and_seed():
    with tf.Graph().as_default():
        ones = tf.data.Dataset.from_tensors(np.int64(1)).repeat()
        twos = tf.data.Dataset.from_tensors(np.int64(2)).repeat()
        sampled = tf.data.experimental.sample_from_datasets([ones, twos], [0.8, 0.2], seed=7)
        short = tf.data.experimental.sample_from_datasets(
            [tf.data.Dataset.range(3), tf.data.Dataset.range(10, 12)], seed=1)
        element = sampled.take(2000).make_one_shot_iterator().get_next()
        with tf.Session() as sess:
            first = _all(element, sess)
            mixed = _all(short.make_one_shot_iterator().get_next(), sess)
        with tf.Session() as sess:
            assert _all(element, sess) == first  # one seed, one sequence
    assert 0.75 < first.count(1) / len(first) < 0.85
    assert sorted(mixed) == [0, 1, 2, 10, 11]  # exhausted inputs are skipped
    assert [v for v in mixed if v < 10] == [0, 1, 2]


def _prefetch_threads():
    return [t for t in threading.enumerate() if t.name == "tfcompat-prefetch"]


def test_prefetch_runs_the_pipeline_on_a_background_thread():
    produced, threads = [], set()

    def numbers():
        for value in range(6):
            threads.add(threading.current_thread().name)
            produced.append(value)
            yield value

    with tf.Graph().as_default():
        dataset = tf.data.Dataset.from_generator(numbers, tf.int64, []).prefetch(2)
        iterator = dataset.make_initializable_iterator()
        element = iterator.get_next()
        sess = tf.Session()
        sess.run(iterator.initializer)
        assert sess.run(element) == 0
        deadline = time.monotonic() + 10
        while len(produced) < 4 and time.monotonic() < deadline:
            time.sleep(0.01)  # the filler runs ahead of the consumer up to the buffer
        assert len(produced) >= 3
        assert threads == {"tfcompat-prefetch"}
        assert _all(element, sess) == [1, 2, 3, 4, 5]
        sess.run(iterator.initializer)  # a new pass: the old thread stops
        assert sess.run(element) == 0
        sess.close()
    deadline = time.monotonic() + 10
    while _prefetch_threads() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not _prefetch_threads()


def test_prefetch_reports_an_error_at_its_element_then_ends():
    def numbers(x):
        if x == 2:
            raise ValueError("bad element")
        return x
    with tf.Graph().as_default():
        dataset = tf.data.Dataset.range(4).map(
            lambda x: tf.py_func(numbers, [x], tf.int64)).prefetch(3)
        element = dataset.make_one_shot_iterator().get_next()
        with tf.Session() as sess:
            assert [sess.run(element), sess.run(element)] == [0, 1]
            with pytest.raises(tf.errors.InvalidArgumentError, match="bad element"):
                sess.run(element)
            with pytest.raises(tf.errors.OutOfRangeError):
                sess.run(element)


def test_prefetch_of_batches_in_a_training_loop():
    with tf.Graph().as_default():
        features = np.arange(40, dtype=np.float32).reshape(20, 2)
        dataset = tf.data.Dataset.from_tensor_slices(features).map(lambda x: x * 2.0) \
            .batch(6).prefetch(tf.data.experimental.AUTOTUNE)
        batch = dataset.make_one_shot_iterator().get_next()
        total = tf.Variable(0.0)
        step = tf.assign_add(total, tf.reduce_sum(batch))
        shape = tf.shape(batch)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            shapes = []
            while True:
                try:
                    shapes.append(sess.run([step, shape])[1].tolist())
                except tf.errors.OutOfRangeError:
                    break
            assert shapes == [[6, 2], [6, 2], [6, 2], [2, 2]]
            assert sess.run(total) == features.sum() * 2


def _write_csv_files(directory):
    (directory / "a.csv").write_text('id,name,score,label\n1,"x, y",0.5,0\n2,plain,,1\n'
                                     '3,"multi\nline",2.25,0\n')
    (directory / "b.csv").write_text("id,name,score,label\n4,b,1e3,1\n")


def test_csv_dataset_matches_tensorflow(tmp_path):
    # Expected values: the same calls under TensorFlow 2.21 compat.v1.
    _write_csv_files(tmp_path)
    with tf.Graph().as_default(), tf.Session() as sess:
        rows = tf.data.experimental.CsvDataset(
            [str(tmp_path / "a.csv"), str(tmp_path / "b.csv")],
            [tf.int32, "", [-1.0], [0]], header=True)
        assert rows.output_types == (tf.int32, tf.string, tf.float32, tf.int32)
        assert rows._variant_tensor.op.type == "CSVDataset"
        selected = tf.data.experimental.CsvDataset(str(tmp_path / "a.csv"), [[0], [0.0]],
                                                   header=True, select_cols=[0, 2])
        values = _all(rows.make_one_shot_iterator().get_next(), sess)
        chosen = _all(selected.make_one_shot_iterator().get_next(), sess)
        missing = tf.data.experimental.CsvDataset(str(tmp_path / "a.csv"),
                                                  [[0], [""], tf.float32, [0]], header=True)
        with pytest.raises(tf.errors.InvalidArgumentError, match="Field 2 is required"):
            _all(missing.make_one_shot_iterator().get_next(), sess)
    assert [tuple(np.asarray(v).item() for v in row) for row in values] == [
        (1, b"x, y", 0.5, 0), (2, b"plain", -1.0, 1), (3, b"multi\nline", 2.25, 0),
        (4, b"b", 1000.0, 1)]
    assert [tuple(np.asarray(v).item() for v in row) for row in chosen] == [
        (1, 0.5), (2, 0.0), (3, 2.25)]


def test_make_csv_dataset_infers_columns_and_splits_the_label(tmp_path):
    _write_csv_files(tmp_path)
    with tf.Graph().as_default(), tf.Session() as sess:
        dataset = tf.data.experimental.make_csv_dataset(
            str(tmp_path / "*.csv"), 2, label_name="label", shuffle=False, num_epochs=1)
        features, label = dataset.output_types
        assert features == {"id": tf.int32, "name": tf.string, "score": tf.float32}
        batches = _all(dataset.make_one_shot_iterator().get_next(), sess)
    assert [b[1].tolist() for b in batches] == [[0, 1], [0, 1]]
    assert [b[0]["name"].tolist() for b in batches] == [[b"x, y", b"plain"],
                                                        [b"multi\nline", b"b"]]
    assert [b[0]["score"].tolist() for b in batches] == [[0.5, 0.0], [2.25, 1000.0]]


def test_ignore_errors_drops_failing_map_elements():
    with tf.Graph().as_default(), tf.Session() as sess:
        numbers = tf.data.Dataset.from_tensor_slices(np.array([b"1", b"x", b"3"], dtype=object))
        parsed = numbers.map(lambda text: tf.string_to_number(text, tf.int32))
        kept = parsed.apply(tf.data.experimental.ignore_errors())
        assert _all(kept.make_one_shot_iterator().get_next(), sess) == [1, 3]


def test_tfrecord_writer_and_batched_features_dataset(tmp_path):
    records = []
    for value in range(5):
        example = tf.train.Example()
        example.features.feature["x"].int64_list.value.append(value)
        example.features.feature["tags"].int64_list.value.extend(range(value % 3))
        records.append(example.SerializeToString())
    path = str(tmp_path / "data.tfrecord")
    with tf.Graph().as_default(), tf.Session() as sess:
        writer = tf.data.experimental.TFRecordWriter(path)
        sess.run(writer.write(tf.data.Dataset.from_tensor_slices(
            np.array(records, dtype=object))))
        features = {"x": tf.FixedLenFeature([], tf.int64), "tags": tf.VarLenFeature(tf.int64)}
        dataset = tf.data.experimental.make_batched_features_dataset(
            path, 2, features, label_key="x", shuffle=False, num_epochs=1)
        batches = _all(dataset.make_one_shot_iterator().get_next(), sess)
    assert list(tf.python_io.tf_record_iterator(path)) == records
    assert [b[1].tolist() for b in batches] == [[0, 1], [2, 3], [4]]
    assert batches[1][0]["tags"].indices.tolist() == [[0, 0], [0, 1]]
    assert batches[1][0]["tags"].dense_shape.tolist() == [2, 2]


def test_sparse_elements_pass_through_map_and_get_next_but_do_not_pad():
    with tf.Graph().as_default(), tf.Session() as sess:
        dataset = tf.data.Dataset.range(3).map(
            lambda x: tf.SparseTensor([[0]], tf.reshape(x, [1]), [4]))
        element = dataset.make_one_shot_iterator().get_next()
        assert isinstance(element, tf.SparseTensor)
        values = [sess.run(element) for _ in range(3)]
        with pytest.raises(NotImplementedError, match="SparseTensor"):
            dataset.padded_batch(2, [4])
    assert [v.values.tolist() for v in values] == [[0], [1], [2]]
    assert values[0].dense_shape.tolist() == [4]


def test_cardinality_constants_and_device_helpers():
    assert tf.data.INFINITE_CARDINALITY == tf.data.experimental.INFINITE_CARDINALITY == -1
    assert tf.data.UNKNOWN_CARDINALITY == tf.data.experimental.UNKNOWN_CARDINALITY == -2
    with tf.Graph().as_default(), tf.Session() as sess:
        moved = tf.data.Dataset.range(3).apply(
            tf.data.experimental.copy_to_device("/cpu:0")).apply(
            tf.data.experimental.prefetch_to_device("/cpu:0", 2))
        assert _all(moved.make_one_shot_iterator().get_next(), sess) == [0, 1, 2]
        assert sess.run(tf.data.experimental.cardinality(moved)) == 3
    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = \
        tf.data.experimental.AutoShardPolicy.DATA
    options.experimental_external_state_policy = tf.data.experimental.ExternalStatePolicy.WARN
    assert isinstance(options.experimental_optimization,
                      tf.data.experimental.OptimizationOptions)


def test_batching_parsed_var_len_features_as_tf():
    def example(values):
        message = tf.train.Example()
        message.features.feature["v"].int64_list.value.extend(values)
        return message.SerializeToString()

    records = np.array([example([1, 2]), example([]), example([3, 4, 5])], dtype=object)
    with tf.Graph().as_default():
        dataset = tf.data.Dataset.from_tensor_slices(records).map(
            lambda record: tf.parse_single_example(record, {"v": tf.VarLenFeature(tf.int64)}))
        batched = dataset.batch(2)
        assert batched.output_classes == {"v": tf.SparseTensor}
        assert batched.output_types == {"v": tf.int64}
        assert batched.output_shapes["v"].as_list() == [None, None]
        iterator = batched.make_initializable_iterator()
        element = iterator.get_next()["v"]
        assert element.indices.shape.as_list() == [None, 2]
        with tf.Session() as sess:
            sess.run(iterator.initializer)
            first, second = sess.run(element), sess.run(element)
    # TF 2.21 compat.v1 gives the same three arrays for both batches.
    assert first.indices.tolist() == [[0, 0], [0, 1]] and first.values.tolist() == [1, 2]
    assert first.dense_shape.tolist() == [2, 2]
    assert second.indices.tolist() == [[0, 0], [0, 1], [0, 2]]
    assert second.dense_shape.tolist() == [1, 3]


def test_dense_to_sparse_batch_as_tf():
    elements = [np.array([1]), np.array([2, 0]), np.array([], np.int64), np.array([4, 5, 6])]
    with tf.Graph().as_default(), tf.Session() as sess:
        source = tf.data.Dataset.from_generator(lambda: iter(elements), tf.int64, [None])
        batched = source.apply(tf.data.experimental.dense_to_sparse_batch(2, [4]))
        assert batched.output_classes is tf.SparseTensor
        assert batched._variant_tensor.op.type == "DenseToSparseBatchDataset"
        first, second = _all(batched.make_one_shot_iterator().get_next(), sess)
        too_long = source.apply(tf.data.experimental.dense_to_sparse_batch(2, [2]))
        element = too_long.make_one_shot_iterator().get_next()
        sess.run(element)
        with pytest.raises(tf.errors.DataLossError,
                           match=r"Input element had shape \(\[3\]\) that is larger than the "
                                 r"row shape \(\[2\]\)"):
            sess.run(element)
    # TensorFlow 2.21 compat.v1 gives these arrays (zeros of an element are entries).
    assert first.indices.tolist() == [[0, 0], [1, 0], [1, 1]]
    assert first.values.tolist() == [1, 2, 0] and first.dense_shape.tolist() == [2, 4]
    assert second.indices.tolist() == [[1, 0], [1, 1], [1, 2]]
    assert second.values.tolist() == [4, 5, 6]


def test_sql_dataset_reads_sqlite_rows_as_tf(tmp_path):
    import sqlite3
    path = str(tmp_path / "rows.db")
    connection = sqlite3.connect(path)
    connection.execute("create table t (a integer, b text, c real)")
    connection.executemany("insert into t values (?, ?, ?)",
                           [(1, "x", 0.5), (2, "y", None), (3, None, 2.0)])
    connection.commit()
    connection.close()
    with tf.Graph().as_default(), tf.Session() as sess:
        rows = tf.data.experimental.SqlDataset("sqlite", path, "SELECT a, b, c FROM t",
                                               (tf.int32, tf.string, tf.float64))
        assert rows._variant_tensor.op.type == "SqlDataset"
        values = _all(rows.make_one_shot_iterator().get_next(), sess)
        other = tf.data.experimental.SqlDataset("mysql", path, "SELECT a FROM t", tf.int32)
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="The database type, mysql, is not supported by SqlDataset"):
            sess.run(other.make_one_shot_iterator().get_next())
    # TensorFlow 2.21 compat.v1 reads NULLs as 0 and b"" too.
    assert [tuple(np.asarray(v).item() for v in row) for row in values] == [
        (1, b"x", 0.5), (2, b"y", 0.0), (3, b"", 2.0)]
    assert values[0][0].dtype == np.int32


def test_get_next_as_optional_and_optional_values():
    with tf.Graph().as_default():
        dataset = tf.data.Dataset.range(2).map(lambda x: (x, tf.cast(x, tf.float32) * 2))
        iterator = dataset.make_initializable_iterator()
        optional = tf.data.experimental.get_next_as_optional(iterator)
        has_value, value = optional.has_value(), optional.get_value()
        assert optional._variant_tensor.op.type == "IteratorGetNextAsOptional"
        assert has_value.op.type == "OptionalHasValue" and value[0].op.type == "OptionalGetValue"
        given = tf.data.experimental.Optional.from_value((tf.constant(1), tf.constant("a")))
        empty = tf.data.experimental.Optional.none_from_structure(given.value_structure)
        with tf.Session() as sess:
            sess.run(iterator.initializer)
            # As in TF, every run of the optional takes the iterator's next element.
            assert sess.run([has_value, value]) == [True, (0, 0.0)]
            assert sess.run(value) == (1, 2.0)
            assert not sess.run(has_value)
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match="The given optional does not have a value."):
                sess.run(value)
            assert sess.run([given.has_value(), given.get_value(), empty.has_value()]) == [
                True, (1, b"a"), False]


def test_rejection_resample_reaches_the_target_distribution():
    labels = np.random.default_rng(0).choice(3, size=3000, p=[0.7, 0.2, 0.1]).astype(np.int32)
    with tf.Graph().as_default():
        resampled = tf.data.Dataset.from_tensor_slices(labels).repeat().apply(
            tf.data.experimental.rejection_resample(lambda label: label, [0.5, 0.3, 0.2],
                                                    [0.7, 0.2, 0.1], seed=3))
        assert resampled.output_types == (tf.int32, tf.int32)
        element = resampled.make_one_shot_iterator().get_next()
        with tf.Session() as sess:
            pairs = [sess.run(element) for _ in range(2000)]
    classes = np.array([c for c, _ in pairs])
    assert all(c == value for c, value in pairs)
    np.testing.assert_allclose(np.bincount(classes) / len(classes), [0.5, 0.3, 0.2], atol=0.04)


def test_sample_from_datasets_takes_weights_from_a_dataset():
    with tf.Graph().as_default(), tf.Session() as sess:
        weights = tf.data.Dataset.from_tensors(np.array([0.0, 1.0])).repeat()
        sampled = tf.data.experimental.sample_from_datasets(
            [tf.data.Dataset.range(3), tf.data.Dataset.range(10, 13)], weights, seed=1)
        # Only the second dataset has weight; once it ends, TF keeps drawing it (skipped).
        assert _all(sampled.take(3).make_one_shot_iterator().get_next(), sess) == [10, 11, 12]


def test_key_functions_must_return_one_int64_scalar():
    with tf.Graph().as_default():
        dataset = tf.data.Dataset.range(4)
        with pytest.raises(ValueError, match="`key_func` must return a single tf.int64 "
                                             "scalar tensor."):
            dataset.apply(tf.data.experimental.group_by_window(
                lambda x: tf.cast(x, tf.float32), lambda k, d: d.batch(2), 2))
        with pytest.raises(ValueError, match="`window_size_func` must return a single "
                                             "tf.int64 scalar tensor."):
            dataset.apply(tf.data.experimental.group_by_window(
                lambda x: x % 2, lambda k, d: d.batch(2),
                window_size_func=lambda k: tf.cast(k, tf.int32)))
