"""tf.profiler.Profiler's time views against TensorFlow's: profiler_cases.py's graphs over
two synthetic traced steps (tests/golden/profiler_time_cases.py,
make_profiler_time_goldens.py), compared report for report and node for node."""
import importlib.util
import json
import pathlib

import pytest

import tfcompat as tf
from tfcompat.framework import step_stats

GOLDEN = pathlib.Path(__file__).parent.parent / "golden"
GOLDENS = json.loads((GOLDEN / "profiler_time_goldens.json").read_text())


def _load(name):
    spec = importlib.util.spec_from_file_location(name, GOLDEN / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CASES, TIMES = _load("profiler_cases"), _load("profiler_time_cases")


#: The op type TF 2.21's tf.add makes (tfcompat makes TF 1.15's Add).
TF2_ADD = "AddV2"


def _flatten(node, out, depth=0):
    members = [member.name for member in getattr(node, "graph_nodes", [])]
    name = TF2_ADD if node.name == "Add" and members else node.name
    out.append([depth, name, node.exec_micros, node.total_exec_micros,
                node.cpu_exec_micros, node.total_cpu_exec_micros,
                getattr(node, "run_count", 0), getattr(node, "total_run_count", 0),
                node.output_bytes, node.total_output_bytes,
                list(getattr(node, "devices", [])), members])
    for child in node.children:
        _flatten(child, out, depth + 1)
    return out


@pytest.mark.parametrize("case", TIMES.CASES)
@pytest.mark.parametrize("profile", sorted(TIMES.PROFILES))
def test_profiler_time_views_match_tensorflow(case, profile, tmp_path):
    graph = tf.Graph()
    with graph.as_default():
        CASES.CASES[case](tf)
    names = [op.name for op in graph.get_operations()]
    profiler = tf.profiler.Profiler(graph)
    for step in (0, 1):
        profiler.add_step(step, TIMES.run_metadata(tf, step_stats, names, step))
    views = {"scope": profiler.profile_name_scope, "graph": profiler.profile_graph,
             "op": profiler.profile_operations}
    cmd, options, step = TIMES.PROFILES[profile]
    report = tmp_path / "report.txt"
    node = views[cmd](options(tf).with_step(step).with_file_output(str(report)).build())
    golden = GOLDENS[f"{case}/{profile}"]
    assert _flatten(node, []) == golden["nodes"]
    text = report.read_text().replace("\nAdd  ", f"\n{TF2_ADD}")
    assert text == golden["report"]
