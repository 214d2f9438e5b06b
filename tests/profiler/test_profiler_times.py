"""tf.profiler's run times from traced runs: per-node times equal to the step stats', totals,
the "op" view's run counts, tf.profiler.Profiler's steps (TF 1.15's tfprof semantics)."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.framework import step_stats
from tfcompat.profiler.tfprof_node import format_number

CPU = "/job:localhost/replica:0/task:0/device:CPU:0"
CANONICAL_CPU = "/job:localhost/replica:0/task:0/device:cpu:0"


def _dense_graph():
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [4, 3], name="x")
        with tf.variable_scope("dense"):
            w = tf.get_variable("w", [3, 2])
            y = tf.matmul(x, w)
        total = tf.reduce_sum(tf.nn.relu(y), name="total")
    return graph, x, total


def _traced_run(graph, x, total):
    run_meta = tf.RunMetadata()
    with tf.Session(graph=graph) as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(total, {x: np.ones([4, 3], np.float32)},
                 options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE),
                 run_metadata=run_meta)
    return run_meta


def _stats_micros(run_meta):
    """{node name: (summed op_end_rel_micros with 0 counted as 1, entries)}."""
    micros = {}
    for device in run_meta.step_stats.dev_stats:
        for stats in device.node_stats:
            spent, runs = micros.get(stats.node_name, (0, 0))
            micros[stats.node_name] = (spent + max(stats.op_end_rel_micros, 1), runs + 1)
    return micros


#: Output bytes of some of the dense graph's ops (float32 4x2, 3x2 and a scalar).
OUTPUT_BYTES = {"dense/MatMul": 32, "Relu": 32, "total": 4, "dense/w": 24}


def _walk(node):
    yield node
    for child in node.children:
        yield from _walk(child)


def _all_shown(cmd_options=None):
    builder = tf.profiler.ProfileOptionBuilder
    options = builder(builder.time_and_memory(min_bytes=0, min_micros=0))
    return (cmd_options or options).with_empty_output().build()


def _assert_totals_add_up(node):
    for field in ("exec_micros", "cpu_exec_micros", "run_count"):
        children = sum(getattr(child, f"total_{field}") for child in node.children)
        assert getattr(node, f"total_{field}") == getattr(node, field) + children
    for child in node.children:
        _assert_totals_add_up(child)


@pytest.mark.parametrize("cmd", ["scope", "graph"])
def test_node_times_are_the_step_stats_and_totals_add_up(cmd):
    graph, x, total = _dense_graph()
    run_meta = _traced_run(graph, x, total)
    expected = _stats_micros(run_meta)
    assert {"dense/MatMul", "Relu", "total"} <= set(expected)
    root = tf.profiler.profile(graph, run_meta=run_meta, cmd=cmd, options=_all_shown())
    seen = {}
    for node in _walk(root):
        if node.name in expected:
            seen[node.name] = (node.exec_micros, node.run_count)
            assert node.cpu_exec_micros == node.exec_micros
            assert node.accelerator_exec_micros == 0
            assert node.devices == [CANONICAL_CPU]
        elif node.name != "_TFProfRoot":
            assert node.exec_micros == node.run_count == 0
        assert node.requested_bytes == node.peak_bytes == 0  # no allocator traced
        assert node.output_bytes == OUTPUT_BYTES.get(node.name, node.output_bytes)
    assert seen == {name: expected[name] for name in seen}
    assert set(seen) == set(expected) & {op.name for op in graph.get_operations()}
    assert root.total_output_bytes == sum(
        allocation.tensor_description.allocation_description.requested_bytes
        for stats in run_meta.step_stats.dev_stats[0].node_stats for allocation in stats.output)
    assert root.total_exec_micros == sum(spent for spent, _ in seen.values())
    assert root.total_run_count == len(seen)
    root.exec_micros = root.cpu_exec_micros = 0
    _assert_totals_add_up(root)


def test_traced_outputs_give_dtype_shape_and_bytes():
    graph, x, total = _dense_graph()
    run_meta = _traced_run(graph, x, total)
    outputs = {stats.node_name: stats.output
               for stats in run_meta.step_stats.dev_stats[0].node_stats}
    [matmul] = outputs["dense/MatMul"]
    description = matmul.tensor_description
    assert (matmul.slot, description.dtype) == (0, tf.float32.as_datatype_enum)
    assert [dim.size for dim in description.shape.dim] == [4, 2]
    allocation = description.allocation_description
    assert (allocation.requested_bytes, allocation.allocated_bytes) == (32, 32)
    assert [dim.size for dim in outputs["total"][0].tensor_description.shape.dim] == []
    again = tf.RunMetadata.FromString(run_meta.SerializeToString())
    assert again.step_stats.dev_stats[0].node_stats[0].output == \
        run_meta.step_stats.dev_stats[0].node_stats[0].output


def test_op_view_sums_its_types_and_counts_runs(tmp_path):
    graph, x, total = _dense_graph()
    run_meta = _traced_run(graph, x, total)
    expected = _stats_micros(run_meta)
    report = tmp_path / "ops.txt"
    builder = tf.profiler.ProfileOptionBuilder
    options = builder(builder.time_and_memory(min_bytes=0, min_micros=0)).select(
        ["micros", "occurrence"]).with_file_output(str(report)).build()
    root = tf.profiler.profile(graph, run_meta=run_meta, cmd="op", options=options)
    types, node = {}, root
    while node.children:
        node = node.children[0]
        types[node.name] = node
        assert node.exec_micros == sum(expected.get(member.name, (0, 0))[0]
                                       for member in node.graph_nodes)
    assert types["MatMul"].exec_micros == expected["dense/MatMul"][0]
    assert root.total_exec_micros == sum(node.exec_micros for node in types.values())
    text = report.read_text()
    assert ("node name | total execution time | accelerator execution time | "
            "cpu execution time | op occurrence (run|defined)") in text
    matmul_line = next(line for line in text.splitlines() if line.startswith("MatMul "))
    assert matmul_line.endswith("1|1")
    placeholder_line = next(line for line in text.splitlines()
                            if line.startswith("Placeholder "))
    assert placeholder_line.endswith("0|1")


def test_scope_report_shows_own_and_total_times(capsys):
    graph, x, total = _dense_graph()
    run_meta = _traced_run(graph, x, total)
    builder = tf.profiler.ProfileOptionBuilder
    options = builder(builder.time_and_memory(min_bytes=0, min_micros=0)).build()
    root = tf.profiler.profile(graph, run_meta=run_meta, options=options)
    text = capsys.readouterr().out
    assert ("node name | requested bytes | total execution time | accelerator execution time"
            " | cpu execution time") in text
    matmul = next(node for node in _walk(root) if node.name == "dense/MatMul")
    spent = format_number(matmul.exec_micros, "us")
    assert f"    dense/MatMul (0B/0B, {spent}/{spent}, 0us/0us, {spent}/{spent})\n" in text
    assert f"_TFProfRoot (--/0B, --/{format_number(root.total_exec_micros, 'us')}," in text


def _synthetic_run_meta(micros):
    """A RunMetadata of ops ``micros`` ({name: [op_end_rel_micros of each execution]})."""
    nodes = [step_stats.NodeExecStats(node_name=name, all_start_micros=1000 + index,
                                      op_end_rel_micros=spent, all_end_rel_micros=spent)
             for index, (name, runs) in enumerate(micros.items()) for spent in runs]
    return tf.RunMetadata(step_stats=step_stats.StepStats(
        dev_stats=[step_stats.DeviceStepStats(device=CPU, node_stats=nodes)]))


def test_profiler_averages_steps_or_picks_one():
    graph, _, _ = _dense_graph()
    profiler = tf.profiler.Profiler(graph)
    profiler.add_step(0, _synthetic_run_meta({"dense/MatMul": [10], "Relu": [0]}))
    profiler.add_step(3, _synthetic_run_meta({"dense/MatMul": [31], "Relu": [4, 6]}))

    def times(view, step):
        builder = tf.profiler.ProfileOptionBuilder
        options = builder(_all_shown()).with_step(step).build()
        root = view(options)
        return {node.name: (node.exec_micros, node.run_count) for node in _walk(root)
                if node.name in ("dense/MatMul", "Relu")}

    # step -1: each node's integer average over the steps it ran in; 0 us counts as 1.
    assert times(profiler.profile_name_scope, -1) == {"dense/MatMul": (20, 1),
                                                       "Relu": (5, 1)}
    assert times(profiler.profile_graph, 0) == {"dense/MatMul": (10, 1), "Relu": (1, 1)}
    assert times(profiler.profile_name_scope, 3) == {"dense/MatMul": (31, 1),
                                                      "Relu": (10, 2)}
    assert times(profiler.profile_name_scope, 7) == {"dense/MatMul": (0, 0), "Relu": (0, 0)}
    ops_root = profiler.profile_operations(_all_shown())
    assert ops_root.total_exec_micros == 25
    with pytest.raises(NotImplementedError, match="advise"):
        profiler.advise()
    with pytest.raises(NotImplementedError, match="profile_python"):
        profiler.profile_python(_all_shown())


def test_untraced_run_meta_adds_no_times():
    graph, _, _ = _dense_graph()
    root = tf.profiler.profile(graph, run_meta=tf.RunMetadata(), options=_all_shown())
    assert root.total_exec_micros == root.total_run_count == 0


def test_output_bytes_add_each_executions_larger_allocation_figure():
    # TF 2.21's tfprof gives Relu 156 (108 + 48) and x 24 for these step stats.
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [4], name="x")
        tf.nn.relu(x, name="y")

    def executed(name, start, requested):
        allocation = step_stats.AllocationDescription(requested_bytes=requested,
                                                      allocated_bytes=requested + 8)
        output = step_stats.NodeOutput(tensor_description=step_stats.TensorDescription(
            allocation_description=allocation))
        return step_stats.NodeExecStats(node_name=name, all_start_micros=start,
                                        op_end_rel_micros=3, output=[output])

    run_meta = tf.RunMetadata(step_stats=step_stats.StepStats(dev_stats=[
        step_stats.DeviceStepStats(device=CPU, node_stats=[
            executed("x", 100, 16), executed("y", 110, 100), executed("y", 120, 40)])]))
    root = tf.profiler.profile(graph, run_meta=run_meta, options=_all_shown())
    assert {node.name: (node.output_bytes, node.run_count) for node in root.children} == {
        "x": (24, 1), "y": (156, 2)}
