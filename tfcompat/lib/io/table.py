"""LevelDB-style immutable sorted tables, the format of a tensor bundle's ``.index`` file.

The writer reproduces TF's ``table::TableBuilder`` byte for byte with the options the bundle
writer uses (no compression, 256 KiB blocks, restart interval 16, index keys shortened by
``FindShortestSeparator``/``FindShortSuccessor``).  The reader verifies every block CRC and
bounds-checks every handle and length, raising ``DataLossError`` naming the file.
"""
import struct

from tfcompat.framework import errors
from tfcompat.lib import proto_wire
from tfcompat.lib.crc32c import crc32c, mask, unmask

BLOCK_SIZE = 256 * 1024
# An entry at least this large starts a block of its own (TF's rule, see the format doc §3.5).
LARGE_ENTRY_SIZE = 512 * 1024
RESTART_INTERVAL = 16
FOOTER_SIZE = 48
TRAILER_SIZE = 5
MAGIC = 0xDB4775248B80FB57
_UNCOMPRESSED = 0
_SNAPPY = 1


# --------------------------------------------------------------------------- writing

class _BlockBuilder:
    """Prefix-compressed entries followed by the restart-offset array."""

    def __init__(self, restart_interval):
        self._interval = restart_interval
        self._buf = bytearray()
        self._restarts = [0]
        self._since_restart = 0
        self._last_key = b""

    @property
    def empty(self):
        return not self._buf

    def size_estimate(self):
        return len(self._buf) + 4 * len(self._restarts) + 4

    def add(self, key, value):
        shared = 0
        if self._since_restart < self._interval:
            limit = min(len(key), len(self._last_key))
            while shared < limit and key[shared] == self._last_key[shared]:
                shared += 1
        else:
            self._restarts.append(len(self._buf))
            self._since_restart = 0
        enc = proto_wire.encode_varint
        self._buf += enc(shared) + enc(len(key) - shared) + enc(len(value))
        self._buf += key[shared:]
        self._buf += value
        self._last_key = key
        self._since_restart += 1

    def finish(self):
        return bytes(self._buf) + struct.pack("<%dI" % (len(self._restarts) + 1),
                                              *self._restarts, len(self._restarts))


def _shortest_separator(start, limit):
    """A short key k with start <= k < limit (TF's BytewiseComparator::FindShortestSeparator)."""
    i = 0
    while i < min(len(start), len(limit)) and start[i] == limit[i]:
        i += 1
    if i < min(len(start), len(limit)) and start[i] < 0xFF and start[i] + 1 < limit[i]:
        return start[:i] + bytes([start[i] + 1])
    return start


def _short_successor(key):
    """A short key >= ``key`` (TF's BytewiseComparator::FindShortSuccessor)."""
    for i, byte in enumerate(key):
        if byte != 0xFF:
            return key[:i] + bytes([byte + 1])
    return key


def _encode_handle(offset, size):
    return proto_wire.encode_varint(offset) + proto_wire.encode_varint(size)


def build_table(items):
    """Serializes ``items``, (key, value) bytes pairs in strictly increasing key order."""
    out = bytearray()

    def write_block(contents):
        handle = _encode_handle(len(out), len(contents))
        trailer_type = bytes([_UNCOMPRESSED])
        out.extend(contents)
        out.extend(trailer_type)
        out.extend(struct.pack("<I", mask(crc32c(trailer_type, crc32c(contents)))))
        return handle

    index = _BlockBuilder(1)
    block = _BlockBuilder(RESTART_INTERVAL)
    last_key = None
    pending_handle = None  # a finished data block whose index key waits for the next key

    for key, value in items:
        key, value = bytes(key), bytes(value)
        if last_key is not None:
            if key <= last_key:
                raise ValueError("table keys must be unique and sorted: %r after %r"
                                 % (key, last_key))
            if len(key) + len(value) >= LARGE_ENTRY_SIZE and not block.empty:
                pending_handle = write_block(block.finish())
                block = _BlockBuilder(RESTART_INTERVAL)
        if pending_handle is not None:
            index.add(_shortest_separator(last_key, key), pending_handle)
            pending_handle = None
        block.add(key, value)
        last_key = key
        if block.size_estimate() >= BLOCK_SIZE:
            pending_handle = write_block(block.finish())
            block = _BlockBuilder(RESTART_INTERVAL)
    if not block.empty:
        pending_handle = write_block(block.finish())
    if pending_handle is not None:
        index.add(_short_successor(last_key), pending_handle)

    metaindex_handle = write_block(_BlockBuilder(1).finish())
    index_handle = write_block(index.finish())
    footer = metaindex_handle + index_handle
    out += footer + bytes(FOOTER_SIZE - 8 - len(footer)) + struct.pack("<Q", MAGIC)
    return bytes(out)


