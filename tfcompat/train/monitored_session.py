"""``tf.train.MonitoredSession`` and friends (TF 1.x ``monitored_session``).

A MonitoredSession creates its Session through a session creator (restoring the latest
checkpoint of ``checkpoint_dir`` when there is one, otherwise running the scaffold's init op;
the local init op always), finalizes the graph, and runs every ``run`` through its hooks.
Used as a context manager it swallows ``tf.errors.OutOfRangeError`` and StopIteration (an
input function running out of data ends training cleanly) and calls the hooks' ``end`` when
it closes without error. On a cluster (``master`` a ``grpc://`` target) the chief
initialises or restores the model and a non-chief (``is_chief=False``: WorkerSessionCreator)
waits until the chief has, as TF's SessionManager does.

A MonitoredSession recovers from preemption as TF's ``_RecoverableSession`` does: when a run
or the creation of its Session fails with AbortedError or UnavailableError (a ps or worker
of the cluster went away or restarted), it closes the Session, creates a new one through
its creator (the chief restores the latest checkpoint, so a restarted ps gets the model
back; other workers wait until it has), calls the hooks' ``after_create_session`` again and
runs the step again. A SingularMonitoredSession does not recover.
"""
import time

from tfcompat import logging

from tfcompat.client.session import Session
from tfcompat.framework import errors, ops
from tfcompat.framework.config import RunOptions
from tfcompat.framework.step_stats import RunMetadata
from tfcompat.ops import variables
from tfcompat.ops import control_flow_ops
from tfcompat.train import basic_session_run_hooks as hooks_lib
from tfcompat.train import saver as saver_lib
from tfcompat.train.session_run_hook import (SessionRunArgs, SessionRunContext,
                                             SessionRunValues)

USE_DEFAULT = object()


class Scaffold:
    """The init, local init and summary ops and the saver of a monitored session; missing
    ones get TF's defaults (from the graph's collections, or new) in ``finalize``."""

    def __init__(self, init_op=None, init_feed_dict=None, init_fn=None, ready_op=None,
                 ready_for_local_init_op=None, local_init_op=None, summary_op=None,
                 saver=None, copy_from_scaffold=None):
        if copy_from_scaffold is not None:
            init_op = init_op or copy_from_scaffold.init_op
            init_feed_dict = init_feed_dict or copy_from_scaffold.init_feed_dict
            init_fn = init_fn or copy_from_scaffold.init_fn
            local_init_op = local_init_op or copy_from_scaffold.local_init_op
            summary_op = summary_op or copy_from_scaffold.summary_op
            saver = saver or copy_from_scaffold.saver
        self._init_op = init_op
        self._init_feed_dict = init_feed_dict
        self._init_fn = init_fn
        self._ready_op = ready_op
        self._ready_for_local_init_op = ready_for_local_init_op
        self._local_init_op = local_init_op
        self._summary_op = summary_op
        self._saver = saver

    @staticmethod
    def get_or_default(arg_name, collection_key, default_constructor):
        """The single item of a collection, or ``default_constructor()`` added to it."""
        elements = ops.get_collection(collection_key)
        if elements:
            if len(elements) > 1:
                raise RuntimeError(f"More than one item in the collection \"{collection_key}\". "
                                   f"Please indicate which one to use by passing it to the "
                                   f"tf.Scaffold constructor as:  "
                                   f"tf.Scaffold({arg_name}=item to use)")
            return elements[0]
        op = default_constructor()
        if op is not None:
            ops.add_to_collection(collection_key, op)
        return op

    def finalize(self):
        """Fills in the defaults and finalizes the default graph."""
        keys = ops.GraphKeys
        if self._init_op is None:
            self._init_op = Scaffold.get_or_default(
                "init_op", keys.INIT_OP,
                lambda: control_flow_ops.group(variables.global_variables_initializer()))
        if self._local_init_op is None:
            self._local_init_op = Scaffold.get_or_default(
                "local_init_op", keys.LOCAL_INIT_OP,
                lambda: control_flow_ops.group(variables.local_variables_initializer()))
        if self._summary_op is None:
            from tfcompat import summary
            self._summary_op = Scaffold.get_or_default("summary_op", keys.SUMMARY_OP,
                                                       summary.merge_all)
        if self._saver is None:
            self._saver = Scaffold.get_or_default(
                "saver", keys.SAVERS,
                lambda: saver_lib.Saver(sharded=True, allow_empty=True))
        ops.get_default_graph().finalize()
        return self

    init_op = property(lambda self: self._init_op)
    init_feed_dict = property(lambda self: self._init_feed_dict)
    init_fn = property(lambda self: self._init_fn)
    ready_op = property(lambda self: self._ready_op)
    ready_for_local_init_op = property(lambda self: self._ready_for_local_init_op)
    local_init_op = property(lambda self: self._local_init_op)
    summary_op = property(lambda self: self._summary_op)
    saver = property(lambda self: self._saver)


