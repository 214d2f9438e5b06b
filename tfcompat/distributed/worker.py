"""The worker service of a task: runs the partitions masters register with it, holds the
task's resources, and passes tensors between tasks (TF 1.x ``distributed_runtime/worker``).

A master registers one partition per step signature (``RegisterGraph``) and then runs it
each step (``RunGraph``) under a step id it shares with the other tasks' partitions of that
step. Values travel to the receiving task: a ``_Send`` to another task puts a private copy
in the partition run's outbox, and the outbox goes out, one ``Deliver`` RPC per receiving
task, whenever the run is about to wait in a ``_Recv`` and when it ends; a ``_Recv`` waits
in its own task's ``Rendezvous`` for its key and step id. So a burst of sends (a ps reading
all its variables, a worker's gradients) costs one message, and no receive asks across the
network. A step that fails anywhere is aborted on every task (``AbortStep``): waiting
receives end with CancelledError and what the step sent is dropped.

Resources live in the task, not in a session (``TaskResources``): variables under
``container|shared_name`` (the op's name by default, as TF's ResourceMgr keys them) and
queues, accumulators, tables and iterators under ``container|shared_name`` when they have a
shared name. They outlive the sessions that made them, so a later session sees what an
earlier one trained, until ``tf.Session.reset`` empties their containers. Resources without a
shared name belong to the master session whose partitions made them (one per op name, as
TF's stateful kernels are kept per session and node), and go when it closes
(``DeleteSession``).
"""
import collections
import itertools
import re
import threading

import numpy as np

from tfcompat.client.session import BaseSession
from tfcompat.distributed import wire
from tfcompat.framework import errors, ops
from tfcompat.framework import config as config_lib
from tfcompat.framework.graph_def import import_graph_def, tensor_proto_parts
from tfcompat.framework.op_def import DEAD
from tfcompat.lib import proto_wire as pw
from tfcompat.runtime.executor import RuntimeState
from tfcompat.runtime.placer import Placer

_VARIABLE_OPS = ("VariableV2", "Variable")
#: Ids of aborted steps a task remembers, so that late sends of such a step are dropped.
_ABORTED_STEPS_KEPT = 4096


def store_key(container, name):
    """The key of a resource in a task: ``container|name`` (``|`` is in neither a
    container's nor an op's name; the default container is "")."""
    return f"{container}|{name}"


class TaskResources:
    """What a task keeps across sessions: variables and shared resources by store key."""

    def __init__(self):
        self.variables = {}
        self.objects = {}
        self.lock = threading.Lock()
        self.update_lock = threading.Lock()  # the AssignAdd lock of every partition here

    def resource(self, key, create):
        with self.lock:
            found = self.objects.get(key)
            if found is None:
                found = self.objects[key] = create()
            return found

    def cancel_all(self):
        """Ends every wait in this task's resources (its server stops)."""
        with self.lock:
            resources = list(self.objects.values())
        for resource in resources:
            cancel_waits(resource)

    def reset(self, containers=None):
        """Forgets every resource, or those of the given containers."""
        with self.lock:
            for table in (self.variables, self.objects):
                for key in [key for key in table
                            if containers is None or key.split("|", 1)[0] in containers]:
                    resource = table.pop(key)
                    release = getattr(resource, "release", None)
                    if release is not None:
                        release()


class _VariableView:
    """A partition's variable storage as the runtime uses it (``get``, ``[op]``, ``[op] =``,
    ``pop`` by variable op): the task's variables, by the store key of each op."""

    __slots__ = ("_store", "_keys")

    def __init__(self, store, keys):
        self._store, self._keys = store, keys

    def get(self, var_op, default=None):
        return self._store.get(self._keys[var_op], default)

    def __getitem__(self, var_op):
        return self._store[self._keys[var_op]]

    def __setitem__(self, var_op, value):
        self._store[self._keys[var_op]] = value

    def pop(self, var_op, *default):
        return self._store.pop(self._keys[var_op], *default)


class _StepContext(threading.local):
    """The step a thread is running a partition for: its id, how long a receive waits, and
    the values sent to other tasks not yet delivered ({receiving device: [(key, value)]})."""

    step_id = None
    timeout = None
    outbox = None
    in_flight = None  # Deliver calls not yet answered


