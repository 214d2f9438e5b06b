"""``slim.evaluation`` (TF 1.15 contrib/slim/python/slim/evaluation.py): ``evaluate_once``
and ``evaluation_loop``.

``evaluate_once(master, checkpoint_path, logdir, num_evals=1, ...)`` restores the
checkpoint (``variables_to_restore``, default every saveable variable) in a
``MonitoredSession`` whose local init op resets the streaming metrics, runs ``eval_op``
``num_evals`` times (each run also adds one to the local "eval_step" variable), then runs
``final_op`` and returns its value; ``summary_op`` (default ``tf.summary.merge_all()``) is
run at the end and written to ``logdir`` at the checkpoint's global step.
``evaluation_loop`` does this for each new checkpoint of ``checkpoint_dir``, waiting
``eval_interval_secs`` between looks, until ``max_number_of_evaluations`` or ``timeout``.
"""
import time

from tfcompat import logging
from tfcompat.framework import dtypes, ops
from tfcompat.ops import state_ops
from tfcompat.ops import variable_scope as vs
from tfcompat.ops import init_ops
from tfcompat.train import monitored_session, training_util
from tfcompat.train.basic_session_run_hooks import FinalOpsHook
from tfcompat.train.saver import Saver, latest_checkpoint
from tfcompat.train.session_run_hook import SessionRunHook

__all__ = ["evaluate_once", "evaluation_loop", "wait_for_new_checkpoint",
           "checkpoints_iterator", "get_or_create_eval_step"]

_USE_DEFAULT = 0


def get_or_create_eval_step():
    """The int64 local variable "eval_step" (collection GraphKeys.EVAL_STEP) counting the
    evaluation runs."""
    existing = ops.get_collection(ops.GraphKeys.EVAL_STEP)
    if len(existing) == 1:
        return existing[0]
    if len(existing) > 1:
        raise ValueError("Multiple tensors added to tf.GraphKeys.EVAL_STEP")
    return vs.get_variable(
        ops.GraphKeys.EVAL_STEP, shape=[], dtype=dtypes.int64,
        initializer=init_ops.zeros_initializer(), trainable=False,
        collections=[ops.GraphKeys.LOCAL_VARIABLES, ops.GraphKeys.EVAL_STEP])


class _StopAfterNEvalsHook(SessionRunHook):
    """Requests a stop after ``num_evals`` runs."""

    def __init__(self, num_evals):
        self._num_evals = num_evals
        self._evals_done = 0

    def after_run(self, run_context, run_values):
        self._evals_done += 1
        if self._num_evals is not None and self._evals_done >= self._num_evals:
            run_context.request_stop()


class _SummaryAtEndHook(SessionRunHook):
    """Runs ``summary_op`` at the end and writes it to ``log_dir`` at the global step."""

    def __init__(self, log_dir, summary_op, feed_dict=None):
        self._log_dir = log_dir
        self._summary_op = summary_op
        self._feed_dict = feed_dict

    def end(self, session):
        from tfcompat.summary import FileWriterCache
        global_step = training_util.get_global_step()
        step = session.run(global_step) if global_step is not None else None
        summary = session.run(self._summary_op, self._feed_dict)
        writer = FileWriterCache.get(self._log_dir)
        writer.add_summary(summary, step)
        writer.flush()


def _with_eval_step_update(eval_op, update_eval_step):
    """``eval_op`` (an op, a list or a dict of them) with the eval step's update added."""
    if eval_op is None:
        return update_eval_step
    if isinstance(eval_op, dict):
        return dict(eval_op, update_eval_step=update_eval_step)
    if isinstance(eval_op, (list, tuple)):
        return list(eval_op) + [update_eval_step]
    return [eval_op, update_eval_step]


