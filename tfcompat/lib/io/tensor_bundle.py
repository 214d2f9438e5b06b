"""TensorFlow V2 checkpoints ("tensor bundles"): ``<prefix>.index`` + ``<prefix>.data-*``.

Reproduces TF's ``BundleWriter`` byte for byte (tensors in sorted key order, canonical
``BundleEntryProto`` serialization, LevelDB-style index table) and its ``BundleReader``
checks: block and tensor CRC32Cs, sizes against dtype x shape, version rules, and the bounds
of every offset and size (checked against the data file before anything is allocated).
Corruption raises ``DataLossError``; a missing file or key raises ``NotFoundError``.

A partitioned variable is stored in slices, as TF's ``BundleWriter::AddSlice`` does: its
entry under the full name holds dtype, full shape and one ``TensorSliceProto`` per slice,
and each slice is an ordinary entry under a binary key (``EncodeTensorNameSlice``: a 0, the
name and each dimension's start and length in TF's ``OrderedCode``), which sorts before every
name. Reading such a tensor assembles the slices; any slice of any stored tensor can be read.
"""
import contextlib
import difflib
import math
import os
import struct
import uuid
from collections import namedtuple

import numpy as np

from tfcompat.framework import dtypes, errors
from tfcompat.lib import proto_wire as pw
from tfcompat.lib.crc32c import crc32c, mask
from tfcompat.lib.io.table import build_table, read_table

HEADER_KEY = b""
# kTensorBundleVersion: the producer version TF writes and the newest consumer it accepts.
BUNDLE_VERSION = 1
_DT_STRING = 7
_DT_BFLOAT16 = 14
_NUMERIC_ENUMS = (1, 2, 3, 4, 5, 6, 8, 9, 10, 17, 18, 19, 22, 23)
# Little-endian storage dtype of each numeric DataType (the data file is always LITTLE).
_STORAGE_DTYPES = {e: np.dtype(dtypes.as_dtype(e).as_numpy_dtype).newbyteorder("<")
                   for e in _NUMERIC_ENUMS}
_STORAGE_DTYPES[_DT_BFLOAT16] = np.dtype("<u2")  # no NumPy type: widened to float32 on read

_Entry = namedtuple("_Entry", "dtype_enum shape shard_id offset size crc slices")

#: A tensor written in slices: its full shape and ``(extents, array)`` per slice, the extents
#: being ``(start, length)`` per dimension, length -1 for the whole dimension.
SlicedTensor = namedtuple("SlicedTensor", "full_shape slices")


def index_filename(prefix):
    return os.fspath(prefix) + ".index"


def data_filename(prefix, shard_id=0, num_shards=1):
    return "%s.data-%05d-of-%05d" % (os.fspath(prefix), shard_id, num_shards)


def _os_error(exc, what):
    """Converts an OSError on a checkpoint file into the matching tfcompat error."""
    if isinstance(exc, FileNotFoundError):
        cls = errors.NotFoundError
    elif isinstance(exc, PermissionError):
        cls = errors.PermissionDeniedError
    else:
        cls = errors.UnknownError
    return cls(None, None, "%s: %s" % (what, exc.strerror or exc))


#: Called with a step's name before each rename of a save (tests inject a kill there).
_before_rename = None


def _rename(source, destination, step):
    if _before_rename is not None:
        _before_rename(step)
    os.replace(source, destination)


def _sync_directory(path):
    """Makes the renames in ``path``'s folder durable (where the OS allows opening it)."""
    with contextlib.suppress(OSError):
        fd = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _pending(path):
    return path + ".pending"


