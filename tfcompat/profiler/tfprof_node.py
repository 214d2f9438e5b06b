"""The nodes tf.profiler's views are made of (tfprof's TFGraphNode: an op's parameters,
float ops, types and input shapes) and what the views share: options checks, documentation
lines, number formats and the report's destination."""
import math
import re
import sys

from tfcompat.framework import errors
from tfcompat.framework import ops
from tfcompat.profiler import flops_registry
from tfcompat.profiler.option_builder import TRAINABLE_VARIABLES
from tfcompat.profiler.tfprof_output import STAT_FIELDS, GraphNodeProto

ROOT = "_TFProfRoot"
SCOPE_DOC = ("scope: The nodes in the model graph are organized by their names, which is "
             "hierarchical like filesystem.")
TOTAL_TIME_DOC = ("total execution time: Sum of accelerator execution time and cpu "
                  "execution time.")
CPU_TIME_DOC = ("cpu execution time: The time from the start to the end of the operation. "
                "It's the sum of actual cpu run time plus the time that it spends waiting "
                "if part of computation is launched asynchronously.")
ACCELERATOR_TIME_DOC = ("accelerator execution time: Time spent executing on the "
                        "accelerator. This is normally measured by the actual hardware "
                        "library.")
#: select key -> its lines under "Doc:" (printed in the keys' sorted order, as TF does).
DOCS = {
    "accelerator_micros": (ACCELERATOR_TIME_DOC,),
    "bytes": ("requested bytes: The memory requested by the operation, accumulatively.",),
    "cpu_micros": (CPU_TIME_DOC,),
    "device": ("device: which device is placed on.",),
    "float_ops": ("flops: Number of float operations. Note: Please read the implementation "
        "for the math behind it.",),
    "input_shapes": ("input shape: The shape of input tensors",),
    "micros": (TOTAL_TIME_DOC, CPU_TIME_DOC, ACCELERATOR_TIME_DOC),
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
#: order_by value -> the total statistic it sorts on, largest first ("name": by name).
ORDER_FIELDS = {"params": "total_parameters", "float_ops": "total_float_ops",
                "bytes": "total_requested_bytes", "peak_bytes": "total_peak_bytes",
                "residual_bytes": "total_residual_bytes",
                "output_bytes": "total_output_bytes", "micros": "total_exec_micros",
                "accelerator_micros": "total_accelerator_exec_micros",
                "cpu_micros": "total_cpu_exec_micros", "occurrence": "total_run_count"}
#: min_* option -> the node's own statistic it bounds.
MINIMA = {"min_params": "parameters", "min_float_ops": "float_ops", "min_bytes":
          "requested_bytes", "min_peak_bytes": "peak_bytes", "min_residual_bytes":
          "residual_bytes", "min_output_bytes": "output_bytes", "min_micros": "exec_micros",
          "min_accelerator_micros": "accelerator_exec_micros", "min_cpu_micros":
          "cpu_exec_micros", "min_occurrence": "run_count"}
#: The min_* options bounding a scope or graph node's totals (the others bound its own).
BOUNDED_BY_TOTAL = frozenset(("min_bytes", "min_peak_bytes", "min_residual_bytes",
                              "min_output_bytes", "min_micros", "min_accelerator_micros",
                              "min_cpu_micros"))
OWN_FIELDS = tuple(field for field in STAT_FIELDS if not field.startswith("total_"))


class ProfileNode:
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
        for field in OWN_FIELDS:
            setattr(proto, f"total_{field}", getattr(proto, field))
        proto.total_definition_count = definitions

    def add_totals(self, child):
        for field in STAT_FIELDS:
            if field.startswith("total_"):
                setattr(self.proto, field, getattr(self.proto, field)
                        + getattr(child.proto, field))


def shape_dims(shape):
    """TF's shape vector: [] for an unknown rank, -1 for an unknown dim."""
    if shape.ndims is None:
        return []
    return [-1 if dim is None else dim for dim in shape.as_tuple()]


def graph_nodes(graph):
    """One ProfileNode per op with its parameters (elements of a "shape" attr), float ops and
    types (op type; ``_trainable_variables`` for the ops of trainable variables)."""
    trainable = {variable.op.name
                 for variable in graph.get_collection(ops.GraphKeys.TRAINABLE_VARIABLES)}
    nodes, missing_shapes = {}, 0
    for op in graph.get_operations():
        types = [op.type] + ([TRAINABLE_VARIABLES] if op.name in trainable else [])
        node = ProfileNode(op.name, types, op)
        shape_attr = op.attrs.get("shape")
        if shape_attr is not None and hasattr(shape_attr, "ndims"):
            node.shape = shape_dims(shape_attr)
            if node.shape and min(node.shape) >= 0:
                node.proto.parameters = math.prod(node.shape)
        try:
            node.proto.float_ops = flops_registry.float_ops(op) or 0
        except ValueError:
            missing_shapes += 1
        for index, tensor in enumerate(op.inputs):
            node.proto.input_shapes[index] = shape_dims(tensor.shape) or [1]
        nodes[op.name] = node
    if missing_shapes:
        sys.stderr.write(f"{missing_shapes} ops no flops stats due to incomplete shapes.\n")
    return nodes


def matches(regexes, text):
    return any(re.fullmatch(regex, text) for regex in regexes)


#: units -> (below this, divide by this, suffix) steps of tfprof's number formats.
_SCALES = {None: ((1000, 1, ""), (1000000, 1e3, "k"), (1000000000, 1e6, "m"),
                  (math.inf, 1e9, "b")),
           "B": ((1000, 1, "B"), (1000000, 1e3, "KB"), (math.inf, 1e6, "MB")),
           "us": ((1000, 1, "us"), (1000000, 1e3, "ms"), (math.inf, 1e6, "sec"))}


def format_number(value, units=None):
    """tfprof's numbers: 999, 1.00k, 2.50m, 3.00b; with ``units`` B/KB/MB or us/ms/sec."""
    _, scale, suffix = next(step for step in _SCALES[units] if value < step[0])
    return f"{value}{suffix}" if scale == 1 else f"{value / scale:.2f}{suffix}"


def selected_attributes(options):
    selected = set(options["select"])
    unknown = sorted(selected - set(DOCS))
    if unknown:
        raise errors.InvalidArgumentError(None, None, f"Invalid select option: {unknown[0]}")
    if options["order_by"] != "name" and options["order_by"] not in ORDER_FIELDS:
        raise errors.InvalidArgumentError(
            None, None, f"Invalid order_by option: {options['order_by']}")
    return selected


def write_report(text, output):
    if output == "stdout":
        sys.stdout.write(text)
    elif output.startswith("file:outfile="):
        with open(output[len("file:outfile="):], "w") as report:
            report.write(text)
    elif output != "none":
        raise NotImplementedError(f"tfcompat's tf.profiler does not write output '{output}' "
                                  "yet (only stdout, file and none)")
