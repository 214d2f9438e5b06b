"""TF's colour adjustments, colour spaces, image geometry and image-quality measures
(``tf.image.adjust_*``, ``random_*``, ``rgb_to_hsv`` ..., ``rot90``, ``central_crop``,
``total_variation``, ``psnr``, ``ssim``, ``image_gradients``, ``sobel_edges``).

As in TF's image_ops_impl.py, integer images are adjusted in float32 and converted back
with saturation; the hue and saturation adjustments and the HSV conversions are kernels
(TF's ``AdjustHue``, ``AdjustSaturation``, ``AdjustContrastv2``, ``RGBToHSV``, ``HSVToRGB``
ops, with TF's formulas: hue in [0, 1), six sectors); the rest compose existing ops, so
their gradients come from those.
"""
import numpy as np

from tfcompat.framework import dtypes, ops, tensor_shape
from tfcompat.framework.op_def import OpDef, make_tensor, register_op
from tfcompat.ops import array_ops, case_ops, check_ops, math_ops, nn_conv_ops, nn_ops, random_ops
from tfcompat.ops.image_ops import convert_image_dtype, flip_left_right, flip_up_down

__all__ = ["adjust_brightness", "adjust_contrast", "adjust_gamma", "adjust_hue",
           "adjust_saturation", "random_brightness", "random_contrast", "random_hue",
           "random_saturation", "rgb_to_hsv", "hsv_to_rgb", "rgb_to_yiq", "yiq_to_rgb",
           "rgb_to_yuv", "yuv_to_rgb", "central_crop", "rot90", "transpose_image",
           "transpose", "total_variation", "psnr", "ssim", "ssim_multiscale",
           "image_gradients", "sobel_edges"]

_FLOAT_KERNEL_TYPES = (dtypes.float16, dtypes.float32)


# ---- HSV kernels (TF's formulas) -----------------------------------------------------------
def _hsv_from_rgb(rgb):
    """Hue in [0, 1), saturation, value of the last axis, computed in the array's dtype."""
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    value = rgb.max(axis=-1)
    spread = value - rgb.min(axis=-1)
    saturation = np.where(value > 0, spread / np.where(value > 0, value, 1), 0)
    norm = 1 / (6 * np.where(spread > 0, spread, 1))
    hue = np.where(r == value, norm * (g - b),
                   np.where(g == value, norm * (b - r) + 2.0 / 6, norm * (r - g) + 4.0 / 6))
    hue = np.where(spread > 0, hue, 0)
    hue = np.where(hue < 0, hue + 1, hue)
    return hue.astype(rgb.dtype), saturation.astype(rgb.dtype), value


def _rgb_from_hsv(hue, saturation, value):
    """RGB from hue in [0, 1) by TF's six sectors (adjust_hue_op.cc)."""
    chroma = saturation * value
    base = value - chroma
    sector_float = hue * 6
    sector = np.floor(sector_float).astype(np.int64)
    x = chroma * (1 - np.abs(np.fmod(sector_float, 2) - 1))
    zero = np.zeros_like(chroma)
    choices = {0: (chroma, x, zero), 1: (x, chroma, zero), 2: (zero, chroma, x),
               3: (zero, x, chroma), 4: (x, zero, chroma), 5: (chroma, zero, x)}
    channels = []
    for channel in range(3):
        picked = np.select([sector == s for s in range(6)],
                           [choices[s][channel] for s in range(6)], 0)
        channels.append(picked + base)
    return np.stack(channels, axis=-1).astype(value.dtype)


class _PixelOp(OpDef):
    """An op whose output has its input's shape and dtype, acting on the last axis of 3."""

    differentiable = False

    def infer(self, op):
        images = op.inputs[0]
        if images.shape.ndims is not None:
            if images.shape.ndims < 1:
                raise ValueError(f"Shape must be at least rank 1 but is rank 0 for "
                                 f"'{op.name}' (op: '{op.type}')")
            images.shape[-1:].assert_is_compatible_with([3])
        return [(images.shape, images.dtype.base_dtype)]


@register_op
class RGBToHSV(_PixelOp):
    """RGB in [0, 1] to hue, saturation, value (``tf.image.rgb_to_hsv``)."""

    def kernel(self, op, ctx):
        return lambda rgb: np.stack(_hsv_from_rgb(rgb), axis=-1)


