"""``tf.train.Supervisor`` (TF 1.x ``training/supervisor.py``): a training-program helper
that owns a Coordinator, a SessionManager, a Saver and a summary writer.

``managed_session()`` (or ``prepare_or_wait_for_session``) gives a Session whose model the
chief has restored from the newest checkpoint of ``logdir`` or initialised with ``init_op``
(a non-chief waits until ``ready_op`` reports nothing uninitialized), and, on the chief
with a ``logdir``, starts the standard services: threads that write summaries and the
global step's rate every ``save_summaries_secs`` and save ``logdir/model.ckpt-<step>``
every ``save_model_secs``. ``should_stop()`` turns True on ``stop()``/``request_stop()`` or
an exception in a managed thread; leaving ``managed_session`` stops and joins the threads
(re-raising their error; OutOfRangeError is a clean stop) and closes the writer. Every
default (ready op, init ops, saver, summary op, global step) comes from the graph's
collections or is made and added to them, then the graph is finalized. Session logs
(START/STOP/CHECKPOINT events) are not written: tfcompat's FileWriter does not record them.
"""
import contextlib
import os
import time

from tfcompat import logging
from tfcompat.framework import dtypes, ops
from tfcompat.framework.graph_io import write_graph
from tfcompat.ops import control_flow_ops, variables
from tfcompat.train import coordinator, training_util
from tfcompat.train import saver as saver_lib
from tfcompat.train.session_manager import SessionManager


