"""``tf.nest``: TF's utilities for nested structures (``framework/nest.py``)."""
from tfcompat.framework.nest import (assert_same_structure, flatten, is_nested,  # noqa: F401
                                     map_structure, pack_sequence_as)

__all__ = ["assert_same_structure", "flatten", "is_nested", "map_structure",
           "pack_sequence_as"]
