"""The heads of TF 1.x canned estimators: loss, predictions, metrics and train op from
logits (``tensorflow_estimator/python/estimator/canned/head.py``, v1 heads).

Multi-class: softmax cross-entropy; binary (n_classes=2): one logit and sigmoid
cross-entropy; regression: squared error. The training loss is the per-example loss summed
over the batch (v1 ``loss_reduction=SUM``); evaluation adds TF's metric keys
(``accuracy``, ``average_loss``, ``auc`` ... ``label/mean``, ``prediction/mean``).
"""
import inspect

from tfcompat import losses, metrics, nn, summary
from tfcompat.estimator.model_fn import EstimatorSpec, ModeKeys
from tfcompat.framework import dtypes, ops
from tfcompat.ops import array_ops, check_ops, math_ops, nn_ops, string_hash_ops
from tfcompat.train import training_util


def _labels_as_column(labels, logits_dimension, expected_last=1):
    """Labels as [batch, expected_last] (a [batch] vector gets its last axis), with TF's
    error for other shapes."""
    if labels is None:
        raise ValueError("You must provide a labels Tensor. Given: None. Suggested "
                         "Fix: check that your call to the input_fn returns labels.")
    labels = ops.convert_to_tensor(labels)
    if labels.shape.ndims == 1:
        labels = array_ops.expand_dims(labels, -1)
    last = labels.shape[-1].value if labels.shape.ndims else None
    if labels.shape.ndims is not None and (labels.shape.ndims < 2 or last not in (
            None, expected_last)):
        raise ValueError(f"Mismatched label shape. Expected labels dimension={expected_last}. "
                         f"Received {last}. Suggested Fix: If your classifier expects one-hot "
                         f"encoding label, check your n_classes argument to the estimator "
                         f"and/or the shape of your label. Otherwise, check the shape of "
                         f"your label.")
    return labels


def _weights(features, weight_column):
    if weight_column is None:
        return 1.0
    key = weight_column if isinstance(weight_column, str) else weight_column.key
    weights = math_ops.cast(ops.convert_to_tensor(features[key]), dtypes.float32)
    if weights.shape.ndims == 1:
        weights = array_ops.expand_dims(weights, -1)
    return weights


def _check_loss_fn_args(loss_fn):
    """TF's _validate_loss_fn_args: labels and logits, optionally features."""
    args = set(inspect.signature(loss_fn).parameters)
    for required in ("labels", "logits"):
        if required not in args:
            raise ValueError(f"loss_fn must contain argument: {required}. Given arguments: "
                             f"{sorted(args)}")
    unexpected = sorted(args - {"labels", "logits", "features"})
    if unexpected:
        raise ValueError(f"loss_fn has unexpected args: {unexpected}")


def _call_loss_fn(loss_fn, labels, logits, features, expected_loss_dim):
    """The loss_fn's unweighted loss, checked when run to be [D0, ... DN, dim] (TF's
    message)."""
    kwargs = {"features": features} if "features" in inspect.signature(
        loss_fn).parameters else {}
    with ops.name_scope("call_loss_fn"):
        unweighted_loss = ops.convert_to_tensor(loss_fn(labels=labels, logits=logits, **kwargs))
        logits_shape = array_ops.shape(logits, name="logits_shape")
        expected = array_ops.concat([logits_shape[:-1], [expected_loss_dim]], 0,
                                    name="expected_loss_shape")
        loss_shape = array_ops.shape(unweighted_loss, name="loss_shape")
        same = math_ops.reduce_all(math_ops.equal(loss_shape, expected))
        check = check_ops.Assert(same, [
            f"loss_fn must return Tensor of shape [D0, D1, ... DN, {expected_loss_dim}]. ",
            "logits_shape: ", logits_shape, "loss_shape: ", loss_shape],
            name="check_loss_shape")
        with ops.control_dependencies([check]):
            return array_ops.identity(unweighted_loss)


