"""tf.profiler.profile: parameter and float-operation counts of a graph, TF 1.15's "scope"
and "graph" views (tfprof's accounting, filtering, ordering and text report)."""
import re
import sys

from tfcompat.framework import errors
from tfcompat.framework import ops
from tfcompat.profiler import flops_registry
from tfcompat.profiler.option_builder import TRAINABLE_VARIABLES, ProfileOptionBuilder
from tfcompat.profiler.tfprof_output import STAT_FIELDS, GraphNodeProto

_ROOT = "_TFProfRoot"
_ROOT_TYPES = {"scope": "_kTFScopeParent", "graph": "_TFGraphParent"}
_SCOPE_DOC = ("scope: The nodes in the model graph are organized by their names, which is "
              "hierarchical like filesystem.")
_TOTAL_TIME_DOC = ("total execution time: Sum of accelerator execution time and cpu "
                   "execution time.")
_CPU_TIME_DOC = ("cpu execution time: The time from the start to the end of the operation. "
                 "It's the sum of actual cpu run time plus the time that it spends waiting "
                 "if part of computation is launched asynchronously.")
_ACCELERATOR_TIME_DOC = ("accelerator execution time: Time spent executing on the "
                         "accelerator. This is normally measured by the actual hardware "
                         "library.")
#: select key -> its lines under "Doc:" (printed in the keys' sorted order, as TF does).
_DOCS = {
    "accelerator_micros": (_ACCELERATOR_TIME_DOC,),
    "bytes": ("requested bytes: The memory requested by the operation, accumulatively.",),
    "cpu_micros": (_CPU_TIME_DOC,),
    "device": ("device: which device is placed on.",),
    "float_ops": ("flops: Number of float operations. Note: Please read the implementation "
                  "for the math behind it.",),
    "input_shapes": ("input shape: The shape of input tensors",),
    "micros": (_TOTAL_TIME_DOC, _CPU_TIME_DOC, _ACCELERATOR_TIME_DOC),
    "occurrence": ("occurrence: The number of times it occurs",),
    "op_types": ("op_types: The attributes of the operation, includes the Kernel name device "
                 "placed on and user-defined strings.",),
    "output_bytes": ("output bytes: The memory that is output from the operation (not "
                     "necessarily allocated by the operation)",),
    "params": ("param: Number of parameters (in the Variable).",),
    "peak_bytes": ("peak bytes: The peak amount of memory that the operation is holding at "
                   "some point.",),
    "residual_bytes": ("residual bytes: The memory not de-allocated after the operation "
                       "finishes.",),
    "tensor_value": ("tensor_value: Not supported now.",),
}
#: Report columns in TF's order: (select key, header, proto field, unit formatter).
_COLUMNS = (("params", "# parameters", "parameters", None),
            ("float_ops", "# float_ops", "float_ops", None),
            ("bytes", "requested bytes", "requested_bytes", "B"),
            ("peak_bytes", "peak bytes", "peak_bytes", "B"),
            ("residual_bytes", "residual bytes", "residual_bytes", "B"),
            ("output_bytes", "output bytes", "output_bytes", "B"),
            ("micros", "total execution time", "exec_micros", "us"),
            ("accelerator_micros", "accelerator execution time", "accelerator_exec_micros",
             "us"),
            ("cpu_micros", "cpu execution time", "cpu_exec_micros", "us"),
            ("device", "assigned devices", None, None),
            ("op_types", "op types", None, None),
            ("occurrence", "op count (run|defined)", None, None),
            ("input_shapes", "input shapes", None, None))
#: order_by value -> the total statistic it sorts on, largest first ("name": by name).
_ORDER_FIELDS = {"params": "total_parameters", "float_ops": "total_float_ops",
                 "bytes": "total_requested_bytes", "peak_bytes": "total_peak_bytes",
                 "residual_bytes": "total_residual_bytes",
                 "output_bytes": "total_output_bytes", "micros": "total_exec_micros",
                 "accelerator_micros": "total_accelerator_exec_micros",
                 "cpu_micros": "total_cpu_exec_micros", "occurrence": "total_run_count"}
