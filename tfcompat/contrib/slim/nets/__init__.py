"""``tf.contrib.slim.nets`` (TF 1.15 contrib/slim/nets.py): the slim model definitions
alexnet, vgg, overfeat, inception (inception_v1, inception_v3), resnet_utils, resnet_v1 and
resnet_v2 (inception_v2 is not implemented yet)."""
from tfcompat.contrib.slim.nets import (alexnet, inception, inception_v1,  # noqa: F401
                                        inception_v3, overfeat, resnet_utils, resnet_v1,
                                        resnet_v2, vgg)

__all__ = ["alexnet", "inception", "inception_v1", "inception_v3", "overfeat",
           "resnet_utils", "resnet_v1", "resnet_v2", "vgg"]


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.contrib.slim.nets' has no attribute '{name}': "
                         f"tfcompat does not implement tf.contrib.slim.nets.{name} yet")
