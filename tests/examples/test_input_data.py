"""Tests of the TF 1.x MNIST loader (tensorflow.examples.tutorials.mnist.input_data).

Real-data tests read the original MNIST files from <repo>/../shared/data/mnist; without them they
are skipped, or fail when the CI environment variable is set.
"""
import functools
import gzip
import hashlib
import http.server
import socket
import struct
import threading
from pathlib import Path

import numpy as np
import pytest

from tfcompat.examples.tutorials.mnist import input_data
from tfcompat.framework import dtypes



@pytest.fixture(autouse=True)
def _no_source_override(monkeypatch):
    monkeypatch.delenv(input_data.SOURCE_ENV_VAR, raising=False)


@pytest.fixture(scope="module")
def mnist_dir(mnist_source, tmp_path_factory):
    """A train_dir with links to the real files, so nothing is fetched."""
    train_dir = tmp_path_factory.mktemp("mnist")
    for name in input_data.FILENAMES:
        (train_dir / name).symlink_to(mnist_source / name)
    return train_dir


@pytest.fixture(scope="module")
def mnist(mnist_dir):
    """Default read_data_sets: float32 flattened images, uint8 labels. Never batched from."""
    return input_data.read_data_sets(str(mnist_dir))


@pytest.fixture(scope="module")
def raw_train_images(mnist_dir):
    with open(mnist_dir / input_data.TRAIN_IMAGES, "rb") as f:
        return input_data.extract_images(f)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def http_source():
    """Serves a folder over HTTP on 127.0.0.1; returns serve(folder) -> base URL."""
    servers = []

    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    def serve(folder):
        handler = functools.partial(QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


def write_idx(path, magic, shape, data_size=None, extra=b""):
    """Writes a gzipped IDX file whose header declares ``shape``; ``data_size`` bytes follow."""
    if data_size is None:
        data_size = int(np.prod(shape))
    header = struct.pack(f">{1 + len(shape)}I", magic, *shape)
    payload = header + bytes(i % 10 for i in range(data_size)) + extra
    path.write_bytes(gzip.compress(payload))
    return path


# IDX parsing -------------------------------------------------------------------------------


def read(path, magic=input_data.IMAGES_MAGIC, kind="image"):
    with open(path, "rb") as f:
        return input_data.read_idx(f, magic, kind)


def test_read_idx_valid(tmp_path):
    images = read(write_idx(tmp_path / "i.gz", 2051, (3, 2, 4)))
    assert images.shape == (3, 2, 4) and images.dtype == np.uint8
    assert images.ravel().tolist() == [i % 10 for i in range(24)]
    labels = read(write_idx(tmp_path / "l.gz", 2049, (5,)), input_data.LABELS_MAGIC, "label")
    assert labels.tolist() == [0, 1, 2, 3, 4]


def test_read_idx_bad_magic(tmp_path):
    path = write_idx(tmp_path / "labels.gz", 2051, (3, 2, 2))
    with pytest.raises(ValueError, match=r"Invalid magic number 2051 in MNIST label file: "
                                         r".*labels\.gz \(expected 2049\)"):
        read(path, input_data.LABELS_MAGIC, "label")


@pytest.mark.parametrize("data_size, message", [
    (5, r"truncated: its header declares shape \(3, 2, 2\), 12 bytes of data, but only 5"),
    (12 + 3, r"wrong size: its header declares shape \(3, 2, 2\), 12 bytes of data, but 15"),
])
def test_read_idx_size_mismatch(tmp_path, data_size, message):
    path = write_idx(tmp_path / "images.gz", 2051, (3, 2, 2), data_size=data_size)
    with pytest.raises(ValueError, match=f"images.gz.*{message}"):
        read(path)


def test_read_idx_truncated_header(tmp_path):
    path = tmp_path / "images.gz"
    path.write_bytes(gzip.compress(struct.pack(">2I", 2051, 3)))
    with pytest.raises(ValueError, match=r"images\.gz is truncated: 8 bytes, less than its "
                                         r"16-byte IDX header"):
        read(path)


def test_read_idx_bad_gzip(tmp_path):
    plain = tmp_path / "plain.gz"
    plain.write_bytes(struct.pack(">4I", 2051, 1, 1, 1) + b"\0")
    with pytest.raises(ValueError, match=r"plain\.gz is not a valid gzip file"):
        read(plain)
    cut = tmp_path / "cut.gz"
    cut.write_bytes(write_idx(tmp_path / "whole.gz", 2051, (10, 28, 28)).read_bytes()[:-20])
    with pytest.raises(ValueError, match=r"cut\.gz is not a valid gzip file"):
        read(cut)


def test_damaged_file_in_train_dir_names_it(mnist_dir, tmp_path):
    for name in input_data.FILENAMES:
        (tmp_path / name).symlink_to(mnist_dir / name)
    (tmp_path / input_data.TRAIN_LABELS).unlink()
    write_idx(tmp_path / input_data.TRAIN_LABELS, 2049, (60000,), data_size=59999)
    with pytest.raises(ValueError, match=f"{input_data.TRAIN_LABELS} is truncated"):
        input_data.read_data_sets(str(tmp_path), dtype=dtypes.uint8)


def test_one_hot_rejects_out_of_range_labels():
    assert input_data.dense_to_one_hot(np.array([2, 0]), 3).tolist() == [[0, 0, 1], [1, 0, 0]]
    with pytest.raises(ValueError, match="label 10 is out of range for 10 classes"):
        input_data.dense_to_one_hot(np.array([1, 10]), 10)


# Real data --------------------------------------------------------------------------------


def test_shapes_and_ranges(mnist):
    for data_set, n in ((mnist.train, 55000), (mnist.validation, 5000), (mnist.test, 10000)):
        assert data_set.num_examples == n
        assert data_set.images.shape == (n, 784) and data_set.images.dtype == np.float32
        assert data_set.labels.shape == (n,) and data_set.labels.dtype == np.uint8
        assert data_set.images.min() == 0.0 and data_set.images.max() == 1.0
        assert set(np.unique(data_set.labels)) == set(range(10))
        assert data_set.epochs_completed == 0


def test_prints_extracting(mnist_dir, capsys):
    input_data.read_data_sets(str(mnist_dir), dtype=dtypes.uint8)
    out = capsys.readouterr().out
    assert f"Extracting {mnist_dir / input_data.TRAIN_IMAGES}" in out.splitlines()
    assert "Successfully downloaded" not in out


def test_validation_is_first_training_examples(mnist, raw_train_images):
    def scaled(rows):  # TF's float32 images: uint8 times a float32 1/255
        return raw_train_images[rows].reshape(-1, 784).astype(np.float32) * np.float32(1 / 255)

    np.testing.assert_array_equal(mnist.validation.images, scaled(slice(0, 5000)))
    rows = [0, 1, 31234, 54999]
    np.testing.assert_array_equal(mnist.train.images[rows], scaled([5000 + i for i in rows]))


def test_validation_size(mnist_dir, raw_train_images):
    data = input_data.read_data_sets(str(mnist_dir), dtype="uint8", validation_size=0)
    assert data.validation.num_examples == 0 and data.train.num_examples == 60000
    np.testing.assert_array_equal(data.train.images, raw_train_images.reshape(60000, 784))
    for size in (-1, 60001):
        with pytest.raises(ValueError, match=r"Validation size should be between 0 and 60000\. "
                                             f"Received: {size}"):
            input_data.read_data_sets(str(mnist_dir), validation_size=size)


def test_one_hot_uint8_unreshaped(mnist, mnist_dir, raw_train_images):
    data = input_data.read_data_sets(str(mnist_dir), one_hot=True, dtype=dtypes.uint8,
                                     reshape=False)
    assert data.train.images.shape == (55000, 28, 28, 1) and data.train.images.dtype == np.uint8
    np.testing.assert_array_equal(data.validation.images, raw_train_images[:5000])
    assert data.train.images.max() == 255
    labels = data.train.labels
    assert labels.shape == (55000, 10) and labels.dtype == np.float64
    assert (labels.sum(axis=1) == 1).all() and set(np.unique(labels)) == {0.0, 1.0}
    np.testing.assert_array_equal(labels.argmax(axis=1), mnist.train.labels)


@pytest.mark.parametrize("dtype", [dtypes.float64, dtypes.int32, "float16", np.int64])
def test_invalid_dtype(dtype):
    with pytest.raises(TypeError, match="Invalid image dtype .*, expected uint8 or float32"):
        input_data.read_data_sets("unused", fake_data=True, dtype=dtype)


def test_fake_data():
    data = input_data.read_data_sets("unused", fake_data=True, one_hot=True)
    assert data.train.num_examples == data.validation.num_examples == 10000
    images, labels = data.train.next_batch(3, fake_data=True)
    assert images == [[1] * 784] * 3 and labels == [[1] + [0] * 9] * 3
    _, labels = input_data.read_data_sets("unused", fake_data=True).test.next_batch(
        2, fake_data=True)
    assert labels == [0, 0]


# next_batch --------------------------------------------------------------------------------


def indexed_set(n, seed=None):
    """A uint8 DataSet whose example i has every pixel equal to i and label i."""
    images = np.repeat(np.arange(n, dtype=np.uint8), 4).reshape(n, 2, 2, 1)
    return input_data.DataSet(images, np.arange(n, dtype=np.uint8), dtype=dtypes.uint8,
                              seed=seed)


def batch_ids(data_set, batch_size, **kwargs):
    images, labels = data_set.next_batch(batch_size, **kwargs)
    np.testing.assert_array_equal(images, np.repeat(labels[:, None], 4, axis=1))
    return labels.tolist()


def test_every_epoch_is_a_permutation():
    data_set = indexed_set(10)
    stream, epochs = [], []
    for _ in range(20):
        batch = batch_ids(data_set, 3)
        assert len(batch) == 3
        stream += batch
        epochs.append(data_set.epochs_completed)
    for start in range(0, 60, 10):
        assert sorted(stream[start:start + 10]) == list(range(10))
    # The counter moves with the batch that crosses into the next epoch: the 4th, 7th, 11th...;
    # the 10th ends exactly at the end of the third epoch and leaves it at 2.
    assert epochs == [0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 5]


def test_crossing_batch_carries_the_rest_of_the_epoch():
    data_set = indexed_set(10, seed=7)
    first = batch_ids(data_set, 7)
    crossing = batch_ids(data_set, 5)
    assert data_set.epochs_completed == 1
    assert sorted(first + crossing[:3]) == list(range(10))
    following = batch_ids(data_set, 8)
    assert sorted(crossing[3:] + following) == list(range(10))


def test_epoch_counted_lazily_at_exact_end():
    data_set = indexed_set(10)
    batch_ids(data_set, 5)
    batch_ids(data_set, 5)
    assert data_set.epochs_completed == 0
    assert len(batch_ids(data_set, 5)) == 5
    assert data_set.epochs_completed == 1


def test_no_shuffle_keeps_order():
    data_set = indexed_set(5)
    assert [batch_ids(data_set, 3, shuffle=False) for _ in range(3)] == [
        [0, 1, 2], [3, 4, 0], [1, 2, 3]]
    assert data_set.epochs_completed == 1


def test_seeded_shuffles_follow_tf():
    """Reference: shuffle at the first call, reshuffle the current order at each crossing."""
    n, seed, batch_size = 10, 1234, 4
    rng = np.random.RandomState(seed)
    order = np.arange(n)[rng.permutation(n)]
    expected, position = [], 0
    for _ in range(6):
        if position + batch_size > n:
            rest = order[position:].tolist()
            order = order[rng.permutation(n)]
            position = batch_size - len(rest)
            expected.append(rest + order[:position].tolist())
        else:
            expected.append(order[position:position + batch_size].tolist())
            position += batch_size
    data_set = indexed_set(n, seed=seed)
    assert [batch_ids(data_set, batch_size) for _ in range(6)] == expected
    assert indexed_set(n, seed=seed).next_batch(batch_size)[1].tolist() == expected[0]


def test_real_data_batches(mnist_dir):
    data = input_data.read_data_sets(str(mnist_dir), dtype=dtypes.uint8, seed=1)
    train = data.train
    pixel_sums, label_counts = train.images.sum(axis=0), np.bincount(train.labels)
    batches = [train.next_batch(1000) for _ in range(55)]
    assert all(images.shape == (1000, 784) and labels.shape == (1000,)
               for images, labels in batches)
    assert train.epochs_completed == 0
    # One epoch holds each example once: same per-pixel sums and label counts as the whole set.
    np.testing.assert_array_equal(sum(images.sum(axis=0) for images, _ in batches), pixel_sums)
    np.testing.assert_array_equal(np.bincount(np.concatenate([b[1] for b in batches])),
                                  label_counts)
    images, _ = train.next_batch(100)
    assert images.shape == (100, 784) and train.epochs_completed == 1


# Fetching ----------------------------------------------------------------------------------


def fetched_correctly(train_dir, mnist_source):
    return all((train_dir / name).read_bytes() == (mnist_source / name).read_bytes()
               for name in input_data.FILENAMES)


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name not in input_data.FILENAMES)