#: min_* option -> the node's own statistic it bounds.
_MINIMA = {"min_params": "parameters", "min_float_ops": "float_ops", "min_bytes":
           "requested_bytes", "min_peak_bytes": "peak_bytes", "min_residual_bytes":
           "residual_bytes", "min_output_bytes": "output_bytes", "min_micros": "exec_micros",
           "min_accelerator_micros": "accelerator_exec_micros", "min_cpu_micros":
           "cpu_exec_micros", "min_occurrence": "run_count"}
_OWN_FIELDS = tuple(field for field in STAT_FIELDS if not field.startswith("total_"))


class _Node:
    """A profile node under construction: its proto, types, shape and tree edges."""

    def __init__(self, name, types, op=None):
        self.proto = GraphNodeProto(name)
        self.op = op
        self.types = types
        self.shape = []
        self.accounted = False
        self.edges = []  # scope children (by name) or graph inputs (in input order)
        self.kept = []  # the accounted subtree's children
        if op is not None and op.device:
            self.proto.devices.append(op.device)

    def reset_totals(self, definitions=1):
        """Totals start as the node's own statistics; ``definitions``: the graph nodes it
        counts itself as (the root: 1 only when totals count displayed nodes, as in TF)."""
        proto = self.proto
        for field in _OWN_FIELDS:
            setattr(proto, f"total_{field}", getattr(proto, field))
        proto.total_definition_count = definitions

    def add_totals(self, child):
        for field in STAT_FIELDS:
            if field.startswith("total_"):
                setattr(self.proto, field, getattr(self.proto, field)
                        + getattr(child.proto, field))


def _dims_of(shape):
    """TF's shape vector: [] for an unknown rank, -1 for an unknown dim."""
    if shape.ndims is None:
        return []
    return [-1 if dim is None else dim for dim in shape.as_tuple()]


def _graph_nodes(graph):
    """One _Node per op with its parameters (elements of a "shape" attr), float ops and
    types (op type; ``_trainable_variables`` for the ops of trainable variables)."""
    trainable = {variable.op.name
                 for variable in graph.get_collection(ops.GraphKeys.TRAINABLE_VARIABLES)}
    nodes, missing_shapes = {}, 0
    for op in graph.get_operations():
        types = [op.type] + ([TRAINABLE_VARIABLES] if op.name in trainable else [])
        node = _Node(op.name, types, op)
        shape_attr = op.attrs.get("shape")
        if shape_attr is not None and hasattr(shape_attr, "ndims"):
            node.shape = _dims_of(shape_attr)
            if node.shape and min(node.shape) >= 0:
                node.proto.parameters = _product(node.shape)
        try:
            node.proto.float_ops = flops_registry.float_ops(op) or 0
        except ValueError:
            missing_shapes += 1
        for index, tensor in enumerate(op.inputs):
            node.proto.input_shapes[index] = _dims_of(tensor.shape) or [1]
        nodes[op.name] = node
    if missing_shapes:
        sys.stderr.write(f"{missing_shapes} ops no flops stats due to incomplete shapes.\n")
    return nodes


def _product(dims):
    result = 1
    for dim in dims:
        result *= dim
    return result


def _scope_roots(nodes):
    """The name-scope tree: each op under its longest existing name prefix, scopes without
    an op of their name made ``_kTFScopeParent`` nodes; children in name order."""
    every = dict(nodes)
    for name in list(nodes):
        prefix = name
        while "/" in prefix:
            prefix = prefix.rsplit("/", 1)[0]
            if prefix not in every:
                every[prefix] = _Node(prefix, [_ROOT_TYPES["scope"]])
    roots = []
    for name in sorted(every):
        parent = every.get(name.rsplit("/", 1)[0]) if "/" in name else None
        (parent.edges if parent is not None else roots).append(every[name])
    return roots


def _graph_roots(nodes, graph):
    """The dataflow view: the ops nothing consumes (in name order), each with its inputs
    (data, then control, in input order: the order a shared input is first reached in)
    as children."""
    consumed = set()
    for op in graph.get_operations():
        inputs = [tensor.op.name for tensor in op.inputs]
        inputs += [control.name for control in op.control_inputs]
        nodes[op.name].edges = [nodes[name] for name in dict.fromkeys(inputs)]
        consumed.update(inputs)
    return [nodes[name] for name in sorted(nodes) if name not in consumed]


