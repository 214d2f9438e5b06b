"""The make_tensor_proto calls of tests/golden/make_tensor_proto_goldens.py, written once for
TensorFlow and tfcompat: (case id, values, keyword arguments)."""
import numpy as np


def cases():
    return [
        ("float_list", [1.0, 2.0], {}),
        ("int_scalar", 3, {}),
        ("big_int", [2**40, 1], {}),
        ("negative_int_scalar", -5, {}),
        ("string_scalar", "ab", {}),
        ("string_matrix", [[b"a\x00b", b"\xff"], [b"", b"xyz"]], {}),
        ("bools", [True, False], {}),
        ("half", np.array([1.5, 2.0], np.float16), {}),
        ("float64_array", np.arange(6.0).reshape(2, 3), {}),
        ("float64_scalar", np.float64(2.5), {}),
        ("int8_dtype", [1, -2, 3], {"dtype": "int8"}),
        ("uint32", np.array([1, 2, 4000000000], np.uint32), {}),
        ("int64_dtype_scalar", 7, {"dtype": "int64"}),
        ("complex64", np.array([1 + 2j, -3j], np.complex64), {}),
        ("complex128_scalar", np.complex128(1.5 - 0.5j), {}),
        ("fill_shape", [1.0], {"shape": [2, 2]}),
        ("fill_shape_partial", [1, 2], {"shape": [3]}),
        ("empty_shape", [], {"shape": [0, 3], "dtype": "float32"}),
        ("one_element", [4.0], {}),
        ("broadcast", 1.0, {"shape": [2], "allow_broadcast": True}),
        ("uint8_matrix", np.arange(4, dtype=np.uint8).reshape(2, 2), {}),
    ]


def error_cases():
    """Calls TF rejects: (case id, values, keyword arguments, exception class name)."""
    return [
        ("too_many", [1, 2, 3], {"shape": [2]}, "ValueError"),
        ("verify_shape", [1, 2], {"shape": [2, 1], "verify_shape": True}, "TypeError"),
        ("ragged", [[1, 2], [3]], {}, "ValueError"),
        ("none", None, {}, "ValueError"),
        ("incompatible", [1.5], {"dtype": "int32"}, "TypeError"),
    ]
