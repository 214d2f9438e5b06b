"""Image codecs beyond PNG/JPEG decoding (``tf.io`` / ``tf.image`` in TF 1.15): DecodeBmp,
DecodeGif, EncodeJpeg, DecodeAndCropJpeg, ExtractJpegShape and ``is_jpeg``, through Pillow.
Decoded pixels are Pillow's (a JPEG's may differ from libjpeg-turbo's by a few levels, and
EncodeJpeg's bytes from TF's); shapes, dtypes and errors are TF's."""
import io

import numpy as np

from tfcompat.framework import dtypes, errors, ops, tensor_shape
from tfcompat.framework.op_def import OpDef, constant_value, make_tensor, register_op
from tfcompat.ops.image_ops import _as_bytes, _decode


def _scalar_contents(op):
    if op.inputs[0].shape.ndims not in (None, 0):
        raise ValueError(f"Shape must be rank 0 but is rank {op.inputs[0].shape.ndims} for "
                         f"'{op.name}' (op: '{op.type}')")


@register_op
class DecodeBmp(OpDef):
    """A BMP file -> uint8 [height, width, channels] (``channels`` 0: the file's)."""

    differentiable = False

    def infer(self, op):
        _scalar_contents(op)
        return [(tensor_shape.TensorShape([None, None, None]), dtypes.uint8)]

    def kernel(self, op, ctx):
        channels = op.attrs.get("channels", 0)
        return lambda contents: _decode(op, contents, channels)


@register_op
class DecodeGif(OpDef):
    """A GIF file -> uint8 [frames, height, width, 3], each frame composed as shown."""

    differentiable = False

    def infer(self, op):
        _scalar_contents(op)
        return [(tensor_shape.TensorShape([None, None, None, 3]), dtypes.uint8)]

    def kernel(self, op, ctx):
        def decode_gif(contents):
            from PIL import Image, ImageSequence
            try:
                image = Image.open(io.BytesIO(_as_bytes(contents)))
                if image.format != "GIF":
                    raise ValueError("not a GIF file")
                frames = [np.asarray(frame.convert("RGB")) for frame in
                          ImageSequence.Iterator(image)]
            except Exception as exc:  # Pillow raises several types for corrupt data
                raise errors.InvalidArgumentError(
                    None, op, f"Invalid GIF data (size {len(_as_bytes(contents))}), {exc}") \
                    from None
            return np.ascontiguousarray(np.stack(frames))
        return decode_gif


@register_op
class DecodeAndCropJpeg(OpDef):
    """A JPEG decoded then cropped to ``crop_window`` [y, x, height, width]."""

    differentiable = False

    def infer(self, op):
        _scalar_contents(op)
        window = constant_value(op.inputs[1])
        height, width = (None, None) if window is None else (int(window[2]), int(window[3]))
        return [(tensor_shape.TensorShape([height, width, op.attrs.get("channels", 0) or None]),
                 dtypes.uint8)]

    def kernel(self, op, ctx):
        channels = op.attrs.get("channels", 0)

        def decode_and_crop(contents, crop_window):
            image = _decode(op, contents, channels)
            y, x, height, width = (int(v) for v in np.asarray(crop_window).reshape(-1)[:4])
            if min(y, x) < 0 or min(height, width) <= 0 or y + height > image.shape[0] or \
                    x + width > image.shape[1]:
                raise errors.InvalidArgumentError(
                    None, op, "jpeg::Uncompress failed. Invalid JPEG data or crop window.")
            return np.ascontiguousarray(image[y:y + height, x:x + width])
        return decode_and_crop


@register_op
class ExtractJpegShape(OpDef):
    """[height, width, channels] of a JPEG file, read from its header."""

    differentiable = False

    def infer(self, op):
        _scalar_contents(op)
        return [(tensor_shape.TensorShape([3]), op.attrs["output_type"])]

    def kernel(self, op, ctx):
        out_type = op.attrs["output_type"].as_numpy_dtype

        def extract(contents):
            from PIL import Image
            try:
                image = Image.open(io.BytesIO(_as_bytes(contents)))
            except Exception:  # Pillow raises several types for corrupt data
                raise errors.InvalidArgumentError(
                    None, op, "Invalid JPEG data, size "
                              f"{len(_as_bytes(contents))}") from None
            channels = len(image.getbands())
            return np.array([image.height, image.width, channels], dtype=out_type)
        return extract


