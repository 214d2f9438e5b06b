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

Once both plans have specialisations for the loop variables' shapes, the runner *holds* one
of each (``CompiledPlan.hold``: no other thread may use it meanwhile, as for any run) and
calls their generated functions straight, iteration after iteration, until the loop ends,
a value takes another shape, a variable changes shape, or a plan is due for the fusion
tier; only then does an iteration go through the plans' entry (key, pool, hot count) again.

While a loop runs, NumPy's OpenBLAS uses one thread: a loop's per-step products are small,
and a second BLAS thread costs more in hand-overs than it gains (on a busy machine,
milliseconds per product: chapter 14's RNN step took 60-540 ms with two threads and 10-21 ms
with one, under the same load). The count is restored when the loop ends.
"""

from operator import attrgetter

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
            while True:
                current, pred = self._run_held(current, invariants, fixed, pushes, pops)
                if pred is False:
                    break
                # One iteration through the plans' own entry: a key's first run or a hot
                # plan's fusing run, or shapes the held specialisations were not built for.
                shapes = tuple(v.shape for v in current) + fixed
                if pred is None and not cond(state, current + invariants, shapes)[0]:
                    break
                popped = [stack.pop() for stack in pops]
                outputs = body(state, current + invariants + popped,
                               shapes + tuple(v.shape for v in popped))
                current = list(outputs[:count])
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

    def _run_held(self, current, invariants, fixed, pushes, pops):
        """Runs iterations straight on the generated functions of specialisations it holds
        for the whole stretch (no per-iteration plan dispatch) while the loop variables and
        popped values keep the shapes they were built for. Returns ``(current, pred)``:
        ``pred`` False when the loop ended, True when the condition held but the body must
        run through its plan's entry, None when the next condition was not evaluated."""
        shapes = tuple(v.shape for v in current) + fixed
        if any(not stack for stack in pops):
            return current, None
        popped_shapes = tuple(stack[-1].shape for stack in pops)
        held_cond = self.cond.hold(shapes, self.ctx)
        if held_cond is None:
            return current, None
        held_body = self.body.hold(shapes + popped_shapes, self.ctx)
        if held_body is None:
            self.cond.release(shapes, held_cond, 0)
            return current, None
        runners = _HeldPair(self, shapes, popped_shapes, held_cond, held_body)
        try:
            return runners.iterate(current, invariants, pushes, pops)
        finally:
            runners.release()


class _HeldPair:
    """A loop's condition and body specialisations, held by one thread for a stretch of
    iterations of one shape key, with the runs each took."""

    def __init__(self, loop, shapes, popped_shapes, held_cond, held_body):
        self.loop, self.shapes, self.popped_shapes = loop, shapes, popped_shapes
        self.held_cond, self.held_body = held_cond, held_body
        (self.cond, cond_budget, _), (self.body, body_budget, _) = held_cond, held_body
        budgets = [b for b in (cond_budget, body_budget) if b is not None]
        self.budget = min(budgets) if budgets else None
        self.cond_runs = self.body_runs = 0
        self.usable = {self.cond: True, self.body: True}

    def iterate(self, current, invariants, pushes, pops):
        from tfcompat.runtime.executor import _StepFailure
        from tfcompat.runtime.fusion import FusedShapeError
        count, budget, popped_shapes = self.loop.count, self.budget, self.popped_shapes
        current_shapes = self.shapes[:count]
        state = self.loop.ctx
        version = state.shape_version
        cond_fn, body_fn = self.cond.fn, self.body.fn
        running = self.cond
        try:
            while budget is None or self.cond_runs < budget:
                values = current + invariants
                running = self.cond
                self.cond_runs += 1
                if not cond_fn(*values)[0]:
                    return current, False
                try:
                    popped = [stack.pop() for stack in pops]
                except IndexError:  # the plans' entry raises the empty stack's error
                    return current, True
                if popped and tuple(map(_shape, popped)) != popped_shapes:
                    _push_back(pops, popped)
                    return current, True
                running = self.body
                self.body_runs += 1
                try:
                    outputs = body_fn(*values, *popped)
                except BaseException:
                    _push_back(pops, popped)
                    raise
                current = list(outputs[:count])
                for stack, value in zip(pushes, outputs[count:]):
                    stack.append(value)
                if tuple(map(_shape, current)) != current_shapes \
                        or state.shape_version != version:  # a variable took a new shape
                    return current, None
            return current, None
        except FusedShapeError:
            # Values of other shapes than recorded (a variable re-assigned with
            # validate_shape=False): drop the specialisation, the plan's entry redoes it.
            self.usable[running] = False
            return current, None if running is self.cond else True
        except Exception as exc:  # noqa: BLE001 - mapped to tf.errors by the loop's caller
            raise _StepFailure(running.failing_op(exc), exc) from None

    def release(self):
        loop, key = self.loop, self.shapes
        loop.cond.release(key, self.held_cond, self.cond_runs, self.usable[self.cond])
        loop.body.release(key + self.popped_shapes, self.held_body, self.body_runs,
                          self.usable[self.body])


_shape = attrgetter("shape")


def _push_back(stacks, values):
    for stack, value in zip(stacks, values):
        stack.append(value)
