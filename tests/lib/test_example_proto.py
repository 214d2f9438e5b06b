"""tf.train.Example protos: construction, access, and the wire format TF writes."""
import pytest

import tfcompat as tf
from tfcompat.lib.example_proto import DecodeError

# tf.train.Example(x: float_list [1, 2], s: bytes_list [b"hi"], n: int64_list [7]) as TF 2.x's
# protobuf serialised it (map entries in its own order).
TF_BYTES = bytes.fromhex("0a2c0a110a0178120c120a0a080000803f000000400a0b0a017312060a040a026869"
                         "0a0a0a016e12051a030a0107")


def _example():
    return tf.train.Example(features=tf.train.Features(feature={
        "x": tf.train.Feature(float_list=tf.train.FloatList(value=[1.0, 2.0])),
        "s": tf.train.Feature(bytes_list=tf.train.BytesList(value=[b"hi"])),
        "n": tf.train.Feature(int64_list=tf.train.Int64List(value=[7]))}))


def test_serialises_like_tensorflow_and_parses_its_bytes():
    assert _example().SerializeToString() == TF_BYTES
    parsed = tf.train.Example.FromString(TF_BYTES)
    features = parsed.features.feature
    assert features["x"].float_list.value == [1.0, 2.0]
    assert features["n"].int64_list.value == [7] and features["s"].bytes_list.value == [b"hi"]
    assert features["n"].WhichOneof("kind") == "int64_list"
    assert parsed == _example()


def test_building_by_attribute_access_and_negative_ints():
    example = tf.train.Example()
    example.features.feature["label"].int64_list.value.append(-3)
    example.features.feature["tokens"].bytes_list.value.extend([b"a", b"bc"])
    again = tf.train.Example()
    again.ParseFromString(example.SerializeToString())
    assert again.features.feature["label"].int64_list.value == [-3]
    assert again.features.feature["tokens"].bytes_list.value == [b"a", b"bc"]
    with pytest.raises(DecodeError):
        tf.train.Example.FromString(b"\x0a\x05ab")


def test_sequence_example_bytes_match_tensorflow_and_round_trip():
    import tfcompat as tf
    example = tf.train.SequenceExample()
    example.context.feature["a"].int64_list.value.append(3)
    tokens = example.feature_lists.feature_list["tok"]
    tokens.feature.add().int64_list.value.extend([1, 2])
    tokens.feature.add().int64_list.value.extend([3])
    data = example.SerializeToString()
    # The bytes TF 2.21's protobuf writes for the same message.
    assert data == (b"\n\x0c\n\n\n\x01a\x12\x05\x1a\x03\n\x01\x03\x12\x18\n\x16\n\x03tok\x12"
                    b"\x0f\n\x06\x1a\x04\n\x02\x01\x02\n\x05\x1a\x03\n\x01\x03")
    parsed = tf.train.SequenceExample.FromString(data)
    assert parsed == example
    steps = parsed.feature_lists.feature_list["tok"].feature
    assert [list(step.int64_list.value) for step in steps] == [[1, 2], [3]]
