"""``tf.RunMetadata`` and the step statistics of a traced run (TF's ``step_stats.proto`` and
``RunMetadata`` of ``config.proto``), serialized as TF's C++ code writes them.

A run with ``tf.RunOptions(trace_level=FULL_TRACE)`` (or SOFTWARE_TRACE) and a
``run_metadata`` fills ``run_metadata.step_stats``: one ``DeviceStepStats`` for the CPU
device holding a ``NodeExecStats`` per op that ran, in run order, with its start time
(microseconds since the epoch), its duration and TF's timeline label
(``name = Type(input, ...)``). ``tf.summary.FileWriter.add_run_metadata`` stores it for
TensorBoard and ``tensorflow.python.client.timeline`` turns it into a Chrome trace.
"""
from tfcompat.lib import proto_wire as pw


class AllocationDescription(pw.DeclaredMessage):
    """The memory a tensor was given (``allocation_description.proto``)."""

    FIELDS = (("requested_bytes", 1, "int64"), ("allocated_bytes", 2, "int64"),
              ("allocator_name", 3, "string"))


class TensorShapeDim(pw.DeclaredMessage):
    FIELDS = (("size", 1, "int64"), ("name", 2, "string"))


class TensorShape(pw.DeclaredMessage):
    """``TensorShapeProto``: the dims of a tensor that existed (never of unknown rank)."""

    FIELDS = (("dim", 2, [TensorShapeDim]),)


class TensorDescription(pw.DeclaredMessage):
    FIELDS = (("dtype", 1, "enum"), ("shape", 2, TensorShape),
              ("allocation_description", 4, AllocationDescription))


class NodeOutput(pw.DeclaredMessage):
    """One output an op produced in a traced run: its slot, dtype, shape and bytes."""

    FIELDS = (("slot", 1, "int64"), ("tensor_description", 3, TensorDescription))


class NodeExecStats(pw.DeclaredMessage):
    """One op's execution in a traced run."""

    FIELDS = (("node_name", 1, "string"), ("all_start_micros", 2, "int64"),
              ("op_start_rel_micros", 3, "int64"), ("op_end_rel_micros", 4, "int64"),
              ("all_end_rel_micros", 5, "int64"), ("output", 7, [NodeOutput]),
              ("timeline_label", 8, "string"),
              ("scheduled_micros", 9, "int64"), ("thread_id", 10, "uint32"),
              ("all_start_nanos", 13, "int64"), ("op_start_rel_nanos", 14, "int64"),
              ("op_end_rel_nanos", 15, "int64"), ("all_end_rel_nanos", 16, "int64"),
              ("scheduled_nanos", 17, "int64"))


class DeviceStepStats(pw.DeclaredMessage):
    """The ops one device ran in a traced run."""

    FIELDS = (("device", 1, "string"), ("node_stats", 2, [NodeExecStats]))


class StepStats(pw.DeclaredMessage):
    FIELDS = (("dev_stats", 1, [DeviceStepStats]),)


class RunMetadata(pw.DeclaredMessage):
    """``tf.RunMetadata``: what a run reports back (``Session.run(run_metadata=...)``)."""

    FIELDS = (("step_stats", 1, StepStats),)


def of_trace(trace, device):
    """The ``StepStats`` of a traced run: ``trace`` is [(op, start ns, end ns, outputs)] in
    run order, all on ``device``, ``outputs`` the (slot, shape, bytes) of the arrays the op
    produced (each an output of its own size: tfcompat traces no allocator)."""
    nodes = []
    for op, start, end, outputs in trace:
        inputs = ", ".join(t.name[:-2] if t.name.endswith(":0") else t.name for t in op.inputs)
        took = end - start
        nodes.append(NodeExecStats(
            node_name=op.name, all_start_micros=start // 1000, op_start_rel_micros=0,
            op_end_rel_micros=took // 1000, all_end_rel_micros=took // 1000,
            output=[_output(op, *output) for output in outputs],
            timeline_label=f"{op.name} = {op.type}({inputs})", scheduled_micros=start // 1000,
            all_start_nanos=start, op_start_rel_nanos=0, op_end_rel_nanos=took,
            all_end_rel_nanos=took, scheduled_nanos=start))
    return StepStats(dev_stats=[DeviceStepStats(device=device, node_stats=nodes)])


def _output(op, slot, shape, size):
    allocation = AllocationDescription(requested_bytes=size, allocated_bytes=size,
                                       allocator_name="cpu")
    return NodeOutput(slot=slot, tensor_description=TensorDescription(
        dtype=op.outputs[slot].dtype.base_dtype.as_datatype_enum,
        shape=TensorShape(dim=[TensorShapeDim(size=dim) for dim in shape]),
        allocation_description=allocation))
