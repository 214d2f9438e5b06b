"""``tf.contrib.metrics``' streaming metrics (TF 1.15 contrib/metrics/python/ops/
metric_ops.py): the ``tf.metrics`` functions under their contrib names with the old argument
order (predictions first, then labels), so their variables, scopes and values are those of
``tf.metrics`` ("accuracy/total", "auc/true_positives" ...). ``streaming_recall_at_k`` is a
streaming mean of ``tf.nn.in_top_k`` (scope "recall_at_<k>"), ``streaming_mean_cosine_distance``
1 minus the streaming mean of the summed products, and ``streaming_concat`` a local variable
(variable scope "streaming_concat", "array") that each update extends along ``axis``.
"""
import numpy as np

from tfcompat import metrics, nn
from tfcompat.framework import dtypes, ops
from tfcompat.ops import array_ops, math_ops, special_math_ops, state_ops
from tfcompat.ops import variable_scope as vs
from tfcompat.ops import variables as variables_lib


def _common(weights, metrics_collections, updates_collections, name):
    return {"weights": weights, "metrics_collections": metrics_collections,
            "updates_collections": updates_collections, "name": name}


def streaming_true_positives(predictions, labels, weights=None, metrics_collections=None,
                             updates_collections=None, name=None):
    """``tf.metrics.true_positives`` (predictions first)."""
    return metrics.true_positives(labels, predictions, **_common(
        weights, metrics_collections, updates_collections, name))


def streaming_true_negatives(predictions, labels, weights=None, metrics_collections=None,
                             updates_collections=None, name=None):
    """``tf.metrics.true_negatives`` (predictions first)."""
    return metrics.true_negatives(labels, predictions, **_common(
        weights, metrics_collections, updates_collections, name))


def streaming_false_positives(predictions, labels, weights=None, metrics_collections=None,
                              updates_collections=None, name=None):
    """``tf.metrics.false_positives`` (predictions first)."""
    return metrics.false_positives(labels, predictions, **_common(
        weights, metrics_collections, updates_collections, name))


def streaming_false_negatives(predictions, labels, weights=None, metrics_collections=None,
                              updates_collections=None, name=None):
    """``tf.metrics.false_negatives`` (predictions first)."""
    return metrics.false_negatives(labels, predictions, **_common(
        weights, metrics_collections, updates_collections, name))


def streaming_mean(values, weights=None, metrics_collections=None, updates_collections=None,
                   name=None):
    """``tf.metrics.mean``."""
    return metrics.mean(values, **_common(weights, metrics_collections, updates_collections,
                                          name))


def streaming_mean_tensor(values, weights=None, metrics_collections=None,
                          updates_collections=None, name=None):
    """``tf.metrics.mean_tensor``."""
    return metrics.mean_tensor(values, **_common(weights, metrics_collections,
                                                 updates_collections, name))


def streaming_accuracy(predictions, labels, weights=None, metrics_collections=None,
                       updates_collections=None, name=None):
    """``tf.metrics.accuracy`` (predictions first)."""
    return metrics.accuracy(labels, predictions, **_common(
        weights, metrics_collections, updates_collections, name))


def streaming_precision(predictions, labels, weights=None, metrics_collections=None,
                        updates_collections=None, name=None):
    """``tf.metrics.precision`` (predictions first)."""
    return metrics.precision(labels, predictions, **_common(
        weights, metrics_collections, updates_collections, name))


def streaming_recall(predictions, labels, weights=None, metrics_collections=None,
                     updates_collections=None, name=None):
    """``tf.metrics.recall`` (predictions first)."""
    return metrics.recall(labels, predictions, **_common(
        weights, metrics_collections, updates_collections, name))


def streaming_auc(predictions, labels, weights=None, num_thresholds=200,
                  metrics_collections=None, updates_collections=None, curve="ROC", name=None):
    """``tf.metrics.auc`` (predictions first; trapezoidal summation)."""
    return metrics.auc(labels, predictions, num_thresholds=num_thresholds, curve=curve,
                       **_common(weights, metrics_collections, updates_collections, name))


