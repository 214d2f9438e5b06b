"""``tf.keras.losses`` (TF 1.15 Keras backend formulas): per-example losses of
``(y_true, y_pred)``, averaged over the last axis; models then average over the batch.

The cross-entropies take probabilities: when ``y_pred`` is the output of a Softmax (or
Sigmoid) op they use its logits directly, as Keras does, else they clip the probabilities
to [1e-7, 1 - 1e-7] and take logs. The Loss classes (MeanSquaredError,
SparseCategoricalCrossentropy(from_logits=True) ...) reduce a batch to one value
(sum over batch size by default).
"""
from tfcompat import nn
from tfcompat.framework import dtypes, ops
from tfcompat.ops import array_ops, clip_ops, math_ops, nn_ops

_EPSILON = 1e-7


def mean_squared_error(y_true, y_pred):
    return math_ops.reduce_mean(math_ops.squared_difference(y_pred, y_true), -1)


def mean_absolute_error(y_true, y_pred):
    return math_ops.reduce_mean(math_ops.abs(math_ops.subtract(y_pred, y_true)), -1)


def _logits_of(output, activation):
    """The input of ``output``'s op when it is ``activation`` (Softmax/Sigmoid), else None."""
    op = output.op
    while op.type == "Identity":
        op = op.inputs[0].op
    return op.inputs[0] if op.type == activation else None


def categorical_crossentropy(y_true, y_pred, from_logits=False):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = math_ops.cast(y_true, y_pred.dtype)
    logits = y_pred if from_logits else _logits_of(y_pred, "Softmax")
    if logits is not None:
        return nn_ops.softmax_cross_entropy_with_logits_v2(labels=y_true, logits=logits)
    probabilities = y_pred / math_ops.reduce_sum(y_pred, -1, keep_dims=True)
    probabilities = clip_ops.clip_by_value(probabilities, _EPSILON, 1.0 - _EPSILON)
    return -math_ops.reduce_sum(y_true * math_ops.log(probabilities), -1)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False):
    y_pred = ops.convert_to_tensor(y_pred)
    logits = y_pred if from_logits else _logits_of(y_pred, "Softmax")
    if logits is None:
        logits = math_ops.log(clip_ops.clip_by_value(y_pred, _EPSILON, 1.0 - _EPSILON))
    labels = array_ops.reshape(math_ops.cast(y_true, dtypes.int64), [-1])
    if logits.shape.ndims is None or logits.shape.ndims <= 2:
        return nn_ops.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    # Sequences: one value per step, [batch, steps] (Keras flattens and reshapes back).
    flat_logits = array_ops.reshape(logits, [-1, logits.shape[-1].value])
    values = nn_ops.sparse_softmax_cross_entropy_with_logits(labels=labels,
                                                             logits=flat_logits)
    return array_ops.reshape(values, array_ops.shape(logits)[:-1])


def binary_crossentropy(y_true, y_pred, from_logits=False):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = math_ops.cast(y_true, y_pred.dtype)
    logits = y_pred if from_logits else _logits_of(y_pred, "Sigmoid")
    if logits is None:
        clipped = clip_ops.clip_by_value(y_pred, _EPSILON, 1.0 - _EPSILON)
        logits = math_ops.log(clipped / (1.0 - clipped))
    return math_ops.reduce_mean(
        nn.sigmoid_cross_entropy_with_logits(labels=y_true, logits=logits), -1)


def mean_absolute_percentage_error(y_true, y_pred):
    y_true = math_ops.cast(y_true, y_pred.dtype)
    diff = math_ops.abs((y_true - y_pred) / math_ops.maximum(math_ops.abs(y_true), _EPSILON))
    return 100.0 * math_ops.reduce_mean(diff, -1)


def mean_squared_logarithmic_error(y_true, y_pred):
    y_true = math_ops.cast(y_true, y_pred.dtype)
    first = math_ops.log(math_ops.maximum(y_pred, _EPSILON) + 1.0)
    second = math_ops.log(math_ops.maximum(y_true, _EPSILON) + 1.0)
    return math_ops.reduce_mean(math_ops.squared_difference(first, second), -1)


def hinge(y_true, y_pred):
    y_true = math_ops.cast(y_true, y_pred.dtype)
    return math_ops.reduce_mean(math_ops.maximum(1.0 - y_true * y_pred, 0.0), -1)


def squared_hinge(y_true, y_pred):
    y_true = math_ops.cast(y_true, y_pred.dtype)
    return math_ops.reduce_mean(math_ops.square(math_ops.maximum(1.0 - y_true * y_pred, 0.0)),
                                -1)


def logcosh(y_true, y_pred):
    """mean(log(cosh(y_pred - y_true))), computed as x + softplus(-2x) - log 2."""
    x = y_pred - math_ops.cast(y_true, y_pred.dtype)
    return math_ops.reduce_mean(x + nn.softplus(-2.0 * x) - math_ops.log(2.0), -1)


def kullback_leibler_divergence(y_true, y_pred):
    y_true = clip_ops.clip_by_value(math_ops.cast(y_true, y_pred.dtype), _EPSILON, 1)
    y_pred = clip_ops.clip_by_value(y_pred, _EPSILON, 1)
    return math_ops.reduce_sum(y_true * math_ops.log(y_true / y_pred), -1)


def poisson(y_true, y_pred):
    y_true = math_ops.cast(y_true, y_pred.dtype)
    return math_ops.reduce_mean(y_pred - y_true * math_ops.log(y_pred + _EPSILON), -1)


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence


