"""The standard SessionRunHooks of TF 1.x ``basic_session_run_hooks``.

StopAtStepHook, LoggingTensorHook, NanTensorHook, StepCounterHook, CheckpointSaverHook,
SummarySaverHook, FeedFnHook, FinalOpsHook, GlobalStepWaiterHook and ProfilerHook, with TF's
arguments, triggering rules (``SecondOrStepTimer``) and log lines
("loss = 0.69, step = 1", "Saving checkpoints for 0 into DIR/model.ckpt.").
"""
import os
import time

import numpy as np

from tfcompat import logging
from tfcompat.framework import errors, ops
from tfcompat.framework.config import RunOptions
from tfcompat.train import training_util
from tfcompat.train.session_run_hook import SessionRunArgs, SessionRunHook


class SecondOrStepTimer:
    """Triggers every ``every_secs`` seconds or every ``every_steps`` steps (one of them)."""

    def __init__(self, every_secs=None, every_steps=None):
        if (every_secs is None) == (every_steps is None):
            raise ValueError("exactly one of every_secs and every_steps should be provided.")
        self._every_secs = every_secs
        self._every_steps = every_steps
        self.reset()

    def reset(self):
        self._last_time = None
        self._last_step = None

    def should_trigger_for_step(self, step):
        if self._last_step is None:
            return True
        if self._last_step == step:
            return False
        if self._every_secs is not None:
            return time.time() >= self._last_time + self._every_secs
        return step >= self._last_step + self._every_steps

    def update_last_triggered_step(self, step):
        """Records a trigger; returns (seconds, steps) since the previous one or Nones."""
        now = time.time()
        elapsed = (None, None) if self._last_time is None else (
            now - self._last_time, step - self._last_step)
        self._last_time, self._last_step = now, step
        return elapsed

    def last_triggered_step(self):
        return self._last_step


def _global_step_tensor(hook_name):
    step = training_util.get_global_step()
    if step is None:
        raise RuntimeError(f"Global step should be created to use {hook_name}.")
    return step


def _as_graph_element(graph, element):
    """A tensor given by itself or by name ("softmax_tensor" means "softmax_tensor:0", which
    must be its op's only output), as TF's hooks resolve names."""
    if not isinstance(element, str):
        if getattr(element, "graph", None) is not graph:
            raise ValueError(f"Passed {element} should have graph attribute that is equal to "
                             f"current graph {graph}.")
        return element
    if ":" in element:
        return graph.as_graph_element(element)
    tensor = graph.as_graph_element(element + ":0")
    if len(tensor.op.outputs) > 1:
        raise ValueError(f"Name {element} is ambiguous, as this `Operation` has multiple "
                         f"outputs (at least 2).")
    return tensor


class StopAtStepHook(SessionRunHook):
    """Requests a stop once the global step reaches ``last_step`` (or start + ``num_steps``)."""

    def __init__(self, num_steps=None, last_step=None):
        if (num_steps is None) == (last_step is None):
            raise ValueError("One of num_steps or last_step must be specified.")
        if num_steps is not None and num_steps < 0:
            raise ValueError("num_steps must be positive, got %s" % num_steps)
        self._num_steps = num_steps
        self._last_step = last_step

    def begin(self):
        self._global_step = _global_step_tensor("StopAtStepHook")

    def after_create_session(self, session, coord):
        if self._last_step is None:
            self._last_step = int(session.run(self._global_step)) + self._num_steps

    def before_run(self, run_context):
        return SessionRunArgs(self._global_step)

    def after_run(self, run_context, run_values):
        if run_values.results + 1 >= self._last_step:
            # The run incremented the step (normally); read it to be sure.
            if run_context.session.run(self._global_step) >= self._last_step:
                run_context.request_stop()