def streaming_precision_at_thresholds(predictions, labels, thresholds, weights=None,
                                      metrics_collections=None, updates_collections=None,
                                      name=None):
    """``tf.metrics.precision_at_thresholds`` (predictions first)."""
    return metrics.precision_at_thresholds(labels, predictions, thresholds, **_common(
        weights, metrics_collections, updates_collections, name))


def streaming_recall_at_thresholds(predictions, labels, thresholds, weights=None,
                                   metrics_collections=None, updates_collections=None,
                                   name=None):
    """``tf.metrics.recall_at_thresholds`` (predictions first)."""
    return metrics.recall_at_thresholds(labels, predictions, thresholds, **_common(
        weights, metrics_collections, updates_collections, name))


def _counts_at_thresholds(metric):
    def counts(predictions, labels, thresholds, weights=None):
        return metric(labels, predictions, thresholds, weights=weights)
    counts.__name__ = "streaming_" + metric.__name__
    counts.__doc__ = (f"``tf.metrics.{metric.__name__}`` (predictions first): "
                      "(value, update_op) per threshold.")
    return counts


streaming_true_positives_at_thresholds = _counts_at_thresholds(
    metrics.true_positives_at_thresholds)
streaming_false_positives_at_thresholds = _counts_at_thresholds(
    metrics.false_positives_at_thresholds)
streaming_true_negatives_at_thresholds = _counts_at_thresholds(
    metrics.true_negatives_at_thresholds)
streaming_false_negatives_at_thresholds = _counts_at_thresholds(
    metrics.false_negatives_at_thresholds)


def streaming_sensitivity_at_specificity(predictions, labels, specificity, weights=None,
                                         num_thresholds=200, metrics_collections=None,
                                         updates_collections=None, name=None):
    """``tf.metrics.sensitivity_at_specificity`` (predictions first)."""
    return metrics.sensitivity_at_specificity(
        labels, predictions, specificity, num_thresholds=num_thresholds,
        **_common(weights, metrics_collections, updates_collections, name))


def streaming_specificity_at_sensitivity(predictions, labels, sensitivity, weights=None,
                                         num_thresholds=200, metrics_collections=None,
                                         updates_collections=None, name=None):
    """``tf.metrics.specificity_at_sensitivity`` (predictions first)."""
    return metrics.specificity_at_sensitivity(
        labels, predictions, sensitivity, num_thresholds=num_thresholds,
        **_common(weights, metrics_collections, updates_collections, name))


def streaming_recall_at_k(predictions, labels, k, weights=None, metrics_collections=None,
                          updates_collections=None, name=None):
    """The streaming mean of ``tf.nn.in_top_k(predictions, labels, k)`` (scope
    'recall_at_<k>')."""
    in_top_k = math_ops.cast(nn.in_top_k(predictions, labels, k), dtypes.float32)
    return streaming_mean(in_top_k, weights, metrics_collections, updates_collections,
                          name or f"recall_at_{k}")


def streaming_sparse_recall_at_k(predictions, labels, k, class_id=None, weights=None,
                                 metrics_collections=None, updates_collections=None,
                                 name=None):
    """``tf.metrics.recall_at_k`` (predictions first)."""
    return metrics.recall_at_k(labels, predictions, k, class_id=class_id, **_common(
        weights, metrics_collections, updates_collections, name))


def streaming_sparse_precision_at_k(predictions, labels, k, class_id=None, weights=None,
                                    metrics_collections=None, updates_collections=None,
                                    name=None):
    """``tf.metrics.precision_at_k`` (predictions first)."""
    return metrics.precision_at_k(labels, predictions, k, class_id=class_id, **_common(
        weights, metrics_collections, updates_collections, name))


