"""``tf.contrib.image`` (TF 1.15): projective transforms of images — ``transform``,
``rotate``, ``translate`` and the transform helpers — ``connected_components``,
``dense_image_warp``, ``interpolate_spline`` and ``sparse_image_warp``."""
from tfcompat.contrib.image.dense_image_warp import dense_image_warp  # noqa: F401
from tfcompat.contrib.image.interpolate_spline import interpolate_spline  # noqa: F401
from tfcompat.contrib.image.sparse_image_warp import sparse_image_warp  # noqa: F401
from tfcompat.contrib.image.image_ops import (  # noqa: F401
    angles_to_projective_transforms, compose_transforms, connected_components,
    flat_transforms_to_matrices, matrices_to_flat_transforms, rotate, transform, translate,
    translations_to_projective_transforms)


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.contrib.image' has no attribute '{name}': "
                         f"tfcompat does not implement tf.contrib.image.{name} yet")
