"""``tf.estimator.train_and_evaluate`` with TrainSpec / EvalSpec, local (one process) mode.

As TF 1.15's local run: training runs to ``train_spec.max_steps`` (or the input's end); after
a checkpoint is saved, the model is evaluated on ``eval_spec`` if at least
``eval_spec.throttle_secs`` have passed since the previous evaluation; a final evaluation
follows training. After each evaluation every exporter of the EvalSpec exports into
``<model_dir>/export/<exporter name>`` (the final evaluation's call says it is the final
export). Returns ``(last evaluation results, the final evaluation's export results)``.
"""
import collections
import os
import time

from tfcompat import logging
from tfcompat.train.basic_session_run_hooks import CheckpointSaverListener


class TrainSpec(collections.namedtuple("TrainSpec", ["input_fn", "max_steps", "hooks"])):
    """``tf.estimator.TrainSpec(input_fn, max_steps=None, hooks=None)``."""

    def __new__(cls, input_fn, max_steps=None, hooks=None):
        if not callable(input_fn):
            raise TypeError(f"`input_fn` must be callable, given: {input_fn}")
        if max_steps is not None and max_steps <= 0:
            raise ValueError(f"Must specify max_steps > 0, given: {max_steps}")
        return super().__new__(cls, input_fn, max_steps, tuple(hooks or ()))


class EvalSpec(collections.namedtuple("EvalSpec", ["input_fn", "steps", "name", "hooks",
                                                   "exporters", "start_delay_secs",
                                                   "throttle_secs"])):
    """``tf.estimator.EvalSpec(input_fn, steps=100, name=None, hooks=None, exporters=None,
    start_delay_secs=120, throttle_secs=600)``."""

    def __new__(cls, input_fn, steps=100, name=None, hooks=None, exporters=None,
                start_delay_secs=120, throttle_secs=600):
        if not callable(input_fn):
            raise TypeError(f"`input_fn` must be callable, given: {input_fn}")
        if steps is not None and steps <= 0:
            raise ValueError(f"Must specify steps > 0, given: {steps}")
        if start_delay_secs < 0:
            raise ValueError(f"Must specify start_delay_secs >= 0, given: {start_delay_secs}")
        if throttle_secs < 0:
            raise ValueError(f"Must specify throttle_secs >= 0, given: {throttle_secs}")
        return super().__new__(cls, input_fn, steps, name, tuple(hooks or ()),
                               _checked_exporters(exporters), start_delay_secs, throttle_secs)


def _checked_exporters(exporters):
    """The exporters as a tuple, each an Exporter with a unique name (TF's checks)."""
    from tfcompat.estimator.exporter import Exporter
    if exporters is None:
        return ()
    if isinstance(exporters, Exporter):
        exporters = [exporters]
    names = set()
    for exporter in exporters:
        if not isinstance(exporter, Exporter):
            raise TypeError(f"`exporters` must be an Exporter, an iterable of Exporter, or "
                            f"`None`, found {exporter}.")
        if not exporter.name or not exporter.name.strip():
            raise ValueError("An Exporter must have a non-empty name.")
        if exporter.name in names:
            raise ValueError(f"`exporters` must have unique names. Such a name cannot be "
                             f"`None`. {exporter.name} was used twice.")
        names.add(exporter.name)
    return tuple(exporters)


class _EvaluateAfterSaves(CheckpointSaverListener):
    """Evaluates after a checkpoint save once ``throttle_secs`` have passed."""

    def __init__(self, estimator, eval_spec, max_steps):
        self._estimator = estimator
        self._eval_spec = eval_spec
        self._max_steps = max_steps
        self.export_results = []
        self._last_time = time.time()
        self.results = None
        self.evaluated_step = None

    def after_save(self, session, global_step_value):
        if global_step_value == 0 or (
                time.time() - self._last_time < self._eval_spec.throttle_secs):
            return False
        self.evaluate()
        return False

    def evaluate(self):
        """Evaluates, then exports; the export is the final one when the evaluated step
        reached the training's max_steps (TF's rule: never without max_steps)."""
        spec = self._eval_spec
        self.results = self._estimator.evaluate(spec.input_fn, steps=spec.steps,
                                                hooks=list(spec.hooks), name=spec.name)
        self.evaluated_step = self.results["global_step"]
        self._last_time = time.time()
        final = self._max_steps is not None and self.evaluated_step >= self._max_steps
        self.export_results = self._export(final)

    def _export(self, is_the_final_export):
        """Each exporter's result for the latest checkpoint and these results."""
        checkpoint = self._estimator.latest_checkpoint()
        exported = []
        for exporter in self._eval_spec.exporters:
            path = os.path.join(self._estimator.model_dir, "export", exporter.name)
            exported.append(exporter.export(self._estimator, path, checkpoint, self.results,
                                            is_the_final_export))
        return exported


def train_and_evaluate(estimator, train_spec, eval_spec):
    """Trains ``estimator`` on ``train_spec`` and evaluates it on ``eval_spec`` after
    checkpoints (throttled) and at the end; returns (evaluation results, [])."""
    if not isinstance(train_spec, TrainSpec):
        raise TypeError(f"`train_spec` must have type `tf.estimator.TrainSpec`. Got: "
                        f"{type(train_spec)}")
    if not isinstance(eval_spec, EvalSpec):
        raise TypeError(f"`eval_spec` must have type `tf.estimator.EvalSpec`. Got: "
                        f"{type(eval_spec)}")
    logging.info("Running training and evaluation locally (non-distributed).")
    listener = _EvaluateAfterSaves(estimator, eval_spec, train_spec.max_steps)
    estimator.train(train_spec.input_fn, hooks=list(train_spec.hooks),
                    max_steps=train_spec.max_steps, saving_listeners=[listener])
    checkpoint = estimator.latest_checkpoint()
    step = None if checkpoint is None else int(checkpoint.rsplit("-", 1)[-1])
    if listener.results is None or listener.evaluated_step != step:
        listener.evaluate()
    return listener.results, listener.export_results
