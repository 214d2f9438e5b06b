"""``tf.contrib.layers`` regularizers (TF 1.x contrib/layers/python/layers/regularizers.py).

Each returns a function of a weight tensor. ``l1_regularizer(scale)`` gives
scale * sum(|w|) named "l1_regularizer"; ``l2_regularizer(scale)`` scale * sum(w²) / 2
(``tf.nn.l2_loss``) named "l2_regularizer". An integer scale raises ValueError, a negative
one too, and scale 0.0 disables the regularizer (the function returns None, so nothing is
added to REGULARIZATION_LOSSES).
"""
import logging
import numbers

from tfcompat.framework import ops
from tfcompat.ops import array_ops, math_ops

_log = logging.getLogger("tfcompat")


def _check_scale(scale, argument="scale", period=""):
    if isinstance(scale, numbers.Integral) and not isinstance(scale, bool):
        raise ValueError(f"{argument} cannot be an integer: {scale}")
    if isinstance(scale, bool):
        raise ValueError(f"{argument} cannot be a bool: {scale}")
    if isinstance(scale, numbers.Real):
        if scale < 0.0:
            raise ValueError(f"Setting a scale less than 0 on a regularizer: {scale:g}{period}")
        if scale == 0.0:
            _log.info("Scale of 0 disables regularizer.")
            return False
    return True


def l1_regularizer(scale, scope=None):
    """``tf.contrib.layers.l1_regularizer(scale, scope=None)``."""
    if not _check_scale(scale):
        return lambda _: None

    def l1(weights, name=None):
        with ops.name_scope(scope, "l1_regularizer", [weights]) as name:
            my_scale = ops.convert_to_tensor(scale, dtype=weights.dtype.base_dtype,
                                             name="scale")
            return math_ops.multiply(my_scale, math_ops.reduce_sum(math_ops.abs(weights)),
                                     name=name)
    return l1


def l2_regularizer(scale, scope=None):
    """``tf.contrib.layers.l2_regularizer(scale, scope=None)``."""
    if not _check_scale(scale, period="."):
        return lambda _: None

    def l2(weights):
        from tfcompat.ops import nn_ops
        with ops.name_scope(scope, "l2_regularizer", [weights]) as name:
            my_scale = ops.convert_to_tensor(scale, dtype=weights.dtype.base_dtype,
                                             name="scale")
            return math_ops.multiply(my_scale, nn_ops.l2_loss(weights), name=name)
    return l2


def l1_l2_regularizer(scale_l1=1.0, scale_l2=1.0, scope=None):
    """``tf.contrib.layers.l1_l2_regularizer(scale_l1=1.0, scale_l2=1.0, scope=None)``: the
    sum of both, named "l1_l2_regularizer" (one of them alone when the other scale is 0)."""
    if isinstance(scale_l1, numbers.Integral) and not isinstance(scale_l1, bool):
        raise ValueError(f"scale_l1 cannot be an integer: {scale_l1}")
    if isinstance(scale_l2, numbers.Integral) and not isinstance(scale_l2, bool):
        raise ValueError(f"scale_l2 cannot be an integer: {scale_l2}")
    scope = scope or "l1_l2_regularizer"
    if isinstance(scale_l1, numbers.Real) and scale_l1 == 0.0:
        return l2_regularizer(scale_l2, scope)
    if isinstance(scale_l2, numbers.Real) and scale_l2 == 0.0:
        return l1_regularizer(scale_l1, scope)
    return sum_regularizer([l1_regularizer(scale_l1), l2_regularizer(scale_l2)], scope=scope)


def sum_regularizer(regularizer_list, scope=None):
    """``tf.contrib.layers.sum_regularizer(regularizer_list, scope=None)``: add_n of the
    regularizers' results (None entries and None results are skipped; None when the list is
    empty)."""
    regularizer_list = [reg for reg in regularizer_list if reg is not None]
    if not regularizer_list:
        return None

    def sum_reg(weights):
        with ops.name_scope(scope, "sum_regularizer", [weights]) as name:
            tensors = [t for t in (reg(weights) for reg in regularizer_list) if t is not None]
            return math_ops.add_n(tensors, name=name) if tensors else None
    return sum_reg


def apply_regularization(regularizer, weights_list=None):
    """``tf.contrib.layers.apply_regularization(regularizer, weights_list=None)``: the sum
    of ``regularizer`` over ``weights_list`` (default: the GraphKeys.WEIGHTS collection),
    named "get_regularization_penalty" and added to REGULARIZATION_LOSSES."""
    if not weights_list:
        weights_list = ops.get_collection(ops.GraphKeys.WEIGHTS)
    if not weights_list:
        raise ValueError("No weights to regularize.")
    with ops.name_scope("get_regularization_penalty", values=weights_list) as scope:
        penalties = [regularizer(w) for w in weights_list]
        penalties = [p if p is not None else array_ops.constant(0.0) for p in penalties]
        for p in penalties:
            if p.shape.ndims != 0:
                raise ValueError("regularizer must return a scalar Tensor instead of a Tensor "
                                 f"with rank {p.shape.ndims}.")
        summed_penalty = math_ops.add_n(penalties, name=scope)
        ops.add_to_collection(ops.GraphKeys.REGULARIZATION_LOSSES, summed_penalty)
        return summed_penalty
