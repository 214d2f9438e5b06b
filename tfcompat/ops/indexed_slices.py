"""``tf.IndexedSlices``: a sparse set of rows of a dense tensor, the form TF 1.x gives the
gradient of ``tf.gather`` (axis 0) and ``tf.nn.embedding_lookup``.

``values[i]`` is row ``indices[i]`` of a tensor of shape ``dense_shape``; repeated indices
add up. ``tf.convert_to_tensor`` densifies one with UnsortedSegmentSum (as TF's
``_indexed_slices_to_tensor``); ``Session.run`` fetches one as an ``IndexedSlicesValue``.
"""
import collections

import numpy as np

from tfcompat.framework import dtypes, ops

IndexedSlicesValue = collections.namedtuple("IndexedSlicesValue",
                                            ["values", "indices", "dense_shape"])


class IndexedSlices:
    """``tf.IndexedSlices(values, indices, dense_shape=None)``."""

    def __init__(self, values, indices, dense_shape=None):
        self._values = values
        self._indices = indices
        self._dense_shape = dense_shape

    @property
    def values(self):
        return self._values

    @property
    def indices(self):
        return self._indices

    @property
    def dense_shape(self):
        return self._dense_shape

    @property
    def name(self):
        return self._values.name

    @property
    def dtype(self):
        return self._values.dtype

    @property
    def op(self):
        return self._values.op

    @property
    def graph(self):
        return self._values.graph

    @property
    def device(self):
        return self._values.device

    def __neg__(self):
        from tfcompat.ops import math_ops
        return IndexedSlices(math_ops.negative(self._values), self._indices, self._dense_shape)

    def __str__(self):
        shape = "" if self._dense_shape is None else f", dense_shape={self._dense_shape}"
        return f"IndexedSlices(indices={self._indices}, values={self._values}{shape})"

    __repr__ = __str__

    def _composite_fetch(self):
        """The tensors ``Session.run`` fetches for this value and the function building the
        fetched result from their arrays."""
        parts = [self._values, self._indices]
        if self._dense_shape is not None:
            parts.append(self._dense_shape)
        return parts, lambda values, indices, shape=None: IndexedSlicesValue(values, indices,
                                                                             shape)


def _to_dense(value, dtype=None, name=None, as_ref=False):
    """TF's ``_indexed_slices_to_tensor``: UnsortedSegmentSum of the rows into dense_shape."""
    from tfcompat.ops import array_ops, math_ops
    if value.dense_shape is None:
        raise ValueError(f"Tensor conversion requested for IndexedSlices without dense_shape: "
                         f"{value}")
    num_rows = array_ops.gather(value.dense_shape, 0)
    return math_ops.unsorted_segment_sum(value.values, value.indices, num_rows,
                                         name=name or "UnsortedSegmentSum")


ops.register_tensor_conversion_function(IndexedSlices, _to_dense)


def convert_to_tensor_or_indexed_slices(value, dtype=None, name=None):
    """``tf.convert_to_tensor_or_indexed_slices``: IndexedSlices stay as they are (after a
    dtype check); anything else becomes a Tensor."""
    if isinstance(value, IndexedSlices):
        if dtype is not None and not dtypes.as_dtype(dtype).is_compatible_with(value.dtype):
            raise ValueError(f"Tensor conversion requested dtype {dtypes.as_dtype(dtype).name}"
                             f" for Tensor with dtype {value.dtype.name}: {value!r}")
        return value
    return ops.convert_to_tensor(value, dtype=dtype, name=name)


def dense_shape_tensor(tensor, out_type=None):
    """The shape of ``tensor`` as a constant where static (the IndexedSlices ``dense_shape``
    of a gradient), else a Shape op."""
    from tfcompat.ops import array_ops
    dtype = out_type or dtypes.int32
    if tensor.shape.is_fully_defined():
        return array_ops.constant(np.array(tensor.shape.as_list(), dtype=dtype.as_numpy_dtype))
    return array_ops.shape(tensor, out_type=dtype)