class Supervisor:
    """``Supervisor(graph=None, ready_op=USE_DEFAULT, ready_for_local_init_op=USE_DEFAULT,
    is_chief=True, init_op=USE_DEFAULT, init_feed_dict=None, local_init_op=USE_DEFAULT,
    logdir=None, summary_op=USE_DEFAULT, saver=USE_DEFAULT, global_step=USE_DEFAULT,
    save_summaries_secs=120, save_model_secs=600, recovery_wait_secs=30, stop_grace_secs=120,
    checkpoint_basename="model.ckpt", session_manager=None, summary_writer=USE_DEFAULT,
    init_fn=None, local_init_run_options=None)``; None switches a default off."""

    USE_DEFAULT = 0

    def __init__(self, graph=None, ready_op=USE_DEFAULT, ready_for_local_init_op=USE_DEFAULT,
                 is_chief=True, init_op=USE_DEFAULT, init_feed_dict=None,
                 local_init_op=USE_DEFAULT, logdir=None, summary_op=USE_DEFAULT,
                 saver=USE_DEFAULT, global_step=USE_DEFAULT, save_summaries_secs=120,
                 save_model_secs=600, recovery_wait_secs=30, stop_grace_secs=120,
                 checkpoint_basename="model.ckpt", session_manager=None,
                 summary_writer=USE_DEFAULT, init_fn=None, local_init_run_options=None):
        if graph is None:
            graph = ops.get_default_graph()
        with graph.as_default():
            self._init_ready_op(ready_op, ready_for_local_init_op)
            self._init_init_op(init_op, init_feed_dict)
            self._init_local_init_op(local_init_op)
            self._init_saver(saver)
            self._init_summary_op(summary_op)
            self._init_global_step(global_step)
        self._graph = graph
        self._is_chief = is_chief
        self._coord = coordinator.Coordinator()
        self._recovery_wait_secs = recovery_wait_secs
        self._stop_grace_secs = stop_grace_secs
        self._init_fn = init_fn
        self._local_init_run_options = local_init_run_options
        # Only the chief writes checkpoints and events.
        self._logdir = self._save_summaries_secs = self._save_model_secs = None
        self._save_path = self._summary_writer = None
        if self._is_chief:
            self._logdir = logdir
            self._save_summaries_secs = save_summaries_secs
            self._save_model_secs = save_model_secs
            if self._logdir:
                self._save_path = os.path.join(self._logdir, checkpoint_basename)
            if summary_writer is not Supervisor.USE_DEFAULT:
                self._summary_writer = summary_writer
            elif self._logdir:
                from tfcompat.summary import FileWriter
                self._summary_writer = FileWriter(self._logdir)
        self._graph_added_to_summary = False
        self._session_manager = session_manager or SessionManager(
            local_init_op=self._local_init_op, ready_op=self._ready_op,
            ready_for_local_init_op=self._ready_for_local_init_op, graph=self._graph,
            recovery_wait_secs=self._recovery_wait_secs,
            local_init_run_options=self._local_init_run_options)
        self._verify_setup()
        graph.finalize()

    # ---- defaults --------------------------------------------------------------------------
    def _get_first_op_from_collection(self, key):
        collection = ops.get_collection(key)
        return collection[0] if collection else None

    def _default(self, value, key, make):
        """``value``, or for USE_DEFAULT the first of collection ``key`` or ``make()``
        (added to the collection)."""
        if value is not Supervisor.USE_DEFAULT:
            return value
        value = self._get_first_op_from_collection(key)
        if value is None:
            value = make()
            if value is not None:
                ops.add_to_collection(key, value)
        return value

    def _init_ready_op(self, ready_op, ready_for_local_init_op):
        keys = ops.GraphKeys
        self._ready_op = self._default(ready_op, keys.READY_OP,
                                       variables.report_uninitialized_variables)
        self._ready_for_local_init_op = self._default(  # none unless collected, as TF
            ready_for_local_init_op, keys.READY_FOR_LOCAL_INIT_OP, lambda: None)

    def _init_init_op(self, init_op, init_feed_dict):
        self._init_op = self._default(init_op, ops.GraphKeys.INIT_OP,
                                      variables.global_variables_initializer)
        self._init_feed_dict = init_feed_dict

    def _init_local_init_op(self, local_init_op):
        self._local_init_op = self._default(
            local_init_op, ops.GraphKeys.LOCAL_INIT_OP,
            lambda: control_flow_ops.group(variables.local_variables_initializer()))

    def _init_saver(self, saver):
        self._saver = self._default(
            saver, ops.GraphKeys.SAVERS,
            lambda: saver_lib.Saver() if variables.global_variables() else None)

    def _init_summary_op(self, summary_op):
        from tfcompat import summary
        self._summary_op = self._default(summary_op, ops.GraphKeys.SUMMARY_OP,
                                         summary.merge_all)

    def _init_global_step(self, global_step):
        if global_step is Supervisor.USE_DEFAULT:
            global_step = self._get_first_op_from_collection(ops.GraphKeys.GLOBAL_STEP)
            if global_step is None:
                global_step = self._default_global_step_tensor()
            if global_step is not None:
                ops.add_to_collection(ops.GraphKeys.GLOBAL_STEP, global_step)
        self._global_step = global_step

    @staticmethod
    def _default_global_step_tensor():
        try:
            step = ops.get_default_graph().get_tensor_by_name("global_step:0")
        except KeyError:
            return None
        if step.dtype.base_dtype in (dtypes.int32, dtypes.int64):
            return step
        logging.warning("Found 'global_step' is not an int type: %s", step.dtype)
        return None

    def _verify_setup(self):
        """A non-chief's variables must be placed (on the parameter servers)."""
        if self._is_chief:
            return
        for op in self._graph.get_operations():
            if op.type in ("Variable", "VariableV2") and not op.device:
                raise ValueError("When using replicas, all Variables must have their device "
                                 "set: %s" % op)

    # ---- properties ------------------------------------------------------------------------
    is_chief = property(lambda self: self._is_chief)
    session_manager = property(lambda self: self._session_manager)
    coord = property(lambda self: self._coord)
    init_op = property(lambda self: self._init_op)
    init_feed_dict = property(lambda self: self._init_feed_dict)
    ready_op = property(lambda self: self._ready_op)
    ready_for_local_init_op = property(lambda self: self._ready_for_local_init_op)
    summary_writer = property(lambda self: self._summary_writer)
    summary_op = property(lambda self: self._summary_op)
    save_summaries_secs = property(lambda self: self._save_summaries_secs)
    global_step = property(lambda self: self._global_step)
    saver = property(lambda self: self._saver)
    save_model_secs = property(lambda self: self._save_model_secs)
    save_path = property(lambda self: self._save_path)

    # ---- sessions and services -------------------------------------------------------------
    def _write_graph(self):
        """The chief writes ``logdir/graph.pbtxt`` and adds the graph to its event file."""
        if self._is_chief and self._logdir:
            write_graph(self._graph.as_graph_def(), self._logdir, "graph.pbtxt")
        if self._summary_writer and not self._graph_added_to_summary:
            self._summary_writer.add_graph(self._graph)
            self._graph_added_to_summary = True

    def start_standard_services(self, sess):
        """Starts the summary, step-rate and checkpoint threads; returns them."""
        if not self._is_chief:
            raise RuntimeError("Only chief supervisor can start standard services. Because "
                               "only chief supervisors can write events.")
        if not self._logdir:
            logging.warning("Standard services need a 'logdir' passed to the SessionManager")
            return []
        threads = []
        if self._save_summaries_secs and self._summary_writer:
            if self._summary_op is not None:
                threads.append(SVSummaryThread(self, sess))
            if self._global_step is not None:
                threads.append(SVStepCounterThread(self, sess))
        if self.saver and self._save_model_secs:
            threads.append(SVTimerCheckpointThread(self, sess))
        for thread in threads:
            thread.start()
        return threads

    def prepare_or_wait_for_session(self, master="", config=None, wait_for_checkpoint=False,
                                    max_wait_secs=7200, start_standard_services=True):
        """The chief's prepared Session (restored or initialised), or a non-chief's once
        the model is ready; with ``start_standard_services`` also the services (chief) and
        the graph's queue runners."""
        self._coord.clear_stop()
        if self._summary_writer:
            self._summary_writer.reopen()
        if self._is_chief:
            sess = self._session_manager.prepare_session(
                master, init_op=self.init_op, saver=self.saver, checkpoint_dir=self._logdir,
                wait_for_checkpoint=wait_for_checkpoint, max_wait_secs=max_wait_secs,
                config=config, init_feed_dict=self._init_feed_dict, init_fn=self._init_fn)
            self._write_graph()
            if start_standard_services:
                logging.info("Starting standard services.")
                self.start_standard_services(sess)
        else:
            sess = self._session_manager.wait_for_session(master, config=config,
                                                          max_wait_secs=max_wait_secs)
        if start_standard_services:
            logging.info("Starting queue runners.")
            self.start_queue_runners(sess)
        return sess

    def start_queue_runners(self, sess, queue_runners=None):
        """Starts the graph's (or the given) queue runners under this supervisor's
        coordinator; returns their threads."""
        if queue_runners is None:
            queue_runners = self._graph.get_collection(ops.GraphKeys.QUEUE_RUNNERS)
        threads = []
        for runner in queue_runners:
            threads.extend(runner.create_threads(sess, coord=self._coord, daemon=True,
                                                 start=True))
        return threads

    def loop(self, timer_interval_secs, target, args=None, kwargs=None):
        """Starts a LooperThread calling ``target`` every ``timer_interval_secs``."""
        looper = coordinator.LooperThread(self._coord, timer_interval_secs, target=target,
                                          args=args, kwargs=kwargs)
        looper.start()
        return looper

    def stop(self, threads=None, close_summary_writer=True, ignore_live_threads=False):
        """Requests a stop, joins the services and ``threads`` (re-raising a thread's
        exception) and closes the summary writer."""
        self._coord.request_stop()
        try:
            self._coord.join(threads, stop_grace_period_secs=self._stop_grace_secs,
                             ignore_live_threads=ignore_live_threads)
        finally:
            if close_summary_writer and self._summary_writer:
                self._summary_writer.close()
                self._graph_added_to_summary = False

    def request_stop(self, ex=None):
        self._coord.request_stop(ex=ex)

    def should_stop(self):
        return self._coord.should_stop()

    def stop_on_exception(self):
        return self._coord.stop_on_exception()

    def wait_for_stop(self):
        self._coord.wait_for_stop()

    def summary_computed(self, sess, summary, global_step=None):
        """Writes a serialized Summary computed by the caller, at the global step."""
        if not self._summary_writer:
            raise RuntimeError("Writing a summary requires a summary writer.")
        if global_step is None and self.global_step is not None:
            global_step = training_util.global_step(sess, self.global_step)
        self._summary_writer.add_summary(summary, global_step)

    @contextlib.contextmanager
    def managed_session(self, master="", config=None, start_standard_services=True,
                        close_summary_writer=True):
        """A context manager giving a prepared Session; an exception in the block becomes
        the stop request, re-raised when the threads are joined (OutOfRangeError: a clean
        stop); the Session is closed on the way out."""
        sess = None
        try:
            sess = self.prepare_or_wait_for_session(
                master=master, config=config, start_standard_services=start_standard_services)
            yield sess
        except Exception as e:  # noqa: BLE001 - TF hands every error to the coordinator
            self.request_stop(e)
        finally:
            try:
                self.stop(close_summary_writer=close_summary_writer)
            finally:
                if sess is not None:
                    sess.close()

    # TF's CamelCase aliases.
    Loop = loop  # noqa: N815
    Stop = stop  # noqa: N815
    RequestStop = request_stop  # noqa: N815
    ShouldStop = should_stop  # noqa: N815
    StopOnException = stop_on_exception  # noqa: N815
    WaitForStop = wait_for_stop  # noqa: N815
    SummaryComputed = summary_computed  # noqa: N815
    PrepareSession = prepare_or_wait_for_session  # noqa: N815
    StartStandardServices = start_standard_services  # noqa: N815
    StartQueueRunners = start_queue_runners  # noqa: N815


