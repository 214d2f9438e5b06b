"""``to_categorical`` and ``normalize`` (NumPy helpers of Keras 2.2.4-tf)."""
import numpy as np


def to_categorical(y, num_classes=None, dtype="float32"):
    """One-hot rows for integer class labels (``num_classes`` defaults to max(y) + 1); the
    result has y's shape (a trailing 1 dropped) plus a class axis."""
    y = np.array(y, dtype="int")
    input_shape = y.shape
    if input_shape and input_shape[-1] == 1 and len(input_shape) > 1:
        input_shape = tuple(input_shape[:-1])
    y = y.ravel()
    if not num_classes:
        num_classes = np.max(y) + 1
    categorical = np.zeros((y.shape[0], num_classes), dtype=dtype)
    categorical[np.arange(y.shape[0]), y] = 1
    return np.reshape(categorical, input_shape + (num_classes,))


def normalize(x, axis=-1, order=2):
    """x divided by its L-``order`` norm along ``axis`` (zero norms left as 1)."""
    norms = np.atleast_1d(np.linalg.norm(x, order, axis))
    norms[norms == 0] = 1
    return x / np.expand_dims(norms, axis)
