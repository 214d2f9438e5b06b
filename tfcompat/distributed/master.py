"""The master service of a task: runs the graphs of remote ``tf.Session`` clients.

A client sends its GraphDef (again whenever its graph grew) and then run requests: feeds as
TensorProto bytes, fetch and target names. The master rebuilds the graph, places it on the
cluster's devices (an op on a job or task the ClusterSpec lacks fails as in TF) and runs it
in a tfcompat Session of its own. Variables are not kept by that Session: before each run the
master reads the variables the run reaches from the stores of the tasks they are placed on
(one RPC per other task), and after the run it writes back those the run changed, with the
change itself, so that the owner can merge concurrent updates from several workers (see
``VariableStore.update``). Computation therefore happens in the process of the task whose
server the client connected to; what ``/job:ps`` holds is the variables' state.
"""
import contextlib
import itertools
import threading

import grpc
import numpy as np

from tfcompat.client.session import BaseSession
from tfcompat.distributed import wire
from tfcompat.distributed.server import (DEFAULT_PEER_TIMEOUT_S, copy_for_store,
                                         decode_containers, store_key, unary_handler)
from tfcompat.framework import config as config_lib
from tfcompat.framework import errors, ops
from tfcompat.framework.device import DeviceSpec
from tfcompat.framework.graph_def import import_graph_def
from tfcompat.runtime.memory import aligned_copy
from tfcompat.runtime.placer import Placer

_VARIABLE_OPS = ("VariableV2", "Variable")


class _GraphRunner:
    """One client session's graph as the master runs it: rebuilt from its GraphDef, placed
    on the cluster, run by a local Session of its own (so seeded random ops restart their
    sequence in every session, as in TF)."""

    def __init__(self, task, graph_def, config):
        self.task = task
        self.lock = threading.Lock()  # guards the tables below
        self.graph = ops.Graph()
        with self.graph.as_default():
            import_graph_def(graph_def, name="")
        self.session = BaseSession(graph=self.graph, config=config)
        placer = self.session._placer = Placer(self.graph, task.devices(), config)
        placer.place()
        self.owners = {}  # variable op -> peer (None for this task)
        for op in self.graph.get_operations():
            if op.type in _VARIABLE_OPS:
                spec = DeviceSpec.from_string(placer.assigned[op])
                self.owners[op] = task.peer(spec.job, spec.task)
        # (fetches, targets, feeds) -> (the variable ops that run reaches, the locks its
        # runs take: one per signature, as runs of one signature share a compiled plan and
        # its buffers, then one per variable reached, in a fixed order, so runs sharing
        # variables take turns; other runs (a QueueRunner's enqueue beside a training
        # step's dequeue) go side by side, as in a local Session).
        self._signatures = {}
        self._variable_locks = {}

    def run(self, feeds, fetch_names, target_names, timeout):
        """The fetched arrays of one step; waits for other tasks up to ``timeout`` s."""
        graph = self.graph
        with self.lock:
            fetches = [graph.as_graph_element(name) for name in fetch_names]
            targets = [graph.get_operation_by_name(name) for name in target_names]
            feed_dict = {graph.get_tensor_by_name(name): value for name, value in feeds}
            key = (tuple(fetch_names), tuple(target_names), tuple(name for name, _ in feeds))
            signature = self._signatures.get(key)
            if signature is None:
                needed = self._variables_reached(fetches + targets, feed_dict)
                reached = sorted((op for group in needed.values() for op in group),
                                 key=lambda op: op._id)
                signature = self._signatures[key] = (needed, [threading.Lock()] + [
                    self._variable_locks.setdefault(op, threading.Lock()) for op in reached])
        needed, locks = signature
        with contextlib.ExitStack() as held:
            for lock in locks:
                held.enter_context(lock)
            pulled = self._pull(needed, timeout)
            values = self.session.run(fetches + targets, feed_dict)
            self._push(pulled, timeout)
        return values[:len(fetches)]

    def _variables_reached(self, fetches, feed_dict):
        """The variable ops a run of ``fetches`` can read or write, grouped by owner (the
        graph walked back from the fetches through inputs and control inputs, stopping at
        fed tensors)."""
        groups = {}
        seen = set()
        stack = [f.op if isinstance(f, ops.Tensor) else f for f in fetches]
        while stack:
            op = stack.pop()
            if op in seen:
                continue
            seen.add(op)
            if op in self.owners:
                groups.setdefault(self.owners[op], []).append(op)
            stack.extend(t.op for t in op.inputs if t not in feed_dict)
            stack.extend(op.control_inputs)
        return groups

    def _pull(self, needed, timeout):
        """Installs the current value of the ``needed`` variables in the local Session;
        returns {op: (version read, value read or None)}."""
        pulled = {}
        for peer, var_ops in needed.items():
            names = [_key_of(op) for op in var_ops]
            read = self.task.store.read(names) if peer is None else peer.read_variables(
                names, timeout)
            pulled.update(zip(var_ops, read, strict=True))
        state = self.session._variable_values()
        for op, (_, value) in pulled.items():
            if value is None:
                state.pop(op, None)
            else:
                state[op] = aligned_copy(value, value.dtype)
        return pulled

    def _push(self, pulled, timeout):
        """Writes back the variables the run changed, with their change."""
        state = self.session._variable_values()
        updates = {}
        for op, (version, before) in pulled.items():
            peer = self.owners[op]
            after = state.get(op)
            if after is None or (before is not None and _same(before, after)):
                continue
            delta = None
            if before is not None and before.shape == after.shape and after.dtype.kind in "fiuc":
                delta = after - before
            updates.setdefault(peer, []).append((_key_of(op), version, copy_for_store(after),
                                                 delta))
        for peer, items in updates.items():
            if peer is None:
                for item in items:
                    self.task.store.update(*item)
            else:
                peer.update_variables(items, timeout)


