"""tf.data file datasets: TFRecordDataset, TextLineDataset, FixedLengthRecordDataset and
Dataset.list_files."""
import numpy as np
import pytest

import tfcompat as tf


def _all(dataset):
    element = dataset.make_one_shot_iterator().get_next()
    out = []
    with tf.Session() as sess:
        try:
            while True:
                out.append(sess.run(element))
        except tf.errors.OutOfRangeError:
            return out


def test_tfrecord_dataset_reads_files_in_order(tmp_path):
    names = []
    for index, compression in enumerate(["", "GZIP"]):
        name = str(tmp_path / f"part{index}.tfrecord")
        options = tf.python_io.TFRecordOptions(compression or None)
        with tf.python_io.TFRecordWriter(name, options) as writer:
            for item in range(3):
                writer.write(f"{index}-{item}".encode())
        names.append(name)
    with tf.Graph().as_default():
        dataset = tf.data.TFRecordDataset(names[:1])
        assert dataset.output_types == tf.string and dataset.output_shapes.as_list() == []
        assert _all(dataset) == [b"0-0", b"0-1", b"0-2"]
        assert _all(tf.data.TFRecordDataset(names[1], compression_type="GZIP")) == [
            b"1-0", b"1-1", b"1-2"]
        missing = tf.data.TFRecordDataset(str(tmp_path / "nope"))
        with pytest.raises(tf.errors.NotFoundError):
            with tf.Session() as sess:
                sess.run(missing.make_one_shot_iterator().get_next())


def test_text_line_and_fixed_length_datasets(tmp_path):
    text = tmp_path / "t.txt"
    text.write_bytes(b"a\r\n\nlast")
    raw = tmp_path / "r.bin"
    raw.write_bytes(b"H" + bytes(range(8)) + b"FF")
    with tf.Graph().as_default():
        assert _all(tf.data.TextLineDataset(str(text))) == [b"a", b"", b"last"]
        chunks = tf.data.FixedLengthRecordDataset(str(raw), 4, header_bytes=1,
                                                  footer_bytes=2)
        assert _all(chunks) == [bytes(range(4)), bytes(range(4, 8))]
        decoded = chunks.map(lambda r: tf.decode_raw(r, tf.uint8))
        np.testing.assert_array_equal(_all(decoded)[1], [4, 5, 6, 7])


def test_list_files_matches_sorted_or_shuffled(tmp_path):
    for name in ("b.txt", "a.txt", "c.dat"):
        (tmp_path / name).write_text(name)
    with tf.Graph().as_default():
        pattern = str(tmp_path / "*.txt")
        assert _all(tf.data.Dataset.list_files(pattern, shuffle=False)) == [
            str(tmp_path / "a.txt").encode(), str(tmp_path / "b.txt").encode()]
        shuffled = _all(tf.data.Dataset.list_files(pattern, seed=4))
        assert sorted(shuffled) == [str(tmp_path / n).encode() for n in ("a.txt", "b.txt")]
        lines = tf.data.Dataset.list_files(pattern, shuffle=False).interleave(
            tf.data.TextLineDataset, cycle_length=2)
        assert _all(lines) == [b"a.txt", b"b.txt"]


def test_batches_of_file_lines_through_skip_take_repeat_and_prefetch(tmp_path):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_bytes(b"h\na1\na2\r\na3\n")
    second.write_bytes(b"b1\nb2")
    lines = [b"h", b"a1", b"a2", b"a3", b"b1", b"b2"]
    expected = (lines[1:6] * 2)
    with tf.Graph().as_default():
        dataset = tf.data.TextLineDataset([str(first), str(second)]).skip(1).take(5) \
            .prefetch(2).repeat(2).batch(3)
        batch = dataset.make_one_shot_iterator().get_next()
        assert batch.shape.as_list() == [None]
        with tf.Session() as sess:
            batches = []
            try:
                while True:
                    batches.append(sess.run(batch))
            except tf.errors.OutOfRangeError:
                pass
    assert [b.tolist() for b in batches] == [expected[i:i + 3] for i in range(0, 10, 3)]
    assert all(isinstance(item, bytes) for b in batches for item in b)
