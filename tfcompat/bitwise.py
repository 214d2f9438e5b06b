"""``tf.bitwise``: TF's bitwise namespace (``ops/bitwise_ops.py``)."""
from tfcompat.ops.bitwise_ops import (bitwise_and, bitwise_or, bitwise_xor,  # noqa: F401
                                      invert, left_shift, right_shift)
