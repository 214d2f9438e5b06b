"""``tf.TensorSpec``: a description of a tensor (shape, dtype, name) that tensors can be
checked against."""
from tfcompat.framework import dtypes, tensor_shape


class TensorSpec:
    """``tf.TensorSpec(shape, dtype=tf.float32, name=None)``."""

    def __init__(self, shape, dtype=dtypes.float32, name=None):
        self._shape = tensor_shape.TensorShape(shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._name = name

    @classmethod
    def from_spec(cls, spec, name=None):
        return cls(spec.shape, spec.dtype, name or spec.name)

    @classmethod
    def from_tensor(cls, tensor, name=None):
        """The spec of a graph tensor (its static shape, dtype and op name)."""
        return cls(tensor.shape, tensor.dtype.base_dtype, name or tensor.op.name)

    shape = property(lambda self: self._shape)
    dtype = property(lambda self: self._dtype)
    name = property(lambda self: self._name)

    def is_compatible_with(self, spec_or_tensor):
        """True when the dtypes are equal and the shapes compatible."""
        dtype = spec_or_tensor.dtype.base_dtype
        return self._dtype == dtype and self._shape.is_compatible_with(spec_or_tensor.shape)

    def most_specific_compatible_type(self, other):
        if self._dtype != other.dtype:
            raise ValueError(f"Types are not compatible: {self} vs. {other}")
        return TensorSpec(self._shape.most_specific_compatible_shape(other.shape),
                          self._dtype)

    def __eq__(self, other):
        def dims(shape):
            return None if shape.ndims is None else shape.as_list()
        return (isinstance(other, TensorSpec) and self._dtype == other.dtype
                and self._name == other.name and dims(self._shape) == dims(other.shape))

    def __hash__(self):
        return hash((self._dtype, self._name))

    def __repr__(self):
        return f"TensorSpec(shape={self._shape}, dtype={self._dtype!r}, name={self._name!r})"