class SVSummaryThread(coordinator.LooperThread):
    """Runs the summary op (with the global step) and writes it, every
    ``save_summaries_secs``."""

    def __init__(self, sv, sess):
        super().__init__(sv.coord, sv.save_summaries_secs)
        self._sv = sv
        self._sess = sess

    def run_loop(self):
        if self._sv.global_step is not None:
            summary_strs, global_step = self._sess.run([self._sv.summary_op,
                                                        self._sv.global_step])
        else:
            summary_strs, global_step = self._sess.run(self._sv.summary_op), None
        if self._sv.summary_writer:
            logging.info("Recording summary at step %s.", global_step)
            self._sv.summary_writer.add_summary(summary_strs, global_step)


class SVStepCounterThread(coordinator.LooperThread):
    """Writes "<global step name>/sec", the steps per second since its previous run."""

    def __init__(self, sv, sess, step_counter=None):
        super().__init__(sv.coord, sv.save_summaries_secs)
        self._sv = sv
        self._sess = sess
        self._last_time = 0.0
        self._last_step = 0
        step_counter = sv.global_step if step_counter is None else step_counter
        self._step_counter = step_counter
        self._summary_tag = "%s/sec" % step_counter.op.name

    def start_loop(self):
        self._last_time = time.time()
        self._last_step = training_util.global_step(self._sess, self._step_counter)

    def run_loop(self):
        from tfcompat.summary import Summary
        current_step = training_util.global_step(self._sess, self._step_counter)
        added_steps = current_step - self._last_step
        self._last_step = current_step
        current_time = time.time()
        elapsed_time = current_time - self._last_time
        self._last_time = current_time
        steps_per_sec = added_steps / elapsed_time if elapsed_time > 0.0 else float("inf")
        summary = Summary(value=[Summary.Value(tag=self._summary_tag,
                                               simple_value=steps_per_sec)])
        if self._sv.summary_writer:
            self._sv.summary_writer.add_summary(summary, current_step)
        logging.info("%s: %g", self._summary_tag, steps_per_sec)


class SVTimerCheckpointThread(coordinator.LooperThread):
    """Saves ``logdir/model.ckpt-<global step>`` every ``save_model_secs``."""

    def __init__(self, sv, sess):
        super().__init__(sv.coord, sv.save_model_secs)
        self._sv = sv
        self._sess = sess

    def run_loop(self):
        logging.info("Saving checkpoint to path %s", self._sv.save_path)
        self._sv.saver.save(self._sess, self._sv.save_path, global_step=self._sv.global_step)


def basic_train_loop(supervisor, train_step_fn, args=None, kwargs=None, master=""):
    """Calls ``train_step_fn(sess, *args, **kwargs)`` in a managed session until the
    supervisor stops; starts over after an AbortedError (a restarted server)."""
    from tfcompat.framework import errors
    args = args or []
    kwargs = kwargs or {}
    should_retry = True
    while should_retry:
        try:
            should_retry = False
            with supervisor.managed_session(master) as sess:
                while not supervisor.should_stop():
                    train_step_fn(sess, *args, **kwargs)
        except errors.AbortedError:
            should_retry = True