class _Head:
    """Shared create_estimator_spec: predictions for PREDICT, loss + metrics for EVAL, loss
    + ``optimizer.minimize`` for TRAIN."""

    def __init__(self, weight_column=None, label_vocabulary=None,
                 loss_reduction=losses.Reduction.SUM, name=None, loss_fn=None):
        if loss_reduction not in losses.Reduction.all() or (
                loss_reduction == losses.Reduction.NONE):
            raise ValueError(f"Invalid loss_reduction: {loss_reduction}")
        if loss_fn is not None:
            _check_loss_fn_args(loss_fn)
        self._loss_fn = loss_fn
        self._weight_column = weight_column
        self._label_vocabulary = label_vocabulary
        self._loss_reduction = loss_reduction
        self._name = name

    @property
    def name(self):
        return self._name

    def _key(self, key):
        """TF's _summary_key: metric and summary keys get "/<head name>" when named."""
        return key if self._name is None else f"{key}/{self._name}"

    def _metric_weights(self, weights):
        return None if self._weight_column is None else weights

    def create_estimator_spec(self, features, mode, logits, labels=None, optimizer=None,
                              train_op_fn=None):
        with ops.name_scope("head"):
            predictions = self._predictions(logits)
            if mode == ModeKeys.PREDICT:
                return EstimatorSpec(mode, predictions=predictions)
            labels = self._label_ids(labels)
            weights = _weights(features, self._weight_column)
            if self._loss_fn is None:
                unweighted_loss = self._unweighted_loss(labels, logits)
            else:
                unweighted_loss = _call_loss_fn(self._loss_fn, self._loss_fn_labels(labels),
                                                logits, features, self._loss_dimension)
            training_loss = losses.compute_weighted_loss(
                unweighted_loss, weights, reduction=self._loss_reduction)
            if mode == ModeKeys.EVAL:
                with ops.name_scope("metrics"):
                    eval_ops = self._eval_metric_ops(labels, predictions, unweighted_loss,
                                                     self._metric_weights(weights))
                    eval_ops = {self._key(key): value for key, value in eval_ops.items()}
                return EstimatorSpec(mode, predictions=predictions, loss=training_loss,
                                     eval_metric_ops=eval_ops)
            if optimizer is not None:
                train_op = optimizer.minimize(training_loss,
                                              global_step=training_util.get_global_step())
            elif train_op_fn is not None:
                train_op = train_op_fn(training_loss)
            else:
                raise ValueError("train_op_fn and optimizer cannot both be None.")
        with ops.name_scope(""):
            summary.scalar(self._key("loss"), training_loss)
            summary.scalar(self._key("average_loss"), math_ops.reduce_mean(unweighted_loss))
        return EstimatorSpec(mode, predictions=predictions, loss=training_loss,
                             train_op=train_op)

    #: The last dimension of a loss_fn's loss (one loss per example for classifiers).
    _loss_dimension = 1

    def _loss_fn_labels(self, labels):
        """What a loss_fn gets as labels: the label ids (int64)."""
        return labels

    def _label_ids(self, labels):
        labels = _labels_as_column(labels, self.logits_dimension)
        if self._label_vocabulary is None:
            if labels.dtype.base_dtype == dtypes.string:
                raise ValueError("Labels dtype should be integer. Instead got <dtype: "
                                 "'string'>. Use label_vocabulary for string labels.")
            return math_ops.cast(labels, dtypes.int64)
        vocabulary = ops.convert_to_tensor(list(self._label_vocabulary), dtypes.string)
        matches = math_ops.cast(math_ops.equal(labels, vocabulary), dtypes.int64)
        positions = ops.convert_to_tensor(list(range(len(self._label_vocabulary))),
                                          dtypes.int64)
        return math_ops.reduce_sum(matches * positions, -1, keep_dims=True)

    def _class_strings(self, class_ids):
        if self._label_vocabulary is None:
            return string_hash_ops.as_string(class_ids, name="str_classes")
        vocabulary = ops.convert_to_tensor(list(self._label_vocabulary), dtypes.string)
        return array_ops.gather(vocabulary, class_ids, name="str_classes")


class MultiClassHead(_Head):
    """Softmax cross-entropy over ``n_classes`` logits."""

    def __init__(self, n_classes, weight_column=None, label_vocabulary=None,
                 loss_reduction=losses.Reduction.SUM, name=None, loss_fn=None):
        super().__init__(weight_column, label_vocabulary, loss_reduction, name, loss_fn)
        self.logits_dimension = n_classes

    def _predictions(self, logits):
        with ops.name_scope("predictions"):
            class_ids = array_ops.expand_dims(
                math_ops.argmax(logits, axis=1, name="class_ids"), -1)
            return {"logits": logits,
                    "probabilities": nn_ops.softmax(logits, name="probabilities"),
                    "class_ids": class_ids, "classes": self._class_strings(class_ids)}

    def _unweighted_loss(self, label_ids, logits):
        per_example = nn_ops.sparse_softmax_cross_entropy_with_logits(
            labels=array_ops.squeeze(label_ids, [-1]), logits=logits)
        return array_ops.expand_dims(per_example, -1)

    def _eval_metric_ops(self, label_ids, predictions, unweighted_loss, weights):
        return {"average_loss": metrics.mean(unweighted_loss, weights, name="average_loss"),
                "accuracy": metrics.accuracy(label_ids, predictions["class_ids"], weights,
                                             name="accuracy")}