@contextlib.contextmanager
def atomic_replace(*paths):
    """Yields binary files open on temporaries of ``paths``, replacing ``paths`` on success.

    Each file is written under ``<path>.tempstate<random>`` and fsynced. One file is then
    renamed over its path. Several files (a checkpoint's data and index) are replaced so
    that a kill at any moment leaves either all old or all new files readable: each
    temporary is renamed to ``<path>.pending``, the last one's rename being the commit
    point, and then each pending file over its path; ``recover_interrupted(*paths)``, which
    readers call first, finishes a committed replacement or drops an uncommitted one. If
    the body raises, the temporaries are removed and ``paths`` are left untouched.
    """
    temps = ["%s.tempstate%s" % (path, uuid.uuid4().hex) for path in paths]
    files = []
    try:
        for temp in temps:
            files.append(open(temp, "xb"))
        yield files
        for f in files:
            f.flush()
            os.fsync(f.fileno())
            f.close()
        if len(paths) == 1:
            _rename(temps[0], paths[0], "replace")
        else:
            recover_interrupted(*paths)
            for index, (temp, path) in enumerate(zip(temps, paths)):
                _rename(temp, _pending(path), f"stage {index}")
            _sync_directory(paths[-1])  # committed: the pending files replace the old ones
            for index, path in enumerate(paths):
                _rename(_pending(path), path, f"replace {index}")
        _sync_directory(paths[-1])
    finally:
        for f in files:
            f.close()
        for temp in temps:
            with contextlib.suppress(FileNotFoundError):
                os.remove(temp)


def recover_interrupted(*paths):
    """Completes or undoes an ``atomic_replace`` of several ``paths`` that was killed: once
    the last path's pending file exists (the commit point) every pending file is renamed
    into place; before it, the pending files are stale and removed."""
    if len(paths) < 2:
        return
    committed = os.path.exists(_pending(paths[-1]))
    for path in paths:
        if os.path.exists(_pending(path)):
            if committed:
                os.replace(_pending(path), path)
            else:
                os.remove(_pending(path))


# --------------------------------------------------------------------------- serialization

def _string_length_bytes(lengths):
    """The bytes the string-tensor checksums cover for the lengths: uint32 LE (uint64 if big)."""
    return b"".join(struct.pack("<I" if n <= 0xFFFFFFFF else "<Q", n) for n in lengths)


def _serialize_tensor(name, value):
    """Returns ``(dtype_enum, shape, chunks, crc)``: the bytes to append to the data file."""
    arr = np.asarray(value)
    if arr.dtype.kind in "OSU":
        strings = []
        for s in arr.reshape(-1).tolist():
            if isinstance(s, str):
                s = s.encode("utf-8")
            elif not isinstance(s, (bytes, bytearray)):
                raise TypeError("tensor %r: string tensors must hold bytes or str, not %s"
                                % (name, type(s).__name__))
            strings.append(bytes(s))
        lengths = [len(s) for s in strings]
        length_bytes = _string_length_bytes(lengths)
        length_crc = struct.pack("<I", mask(crc32c(length_bytes)))
        joined = b"".join(strings)
        # The entry CRC covers the fixed-width lengths, not the varints actually written.
        crc = crc32c(joined, crc32c(length_crc, crc32c(length_bytes)))
        varints = b"".join(pw.encode_varint(n) for n in lengths)
        return _DT_STRING, arr.shape, [varints, length_crc, joined], crc
    try:
        enum = dtypes.as_dtype(arr.dtype.newbyteorder("=")).as_datatype_enum
    except TypeError:
        enum = None
    if enum not in _NUMERIC_ENUMS:
        raise TypeError("tensor %r: dtype %s cannot be saved in a checkpoint" % (name, arr.dtype))
    # np.asarray(order="C") keeps 0-d arrays 0-d (np.ascontiguousarray would make them 1-d).
    arr = np.asarray(arr, dtype=_STORAGE_DTYPES[enum], order="C")
    raw = arr.reshape(-1).view(np.uint8)
    return enum, arr.shape, [raw], crc32c(raw)


