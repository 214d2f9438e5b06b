"""Projective image transforms: the op ``ImageProjectiveTransformV2`` of TF's contrib/image
kernels (``tf.contrib.image.transform``, ``rotate``, ``translate``).

Each output pixel (x, y) of image b reads the input at ((a0 x + a1 y + a2) / k,
(b0 x + b1 y + b2) / k), k = c0 x + c1 y + 1, with the 8 numbers [a0 a1 a2 b0 b1 b2 c0 c1]
of transform b (or the single transform of a batch of 1): the nearest pixel (C's round, half
away from zero) or the bilinear blend of the 4 around it, 0 outside the image (fill_mode
"CONSTANT", TF 1.15's only mode) and where k == 0. As TF's kernel, coordinates and the
bilinear blend are float32 whatever the image dtype, and the result is converted back
(truncating for integers). The gradient w.r.t. the images is TF's: the same op on dy with
the inverted transforms (exact for permutations such as integer shifts, an approximation
otherwise).
"""
import numpy as np

from tfcompat.framework import dtypes, errors, ops, tensor_shape
from tfcompat.framework.op_def import OpDef, constant_value, make_tensor, register_op
from tfcompat.ops import array_ops, linalg_ops

__all__ = []

IMAGE_DTYPES = (dtypes.uint8, dtypes.int32, dtypes.int64, dtypes.float16, dtypes.float32,
                dtypes.float64)
INTERPOLATIONS = ("NEAREST", "BILINEAR")


def c_round(values):
    """C's ``std::round`` on float32 values (halves away from zero), exactly."""
    whole = np.trunc(values)
    return whole + np.where(np.abs(values - whole) >= 0.5, np.sign(values), 0).astype(
        values.dtype)


def source_coordinates(transforms, batch, height, width):
    """(input_x, input_y, inside) float32 arrays [batch, height, width] of each output pixel:
    TF's projection in TF's order of float32 operations; ``inside`` is False where the
    projection's denominator is 0."""
    xs = np.arange(width, dtype=np.float32)[None, None, :]
    ys = np.arange(height, dtype=np.float32)[None, :, None]
    t = np.broadcast_to(transforms, (batch, 8)).astype(np.float32)[:, :, None, None]
    projection = t[:, 6] * xs + t[:, 7] * ys + np.float32(1)
    inside = projection != 0
    safe = np.where(inside, projection, np.float32(1))
    input_x = (t[:, 0] * xs + t[:, 1] * ys + t[:, 2]) / safe
    input_y = (t[:, 3] * xs + t[:, 4] * ys + t[:, 5]) / safe
    return input_x, input_y, inside


def _read(images, batch_index, rows, columns, inside):
    """images[b, rows, columns, :] where in range (and ``inside``), else 0; the integer
    coordinates come from float32 values that may be huge, inf or NaN."""
    _, height, width, _ = images.shape
    valid = inside & (rows >= 0) & (rows < height) & (columns >= 0) & (columns < width)
    row_index = np.where(valid, rows, 0).astype(np.int64)
    column_index = np.where(valid, columns, 0).astype(np.int64)
    values = images[batch_index, row_index, column_index]
    return np.where(valid[..., None], values, np.zeros((), images.dtype))


def projective_transform(images, transforms, out_height, out_width, interpolation):
    """The NumPy reference of ImageProjectiveTransformV2 (arguments checked); non-finite
    coordinates follow IEEE arithmetic as TF's kernel does."""
    with np.errstate(invalid="ignore", over="ignore"):
        return _projective_transform(images, transforms, out_height, out_width,
                                     interpolation)


def _projective_transform(images, transforms, out_height, out_width, interpolation):
    batch = images.shape[0]
    input_x, input_y, inside = source_coordinates(transforms, batch, out_height, out_width)
    batch_index = np.arange(batch)[:, None, None]
    if interpolation == "NEAREST":
        return _read(images, batch_index, c_round(input_y), c_round(input_x), inside)
    y_floor, x_floor = np.floor(input_y), np.floor(input_x)
    y_ceil, x_ceil = y_floor + np.float32(1), x_floor + np.float32(1)

    def corner(rows, columns):
        return _read(images, batch_index, rows, columns, inside).astype(np.float32)

    left, right = (x_ceil - input_x)[..., None], (input_x - x_floor)[..., None]
    value_yfloor = left * corner(y_floor, x_floor) + right * corner(y_floor, x_ceil)
    value_yceil = left * corner(y_ceil, x_floor) + right * corner(y_ceil, x_ceil)
    blended = ((y_ceil - input_y)[..., None] * value_yfloor
               + (input_y - y_floor)[..., None] * value_yceil)
    return to_dtype(np.where(inside[..., None], blended, np.float32(0)), images.dtype)


def to_dtype(values, dtype):
    """C's conversion of float32 values to ``dtype`` (integers truncate toward zero)."""
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        values = np.clip(np.nan_to_num(values, nan=0.0), info.min, info.max)
    return values.astype(dtype)


def check_arguments(op, images, transforms, output_shape):
    """(out_height, out_width) after TF's kernel checks of the three inputs."""
    if images.ndim != 4:
        raise errors.InvalidArgumentError(None, op, "Input images must have rank 4")
    if transforms.ndim != 2 or transforms.shape[0] not in (images.shape[0], 1) \
            or transforms.shape[1] != 8:
        raise errors.InvalidArgumentError(
            None, op, "Input transform should be num_images x 8 or 1 x 8")
    output_shape = np.asarray(output_shape)
    if output_shape.ndim != 1:
        raise errors.InvalidArgumentError(
            None, op, f"output shape must be 1-dimensional{list(output_shape.shape)}")
    if output_shape.size != 2:
        raise errors.InvalidArgumentError(
            None, op, f"output shape must have two elements{list(output_shape.shape)}")
    out_height, out_width = (int(v) for v in output_shape)
    if out_height <= 0 or out_width <= 0:
        raise errors.InvalidArgumentError(None, op, "output dimensions must be positive")
    return out_height, out_width


