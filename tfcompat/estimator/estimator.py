"""``tf.estimator.Estimator``: train / evaluate / predict a model_fn (TF 1.x semantics).

Each call builds a fresh graph: the global step, then ``input_fn()``, then ``model_fn``.
``train`` runs a MonitoredTrainingSession over ``model_dir`` (restoring its latest
checkpoint, saving checkpoints ``model.ckpt-<step>`` and summary events there, logging
"loss = ..., step = ..."), until ``steps`` more steps, ``max_steps`` in all, or the input's
end (OutOfRangeError). ``evaluate`` restores the latest checkpoint, runs every metric's update
op until the input ends (or ``steps``), and returns the metric values with "loss" (the mean
of the loss) and "global_step", writing them as summaries into ``model_dir/eval``.
``predict`` yields the predictions example by example. ``export_saved_model`` writes the
PREDICT graph of a serving_input_receiver_fn's tensors, restored from the latest checkpoint,
as a SavedModel in ``export_dir_base/<timestamp>``.
"""
import collections
import inspect
import os
import shutil
import tempfile
import time

import numpy as np

from tfcompat import logging, metrics
from tfcompat.framework import ops, random_seed
from tfcompat.ops import control_flow_ops
from tfcompat.client import session as session_lib
from tfcompat.estimator import export as export_lib
from tfcompat.estimator.model_fn import LOSS_METRIC_KEY, EstimatorSpec, ModeKeys
from tfcompat.estimator.run_config import RunConfig
from tfcompat.summary import FileWriterCache, Summary
from tfcompat.summary import scalar as scalar_summary
from tfcompat.train import basic_session_run_hooks as hooks_lib
from tfcompat.train import checkpoint_utils, monitored_session, training_util
from tfcompat.train import saver as saver_lib
from tfcompat.train import warm_starting_util
from tfcompat.ops import variables
from tfcompat.saved_model import tag_constants
from tfcompat.saved_model.builder import SavedModelBuilder
from tfcompat.train.session_run_hook import SessionRunHook


def _fn_args(fn):
    return set(inspect.signature(fn).parameters)


def _check_model_fn(model_fn):
    args = _fn_args(model_fn)
    if "features" not in args:
        raise ValueError(f"model_fn ({model_fn}) must include features argument.")
    return args


class _StopAfterNEvalsHook(SessionRunHook):
    """Stops evaluation after ``num_evals`` runs of the update op."""

    def __init__(self, num_evals):
        self._num_evals = num_evals
        self._evals = 0

    def after_run(self, run_context, run_values):
        self._evals += 1
        if self._num_evals is not None and self._evals >= self._num_evals:
            run_context.request_stop()


class _FinalOpsHook(SessionRunHook):
    """Runs the metric value ops once when the evaluation ends."""

    def __init__(self, final_ops):
        self._final_ops = final_ops
        self.final_ops_values = None

    def end(self, session):
        self.final_ops_values = session.run(self._final_ops)


class _DatasetInitializerHook(SessionRunHook):
    """Runs an initializable iterator's initializer when the session starts."""

    def __init__(self, iterator):
        self._iterator = iterator

    def after_create_session(self, session, coord):
        session.run(self._iterator.initializer)


def _iterate_if_dataset(result):
    """An input_fn may return a dataset (TF 1.x tf.data.Dataset): its elements come from an
    initializable iterator initialized when each session starts, as in TF. Duck-typed, so
    Estimator does not depend on tf.data."""
    if hasattr(result, "make_initializable_iterator"):
        iterator = result.make_initializable_iterator()
        return iterator.get_next(), [_DatasetInitializerHook(iterator)]
    return result, []


