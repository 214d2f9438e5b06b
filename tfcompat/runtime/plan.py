"""Pruning and ordering: the ops a ``Session.run`` call needs, in execution order.

``prune`` walks back from the fetches through data and control inputs, stopping at fed
tensors and at ref inputs (a write to a variable does not need its old value). ``order`` is
a topological sort that runs every read-only op before any op that mutates variables, as
long as dependencies allow: a step that fails therefore fails before it has changed any
variable, and updates see gradients computed from the old values. ``group_updates`` joins
the consecutive Apply* ops of a specialised plan into one step that checks them all before
committing any, so an update that fails (an uninitialised slot, a bad learning rate) does
not leave the others applied; the reference interpreter copies what they change instead, and
Assign-family updates are undone by the executor's journal. ``fold_products`` then lets
such a group take a gradient that is a matrix product as its two factors, so the update
accumulates the product in place with one GEMM (``runtime/blas.py``).
"""
import heapq

from tfcompat.framework.op_def import OpDef
from tfcompat.runtime import blas, lifetimes, lowering, numerics
from tfcompat.runtime.lifetimes import VARIABLE_READS
from tfcompat.runtime.loops import FrameView
from tfcompat.runtime.rules import training as updates


def prune(targets, fed, frames=None):
    """The set of ops needed to compute ``targets`` (ops) given the ``fed`` tensors. A while
    loop is one node (``frames``: a ``loops.FrameView``); a control input with a fed output
    is taken as run (a loop's pivot or Switch when its condition or body is planned)."""
    frames = frames or FrameView()
    needed = set()
    stack = [frames.step_op(op) for op in targets]
    while stack:
        op = stack.pop()
        if op in needed:
            continue
        needed.add(op)
        ref_inputs = op.op_def.ref_inputs
        for index, tensor in enumerate(op.inputs):
            if index not in ref_inputs and tensor not in fed:
                stack.append(frames.producer(tensor))
        stack.extend(frames.step_op(c) for c in op.control_inputs if not _given(c, fed))
    return needed


def _given(op, fed):
    return any(t in fed for t in op.outputs)


def dependencies(op, needed, fed, frames=None):
    frames = frames or FrameView()
    ref_inputs = op.op_def.ref_inputs
    deps = {frames.producer(t) for i, t in enumerate(op.inputs)
            if i not in ref_inputs and t not in fed}
    deps.update(frames.step_op(c) for c in op.control_inputs)
    return {d for d in deps if d in needed}


def order(needed, fed, frames=None):
    """Topological order of ``needed``: read-only ops first whenever possible, then ops that
    mutate variables, and ops that wait for another task (``OpDef.waits_for_peer``) only
    when nothing else can run; ties broken by creation order so plans are deterministic."""
    deps = {op: dependencies(op, needed, fed, frames) for op in needed}
    consumers = {op: [] for op in needed}
    for op, op_deps in deps.items():
        for dep in op_deps:
            consumers[dep].append(op)
    remaining = {op: len(op_deps) for op, op_deps in deps.items()}
    pure, mutating, waiting = [], [], []

    def push(op):
        op_def = op.op_def
        queue = waiting if op_def.waits_for_peer else mutating if op_def.mutates_state \
            else pure
        heapq.heappush(queue, (op._id, op))

    for op, count in remaining.items():
        if count == 0:
            push(op)
    ordered = []
    while pure or mutating or waiting:
        _, op = heapq.heappop(pure or mutating or waiting)
        ordered.append(op)
        for consumer in consumers[op]:
            remaining[consumer] -= 1
            if remaining[consumer] == 0:
                push(consumer)
    if len(ordered) != len(needed):
        cycle = sorted(op.name for op, count in remaining.items() if count > 0)
        raise ValueError(f"Graph has a cycle among: {', '.join(cycle[:10])}")
    return ordered


