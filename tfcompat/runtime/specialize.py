"""Specialising a plan to the shapes of its feeds.

After one reference run with concrete feeds, every value that depends only on the feed
*shapes* (never on their contents) is a constant for all later runs with the same shapes:
``Shape``/``Size``/``Rank`` of such tensors, and any pure op whose inputs are all constants
(BroadcastGradientArgs, shape arithmetic of the gradient graph, Const itself). Folding them
removes most of the gradient graph's bookkeeping ops from the hot loop; steps that then feed
nothing are dropped.

A tensor's shape counts as a function of the feed shapes unless an op with a data-dependent
output shape (``dynamic_output_shape``) is upstream, or a non-constant integer/bool input
(a shape, index or mask computed at run time) went into it. Shape-determining inputs are
integer tensors in TF, so float data never blocks folding.

Aliases are resolved first: steps that only pass a value on become renamings of slots.
A plan is specialised to the *values* of its fed scalar bools too (the ``training``
placeholder of the book's batch-norm and dropout layers), so a tf.cond whose predicate is
computed from them alone takes the same branch in every run of that specialisation: its
Switch forwards the data slot, the other branch is dropped, its Merge forwards the taken
input, and the steps left behind no longer test for DEAD values. Identity and StopGradient
(``forwards_input``) forward their input the same way.
"""

from tfcompat.framework.op_def import DEAD
from tfcompat.runtime.lifetimes import VARIABLE_READS

SHAPE_QUERIES = ("Shape", "Size", "Rank", "ShapeN")


class Unspecializable(Exception):
    """This signature cannot be compiled (e.g. a fetch is on a branch never taken)."""


def _pure(op_def):
    return not (op_def.stateful or op_def.mutates_state or op_def.ref_inputs)


def resolve_aliases(plan, values, key_slots):
    """Returns (steps, fetch slots, copy slots, {slot: constant}) of ``plan`` with every
    Switch whose predicate depends only on the fed slots ``key_slots`` resolved (given the
    ``values`` recorded by a reference run with the same key values) and every pass-through
    step replaced by its input."""
    resolution = _AliasResolution(plan, values, key_slots)
    for step in plan.steps:
        resolution.visit(step)
    fetch_slots = [resolution.renamed.get(slot, slot) for slot in plan.fetch_slots]
    if any(slot in resolution.dead_slots for slot in fetch_slots):
        raise Unspecializable("a fetched tensor is on a branch this specialisation never takes")
    return resolution.kept, fetch_slots, resolution.copy_slots, resolution.constants


class _AliasResolution:
    """The state of ``resolve_aliases`` as it walks the plan's steps in order."""

    def __init__(self, plan, values, key_slots):
        self.values = values
        self.known = {slot: values[slot] for slot in key_slots}  # values fixed by the key
        self.renamed = {}
        self.dead_slots, self.dead_ops = set(), set()  # never alive in this specialisation
        self.maybe_dead_slots, self.maybe_dead_ops = set(), set()  # decided at run time
        self.constants = {}
        self.copy_slots = set(plan.copy_slots)
        self.kept = []

    def rename(self, slot, to):
        self.renamed[slot] = to
        if slot in self.copy_slots:
            self.copy_slots.add(to)  # a fetched alias of variable storage: copy when produced

    def mark_dead(self, step):
        self.dead_ops.add(step.op)
        self.dead_slots.update(slot for slot in step.outputs if slot)

    def visit(self, step):
        """Keeps ``step`` (rewritten) or resolves it away."""
        step.inputs = [self.renamed.get(slot, slot) for slot in step.inputs]
        step.dead_inputs = [self.renamed.get(slot, slot) for slot in step.dead_inputs]
        if any(control in self.dead_ops for control in step.dead_controls):
            self.mark_dead(step)
            return
        step.dead_controls = [c for c in step.dead_controls if c in self.maybe_dead_ops]
        resolve = self._merge if step.op.op_def.accepts_dead_inputs else self._other
        if resolve(step):
            self._keep(step)

    def _merge(self, step):
        """A Merge: dead when every input is, its one live input's alias when only one can
        be; else kept (with its inputs that are always dead as DEAD constants). A _Send is
        always kept."""
        live = [slot for slot in step.inputs if slot not in self.dead_slots]
        if step.inputs and not live and not step.op.op_def.side_effects:
            self.mark_dead(step)
            return False  # (a _Send still runs: it tells its _Recv the value is dead)
        if len(step.inputs) > 1 and len(live) == 1 and live[0] not in self.maybe_dead_slots \
                and not step.dead_controls:
            output, index = step.outputs
            if output:
                self.rename(output, live[0])
            if index:
                self.constants[index] = self.values[index]
            return False
        for slot in step.inputs:
            if slot in self.dead_slots:  # its producer was dropped: a constant DEAD input
                self.constants[slot] = DEAD
        step.maybe_dead = bool(step.dead_controls) or bool(step.inputs) and all(
            slot in self.maybe_dead_slots or slot in self.dead_slots for slot in step.inputs)
        return True

    def _other(self, step):
        """Any other step: dead with a dead input; a Switch on a predicate the key fixes
        forwards its data to the taken output."""
        if any(slot in self.dead_slots for slot in step.inputs):
            self.mark_dead(step)
            return False
        step.dead_inputs = [slot for slot in step.dead_inputs if slot in self.maybe_dead_slots]
        switches = step.op.op_def.switches
        if switches and len(step.inputs) == 2 and step.inputs[1] in self.known \
                and step.inputs[0] not in self.maybe_dead_slots and not step.dead_controls:
            taken = 1 if self.known[step.inputs[1]] else 0
            if step.outputs[taken]:
                self.rename(step.outputs[taken], step.inputs[0])
            if step.outputs[1 - taken]:
                self.dead_slots.add(step.outputs[1 - taken])
            return False
        step.maybe_dead = bool(step.dead_inputs or step.dead_controls) or switches
        return True

    def _keep(self, step):
        op_def = step.op.op_def
        if step.maybe_dead:
            self.maybe_dead_ops.add(step.op)
            self.maybe_dead_slots.update(slot for slot in step.outputs if slot)
        elif op_def.forwards_input and step.outputs[0] not in self.copy_slots:
            if step.outputs[0]:
                self.renamed[step.outputs[0]] = step.inputs[0]
            return
        elif _pure(op_def) and step.inputs and all(slot in self.known for slot in step.inputs):
            self.known.update((slot, self.values[slot]) for slot in step.outputs if slot)
        self.kept.append(step)


