"""``tf.contrib.image``'s ops (TF 1.15 ``contrib/image/python/ops/image_ops.py``):
``transform`` (the ImageProjectiveTransformV2 op on images of rank 2, 3 or 4), ``rotate``
(counterclockwise angles in radians, about the image centre), ``translate`` (by [dx, dy]
pixels), the helpers building and composing the 8-number transforms, and
``connected_components`` (ImageConnectedComponents, then TF's renumbering to 1, 2, ...).
"""
from tfcompat.framework import dtypes, ops
from tfcompat.ops import array_ops, array_ops_extra, control_flow_ops, image_component_ops
from tfcompat.ops import math_ops
from tfcompat.ops.image_transform_ops import (IMAGE_DTYPES, flat_transforms_to_matrices,
                                              image_projective_transform_v2,
                                              matrices_to_flat_transforms)

__all__ = ["transform", "rotate", "translate", "compose_transforms", "connected_components",
           "angles_to_projective_transforms", "translations_to_projective_transforms",
           "flat_transforms_to_matrices", "matrices_to_flat_transforms"]


def _as_batch(image_or_images):
    """The images as a [batch, height, width, channels] tensor (TF's rank checks)."""
    if image_or_images.dtype.base_dtype not in IMAGE_DTYPES:
        raise TypeError(f"Invalid dtype {image_or_images.dtype.name}.")
    rank = image_or_images.shape.ndims
    if rank is None:
        raise TypeError("image_or_images rank must be statically known")
    if rank == 2:
        return image_or_images[None, :, :, None]
    if rank == 3:
        return image_or_images[None, :, :, :]
    if rank == 4:
        return image_or_images
    raise TypeError("Images should have rank between 2 and 4.")


def _as_given(output, image_or_images):
    """``output`` [batch, h, w, c] back to the rank of the images given."""
    rank = image_or_images.shape.ndims
    if rank == 2:
        return output[0, :, :, 0]
    if rank == 3:
        return output[0, :, :, :]
    return output


def transform(images, transforms, interpolation="NEAREST", output_shape=None, name=None):
    """Images [batch, h, w, c] (or [h, w, c], [h, w]) resampled through ``transforms`` (one
    [8] or [batch, 8]: output (x, y) reads input ((a0 x + a1 y + a2) / k, (b0 x + b1 y +
    b2) / k), k = c0 x + c1 y + 1), "NEAREST" or "BILINEAR", 0 outside; ``output_shape``
    [new_height, new_width] defaults to the input's."""
    with ops.name_scope(name, "transform"):
        image_or_images = ops.convert_to_tensor(images, name="images")
        transform_or_transforms = ops.convert_to_tensor(transforms, name="transforms",
                                                        dtype=dtypes.float32)
        images = _as_batch(image_or_images)
        if output_shape is None:
            known = images.shape[1:3]
            output_shape = (known.as_list() if known.is_fully_defined()
                            else array_ops.shape(images)[1:3])
        output_shape = ops.convert_to_tensor(output_shape, dtypes.int32, name="output_shape")
        if not output_shape.shape.is_compatible_with([2]):
            raise ValueError("output_shape must be a 1-D Tensor of 2 elements: new_height, "
                             "new_width")
        rank = transform_or_transforms.shape.ndims
        if rank == 1:
            transforms = transform_or_transforms[None]
        elif rank is None:
            raise TypeError("transform_or_transforms rank must be statically known")
        elif rank == 2:
            transforms = transform_or_transforms
        else:
            raise TypeError("Transforms should have rank 1 or 2.")
        output = image_projective_transform_v2(images, transforms, output_shape,
                                               interpolation=interpolation.upper())
        return _as_given(output, image_or_images)


def rotate(images, angles, interpolation="NEAREST", name=None):
    """Images rotated counterclockwise by ``angles`` (radians; a scalar or one per image)
    about their centres, 0 where nothing maps."""
    with ops.name_scope(name, "rotate"):
        image_or_images = ops.convert_to_tensor(images)
        images = _as_batch(image_or_images)
        image_height = math_ops.cast(array_ops.shape(images)[1], dtypes.float32)[None]
        image_width = math_ops.cast(array_ops.shape(images)[2], dtypes.float32)[None]
        output = transform(images, angles_to_projective_transforms(angles, image_height,
                                                                   image_width),
                           interpolation=interpolation)
        return _as_given(output, image_or_images)


def translate(images, translations, interpolation="NEAREST", name=None):
    """Images shifted by ``translations`` [dx, dy] (or one per image), 0 where nothing
    maps."""
    with ops.name_scope(name, "translate"):
        return transform(images, translations_to_projective_transforms(translations),
                         interpolation=interpolation)