def _encode_entry(dtype_enum, shape, offset, size, crc):
    """A BundleEntryProto as TF serializes it: zero offset/size omitted, shape always set."""
    shape_proto = b"".join(pw.field_bytes(2, pw.field_varint(1, d) if d else b"") for d in shape)
    return (pw.field_varint(1, dtype_enum) + pw.field_bytes(2, shape_proto)
            + (pw.field_varint(4, offset) if offset else b"")
            + (pw.field_varint(5, size) if size else b"")
            + (pw.field_fixed32(6, mask(crc)) if crc is not None else b""))


_HEADER_VALUE = pw.field_varint(1, 1) + pw.field_bytes(3, pw.field_varint(1, BUNDLE_VERSION))


def _ordered_unsigned(value):
    """OrderedCode ``WriteNumIncreasing``: a length byte, then big-endian bytes."""
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big") if value else b""
    return bytes([len(raw)]) + raw


#: OrderedCode's header bits of the first two bytes of an n-byte signed number.
_SIGNED_HEADERS = {1: (0x80, 0), 2: (0xC0, 0), 3: (0xE0, 0), 4: (0xF0, 0), 5: (0xF8, 0),
                   6: (0xFC, 0), 7: (0xFE, 0), 8: (0xFF, 0), 9: (0xFF, 0x80), 10: (0xFF, 0xC0)}


def _ordered_signed(value):
    """OrderedCode ``WriteSignedNumIncreasing``: n bytes for [-2^(7n-1), 2^(7n-1)), the
    two's complement value in big-endian order with n's header bits XORed in front."""
    magnitude = ~value if value < 0 else value
    length = magnitude.bit_length() // 7 + 1
    raw = bytearray((value & ((1 << 80) - 1)).to_bytes(10, "big")[-length:])
    first, second = _SIGNED_HEADERS[length]
    raw[0] ^= first
    if length > 1:
        raw[1] ^= second
    return bytes(raw)


def _ordered_string(text):
    """OrderedCode ``WriteString``: 0x00 -> 00 ff, 0xff -> ff 00, then the 00 01 terminator."""
    return text.replace(b"\x00", b"\x00\xff").replace(b"\xff", b"\xff\x00") + b"\x00\x01"


def slice_key(name, extents):
    """The key of one stored slice of tensor ``name`` (TF's ``EncodeTensorNameSlice``)."""
    key = _ordered_unsigned(0) + _ordered_string(name.encode("utf-8"))
    key += _ordered_unsigned(len(extents))
    for start, length in extents:
        key += _ordered_signed(start) + _ordered_signed(length)
    return key


def _encode_slice(extents):
    """A TensorSliceProto: per dimension an Extent, empty for a whole dimension."""
    out = b""
    for start, length in extents:
        extent = b"" if length < 0 else (
            (pw.field_varint(1, start) if start else b"") + pw.field_varint(2, length))
        out += pw.field_bytes(1, extent)
    return out


def _slice_index(extents, full_shape):
    return tuple(slice(0, size) if length < 0 else slice(start, start + length)
                 for (start, length), size in zip(extents, full_shape, strict=True))


