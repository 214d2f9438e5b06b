"""``tf.keras.datasets``: the bundled data sets (only ``mnist`` so far)."""
from tfcompat.keras.datasets import mnist  # noqa: F401
