"""``tf.contrib.image.sparse_image_warp`` (TF 1.15 ``sparse_image_warp.py``; SpecAugment's
time warping): the flows dest - source at the control points are interpolated over the whole
image by ``interpolate_spline`` (optionally pinned to zero at ``num_boundary_points`` per
edge), and the image is warped by ``dense_image_warp``. Returns (warped image, dense flows).
"""
import numpy as np

from tfcompat.contrib.image.dense_image_warp import dense_image_warp
from tfcompat.contrib.image.interpolate_spline import interpolate_spline
from tfcompat.framework import ops
from tfcompat.ops import array_ops


def _get_grid_locations(image_height, image_width):
    """[h, w, 2] (y, x) coordinates of every pixel."""
    y_grid, x_grid = np.meshgrid(np.linspace(0, image_height - 1, image_height),
                                 np.linspace(0, image_width - 1, image_width), indexing="ij")
    return np.stack((y_grid, x_grid), -1)


def _expand_to_minibatch(np_array, batch_size):
    return np.tile(np.expand_dims(np_array, 0), [batch_size] + [1] * np_array.ndim)


def _get_boundary_locations(image_height, image_width, num_points_per_edge):
    """The (y, x) points evenly spaced along the image border, corners included."""
    ys, xs = np.meshgrid(np.linspace(0, image_height - 1, num_points_per_edge + 2),
                         np.linspace(0, image_width - 1, num_points_per_edge + 2),
                         indexing="ij")
    is_boundary = ((xs == 0) | (xs == image_width - 1) | (ys == 0) | (ys == image_height - 1))
    return np.stack([ys[is_boundary], xs[is_boundary]], axis=-1)


def _add_zero_flow_controls_at_boundary(control_point_locations, control_point_flows,
                                        image_height, image_width, boundary_points_per_edge):
    batch_size = control_point_locations.shape[0].value
    locations = _get_boundary_locations(image_height, image_width, boundary_points_per_edge)
    dtype = control_point_locations.dtype
    boundary_locations = array_ops.constant(_expand_to_minibatch(locations, batch_size),
                                            dtype=dtype)
    boundary_flows = array_ops.constant(
        _expand_to_minibatch(np.zeros([locations.shape[0], 2]), batch_size), dtype=dtype)
    return (array_ops.concat([control_point_locations, boundary_locations], 1),
            array_ops.concat([control_point_flows, boundary_flows], 1))


def sparse_image_warp(image, source_control_point_locations, dest_control_point_locations,
                      interpolation_order=2, regularization_weight=0.0, num_boundary_points=0,
                      name="sparse_image_warp"):
    """``(warped_image, dense_flows)`` for ``image`` [b, h, w, c] (static shape) moved so
    that the pixels at the [b, n, 2] (y, x) source points land on the dest points."""
    image = ops.convert_to_tensor(image)
    source_control_point_locations = ops.convert_to_tensor(source_control_point_locations)
    dest_control_point_locations = ops.convert_to_tensor(dest_control_point_locations)
    control_point_flows = dest_control_point_locations - source_control_point_locations
    with ops.name_scope(name):
        batch_size, image_height, image_width, _ = image.shape.as_list()
        grid_locations = np.reshape(_get_grid_locations(image_height, image_width),
                                    [image_height * image_width, 2])
        flattened_grid_locations = array_ops.constant(
            _expand_to_minibatch(grid_locations, batch_size), image.dtype)
        if num_boundary_points > 0:
            dest_control_point_locations, control_point_flows = (
                _add_zero_flow_controls_at_boundary(
                    dest_control_point_locations, control_point_flows, image_height,
                    image_width, num_boundary_points - 1))
        flattened_flows = interpolate_spline(dest_control_point_locations, control_point_flows,
                                             flattened_grid_locations, interpolation_order,
                                             regularization_weight)
        dense_flows = array_ops.reshape(flattened_flows,
                                        [batch_size, image_height, image_width, 2])
        return dense_image_warp(image, dense_flows), dense_flows