class _Evaluation:
    """The graph side of an evaluation, built once (the eval step's update, the scaffold with
    its saver) and run on any number of checkpoints, each in a new MonitoredSession."""

    def __init__(self, master, logdir, num_evals, initial_op, initial_op_feed_dict, init_fn,
                 eval_op, final_op, summary_op, variables_to_restore, session_config):
        if summary_op == _USE_DEFAULT:
            from tfcompat import summary
            summary_op = summary.merge_all()
        self._master, self._logdir, self._num_evals = master, logdir, num_evals
        self._summary_op, self._final_op = summary_op, final_op
        self._config = session_config
        eval_step = get_or_create_eval_step()
        self._fetches = _with_eval_step_update(eval_op, state_ops.assign_add(eval_step, 1))
        saver = Saver(variables_to_restore) if variables_to_restore is not None else None
        # init_fn only runs when nothing is restored (never here), as in TF.
        self._scaffold = monitored_session.Scaffold(
            init_op=initial_op, init_feed_dict=initial_op_feed_dict, init_fn=init_fn,
            saver=saver)

    def run(self, checkpoint_path, eval_op_feed_dict, final_op_feed_dict,
            summary_op_feed_dict, hooks):
        """Restores ``checkpoint_path``, runs the eval op num_evals times (or until the
        input ends) and returns the final op's value."""
        all_hooks = [_StopAfterNEvalsHook(self._num_evals)]
        if self._summary_op is not None:
            all_hooks.append(_SummaryAtEndHook(self._logdir, self._summary_op,
                                               summary_op_feed_dict))
        final_hook = FinalOpsHook(self._final_op, final_op_feed_dict)
        all_hooks.append(final_hook)
        all_hooks.extend(hooks or [])
        creator = monitored_session.ChiefSessionCreator(
            scaffold=self._scaffold, master=self._master, config=self._config,
            checkpoint_filename_with_path=checkpoint_path)
        logging.info("Starting evaluation at %s",
                     time.strftime("%Y-%m-%d-%H:%M:%S", time.gmtime()))
        with monitored_session.MonitoredSession(session_creator=creator,
                                                hooks=all_hooks) as sess:
            while not sess.should_stop():
                sess.run(self._fetches, eval_op_feed_dict)
        logging.info("Finished evaluation at %s",
                     time.strftime("%Y-%m-%d-%H:%M:%S", time.gmtime()))
        return final_hook.final_ops_values


def evaluate_once(master, checkpoint_path, logdir, num_evals=1, initial_op=None,
                  initial_op_feed_dict=None, eval_op=None, eval_op_feed_dict=None,
                  final_op=None, final_op_feed_dict=None, summary_op=_USE_DEFAULT,
                  summary_op_feed_dict=None, variables_to_restore=None, session_config=None,
                  hooks=None):
    """Evaluates the model at ``checkpoint_path`` once; returns ``final_op``'s value."""
    evaluation = _Evaluation(master, logdir, num_evals, initial_op, initial_op_feed_dict,
                             None, eval_op, final_op, summary_op, variables_to_restore,
                             session_config)
    return evaluation.run(checkpoint_path, eval_op_feed_dict, final_op_feed_dict,
                          summary_op_feed_dict, hooks)


def wait_for_new_checkpoint(checkpoint_dir, last_checkpoint=None, seconds_to_sleep=1,
                            timeout=None):
    """The newest checkpoint of ``checkpoint_dir`` other than ``last_checkpoint``, polling
    every ``seconds_to_sleep``; None after ``timeout`` seconds."""
    stop_time = time.time() + timeout if timeout is not None else None
    while True:
        path = latest_checkpoint(checkpoint_dir)
        if path is not None and path != last_checkpoint:
            return path
        if stop_time is not None and time.time() + seconds_to_sleep > stop_time:
            return None
        time.sleep(seconds_to_sleep)


def checkpoints_iterator(checkpoint_dir, min_interval_secs=0, timeout=None,
                         timeout_fn=None):
    """Yields each new checkpoint of ``checkpoint_dir``, at most one per
    ``min_interval_secs``; stops after a ``timeout`` unless ``timeout_fn()`` says to wait
    on."""
    checkpoint_path = None
    while True:
        new_path = wait_for_new_checkpoint(checkpoint_dir, checkpoint_path, timeout=timeout)
        if new_path is None:
            if not timeout_fn or timeout_fn():
                return
            continue
        start = time.time()
        checkpoint_path = new_path
        yield checkpoint_path
        time_to_next = start + min_interval_secs - time.time()
        if time_to_next > 0:
            time.sleep(time_to_next)


def evaluation_loop(master, checkpoint_dir, logdir, num_evals=1, initial_op=None,
                    initial_op_feed_dict=None, init_fn=None, eval_op=None,
                    eval_op_feed_dict=None, final_op=None, final_op_feed_dict=None,
                    summary_op=_USE_DEFAULT, summary_op_feed_dict=None,
                    variables_to_restore=None, eval_interval_secs=60,
                    max_number_of_evaluations=None, session_config=None, timeout=None,
                    timeout_fn=None, hooks=None):
    """``evaluate_once`` on each new checkpoint of ``checkpoint_dir``; returns the last
    ``final_op`` value."""
    evaluation = _Evaluation(master, logdir, num_evals, initial_op, initial_op_feed_dict,
                             init_fn, eval_op, final_op, summary_op, variables_to_restore,
                             session_config)
    final_value = None
    evaluations = 0
    for path in checkpoints_iterator(checkpoint_dir, eval_interval_secs, timeout,
                                     timeout_fn):
        final_value = evaluation.run(path, eval_op_feed_dict, final_op_feed_dict,
                                     summary_op_feed_dict, hooks)
        evaluations += 1
        if max_number_of_evaluations is not None and \
                evaluations >= max_number_of_evaluations:
            break
    return final_value