@pytest.mark.parametrize("as_uri", [False, True], ids=["folder", "file-url"])
def test_local_sources(mnist_source, tmp_path, monkeypatch, capsys, as_uri):
    source = mnist_source.as_uri() if as_uri else str(mnist_source)
    monkeypatch.setenv(input_data.SOURCE_ENV_VAR, source)
    train_dir = tmp_path / "new" / "dir"
    for name in input_data.FILENAMES:
        assert input_data.maybe_download(name, str(train_dir)) == str(train_dir / name)
    assert fetched_correctly(train_dir, mnist_source) and leftovers(train_dir) == []
    assert oct((train_dir / input_data.TRAIN_LABELS).stat().st_mode & 0o777) == "0o644"
    out = capsys.readouterr().out
    assert "Successfully downloaded train-labels-idx1-ubyte.gz 28902 bytes." in out


def test_http_download(mnist_source, mnist, tmp_path, http_source, capsys):
    url = http_source(mnist_source)
    data = input_data.read_data_sets(str(tmp_path), source_url=url, validation_size=100)
    assert fetched_correctly(tmp_path, mnist_source) and leftovers(tmp_path) == []
    np.testing.assert_array_equal(data.test.images, mnist.test.images)
    np.testing.assert_array_equal(data.train.labels, np.concatenate(
        [mnist.validation.labels[100:], mnist.train.labels]))
    out = capsys.readouterr().out
    assert out.count("Successfully downloaded") == 4 and out.count("Extracting") == 4


