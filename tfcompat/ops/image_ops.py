"""Image ops (TF's image_ops / gen_image_ops, and ReadFile from io_ops): the four resize
kernels with their gradients, PNG/JPEG decoding and PNG encoding through Pillow, plus the
``tf.image`` functions composed from registered ops (crops, pads, flips, random flips and
crops, per-image standardisation, dtype conversion, grayscale). ``tf.image`` itself is
``tfcompat/image/__init__.py``.

Resizing follows TF 1.x's legacy coordinates (no half-pixel centres): output pixel y reads
input position y * scale, with scale = in / out, or (in - 1) / (out - 1) under
``align_corners``. Every method is separable, so a kernel is two small weight matrices
applied over height then width: bilinear interpolation, nearest neighbour (floor, or round
with align_corners), Keys' cubic with a = -0.75 (its offsets rounded to TF's 1024-entry
table, indices clamped at the borders) and area averaging
(overlap lengths of each input cell with the output cell); a gradient is the transposed
weights applied to the incoming gradient.
"""
import io
import math

import numpy as np

from tfcompat.framework import dtypes, errors, ops, tensor_shape
from tfcompat.framework.op_def import OpDef, constant_value, make_tensor, register_op
from tfcompat.ops import array_ops, control_flow_ops, math_ops, random_ops

# Top-level names (tf.read_file, tf.random_crop); tf.image's live in tfcompat/image.
__all__ = ["read_file", "random_crop"]

_IMAGE_TYPES = (dtypes.uint8, dtypes.uint16, dtypes.int8, dtypes.int16, dtypes.int32,
                dtypes.int64, dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64)


# ---- resize weights --------------------------------------------------------------------------
def _scale(size_in, size_out, align_corners):
    if align_corners and size_out > 1:
        return (size_in - 1) / (size_out - 1)
    return size_in / size_out


def _cubic(x, a=-0.75):
    x = np.abs(x)
    return np.where(x <= 1, ((a + 2) * x - (a + 3)) * x * x + 1,
                    np.where(x < 2, ((a * x - 5 * a) * x + 8 * a) * x - 4 * a, 0.0))


def resize_weights(method, size_in, size_out, align_corners):
    """The [size_out, size_in] matrix mapping one input axis onto the output axis."""
    scale = _scale(size_in, size_out, align_corners)
    weights = np.zeros((size_out, size_in))
    rows = np.arange(size_out)
    position = rows * scale
    if method == "nearest":
        index = np.round(position) if align_corners else np.floor(position)
        weights[rows, np.minimum(index.astype(np.int64), size_in - 1)] = 1.0
    elif method == "bilinear":
        low = np.floor(position).astype(np.int64)
        high = np.minimum(low + 1, size_in - 1)
        fraction = position - low
        np.add.at(weights, (rows, low), 1 - fraction)
        np.add.at(weights, (rows, high), fraction)
    elif method == "bicubic":
        base = np.floor(position).astype(np.int64)
        fraction = np.rint((position - base) * 1024) / 1024  # TF's 1024-entry weight table
        for offset in (-1, 0, 1, 2):
            index = np.clip(base + offset, 0, size_in - 1)
            np.add.at(weights, (rows, index), _cubic(fraction - offset))
    else:  # area
        start, end = position, (rows + 1) * scale  # cells past the edge repeat the last
        for y in rows:
            for i in range(int(math.floor(start[y])), int(math.ceil(end[y]))):
                overlap = min(i + 1, end[y]) - max(i, start[y])
                weights[y, min(i, size_in - 1)] += overlap / scale
    return weights


def _apply(images, weights_h, weights_w, dtype):
    """out[n, y, x, c] = sum_ij Wh[y, i] Ww[x, j] images[n, i, j, c]."""
    rows = np.einsum("yi,nijc->nyjc", weights_h.astype(dtype), images.astype(dtype))
    return np.einsum("xj,nyjc->nyxc", weights_w.astype(dtype), rows)


def _size_value(op, size):
    size = np.asarray(size).astype(np.int64).reshape(-1)
    if size.shape != (2,) or np.any(size <= 0):
        raise errors.InvalidArgumentError(
            None, op, f"size must be a 1-D int32 Tensor of 2 positive elements: "
            f"{size.tolist()}\n\t [[node {op.name}]]")
    return int(size[0]), int(size[1])


