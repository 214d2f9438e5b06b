"""LevelDB-style table: TF's exact bytes, block splitting, and a reader that rejects corruption."""
import struct

import pytest

from tfcompat.framework import errors
from tfcompat.lib import proto_wire as pw
from tfcompat.lib.crc32c import crc32c, mask
from tfcompat.lib.io import table
from tfcompat.lib.io.table import build_table, read_table

# The complete .index of the format doc's §9 example: header, "a" (float32 [2]), "b" (int64).
EXAMPLE_ITEMS = [
    (b"", bytes.fromhex("08 01 1a 02 08 01")),
    (b"a", bytes.fromhex("08 01 12 04 12 02 08 02 28 08 35 59 3c e5 35")),
    (b"b", bytes.fromhex("08 09 12 00 20 08 28 08 35 bb d7 9f 11")),
]
EXAMPLE_INDEX = bytes.fromhex(
    "00 00 06 08 01 1a 02 08 01"
    " 00 01 0f 61 08 01 12 04 12 02 08 02 28 08 35 59 3c e5 35"
    " 00 01 0d 62 08 09 12 00 20 08 28 08 35 bb d7 9f 11"
    " 00 00 00 00 01 00 00 00  00 38 2b 4e a8"  # restarts; trailer
    " 00 00 00 00 01 00 00 00  00 c0 f2 a1 b0"  # metaindex block; trailer
    " 00 01 02 63 00 35 00 00 00 00 01 00 00 00  00 7e 2c 7d 04"  # index block; trailer
    " 3a 08 47 0e" + " 00" * 36 + " 57 fb 80 8b 24 75 47 db")  # footer


def _decode_handle(data, pos):
    offset, pos = pw.decode_varint(data, pos)
    size, pos = pw.decode_varint(data, pos)
    return (offset, size), pos


def _block_entries(data, handle):
    """(key, value) pairs of a block, parsed independently of the reader under test."""
    offset, size = handle
    block = data[offset:offset + size]
    (num_restarts,) = struct.unpack_from("<I", block, size - 4)
    end, pos, key, out = size - 4 * (num_restarts + 1), 0, b"", []
    while pos < end:
        shared, pos = pw.decode_varint(block, pos)
        non_shared, pos = pw.decode_varint(block, pos)
        value_len, pos = pw.decode_varint(block, pos)
        key = key[:shared] + block[pos:pos + non_shared]
        out.append((key, block[pos + non_shared:pos + non_shared + value_len]))
        pos += non_shared + value_len
    return out


def _index_entries(data):
    """(separator key, data block handle) for every data block of a serialized table."""
    _, pos = _decode_handle(data, len(data) - 48)
    index_handle, _ = _decode_handle(data, pos)
    return [(key, _decode_handle(value, 0)[0]) for key, value in _block_entries(data, index_handle)]


def _refresh_block_crc(data, offset, size):
    """Recomputes the trailer CRC of the block at (offset, size) after a deliberate edit."""
    crc = mask(crc32c(bytes(data[offset:offset + size + 1])))
    data[offset + size + 1:offset + size + 5] = struct.pack("<I", crc)


def test_example_index_is_reproduced_byte_for_byte():
    assert len(EXAMPLE_INDEX) == 138
    assert build_table(EXAMPLE_ITEMS) == EXAMPLE_INDEX
    assert read_table(EXAMPLE_INDEX, "example.index") == EXAMPLE_ITEMS


def test_empty_table_round_trips():
    data = build_table([])
    assert read_table(data, "empty") == []
    assert data[:13] == bytes.fromhex("0000000001000000 00 c0f2a1b0".replace(" ", ""))


def test_restart_every_16_entries_and_prefix_compression():
    items = [(b"key/%03d" % i, b"v%d" % i) for i in range(40)]
    data = build_table(items)
    (_, (offset, size)), = _index_entries(data)
    block = data[offset:offset + size]
    (num_restarts,) = struct.unpack_from("<I", block, size - 4)
    restarts = struct.unpack_from("<%dI" % num_restarts, block, size - 4 * (num_restarts + 1))
    assert num_restarts == 3 and restarts[0] == 0
    for restart in restarts:  # entries 0, 16, 32 store their whole key
        assert block[restart] == 0 and block[restart + 1] == len(b"key/000")
    assert block[len(b"\0\x07\x02key/000v0"):][:2] == b"\x06\x01"  # entry 1 shares "key/00"
    assert read_table(data, "t") == items


@pytest.mark.parametrize("start, limit, expected", [
    (b"blk/0599/x", b"huge/y", b"c"),
    (b"blk/0256/q", b"blk/0257/r", b"blk/0256/q"),  # '6' + 1 is not < '7'
    (b"abc", b"abcd", b"abc"),  # a prefix of the limit stays as is
    (b"a\xff", b"b", b"a\xff"),
    (b"a", b"c", b"b"),
])
def test_shortest_separator(start, limit, expected):
    assert table._shortest_separator(start, limit) == expected


