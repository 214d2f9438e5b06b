"""``tf.estimator.experimental.InMemoryEvaluatorHook`` (TF 1.15 ``estimator/hooks.py``):
evaluation during ``Estimator.train`` without checkpoints.

The hook builds the estimator's EVAL graph in a graph of its own when training begins; at
the start of the training session, every ``every_n_iter`` training steps and at the end,
it copies the training session's values of the variables both graphs have (by name) into an
evaluation session, runs the evaluation over ``input_fn`` (or ``steps`` batches) and writes
the metrics to ``estimator.eval_dir(name)``, as ``Estimator.evaluate`` does.
"""
from tfcompat.framework import ops
from tfcompat.ops import array_ops, control_flow_ops, state_ops
from tfcompat.train.basic_session_run_hooks import SecondOrStepTimer, StopAtStepHook
from tfcompat.train.monitored_session import Scaffold
from tfcompat.train.session_run_hook import SessionRunHook


class InMemoryEvaluatorHook(SessionRunHook):
    """``InMemoryEvaluatorHook(estimator, input_fn, steps=None, hooks=None, name=None,
    every_n_iter=100)``."""

    def __init__(self, estimator, input_fn, steps=None, hooks=None, name=None,
                 every_n_iter=100):
        if every_n_iter is None or every_n_iter <= 0:
            raise ValueError(f"invalid every_n_iter={every_n_iter}.")
        self._estimator = estimator
        self._input_fn = input_fn
        self._steps = steps
        self._hooks = list(hooks or [])
        self._eval_dir = estimator.eval_dir(name)
        self._timer = SecondOrStepTimer(every_steps=every_n_iter)
        self._iter_count = 0
        self._graph = None

    def begin(self):
        """Builds the evaluation graph and a placeholder per global variable."""
        self._timer.reset()
        self._iter_count = 0
        self._graph = ops.Graph()
        with self._graph.as_default():
            self._scaffold, self._update_op, self._final_ops, self._all_hooks = (
                self._estimator._evaluate_build_graph(self._input_fn, self._hooks))
            if self._scaffold.saver is not None:
                raise ValueError("InMemoryEvaluator does not support custom saver")
            if self._scaffold.init_fn is not None:
                raise ValueError("InMemoryEvaluator does not support custom init_fn")
            self._eval_vars = {v.op.name: v for v in ops.get_collection(
                ops.GraphKeys.GLOBAL_VARIABLES)}
            self._placeholders = {name: array_ops.placeholder(v.dtype.base_dtype)
                                  for name, v in self._eval_vars.items()}

    def after_create_session(self, session, coord):
        """Pairs the variables of both graphs and evaluates once before training."""
        train_vars = {v.op.name: v for v in ops.get_collection(ops.GraphKeys.GLOBAL_VARIABLES)}
        shared = sorted(set(train_vars) & set(self._eval_vars))
        self._train_vars = {name: train_vars[name] for name in shared}
        with self._graph.as_default():
            self._feed_op = control_flow_ops.group(*[
                state_ops.assign(self._eval_vars[name], self._placeholders[name])
                for name in shared])
        self._evaluate(session)

    def _evaluate(self, train_session):
        values = train_session.run(self._train_vars)
        feed = {self._placeholders[name]: value for name, value in values.items()}

        def feed_variables(scaffold, session):
            session.run(self._feed_op, feed_dict=feed)
        scaffold = Scaffold(init_fn=feed_variables, copy_from_scaffold=self._scaffold)
        with self._graph.as_default():
            self._estimator._evaluate_run(None, scaffold, self._update_op, self._final_ops,
                                          self._all_hooks, self._steps, self._eval_dir)
        self._timer.update_last_triggered_step(self._iter_count)

    def after_run(self, run_context, run_values):
        self._iter_count += 1
        if self._timer.should_trigger_for_step(self._iter_count):
            self._evaluate(run_context.session)

    def end(self, session):
        self._evaluate(session)


def make_stop_at_checkpoint_step_hook(estimator, last_step, wait_after_file_check_secs=30):
    """A hook stopping at global step ``last_step``: for a chief (every tfcompat estimator
    runs as one) TF's StopAtStepHook(last_step=last_step); the non-chief variant, waiting for
    the chief's checkpoint of that step, has no use without distributed estimators."""
    return StopAtStepHook(last_step=last_step)
