"""tf.gfile / tf.io.gfile on the local filesystem, and the ReadFile, WriteFile,
MatchingFiles, SerializeTensor and ParseTensor ops."""
import os

import numpy as np
import pytest

import tfcompat as tf


def test_gfile_read_write_and_modes(tmp_path):
    path = str(tmp_path / "notes.txt")
    with tf.gfile.GFile(path, "w") as f:
        f.write("line one\n")
        f.write(b"line two\n")
    assert tf.gfile.Exists(path) and not tf.gfile.IsDirectory(path)
    with tf.gfile.Open(path) as f:
        assert f.readline() == "line one\n"
        assert list(f) == ["line two\n"]
    with tf.io.gfile.GFile(path, "rb") as f:
        assert f.read(4) == b"line" and f.tell() == 4
        f.seek(position=5)
        assert f.read() == b"one\nline two\n"
    with tf.gfile.FastGFile(path, "a") as f:
        f.write("three")
    assert tf.gfile.GFile(path).size() == 23 == tf.gfile.Stat(path).length
    assert not tf.gfile.Stat(path).is_directory
    with pytest.raises(tf.errors.NotFoundError, match="No such file"):
        tf.gfile.GFile(str(tmp_path / "missing")).read()


def test_gfile_directories(tmp_path):
    root = str(tmp_path / "root")
    tf.gfile.MakeDirs(os.path.join(root, "a", "b"))
    tf.gfile.MakeDirs(os.path.join(root, "a"))  # exists: fine
    with pytest.raises(tf.errors.AlreadyExistsError):
        tf.gfile.MkDir(os.path.join(root, "a"))
    tf.io.gfile.mkdir(os.path.join(root, "c"))
    for name in ("x.txt", "a/y.txt", "a/b/z.log"):
        with tf.gfile.GFile(os.path.join(root, name), "w") as f:
            f.write(name)
    assert tf.gfile.ListDirectory(root) == ["a", "c", "x.txt"]
    assert tf.io.gfile.listdir(os.path.join(root, "a")) == ["b", "y.txt"]
    walked = list(tf.gfile.Walk(root))
    assert walked[0] == (root, ["a", "c"], ["x.txt"])
    assert [w[0] for w in walked] == [root, os.path.join(root, "a"),
                                      os.path.join(root, "a", "b"), os.path.join(root, "c")]
    assert list(tf.io.gfile.walk(root, in_order=False))[-1][0] == root
    assert tf.gfile.Glob(os.path.join(root, "*", "*.txt")) == [os.path.join(root, "a", "y.txt")]
    source, target = os.path.join(root, "x.txt"), os.path.join(root, "c", "x.txt")
    tf.gfile.Copy(source, target)
    with pytest.raises(tf.errors.AlreadyExistsError):
        tf.io.gfile.copy(source, target)
    tf.gfile.Rename(target, os.path.join(root, "c", "moved.txt"))
    tf.io.gfile.rename(source, os.path.join(root, "c", "moved.txt"), overwrite=True)
    assert tf.gfile.ListDirectory(os.path.join(root, "c")) == ["moved.txt"]
    tf.gfile.Remove(os.path.join(root, "c", "moved.txt"))
    with pytest.raises(tf.errors.NotFoundError):
        tf.io.gfile.remove(os.path.join(root, "c", "moved.txt"))
    tf.gfile.DeleteRecursively(os.path.join(root, "a"))
    assert not tf.io.gfile.exists(os.path.join(root, "a"))
    tf.io.gfile.rmtree(root)
    with pytest.raises(tf.errors.NotFoundError):
        tf.gfile.ListDirectory(root)


def test_read_write_and_matching_files_ops(tmp_path):
    path = str(tmp_path / "blob.bin")
    with tf.Graph().as_default():
        contents = tf.placeholder(tf.string, [])
        write = tf.write_file(path, contents)
        read = tf.io.read_file(path)
        matches = tf.matching_files(str(tmp_path / "*.bin"))
        assert read.shape.ndims == 0 and write.type == "WriteFile"
        with tf.Session() as sess:
            sess.run(write, {contents: b"\x00\x01data"})
            assert sess.run(read) == b"\x00\x01data"
            sess.run(write, {contents: b"new"})
            assert sess.run(read) == b"new"  # read again on every run
            assert sess.run(matches).tolist() == [path.encode()]
            missing = tf.read_file(str(tmp_path / "none"))
            with pytest.raises(tf.errors.NotFoundError, match="none"):
                sess.run(missing)
        with pytest.raises(ValueError, match="Shape must be rank 0"):
            tf.write_file(["a", "b"], "x")


@pytest.mark.parametrize("value", [np.arange(6, dtype=np.float32).reshape(2, 3),
                                   np.array(7, dtype=np.int64),
                                   np.array([b"ab", b""], dtype=object),
                                   np.array([True, False])])
def test_serialize_and_parse_tensor_round_trip(value):
    dtype = tf.as_dtype(value.dtype) if value.dtype != object else tf.string
    with tf.Graph().as_default():
        serialized = tf.serialize_tensor(tf.constant(value, dtype=dtype))
        parsed = tf.parse_tensor(serialized, dtype)
        with tf.Session() as sess:
            data, back = sess.run([serialized, parsed])
    assert isinstance(data, bytes)
    np.testing.assert_array_equal(back, value)
    assert back.shape == value.shape


def test_serialize_tensor_wire_bytes_and_parse_errors():
    with tf.Graph().as_default():
        data = tf.serialize_tensor(tf.constant([1, 2], dtype=tf.int32))
        # TensorProto: dtype DT_INT32 (field 1 = 3), shape {dim {size 2}}, tensor_content.
        expected = bytes([0x08, 0x03, 0x12, 0x04, 0x12, 0x02, 0x08, 0x02, 0x22, 0x08,
                          1, 0, 0, 0, 2, 0, 0, 0])
        with tf.Session() as sess:
            assert sess.run(data) == expected
            wrong = tf.parse_tensor(data, tf.float32)
            with pytest.raises(tf.errors.InvalidArgumentError, match="Type mismatch"):
                sess.run(wrong)


def test_match_filenames_once_is_a_local_variable(tmp_path):
    for name in ("a.txt", "b.txt", "c.log"):
        (tmp_path / name).write_text(name)
    with tf.Graph().as_default():
        files = tf.train.match_filenames_once(str(tmp_path / "*.txt"))
        assert files.op.name == "matching_filenames"
        assert files in tf.local_variables() and files not in tf.global_variables()
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            assert sess.run(files).tolist() == [str(tmp_path / n).encode()
                                                for n in ("a.txt", "b.txt")]
