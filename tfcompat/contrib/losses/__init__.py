"""``tf.contrib.losses`` (TF 1.15 contrib/losses/python/losses/loss_ops.py, deprecated for
``tf.losses``; also ``slim.losses``). The argument orders are the old ones: predictions (or
logits) first, then labels.

``compute_weighted_loss`` casts the losses to float32 and applies a weights tensor of rank k
to the first k dimensions of the losses (a trailing dimension of 1 is squeezed first); the
result is the weighted sum divided by the number of elements with a non-zero weight (0 when
there are none), cast back to the losses' dtype and added to GraphKeys.LOSSES. Each loss
opens its name scope ("absolute_difference", "softmax_cross_entropy_loss", ...) and computes
the weighted loss inside it. ``hinge_loss`` returns the unreduced per-element losses.
"""
from tfcompat import nn
from tfcompat.framework import dtypes, ops
from tfcompat.losses.util import add_loss, get_losses, get_regularization_losses
from tfcompat.ops import array_ops, math_ops

__all__ = ["absolute_difference", "add_loss", "compute_weighted_loss", "cosine_distance",
           "get_losses", "get_regularization_losses", "get_total_loss", "hinge_loss",
           "log_loss", "mean_pairwise_squared_error", "mean_squared_error",
           "sigmoid_cross_entropy", "softmax_cross_entropy", "sparse_softmax_cross_entropy"]


def _weights_over_losses(losses, weights):
    """``weights`` reshaped so its k dimensions line up with the first k of ``losses``."""
    if losses.shape.ndims is None:
        raise ValueError("losses.get_shape().ndims cannot be None")
    weights_shape = weights.shape
    if weights_shape.ndims is None:
        raise ValueError("weights.get_shape().ndims cannot be None")
    if weights_shape.ndims > 1 and weights_shape.dims[-1].is_compatible_with(1):
        weights = array_ops.squeeze(weights, [-1])
    extra = losses.shape.ndims - weights.shape.ndims
    if weights.shape.ndims > 0 and extra > 0:
        weights = array_ops.reshape(
            weights, array_ops.concat([array_ops.shape(weights), [1] * extra], 0))
    return weights


def _safe_div(numerator, denominator, name="value"):
    positive = math_ops.greater(denominator, 0.0)
    safe = math_ops.where(positive, denominator, array_ops.ones_like(denominator))
    return math_ops.where(positive, math_ops.truediv(numerator, safe),
                          array_ops.zeros_like(numerator), name=name)


def compute_weighted_loss(losses, weights=1.0, scope=None):
    """The weighted mean of ``losses`` over the elements with a non-zero weight, added to
    GraphKeys.LOSSES."""
    with ops.name_scope(scope, "weighted_loss", [losses, weights]):
        losses = ops.convert_to_tensor(losses)
        input_dtype = losses.dtype
        losses = math_ops.cast(losses, dtypes.float32)
        weights = math_ops.cast(ops.convert_to_tensor(weights), dtypes.float32)
        weights = _weights_over_losses(losses, weights)
        weighted = math_ops.multiply(losses, weights)
        total = math_ops.reduce_sum(weighted)
        present = math_ops.cast(math_ops.not_equal(
            math_ops.multiply(array_ops.ones_like(losses), weights), 0.0), dtypes.float32)
        mean_loss = _safe_div(total, math_ops.reduce_sum(present))
        mean_loss = math_ops.cast(mean_loss, input_dtype)
        add_loss(mean_loss)
        return mean_loss


def get_total_loss(add_regularization_losses=True, name="total_loss"):
    """The sum of the LOSSES collection (and of the regularization losses)."""
    losses = get_losses()
    if add_regularization_losses:
        losses += get_regularization_losses()
    return math_ops.add_n(losses, name=name)


