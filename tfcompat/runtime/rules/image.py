"""Lowering rules for the image ops of ``ops/image_transform_ops.py``.

``ImageProjectiveTransformV2``: one Numba pass over the output pixels (blocks of output rows
on the run's threads) computing each pixel's source coordinates and reading or blending its
channels, in the reference's float32 operations and order, so both tiers agree bit for bit
(integer images convert the blended float32 values with the reference's conversion).
float16 images keep the reference kernel.
"""
import numpy as np
from numba import njit

from tfcompat.framework import dtypes as tf_dtypes
from tfcompat.ops import image_transform_ops
from tfcompat.runtime import lowering, threads

_jit = njit(cache=True, nogil=True)
#: Output rows (over all images) are cut into about this many blocks a thread.
_BLOCKS_A_THREAD = 4


@_jit
def _c_round(value):
    """C's ``std::round`` (halves away from zero) on a float32, as the reference's."""
    whole = np.float32(np.trunc(value))
    if abs(value - whole) >= np.float32(0.5):
        whole += np.float32(np.sign(value))
    return whole


@_jit
def _inside(row, column, height, width):
    return row >= 0 and row < height and column >= 0 and column < width


@_jit
def _source(transform, x, y):
    """(input_x, input_y, defined) of output pixel (x, y), in TF's float32 operations."""
    projection = transform[6] * x + transform[7] * y + np.float32(1)
    if projection == 0:
        return np.float32(0), np.float32(0), False
    input_x = (transform[0] * x + transform[1] * y + transform[2]) / projection
    input_y = (transform[3] * x + transform[4] * y + transform[5]) / projection
    return input_x, input_y, True


@_jit
def _nearest_rows(images, transforms, out, first, last):
    """Output rows [first, last) (counted over batch * out_height) by nearest reads."""
    _, height, width, channels = images.shape
    out_height, out_width = out.shape[1], out.shape[2]
    for flat_row in range(first, last):
        b, y = flat_row // out_height, flat_row % out_height
        transform = transforms[b if transforms.shape[0] > 1 else 0]
        for x in range(out_width):
            input_x, input_y, defined = _source(transform, np.float32(x), np.float32(y))
            row, column = _c_round(input_y), _c_round(input_x)
            if defined and _inside(row, column, height, width):
                for c in range(channels):
                    out[b, y, x, c] = images[b, int(row), int(column), c]
            else:
                for c in range(channels):
                    out[b, y, x, c] = 0


@_jit
def _corner(images, b, row, column, c):
    _, height, width, _ = images.shape
    if _inside(row, column, height, width):
        return np.float32(images[b, int(row), int(column), c])
    return np.float32(0)


@_jit
def _bilinear_rows(images, transforms, out, first, last):
    """Output rows [first, last) blended as the reference, into float32 ``out``."""
    channels = images.shape[3]
    out_height, out_width = out.shape[1], out.shape[2]
    one = np.float32(1)
    for flat_row in range(first, last):
        b, y = flat_row // out_height, flat_row % out_height
        transform = transforms[b if transforms.shape[0] > 1 else 0]
        for x in range(out_width):
            input_x, input_y, defined = _source(transform, np.float32(x), np.float32(y))
            if not defined:
                for c in range(channels):
                    out[b, y, x, c] = 0
                continue
            y_floor, x_floor = np.float32(np.floor(input_y)), np.float32(np.floor(input_x))
            y_ceil, x_ceil = y_floor + one, x_floor + one
            left, right = x_ceil - input_x, input_x - x_floor
            up, down = y_ceil - input_y, input_y - y_floor
            for c in range(channels):
                value_yfloor = (left * _corner(images, b, y_floor, x_floor, c)
                                + right * _corner(images, b, y_floor, x_ceil, c))
                value_yceil = (left * _corner(images, b, y_ceil, x_floor, c)
                               + right * _corner(images, b, y_ceil, x_ceil, c))
                out[b, y, x, c] = up * value_yfloor + down * value_yceil


@lowering.fast_kernel("ImageProjectiveTransformV2")
def image_projective_transform_rule(op, ctx):
    """The Numba kernel (Numba has no float16: those images keep the reference); the
    checks raise TF's errors for arguments that do not fit."""
    if op.inputs[0].dtype.base_dtype == tf_dtypes.float16:
        return None
    interpolation = image_transform_ops.interpolation_of(op)
    bilinear = interpolation == "BILINEAR"
    rows = _bilinear_rows if bilinear else _nearest_rows

    def image_projective_transform(images, transforms, output_shape):
        height, width = image_transform_ops.check_arguments(op, images, transforms,
                                                            output_shape)
        images = np.ascontiguousarray(images)
        transforms = np.ascontiguousarray(transforms, dtype=np.float32)
        shape = (images.shape[0], height, width, images.shape[3])
        out = np.empty(shape, np.float32 if bilinear else images.dtype)

        def block(part, first, last):
            rows(images, transforms, out, first, last)
        parts = threads.policy().parts()
        threads.policy().run_parts(block, shape[0] * height,
                                   parts * _BLOCKS_A_THREAD if parts > 1 else 1)
        return image_transform_ops.to_dtype(out, images.dtype) if bilinear else out
    return image_projective_transform


lowering.own_threads("ImageProjectiveTransformV2")
