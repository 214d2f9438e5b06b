"""``tensorflow.python.client.timeline``: a traced run's step statistics as a Chrome trace.

``Timeline(run_metadata.step_stats).generate_chrome_trace_format()`` gives the JSON that
chrome://tracing (or Perfetto) opens: a process per device (``<device> Compute``), one
complete event per op with its start and duration in microseconds, named by op type,
with the node name and inputs as arguments (TF's layout). tfcompat records no tensor
allocations, so ``show_memory`` adds nothing, and ``show_dataflow`` none of the flow
arrows TF draws from them.
"""
import json


class Timeline:
    """A Chrome trace of ``step_stats`` (a ``StepStats``; ``graph`` is accepted, as TF)."""

    def __init__(self, step_stats, graph=None):
        self._step_stats = step_stats
        self._graph = graph

    def generate_chrome_trace_format(self, show_dataflow=True, show_memory=False,
                                     op_time="schedule"):
        """The trace as a JSON string (``{"traceEvents": [...]}``)."""
        events = []
        for pid, device_stats in enumerate(self._step_stats.dev_stats):
            events.append({"name": "process_name", "ph": "M", "pid": pid,
                           "args": {"name": f"{device_stats.device} Compute"}})
            events.append({"name": "process_sort_index", "ph": "M", "pid": pid,
                           "args": {"sort_index": pid}})
            for node in device_stats.node_stats:
                op_type, inputs = _parse_label(node.timeline_label, node.node_name)
                args = {"name": node.node_name, "op": op_type}
                args.update((f"input{index}", name) for index, name in enumerate(inputs))
                events.append({"ph": "X", "cat": "Op", "name": op_type, "pid": pid,
                               "tid": node.thread_id, "ts": node.all_start_micros,
                               "dur": node.all_end_rel_micros, "args": args})
        return json.dumps({"traceEvents": events}, separators=(",", ":"))


def _parse_label(label, node_name):
    """(op type, input names) of a timeline label ``name = Type(input, ...)``."""
    _, _, call = label.partition(" = ")
    op_type, _, rest = call.partition("(")
    inputs = [name.strip() for name in rest.rstrip(")").split(",") if name.strip()]
    return (op_type or node_name), inputs
