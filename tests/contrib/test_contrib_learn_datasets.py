"""tf.contrib.learn.datasets: base.load_csv_with_header / without_header (TF 1.15's
header convention and target_column), the bundled iris data, load_dataset and the MNIST
reader re-exported from the tutorials module."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.examples.tutorials.mnist import input_data

datasets = tf.contrib.learn.datasets


def test_load_csv_with_header(tmp_path):
    path = tmp_path / "with_header.csv"
    path.write_text("3,2,ignored,names\n1.5,2,0\n3,4.25,1\n-1,0,1\n")
    dataset = datasets.base.load_csv_with_header(str(path), np.int32, np.float32)
    assert isinstance(dataset, datasets.base.Dataset)
    np.testing.assert_array_equal(dataset.data, np.float32([[1.5, 2], [3, 4.25], [-1, 0]]))
    assert dataset.target.dtype == np.int32
    np.testing.assert_array_equal(dataset.target, [0, 1, 1])
    first = datasets.base.load_csv_with_header(str(path), np.float64, np.float64,
                                               target_column=0)
    np.testing.assert_array_equal(first.target, [1.5, 3, -1])
    np.testing.assert_array_equal(first.data, [[2, 0], [4.25, 1], [0, 1]])


def test_load_csv_without_header(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("a,1,2\nb,3,4\n")
    dataset = datasets.base.load_csv_without_header(str(path), str, np.int64, target_column=0)
    np.testing.assert_array_equal(dataset.data, [[1, 2], [3, 4]])
    assert dataset.data.dtype == np.int64
    assert list(dataset.target) == ["a", "b"]


def test_load_iris_and_load_dataset():
    iris = datasets.load_dataset("iris")
    assert iris.data.shape == (150, 4) and iris.target.shape == (150,)
    assert iris.data.dtype == np.float64 and iris.target.dtype.kind == "i"
    np.testing.assert_array_equal(iris.data[0], [5.1, 3.5, 1.4, 0.2])
    np.testing.assert_array_equal(np.bincount(iris.target), [50, 50, 50])
    # the UCI copy TF bundled (rows 35 and 38 differ from Fisher's paper): its column means
    np.testing.assert_allclose(iris.data.mean(axis=0), [5.8433, 3.054, 3.7587, 1.1987],
                               atol=1e-4)
    np.testing.assert_array_equal(datasets.base.load_iris().data, iris.data)
    with pytest.raises(ValueError, match="Name of dataset is not found: nope"):
        datasets.load_dataset("nope")
    with pytest.raises(NotImplementedError, match="does not implement"):
        datasets.load_dataset("boston")
    with pytest.raises(AttributeError, match="does not implement"):
        datasets.base.load_boston  # noqa: B018


def test_mnist_is_the_tutorials_reader(mnist_source, tmp_path, monkeypatch):
    assert datasets.mnist.read_data_sets is input_data.read_data_sets
    fake = datasets.mnist.read_data_sets(str(tmp_path), fake_data=True)
    assert isinstance(fake, datasets.base.Datasets)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TFCOMPAT_MNIST_SOURCE", str(mnist_source))
    mnist = datasets.load_dataset("mnist")
    assert (mnist.train.num_examples, mnist.validation.num_examples,
            mnist.test.num_examples) == (55000, 5000, 10000)
    assert (tmp_path / "MNIST-data" / "train-images-idx3-ubyte.gz").exists()
