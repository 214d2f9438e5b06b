"""``tf.estimator.experimental`` early stopping (TF 1.15 ``estimator/early_stopping.py``):
training hooks that stop ``Estimator.train`` when the evaluation metrics written to the
eval directory say so.

A hook checks its predicate every ``run_every_secs`` seconds (or ``run_every_steps`` steps);
when it holds, it sets the boolean variable ``signal_early_stopping/STOP`` and requests the
stop. The metrics are the simple values of the event files in ``estimator.eval_dir()`` (what
``Estimator.evaluate`` writes), by global step.
"""
import collections
import glob
import operator
import os

from tfcompat import logging
from tfcompat.framework import dtypes, ops
from tfcompat.ops import init_ops, state_ops
from tfcompat.ops import variable_scope as vs
from tfcompat.summary.writer import summary_iterator
from tfcompat.train import training_util
from tfcompat.train.basic_session_run_hooks import SecondOrStepTimer
from tfcompat.train.session_run_hook import SessionRunArgs, SessionRunHook


def read_eval_metrics(eval_dir):
    """``{global_step: {tag: simple_value}}`` of the event files in ``eval_dir``, sorted by
    step."""
    by_step = collections.defaultdict(dict)
    for path in sorted(glob.glob(os.path.join(eval_dir, "events.out.tfevents.*"))):
        for event in summary_iterator(path):
            values = {value["tag"]: value["simple_value"]
                      for value in event.get("summary", []) if "simple_value" in value}
            if values:
                by_step[event["step"]].update(values)
    return collections.OrderedDict(sorted(by_step.items()))


def _get_or_create_stop_var():
    with vs.variable_scope("signal_early_stopping", values=[], reuse=vs.AUTO_REUSE):
        return vs.get_variable("STOP", shape=[], dtype=dtypes.bool,
                               initializer=init_ops.constant_initializer(False),
                               collections=[ops.GraphKeys.GLOBAL_VARIABLES], trainable=False)


class _StopOnPredicateHook(SessionRunHook):
    """Sets the stop variable and stops training when ``should_stop_fn()`` is true."""

    def __init__(self, should_stop_fn, run_every_secs=60, run_every_steps=None):
        if not callable(should_stop_fn):
            raise TypeError("`should_stop_fn` must be callable.")
        self._should_stop_fn = should_stop_fn
        self._timer = SecondOrStepTimer(every_secs=run_every_secs, every_steps=run_every_steps)
        self._global_step_tensor = None
        self._stop_op = None

    def begin(self):
        self._global_step_tensor = training_util.get_global_step()
        self._stop_op = state_ops.assign(_get_or_create_stop_var(), True)

    def before_run(self, run_context):
        return SessionRunArgs(self._global_step_tensor)

    def after_run(self, run_context, run_values):
        global_step = run_values.results
        if self._timer.should_trigger_for_step(global_step):
            self._timer.update_last_triggered_step(global_step)
            if self._should_stop_fn():
                logging.info("Requesting early stopping at global step %d", global_step)
                run_context.session.run(self._stop_op)
                run_context.request_stop()


def make_early_stopping_hook(estimator, should_stop_fn, run_every_secs=60,
                             run_every_steps=None):
    """A hook stopping training when ``should_stop_fn()`` returns True (checked every
    ``run_every_secs`` seconds or ``run_every_steps`` steps)."""
    if run_every_secs is not None and run_every_steps is not None:
        raise ValueError("Only one of run_every_secs and run_every_steps can be passed.")
    return _StopOnPredicateHook(should_stop_fn, run_every_secs, run_every_steps)


def _threshold_hook(estimator, metric_name, threshold, higher_is_better, eval_dir,
                    min_steps, run_every_secs, run_every_steps):
    eval_dir = eval_dir or estimator.eval_dir()
    is_better = operator.gt if higher_is_better else operator.lt
    relation = "greater than" if higher_is_better else "less than"

    def threshold_crossed():
        for step, metrics in read_eval_metrics(eval_dir).items():
            if step < min_steps:
                continue
            value = metrics[metric_name]
            if is_better(value, threshold):
                logging.info('At step %s, metric "%s" has value %s which is %s the configured '
                             'threshold (%s) for early stopping.', step, metric_name, value,
                             relation, threshold)
                return True
        return False
    return make_early_stopping_hook(estimator, threshold_crossed, run_every_secs,
                                    run_every_steps)


def _no_improvement_hook(estimator, metric_name, max_steps_without_improvement,
                         higher_is_better, eval_dir, min_steps, run_every_secs,
                         run_every_steps):
    eval_dir = eval_dir or estimator.eval_dir()
    is_better = operator.gt if higher_is_better else operator.lt
    change = "increase" if higher_is_better else "decrease"

    def no_improvement():
        best_value = best_step = None
        for step, metrics in read_eval_metrics(eval_dir).items():
            if step < min_steps:
                continue
            value = metrics[metric_name]
            if best_value is None or is_better(value, best_value):
                best_value, best_step = value, step
            if step - best_step >= max_steps_without_improvement:
                logging.info('No %s in metric "%s" for %s steps, which is greater than or '
                             'equal to max steps (%s) configured for early stopping.', change,
                             metric_name, step - best_step, max_steps_without_improvement)
                return True
        return False
    return make_early_stopping_hook(estimator, no_improvement, run_every_secs,
                                    run_every_steps)


def stop_if_higher_hook(estimator, metric_name, threshold, eval_dir=None, min_steps=0,
                        run_every_secs=60, run_every_steps=None):
    """Stops training once an evaluation at step >= min_steps has metric > threshold."""
    return _threshold_hook(estimator, metric_name, threshold, True, eval_dir, min_steps,
                           run_every_secs, run_every_steps)


def stop_if_lower_hook(estimator, metric_name, threshold, eval_dir=None, min_steps=0,
                       run_every_secs=60, run_every_steps=None):
    """Stops training once an evaluation at step >= min_steps has metric < threshold."""
    return _threshold_hook(estimator, metric_name, threshold, False, eval_dir, min_steps,
                           run_every_secs, run_every_steps)


def stop_if_no_increase_hook(estimator, metric_name, max_steps_without_increase,
                             eval_dir=None, min_steps=0, run_every_secs=60,
                             run_every_steps=None):
    """Stops training when the metric's best value is ``max_steps_without_increase``
    global steps older than the latest evaluation."""
    return _no_improvement_hook(estimator, metric_name, max_steps_without_increase, True,
                                eval_dir, min_steps, run_every_secs, run_every_steps)


def stop_if_no_decrease_hook(estimator, metric_name, max_steps_without_decrease,
                             eval_dir=None, min_steps=0, run_every_secs=60,
                             run_every_steps=None):
    """Stops training when the metric's lowest value is ``max_steps_without_decrease``
    global steps older than the latest evaluation."""
    return _no_improvement_hook(estimator, metric_name, max_steps_without_decrease, False,
                                eval_dir, min_steps, run_every_secs, run_every_steps)
