"""One task of a cluster: a gRPC server with a master and a worker (what ``tf.train.Server``
starts).

Two services share the server's port: ``MasterService`` (``master.py``) takes the graphs and
steps of ``tf.Session(server.target)`` clients, splits each step by task and runs the parts
on the tasks' workers; ``WorkerService`` (``worker.py``) runs this task's parts, keeps its
resources (variables and shared queues outlive the sessions that made them) and hands
tensors to other tasks.
"""
import concurrent.futures
import threading

import grpc

from tfcompat.distributed import wire
from tfcompat.framework import errors
from tfcompat.framework.device import DeviceSpec

#: How long a task waits for another one (not yet started, or busy) when the session config
#: sets no ``operation_timeout_in_ms``: TF waits forever, tfcompat gives up with
#: UnavailableError / DeadlineExceededError after this many seconds.
DEFAULT_PEER_TIMEOUT_S = 60.0
#: Channel and server options: messages of any size, and HTTP/2 windows and frames large
#: enough that a step's tensors (megabytes) go out without waiting for window updates
#: (with gRPC's 64 KiB defaults a 1 MB message took 4-13 ms on localhost, 1 ms with these).
CHANNEL_OPTIONS = [("grpc.max_send_message_length", -1),
                   ("grpc.max_receive_message_length", -1),
                   ("grpc.http2.lookahead_bytes", 64 << 20),
                   ("grpc.http2.max_frame_size", (16 << 20) - 1)]


class Peer:
    """RPC stubs for another task's services."""

    def __init__(self, address):
        self.address = address
        # A task that went away is tried again within two seconds (a restarted ps is found
        # soon; gRPC's default backoff grows to two minutes).
        self._channel = grpc.insecure_channel(address, options=CHANNEL_OPTIONS + [
            ("grpc.initial_reconnect_backoff_ms", 200),
            ("grpc.max_reconnect_backoff_ms", 2000)])
        self._calls = {}

    def _stub(self, service, method):
        stub = self._calls.get((service, method))
        if stub is None:
            stub = self._calls[(service, method)] = self._channel.unary_unary(
                f"/{service}/{method}")
        return stub

    def call(self, service, method, request, timeout, wait_for_ready=True):
        """The response bytes of one unary call; with ``wait_for_ready`` it waits for a peer
        not (yet) serving up to ``timeout`` s, else one that is down fails at once
        (UnavailableError)."""
        try:
            return self._stub(service, method)(request, timeout=timeout,
                                               wait_for_ready=wait_for_ready)
        except grpc.RpcError as exc:
            raise self.error(method, exc) from None
        except ValueError:  # gRPC's "Cannot invoke RPC on closed channel!"
            raise self.closed(method) from None

    def closed(self, method):
        return errors.UnavailableError(None, None, f"{self.address} ({method}): the channel "
                                                   f"is closed (this server is stopping)")

    def error(self, method, rpc_error):
        """The TF error of a failed call, its message prefixed with this peer's address."""
        error = wire.as_tf_error(rpc_error)
        error.message = f"{self.address} ({method}): {error.message}"
        return error

    def future(self, service, method, request, timeout, wait_for_ready=True):
        """A gRPC future of one unary call; ``result()`` raises the TF error it ended with."""
        try:
            return _Future(self, method, self._stub(service, method).future(
                request, timeout=timeout, wait_for_ready=wait_for_ready))
        except ValueError:  # gRPC's "Cannot invoke RPC on closed channel!"
            raise self.closed(method) from None

    def reset(self, containers, timeout):
        self.call(wire.WORKER_SERVICE, "Reset", encode_containers(containers), timeout)

    def close(self):
        self._channel.close()


class _Future:
    def __init__(self, peer, method, future):
        self._peer, self._method, self._future = peer, method, future

    def add_done_callback(self, callback):
        self._future.add_done_callback(lambda _: callback(self))

    def result(self):
        try:
            return self._future.result()
        except grpc.RpcError as exc:
            raise self._peer.error(self._method, exc) from None


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
        from tfcompat.distributed.worker import Worker
        from tfcompat.train.server_lib import ClusterSpec
        self.job_name, self.task_index = job_name, task_index
        # Partition runs wait in _Recv and blocking ops: threads enough
        # for many steps at once.
        self._server = grpc.server(concurrent.futures.ThreadPoolExecutor(max_workers=64),
                                   options=CHANNEL_OPTIONS + [("grpc.so_reuseport", 0)])
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
        self.worker = Worker(self)
        self.master = Master(self, config)
        self._server.add_generic_rpc_handlers((
            grpc.method_handlers_generic_handler(wire.WORKER_SERVICE,
                                                 self.worker.handlers(unary_handler)),
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
        """Stops serving (not part of TF's API: its servers end with their process); what
        waits in its partitions ends with CancelledError."""
        self._server.stop(grace)
        self.worker.shutdown()
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

    def peer_of_device(self, device):
        """None for a device of this task, else the stubs of its task's server."""
        spec = DeviceSpec.from_string(device)
        return self.peer(spec.job, spec.task)


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