# --------------------------------------------------------------------------- reading

class _Corrupt(Exception):
    """Internal: a structural problem, reported as DataLossError with the file name."""


def _read_varint(buf, pos, end, bits):
    try:
        return proto_wire.decode_varint(buf, pos, end, bits)
    except proto_wire.WireError as exc:
        raise _Corrupt(str(exc)) from None


def _decode_handle(buf, pos, end):
    offset, pos = _read_varint(buf, pos, end, 64)
    size, pos = _read_varint(buf, pos, end, 64)
    return (offset, size), pos


def _block_contents(data, handle, blocks_end):
    """The verified contents of the block at ``handle`` (a memoryview)."""
    offset, size = handle
    if offset + size + TRAILER_SIZE > blocks_end:
        raise _Corrupt("block handle (offset %d, size %d) runs past the end of the blocks (%d)"
                       % (offset, size, blocks_end))
    contents = data[offset:offset + size]
    block_type = data[offset + size]
    (stored,) = struct.unpack_from("<I", data, offset + size + 1)
    if crc32c(data[offset:offset + size + 1]) != unmask(stored):
        raise _Corrupt("block checksum mismatch at offset %d" % offset)
    if block_type == _SNAPPY:
        raise errors.UnimplementedError(None, None, "Snappy-compressed table blocks are not "
                                        "supported (TF never writes them in checkpoints)")
    if block_type != _UNCOMPRESSED:
        raise _Corrupt("unknown block type %d at offset %d" % (block_type, offset))
    return contents


def _block_entries(block):
    """Yields the (key, value) pairs of a block, validating lengths and restart points."""
    size = len(block)
    if size < 4:
        raise _Corrupt("block of %d bytes is too short" % size)
    (num_restarts,) = struct.unpack_from("<I", block, size - 4)
    if num_restarts < 1 or num_restarts > (size - 4) // 4:
        raise _Corrupt("bad restart count %d in a block of %d bytes" % (num_restarts, size))
    entries_end = size - 4 * (num_restarts + 1)
    restarts = struct.unpack_from("<%dI" % num_restarts, block, entries_end)

    unshared_starts = set()  # entry offsets with shared == 0: the valid restart points
    key, pos = b"", 0
    while pos < entries_end:
        start = pos
        shared, pos = _read_varint(block, pos, entries_end, 32)
        non_shared, pos = _read_varint(block, pos, entries_end, 32)
        value_length, pos = _read_varint(block, pos, entries_end, 32)
        if shared > len(key) or non_shared + value_length > entries_end - pos:
            raise _Corrupt("bad entry lengths at block offset %d" % start)
        if shared == 0:
            unshared_starts.add(start)
        key = key[:shared] + bytes(block[pos:pos + non_shared])
        pos += non_shared
        yield key, bytes(block[pos:pos + value_length])
        pos += value_length

    if restarts[0] != 0 or any(a >= b for a, b in zip(restarts, restarts[1:])):
        raise _Corrupt("restart offsets are not increasing from 0")
    if any(r not in unshared_starts for r in restarts if r or entries_end):
        raise _Corrupt("a restart offset does not point at an unshared entry")


def read_table(data, filename):
    """All (key, value) pairs of the table serialized in ``data``, in key order.

    Raises ``errors.DataLossError`` naming ``filename`` on any corruption, including keys that
    are not strictly increasing (TF could not look them up).
    """
    data = memoryview(data).cast("B")
    try:
        if len(data) < FOOTER_SIZE:
            raise _Corrupt("file of %d bytes is too short to be an sstable" % len(data))
        blocks_end = len(data) - FOOTER_SIZE
        if struct.unpack_from("<Q", data, len(data) - 8)[0] != MAGIC:
            raise _Corrupt("not an sstable (bad magic number)")
        _, pos = _decode_handle(data, blocks_end, len(data) - 8)  # metaindex: unused
        index_handle, _ = _decode_handle(data, pos, len(data) - 8)

        items = []
        for _, handle_bytes in _block_entries(_block_contents(data, index_handle, blocks_end)):
            handle, _ = _decode_handle(handle_bytes, 0, len(handle_bytes))
            for key, value in _block_entries(_block_contents(data, handle, blocks_end)):
                if items and key <= items[-1][0]:
                    raise _Corrupt("keys are not sorted: %r after %r" % (key, items[-1][0]))
                items.append((key, value))
        return items
    except _Corrupt as exc:
        raise errors.DataLossError(
            None, None, "Unable to read table file %s: the file is corrupt (%s)"
            % (filename, exc)) from None
