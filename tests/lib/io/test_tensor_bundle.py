"""Tensor bundles: TF's goldens read and rewritten byte for byte, round trips, corruption."""
import json
import os
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from tfcompat.framework import dtypes, errors
from tfcompat.lib import proto_wire as pw
from tfcompat.lib.crc32c import crc32c, mask
from tfcompat.lib.io import tensor_bundle
from tfcompat.lib.io.table import build_table
from tfcompat.lib.io.tensor_bundle import BundleReader, data_filename, write_bundle

GOLDENS = ["mlp_adam", "scalars_and_types"]
HEADER = bytes.fromhex("08011a020801")


def assert_same_array(actual, expected):
    assert actual.dtype == expected.dtype and actual.shape == expected.shape
    if expected.dtype == object:
        assert actual.tolist() == expected.tolist()
    else:
        assert actual.tobytes() == expected.tobytes()  # bit for bit: NaN payloads, -0.0


def entry_proto(dtype, shape, offset=0, size=0, crc=0, shard_id=0, extra=b""):
    """A BundleEntryProto built by hand, to forge indexes the writer would never produce."""
    shape_proto = b"".join(pw.field_bytes(2, pw.field_varint(1, d)) for d in shape)
    return (pw.field_varint(1, dtype) + pw.field_bytes(2, shape_proto)
            + pw.field_varint(3, shard_id) + pw.field_varint(4, offset)
            + pw.field_varint(5, size) + pw.field_fixed32(6, crc) + extra)


def forge(prefix, entries, data=b"", header=HEADER, shards=None):
    """Writes an index of ``entries`` {name: proto bytes} and the data file(s)."""
    items = [(b"", header)] + sorted((k.encode(), v) for k, v in entries.items())
    Path(str(prefix) + ".index").write_bytes(build_table(items))
    for path, content in (shards or {data_filename(prefix): data}).items():
        Path(path).write_bytes(content)
    return str(prefix)


# --------------------------------------------------------------------------- goldens

@pytest.mark.parametrize("name", GOLDENS)
def test_golden_is_read_exactly(name, golden_dir):
    directory = golden_dir(name)
    manifest = json.loads((directory / "manifest.json").read_text())
    values = np.load(directory / "values.npz")
    reader = BundleReader(directory / "model.ckpt")
    assert reader.keys() == [v["name"] for v in manifest["variables"]]
    for var in manifest["variables"]:
        assert reader.dtype_enum(var["name"]) == var["dtype_enum"]
        assert reader.dtype(var["name"]).name == var["dtype"]
        assert reader.shape(var["name"]) == tuple(var["shape"])
        tensor = reader.get_tensor(var["name"])
        assert tensor.nbytes == var["nbytes"]
        assert_same_array(tensor, values[var["name"]])
        assert reader.numpy_dtype(var["name"]) == tensor.dtype


@pytest.mark.parametrize("name", GOLDENS)
def test_golden_is_rewritten_byte_for_byte(name, tmp_path, golden_dir):
    directory = golden_dir(name)
    manifest = json.loads((directory / "manifest.json").read_text())
    values = np.load(directory / "values.npz")
    # Reversed insertion order: the writer must sort the names itself.
    tensors = {v["name"]: values[v["name"]].astype(v["dtype"])
               for v in reversed(manifest["variables"])}
    write_bundle(tmp_path / "model.ckpt", tensors)
    for suffix in (".index", ".data-00000-of-00001"):
        written = (tmp_path / ("model.ckpt" + suffix)).read_bytes()
        assert written == (directory / ("model.ckpt" + suffix)).read_bytes(), suffix
    assert sorted(os.listdir(tmp_path)) == ["model.ckpt.data-00000-of-00001", "model.ckpt.index"]


# --------------------------------------------------------------------------- round trips

ALL_DTYPES = ["float16", "float32", "float64", "int8", "int16", "int32", "int64",
              "uint8", "uint16", "uint32", "uint64", "bool", "complex64", "complex128"]


