"""TFRecord files with TF's optional compression (``TFRecordOptions``): "" / "ZLIB" /
"GZIP". A ZLIB file is one zlib stream of the framed records, a GZIP file one gzip member;
records are framed as in ``tf_record`` (length, masked CRC32C of it, data, masked CRC32C)."""
import gzip
import os
import struct
import zlib

from tfcompat.framework import errors
from tfcompat.lib.crc32c import crc32c, mask
from tfcompat.lib.io.tf_record import encode_record

_HEADER = struct.Struct("<QI")
COMPRESSIONS = ("", "ZLIB", "GZIP")


def check_compression(compression):
    """The compression name, or InvalidArgumentError as TF's reader ops raise it."""
    compression = (compression or "").upper() if isinstance(compression, str) else compression
    if compression not in COMPRESSIONS:
        raise errors.InvalidArgumentError(None, None,
                                          f"Unsupported compression_type: {compression}.")
    return compression


def read_file(path, op=None):
    """The bytes of the file at ``path``, NotFoundError as TF reports a missing one."""
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        raise errors.NotFoundError(None, op, f"{path}; No such file or directory") from None
    except IsADirectoryError:
        raise errors.FailedPreconditionError(None, op, f"{path}; Is a directory") from None


def decompress(content, compression, path, op=None):
    try:
        if compression == "GZIP":
            return gzip.decompress(content)
        if compression == "ZLIB":
            return zlib.decompress(content)
    except (OSError, zlib.error, EOFError) as exc:
        raise errors.DataLossError(None, op, f"{path}: corrupted {compression} data "
                                             f"({exc})") from None
    return content


def iter_records(path, compression="", op=None):
    """The payloads of the TFRecord file ``path``; DataLossError on a corrupted or
    truncated record (TF's reader ops and ``tf_record_iterator``)."""
    content = decompress(read_file(path, op), compression, path, op)
    pos = 0
    while pos < len(content):
        if pos + _HEADER.size > len(content):
            raise errors.DataLossError(None, op, f"truncated record at {pos} in {path}")
        length, length_crc = _HEADER.unpack_from(content, pos)
        if mask(crc32c(content[pos:pos + 8])) != length_crc:
            raise errors.DataLossError(None, op, f"corrupted record at {pos} in {path}")
        end = pos + _HEADER.size + length + 4
        if end > len(content):
            raise errors.DataLossError(None, op, f"truncated record at {pos} in {path}")
        data = content[pos + _HEADER.size:end - 4]
        (data_crc,) = struct.unpack_from("<I", content, end - 4)
        if mask(crc32c(data)) != data_crc:
            raise errors.DataLossError(None, op, f"corrupted record at {pos} in {path}")
        yield data
        pos = end


class RecordFile:
    """An open TFRecord file being written: framed records, compressed on close/flush."""

    def __init__(self, path, compression=""):
        self.path, self.compression = os.fspath(path), check_compression(compression)
        self._file = open(self.path, "wb")
        self._zlib = zlib.compressobj() if self.compression == "ZLIB" else None
        self._gzip = gzip.GzipFile(fileobj=self._file, mode="wb") \
            if self.compression == "GZIP" else None

    def write(self, record):
        framed = encode_record(record)
        if self._gzip is not None:
            self._gzip.write(framed)
        elif self._zlib is not None:
            self._file.write(self._zlib.compress(framed))
        else:
            self._file.write(framed)

    def flush(self):
        if self._gzip is not None:
            self._gzip.flush()
        elif self._zlib is not None:
            self._file.write(self._zlib.flush(zlib.Z_SYNC_FLUSH))
        self._file.flush()

    def close(self):
        if self._file.closed:
            return
        if self._gzip is not None:
            self._gzip.close()
        elif self._zlib is not None:
            self._file.write(self._zlib.flush())
        self._file.close()
