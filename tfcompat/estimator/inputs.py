"""``tf.estimator.inputs``: input functions over in-memory NumPy arrays and pandas frames.

``numpy_input_fn`` returns an input function giving ``(features, target)`` tensors that
yield the next batch on every run (``tfcompat/ops/feeding_ops.py``); after ``num_epochs``
passes the next run raises ``tf.errors.OutOfRangeError``, which ends ``Estimator.train``,
``evaluate`` and ``predict`` as TensorFlow's queue-fed input does. ``num_epochs=None``
cycles forever. Arrays keep their dtypes (float64 stays float64, as in TF).
"""
import collections

import numpy as np

from tfcompat.ops import feeding_ops


def _check_bool(name, value):
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be provided and explicitly set as boolean (it is "
                         f"recommended to set it as True for training); got {value}")


def _columns(x, y):
    """Ordered (key, array) features and the target's keys (None: an array target)."""
    if isinstance(x, dict):
        features = collections.OrderedDict((k, np.asarray(v)) for k, v in sorted(x.items()))
    else:
        features = collections.OrderedDict([("__direct_np_input__", np.asarray(x))])
    targets = None
    if isinstance(y, dict):
        duplicates = sorted(set(features) & set(y))
        if duplicates:
            raise ValueError(f"{len(duplicates)} duplicate keys are found in both x and y: "
                             f"{duplicates}")
        targets = collections.OrderedDict((k, np.asarray(v)) for k, v in sorted(y.items()))
    elif y is not None:
        targets = np.asarray(y)
    return features, targets


def _check_lengths(features, targets):
    arrays = list(features.values())
    if isinstance(targets, dict):
        arrays += list(targets.values())
    elif targets is not None:
        arrays.append(targets)
    if not arrays:
        raise ValueError("x cannot be an empty dict")
    lengths = {len(a) for a in arrays}
    if len(lengths) != 1:
        raise ValueError("Length of tensors in x and y is mismatched. All elements in x and y "
                         "must have the same length.\n" + ", ".join(
                             f"{key}: {len(a)}" for key, a in features.items()))


def numpy_input_fn(x, y=None, batch_size=128, num_epochs=1, shuffle=None,
                   queue_capacity=1000, num_threads=1):
    """``tf.estimator.inputs.numpy_input_fn``: an input_fn feeding dicts of NumPy arrays.

    ``x``: a dict of arrays (or one array, then the features are that tensor), ``y``: an
    array, a dict of arrays or None. Returns ``features`` (dict or tensor) and ``target``
    (tensor, dict, or nothing when y is None). ``queue_capacity`` and ``num_threads`` are
    accepted for compatibility (there is no queue)."""
    _check_bool("shuffle", shuffle)
    if num_epochs is not None and num_epochs <= 0:
        raise ValueError(f"num_epochs must be None or a positive integer; got {num_epochs}")
    features, targets = _columns(x, y)
    _check_lengths(features, targets)

    def input_fn():
        arrays = list(features.values())
        target_keys = []
        if isinstance(targets, dict):
            target_keys = list(targets)
            arrays += list(targets.values())
        elif targets is not None:
            arrays.append(targets)
        tensors = feeding_ops.numpy_feed_dequeue(arrays, batch_size, num_epochs, shuffle)
        feature_tensors = dict(zip(features, tensors[:len(features)], strict=True))
        if not isinstance(x, dict):
            feature_tensors = feature_tensors["__direct_np_input__"]
        if targets is None:
            return feature_tensors
        rest = tensors[len(features):]
        if isinstance(targets, dict):
            return feature_tensors, dict(zip(target_keys, rest, strict=True))
        return feature_tensors, rest[0]
    return input_fn


def pandas_input_fn(x, y=None, batch_size=128, num_epochs=1, shuffle=None,
                    queue_capacity=1000, num_threads=1, target_column="target"):
    """``tf.estimator.inputs.pandas_input_fn``: numpy_input_fn over a DataFrame's columns
    (and a Series target). Needs pandas, which tfcompat does not depend on."""
    try:
        import pandas  # noqa: F401
    except ImportError:
        raise ImportError("pandas_input_fn requires pandas, which is not installed "
                          "(tfcompat does not depend on it; pip install pandas)") from None
    _check_bool("shuffle", shuffle)
    features = {name: x[name].values for name in x.columns}
    if y is not None:
        if target_column in features:
            raise ValueError(f"Cannot use name {target_column} for target column: DataFrame "
                             f"already has a column with that name: {list(x.columns)}")
        if not np.array_equal(x.index, y.index):
            raise ValueError(f"Index for x and y are mismatched.\nIndex for x: {x.index}\n"
                             f"Index for y: {y.index}\n")
        y = y.values
    return numpy_input_fn(features, y, batch_size, num_epochs, shuffle, queue_capacity,
                          num_threads)