def write_bundle(prefix, tensors):
    """Writes ``tensors`` ({name: array-like}) as the single-shard bundle ``prefix``.

    Dtypes: float16/32/64, int8/16/32/64, uint8/16/32/64, bool, complex64/128, and strings
    (object arrays of bytes or str; str is UTF-8 encoded).  The data file and then the index
    are replaced atomically; on failure the previous files, if any, are left intact.
    """
    prefix = os.fspath(prefix)
    for name in tensors:
        if not isinstance(name, str) or not name:
            raise ValueError("tensor names must be non-empty strings, got %r" % (name,))
    order = sorted(tensors, key=lambda n: n.encode("utf-8"))
    items = [(HEADER_KEY, _HEADER_VALUE)]
    data_path, index_path = data_filename(prefix), index_filename(prefix)
    try:
        with atomic_replace(data_path, index_path) as (data_file, index_file):
            offset = 0

            def append(key, name, value):
                nonlocal offset
                dtype_enum, shape, chunks, crc = _serialize_tensor(name, value)
                size = 0
                for chunk in chunks:
                    data_file.write(chunk)
                    size += memoryview(chunk).nbytes
                items.append((key, _encode_entry(dtype_enum, shape, offset, size, crc)))
                offset += size
                return dtype_enum

            for name in order:
                value = tensors[name]
                if not isinstance(value, SlicedTensor):
                    append(name.encode("utf-8"), name, value)
                    continue
                # As BundleWriter::AddSlice: each slice's data, then the full entry.
                enums = {append(slice_key(name, extents), name, part)
                         for extents, part in value.slices}
                if len(enums) != 1:
                    raise TypeError("tensor %r: its slices have different dtypes" % name)
                full = _encode_entry(enums.pop(), value.full_shape, 0, 0, None)
                items.append((name.encode("utf-8"), full + b"".join(
                    pw.field_bytes(7, _encode_slice(extents)) for extents, _ in value.slices)))
            index_file.write(build_table(sorted(items)))
    except OSError as exc:
        raise _os_error(exc, "Failed to write checkpoint %s" % prefix) from exc


# --------------------------------------------------------------------------- reading

class _BadProto(Exception):
    """Internal: a malformed message, reported as DataLossError with file and key."""


def _fields(buf, wire_types):
    """Yields (field_number, value) for the fields listed in ``wire_types``; skips others."""
    try:
        for number, wire_type, value in pw.iter_fields(buf):
            if number not in wire_types:
                continue
            if wire_type not in wire_types[number]:
                raise _BadProto("field %d has wire type %d" % (number, wire_type))
            yield number, value
    except pw.WireError as exc:
        raise _BadProto(str(exc)) from None


def _parse_header(value):
    """Returns num_shards after TF's header checks (shards >= 1, LITTLE, versions)."""
    num_shards, endianness = 1, 0
    producer, min_consumer, bad_consumers = 0, 0, []
    for number, field in _fields(value, {1: (pw.VARINT,), 2: (pw.VARINT,),
                                         3: (pw.LENGTH_DELIMITED,)}):
        if number == 1:
            num_shards = pw.as_int64(field)
        elif number == 2:
            endianness = field
        else:
            for vnum, vfield in _fields(field, {1: (pw.VARINT,), 2: (pw.VARINT,),
                                                3: (pw.VARINT, pw.LENGTH_DELIMITED)}):
                if vnum == 1:
                    producer = pw.as_int64(vfield)
                elif vnum == 2:
                    min_consumer = pw.as_int64(vfield)
                elif isinstance(vfield, int):
                    bad_consumers.append(pw.as_int64(vfield))
                else:
                    bad_consumers.extend(map(pw.as_int64, pw.decode_packed_varints(vfield)))
    if num_shards < 1 or num_shards >= 1 << 31:
        raise _BadProto("invalid num_shards %d" % num_shards)
    if endianness != 0:
        raise errors.UnimplementedError(None, None, "big-endian checkpoints are not supported")
    if producer < 0 or min_consumer > BUNDLE_VERSION or BUNDLE_VERSION in bad_consumers:
        raise errors.InvalidArgumentError(
            None, None, "checkpoint version (producer %d, min_consumer %d, bad_consumers %s) "
            "is not readable by bundle version %d"
            % (producer, min_consumer, bad_consumers, BUNDLE_VERSION))
    return num_shards


def _parse_shape(value):
    dims = []
    for number, field in _fields(value, {2: (pw.LENGTH_DELIMITED,), 3: (pw.VARINT,)}):
        if number == 3:
            if field:
                raise _BadProto("unknown rank in a checkpoint shape")
            continue
        size = 0
        for _, dim in _fields(field, {1: (pw.VARINT,)}):
            size = pw.as_int64(dim)
        if size < 0:
            raise _BadProto("negative dimension %d" % size)
        dims.append(size)
    return tuple(dims)