@register_op
class HSVToRGB(_PixelOp):
    """Hue, saturation, value to RGB (``tf.image.hsv_to_rgb``)."""

    def kernel(self, op, ctx):
        def hsv_to_rgb(hsv):
            # TF's colorspace_op.h: each channel a clamped tent of hue*6, scaled by s and v.
            hue, saturation, value = hsv[..., 0:1], hsv[..., 1:2], hsv[..., 2:3]
            sector = hue * 6
            tents = np.concatenate([np.abs(sector - 3) - 1, 2 - np.abs(sector - 2),
                                    2 - np.abs(sector - 4)], axis=-1)
            tents = np.clip(tents, 0, 1)
            return ((1 - saturation + saturation * tents) * value).astype(hsv.dtype)
        return hsv_to_rgb


@register_op
class AdjustHue(_PixelOp):
    """Rotates the hue of RGB pixels by ``delta`` (a fraction of the colour circle)."""

    def kernel(self, op, ctx):
        def adjust_hue(rgb, delta):
            hue, saturation, value = _hsv_from_rgb(rgb)
            hue = np.fmod(hue + delta, 1).astype(rgb.dtype)
            hue = np.where(hue < 0, hue + 1, hue)
            return _rgb_from_hsv(hue, saturation, value)
        return adjust_hue


@register_op
class AdjustSaturation(_PixelOp):
    """Scales the saturation of RGB pixels by ``scale``, clipped to [0, 1]."""

    def kernel(self, op, ctx):
        def adjust_saturation(rgb, scale):
            hue, saturation, value = _hsv_from_rgb(rgb)
            saturation = np.clip(saturation * scale, 0, 1).astype(rgb.dtype)
            return _rgb_from_hsv(hue, saturation, value)
        return adjust_saturation


@register_op
class AdjustContrastv2(OpDef):
    """(x - mean) * factor + mean with the mean of each image's channel over height and
    width (``tf.image.adjust_contrast``); differentiable here through that formula."""

    def infer(self, op):
        images = op.inputs[0]
        if images.shape.ndims is not None and images.shape.ndims < 3:
            raise ValueError(f"Shape must be at least rank 3 but is rank {images.shape.ndims} "
                             f"for '{op.name}' (op: 'AdjustContrastv2')")
        return [(images.shape, images.dtype.base_dtype)]

    def kernel(self, op, ctx):
        def adjust_contrast(images, factor):
            mean = images.mean(axis=(-3, -2), keepdims=True, dtype=images.dtype)
            return ((images - mean) * factor + mean).astype(images.dtype)
        return adjust_contrast

    def grad(self, op, dy):
        images, factor = op.inputs
        mean = math_ops.reduce_mean(images, axis=[-3, -2], keepdims=True)
        # d/dx: factor * dy + (1 - factor) * mean of dy over the image's pixels.
        dy_mean = math_ops.reduce_mean(dy, axis=[-3, -2], keepdims=True)
        d_images = dy * factor + dy_mean * (1 - factor)
        d_factor = math_ops.reduce_sum(dy * (images - mean))
        return [d_images, d_factor]


# ---- adjustments ---------------------------------------------------------------------------
def _as_float(image):
    """The image and, for integer images, its float32 version (TF adjusts in float)."""
    image = ops.convert_to_tensor(image, name="image")
    if image.dtype.base_dtype in _FLOAT_KERNEL_TYPES:
        return image, image
    return image, convert_image_dtype(image, dtypes.float32)


def _pixel_op(op_type, image, amount, name, default_name):
    with ops.name_scope(name, default_name, [image]) as scope:
        image, floats = _as_float(image)
        amount = ops.convert_to_tensor(amount, dtype=dtypes.float32, name="delta")
        adjusted = make_tensor(op_type, [floats, amount], {"T": floats.dtype.base_dtype},
                               name=scope if floats is image else None)
        if floats is image:
            return adjusted
        return convert_image_dtype(adjusted, image.dtype.base_dtype, saturate=True, name=scope)


def adjust_hue(image, delta, name=None):
    """``tf.image.adjust_hue(image, delta)``: hue rotated by ``delta`` in [-1, 1]."""
    return _pixel_op("AdjustHue", image, delta, name, "adjust_hue")


def adjust_saturation(image, saturation_factor, name=None):
    """``tf.image.adjust_saturation(image, saturation_factor)``."""
    return _pixel_op("AdjustSaturation", image, saturation_factor, name, "adjust_saturation")


