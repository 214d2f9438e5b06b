"""``tf.manip``: TF 1.15's manipulation namespace, the tfcompat builders of its names."""
from tfcompat.ops.array_ops import gather_nd, reshape, reverse, scatter_nd, tile  # noqa: F401
from tfcompat.ops.manip_ops import roll  # noqa: F401
