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
"""

SHAPE_QUERIES = ("Shape", "Size", "Rank", "ShapeN")


def fold_constants(plan, values):
    """Returns (live steps, {slot: constant value}) for ``plan`` given the ``values`` of every
    slot recorded by a reference run."""
    constants = {}
    fixed_shape = {slot: True for slot in plan.feed_slots}
    kept = []
    for step in plan.steps:
        op, op_def = step.op, step.op.op_def
        inputs_fixed = all(fixed_shape.get(s, s in constants) and (
            s in constants or not _shape_relevant(step, i)) for i, s in enumerate(step.inputs))
        out_fixed = inputs_fixed and not op_def.dynamic_output_shape
        for slot in step.outputs:
            if slot:
                fixed_shape[slot] = out_fixed
        # A step on a tf.cond branch may be dead in a later run: never fold it.
        pure = not (op_def.stateful or op_def.mutates_state or op_def.ref_inputs
                    or step.maybe_dead)
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
    return _drop_dead(kept, plan.fetch_slots), constants


def _shape_relevant(step, index):
    """Whether the value of input ``index`` may influence the output shape: the op's
    declared shape-determining inputs, or else any integer or bool input."""
    position = _value_input_positions(step.op)[index]
    declared = step.op.op_def.shape_determining_inputs
    if declared is not None:
        return position in declared
    dtype = step.op.inputs[position].dtype.base_dtype
    return dtype.is_integer or dtype.is_bool


def _value_input_positions(op):
    ref_inputs = op.op_def.ref_inputs
    return [i for i in range(len(op.inputs)) if i not in ref_inputs]


def _frozen(value):
    import numpy as np
    array = np.array(value, copy=True) if isinstance(value, np.ndarray) else value
    if isinstance(array, np.ndarray):
        array.setflags(write=False)
    return array


def _drop_dead(steps, fetch_slots):
    """Removes steps whose outputs nobody reads (keeping state changes and fetched ops)."""
    needed = {s for s in fetch_slots if s}
    needed_ops = set()  # steps whose deadness a live step inherits through a control edge
    live = []
    for step in reversed(steps):
        op_def = step.op.op_def
        if (op_def.mutates_state or any(s in needed for s in step.outputs if s)
                or step.op.type == "Placeholder" or step.op in needed_ops):
            live.append(step)
            needed.update(step.inputs)
            needed_ops.update(step.dead_controls)
    live.reverse()
    return live
