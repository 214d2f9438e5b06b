"""tf.profiler.profile: parameter, float-operation and run-time statistics of a graph, TF
1.15's "scope" and "graph" views (tfprof's accounting, filtering, ordering and text report)."""
from tfcompat.framework import errors
from tfcompat.framework import ops
from tfcompat.profiler import tfprof_op
from tfcompat.profiler.option_builder import ProfileOptionBuilder
from tfcompat.profiler.tfprof_node import (
    BOUNDED_BY_TOTAL, DOCS, MINIMA, ORDER_FIELDS, ROOT, SCOPE_DOC, ProfileNode, format_number,
    graph_nodes, matches, selected_attributes, write_report)
from tfcompat.profiler.tfprof_steps import StepTimes

_ROOT_TYPES = {"scope": "_kTFScopeParent", "graph": "_TFGraphParent"}
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


def _scope_roots(nodes):
    """The name-scope tree: each op under its longest existing name prefix, scopes without
    an op of their name made ``_kTFScopeParent`` nodes; children in name order."""
    every = dict(nodes)
    for name in list(nodes):
        prefix = name
        while "/" in prefix:
            prefix = prefix.rsplit("/", 1)[0]
            if prefix not in every:
                every[prefix] = ProfileNode(prefix, [_ROOT_TYPES["scope"]])
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
        node.accounted = any(matches(options["account_type_regexes"], kind)
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
        if matches(regexes, node.proto.name):
            found.append(node)
        else:
            found.extend(_start_nodes(node.kept, regexes))
    return found


def _shown(node, options, depth):
    proto = node.proto
    if depth >= options["max_depth"]:
        return False
    if any(getattr(proto, f"total_{field}" if option in BOUNDED_BY_TOTAL else field)
           < options.get(option, 0) for option, field in MINIMA.items()):
        return False
    return (matches(options["show_name_regexes"], proto.name)
            and not matches(options["hide_name_regexes"], proto.name))


def _sorted(nodes, order_by):
    if order_by == "name":
        return sorted(nodes, key=lambda node: node.proto.name)
    field = ORDER_FIELDS[order_by]
    return sorted(nodes, key=lambda node: -getattr(node.proto, field))


def _display(roots, options, depth):
    """The displayed nodes of ``roots``' subtrees: a hidden node's displayed descendants
    take its place; each shown node gets its displayed children as ``proto.children``."""
    shown = []
    for node in roots:
        children = []
        if depth + 1 < options["max_depth"] and not matches(
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


def _own_and_total(node, field, units):
    own = format_number(getattr(node.proto, field), units) if node.accounted else "--"
    return f"{own}/{format_number(getattr(node.proto, 'total_' + field), units)}"


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
    lines = ["", "Doc:", SCOPE_DOC]
    for key in sorted(selected):
        lines.extend(DOCS[key])
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


def profile(graph=None, run_meta=None, op_log=None, cmd="scope", options=None):
    """Profiles ``graph``'s parameters, float operations and run times
    (``tf.profiler.profile``).

    ``cmd`` "scope" organises the ops by name scope, "graph" by dataflow (each op under the
    first op consuming it, the unconsumed ops at the top), "op" by op type (returning a
    MultiGraphNodeProto). Parameters are the elements of an op's ``shape`` attr (variables,
    placeholders); float ops come from TF's per-op formulas (ops with unknown shapes are
    counted on stderr and skipped, as TF does). A traced ``run_meta`` (a run with
    ``RunOptions(trace_level=FULL_TRACE)``) gives each op that ran its execution time, cpu
    time and run count from the step stats; an untraced one (the usual empty
    ``tf.RunMetadata()``) adds nothing, as in TF. tfcompat's traces record no allocations,
    so the memory statistics stay 0. ``options`` (default:
    ``ProfileOptionBuilder.trainable_variables_parameter()``) account, filter, order and
    select as tfprof does; the report goes to stdout, a file or nowhere. Returns the root
    "_TFProfRoot". Op logs and the "code" view are not implemented.
    """
    if op_log is not None:
        raise NotImplementedError("tfcompat's tf.profiler.profile does not read op_log yet")
    times = StepTimes()
    times.add(0, run_meta)
    return profile_with_times(graph, times, cmd, options)


def profile_with_times(graph, times, cmd, options):
    """``profile`` of ``graph`` with the run times of the steps in ``times`` (a
    StepTimes), averaged or picked by the ``step`` option."""
    if cmd not in ("scope", "graph", "op"):
        if cmd == "code":
            raise NotImplementedError("tfcompat's tf.profiler.profile does not implement "
                                      "cmd 'code' yet (only 'scope', 'graph' and 'op')")
        raise errors.InvalidArgumentError(None, None, f"unknown cmd: {cmd}\n")
    graph = graph if graph is not None else ops.get_default_graph()
    if options is None:
        options = ProfileOptionBuilder.trainable_variables_parameter()
    options = {**ProfileOptionBuilder().build(), **options}
    selected = selected_attributes(options)
    nodes = graph_nodes(graph)
    times.apply(nodes, options["step"])
    if cmd == "op":
        root_proto, text = tfprof_op.profile_operations(nodes, options, selected)
        write_report(text, options["output"])
        return root_proto
    roots = _scope_roots(nodes) if cmd == "scope" else _graph_roots(nodes, graph)
    root = ProfileNode(ROOT, [_ROOT_TYPES[cmd]])
    root.kept = _account(roots, options, set(), keep_ancestors=cmd == "scope")
    root.reset_totals(definitions=0)
    for child in root.kept:
        root.add_totals(child)
    if options["start_name_regexes"] != [".*"]:
        root.kept = _start_nodes(root.kept, options["start_name_regexes"])
    _adopt(root, _display(root.kept, options, 1), options)
    write_report(_report(root, selected), options["output"])
    return root.proto


class Profiler:
    """``tf.profiler.Profiler``: profiles one graph over the traced steps added to it.

    ``add_step(step, run_meta)`` records a traced run's step stats as step ``step``;
    ``profile_name_scope``, ``profile_graph`` and ``profile_operations`` give the "scope",
    "graph" and "op" views as ``tf.profiler.profile`` does, with the run times of the
    options' ``step`` (default -1: each op's average over the steps it ran in). The code
    view, op logs and the advisor are not implemented.
    """

    def __init__(self, graph=None, op_log=None):
        if op_log is not None:
            raise NotImplementedError("tfcompat's tf.profiler.Profiler does not read op_log "
                                      "yet")
        self._graph = graph if graph is not None else ops.get_default_graph()
        self._times = StepTimes()

    def add_step(self, step, run_meta):
        """Adds the step statistics of a traced run as step ``step``."""
        self._times.add(step, run_meta)

    def profile_name_scope(self, options):
        """The "scope" view (a GraphNodeProto)."""
        return profile_with_times(self._graph, self._times, "scope", options)

    def profile_graph(self, options):
        """The "graph" view (a GraphNodeProto)."""
        return profile_with_times(self._graph, self._times, "graph", options)

    def profile_operations(self, options):
        """The "op" view (a MultiGraphNodeProto)."""
        return profile_with_times(self._graph, self._times, "op", options)

    def profile_python(self, options):
        raise NotImplementedError("tfcompat's tf.profiler.Profiler does not implement the "
                                  "'code' view (profile_python) yet")

    def advise(self, options=None):
        raise NotImplementedError("tfcompat's tf.profiler.Profiler does not implement "
                                  "advise yet")