class _Resize(OpDef):
    """ResizeBilinear / ResizeNearestNeighbor / ResizeBicubic / ResizeArea: images
    [batch, height, width, channels] and size (int32 [2])."""

    method = None
    shape_determining_inputs = (1,)

    def output_dtype(self, images):
        return dtypes.float32

    def infer(self, op):
        images, size = op.inputs
        if images.shape.ndims not in (None, 4):
            raise ValueError(f"Shape must be rank 4 but is rank {images.shape.ndims} for "
                             f"'{op.name}' (op: '{op.type}')")
        value = constant_value(size)
        height = width = None
        if value is not None:
            height, width = (int(v) for v in np.asarray(value).reshape(-1)[:2])
        dims = images.shape.as_list() if images.shape.ndims else [None] * 4
        shape = tensor_shape.TensorShape([dims[0], height, width, dims[3]])
        return [(shape, self.output_dtype(images.dtype.base_dtype))]

    def kernel(self, op, ctx):
        align = op.attrs["align_corners"]
        out_dtype = self.output_dtype(op.inputs[0].dtype.base_dtype).as_numpy_dtype

        def resize(images, size):
            height, width = _size_value(op, size)
            weights_h = resize_weights(self.method, images.shape[1], height, align)
            weights_w = resize_weights(self.method, images.shape[2], width, align)
            compute = np.float64 if images.dtype == np.float64 else np.float32
            if self.method == "nearest":
                rows = weights_h.argmax(axis=1)
                columns = weights_w.argmax(axis=1)
                return np.ascontiguousarray(images[:, rows][:, :, columns])
            return _apply(images, weights_h, weights_w, compute).astype(out_dtype, copy=False)
        return resize

    def grad(self, op, dy):
        if self.method == "area":
            return [None, None]
        attrs = {"align_corners": op.attrs["align_corners"]}
        if self.method == "nearest":
            size = array_ops.shape(op.inputs[0])[1:3]
            return [make_tensor("ResizeNearestNeighborGrad", [dy, size], attrs), None]
        grad_type = "ResizeBilinearGrad" if self.method == "bilinear" else "ResizeBicubicGrad"
        return [make_tensor(grad_type, [dy, op.inputs[0]], attrs), None]


@register_op
class ResizeBilinear(_Resize):
    """Bilinear resize; float32 output."""

    method = "bilinear"


@register_op
class ResizeBicubic(_Resize):
    """Bicubic (Keys, a = -0.75) resize; float32 output."""

    method = "bicubic"


@register_op
class ResizeArea(_Resize):
    """Area-averaging resize; float32 output; no gradient (as TF)."""

    method = "area"
    differentiable = False


@register_op
class ResizeNearestNeighbor(_Resize):
    """Nearest-neighbour resize; keeps the input dtype."""

    method = "nearest"

    def output_dtype(self, images):
        return images


class _ResizeGrad(OpDef):
    """The transposed resize weights applied to grads [batch, out_h, out_w, channels]."""

    method = None

    def infer(self, op):
        grads, reference = op.inputs
        if self.method == "nearest":
            value = constant_value(reference)
            height, width = (None, None) if value is None else (int(v) for v in value)
            dims = grads.shape.as_list() if grads.shape.ndims else [None] * 4
            return [(tensor_shape.TensorShape([dims[0], height, width, dims[3]]),
                     grads.dtype.base_dtype)]
        return [(reference.shape, reference.dtype.base_dtype)]

    def kernel(self, op, ctx):
        align = op.attrs["align_corners"]

        def resize_grad(grads, reference):
            if self.method == "nearest":
                height, width = _size_value(op, reference)
                dtype = grads.dtype
            else:
                height, width = reference.shape[1:3]
                dtype = reference.dtype
            weights_h = resize_weights(self.method, height, grads.shape[1], align)
            weights_w = resize_weights(self.method, width, grads.shape[2], align)
            compute = np.float64 if grads.dtype == np.float64 else np.float32
            return _apply(grads, weights_h.T, weights_w.T, compute).astype(dtype, copy=False)
        return resize_grad


