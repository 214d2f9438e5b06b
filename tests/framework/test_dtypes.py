"""tf.DType (tfcompat/framework/dtypes.py): names, NumPy mapping, ref types, predicates."""
import pickle

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.framework import dtypes


@pytest.mark.parametrize("dtype, np_type, name, enum", [
    (tf.float32, np.float32, "float32", 1), (tf.float64, np.float64, "float64", 2),
    (tf.int32, np.int32, "int32", 3), (tf.uint8, np.uint8, "uint8", 4),
    (tf.string, np.object_, "string", 7), (tf.int64, np.int64, "int64", 9),
    (tf.bool, np.bool_, "bool", 10), (tf.float16, np.float16, "float16", 19),
    (tf.int8, np.int8, "int8", 6), (tf.int16, np.int16, "int16", 5),
])
def test_dtype_table(dtype, np_type, name, enum):
    assert dtype.name == name and dtype.as_numpy_dtype is np_type
    assert dtype.as_datatype_enum == enum
    assert tf.as_dtype(name) is dtype and tf.as_dtype(enum) is dtype
    if np_type is not np.object_:
        assert tf.as_dtype(np_type) is dtype and tf.as_dtype(np.dtype(np_type)) is dtype
    assert pickle.loads(pickle.dumps(dtype)) is dtype


def test_as_dtype_conversions_and_aliases():
    assert tf.as_dtype(tf.float32) is tf.float32
    assert tf.as_dtype(float) is tf.float32 and tf.as_dtype(bool) is tf.bool
    assert tf.as_dtype("float") is tf.float32 and tf.as_dtype("double") is tf.float64
    assert tf.as_dtype("half") is tf.float16
    assert tf.as_dtype(np.dtype("S5")) is tf.string and tf.as_dtype(bytes) is tf.string
    assert tf.double is tf.float64 and tf.half is tf.float16
    with pytest.raises(TypeError, match="Cannot convert value 'nope' to a TensorFlow DType"):
        tf.as_dtype("nope")
    with pytest.raises(TypeError):
        tf.as_dtype(object())


def test_printing():
    assert repr(tf.float32) == "tf.float32"
    assert str(tf.float32) == "<dtype: 'float32'>"


def test_ref_dtypes():
    ref = tf.float32._as_ref
    assert ref.name == "float32_ref" and ref.is_ref_dtype and not tf.float32.is_ref_dtype
    assert ref.base_dtype is tf.float32 and ref.as_datatype_enum == 101
    assert tf.as_dtype("float32_ref") is ref and tf.as_dtype(101) is ref
    assert ref != tf.float32 and ref.is_compatible_with(tf.float32)
    assert tf.float32.is_compatible_with(ref) and not tf.float32.is_compatible_with(tf.int32)
    assert ref.as_numpy_dtype is np.float32


def test_equality_and_hash():
    assert tf.float32 == "float32" and tf.float32 == np.float32 and tf.float32 != tf.float64
    assert tf.float32 != None and tf.float32 != "no such type"  # noqa: E711
    assert len({tf.float32, tf.as_dtype("float32"), tf.float32._as_ref}) == 2


def test_predicates():
    assert tf.float32.is_floating and tf.float16.is_floating and not tf.int32.is_floating
    assert tf.int64.is_integer and tf.uint8.is_integer and not tf.bool.is_integer
    assert tf.uint8.is_unsigned and not tf.int8.is_unsigned
    assert tf.bool.is_bool and tf.complex64.is_complex
    assert tf.float64.is_differentiable and tf.complex64.is_differentiable
    assert not tf.int32.is_differentiable and not tf.bool.is_differentiable
    assert tf.int32.is_numeric and not tf.string.is_numeric and not tf.float32.is_quantized
    assert tf.float32.size == 4 and tf.int64.size == 8


def test_limits():
    assert tf.uint8.min == 0 and tf.uint8.max == 255
    assert tf.int32.limits == (-2**31, 2**31 - 1)
    assert tf.float32.max == np.finfo(np.float32).max
    with pytest.raises(TypeError, match="Cannot find minimum value of"):
        _ = tf.bool.min
    with pytest.raises(TypeError, match="Cannot find maximum value of"):
        _ = tf.string.max


def test_every_exported_dtype_round_trips():
    for name in ("float32", "float64", "float16", "bfloat16", "int8", "int16", "int32", "int64",
                 "uint8", "uint16", "uint32", "uint64", "string", "bool", "complex64",
                 "complex128"):
        dtype = getattr(tf, name)
        assert isinstance(dtype, dtypes.DType) and tf.as_dtype(dtype.as_datatype_enum) is dtype
