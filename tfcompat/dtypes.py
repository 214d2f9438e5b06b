"""``tf.dtypes``: the DType class, its constants and conversions."""
from tfcompat.framework.dtypes import (DType, as_dtype, bfloat16, bool, complex64,  # noqa
                                       complex128, double, float16, float32, float64, half,
                                       int8, int16, int32, int64, string, uint8, uint16, uint32,
                                       uint64)
from tfcompat.ops.math_ops import cast  # noqa: F401
from tfcompat.ops.special_math_ops import complex, saturate_cast  # noqa: F401,A004
