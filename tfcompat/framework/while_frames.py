"""While loops seen from outside: a frame as one node whose inputs are the tensors entering it
(loop variables' initial values, then loop invariants) and whose outputs are its Exits.

Works on any graph with TF 1.x loop ops (built by ``tf.while_loop`` or imported): a frame is
found from its Enter ops' ``frame_name`` and its LoopCond. ``tf.gradients`` and the runtime's
planner see frames this way, so the cycle through NextIteration never reaches them.
"""


class FrameIndex:
    """The while frames of one graph, found with one scan of its ops; ``frame_of`` gives the
    same ``Frame`` object for every Exit and Enter of a frame."""

    def __init__(self, graph):
        self.enters, self.pushes, self.pops = {}, {}, {}
        self._frames = {}
        for op in graph.get_operations():
            if op.type in ("Enter", "RefEnter"):
                self.enters.setdefault(op.get_attr("frame_name"), []).append(op)
            elif op.type in ("StackPushV2", "StackPopV2"):
                handle = op.inputs[0].op
                if handle.type == "Enter":
                    table = self.pushes if op.type == "StackPushV2" else self.pops
                    table.setdefault(handle.get_attr("frame_name"), []).append(op)

    def frame_of(self, op):
        """The Frame an Exit or Enter op belongs to (None for other ops)."""
        if op.type == "Exit":
            loop_cond = op.inputs[0].op.inputs[1].op
        elif op.type in ("Enter", "RefEnter"):
            loop_cond = self._loop_cond(op.get_attr("frame_name"))
        else:
            return None
        frame = self._frames.get(loop_cond)
        if frame is None:
            frame = self._frames[loop_cond] = Frame(self, loop_cond)
        return frame

    def _loop_cond(self, frame_name):
        for enter in self.enters.get(frame_name, ()):
            if enter.get_attr("is_constant"):
                continue
            for merge in enter.outputs[0].consumers():
                for switch in merge.outputs[0].consumers():
                    if switch.type in ("Switch", "RefSwitch") \
                            and switch.inputs[1].op.type == "LoopCond":
                        return switch.inputs[1].op
        raise ValueError(f"while frame '{frame_name}' has no LoopCond")


class Frame:
    """One while loop as a node: ``inputs``, ``outputs`` (its Exits), ``control_inputs``,
    and its parts: per loop variable the Merge, body input (Switch true side), next value
    (NextIteration input) and Exit; the loop invariants' Enter outputs; the condition."""

    type = "While"
    device = ""

    def __init__(self, index, loop_cond):
        switches = sorted((op for op in loop_cond.outputs[0].consumers()
                           if op.type in ("Switch", "RefSwitch")),
                          key=lambda op: op.inputs[0].op._id)
        self.graph = loop_cond.graph
        self.pred = loop_cond.inputs[0]
        self.loop_merges = [switch.inputs[0] for switch in switches]
        self.body_inputs = [switch.outputs[1] for switch in switches]
        self.next_values = [m.op.inputs[1].op.inputs[0] for m in self.loop_merges]
        self.exits = [next((c.outputs[0] for c in switch.outputs[0].consumers()
                            if c.type == "Exit"), None) for switch in switches]
        enters = [m.op.inputs[0].op for m in self.loop_merges]
        self.frame_name = enters[0].get_attr("frame_name")
        # A RefEnter is not fed: the body's plan reads the variable through it when it runs.
        invariant_enters = [op for op in index.enters.get(self.frame_name, ())
                            if op.type == "Enter" and op.get_attr("is_constant")]
        self.invariant_outputs = [op.outputs[0] for op in invariant_enters]
        self.pushes = index.pushes.get(self.frame_name, [])
        self.pops = index.pops.get(self.frame_name, [])
        self.loop_var_count = len(enters)
        self.inputs = [op.inputs[0] for op in enters + invariant_enters]
        self.outputs = [t for t in self.exits if t is not None]
        controls = []
        for op in enters + invariant_enters:
            controls.extend(c for c in op.control_inputs if c not in controls)
        self.control_inputs = controls
        self._id = min([t.op._id for t in self.outputs] or [loop_cond._id])
        self.name = self.frame_name.rsplit("/while_context", 1)[0]
        first_exit = self.outputs[0].op if self.outputs else None
        self.context = getattr(first_exit, "_while_context", None)
        self.attrs = {}
        self.op_def = None  # the runtime's loop kernel, when it plans the frame

    def __repr__(self):
        return f"<while frame {self.name}: {self.loop_var_count} loop variables>"