class Step:
    """One kernel call of a plan: ``outputs = kernel(*inputs)``; names are slot variables.

    Steps downstream of a tf.cond Switch may be dead (their branch was not taken): such a
    step lists the input slots that may hold DEAD (``dead_inputs``) and the steps whose
    deadness it inherits through control edges (``dead_controls``); it is skipped, with
    DEAD outputs, when any of them is dead (Merge instead receives the DEAD values).
    """

    __slots__ = ("op", "kernel", "inputs", "outputs", "dead_inputs", "dead_controls",
                 "maybe_dead")

    def __init__(self, op, kernel, inputs, outputs, dead_inputs=(), dead_controls=(),
                 maybe_dead=False):
        self.op = op
        self.kernel = kernel
        self.inputs = inputs
        self.outputs = outputs
        self.dead_inputs = list(dead_inputs)
        self.dead_controls = list(dead_controls)
        self.maybe_dead = maybe_dead

    @property
    def flag(self):
        """The name of the variable telling whether this step was dead."""
        return f"d{self.op._id}"

    def copy(self):
        return Step(self.op, self.kernel, list(self.inputs), list(self.outputs),
                    self.dead_inputs, self.dead_controls, self.maybe_dead)

    def fast_kernel(self, ctx):
        """The op's faster kernel for specialised plans, or None."""
        return lowering.lookup_fast_kernel(self.op, ctx)

    def kernel_into(self, ctx, out):
        """For a step of one output: the op's kernel writing it into ``out``
        (its ``kernel_into`` lowering rule), or None."""
        return lowering.lookup_kernel_into(self.op, ctx, out)

    def split_kernel(self, ctx):
        """(check, commit) of an update step (``OpDef.split_kernel``)."""
        return self.op.op_def.split_kernel(self.op, ctx)

    def input_sources(self):
        """(op, input position) of each slot in ``inputs`` (ref inputs are not slots)."""
        ref_inputs = self.op.op_def.ref_inputs
        return [(self.op, i) for i in range(len(self.op.inputs)) if i not in ref_inputs]

    def __repr__(self):
        outs = ", ".join(o or "_" for o in self.outputs) or "-"
        dead = " (may be dead)" if self.maybe_dead else ""
        return f"{outs} = {self.op.type}({', '.join(self.inputs)})  # {self.op.name}{dead}"


class UpdateGroup(Step):
    """Consecutive state updates whose kernels split into check and commit (the Apply* ops
    of a training step, ``OpDef.split_kernel``): one step that checks all of them before it
    commits any, so an update that would fail (an uninitialised slot, a bad learning rate)
    leaves every variable as it was."""

    __slots__ = ("members",)

    def __init__(self, members, kernel):
        super().__init__(members[0].op, kernel, [s for m in members for s in m.inputs],
                         [s for m in members for s in m.outputs])
        self.members = members

    @staticmethod
    def make_kernel(members, ctx):
        """The group's reference kernel: every member's check, then every commit."""
        parts = [m.split_kernel(ctx) for m in members]
        checks = [(check, len(m.inputs)) for (check, _), m in zip(parts, members)]
        commits = [commit for _, commit in parts]

        def run_group(*values):
            checked, start = [], 0
            for check, count in checks:
                checked.append(check(*values[start:start + count]))
                start += count
            return tuple(commit(item) for commit, item in zip(commits, checked))
        return run_group

    def fast_kernel(self, ctx):
        """Consecutive members with one ``rules.training.batch_key`` (an optimizer's updates of its
        variables) applied by one ``batch_update`` each; a run that any batch cannot vouch
        for goes through the reference kernel (which raises TF's error). None when a
        member has no batched form."""
        batches, start = [], 0
        for member in self.members:
            key = updates.batch_key(member.op)
            if key is None:
                return None
            if not batches or batches[-1][0] != key:
                batches.append((key, [], start))
            batches[-1][1].append(member)
            start += len(member.inputs)
        parts = []
        for index, (_, members, first) in enumerate(batches):
            last = batches[index + 1][2] if index + 1 < len(batches) else len(self.inputs)
            ops = [member.op for member in members]
            products = [getattr(member, "product", None) for member in members]
            prepare, apply = updates.batch_update(ops, ctx, products)
            parts.append((prepare, apply, first, last))
        reference = self.kernel

        def run_group(*values):
            prepared = []
            for prepare, _, first, last in parts:
                item = prepare(values[first:last])
                if item is None:
                    return reference(*values)
                prepared.append(item)
            outputs = []
            for (_, apply, _, _), item in zip(parts, prepared):
                outputs += apply(item)
            return tuple(outputs)
        return run_group

    def copy(self):
        group = UpdateGroup([m.copy() for m in self.members], self.kernel)
        group.inputs, group.outputs = list(self.inputs), list(self.outputs)
        return group

    def input_sources(self):
        return [source for member in self.members for source in member.input_sources()]

    def __repr__(self):
        return "\n".join(["update group:"] + [f"  {m!r}" for m in self.members])


