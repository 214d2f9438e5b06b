"""The "op" view of tf.profiler.profile (tfprof's TFOp): the accounted graph nodes grouped by
op type, the types ordered and listed with their share of the totals."""
import itertools

from tfcompat.profiler.tfprof_node import (
    DOCS, MINIMA, ORDER_FIELDS, ROOT, format_number, matches)
from tfcompat.profiler.tfprof_output import MULTI_STAT_FIELDS, MultiGraphNodeProto

OP_DOC = ("op: The nodes are operation kernel type, such as MatMul, Conv2D. Graph nodes "
          "belonging to the same type are aggregated together.")
#: The op view's columns in TF's order: (select key, header, proto field, unit, label).
_COLUMNS = (("bytes", "requested bytes", "requested_bytes", "B", ""),
            ("peak_bytes", "peak bytes", "peak_bytes", "B", ""),
            ("residual_bytes", "residual bytes", "residual_bytes", "B", ""),
            ("output_bytes", "output bytes", "output_bytes", "B", ""),
            ("micros", "total execution time", "exec_micros", "us", ""),
            ("accelerator_micros", "accelerator execution time", "accelerator_exec_micros",
             "us", ""),
            ("cpu_micros", "cpu execution time", "cpu_exec_micros", "us", ""),
            ("params", "# parameters", "parameters", None, " params"),
            ("float_ops", "# float_ops", "float_ops", None, " float_ops"),
            ("device", "assigned devices", None, None, None),
            ("op_types", "op types", None, None, None),
            ("occurrence", "op occurrence (run|defined)", None, None, None))
_OWN_FIELDS = tuple(field for field in MULTI_STAT_FIELDS if not field.startswith("total_"))


class _TypeNode:
    """One op type: its accounted graph nodes and their summed statistics."""

    def __init__(self, op_type, members):
        self.proto = MultiGraphNodeProto(op_type)
        self.members = members
        self.types = sorted({kind for member in members for kind in member.types})
        self.devices = sorted({device for member in members for device in member.proto.devices})
        for member in members:
            member.reset_totals()
            self.proto.graph_nodes.append(member.proto)
            for field in _OWN_FIELDS:
                setattr(self.proto, field, getattr(self.proto, field)
                        + getattr(member.proto, field))


def _shown(node, options):
    """tfprof's filter of a type: the min_* options bound its totals (its statistics and
    those of the counted types after it), the name regexes its name."""
    proto = node.proto
    if any(getattr(proto, f"total_{field}", 0) < options.get(option, 0)
           for option, field in MINIMA.items()):
        return False
    return (matches(options["show_name_regexes"], proto.name)
            and not matches(options["hide_name_regexes"], proto.name))


def _counted(ordered, options):
    """The types whose statistics count: all of ``ordered`` or, with
    ``account_displayed_op_only``, the ones shown, decided from the last one on since a
    type's totals add those of the counted types after it."""
    counted, following = [], None
    for node in reversed(ordered):
        for field in _OWN_FIELDS:
            after = getattr(following.proto, f"total_{field}") if following else 0
            setattr(node.proto, f"total_{field}", getattr(node.proto, field) + after)
        if not options["account_displayed_op_only"] or _shown(node, options):
            counted.append(node)
            following = node
    return counted[::-1]


def _displayed(counted, options):
    """The counted types listed: from the first matching ``start_name_regexes``, until one
    matching ``trim_name_regexes`` or past ``max_depth`` positions, those ``_shown``."""
    start = next((index for index, node in enumerate(counted)
                  if matches(options["start_name_regexes"], node.proto.name)), len(counted))
    shown = []
    for depth, node in enumerate(counted[start:]):
        if matches(options["trim_name_regexes"], node.proto.name) or (
                depth > options["max_depth"]):
            break
        if _shown(node, options):
            shown.append(node)
    return shown


def _stat(node, root, field, unit, label):
    """``value label (share of the root's total from here on, own share)``, 30 wide."""
    total = getattr(node.proto, f"total_{field}")
    root_total = getattr(root.proto, f"total_{field}")
    accumulated = own = 0.0
    if total > 0:
        accumulated = 100.0 * total / root_total
        own = 100.0 * getattr(node.proto, field) / root_total
    value = format_number(getattr(node.proto, field), unit)
    return f"{value}{label} ({accumulated:.2f}%, {own:.2f}%)".rjust(30)


def _line(node, root, selected):
    fields = []
    for key, _, field, unit, label in _COLUMNS:
        if key not in selected:
            continue
        if field is not None:
            fields.append(_stat(node, root, field, unit, label))
        elif key == "device":
            fields.append("|".join(node.devices))
        elif key == "op_types":
            fields.append("|".join(node.types))
        else:
            runs = sum(member.proto.run_count for member in node.members)
            fields.append(f"{runs}|{len(node.members)}".rjust(10))
    return node.proto.name.ljust(25) + ", ".join(fields)


def profile_operations(nodes, options, selected):
    """The "op" view of ``nodes`` (name -> ProfileNode): returns the root
    MultiGraphNodeProto and the report's text."""
    if "input_shapes" in selected:
        raise NotImplementedError("tfcompat's tf.profiler does not show input_shapes in the "
                                  "'op' view yet")
    groups = {}
    for name in sorted(nodes):
        node = nodes[name]
        if any(matches(options["account_type_regexes"], kind) for kind in node.types):
            groups.setdefault(node.op.type, []).append(node)
    ordered = [_TypeNode(op_type, members) for op_type, members in sorted(groups.items())]
    if options["order_by"] != "name":
        field = ORDER_FIELDS[options["order_by"]][len("total_"):]
        ordered.sort(key=lambda node: -getattr(node.proto, field, 0))
    counted = _counted(ordered, options)
    shown = _displayed(counted, options)
    root = _TypeNode(ROOT, [])
    for field in _OWN_FIELDS:
        setattr(root.proto, f"total_{field}",
                getattr(counted[0].proto, f"total_{field}") if counted else 0)
    for parent, child in itertools.pairwise([root, *shown]):
        parent.proto.children = [child.proto]
    if "micros" in selected:
        selected = selected | {"accelerator_micros", "cpu_micros"}
    lines = ["", "Doc:", OP_DOC]
    for key in sorted(set(options["select"])):
        lines.extend(DOCS[key])
    headers = [header for key, header, *_ in _COLUMNS if key in selected]
    lines += ["", "Profile:", " | ".join(["node name"] + headers)]
    lines += [_line(node, root, selected) for node in shown]
    return root.proto, "\n".join(lines) + "\n"
