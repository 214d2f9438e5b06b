"""``tf.contrib.learn.datasets.mnist``: the MNIST reader of
``tensorflow.examples.tutorials.mnist.input_data`` (TF 1.x's tutorial module re-exported it)."""
from tfcompat.examples.tutorials.mnist.input_data import (  # noqa: F401
    DataSet, dense_to_one_hot, extract_images, extract_labels, load_mnist, read_data_sets)