class _SessionResources:
    """What the partitions of one master session share on a task: random generators (keyed
    by op name, so a seeded op's sequence goes on across the session's step signatures as
    in a local Session) and the resources without a shared name."""

    def __init__(self):
        self.generators = {}
        self.generators_lock = threading.Lock()
        self.private = {}
        self.lock = threading.Lock()

    def resource(self, name, create):
        key = _PRIVATE_PREFIX.sub("", name)  # "_<op id>_<op name>": ids differ per graph
        with self.lock:
            found = self.private.get(key)
            if found is None:
                found = self.private[key] = create()
            return found

    def release(self, cancel=False):
        """Lets every private resource free what it holds; with ``cancel``, ends their
        waits first (the server stops)."""
        with self.lock:
            resources = list(self.private.values())
        for resource in resources:
            if cancel:
                cancel_waits(resource)
            release = getattr(resource, "release", None)
            if release is not None:
                release()


def cancel_waits(resource):
    """Wakes whoever waits in ``resource``: queues close and cancel their pending enqueues,
    accumulators cancel their takes."""
    from tfcompat.ops.data_flow_ops import QueueResource
    if isinstance(resource, QueueResource):
        resource.close(True)
    cancel = getattr(resource, "cancel", None)
    if cancel is not None:
        cancel()


_PRIVATE_PREFIX = re.compile(r"^_\d+_")


class _PartitionState(RuntimeState):
    """The runtime state of one registered partition: the task's variables and shared
    resources, its master session's private resources and generators, and the rendezvous
    endpoints of the step each thread runs."""

    def __init__(self, worker, graph, session_resources):
        super().__init__()
        resources = worker.resources
        keys, shared = {}, {}
        for op in graph.get_operations():
            container = op.attrs.get("container", "") or ""
            shared_name = op.attrs.get("shared_name") or ""
            if op.type in _VARIABLE_OPS:
                keys[op] = store_key(container, shared_name or op.name)
            elif shared_name:
                shared[shared_name] = store_key(container, shared_name)
        self.variables = _VariableView(resources.variables, keys)
        self.update_lock = resources.update_lock
        self._generators = session_resources.generators
        self._generators_lock = session_resources.generators_lock
        self._session_resources = session_resources
        self._task_resources = resources
        self._shared_keys = shared
        self._worker = worker
        self.step = _StepContext()

    def resource(self, name, create):
        key = self._shared_keys.get(name)
        if key is None:
            return self._session_resources.resource(name, create)
        return self._task_resources.resource(key, create)

    def generator_key(self, op):
        return op.name

    def rendezvous_send(self, key, value):
        step = self.step
        recv_device = key.split(";", 2)[1]
        if self._worker.task.peer_of_device(recv_device) is None:
            self._worker.rendezvous.send(step.step_id, key, _owned(value))
        else:
            step.outbox.setdefault(recv_device, []).append((key, _owned(value)))

    def rendezvous_recv(self, key, op):
        step = self.step
        rendezvous = self._worker.rendezvous
        value = rendezvous.take(step.step_id, key)
        if value is _MISSING:  # before it waits, what this run sent so far goes out
            self.deliver(op)
            value = rendezvous.receive(step.step_id, key, step.timeout)
        return value

    def deliver(self, op=None):
        """Sends the outbox, one Deliver call per receiving task, without waiting for the
        answers (``finish_delivery`` does)."""
        step = self.step
        outbox, step.outbox = step.outbox, {}
        for recv_device, items in outbox.items():
            step.in_flight.append(self._worker.deliver(recv_device, step.step_id, items,
                                                       step.timeout, op))

    def finish_delivery(self):
        """Sends what is left and waits until every Deliver call of the run was answered
        (raising the first failure)."""
        self.deliver()
        step = self.step
        calls, step.in_flight = step.in_flight, []
        for call, op in calls:
            try:
                call.result()
            except errors.OpError as exc:
                exc.op = op
                raise


_MISSING = object()


def _owned(value):
    """A private copy of a sent value (the sender's storage may be reused next step)."""
    return value if value is DEAD else np.array(value, copy=True)


