"""``tf.metrics``: streaming metrics as (value, update_op) pairs (TF 1.x ``metrics_impl``).

Each metric keeps its running sums in local variables named as TF names them
(``accuracy/total``, ``accuracy/count``, ``auc/true_positives`` ...), in the LOCAL_VARIABLES
and METRIC_VARIABLES collections, so ``tf.local_variables_initializer()`` resets them. The
update op adds one batch to the sums and returns the metric's new value; the value tensor
reads the sums without changing them. Division by an empty count gives 0, as TF's
``div_no_nan`` does.
"""
import numpy as np

from tfcompat.framework import dtypes, ops
from tfcompat.ops import variable_scope as vs
from tfcompat.ops.variables import Variable
from tfcompat.ops import array_ops, linalg_ops, math_ops, state_ops

_METRIC_COLLECTIONS = [ops.GraphKeys.LOCAL_VARIABLES, ops.GraphKeys.METRIC_VARIABLES]


def metric_variable(shape, dtype, validate_shape=True, name=None):
    """A zero-initialised, non-trainable local variable in METRIC_VARIABLES (TF's helper)."""
    return Variable(array_ops.zeros(shape, dtype), trainable=False,
                    collections=list(_METRIC_COLLECTIONS), validate_shape=validate_shape,
                    name=name)


def _div_no_nan(numerator, denominator, name=None):
    """numerator / denominator, 0 where the denominator is 0 (TF's DivNoNan)."""
    nonzero = math_ops.not_equal(denominator, 0.0)
    safe = math_ops.where(nonzero, denominator, array_ops.ones_like(denominator))
    return math_ops.where(nonzero, math_ops.truediv(numerator, safe),
                          array_ops.zeros_like(numerator), name=name)


def _remove_squeezable_dimensions(predictions, labels, weights=None):
    """Squeezes a trailing size-1 dimension that only one of predictions/labels has (and
    weights' one extra dimension), as TF's confusion_matrix helper does on static ranks."""
    predictions = ops.convert_to_tensor(predictions)
    if labels is not None:
        labels = ops.convert_to_tensor(labels)
        p_rank, l_rank = predictions.shape.ndims, labels.shape.ndims
        if p_rank is not None and l_rank is not None:
            if p_rank - l_rank == 1 and predictions.shape[-1].value in (1, None):
                predictions = array_ops.squeeze(predictions, [-1])
            elif l_rank - p_rank == 1 and labels.shape[-1].value in (1, None):
                labels = array_ops.squeeze(labels, [-1])
    if weights is not None:
        weights = ops.convert_to_tensor(weights)
        w_rank, p_rank = weights.shape.ndims, predictions.shape.ndims
        if w_rank is not None and p_rank is not None and w_rank - p_rank == 1:
            weights = array_ops.squeeze(weights, [-1])
    return predictions, labels, weights


def _weighted(values, weights):
    """values * weights (weights broadcast to values' shape) and the summed weight."""
    weights = math_ops.cast(weights, dtypes.float32)
    weights = math_ops.multiply(weights, array_ops.ones_like(values))
    return math_ops.multiply(values, weights), math_ops.reduce_sum(weights)


def _finish(value, update_op, metrics_collections, updates_collections):
    if metrics_collections:
        ops.add_to_collections(metrics_collections, value)
    if updates_collections:
        ops.add_to_collections(updates_collections, update_op)
    return value, update_op


def mean(values, weights=None, metrics_collections=None, updates_collections=None, name=None):
    """``tf.metrics.mean``: the (weighted) mean of all values seen: total / count."""
    with vs.variable_scope(name, "mean", (values, weights)):
        values = math_ops.cast(values, dtypes.float32)
        total = metric_variable([], dtypes.float32, name="total")
        count = metric_variable([], dtypes.float32, name="count")
        if weights is None:
            num_values = math_ops.cast(array_ops.size(values), dtypes.float32)
        else:
            values, _, weights = _remove_squeezable_dimensions(values, None, weights)
            values, num_values = _weighted(values, weights)
        update_total_op = state_ops.assign_add(total, math_ops.reduce_sum(values))
        with ops.control_dependencies([values]):
            update_count_op = state_ops.assign_add(count, num_values)
        value = _div_no_nan(total, math_ops.maximum(count, 0.0), name="value")
        update_op = _div_no_nan(update_total_op, math_ops.maximum(update_count_op, 0.0),
                                name="update_op")
    return _finish(value, update_op, metrics_collections, updates_collections)


def accuracy(labels, predictions, weights=None, metrics_collections=None,
             updates_collections=None, name=None):
    """``tf.metrics.accuracy``: how often predictions equal labels (the mean of matches)."""
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels, weights)
    if not predictions.shape.is_compatible_with(labels.shape):
        raise ValueError(f"Shapes {predictions.shape} and {labels.shape} are incompatible")
    if labels.dtype != predictions.dtype:
        predictions = math_ops.cast(predictions, labels.dtype)
    is_correct = math_ops.cast(math_ops.equal(predictions, labels), dtypes.float32)
    return mean(is_correct, weights, metrics_collections, updates_collections,
                name or "accuracy")


