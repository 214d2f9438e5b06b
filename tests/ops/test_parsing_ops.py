"""tf.decode_csv and tf.decode_raw against the values and errors of TF 1.x."""
import numpy as np
import pytest

import tfcompat as tf


def _run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


def test_decode_csv_types_defaults_and_quotes():
    with tf.Graph().as_default():
        records = tf.placeholder(tf.string, [None])
        columns = tf.decode_csv(records, record_defaults=[[0], [0.0], [""],
                                                          tf.constant([], tf.int64)])
        assert [c.dtype for c in columns] == [tf.int32, tf.float32, tf.string, tf.int64]
        assert columns[0].shape.as_list() == [None] and columns[0].op.type == "DecodeCSV"
        values = _run(columns, {records: ['1,2.5,"a,b",7', ",,,8", '3,4,"x""y",9']})
    assert values[0].tolist() == [1, 0, 3] and values[0].dtype == np.int32
    np.testing.assert_array_equal(values[1], np.float32([2.5, 0, 4]))
    assert values[2].tolist() == [b"a,b", b"", b'x"y'] and values[3].tolist() == [7, 8, 9]


@pytest.mark.parametrize("record, message", [
    ("1,2", "Expect 4 fields but have 2 in record 0"),
    ("1,2,3,", "Field 3 is required but missing in record 0!"),
    ("z,1,1,1", "Field 0 in record 0 is not a valid int32: z"),
    ("1,q,1,1", "Field 1 in record 0 is not a valid float: q"),
])
def test_decode_csv_errors(record, message):
    with tf.Graph().as_default():
        columns = tf.decode_csv(tf.constant([record]),
                                [[0], [0.0], [""], tf.constant([], tf.int64)])
        with pytest.raises(tf.errors.InvalidArgumentError, match=message):
            _run(columns)


def test_decode_csv_delimiter_and_scalar_record():
    with tf.Graph().as_default():
        first, second = tf.decode_csv("7|x", [[1], ["?"]], field_delim="|")
        assert first.shape.ndims == 0
        assert _run([first, second]) == [7, b"x"]


def test_decode_raw_little_and_big_endian():
    with tf.Graph().as_default():
        data = tf.constant([b"\x01\x00\x02\x00", b"\x03\x00\x04\x00"])
        little = tf.decode_raw(data, tf.int16)
        big = tf.decode_raw(data, tf.int16, little_endian=False)
        assert little.shape.as_list() == [2, None] and little.op.type == "DecodeRaw"
        values = _run([little, big])
        np.testing.assert_array_equal(values[0], [[1, 2], [3, 4]])
        np.testing.assert_array_equal(values[1], [[256, 512], [768, 1024]])
        assert values[0].dtype == np.int16
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="element 1 has size 2 != 3"):
            _run(tf.decode_raw(tf.constant([b"ab", b"abc"]), tf.uint8))


def _serialized(x, n, s=None):
    feature = {"x": tf.train.Feature(float_list=tf.train.FloatList(value=x)),
               "n": tf.train.Feature(int64_list=tf.train.Int64List(value=[n]))}
    if s is not None:
        feature["s"] = tf.train.Feature(bytes_list=tf.train.BytesList(value=[s]))
    return tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString()


def test_parse_example_dense_features_and_defaults():
    with tf.Graph().as_default():
        serialized = tf.placeholder(tf.string, [None])
        parsed = tf.parse_example(serialized, {
            "x": tf.FixedLenFeature([2], tf.float32), "n": tf.FixedLenFeature([], tf.int64),
            "s": tf.FixedLenFeature([], tf.string, default_value=b"?")})
        assert parsed["x"].shape.as_list() == [None, 2]
        assert parsed["x"].op.type == "ParseExample" and parsed["x"].op.name == \
            "ParseExample/ParseExample"
        values = _run(parsed, {serialized: [_serialized([1, 2], 7, b"hi"),
                                            _serialized([3, 4], 8)]})
    np.testing.assert_array_equal(values["x"], np.float32([[1, 2], [3, 4]]))
    assert values["n"].tolist() == [7, 8] and values["s"].tolist() == [b"hi", b"?"]


@pytest.mark.parametrize("features, message", [
    ({"q": tf.FixedLenFeature([], tf.float32)},
     r"Feature: q \(data type: float\) is required but could not be found."),
    ({"x": tf.FixedLenFeature([3], tf.float32)},
     r"Number of float values != expected.  Values size: 2 but output shape: \[3\]"),
    ({"x": tf.FixedLenFeature([2], tf.int64)},
     "Data types don't match. Data type: float but expected type: int64"),
])
def test_parse_example_errors(features, message):
    with tf.Graph().as_default():
        parsed = tf.parse_example(tf.constant([_serialized([1, 2], 7)]), features)
        with pytest.raises(tf.errors.InvalidArgumentError, match=message):
            _run(parsed)


def test_parse_single_example_in_a_tfrecord_pipeline(tmp_path):
    path = str(tmp_path / "examples.tfrecord")
    with tf.python_io.TFRecordWriter(path) as writer:
        for i in range(5):
            writer.write(_serialized([i, -i], i))
    features = {"x": tf.FixedLenFeature([2], tf.float32), "n": tf.FixedLenFeature([], tf.int64)}
    with tf.Graph().as_default():
        dataset = tf.data.TFRecordDataset(path).map(
            lambda record: tf.parse_single_example(record, features)).batch(5)
        assert dataset.output_shapes["x"].as_list() == [None, 2]
        batch = _run(dataset.make_one_shot_iterator().get_next())
        with pytest.raises(tf.errors.InvalidArgumentError, match="Could not parse example"):
            _run(tf.parse_single_example(tf.constant(b"garbage"), features))
    assert batch["n"].tolist() == list(range(5))
    np.testing.assert_array_equal(batch["x"][:, 1], -np.arange(5, dtype=np.float32))


