"""``tf.keras.metrics`` as functions of ``(y_true, y_pred)`` giving one value per example
(Keras 2.2.4-tf formulas); ``Model.compile(metrics=[...])`` averages them over the samples.
The stateful classes (Mean, Sum, Accuracy, BinaryAccuracy, ... MeanMetricWrapper, Precision,
Recall, AUC) accumulate over batches; compile reports their running value and resets them
each epoch.
"accuracy"/"acc" picks binary, sparse categorical or categorical accuracy after the loss and
the output width, as Keras does."""
import numpy as np

from tfcompat import math, nn
from tfcompat.framework import dtypes, ops
from tfcompat.keras import losses
from tfcompat.layers.base import to_snake_case
from tfcompat.keras.losses import (binary_crossentropy, categorical_crossentropy,  # noqa: F401
                                   mean_absolute_error, mean_squared_error,
                                   sparse_categorical_crossentropy)
from tfcompat.ops import array_ops, control_flow_ops, math_ops, state_ops, variables


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """Mean over the last axis of (y_pred > threshold) == y_true."""
    y_true = math_ops.cast(y_true, y_pred.dtype)
    predicted = math_ops.cast(y_pred > threshold, y_pred.dtype)
    return math_ops.reduce_mean(math_ops.cast(math_ops.equal(y_true, predicted),
                                              dtypes.float32), -1)


def categorical_accuracy(y_true, y_pred):
    """argmax(y_true) == argmax(y_pred), as 0/1 floats."""
    return math_ops.cast(math_ops.equal(math_ops.argmax(y_true, -1),
                                        math_ops.argmax(y_pred, -1)), dtypes.float32)


def sparse_categorical_accuracy(y_true, y_pred):
    """The integer label (last axis of size 1 dropped) == argmax(y_pred), as 0/1 floats."""
    labels = math_ops.cast(y_true, dtypes.int64)
    if labels.shape.ndims == y_pred.shape.ndims:
        labels = array_ops.squeeze(labels, [-1])
    return math_ops.cast(math_ops.equal(labels, math_ops.argmax(y_pred, -1)), dtypes.float32)


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """Whether argmax(y_true) is among y_pred's ``k`` largest, as 0/1 floats."""
    targets = math_ops.cast(math_ops.argmax(y_true, -1), dtypes.int32)
    return math_ops.cast(nn.in_top_k(y_pred, targets, k), dtypes.float32)


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5):
    """Whether the integer label is among y_pred's ``k`` largest, as 0/1 floats."""
    labels = math_ops.cast(array_ops.reshape(y_true, [-1]), dtypes.int32)
    return math_ops.cast(nn.in_top_k(y_pred, labels, k), dtypes.float32)


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error


class Metric:
    """A stateful metric (graph mode): ``update_state(...)`` returns the op accumulating a
    batch, ``result()`` the value so far, ``reset_states()`` zeroes the state in the Keras
    session; calling it updates and returns the result. Its variables ("<name>/total",
    "<name>/count") are local variables, initialized by the Keras session."""

    def __init__(self, name=None, dtype=None):
        self.name = name or to_snake_case(type(self).__name__)
        self.dtype = dtypes.as_dtype(dtype or "float32")
        self._variables = []
        self.stateful = True
        with ops.name_scope(self.name) as scope:
            self._scope = scope

    def add_weight(self, name, shape=()):
        with ops.name_scope(self._scope):
            variable = variables.Variable(
                np.zeros(shape, self.dtype.as_numpy_dtype), trainable=False, name=name,
                collections=[ops.GraphKeys.LOCAL_VARIABLES,
                             ops.GraphKeys.METRIC_VARIABLES])
        self._variables.append(variable)
        return variable

    @property
    def variables(self):
        return list(self._variables)

    weights = variables

    def reset_states(self):
        from tfcompat.keras import backend
        backend.batch_set_value([(v, np.zeros(v.shape.as_list())) for v in self._variables])

    def __call__(self, *args, **kwargs):
        update = self.update_state(*args, **kwargs)
        with ops.control_dependencies([update]):
            return array_ops.identity(self.result())