def interpolation_of(op):
    """The op's interpolation attr, checked as TF's kernel constructor does."""
    interpolation = op.attrs.get("interpolation")
    if isinstance(interpolation, bytes):
        interpolation = interpolation.decode()
    if interpolation not in INTERPOLATIONS:
        raise errors.InvalidArgumentError(
            None, op, f"Invalid interpolation {interpolation}. Supported types: NEAREST, "
                      f"BILINEAR")
    fill_mode = op.attrs.get("fill_mode", "CONSTANT")
    if isinstance(fill_mode, bytes):
        fill_mode = fill_mode.decode()
    if fill_mode != "CONSTANT":
        raise errors.UnimplementedError(
            None, op, f"tfcompat implements ImageProjectiveTransformV2 with fill_mode "
                      f"CONSTANT only (TF 1.15's), not {fill_mode}")
    return interpolation


@register_op
class ImageProjectiveTransformV2(OpDef):
    """images [batch, h, w, c], transforms float32 [batch or 1, 8], output_shape int32 [2]
    -> images [batch, out_h, out_w, c] (see the module docstring)."""

    shape_determining_inputs = (2,)

    def infer(self, op):
        images, transforms, output_shape = op.inputs
        dtype = images.dtype.base_dtype
        if dtype not in IMAGE_DTYPES:
            raise TypeError(f"Value passed to parameter 'images' has DataType {dtype.name} not "
                            f"in list of allowed values: uint8, int32, int64, float16, "
                            f"float32, float64")
        if transforms.dtype.base_dtype != dtypes.float32:
            raise TypeError(f"Input 'transforms' of 'ImageProjectiveTransformV2' Op has type "
                            f"{transforms.dtype.base_dtype.name} that does not match expected "
                            f"type of float32.")
        for tensor, rank in ((images, 4), (transforms, 2), (output_shape, 1)):
            if tensor.shape.ndims not in (None, rank):
                raise ValueError(f"Shape must be rank {rank} but is rank {tensor.shape.ndims} "
                                 f"for '{op.name}' (op: '{op.type}') with input shapes: "
                                 f"{', '.join(str(t.shape) for t in op.inputs)}.")
        if output_shape.shape.ndims == 1 and output_shape.shape[0].value not in (None, 2):
            raise ValueError(f"Dimension must be 2 but is {output_shape.shape[0].value} for "
                             f"'{op.name}' (op: '{op.type}')")
        size = constant_value(output_shape)
        height = width = None
        if size is not None:
            height, width = (int(v) for v in np.asarray(size).reshape(-1))
        dims = images.shape.as_list() if images.shape.ndims else [None] * 4
        return [(tensor_shape.TensorShape([dims[0], height, width, dims[3]]), dtype)]

    def kernel(self, op, ctx):
        interpolation = interpolation_of(op)

        def image_projective_transform(images, transforms, output_shape):
            height, width = check_arguments(op, images, transforms, output_shape)
            return projective_transform(images, transforms, height, width, interpolation)
        return image_projective_transform

    def grad(self, op, dy):
        images, transforms, _ = op.inputs
        inverse = matrices_to_flat_transforms(linalg_ops.matrix_inverse(
            flat_transforms_to_matrices(transforms)))
        output = image_projective_transform_v2(
            dy, inverse, array_ops.shape(images)[1:3], interpolation=op.attrs["interpolation"])
        return [output, None, None]


def image_projective_transform_v2(images, transforms, output_shape, interpolation,
                                  fill_mode="CONSTANT", name=None):
    """The raw op (``gen_image_ops.image_projective_transform_v2``)."""
    images = ops.convert_to_tensor(images, name="images")
    transforms = ops.convert_to_tensor(transforms, dtype=dtypes.float32, name="transforms")
    output_shape = ops.convert_to_tensor(output_shape, dtype=dtypes.int32, name="output_shape")
    return make_tensor("ImageProjectiveTransformV2", [images, transforms, output_shape],
                       {"interpolation": interpolation, "fill_mode": fill_mode},
                       name=name or "ImageProjectiveTransformV2")


def flat_transforms_to_matrices(transforms):
    """[N, 8] flat transforms -> [N, 3, 3] matrices (the implicit last entry 1 appended)."""
    with ops.name_scope("flat_transforms_to_matrices"):
        transforms = array_ops.reshape(transforms, array_ops.constant([-1, 8]))
        num_transforms = array_ops.shape(transforms)[0]
        ones = array_ops.ones(array_ops.stack([num_transforms, 1]), transforms.dtype)
        return array_ops.reshape(array_ops.concat([transforms, ones], axis=1),
                                 array_ops.constant([-1, 3, 3]))


def matrices_to_flat_transforms(transform_matrices):
    """[N, 3, 3] matrices -> [N, 8] flat transforms, each divided by its last entry."""
    with ops.name_scope("matrices_to_flat_transforms"):
        transforms = array_ops.reshape(transform_matrices, array_ops.constant([-1, 9]))
        transforms /= transforms[:, 8:9]
        return transforms[:, :8]
