"""``tf.lookup``: TF 1.15's lookup tables (``tfcompat/ops/lookup_ops.py``)."""
from tfcompat.ops.lookup_ops import (KeyValueTensorInitializer,  # noqa: F401
                                     StaticHashTable, StaticVocabularyTable, TextFileIndex,
                                     TextFileInitializer)

__all__ = ["KeyValueTensorInitializer", "StaticHashTable", "StaticVocabularyTable",
           "TextFileIndex", "TextFileInitializer"]


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.lookup' has no attribute '{name}': tfcompat does "
                         f"not implement tf.lookup.{name} yet")
