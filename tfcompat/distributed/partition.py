"""Splitting one step of a placed graph into a graph per task, joined by _Send/_Recv pairs
(TF 1.x ``graph/graph_partition.cc``).

The step's ops are those its fetches and targets need (walking data, control and ref inputs
back, stopping at fed tensors). Each goes to the partition of the task it was placed on, as
a NodeDef naming its assigned device. An edge whose two ends sit on different tasks becomes
a ``_Send`` in the producer's partition and a ``_Recv`` in the consumer's, both written
right after the producer (one pair per tensor and receiving task); a control edge across
tasks sends a scalar made after the producer. A fed value goes to every partition that
reads it, through a Placeholder standing in for the fed tensor there. The bodies of tf.data
functions go with their dataset op (their ops are in the graph, named by the op's body
attrs: ``ops/dataset_ops.py``); a body's captured tensors are named as that partition has
them (received from another task, or fed).

Partitions keep the graph's creation order, and each ``_Send`` comes before its ``_Recv`` in
it. A task runs everything else it can before it waits in a ``_Recv``
(``OpDef.waits_for_peer``), and then the first ``_Recv`` in that order: the one of all
tasks' waiting receives that comes first has had its value sent (whatever its ``_Send``
needed came still earlier, so it did not wait itself), hence no two tasks wait for each
other (loops aside: a while loop's frame must stay in one task).
"""
import json

import numpy as np

from tfcompat.framework import dtypes
from tfcompat.framework.device import DeviceSpec
from tfcompat.framework.graph_def import GRAPH_DEF_PRODUCER, encode_node_def
from tfcompat.framework.graph_walk import ops_upstream
from tfcompat.framework.node_attrs import PRIVATE_PREFIX, node_attrs
from tfcompat.framework.while_frames import FrameIndex
from tfcompat.lib import proto_wire as pw
from tfcompat.ops.dataset_ops import function_attrs, function_bodies

_TRUE = np.array(True)
_FRAME_EDGES = ("Enter", "RefEnter", "Exit")


class Partition:
    """The part of one step that runs on one task: its GraphDef (``graph_def``), the fed
    tensors it takes (client name -> name in the partition), the client's fetches it
    computes and the ops (its own targets and ``_Send`` ops) it runs."""

    def __init__(self, task, device):
        self.task = task
        self.device = device
        self.nodes = []
        self.feeds = {}
        self.fetches = []
        self.targets = []

    @property
    def graph_def(self):
        """The partition's GraphDef bytes."""
        return b"".join(pw.field_bytes(1, node) for node in self.nodes) \
            + pw.field_bytes(4, pw.field_varint(1, GRAPH_DEF_PRODUCER))


def task_of(device):
    """(job, task index) of a canonical device name."""
    spec = DeviceSpec.from_string(device)
    return spec.job, spec.task


def needed_ops(fetches, targets, fed):
    """(the ops a step needs, {op of a function body: the op whose attr holds it}): walked
    back from the fetched tensors' ops and the targets through data, ref and control
    inputs, stopping at ``fed`` tensors, into the bodies of tf.data functions (which run
    where their dataset op runs) and to the stack pushes of while loops (which a gradient
    loop pops)."""
    owner, frames = {}, None

    def more(op):
        nonlocal frames
        found = []
        if op.type in _FRAME_EDGES:  # a while loop runs whole: its stack pushes too
            frames = frames or FrameIndex(op.graph)
            found.extend(frames.frame_of(op).pushes)
        for body, _ in function_bodies(op):
            for body_op in body:
                owner.setdefault(body_op, owner.get(op, op))
            found.extend(body)
        return found
    needed = ops_upstream([t.op for t in fetches if t not in fed] + list(targets), fed,
                          more=more)
    return needed, owner


def partition(assigned, fetches, targets, fed):
    """{(job, task): Partition} of one step: ``assigned`` maps each op to its device,
    ``fetches`` are tensors, ``targets`` ops, ``fed`` the set of fed tensors."""
    needed, owner = needed_ops(fetches, targets, fed)
    assigned = dict(assigned)
    for body_op, holder in owner.items():
        assigned[body_op] = assigned[holder]
    builder = _Builder(assigned, needed, fed)
    for op in sorted(needed, key=lambda op: op._id):
        builder.add(op)
    parts = builder.parts
    for tensor in fetches:
        if tensor not in fed:
            parts[task_of(assigned[tensor.op])].fetches.append(tensor.name)
    for op in targets:
        parts[task_of(assigned[op])].targets.append(op.name)
    return parts


