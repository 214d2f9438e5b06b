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

A loop variable that only accumulates a matrix product (``acc + MatMul(a, b)`` feeding the
next iteration and nothing else, as the gradient of a weight read in the loop does) is not
summed by the body: the body fetches the product's operands instead, and when the loop ends
the runner adds the products in iteration order into one new array, BLAS accumulating each
into it (beta = 1) instead of a product array and an Add per iteration
(``DeferredProduct``). A loop invariant that the body only reads transposed by MatMul (the
weights in a backward loop's ``dz·Kᵀ``) is fed as a transposed copy's transpose: the same
values, which BLAS reads without repacking (chapter 14's dz·Kᵀ: 44 -> 30 us at batch 50),
once per loop; results agree with the reference to the last bit or so (OpenBLAS's small-matrix
kernels may sum A·Bᵀ in another order than A·B). A loop variable that leaves the body as
a strided view (dh, a column slice of ``dz·Kᵀ``) is copied into a contiguous array on the
held path, so the fused kernels reading it next iteration run vectorised. The reference
interpreter keeps the graph's per-iteration sum and the invariants as fed.

While a loop runs, NumPy's OpenBLAS uses one thread when the loop's rows are few: a small
per-step product gains less from a second thread than the hand-over costs (on a busy
machine, milliseconds per product: chapter 14's RNN step took 60-540 ms with two threads and
10-21 ms with one, under the same load). A loop over at least ``ROWS_FOR_TWO_BLAS_THREADS``
rows (the batch of an RNN) keeps up to two, as the thread policy allows them (which gives a
busy machine one): on two idle cores the RNN step at batch 200 went from 17.3 to 14.1 ms.
The count is restored when the loop ends.

In a traced run (``RunOptions.FULL_TRACE``) each iteration's condition and body go through
the reference interpreter (``CompiledPlan.run_traced``, no held specialisations), which adds
their ops to the run's trace once per iteration, as TF's step stats list a loop's ops; the
frame node itself gets no entry. Deferred products and transposed invariants are kept, so
the values are those of an untraced run.
"""

from operator import attrgetter

import numpy as np

from tfcompat.framework.op_def import OpDef
from tfcompat.framework.while_frames import FrameIndex
from tfcompat.runtime import blas, threads

#: Loops whose loop variables have at least this many rows may use two BLAS threads.
ROWS_FOR_TWO_BLAS_THREADS = 128


class LoopOpDef(OpDef):
    """The op definition the planner gives a while frame node."""

    op_type = "While"
    stateful = True
    may_alias_input = True
    dynamic_output_shape = True
    #: A traced run lists the condition's and body's ops of each iteration, not the frame.
    traces_its_ops = True

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
        from tfcompat.runtime.executor import reference_only
        compiled = not reference_only()
        self.deferred = DeferredProduct.find(frame) if compiled else []
        self.transposed = [i for i, t in enumerate(frame.invariant_outputs)
                           if compiled and _only_transposed_operand(t)]
        next_values = list(frame.next_values)
        operands = []
        for product in self.deferred:  # the body passes the accumulator on unchanged
            next_values[product.index] = frame.body_inputs[product.index]
            operands.extend(product.matmul.inputs[:2])
        self.body = CompiledPlan(next_values + [op.inputs[1] for op in frame.pushes]
                                 + operands,
                                 frame.body_inputs + frame.invariant_outputs
                                 + [op.outputs[0] for op in frame.pops], ctx)
        self.exits = [k for k, t in enumerate(frame.exits) if t is not None]

    def __call__(self, *values):
        count = self.count
        current, invariants = list(values[:count]), list(values[count:])
        for i in self.transposed:  # (the same values; BLAS reads their transposes faster)
            if isinstance(invariants[i], np.ndarray) and invariants[i].ndim == 2 \
                    and invariants[i].flags.c_contiguous:
                invariants[i] = np.asfortranarray(invariants[i])
        fixed = tuple(v.shape for v in invariants)  # the invariants' shapes, for the plan keys
        pushes = [invariants[i][()] for i in self.push_handles]
        operands = [[] for _ in range(2 * len(self.deferred))]  # each iteration's a and b
        pops = [invariants[i][()] for i in self.pop_handles]
        traced = self.ctx._run.trace is not None
        cond, body = ((self.cond.run_traced, self.body.run_traced) if traced
                      else (self.cond.run_nested, self.body.run_nested))
        rows = max((v.shape[0] for v in current if isinstance(v, np.ndarray) and v.ndim == 2),
                   default=0)
        with threads.policy().at_most(2 if rows >= ROWS_FOR_TWO_BLAS_THREADS else 1):
            current = self._run(cond, body, current, invariants, fixed, pushes + operands,
                                pops, held=not traced)
        for product, a_parts, b_parts in zip(self.deferred, operands[::2], operands[1::2]):
            if product.index in self.exits:
                current[product.index] = product.finish(current[product.index], a_parts,
                                                        b_parts, self.ctx)
        if len(self.exits) == 1:  # a step of one output returns the value itself
            return current[self.exits[0]]
        return tuple(current[k] for k in self.exits)

    def _run(self, cond, body, current, invariants, fixed, pushes, pops, held=True):
        """Runs the iterations; returns the loop variables' last values (``pushes``: the
        stacks, then the lists collecting deferred products' operands; ``held``: whether
        stretches of iterations may run on held specialisations, which a traced run's
        interpreted iterations do not)."""
        from tfcompat.runtime.executor import _as_op_error, _StepFailure
        count, state = self.count, self.ctx
        try:
            while True:
                current, pred = (self._run_held(current, invariants, fixed, pushes, pops)
                                 if held else (current, None))
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
        return current

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
        running, views = self.cond, None
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
                if views is None:
                    views = _strided_positions(current)
                for i in views:  # (a view such as dh's slice of dz·Kᵀ, compacted)
                    current[i] = np.ascontiguousarray(current[i])
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


class DeferredProduct:
    """A loop variable that only accumulates a matrix product: ``acc + MatMul(a, b)`` is its
    next value and the body uses it nowhere else (nor does the condition)."""

    def __init__(self, index, add, matmul):
        self.index, self.add, self.matmul = index, add, matmul
        self.transpose_a = bool(matmul.attrs["transpose_a"])
        self.transpose_b = bool(matmul.attrs["transpose_b"])

    @classmethod
    def find(cls, frame):
        """The frame's accumulators of matrix products."""
        found = []
        for k, merge in enumerate(frame.loop_merges):
            if len(merge.consumers()) != 1:  # only its Switch: the condition never reads it
                continue
            accumulator = _through_identities(frame.body_inputs[k])
            consumers = accumulator.consumers()
            if len(consumers) != 1 or consumers[0].type not in ("Add", "AddV2"):
                continue
            add, next_value = consumers[0], frame.next_values[k]
            if list(add.inputs).count(accumulator) != 1 or len(next_value.consumers()) != 1 \
                    or _through_identities(add.outputs[0], next_value) is None:
                continue
            term = add.inputs[1] if add.inputs[0] is accumulator else add.inputs[0]
            # (a product or sum made under control dependencies stays in the body)
            if term.op.type == "MatMul" and len(term.consumers()) == 1 \
                    and term.dtype.base_dtype.name in ("float32", "float64") \
                    and not term.op.control_inputs and not add.control_inputs:
                found.append(cls(k, add, term.op))
        return found

    def finish(self, initial, a_parts, b_parts, ctx):
        """``initial`` plus the iterations' products, summed in iteration order into one
        new array by BLAS (beta = 1: the graph's sums bit for bit where each product is one
        BLAS block, as for a batch of at most a few hundred rows); the ops' own kernels when
        the operands do not line up (they then raise TF's errors) or BLAS cannot take them."""
        a_axis, b_axis = (0 if self.transpose_a else 1), (1 if self.transpose_b else 0)
        first_a, first_b = (a_parts[0], b_parts[0]) if a_parts else (None, None)
        if first_a is None or not all(
                a.ndim == 2 and b.ndim == 2 and a.shape[a_axis] == b.shape[b_axis]
                and a.shape[1 - a_axis] == first_a.shape[1 - a_axis]
                and b.shape[1 - b_axis] == first_b.shape[1 - b_axis]
                and a.dtype == first_a.dtype == b.dtype for a, b in zip(a_parts, b_parts)):
            return self._sum_in_order(initial, a_parts, b_parts, ctx)
        shape = (first_a.shape[1 - a_axis], first_b.shape[1 - b_axis])
        if initial.dtype != first_a.dtype \
                or np.broadcast_shapes(initial.shape, shape) != shape:
            return self._sum_in_order(initial, a_parts, b_parts, ctx)
        total = np.empty(shape, first_a.dtype)
        np.copyto(total, initial)
        for a, b in zip(a_parts, b_parts):
            if not blas.gemm(1.0, a, self.transpose_a, b, self.transpose_b, 1.0, total):
                np.add(total, np.matmul(a.T if self.transpose_a else a,
                                        b.T if self.transpose_b else b), out=total)
        return total

    def _sum_in_order(self, total, a_parts, b_parts, ctx):
        from tfcompat.runtime.executor import _as_op_error
        matmul = self.matmul.op_def.kernel(self.matmul, ctx)
        add = self.add.op_def.kernel(self.add, ctx)
        for a, b in zip(a_parts, b_parts):
            op = self.matmul
            try:
                product = matmul(a, b)
                op = self.add
                total = add(total, product) if self.add.inputs[1] is self.matmul.outputs[0] \
                    else add(product, total)
            except Exception as exc:  # noqa: BLE001 - TF's error naming the op
                raise _as_op_error(exc, op) from None
        return total


def _strided_positions(values):
    """Where ``values`` holds multi-dimensional arrays that are not C-contiguous: loop
    variables the held path copies into contiguous arrays for the next iteration (the same
    values; a fused kernel reading a strided array runs ~4x slower: its loop is not
    vectorised)."""
    return [i for i, value in enumerate(values) if isinstance(value, np.ndarray)
            and value.ndim > 1 and not value.flags.c_contiguous]


def _only_transposed_operand(tensor):
    """Whether every op reading ``tensor`` is a MatMul taking its transpose."""
    consumers = tensor.consumers()
    return bool(consumers) and all(
        op.type == "MatMul" and list(op.inputs).count(tensor) == 1
        and op.attrs["transpose_a" if op.inputs[0] is tensor else "transpose_b"]
        for op in consumers)


def _through_identities(tensor, target=None):
    """The tensor a chain of single-consumer Identity ops from ``tensor`` ends at; with
    ``target``: ``target`` when the chain reaches it (before a NextIteration), else None."""
    while True:
        if tensor is target:
            return tensor
        consumers = tensor.consumers()
        if len(consumers) != 1 or consumers[0].type != "Identity":
            return None if target is not None else tensor
        tensor = consumers[0].outputs[0]


_shape = attrgetter("shape")


def _push_back(stacks, values):
    for stack, value in zip(stacks, values):
        stack.append(value)