def streaming_sparse_precision_at_top_k(top_k_predictions, labels, class_id=None,
                                        weights=None, metrics_collections=None,
                                        updates_collections=None, name=None):
    """``tf.metrics.precision_at_top_k`` (predicted class ids first)."""
    return metrics.precision_at_top_k(labels, top_k_predictions, class_id=class_id,
                                      **_common(weights, metrics_collections,
                                                updates_collections, name))


def streaming_sparse_average_precision_at_k(predictions, labels, k, weights=None,
                                            metrics_collections=None,
                                            updates_collections=None, name=None):
    """``tf.metrics.average_precision_at_k`` (predictions first)."""
    return metrics.average_precision_at_k(labels, predictions, k, **_common(
        weights, metrics_collections, updates_collections, name))


def streaming_mean_absolute_error(predictions, labels, weights=None, metrics_collections=None,
                                  updates_collections=None, name=None):
    """``tf.metrics.mean_absolute_error`` (predictions first)."""
    return metrics.mean_absolute_error(labels, predictions, **_common(
        weights, metrics_collections, updates_collections, name))


def streaming_mean_squared_error(predictions, labels, weights=None, metrics_collections=None,
                                 updates_collections=None, name=None):
    """``tf.metrics.mean_squared_error`` (predictions first)."""
    return metrics.mean_squared_error(labels, predictions, **_common(
        weights, metrics_collections, updates_collections, name))


def streaming_root_mean_squared_error(predictions, labels, weights=None,
                                      metrics_collections=None, updates_collections=None,
                                      name=None):
    """``tf.metrics.root_mean_squared_error`` (predictions first)."""
    return metrics.root_mean_squared_error(labels, predictions, **_common(
        weights, metrics_collections, updates_collections, name))


def streaming_mean_relative_error(predictions, labels, normalizer, weights=None,
                                  metrics_collections=None, updates_collections=None,
                                  name=None):
    """``tf.metrics.mean_relative_error`` (predictions first)."""
    return metrics.mean_relative_error(labels, predictions, normalizer, **_common(
        weights, metrics_collections, updates_collections, name))


def streaming_mean_iou(predictions, labels, num_classes, weights=None,
                       metrics_collections=None, updates_collections=None, name=None):
    """``tf.metrics.mean_iou`` (predictions first)."""
    return metrics.mean_iou(labels, predictions, num_classes, **_common(
        weights, metrics_collections, updates_collections, name))


def streaming_percentage_less(values, threshold, weights=None, metrics_collections=None,
                              updates_collections=None, name=None):
    """``tf.metrics.percentage_below``."""
    return metrics.percentage_below(values, threshold, **_common(
        weights, metrics_collections, updates_collections, name))


def streaming_mean_cosine_distance(predictions, labels, dim, weights=None,
                                   metrics_collections=None, updates_collections=None,
                                   name=None):
    """1 - the streaming mean of sum(predictions * labels, dim) (inputs unit-normalised),
    scope 'mean_cosine_distance'."""
    predictions = ops.convert_to_tensor(predictions)
    labels = ops.convert_to_tensor(labels)
    predictions.shape.assert_is_compatible_with(labels.shape)
    radial = math_ops.reduce_sum(math_ops.multiply(predictions, labels), axis=[dim],
                                 keepdims=True)
    mean_distance, update_op = streaming_mean(radial, weights, None, None,
                                              name or "mean_cosine_distance")
    mean_distance = math_ops.subtract(1.0, mean_distance)
    update_op = math_ops.subtract(1.0, update_op)
    if metrics_collections:
        ops.add_to_collections(metrics_collections, mean_distance)
    if updates_collections:
        ops.add_to_collections(updates_collections, update_op)
    return mean_distance, update_op


