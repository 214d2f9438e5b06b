"""Protobuf wire-format helpers: encodings from the checkpoint doc and a strict decoder."""
import struct

import pytest

from tfcompat.lib import proto_wire as pw


@pytest.mark.parametrize("value, hex_bytes", [
    (0, "00"), (1, "01"), (127, "7f"), (128, "8001"), (300, "ac02"), (1200, "b009"),
    (940800, "80b639"), ((1 << 64) - 1, "ffffffffffffffffff01"),
])
def test_varint_examples(value, hex_bytes):
    assert pw.encode_varint(value).hex() == hex_bytes
    assert pw.decode_varint(bytes.fromhex(hex_bytes), 0) == (value, len(hex_bytes) // 2)


def test_negative_varint_is_sign_extended_to_ten_bytes():
    encoded = pw.encode_varint(-1)
    assert len(encoded) == 10
    value, _ = pw.decode_varint(encoded, 0)
    assert pw.as_int64(value) == -1
    assert pw.as_int64(5) == 5


@pytest.mark.parametrize("data, bits", [
    (b"", 64), (b"\x80", 64), (b"\xff" * 10 + b"\x01", 64),  # truncated, too long
    (b"\xff" * 9 + b"\x02", 64),  # 10 bytes but more than 64 bits
    (b"\x80\x80\x80\x80\x10", 32),  # 2**32 does not fit a varint32
    (b"\x80\x80\x80\x80\x80\x01", 32),  # 6 bytes
])
def test_bad_varints_raise(data, bits):
    with pytest.raises(pw.WireError):
        pw.decode_varint(data, 0, bits=bits)


def test_decode_varint_respects_end():
    with pytest.raises(pw.WireError):
        pw.decode_varint(b"\x80\x01", 0, end=1)


def test_field_encodings():
    assert pw.tag(2, pw.LENGTH_DELIMITED) == b"\x12"
    assert pw.field_varint(1, 9) == b"\x08\x09"
    assert pw.field_fixed32(6, 0xA282EAD8) == bytes.fromhex("35d8ea82a2")
    assert pw.field_fixed64(1, 1) == b"\x09" + struct.pack("<Q", 1)
    assert pw.field_float(2, 1.5) == b"\x15" + struct.pack("<f", 1.5)
    assert pw.field_double(1, 0.25) == b"\x09" + struct.pack("<d", 0.25)
    assert pw.field_bytes(2, b"") == b"\x12\x00"  # an empty embedded message
    assert pw.field_bytes(1, "é") == b"\x0a\x02" + "é".encode()
    assert pw.field_packed_varints(3, [1, 300]) == b"\x1a\x03\x01\xac\x02"
    assert pw.field_packed_varints(3, []) == b""


def test_iter_fields_on_a_real_bundle_entry():
    # hidden1/kernel from the mlp_adam golden (format doc §6.3).
    entry = bytes.fromhex("08 01 12 0a 12 03 08 90 06 12 03 08 ac 02 20 94 67 28 80 b6 39"
                          " 35 ea 64 3d f4")
    fields = list(pw.iter_fields(entry))
    assert fields == [
        (1, pw.VARINT, 1),
        (2, pw.LENGTH_DELIMITED, bytes.fromhex("1203089006120308ac02")),
        (4, pw.VARINT, 13204),
        (5, pw.VARINT, 940800),
        (6, pw.FIXED32, 0xF43D64EA),
    ]
    dims = [list(pw.iter_fields(v)) for _, _, v in pw.iter_fields(fields[1][2])]
    assert dims == [[(1, 0, 784)], [(1, 0, 300)]]


def test_iter_fields_fixed64_and_unknown_fields_are_returned():
    data = pw.field_double(1, 2.0) + pw.field_varint(99, 5)
    (bits,) = struct.unpack("<Q", struct.pack("<d", 2.0))
    assert list(pw.iter_fields(data)) == [(1, pw.FIXED64, bits), (99, pw.VARINT, 5)]


@pytest.mark.parametrize("data", [
    b"\x0b",  # wire type 3 (start group)
    b"\x0c",  # wire type 4 (end group)
    b"\x0e", b"\x0f",  # wire types 6 and 7 do not exist
    b"\x00\x00",  # field number 0
    b"\x08",  # varint missing
    b"\x0d\x01\x02\x03",  # fixed32 truncated
    b"\x09" + bytes(7),  # fixed64 truncated
    b"\x12\x05abc",  # length runs past the end
    b"\x12" + pw.encode_varint(1 << 62),  # forged huge length: no allocation, just an error
    b"\x80",  # truncated tag
])
def test_iter_fields_rejects_malformed_input(data):
    with pytest.raises(pw.WireError):
        list(pw.iter_fields(data))


def test_wire_error_is_a_value_error():
    assert issubclass(pw.WireError, ValueError)


def test_packed_varints_round_trip():
    values = [0, 1, 127, 128, 1 << 40]
    packed = pw.field_packed_varints(3, values)
    ((number, wire_type, body),) = pw.iter_fields(packed)
    assert (number, wire_type) == (3, pw.LENGTH_DELIMITED)
    assert pw.decode_packed_varints(body) == values
    with pytest.raises(pw.WireError):
        pw.decode_packed_varints(b"\x01\x80")