def test_env_var_wins_over_source_url(mnist_source, tmp_path, monkeypatch, http_source):
    monkeypatch.setenv(input_data.SOURCE_ENV_VAR, http_source(mnist_source))
    closed = f"http://127.0.0.1:{free_port()}/"
    path = input_data.maybe_download(input_data.TEST_LABELS, str(tmp_path), closed)
    assert Path(path).read_bytes() == (mnist_source / input_data.TEST_LABELS).read_bytes()


def test_checksum_failure_writes_nothing(mnist_source, tmp_path, monkeypatch):
    source = tmp_path / "source"
    source.mkdir()
    corrupted = bytearray((mnist_source / input_data.TRAIN_LABELS).read_bytes())
    corrupted[1000] ^= 0xFF
    (source / input_data.TRAIN_LABELS).write_bytes(corrupted)
    monkeypatch.setenv(input_data.SOURCE_ENV_VAR, source.as_uri())
    train_dir = tmp_path / "train"
    digest = hashlib.sha256(corrupted).hexdigest()
    with pytest.raises(ValueError, match=f"Checksum mismatch for {input_data.TRAIN_LABELS} "
                                         f"fetched from .*: got 28902 bytes with SHA-256 {digest}, "
                                         f"expected 28881 bytes with SHA-256 3552534a"):
        input_data.maybe_download(input_data.TRAIN_LABELS, str(train_dir))
    assert list(train_dir.iterdir()) == []