def _float_pair(predictions, labels):
    predictions = ops.convert_to_tensor(predictions)
    labels = ops.convert_to_tensor(labels)
    predictions.shape.assert_is_compatible_with(labels.shape)
    return math_ops.cast(predictions, dtypes.float32), math_ops.cast(labels, dtypes.float32)


def absolute_difference(predictions, labels=None, weights=1.0, scope=None):
    """Weighted mean of |predictions - labels|."""
    with ops.name_scope(scope, "absolute_difference", [predictions, labels, weights]) as sc:
        predictions, labels = _float_pair(predictions, labels)
        losses = math_ops.abs(math_ops.subtract(predictions, labels))
        return compute_weighted_loss(losses, weights, scope=sc)


def mean_squared_error(predictions, labels=None, weights=1.0, scope=None):
    """Weighted mean of (predictions - labels)^2."""
    with ops.name_scope(scope, "mean_squared_error", [predictions, labels, weights]) as sc:
        predictions, labels = _float_pair(predictions, labels)
        losses = math_ops.square(math_ops.subtract(predictions, labels))
        return compute_weighted_loss(losses, weights, scope=sc)


def log_loss(predictions, labels=None, weights=1.0, epsilon=1e-7, scope=None):
    """Weighted mean of -labels*log(p+eps) - (1-labels)*log(1-p+eps)."""
    with ops.name_scope(scope, "log_loss", [predictions, labels, weights]) as sc:
        predictions, labels = _float_pair(predictions, labels)
        losses = -math_ops.multiply(labels, math_ops.log(predictions + epsilon)) - \
            math_ops.multiply(1 - labels, math_ops.log(1 - predictions + epsilon))
        return compute_weighted_loss(losses, weights, scope=sc)


def hinge_loss(logits, labels=None, scope=None):
    """Per-element max(0, 1 - (2*labels - 1) * logits) for 0/1 labels (not reduced, not
    collected)."""
    with ops.name_scope(scope, "hinge_loss", [logits, labels]):
        logits = ops.convert_to_tensor(logits)
        labels = ops.convert_to_tensor(labels)
        logits.shape.assert_is_compatible_with(labels.shape)
        labels = math_ops.cast(labels, dtypes.float32)
        all_ones = array_ops.ones_like(labels)
        labels = math_ops.subtract(2 * labels, all_ones)
        return nn.relu(math_ops.subtract(all_ones, math_ops.multiply(labels, logits)))


def cosine_distance(predictions, labels=None, axis=None, weights=1.0, scope=None, dim=None):
    """Weighted mean of 1 - sum(predictions * labels, axis) (inputs unit-normalised)."""
    if axis is not None and dim is not None:
        raise ValueError("Cannot specify both 'axis' and 'dim'")
    axis = dim if axis is None else axis
    if axis is None:
        raise ValueError("You must specify 'axis'.")
    with ops.name_scope(scope, "cosine_distance_loss", [predictions, labels, weights]) as sc:
        predictions, labels = _float_pair(predictions, labels)
        losses = 1 - math_ops.reduce_sum(math_ops.multiply(predictions, labels), axis=[axis])
        return compute_weighted_loss(losses, weights, scope=sc)


def sigmoid_cross_entropy(logits, multi_class_labels, weights=1.0, label_smoothing=0,
                          scope=None):
    """Weighted mean of the sigmoid cross-entropy; ``label_smoothing`` moves the labels
    towards 1/2."""
    with ops.name_scope(scope, "sigmoid_cross_entropy_loss",
                        [logits, multi_class_labels, weights]) as sc:
        logits = ops.convert_to_tensor(logits)
        labels = ops.convert_to_tensor(multi_class_labels)
        logits.shape.assert_is_compatible_with(labels.shape)
        labels = math_ops.cast(labels, logits.dtype)
        if label_smoothing > 0:
            labels = labels * (1 - label_smoothing) + 0.5 * label_smoothing
        losses = nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits,
                                                      name="xentropy")
        return compute_weighted_loss(losses, weights, scope=sc)