class LoggingTensorHook(SessionRunHook):
    """Logs tensor values every N iterations or seconds ("loss = 0.5, step = 10")."""

    def __init__(self, tensors, every_n_iter=None, every_n_secs=None, at_end=False,
                 formatter=None):
        only_log_at_end = at_end and every_n_iter is None and every_n_secs is None
        if not only_log_at_end and (every_n_iter is None) == (every_n_secs is None):
            raise ValueError("either at_end and/or exactly one of every_n_iter and "
                             "every_n_secs must be provided.")
        if every_n_iter is not None and every_n_iter <= 0:
            raise ValueError("invalid every_n_iter=%s." % every_n_iter)
        if not isinstance(tensors, dict):
            tensors = {getattr(t, "name", t): t for t in tensors}
        self._tag_order = list(tensors)
        self._tensors = tensors
        self._timer = None if only_log_at_end else SecondOrStepTimer(every_n_secs,
                                                                     every_n_iter)
        self._log_at_end = at_end
        self._formatter = formatter

    def begin(self):
        self._iter_count = 0
        graph = ops.get_default_graph()
        self._current = {tag: _as_graph_element(graph, t) for tag, t in self._tensors.items()}

    def before_run(self, run_context):
        self._should_trigger = (self._timer is not None
                                and self._timer.should_trigger_for_step(self._iter_count))
        return SessionRunArgs(self._current) if self._should_trigger else None

    def _log(self, values, elapsed=None):
        if self._formatter is not None:
            logging.info(self._formatter(values))
            return
        stats = ", ".join(f"{tag} = {values[tag]}" for tag in self._tag_order)
        if elapsed is not None:
            logging.info("%s (%.3f sec)", stats, elapsed)
        else:
            logging.info("%s", stats)

    def after_run(self, run_context, run_values):
        if self._should_trigger:
            elapsed, _ = self._timer.update_last_triggered_step(self._iter_count)
            self._log(run_values.results, elapsed)
        self._iter_count += 1

    def end(self, session):
        if self._log_at_end:
            self._log(session.run(self._current))


class NanLossDuringTrainingError(RuntimeError):
    def __str__(self):
        return "NaN loss during training."


class NanTensorHook(SessionRunHook):
    """Raises NanLossDuringTrainingError (or stops) when the loss becomes NaN."""

    def __init__(self, loss_tensor, fail_on_nan_loss=True):
        self._loss_tensor = loss_tensor
        self._fail_on_nan_loss = fail_on_nan_loss

    def before_run(self, run_context):
        return SessionRunArgs(self._loss_tensor)

    def after_run(self, run_context, run_values):
        if np.isnan(run_values.results):
            if self._fail_on_nan_loss:
                logging.error("Model diverged with loss = NaN.")
                raise NanLossDuringTrainingError
            logging.warning("Model diverged with loss = NaN.")
            run_context.request_stop()


class StepCounterHook(SessionRunHook):
    """Logs (and writes as the summary "global_step/sec") the training speed."""

    def __init__(self, every_n_steps=100, every_n_secs=None, output_dir=None,
                 summary_writer=None):
        if (every_n_steps is None) == (every_n_secs is None):
            raise ValueError("exactly one of every_n_steps and every_n_secs should be "
                             "provided.")
        self._timer = SecondOrStepTimer(every_steps=every_n_steps, every_secs=every_n_secs)
        self._output_dir = output_dir
        self._summary_writer = summary_writer

    def begin(self):
        from tfcompat.summary import FileWriterCache
        if self._summary_writer is None and self._output_dir:
            self._summary_writer = FileWriterCache.get(self._output_dir)
        self._global_step = _global_step_tensor("StepCounterHook")

    def before_run(self, run_context):
        return SessionRunArgs(self._global_step)

    def after_run(self, run_context, run_values):
        step = int(run_values.results)
        if self._timer.should_trigger_for_step(step):
            elapsed, steps = self._timer.update_last_triggered_step(step)
            if elapsed:
                rate = steps / elapsed
                logging.info("global_step/sec: %g", rate)
                if self._summary_writer is not None:
                    from tfcompat.summary import Summary
                    summary = Summary(value=[Summary.Value(tag="global_step/sec",
                                                           simple_value=rate)])
                    self._summary_writer.add_summary(summary, step)


class CheckpointSaverListener:
    """``tf.train.CheckpointSaverListener``: called around each save of a
    CheckpointSaverHook; ``after_save`` returning True asks training to stop."""

    def begin(self):
        """Called once before the session is created."""

    def before_save(self, session, global_step_value):
        """Called before each save."""

    def after_save(self, session, global_step_value):
        """Called after each save; True requests a stop."""

    def end(self, session, global_step_value):
        """Called at the end of training."""


