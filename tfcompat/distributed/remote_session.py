"""``tf.Session("grpc://host:port")``: a session whose graph runs on a server's master.

The client keeps TF 1.x's Session API (fetch structures, feed checks, errors): it flattens
fetches and checks feeds locally, sends its GraphDef whenever the graph grew since the last
run, and sends each run's feeds as TensorProto bytes with the names to fetch and the ops to
run. Errors come back as gRPC statuses carrying TF's error codes and are raised as the same
``tf.errors`` classes, naming the client graph's op.
"""
import grpc

from tfcompat.client.session import InteractiveSession, Session, _FetchMapper, _to_user_value
from tfcompat.distributed import wire
from tfcompat.distributed.server import (CHANNEL_OPTIONS, DEFAULT_PEER_TIMEOUT_S,
                                         encode_containers)
from tfcompat.framework import errors, ops
from tfcompat.framework.graph_def import graph_to_graph_def

GRPC_PREFIX = "grpc://"


def _connect(target, timeout):
    """A ready channel to ``target``'s server; UnavailableError when it cannot be reached in
    ``timeout`` seconds."""
    channel = grpc.insecure_channel(target[len(GRPC_PREFIX):], options=CHANNEL_OPTIONS)
    try:
        grpc.channel_ready_future(channel).result(timeout=timeout)
    except grpc.FutureTimeoutError:
        channel.close()
        raise errors.UnavailableError(
            None, None, f"failed to connect to all addresses: no server answered at {target} "
            f"within {timeout:g} s") from None
    return channel


class RemoteSession(Session):
    """A Session running its graph on the server at ``target`` (``grpc://host:port``)."""

    def __init__(self, target="", graph=None, config=None):
        target = target.decode() if isinstance(target, bytes) else target
        super().__init__(target, graph, config)
        timeout_ms = self._config.operation_timeout_in_ms
        # The server bounds its own waits by the operation timeout; this deadline is a
        # safety net for a server that stops answering, late enough to let it report first.
        self._timeout = 1.5 * timeout_ms / 1000.0 + 1.0 if timeout_ms > 0 else None
        self._calls = {}
        self._sent_graph = None  # (op count, graph version) of the GraphDef last sent
        try:
            self._channel = _connect(target, timeout_ms / 1000.0 if timeout_ms > 0
                                     else DEFAULT_PEER_TIMEOUT_S)
            response = wire.decode(self._call("CreateSession", wire.encode([
                (1, self._config.allow_soft_placement),
                (2, self._config.log_device_placement), (3, max(0, timeout_ms))])))
        except BaseException:
            if hasattr(self, "_channel"):
                self._channel.close()
            super().close()  # an InteractiveSession leaves the default-session stack
            raise
        self._handle = wire.text(response, 1)

    def _call(self, method, request, timeout=None):
        stub = self._calls.get(method)
        if stub is None:
            stub = self._calls[method] = self._channel.unary_unary(
                f"/{wire.MASTER_SERVICE}/{method}")
        try:
            return stub(request, timeout=timeout or self._timeout)
        except grpc.RpcError as exc:
            raise wire.as_tf_error(exc, self._graph) from None

    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Runs ``fetches`` on the server; values come back in the same structure."""
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        mapper = _FetchMapper(self._graph, fetches)
        feed_tensors, feed_values = self._process_feeds(feed_dict)
        fetch_names = [e.name for e in mapper.elements if isinstance(e, ops.Tensor)]
        request = [(1, self._handle)]
        graph_state = (len(self._graph._ops), self._graph._version)
        if graph_state != self._sent_graph:
            request.append((2, graph_to_graph_def(self._graph)))
        request += [(3, wire.named_tensor(t.name, v))
                    for t, v in zip(feed_tensors, feed_values, strict=True)]
        request += [(4, name) for name in fetch_names]
        request += [(5, e.name) for e in mapper.elements if isinstance(e, ops.Operation)]
        timeout_ms = getattr(options, "timeout_in_ms", 0) or 0
        if timeout_ms > 0:  # RunOptions(timeout_in_ms): the server gets it first, as above
            request.append((6, timeout_ms))
        response = wire.decode(self._call("RunStep", wire.encode(request), 1.5 * timeout_ms
                                          / 1000.0 + 1.0 if timeout_ms > 0 else None))
        self._sent_graph = graph_state
        arrays = iter(wire.parse_named_tensor(item)[1] for item in response.get(1, []))
        values = [_to_user_value(next(arrays)) if isinstance(e, ops.Tensor) else None
                  for e in mapper.elements]
        return mapper.build(values)

    def list_devices(self):
        from tfcompat.client.session import _Device
        names = wire.decode(self._call("ListDevices", b"")).get(1, [])
        return [_Device(name.decode(), "CPU") for name in names]

    def close(self):
        if not self._closed:
            try:
                self._call("CloseSession", wire.encode([(1, self._handle)]))
            except errors.OpError:
                pass  # the server is gone: nothing to release
            self._channel.close()
        super().close()

    def __del__(self):
        if not getattr(self, "_closed", True) and hasattr(self, "_channel"):
            self._channel.close()
        self._closed = True


class RemoteInteractiveSession(RemoteSession, InteractiveSession):
    """``tf.InteractiveSession("grpc://...")``: a remote session that makes itself the
    default session when it is created."""


def reset(target, containers=None, config=None):
    """Empties the resources (variables, shared queues) of every task of ``target``'s
    cluster, or only those of the given containers (``tf.Session.reset``)."""
    target = target.decode() if isinstance(target, bytes) else target
    channel = _connect(target, DEFAULT_PEER_TIMEOUT_S)
    try:
        channel.unary_unary(f"/{wire.MASTER_SERVICE}/Reset")(
            encode_containers(None if containers is None else list(containers)),
            timeout=DEFAULT_PEER_TIMEOUT_S)
    except grpc.RpcError as exc:
        raise wire.as_tf_error(exc) from None
    finally:
        channel.close()
