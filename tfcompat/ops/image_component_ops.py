"""``ImageConnectedComponents`` (TF 1.15 contrib/image kernels; ``tf.contrib.image.
connected_components``): in each image of a [batch, height, width] tensor, the pixels
joined by up/down/left/right neighbours of the same nonzero value form a component; every
pixel gets the component's id, the flat index (over the whole batch) of its first pixel in
row-major order plus one, and zero pixels get 0. Not differentiable, as in TF.
"""
import numpy as np
from scipy import ndimage

from tfcompat.framework import dtypes, errors, ops
from tfcompat.framework.op_def import OpDef, make_tensor, register_op

__all__ = []

_FOUR_NEIGHBOURS = ndimage.generate_binary_structure(2, 1)


def _components_of(image, offset):
    """int64 ids of one image's components (``offset`` = its first pixel's flat index)."""
    ids = np.zeros(image.shape, np.int64)
    flat_index = np.arange(image.size, dtype=np.int64).reshape(image.shape) + offset + 1
    zero = b"" if image.dtype == object else np.zeros((), image.dtype)  # strings: b""
    nonzero = image != zero
    for value in np.unique(image[nonzero]):
        labels, count = ndimage.label(image == value, structure=_FOUR_NEIGHBOURS)
        if count:
            first = ndimage.minimum(flat_index, labels, np.arange(1, count + 1))
            ids[labels > 0] = np.asarray(first, np.int64)[labels[labels > 0] - 1]
    return ids


@register_op
class ImageConnectedComponents(OpDef):
    """image [batch, height, width] (any dtype; zero is background) -> int64 ids."""

    differentiable = False

    def infer(self, op):
        image = op.inputs[0]
        if image.shape.ndims not in (None, 3):
            raise ValueError(f"Shape must be rank 3 but is rank {image.shape.ndims} for "
                             f"'{op.name}' (op: '{op.type}') with input shapes: "
                             f"{image.shape}.")
        return [(image.shape, dtypes.int64)]

    def kernel(self, op, ctx):
        def image_connected_components(images):
            if images.ndim != 3:
                raise errors.InvalidArgumentError(None, op, "Input images must have rank 3")
            pixels = images.shape[1] * images.shape[2]
            return np.stack([_components_of(image, b * pixels)
                             for b, image in enumerate(images)]) if len(images) else (
                np.zeros(images.shape, np.int64))
        return image_connected_components


def image_connected_components(image, name=None):
    """The raw op (``gen_image_ops.image_connected_components``)."""
    image = ops.convert_to_tensor(image, name="image")
    return make_tensor("ImageConnectedComponents", [image], {"dtype": image.dtype.base_dtype},
                       name=name or "ImageConnectedComponents")
