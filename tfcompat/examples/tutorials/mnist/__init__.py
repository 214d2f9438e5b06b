"""``tensorflow.examples.tutorials.mnist``: exposes ``input_data`` as TF 1.x did."""
from tfcompat.examples.tutorials.mnist import input_data  # noqa: F401
