"""Value lifetimes: which arrays a plan's values may share, and which storage it may keep.

Every tier (the reference interpreter, specialised plans, fused kernels, batched updates)
asks this one analysis, so that TF's promises about arrays hold on all of them:

- a fetched value is the caller's own: it never changes after ``run`` returns. A fetched
  value that may share memory with a *feed* (``tf.identity(X)``, ``X[1:]``) or with a
  *variable* (its read, an Assign's result, a reshape of either) is copied as soon as it is
  produced (``copy_slots``); only a fed tensor fetched as itself comes back as the fed array;
- storage a specialised plan keeps across runs (``outliving_slots``' complement) is given
  only to values nothing can see after the run: not fetched, not copied, and not passed on
  (as an input or a view of one) to a value that is. Such storage belongs to one
  specialisation, and a specialisation to one running thread at a time (``CompiledPlan``);
- a value that may share memory with a variable (``state_slots``) is never deferred past an
  in-place update of the same step (``fold_products``);
- a variable is read where each consumer runs, but a read that no step since the previous
  read of the same variable may have written shares that read's value (``shared_reads``):
  the same array, as TF's consumers of one ref see one buffer until an update replaces it.

A value's *roots* are where its memory may come from: a feed slot, a variable read, the
output of an op that writes state (Assign returns the variable's new array), or the value
itself. Ops that may return an input or a view of one (``may_alias_input``,
``forwards_input``) pass their inputs' roots on; every other op's output is fresh memory.
"""
from tfcompat.ops.state_ops import variable_op_of

#: Ops whose output is a variable's ref: each consumer reads the variable when it runs (a
#: RefEnter passes a variable into a while loop's body).
VARIABLE_READS = ("VariableV2", "RefEnter")


def passes_input_on(op_def):
    """Whether the op's output may be one of its inputs or a view of one."""
    return op_def.may_alias_input or op_def.forwards_input


def _is_state_root(step):
    return step.op.type in VARIABLE_READS or step.op.op_def.mutates_state


def roots(steps, feed_slots):
    """{slot: frozenset of root slots} for every slot the ``steps`` produce or read."""
    root_of = {slot: frozenset((slot,)) for slot in feed_slots}
    for step in steps:
        if passes_input_on(step.op.op_def) and not _is_state_root(step):
            inherited = frozenset().union(*(root_of.get(s, frozenset((s,)))
                                            for s in step.inputs))
            for slot in step.outputs:
                if slot:
                    root_of[slot] = inherited
        else:
            for slot in step.outputs:
                if slot:
                    root_of[slot] = frozenset((slot,))
    return root_of


def state_slots(steps, feed_slots=()):
    """Slots whose values may share memory with a variable."""
    state_roots = {slot for step in steps if _is_state_root(step)
                   for slot in step.outputs if slot}
    return {slot for slot, found in roots(steps, feed_slots).items() if found & state_roots}


def copy_slots(steps, feed_slots, fetch_slots):
    """Fetched slots that may share memory with a feed or a variable (not a fed tensor
    fetched as itself): they are copied when produced."""
    external = set(feed_slots) | {slot for step in steps if _is_state_root(step)
                                  for slot in step.outputs if slot}
    root_of = roots(steps, feed_slots)
    return {slot for slot in fetch_slots if slot and slot not in feed_slots
            and root_of.get(slot, frozenset()) & external}


def outliving_slots(steps, kept_slots):
    """Slots whose values may outlive the run computing them: ``kept_slots`` (fetched, or
    copied when produced) and, backwards through ops that may pass on an input or a view of
    it, the inputs they pass on. No other value is reachable once the run ends (a variable
    never keeps a graph value: Assign copies), so its storage can be reused by the next run
    of the same specialisation."""
    outliving = set(kept_slots)
    for step in reversed(steps):
        if passes_input_on(step.op.op_def) \
                and any(slot in outliving for slot in step.outputs if slot):
            outliving.update(step.inputs)
    return outliving


def _written_variables(step):
    """The variables ``step`` may write (its updates' ref inputs), or None when it may write
    any (a loop running a body, a py_func, an op whose ref inputs are not variables). A
    random op's state is its generator, never a variable."""
    op_def = step.op.op_def
    if step.op.type in VARIABLE_READS or not (op_def.mutates_state or op_def.stateful):
        return frozenset()
    if not op_def.mutates_state and {"seed", "seed2"} <= step.op.attrs.keys():
        return frozenset()
    written = set()
    for part in getattr(step, "members", None) or [step]:
        ref_inputs = part.op.op_def.ref_inputs
        if not part.op.op_def.mutates_state or not ref_inputs:
            return None
        try:
            written.update(variable_op_of(part.op.inputs[i]) for i in ref_inputs)
        except TypeError:  # a ref that is not a variable's (a RefEnter's)
            return None
    return frozenset(written)


def shared_reads(steps, kept_slots):
    """{slot of a variable read: slot of the earlier read of the same variable whose value
    it can take}: no step between the two may write the variable (``_written_variables``),
    and neither value is seen after the run (``kept_slots``: fetched or copied)."""
    latest, renamed = {}, {}
    for step in steps:
        if step.op.type in VARIABLE_READS and not step.inputs and len(step.outputs) == 1:
            slot = step.outputs[0]
            if slot and slot not in kept_slots:
                if step.op in latest:
                    renamed[slot] = latest[step.op]
                else:
                    latest[step.op] = slot
            continue
        written = _written_variables(step)
        if written is None:
            latest.clear()
        elif written:
            # A RefEnter's variable is another op: any write may be to it.
            latest = {op: slot for op, slot in latest.items()
                      if op.type == "VariableV2" and op not in written}
    return renamed