class CheckpointSaverHook(SessionRunHook):
    """Saves a checkpoint when the session starts, every N seconds or steps, and at the end,
    into ``checkpoint_dir/checkpoint_basename-<global step>``; the graph goes into the
    checkpoint_dir event file when the session starts (TF also writes graph.pbtxt, which
    tfcompat does not)."""

    def __init__(self, checkpoint_dir, save_secs=None, save_steps=None, saver=None,
                 checkpoint_basename="model.ckpt", scaffold=None, listeners=None):
        if saver is not None and scaffold is not None:
            raise ValueError("You cannot provide both saver and scaffold.")
        self._checkpoint_dir = checkpoint_dir
        self._save_path = os.path.join(checkpoint_dir, checkpoint_basename)
        self._saver = saver
        self._scaffold = scaffold
        self._timer = SecondOrStepTimer(every_secs=save_secs, every_steps=save_steps)
        self._listeners = listeners or []

    def begin(self):
        self._global_step = _global_step_tensor("CheckpointSaverHook")
        for listener in self._listeners:
            listener.begin()

    def after_create_session(self, session, coord):
        from tfcompat.summary import FileWriterCache
        FileWriterCache.get(self._checkpoint_dir).add_graph(session.graph)
        step = int(session.run(self._global_step))
        self._save(session, step)
        self._timer.update_last_triggered_step(step)

    def before_run(self, run_context):
        return SessionRunArgs(self._global_step)

    def after_run(self, run_context, run_values):
        step = int(run_context.session.run(self._global_step))
        if self._timer.should_trigger_for_step(step):
            self._timer.update_last_triggered_step(step)
            if self._save(run_context.session, step):
                run_context.request_stop()

    def end(self, session):
        step = int(session.run(self._global_step))
        if step != self._timer.last_triggered_step():
            self._save(session, step)
        for listener in self._listeners:
            listener.end(session, step)

    def _get_saver(self):
        if self._saver is not None:
            return self._saver
        if self._scaffold is not None:
            return self._scaffold.saver
        savers = ops.get_collection(ops.GraphKeys.SAVERS)
        if len(savers) != 1:
            raise RuntimeError("More than one item in collection savers. Please indicate "
                               "which one to use by passing it to the constructor."
                               if savers else "No items in collection savers.")
        return savers[0]

    def _save(self, session, step):
        """Saves; True when a listener asks training to stop."""
        logging.info("Saving checkpoints for %d into %s.", step, self._save_path)
        for listener in self._listeners:
            listener.before_save(session, step)
        self._get_saver().save(session, self._save_path, global_step=step)
        return any(listener.after_save(session, step) for listener in self._listeners)


class SummarySaverHook(SessionRunHook):
    """Runs the summary op (or the scaffold's, or tf.summary.merge_all()) every N steps or
    seconds and writes it with the FileWriter of ``output_dir``."""

    def __init__(self, save_steps=None, save_secs=None, output_dir=None, summary_writer=None,
                 scaffold=None, summary_op=None):
        if (scaffold is None) == (summary_op is None):
            raise ValueError("Exactly one of scaffold or summary_op should be provided.")
        self._summary_op = summary_op
        self._scaffold = scaffold
        self._output_dir = output_dir
        self._summary_writer = summary_writer
        self._timer = SecondOrStepTimer(every_secs=save_secs, every_steps=save_steps)

    def begin(self):
        from tfcompat.summary import FileWriterCache
        if self._summary_writer is None and self._output_dir:
            self._summary_writer = FileWriterCache.get(self._output_dir)
        self._global_step = _global_step_tensor("SummarySaverHook")
        self._next_step = None

    def _summary(self):
        if self._summary_op is not None:
            return self._summary_op
        if self._scaffold is not None:
            return self._scaffold.summary_op
        return None

    def before_run(self, run_context):
        self._request_summary = (self._next_step is None
                                 or self._timer.should_trigger_for_step(self._next_step))
        fetches = {"global_step": self._global_step}
        summary = self._summary()
        if self._request_summary and summary is not None:
            fetches["summary"] = summary
        return SessionRunArgs(fetches)

    def after_run(self, run_context, run_values):
        if self._summary_writer is None:
            return
        step = int(run_values.results["global_step"])
        if self._next_step is None or self._request_summary:
            self._timer.update_last_triggered_step(step)
            if "summary" in run_values.results:
                self._summary_writer.add_summary(run_values.results["summary"], step)
        self._next_step = step + 1

    def end(self, session=None):
        if self._summary_writer is not None:
            self._summary_writer.flush()


class FeedFnHook(SessionRunHook):
    """Feeds ``feed_fn()`` (a dict of tensor -> value, called anew before every run)."""

    def __init__(self, feed_fn):
        self.feed_fn = feed_fn

    def before_run(self, run_context):
        return SessionRunArgs(fetches=None, feed_dict=self.feed_fn())


