"""One task of a cluster: a gRPC server holding the task's variables and a master that runs
sessions' graphs (what ``tf.train.Server`` starts).

Two services share the server's port: ``WorkerService`` reads and updates the variables this
task owns (a variable belongs to the task its op is placed on; its store key is the op's
name, TF's default ``shared_name``), and ``MasterService`` (``master.py``) runs the graphs of
``tf.Session(server.target)`` clients. Values in a task's store outlive the sessions that
wrote them, so a later session sees what an earlier one trained; ``tf.Session.reset`` empties
every task's store.
"""
import concurrent.futures
import threading

import grpc
import numpy as np

from tfcompat.distributed import wire
from tfcompat.framework import errors
from tfcompat.framework.graph_def import parse_tensor, tensor_proto

#: How long a task waits for another one (not yet started, or busy) when the session config
#: sets no ``operation_timeout_in_ms``: TF waits forever, tfcompat gives up with
#: UnavailableError / DeadlineExceededError after this many seconds.
DEFAULT_PEER_TIMEOUT_S = 60.0
_MESSAGE_LIMITS = [("grpc.max_send_message_length", -1),
                   ("grpc.max_receive_message_length", -1)]


def store_key(container, name):
    """The key of a variable in a task's store: ``container|name`` (``|`` is in neither a
    container's nor an op's name; the default container is "")."""
    return f"{container}|{name}"


class VariableStore:
    """The variables one task owns: ``store_key`` -> (version, array). Stored arrays are
    never changed in place; an update replaces them."""

    def __init__(self):
        self._lock = threading.Lock()
        self._values = {}

    def read(self, names):
        """[(version, array or None)] for ``names`` (version 0 and None: never written)."""
        with self._lock:
            return [self._values.get(name, (0, None)) for name in names]

    def update(self, name, base_version, value, delta):
        """Stores ``value`` when nobody wrote the variable since ``base_version`` was read;
        otherwise adds ``delta`` (the writer's change) to the current value, so concurrent
        asynchronous updates from several workers all count (Hogwild)."""
        with self._lock:
            version, current = self._values.get(name, (0, None))
            if version != base_version and current is not None and delta is not None \
                    and current.shape == delta.shape:
                value = (current + delta).astype(current.dtype, copy=False)
            self._values[name] = (version + 1, value)

    def reset(self, containers=None):
        """Forgets every variable, or those of the given containers."""
        with self._lock:
            if containers is None:
                self._values.clear()
                return
            for key in [key for key in self._values
                        if key.split("|", 1)[0] in containers]:
                del self._values[key]


class Peer:
    """RPC stubs for another task's services."""

    def __init__(self, address):
        self.address = address
        self._channel = grpc.insecure_channel(address, options=_MESSAGE_LIMITS)
        self._calls = {}

    def call(self, service, method, request, timeout):
        """The response bytes of one unary call (waits for the peer up to ``timeout`` s)."""
        stub = self._calls.get((service, method))
        if stub is None:
            stub = self._calls[(service, method)] = self._channel.unary_unary(
                f"/{service}/{method}")
        try:
            return stub(request, timeout=timeout, wait_for_ready=True)
        except grpc.RpcError as exc:
            error = wire.as_tf_error(exc)
            error.message = f"{self.address} ({method}): {error.message}"
            raise error from None

    def read_variables(self, names, timeout):
        response = wire.decode(self.call(wire.WORKER_SERVICE, "ReadVariables",
                                         wire.encode([(1, name) for name in names]), timeout))
        out = []
        for item in response.get(1, []):
            fields = wire.decode(item)
            data = wire.first(fields, 3)
            out.append((wire.first(fields, 2, 0), None if data is None else parse_tensor(data)))
        return out

    def update_variables(self, updates, timeout):
        items = []
        for name, base_version, value, delta in updates:
            fields = [(1, name), (2, base_version), (3, tensor_proto(value))]
            if delta is not None:
                fields.append((4, tensor_proto(delta)))
            items.append((1, wire.encode(fields)))
        self.call(wire.WORKER_SERVICE, "UpdateVariables", wire.encode(items), timeout)

    def reset(self, containers, timeout):
        self.call(wire.WORKER_SERVICE, "Reset", encode_containers(containers), timeout)

    def close(self):
        self._channel.close()


