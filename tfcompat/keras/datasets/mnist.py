"""``tf.keras.datasets.mnist.load_data`` as in TF 1.x's Keras.

Keras reads ``mnist.npz`` (uint8 arrays ``x_train``, ``y_train``, ``x_test``, ``y_test``) from its
cache folder, ``$KERAS_HOME/datasets`` or ``~/.keras/datasets``, downloading it when missing.
Here a missing npz is built from the four MNIST IDX files, fetched as
``input_data.read_data_sets`` fetches them (``TFCOMPAT_MNIST_SOURCE`` or the CVDF mirror, size
and SHA-256 checked), and cached there atomically.
"""
import os
import tempfile
import zipfile
import zlib

import numpy

from tfcompat.examples.tutorials.mnist import input_data

# npz array name, IDX file it is built from, that file's magic number and kind.
_ARRAYS = (
    ("x_train", input_data.TRAIN_IMAGES, input_data.IMAGES_MAGIC, "image"),
    ("y_train", input_data.TRAIN_LABELS, input_data.LABELS_MAGIC, "label"),
    ("x_test", input_data.TEST_IMAGES, input_data.IMAGES_MAGIC, "image"),
    ("y_test", input_data.TEST_LABELS, input_data.LABELS_MAGIC, "label"),
)
_ARRAY_NAMES = tuple(row[0] for row in _ARRAYS)


def _cache_dir():
    keras_home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return os.path.join(keras_home, "datasets")


def _build_npz(npz_path):
    directory = os.path.dirname(npz_path)
    os.makedirs(directory, exist_ok=True)
    arrays = {}
    with tempfile.TemporaryDirectory(dir=directory, prefix=".mnist-idx-") as idx_dir:
        for array_name, filename, magic, kind in _ARRAYS:
            try:
                path = input_data.maybe_download(filename, idx_dir)
            except input_data.MNISTUnavailableError as exc:
                raise input_data.MNISTUnavailableError(
                    f"MNIST data unavailable: {npz_path} does not exist and fetching "
                    f"{exc.location} failed ({exc.reason}).\nPut an mnist.npz with uint8 arrays "
                    f"{', '.join(_ARRAY_NAMES)} there, or {input_data.source_hint()}",
                    exc.location, exc.reason) from None
            with open(path, "rb") as f:
                arrays[array_name] = input_data.read_idx(f, magic, kind)
    input_data.write_atomically(npz_path, lambda f: numpy.savez_compressed(f, **arrays))


def load_data(path="mnist.npz"):
    """Returns ``(x_train, y_train), (x_test, y_test)``: uint8 arrays of shapes (60000, 28, 28),
    (60000,), (10000, 28, 28) and (10000,).

    ``path`` is relative to the Keras cache folder (an absolute one is used as is). Raises
    ``input_data.MNISTUnavailableError`` (an OSError) when the npz is missing and the IDX files
    cannot be fetched, ValueError when the npz cannot be read or lacks an array.
    """
    npz_path = os.path.join(_cache_dir(), os.path.expanduser(path))
    if not os.path.exists(npz_path):
        _build_npz(npz_path)
    x_train, y_train, x_test, y_test = _read_npz(npz_path)
    return (x_train, y_train), (x_test, y_test)


def _read_npz(npz_path):
    try:
        # Opened here, not by numpy.load, which leaks its handle when the archive is damaged.
        # allow_pickle stays False: loading never runs code.
        with open(npz_path, "rb") as f, numpy.load(f) as npz:
            return [npz[name] for name in _ARRAY_NAMES]
    # KeyError: an array is missing; TypeError: a .npy, not an archive; the rest: damaged data.
    except (KeyError, TypeError, OSError, ValueError, zipfile.BadZipFile, zlib.error) as exc:
        reason = exc.args[0] if exc.args else type(exc).__name__
        raise ValueError(f"{npz_path} is not a readable MNIST npz ({reason}): it must hold the "
                         f"uint8 arrays {', '.join(_ARRAY_NAMES)}. Delete it to have it rebuilt "
                         f"from the IDX files.") from None
