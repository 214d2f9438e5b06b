"""``tf.contrib.stateless``: TF 1.15's stateless random ops (the ``tf.random.stateless_*``
kernels) under their contrib names."""
from tfcompat.ops.stateless_random_ops import (stateless_multinomial,  # noqa: F401
                                               stateless_random_normal,
                                               stateless_random_uniform,
                                               stateless_truncated_normal)

__all__ = ["stateless_multinomial", "stateless_random_normal", "stateless_random_uniform",
           "stateless_truncated_normal"]