class Mean(Metric):
    """``Mean(name='mean')``: the (weighted) mean of all values seen."""

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_weight("total")
        self.count = self.add_weight("count")

    def update_state(self, values, sample_weight=None):
        values = math_ops.cast(values, self.dtype)
        weights = array_ops.ones_like(values) if sample_weight is None else \
            math_ops.cast(sample_weight, self.dtype) * array_ops.ones_like(values)
        return control_flow_ops.group(
            state_ops.assign_add(self.total, math_ops.reduce_sum(values * weights)),
            state_ops.assign_add(self.count, math_ops.reduce_sum(weights)))

    def result(self):
        return math.div_no_nan(self.total, self.count)


class Sum(Mean):
    """``Sum(name='sum')``: the (weighted) sum of all values seen."""

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def result(self):
        return array_ops.identity(self.total)


class MeanMetricWrapper(Mean):
    """``MeanMetricWrapper(fn, name=None, **kwargs)``: the mean of ``fn(y_true, y_pred)``."""

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name or fn.__name__, dtype=dtype)
        self.fn, self._fn_kwargs = fn, kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        values = self.fn(y_true, ops.convert_to_tensor(y_pred), **self._fn_kwargs)
        if sample_weight is not None and values.shape.ndims:
            sample_weight = array_ops.reshape(math_ops.cast(sample_weight, self.dtype), [-1])
        return super().update_state(values, sample_weight)


def _accuracy(y_true, y_pred):
    return math_ops.cast(math_ops.equal(math_ops.cast(y_true, y_pred.dtype), y_pred),
                         dtypes.float32)


def _wrapper(fn, default_name, doc):
    """A MeanMetricWrapper class over ``fn`` (Keras' metric classes)."""

    def __init__(self, name=default_name, dtype=None, **kwargs):
        MeanMetricWrapper.__init__(self, fn, name=name, dtype=dtype, **kwargs)
    return type("".join(part.capitalize() for part in default_name.split("_")),
                (MeanMetricWrapper,), {"__init__": __init__, "__doc__": doc,
                                       "__module__": __name__})


Accuracy = _wrapper(_accuracy, "accuracy", "``Accuracy()``: how often y_pred == y_true.")
BinaryAccuracy = _wrapper(binary_accuracy, "binary_accuracy",
                          "``BinaryAccuracy(threshold=0.5)``.")
CategoricalAccuracy = _wrapper(categorical_accuracy, "categorical_accuracy",
                               "``CategoricalAccuracy()``.")
SparseCategoricalAccuracy = _wrapper(sparse_categorical_accuracy,
                                     "sparse_categorical_accuracy",
                                     "``SparseCategoricalAccuracy()``.")
TopKCategoricalAccuracy = _wrapper(top_k_categorical_accuracy, "top_k_categorical_accuracy",
                                   "``TopKCategoricalAccuracy(k=5)``.")
SparseTopKCategoricalAccuracy = _wrapper(sparse_top_k_categorical_accuracy,
                                         "sparse_top_k_categorical_accuracy",
                                         "``SparseTopKCategoricalAccuracy(k=5)``.")
MeanSquaredError = _wrapper(mean_squared_error, "mean_squared_error",
                            "``MeanSquaredError()``.")
MeanAbsoluteError = _wrapper(mean_absolute_error, "mean_absolute_error",
                             "``MeanAbsoluteError()``.")

_BY_NAME = {"binary_accuracy": binary_accuracy, "categorical_accuracy": categorical_accuracy,
            "sparse_categorical_accuracy": sparse_categorical_accuracy,
            "top_k_categorical_accuracy": top_k_categorical_accuracy,
            "sparse_top_k_categorical_accuracy": sparse_top_k_categorical_accuracy}