def adjust_contrast(images, contrast_factor):
    """``tf.image.adjust_contrast(images, contrast_factor)``: each channel of each image
    moved away from (factor > 1) or towards its mean."""
    with ops.name_scope(None, "adjust_contrast", [images, contrast_factor]) as scope:
        images, floats = _as_float(images)
        factor = ops.convert_to_tensor(contrast_factor, dtype=dtypes.float32,
                                       name="contrast_factor")
        adjusted = make_tensor("AdjustContrastv2", [floats, factor],
                               {"T": floats.dtype.base_dtype},
                               name=scope if floats is images else None)
        if floats is images:
            return adjusted
        return convert_image_dtype(adjusted, images.dtype.base_dtype, saturate=True,
                                   name=scope)


def adjust_brightness(image, delta):
    """``tf.image.adjust_brightness(image, delta)``: ``delta`` added in float, converted
    back with saturation."""
    with ops.name_scope(None, "adjust_brightness", [image, delta]) as scope:
        image, floats = _as_float(image)
        delta = math_ops.cast(delta, floats.dtype.base_dtype)
        if floats is image:
            return math_ops.add(floats, delta, name=scope)
        return convert_image_dtype(math_ops.add(floats, delta), image.dtype.base_dtype,
                                   saturate=True, name=scope)


def adjust_gamma(image, gamma=1, gain=1):
    """``tf.image.adjust_gamma(image, gamma=1, gain=1)``: ``gain * image ** gamma`` in float
    (integers scaled to [0, 1] first); a negative gamma fails the run."""
    with ops.name_scope(None, "adjust_gamma", [image, gamma, gain]) as scope:
        image, floats = _as_float(image)
        dtype = floats.dtype.base_dtype
        gamma = ops.convert_to_tensor(gamma, dtype=dtype, name="gamma")
        gain = ops.convert_to_tensor(gain, dtype=dtype, name="gain")
        check = check_ops.Assert(math_ops.greater_equal(gamma, 0),
                                 ["Gamma should be a non-negative real number."])
        with ops.control_dependencies([check]):
            gamma = array_ops.identity(gamma)
        adjusted = gain * floats ** gamma
        if floats is image:
            return array_ops.identity(adjusted, name=scope)
        return convert_image_dtype(adjusted, image.dtype.base_dtype, saturate=True, name=scope)


def _check_range(lower, upper):
    if upper <= lower:
        raise ValueError("upper must be > lower.")
    if lower < 0:
        raise ValueError("lower must be non-negative.")


def random_brightness(image, max_delta, seed=None):
    """``tf.image.random_brightness``: a delta drawn uniformly from [-max_delta, max_delta)."""
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")
    delta = random_ops.random_uniform([], -max_delta, max_delta, seed=seed)
    return adjust_brightness(image, delta)


def random_contrast(image, lower, upper, seed=None):
    """``tf.image.random_contrast``: a contrast factor drawn uniformly from [lower, upper)."""
    _check_range(lower, upper)
    return adjust_contrast(image, random_ops.random_uniform([], lower, upper, seed=seed))


def random_hue(image, max_delta, seed=None):
    """``tf.image.random_hue``: a hue delta drawn from [-max_delta, max_delta), max_delta in
    [0, 0.5]."""
    if max_delta > 0.5:
        raise ValueError("max_delta must be <= 0.5.")
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")
    return adjust_hue(image, random_ops.random_uniform([], -max_delta, max_delta, seed=seed))


def random_saturation(image, lower, upper, seed=None):
    """``tf.image.random_saturation``: a factor drawn uniformly from [lower, upper)."""
    _check_range(lower, upper)
    return adjust_saturation(image, random_ops.random_uniform([], lower, upper, seed=seed))


# ---- colour spaces -------------------------------------------------------------------------
def rgb_to_hsv(images, name=None):
    """``tf.image.rgb_to_hsv``: float RGB in [0, 1] to HSV (hue in [0, 1))."""
    images = ops.convert_to_tensor(images, name="images")
    return make_tensor("RGBToHSV", [images], {"T": images.dtype.base_dtype},
                       name=name or "RGBToHSV")


def hsv_to_rgb(images, name=None):
    """``tf.image.hsv_to_rgb``."""
    images = ops.convert_to_tensor(images, name="images")
    return make_tensor("HSVToRGB", [images], {"T": images.dtype.base_dtype},
                       name=name or "HSVToRGB")