class Estimator:
    """``tf.estimator.Estimator(model_fn, model_dir=None, config=None, params=None,
    warm_start_from=None)``; ``warm_start_from``: a checkpoint path or directory, or a
    WarmStartSettings, used by train() when model_dir has no checkpoint."""

    def __init__(self, model_fn, model_dir=None, config=None, params=None,
                 warm_start_from=None):
        if config is None:
            config = RunConfig()
        elif not isinstance(config, RunConfig):
            raise ValueError(f"config must be an instance of `RunConfig`, but provided "
                             f"{config}.")
        if model_dir is not None and config.model_dir is not None and (
                os.fspath(model_dir) != config.model_dir):
            raise ValueError(f"`model_dir` are set both in constructor and `RunConfig`, but "
                             f"with different values. In constructor: '{model_dir}', in "
                             f"`RunConfig`: '{config.model_dir}' ")
        model_dir = model_dir or config.model_dir
        if model_dir is None:
            model_dir = tempfile.mkdtemp()
            logging.warning("Using temporary folder as model directory: %s", model_dir)
        model_dir = os.fspath(model_dir)
        if config.model_dir != model_dir:
            config = config.replace(model_dir=model_dir)
        logging.info("Using config: %s", config._values)
        self._model_fn_args = _check_model_fn(model_fn)
        self._warm_start_settings = _get_default_warm_start_settings(warm_start_from)
        self._model_fn = model_fn
        self._model_dir = model_dir
        self._config = config
        self._params = dict(params or {})

    model_dir = property(lambda self: self._model_dir)
    config = property(lambda self: self._config)
    params = property(lambda self: dict(self._params))
    model_fn = property(lambda self: self._model_fn)

    # ---- checkpoints ----------------------------------------------------------------------
    def latest_checkpoint(self):
        """The newest checkpoint in model_dir, or None."""
        return saver_lib.latest_checkpoint(self._model_dir)

    def get_variable_names(self):
        return [name for name, _ in checkpoint_utils.list_variables(self._model_dir)]

    def get_variable_value(self, name):
        return checkpoint_utils.load_variable(self._model_dir, name)

    # ---- graph building -------------------------------------------------------------------
    def _call_input_fn(self, input_fn, mode):
        args = _fn_args(input_fn)
        kwargs = {}
        if "mode" in args:
            kwargs["mode"] = mode
        if "params" in args:
            kwargs["params"] = self._params
        if "config" in args:
            kwargs["config"] = self._config
        result = input_fn(**kwargs)
        result, input_hooks = _iterate_if_dataset(result)
        if isinstance(result, (tuple, list)):
            if len(result) != 2:
                raise ValueError(f"input_fn should return (features, labels) as a len 2 "
                                 f"tuple, got {len(result)} elements")
            return result[0], result[1], input_hooks
        return result, None, input_hooks

    def _call_model_fn(self, features, labels, mode):
        kwargs = {}
        args = self._model_fn_args
        if "labels" in args:
            kwargs["labels"] = labels
        elif labels is not None:
            raise ValueError("model_fn does not take labels, but input_fn returns labels.")
        if "mode" in args:
            kwargs["mode"] = mode
        if "params" in args:
            kwargs["params"] = self._params
        if "config" in args:
            kwargs["config"] = self._config
        spec = self._model_fn(features=features, **kwargs)
        if not isinstance(spec, EstimatorSpec):
            raise ValueError(f"model_fn should return an EstimatorSpec. Given: {spec}")
        return spec

    def _build(self, input_fn, mode):
        """The global step, then input_fn's tensors, then the model_fn's spec (PREDICT mode
        ignores labels the input_fn returns, as TF does), and the input's hooks."""
        random_seed.set_random_seed(self._config.tf_random_seed)
        global_step = training_util.get_or_create_global_step()
        features, labels, input_hooks = self._call_input_fn(input_fn, mode)
        if mode == ModeKeys.PREDICT:
            labels = None
        return global_step, self._call_model_fn(features, labels, mode), input_hooks

    def _scaffold(self, spec):
        scaffold = spec.scaffold or monitored_session.Scaffold()
        if scaffold.saver is None and not ops.get_collection(ops.GraphKeys.SAVERS):
            ops.add_to_collection(ops.GraphKeys.SAVERS, saver_lib.Saver(
                sharded=True, max_to_keep=self._config.keep_checkpoint_max,
                keep_checkpoint_every_n_hours=self._config.keep_checkpoint_every_n_hours,
                save_relative_paths=True))
        return scaffold

    # ---- train ----------------------------------------------------------------------------
    def train(self, input_fn, hooks=None, steps=None, max_steps=None, saving_listeners=None):
        """Trains for ``steps`` more steps, up to global step ``max_steps``, or until the
        input ends; returns self."""
        if steps is not None and max_steps is not None:
            raise ValueError("Can not provide both steps and max_steps.")
        if steps is not None and steps <= 0:
            raise ValueError(f"Must specify steps > 0, given: {steps}")
        if max_steps is not None and max_steps <= 0:
            raise ValueError(f"Must specify max_steps > 0, given: {max_steps}")
        if max_steps is not None:
            checkpoint = self.latest_checkpoint()
            start = 0 if checkpoint is None else int(
                checkpoint_utils.load_variable(checkpoint, ops.GraphKeys.GLOBAL_STEP))
            if max_steps <= start:
                logging.info("Skipping training since max_steps has already saved.")
                return self
        with ops.Graph().as_default():
            global_step, spec, input_hooks = self._build(input_fn, ModeKeys.TRAIN)
            loss = self._train_with_spec(global_step, spec, list(hooks or []) + input_hooks,
                                         steps, max_steps, saving_listeners)
        logging.info("Loss for final step: %s.", loss)
        return self

    def _train_with_spec(self, global_step, spec, hooks, steps, max_steps, saving_listeners):
        config = self._config
        if self._warm_start_settings:
            logging.info("Warm-starting with WarmStartSettings: %s", self._warm_start_settings)
            warm_starting_util.warm_start(*self._warm_start_settings)
        if not any(getattr(s, "op", s).name == "loss"
                   for s in ops.get_collection(ops.GraphKeys.SUMMARIES)):
            scalar_summary("loss", spec.loss)   # unless the model_fn wrote one
        all_hooks = list(hooks or []) + list(spec.training_hooks) + [
            hooks_lib.NanTensorHook(spec.loss),
            hooks_lib.LoggingTensorHook({"loss": spec.loss, "step": global_step},
                                        every_n_iter=config.log_step_count_steps)]
        if steps is not None or max_steps is not None:
            all_hooks.insert(0, hooks_lib.StopAtStepHook(steps, max_steps))
        scaffold = self._scaffold(spec)
        chief_hooks = list(spec.training_chief_hooks)
        if config.save_checkpoints_steps or config.save_checkpoints_secs:
            chief_hooks.append(hooks_lib.CheckpointSaverHook(
                self._model_dir, save_secs=config.save_checkpoints_secs,
                save_steps=config.save_checkpoints_steps, scaffold=scaffold,
                listeners=saving_listeners))
        loss = None
        with monitored_session.MonitoredTrainingSession(
                checkpoint_dir=self._model_dir, scaffold=scaffold, hooks=all_hooks,
                chief_only_hooks=chief_hooks, save_checkpoint_secs=0,
                save_summaries_steps=config.save_summary_steps,
                config=config.session_config,
                log_step_count_steps=config.log_step_count_steps) as session:
            while not session.should_stop():
                _, loss = session.run([spec.train_op, spec.loss])
        FileWriterCache.get(self._model_dir).flush()
        return loss

    # ---- evaluate -------------------------------------------------------------------------
    def eval_dir(self, name=None):
        return os.path.join(self._model_dir, "eval" if not name else "eval_" + name)

    def evaluate(self, input_fn, steps=None, hooks=None, checkpoint_path=None, name=None):
        """Evaluates the metrics of the model_fn's EVAL spec on the input; returns a dict of
        metric values with "loss" and "global_step"."""
        if steps is not None and steps <= 0:
            raise ValueError(f"Must specify steps > 0, given: {steps}")
        checkpoint_path = checkpoint_path or self.latest_checkpoint()
        if checkpoint_path is None:
            logging.info("Could not find trained model in model_dir: %s, running "
                         "initialization to evaluate.", self._model_dir)
        with ops.Graph().as_default():
            scaffold, update_op, final_ops, eval_hooks = self._evaluate_build_graph(input_fn,
                                                                                 hooks)
            return self._evaluate_run(checkpoint_path, scaffold, update_op, final_ops,
                                      eval_hooks, steps, self.eval_dir(name))

    def _evaluate_build_graph(self, input_fn, hooks):
        """The EVAL graph in the default graph: (scaffold, the metrics' grouped update op,
        {key: value tensor} with "loss" and "global_step", the evaluation hooks)."""
        global_step, spec, input_hooks = self._build(input_fn, ModeKeys.EVAL)
        if LOSS_METRIC_KEY in spec.eval_metric_ops:
            raise ValueError(f"Metric with name \"{LOSS_METRIC_KEY}\" is not allowed, "
                             f"because Estimator already defines a default metric with "
                             f"the same name.")
        eval_ops = dict(spec.eval_metric_ops)
        eval_ops[LOSS_METRIC_KEY] = metrics.mean(spec.loss)
        update_op = control_flow_ops.group(*[update for _, update in eval_ops.values()])
        final_ops = {key: value for key, (value, _) in eval_ops.items()}
        final_ops[ops.GraphKeys.GLOBAL_STEP] = global_step
        eval_hooks = input_hooks + list(spec.evaluation_hooks) + list(hooks or [])
        return self._scaffold(spec), update_op, final_ops, eval_hooks

    def _evaluate_run(self, checkpoint_path, scaffold, update_op, final_ops, hooks, steps,
                      output_dir):
        """Runs update_op until the input ends (or ``steps``) in a session restoring
        ``checkpoint_path`` (or initialised by the scaffold); writes and returns the
        final values."""
        final_hook = _FinalOpsHook(final_ops)
        all_hooks = [_StopAfterNEvalsHook(steps), final_hook] + list(hooks)
        creator = monitored_session.ChiefSessionCreator(
            scaffold=scaffold, config=self._config.session_config,
            checkpoint_filename_with_path=checkpoint_path)
        logging.info("Starting evaluation")
        with monitored_session.MonitoredSession(creator, all_hooks) as session:
            while not session.should_stop():
                session.run(update_op)
        results = final_hook.final_ops_values
        logging.info("Saving dict for global step %d: %s", results["global_step"],
                     ", ".join(f"{k} = {v}" for k, v in sorted(results.items())))
        self._write_eval_summary(output_dir, results)
        return results

    @staticmethod
    def _write_eval_summary(output_dir, results):
        values = []
        for key, value in sorted(results.items()):
            if key == ops.GraphKeys.GLOBAL_STEP:
                continue
            if np.ndim(value) == 0 and np.issubdtype(np.asarray(value).dtype, np.number):
                values.append(Summary.Value(tag=key, simple_value=float(value)))
        writer = FileWriterCache.get(output_dir)
        writer.add_summary(Summary(value=values), int(results[ops.GraphKeys.GLOBAL_STEP]))
        writer.flush()

    # ---- predict --------------------------------------------------------------------------
    def predict(self, input_fn, predict_keys=None, hooks=None, checkpoint_path=None,
                yield_single_examples=True):
        """Yields the model_fn's PREDICT predictions, one example at a time (or one batch
        when ``yield_single_examples`` is False), until the input ends; without a checkpoint
        the variables are initialised (TF logs "running initialization to predict")."""
        checkpoint_path = checkpoint_path or self.latest_checkpoint()
        if checkpoint_path is None:   # TF: the scaffold initialises (init_from_checkpoint)
            logging.info("Could not find trained model in model_dir: %s, running "
                         "initialization to predict.", self._model_dir)
        with ops.Graph().as_default():
            _, spec, input_hooks = self._build(input_fn, ModeKeys.PREDICT)
            predictions = self._selected(spec.predictions, predict_keys)
            creator = monitored_session.ChiefSessionCreator(
                scaffold=self._scaffold(spec), config=self._config.session_config,
                checkpoint_filename_with_path=checkpoint_path)
            hooks = input_hooks + list(spec.prediction_hooks) + list(hooks or [])
            with monitored_session.MonitoredSession(creator, hooks) as session:
                while not session.should_stop():
                    values = session.run(predictions)
                    yield from self._examples(values, yield_single_examples)

    # ---- export ---------------------------------------------------------------------------
    def export_saved_model(self, export_dir_base, serving_input_receiver_fn, assets_extra=None,
                           as_text=False, checkpoint_path=None,
                           experimental_mode=ModeKeys.PREDICT):
        """Exports the model_fn's PREDICT graph on ``serving_input_receiver_fn()``'s tensors
        with the variables of ``checkpoint_path`` (default: the latest) as a SavedModel
        tagged "serve" in a new ``export_dir_base/<timestamp>``; its SignatureDefs come from
        the spec's ``export_outputs`` (default: a PredictOutput of the predictions).
        ``assets_extra`` ({destination: source}) is copied into ``assets.extra/``. Returns
        the export directory (bytes)."""
        if experimental_mode != ModeKeys.PREDICT:
            raise ValueError(f"tfcompat exports the PREDICT mode only, not {experimental_mode}")
        if not serving_input_receiver_fn:
            raise ValueError("An input_receiver_fn must be defined.")
        checkpoint_path = checkpoint_path or self.latest_checkpoint()
        if not checkpoint_path:
            raise ValueError(f"Couldn't find trained model at {self._model_dir}.")
        export_dir = _timestamped_export_dir(os.fspath(export_dir_base))
        temp_dir = os.path.join(os.path.dirname(export_dir),
                                "temp-" + os.path.basename(export_dir))
        builder = SavedModelBuilder(temp_dir)
        with ops.Graph().as_default():
            random_seed.set_random_seed(self._config.tf_random_seed)
            training_util.get_or_create_global_step()
            receiver = serving_input_receiver_fn()
            spec = self._call_model_fn(receiver.features, None, ModeKeys.PREDICT)
            export_outputs = export_lib.get_export_outputs(spec.export_outputs,
                                                           spec.predictions)
            signature_def_map = export_lib.build_all_signature_defs(
                receiver.receiver_tensors, export_outputs,
                receiver.receiver_tensors_alternatives)
            scaffold = spec.scaffold or monitored_session.Scaffold()
            saver = scaffold.saver or saver_lib.Saver(sharded=True)
            local_init_op = scaffold.local_init_op or control_flow_ops.group(
                variables.local_variables_initializer(),
                *ops.get_collection(ops.GraphKeys.TABLE_INITIALIZERS))
            with session_lib.Session(config=self._config.session_config) as session:
                saver.restore(session, checkpoint_path)
                builder.add_meta_graph_and_variables(
                    session, [tag_constants.SERVING], signature_def_map=signature_def_map,
                    assets_collection=ops.get_collection(ops.GraphKeys.ASSET_FILEPATHS),
                    main_op=local_init_op, saver=saver)
        builder.save(as_text)
        for destination, source in (assets_extra or {}).items():
            target = os.path.join(temp_dir, "assets.extra", destination)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(source, target)
        os.rename(temp_dir, export_dir)
        logging.info("SavedModel written to: %s", export_dir)
        return export_dir.encode()

    def export_savedmodel(self, export_dir_base, serving_input_receiver_fn, assets_extra=None,
                          as_text=False, checkpoint_path=None, strip_default_attrs=False):
        """TF 1.x's name of ``export_saved_model`` (``strip_default_attrs`` has no effect)."""
        return self.export_saved_model(export_dir_base, serving_input_receiver_fn,
                                       assets_extra=assets_extra, as_text=as_text,
                                       checkpoint_path=checkpoint_path)

    @staticmethod
    def _selected(predictions, predict_keys):
        if predict_keys is None or not isinstance(predictions, dict):
            return predictions
        if isinstance(predict_keys, str):
            predict_keys = [predict_keys]
        selected = {key: value for key, value in predictions.items() if key in predict_keys}
        if not selected:
            raise ValueError(f"Expected to run at least one output from {predictions}, "
                             f"provided {predict_keys}.")
        return selected

    @staticmethod
    def _examples(values, single):
        if not single:
            yield values
        elif isinstance(values, dict):
            batch = len(next(iter(values.values())))
            for i in range(batch):
                yield {key: value[i] for key, value in values.items()}
        else:
            yield from values