class SessionCreator:
    """The factory of Sessions a MonitoredSession uses (``tf.train.SessionCreator``):
    subclasses implement ``create_session()``."""

    def create_session(self):
        raise NotImplementedError("create_session is not implemented for {}.".format(self))


class ChiefSessionCreator(SessionCreator):
    """Creates a Session that restores ``checkpoint_filename_with_path`` or the latest
    checkpoint of ``checkpoint_dir``, or else runs the scaffold's init op and init_fn; then
    runs its local init op."""

    def __init__(self, scaffold=None, master="", config=None, checkpoint_dir=None,
                 checkpoint_filename_with_path=None):
        self._scaffold = scaffold or Scaffold()
        self._master = master
        self._config = config
        self._checkpoint_dir = checkpoint_dir
        self._checkpoint_path = checkpoint_filename_with_path

    def create_session(self):
        scaffold = self._scaffold.finalize()
        session = Session(self._master, graph=ops.get_default_graph(), config=self._config)
        path = self._checkpoint_path
        if path is None and self._checkpoint_dir:
            path = saver_lib.latest_checkpoint(self._checkpoint_dir)
        if path is not None:
            scaffold.saver.restore(session, path)
        else:
            if scaffold.init_op is not None:
                session.run(scaffold.init_op, feed_dict=scaffold.init_feed_dict)
            if scaffold.init_fn is not None:
                scaffold.init_fn(scaffold, session)
        if scaffold.local_init_op is not None:
            session.run(scaffold.local_init_op)
        return session


class WorkerSessionCreator(SessionCreator):
    """Creates a Session for a non-chief worker: it waits (up to ``max_wait_secs``) until the
    chief has initialised the global variables, runs the local init op, and waits until the
    model is ready (``tf.train.WorkerSessionCreator``; TF's SessionManager checks every 30
    seconds, this one every half second)."""

    POLL_SECS = 0.5

    def __init__(self, scaffold=None, master="", config=None, max_wait_secs=30 * 60):
        self._scaffold = scaffold or Scaffold()
        self._master = master
        self._config = config
        self._max_wait_secs = max_wait_secs

    def create_session(self):
        scaffold = self._scaffold
        ready_op = scaffold.ready_op
        if ready_op is None:
            ready_op = variables.report_uninitialized_variables()
        ready_for_local_init = scaffold.ready_for_local_init_op
        if ready_for_local_init is None:
            ready_for_local_init = variables.report_uninitialized_variables(
                variables.global_variables())
        scaffold.finalize()
        session = Session(self._master, graph=ops.get_default_graph(), config=self._config)
        deadline = time.monotonic() + self._max_wait_secs
        local_done = False
        while True:
            if not local_done and not len(session.run(ready_for_local_init)):
                if scaffold.local_init_op is not None:
                    session.run(scaffold.local_init_op)
                local_done = True
            if local_done and not len(session.run(ready_op)):
                return session
            if time.monotonic() > deadline:
                session.close()
                raise errors.DeadlineExceededError(
                    None, None, f"Session was not ready after waiting {self._max_wait_secs} "
                    f"secs.")
            time.sleep(self.POLL_SECS)


