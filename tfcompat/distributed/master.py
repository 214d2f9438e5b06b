"""The master service of a task: runs the steps of remote ``tf.Session`` clients across the
cluster (TF 1.x ``distributed_runtime/master_session``).

A client sends its GraphDef (again whenever its graph grew) and then run requests: feeds as
TensorProto bytes, fetch and target names. The master rebuilds the graph and places it on
the cluster's devices (an op on a job or task the ClusterSpec lacks fails as in TF). The
first run of each (fetches, targets, feeds) signature splits the step into one partition
per task (``partition.py``) and registers each with its task's worker; every run then starts
all partitions under one step id, this task's in this thread and the others by RPC, so each
op runs in the process of the task it was placed on and tensors cross between tasks through
the _Send/_Recv pairs. When a partition fails, the step is aborted on every task (what waits
for a tensor ends at once) and the client gets the first error that is not such a
cancellation.
"""
import itertools
import secrets
import threading

import grpc

from tfcompat.distributed import wire
from tfcompat.distributed.partition import partition
from tfcompat.distributed.server import (DEFAULT_PEER_TIMEOUT_S, decode_containers,
                                         unary_handler)
from tfcompat.framework import config as config_lib
from tfcompat.framework import errors, ops
from tfcompat.framework.graph_def import import_graph_def
from tfcompat.runtime.placer import Placer

#: Seconds a master gives an RPC beyond the step's own timeout, so that the task answers
#: with its own error first.
_RPC_SLACK_S = 5.0


class _RegisteredStep:
    """One signature's partitions as registered: [(Partition, graph handle, peer or None)]."""

    def __init__(self, parts):
        self.parts = parts


class _GraphRunner:
    """One client session's graph as the master runs it: rebuilt from its GraphDef, placed
    on the cluster, split per signature into registered partitions."""

    def __init__(self, task, session_handle, graph_def, config, tasks_used):
        self.task = task
        self.session_handle = session_handle
        self.tasks_used = tasks_used  # the session's: the peers (None: this task) it used
        self.graph_def = graph_def
        self.graph = ops.Graph()
        with self.graph.as_default():
            import_graph_def(graph_def, name="")
        self.placer = Placer(self.graph, task.devices(), config)
        self.placer.place()
        self._steps = {}
        self._lock = threading.Lock()
        self._running = 0  # runs going on; a closed runner deregisters after the last
        self._closed = False

    def run(self, feeds, fetch_names, target_names, timeout, op_timeout):
        """The fetched arrays of one step; waits for other tasks up to ``timeout`` s, and
        its blocking ops (a dequeue) up to ``op_timeout`` s (None: as long as they take)."""
        key = (tuple(fetch_names), tuple(target_names), tuple(name for name, _ in feeds))
        with self._lock:
            self._running += 1
        try:
            with self._lock:
                step = self._steps.get(key)
                if step is None:
                    step = self._steps[key] = self._register(fetch_names, target_names,
                                                             feeds, timeout)
            fed = dict(feeds)
            try:
                values = _StepRun(self.task, step, fed, timeout, op_timeout).run()
            except errors.AbortedError:
                with self._lock:  # a task lost this signature's partition (it restarted)
                    if self._steps.get(key) is step:
                        del self._steps[key]
                raise
        finally:
            with self._lock:
                self._running -= 1
                last = self._closed and not self._running
            if last:
                self._deregister()
        return [fed[name] if name in fed else values[name] for name in fetch_names]

    def _register(self, fetch_names, target_names, feeds, timeout):
        graph = self.graph
        fetches = [graph.get_tensor_by_name(name) for name in fetch_names]
        targets = [graph.get_operation_by_name(name) for name in target_names]
        fed = {graph.get_tensor_by_name(name) for name, _ in feeds}
        parts = []
        for task_key, part in sorted(partition(self.placer.assigned, fetches, targets,
                                               fed).items()):
            peer = self.task.peer(*task_key)
            self.tasks_used.add(peer)
            if peer is None:
                handle = self.task.worker.register_graph(self.session_handle, part.graph_def)
            else:
                try:
                    response = peer.call(wire.WORKER_SERVICE, "RegisterGraph", wire.encode(
                        [(1, self.session_handle), (2, part.graph_def)]), timeout)
                except (errors.UnavailableError, errors.DeadlineExceededError) as exc:
                    exc.message = f"Task {part.device} did not answer: {exc.message}"
                    raise
                handle = wire.text(wire.decode(response), 1)
            parts.append((part, handle, peer))
        return _RegisteredStep(parts)

    def close(self):
        """Deregisters every partition once the runs going on have ended."""
        with self._lock:
            self._closed = True
            if self._running:
                return
        self._deregister()

    def _deregister(self):
        """Deregisters every partition (tasks that went away are skipped)."""
        with self._lock:
            steps, self._steps = list(self._steps.values()), {}
        for step in steps:
            for _, handle, peer in step.parts:
                if peer is None:
                    self.task.worker.deregister_graph(handle)
                    continue
                try:
                    peer.call(wire.WORKER_SERVICE, "DeregisterGraph",
                              wire.encode([(1, handle)]), 2.0, wait_for_ready=False)
                except errors.OpError:
                    pass


