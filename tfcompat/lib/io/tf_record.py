"""TFRecord framing (what event files are made of): each record is

    uint64 length | uint32 masked_crc32c(length) | data | uint32 masked_crc32c(data)

all little-endian. The reader stops cleanly at a torn (incomplete) last record, as
TensorBoard does, and raises DataLossError on a corrupted complete one.
"""
import struct

from tfcompat.framework import errors
from tfcompat.lib.crc32c import crc32c, mask

_HEADER = struct.Struct("<QI")


def encode_record(data):
    data = bytes(data)
    length = struct.pack("<Q", len(data))
    return (length + struct.pack("<I", mask(crc32c(length))) + data
            + struct.pack("<I", mask(crc32c(data))))


def read_records(path):
    """Yields the payload of each complete record of the file at ``path``."""
    with open(path, "rb") as f:
        content = f.read()
    pos = 0
    while pos + _HEADER.size <= len(content):
        length, length_crc = _HEADER.unpack_from(content, pos)
        if mask(crc32c(content[pos:pos + 8])) != length_crc:
            raise errors.DataLossError(None, None, f"{path}: corrupted record length at "
                                                   f"offset {pos}")
        end = pos + _HEADER.size + length + 4
        if end > len(content):
            return  # a torn last record: everything before it stays readable
        data = content[pos + _HEADER.size:end - 4]
        (data_crc,) = struct.unpack_from("<I", content, end - 4)
        if mask(crc32c(data)) != data_crc:
            raise errors.DataLossError(None, None, f"{path}: corrupted record at offset {pos}")
        yield data
        pos = end
