"""Synthetic traced steps and time-view profiles shared by make_profiler_time_goldens.py
(real TensorFlow, compat.v1) and tests/profiler/test_profiler_time_goldens.py (tfcompat): the
graphs are profiler_cases.py's, each step's stats made from the graph's sorted op names.

``step_micros(names, step)``: {op name: [op_end_rel_micros of each execution]} (some ops do
not run, some run twice as in a while loop, some take 0 us); ``PROFILES``: profile name ->
(cmd, ``options(tf)``, the step option)."""

DEVICE = "/job:localhost/replica:0/task:0/device:CPU:0"
#: Cases whose op names are TF's (reductions_softmax's ArgMax constant is named otherwise).
CASES = ("dense_mlp", "conv_net")


def step_micros(names, step):
    micros = {}
    for name in sorted(names):
        code = sum(map(ord, name))
        if code % 3 == 2:
            continue
        spent = (7 * code + 11 * step) % 23
        micros[name] = [spent, spent + 4] if code % 5 == 0 else [spent]
    return micros


def _outputs(step_stats_module, name, spent):
    """The outputs of one execution: none, or one or two of 4 * spent requested bytes, some
    allocated 8 bytes more."""
    code = sum(map(ord, name))
    outputs = []
    for slot in range(code % 3):
        allocation = step_stats_module.AllocationDescription(
            requested_bytes=4 * spent, allocated_bytes=4 * spent + 8 * (code % 2))
        outputs.append(step_stats_module.NodeOutput(
            slot=slot, tensor_description=step_stats_module.TensorDescription(
                allocation_description=allocation)))
    return outputs


def run_metadata(tf, step_stats_module, names, step):
    """A RunMetadata of ``step_micros(names, step)``, built with ``step_stats_module``'s
    messages (TF's step_stats_pb2 or tfcompat.framework.step_stats)."""
    nodes = [step_stats_module.NodeExecStats(node_name=name, all_start_micros=1000 + index,
                                             op_end_rel_micros=spent,
                                             all_end_rel_micros=spent,
                                             output=_outputs(step_stats_module, name, spent))
             for index, (name, runs) in enumerate(step_micros(names, step).items())
             for spent in runs]
    device = step_stats_module.DeviceStepStats(device=DEVICE, node_stats=nodes)
    return tf.RunMetadata(step_stats=step_stats_module.StepStats(dev_stats=[device]))


def _all_times(tf):
    builder = tf.profiler.ProfileOptionBuilder
    return builder(builder.time_and_memory(min_bytes=0, min_micros=0)).select(
        ["micros", "occurrence"])


def _slow_ops(tf):
    builder = tf.profiler.ProfileOptionBuilder
    return builder(builder.time_and_memory(min_bytes=0, min_micros=12)).select(
        ["micros", "params"])


def _output_bytes(tf):
    builder = tf.profiler.ProfileOptionBuilder
    return builder(builder.time_and_memory(min_bytes=0, min_micros=0, min_output_bytes=20)) \
        .select(["output_bytes", "micros"]).order_by("output_bytes")


PROFILES = {
    "scope_all": ("scope", _all_times, -1),
    "graph_all": ("graph", _all_times, -1),
    "op_all": ("op", _all_times, -1),
    "scope_slow_step1": ("scope", _slow_ops, 1),
    "op_slow_step0": ("op", _slow_ops, 0),
    "scope_output_bytes": ("scope", _output_bytes, -1),
    "op_output_bytes_step1": ("op", _output_bytes, 1),
    "scope_default_time_and_memory": (
        "scope", lambda tf: tf.profiler.ProfileOptionBuilder(
            tf.profiler.ProfileOptionBuilder.time_and_memory()), -1),
}