def softmax_cross_entropy(logits, onehot_labels, weights=1.0, label_smoothing=0, scope=None):
    """Weighted mean of the softmax cross-entropy over a batch; ``label_smoothing`` mixes
    the one-hot labels with the uniform distribution."""
    with ops.name_scope(scope, "softmax_cross_entropy_loss",
                        [logits, onehot_labels, weights]) as sc:
        logits = ops.convert_to_tensor(logits)
        labels = ops.convert_to_tensor(onehot_labels)
        logits.shape.assert_is_compatible_with(labels.shape)
        labels = math_ops.cast(labels, logits.dtype)
        if label_smoothing > 0:
            num_classes = math_ops.cast(array_ops.shape(labels)[1], logits.dtype)
            labels = labels * (1.0 - label_smoothing) + label_smoothing / num_classes
        losses = nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits,
                                                      name="xentropy")
        return compute_weighted_loss(losses, weights, scope=sc)


def sparse_softmax_cross_entropy(logits, labels, weights=1.0, scope=None):
    """Weighted mean of the sparse softmax cross-entropy (labels reshaped to [batch])."""
    with ops.name_scope(scope, "sparse_softmax_cross_entropy_loss",
                        [logits, labels, weights]) as sc:
        labels = ops.convert_to_tensor(labels)
        labels = array_ops.reshape(labels, shape=[array_ops.shape(labels)[0]])
        losses = nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits,
                                                             name="xentropy")
        return compute_weighted_loss(losses, weights, scope=sc)



def mean_pairwise_squared_error(predictions, labels=None, weights=1.0, scope=None):
    """The weighted sum over the batch of each sample's mean squared difference between all
    pairs of its (prediction - label) elements: 2 * (sum d^2 / n - (sum d)^2 / n^2) with n
    the sample's elements of non-zero weight; per-sample values are scaled by ``weights``
    with TF's broadcasting (a scalar or one weight per sample)."""
    with ops.name_scope(scope, "mean_pairwise_squared_error",
                        [predictions, labels, weights]):
        predictions, labels = _float_pair(predictions, labels)
        weights = math_ops.cast(ops.convert_to_tensor(weights), dtypes.float32)
        diffs = math_ops.subtract(predictions, labels)
        if diffs.shape.ndims is None:
            raise ValueError("diffs.get_shape().ndims cannot be None")
        if weights.shape.ndims is None:
            raise ValueError("weights.get_shape().ndims cannot be None")
        axis = list(range(1, diffs.shape.ndims))
        over_diffs = weights
        if 0 < weights.shape.ndims < diffs.shape.ndims:
            over_diffs = array_ops.reshape(weights, array_ops.concat(
                [array_ops.shape(weights), [1] * (diffs.shape.ndims - weights.shape.ndims)], 0))
        present = math_ops.cast(math_ops.not_equal(
            math_ops.multiply(array_ops.ones_like(diffs), over_diffs), 0.0), dtypes.float32)
        num_present = math_ops.reduce_sum(present, axis=axis)
        term1 = 2.0 * _safe_div(math_ops.reduce_sum(math_ops.square(diffs), axis=axis),
                                num_present)
        term2 = 2.0 * _safe_div(math_ops.square(math_ops.reduce_sum(diffs, axis=axis)),
                                math_ops.square(num_present))
        per_sample = term1 - term2
        if weights.shape.ndims == 0:
            per_sample = math_ops.reduce_sum(per_sample, axis=[0])
        loss = math_ops.reduce_sum(math_ops.multiply(per_sample, weights))
        mean_loss = math_ops.where(math_ops.greater(math_ops.reduce_sum(num_present), 0),
                                   loss, array_ops.zeros_like(loss), name="value")
        add_loss(mean_loss)
        return mean_loss

def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.contrib.losses' has no attribute '{name}': "
                         f"tfcompat does not implement tf.contrib.losses.{name} yet")
