"""``tf.debugging``: TF 1.15's debugging namespace: the run-time checks of
``ops/check_ops.py`` and the NaN/Inf classifiers under their ``tf.debugging`` names."""
from tfcompat.ops.check_ops import (Assert, assert_equal, assert_greater,  # noqa: F401
                                    assert_greater_equal, assert_integer, assert_less,
                                    assert_less_equal, assert_near, assert_negative,
                                    assert_non_negative, assert_non_positive, assert_none_equal,
                                    assert_positive, assert_proper_iterable, assert_rank,
                                    assert_rank_at_least, assert_rank_in,
                                    assert_same_float_dtype, assert_scalar, assert_shapes,
                                    assert_type,
                                    check_numerics, is_non_decreasing, is_numeric_tensor,
                                    is_strictly_increasing)
from tfcompat.framework.debug_flags import (disable_check_numerics,  # noqa: F401
                                            enable_check_numerics, get_log_device_placement,
                                            set_log_device_placement)
from tfcompat.ops.check_ops import verify_tensor_all_finite as _verify_all_finite
from tfcompat.ops.special_math_ops import is_finite, is_inf, is_nan  # noqa: F401


def assert_all_finite(t=None, msg=None, name=None, x=None, message=None):
    """``tf.debugging.assert_all_finite(t, msg, name=None)``: tf.verify_tensor_all_finite."""
    return _verify_all_finite(t, msg, name=name, x=x, message=message)