def angles_to_projective_transforms(angles, image_height, image_width, name=None):
    """[N, 8] transforms rotating by ``angles`` (radians, counterclockwise) about the centre
    of images of the given height and width."""
    with ops.name_scope(name, "angles_to_projective_transforms"):
        angle_or_angles = ops.convert_to_tensor(angles, name="angles", dtype=dtypes.float32)
        rank = angle_or_angles.shape.ndims
        if rank == 0:
            angles = angle_or_angles[None]
        elif rank == 1:
            angles = angle_or_angles
        else:
            raise TypeError("Angles should have rank 0 or 1.")
        cos, sin = math_ops.cos(angles), math_ops.sin(angles)
        x_offset = ((image_width - 1) - (cos * (image_width - 1)
                                         - sin * (image_height - 1))) / 2.0
        y_offset = ((image_height - 1) - (sin * (image_width - 1)
                                          + cos * (image_height - 1))) / 2.0
        num_angles = array_ops.shape(angles)[0]
        return array_ops.concat(values=[
            cos[:, None], -sin[:, None], x_offset[:, None], sin[:, None], cos[:, None],
            y_offset[:, None],
            array_ops.zeros(array_ops.stack([num_angles, 2]), dtypes.float32)], axis=1)


def translations_to_projective_transforms(translations, name=None):
    """[N, 8] transforms shifting images by ``translations`` ([dx, dy] or [N, 2])."""
    with ops.name_scope(name, "translations_to_projective_transforms"):
        translation_or_translations = ops.convert_to_tensor(translations, name="translations",
                                                            dtype=dtypes.float32)
        rank = translation_or_translations.shape.ndims
        if rank is None:
            raise TypeError("translation_or_translations rank must be statically known")
        if rank == 1:
            translations = translation_or_translations[None]
        elif rank == 2:
            translations = translation_or_translations
        else:
            raise TypeError("Translations should have rank 1 or 2.")
        num_translations = array_ops.shape(translations)[0]

        def filled(value, columns):
            return array_ops.fill(array_ops.stack([num_translations, columns]),
                                  array_ops.constant(value, dtypes.float32))
        return array_ops.concat(values=[
            filled(1.0, 1), filled(0.0, 1), -translations[:, 0, None],
            filled(0.0, 1), filled(1.0, 1), -translations[:, 1, None],
            filled(0.0, 2)], axis=1)


def compose_transforms(*transforms):
    """The [N, 8] transform applying the last of ``transforms`` first (matrix product)."""
    if not transforms:
        raise AssertionError("transforms cannot be empty")
    with ops.name_scope("compose_transforms"):
        composed = flat_transforms_to_matrices(transforms[0])
        for flat in transforms[1:]:
            composed = math_ops.matmul(composed, flat_transforms_to_matrices(flat))
        return matrices_to_flat_transforms(composed)




def connected_components(images):
    """Components (int64, [batch, h, w] or [h, w] as given) of adjacent pixels with the same
    nonzero value, numbered 1, 2, ... in row-major order of their first pixels across the
    batch; 0 for zero pixels."""
    with ops.name_scope("connected_components"):
        image_or_images = ops.convert_to_tensor(images, name="images")
        rank = image_or_images.shape.ndims
        if rank == 2:
            images = image_or_images[None, :, :]
        elif rank == 3:
            images = image_or_images
        else:
            raise TypeError(f"images should have rank 2 (HW) or 3 (NHW). Static shape is "
                            f"{image_or_images.shape}")
        components = image_component_ops.image_connected_components(images)
        components_flat = array_ops.reshape(components, [-1])
        unique_ids, id_index = array_ops_extra.unique(components_flat)
        id_is_zero = math_ops.where(math_ops.equal(unique_ids, 0))[:, 0]
        nonzero_consecutive_ids = math_ops._range(
            array_ops.shape(unique_ids)[0] - array_ops.shape(id_is_zero)[0]) + 1

        def has_zero():
            zero_position = math_ops.cast(id_is_zero[0], dtypes.int32)
            return array_ops.concat([nonzero_consecutive_ids[:zero_position], [0],
                                     nonzero_consecutive_ids[zero_position:]], axis=0)

        new_ids = control_flow_ops.cond(math_ops.equal(array_ops.shape(id_is_zero)[0], 0),
                                        lambda: nonzero_consecutive_ids, has_zero)
        components = array_ops.reshape(array_ops.gather(new_ids, id_index),
                                       array_ops.shape(components))
        return components[0, :, :] if rank == 2 else components