def mean_squared_error(labels, predictions, weights=None, metrics_collections=None,
                       updates_collections=None, name=None):
    """``tf.metrics.mean_squared_error``: the mean of (labels - predictions)^2."""
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels, weights)
    squared_error = math_ops.squared_difference(labels, predictions)
    return mean(squared_error, weights, metrics_collections, updates_collections,
                name or "mean_squared_error")


def mean_absolute_error(labels, predictions, weights=None, metrics_collections=None,
                        updates_collections=None, name=None):
    """``tf.metrics.mean_absolute_error``: the mean of |predictions - labels|."""
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels, weights)
    absolute_errors = math_ops.abs(math_ops.subtract(predictions, labels))
    return mean(absolute_errors, weights, metrics_collections, updates_collections,
                name or "mean_absolute_error")


def root_mean_squared_error(labels, predictions, weights=None, metrics_collections=None,
                            updates_collections=None, name=None):
    """``tf.metrics.root_mean_squared_error``: sqrt of the streaming mean squared error, its
    sums under the ``root_mean_squared_error`` scope."""
    mse, update_mse_op = mean_squared_error(labels, predictions, weights, None, None,
                                            name or "root_mean_squared_error")
    return _finish(math_ops.sqrt(mse), math_ops.sqrt(update_mse_op), metrics_collections,
                   updates_collections)


def _count_condition(values, weights, metrics_collections, updates_collections):
    """Counts the (weighted) true entries of ``values`` into a local ``count`` variable."""
    count = metric_variable([], dtypes.float32, name="count")
    values = math_ops.cast(values, dtypes.float32)
    if weights is not None:
        values, _ = _weighted(values, weights)
    value = array_ops.identity(count)
    update_op = state_ops.assign_add(count, math_ops.reduce_sum(values))
    return _finish(value, update_op, metrics_collections, updates_collections)


def _condition_metric(default_name, label_is, prediction_is):
    def metric(labels, predictions, weights=None, metrics_collections=None,
               updates_collections=None, name=None):
        with vs.variable_scope(name, default_name, (predictions, labels, weights)):
            predictions, labels, weights = _remove_squeezable_dimensions(
                math_ops.cast(predictions, dtypes.bool), math_ops.cast(labels, dtypes.bool),
                weights)
            condition = math_ops.logical_and(math_ops.equal(labels, label_is),
                                             math_ops.equal(predictions, prediction_is))
            return _count_condition(condition, weights, metrics_collections,
                                    updates_collections)
    metric.__name__ = default_name
    metric.__doc__ = (f"``tf.metrics.{default_name}``: the (weighted) number of entries whose "
                      f"label is {label_is} and prediction {prediction_is}.")
    return metric


true_positives = _condition_metric("true_positives", True, True)
false_positives = _condition_metric("false_positives", False, True)
false_negatives = _condition_metric("false_negatives", True, False)
true_negatives = _condition_metric("true_negatives", False, False)


def _ratio_metric(default_name, other_count):
    def metric(labels, predictions, weights=None, metrics_collections=None,
               updates_collections=None, name=None):
        with vs.variable_scope(name, default_name, (predictions, labels, weights)):
            predictions, labels, weights = _remove_squeezable_dimensions(
                math_ops.cast(predictions, dtypes.bool), math_ops.cast(labels, dtypes.bool),
                weights)
            tp, tp_update = true_positives(labels, predictions, weights)
            other, other_update = other_count(labels, predictions, weights)

            def ratio(tp, other, name):
                total = math_ops.add(tp, other)
                return math_ops.where(math_ops.greater(total, 0.0),
                                      _div_no_nan(tp, total), array_ops.zeros_like(tp),
                                      name=name)
            value = ratio(tp, other, "value")
            update_op = ratio(tp_update, other_update, "update_op")
        return _finish(value, update_op, metrics_collections, updates_collections)
    metric.__name__ = default_name
    metric.__doc__ = (f"``tf.metrics.{default_name}``: true_positives / (true_positives + "
                      f"{other_count.__name__}), 0 before any positive.")
    return metric


precision = _ratio_metric("precision", false_positives)
recall = _ratio_metric("recall", false_negatives)

_CONFUSION_PARTS = ("tp", "fn", "tn", "fp")
_CONFUSION_NAMES = {"tp": "true_positives", "fn": "false_negatives", "tn": "true_negatives",
                    "fp": "false_positives"}


