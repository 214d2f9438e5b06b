"""``tf.contrib.image.dense_image_warp`` (TF 1.15 ``contrib/image/python/ops/
dense_image_warp.py``): output[b, y, x] = image[b, y - flow[b, y, x, 0], x - flow[b, y, x, 1]],
bilinear between the four pixels around each query point; the cell's corner indices are
clamped to [0, size - 2] and the weights to [0, 1], so queries outside the image take the
border values (no fill). Built from gathers, so it has gradients w.r.t. image and flow.
"""
import numpy as np

from tfcompat.framework import dtypes, ops
from tfcompat.ops import array_ops, check_ops, manip_ops, math_ops


def _dims(tensor):
    """The dimensions of ``tensor``: Python ints where static, else scalar tensors (TF's
    shape refiner folds these shape computations; this keeps the static shapes it finds)."""
    dynamic = array_ops.shape(tensor)
    return [dim if dim is not None else dynamic[i]
            for i, dim in enumerate(tensor.shape.as_list())]


def _shape(dims):
    """A shape argument from ``_dims`` values (a list when all are Python ints)."""
    if all(isinstance(dim, int) for dim in dims):
        return dims
    return array_ops.stack(dims)


def _axis_floor_and_alpha(queries, size, query_type, grid_type):
    """The clamped int32 cell index along one axis and the [b, n, 1] clamped weight."""
    max_floor = math_ops.cast(size - 2, query_type)
    floor = math_ops.minimum(
        math_ops.maximum(array_ops.constant(0.0, dtype=query_type), math_ops.floor(queries)),
        max_floor)
    alpha = math_ops.cast(queries - floor, grid_type)
    alpha = math_ops.minimum(math_ops.maximum(array_ops.constant(0.0, dtype=grid_type), alpha),
                             array_ops.constant(1.0, dtype=grid_type))
    return math_ops.cast(floor, dtypes.int32), array_ops.expand_dims(alpha, 2)


def _interpolate_bilinear(grid, query_points, name="interpolate_bilinear", indexing="ij"):
    """grid [b, h, w, c] at query_points [b, n, 2] ((y, x) with "ij", (x, y) with "xy")."""
    if indexing not in ("ij", "xy"):
        raise ValueError("Indexing mode must be 'ij' or 'xy'")
    with ops.name_scope(name):
        grid = ops.convert_to_tensor(grid)
        query_points = ops.convert_to_tensor(query_points)
        if grid.shape.ndims != 4:
            raise ValueError(f"Grid must be 4 dimensional. Received size: {grid.shape}")
        batch_size, height, width, channels = _dims(grid)
        with ops.control_dependencies([
                check_ops.assert_equal(query_points.shape.ndims, 3,
                                       message="Query points must be 3 dimensional."),
                check_ops.assert_equal(array_ops.shape(query_points)[2], 2,
                                       message="Query points must be size 2 in dim 2.")]):
            num_queries = _dims(query_points)[1]
        with ops.control_dependencies([
                check_ops.assert_greater_equal(height, 2,
                                               message="Grid height must be at least 2."),
                check_ops.assert_greater_equal(width, 2,
                                               message="Grid width must be at least 2.")]):
            unstacked = array_ops.unstack(query_points, axis=2)
        floors, alphas = [], []
        for dim, size in zip([0, 1] if indexing == "ij" else [1, 0], (height, width),
                             strict=True):
            with ops.name_scope(f"dim-{dim}"):
                floor, alpha = _axis_floor_and_alpha(unstacked[dim], size, query_points.dtype,
                                                     grid.dtype)
                floors.append(floor)
                alphas.append(alpha)
        with ops.control_dependencies([check_ops.assert_less_equal(
                math_ops.cast(batch_size * height * width, dtype=dtypes.float32),
                np.iinfo(np.int32).max / 8,
                message="The image size or batch size is sufficiently large that the "
                        "linearized addresses used by array_ops.gather may exceed the int32 "
                        "limit.")]):
            flattened_grid = array_ops.reshape(grid, _shape([batch_size * height * width,
                                                             channels]))
            batch_offsets = array_ops.reshape(math_ops._range(batch_size) * height * width,
                                              _shape([batch_size, 1]))

        def gather(y_coords, x_coords, name):
            with ops.name_scope("gather-" + name):
                linear = batch_offsets + y_coords * width + x_coords
                return array_ops.reshape(array_ops.gather(flattened_grid, linear),
                                         _shape([batch_size, num_queries, channels]))

        top_left = gather(floors[0], floors[1], "top_left")
        top_right = gather(floors[0], floors[1] + 1, "top_right")
        bottom_left = gather(floors[0] + 1, floors[1], "bottom_left")
        bottom_right = gather(floors[0] + 1, floors[1] + 1, "bottom_right")
        with ops.name_scope("interpolate"):
            interp_top = alphas[1] * (top_right - top_left) + top_left
            interp_bottom = alphas[1] * (bottom_right - bottom_left) + bottom_left
            return alphas[0] * (interp_bottom - interp_top) + interp_top


def dense_image_warp(image, flow, name="dense_image_warp"):
    """``image`` [b, h, w, c] (float) warped by ``flow`` [b, h, w, 2] (dy, dx per pixel):
    each output pixel reads the image at its own position minus its flow."""
    with ops.name_scope(name):
        image = ops.convert_to_tensor(image)
        flow = ops.convert_to_tensor(flow)
        batch_size, height, width, channels = _dims(image)
        grid_x, grid_y = manip_ops.meshgrid(math_ops._range(width), math_ops._range(height))
        stacked_grid = math_ops.cast(array_ops.stack([grid_y, grid_x], axis=2), flow.dtype)
        query_points = array_ops.expand_dims(stacked_grid, axis=0) - flow
        query_points = array_ops.reshape(query_points, _shape([batch_size, height * width, 2]))
        interpolated = _interpolate_bilinear(image, query_points)
        return array_ops.reshape(interpolated, _shape([batch_size, height, width, channels]))