class _ConfusionMetric(Metric):
    """Counts of true/false positives/negatives at each threshold (labels > 0.5 are
    positive, predictions above a threshold are)."""

    counts = ("true_positives", "false_positives", "true_negatives", "false_negatives")

    def __init__(self, thresholds, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.thresholds = list(thresholds)
        for count in self.counts:
            setattr(self, count, self.add_weight(count, (len(self.thresholds),)))

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = ops.convert_to_tensor(y_pred)
        labels = array_ops.reshape(math_ops.cast(y_true, dtypes.bool), [1, -1])
        predictions = array_ops.reshape(math_ops.cast(y_pred, self.dtype), [1, -1])
        above = predictions > array_ops.reshape(
            array_ops.constant(self.thresholds, dtype=self.dtype), [-1, 1])
        weights = 1.0 if sample_weight is None else array_ops.reshape(
            math_ops.cast(sample_weight, self.dtype), [1, -1])
        cases = {"true_positives": math_ops.logical_and(labels, above),
                 "false_positives": math_ops.logical_and(math_ops.logical_not(labels), above),
                 "true_negatives": math_ops.logical_and(math_ops.logical_not(labels),
                                                        math_ops.logical_not(above)),
                 "false_negatives": math_ops.logical_and(labels, math_ops.logical_not(above))}
        return control_flow_ops.group(*[
            state_ops.assign_add(getattr(self, count), math_ops.reduce_sum(
                math_ops.cast(cases[count], self.dtype) * weights, axis=1))
            for count in self.counts])


class Precision(_ConfusionMetric):
    """``Precision(thresholds=None)``: tp / (tp + fp) at 0.5 (or each given threshold)."""

    def __init__(self, thresholds=None, name="precision", dtype=None):
        self.single = thresholds is None or not isinstance(thresholds, (list, tuple))
        super().__init__([0.5 if thresholds is None else thresholds] if self.single
                         else thresholds, name=name, dtype=dtype)

    def result(self):
        value = math.div_no_nan(self.true_positives,
                                self.true_positives + self.false_positives)
        return value[0] if self.single else value


class Recall(Precision):
    """``Recall(thresholds=None)``: tp / (tp + fn) at 0.5 (or each given threshold)."""

    def __init__(self, thresholds=None, name="recall", dtype=None):
        super().__init__(thresholds, name=name, dtype=dtype)

    def result(self):
        value = math.div_no_nan(self.true_positives,
                                self.true_positives + self.false_negatives)
        return value[0] if self.single else value


class AUC(_ConfusionMetric):
    """``AUC(num_thresholds=200, curve='ROC', summation_method='interpolation')``: the area
    under the ROC (trapezoids) or PR curve (Davis & Goadrich interpolation) from counts at
    ``num_thresholds`` thresholds spread over [0, 1] (-1e-7 and 1 + 1e-7 at the ends)."""

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation",
                 name="auc", thresholds=None, dtype=None):
        if curve not in ("ROC", "PR") or summation_method != "interpolation":
            raise ValueError("tfcompat's AUC implements curve 'ROC' or 'PR' with "
                             "summation_method='interpolation'")
        self.curve = curve
        inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
        super().__init__([-1e-7] + inner + [1.0 + 1e-7], name=name, dtype=dtype)

    def result(self):
        tp, fp, fn = self.true_positives, self.false_positives, self.false_negatives
        if self.curve == "PR":
            return self._interpolated_pr_auc(tp, fp, fn)
        tpr = math.div_no_nan(tp, tp + fn)
        fpr = math.div_no_nan(fp, fp + self.true_negatives)
        return math_ops.reduce_sum((fpr[:-1] - fpr[1:]) * (tpr[:-1] + tpr[1:]) / 2.0)

    @staticmethod
    def _interpolated_pr_auc(tp, fp, fn):
        """Precision interpolated linearly in the true positives between thresholds."""
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        dp = p[:-1] - p[1:]
        slope = math.div_no_nan(dtp, math_ops.maximum(dp, 0.0))
        intercept = tp[1:] - slope * p[1:]
        ratio = math_ops.where(math_ops.logical_and(p[:-1] > 0, p[1:] > 0),
                               math.div_no_nan(p[:-1], math_ops.maximum(p[1:], 0.0)),
                               array_ops.ones_like(p[1:]))
        return math_ops.reduce_sum(math.div_no_nan(
            slope * (dtp + intercept * math_ops.log(ratio)),
            math_ops.maximum(tp[1:] + fn[1:], 0.0)))


def get(identifier):
    """A metric function from its name (or a loss name) or itself."""
    if isinstance(identifier, Metric) or callable(identifier):
        return identifier
    if identifier in _BY_NAME:
        return _BY_NAME[identifier]
    return losses.get(identifier)


def accuracy_for(loss_fn, output):
    """Keras' choice for "accuracy": binary for one unit or binary cross-entropy, sparse
    categorical for sparse cross-entropy, else categorical."""
    loss_fn = losses.base_function(loss_fn)
    if loss_fn is losses.binary_crossentropy or output.shape[-1].value == 1:
        return binary_accuracy
    if loss_fn is losses.sparse_categorical_crossentropy:
        return sparse_categorical_accuracy
    return categorical_accuracy


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.keras.metrics' has no attribute '{name}': "
                         f"tfcompat does not implement tf.keras.metrics.{name} yet")