def _confusion_matrix_at_thresholds(labels, predictions, thresholds, weights=None,
                                    includes=_CONFUSION_PARTS):
    """Per-threshold counts (predictions > threshold) in local variables of shape
    [len(thresholds)] named true_positives, false_negatives ... as in TF."""
    predictions, labels, weights = _remove_squeezable_dimensions(
        math_ops.cast(predictions, dtypes.float32), math_ops.cast(labels, dtypes.bool),
        weights)
    num_thresholds = len(thresholds)
    predictions_2d = array_ops.reshape(predictions, [1, -1])
    labels_2d = array_ops.reshape(labels, [1, -1])
    thresholds_2d = array_ops.reshape(ops.convert_to_tensor(thresholds, dtypes.float32),
                                      [num_thresholds, 1])
    pred_is_pos = math_ops.greater(predictions_2d, thresholds_2d)   # [thresholds, n]
    label_is_pos = math_ops.logical_and(labels_2d,
                                        array_ops.ones_like(pred_is_pos, dtypes.bool))
    conditions = {
        "tp": math_ops.logical_and(label_is_pos, pred_is_pos),
        "fn": math_ops.logical_and(label_is_pos, math_ops.logical_not(pred_is_pos)),
        "tn": math_ops.logical_and(math_ops.logical_not(label_is_pos),
                                   math_ops.logical_not(pred_is_pos)),
        "fp": math_ops.logical_and(math_ops.logical_not(label_is_pos), pred_is_pos),
    }
    weights_2d = None
    if weights is not None:
        weights_2d = math_ops.multiply(
            array_ops.reshape(math_ops.cast(weights, dtypes.float32), [1, -1]),
            array_ops.ones_like(pred_is_pos, dtypes.float32))
    values, update_ops = {}, {}
    for part in _CONFUSION_PARTS:
        if part not in includes:
            continue
        variable = metric_variable([num_thresholds], dtypes.float32,
                                   name=_CONFUSION_NAMES[part])
        counts = math_ops.cast(conditions[part], dtypes.float32)
        if weights_2d is not None:
            counts = math_ops.multiply(counts, weights_2d)
        values[part] = variable
        update_ops[part] = state_ops.assign_add(variable, math_ops.reduce_sum(counts, 1))
    return values, update_ops


def _auc_from_counts(counts, num_thresholds, curve, summation_method, name):
    epsilon = 1e-7
    tp, fn, tn, fp = (counts[part] for part in _CONFUSION_PARTS)
    rec = math_ops.truediv(tp + epsilon, tp + fn + epsilon)
    if curve == "ROC":
        x, y = math_ops.truediv(fp, fp + tn + epsilon), rec
    else:
        x, y = rec, math_ops.truediv(tp + epsilon, tp + fp + epsilon)
    left, right = x[:num_thresholds - 1], x[1:]
    low, high = y[:num_thresholds - 1], y[1:]
    if summation_method == "trapezoidal":
        heights = (low + high) / 2.0
    elif summation_method == "minoring":
        heights = math_ops.minimum(low, high)
    else:
        heights = math_ops.maximum(low, high)
    return math_ops.reduce_sum(math_ops.multiply(left - right, heights), name=name)


def auc(labels, predictions, weights=None, num_thresholds=200, metrics_collections=None,
        updates_collections=None, curve="ROC", name=None, summation_method="trapezoidal",
        thresholds=None):
    """``tf.metrics.auc``: the area under the ROC (or PR) curve, a Riemann sum over
    ``num_thresholds`` thresholds spread evenly over [0, 1] (plus -1e-7 and 1 + 1e-7 at the
    ends), with TF's trapezoidal, minoring or majoring heights. Predictions must be
    probabilities in [0, 1]."""
    if curve not in ("ROC", "PR"):
        raise ValueError(f'curve must be either ROC or PR, {curve} unknown')
    if summation_method not in ("trapezoidal", "minoring", "majoring"):
        raise ValueError(f"Invalid summation_method: {summation_method} (tfcompat implements "
                         f"trapezoidal, minoring and majoring)")
    with vs.variable_scope(name, "auc", (labels, predictions, weights)):
        if thresholds is not None:
            thresholds = sorted(float(t) for t in thresholds)
            num_thresholds = len(thresholds) + 2
            thresholds = [-1e-7] + thresholds + [1.0 + 1e-7]
        else:
            if num_thresholds < 2:
                raise ValueError("num_thresholds must be > 1.")
            thresholds = ([0.0 - 1e-7]
                          + [(i + 1) * 1.0 / (num_thresholds - 1)
                             for i in range(num_thresholds - 2)]
                          + [1.0 + 1e-7])
        values, update_ops = _confusion_matrix_at_thresholds(labels, predictions, thresholds,
                                                             weights)
        value = _auc_from_counts(values, num_thresholds, curve, summation_method, "value")
        update_op = _auc_from_counts(update_ops, num_thresholds, curve, summation_method,
                                     "update_op")
    return _finish(value, update_op, metrics_collections, updates_collections)


def _at_thresholds_metric(default_name, other_part):
    def metric(labels, predictions, thresholds, weights=None, metrics_collections=None,
               updates_collections=None, name=None):
        with vs.variable_scope(name, default_name, (predictions, labels, weights)):
            values, update_ops = _confusion_matrix_at_thresholds(
                labels, predictions, list(thresholds), weights, includes=("tp", other_part))
            prefix = default_name.split("_")[0]

            def ratio(tp, other, name):
                return math_ops.truediv(tp, 1e-7 + tp + other, name=f"{prefix}_{name}")
            value = ratio(values["tp"], values[other_part], "value")
            update_op = ratio(update_ops["tp"], update_ops[other_part], "update_op")
        return _finish(value, update_op, metrics_collections, updates_collections)
    metric.__name__ = default_name
    metric.__doc__ = (f"``tf.metrics.{default_name}``: per threshold, tp / (tp + "
                      f"{other_part} + 1e-7) counting predictions > threshold as positive.")
    return metric


precision_at_thresholds = _at_thresholds_metric("precision_at_thresholds", "fp")
recall_at_thresholds = _at_thresholds_metric("recall_at_thresholds", "fn")


