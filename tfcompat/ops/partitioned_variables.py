"""Partitioners and ``tf.create_partitioned_variables`` (TF 1.x ``partitioned_variables``).

A partitioner is a callable ``partitioner(shape=TensorShape, dtype=DType)`` returning how many
parts each axis of a new variable is split into (only one axis may have more than one);
``get_variable`` and ``variable_scope`` take one as ``partitioner=`` and then build a
``PartitionedVariable`` whose parts are ``<name>/part_0``, ``<name>/part_1``, ...
"""
import math

from tfcompat import logging
from tfcompat.framework import dtypes, ops, tensor_shape
from tfcompat.ops import variable_scope

__all__ = ["create_partitioned_variables", "variable_axis_size_partitioner",
           "min_max_variable_partitioner", "fixed_size_partitioner"]


def _element_bytes(dtype, bytes_per_string_element):
    if dtype.base_dtype == dtypes.string:
        return bytes_per_string_element
    return dtype.size


def variable_axis_size_partitioner(max_shard_bytes, axis=0, bytes_per_string_element=16,
                                   max_shards=None):
    """Splits ``axis`` into as few parts as keep each below ``max_shard_bytes`` (at least
    one slice of the axis per part), at most ``max_shards`` parts."""
    if max_shard_bytes < 1 or bytes_per_string_element < 1:
        raise ValueError("Both max_shard_bytes and bytes_per_string_element must be positive.")
    if max_shards and max_shards < 1:
        raise ValueError("max_shards must be positive.")

    def _partitioner(shape, dtype):
        if not isinstance(shape, tensor_shape.TensorShape):
            raise ValueError(f"shape is not a TensorShape: {shape}")
        if not shape.is_fully_defined():
            raise ValueError(f"shape is not fully defined: {shape}")
        if not isinstance(dtype, dtypes.DType):
            raise ValueError(f"dtype is not a DType: {dtype}")
        element_size = _element_bytes(dtype, bytes_per_string_element)
        partitions = [1] * shape.ndims
        bytes_per_slice = 1.0 * (shape.num_elements() / shape[axis].value) * element_size
        slices_per_shard = max(1, math.floor(max_shard_bytes / bytes_per_slice))
        axis_shards = int(math.ceil(1.0 * shape[axis].value / slices_per_shard))
        if max_shards:
            axis_shards = min(max_shards, axis_shards)
        partitions[axis] = axis_shards
        return partitions

    return _partitioner


def min_max_variable_partitioner(max_partitions=1, axis=0, min_slice_size=256 << 10,
                                 bytes_per_string_element=16):
    """Splits ``axis`` into ceil(total bytes / ``min_slice_size``) parts, at most
    ``max_partitions`` and at most the axis' size, at least one."""

    def _partitioner(shape, dtype):
        if axis >= len(shape):
            raise ValueError(f"Can not partition variable along axis {axis} when shape is "
                             f"only {shape}")
        total_bytes = shape.num_elements() * _element_bytes(dtype, bytes_per_string_element)
        partitions = [1] * len(shape)
        partitions[axis] = max(1, min(shape[axis].value, max_partitions,
                                      int(math.ceil(total_bytes / min_slice_size))))
        return partitions

    return _partitioner


def fixed_size_partitioner(num_shards, axis=0):
    """Splits ``axis`` into ``num_shards`` parts (fewer when the axis is shorter)."""

    def _partitioner(shape, **unused_args):
        partitions = [1] * len(shape)
        partitions[axis] = min(num_shards, shape[axis].value)
        return partitions

    return _partitioner


def create_partitioned_variables(shape, slicing, initializer, dtype=dtypes.float32,
                                 trainable=True, collections=None, name=None, reuse=None):
    """The list of parts of a new partitioned variable split as ``slicing`` says (deprecated
    in TF 1.x): made by ``get_variable`` under ``variable_scope(name, "PartitionedVariable")``,
    so the parts are ``PartitionedVariable/part_0``, ... by default."""
    logging.warning(
        "create_partitioned_variables is deprecated.  Use tf.get_variable with a partitioner "
        "set, or tf.get_partitioned_variable_list, instead.")
    if len(shape) != len(slicing):
        raise ValueError("The 'shape' and 'slicing' of a partitioned Variable must have the "
                         f"length: shape: {shape}, slicing: {slicing}")
    if len(shape) < 1:
        raise ValueError(f"A partitioned Variable must have rank at least 1: shape: {shape}")

    def partitioner(**unused_args):
        return slicing

    with variable_scope.variable_scope(name, "PartitionedVariable", reuse=reuse) as scope:
        if scope.custom_getter is not None:
            raise ValueError(
                "Private access to _get_partitioned_variable is not allowed when a custom "
                f"getter is set.  Current custom getter: {scope.custom_getter}.  It is likely "
                "that you're using create_partitioned_variables.  If so, consider instead "
                "using get_variable with a non-empty partitioner parameter instead.")
        store = variable_scope._get_variable_store()
        with ops.name_scope(None):
            variable = store.get_partitioned_variable(
                scope.name, partitioner, shape=shape, dtype=dtype,
                initializer=initializer if initializer is not None else scope.initializer,
                regularizer=scope.regularizer, reuse=scope.reuse, trainable=trainable,
                collections=collections, constraint=scope.constraint)
        return list(variable)