class _StepRun:
    """One run of a registered step: every partition started under one step id."""

    def __init__(self, task, step, fed, timeout, op_timeout):
        # A _Recv waits a little beyond the step's op deadline, so that an op that timed
        # out (a dequeue on another task) reports first and aborts the step.
        self.task, self.step, self.fed = task, step, fed
        self.timeout = timeout + 1.0 if op_timeout else timeout
        self.op_timeout = op_timeout
        self.step_id = secrets.randbits(63) or 1
        self._aborted = False
        self._lock = threading.Lock()

    def run(self):
        """{fetched tensor name: array} of every partition; the step's first real error."""
        local, pending, failures, values = None, [], [], {}
        for part, handle, peer in self.step.parts:
            feeds = [(name, self.fed[client_name]) for client_name, name in part.feeds.items()]
            if peer is None:
                local = (part, handle, feeds)
                continue
            request = [(1, handle), (2, self.step_id)]
            request += [(3, wire.named_tensor(name, value)) for name, value in feeds]
            request += [(4, name) for name in part.fetches]
            request += [(5, name) for name in part.targets]
            request.append((6, max(1, int(self.timeout * 1000))))
            if self.op_timeout:
                request.append((7, max(1, int(self.op_timeout * 1000))))
            # (no deadline without an op timeout: a dequeue may wait as long as it takes,
            # and a task that goes away ends the call with UnavailableError)
            future = peer.future(wire.WORKER_SERVICE, "RunGraph", wire.encode(request),
                                 self.op_timeout + _RPC_SLACK_S if self.op_timeout else None,
                                 wait_for_ready=False)
            future.add_done_callback(self._abort_if_failed)
            pending.append(future)
        if local is not None:
            part, handle, feeds = local
            try:
                values.update(zip(part.fetches, self.task.worker.run_graph(
                    handle, self.step_id, feeds, part.fetches, part.targets, self.timeout,
                    self.op_timeout),
                    strict=True))
            except errors.OpError as exc:
                failures.append(exc)
                self._abort(exc)
        for future in pending:
            try:
                response = wire.decode(future.result())
            except errors.OpError as exc:
                failures.append(exc)
                continue
            values.update(wire.parse_named_tensor(item) for item in response.get(1, []))
        if failures:
            raise _first_cause(failures)
        return values

    def _abort_if_failed(self, future):
        try:
            future.result()
        except errors.OpError as exc:
            # (gRPC calls this on its own thread, which must not wait for other RPCs)
            threading.Thread(target=self._abort, args=(exc,), daemon=True).start()

    def _abort(self, cause):
        """Ends the step on every task: their waits for tensors of it fail at once."""
        with self._lock:
            if self._aborted:
                return
            self._aborted = True
        message = f"{type(cause).__name__}: {cause.message}"
        self.task.worker.rendezvous.abort(self.step_id, message)
        request = wire.encode([(1, self.step_id), (2, message)])
        for _, _, peer in self.step.parts:
            if peer is not None:
                try:
                    peer.call(wire.WORKER_SERVICE, "AbortStep", request, 2.0,
                              wait_for_ready=False)
                except errors.OpError:
                    pass  # a task that is gone has nothing left waiting


def _first_cause(failures):
    """The error to report: the first one that is not a cancellation caused by another."""
    for failure in failures:
        if not isinstance(failure, errors.CancelledError):
            return failure
    return failures[0]


