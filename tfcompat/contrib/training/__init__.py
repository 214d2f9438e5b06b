"""``tf.contrib.training`` (the parts TF 1.x distributed code uses): the load-balancing
ps strategies for ``tf.train.replica_device_setter``."""
from tfcompat.contrib.training.device_setter import (  # noqa: F401
    GreedyLoadBalancingStrategy, byte_size_load_fn)


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.contrib.training' has no attribute '{name}': "
                         f"tfcompat does not implement tf.contrib.training.{name} yet")