#: The errors after which a MonitoredSession makes a new Session (TF's _PREEMPTION_ERRORS).
_PREEMPTION_ERRORS = (errors.AbortedError, errors.UnavailableError)


class _MonitoredSession:
    """Runs through hooks; see the module docstring."""

    def __init__(self, session_creator, hooks, recoverable):
        self._hooks = list(hooks or [])
        for hook in self._hooks:
            hook.begin()
        self._creator = session_creator
        self._recoverable = recoverable
        self._should_stop = False
        self._closed = False
        self._session = None
        self._create_session()

    def _create_session(self):
        """A new Session from the creator (again after preemption errors when
        recoverable), announced to the hooks."""
        while True:
            try:
                self._session = self._creator.create_session()
                break
            except _PREEMPTION_ERRORS as exc:
                if not self._recoverable:
                    raise
                logging.info("An error was raised while a session was being created. This "
                             "may be due to a preemption of a connected worker or parameter "
                             "server. A new session will be created. Error: %s", exc)
        for hook in self._hooks:
            hook.after_create_session(self._session, None)

    @property
    def graph(self):
        return self._session.graph

    def should_stop(self):
        return self._should_stop or self._closed

    def _hook_fetches(self, run_context, feed_dict, options):
        """(each hook's fetches, the feeds with the hooks' own, the run options with the
        hooks' merged in as TF does: the highest trace level and timeout)."""
        fetches, feeds = {}, dict(feed_dict or {})
        merged = RunOptions()
        if options is not None:
            merged.CopyFrom(options)
        for hook in self._hooks:
            request = hook.before_run(run_context)
            if request is None:
                continue
            if request.fetches is not None:
                fetches[hook] = request.fetches
            for tensor, value in (request.feed_dict or {}).items():
                if tensor in feeds:
                    raise RuntimeError("Same tensor is fed by a SessionRunHook and user.")
                feeds[tensor] = value
            if request.options is not None:
                for field in ("trace_level", "timeout_in_ms", "inter_op_thread_pool",
                              "output_partition_graphs", "report_tensor_allocations_upon_oom"):
                    setattr(merged, field, max(getattr(merged, field),
                                               getattr(request.options, field)))
        return fetches, feeds, merged

    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """``Session.run`` with every hook's before_run/after_run around it."""
        if self._closed:
            raise RuntimeError("Run called on a closed MonitoredSession.")
        while True:
            run_context = SessionRunContext(SessionRunArgs(fetches, feed_dict), self._session)
            hook_fetches, feeds, options = self._hook_fetches(run_context, feed_dict, options)
            hook_keys = list(hook_fetches)
            run_metadata = run_metadata if run_metadata is not None else RunMetadata()
            try:
                results = self._session.run([fetches, [hook_fetches[h] for h in hook_keys]],
                                            feed_dict=feeds or None, options=options,
                                            run_metadata=run_metadata)
                break
            except _PREEMPTION_ERRORS as exc:
                if not self._recoverable:
                    raise
                logging.info("An error was raised. This may be due to a preemption in a "
                             "connected worker or parameter server. The current session "
                             "will be closed and a new session will be created. Error: %s",
                             exc)
                self._session.close()
                self._create_session()
        hook_results = dict(zip(hook_keys, results[1], strict=True))
        for hook in self._hooks:
            hook.after_run(run_context,
                           SessionRunValues(hook_results.get(hook), options, run_metadata))
        self._should_stop = self._should_stop or run_context.stop_requested
        return results[0]

    def close(self):
        self._close(None)

    def _close(self, exception_type):
        if self._closed:
            return
        try:
            if exception_type is None:
                for hook in self._hooks:
                    hook.end(self._session)
        finally:
            self._closed = True
            self._session.close()

    def __enter__(self):
        return self

    def __exit__(self, exception_type, exception_value, traceback):
        if exception_type is not None and issubclass(exception_type,
                                                     (errors.OutOfRangeError, StopIteration)):
            exception_type = None
        self._close(exception_type)
        return exception_type is None