def mean_per_class_accuracy(labels, predictions, num_classes, weights=None,
                            metrics_collections=None, updates_collections=None, name=None):
    """``tf.metrics.mean_per_class_accuracy``: the mean over classes of each class's accuracy.

    Local variables ``mean_accuracy/total`` (examples per class) and ``mean_accuracy/count``
    (correct ones per class); the update op returns the per-class accuracies, the value their
    mean, as in TF (the per-class sums use UnsortedSegmentSum + AssignAdd where TF uses
    ScatterAdd)."""
    with vs.variable_scope(name, "mean_accuracy", (predictions, labels, weights)):
        labels = math_ops.cast(labels, dtypes.int64)
        predictions = ops.convert_to_tensor(predictions)
        if labels.shape.ndims is not None and labels.shape.ndims > 1:
            labels = array_ops.reshape(labels, [-1])
        if predictions.shape.ndims is not None and predictions.shape.ndims > 1:
            predictions = array_ops.reshape(predictions, [-1])
        if not predictions.shape.is_compatible_with(labels.shape):
            raise ValueError(f"Shapes {predictions.shape} and {labels.shape} are "
                             f"incompatible")
        total = metric_variable([num_classes], dtypes.float32, name="total")
        count = metric_variable([num_classes], dtypes.float32, name="count")
        ones = array_ops.ones_like(labels, dtypes.float32)
        if labels.dtype != predictions.dtype:
            predictions = math_ops.cast(predictions, labels.dtype)
        is_correct = math_ops.cast(math_ops.equal(predictions, labels), dtypes.float32)
        if weights is not None:
            weights = array_ops.reshape(math_ops.cast(weights, dtypes.float32), [-1])
            is_correct = math_ops.multiply(is_correct, weights)
            ones = math_ops.multiply(ones, weights)
        update_total_op = state_ops.assign_add(
            total, math_ops.unsorted_segment_sum(ones, labels, num_classes))
        update_count_op = state_ops.assign_add(
            count, math_ops.unsorted_segment_sum(is_correct, labels, num_classes))
        per_class = _div_no_nan(count, math_ops.maximum(total, 0.0))
        value = math_ops.reduce_mean(per_class, name="mean_accuracy")
        update_op = _div_no_nan(update_count_op, math_ops.maximum(update_total_op, 0.0),
                                name="update_op")
    return _finish(value, update_op, metrics_collections, updates_collections)


def mean_tensor(values, weights=None, metrics_collections=None, updates_collections=None,
                name=None):
    """``tf.metrics.mean_tensor``: the element-wise (weighted) mean over batches, in
    ``mean/total_tensor`` and ``mean/count_tensor`` shaped like ``values``."""
    with vs.variable_scope(name, "mean", (values, weights)):
        values = math_ops.cast(values, dtypes.float32)
        total = metric_variable(values.shape, dtypes.float32, name="total_tensor")
        count = metric_variable(values.shape, dtypes.float32, name="count_tensor")
        num_values = array_ops.ones_like(values)
        if weights is not None:
            values, _, weights = _remove_squeezable_dimensions(values, None, weights)
            weights = math_ops.multiply(math_ops.cast(weights, dtypes.float32), num_values)
            values = math_ops.multiply(values, weights)
            num_values = weights
        update_total_op = state_ops.assign_add(total, values)
        with ops.control_dependencies([values]):
            update_count_op = state_ops.assign_add(count, num_values)
        value = _div_no_nan(total, math_ops.maximum(count, 0.0), name="value")
        update_op = _div_no_nan(update_total_op, math_ops.maximum(update_count_op, 0.0),
                                name="update_op")
    return _finish(value, update_op, metrics_collections, updates_collections)


def percentage_below(values, threshold, weights=None, metrics_collections=None,
                     updates_collections=None, name=None):
    """``tf.metrics.percentage_below``: the fraction of values below ``threshold``."""
    below = math_ops.cast(math_ops.less(values, threshold), dtypes.float32)
    return mean(below, weights, metrics_collections, updates_collections,
                name or "percentage_below_threshold")


def mean_relative_error(labels, predictions, normalizer, weights=None,
                        metrics_collections=None, updates_collections=None, name=None):
    """``tf.metrics.mean_relative_error``: the mean of |labels - predictions| / normalizer
    (0 where the normalizer is 0)."""
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels, weights)
    predictions, normalizer, _ = _remove_squeezable_dimensions(predictions, normalizer)
    if not predictions.shape.is_compatible_with(normalizer.shape):
        raise ValueError(f"Shapes {predictions.shape} and {normalizer.shape} are incompatible")
    errors = math_ops.abs(math_ops.subtract(labels, predictions))
    relative = math_ops.where(math_ops.equal(normalizer, 0.0), array_ops.zeros_like(labels),
                              math_ops.truediv(errors, normalizer))
    return mean(relative, weights, metrics_collections, updates_collections,
                name or "mean_relative_error")


def mean_cosine_distance(labels, predictions, dim, weights=None, metrics_collections=None,
                         updates_collections=None, name=None):
    """``tf.metrics.mean_cosine_distance``: 1 - the mean over examples of the dot product of
    (unit-normalised) labels and predictions along ``dim``."""
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels, weights)
    products = math_ops.reduce_sum(math_ops.multiply(predictions, labels), axis=[dim],
                                   keep_dims=True)
    mean_product, update_product = mean(products, weights, None, None,
                                        name or "mean_cosine_distance")
    return _finish(math_ops.subtract(1.0, mean_product), math_ops.subtract(1.0, update_product),
                   metrics_collections, updates_collections)