# TF's matrices (image_ops_impl.py): pixel rows times these.
_RGB_TO_YIQ = [[0.299, 0.59590059, 0.2115], [0.587, -0.27455667, -0.52273617],
               [0.114, -0.32134392, 0.31119955]]
_YIQ_TO_RGB = [[1, 1, 1], [0.95598634, -0.27201283, -1.10674021],
               [0.6208248, -0.64720424, 1.70423049]]
_RGB_TO_YUV = [[0.299, -0.14714119, 0.61497538], [0.587, -0.28886916, -0.51496512],
               [0.114, 0.43601035, -0.10001026]]
_YUV_TO_RGB = [[1, 1, 1], [0, -0.394642334, 2.03206185], [1.13988303, -0.58062185, 0]]


def _linear_colour(images, matrix):
    images = ops.convert_to_tensor(images, name="images")
    kernel = ops.convert_to_tensor(matrix, dtype=images.dtype.base_dtype, name="kernel")
    rank = images.shape.ndims
    return math_ops.tensordot(images, kernel, axes=[[rank - 1], [0]])


def rgb_to_yiq(images):
    """``tf.image.rgb_to_yiq``."""
    return _linear_colour(images, _RGB_TO_YIQ)


def yiq_to_rgb(images):
    """``tf.image.yiq_to_rgb``."""
    return _linear_colour(images, _YIQ_TO_RGB)


def rgb_to_yuv(images):
    """``tf.image.rgb_to_yuv``."""
    return _linear_colour(images, _RGB_TO_YUV)


def yuv_to_rgb(images):
    """``tf.image.yuv_to_rgb``."""
    return _linear_colour(images, _YUV_TO_RGB)


# ---- geometry ------------------------------------------------------------------------------
def _image_rank(image, what="'image'"):
    rank = image.shape.ndims
    if rank is None:
        return None
    if rank not in (3, 4):
        raise ValueError(f"{what} (shape {image.shape}) must have either 3 or 4 dimensions.")
    return rank


def central_crop(image, central_fraction):
    """``tf.image.central_crop(image, central_fraction)``: the centre region keeping
    ``central_fraction`` of the height and width (offsets int((size - size*f) / 2))."""
    with ops.name_scope(None, "central_crop", [image]):
        image = ops.convert_to_tensor(image, name="image")
        if central_fraction <= 0.0 or central_fraction > 1.0:
            raise ValueError("central_fraction must be within (0, 1]")
        if central_fraction == 1.0:
            return image
        rank = _image_rank(image)
        shape = array_ops.shape(image)
        height_width = math_ops.cast(shape[rank - 3:rank - 1], dtypes.float64)
        start = math_ops.cast((height_width - height_width * central_fraction) / 2,
                              dtypes.int32)
        size = shape[rank - 3:rank - 1] - start * 2
        lead = [array_ops.zeros([rank - 3], dtypes.int32)]
        begin = array_ops.concat(lead + [start, [0]], 0)
        sizes = array_ops.concat([lead[0] - 1, size, [-1]], 0)
        cropped = array_ops.slice(image, begin, sizes)
        static = image.shape.as_list()
        height, width = static[rank - 3], static[rank - 2]
        if height is not None and width is not None:
            new_h = height - 2 * int((height - height * central_fraction) / 2)
            new_w = width - 2 * int((width - width * central_fraction) / 2)
            cropped.set_shape(static[:rank - 3] + [new_h, new_w, static[-1]])
        return cropped


def _swap_hw(image, rank):
    return array_ops.transpose(image, [0, 2, 1, 3] if rank == 4 else [1, 0, 2])


def rot90(image, k=1, name=None):
    """``tf.image.rot90(image, k=1)``: rotates counter-clockwise by k quarter turns."""
    with ops.name_scope(name, "rot90", [image, k]) as scope:
        image = ops.convert_to_tensor(image, name="image")
        rank = _image_rank(image)
        k = ops.convert_to_tensor(k, dtype=dtypes.int32, name="k") % 4
        turns = [lambda: flip_up_down(_swap_hw(image, rank)),
                 lambda: flip_left_right(flip_up_down(image)),
                 lambda: _swap_hw(flip_up_down(image), rank)]
        rotated = case_ops.case(
            [(math_ops.equal(k, turn + 1), fn) for turn, fn in enumerate(turns)],
            default=lambda: array_ops.identity(image), exclusive=False, name=scope)
        static = image.shape.as_list()
        if rank is not None:
            rotated.set_shape(static[:rank - 3] + [None, None, static[-1]])
        return rotated


