"""``tf.contrib.lookup``: the TF 1.x table API legacy text pipelines use
(``tfcompat/ops/lookup_ops.py``)."""
from tfcompat.ops.lookup_ops import (HashTable, KeyValueTensorInitializer,  # noqa: F401
                                     MutableHashTable, TextFileIdTableInitializer,
                                     TextFileIndex, TextFileInitializer,
                                     TextFileStringTableInitializer, index_table_from_file,
                                     index_table_from_tensor, index_to_string,
                                     index_to_string_table_from_file,
                                     index_to_string_table_from_tensor)

__all__ = ["HashTable", "KeyValueTensorInitializer", "MutableHashTable",
           "TextFileIdTableInitializer", "TextFileIndex", "TextFileInitializer",
           "TextFileStringTableInitializer", "index_table_from_file", "index_table_from_tensor",
           "index_to_string", "index_to_string_table_from_file",
           "index_to_string_table_from_tensor"]


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.contrib.lookup' has no attribute '{name}': "
                         f"tfcompat does not implement tf.contrib.lookup.{name} yet")
