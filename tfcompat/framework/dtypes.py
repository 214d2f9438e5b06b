"""TensorFlow dtypes (``tf.float32`` ...) mapped onto NumPy dtypes.

A ``DType`` knows its TF name, its ``DataType`` enum value (used by checkpoints and
GraphDefs) and the NumPy dtype the runtime stores it as. Reference dtypes (``float32_ref``)
are what a ref variable's output has in TF 1.x; ``base_dtype`` strips the ref.
"""
import numpy as np


class DType:
    """A TF element type (``tf.DType``)."""

    __slots__ = ("name", "_enum", "_np", "_is_ref")

    def __init__(self, name, enum, np_type, is_ref=False):
        self.name = name
        self._enum = enum
        self._np = np_type
        self._is_ref = is_ref

    @property
    def as_datatype_enum(self):
        return self._enum + (100 if self._is_ref else 0)

    @property
    def as_numpy_dtype(self):
        return self._np

    @property
    def base_dtype(self):
        return _BY_ENUM[self._enum] if self._is_ref else self

    @property
    def real_dtype(self):
        """float32 for complex64, float64 for complex128, else the base dtype (TF's)."""
        base = self.base_dtype
        return {"complex64": float32, "complex128": float64}.get(base.name, base)

    @property
    def is_ref_dtype(self):
        return self._is_ref

    @property
    def _as_ref(self):
        return self if self._is_ref else _REF_BY_ENUM[self._enum]

    @property
    def is_floating(self):
        return self.base_dtype in (float16, float32, float64, bfloat16)

    @property
    def is_integer(self):
        return self.base_dtype in (int8, int16, int32, int64, uint8, uint16, uint32, uint64)

    @property
    def is_unsigned(self):
        return self.base_dtype in (uint8, uint16, uint32, uint64)

    @property
    def is_bool(self):
        return self.base_dtype is bool

    @property
    def is_complex(self):
        return self.base_dtype in (complex64, complex128)

    @property
    def is_numeric(self):
        return self.is_floating or self.is_integer or self.is_complex

    @property
    def is_differentiable(self):
        """Floating and complex tensors carry gradients; integers and bools do not (TF 1.x)."""
        return self.is_floating or self.is_complex

    @property
    def size(self):
        return 1 if self.base_dtype is string else np.dtype(self._np).itemsize

    @property
    def is_quantized(self):
        return False

    @property
    def min(self):
        """The smallest value of the type; TypeError for bool, string and complex (TF 1.x)."""
        if self.base_dtype in (bool, string, complex64, complex128):
            raise TypeError(f"Cannot find minimum value of {self}.")
        return np.finfo(self._np).min if self.is_floating else np.iinfo(self._np).min

    @property
    def max(self):
        if self.base_dtype in (bool, string, complex64, complex128):
            raise TypeError(f"Cannot find maximum value of {self}.")
        return np.finfo(self._np).max if self.is_floating else np.iinfo(self._np).max

    @property
    def limits(self):
        return self.min, self.max

    def is_compatible_with(self, other):
        return self.base_dtype is as_dtype(other).base_dtype

    def __repr__(self):
        return f"tf.{self.name}"

    def __str__(self):
        return f"<dtype: '{self.name}'>"

    def __eq__(self, other):
        if other is None:
            return False
        try:
            return self is as_dtype(other)
        except TypeError:
            return False

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash((self._enum, self._is_ref))

    def __reduce__(self):
        return as_dtype, (self.name,)


_SPECS = [
    ("float32", 1, np.float32), ("float64", 2, np.float64), ("int32", 3, np.int32),
    ("uint8", 4, np.uint8), ("int16", 5, np.int16), ("int8", 6, np.int8),
    ("string", 7, np.object_), ("complex64", 8, np.complex64), ("int64", 9, np.int64),
    ("bool", 10, np.bool_), ("bfloat16", 14, np.float32), ("uint16", 17, np.uint16),
    ("complex128", 18, np.complex128), ("float16", 19, np.float16),
    ("uint32", 22, np.uint32), ("uint64", 23, np.uint64),
    ("resource", 20, np.object_), ("variant", 21, np.object_),
]
_BY_ENUM = {}
_REF_BY_ENUM = {}
_BY_NAME = {}
for _name, _enum, _np_type in _SPECS:
    _BY_ENUM[_enum] = DType(_name, _enum, _np_type)
    _REF_BY_ENUM[_enum] = DType(_name + "_ref", _enum, _np_type, is_ref=True)
    _BY_NAME[_name] = _BY_ENUM[_enum]
    _BY_NAME[_name + "_ref"] = _REF_BY_ENUM[_enum]

float32 = _BY_NAME["float32"]
float64 = _BY_NAME["float64"]
float16 = _BY_NAME["float16"]
bfloat16 = _BY_NAME["bfloat16"]
int8 = _BY_NAME["int8"]
int16 = _BY_NAME["int16"]
int32 = _BY_NAME["int32"]
int64 = _BY_NAME["int64"]
uint8 = _BY_NAME["uint8"]
uint16 = _BY_NAME["uint16"]
uint32 = _BY_NAME["uint32"]
uint64 = _BY_NAME["uint64"]
string = _BY_NAME["string"]
bool = _BY_NAME["bool"]  # noqa: A001  (tf.bool)
complex64 = _BY_NAME["complex64"]
complex128 = _BY_NAME["complex128"]
resource = _BY_NAME["resource"]  # handles of session-owned resources (iterators, queues)
variant = _BY_NAME["variant"]    # opaque values such as tf.data datasets
half = float16
double = float64

_NP_TO_DTYPE = {np.dtype(np_type): _BY_ENUM[enum] for _, enum, np_type in _SPECS if enum != 14}
_NP_TO_DTYPE[np.dtype(np.object_)] = string
_ALIASES = {"float": float32, "double": float64, "half": float16, "int": int32, "long": int64}


def as_dtype(type_value):
    """Converts a DType, NumPy dtype, Python type, name or enum to a ``DType`` (``tf.as_dtype``)."""
    if isinstance(type_value, DType):
        return type_value
    if isinstance(type_value, str):
        if type_value in _BY_NAME:
            return _BY_NAME[type_value]
        if type_value in _ALIASES:
            return _ALIASES[type_value]
    elif isinstance(type_value, (int, np.integer)) and not isinstance(type_value, builtin_bool):
        value = int(type_value)
        if value in _BY_ENUM:
            return _BY_ENUM[value]
        if value - 100 in _REF_BY_ENUM:
            return _REF_BY_ENUM[value - 100]
    elif type_value is builtin_float:
        return float32
    elif type_value is builtin_int:
        return int32
    elif type_value is builtin_bool:
        return bool
    elif type_value in (builtin_str, bytes):
        return string
    try:
        np_dtype = np.dtype(type_value)
    except TypeError:
        np_dtype = None
    if np_dtype is not None:
        if np_dtype.kind in "SU":
            return string
        if np_dtype in _NP_TO_DTYPE:
            return _NP_TO_DTYPE[np_dtype]
    raise TypeError(f"Cannot convert value {type_value!r} to a TensorFlow DType.")


import builtins as _builtins  # noqa: E402

builtin_bool = _builtins.bool
builtin_int = _builtins.int
builtin_float = _builtins.float
builtin_str = _builtins.str


def kernel_type_name(dtype):
    """The C++ ``DataTypeString`` TF's kernel errors print ("float" for float32)."""
    name = as_dtype(dtype).base_dtype.name
    return {"float32": "float", "float64": "double", "float16": "half"}.get(name, name)