def group_updates(steps, ctx):
    """``steps`` with every run of two or more consecutive splittable updates (not on a
    tf.cond branch) replaced by an UpdateGroup. A read of a variable that none of the run's
    updates so far writes (Adam's beta powers, read by each ApplyAdam) moves before the run
    instead of ending it: it reads the same value there."""
    grouped, run, written = [], [], set()

    def flush():
        if len(run) > 1:
            grouped.append(UpdateGroup(list(run), UpdateGroup.make_kernel(run, ctx)))
        else:
            grouped.extend(run)
        run.clear()
        written.clear()

    for step in steps:
        splittable = (not step.maybe_dead and not isinstance(step, UpdateGroup)
                      and type(step.op.op_def).split_kernel is not OpDef.split_kernel)
        if splittable:
            run.append(step)
            written.update(updates.written_variables(step.op))
        elif run and step.op.type == "VariableV2" and not step.maybe_dead \
                and step.op not in written:
            grouped.append(step)
        else:
            flush()
            grouped.append(step)
    flush()
    return grouped


class ProductUpdate(Step):
    """An update whose gradient is the product of a MatMul step, taken as the product's two
    factors (the gradient's place holds A, B comes last): the optimizer accumulates A·B
    straight into the variable with one GEMM call (``rules.training.product_form``)."""

    __slots__ = ("product", "grad_index")

    def __init__(self, op, kernel, inputs, outputs, product, grad_index):
        super().__init__(op, kernel, inputs, outputs)
        self.product = product  # the MatMul op
        self.grad_index = grad_index

    @classmethod
    def folding(cls, update, product_step, grad_index):
        """``update`` (a Step) with its gradient replaced by ``product_step``'s factors."""
        a, b = product_step.inputs
        inputs = list(update.inputs)
        inputs[grad_index] = a
        return cls(update.op, update.kernel, inputs + [b], list(update.outputs),
                   product_step.op, grad_index)

    def split_kernel(self, ctx):
        """The update's own (check, commit), after the product's reference kernel."""
        check, commit = super().split_kernel(ctx)
        multiply = self.product.op_def.kernel(self.product, ctx)
        index = self.grad_index

        def check_product(*values):
            *values, b = values
            values[index] = multiply(values[index], b)
            return check(*values)
        return check_product, commit

    def copy(self):
        return ProductUpdate(self.op, self.kernel, list(self.inputs), list(self.outputs),
                             self.product, self.grad_index)

    def input_sources(self):
        sources = super().input_sources()
        sources[self.grad_index] = (self.product, 0)
        return sources + [(self.product, 1)]


#: Products folded into updates have at least this many elements; below it the GEMM call
#: costs more than the separate pass it saves (measured with the earlier ctypes call, which
#: cost ~2 µs more than the Numba one now).
MIN_FOLDED_PRODUCT = 8192


def fold_products(steps, kept_slots, value_of, ctx):
    """``steps`` with each MatMul whose only use is as the gradient of an update in an
    UpdateGroup (an optimizer step on a dense layer's kernel) folded into that update
    (``ProductUpdate``), when the update has a ``product_form``, the product has at least
    ``MIN_FOLDED_PRODUCT`` elements (``value_of``: recorded values) and NumPy's BLAS is
    reachable (``runtime/blas.py``). Factors that may alias variable storage are never
    deferred to the update (an earlier update of the same step could change them first)."""
    readers, producers = {}, {}
    aliases_state = lifetimes.state_slots(steps)
    for step in steps:
        for slot in step.inputs:
            readers[slot] = readers.get(slot, 0) + 1
        for slot in step.outputs:
            if slot:
                producers[slot] = step
    folded = set()

    def fold(member):
        op = member.op
        if updates.batch_key(op) is None or updates.product_form(op) is None:
            return member
        grad_index = updates.gradient_index(op)
        grad = member.inputs[grad_index]
        product = producers.get(grad)
        value = value_of(grad)
        if product is None or product.op.type != "MatMul" or product.maybe_dead \
                or numerics.is_checked(product.op) \
                or readers[grad] != 1 or grad in kept_slots \
                or any(slot in aliases_state for slot in product.inputs) \
                or getattr(value, "size", 0) < MIN_FOLDED_PRODUCT \
                or not blas.available(value.dtype):
            return member
        folded.add(product)
        return ProductUpdate.folding(member, product, grad_index)

    result = []
    for step in steps:
        if isinstance(step, UpdateGroup):
            members = [fold(member) for member in step.members]
            if any(isinstance(member, ProductUpdate) for member in members):
                step = UpdateGroup(members, UpdateGroup.make_kernel(members, ctx))
        result.append(step)
    return [step for step in result if step not in folded]


