"""``tf.contrib.learn.datasets.base``: TF 1.15's CSV loaders, the ``Dataset``/``Datasets``
tuples and the bundled iris data set."""
import collections
import csv
import io
import os

import numpy as np

from tfcompat.examples.tutorials.mnist.input_data import Datasets  # noqa: F401
from tfcompat.lib.io import file_io

Dataset = collections.namedtuple("Dataset", ["data", "target"])

_DATA_DIR = os.path.join(os.path.dirname(__file__), "data")


def _csv_rows(filename):
    with file_io.GFile(filename, "r") as csv_file:
        return list(csv.reader(io.StringIO(csv_file.read())))


def load_csv_with_header(filename, target_dtype, features_dtype, target_column=-1):
    """A ``Dataset`` from a CSV whose header row starts with the number of samples and of
    features; ``target_column`` (default: the last) of each row is the target."""
    header, *rows = _csv_rows(filename)
    n_samples, n_features = int(header[0]), int(header[1])
    data = np.zeros((n_samples, n_features), dtype=features_dtype)
    target = np.zeros((n_samples,), dtype=target_dtype)
    for index, row in enumerate(rows):
        target[index] = np.asarray(row.pop(target_column), dtype=target_dtype)
        data[index] = np.asarray(row, dtype=features_dtype)
    return Dataset(data=data, target=target)


def load_csv_without_header(filename, target_dtype, features_dtype, target_column=-1):
    """A ``Dataset`` from a header-less CSV; ``target_column`` of each row is the target."""
    data, target = [], []
    for row in _csv_rows(filename):
        target.append(row.pop(target_column))
        data.append(np.asarray(row, dtype=features_dtype))
    return Dataset(data=np.array(data), target=np.array(target, dtype=target_dtype))


def load_iris(data_path=None):
    """Fisher's iris data (150 samples, 4 float features, int targets 0-2), bundled as TF 1.x
    bundled it (``data/iris.csv``), or read from ``data_path``."""
    if data_path is None:
        data_path = os.path.join(_DATA_DIR, "iris.csv")
    return load_csv_with_header(data_path, target_dtype=np.int64, features_dtype=np.float64)


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.contrib.learn.datasets.base' has no attribute "
                         f"'{name}': tfcompat does not implement "
                         f"tf.contrib.learn.datasets.base.{name} yet")
