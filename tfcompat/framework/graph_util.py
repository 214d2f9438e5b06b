"""``tf.graph_util`` (TF 1.x ``framework/graph_util_impl.py``): GraphDef surgery for freezing
and pruning graphs. GraphDefs are tfcompat's ``GraphDef`` (serialized bytes + parsed
``NodeDef``s); the functions return new ones.
"""
import re

import numpy as np

from tfcompat.framework import dtypes, ops
from tfcompat.framework.graph_def import (GRAPH_DEF_PRODUCER, GraphDef, NodeDef, attr_value,
                                          import_graph_def)
from tfcompat.lib import proto_wire as pw

__all__ = ["convert_variables_to_constants", "extract_sub_graph", "import_graph_def",
           "must_run_on_cpu", "remove_training_nodes", "tensor_shape_from_node_def_name"]

_VARIABLE_OPS = ("Variable", "VariableV2", "VarHandleOp")


def _node_bytes(node):
    out = pw.field_bytes(1, node.name) + pw.field_bytes(2, node.op)
    for name in node.input:
        out += pw.field_bytes(3, name)
    if node.device:
        out += pw.field_bytes(4, node.device)
    for key in sorted(node.attr):
        out += pw.field_bytes(5, pw.field_bytes(1, key) + pw.field_bytes(2, attr_value(
            node.attr[key])))
    return out


def _graph_def(nodes):
    data = b"".join(pw.field_bytes(1, _node_bytes(node)) for node in nodes)
    return GraphDef(data + pw.field_bytes(4, pw.field_varint(1, GRAPH_DEF_PRODUCER)))


def _copy(node, inputs=None):
    new = NodeDef()
    new.name, new.op, new.device = node.name, node.op, node.device
    new.input = list(node.input if inputs is None else inputs)
    new.attr = dict(node.attr)
    return new


def _nodes_of(graph_def):
    if isinstance(graph_def, GraphDef):
        return graph_def.node
    if isinstance(graph_def, (bytes, bytearray)):
        return GraphDef(graph_def).node
    raise TypeError(f"graph_def must be a graph_pb2.GraphDef proto, got {type(graph_def)}")


def _node_name(reference):
    return re.sub(r"^\^", "", reference).split(":")[0]


def extract_sub_graph(graph_def, dest_nodes):
    """The nodes ``dest_nodes`` (names) need, in the GraphDef's order."""
    if isinstance(dest_nodes, str):
        raise TypeError("dest_nodes must be a list.")
    nodes = _nodes_of(graph_def)
    by_name = {node.name: node for node in nodes}
    for name in dest_nodes:
        if name not in by_name:
            raise AssertionError(f"{name} is not in graph")
    keep, stack = set(), list(dest_nodes)
    while stack:
        name = stack.pop()
        if name in keep:
            continue
        keep.add(name)
        stack.extend(_node_name(reference) for reference in by_name[name].input)
    return _graph_def([_copy(node) for node in nodes if node.name in keep])


def convert_variables_to_constants(sess, input_graph_def, output_node_names,
                                   variable_names_whitelist=None,
                                   variable_names_blacklist=None):
    """The subgraph for ``output_node_names`` with every variable replaced by a Const of
    its current value in ``sess`` (only those in the whitelist / not in the blacklist)."""
    subgraph = extract_sub_graph(input_graph_def, output_node_names).node
    names = [node.name for node in subgraph if node.op in _VARIABLE_OPS
             and (variable_names_whitelist is None or node.name in variable_names_whitelist)
             and (variable_names_blacklist is None
                  or node.name not in variable_names_blacklist)]
    values = dict(zip(names, sess.run([name + ":0" for name in names]), strict=True)) \
        if names else {}
    frozen = []
    for node in subgraph:
        if node.name in values:
            constant = _copy(node, inputs=[])
            constant.op = "Const"
            dtype = node.attr["dtype"]
            value = np.asarray(values[node.name], dtype=dtypes.as_dtype(
                dtype).as_numpy_dtype)
            constant.attr = {"dtype": dtypes.as_dtype(dtype).base_dtype, "value": value}
            frozen.append(constant)
        else:
            frozen.append(_copy(node))
    return _graph_def(frozen)


def remove_training_nodes(input_graph, protected_nodes=None):
    """TF's inference cleanup: CheckNumerics nodes (and edges from them) dropped, Identity
    nodes spliced out unless protected or tied to control edges."""
    protected = set(protected_nodes or ())
    nodes = _nodes_of(input_graph)
    removed = {node.name for node in nodes if node.op == "CheckNumerics"
               and node.name not in protected}
    kept = [_copy(node, [i for i in node.input if _node_name(i) not in removed])
            for node in nodes if node.name not in removed]
    control_inputs = {i[1:] for node in kept for i in node.input if i.startswith("^")}
    with_control = {node.name for node in kept if any(i.startswith("^") for i in node.input)}
    splice = {node.name: node.input[0] for node in kept
              if node.op == "Identity" and node.name not in protected
              and node.name not in with_control and node.name not in control_inputs}
    result = []
    for node in kept:
        if node.name in splice:
            continue
        inputs = []
        for reference in node.input:
            while reference.lstrip("^") in splice:
                reference = splice[reference.lstrip("^")]
            inputs.append(reference)
        result.append(_copy(node, inputs))
    return _graph_def(result)


def must_run_on_cpu(node, pin_variables_on_cpu=False):
    """Whether TF places the node (an Operation or NodeDef) on the CPU: int32/string
    constants, int32 DynamicStitch and Cast from int32, and variables when pinned."""
    if isinstance(node, ops.Operation):
        op_type, attrs = node.type, dict(node.attrs)
        if op_type == "Cast" and "SrcT" not in attrs:
            attrs["SrcT"] = node.inputs[0].dtype.base_dtype
    else:
        op_type, attrs = node.op, node.attr
    if pin_variables_on_cpu and op_type in _VARIABLE_OPS:
        return True
    checked = {"Const": "dtype", "DynamicStitch": "T", "ParallelDynamicStitch": "T",
               "Cast": "SrcT"}.get(op_type)
    if checked is None or checked not in attrs:
        return False
    dtype = dtypes.as_dtype(attrs[checked]).base_dtype
    return dtype == dtypes.int32 or (op_type == "Const" and dtype == dtypes.string)


def tensor_shape_from_node_def_name(graph, input_name):
    """The static shape of the tensor ``input_name`` (":0" when no index is given)."""
    if ":" not in input_name:
        input_name += ":0"
    return graph.get_tensor_by_name(input_name).get_shape()