def mean_iou(labels, predictions, num_classes, weights=None, metrics_collections=None,
             updates_collections=None, name=None):
    """``tf.metrics.mean_iou``: the mean over classes present of intersection / union,
    from a streaming float64 confusion matrix ``mean_iou/total_confusion_matrix``
    (rows: labels, columns: predictions)."""
    with vs.variable_scope(name, "mean_iou", (predictions, labels, weights)):
        labels = ops.convert_to_tensor(labels)
        predictions = ops.convert_to_tensor(predictions)
        if not predictions.shape.is_compatible_with(labels.shape):
            raise ValueError(f"Shapes {predictions.shape} and {labels.shape} are "
                             f"incompatible")
        total_cm = metric_variable([num_classes, num_classes], dtypes.float64,
                                   name="total_confusion_matrix")
        cells = math_ops.add(
            array_ops.reshape(math_ops.cast(labels, dtypes.int64), [-1]) * num_classes,
            array_ops.reshape(math_ops.cast(predictions, dtypes.int64), [-1]))
        counts = array_ops.ones_like(cells, dtypes.float64)
        if weights is not None:
            counts = math_ops.multiply(counts, array_ops.reshape(
                math_ops.cast(weights, dtypes.float64), [-1]))
        batch_cm = array_ops.reshape(
            math_ops.unsorted_segment_sum(counts, cells, num_classes * num_classes),
            [num_classes, num_classes])
        update_op = state_ops.assign_add(total_cm, batch_cm)

        per_row = math_ops.cast(math_ops.reduce_sum(total_cm, 0), dtypes.float32)
        per_column = math_ops.cast(math_ops.reduce_sum(total_cm, 1), dtypes.float32)
        diagonal = math_ops.cast(linalg_ops.matrix_diag_part(total_cm), dtypes.float32)
        union = per_row + per_column - diagonal
        present = math_ops.reduce_sum(math_ops.cast(math_ops.not_equal(union, 0.0),
                                                    dtypes.float32))
        safe_union = math_ops.where(math_ops.greater(union, 0.0), union,
                                    array_ops.ones_like(union))
        iou_sum = math_ops.reduce_sum(math_ops.truediv(diagonal, safe_union))
        value = math_ops.where(math_ops.greater(present, 0.0),
                               _div_no_nan(iou_sum, present), array_ops.zeros_like(iou_sum))
    if metrics_collections:
        ops.add_to_collections(metrics_collections, value)
    if updates_collections:
        ops.add_to_collections(updates_collections, update_op)
    return value, update_op


def _count_at_thresholds_metric(default_name, part):
    def metric(labels, predictions, thresholds, weights=None, metrics_collections=None,
               updates_collections=None, name=None):
        with vs.variable_scope(name, default_name, (predictions, labels, weights)):
            values, update_ops = _confusion_matrix_at_thresholds(
                labels, predictions, list(thresholds), weights, includes=(part,))
            value = array_ops.identity(values[part])
        return _finish(value, update_ops[part], metrics_collections, updates_collections)
    metric.__name__ = f"{default_name}_at_thresholds"
    metric.__doc__ = (f"``tf.metrics.{default_name}_at_thresholds``: per threshold, the "
                      f"(weighted) count of {default_name.replace('_', ' ')} counting "
                      f"predictions > threshold as positive.")
    return metric


true_positives_at_thresholds = _count_at_thresholds_metric("true_positives", "tp")
false_positives_at_thresholds = _count_at_thresholds_metric("false_positives", "fp")
false_negatives_at_thresholds = _count_at_thresholds_metric("false_negatives", "fn")
true_negatives_at_thresholds = _count_at_thresholds_metric("true_negatives", "tn")


def _rate(numerator, other, name=None):
    return math_ops.truediv(numerator, numerator + other + 1e-7, name=name)


def _sensitivity_at_specificity(counts, specificity, name):
    """TP rate at the threshold whose TN rate is closest to ``specificity`` (the first
    one on ties)."""
    specificities = _rate(counts["tn"], counts["fp"])
    index = math_ops.argmin(math_ops.abs(specificities - specificity), 0)
    tp, fn = array_ops.gather(counts["tp"], index), array_ops.gather(counts["fn"], index)
    return _rate(tp, fn, name=name)


def _specificity_at_sensitivity(counts, sensitivity, name):
    """TN rate at the threshold whose TP rate is closest to ``sensitivity`` (the last one
    on ties, as TF's cumulative-count trick picks)."""
    distance = math_ops.abs(_rate(counts["tp"], counts["fn"]) - sensitivity)
    at_min = math_ops.cast(math_ops.equal(distance, math_ops.reduce_min(distance)),
                           dtypes.int64)
    index = math_ops.argmax(math_ops.cumsum(at_min), 0)
    tn, fp = array_ops.gather(counts["tn"], index), array_ops.gather(counts["fp"], index)
    return _rate(tn, fp, name=name)