def unary_handler(function):
    """A gRPC handler running ``function(request_bytes) -> response_bytes``, errors as
    statuses."""
    def handle(request, context):
        try:
            return function(request)
        except Exception as exc:  # noqa: BLE001 - every failure becomes the RPC's status
            wire.abort_with(context, exc)
    return grpc.unary_unary_rpc_method_handler(handle)


class TaskServer:
    """The gRPC server of task ``task_index`` of ``job_name`` in ``cluster``."""

    def __init__(self, cluster, job_name, task_index, address, config):
        from tfcompat.distributed.master import Master
        from tfcompat.train.server_lib import ClusterSpec
        self.job_name, self.task_index = job_name, task_index
        self.store = VariableStore()
        self._server = grpc.server(concurrent.futures.ThreadPoolExecutor(max_workers=8),
                                   options=_MESSAGE_LIMITS + [("grpc.so_reuseport", 0)])
        try:
            port = self._server.add_insecure_port(address)
        except RuntimeError:
            port = 0
        if not port:
            raise errors.UnknownError(None, None, f"Could not start gRPC server: failed to "
                                      f"bind {address}")
        host = address.rsplit(":", 1)[0]
        self.address = f"{host}:{port}"
        jobs = cluster.as_dict()
        tasks = jobs[job_name]
        tasks[task_index] = self.address  # a port 0 in the ClusterSpec is now the real one
        self.cluster = ClusterSpec(jobs)
        self._peers = {}
        self._peers_lock = threading.Lock()
        self.master = Master(self, config)
        self._server.add_generic_rpc_handlers((
            grpc.method_handlers_generic_handler(wire.WORKER_SERVICE, {
                "ReadVariables": unary_handler(self._read_variables),
                "UpdateVariables": unary_handler(self._update_variables),
                "Reset": unary_handler(self._reset)}),
            self.master.handler()))
        self._started = False

    def start(self):
        if not self._started:
            self._server.start()
            self._started = True

    def join(self):
        self.start()
        self._server.wait_for_termination()

    def stop(self, grace=None):
        """Stops serving (not part of TF's API: its servers end with their process)."""
        self._server.stop(grace)
        with self._peers_lock:
            for peer in self._peers.values():
                peer.close()

    def devices(self):
        """Every CPU device of the cluster, this task's first."""
        own = f"/job:{self.job_name}/replica:0/task:{self.task_index}/device:CPU:0"
        names = [own]
        for job in self.cluster.jobs:
            for index in self.cluster.task_indices(job):
                name = f"/job:{job}/replica:0/task:{index}/device:CPU:0"
                if name != own:
                    names.append(name)
        return names

    def peer(self, job, task):
        """None for this task, else the stubs of that task's server."""
        if (job, task) == (self.job_name, self.task_index):
            return None
        address = self.cluster.task_address(job, task)
        with self._peers_lock:
            peer = self._peers.get(address)
            if peer is None:
                peer = self._peers[address] = Peer(address)
            return peer

    # ---- WorkerService ---------------------------------------------------------------------
    def _read_variables(self, request):
        names = [name.decode() for name in wire.decode(request).get(1, [])]
        items = []
        for name, (version, value) in zip(names, self.store.read(names), strict=True):
            fields = [(1, name), (2, version)]
            if value is not None:
                fields.append((3, tensor_proto(value)))
            items.append((1, wire.encode(fields)))
        return wire.encode(items)

    def _update_variables(self, request):
        for item in wire.decode(request).get(1, []):
            fields = wire.decode(item)
            delta = wire.first(fields, 4)
            self.store.update(wire.text(fields, 1), wire.first(fields, 2, 0),
                              parse_tensor(wire.first(fields, 3, b"")),
                              None if delta is None else parse_tensor(delta))
        return b""

    def _reset(self, request):
        self.store.reset(decode_containers(request))
        return b""


def encode_containers(containers):
    """A Reset request: no field for "every container", else field 2 set and the names."""
    if containers is None:
        return b""
    return wire.encode([(2, 1)] + [(1, name) for name in containers])


def decode_containers(request):
    fields = wire.decode(request)
    if not wire.first(fields, 2, 0):
        return None
    return {name.decode() for name in fields.get(1, [])}


def copy_for_store(array):
    """A private copy of a session's variable array for a store."""
    return np.array(array, copy=True)