@register_op
class EncodeJpeg(OpDef):
    """uint8 [height, width, 1 or 3] -> a JPEG file (``quality``, ``progressive``,
    ``optimize_size``, ``chroma_downsampling``, density attrs as TF's)."""

    differentiable = False

    def infer(self, op):
        image = op.inputs[0]
        if image.shape.ndims not in (None, 3):
            raise ValueError(f"Shape must be rank 3 but is rank {image.shape.ndims} for "
                             f"'{op.name}' (op: 'EncodeJpeg')")
        return [(tensor_shape.TensorShape([]), dtypes.string)]

    def kernel(self, op, ctx):
        attrs = op.attrs

        def encode_jpeg(image):
            from PIL import Image
            channels = image.shape[2]
            mode = {"grayscale": "L", "rgb": "RGB"}.get(attrs["format"]) or \
                {1: "L", 3: "RGB"}.get(channels)
            if mode is None or (attrs["format"] and channels != {"L": 1, "RGB": 3}[mode]):
                raise errors.InvalidArgumentError(
                    None, op, f"image must have 1 or 3 channels, got {image.shape[2]}")
            picture = Image.fromarray(image[:, :, 0] if channels == 1 else image, mode)
            buffer = io.BytesIO()
            density = {"in": 1, "cm": 2}[attrs["density_unit"]]
            picture.save(buffer, format="JPEG", quality=int(attrs["quality"]),
                         progressive=bool(attrs["progressive"]),
                         optimize=bool(attrs["optimize_size"]),
                         subsampling=2 if attrs["chroma_downsampling"] else 0,
                         dpi=(attrs["x_density"], attrs["y_density"]) if density == 1 else
                         (attrs["x_density"] * 2.54, attrs["y_density"] * 2.54))
            return np.array(buffer.getvalue(), dtype=object)
        return encode_jpeg


def _contents(contents):
    return ops.convert_to_tensor(contents, dtype=dtypes.string, name="contents")


def decode_bmp(contents, channels=0, name=None):
    """``tf.io.decode_bmp``: uint8 [height, width, channels]."""
    return make_tensor("DecodeBmp", [_contents(contents)], {"channels": int(channels)},
                       name=name or "DecodeBmp")


def decode_gif(contents, name=None):
    """``tf.io.decode_gif``: uint8 [frames, height, width, 3]."""
    return make_tensor("DecodeGif", [_contents(contents)], {}, name=name or "DecodeGif")


def decode_and_crop_jpeg(contents, crop_window, channels=0, ratio=1, fancy_upscaling=True,
                         try_recover_truncated=False, acceptable_fraction=1, dct_method="",
                         name=None):
    """``tf.io.decode_and_crop_jpeg``: the ``crop_window`` [y, x, height, width] of a JPEG."""
    window = ops.convert_to_tensor(crop_window, dtype=dtypes.int32, name="crop_window")
    return make_tensor("DecodeAndCropJpeg", [_contents(contents), window],
                       {"channels": int(channels), "ratio": int(ratio),
                        "fancy_upscaling": bool(fancy_upscaling),
                        "try_recover_truncated": bool(try_recover_truncated),
                        "acceptable_fraction": float(acceptable_fraction),
                        "dct_method": dct_method}, name=name or "DecodeAndCropJpeg")


def extract_jpeg_shape(contents, output_type=dtypes.int32, name=None):
    """``tf.io.extract_jpeg_shape``: [height, width, channels] without decoding."""
    return make_tensor("ExtractJpegShape", [_contents(contents)],
                       {"output_type": dtypes.as_dtype(output_type)},
                       name=name or "ExtractJpegShape")


def encode_jpeg(image, format="", quality=95, progressive=False,  # noqa: A002 (TF's name)
                optimize_size=False, chroma_downsampling=True, density_unit="in",
                x_density=300, y_density=300, xmp_metadata="", name=None):
    """``tf.io.encode_jpeg``: a uint8 [height, width, 1 or 3] image as a JPEG string."""
    image = ops.convert_to_tensor(image, dtype=dtypes.uint8, name="image")
    return make_tensor("EncodeJpeg", [image], {
        "format": format, "quality": int(quality), "progressive": bool(progressive),
        "optimize_size": bool(optimize_size), "chroma_downsampling": bool(chroma_downsampling),
        "density_unit": density_unit, "x_density": int(x_density),
        "y_density": int(y_density), "xmp_metadata": xmp_metadata}, name=name or "EncodeJpeg")


def is_jpeg(contents, name=None):
    """``tf.io.is_jpeg``: whether ``contents`` starts with JPEG's magic bytes (TF 1.15's
    Substr + Equal under "is_jpeg")."""
    from tfcompat.ops import math_ops, string_ops
    with ops.name_scope(name, "is_jpeg"):
        substr = string_ops.substr(contents, 0, 3)
        return math_ops.equal(substr, b"\xff\xd8\xff", name="Equal")


__all__ = []
