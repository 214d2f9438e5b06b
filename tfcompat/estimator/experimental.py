"""``tf.estimator.experimental`` (TF 1.15): early stopping hooks, InMemoryEvaluatorHook,
the canned models' logit function builders and ``call_logit_fn``."""
import inspect

from tfcompat.estimator.canned.dnn import dnn_logit_fn_builder  # noqa: F401
from tfcompat.estimator.canned.linear import linear_logit_fn_builder  # noqa: F401
from tfcompat.estimator.canned.kmeans import KMeansClustering as KMeans  # noqa: F401
from tfcompat.estimator.hooks import (InMemoryEvaluatorHook,  # noqa: F401
                                      make_stop_at_checkpoint_step_hook)
from tfcompat.estimator.early_stopping import (make_early_stopping_hook,  # noqa: F401
                                               stop_if_higher_hook, stop_if_lower_hook,
                                               stop_if_no_decrease_hook,
                                               stop_if_no_increase_hook)
from tfcompat.framework import ops


def call_logit_fn(logit_fn, features, mode, params, config):
    """Calls ``logit_fn(features, [mode, params, config])`` with the arguments it takes;
    its result must be a Tensor or a dict of str -> Tensor."""
    args = set(inspect.signature(logit_fn).parameters)
    available = {"mode": mode, "params": params, "config": config}
    results = logit_fn(features=features,
                       **{key: value for key, value in available.items() if key in args})
    valid_dict = isinstance(results, dict) and all(
        isinstance(key, str) and isinstance(value, ops.Tensor)
        for key, value in results.items())
    if not (valid_dict or isinstance(results, ops.Tensor)):
        raise ValueError(f"logit_fn should return a Tensor or a dictionary mapping strings to "
                         f"Tensors.  logit_fn returned: {results}")
    return results


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow._api.v1.estimator.experimental' has no "
                         f"attribute '{name}': tfcompat does not implement "
                         f"tf.estimator.experimental.{name} yet")
