"""Clipping (TF 1.x ``clip_ops.py``): ``tf.clip_by_value``, ``tf.clip_by_norm``,
``tf.global_norm``, ``tf.clip_by_global_norm`` and ``tf.clip_by_average_norm``, composed
from registered ops exactly as TF composes them, so their gradients are those of TF.

Zero norms give no NaN: ``clip_by_norm`` uses TF's two-tap ``where`` around the square root
(finite values and gradients at a zero row), ``clip_by_global_norm`` scales by
clip_norm * min(1 / norm, 1 / clip_norm) (1 / 0 = inf loses the min), and
``clip_by_average_norm`` likewise takes min(rsqrt(0) * n, 1 / clip_norm).
"""
import collections.abc

from tfcompat.framework import ops
from tfcompat.ops.indexed_slices import IndexedSlices
from tfcompat.ops import array_ops, math_ops, nn_ops


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """min(max(t, clip_value_min), clip_value_max) elementwise; the bounds are scalars or
    tensors of t's shape (broadcasting that would enlarge t raises ValueError)."""
    with ops.name_scope(name, "clip_by_value", [t, clip_value_min, clip_value_max]) as scope:
        values = ops.convert_to_tensor(t, name="t")
        t_min = math_ops.minimum(values, clip_value_max)
        # TF checks the shape did not grow by broadcasting against the bounds.
        values.shape.merge_with(t_min.shape)
        t_max = math_ops.maximum(t_min, clip_value_min, name=scope)
        values.shape.merge_with(t_max.shape)
    return t_max


def clip_by_norm(t, clip_norm, axes=None, name=None):
    """t * clip_norm / max(l2norm(t, axes), clip_norm): ``t`` unchanged where its L2 norm
    over ``axes`` (all axes by default; axes=1 clips each row) is at most ``clip_norm``.
    IndexedSlices are clipped by the norm of their values and stay IndexedSlices."""
    with ops.name_scope(name, "clip_by_norm", [t, clip_norm]) as scope:
        values = ops.convert_to_tensor(_values_of(t), name="t")
        l2sum = math_ops.reduce_sum(values * values, axes, keepdims=True)
        pred = l2sum > 0
        # Two-tap where: sqrt never sees 0, so neither the value nor the gradient is NaN.
        l2sum_safe = math_ops.where(pred, l2sum, array_ops.ones_like(l2sum))
        l2norm = math_ops.where(pred, math_ops.sqrt(l2sum_safe), l2sum)
        intermediate = values * clip_norm
        values.shape.merge_with(intermediate.shape)
        clipped = array_ops.identity(intermediate / math_ops.maximum(l2norm, clip_norm),
                                     name=scope)
        return _like(t, clipped)


def _values_of(t):
    """The dense values of a tensor, or the values of IndexedSlices."""
    return t.values if isinstance(t, IndexedSlices) else t


def _like(t, values):
    """``values`` in the form of ``t``: IndexedSlices with t's indices, or the tensor."""
    if isinstance(t, IndexedSlices):
        return IndexedSlices(values, t.indices, t.dense_shape)
    return values


def _check_sequence(t_list):
    if not isinstance(t_list, collections.abc.Sequence) or isinstance(t_list, str):
        raise TypeError("t_list should be a sequence")
    return list(t_list)


def global_norm(t_list, name=None):
    """sqrt(sum of the squared L2 norms of the tensors in ``t_list``), None entries ignored."""
    t_list = _check_sequence(t_list)
    with ops.name_scope(name, "global_norm", [t for t in t_list if t is not None]):
        values = [ops.convert_to_tensor(_values_of(t), name="t_%d" % i) if t is not None
                  else t for i, t in enumerate(t_list)]
        half_squared_norms = []
        for v in values:
            if v is not None:
                with ops.colocate_with(v):
                    half_squared_norms.append(nn_ops.l2_loss(v))
        half_squared_norm = math_ops.reduce_sum(array_ops.stack(half_squared_norms))
        return math_ops.sqrt(
            half_squared_norm * array_ops.constant(2.0, dtype=half_squared_norm.dtype),
            name="global_norm")


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """(list of t * clip_norm / max(global_norm, clip_norm), global_norm): every tensor is
    scaled by the same factor; None entries stay None; an infinite or NaN norm makes every
    value NaN, as in TF."""
    t_list = _check_sequence(t_list)
    if use_norm is None:
        use_norm = global_norm(t_list, name)
    with ops.name_scope(name, "clip_by_global_norm",
                        [t for t in t_list if t is not None] + [clip_norm]) as scope:
        scale_for_finite = clip_norm * math_ops.minimum(
            1.0 / use_norm, array_ops.constant(1.0, dtype=use_norm.dtype) / clip_norm)
        # NaN when use_norm is inf/NaN (TF: where(is_finite(use_norm), scale, nan)).
        scale = scale_for_finite + (use_norm - use_norm)
        values = [ops.convert_to_tensor(_values_of(t), name="t_%d" % i) if t is not None
                  else t for i, t in enumerate(t_list)]
        clipped = []
        for i, (t, v) in enumerate(zip(t_list, values, strict=True)):
            if v is None:
                clipped.append(None)
            else:
                with ops.colocate_with(v):
                    clipped.append(_like(t, array_ops.identity(v * scale,
                                                               name="%s_%d" % (scope, i))))
    return clipped, use_norm


def clip_by_average_norm(t, clip_norm, name=None):
    """t * clip_norm / max(l2norm(t) / size(t), clip_norm) (deprecated in TF 2)."""
    with ops.name_scope(name, "clip_by_average_norm", [t, clip_norm]) as scope:
        t = ops.convert_to_tensor(t, name="t")
        dtype = t.dtype.base_dtype  # TF casts the size to float32 (float32 inputs only)
        n_element = math_ops.cast(array_ops.size(t), dtype)
        # TF reduces over range(rank(t)), a constant when the rank is known.
        axes = None if t.shape.ndims is not None else math_ops._range(array_ops.rank(t))
        l2norm_inv = math_ops.rsqrt(math_ops.reduce_sum(t * t, axes))
        return array_ops.identity(
            t * clip_norm * math_ops.minimum(
                l2norm_inv * n_element, array_ops.constant(1.0, dtype=dtype) / clip_norm),
            name=scope)


# The public builders re-exported as tf.*.
__all__ = [
    "clip_by_value",
    "clip_by_norm",
    "global_norm",
    "clip_by_global_norm",
    "clip_by_average_norm",
]