class Plan:
    """The compiled form of one (fetches, feeds) signature: ordered steps over named slots.

    ``feed_slots`` name the arguments the plan takes (one per fed tensor), ``fetch_slots``
    the values it returns (None for fetched ops). ``copy_slots`` are fetched values that may
    alias variable storage: they are copied as soon as they are produced, so neither a later
    in-place update of the same run nor the next run can change what the user got.

    A variable is read where each consumer runs, not once per step: an op ordered after an
    update of the variable (``tf.control_dependencies``) sees the new value, as in TF.
    """

    def __init__(self, fetches, feeds, ctx):
        fed = set(feeds)
        targets = [f if not hasattr(f, "op") else f.op for f in fetches if f not in fed]
        frames = FrameView()
        self.ops = order(prune(targets, fed, frames), fed, frames)
        slot_of = {tensor: f"f{i}" for i, tensor in enumerate(feeds)}
        self.feed_slots = [slot_of[t] for t in feeds]
        fetched = {f for f in fetches if not hasattr(f, "type")}
        wanted = {t for op in self.ops for i, t in enumerate(op.inputs)
                  if i not in op.op_def.ref_inputs} | fetched
        self.steps = []
        self._slot_count = len(slot_of)
        readers = {}
        variable_of = {}  # tensor -> the VariableV2 op whose storage it is (reads, Identity)
        dead_tensors, dead_ops = set(), set()

        def new_slot():
            self._slot_count += 1
            return f"v{self._slot_count}"

        def read_step(var_op, slot=None):
            if var_op not in readers:
                readers[var_op] = var_op.op_def.kernel(var_op, ctx)
            return Step(var_op, readers[var_op], [], [slot or new_slot()])

        for op in self.ops:
            if op.type in VARIABLE_READS or self._forwards_variable(op, variable_of, fed, dead_ops):
                # A ref variable, or a pass-through of one (its ``read`` snapshot): consumers
                # read the variable where they run, after their control inputs (TF forwards
                # the variable's buffer, so an update ordered before them is seen).
                tensor = op.outputs[0]
                variable_of[tensor] = op if op.type in VARIABLE_READS else variable_of[
                    op.inputs[0]]
                if tensor in fetched and tensor not in fed:
                    step = read_step(variable_of[tensor])
                    slot_of[tensor] = step.outputs[0]
                    self.steps.append(step)
                continue
            value_inputs = [t for i, t in enumerate(op.inputs) if i not in op.op_def.ref_inputs]
            inputs = []
            for tensor in value_inputs:
                if tensor in variable_of and tensor not in fed:
                    step = read_step(variable_of[tensor])
                    self.steps.append(step)
                    inputs.append(step.outputs[0])
                else:
                    inputs.append(slot_of[tensor])
            outputs = []
            for tensor in op.outputs:
                if tensor in wanted and tensor not in slot_of:
                    slot_of[tensor] = new_slot()
                    outputs.append(slot_of[tensor])
                else:
                    outputs.append(None)
            dead_inputs = [slot for t, slot in zip(value_inputs, inputs) if t in dead_tensors]
            dead_controls = [c for c in op.control_inputs if c in dead_ops]
            if op.op_def.accepts_dead_inputs:
                maybe_dead = bool(dead_controls) or (
                    bool(value_inputs) and len(dead_inputs) == len(value_inputs))
                dead_inputs = []
            else:
                maybe_dead = bool(dead_inputs or dead_controls) or op.op_def.switches
            if maybe_dead:
                dead_ops.add(op)
                dead_tensors.update(op.outputs)
            kernel = numerics.checked_kernel(op, op.op_def.kernel(op, ctx))
            self.steps.append(Step(op, kernel, inputs, outputs,
                                   dead_inputs, dead_controls, maybe_dead))
        self.fetch_slots = [None if hasattr(f, "type") else slot_of[f] for f in fetches]
        self.copy_slots = lifetimes.copy_slots(self.steps, self.feed_slots, self.fetch_slots)

    @staticmethod
    def _forwards_variable(op, variable_of, fed, dead_ops):
        """Whether ``op`` only passes on a variable's storage (Identity of a variable)."""
        return (op.op_def.forwards_input and op.inputs and op.inputs[0] in variable_of
                and op.inputs[0] not in fed and op.outputs[0] not in fed
                and not any(c in dead_ops for c in op.control_inputs))

    def clone_steps(self):
        """Fresh Step objects (same kernels) that a specialisation may rewrite."""
        return _StepsView(self, [step.copy() for step in self.steps])

    def __repr__(self):
        lines = [f"Plan(feeds=[{', '.join(self.feed_slots)}], fetches="
                 f"[{', '.join(s or 'None' for s in self.fetch_slots)}])"]
        lines += [f"  {step!r}" for step in self.steps]
        return "\n".join(lines)


class _StepsView:
    """A plan's slots with a private copy of its steps."""

    def __init__(self, plan, steps):
        self.steps = steps
        self.feed_slots = plan.feed_slots
        self.fetch_slots = plan.fetch_slots
        self.copy_slots = plan.copy_slots
