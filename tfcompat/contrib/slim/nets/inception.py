"""``slim.nets.inception`` (TF 1.15 contrib/slim/python/slim/nets/inception.py): the Inception
networks under one namespace (inception_v1 and inception_v3; inception_v2 is not
implemented yet)."""
from tfcompat.contrib.slim.nets.inception_v1 import (inception_v1,  # noqa: F401
                                                     inception_v1_arg_scope,
                                                     inception_v1_base)
from tfcompat.contrib.slim.nets.inception_v3 import (inception_v3,  # noqa: F401
                                                     inception_v3_arg_scope,
                                                     inception_v3_base)

__all__ = ["inception_v1", "inception_v1_arg_scope", "inception_v1_base", "inception_v3",
           "inception_v3_arg_scope", "inception_v3_base"]


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.contrib.slim.nets.inception' has no attribute "
                         f"'{name}': tfcompat does not implement "
                         f"tf.contrib.slim.nets.inception.{name} yet")
