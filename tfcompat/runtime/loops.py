"""While frames in plans: a loop runs as one step whose kernel drives two compiled sub-plans.

The planner sees a while frame as one node (``framework/while_frames``): its inputs are the
tensors entering the frame, its outputs the Exits. The node's kernel (``LoopRunner``) builds
two ``CompiledPlan``s of the frame's inside, each fed at the frame's boundary: the condition
(fed the Merge outputs and loop invariants, fetching the LoopCond input) and the body (fed
the Switch true sides, the invariants and the values popped off the gradient's stacks,
fetching the NextIteration inputs and the values pushed on stacks). Each is specialised to
its feed shapes and fused like any plan, so an iteration runs generated code, not the
interpreter; a loop nested in the body is one step of the body's plan. The runner does the
frame-level StackPushV2/StackPopV2 of a loop's gradient itself, in iteration order.

While a loop runs, NumPy's OpenBLAS uses one thread: a loop's per-step products are small,
and a second BLAS thread costs more in hand-overs than it gains (on a busy machine,
milliseconds per product: chapter 14's RNN step took 60-540 ms with two threads and 10-21 ms
with one, under the same load). The count is restored when the loop ends.
"""

from tfcompat.framework.op_def import OpDef
from tfcompat.framework.while_frames import FrameIndex
from tfcompat.runtime import threads


class LoopOpDef(OpDef):
    """The op definition the planner gives a while frame node."""

    op_type = "While"
    stateful = True
    may_alias_input = True
    dynamic_output_shape = True

    def kernel(self, frame, ctx):
        return LoopRunner(frame, ctx)


_LOOP = LoopOpDef()


class FrameView:
    """A plan's view of a graph's while frames: an Exit's producer is its frame."""

    def __init__(self):
        self._index = None

    def step_op(self, op):
        """``op``, or the frame node standing for it when it is an Exit."""
        if op.type != "Exit":
            return op
        if self._index is None:
            self._index = FrameIndex(op.graph)
        frame = self._index.frame_of(op)
        frame.op_def = _LOOP
        return frame

    def producer(self, tensor):
        return self.step_op(tensor.op)


class LoopRunner:
    """The kernel of a frame node: ``(*initial values, *invariants) -> exit values``."""

    def __init__(self, frame, ctx):
        from tfcompat.runtime.executor import CompiledPlan
        self.ctx = ctx
        self.count = frame.loop_var_count
        self.cond = CompiledPlan([frame.pred], frame.loop_merges + frame.invariant_outputs, ctx)
        invariant_position = {t: i for i, t in enumerate(frame.invariant_outputs)}
        self.push_handles = [invariant_position[op.inputs[0]] for op in frame.pushes]
        self.pop_handles = [invariant_position[op.inputs[0]] for op in frame.pops]
        self.body = CompiledPlan(frame.next_values + [op.inputs[1] for op in frame.pushes],
                                 frame.body_inputs + frame.invariant_outputs
                                 + [op.outputs[0] for op in frame.pops], ctx)
        self.exits = [k for k, t in enumerate(frame.exits) if t is not None]

    def __call__(self, *values):
        count = self.count
        current, invariants = list(values[:count]), list(values[count:])
        fixed = tuple(v.shape for v in invariants)  # the invariants' shapes, for the plan keys
        pushes = [invariants[i][()] for i in self.push_handles]
        pops = [invariants[i][()] for i in self.pop_handles]
        cond, body = self.cond.run_nested, self.body.run_nested
        with threads.policy().single_thread():
            return self._run(cond, body, current, invariants, fixed, pushes, pops)

    def _run(self, cond, body, current, invariants, fixed, pushes, pops):
        from tfcompat.runtime.executor import _as_op_error, _StepFailure
        count, state = self.count, self.ctx
        try:
            shapes = tuple(v.shape for v in current) + fixed
            while cond(state, current + invariants, shapes)[0]:
                popped = [stack.pop() for stack in pops]
                outputs = body(state, current + invariants + popped,
                               shapes + tuple(v.shape for v in popped))
                current = list(outputs[:count])
                shapes = tuple(v.shape for v in current) + fixed
                for stack, value in zip(pushes, outputs[count:]):
                    stack.append(value)
        except _StepFailure as failure:
            raise _as_op_error(failure.cause, failure.op) from None
        except IndexError:
            if any(not stack for stack in pops):
                raise ValueError("Stack is empty: a while loop's gradient popped more values "
                                 "than its forward loop pushed") from None
            raise
        if len(self.exits) == 1:  # a step of one output returns the value itself
            return current[self.exits[0]]
        return tuple(current[k] for k in self.exits)