def _parse_slice(value):
    """The ``(start, length)`` extents of a TensorSliceProto (length -1: the whole dim)."""
    extents = []
    for _, extent in _fields(value, {1: (pw.LENGTH_DELIMITED,)}):
        start, length = 0, -1
        for number, field in _fields(extent, {1: (pw.VARINT,), 2: (pw.VARINT,)}):
            if number == 1:
                start = pw.as_int64(field)
            else:
                length = pw.as_int64(field)
        if start < 0 or length < -1:
            raise _BadProto("invalid slice extent (%d, %d)" % (start, length))
        extents.append((start, length))
    return tuple(extents)


def _parse_entry(value, num_shards):
    dtype_enum, shape, shard_id, offset, size, crc, slices = 0, (), 0, 0, 0, 0, []
    spec = {1: (pw.VARINT,), 2: (pw.LENGTH_DELIMITED,), 3: (pw.VARINT,), 4: (pw.VARINT,),
            5: (pw.VARINT,), 6: (pw.FIXED32,), 7: (pw.LENGTH_DELIMITED,)}
    for number, field in _fields(value, spec):
        if number == 1:
            dtype_enum = field
        elif number == 2:
            shape = _parse_shape(field)
        elif number == 3:
            shard_id = pw.as_int64(field)
        elif number == 4:
            offset = pw.as_int64(field)
        elif number == 5:
            size = pw.as_int64(field)
        elif number == 6:
            crc = field
        else:
            slices.append(_parse_slice(field))
    if dtype_enum != _DT_STRING and dtype_enum not in _STORAGE_DTYPES:
        raise _BadProto("unsupported dtype enum %d" % dtype_enum)
    if not 0 <= shard_id < num_shards or offset < 0 or size < 0:
        raise _BadProto("invalid shard_id %d / offset %d / size %d" % (shard_id, offset, size))
    for extents in slices:
        if len(extents) != len(shape) or any(
                length >= 0 and start + length > dim
                for (start, length), dim in zip(extents, shape, strict=True)):
            raise _BadProto("slice %s does not fit shape %s" % (list(extents), list(shape)))
    return _Entry(dtype_enum, shape, shard_id, offset, size, crc, tuple(slices))