def encode_delivery(step_id, items):
    """A Deliver request: the step id, then per value an item of its key and its tensor
    (or the dead flag, field 3); joined once, the tensors' memory read in place."""
    parts = [pw.field_varint(1, step_id)]
    for key, value in items:
        if value is DEAD:
            body = [wire.encode([(1, key), (3, 1)])]
        else:
            tensor = tensor_proto_parts(value)
            body = [pw.field_bytes(1, key), pw.tag(2, pw.LENGTH_DELIMITED),
                    pw.encode_varint(sum(len(part) for part in tensor))] + tensor
        parts += [pw.tag(2, pw.LENGTH_DELIMITED),
                  pw.encode_varint(sum(len(part) for part in body))] + body
    return b"".join(parts)


def decode_delivered(item):
    fields = wire.decode(item)
    if wire.first(fields, 3, 0):
        return wire.text(fields, 1), DEAD
    return wire.parse_named_tensor(item)


class Rendezvous:
    """Values sent by this task's partitions, by step and key, until they are received."""

    def __init__(self):
        self._ready = threading.Condition()
        self._stopped = False
        self._values = {}    # step id -> {key: array}
        self._aborted = collections.OrderedDict()  # step id -> the error it was aborted with

    def send(self, step_id, key, value):
        with self._ready:
            if step_id in self._aborted:
                return
            self._values.setdefault(step_id, {})[key] = value
            self._ready.notify_all()

    def take(self, step_id, key):
        """The value sent under ``key`` for the step if it is there (it leaves), else
        ``_MISSING``; never waits."""
        with self._ready:
            values = self._values.get(step_id)
            if not values or key not in values:
                return _MISSING
            value = values.pop(key)
            if not values:
                del self._values[step_id]
            return value

    def receive(self, step_id, key, timeout):
        """The value sent under ``key`` for the step (waiting up to ``timeout`` s); it leaves
        the rendezvous."""
        with self._ready:
            arrived = self._ready.wait_for(
                lambda: self._stopped or step_id in self._aborted
                or key in self._values.get(step_id, ()), timeout)
            if self._stopped:
                raise errors.CancelledError(None, None, "The task's server is stopping")
            if step_id in self._aborted:
                raise errors.CancelledError(None, None, f"Step {step_id} was aborted: "
                                            f"{self._aborted[step_id]}")
            if not arrived:
                raise errors.DeadlineExceededError(
                    None, None, f"Timed out after {timeout:g} s waiting for {key}")
            values = self._values[step_id]
            value = values.pop(key)
            if not values:
                del self._values[step_id]
            return value

    def stop(self):
        """Ends every wait, for good (the server stops)."""
        with self._ready:
            self._stopped = True
            self._values.clear()
            self._ready.notify_all()

    def abort(self, step_id, message):
        with self._ready:
            self._aborted[step_id] = message
            while len(self._aborted) > _ABORTED_STEPS_KEPT:
                self._aborted.popitem(last=False)
            self._values.pop(step_id, None)
            self._ready.notify_all()


class _Partition:
    """A registered partition: its graph and the session running it."""

    def __init__(self, worker, graph_def, session_handle):
        self.session_handle = session_handle
        graph = ops.Graph()
        with graph.as_default():
            import_graph_def(graph_def, name="")
        self.state = _PartitionState(worker, graph, worker.session_resources(session_handle))
        # The master placed every op already (and logged it when asked): here the ops name
        # this task's device.
        config = config_lib.ConfigProto(allow_soft_placement=True)
        self.session = BaseSession(graph=graph, config=config)
        self.session._state = self.state
        self.session._placer = Placer(graph, worker.task.devices(), config)
        self.graph = graph

    def run(self, step_id, feeds, fetch_names, target_names, timeout, op_timeout):
        graph = self.graph
        fetches = [graph.get_tensor_by_name(name) for name in fetch_names]
        targets = [graph.get_operation_by_name(name) for name in target_names]
        feed_dict = {graph.get_tensor_by_name(name): value for name, value in feeds}
        step = self.state.step
        step.step_id, step.timeout, step.outbox, step.in_flight = step_id, timeout, {}, []
        try:
            options = None if not op_timeout else config_lib.RunOptions(
                timeout_in_ms=max(1, int(op_timeout * 1000)))
            values = self.session.run(fetches + targets, feed_dict, options=options)
            self.state.finish_delivery()
        finally:
            step.step_id = step.outbox = step.in_flight = None
        return values[:len(fetches)]


