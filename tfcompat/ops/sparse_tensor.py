"""``tf.SparseTensor`` / ``tf.SparseTensorValue``: a tensor given by the coordinates of its
non-default entries (int64 ``indices`` [N, rank]), their ``values`` [N] and its int64
``dense_shape`` [rank], three tensors of one graph (TF 1.x ``framework/sparse_tensor.py``).

``Session.run`` fetches a SparseTensor as a SparseTensorValue; a feed_dict key that is a
SparseTensor (``tf.sparse_placeholder``) takes a SparseTensorValue or an (indices, values,
dense_shape) tuple, fed to its three tensors.
"""
import collections

import numpy as np

from tfcompat.framework import dtypes, ops, tensor_shape

SparseTensorValue = collections.namedtuple("SparseTensorValue",
                                           ["indices", "values", "dense_shape"])


class SparseTensor:
    """``tf.SparseTensor(indices, values, dense_shape)``."""

    def __init__(self, indices, values, dense_shape):
        with ops.name_scope(None, "SparseTensor", [indices, values, dense_shape]):
            self._indices = ops.convert_to_tensor(indices, dtype=dtypes.int64, name="indices")
            self._values = ops.convert_to_tensor(values, name="values")
            self._dense_shape = ops.convert_to_tensor(dense_shape, dtype=dtypes.int64,
                                                      name="dense_shape")
        self._indices.shape.with_rank(2)
        self._values.shape.with_rank(1)
        self._dense_shape.shape.with_rank(1)
        rank = self._dense_shape.shape[0]
        if self._indices.shape[1].value is not None and rank.value is not None \
                and self._indices.shape[1].value != rank.value:
            raise ValueError(f"Dimensions {self._indices.shape[1].value} and {rank.value} are "
                             f"not compatible")

    @classmethod
    def from_value(cls, sparse_tensor_value):
        """A SparseTensor of constants from a SparseTensorValue (or a SparseTensor)."""
        if isinstance(sparse_tensor_value, SparseTensor):
            return sparse_tensor_value
        return cls(indices=sparse_tensor_value.indices, values=sparse_tensor_value.values,
                   dense_shape=sparse_tensor_value.dense_shape)

    @property
    def indices(self):
        return self._indices

    @property
    def values(self):
        return self._values

    @property
    def dense_shape(self):
        return self._dense_shape

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
    def shape(self):
        """The static dense shape: known entries of a constant (or Shape-derived) shape."""
        from tfcompat.framework.op_def import constant_shape_value
        return constant_shape_value(self._dense_shape)

    def get_shape(self):
        return self.shape

    def eval(self, feed_dict=None, session=None):
        return ops._session_for_eval(session, self.graph, "Tensor.eval").run(self, feed_dict)

    def __str__(self):
        return (f"SparseTensor(indices={self._indices}, values={self._values}, "
                f"dense_shape={self._dense_shape})")

    __repr__ = __str__

    def _composite_fetch(self):
        """Its three tensors and the SparseTensorValue built from their arrays."""
        return [self._indices, self._values, self._dense_shape], SparseTensorValue

    def _composite_feed(self, value):
        """[(tensor, value)] for feeding a SparseTensorValue or (indices, values, shape)."""
        if isinstance(value, SparseTensorValue):
            parts = (value.indices, value.values, value.dense_shape)
        elif isinstance(value, (tuple, list)) and len(value) == 3:
            parts = tuple(value)
        else:
            raise TypeError(f"The value of a SparseTensor feed must be a SparseTensorValue or "
                            f"an (indices, values, dense_shape) tuple, got {value!r}")
        return list(zip((self._indices, self._values, self._dense_shape), parts, strict=True))


def is_sparse(value):
    return isinstance(value, (SparseTensor, SparseTensorValue))


def convert_to_tensor_or_sparse_tensor(value, dtype=None, name=None):
    """``tf.convert_to_tensor_or_sparse_tensor``: SparseTensorValues become SparseTensors,
    SparseTensors stay, anything else becomes a Tensor."""
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    if isinstance(value, SparseTensorValue):
        value = SparseTensor.from_value(value)
    if isinstance(value, SparseTensor):
        if dtype is not None and not dtype.is_compatible_with(value.dtype):
            raise RuntimeError(f"Sparse dtype: requested = {dtype}, actual = {value.dtype}")
        return value
    return ops.convert_to_tensor(value, dtype=dtype, name=name)


def sparse_placeholder(dtype, shape=None, name=None):
    """``tf.sparse_placeholder(dtype, shape=None, name=None)``: placeholders
    ``<name>/values`` [None], ``<name>/indices`` [None, rank] and, unless ``shape`` is fully
    known (then a constant), ``<name>/shape`` [rank]."""
    from tfcompat.ops import array_ops
    rank = None
    dense_shape = None
    if shape is not None:
        if isinstance(shape, ops.Tensor):
            rank = shape.shape[0].value
            dense_shape = shape
        else:
            shape = shape.as_list() if isinstance(shape, tensor_shape.TensorShape) \
                else list(shape)
            rank = len(shape)
            if None not in shape and -1 not in shape:
                dense_shape = ops.convert_to_tensor(np.array(shape, dtype=np.int64),
                                                    name=_child(name, "shape"))
    if dense_shape is None:
        dense_shape = array_ops.placeholder(dtypes.int64, shape=[rank],
                                            name=_child(name, "shape"))
    return SparseTensor(
        values=array_ops.placeholder(dtype, shape=[None], name=_child(name, "values")),
        indices=array_ops.placeholder(dtypes.int64, shape=[None, rank],
                                      name=_child(name, "indices")),
        dense_shape=dense_shape)


def _child(name, part):
    return None if name is None else f"{name}/{part}"