class Loss:
    """``Loss(reduction='sum_over_batch_size', name=None)``: ``loss(y_true, y_pred,
    sample_weight=None)`` is the weighted per-example loss (``call``) summed and divided by
    the number of examples ('sum' only sums, 'none' keeps them)."""

    def __init__(self, reduction="sum_over_batch_size", name=None):
        if reduction not in ("sum_over_batch_size", "sum", "none", "auto"):
            raise ValueError(f"Invalid Reduction Key {reduction}.")
        self.reduction, self.name = reduction, name

    def call(self, y_true, y_pred):
        raise NotImplementedError

    def __call__(self, y_true, y_pred, sample_weight=None):
        with ops.name_scope(self.name or type(self).__name__):
            y_pred = ops.convert_to_tensor(y_pred)
            values = self.call(y_true, y_pred)
            if sample_weight is not None:
                values = values * math_ops.cast(sample_weight, values.dtype)
            if self.reduction == "none":
                return values
            total = math_ops.reduce_sum(values)
            if self.reduction == "sum":
                return total
            return total / math_ops.cast(array_ops.size(values), values.dtype)


class LossFunctionWrapper(Loss):
    """A Loss calling ``fn(y_true, y_pred, **kwargs)`` per example."""

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, **kwargs):
        super().__init__(reduction=reduction, name=name)
        self.fn, self._fn_kwargs = fn, kwargs

    def call(self, y_true, y_pred):
        return self.fn(y_true, y_pred, **self._fn_kwargs)


def _smoothed(fn, label_smoothing, num_classes_axis):
    """``fn`` with labels moved towards uniform by ``label_smoothing`` (Keras 2.2.4-tf)."""
    def smoothed(y_true, y_pred, from_logits=False):
        y_true = math_ops.cast(y_true, y_pred.dtype)
        if num_classes_axis is None:
            y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
        else:
            classes = math_ops.cast(array_ops.shape(y_true)[-1], y_pred.dtype)
            y_true = y_true * (1.0 - label_smoothing) + label_smoothing / classes
        return fn(y_true, y_pred, from_logits=from_logits)
    return smoothed if label_smoothing else fn


class MeanSquaredError(LossFunctionWrapper):
    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error"):
        super().__init__(mean_squared_error, reduction=reduction, name=name)


class MeanAbsoluteError(LossFunctionWrapper):
    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error"):
        super().__init__(mean_absolute_error, reduction=reduction, name=name)


class BinaryCrossentropy(LossFunctionWrapper):
    """``BinaryCrossentropy(from_logits=False, label_smoothing=0)``."""

    def __init__(self, from_logits=False, label_smoothing=0, reduction="sum_over_batch_size",
                 name="binary_crossentropy"):
        super().__init__(_smoothed(binary_crossentropy, label_smoothing, None),
                         reduction=reduction, name=name, from_logits=from_logits)


class CategoricalCrossentropy(LossFunctionWrapper):
    """``CategoricalCrossentropy(from_logits=False, label_smoothing=0)``."""

    def __init__(self, from_logits=False, label_smoothing=0, reduction="sum_over_batch_size",
                 name="categorical_crossentropy"):
        super().__init__(_smoothed(categorical_crossentropy, label_smoothing, -1),
                         reduction=reduction, name=name, from_logits=from_logits)


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """``SparseCategoricalCrossentropy(from_logits=False)``."""

    def __init__(self, from_logits=False, reduction="sum_over_batch_size",
                 name="sparse_categorical_crossentropy"):
        super().__init__(sparse_categorical_crossentropy, reduction=reduction, name=name,
                         from_logits=from_logits)


class Hinge(LossFunctionWrapper):
    def __init__(self, reduction="sum_over_batch_size", name="hinge"):
        super().__init__(hinge, reduction=reduction, name=name)


class KLDivergence(LossFunctionWrapper):
    def __init__(self, reduction="sum_over_batch_size", name="kullback_leibler_divergence"):
        super().__init__(kullback_leibler_divergence, reduction=reduction, name=name)


def per_example(loss, y_true, y_pred):
    """The per-example values of a loss function or Loss object (what compile weights)."""
    return loss.call(y_true, y_pred) if isinstance(loss, Loss) else loss(y_true, y_pred)


def base_function(loss):
    """The loss function under a Loss object (for Keras' "accuracy" choice)."""
    return getattr(loss, "fn", loss)

_BY_NAME = {"mean_squared_error": mean_squared_error, "mse": mean_squared_error,
            "mean_absolute_error": mean_absolute_error, "mae": mean_absolute_error,
            "mean_absolute_percentage_error": mean_absolute_percentage_error,
            "mape": mean_absolute_percentage_error,
            "mean_squared_logarithmic_error": mean_squared_logarithmic_error,
            "msle": mean_squared_logarithmic_error, "hinge": hinge,
            "squared_hinge": squared_hinge, "logcosh": logcosh, "poisson": poisson,
            "kullback_leibler_divergence": kullback_leibler_divergence,
            "kld": kullback_leibler_divergence,
            "categorical_crossentropy": categorical_crossentropy,
            "sparse_categorical_crossentropy": sparse_categorical_crossentropy,
            "binary_crossentropy": binary_crossentropy}


def get(identifier):
    """A loss function from its name or itself (a callable of y_true, y_pred)."""
    if callable(identifier):
        return identifier
    if isinstance(identifier, str) and identifier in _BY_NAME:
        return _BY_NAME[identifier]
    raise ValueError(f"Unknown loss function:{identifier}")


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.keras.losses' has no attribute '{name}': "
                         f"tfcompat does not implement tf.keras.losses.{name} yet")
