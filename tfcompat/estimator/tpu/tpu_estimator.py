"""``tf.contrib.tpu.TPUEstimator`` and ``TPUEstimatorSpec`` (TF 1.15) with ``use_tpu=False``:
everything runs on the CPU as ``tf.estimator.Estimator`` runs it.

As in TF, ``input_fn`` and ``model_fn`` find the global batch size of the call's mode
(``train_batch_size``, ``eval_batch_size`` or ``predict_batch_size``) unmodified in
``params["batch_size"]`` (absent when that size is None), and ``model_fn`` also finds
``params["use_tpu"]`` (False). A ``TPUEstimatorSpec`` becomes an EstimatorSpec the way TF does
it on the CPU: ``scaffold_fn()`` gives the scaffold, ``eval_metrics``' metric_fn is called on
its tensors (a list: positional arguments; a dict: keyword arguments) to give the
eval_metric_ops, and ``host_call``'s function is called the same way, its ops run with every
step by a hook. There is no TPU here: ``use_tpu=True`` raises a ValueError.
"""
import collections
import contextlib
import inspect

from tfcompat import logging
from tfcompat.contrib import summary as contrib_summary
from tfcompat.estimator import estimator as estimator_lib
from tfcompat.estimator.model_fn import EstimatorSpec, ModeKeys
from tfcompat.estimator.tpu.tpu_config import RunConfig
from tfcompat.train.session_run_hook import SessionRunArgs, SessionRunHook

_BATCH_SIZE_KEY = "batch_size"
_CTX_KEY = "context"
_USE_TPU_KEY = "use_tpu"
_RESERVED_PARAMS_KEYS = [_BATCH_SIZE_KEY, _CTX_KEY]

_SPEC_FIELDS = ["mode", "predictions", "loss", "train_op", "eval_metrics", "export_outputs",
                "scaffold_fn", "host_call", "training_hooks", "evaluation_hooks",
                "prediction_hooks"]


def _check_host_call(name, host_call):
    """TF's checks of an ``eval_metrics`` / ``host_call`` pair (function, tensors)."""
    if not isinstance(host_call, (tuple, list)):
        raise ValueError(f"{name} should be tuple or list")
    if len(host_call) != 2:
        raise ValueError(f"{name} should have two elements.")
    function, tensors = host_call
    if not callable(function):
        raise TypeError(f"{name}[0] should be callable.")
    if not isinstance(tensors, (tuple, list, dict)):
        raise ValueError(f"{name}[1] should be tuple or list, or dict.")
    if isinstance(tensors, (tuple, list)):
        parameters = inspect.signature(function).parameters.values()
        if any(p.kind == p.VAR_POSITIONAL for p in parameters):
            return
        if len(tensors) != len(parameters):
            raise RuntimeError(f"In TPUEstimatorSpec.{name}, length of tensors "
                               f"{len(tensors)} does not match method args of the function, "
                               f"which takes {len(parameters)}.")


def _call_host_function(host_call):
    function, tensors = host_call
    if isinstance(tensors, dict):
        return function(**tensors)
    return function(*tensors)


class _HostCallHook(SessionRunHook):
    """Runs a host_call's ops with every step, after initialising the graph's
    tf.contrib.summary writers, and flushes those writers at the end (what TF's outfeed
    host-call hook does on the CPU)."""

    def __init__(self, tensors):
        self._tensors = tensors
        self._init_ops = []
        self._flush_ops = []

    def begin(self):
        self._init_ops = contrib_summary.summary_writer_initializer_op()
        self._flush_ops = [contrib_summary.SummaryWriter(init_op.inputs[0], init_op).flush()
                           for init_op in self._init_ops]

    def after_create_session(self, session, coord):
        if self._init_ops:
            session.run(self._init_ops)

    def before_run(self, run_context):
        return SessionRunArgs(self._tensors)

    def end(self, session):
        if self._flush_ops:
            session.run(self._flush_ops)


class TPUEstimatorSpec(collections.namedtuple("TPUEstimatorSpec", _SPEC_FIELDS)):
    """What a TPUEstimator's model_fn returns: an EstimatorSpec whose metrics come as
    ``eval_metrics=(metric_fn, tensors)``, whose scaffold comes from ``scaffold_fn`` and which
    may carry a ``host_call=(fn, tensors)``."""

    def __new__(cls, mode, predictions=None, loss=None, train_op=None, eval_metrics=None,
                export_outputs=None, scaffold_fn=None, host_call=None, training_hooks=None,
                evaluation_hooks=None, prediction_hooks=None):
        for name, pair in (("eval_metrics", eval_metrics), ("host_call", host_call)):
            if pair is not None:
                _check_host_call(name, pair)
        hooks = [tuple(h or ()) for h in (training_hooks, evaluation_hooks, prediction_hooks)]
        for hook in hooks[0] + hooks[1] + hooks[2]:
            if not isinstance(hook, SessionRunHook):
                raise TypeError(f"All hooks must be SessionRunHook instances, given: {hook}")
        return super().__new__(cls, mode, predictions, loss, train_op, eval_metrics,
                               export_outputs, scaffold_fn, host_call, *hooks)

    def as_estimator_spec(self):
        """The EstimatorSpec TF builds from this spec on the CPU."""
        eval_metric_ops = None
        if self.eval_metrics is not None:
            eval_metric_ops = _call_host_function(self.eval_metrics)
        host_hooks = ()
        if self.host_call is not None:
            host_hooks = (_HostCallHook(_call_host_function(self.host_call)),)
        scaffold = self.scaffold_fn() if self.scaffold_fn else None
        return EstimatorSpec(
            mode=self.mode, predictions=self.predictions, loss=self.loss,
            train_op=self.train_op, eval_metric_ops=eval_metric_ops,
            export_outputs=self.export_outputs, scaffold=scaffold,
            training_hooks=self.training_hooks + host_hooks,
            evaluation_hooks=self.evaluation_hooks + host_hooks,
            prediction_hooks=self.prediction_hooks + host_hooks)