class WarmStartSettings(collections.namedtuple("WarmStartSettings", [
        "ckpt_to_initialize_from", "vars_to_warm_start", "var_name_to_vocab_info",
        "var_name_to_prev_var_name"])):
    """``tf.estimator.WarmStartSettings(ckpt_to_initialize_from, vars_to_warm_start=".*",
    var_name_to_vocab_info=None, var_name_to_prev_var_name=None)``: the arguments of
    ``tf.train.warm_start`` applied when an Estimator's training builds its graph (they take
    effect while model_dir has no checkpoint to restore)."""

    def __new__(cls, ckpt_to_initialize_from, vars_to_warm_start=".*",
                var_name_to_vocab_info=None, var_name_to_prev_var_name=None):
        if not ckpt_to_initialize_from:
            raise ValueError("`ckpt_to_initialize_from` MUST be set in WarmStartSettings")
        return super().__new__(cls, ckpt_to_initialize_from, vars_to_warm_start,
                               var_name_to_vocab_info or {}, var_name_to_prev_var_name or {})


def _get_default_warm_start_settings(warm_start_from):
    """``warm_start_from`` (a checkpoint path or directory, or WarmStartSettings) as
    WarmStartSettings; None stays None."""
    if warm_start_from is None:
        return None
    if isinstance(warm_start_from, (str, bytes, os.PathLike)):
        path = os.fsdecode(warm_start_from)
        variables_prefix = os.path.join(path, "variables", "variables")
        if os.path.exists(variables_prefix + ".index"):
            logging.info("Warm-starting from a SavedModel")
            return WarmStartSettings(ckpt_to_initialize_from=variables_prefix)
        return WarmStartSettings(ckpt_to_initialize_from=path)
    if isinstance(warm_start_from, WarmStartSettings):
        return warm_start_from
    raise ValueError("warm_start_from must be a string or a WarmStartSettings, instead got {}"
                     .format(type(warm_start_from)))


def _timestamped_export_dir(export_dir_base, attempts=10):
    """``export_dir_base/<seconds since the epoch>``, waiting a second while that exists."""
    for attempt in range(attempts):
        export_dir = os.path.join(export_dir_base, str(int(time.time())))
        if not os.path.exists(export_dir):
            return export_dir
        time.sleep(1)
        logging.warning("Directory %s already exists; retrying (attempt %d/%d)", export_dir,
                        attempt + 1, attempts)
    raise RuntimeError(f"Failed to obtain a unique export directory name after {attempts} "
                       "attempts.")