def _matches(regexes, text):
    return any(re.fullmatch(regex, text) for regex in regexes)


def _account(roots, options, visited, keep_ancestors):
    """Keeps the nodes whose types match ``account_type_regexes``; totals are a node's own
    statistics plus its kept children's. Other nodes are kept as ancestors of kept ones
    when ``keep_ancestors`` (the scope view), else their kept children take their place
    (the graph view, where a node reached twice is kept under the first)."""
    kept = []
    for node in roots:
        if node in visited:
            continue
        visited.add(node)
        children = _account(node.edges, options, visited, keep_ancestors)
        node.accounted = any(_matches(options["account_type_regexes"], kind)
                             for kind in node.types)
        if node.accounted or (children and keep_ancestors):
            node.reset_totals()
            for child in children:
                node.add_totals(child)
            node.kept = children
            kept.append(node)
        else:
            kept.extend(children)
    return kept


def _start_nodes(roots, regexes):
    """The topmost kept nodes whose names match ``start_name_regexes``."""
    found = []
    for node in roots:
        if _matches(regexes, node.proto.name):
            found.append(node)
        else:
            found.extend(_start_nodes(node.kept, regexes))
    return found


def _shown(node, options, depth):
    proto = node.proto
    if depth >= options["max_depth"]:
        return False
    if any(getattr(proto, field) < options.get(option, 0)
           for option, field in _MINIMA.items()):
        return False
    return (_matches(options["show_name_regexes"], proto.name)
            and not _matches(options["hide_name_regexes"], proto.name))


def _sorted(nodes, order_by):
    if order_by == "name":
        return sorted(nodes, key=lambda node: node.proto.name)
    field = _ORDER_FIELDS[order_by]
    return sorted(nodes, key=lambda node: -getattr(node.proto, field))


def _display(roots, options, depth):
    """The displayed nodes of ``roots``' subtrees: a hidden node's displayed descendants
    take its place; each shown node gets its displayed children as ``proto.children``."""
    shown = []
    for node in roots:
        children = []
        if depth + 1 < options["max_depth"] and not _matches(
                options["trim_name_regexes"], node.proto.name):
            children = _display(node.kept, options, depth + 1)
        if _shown(node, options, depth):
            _adopt(node, children, options)
            shown.append(node)
        else:
            shown.extend(children)
    return shown


def _adopt(node, children, options):
    node.kept = _sorted(children, options["order_by"])
    node.proto.children = [child.proto for child in node.kept]
    if options["account_displayed_op_only"]:
        node.reset_totals()
        for child in node.kept:
            node.add_totals(child)


def _format_number(value, units=None):
    """tfprof's numbers: 999, 1.00k, 2.50m, 3.00b; with ``units`` B/KB/MB or us/ms/sec."""
    if units == "B":
        scales = ((1000, 1, "B"), (1000000, 1e3, "KB"), (None, 1e6, "MB"))
    elif units == "us":
        scales = ((1000, 1, "us"), (1000000, 1e3, "ms"), (None, 1e6, "sec"))
    else:
        scales = ((1000, 1, ""), (1000000, 1e3, "k"), (1000000000, 1e6, "m"), (None, 1e9, "b"))
    for limit, scale, suffix in scales:
        if limit is None or value < limit:
            return f"{value}{suffix}" if scale == 1 else f"{value / scale:.2f}{suffix}"
    raise AssertionError("unreachable")


def _own_and_total(node, field, units):
    own = _format_number(getattr(node.proto, field), units) if node.accounted else "--"
    return f"{own}/{_format_number(getattr(node.proto, 'total_' + field), units)}"


def _node_fields(node, selected):
    proto, fields = node.proto, []
    for key, _, field, units in _COLUMNS:
        if key not in selected:
            continue
        if key == "params":
            shape = "x".join("?" if dim < 0 else str(dim) for dim in node.shape)
            params = f"{_own_and_total(node, field, units)} params"
            fields.append(f"{shape}, {params}" if shape else params)
        elif key == "float_ops":
            fields.append(f"{_own_and_total(node, field, units)} flops")
        elif field is not None:
            fields.append(_own_and_total(node, field, units))
        elif key == "device":
            fields.extend(["|".join(proto.devices)] if proto.devices else [])
        elif key == "op_types":
            fields.append("|".join(node.types))
        elif key == "occurrence":
            own_runs, own_defs = ((proto.run_count, 1) if node.accounted else ("--", "--"))
            fields.append(f"{own_runs}/{proto.total_run_count}|"
                          f"{own_defs}/{proto.total_definition_count}")
        else:
            fields.append("|".join(f"{index}:{'x'.join(map(str, dims))}"
                                   for index, dims in sorted(proto.input_shapes.items())))
    return fields