def fold_constants(steps, feed_slots, fetch_slots, values, constants=None):
    """Returns (live steps, {slot: constant value}) for the plan ``steps`` given the
    ``values`` of every slot recorded by a reference run (``constants``: already known)."""
    constants = dict(constants or {})
    fixed_shape = {slot: True for slot in feed_slots}
    kept = []
    for step in steps:
        op, op_def = step.op, step.op.op_def
        inputs_fixed = all(fixed_shape.get(s, s in constants) and (
            s in constants or not _shape_relevant(step, i)) for i, s in enumerate(step.inputs))
        out_fixed = inputs_fixed and not op_def.dynamic_output_shape
        for slot in step.outputs:
            if slot:
                fixed_shape[slot] = out_fixed
        # A step on a tf.cond branch may be dead in a later run: never fold it.
        pure = _pure(op_def) and not step.maybe_dead
        foldable = pure and step.outputs and all(s in constants for s in step.inputs)
        if op.type in SHAPE_QUERIES and not step.maybe_dead and all(
                fixed_shape.get(s, False) for s in step.inputs):
            foldable = True
        if foldable and all(slot is None or slot in values for slot in step.outputs):
            for slot in step.outputs:
                if slot:
                    constants[slot] = _frozen(values[slot])
            continue
        kept.append(step)
    return _drop_dead(kept, fetch_slots), constants


def _shape_relevant(step, index):
    """Whether the value of input ``index`` may influence the output shape: the op's
    declared shape-determining inputs, or else any integer or bool input."""
    op, position = step.input_sources()[index]
    declared = op.op_def.shape_determining_inputs
    if declared is not None:
        return position in declared
    dtype = op.inputs[position].dtype.base_dtype
    return dtype.is_integer or dtype.is_bool


def _frozen(value):
    import numpy as np
    array = np.array(value, copy=True) if isinstance(value, np.ndarray) else value
    if isinstance(array, np.ndarray):
        array.setflags(write=False)
    return array


def _drop_dead(steps, fetch_slots):
    """Removes steps whose outputs nobody reads (keeping state changes, fetched ops and
    stateful ops but variable reads: a py_func or a random op reached only through a
    control dependency runs every run, as in TF)."""
    needed = {s for s in fetch_slots if s}
    needed_ops = set()  # steps whose deadness a live step inherits through a control edge
    live = []
    for step in reversed(steps):
        op_def = step.op.op_def
        if (op_def.mutates_state or op_def.side_effects
                or op_def.stateful and step.op.type not in VARIABLE_READS
                or any(s in needed for s in step.outputs if s)
                or step.op.type == "Placeholder" or step.op in needed_ops):
            live.append(step)
            needed.update(step.inputs)
            needed_ops.update(step.dead_controls)
    live.reverse()
    return live
