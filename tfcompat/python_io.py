"""``tf.python_io``: writing and reading TFRecord files (TF 1.x ``lib/io/tf_record.py``)."""
import os

from tfcompat.lib.io import record_io


class TFRecordCompressionType:
    NONE = 0
    ZLIB = 1
    GZIP = 2


_NAMES = {TFRecordCompressionType.NONE: "", TFRecordCompressionType.ZLIB: "ZLIB",
          TFRecordCompressionType.GZIP: "GZIP"}


class TFRecordOptions:
    """``compression_type``: a TFRecordCompressionType or "", "ZLIB", "GZIP"."""

    compression_type_map = _NAMES

    def __init__(self, compression_type=None):
        self.compression_type = compression_type

    @classmethod
    def get_compression_type_string(cls, options):
        if options is None:
            return ""
        if isinstance(options, TFRecordOptions):
            options = options.compression_type
        if options is None:
            return ""
        return record_io.check_compression(_NAMES.get(options, options))


class TFRecordWriter:
    """Writes records to a TFRecord file (a context manager; ``close`` finishes it)."""

    def __init__(self, path, options=None):
        self._file = record_io.RecordFile(
            os.fspath(path), TFRecordOptions.get_compression_type_string(options))

    def write(self, record):
        """Appends one record (bytes; a str is UTF-8 encoded)."""
        self._file.write(record.encode() if isinstance(record, str) else record)

    def flush(self):
        self._file.flush()

    def close(self):
        self._file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


def tf_record_iterator(path, options=None):
    """The records of a TFRecord file, as bytes; DataLossError on a corrupted one."""
    return record_io.iter_records(os.fspath(path),
                                  TFRecordOptions.get_compression_type_string(options))


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow._api.v1.python_io' has no attribute '{name}': "
                         f"tfcompat does not implement tf.python_io.{name} yet")


__all__ = ["TFRecordWriter", "tf_record_iterator", "TFRecordOptions",
           "TFRecordCompressionType"]