def streaming_concat(values, axis=0, max_size=None, metrics_collections=None,
                     updates_collections=None, name=None):
    """(value, update_op): every ``values`` seen so far concatenated along ``axis`` (whose
    other dimensions must be known); ``max_size`` caps the kept length."""
    with vs.variable_scope(name, "streaming_concat", (values,)):
        values = ops.convert_to_tensor(values)
        ndims = values.shape.ndims
        if ndims is None:
            raise ValueError("`values` must have known statically known rank")
        axis = axis + ndims if axis < 0 else axis
        if not 0 <= axis < ndims:
            raise ValueError(f"axis = {axis!r} not in [0, {ndims!r})")
        dims = values.shape.as_list()
        if any(d is None for n, d in enumerate(dims) if n != axis):
            raise ValueError(f"all dimensions of `values` other than the dimension to "
                             f"concatenate along must have statically known size: "
                             f"{values.shape}")
        empty = [0 if n == axis else d for n, d in enumerate(dims)]
        array = variables_lib.Variable(
            np.zeros(empty, dtype=values.dtype.as_numpy_dtype), trainable=False,
            collections=[ops.GraphKeys.LOCAL_VARIABLES,
                         ops.GraphKeys.METRIC_VARIABLES], validate_shape=False,
            name="array")
        static_shape = [None if n == axis else d for n, d in enumerate(dims)]
        joined = array_ops.concat([array.value(), values], axis)
        if max_size is not None:
            kept = math_ops.minimum(array_ops.shape(joined)[axis], max_size)
            size = array_ops.stack([kept if n == axis else -1 for n in range(ndims)])
            joined = array_ops.slice(joined, [0] * ndims, size)
        update_op = state_ops.assign(array, joined, validate_shape=False)
        value = array_ops.identity(array.value())
        value.set_shape(static_shape)
        update_op.set_shape(static_shape)
        if metrics_collections:
            ops.add_to_collections(metrics_collections, value)
        if updates_collections:
            ops.add_to_collections(updates_collections, update_op)
        return value, update_op


def aggregate_metrics(*value_update_tuples):
    """([values], [update_ops]) of (value, update_op) pairs."""
    if not value_update_tuples:
        raise ValueError("Expected at least one value_tensor/update_op pair")
    value_ops, update_ops = zip(*value_update_tuples, strict=True)
    return list(value_ops), list(update_ops)


def aggregate_metric_map(names_to_tuples):
    """({name: value}, {name: update_op}) of {name: (value, update_op)} (slim's eval
    recipe)."""
    names = list(names_to_tuples)
    value_ops, update_ops = zip(*names_to_tuples.values(), strict=True)
    return dict(zip(names, value_ops, strict=True)), dict(zip(names, update_ops, strict=True))


def _rate_metric(default_name, numerator_metric, other_metric, predictions, labels, weights,
                 metrics_collections, updates_collections, name):
    """n / (n + o) of two streaming counts (0 while both are 0), as TF's false positive /
    negative rates."""
    with vs.variable_scope(name, default_name, (predictions, labels, weights)):
        predictions, labels, weights = metrics._remove_squeezable_dimensions(
            math_ops.cast(predictions, dtypes.bool), math_ops.cast(labels, dtypes.bool),
            weights)
        numerator, numerator_update = numerator_metric(labels, predictions, weights=weights)
        other, other_update = other_metric(labels, predictions, weights=weights)

        def rate(n, o, rate_name):
            total = n + o
            safe = math_ops.where(math_ops.greater(total, 0), total,
                                   array_ops.ones_like(total))
            return math_ops.where(math_ops.greater(total, 0), math_ops.truediv(n, safe),
                                   array_ops.zeros_like(n), name=rate_name)
        value = rate(numerator, other, "value")
        update_op = rate(numerator_update, other_update, "update_op")
        return metrics._finish(value, update_op, metrics_collections, updates_collections)


