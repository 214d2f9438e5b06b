"""``tf.estimator.add_metrics`` (TF 1.15 ``extenders.add_metrics``): an Estimator whose
evaluation also reports the metrics of a ``metric_fn``."""
import inspect

from tfcompat.estimator.estimator import Estimator
from tfcompat.estimator.model_fn import EstimatorSpec, ModeKeys

_METRIC_FN_ARGS = ("features", "labels", "predictions", "config")


def _metric_fn_args(metric_fn):
    args = set(inspect.signature(metric_fn).parameters)
    if "predictions" not in args:
        raise ValueError(f"metric_fn ({metric_fn}) must include predictions argument.")
    unexpected = args - set(_METRIC_FN_ARGS)
    if unexpected:
        raise ValueError(f"metric_fn ({metric_fn}) has following not expected args: "
                         f"{sorted(unexpected)}")
    return args


def add_metrics(estimator, metric_fn):
    """A new Estimator on ``estimator``'s model_dir and config whose EVAL spec adds the
    ``{name: (value, update_op)}`` that ``metric_fn(predictions, features=, labels=,
    config=)`` returns (its metrics replace the model's metrics of the same name)."""
    args = _metric_fn_args(metric_fn)

    def new_model_fn(features, labels, mode, config):
        spec = estimator._call_model_fn(features, labels, mode)
        if mode != ModeKeys.EVAL:
            return spec
        available = {"features": features, "labels": labels,
                     "predictions": spec.predictions, "config": config}
        new_metrics = metric_fn(**{key: available[key] for key in args})
        all_metrics = dict(spec.eval_metric_ops)
        all_metrics.update(new_metrics)
        return EstimatorSpec(**dict(spec._asdict(), eval_metric_ops=all_metrics))
    return Estimator(new_model_fn, model_dir=estimator.model_dir, config=estimator.config,
                     warm_start_from=estimator._warm_start_settings)
