"""``tf.contrib.learn.datasets``: ``load_dataset`` ("iris", "mnist"), ``base`` (CSV loaders,
Dataset/Datasets, load_iris) and ``mnist`` (read_data_sets), as in TF 1.15."""
from tfcompat.contrib.learn.datasets import base, mnist  # noqa: F401

DATASETS = {"iris": base.load_iris, "mnist": mnist.load_mnist}

_NOT_BUNDLED = ("boston", "dbpedia")


def load_dataset(name, size="small", test_with_fake_data=False):
    """The data set ``name``: a ``base.Dataset`` for "iris", ``base.Datasets`` for "mnist"
    (read from ./MNIST-data, downloaded when missing as TF does)."""
    if name in _NOT_BUNDLED:
        raise NotImplementedError(f"tfcompat does not implement "
                                  f"tf.contrib.learn.datasets.load_dataset('{name}') yet")
    if name not in DATASETS:
        raise ValueError(f"Name of dataset is not found: {name}")
    return DATASETS[name]()


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.contrib.learn.datasets' has no attribute "
                         f"'{name}': tfcompat does not implement "
                         f"tf.contrib.learn.datasets.{name} yet")