def transpose_image(image, name=None):
    """``tf.image.transpose_image`` / ``tf.image.transpose``: swaps height and width."""
    with ops.name_scope(name, "transpose", [image]) as scope:
        image = ops.convert_to_tensor(image, name="image")
        rank = _image_rank(image)
        return array_ops.transpose(image, [0, 2, 1, 3] if rank == 4 else [1, 0, 2],
                                   name=scope)


transpose = transpose_image


# ---- measures ------------------------------------------------------------------------------
def total_variation(images, name=None):
    """``tf.image.total_variation``: the sum of absolute differences of neighbouring pixels
    (a scalar for one image, one value per image for a batch)."""
    with ops.name_scope(name, "total_variation"):
        images = ops.convert_to_tensor(images, name="images")
        rank = images.shape.ndims
        if rank == 3:
            down = images[1:, :, :] - images[:-1, :, :]
            right = images[:, 1:, :] - images[:, :-1, :]
            axis = None
        elif rank == 4:
            down = images[:, 1:, :, :] - images[:, :-1, :, :]
            right = images[:, :, 1:, :] - images[:, :, :-1, :]
            axis = [1, 2, 3]
        else:
            raise ValueError("'images' must be either 3 or 4-dimensional.")
        return (math_ops.reduce_sum(math_ops.abs(down), axis=axis)
                + math_ops.reduce_sum(math_ops.abs(right), axis=axis))


def _as_floats_pair(a, b, max_val):
    a = ops.convert_to_tensor(a, name="a")
    b = ops.convert_to_tensor(b, name="b")
    max_val = math_ops.cast(max_val, a.dtype.base_dtype)
    max_val = convert_image_dtype(max_val, dtypes.float32)
    return convert_image_dtype(a, dtypes.float32), convert_image_dtype(b, dtypes.float32), \
        max_val


def psnr(a, b, max_val, name=None):
    """``tf.image.psnr(a, b, max_val)``: 20 log10(max_val) - 10 log10(MSE) per image, in
    float32."""
    with ops.name_scope(name, "PSNR", [a, b]):
        a, b, max_val = _as_floats_pair(a, b, max_val)
        mse = math_ops.reduce_mean(math_ops.squared_difference(a, b), [-3, -2, -1])
        return math_ops.subtract(20 * math_ops.log(max_val) / np.log(10.0),
                                 np.float32(10 / np.log(10)) * math_ops.log(mse), name="psnr")


def _gaussian_kernel(size, sigma):
    coords = np.arange(size, dtype=np.float32) - (size - 1) / 2.0
    g = -0.5 * (coords ** 2) / sigma ** 2
    g = g.reshape(1, -1) + g.reshape(-1, 1)
    g = np.exp(g - g.max())
    return (g / g.sum()).astype(np.float32)


def _ssim_parts(x, y, max_val, filter_size, filter_sigma, k1, k2):
    """TF's _ssim_per_channel: per-channel SSIM and contrast-structure maps averaged over
    the valid window positions."""
    channels = x.shape.as_list()[-1]
    window = np.tile(_gaussian_kernel(filter_size, filter_sigma)[:, :, None, None],
                     [1, 1, channels, 1])

    def blur(t):
        return nn_conv_ops.depthwise_conv2d(t, window, strides=[1, 1, 1, 1], padding="VALID")
    c1 = (k1 * max_val) ** 2
    c2 = (k2 * max_val) ** 2
    mean_x, mean_y = blur(x), blur(y)
    luminance = (2 * mean_x * mean_y + c1) / (mean_x ** 2 + mean_y ** 2 + c1)
    cross = blur(x * y) * 2 - 2 * mean_x * mean_y
    squares = blur(x * x + y * y) - (mean_x ** 2 + mean_y ** 2)
    contrast_structure = (cross + c2) / (squares + c2)
    ssim_map = luminance * contrast_structure
    return (math_ops.reduce_mean(ssim_map, [-3, -2]),
            math_ops.reduce_mean(contrast_structure, [-3, -2]))


def ssim(img1, img2, max_val, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03):
    """``tf.image.ssim``: structural similarity with TF's 11x11 Gaussian window (sigma 1.5),
    averaged over channels; one value per image."""
    with ops.name_scope(None, "SSIM", [img1, img2]):
        x, y, max_val = _as_floats_pair(img1, img2, max_val)
        value, _ = _ssim_parts(_batched4(x), _batched4(y), max_val, filter_size,
                               filter_sigma, k1, k2)
        value = math_ops.reduce_mean(value, [-1])
        return value if x.shape.ndims == 4 else array_ops.squeeze(value, [0])