def _evenly_spaced_thresholds(num_thresholds, last):
    return ([-1e-7] + [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            + [last])


def sensitivity_at_specificity(labels, predictions, specificity, weights=None,
                               num_thresholds=200, metrics_collections=None,
                               updates_collections=None, name=None):
    """``tf.metrics.sensitivity_at_specificity``: the recall at the threshold (of
    ``num_thresholds`` spread over [0, 1]) whose specificity is closest to the given one."""
    if specificity < 0 or specificity > 1:
        raise ValueError("`specificity` must be in the range [0, 1].")
    with vs.variable_scope(name, "sensitivity_at_specificity", (predictions, labels, weights)):
        values, update_ops = _confusion_matrix_at_thresholds(
            labels, predictions, _evenly_spaced_thresholds(num_thresholds, 1.0 + 1e-7), weights)
        value = _sensitivity_at_specificity(values, specificity, "value")
        update_op = _sensitivity_at_specificity(update_ops, specificity, "update_op")
    return _finish(value, update_op, metrics_collections, updates_collections)


def specificity_at_sensitivity(labels, predictions, sensitivity, weights=None,
                               num_thresholds=200, metrics_collections=None,
                               updates_collections=None, name=None):
    """``tf.metrics.specificity_at_sensitivity``: the true-negative rate at the threshold
    whose sensitivity is closest to the given one (thresholds end at 1 - 1e-7, as TF's)."""
    if sensitivity < 0 or sensitivity > 1:
        raise ValueError("`sensitivity` must be in the range [0, 1].")
    with vs.variable_scope(name, "specificity_at_sensitivity", (predictions, labels, weights)):
        values, update_ops = _confusion_matrix_at_thresholds(
            labels, predictions, _evenly_spaced_thresholds(num_thresholds, 1.0 - 1e-7), weights)
        value = _specificity_at_sensitivity(values, sensitivity, "value")
        update_op = _specificity_at_sensitivity(update_ops, sensitivity, "update_op")
    return _finish(value, update_op, metrics_collections, updates_collections)


# ---- ranking metrics: *_at_k, *_at_top_k, average precision ---------------------------------
# Labels are an int64 [D1, ... DN, num_labels] (or [D1, ... DN]) tensor or SparseTensor; each
# row is the set of its values, as TF's set operations read them (a dense row's every entry,
# -1 included, is an element; a sparse row's present entries are). A sparse row is carried
# as a dense row plus a mask of its present entries. Counts are float64, as TF's.
def _at_k_name(name, k=None, class_id=None):
    name = f"{name}_at_{k}" if k is not None else f"{name}_at_k"
    return name if class_id is None else f"{name}_class{class_id}"


class _LabelSets:
    """Label rows as ``values`` [..., n] int64 and ``present`` [..., n] bool (None: all)."""

    def __init__(self, labels, predictions):
        from tfcompat.ops import sparse_ops
        from tfcompat.ops.sparse_tensor import SparseTensor, SparseTensorValue
        if isinstance(labels, (SparseTensor, SparseTensorValue)):
            labels = SparseTensor.from_value(labels)
            self.values = math_ops.cast(sparse_ops.sparse_tensor_to_dense(labels),
                                        dtypes.int64)
            self.present = sparse_ops.sparse_tensor_to_dense(SparseTensor(
                labels.indices, array_ops.ones_like(labels.indices[:, 0], dtypes.bool),
                labels.dense_shape), default_value=False)
        else:
            self.values = math_ops.cast(ops.convert_to_tensor(labels), dtypes.int64)
            self.present = None
        self._expand_to(predictions)

    def _expand_to(self, predictions):
        """Labels of rank one less than the predictions get a last dimension of 1."""
        labels_rank, predictions_rank = self.values.shape.ndims, predictions.shape.ndims
        if labels_rank is None or predictions_rank is None or labels_rank == predictions_rank:
            return
        if predictions_rank != labels_rank + 1:
            raise ValueError(f"Unexpected labels shape {self.values.shape} for predictions "
                             f"shape {predictions.shape}.")
        self.values = array_ops.expand_dims(self.values, -1)
        if self.present is not None:
            self.present = array_ops.expand_dims(self.present, -1)

    def masked(self, condition):
        return condition if self.present is None else math_ops.logical_and(condition,
                                                                           self.present)

    def set_size(self):
        """[...]: the number of distinct present values per row."""
        return _count(self.masked(_first_occurrences(self.values, self.present)))


def _contains(values, elements, elements_present=None):
    """[..., n] bool: whether values[..., i] is one of the (present) elements[..., :]."""
    equal = math_ops.equal(array_ops.expand_dims(values, -1), array_ops.expand_dims(elements, -2))
    if elements_present is not None:
        equal = math_ops.logical_and(equal, array_ops.expand_dims(elements_present, -2))
    return math_ops.reduce_any(equal, -1)


def _first_occurrences(values, present=None):
    """[..., n] bool: values[..., i] does not occur at an earlier (present) position of its
    row (so counting them counts the row's set)."""
    positions = math_ops._range(array_ops.shape(values)[-1])
    earlier = math_ops.less(array_ops.expand_dims(positions, 0),
                            array_ops.expand_dims(positions, 1))
    repeated = math_ops.logical_and(math_ops.equal(array_ops.expand_dims(values, -1),
                                                   array_ops.expand_dims(values, -2)), earlier)
    if present is not None:
        repeated = math_ops.logical_and(repeated, array_ops.expand_dims(present, -2))
    return math_ops.logical_not(math_ops.reduce_any(repeated, -1))


def _count(condition):
    return math_ops.reduce_sum(math_ops.cast(condition, dtypes.float64), -1)


def _set_counts(labels, predictions_idx, class_id, part):
    """Per row: |predictions ∩ labels| (part "true_positive"), |predictions \\ labels|
    ("false_positive") or |labels \\ predictions| ("false_negative"), the sets reduced to
    {class_id} when it is given."""
    if class_id is not None:
        in_labels = math_ops.reduce_any(labels.masked(math_ops.equal(labels.values, class_id)),
                                        -1)
        in_predictions = math_ops.reduce_any(math_ops.equal(predictions_idx, class_id), -1)
        wanted = {"true_positive": math_ops.logical_and(in_labels, in_predictions),
                  "false_positive": math_ops.logical_and(in_predictions,
                                                         math_ops.logical_not(in_labels)),
                  "false_negative": math_ops.logical_and(in_labels,
                                                         math_ops.logical_not(in_predictions))}
        return math_ops.cast(wanted[part], dtypes.float64)
    if part == "false_positive":
        return _count(math_ops.logical_and(
            _first_occurrences(predictions_idx),
            math_ops.logical_not(_contains(predictions_idx, labels.values, labels.present))))
    found = _contains(labels.values, predictions_idx)
    if part == "false_negative":
        found = math_ops.logical_not(found)
    return _count(labels.masked(math_ops.logical_and(
        _first_occurrences(labels.values, labels.present), found)))


def _broadcast_weights(weights, values):
    """Weights as float64 times ones like values, with TF's broadcastability rule (a scalar,
    or the values' rank with each dimension 1 or equal)."""
    weights = math_ops.cast(ops.convert_to_tensor(weights), dtypes.float64)
    w_shape, v_shape = weights.shape, values.shape
    if w_shape.ndims not in (None, 0) and v_shape.ndims is not None and (
            w_shape.ndims != v_shape.ndims or any(
                w not in (None, 1) and v is not None and w != v
                for w, v in zip(w_shape.as_list(), v_shape.as_list(), strict=True))):
        raise ValueError(f"weights can not be broadcast to values. values.rank="
                         f"{v_shape.ndims}. weights.rank={w_shape.ndims}. values.shape="
                         f"{v_shape}. weights.shape={w_shape}.")
    return math_ops.multiply(weights, array_ops.ones_like(values))


def _streaming_set_count(labels, predictions_idx, k, class_id, weights, part):
    """A float64 local variable ``<part>_at_<k>[_class<id>]`` summing the batch's counts."""
    with ops.name_scope(None, _at_k_name(part, k, class_id),
                        (predictions_idx, labels, weights)) as scope:
        counts = _set_counts(labels, predictions_idx, class_id, part)
        if weights is not None:
            counts = math_ops.multiply(counts, _broadcast_weights(weights, counts))
        var = metric_variable([], dtypes.float64, name=scope)
        return var, state_ops.assign_add(var, math_ops.reduce_sum(counts), name="update")


def _ratio_at_top_k(metric, other_part, labels, predictions_idx, k, class_id, weights,
                    metrics_collections, updates_collections, name):
    """tp / (tp + other): precision (other = false positives) or recall (false negatives);
    NaN while both are 0, as TF's div."""
    with ops.name_scope(name, _at_k_name(metric, k, class_id),
                        (predictions_idx, labels, weights)) as scope:
        predictions_idx = math_ops.cast(ops.convert_to_tensor(predictions_idx), dtypes.int64)
        labels = _LabelSets(labels, predictions_idx)
        tp, tp_update = _streaming_set_count(labels, predictions_idx, k, class_id, weights,
                                             "true_positive")
        other, other_update = _streaming_set_count(labels, predictions_idx, k, class_id,
                                                   weights, other_part)
        value = math_ops.truediv(tp, math_ops.add(tp, other), name=scope)
        update = math_ops.truediv(tp_update, math_ops.add(tp_update, other_update),
                                  name="update")
    return _finish(value, update, metrics_collections, updates_collections)


def _top_k_indices(predictions, k):
    return math_ops.top_k(ops.convert_to_tensor(predictions), k)[1]


def recall_at_top_k(labels, predictions_idx, k=None, class_id=None, weights=None,
                    metrics_collections=None, updates_collections=None, name=None):
    """``tf.metrics.recall_at_top_k``: of the label sets' elements (or of the rows labelled
    ``class_id``), the fraction found among the predicted class ids ``predictions_idx``
    [..., k], summed over all batches: tp / (tp + fn)."""
    return _ratio_at_top_k("recall", "false_negative", labels, predictions_idx, k, class_id,
                           weights, metrics_collections, updates_collections, name)


def recall_at_k(labels, predictions, k, class_id=None, weights=None, metrics_collections=None,
                updates_collections=None, name=None):
    """``tf.metrics.recall_at_k``: recall_at_top_k of the k largest logits' classes."""
    with ops.name_scope(name, _at_k_name("recall", k, class_id),
                        (predictions, labels, weights)) as scope:
        return recall_at_top_k(labels, _top_k_indices(predictions, k), k, class_id, weights,
                               metrics_collections, updates_collections, name=scope)


def precision_at_top_k(labels, predictions_idx, k=None, class_id=None, weights=None,
                       metrics_collections=None, updates_collections=None, name=None):
    """``tf.metrics.precision_at_top_k``: of the predicted class ids (or of the predictions
    of ``class_id``), the fraction in the label sets: tp / (tp + fp)."""
    return _ratio_at_top_k("precision", "false_positive", labels, predictions_idx, k,
                           class_id, weights, metrics_collections, updates_collections, name)


def precision_at_k(labels, predictions, k, class_id=None, weights=None,
                   metrics_collections=None, updates_collections=None, name=None):
    """``tf.metrics.precision_at_k``: precision_at_top_k of the k largest logits' classes."""
    with ops.name_scope(name, _at_k_name("precision", k, class_id),
                        (predictions, labels, weights)) as scope:
        return precision_at_top_k(labels, _top_k_indices(predictions, k), k, class_id,
                                  weights, metrics_collections, updates_collections,
                                  name=scope)


def sparse_precision_at_k(labels, predictions, k, class_id=None, weights=None,
                          metrics_collections=None, updates_collections=None, name=None):
    """``tf.metrics.sparse_precision_at_k``: TF 1.x's deprecated name of precision_at_k."""
    return precision_at_k(labels, predictions, k, class_id, weights, metrics_collections,
                          updates_collections, name)


def _average_precision_per_row(labels, predictions_idx):
    """TF's _sparse_average_precision_at_top_k: the precisions at the ranks whose prediction
    is a label, summed and divided by min(labels per row, k) (a dense row counts all its
    entries, a sparse row its distinct values)."""
    with ops.name_scope(None, "average_precision", (predictions_idx,)) as scope:
        k = predictions_idx.shape[-1].value
        if k is None:
            raise ValueError("The last dimension of predictions_idx must be set.")
        relevant = math_ops.cast(_contains(predictions_idx, labels.values, labels.present),
                                 dtypes.float64)
        true_positives = math_ops.cumsum(relevant, axis=-1)
        retrieved = ops.convert_to_tensor(np.arange(1, k + 1, dtype=np.float64))
        precision_sum = math_ops.reduce_sum(
            math_ops.multiply(math_ops.truediv(true_positives, retrieved), relevant), -1)
        if labels.present is None:
            num_labels = math_ops.cast(array_ops.shape(labels.values)[-1], dtypes.float64)
        else:
            num_labels = labels.set_size()
        return math_ops.truediv(precision_sum, math_ops.minimum(num_labels, float(k)),
                                name=scope)


def _average_precision_at_top_k(labels, predictions_idx, weights, metrics_collections,
                                 updates_collections, name):
    with ops.name_scope(name, "average_precision_at_top_k",
                        (predictions_idx, labels, weights)) as scope:
        predictions_idx = math_ops.cast(predictions_idx, dtypes.int64)
        if predictions_idx.shape.ndims == 0:
            raise ValueError("The rank of predictions_idx must be at least 1.")
        labels = _LabelSets(labels, predictions_idx)
        average_precision = _average_precision_per_row(labels, predictions_idx)
        if weights is not None:
            weights = _broadcast_weights(weights, average_precision)
            average_precision = math_ops.multiply(average_precision, weights)
        with ops.name_scope(None, "max", (average_precision,)) as max_scope:
            max_var = metric_variable([], dtypes.float64, name=max_scope)
            batch_max = (math_ops.cast(array_ops.size(average_precision), dtypes.float64)
                         if weights is None else math_ops.reduce_sum(weights))
            max_update = state_ops.assign_add(max_var, batch_max, name="update")
        with ops.name_scope(None, "total", (average_precision,)) as total_scope:
            total_var = metric_variable([], dtypes.float64, name=total_scope)
            total_update = state_ops.assign_add(
                total_var, math_ops.reduce_sum(average_precision), name="update")
        value = _div_no_nan(total_var, max_var, name="mean")
        update = _div_no_nan(total_update, max_update, name=scope)
    return _finish(value, update, metrics_collections, updates_collections)


def average_precision_at_k(labels, predictions, k, weights=None, metrics_collections=None,
                           updates_collections=None, name=None):
    """``tf.metrics.average_precision_at_k``: the mean over all rows seen of each row's
    average precision of its k largest logits' classes (0 before any row)."""
    if k < 1:
        raise ValueError(f"Invalid k={k}.")
    with ops.name_scope(name, _at_k_name("average_precision", k),
                        (predictions, labels, weights)) as scope:
        return _average_precision_at_top_k(labels, _top_k_indices(predictions, k), weights,
                                            metrics_collections, updates_collections, scope)


def sparse_average_precision_at_k(labels, predictions, k, weights=None,
                                  metrics_collections=None, updates_collections=None,
                                  name=None):
    """``tf.metrics.sparse_average_precision_at_k``: TF 1.x's deprecated name of
    average_precision_at_k."""
    return average_precision_at_k(labels, predictions, k, weights, metrics_collections,
                                  updates_collections, name)


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow._api.v1.metrics' has no attribute '{name}': "
                         f"tfcompat does not implement tf.metrics.{name} yet")
