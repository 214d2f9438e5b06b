"""The messages tfcompat's servers exchange over gRPC, as protobuf wire bytes.

Each message is a protobuf message written with ``lib.proto_wire``: strings, varints and
nested messages by field number; tensors travel as TensorProto bytes (``graph_def``'s
``tensor_proto`` / ``parse_tensor``), never as pickles. gRPC carries the bytes unchanged
(methods are registered with generic handlers, no generated code), and an error travels as
the gRPC status whose code is TF's error code (the two share their numbering).
"""
import grpc

from tfcompat.framework import errors
from tfcompat.framework.graph_def import parse_tensor, tensor_proto
from tfcompat.lib import proto_wire as pw

MASTER_SERVICE = "tfcompat.MasterService"
WORKER_SERVICE = "tfcompat.WorkerService"
_STATUS_BY_CODE = {status.value[0]: status for status in grpc.StatusCode}
OP_NAME_KEY = "tfcompat-op-name"  # trailing metadata naming the op a run failed in


def encode(fields):
    """Message bytes of ``[(field_number, value)]``: int -> varint, str/bytes -> bytes
    (joined once: a step's tensors make messages of megabytes)."""
    parts = []
    for number, value in fields:
        if isinstance(value, (bool, int)):
            parts.append(pw.field_varint(number, int(value)))
        else:
            parts.append(pw.field_bytes(number, value))
    return b"".join(parts)


def decode(data):
    """{field_number: [values]} of message bytes (varints as ints, the rest as bytes)."""
    fields = {}
    for number, _, value in pw.iter_fields(data):
        fields.setdefault(number, []).append(value)
    return fields


def first(fields, number, default=None):
    values = fields.get(number)
    return values[0] if values else default


def text(fields, number, default=""):
    value = first(fields, number)
    return default if value is None else value.decode()


def named_tensor(name, array):
    """A (name, TensorProto) pair message."""
    return encode([(1, name), (2, tensor_proto(array))])


def parse_named_tensor(data):
    fields = decode(data)
    return text(fields, 1), parse_tensor(first(fields, 2, b""))


def abort_with(context, exc):
    """Ends an RPC with the gRPC status of a TF error (UNKNOWN for any other exception)."""
    if isinstance(exc, errors.OpError):
        op = getattr(exc, "op", None)
        if op is not None and hasattr(op, "name"):
            context.set_trailing_metadata(((OP_NAME_KEY, op.name),))
        context.abort(_STATUS_BY_CODE.get(exc.error_code, grpc.StatusCode.UNKNOWN), exc.message)
    context.abort(grpc.StatusCode.UNKNOWN, f"{type(exc).__name__}: {exc}")


def as_tf_error(rpc_error, graph=None):
    """The tf.errors exception a failed RPC stands for; its ``op`` is found in ``graph``
    when the server named one (without a graph, a stand-in keeps the op's name)."""
    code = rpc_error.code()
    error_code = code.value[0] if code is not None else errors.UNKNOWN
    op = None
    for key, value in rpc_error.trailing_metadata() or ():
        if key == OP_NAME_KEY:
            op = _op_named(graph, value)
    return errors.exception_type_from_error_code(error_code)(
        None, op, rpc_error.details() or str(code))


class _OpName:
    """Stands for the op an error names while it travels on (a master passing a worker's
    error to its client): only its name is known."""

    def __init__(self, name):
        self.name = name


def _op_named(graph, name):
    """The op called ``name`` in ``graph`` (None if it has none); without a graph, a
    stand-in carrying the name."""
    if graph is None:
        return _OpName(name)
    try:
        return graph.get_operation_by_name(name)
    except (KeyError, ValueError):
        return None