_MSSSIM_WEIGHTS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)


def ssim_multiscale(img1, img2, max_val, power_factors=_MSSSIM_WEIGHTS, filter_size=11,
                    filter_sigma=1.5, k1=0.01, k2=0.03):
    """``tf.image.ssim_multiscale``: contrast-structure at each scale (2x2 average pooling
    between scales, odd sizes padded symmetrically) and full SSIM at the last, combined as
    a weighted geometric mean with ``power_factors``."""
    with ops.name_scope(None, "MS-SSIM", [img1, img2]):
        x, y, max_val = _as_floats_pair(img1, img2, max_val)
        rank = x.shape.ndims
        x, y = _batched4(x), _batched4(y)
        factors = []
        for scale in range(len(power_factors)):
            if scale:
                x, y = _halve(x), _halve(y)
            value, contrast = _ssim_parts(x, y, max_val, filter_size, filter_sigma, k1, k2)
            factors.append(nn_ops.relu(value if scale == len(power_factors) - 1 else contrast))
        stacked = array_ops.stack(factors, axis=-1)
        weights = ops.convert_to_tensor(list(power_factors), dtype=dtypes.float32)
        combined = math_ops.reduce_prod(stacked ** weights, [-1])
        result = math_ops.reduce_mean(combined, [-1])
        return result if rank == 4 else array_ops.squeeze(result, [0])


def _halve(images):
    """2x2 average pooling; an odd height or width first gets one SYMMETRIC row/column."""
    odd = array_ops.shape(images)[1:3] % 2
    padding = array_ops.stack([[0, 0], [0, odd[0]], [0, odd[1]], [0, 0]])
    padded = array_ops.pad(images, padding, mode="SYMMETRIC")
    static = images.shape.as_list()
    padded.set_shape([static[0]] + [None if d is None else d + d % 2 for d in static[1:3]]
                     + [static[3]])
    return nn_conv_ops.avg_pool(padded, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")


def _batched4(image):
    return image if image.shape.ndims == 4 else array_ops.expand_dims(image, 0)


def image_gradients(image):
    """``tf.image.image_gradients(image)`` -> (dy, dx): forward differences of a 4-D batch,
    zero in the last row (dy) and column (dx)."""
    image = ops.convert_to_tensor(image, name="image")
    if image.shape.ndims != 4:
        raise ValueError("image_gradients expects a 4D tensor [batch_size, h, w, d], not "
                         f"{image.shape}.")
    shape = array_ops.shape(image)
    batch, height, width, depth = (shape[i] for i in range(4))
    dy = image[:, 1:, :, :] - image[:, :-1, :, :]
    dx = image[:, :, 1:, :] - image[:, :, :-1, :]
    dy = array_ops.concat([dy, array_ops.zeros(array_ops.stack([batch, 1, width, depth]),
                                               image.dtype.base_dtype)], 1)
    dx = array_ops.concat([dx, array_ops.zeros(array_ops.stack([batch, height, 1, depth]),
                                               image.dtype.base_dtype)], 2)
    dy = array_ops.reshape(dy, shape)
    dx = array_ops.reshape(dx, shape)
    return dy, dx


_SOBEL = np.array([[[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
                   [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]], np.float32)


def sobel_edges(image):
    """``tf.image.sobel_edges(image)``: the vertical and horizontal Sobel responses of each
    channel (REFLECT padding), stacked in a new last axis of 2."""
    image = ops.convert_to_tensor(image, name="image")
    depth = image.shape.as_list()[-1]
    kernels = np.transpose(_SOBEL, (1, 2, 0))[:, :, None, :]
    kernels = np.tile(kernels, [1, 1, depth, 1]).astype(image.dtype.as_numpy_dtype)
    padded = array_ops.pad(image, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="REFLECT")
    edges = nn_conv_ops.depthwise_conv2d(padded, kernels, strides=[1, 1, 1, 1], padding="VALID")
    shape = array_ops.concat([array_ops.shape(image), [2]], 0)
    edges = array_ops.reshape(edges, shape)
    edges.set_shape(image.shape.concatenate(tensor_shape.TensorShape([2])))
    return edges