def test_every_dtype_scalar_and_empty_round_trip(tmp_path):
    rng = np.random.default_rng(0)
    tensors = {}
    for dtype in ALL_DTYPES:
        values = rng.normal(size=(3, 4)) * 100
        if dtype.startswith("complex"):
            values = values + 1j * rng.normal(size=(3, 4))
        tensors["t/%s" % dtype] = values.astype(dtype)
        tensors["scalar/%s" % dtype] = np.array(values[0, 0]).astype(dtype)
        tensors["empty/%s" % dtype] = np.zeros((2, 0, 3), dtype)
    tensors["str/matrix"] = np.array([[b"a", b""], [b"\0\xff", b"x" * 200]], dtype=object)
    tensors["str/scalar"] = np.array(b"hello", dtype=object)
    tensors["str/empty"] = np.zeros((0,), dtype=object)
    write_bundle(tmp_path / "ckpt", tensors)
    reader = BundleReader(tmp_path / "ckpt")
    assert reader.keys() == sorted(tensors)
    for name, expected in tensors.items():
        assert_same_array(reader.get_tensor(name), expected)
        assert reader.dtype_enum(name) == dtypes.as_dtype(expected.dtype).as_datatype_enum


def test_names_with_dots_dashes_slashes_and_unicode_sort_bytewise(tmp_path):
    names = ["sort/a_b", "sort/aB", "sort/a/b", "sort/a.b", "sort/a-b", "sort/a",
             "odd.scope-1/weights.v-2", "ünïcode/名前", "x" * 300]
    write_bundle(tmp_path / "m", {n: np.float32(i) for i, n in enumerate(names)})
    reader = BundleReader(tmp_path / "m")
    assert reader.keys() == sorted(names, key=lambda n: n.encode())
    assert reader.keys()[:6] == ["odd.scope-1/weights.v-2", "sort/a", "sort/a-b", "sort/a.b",
                                 "sort/a/b", "sort/aB"]
    for i, name in enumerate(names):
        assert reader.get_tensor(name) == np.float32(i)


def test_several_megabyte_tensors_and_odd_layouts(tmp_path):
    big = np.random.default_rng(1).normal(size=(1024, 1536)).astype(np.float32)  # 6 MB
    tensors = {
        "big": big,
        "transposed": big[:100, :50].T,  # not C-contiguous
        "big_endian": np.arange(5, dtype=">i4"),
        "python_float": 1.5,
        "python_list": [[1, 2], [3, 4]],
        "unicode_strings": np.array(["é", "abc"]),
        "bytes_array": np.array([b"ab", b"c"]),
    }
    write_bundle(tmp_path / "m", tensors)
    reader = BundleReader(tmp_path / "m")
    assert_same_array(reader.get_tensor("big"), big)
    assert_same_array(reader.get_tensor("transposed"), np.ascontiguousarray(big[:100, :50].T))
    assert_same_array(reader.get_tensor("big_endian"), np.arange(5, dtype=np.int32))
    assert_same_array(reader.get_tensor("python_float"), np.array(1.5))
    assert_same_array(reader.get_tensor("python_list"), np.array([[1, 2], [3, 4]]))
    assert reader.get_tensor("unicode_strings").tolist() == ["é".encode(), b"abc"]
    assert reader.get_tensor("bytes_array").tolist() == [b"ab", b"c"]
    assert reader.get_tensor("big").flags.writeable


def test_format_doc_example_data_and_string_layout(tmp_path):
    write_bundle(tmp_path / "m", {"b": np.int64(7), "a": np.array([1.0, 2.0], np.float32)})
    assert (tmp_path / "m.data-00000-of-00001").read_bytes() == bytes.fromhex(
        "0000803f00000040 0700000000000000")
    assert len((tmp_path / "m.index").read_bytes()) == 138
    strings = {"str/empty": np.zeros(0, object), "str/scalar": np.array(b"hello", object),
               "str/vector": np.array([b"", b"a", b"tensorflow", b"x" * 300], object)}
    write_bundle(tmp_path / "s", strings)
    data = (tmp_path / "s.data-00000-of-00001").read_bytes()
    assert data[:14] == bytes.fromhex("d8ea82a2 05 d9c69c43 68656c6c6f")
    assert data[14:23] == bytes.fromhex("00010aac02 58a3df6b")
    assert data[23:] == b"atensorflow" + b"x" * 300


def test_empty_bundle(tmp_path):
    write_bundle(tmp_path / "m", {})
    assert BundleReader(tmp_path / "m").keys() == []
    assert (tmp_path / "m.data-00000-of-00001").read_bytes() == b""


def test_writer_rejects_bad_names_and_dtypes(tmp_path):
    for bad in ({"": np.float32(1)}, {b"bytes": np.float32(1)}):
        with pytest.raises(ValueError):
            write_bundle(tmp_path / "m", bad)
    with pytest.raises(TypeError, match="dtype"):
        write_bundle(tmp_path / "m", {"t": np.array(["2020"], "datetime64[D]")})
    with pytest.raises(TypeError, match="bytes or str"):
        write_bundle(tmp_path / "m", {"s": np.array([b"a", 5], dtype=object)})
    with pytest.raises(errors.NotFoundError):
        write_bundle(tmp_path / "missing_dir" / "m", {"a": np.float32(1)})
    assert os.listdir(tmp_path) == []