def _read_index_file(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        raise errors.NotFoundError(
            None, None, "Checkpoint index file %s not found" % path) from None
    except OSError as exc:
        raise _os_error(exc, "Failed to read checkpoint index %s" % path) from exc


class BundleReader:
    """Reads a tensor bundle (TF's ``BundleReader`` / ``tf.train.load_checkpoint`` data).

    The whole index is parsed and validated on construction; tensor data is read on demand,
    one ``get_tensor`` at a time, from the shard file its entry names.
    """

    def __init__(self, prefix):
        self.prefix = os.fspath(prefix)
        index_path = index_filename(self.prefix)
        with contextlib.suppress(OSError):  # a save killed halfway: finish or drop it
            recover_interrupted(data_filename(self.prefix), index_path)
        items = read_table(_read_index_file(index_path), index_path)
        key = HEADER_KEY
        try:
            if not items or items[0][0] != HEADER_KEY:
                raise _BadProto("the first entry is not the bundle header")
            self.num_shards = _parse_header(items[0][1])
            self._entries = {}
            self._slice_values = {}
            for key, value in items[1:]:
                if key[:1] == b"\0":
                    # a slice of a partitioned variable, found through its full entry
                    self._slice_values[key] = value
                    continue
                try:
                    name = key.decode("utf-8")
                except UnicodeDecodeError:
                    raise _BadProto("tensor name is not UTF-8") from None
                self._entries[name] = _parse_entry(value, self.num_shards)
        except _BadProto as exc:
            raise errors.DataLossError(
                None, None, "Corrupt checkpoint index %s, entry %r: %s"
                % (index_path, key.decode("utf-8", "replace"), exc)) from None

    def keys(self):
        """The tensor names, sorted (the bundle header is not included)."""
        return list(self._entries)

    def has_tensor(self, name):
        return name in self._entries

    def _entry(self, name):
        entry = self._entries.get(name)
        if entry is None:
            msg = "Key %s not found in checkpoint %s" % (name, self.prefix)
            close = difflib.get_close_matches(str(name), self._entries, n=3)
            if close:
                msg += ". Did you mean: %s?" % ", ".join(close)
            raise errors.NotFoundError(None, None, msg)
        return entry

    def shape(self, name):
        """The tensor's shape as a tuple of ints (``()`` for scalars)."""
        return self._entry(name).shape

    def dtype_enum(self, name):
        """The TF ``DataType`` enum value stored for the tensor (e.g. 1 for float32)."""
        return self._entry(name).dtype_enum

    def dtype(self, name):
        """The tensor's tfcompat ``DType``."""
        return dtypes.as_dtype(self.dtype_enum(name))

    def numpy_dtype(self, name):
        """The NumPy dtype of what `get_tensor` returns (object for strings)."""
        return np.dtype(self.dtype(name).as_numpy_dtype)

    def get_tensor(self, name):
        """Reads, verifies and returns the tensor as a new writable NumPy array (a tensor
        stored in slices is assembled from them)."""
        entry = self._entry(name)
        if not entry.slices:
            return self._read_entry(name, entry)
        whole = np.empty(entry.shape, dtype=self.numpy_dtype(name))
        covered = 0
        for extents, part in self._stored_slices(name, entry):
            index = _slice_index(extents, entry.shape)
            whole[index] = part
            covered += part.size
        if covered != whole.size:
            raise errors.DataLossError(
                None, None, "Tensor %s in checkpoint %s: its %d stored slices hold %d of its "
                "%d elements" % (name, self.prefix, len(entry.slices), covered, whole.size))
        return whole

    def get_slice(self, name, extents):
        """The part of tensor ``name`` at ``extents`` (``(start, length)`` per dimension,
        length -1 for all of it), whether the tensor was stored whole or in slices."""
        return self.get_tensor(name)[_slice_index(extents, self.shape(name))].copy()

    def get_stored(self, name):
        """The tensor as stored: an array, or a ``SlicedTensor`` for one stored in slices."""
        entry = self._entry(name)
        if not entry.slices:
            return self._read_entry(name, entry)
        return SlicedTensor(entry.shape, list(self._stored_slices(name, entry)))

    def _stored_slices(self, name, entry):
        """Yields ``(extents, array)`` for each stored slice of the tensor ``name``."""
        for extents in entry.slices:
            key = slice_key(name, extents)
            value = self._slice_values.get(key)
            if value is None:
                raise errors.DataLossError(
                    None, None, "Tensor %s in checkpoint %s: the entry of its slice %s is "
                    "missing" % (name, self.prefix, list(extents)))
            try:
                part_entry = _parse_entry(value, self.num_shards)
            except _BadProto as exc:
                raise errors.DataLossError(
                    None, None, "Corrupt checkpoint index %s, slice %s of %r: %s"
                    % (index_filename(self.prefix), list(extents), name, exc)) from None
            wanted = tuple(dim if length < 0 else length
                           for (_, length), dim in zip(extents, entry.shape, strict=True))
            if part_entry.shape != wanted or part_entry.dtype_enum != entry.dtype_enum:
                raise errors.DataLossError(
                    None, None, "Tensor %s in checkpoint %s: slice %s is stored with shape %s "
                    "and dtype %d" % (name, self.prefix, list(extents), list(part_entry.shape),
                                      part_entry.dtype_enum))
            yield extents, self._read_entry(name, part_entry)

    def _read_entry(self, name, entry):
        path = data_filename(self.prefix, entry.shard_id, self.num_shards)
        count = math.prod(entry.shape)
        if entry.dtype_enum == _DT_STRING:
            # Each element takes at least one length byte, plus the 4-byte length checksum.
            size_ok = entry.size >= count + 4
        else:
            size_ok = entry.size == count * _STORAGE_DTYPES[entry.dtype_enum].itemsize
        if not size_ok:
            raise errors.DataLossError(
                None, None, "Invalid size in bundle entry: key %s; stored size %d; shape %s, "
                "dtype %d (checkpoint %s)"
                % (name, entry.size, list(entry.shape), entry.dtype_enum, self.prefix))
        raw = self._read_data(path, name, entry)
        if entry.dtype_enum == _DT_STRING:
            return _decode_strings(raw, count, entry, name, path).reshape(entry.shape)
        if mask(crc32c(raw)) != entry.crc:
            raise _checksum_error(name, path, entry, mask(crc32c(raw)))
        values = raw.view(_STORAGE_DTYPES[entry.dtype_enum]).reshape(entry.shape)
        if entry.dtype_enum == _DT_BFLOAT16:
            return (values.astype(np.uint32) << 16).view(np.float32)
        return values.astype(values.dtype.newbyteorder("="), copy=False)

    @staticmethod
    def _read_data(path, name, entry):
        """The entry's bytes as a uint8 array, bounds-checked against the file size first."""
        try:
            with open(path, "rb") as f:
                file_size = os.fstat(f.fileno()).st_size
                if entry.offset + entry.size > file_size:
                    raise errors.DataLossError(
                        None, None, "Tensor %s: bytes [%d, %d) lie beyond the end of data file "
                        "%s (%d bytes); the file is truncated or the index is corrupt"
                        % (name, entry.offset, entry.offset + entry.size, path, file_size))
                raw = np.empty(entry.size, dtype=np.uint8)
                f.seek(entry.offset)
                if f.readinto(raw) != entry.size:
                    raise errors.DataLossError(None, None, "Short read from data file %s" % path)
                return raw
        except FileNotFoundError:
            raise errors.NotFoundError(
                None, None, "Data file %s of checkpoint tensor %s not found" % (path, name)) \
                from None
        except OSError as exc:
            raise _os_error(exc, "Failed to read data file %s" % path) from exc


def _checksum_error(name, path, entry, calculated):
    return errors.DataLossError(
        None, None, "Checksum does not match: stored %d vs. calculated on the restored bytes "
        "%d (tensor %s, data file %s)" % (entry.crc, calculated, name, path))


def _decode_strings(raw, count, entry, name, path):
    """Parses a string tensor: varint lengths, masked length checksum, concatenated bytes."""
    def corrupt(detail):
        return errors.DataLossError(
            None, None, "Corrupt string tensor %s in data file %s: %s" % (name, path, detail))

    buf = raw.tobytes()
    lengths, pos = [], 0
    try:
        for _ in range(count):  # count <= len(buf) - 4, checked by the caller
            length, pos = pw.decode_varint(buf, pos, len(buf) - 4)
            lengths.append(length)
    except pw.WireError as exc:
        raise corrupt(str(exc)) from None
    length_bytes = _string_length_bytes(lengths)
    stored_length_crc = buf[pos:pos + 4]
    if struct.unpack("<I", stored_length_crc)[0] != mask(crc32c(length_bytes)):
        raise corrupt("the length checksum does not match")
    pos += 4
    if sum(lengths) != len(buf) - pos:
        raise corrupt("the string lengths add up to %d, not %d" % (sum(lengths), len(buf) - pos))
    crc = mask(crc32c(buf[pos:], crc32c(stored_length_crc, crc32c(length_bytes))))
    if crc != entry.crc:
        raise _checksum_error(name, path, entry, crc)
    out = np.empty(count, dtype=object)
    for i, length in enumerate(lengths):
        out[i] = buf[pos:pos + length]
        pos += length
    return out