def streaming_false_positive_rate(predictions, labels, weights=None, metrics_collections=None,
                                  updates_collections=None, name=None):
    """fp / (fp + tn) of the streaming counts (variable scope "false_positive_rate")."""
    return _rate_metric("false_positive_rate", metrics.false_positives,
                        metrics.true_negatives, predictions, labels, weights,
                        metrics_collections, updates_collections, name)


def streaming_false_negative_rate(predictions, labels, weights=None, metrics_collections=None,
                                  updates_collections=None, name=None):
    """fn / (fn + tp) of the streaming counts (variable scope "false_negative_rate")."""
    return _rate_metric("false_negative_rate", metrics.false_negatives,
                        metrics.true_positives, predictions, labels, weights,
                        metrics_collections, updates_collections, name)


def _rate_at_thresholds(default_name, parts, short, predictions, labels, thresholds, weights,
                        metrics_collections, updates_collections, name):
    with vs.variable_scope(name, default_name, (predictions, labels, weights)):
        values, updates = metrics._confusion_matrix_at_thresholds(
            labels, predictions, thresholds, weights, includes=parts)
        first, second = parts

        def rate(counts, rate_name):
            return math_ops.truediv(counts[first], 1e-7 + counts[first] + counts[second],
                                    name=f"{short}_{rate_name}")
        return metrics._finish(rate(values, "value"), rate(updates, "update_op"),
                               metrics_collections, updates_collections)


def streaming_false_positive_rate_at_thresholds(predictions, labels, thresholds, weights=None,
                                                metrics_collections=None,
                                                updates_collections=None, name=None):
    """fp / (eps + fp + tn) per threshold."""
    return _rate_at_thresholds("false_positive_rate_at_thresholds", ("fp", "tn"), "fpr",
                               predictions, labels, thresholds, weights, metrics_collections,
                               updates_collections, name)


def streaming_false_negative_rate_at_thresholds(predictions, labels, thresholds, weights=None,
                                                metrics_collections=None,
                                                updates_collections=None, name=None):
    """fn / (eps + fn + tp) per threshold."""
    return _rate_at_thresholds("false_negative_rate_at_thresholds", ("fn", "tp"), "fnr",
                               predictions, labels, thresholds, weights, metrics_collections,
                               updates_collections, name)


def count(values, weights=None, metrics_collections=None, updates_collections=None,
          name=None):
    """(count, update_op): the number of values seen (the summed weights with ``weights``)."""
    with vs.variable_scope(name, "count", (values, weights)):
        total = metrics.metric_variable([], dtypes.float32, name="count")
        values = ops.convert_to_tensor(values)
        if weights is None:
            num_values = math_ops.cast(array_ops.size(values), dtypes.float32)
        else:
            values, _, weights = metrics._remove_squeezable_dimensions(
                math_ops.cast(values, dtypes.float32), None, weights)
            num_values = math_ops.reduce_sum(math_ops.multiply(
                math_ops.cast(weights, dtypes.float32), array_ops.ones_like(values)))
        with ops.control_dependencies([values]):
            update_op = state_ops.assign_add(total, num_values)
        value = array_ops.identity(total.value())
        return metrics._finish(value, update_op, metrics_collections, updates_collections)


