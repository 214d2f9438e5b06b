"""Tests of tf.keras.datasets.mnist.load_data: the npz cache and building it from IDX files.

The build test reads the original MNIST files from <repo>/../shared/data/mnist; without them it
is skipped, or fails when the CI environment variable is set.
"""
import os
import socket

import numpy as np
import pytest

from tfcompat.examples.tutorials.mnist import input_data
from tfcompat.keras.datasets import mnist



@pytest.fixture
def keras_home(tmp_path, monkeypatch):
    """An empty Keras cache; fetching points at a closed port unless a test says otherwise."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setenv(input_data.SOURCE_ENV_VAR, f"http://127.0.0.1:{port}/")
    return tmp_path / "keras"


def small_arrays():
    rng = np.random.RandomState(0)
    return {"x_train": rng.randint(0, 256, (6, 28, 28)).astype(np.uint8),
            "y_train": np.arange(6, dtype=np.uint8),
            "x_test": rng.randint(0, 256, (2, 28, 28)).astype(np.uint8),
            "y_test": np.array([3, 4], dtype=np.uint8)}


def test_builds_and_caches_npz(keras_home, mnist_source, monkeypatch, capsys):
    monkeypatch.setenv(input_data.SOURCE_ENV_VAR, str(mnist_source))
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    assert [(a.shape, a.dtype) for a in (x_train, y_train, x_test, y_test)] == [
        ((60000, 28, 28), np.uint8), ((60000,), np.uint8), ((10000, 28, 28), np.uint8),
        ((10000,), np.uint8)]
    reference = input_data.read_data_sets(str(keras_home / "idx"), dtype="uint8",
                                          reshape=False, validation_size=0)
    np.testing.assert_array_equal(x_train, reference.train.images[..., 0])
    np.testing.assert_array_equal(y_train, reference.train.labels)
    np.testing.assert_array_equal(x_test, reference.test.images[..., 0])
    np.testing.assert_array_equal(y_test, reference.test.labels)
    assert os.listdir(keras_home / "datasets") == ["mnist.npz"]  # no temporary left behind
    assert "Successfully downloaded train-images-idx3-ubyte.gz" in capsys.readouterr().out

    monkeypatch.setenv(input_data.SOURCE_ENV_VAR, str(keras_home / "nowhere"))
    (cached_x_train, _), (_, cached_y_test) = mnist.load_data()
    np.testing.assert_array_equal(cached_x_train, x_train)
    np.testing.assert_array_equal(cached_y_test, y_test)


def test_reads_existing_npz_from_home(tmp_path, monkeypatch):
    monkeypatch.delenv("KERAS_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    arrays = small_arrays()
    (tmp_path / ".keras" / "datasets").mkdir(parents=True)
    np.savez(tmp_path / ".keras" / "datasets" / "digits.npz", **arrays)
    (x_train, y_train), (x_test, y_test) = mnist.load_data("digits.npz")
    for name, loaded in zip(("x_train", "y_train", "x_test", "y_test"),
                            (x_train, y_train, x_test, y_test)):
        np.testing.assert_array_equal(loaded, arrays[name])


def test_absolute_path(keras_home, tmp_path):
    np.savez(tmp_path / "elsewhere.npz", **small_arrays())
    (_, y_train), _ = mnist.load_data(str(tmp_path / "elsewhere.npz"))
    assert y_train.tolist() == list(range(6))


def test_npz_missing_an_array(keras_home):
    arrays = small_arrays()
    del arrays["y_test"]
    (keras_home / "datasets").mkdir(parents=True)
    np.savez(keras_home / "datasets" / "mnist.npz", **arrays)
    with pytest.raises(ValueError, match=r"mnist\.npz is not a readable MNIST npz \(y_test is "
                                         r"not a file in the archive\): it must hold"):
        mnist.load_data()


def test_damaged_npz(keras_home):
    (keras_home / "datasets").mkdir(parents=True)
    (keras_home / "datasets" / "mnist.npz").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ValueError, match=r"mnist\.npz is not a readable MNIST npz .* Delete it"):
        mnist.load_data()


def test_offline_error(keras_home):
    npz_path = keras_home / "datasets" / "mnist.npz"
    with pytest.raises(input_data.MNISTUnavailableError) as info:
        mnist.load_data()
    message = str(info.value)
    assert message.startswith(f"MNIST data unavailable: {npz_path} does not exist and fetching "
                              f"http://127.0.0.1:")
    assert "Put an mnist.npz with uint8 arrays x_train, y_train, x_test, y_test there" in message
    assert "set TFCOMPAT_MNIST_SOURCE to a folder" in message
    assert info.value.__cause__ is None and info.value.__suppress_context__
    assert os.listdir(keras_home / "datasets") == []