class MonitoredSession(_MonitoredSession):
    """``tf.train.MonitoredSession(session_creator=None, hooks=None, ...)``."""

    def __init__(self, session_creator=None, hooks=None, stop_grace_period_secs=120):
        super().__init__(session_creator or ChiefSessionCreator(), hooks, recoverable=True)


class SingularMonitoredSession(_MonitoredSession):
    """``tf.train.SingularMonitoredSession``: a MonitoredSession whose raw Session is
    reachable with ``raw_session()``."""

    def __init__(self, hooks=None, scaffold=None, master="", config=None,
                 checkpoint_dir=None, stop_grace_period_secs=120,
                 checkpoint_filename_with_path=None):
        super().__init__(ChiefSessionCreator(scaffold, master, config, checkpoint_dir,
                                             checkpoint_filename_with_path), hooks,
                         recoverable=False)

    def raw_session(self):
        return self._session


def _default(value, default):
    return default if value is USE_DEFAULT else value


def MonitoredTrainingSession(master="", is_chief=True, checkpoint_dir=None,  # noqa: N802
                             scaffold=None, hooks=None, chief_only_hooks=None,
                             save_checkpoint_secs=USE_DEFAULT,
                             save_summaries_steps=USE_DEFAULT,
                             save_summaries_secs=USE_DEFAULT, config=None,
                             stop_grace_period_secs=120, log_step_count_steps=100,
                             max_wait_secs=7200, save_checkpoint_steps=USE_DEFAULT,
                             summary_dir=None):
    """``tf.train.MonitoredTrainingSession``: a MonitoredSession for training that, given a
    ``checkpoint_dir``, also counts steps, saves summaries (every 100 steps by default) and
    checkpoints (every 600 seconds by default), as TF's does on the chief."""
    if (save_checkpoint_steps is USE_DEFAULT) and (save_checkpoint_secs is USE_DEFAULT):
        save_checkpoint_steps, save_checkpoint_secs = None, 600
    elif save_checkpoint_secs is USE_DEFAULT:
        save_checkpoint_secs = None
    elif save_checkpoint_steps is USE_DEFAULT:
        save_checkpoint_steps = None
    if save_summaries_steps is USE_DEFAULT and save_summaries_secs is USE_DEFAULT:
        save_summaries_steps, save_summaries_secs = 100, None
    else:
        save_summaries_steps = _default(save_summaries_steps, None)
        save_summaries_secs = _default(save_summaries_secs, None)
    scaffold = scaffold or Scaffold()
    if not is_chief:  # no chief-only, summary or checkpoint hooks on the other workers
        return MonitoredSession(session_creator=WorkerSessionCreator(
            scaffold, master, config, max_wait_secs), hooks=hooks)
    all_hooks = list(chief_only_hooks or [])
    summary_dir = summary_dir or checkpoint_dir
    if summary_dir:
        if log_step_count_steps and log_step_count_steps > 0:
            all_hooks.append(hooks_lib.StepCounterHook(output_dir=summary_dir,
                                                       every_n_steps=log_step_count_steps))
        if (save_summaries_steps and save_summaries_steps > 0) or (
                save_summaries_secs and save_summaries_secs > 0):
            all_hooks.append(hooks_lib.SummarySaverHook(
                scaffold=scaffold, save_steps=save_summaries_steps,
                save_secs=save_summaries_secs, output_dir=summary_dir))
    if checkpoint_dir and ((save_checkpoint_secs and save_checkpoint_secs > 0) or (
            save_checkpoint_steps and save_checkpoint_steps > 0)):
        all_hooks.append(hooks_lib.CheckpointSaverHook(
            checkpoint_dir, save_steps=save_checkpoint_steps, save_secs=save_checkpoint_secs,
            scaffold=scaffold))
    creator = ChiefSessionCreator(scaffold, master, config, checkpoint_dir)
    return MonitoredSession(session_creator=creator, hooks=all_hooks + list(hooks or []))
