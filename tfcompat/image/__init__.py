"""``tf.image``: TF 1.x's image functions (``tfcompat/ops/image_ops.py``)."""
from tfcompat.ops.image_ops import (ResizeMethod, convert_image_dtype,  # noqa: F401
                                    crop_to_bounding_box, decode_image, decode_jpeg,
                                    decode_png, encode_png, flip_left_right, flip_up_down,
                                    grayscale_to_rgb, pad_to_bounding_box,
                                    per_image_standardization, random_crop,
                                    random_flip_left_right, random_flip_up_down, resize_area,
                                    resize_bicubic, resize_bilinear, resize_image_with_crop_or_pad,
                                    resize_images, resize_nearest_neighbor, rgb_to_grayscale)
from tfcompat.ops.image_adjust_ops import *  # noqa: F401,F403
from tfcompat.ops.image_adjust_ops import __all__ as _adjust_names
from tfcompat.ops.image_detection_ops import *  # noqa: F401,F403
from tfcompat.ops.image_detection_ops import __all__ as _detection_names
from tfcompat.ops.array_ops_extra import extract_image_patches  # noqa: F401
from tfcompat.ops.image_ops import resize_images as resize  # noqa: F401  (TF 1.x's v1 alias)

__all__ = ["resize", "extract_image_patches"] + _adjust_names + _detection_names + [
           "ResizeMethod", "convert_image_dtype", "crop_to_bounding_box", "decode_image",
           "decode_jpeg", "decode_png", "encode_png", "flip_left_right", "flip_up_down",
           "grayscale_to_rgb", "pad_to_bounding_box", "per_image_standardization",
           "random_crop", "random_flip_left_right", "random_flip_up_down", "resize_area",
           "resize_bicubic", "resize_bilinear", "resize_image_with_crop_or_pad",
           "resize_images", "resize_nearest_neighbor", "rgb_to_grayscale"]

from tfcompat.ops.image_codec_ops import (decode_and_crop_jpeg, decode_bmp,  # noqa: F401,E402
                                          decode_gif, encode_jpeg, extract_jpeg_shape, is_jpeg)
__all__ += ["decode_and_crop_jpeg", "decode_bmp", "decode_gif", "encode_jpeg",
            "extract_jpeg_shape", "is_jpeg"]


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.image' has no attribute '{name}': tfcompat does "
                         f"not implement tf.image.{name} yet")
