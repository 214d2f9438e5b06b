"""``tf.contrib.util``: TensorProto conversion, constant folding and op listing helpers
(``make_tensor_proto``, ``make_ndarray``, ``constant_value``, ``ops_used_by_graph_def``)."""
from tfcompat.framework.tensor_util import make_ndarray, make_tensor_proto  # noqa: F401
from tfcompat.ops.manip_ops import get_static_value as constant_value  # noqa: F401

__all__ = ["constant_value", "make_ndarray", "make_tensor_proto", "ops_used_by_graph_def"]


def ops_used_by_graph_def(graph_def):
    """The op types ``graph_def``'s nodes use, following calls into its function library
    (the library's functions themselves are not listed), as TF 1.15 does (unordered)."""
    library = graph_def.library
    used, pending = set(), []

    def mark(op_type):
        if op_type not in used and op_type in library:
            pending.append(library[op_type])
        used.add(op_type)

    for node in graph_def.node:
        mark(node.op)
    while pending:
        for node in pending.pop().nodes:
            mark(node.op)
    return [op_type for op_type in used if op_type not in library]


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.contrib.util' has no attribute '{name}': "
                         f"tfcompat does not implement tf.contrib.util.{name} yet")