def _golden_cases():
    import importlib.util
    import pathlib
    golden = pathlib.Path(__file__).parent.parent / "golden"
    spec = importlib.util.spec_from_file_location("parsing_cases", golden / "parsing_cases.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module, np.load(golden / "parsing_goldens.npz", allow_pickle=True)


def test_var_len_sparse_sequence_features_match_tensorflow():
    cases, golden = _golden_cases()
    with tf.Graph().as_default():
        mine = cases.flatten(_run(cases.build(tf)))
    assert sorted(mine) == sorted(golden.files)
    for key in golden.files:
        value = np.asarray(mine[key])
        assert value.dtype == golden[key].dtype, key
        np.testing.assert_array_equal(value, golden[key], err_msg=key)


def _example(**features):
    example = tf.train.Example()
    for key, values in features.items():
        kind = {float: "float_list", int: "int64_list", bytes: "bytes_list"}[type(values[0])]
        getattr(example.features.feature[key], kind).value.extend(values)
    return example.SerializeToString()


def test_parsed_sparse_tensors_have_tf_static_shapes_and_op_names():
    with tf.Graph().as_default():
        parsed = tf.parse_example([_example(v=[1])], {
            "v": tf.VarLenFeature(tf.int64),
            "s": tf.FixedLenSequenceFeature([3], tf.float32, allow_missing=True)})
        assert isinstance(parsed["v"], tf.SparseTensor)
        assert parsed["v"].indices.op.type == "ParseExample"
        assert parsed["v"].indices.shape.as_list() == [None, 2]
        assert parsed["s"].shape.as_list() == [1, None, 3]
        single = tf.parse_single_example(_example(v=[1]), {"v": tf.io.VarLenFeature(tf.int64)})
        assert single["v"].indices.shape.as_list() == [None, 1]
        assert single["v"].indices.op.type == "ParseSingleExample"
        with pytest.raises(ValueError, match="FixedLenSequenceFeature requires allow_missing"):
            tf.parse_example([_example(v=[1])], {"s": tf.FixedLenSequenceFeature([], tf.int64)})


@pytest.mark.parametrize("record, features, message", [
    (dict(v=[1.0]), {"v": tf.VarLenFeature(tf.int64)},
     "Key: v, Index: 0.  Data types don't match. Expected type: int64, Actual type: float"),
    (dict(s=[1.0, 2.0, 3.0]), {"s": tf.FixedLenSequenceFeature([2], tf.float32,
                                                               allow_missing=True)},
     r"Number of float values is not a multiple of stride length. Saw 3 values but output "
     r"shape is: \[\?,2\]")])
def test_var_len_and_sequence_feature_errors(record, features, message):
    with tf.Graph().as_default():
        parsed = tf.parse_example([_example(**record)], features)
        with pytest.raises(tf.errors.InvalidArgumentError, match=message):
            _run(parsed)


def test_missing_feature_list_is_required_unless_allow_missing():
    example = tf.train.SequenceExample()
    example.feature_lists.feature_list["a"].feature.add().int64_list.value.append(1)
    data = example.SerializeToString()
    with tf.Graph().as_default():
        _, required = tf.parse_single_sequence_example(
            data, sequence_features={"b": tf.FixedLenSequenceFeature([], tf.int64)})
        _, optional = tf.parse_single_sequence_example(
            data, sequence_features={"b": tf.FixedLenSequenceFeature([], tf.int64,
                                                                     allow_missing=True)})
        assert required["b"].op.type == "ParseSingleSequenceExample"
        assert _run(optional["b"]).shape == (0,)
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="Feature list 'b' is required but could not be found"):
            _run(required)


def test_decode_compressed_zlib_gzip_and_corrupt_data():
    import gzip
    import zlib
    with tf.Graph().as_default():
        inflated = tf.io.decode_compressed([zlib.compress(b"hello"), zlib.compress(b"")],
                                           compression_type="ZLIB")
        gunzipped = tf.decode_compressed(gzip.compress(b"abc"), compression_type="GZIP")
        corrupt = tf.io.decode_compressed(b"not zlib", compression_type="ZLIB")
        assert inflated.shape.as_list() == [2] and inflated.op.type == "DecodeCompressed"
        assert _run(inflated).tolist() == [b"hello", b""] and _run(gunzipped) == b"abc"
        with pytest.raises(tf.errors.DataLossError, match="inflate"):
            _run(corrupt)


def test_decode_json_example_gives_tensorflows_example():
    import pathlib
    golden = np.load(pathlib.Path(__file__).parent.parent / "golden" / "codec_goldens.npz")
    expected = tf.train.Example.FromString(golden["json_example"].tobytes())
    text = ('{"features": {"feature": {"x": {"int64List": {"value": ["1", 2]}}, '
            '"y": {"bytes_list": {"value": ["YWI="]}}, "z": {"floatList": {"value": '
            '[0.5]}}}}}')
    with tf.Graph().as_default():
        serialized = tf.io.decode_json_example([text])
        assert serialized.op.type == "DecodeJSONExample"
        assert tf.train.Example.FromString(_run(serialized)[0]) == expected
        with pytest.raises(tf.errors.InvalidArgumentError, match="Error while parsing JSON"):
            _run(tf.decode_json_example("{bad"))
