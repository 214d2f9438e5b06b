"""``tf.losses`` loss functions (TF 1.15's ops/losses/losses_impl.py).

Each computes per-element losses, multiplies them by ``weights`` (a scalar, or a tensor of
the losses' rank whose dimensions are 1 or equal; checked statically), reduces them by
``reduction`` (default SUM_BY_NONZERO_WEIGHTS: the weighted sum divided by the number of
non-zero weights, broadcast over the losses; 0 when there are none), casts the result back to
the input dtype and adds it to ``loss_collection`` (GraphKeys.LOSSES).
"""
from tfcompat.framework import dtypes, ops
from tfcompat.losses.util import add_loss
from tfcompat.ops import array_ops, math_ops, special_math_ops


class Reduction:
    """``tf.losses.Reduction``: how a weighted loss tensor is reduced."""

    NONE = "none"
    SUM = "weighted_sum"
    SUM_OVER_BATCH_SIZE = "weighted_sum_over_batch_size"
    MEAN = "weighted_mean"
    SUM_BY_NONZERO_WEIGHTS = "weighted_sum_by_nonzero_weights"
    SUM_OVER_NONZERO_WEIGHTS = SUM_BY_NONZERO_WEIGHTS

    @classmethod
    def all(cls):
        return (cls.NONE, cls.SUM, cls.MEAN, cls.SUM_OVER_BATCH_SIZE,
                cls.SUM_OVER_NONZERO_WEIGHTS, cls.SUM_BY_NONZERO_WEIGHTS)

    @classmethod
    def validate(cls, key):
        if key not in cls.all():
            raise ValueError(f"Invalid Reduction Key {key}.")


def _div_no_nan(numerator, denominator, name):
    """TF 1.15's ``math_ops.div_no_nan``: the quotient, 0 where the denominator is 0 (one
    DivNoNan op, as TF's loss graphs hold)."""
    return special_math_ops.div_no_nan(numerator, denominator, name=name)


def _safe_mean(losses, num_present):
    return _div_no_nan(math_ops.reduce_sum(losses), num_present, name="value")


def _assert_broadcastable(weights, values):
    """TF's static ``weights_broadcast_ops.assert_broadcastable``."""
    message = "weights can not be broadcast to values."
    w_rank, v_rank = weights.shape.ndims, values.shape.ndims
    if w_rank is None or v_rank is None or w_rank == 0:
        return
    if w_rank != v_rank:
        raise ValueError(f"{message} values.rank={v_rank}. weights.rank={w_rank}. "
                         f"values.shape={values.shape}. weights.shape={weights.shape}.")
    for i, (w, v) in enumerate(zip(weights.shape.as_list(), values.shape.as_list())):
        if w is not None and v is not None and w not in (1, v):
            raise ValueError(f"{message} Mismatch at dim {i}. values.shape={values.shape} "
                             f"weights.shape={weights.shape}.")


def _num_elements(losses):
    with ops.name_scope(None, "num_elements", [losses]) as scope:
        return math_ops.cast(array_ops.size(losses, name=scope), losses.dtype)


def _num_present(losses, weights):
    with ops.name_scope(None, "num_present", [losses, weights]) as scope:
        weights = math_ops.cast(weights, dtypes.float32)
        present = math_ops.where(math_ops.equal(weights, 0.0), array_ops.zeros_like(weights),
                                 array_ops.ones_like(weights))
        present = present * array_ops.ones_like(losses)
        return math_ops.reduce_sum(present, name=scope)