class Worker:
    """``WorkerService`` of one task."""

    def __init__(self, task):
        self.task = task
        self.resources = TaskResources()
        self.rendezvous = Rendezvous()
        self._graphs = {}
        self._sessions = {}  # master session handle -> _SessionResources
        self._handles = itertools.count()
        self._lock = threading.Lock()

    def handlers(self, unary_handler):
        return {"RegisterGraph": unary_handler(self._register_graph_rpc),
                "DeregisterGraph": unary_handler(self._deregister_graph_rpc),
                "RunGraph": unary_handler(self._run_graph_rpc),
                "Deliver": unary_handler(self._deliver_rpc),
                "AbortStep": unary_handler(self._abort_step_rpc),
                "DeleteSession": unary_handler(self._delete_session_rpc),
                "Reset": unary_handler(self._reset_rpc)}

    def session_resources(self, session_handle):
        """What one master session's partitions share here."""
        with self._lock:
            found = self._sessions.get(session_handle)
            if found is None:
                found = self._sessions[session_handle] = _SessionResources()
            return found

    # ---- the calls (a master in this process calls them directly) --------------------------
    def register_graph(self, session_handle, graph_def):
        partition = _Partition(self, graph_def, session_handle)
        with self._lock:
            handle = f"{self.task.job_name}/{self.task.task_index}/graph/{next(self._handles)}"
            self._graphs[handle] = partition
        return handle

    def deregister_graph(self, handle):
        with self._lock:
            partition = self._graphs.pop(handle, None)
            if partition is None:
                return
        partition.session.close()

    def shutdown(self):
        """Ends whatever waits in this task: receives, queues, accumulators."""
        self.rendezvous.stop()
        self.resources.cancel_all()
        with self._lock:
            sessions = list(self._sessions.values())
        for session in sessions:
            session.release(cancel=True)

    def delete_session(self, session_handle):
        """Releases what a closed master session's partitions shared here."""
        with self._lock:
            gone = self._sessions.pop(session_handle, None)
        if gone is not None:
            gone.release()

    def run_graph(self, handle, step_id, feeds, fetch_names, target_names, timeout,
                  op_timeout=None):
        with self._lock:
            partition = self._graphs.get(handle)
        if partition is None:
            raise errors.AbortedError(None, None, f"Graph handle is not found: {handle}. "
                                      f"Possibly, this worker just restarted.")
        return partition.run(step_id, feeds, fetch_names, target_names, timeout, op_timeout)

    def deliver(self, recv_device, step_id, items, timeout, op=None):
        """(the call putting a step's values into the rendezvous of ``recv_device``'s task,
        ``op``): a future whose ``result()`` raises its failure."""
        request = encode_delivery(step_id, items)
        return self.task.peer_of_device(recv_device).future(
            wire.WORKER_SERVICE, "Deliver", request, timeout, wait_for_ready=False), op

    # ---- RPC handlers ----------------------------------------------------------------------
    def _register_graph_rpc(self, request):
        fields = wire.decode(request)
        handle = self.register_graph(wire.text(fields, 1), wire.first(fields, 2, b""))
        return wire.encode([(1, handle)])

    def _deregister_graph_rpc(self, request):
        self.deregister_graph(wire.text(wire.decode(request), 1))
        return b""

    def _run_graph_rpc(self, request):
        fields = wire.decode(request)
        feeds = [wire.parse_named_tensor(item) for item in fields.get(3, [])]
        fetch_names = [name.decode() for name in fields.get(4, [])]
        values = self.run_graph(wire.text(fields, 1), wire.first(fields, 2, 0), feeds,
                                fetch_names, [name.decode() for name in fields.get(5, [])],
                                wire.first(fields, 6, 0) / 1000.0,
                                wire.first(fields, 7, 0) / 1000.0 or None)
        return wire.encode([(1, wire.named_tensor(name, value))
                            for name, value in zip(fetch_names, values, strict=True)])

    def _deliver_rpc(self, request):
        fields = wire.decode(request)
        step_id = wire.first(fields, 1, 0)
        for item in fields.get(2, []):
            self.rendezvous.send(step_id, *decode_delivered(item))
        return b""

    def _delete_session_rpc(self, request):
        self.delete_session(wire.text(wire.decode(request), 1))
        return b""

    def _abort_step_rpc(self, request):
        fields = wire.decode(request)
        self.rendezvous.abort(wire.first(fields, 1, 0), wire.text(fields, 2))
        return b""

    def _reset_rpc(self, request):
        from tfcompat.distributed.server import decode_containers
        self.resources.reset(decode_containers(request))
        return b""