@register_op
class ResizeBilinearGrad(_ResizeGrad):
    """Gradient of ResizeBilinear: inputs grads and original_image."""

    method = "bilinear"
    differentiable = False


@register_op
class ResizeBicubicGrad(_ResizeGrad):
    """Gradient of ResizeBicubic: inputs grads and original_image."""

    method = "bicubic"
    differentiable = False


@register_op
class ResizeNearestNeighborGrad(_ResizeGrad):
    """Gradient of ResizeNearestNeighbor: inputs grads and size (the original [h, w])."""

    method = "nearest"
    differentiable = False
    shape_determining_inputs = (1,)


# ---- files and codecs ------------------------------------------------------------------------
def _as_bytes(value):
    value = value.item() if isinstance(value, np.ndarray) else value
    return value.encode() if isinstance(value, str) else bytes(value)


@register_op
class ReadFile(OpDef):
    """The contents of a file as a scalar string (``tf.read_file``)."""

    differentiable = False
    stateful = True

    def infer(self, op):
        return [(tensor_shape.TensorShape([]), dtypes.string)]

    def kernel(self, op, ctx):
        def read_file(filename):
            path = _as_bytes(filename).decode()
            try:
                with open(path, "rb") as handle:
                    return np.array(handle.read(), dtype=object)
            except FileNotFoundError:
                raise errors.NotFoundError(None, op, f"{path}; No such file or directory"
                                           ) from None
        return read_file


def _decode(op, contents, channels, dtype=np.uint8):
    from PIL import Image
    try:
        image = Image.open(io.BytesIO(_as_bytes(contents)))
        image.load()
    except Exception as exc:  # Pillow raises several types for corrupt data
        raise errors.InvalidArgumentError(
            None, op, f"Invalid image data ({exc})\n\t [[node {op.name}]]") from None
    mode = {1: "L", 3: "RGB", 4: "RGBA"}.get(channels)
    if mode is None:
        mode = {"L": "L", "LA": "LA", "RGB": "RGB", "RGBA": "RGBA", "I;16": "I;16"}.get(
            image.mode, "RGB")
    if dtype == np.uint16 and image.mode.startswith("I"):
        array = np.asarray(image, dtype=np.uint16)
    else:
        array = np.asarray(image.convert(mode))
        if dtype == np.uint16:
            array = array.astype(np.uint16) * 257
    if array.ndim == 2:
        array = array[:, :, None]
    if channels == 2 and array.shape[2] != 2:
        array = np.asarray(image.convert("LA"))
    return np.ascontiguousarray(array)


class _Decode(OpDef):
    """DecodeJpeg / DecodePng / DecodeImage: a scalar string -> [height, width, channels]
    (``channels`` 0 keeps the file's), through Pillow (any format Pillow reads)."""

    differentiable = False

    def infer(self, op):
        channels = op.attrs.get("channels", 0) or None
        dtype = op.attrs.get("dtype", dtypes.uint8)
        if op.inputs[0].shape.ndims not in (None, 0):
            raise ValueError(f"Shape must be rank 0 but is rank {op.inputs[0].shape.ndims} "
                             f"for '{op.name}' (op: '{op.type}')")
        return [(tensor_shape.TensorShape([None, None, channels]), dtype)]

    def kernel(self, op, ctx):
        channels = op.attrs.get("channels", 0)
        dtype = op.attrs.get("dtype", dtypes.uint8).as_numpy_dtype
        return lambda contents: _decode(op, contents, channels, dtype)


@register_op
class DecodeJpeg(_Decode):
    pass


@register_op
class DecodePng(_Decode):
    pass


@register_op
class DecodeImage(_Decode):
    pass


