"""``tf.contrib.metrics.accuracy`` and ``f1_score`` (TF 1.15 contrib/metrics/python/
metrics/classification.py)."""
from tfcompat import metrics
from tfcompat.framework import dtypes, ops
from tfcompat.ops import array_ops, math_ops
from tfcompat.ops import variable_scope as vs

_EPSILON = 1e-7


def accuracy(predictions, labels, weights=None, name=None):
    """The fraction of ``predictions`` equal to ``labels`` in this batch (not streaming);
    with ``weights`` the weighted fraction. Labels must be bool, integer or string."""
    predictions = ops.convert_to_tensor(predictions)
    labels = ops.convert_to_tensor(labels)
    if not (labels.dtype.is_integer or labels.dtype in (dtypes.bool, dtypes.string)):
        raise ValueError(f"Labels should have bool, integer, or string dtype, not "
                         f"{labels.dtype!r}")
    if not labels.dtype.is_compatible_with(predictions.dtype):
        raise ValueError(f"Dtypes of predictions and labels should match. Given: "
                         f"predictions ({predictions.dtype!r}) and labels "
                         f"({labels.dtype!r})")
    with ops.name_scope(name, "accuracy", values=[predictions, labels]):
        is_correct = math_ops.cast(math_ops.equal(predictions, labels), dtypes.float32)
        if weights is None:
            return math_ops.reduce_mean(is_correct)
        is_correct = math_ops.multiply(is_correct, weights)
        num_values = math_ops.multiply(weights, array_ops.ones_like(is_correct))
        return math_ops.truediv(math_ops.reduce_sum(is_correct),
                                math_ops.reduce_sum(num_values))


def _best_f1(counts, name):
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    precision = math_ops.truediv(tp, _EPSILON + tp + fp, name="precision_" + name)
    recall = math_ops.truediv(tp, _EPSILON + tp + fn, name="recall_" + name)
    f1 = 2.0 * precision * recall / (precision + recall + _EPSILON)
    return math_ops.reduce_max(f1)


def f1_score(labels, predictions, weights=None, num_thresholds=200,
             metrics_collections=None, updates_collections=None, name=None):
    """(best F1, update_op): the largest F1 score over ``num_thresholds`` evenly spaced
    thresholds in [0, 1] (plus -eps and 1 + eps) of the streaming confusion counts
    (variable scope "f1")."""
    with vs.variable_scope(name, "f1", (labels, predictions, weights)):
        thresholds = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
        thresholds = [0.0 - _EPSILON] + thresholds + [1.0 + _EPSILON]
        values, update_ops = metrics._confusion_matrix_at_thresholds(
            labels, predictions, thresholds, weights, includes=("tp", "fp", "fn"))
        best_f1 = _best_f1(values, "value")
        if metrics_collections:
            ops.add_to_collections(metrics_collections, best_f1)
        update_op = _best_f1(update_ops, "update")
        if updates_collections:
            ops.add_to_collections(updates_collections, update_op)
        return best_f1, update_op