class _MasterSession:
    """One client session: its options and the runner of its current graph."""

    def __init__(self, config):
        self.config = config
        self.runner = None
        self.tasks_used = set()
        self.lock = threading.Lock()
        timeout_ms = config.operation_timeout_in_ms
        self.timeout = timeout_ms / 1000.0 if timeout_ms > 0 else DEFAULT_PEER_TIMEOUT_S

    def run(self, feeds, fetch_names, target_names, timeout_ms=0):
        """The fetched arrays of one step; ``timeout_ms`` (RunOptions) bounds its waits for
        other tasks when it is shorter than the session's, and its blocking ops (else the
        session's operation_timeout_in_ms does, as in TF)."""
        runner = self.runner
        if runner is None:
            raise errors.FailedPreconditionError(None, None, "Session has no graph: the "
                                                 "client sent none")
        timeout = min(self.timeout, timeout_ms / 1000.0) if timeout_ms > 0 else self.timeout
        op_timeout_ms = timeout_ms or self.config.operation_timeout_in_ms
        return runner.run(feeds, fetch_names, target_names, timeout,
                          op_timeout_ms / 1000.0 if op_timeout_ms > 0 else None)

    def extend(self, task, handle, graph_def):
        """Switches to a runner of ``graph_def`` (None: none) unless the current one runs
        that graph already (two threads' first runs both send it); the old runner's
        partitions go once the runs going on in it have ended."""
        with self.lock:
            old = self.runner
            if old is not None and graph_def is not None and old.graph_def == graph_def:
                return
            self.runner = None if graph_def is None else _GraphRunner(
                task, handle, graph_def, self.config, self.tasks_used)
        if old is not None:
            old.close()
        if graph_def is None:  # closing: the tasks release the session's resources
            for peer in self.tasks_used:
                if peer is None:
                    task.worker.delete_session(handle)
                    continue
                try:
                    peer.call(wire.WORKER_SERVICE, "DeleteSession", wire.encode([(1, handle)]),
                              2.0, wait_for_ready=False)
                except errors.OpError:
                    pass  # a task that is gone holds nothing of it


class Master:
    """``MasterService``: sessions by handle, each with its graph."""

    def __init__(self, task, config):
        self._task = task
        self._config = config
        self._sessions = {}
        self._handles = itertools.count()
        self._lock = threading.Lock()

    def handler(self):
        return grpc.method_handlers_generic_handler(wire.MASTER_SERVICE, {
            "CreateSession": unary_handler(self._create_session),
            "RunStep": unary_handler(self._run_step),
            "CloseSession": unary_handler(self._close_session),
            "ListDevices": unary_handler(self._list_devices),
            "Reset": unary_handler(self._reset)})

    def _session(self, handle):
        with self._lock:
            session = self._sessions.get(handle)
        if session is None:
            raise errors.AbortedError(None, None, f"Session {handle} is not found.")
        return session

    def _create_session(self, request):
        """A session with the client's options; the server's ConfigProto gives the defaults
        (a switch either one turns on is on; the client's timeout, else the server's)."""
        fields = wire.decode(request)
        defaults = self._config
        config = config_lib.ConfigProto(
            allow_soft_placement=bool(wire.first(fields, 1, 0))
            or defaults.allow_soft_placement,
            log_device_placement=bool(wire.first(fields, 2, 0))
            or defaults.log_device_placement,
            operation_timeout_in_ms=wire.first(fields, 3, 0)
            or defaults.operation_timeout_in_ms)
        handle = f"{self._task.job_name}/{self._task.task_index}/{next(self._handles)}/" \
                 f"{secrets.token_hex(4)}"
        with self._lock:
            self._sessions[handle] = _MasterSession(config)
        return wire.encode([(1, handle)])

    def _run_step(self, request):
        fields = wire.decode(request)
        handle = wire.text(fields, 1)
        session = self._session(handle)
        feeds = [wire.parse_named_tensor(item) for item in fields.get(3, [])]
        fetch_names = [name.decode() for name in fields.get(4, [])]
        target_names = [name.decode() for name in fields.get(5, [])]
        graph_def = wire.first(fields, 2)
        if graph_def is not None:  # the client's graph grew: a new runner replaces the old
            session.extend(self._task, handle, graph_def)
        values = session.run(feeds, fetch_names, target_names, wire.first(fields, 6, 0))
        return wire.encode([(1, wire.named_tensor(name, value))
                            for name, value in zip(fetch_names, values, strict=True)])

    def _close_session(self, request):
        handle = wire.text(wire.decode(request), 1)
        with self._lock:
            session = self._sessions.pop(handle, None)
        if session is not None:
            session.extend(None, handle, None)
        return b""

    def _list_devices(self, request):
        return wire.encode([(1, name) for name in self._task.devices()])

    def _reset(self, request):
        """Empties the resources of every task of the cluster (or only the containers the
        request names)."""
        containers = decode_containers(request)
        self._task.worker.resources.reset(containers)
        cluster = self._task.cluster
        for job in cluster.jobs:
            for index in cluster.task_indices(job):
                peer = self._task.peer(job, index)
                if peer is not None:
                    peer.reset(containers, DEFAULT_PEER_TIMEOUT_S)
        return b""