class FinalOpsHook(SessionRunHook):
    """Runs ``final_ops`` (any fetch structure) once when the session ends; their values are
    ``final_ops_values`` afterwards."""

    def __init__(self, final_ops, final_ops_feed_dict=None):
        self._final_ops = final_ops
        self._final_ops_feed_dict = final_ops_feed_dict
        self._final_ops_values = None

    @property
    def final_ops_values(self):
        return self._final_ops_values

    def end(self, session):
        if self._final_ops is None:
            return
        try:
            self._final_ops_values = session.run(self._final_ops,
                                                 feed_dict=self._final_ops_feed_dict)
        except (errors.OutOfRangeError, StopIteration):
            logging.warning("An OutOfRangeError or StopIteration exception is raised by the "
                            "code in FinalOpsHook. This typically means the Ops running by the "
                            "FinalOpsHook have a dependency back to some input source, which "
                            "should not happen. For example, for metrics in "
                            "tf.estimator.Estimator, all metrics functions return two Ops: "
                            "`value_op` and  `update_op`. Estimator.evaluate calls the "
                            "`update_op` for each batch, but only calls the `value_op` in "
                            "FinalOpsHook.")
            raise


class GlobalStepWaiterHook(SessionRunHook):
    """Holds the first run back until the global step reaches ``wait_until_step`` (a worker
    that should start once the chief has trained a while), polling it every half second."""

    POLL_SECS = 0.5

    def __init__(self, wait_until_step):
        self._wait_until_step = wait_until_step

    def begin(self):
        self._worker_is_started = False
        self._global_step_tensor = _global_step_tensor("_GlobalStepWaiterHook")

    def before_run(self, run_context):
        if self._worker_is_started:
            return None
        if self._wait_until_step <= 0:
            self._worker_is_started = True
            return None
        logging.info("Waiting for global step %d before starting training.",
                     self._wait_until_step)
        last_logged_step = 0
        while True:
            current_step = run_context.session.run(self._global_step_tensor)
            if current_step >= self._wait_until_step:
                self._worker_is_started = True
                return None
            if current_step - last_logged_step > 1000:
                logging.info("Waiting for global step %d before starting training. Current "
                             "step is %d.", self._wait_until_step, current_step)
                last_logged_step = current_step
            time.sleep(self.POLL_SECS)


class ProfilerHook(SessionRunHook):
    """Every ``save_steps`` steps or ``save_secs`` seconds, traces that step
    (``RunOptions.FULL_TRACE``) and writes its step statistics as a Chrome trace
    (``chrome://tracing``) to ``output_dir/timeline-<global step>.json`` and as run metadata
    tagged ``step_<global step>`` to the output directory's event file (TensorBoard's
    "Session runs"), as TF does. A traced step runs on tfcompat's reference interpreter,
    one event per op."""

    def __init__(self, save_steps=None, save_secs=None, output_dir="", show_dataflow=True,
                 show_memory=False):
        from tfcompat.summary.writer import FileWriterCache
        self._output_file = os.path.join(output_dir, "timeline-{}.json")
        self._file_writer = FileWriterCache.get(output_dir)
        self._show_dataflow, self._show_memory = show_dataflow, show_memory
        self._timer = SecondOrStepTimer(every_secs=save_secs, every_steps=save_steps)

    def begin(self):
        self._next_step = None
        self._global_step_tensor = _global_step_tensor("ProfilerHook")

    def before_run(self, run_context):
        self._request_summary = (self._next_step is not None
                                 and self._timer.should_trigger_for_step(self._next_step))
        options = RunOptions(trace_level=RunOptions.FULL_TRACE) \
            if self._request_summary else None
        return SessionRunArgs({"global_step": self._global_step_tensor}, options=options)

    def after_run(self, run_context, run_values):
        stale_global_step = run_values.results["global_step"]
        if self._next_step is None:
            # The timer starts counting from the first run.
            self._timer.update_last_triggered_step(stale_global_step)
        global_step = stale_global_step + 1
        if self._request_summary:
            global_step = run_context.session.run(self._global_step_tensor)
            self._timer.update_last_triggered_step(global_step)
            self._save(global_step, self._output_file.format(global_step),
                       run_values.run_metadata.step_stats)
            self._file_writer.add_run_metadata(run_values.run_metadata,
                                               f"step_{global_step}")
        self._next_step = global_step + 1

    def _save(self, step, save_path, step_stats):
        from tfcompat.client import timeline
        logging.info("Saving timeline for %d into '%s'.", step, save_path)
        with open(save_path, "w") as f:
            f.write(timeline.Timeline(step_stats).generate_chrome_trace_format(
                show_dataflow=self._show_dataflow, show_memory=self._show_memory))