def test_sharded_bundle(tmp_path):
    prefix = str(tmp_path / "m")
    a, b = np.arange(3, dtype="<i4"), np.float64(2.5)
    header = pw.field_varint(1, 2) + pw.field_bytes(3, pw.field_varint(1, 1))
    forge(prefix, {"a": entry_proto(3, [3], 0, 12, mask(crc32c(a.tobytes())), shard_id=0),
                   "b": entry_proto(2, [], 0, 8, mask(crc32c(b.tobytes())), shard_id=1)},
          header=header, shards={data_filename(prefix, 0, 2): a.tobytes(),
                                 data_filename(prefix, 1, 2): b.tobytes()})
    reader = BundleReader(prefix)
    assert reader.num_shards == 2
    assert_same_array(reader.get_tensor("a"), a)
    assert_same_array(reader.get_tensor("b"), np.array(b))


def test_bfloat16_is_widened_to_float32(tmp_path):
    values = np.array([1.0, -2.5, 3.140625], np.float32)
    bits = (values.view(np.uint32) >> 16).astype("<u2").tobytes()
    prefix = forge(tmp_path / "m", {"b": entry_proto(14, [3], 0, 6, mask(crc32c(bits)))}, bits)
    reader = BundleReader(prefix)
    assert reader.dtype("b").name == "bfloat16"
    assert_same_array(reader.get_tensor("b"), values)


def test_lenient_forms_tf_accepts(tmp_path):
    # Explicit zero fields, no shape field for a scalar, unknown fields, unpacked bad_consumers.
    value = np.int32(9).tobytes()
    entry = (pw.field_varint(1, 3) + pw.field_varint(4, 0) + pw.field_varint(5, 4)
             + pw.field_fixed32(6, mask(crc32c(value))) + pw.field_bytes(15, b"future"))
    header = (pw.field_varint(1, 1) + pw.field_varint(2, 0)
              + pw.field_bytes(3, pw.field_varint(1, 1) + pw.field_varint(3, 0)))
    prefix = forge(tmp_path / "m", {"x": entry}, value, header=header)
    assert BundleReader(prefix).get_tensor("x") == 9


# --------------------------------------------------------------------------- errors

@pytest.fixture
def small_ckpt(tmp_path):
    tensors = {"dense/kernel": np.arange(12, dtype=np.float32).reshape(3, 4),
               "dense/bias": np.ones(4, np.float64), "step": np.int64(3),
               "flag": np.bool_(True), "names": np.array([b"ab", b"", b"cde"], object)}
    write_bundle(tmp_path / "model.ckpt", tensors)
    return str(tmp_path / "model.ckpt"), tensors


def test_missing_key_names_key_prefix_and_close_matches(small_ckpt):
    prefix, _ = small_ckpt
    reader = BundleReader(prefix)
    with pytest.raises(errors.NotFoundError) as info:
        reader.get_tensor("dense/kernal")
    message = str(info.value)
    assert "dense/kernal" in message and prefix in message and "dense/kernel" in message
    assert not reader.has_tensor("dense/kernal") and reader.has_tensor("dense/kernel")
    with pytest.raises(errors.NotFoundError):
        reader.shape("nope")


def test_missing_files(small_ckpt, tmp_path):
    prefix, _ = small_ckpt
    with pytest.raises(errors.NotFoundError, match="index"):
        BundleReader(tmp_path / "other")
    os.remove(data_filename(prefix))
    reader = BundleReader(prefix)  # the index alone still lists the tensors
    assert "step" in reader.keys()
    with pytest.raises(errors.NotFoundError, match="data-00000-of-00001"):
        reader.get_tensor("step")


def test_truncated_data_file(small_ckpt):
    prefix, _ = small_ckpt
    path = data_filename(prefix)
    with open(path, "r+b") as f:
        f.truncate(os.path.getsize(path) - 1)
    with pytest.raises(errors.DataLossError, match="beyond the end"):
        BundleReader(prefix).get_tensor("step")  # the last tensor in key order


