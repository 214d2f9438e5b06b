"""Functions in a GraphDef's library (``FunctionDefLibrary``): read into graph ops, written
from them.

TensorFlow keeps the bodies of a graph's functions (tf.data's ``map``/``filter``
functions, ``tf.function``s) in ``GraphDef.library``: one ``FunctionDef`` each, whose
signature lists typed arguments and results and whose nodes name their inputs
``argument`` or ``node:output_arg:index``. A node's func attr (``MapDataset``'s ``f``)
names one. tfcompat runs a function body as ops of the graph itself (``TracedFunction``,
``ops/dataset_ops.py``), so importing such a node instantiates its function there: a
placeholder per element argument, the captured arguments wired to the node's own inputs
that carry them (TF's ``other_arguments``), and one op per body node under the name scope
``<node>/<function>/``; the node then gets the body description that tfcompat writes for
its own functions (``<attr>_body``), from which the TracedFunction is rebuilt.

Writing goes the other way (``library_bytes``): each traced function of the graph becomes a
FunctionDef (arguments ``args_<i>``, captures ``captured_<i>``, results ``output_<i>``) and
the node's func attr names it, so TensorFlow imports and runs tfcompat's input pipelines.
"""
import json

from tfcompat.framework import dtypes
from tfcompat.framework import node_attrs as node_attrs_lib
from tfcompat.lib import proto_wire as pw


class FunctionName(str):
    """A func attr's value: the name of a function of the library (a NameAttrList)."""


class FunctionDef:
    """A parsed FunctionDef: ``name``, ``inputs``/``outputs`` ([(arg name, dtype or None)]),
    ``nodes`` (NodeDefs) and ``ret`` ({output arg: "node:output_arg:index"})."""

    def __init__(self, data, parse_node_def):
        self.name, self.inputs, self.outputs, self.nodes, self.ret = "", [], [], [], {}
        for number, _, value in pw.iter_fields(data):
            if number == 1:
                self._parse_signature(value)
            elif number == 3:
                self.nodes.append(parse_node_def(value))
            elif number == 4:
                entry = dict((n, v.decode()) for n, _, v in pw.iter_fields(value))
                self.ret[entry.get(1, "")] = entry.get(2, "")

    def _parse_signature(self, data):
        for number, _, value in pw.iter_fields(data):
            if number == 1:
                self.name = value.decode()
            elif number in (2, 3):
                fields = {n: v for n, _, v in pw.iter_fields(value)}
                arg = (fields.get(1, b"").decode(),
                       dtypes.as_dtype(fields[3]) if fields.get(3) else None)
                (self.inputs if number == 2 else self.outputs).append(arg)


def parse_library(graph_def_bytes, parse_node_def):
    """{function name: FunctionDef} of a serialized GraphDef's library."""
    functions = {}
    for number, _, value in pw.iter_fields(graph_def_bytes):
        if number == 2:
            for field, _, item in pw.iter_fields(value):
                if field == 1:
                    function = FunctionDef(item, parse_node_def)
                    functions[function.name] = function
    return functions


def _arg_sizes(sig, args, attrs):
    """[(arg name, number of tensors)] of a signature's ``args`` for a node's ``attrs``."""
    sizes = []
    for arg in args:
        if arg.number_attr:
            sizes.append((arg.name, int(attrs.get(arg.number_attr, 0))))
        elif sig.is_type_list(arg):
            sizes.append((arg.name, len(attrs.get(arg.kind, ()))))
        else:
            sizes.append((arg.name, 1))
    return sizes


def _output_offsets(op_type, attrs):
    """{output arg name: index of its first tensor} of a node of ``op_type``."""
    sig = node_attrs_lib.signature(op_type)
    offsets, position = {}, 0
    for name, count in _arg_sizes(sig, sig.outputs, attrs) if sig else ():
        offsets[name] = position
        position += count
    return offsets


def _captured_inputs(op, attr, count):
    """The ``count`` inputs of ``op`` that carry the captured arguments of its function
    attr ``attr``: TF's ``other_arguments`` (``<attr>_other_arguments`` beside several
    functions)."""
    sig = node_attrs_lib.signature(op.type)
    wanted = ("other_arguments", f"{attr}_other_arguments")
    position = 0
    for name, size in _arg_sizes(sig, sig.inputs, op.attrs) if sig else ():
        if name in wanted:
            return list(op.inputs[position:position + count])
        position += size
    if count:
        raise ValueError(f"cannot find the inputs of '{op.name}' ({op.type}) that carry the "
                         f"captured arguments of its function attr '{attr}'")
    return []