@pytest.mark.parametrize("key, expected", [
    (b"train/beta2_power", b"u"), (b"tensors/i64_vector", b"u"), (b"str/vector", b"t"),
    (b"b", b"c"), (b"\xff\xffa", b"\xff\xffb"), (b"\xff\xff", b"\xff\xff"),
])
def test_short_successor(key, expected):
    assert table._short_successor(key) == expected


def test_blocks_close_at_256_kib_with_separators_between_them():
    items = [(b"blk/%04d/%s" % (i, b"q" * 400), b"v" * 600) for i in range(600)]
    data = build_table(items)
    blocks = _index_entries(data)
    assert len(blocks) > 2
    contents = [_block_entries(data, handle) for _, handle in blocks]
    assert [item for block in contents for item in block] == items
    for (separator, (_, size)), block, next_block in zip(blocks, contents, contents[1:]):
        assert table.BLOCK_SIZE <= size < table.BLOCK_SIZE + 1100  # closed by the last entry
        assert block[-1][0] <= separator < next_block[0][0]
    assert blocks[-1][0] == b"c"  # the short successor of the last key "blk/0599/..."
    assert read_table(data, "big") == items


def test_huge_entry_starts_its_own_block():
    items = [(b"a", b"1"), (b"b", b"x" * table.LARGE_ENTRY_SIZE), (b"c", b"2")]
    blocks = _index_entries(build_table(items))
    assert len(blocks) == 3  # [a], [b] (flushed by size), [c]
    assert [k for k, _ in blocks] == [b"a", b"b", b"d"]
    assert read_table(build_table(items), "huge") == items


def test_writer_rejects_unsorted_or_duplicate_keys():
    with pytest.raises(ValueError):
        build_table([(b"b", b""), (b"a", b"")])
    with pytest.raises(ValueError):
        build_table([(b"a", b""), (b"a", b"")])


def test_reader_rejects_unsorted_keys():
    data = bytearray(build_table([(b"b", b"1"), (b"c", b"2")]))
    (_, (offset, size)), = _index_entries(bytes(data))
    position = data.index(b"c2", offset)
    data[position] = ord("a")  # keys now b, a
    _refresh_block_crc(data, offset, size)
    with pytest.raises(errors.DataLossError, match="not sorted"):
        read_table(bytes(data), "unsorted.index")


def test_reader_rejects_a_restart_point_inside_shared_entries():
    data = bytearray(build_table([(b"ab", b"1"), (b"ac", b"2")]))
    (_, (offset, size)), = _index_entries(bytes(data))
    second_entry = offset + 3 + 2 + 1  # header varints, key "ab", value "1"
    struct.pack_into("<I", data, offset + size - 8, second_entry - offset)  # restart[0]
    _refresh_block_crc(data, offset, size)
    with pytest.raises(errors.DataLossError, match="restart"):
        read_table(bytes(data), "t")


def test_snappy_block_is_reported_as_unimplemented():
    data = bytearray(EXAMPLE_INDEX)
    data[0x35] = 1  # the first data block's type byte
    _refresh_block_crc(data, 0, 0x35)
    # The index points at it, so the reader reaches it after the index block check.
    with pytest.raises(errors.UnimplementedError, match="Snappy"):
        read_table(bytes(data), "snappy.index")


@pytest.mark.parametrize("edit, message", [
    (lambda d: d[:-1], "too short|magic"),
    (lambda d: d[:47], "too short"),
    (lambda d: d[:-8] + b"\0" * 8, "magic"),
    (lambda d: d[:5] + bytes([d[5] ^ 1]) + d[6:], "checksum"),
    (lambda d: d[:0x5A] + bytes.fromhex("3a08ff0f") + d[0x5E:], "runs past"),  # index handle
])
def test_corruptions_name_the_file(edit, message):
    with pytest.raises(errors.DataLossError, match=message) as info:
        read_table(edit(EXAMPLE_INDEX), "/ckpt/model.index")
    assert "/ckpt/model.index" in str(info.value)


def test_every_truncation_and_single_byte_flip_is_detected_or_harmless():
    for length in range(len(EXAMPLE_INDEX)):
        with pytest.raises(errors.DataLossError):
            read_table(EXAMPLE_INDEX[:length], "t")
    for pos in range(len(EXAMPLE_INDEX)):
        data = bytearray(EXAMPLE_INDEX)
        data[pos] ^= 0x40
        try:
            items = read_table(bytes(data), "t")
        except errors.OpError:
            continue
        # Only bytes TF never reads either (metaindex block, footer padding) may change.
        assert items == EXAMPLE_ITEMS, pos
