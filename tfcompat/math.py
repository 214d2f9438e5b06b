"""``tf.math``: TF 1.15's math namespace, the builders of math_ops, special_math_ops and
nn_ops under their ``tf.math`` names (reduce_std, reduce_variance, polyval, xlogy, xdivy,
bessel_i0/i1 ... live only here, as in TF)."""
from tfcompat.nn import l2_normalize, zero_fraction  # noqa: F401
from tfcompat.ops.array_ops import invert_permutation  # noqa: F401
from tfcompat.ops.math_ops import (abs, add, add_n, argmax, argmin, ceil, cos,  # noqa: F401,A004
                                   cumsum, divide, equal, exp, expm1, floor, floordiv, greater,
                                   greater_equal, in_top_k, less, less_equal, log, log1p,
                                   logical_and, logical_not, logical_or, logical_xor, maximum,
                                   minimum, multiply, negative, not_equal, pow, reciprocal,
                                   reduce_all, reduce_any, reduce_max, reduce_mean, reduce_min,
                                   reduce_prod, reduce_sum, round, rsqrt, scalar_mul, sign, sin,
                                   sqrt, square, squared_difference, subtract, top_k, truediv,
                                   unsorted_segment_sum)
from tfcompat.ops.nn_ops import (log_softmax, sigmoid, softmax, softplus,  # noqa: F401
                                 softsign, tanh)
from tfcompat.ops.special_math_ops import *  # noqa: F401,F403
from tfcompat.ops.special_math_ops import (bessel_i0, bessel_i0e, bessel_i1,  # noqa: F401
                                           bessel_i1e, divide_no_nan, polyval, reduce_std,
                                           reduce_variance, xdivy, xlogy)