@register_op
class EncodePng(OpDef):
    """[height, width, channels] uint8/uint16 -> a PNG file as a scalar string."""

    differentiable = False

    def infer(self, op):
        image = op.inputs[0]
        if image.shape.ndims not in (None, 3):
            raise ValueError(f"Shape must be rank 3 but is rank {image.shape.ndims} for "
                             f"'{op.name}' (op: 'EncodePng')")
        return [(tensor_shape.TensorShape([]), dtypes.string)]

    def kernel(self, op, ctx):
        compression = op.attrs["compression"]

        def encode_png(image):
            from PIL import Image
            modes = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}
            if image.shape[2] not in modes:
                raise errors.InvalidArgumentError(
                    None, op, f"image must have 1, 2, 3, or 4 channels, got "
                    f"{image.shape[2]}\n\t [[node {op.name}]]")
            if image.dtype == np.uint16 and image.shape[2] == 1:
                picture = Image.fromarray(image[:, :, 0].astype(np.uint16), "I;16")
            else:
                array = image if image.dtype == np.uint8 else (image // 257).astype(np.uint8)
                channels = array.shape[2]
                picture = Image.fromarray(array[:, :, 0] if channels == 1 else array,
                                          modes[channels])
            buffer = io.BytesIO()
            picture.save(buffer, format="PNG",
                         compress_level=6 if compression < 0 else int(compression))
            return np.array(buffer.getvalue(), dtype=object)
        return encode_png


# ---- builders -----------------------------------------------------------------------------------
def read_file(filename, name=None):
    """``tf.read_file(filename, name=None)``: the ReadFile op."""
    filename = ops.convert_to_tensor(filename, dtype=dtypes.string, name="filename")
    return make_tensor("ReadFile", [filename], name=name or "ReadFile")


def _decoder(op_type, contents, attrs, name):
    contents = ops.convert_to_tensor(contents, dtype=dtypes.string, name="contents")
    return make_tensor(op_type, [contents], attrs, name=name or op_type)


def decode_jpeg(contents, channels=0, ratio=1, fancy_upscaling=True,
                try_recover_truncated=False, acceptable_fraction=1, dct_method="", name=None):
    """``tf.image.decode_jpeg``: uint8 [height, width, channels]."""
    return _decoder("DecodeJpeg", contents, {"channels": int(channels)}, name)


def decode_png(contents, channels=0, dtype=dtypes.uint8, name=None):
    """``tf.image.decode_png``: uint8 or uint16 [height, width, channels]."""
    return _decoder("DecodePng", contents, {"channels": int(channels),
                                            "dtype": dtypes.as_dtype(dtype)}, name)


def decode_image(contents, channels=None, dtype=dtypes.uint8, name=None,
                 expand_animations=True):
    """``tf.image.decode_image``: any format Pillow reads, then converted to ``dtype`` with
    convert_image_dtype."""
    with ops.name_scope(name, "decode_image") as scope:
        image = _decoder("DecodeImage", contents, {"channels": int(channels or 0),
                                                   "dtype": dtypes.uint8}, None)
        dtype = dtypes.as_dtype(dtype)
        return convert_image_dtype(image, dtype, name=scope) if dtype != dtypes.uint8 \
            else image


def encode_png(image, compression=-1, name=None):
    """``tf.image.encode_png(image, compression=-1, name=None)``."""
    image = ops.convert_to_tensor(image, name="image")
    return make_tensor("EncodePng", [image], {"compression": int(compression)},
                       name=name or "EncodePng")


class ResizeMethod:
    """``tf.image.ResizeMethod``."""

    BILINEAR = 0
    NEAREST_NEIGHBOR = 1
    BICUBIC = 2
    AREA = 3


_RESIZE_OPS = {ResizeMethod.BILINEAR: "ResizeBilinear",
               ResizeMethod.NEAREST_NEIGHBOR: "ResizeNearestNeighbor",
               ResizeMethod.BICUBIC: "ResizeBicubic", ResizeMethod.AREA: "ResizeArea"}


def _resize_op(op_type, images, size, align_corners, name):
    images = ops.convert_to_tensor(images, name="images")
    size = ops.convert_to_tensor(size, dtype=dtypes.int32, name="size")
    return make_tensor(op_type, [images, size], {"align_corners": bool(align_corners)},
                       name=name or op_type)


def resize_bilinear(images, size, align_corners=False, name=None, half_pixel_centers=False):
    """``tf.image.resize_bilinear``: the ResizeBilinear op (float32 output)."""
    _no_half_pixel(half_pixel_centers)
    return _resize_op("ResizeBilinear", images, size, align_corners, name)


def resize_nearest_neighbor(images, size, align_corners=False, name=None,
                            half_pixel_centers=False):
    """``tf.image.resize_nearest_neighbor``: the ResizeNearestNeighbor op."""
    _no_half_pixel(half_pixel_centers)
    return _resize_op("ResizeNearestNeighbor", images, size, align_corners, name)


def resize_bicubic(images, size, align_corners=False, name=None, half_pixel_centers=False):
    """``tf.image.resize_bicubic``: the ResizeBicubic op (float32 output)."""
    _no_half_pixel(half_pixel_centers)
    return _resize_op("ResizeBicubic", images, size, align_corners, name)


def resize_area(images, size, align_corners=False, name=None):
    """``tf.image.resize_area``: the ResizeArea op (float32 output)."""
    return _resize_op("ResizeArea", images, size, align_corners, name)


def _no_half_pixel(half_pixel_centers):
    if half_pixel_centers:
        raise ValueError("tfcompat: half_pixel_centers=True is not implemented yet")


def _batched(images):
    """(4-D images, whether a batch axis was added) as TF's image functions do."""
    images = ops.convert_to_tensor(images, name="images")
    if images.shape.ndims is None:
        raise ValueError("'images' contains no shape.")
    if images.shape.ndims == 3:
        return array_ops.expand_dims(images, 0), True
    if images.shape.ndims != 4:
        raise ValueError("'images' must have either 3 or 4 dimensions.")
    return images, False


def resize_images(images, size, method=ResizeMethod.BILINEAR, align_corners=False,
                  preserve_aspect_ratio=False, name=None):
    """``tf.image.resize_images(images, size, method=ResizeMethod.BILINEAR,
    align_corners=False, preserve_aspect_ratio=False)``: 3-D or 4-D images; the result is
    float32 except for NEAREST_NEIGHBOR; an unchanged static size returns the images."""
    if method not in _RESIZE_OPS:
        raise ValueError("Resize method is not implemented.")
    with ops.name_scope(name, "resize", [images, size]):
        images, added = _batched(images)
        size = ops.convert_to_tensor(size, dtype=dtypes.int32, name="size")
        if not size.shape.is_compatible_with([2]):
            raise ValueError("'size' must be a 1-D Tensor of 2 elements: new_height, "
                             "new_width")
        known = constant_value(size)
        if preserve_aspect_ratio:
            size, known = _aspect_size(images, known)
        dims = images.shape.as_list()
        if known is not None and dims[1:3] == [int(v) for v in known]:
            return array_ops.squeeze(images, [0]) if added else images
        resized = _resize_op(_RESIZE_OPS[method], images, size, align_corners, None)
        return array_ops.squeeze(resized, [0]) if added else resized


def _aspect_size(images, known):
    dims = images.shape.as_list()
    if known is None or None in dims[1:3]:
        raise ValueError("tfcompat: preserve_aspect_ratio needs static image and target sizes")
    scale = min(known[0] / dims[1], known[1] / dims[2])
    target = [int(round(dims[1] * scale)), int(round(dims[2] * scale))]
    return ops.convert_to_tensor(target, dtype=dtypes.int32), np.array(target)


def _static_hw(image):
    """Height and width: Python ints where the static shape knows them, else tensors."""
    dims = image.shape.as_list()
    dynamic = None
    sizes = []
    for axis in (-3, -2):
        if dims[axis] is None:
            dynamic = array_ops.shape(image) if dynamic is None else dynamic
            sizes.append(dynamic[len(dims) + axis])
        else:
            sizes.append(dims[axis])
    return sizes


def crop_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    """``tf.image.crop_to_bounding_box``: image[offset_h:offset_h + target_h,
    offset_w:offset_w + target_w] with TF's static checks."""
    with ops.name_scope(None, "crop_to_bounding_box", [image]):
        images, added = _batched(image)
        height, width = _static_hw(images)
        for value, what in ((offset_width, "offset_width must be >= 0."),
                            (offset_height, "offset_height must be >= 0."),
                            (target_width, "target_width must be > 0."),
                            (target_height, "target_height must be > 0.")):
            if isinstance(value, int) and (value < 0 or (value == 0 and "target" in what)):
                raise ValueError(what)
        if isinstance(offset_width, int) and width is not None and \
                isinstance(target_width, int) and width < target_width + offset_width:
            raise ValueError("width must be >= target + offset.")
        if isinstance(offset_height, int) and height is not None and \
                isinstance(target_height, int) and height < target_height + offset_height:
            raise ValueError("height must be >= target + offset.")
        cropped = array_ops.slice(images, array_ops.stack([0, offset_height, offset_width, 0]),
                                  array_ops.stack([-1, target_height, target_width, -1]))
        return array_ops.squeeze(cropped, [0]) if added else cropped


def pad_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    """``tf.image.pad_to_bounding_box``: zeros around the image so that it sits at
    (offset_height, offset_width) of a target_height x target_width image."""
    with ops.name_scope(None, "pad_to_bounding_box", [image]):
        images, added = _batched(image)
        height, width = _static_hw(images)
        after_h = target_height - offset_height - height
        after_w = target_width - offset_width - width
        for value, what in ((offset_height, "offset_height must be >= 0"),
                            (offset_width, "offset_width must be >= 0"),
                            (after_w, "width must be <= target - offset"),
                            (after_h, "height must be <= target - offset")):
            if isinstance(value, int) and value < 0:
                raise ValueError(what)
        paddings = [[0, 0], [offset_height, after_h], [offset_width, after_w], [0, 0]]
        padded = array_ops.pad(images, paddings)
        return array_ops.squeeze(padded, [0]) if added else padded


def resize_image_with_crop_or_pad(image, target_height, target_width):
    """``tf.image.resize_image_with_crop_or_pad``: centre-crops and/or zero-pads (extra
    row/column of an odd difference on the bottom/right) to the target size; needs the
    image's static height and width here."""
    images, added = _batched(image)
    height, width = _static_hw(images)
    if height is None or width is None:
        raise ValueError("tfcompat: resize_image_with_crop_or_pad needs a static image size")
    if target_width <= 0:
        raise ValueError("target_width must be > 0.")
    if target_height <= 0:
        raise ValueError("target_height must be > 0.")
    with ops.name_scope(None, "resize_image_with_crop_or_pad", [image]):
        crop_h, crop_w = max((height - target_height) // 2, 0), max((width - target_width) // 2,
                                                                     0)
        pad_h, pad_w = max((target_height - height) // 2, 0), max((target_width - width) // 2,
                                                                   0)
        cropped = crop_to_bounding_box(images, crop_h, crop_w, min(target_height, height),
                                       min(target_width, width))
        result = pad_to_bounding_box(cropped, pad_h, pad_w, target_height, target_width)
        return array_ops.squeeze(result, [0]) if added else result


def _flip(image, axis_from_end, name):
    image = ops.convert_to_tensor(image, name="image")
    rank = image.shape.ndims
    if rank not in (3, 4):
        raise ValueError("'image' must have either 3 or 4 dimensions.")
    return array_ops.reverse(image, [rank - axis_from_end], name=name)


def flip_left_right(image):
    """``tf.image.flip_left_right``: reverses the width axis."""
    with ops.name_scope(None, "flip_left_right", [image]) as scope:
        return _flip(image, 2, scope)


def flip_up_down(image):
    """``tf.image.flip_up_down``: reverses the height axis."""
    with ops.name_scope(None, "flip_up_down", [image]) as scope:
        return _flip(image, 3, scope)


def _random_flip(image, seed, axis_from_end, scope_name):
    with ops.name_scope(None, scope_name, [image]) as scope:
        image = ops.convert_to_tensor(image, name="image")
        if image.shape.ndims != 3:
            raise ValueError("'image' must be three-dimensional.")
        uniform = random_ops.random_uniform([], 0, 1.0, seed=seed)
        flip = math_ops.less(uniform, 0.5)
        result = control_flow_ops.cond(flip, lambda: _flip(image, axis_from_end, None),
                                       lambda: image, name=scope)
        result.set_shape(image.shape)
        return result


def random_flip_left_right(image, seed=None):
    """``tf.image.random_flip_left_right``: flips a 3-D image's width axis with
    probability 1/2."""
    return _random_flip(image, seed, 2, "random_flip_left_right")


def random_flip_up_down(image, seed=None):
    """``tf.image.random_flip_up_down``: flips a 3-D image's height axis with probability
    1/2."""
    return _random_flip(image, seed, 3, "random_flip_up_down")


def random_crop(value, size, seed=None, name=None):
    """``tf.random_crop`` / ``tf.image.random_crop``: a ``size`` slice of ``value`` at a
    uniformly drawn offset."""
    with ops.name_scope(name, "random_crop", [value, size]) as scope:
        value = ops.convert_to_tensor(value, name="value")
        size = ops.convert_to_tensor(size, dtype=dtypes.int32, name="size")
        shape = array_ops.shape(value)
        limit = shape - size + 1
        offset = random_ops.random_uniform(array_ops.shape(shape), dtype=dtypes.int32,
                                           maxval=dtypes.int32.max, seed=seed) % limit
        return array_ops.slice(value, offset, size, name=scope)


def per_image_standardization(image):
    """``tf.image.per_image_standardization``: (x - mean) / max(stddev, 1 / sqrt(N)) over each
    image's pixels and channels, as float32."""
    with ops.name_scope(None, "per_image_standardization", [image]) as scope:
        image = ops.convert_to_tensor(image, name="image")
        image = math_ops.cast(image, dtypes.float32)
        count = math_ops.reduce_prod(array_ops.shape(image)[-3:])
        mean = math_ops.reduce_mean(image, axis=[-1, -2, -3], keepdims=True)
        variance = math_ops.reduce_mean(math_ops.square(image), axis=[-1, -2, -3],
                                        keepdims=True) - math_ops.square(mean)
        stddev = math_ops.sqrt(math_ops.maximum(variance, 0.0))
        minimum = math_ops.rsqrt(math_ops.cast(count, dtypes.float32))
        return math_ops.divide(image - mean, math_ops.maximum(stddev, minimum), name=scope)


def convert_image_dtype(image, dtype, saturate=False, name=None):
    """``tf.image.convert_image_dtype``: integers map [0, MAX] onto floats [0, 1); floats to
    integers scale by MAX + 0.5 and truncate; integers to integers shift bits; floats to
    floats cast."""
    dtype = dtypes.as_dtype(dtype)
    with ops.name_scope(name, "convert_image", [image]) as scope:
        image = ops.convert_to_tensor(image, name="image")
        source = image.dtype.base_dtype
        if source == dtype:
            return array_ops.identity(image, name=scope)
        if source.is_integer and dtype.is_integer:
            if source.max > dtype.max:
                divisor = (source.max + 1) // (dtype.max + 1)
                return math_ops.cast(image // divisor, dtype, name=scope)
            factor = (dtype.max + 1) // (source.max + 1)
            return math_ops.multiply(math_ops.cast(image, dtype), factor, name=scope)
        if source.is_floating and dtype.is_floating:
            return math_ops.cast(image, dtype, name=scope)
        if source.is_integer:
            cast = math_ops.cast(image, dtype)
            return math_ops.multiply(cast, 1.0 / source.max, name=scope)
        scaled = math_ops.multiply(image, dtype.max + 0.5)
        if saturate:
            scaled = math_ops.minimum(math_ops.maximum(scaled, 0.0), float(dtype.max))
        return math_ops.cast(scaled, dtype, name=scope)


def rgb_to_grayscale(images, name=None):
    """``tf.image.rgb_to_grayscale``: 0.2989 R + 0.5870 G + 0.1140 B in a last axis of size
    1, computed in float and converted back to the input dtype."""
    with ops.name_scope(name, "rgb_to_grayscale", [images]) as scope:
        images = ops.convert_to_tensor(images, name="images")
        source = images.dtype.base_dtype
        floats = convert_image_dtype(images, dtypes.float32)
        weights = array_ops.constant([0.2989, 0.5870, 0.1140], dtype=dtypes.float32)
        rank = floats.shape.ndims
        gray = math_ops.tensordot(floats, weights, [[rank - 1], [0]])
        gray = array_ops.expand_dims(gray, -1)
        return convert_image_dtype(gray, source, name=scope)


def grayscale_to_rgb(images, name=None):
    """``tf.image.grayscale_to_rgb``: repeats the single channel three times."""
    with ops.name_scope(name, "grayscale_to_rgb", [images]) as scope:
        images = ops.convert_to_tensor(images, name="images")
        rank = images.shape.ndims
        multiples = [1] * (rank - 1) + [3]
        return array_ops.tile(images, multiples, name=scope)