def compute_weighted_loss(losses, weights=1.0, scope=None,
                          loss_collection=ops.GraphKeys.LOSSES,
                          reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """``tf.losses.compute_weighted_loss``: see the module docstring."""
    Reduction.validate(reduction)
    with ops.name_scope(scope, "weighted_loss", [losses, weights]):
        losses = ops.convert_to_tensor(losses)
        input_dtype = losses.dtype.base_dtype
        weights = ops.convert_to_tensor(weights) if not isinstance(weights, ops.Tensor) \
            else weights
        _assert_broadcastable(weights, losses)
        losses = math_ops.cast(losses, dtypes.float32)
        weights = math_ops.cast(weights, dtypes.float32)
        weighted_losses = math_ops.multiply(losses, weights)
        if reduction == Reduction.NONE:
            loss = weighted_losses
        else:
            loss = math_ops.reduce_sum(weighted_losses)
            if reduction == Reduction.MEAN:
                loss = _safe_mean(loss, math_ops.reduce_sum(
                    array_ops.ones_like(losses) * weights))
            elif reduction == Reduction.SUM_BY_NONZERO_WEIGHTS:
                loss = _safe_mean(loss, _num_present(losses, weights))
            elif reduction == Reduction.SUM_OVER_BATCH_SIZE:
                loss = _safe_mean(loss, _num_elements(losses))
        loss = math_ops.cast(loss, input_dtype)
        add_loss(loss, loss_collection)
        return loss


def _check_args(labels, predictions, labels_name="labels", predictions_name="predictions"):
    if labels is None:
        raise ValueError(f"{labels_name} must not be None.")
    if predictions is None:
        raise ValueError(f"{predictions_name} must not be None.")


def _float_pair(labels, predictions, function):
    predictions = math_ops.cast(ops.convert_to_tensor(predictions), dtypes.float32)
    labels = math_ops.cast(ops.convert_to_tensor(labels), dtypes.float32)
    if not predictions.shape.is_compatible_with(labels.shape):
        raise ValueError(f"tf.losses.{function}: shapes {predictions.shape} (predictions) and "
                         f"{labels.shape} (labels) are incompatible")
    return labels, predictions


def absolute_difference(labels, predictions, weights=1.0, scope=None,
                        loss_collection=ops.GraphKeys.LOSSES,
                        reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """``tf.losses.absolute_difference``: |predictions - labels|."""
    _check_args(labels, predictions)
    with ops.name_scope(scope, "absolute_difference", [predictions, labels, weights]) as scope:
        labels, predictions = _float_pair(labels, predictions, "absolute_difference")
        losses = math_ops.abs(math_ops.subtract(predictions, labels))
        return compute_weighted_loss(losses, weights, scope, loss_collection,
                                     reduction=reduction)


def mean_squared_error(labels, predictions, weights=1.0, scope=None,
                       loss_collection=ops.GraphKeys.LOSSES,
                       reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """``tf.losses.mean_squared_error``: (predictions - labels)²."""
    _check_args(labels, predictions)
    with ops.name_scope(scope, "mean_squared_error", [predictions, labels, weights]) as scope:
        labels, predictions = _float_pair(labels, predictions, "mean_squared_error")
        losses = math_ops.squared_difference(predictions, labels)
        return compute_weighted_loss(losses, weights, scope, loss_collection,
                                     reduction=reduction)


def mean_pairwise_squared_error(labels, predictions, weights=1.0, scope=None,
                                loss_collection=ops.GraphKeys.LOSSES):
    """``tf.losses.mean_pairwise_squared_error``: for each batch element, the mean over
    pairs of its entries of ((p_i - p_j) - (l_i - l_j))^2, weighted per batch element and
    summed (TF 1.x's formula: 2 * sum(d^2) / (n - 1) - 2 * (sum d)^2 / (n (n - 1)))."""
    _check_args(labels, predictions)
    with ops.name_scope(scope, "mean_pairwise_squared_error",
                        [predictions, labels, weights]):
        labels, predictions = _float_pair(labels, predictions, "mean_pairwise_squared_error")
        weights = math_ops.cast(weights, dtypes.float32)
        diffs = math_ops.subtract(predictions, labels)
        axis = math_ops._range(1, array_ops.rank(diffs))
        squares = math_ops.reduce_sum(math_ops.square(diffs), axis=axis, keepdims=True)
        with ops.name_scope(None, "num_present", [diffs, weights]) as present_scope:
            present = math_ops.where(math_ops.equal(weights, 0.0),
                                     array_ops.zeros_like(weights), array_ops.ones_like(weights))
            present = present * array_ops.ones_like(diffs)
            count = math_ops.reduce_sum(present, axis=math_ops._range(1, array_ops.rank(
                present)), keepdims=True, name=present_scope)
        term1 = 2.0 * _div_no_nan(squares, math_ops.maximum(count - 1, 0), "value")
        total = math_ops.reduce_sum(diffs, axis=axis, keepdims=True)
        term2 = 2.0 * _div_no_nan(math_ops.square(total),
                                  math_ops.maximum(math_ops.multiply(count, count - 1), 0),
                                  "value")
        loss = math_ops.reduce_sum(math_ops.multiply(term1 - term2, weights))
        mean_loss = math_ops.where(math_ops.reduce_sum(count) > 0, loss,
                                   array_ops.zeros_like(loss), name="value")
        add_loss(mean_loss, loss_collection)
        return mean_loss


def log_loss(labels, predictions, weights=1.0, epsilon=1e-7, scope=None,
             loss_collection=ops.GraphKeys.LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """``tf.losses.log_loss``: -y log(p + eps) - (1 - y) log(1 - p + eps)."""
    _check_args(labels, predictions)
    with ops.name_scope(scope, "log_loss", [predictions, labels, weights]) as scope:
        labels, predictions = _float_pair(labels, predictions, "log_loss")
        losses = -math_ops.multiply(labels, math_ops.log(predictions + epsilon)) - \
            math_ops.multiply(1 - labels, math_ops.log(1 - predictions + epsilon))
        return compute_weighted_loss(losses, weights, scope, loss_collection,
                                     reduction=reduction)


def hinge_loss(labels, logits, weights=1.0, scope=None, loss_collection=ops.GraphKeys.LOSSES,
               reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """``tf.losses.hinge_loss``: max(0, 1 - (2 labels - 1) logits), labels in {0, 1}."""
    _check_args(labels, logits, predictions_name="logits")
    from tfcompat.ops import nn_ops
    with ops.name_scope(scope, "hinge_loss", [logits, labels, weights]) as scope:
        labels, logits = _float_pair(labels, logits, "hinge_loss")
        all_ones = array_ops.ones_like(labels)
        labels = math_ops.subtract(2 * labels, all_ones)
        losses = nn_ops.relu(math_ops.subtract(all_ones, math_ops.multiply(labels, logits)))
        return compute_weighted_loss(losses, weights, scope, loss_collection,
                                     reduction=reduction)


def huber_loss(labels, predictions, weights=1.0, delta=1.0, scope=None,
               loss_collection=ops.GraphKeys.LOSSES,
               reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """``tf.losses.huber_loss``: 0.5 e² for |e| <= delta, else delta (|e| - 0.5 delta)."""
    _check_args(labels, predictions)
    with ops.name_scope(scope, "huber_loss", [predictions, labels, weights]) as scope:
        labels, predictions = _float_pair(labels, predictions, "huber_loss")
        error = math_ops.subtract(predictions, labels)
        abs_error = math_ops.abs(error)
        quadratic = math_ops.minimum(abs_error, delta)
        linear = math_ops.subtract(abs_error, quadratic)
        losses = math_ops.add(
            math_ops.multiply(ops.convert_to_tensor(0.5, dtype=quadratic.dtype),
                              math_ops.multiply(quadratic, quadratic)),
            math_ops.multiply(delta, linear))
        return compute_weighted_loss(losses, weights, scope, loss_collection,
                                     reduction=reduction)


def cosine_distance(labels, predictions, axis=None, weights=1.0, scope=None,
                    loss_collection=ops.GraphKeys.LOSSES,
                    reduction=Reduction.SUM_BY_NONZERO_WEIGHTS, dim=None):
    """``tf.losses.cosine_distance``: 1 - sum(labels * predictions, axis) for unit-normalised
    inputs."""
    if dim is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'axis' and 'dim'")
        axis = dim
    if axis is None:
        raise ValueError("You must specify 'axis'.")
    _check_args(labels, predictions)
    with ops.name_scope(scope, "cosine_distance_loss", [predictions, labels, weights]) as scope:
        labels, predictions = _float_pair(labels, predictions, "cosine_distance")
        radial_diffs = math_ops.multiply(predictions, labels)
        losses = 1 - math_ops.reduce_sum(radial_diffs, axis=[axis], keepdims=True)
        return compute_weighted_loss(losses, weights, scope, loss_collection,
                                     reduction=reduction)


def sigmoid_cross_entropy(multi_class_labels, logits, weights=1.0, label_smoothing=0,
                          scope=None, loss_collection=ops.GraphKeys.LOSSES,
                          reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """``tf.losses.sigmoid_cross_entropy``; labels smoothed towards 1/2 by
    ``label_smoothing``."""
    _check_args(multi_class_labels, logits, "multi_class_labels", "logits")
    from tfcompat import nn
    with ops.name_scope(scope, "sigmoid_cross_entropy_loss",
                        [logits, multi_class_labels, weights]) as scope:
        logits = ops.convert_to_tensor(logits)
        multi_class_labels = math_ops.cast(multi_class_labels, logits.dtype.base_dtype)
        if not logits.shape.is_compatible_with(multi_class_labels.shape):
            raise ValueError(f"tf.losses.sigmoid_cross_entropy: shapes {logits.shape} (logits) "
                             f"and {multi_class_labels.shape} (labels) are incompatible")
        if label_smoothing > 0:
            multi_class_labels = (multi_class_labels * (1 - label_smoothing)
                                  + 0.5 * label_smoothing)
        losses = nn.sigmoid_cross_entropy_with_logits(labels=multi_class_labels, logits=logits,
                                                      name="xentropy")
        return compute_weighted_loss(losses, weights, scope, loss_collection,
                                     reduction=reduction)


def softmax_cross_entropy(onehot_labels, logits, weights=1.0, label_smoothing=0, scope=None,
                          loss_collection=ops.GraphKeys.LOSSES,
                          reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """``tf.losses.softmax_cross_entropy``; one-hot labels smoothed as
    labels * (1 - s) + s / num_classes; no gradient flows into the labels."""
    _check_args(onehot_labels, logits, "onehot_labels", "logits")
    from tfcompat import nn
    with ops.name_scope(scope, "softmax_cross_entropy_loss",
                        [logits, onehot_labels, weights]) as scope:
        logits = ops.convert_to_tensor(logits)
        onehot_labels = math_ops.cast(onehot_labels, logits.dtype.base_dtype)
        if not logits.shape.is_compatible_with(onehot_labels.shape):
            raise ValueError(f"tf.losses.softmax_cross_entropy: shapes {logits.shape} (logits) "
                             f"and {onehot_labels.shape} (onehot_labels) are incompatible")
        if label_smoothing > 0:
            num_classes = math_ops.cast(array_ops.shape(onehot_labels)[-1],
                                        logits.dtype.base_dtype)
            onehot_labels = onehot_labels * (1.0 - label_smoothing) + \
                label_smoothing / num_classes
        onehot_labels = array_ops.stop_gradient(onehot_labels, name="labels_stop_gradient")
        losses = nn.softmax_cross_entropy_with_logits_v2(labels=onehot_labels, logits=logits,
                                                         name="xentropy")
        return compute_weighted_loss(losses, weights, scope, loss_collection,
                                     reduction=reduction)


def _remove_squeezable_dimensions(labels, logits, weights):
    """Static version of TF's helper for sparse labels (expected rank(logits) - rank(labels)
    == 1): squeezes a trailing 1 of labels (or of weights)."""
    labels = ops.convert_to_tensor(labels)
    logits = ops.convert_to_tensor(logits)
    labels_rank, logits_rank = labels.shape.ndims, logits.shape.ndims
    if labels_rank is not None and logits_rank is not None:
        diff = logits_rank - labels_rank
        if diff == 0 and labels.shape[-1].value in (1, None) and labels_rank > 0:
            labels = array_ops.squeeze(labels, [-1])
        elif diff == 2 and logits.shape[-1].value == 1:
            logits = array_ops.squeeze(logits, [-1])
    if weights is not None and not isinstance(weights, float):
        weights = ops.convert_to_tensor(weights)
        if labels.shape.ndims is not None and weights.shape.ndims is not None and \
                weights.shape.ndims - labels.shape.ndims == 1:
            weights = array_ops.squeeze(weights, [-1])
    return labels, logits, weights


def sparse_softmax_cross_entropy(labels, logits, weights=1.0, scope=None,
                                 loss_collection=ops.GraphKeys.LOSSES,
                                 reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """``tf.losses.sparse_softmax_cross_entropy``: class-index labels [batch] (or
    [batch, 1]) and logits [batch, classes]."""
    _check_args(labels, logits, predictions_name="logits")
    from tfcompat import nn
    with ops.name_scope(scope, "sparse_softmax_cross_entropy_loss",
                        [logits, labels, weights]) as scope:
        labels, logits, weights = _remove_squeezable_dimensions(labels, logits, weights)
        losses = nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits,
                                                             name="xentropy")
        return compute_weighted_loss(losses, weights, scope, loss_collection,
                                     reduction=reduction)