def _covariance_update(predictions, labels, weights):
    """The streaming comoment of TF's streaming_covariance: returns (count, comoment) and
    the op updating count, both means and the comoment with one batch."""
    count_ = metrics.metric_variable([], dtypes.float32, name="count")
    mean_prediction = metrics.metric_variable([], dtypes.float32, name="mean_prediction")
    mean_label = metrics.metric_variable([], dtypes.float32, name="mean_label")
    comoment = metrics.metric_variable([], dtypes.float32, name="comoment")
    if weights is None:
        batch_count = math_ops.cast(array_ops.size(labels), dtypes.float32)
        weighted_predictions, weighted_labels = predictions, labels
    else:
        weights = math_ops.multiply(weights, array_ops.ones_like(labels))
        batch_count = math_ops.reduce_sum(weights)
        weighted_predictions = math_ops.multiply(predictions, weights)
        weighted_labels = math_ops.multiply(labels, weights)
    update_count = state_ops.assign_add(count_, batch_count)
    prev_count = update_count - batch_count

    def running_mean(variable, weighted):
        batch_mean = special_math_ops.div_no_nan(math_ops.reduce_sum(weighted), batch_count)
        delta = special_math_ops.div_no_nan((batch_mean - variable) * batch_count, update_count)
        updated = state_ops.assign_add(variable, delta)
        return batch_mean, updated - delta
    batch_mean_prediction, prev_mean_prediction = running_mean(mean_prediction,
                                                               weighted_predictions)
    batch_mean_label, prev_mean_label = running_mean(mean_label, weighted_labels)
    coresiduals = (predictions - batch_mean_prediction) * (labels - batch_mean_label)
    if weights is not None:
        coresiduals = coresiduals * weights
    delta_comoment = (math_ops.reduce_sum(coresiduals)
                      + (prev_mean_prediction - batch_mean_prediction)
                      * (prev_mean_label - batch_mean_label)
                      * (prev_count * batch_count / update_count))
    return count_, comoment, state_ops.assign_add(comoment, delta_comoment)


def _sample_covariance(count_, comoment, name):
    nan = array_ops.fill(array_ops.shape(comoment), np.float32("nan"))
    return math_ops.where(math_ops.less_equal(count_, 1.0), nan,
                           math_ops.truediv(comoment, count_ - 1), name=name)


def streaming_covariance(predictions, labels, weights=None, metrics_collections=None,
                         updates_collections=None, name=None):
    """The unbiased sample covariance of all predictions and labels seen (NaN until two
    values), updated with Chan et al.'s pairwise formula (variable scope "covariance")."""
    with vs.variable_scope(name, "covariance", (predictions, labels, weights)):
        predictions, labels, weights = metrics._remove_squeezable_dimensions(
            predictions, labels, weights)
        predictions.shape.assert_is_compatible_with(labels.shape)
        count_, comoment, update_comoment = _covariance_update(predictions, labels, weights)
        covariance = _sample_covariance(count_, comoment, "covariance")
        with ops.control_dependencies([update_comoment]):
            update_op = _sample_covariance(count_, comoment, "update_op")
    return metrics._finish(covariance, update_op, metrics_collections, updates_collections)


def streaming_pearson_correlation(predictions, labels, weights=None, metrics_collections=None,
                                  updates_collections=None, name=None):
    """cov(p, l) / sqrt(var(p) var(l)) of the streaming covariances (variable scope
    "pearson_r")."""
    with vs.variable_scope(name, "pearson_r", (predictions, labels, weights)):
        predictions, labels, weights = metrics._remove_squeezable_dimensions(
            predictions, labels, weights)
        predictions.shape.assert_is_compatible_with(labels.shape)
        if weights is not None:
            weights = math_ops.multiply(weights, array_ops.ones_like(labels))
        cov, update_cov = streaming_covariance(predictions, labels, weights=weights,
                                               name="covariance")
        var_p, update_var_p = streaming_covariance(predictions, predictions, weights=weights,
                                                   name="variance_predictions")
        var_l, update_var_l = streaming_covariance(labels, labels, weights=weights,
                                                   name="variance_labels")
        pearson_r = math_ops.truediv(cov, math_ops.sqrt(var_p) * math_ops.sqrt(var_l),
                                     name="pearson_r")
        update_op = math_ops.truediv(
            update_cov, math_ops.sqrt(update_var_p) * math_ops.sqrt(update_var_l),
            name="update_op")
    return metrics._finish(pearson_r, update_op, metrics_collections, updates_collections)


__all__ = sorted(name for name in list(globals())
                 if name.startswith(("streaming_", "aggregate_")) or name == "count")