def test_flipped_data_byte_fails_the_tensor_checksum(small_ckpt):
    prefix, tensors = small_ckpt
    path = data_filename(prefix)
    size = os.path.getsize(path)
    for pos in range(size):
        data = bytearray(Path(path).read_bytes())
        data[pos] ^= 0x01
        Path(path).write_bytes(data)
        reader = BundleReader(prefix)
        failures = 0
        for name in tensors:
            try:
                reader.get_tensor(name)
            except errors.DataLossError as exc:
                assert path in str(exc)
                failures += 1
        assert failures == 1, pos
        data[pos] ^= 0x01
        Path(path).write_bytes(data)


def test_corrupt_index_names_the_file(small_ckpt):
    prefix, _ = small_ckpt
    index = Path(prefix + ".index")
    data = bytearray(index.read_bytes())
    data[10] ^= 0xFF
    index.write_bytes(data)
    with pytest.raises(errors.DataLossError, match="model.ckpt.index"):
        BundleReader(prefix)
    index.write_bytes(data[:40])
    with pytest.raises(errors.DataLossError, match="model.ckpt.index"):
        BundleReader(prefix)


HUGE = 1 << 62


@pytest.mark.parametrize("entry, when, message", [
    (entry_proto(1, [HUGE // 4], 0, HUGE), "get", "beyond the end"),  # consistent but huge
    (entry_proto(1, [2], HUGE, 8), "get", "beyond the end"),
    (entry_proto(1, [HUGE, HUGE]), "get", "Invalid size"),
    (entry_proto(7, [HUGE], 0, 8), "get", "Invalid size"),  # more strings than bytes
    (entry_proto(1, [2], 0, 4), "get", "Invalid size"),
    (entry_proto(1, [-1], 0, 4), "open", "negative"),
    (entry_proto(99, [1], 0, 4), "open", "dtype"),
    (entry_proto(0, [1], 0, 4), "open", "dtype"),
    (entry_proto(101, [1], 0, 4), "open", "dtype"),  # a _ref dtype never appears in files
    (entry_proto(1, [1], 0, 4, shard_id=1), "open", "shard"),
    (entry_proto(1, [1], -5, 4), "open", "offset"),
    (entry_proto(1, [1], 0, -4), "open", "size"),
    (pw.field_varint(1, 1) + pw.field_bytes(2, pw.field_varint(3, 1)), "open", "rank"),
    (b"\x08", "open", "varint"),
    (pw.field_bytes(1, b"x"), "open", "wire type"),
])
def test_forged_entries_raise_data_loss_without_huge_allocations(tmp_path, entry, when, message):
    prefix = forge(tmp_path / "m", {"t": entry}, b"\0" * 16)
    tracemalloc.start()
    try:
        with pytest.raises(errors.DataLossError, match=message):
            BundleReader(prefix).get_tensor("t") if when == "get" else BundleReader(prefix)
        assert tracemalloc.get_traced_memory()[1] < 1 << 20  # NumPy reports to tracemalloc
    finally:
        tracemalloc.stop()


def test_forged_string_tensors(tmp_path):
    good = tensor_bundle._serialize_tensor("s", np.array([b"abc", b"de"], object))
    data = b"".join(good[2])
    crc = mask(good[3])
    cases = {
        "lengths": bytes([3, 9]) + data[2:],  # lengths no longer add up / length crc
        "length_crc": data[:2] + b"\0\0\0\0" + data[6:],
        "payload": data[:-1] + b"X",  # entry checksum
        "varint": b"\xff" * (len(data)),  # lengths never terminate
    }
    for name, content in cases.items():
        prefix = forge(tmp_path / name, {"s": entry_proto(7, [2], 0, len(content), crc)}, content)
        with pytest.raises(errors.DataLossError):
            BundleReader(prefix).get_tensor("s")
    prefix = forge(tmp_path / "ok", {"s": entry_proto(7, [2], 0, len(data), crc)}, data)
    assert BundleReader(prefix).get_tensor("s").tolist() == [b"abc", b"de"]


@pytest.mark.parametrize("header, error", [
    (None, errors.DataLossError),  # no header entry at all
    (pw.field_varint(1, 0), errors.DataLossError),
    (pw.field_varint(1, 1) + pw.field_varint(2, 1), errors.UnimplementedError),  # BIG endian
    (pw.field_varint(1, 1) + pw.field_bytes(3, pw.field_varint(2, 2)), errors.InvalidArgumentError),
    (pw.field_varint(1, 1) + pw.field_bytes(3, pw.field_packed_varints(3, [1])),
     errors.InvalidArgumentError),
    (pw.field_varint(1, 1) + pw.field_bytes(3, pw.field_varint(1, (1 << 64) - 1)),
     errors.InvalidArgumentError),
])
def test_header_checks(tmp_path, header, error):
    items = [(b"a", b"")] if header is None else [(b"", header)]
    (tmp_path / "m.index").write_bytes(build_table(items))
    with pytest.raises(error):
        BundleReader(tmp_path / "m")


def test_partitioned_variable_missing_its_slice_entry_is_data_loss(tmp_path):
    slice_proto = pw.field_bytes(7, pw.field_bytes(1, pw.field_varint(2, 2)))
    prefix = forge(tmp_path / "m", {"part": entry_proto(1, [2], extra=slice_proto),
                                    "\0slice-key": entry_proto(1, [2])})
    reader = BundleReader(prefix)
    assert reader.keys() == ["part"] and reader.shape("part") == (2,)
    with pytest.raises(errors.DataLossError, match=r"part.*slice \[\(0, 2\)\] is missing"):
        reader.get_tensor("part")


def test_random_corruptions_only_raise_tfcompat_errors(small_ckpt):
    prefix, tensors = small_ckpt
    files = [Path(prefix + ".index"), Path(data_filename(prefix))]
    originals = [f.read_bytes() for f in files]
    rng = np.random.default_rng(1234)
    detected = 0
    for trial in range(300):
        which = trial % 2
        data = bytearray(originals[which])
        kind = rng.integers(4)
        if kind == 0:  # flip a few bits
            for pos in rng.integers(0, len(data), rng.integers(1, 4)):
                data[pos] ^= 1 << rng.integers(8)
        elif kind == 1:  # truncate
            del data[rng.integers(0, len(data)):]
        elif kind == 2:  # overwrite a run with random bytes
            pos = rng.integers(0, len(data))
            data[pos:pos + 8] = rng.bytes(8)
        else:  # insert bytes
            pos = rng.integers(0, len(data))
            data[pos:pos] = rng.bytes(rng.integers(1, 5))
        files[which].write_bytes(data)
        try:
            reader = BundleReader(prefix)
            for name, expected in tensors.items():
                assert_same_array(reader.get_tensor(name), np.asarray(expected))
        except errors.OpError:
            detected += 1
        files[which].write_bytes(originals[which])
    assert detected > 250  # the rest changed bytes TF never reads (e.g. footer padding)


# --------------------------------------------------------------------------- atomicity

def _assert_previous_intact(prefix, tensors):
    reader = BundleReader(prefix)
    for name, expected in tensors.items():
        assert_same_array(reader.get_tensor(name), np.asarray(expected))
    leftovers = [n for n in os.listdir(os.path.dirname(prefix)) if "tempstate" in n]
    assert leftovers == []


def test_failure_while_serializing_keeps_the_previous_checkpoint(small_ckpt):
    prefix, tensors = small_ckpt
    bad = {"a": np.ones(1000), "z": np.array([b"ok", 3], dtype=object)}  # fails after "a"
    with pytest.raises(TypeError):
        write_bundle(prefix, bad)
    _assert_previous_intact(prefix, tensors)


@pytest.mark.parametrize("target", ["fsync", "replace"])
def test_os_failures_keep_the_previous_checkpoint(small_ckpt, monkeypatch, target):
    prefix, tensors = small_ckpt

    def fail(*args):
        raise OSError(5, "simulated I/O error")

    monkeypatch.setattr(tensor_bundle.os, target, fail)
    with pytest.raises(errors.UnknownError, match="simulated"):
        write_bundle(prefix, {"other": np.zeros(3)})
    monkeypatch.undo()
    _assert_previous_intact(prefix, tensors)


def test_failure_in_index_building_keeps_the_previous_checkpoint(small_ckpt, monkeypatch):
    prefix, tensors = small_ckpt

    def fail(items):
        raise RuntimeError("boom")

    monkeypatch.setattr(tensor_bundle, "build_table", fail)
    with pytest.raises(RuntimeError, match="boom"):
        write_bundle(prefix, {"other": np.zeros(3)})
    monkeypatch.undo()
    _assert_previous_intact(prefix, tensors)


def test_successful_overwrite_replaces_both_files(small_ckpt):
    prefix, _ = small_ckpt
    write_bundle(prefix, {"new": np.arange(3)})
    assert BundleReader(prefix).keys() == ["new"]
    _assert_previous_intact(prefix, {"new": np.arange(3)})
