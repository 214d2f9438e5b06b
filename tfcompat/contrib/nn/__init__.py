"""``tf.contrib.nn``: the TF 1.15 contrib neural-net functions that compose tfcompat's ops
(alpha_dropout, scaled_softplus, sampled_sparse_softmax_loss and the argument-flipped
cross-entropies); the others raise the "not implemented yet" AttributeError."""
import numbers

from tfcompat import nn
from tfcompat.framework import dtypes, ops, tensor_shape
from tfcompat.ops import array_ops, math_ops, random_ops
from tfcompat.ops.manip_ops import get_static_value

__all__ = ["alpha_dropout", "deprecated_flipped_sigmoid_cross_entropy_with_logits",
           "deprecated_flipped_softmax_cross_entropy_with_logits",
           "deprecated_flipped_sparse_softmax_cross_entropy_with_logits",
           "sampled_sparse_softmax_loss", "scaled_softplus"]

_SELU_SATURATION = -1.7580993408473766  # -scale * alpha of SELU


def alpha_dropout(x, keep_prob, noise_shape=None, seed=None, name=None):
    """Dropout that keeps a zero-mean unit-variance input so (Klambauer et al. 2017).

    As in TF 1.15: dropped units become SELU's saturation value -1.7581, then everything
    goes through the affine map a * x + b restoring mean and variance; x itself is returned
    when ``keep_prob`` is statically 1; a Python ``keep_prob`` outside (0, 1] is a ValueError.
    """
    with ops.name_scope(name, "alpha_dropout", [x]):
        x = ops.convert_to_tensor(x, name="x")
        if isinstance(keep_prob, numbers.Real) and not 0 < keep_prob <= 1.0:
            raise ValueError(f"keep_prob must be a scalar tensor or a float in the range "
                             f"(0, 1], got {keep_prob:g}")
        keep_prob = ops.convert_to_tensor(keep_prob, dtype=x.dtype, name="keep_prob")
        keep_prob.get_shape().assert_is_compatible_with(tensor_shape.scalar())
        if get_static_value(keep_prob) == 1:
            return x
        noise_shape = noise_shape if noise_shape is not None else array_ops.shape(x)
        uniform = random_ops.random_uniform(noise_shape, seed=seed, dtype=x.dtype)
        kept = math_ops.cast(math_ops.greater_equal(uniform, 1 - keep_prob), x.dtype)
        masked = x * kept + _SELU_SATURATION * (1 - kept)
        scale = (keep_prob + keep_prob * (1 - keep_prob) * _SELU_SATURATION ** 2) ** -0.5
        shift = -scale * _SELU_SATURATION * (1 - keep_prob)
        return scale * masked + shift


def scaled_softplus(x, alpha, clip=None, name=None):
    """``alpha * softplus(x / alpha)``, or its minimum with ``clip`` (tends to relu / relu6
    as alpha -> 0). TF wraps the forward value in a Defun with a hand-written gradient; here
    the gradient comes from the composed ops (the same derivative)."""
    values = [x, alpha] + ([clip] if clip is not None else [])
    with ops.name_scope(name, "scaled_softplus", values):
        x = ops.convert_to_tensor(x, name="x")
        alpha = ops.convert_to_tensor(alpha, dtype=x.dtype, name="alpha")
        y = alpha * nn.softplus(x / alpha)
        if clip is not None:
            y = math_ops.minimum(y, ops.convert_to_tensor(clip, dtype=x.dtype, name="clip"))
        return y


def sampled_sparse_softmax_loss(weights, biases, labels, inputs, num_sampled, num_classes,
                                sampled_values=None, remove_accidental_hits=True,
                                partition_strategy="mod",
                                name="sampled_sparse_softmax_loss"):
    """``tf.nn.sampled_softmax_loss`` for one true class per example ([batch, 1] labels),
    as a sparse softmax cross-entropy whose label is the true logit at index 0."""
    logits, _ = nn._compute_sampled_logits(
        weights, biases, labels, inputs, num_sampled, num_classes, 1, sampled_values, True,
        remove_accidental_hits, partition_strategy, name)
    first = array_ops.zeros(array_ops.shape(logits)[:1], dtype=dtypes.int64)
    return nn.sparse_softmax_cross_entropy_with_logits(labels=first, logits=logits)


def deprecated_flipped_softmax_cross_entropy_with_logits(logits, labels, dim=-1, name=None):
    """``tf.nn.softmax_cross_entropy_with_logits`` with TF 0.x's (logits, labels) order."""
    return nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits, dim=dim,
                                                name=name)


def deprecated_flipped_sparse_softmax_cross_entropy_with_logits(logits, labels, name=None):
    """``tf.nn.sparse_softmax_cross_entropy_with_logits`` with (logits, labels) order."""
    return nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits, name=name)


def deprecated_flipped_sigmoid_cross_entropy_with_logits(logits, targets, name=None):
    """``tf.nn.sigmoid_cross_entropy_with_logits`` with (logits, targets) order."""
    return nn.sigmoid_cross_entropy_with_logits(labels=targets, logits=logits, name=name)


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.contrib.nn' has no attribute '{name}': "
                         f"tfcompat does not implement tf.contrib.nn.{name} yet")