class _MasterSession:
    """One client session: its options and the runner of its current graph."""

    def __init__(self, config):
        self.config = config
        self.runner = None
        timeout_ms = config.operation_timeout_in_ms
        self.timeout = timeout_ms / 1000.0 if timeout_ms > 0 else DEFAULT_PEER_TIMEOUT_S

    def run(self, feeds, fetch_names, target_names, timeout_ms=0):
        """The fetched arrays of one step; ``timeout_ms`` (RunOptions) bounds its waits for
        other tasks when it is shorter than the session's."""
        runner = self.runner
        if runner is None:
            raise errors.FailedPreconditionError(None, None, "Session has no graph: the "
                                                 "client sent none")
        timeout = min(self.timeout, timeout_ms / 1000.0) if timeout_ms > 0 else self.timeout
        return runner.run(feeds, fetch_names, target_names, timeout)

    def extend(self, runner):
        """Switches to ``runner`` (None: none); runs still going on the old one finish on
        it, and it goes with the last of them."""
        self.runner = runner


def _key_of(var_op):
    """A variable's store key: its container and shared name (the op's name by default)."""
    return store_key(var_op.attrs.get("container", ""),
                     var_op.attrs.get("shared_name") or var_op.name)


def _same(before, after):
    if before.shape != after.shape or before.dtype != after.dtype:
        return False
    if after.dtype.kind in "fc":
        return np.array_equal(before, after, equal_nan=True)
    return np.array_equal(before, after)


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
        handle = f"{self._task.job_name}/{self._task.task_index}/{next(self._handles)}"
        with self._lock:
            self._sessions[handle] = _MasterSession(config)
        return wire.encode([(1, handle)])

    def _run_step(self, request):
        fields = wire.decode(request)
        session = self._session(wire.text(fields, 1))
        feeds = [wire.parse_named_tensor(item) for item in fields.get(3, [])]
        fetch_names = [name.decode() for name in fields.get(4, [])]
        target_names = [name.decode() for name in fields.get(5, [])]
        graph_def = wire.first(fields, 2)
        if graph_def is not None:  # the client's graph grew: a new runner replaces the old
            session.extend(_GraphRunner(self._task, graph_def, session.config))
        values = session.run(feeds, fetch_names, target_names, wire.first(fields, 6, 0))
        return wire.encode([(1, wire.named_tensor(name, value))
                            for name, value in zip(fetch_names, values, strict=True)])

    def _close_session(self, request):
        handle = wire.text(wire.decode(request), 1)
        with self._lock:
            session = self._sessions.pop(handle, None)
        if session is not None:
            session.extend(None)
        return b""

    def _list_devices(self, request):
        return wire.encode([(1, name) for name in self._task.devices()])

    def _reset(self, request):
        """Empties the variable stores of every task of the cluster (or only the containers
        the request names)."""
        containers = decode_containers(request)
        self._task.store.reset(containers)
        cluster = self._task.cluster
        for job in cluster.jobs:
            for index in cluster.task_indices(job):
                peer = self._task.peer(job, index)
                if peer is not None:
                    peer.reset(containers, DEFAULT_PEER_TIMEOUT_S)
        return b""