class _Builder:
    """The state of ``partition`` while it writes the ops in creation order."""

    def __init__(self, assigned, needed, fed):
        self.assigned, self.needed, self.fed = assigned, needed, fed
        self.parts = {}
        self._received = {}  # (tensor or control op, task) -> name of its _Recv there
        self._fed_names = {}  # (tensor, task) -> the name a partition reads it by
        # producer op -> {(tensor, or None for its control edge; receiving task): None}
        self._sent = {}
        for op in needed:
            here = self._task(op)
            for tensor in op.inputs:
                if tensor not in fed and self._task(tensor.op) != here:
                    self._sent.setdefault(tensor.op, {})[(tensor, here)] = None
            for control in op.control_inputs:
                if self._task(control) != here:
                    self._sent.setdefault(control, {})[(None, here)] = None

    def _task(self, op):
        return task_of(self.assigned[op])

    def _part(self, task):
        part = self.parts.get(task)
        if part is None:
            spec = DeviceSpec(job=task[0], task=task[1], replica=0, device_type="CPU",
                              device_index=0)
            part = self.parts[task] = Partition(task, spec.to_string())
        return part

    def add(self, op):
        """Writes ``op`` into its task's partition, receiving what it takes from other
        tasks first, then the sends of what it gives them."""
        task = self._task(op)
        part = self._part(task)
        inputs = [self._input(tensor, task) for tensor in op.inputs]
        inputs += [self._control_input(control, task) for control in op.control_inputs]
        attrs = node_attrs(op)
        for attr, function in function_attrs(op):  # its captures, as this partition has them
            described = json.loads(function.describe_body(op.name))
            described["captured"] = [self._tensor_name(tensor, task)
                                     for tensor in function.captured]
            attrs[f"{PRIVATE_PREFIX}{attr}_body"] = json.dumps(described)
        part.nodes.append(encode_node_def(op.name, op.type, inputs, self.assigned[op],
                                          attrs))
        for (tensor, to_task) in self._sent.get(op, ()):
            self._add_send(op, tensor, task, to_task)

    def _tensor_name(self, tensor, task):
        """The name of ``tensor`` in ``task``'s partition (a _Recv's output when it comes
        from another task, a stand-in Placeholder's when it is fed)."""
        name = self._input(tensor, task)
        return name if ":" in name else f"{name}:0"

    def _input(self, tensor, task):
        name = tensor.op.name if tensor.value_index == 0 else tensor.name
        if tensor in self.fed:
            return self._fed_input(tensor, task, name)
        if self._task(tensor.op) == task:
            return name
        return self._received[(tensor, task)]

    def _fed_input(self, tensor, task, name):
        key = (tensor, task)
        found = self._fed_names.get(key)
        if found is None:
            part = self._part(task)
            if tensor.op in self.needed and self._task(tensor.op) == task:
                found = name
            else:  # a Placeholder standing in for the fed tensor here
                found = f"{tensor.op.name}/_arg_{tensor.value_index}"
                part.nodes.append(encode_node_def(
                    found, "Placeholder", [], part.device,
                    {"dtype": tensor.dtype.base_dtype, "shape": tensor.shape}))
            part.feeds[tensor.name] = found if ":" in found else f"{found}:0"
            self._fed_names[key] = found
        return found

    def _control_input(self, control, task):
        if self._task(control) == task:
            return "^" + control.name
        return "^" + self._received[(control, task)]

    def _add_send(self, op, tensor, from_task, to_task):
        """The _Send of ``tensor`` (None: of ``op``'s control edge) in ``from_task``'s
        partition and its _Recv in ``to_task``'s."""
        source, sink = self._part(from_task), self._part(to_task)
        if tensor is None:  # a control edge: send a scalar made once ``op`` has run
            sent_name = f"{op.name}/_control_to_{to_task[0]}_{to_task[1]}"
            source.nodes.append(encode_node_def(
                sent_name, "Const", ["^" + op.name], source.device,
                {"dtype": dtypes.bool, "value": _TRUE}))
            dtype, shape, label, key = dtypes.bool, (), f"^{op.name}", (op, to_task)
        else:
            sent_name = tensor.op.name if tensor.value_index == 0 else tensor.name
            dtype, shape, label = tensor.dtype.base_dtype, tensor.shape, tensor.name
            key = (tensor, to_task)
        send_attrs = {"T": dtype, "tensor_name": label, "send_device": source.device,
                      "send_device_incarnation": 0, "recv_device": sink.device,
                      "client_terminated": False}
        base = op.name if tensor is None else f"{tensor.op.name}/_{tensor.value_index}"
        send_name = f"{base}_send_to_{to_task[0]}_{to_task[1]}"
        source.nodes.append(encode_node_def(send_name, "_Send", [sent_name], source.device,
                                            send_attrs))
        source.targets.append(send_name)
        recv_name = f"{base}_recv_from_{from_task[0]}_{from_task[1]}"
        recv_attrs = {key_: value for key_, value in send_attrs.items() if key_ != "T"}
        recv_attrs["tensor_type"] = dtype
        recv_attrs[PRIVATE_PREFIX + "shape"] = shape
        sink.nodes.append(encode_node_def(recv_name, "_Recv", [], sink.device, recv_attrs))
        # (a target too: the partition's plan prunes as a Session does, and a receive only a
        # ref input's producer needs would be left out, its value never taken)
        sink.targets.append(recv_name)
        self._received[key] = recv_name