def _model_fn_on_cpu(model_fn):
    """``model_fn`` returning an EstimatorSpec: a TPUEstimatorSpec is converted; the wrapper
    keeps ``model_fn``'s signature, so Estimator passes it the same arguments."""
    def model_fn_on_cpu(**kwargs):
        spec = model_fn(**kwargs)
        if isinstance(spec, TPUEstimatorSpec):
            return spec.as_estimator_spec()
        return spec
    model_fn_on_cpu.__signature__ = inspect.signature(model_fn)
    return model_fn_on_cpu


def _check_batch_size(value, name):
    if value is not None and (not isinstance(value, int) or value <= 0):
        raise ValueError(f"{name} must be positive integer, got {value}")


class TPUEstimator(estimator_lib.Estimator):
    """``TPUEstimator(model_fn=None, model_dir=None, config=None, params=None, use_tpu=True,
    train_batch_size=None, eval_batch_size=None, predict_batch_size=None, batch_axis=None,
    eval_on_tpu=True, export_to_tpu=True, export_to_cpu=True, warm_start_from=None,
    embedding_config_spec=None, export_saved_model_api_version=...)``; ``config`` must be a
    ``tf.contrib.tpu.RunConfig``, ``params`` must not hold the reserved keys "batch_size"
    and "context". train / evaluate / predict / export_saved_model are Estimator's."""

    def __init__(self, model_fn=None, model_dir=None, config=None, params=None, use_tpu=True,
                 train_batch_size=None, eval_batch_size=None, predict_batch_size=None,
                 batch_axis=None, eval_on_tpu=True, export_to_tpu=True, export_to_cpu=True,
                 warm_start_from=None, embedding_config_spec=None,
                 export_saved_model_api_version=None):
        if config is None or not isinstance(config, RunConfig):
            raise ValueError("`config` must be provided with type `tpu_config.RunConfig`")
        if params is not None and any(key in params for key in _RESERVED_PARAMS_KEYS):
            raise ValueError(f"{_RESERVED_PARAMS_KEYS} are reserved keys but existed in "
                             f"params {params}.")
        if use_tpu:
            if train_batch_size is None:
                raise ValueError("`train_batch_size` cannot be `None`")
            for value, name in ((train_batch_size, "train_batch_size"),
                                (eval_batch_size, "eval_batch_size"),
                                (predict_batch_size, "predict_batch_size")):
                _check_batch_size(value, name)
            raise ValueError("tfcompat has no TPU: construct the TPUEstimator with "
                             "use_tpu=False to run it on the CPU")
        if embedding_config_spec is not None:
            raise ValueError("embedding_config_spec needs a TPU; tfcompat has none")
        if eval_on_tpu:
            logging.info("eval_on_tpu ignored because use_tpu is False.")
        super().__init__(_model_fn_on_cpu(model_fn), model_dir=model_dir, config=config,
                         params=params, warm_start_from=warm_start_from)
        self._batch_sizes = {ModeKeys.TRAIN: train_batch_size, ModeKeys.EVAL: eval_batch_size,
                             ModeKeys.PREDICT: predict_batch_size}
        self._use_tpu = False
        self._exporting = False
        self._export_to_tpu = export_to_tpu
        self._export_to_cpu = export_to_cpu

    @contextlib.contextmanager
    def _mode_params(self, mode, **extra):
        """Within: ``params`` holds the mode's batch size (none while exporting) and
        ``extra``, as TF passes them."""
        user_params = self._params
        params = dict(user_params, **extra)
        if self._batch_sizes[mode] is not None and not self._exporting:
            params[_BATCH_SIZE_KEY] = self._batch_sizes[mode]
        self._params = params
        try:
            yield
        finally:
            self._params = user_params

    def _call_input_fn(self, input_fn, mode):
        if "params" not in inspect.signature(input_fn).parameters:
            raise ValueError(f"input_fn ({input_fn}) does not include params argument, "
                             f"required by TPUEstimator to pass batch size as "
                             f"params[\"batch_size\"]")
        with self._mode_params(mode):
            return super()._call_input_fn(input_fn, mode)

    def _call_model_fn(self, features, labels, mode):
        if "params" not in self._model_fn_args:
            raise ValueError(f"model_fn ({self._model_fn}) does not include params argument, "
                             f"required by TPUEstimator to pass batch size as "
                             f"params['batch_size']")
        with self._mode_params(mode, **{_USE_TPU_KEY: self._use_tpu}):
            return super()._call_model_fn(features, labels, mode)

    def export_saved_model(self, export_dir_base, serving_input_receiver_fn, *args, **kwargs):
        """Estimator's export of the PREDICT graph for the CPU; its model_fn finds no
        ``params["batch_size"]``, as in TF."""
        self._exporting = True
        try:
            return super().export_saved_model(export_dir_base, serving_input_receiver_fn,
                                              *args, **kwargs)
        finally:
            self._exporting = False
