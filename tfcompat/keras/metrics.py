"""``tf.keras.metrics`` as functions of ``(y_true, y_pred)`` giving one value per example
(Keras 2.2.4-tf formulas); ``Model.compile(metrics=[...])`` averages them over the samples.
"accuracy"/"acc" picks binary, sparse categorical or categorical accuracy after the loss and
the output width, as Keras does."""
from tfcompat import nn
from tfcompat.framework import dtypes
from tfcompat.keras import losses
from tfcompat.keras.losses import (binary_crossentropy, categorical_crossentropy,  # noqa: F401
                                   mean_absolute_error, mean_squared_error,
                                   sparse_categorical_crossentropy)
from tfcompat.ops import array_ops, math_ops


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

_BY_NAME = {"binary_accuracy": binary_accuracy, "categorical_accuracy": categorical_accuracy,
            "sparse_categorical_accuracy": sparse_categorical_accuracy,
            "top_k_categorical_accuracy": top_k_categorical_accuracy,
            "sparse_top_k_categorical_accuracy": sparse_top_k_categorical_accuracy}


def get(identifier):
    """A metric function from its name (or a loss name) or itself."""
    if callable(identifier):
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
