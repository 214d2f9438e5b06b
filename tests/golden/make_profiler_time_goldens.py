"""Writes profiler_time_goldens.json: TensorFlow's tf.profiler.Profiler reports and time
statistics of profiler_cases.py's graphs over two synthetic traced steps
(profiler_time_cases.py). Run with the TF scratch venv: /work/tfvenv/bin/python
tests/golden/make_profiler_time_goldens.py"""
import importlib.util
import json
import os
import pathlib
import tempfile
import types

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")  # tf.layers needs tf-keras

import tensorflow.compat.v1 as tf  # noqa: E402
from tensorflow.core.framework import allocation_description_pb2  # noqa: E402
from tensorflow.core.framework import step_stats_pb2  # noqa: E402
from tensorflow.core.framework import tensor_description_pb2  # noqa: E402

tf.disable_v2_behavior()
#: TF's step stats messages under the names of tfcompat.framework.step_stats.
MESSAGES = types.SimpleNamespace(
    AllocationDescription=allocation_description_pb2.AllocationDescription,
    TensorDescription=tensor_description_pb2.TensorDescription,
    **{name: getattr(step_stats_pb2, name) for name in (
        "NodeOutput", "NodeExecStats", "DeviceStepStats", "StepStats")})
HERE = pathlib.Path(__file__).parent


def _load(name):
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CASES, TIMES = _load("profiler_cases"), _load("profiler_time_cases")


def flatten(node, out, depth=0):
    members = [member.name for member in getattr(node, "graph_nodes", [])]
    out.append([depth, node.name, node.exec_micros, node.total_exec_micros,
                node.cpu_exec_micros, node.total_cpu_exec_micros,
                getattr(node, "run_count", 0), getattr(node, "total_run_count", 0),
                node.output_bytes, node.total_output_bytes,
                list(getattr(node, "devices", [])), members])
    for child in node.children:
        flatten(child, out, depth + 1)
    return out


def main():
    goldens = {}
    for case in TIMES.CASES:
        graph = tf.Graph()
        with graph.as_default():
            CASES.CASES[case](tf)
        names = [op.name for op in graph.get_operations()]
        profiler = tf.profiler.Profiler(graph)
        for step in (0, 1):
            profiler.add_step(step, TIMES.run_metadata(tf, MESSAGES, names, step))
        views = {"scope": profiler.profile_name_scope, "graph": profiler.profile_graph,
                 "op": profiler.profile_operations}
        for profile, (cmd, options, step) in TIMES.PROFILES.items():
            with tempfile.TemporaryDirectory() as tmp:
                report = pathlib.Path(tmp) / "report.txt"
                built = options(tf).with_step(step).with_file_output(str(report)).build()
                node = views[cmd](built)
                goldens[f"{case}/{profile}"] = {"report": report.read_text(),
                                                "nodes": flatten(node, [])}
        del profiler, views  # TF keeps one profiler: the next must not be made before
    text = json.dumps(goldens, separators=(",", ":"))
    (HERE / "profiler_time_goldens.json").write_text(text + "\n")


if __name__ == "__main__":
    main()