class BinaryLogisticHead(_Head):
    """Sigmoid cross-entropy on one logit (n_classes == 2); ``thresholds`` add accuracy,
    precision and recall at each threshold of the logistic ("accuracy/positive_threshold_
    <t>" ...)."""

    logits_dimension = 1

    def __init__(self, weight_column=None, label_vocabulary=None,
                 loss_reduction=losses.Reduction.SUM, name=None, thresholds=None,
                 loss_fn=None):
        super().__init__(weight_column, label_vocabulary, loss_reduction, name, loss_fn)
        thresholds = tuple(thresholds) if thresholds else ()
        for threshold in thresholds:
            if threshold <= 0.0 or threshold >= 1.0:
                raise ValueError(f"thresholds not in (0, 1): {thresholds}.")
        self._thresholds = thresholds

    def _predictions(self, logits):
        with ops.name_scope("predictions"):
            two_class_logits = array_ops.concat([array_ops.zeros_like(logits), logits], -1,
                                                name="two_class_logits")
            class_ids = array_ops.expand_dims(
                math_ops.argmax(two_class_logits, axis=-1, name="class_ids"), -1)
            return {"logits": logits,
                    "logistic": nn_ops.sigmoid(logits, name="logistic"),
                    "probabilities": nn_ops.softmax(two_class_logits, name="probabilities"),
                    "class_ids": class_ids, "classes": self._class_strings(class_ids)}

    def _loss_fn_labels(self, labels):
        return math_ops.cast(labels, dtypes.float32)

    def _unweighted_loss(self, label_ids, logits):
        return nn.sigmoid_cross_entropy_with_logits(
            labels=math_ops.cast(label_ids, dtypes.float32), logits=logits)

    def _eval_metric_ops(self, label_ids, predictions, unweighted_loss, weights):
        labels = math_ops.cast(label_ids, dtypes.float32)
        class_ids = predictions["class_ids"]
        logistic = predictions["logistic"]
        label_mean = metrics.mean(labels, weights, name="label/mean")
        baseline = math_ops.maximum(label_mean[0], 1.0 - label_mean[0])
        return {
            "average_loss": metrics.mean(unweighted_loss, weights, name="average_loss"),
            "accuracy": metrics.accuracy(label_ids, class_ids, weights, name="accuracy"),
            "precision": metrics.precision(label_ids, class_ids, weights, name="precision"),
            "recall": metrics.recall(label_ids, class_ids, weights, name="recall"),
            "prediction/mean": metrics.mean(logistic, weights, name="prediction/mean"),
            "label/mean": label_mean,
            "accuracy_baseline": (array_ops.identity(baseline, name="accuracy_baseline"),
                                  array_ops.identity(baseline)),
            "auc": metrics.auc(labels, logistic, weights, name="auc"),
            "auc_precision_recall": metrics.auc(labels, logistic, weights, curve="PR",
                                                name="auc_precision_recall"),
            **self._threshold_metric_ops(labels, logistic, weights),
        }

    def _threshold_metric_ops(self, labels, logistic, weights):
        result = {}
        for threshold in self._thresholds:
            key = f"accuracy/positive_threshold_{threshold:g}"
            result[key] = metrics.accuracy(
                labels, math_ops.cast(math_ops.greater_equal(logistic, threshold),
                                      dtypes.float32), weights, name=key)
            for part, metric in (("precision", metrics.precision_at_thresholds),
                                 ("recall", metrics.recall_at_thresholds)):
                key = f"{part}/positive_threshold_{threshold:g}"
                value, update = metric(labels, logistic, [threshold], weights, name=key)
                result[key] = (array_ops.squeeze(value), array_ops.squeeze(update))
        return result


class RegressionHead(_Head):
    """Squared error of ``label_dimension`` outputs; with ``inverse_link_fn`` the
    predictions are inverse_link_fn(logits) (also returned as "logits"), the loss still
    compares labels with the logits, as in TF."""

    def __init__(self, label_dimension=1, weight_column=None,
                 loss_reduction=losses.Reduction.SUM, name=None, loss_fn=None,
                 inverse_link_fn=None):
        super().__init__(weight_column, None, loss_reduction, name, loss_fn)
        self._loss_dimension = label_dimension
        if label_dimension < 1:
            raise ValueError(f"Invalid label_dimension {label_dimension}.")
        self.logits_dimension = label_dimension
        self._inverse_link_fn = inverse_link_fn

    def _predictions(self, logits):
        if self._inverse_link_fn is None:
            return {"predictions": logits}
        return {"predictions": self._inverse_link_fn(logits), "logits": logits}

    def _label_ids(self, labels):
        labels = _labels_as_column(labels, self.logits_dimension, self.logits_dimension)
        return math_ops.cast(labels, dtypes.float32)

    def _unweighted_loss(self, labels, logits):
        return math_ops.squared_difference(labels, logits)

    def _eval_metric_ops(self, labels, predictions, unweighted_loss, weights):
        return {
            "average_loss": metrics.mean(unweighted_loss, weights, name="average_loss"),
            "prediction/mean": metrics.mean(predictions["predictions"], weights,
                                            name="prediction/mean"),
            "label/mean": metrics.mean(labels, weights, name="label/mean"),
        }


def classification_head(n_classes, weight_column=None, label_vocabulary=None):
    """TF's _binary_logistic_or_multi_class_head."""
    if n_classes is None or n_classes < 2:
        raise ValueError(f"n_classes must be > 1 for classification: {n_classes}")
    if label_vocabulary is not None and len(label_vocabulary) != n_classes:
        raise ValueError(f"label_vocabulary does not have n_classes ({n_classes}) entries: "
                         f"{label_vocabulary}")
    if n_classes == 2:
        return BinaryLogisticHead(weight_column, label_vocabulary)
    return MultiClassHead(n_classes, weight_column, label_vocabulary)
