"""tf.profiler.GraphNodeProto and MultiGraphNodeProto: the nodes of a profile (TF's messages)."""

#: The int64 statistics of a node, in the proto's field order (own value, then total).
STAT_FIELDS = ("exec_micros", "requested_bytes", "parameters", "total_exec_micros",
               "total_requested_bytes", "total_parameters", "float_ops", "total_float_ops",
               "accelerator_exec_micros", "cpu_exec_micros", "total_accelerator_exec_micros",
               "total_cpu_exec_micros", "run_count", "total_run_count",
               "total_definition_count", "peak_bytes", "residual_bytes", "output_bytes",
               "total_peak_bytes", "total_residual_bytes", "total_output_bytes")

#: The statistics of a MultiGraphNodeProto (no run or definition counts).
MULTI_STAT_FIELDS = tuple(field for field in STAT_FIELDS if not field.endswith(
    ("run_count", "definition_count")))

#: Text-format order of the fields (TF's field numbers).
_TEXT_ORDER = ("name", "exec_micros", "requested_bytes", "parameters", "total_exec_micros",
               "total_requested_bytes", "total_parameters", "devices", "children",
               "float_ops", "total_float_ops", "input_shapes", "accelerator_exec_micros",
               "cpu_exec_micros", "total_accelerator_exec_micros", "total_cpu_exec_micros",
               "run_count", "total_run_count", "total_definition_count", "peak_bytes",
               "residual_bytes", "output_bytes", "total_peak_bytes", "total_residual_bytes",
               "total_output_bytes")


class GraphNodeProto:
    """A profile node: ``name``, own and ``total_*`` statistics (zero when not measured),
    ``devices``, ``input_shapes`` (input index -> list of dims) and ``children``.

    ``str()`` gives protobuf's text format (fields at their defaults left out), as printing
    TF's message does.
    """

    _STAT_FIELDS = STAT_FIELDS
    _TEXT_ORDER = _TEXT_ORDER

    def __init__(self, name=""):
        self.name = name
        for field in self._STAT_FIELDS:
            setattr(self, field, 0)
        self.devices = []
        self.input_shapes = {}
        self.children = []

    def __repr__(self):
        return f"<{type(self).__name__} '{self.name}'>"

    def __str__(self):
        return "".join(self._text_lines(""))

    def _text_lines(self, indent):
        for field in self._TEXT_ORDER:
            value = getattr(self, field)
            if field in ("children", "graph_nodes"):
                for child in value:
                    yield f"{indent}{field} {{\n"
                    yield from child._text_lines(indent + "  ")
                    yield f"{indent}}}\n"
            elif field == "devices":
                yield from (f'{indent}devices: "{device}"\n' for device in value)
            elif field == "input_shapes":
                for index, dims in sorted(value.items()):
                    yield from _shape_entry_lines(indent, index, dims)
            elif field == "name":
                yield f'{indent}name: "{value}"\n'
            elif value:
                yield f"{indent}{field}: {value}\n"


class MultiGraphNodeProto(GraphNodeProto):
    """A node of the "op" view: one op type, the statistics of its ``graph_nodes``
    (GraphNodeProtos) summed, ``total_*`` also counting the types listed after it, which
    nest as its ``children``."""

    _STAT_FIELDS = MULTI_STAT_FIELDS
    _TEXT_ORDER = ("name", "exec_micros", "requested_bytes", "parameters", "float_ops",
                   "total_exec_micros", "total_requested_bytes", "total_parameters",
                   "total_float_ops", "graph_nodes", "children", "accelerator_exec_micros",
                   "cpu_exec_micros", "total_accelerator_exec_micros",
                   "total_cpu_exec_micros", "peak_bytes", "residual_bytes", "output_bytes",
                   "total_peak_bytes", "total_residual_bytes", "total_output_bytes")

    def __init__(self, name=""):
        super().__init__(name)
        self.graph_nodes = []


def _shape_entry_lines(indent, index, dims):
    inner = indent + "  "
    yield f"{indent}input_shapes {{\n{inner}key: {index}\n{inner}value {{\n"
    for size in dims:
        yield f"{inner}  dim {{\n{inner}    size: {size}\n{inner}  }}\n"
    yield f"{inner}}}\n{indent}}}\n"
