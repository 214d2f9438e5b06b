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
  in-place update of the same step (``fold_products``).

A value's *roots* are where its memory may come from: a feed slot, a variable read, the
output of an op that writes state (Assign returns the variable's new array), or the value
itself. Ops that may return an input or a view of one (``may_alias_input``,
``forwards_input``) pass their inputs' roots on; every other op's output is fresh memory.
"""


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
