"""tf.python_io: TFRecord files byte-identical to TF's, readable with TF's compression."""
from pathlib import Path

import pytest

import tfcompat as tf

TF_WRITTEN = Path(__file__).parent / "lib" / "io" / "tf_written"
RECORDS = [b"abc", b"", b"x" * 300]


def test_writer_output_is_byte_identical_to_tensorflow(tmp_path):
    path = tmp_path / "mine.tfrecord"
    with tf.python_io.TFRecordWriter(str(path)) as writer:
        for record in RECORDS:
            writer.write(record)
    assert path.read_bytes() == (TF_WRITTEN / "rec_None.tfrecord").read_bytes()


@pytest.mark.parametrize("compression", ["GZIP", "ZLIB"])
def test_reads_files_tensorflow_compressed_and_round_trips(tmp_path, compression):
    options = tf.python_io.TFRecordOptions(compression)
    tf_file = TF_WRITTEN / f"rec_{compression}.tfrecord"
    assert list(tf.python_io.tf_record_iterator(str(tf_file), options)) == RECORDS
    path = tmp_path / "mine.tfrecord"
    code = getattr(tf.python_io.TFRecordCompressionType, compression)
    with tf.python_io.TFRecordWriter(str(path), tf.python_io.TFRecordOptions(code)) as writer:
        for record in RECORDS:
            writer.write(record)
    assert list(tf.python_io.tf_record_iterator(str(path), options)) == RECORDS


def test_corrupted_record_is_a_data_loss_error(tmp_path):
    data = bytearray((TF_WRITTEN / "rec_None.tfrecord").read_bytes())
    data[14] ^= 0xFF  # inside the first record's payload
    path = tmp_path / "bad.tfrecord"
    path.write_bytes(bytes(data))
    with pytest.raises(tf.errors.DataLossError):
        list(tf.python_io.tf_record_iterator(str(path)))
    with pytest.raises(tf.errors.NotFoundError):
        list(tf.python_io.tf_record_iterator(str(tmp_path / "missing")))