def _report(root, selected):
    lines = ["", "Doc:", _SCOPE_DOC]
    for key in sorted(selected):
        lines.extend(_DOCS[key])
    if "micros" in selected:
        selected = selected | {"accelerator_micros", "cpu_micros"}
    headers = [header for key, header, _, _ in _COLUMNS if key in selected]
    lines += ["", "Profile:", " | ".join(["node name"] + headers)]

    def walk(node, indent):
        lines.append(f"{indent}{node.proto.name} ({', '.join(_node_fields(node, selected))})")
        for child in node.kept:
            walk(child, indent + "  ")

    walk(root, "")
    return "\n".join(lines) + "\n"


def _selected(options):
    selected = set(options["select"])
    unknown = sorted(selected - set(_DOCS))
    if unknown:
        raise errors.InvalidArgumentError(None, None, f"Invalid select option: {unknown[0]}")
    if options["order_by"] != "name" and options["order_by"] not in _ORDER_FIELDS:
        raise errors.InvalidArgumentError(
            None, None, f"Invalid order_by option: {options['order_by']}")
    return selected


def _write(text, output):
    if output == "stdout":
        sys.stdout.write(text)
    elif output.startswith("file:outfile="):
        with open(output[len("file:outfile="):], "w") as report:
            report.write(text)
    elif output != "none":
        raise NotImplementedError(f"tfcompat's tf.profiler does not write output '{output}' "
                                  "yet (only stdout, file and none)")


def profile(graph=None, run_meta=None, op_log=None, cmd="scope", options=None):
    """Profiles ``graph``'s parameters and float operations (``tf.profiler.profile``).

    ``cmd`` "scope" organises the ops by name scope, "graph" by dataflow (each op under the
    first op consuming it, the unconsumed ops at the top). Parameters are the elements of an
    op's ``shape`` attr (variables, placeholders); float ops come from TF's per-op formulas
    (ops with unknown shapes are counted on stderr and skipped, as TF does). ``options``
    (default: ``ProfileOptionBuilder.trainable_variables_parameter()``) accounts, filters,
    orders and selects as tfprof does; the report goes to stdout, a file or nowhere. Returns
    the root GraphNodeProto "_TFProfRoot". Run-time statistics (``run_meta``), op logs and
    the "op"/"code" views are not implemented.
    """
    if run_meta is not None or op_log is not None:
        raise NotImplementedError("tfcompat's tf.profiler.profile does not read run_meta or "
                                  "op_log yet")
    if cmd not in _ROOT_TYPES:
        if cmd in ("op", "code"):
            raise NotImplementedError(f"tfcompat's tf.profiler.profile does not implement "
                                      f"cmd '{cmd}' yet (only 'scope' and 'graph')")
        raise errors.InvalidArgumentError(None, None, f"unknown cmd: {cmd}\n")
    graph = graph if graph is not None else ops.get_default_graph()
    if options is None:
        options = ProfileOptionBuilder.trainable_variables_parameter()
    options = {**ProfileOptionBuilder().build(), **options}
    selected = _selected(options)
    nodes = _graph_nodes(graph)
    roots = _scope_roots(nodes) if cmd == "scope" else _graph_roots(nodes, graph)
    root = _Node(_ROOT, [_ROOT_TYPES[cmd]])
    root.kept = _account(roots, options, set(), keep_ancestors=cmd == "scope")
    root.reset_totals(definitions=0)
    for child in root.kept:
        root.add_totals(child)
    if options["start_name_regexes"] != [".*"]:
        root.kept = _start_nodes(root.kept, options["start_name_regexes"])
    _adopt(root, _display(root.kept, options, 1), options)
    _write(_report(root, selected), options["output"])
    return root.proto