def test_write_atomically(tmp_path):
    path = tmp_path / "data.bin"
    path.write_bytes(b"old")

    def fail_midway(f):
        f.write(b"partial")
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError, match="disk on fire"):
        input_data.write_atomically(str(path), fail_midway)
    assert path.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["data.bin"]
    input_data.write_atomically(str(path), lambda f: f.write(b"new"))
    assert path.read_bytes() == b"new" and [p.name for p in tmp_path.iterdir()] == ["data.bin"]


def test_offline_error(tmp_path, monkeypatch):
    port = free_port()
    monkeypatch.setenv(input_data.SOURCE_ENV_VAR, f"http://127.0.0.1:{port}/mnist")
    write_idx(tmp_path / input_data.TEST_LABELS, 2049, (1,))
    with pytest.raises(input_data.MNISTUnavailableError) as info:
        input_data.read_data_sets(str(tmp_path))
    error = info.value
    assert isinstance(error, OSError)
    assert error.__cause__ is None and error.__suppress_context__
    message = str(error)
    assert message.startswith(f"MNIST data unavailable: could not fetch http://127.0.0.1:{port}"
                              f"/mnist/train-images-idx3-ubyte.gz (")
    assert "refused" in message.lower()
    assert ("Needed files: train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
            "t10k-images-idx3-ubyte.gz.") in message
    assert f"Copy them into {tmp_path}, or set TFCOMPAT_MNIST_SOURCE to a folder" in message
    assert "urllib" not in message and "Traceback" not in message
    assert leftovers(tmp_path) == []


def test_missing_file_on_server(tmp_path, http_source):
    url = http_source(tmp_path)
    with pytest.raises(input_data.MNISTUnavailableError, match="HTTP error 404"):
        input_data.maybe_download(input_data.TEST_LABELS, str(tmp_path / "train"), url)


def test_missing_local_source(tmp_path, monkeypatch):
    monkeypatch.setenv(input_data.SOURCE_ENV_VAR, str(tmp_path / "nowhere"))
    with pytest.raises(input_data.MNISTUnavailableError, match="No such file or directory"):
        input_data.maybe_download(input_data.TEST_LABELS, str(tmp_path / "train"))