def instantiate_functions(graph, ops, library, create_op):
    """Gives every op of ``ops`` whose func attrs name functions of ``library`` their bodies
    (ops made with ``create_op(op_type, inputs, attrs, name, control_inputs)``), and the
    ``<attr>_body`` description tfcompat reads them back from; bodies holding func attrs of
    their own are instantiated in turn."""
    pending = list(ops)
    while pending:
        op = pending.pop(0)
        sig = node_attrs_lib.signature(op.type)
        for attr, (kind, _, _) in (sig.attrs.items() if sig else ()):
            name = op.attrs.get(attr)
            if kind != "func" or not isinstance(name, str) or name not in library \
                    or f"{attr}_body" in op.attrs:
                continue
            body = _instantiate(graph, op, attr, library[name], create_op)
            pending.extend(body)


def _instantiate(graph, op, attr, function, create_op):
    """The ops of ``function``'s body for ``op``'s attr ``attr`` (see the module doc)."""
    captured_count = len(op.attrs.get("Targuments", ())) if attr in ("f", "predicate") \
        else len(op.attrs.get(f"T{attr}_other_arguments", ()))
    element_args = function.inputs[:len(function.inputs) - captured_count]
    captured = _captured_inputs(op, attr, captured_count)
    scope = f"{op.name}/{function.name}/"
    tensors = {}
    args = []
    for arg_name, dtype in element_args:
        placeholder = create_op("Placeholder", [], {"dtype": dtype or dtypes.float32},
                                scope + arg_name + "/", [])
        args.append(placeholder.outputs[0])
        tensors[arg_name] = placeholder.outputs[0]
    for (arg_name, _), tensor in zip(function.inputs[len(element_args):], captured):
        tensors[arg_name] = tensor
    by_name = {node.name: node for node in function.nodes}
    built, body = {}, []

    def tensor(reference):
        if reference in tensors:
            return tensors[reference]
        node_name, _, rest = reference.partition(":")
        output_arg, _, index = rest.partition(":")
        made = build(node_name)
        offset = _output_offsets(made.type, made.attrs).get(output_arg, 0) if output_arg else 0
        return made.outputs[offset + int(index or 0)]

    def build(node_name):
        if node_name in built:
            return built[node_name]
        node = by_name[node_name]
        inputs = [tensor(ref) for ref in node.input if not ref.startswith("^")]
        controls = [build(ref[1:]) for ref in node.input if ref.startswith("^")]
        made = create_op(node.op, inputs, node_attrs_lib.imported_attrs(node.op, node.attr),
                         scope + node.name + "/", controls)
        built[node_name] = made
        body.append(made)
        return made

    for node in function.nodes:
        build(node.name)
    outputs = [tensor(function.ret[name]) for name, _ in function.outputs]
    op.attrs[f"{attr}_body"] = json.dumps({
        "op": op.name, "args": [t.name for t in args], "outputs": [t.name for t in outputs],
        "captured": [t.name for t in captured]})
    return body


def _output_names(op):
    """["output_arg:index"] of each output of ``op`` (TF's FunctionDef references), or None
    for an op type TensorFlow does not have."""
    sig = node_attrs_lib.signature(op.type)
    if sig is None:
        return None
    names = [f"{name}:{index}" for name, count in
             _arg_sizes(sig, sig.outputs, node_attrs_lib.node_attrs(op))
             for index in range(count)]
    return names if len(names) == len(op.outputs) else None


def encode_function(name, args, outputs, captured, body, encode_node_def):
    """FunctionDef bytes of a traced function (``body``: its ops, argument placeholders
    included), or None when a body op has no TF signature (TF could not run it anyway)."""
    reference = {t: f"args_{i}" for i, t in enumerate(args)}
    reference.update({t: f"captured_{i}" for i, t in enumerate(captured)})
    nodes = []
    arg_ops = {t.op for t in args}
    for op in body:
        if op in arg_ops:
            continue
        names = _output_names(op)
        if names is None:
            return None
        reference.update((t, f"{op.name}:{names[i]}") for i, t in enumerate(op.outputs))
    for op in body:
        if op in arg_ops:
            continue
        inputs = [reference[t] for t in op.inputs] + [f"^{c.name}" for c in op.control_inputs]
        nodes.append(encode_node_def(op, inputs))
    signature = pw.field_bytes(1, name)
    for index, tensor in enumerate(list(args) + list(captured)):
        arg_name = f"args_{index}" if index < len(args) else f"captured_{index - len(args)}"
        signature += pw.field_bytes(2, pw.field_bytes(1, arg_name) + pw.field_varint(
            3, tensor.dtype.base_dtype.as_datatype_enum))
    for index, tensor in enumerate(outputs):
        signature += pw.field_bytes(3, pw.field_bytes(1, f"output_{index}") + pw.field_varint(
            3, tensor.dtype.base_dtype.as_datatype_enum))
    out = pw.field_bytes(1, signature) + b"".join(pw.field_bytes(3, node) for node in nodes)
    for index, tensor in enumerate(outputs):
        out += pw.field_bytes(4, pw.field_bytes(1, f"output_{index}")
                              + pw.field_bytes(2, reference[tensor]))
    return out
