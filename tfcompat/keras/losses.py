"""``tf.keras.losses`` (TF 1.15 Keras backend formulas): per-example losses of
``(y_true, y_pred)``, averaged over the last axis; models then average over the batch.

The cross-entropies take probabilities: when ``y_pred`` is the output of a Softmax (or
Sigmoid) op they use its logits directly, as Keras does, else they clip the probabilities
to [1e-7, 1 - 1e-7] and take logs.
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
    return nn_ops.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)


def binary_crossentropy(y_true, y_pred, from_logits=False):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = math_ops.cast(y_true, y_pred.dtype)
    logits = y_pred if from_logits else _logits_of(y_pred, "Sigmoid")
    if logits is None:
        clipped = clip_ops.clip_by_value(y_pred, _EPSILON, 1.0 - _EPSILON)
        logits = math_ops.log(clipped / (1.0 - clipped))
    return math_ops.reduce_mean(
        nn.sigmoid_cross_entropy_with_logits(labels=y_true, logits=logits), -1)


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error

_BY_NAME = {"mean_squared_error": mean_squared_error, "mse": mean_squared_error,
            "mean_absolute_error": mean_absolute_error, "mae": mean_absolute_error,
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
