"""The specialisation pipeline: a ``Program`` and the passes that rewrite it, in order.

A specialisation starts from a plan and the values one reference run recorded for a key
(feed shapes, fed scalar bools). Each pass takes the program and leaves it rewritten;
``SPECIALISATION`` lists them, ``FUSION`` adds the fusion tier, and ``codegen`` turns the
result into one Python function:

1. ``resolve_aliases``: tf.cond branches decided by the key's bools are taken, pass-through
   steps become renamings (``specialize.py``);
2. ``fold_constants``: what depends only on the key (shape bookkeeping of the gradient
   graph) becomes constants (``specialize.py``);
3. ``group_updates``: consecutive optimizer updates become one step that checks all before
   applying any (``plan.py``);
4. ``share_reads``: a read of a variable that no step since its previous read can have
   written takes that read's value (``lifetimes.py``);
5. ``fold_products``: a kernel gradient that is a matrix product goes into its update as
   one GEMM (``plan.py``);
6. ``choose_kernels``: each step takes its lowering rule's fast kernel, or writes a value
   that dies with the run into storage the program keeps (``lowering.py``, ``lifetimes.py``);
7. ``lower_convolutions``: a Conv2D takes its BiasAdd and Relu into its output pass and
   shares its im2col patch matrix with the Conv2DBackpropFilter of the same input; a
   ReLU layer's MaxPoolGrad, ReluGrad and BiasAddGrad become one step; a
   Conv2DBackpropInput -> ReluGrad (+BiasAddGrad) -> Conv2DBackpropFilter chain runs as one
   step per block of images, and neighbouring independent gradient steps run side by side
   as one step of two tasks (``rules/conv.py``, ``threads.run_tasks``);
8. ``fuse`` (the fusion tier only): elementwise chains become generated Numba kernels
   (``fusion.py``).

What a slot holds is recorded on the program, not in its name: ``feed_slots`` are the
run's arguments, ``constants`` folded read-only values, ``buffers`` storage kept across
runs that fused kernels write; every other slot is a value of the run.
"""
from tfcompat.runtime import fusion, lifetimes, memory
from tfcompat.runtime.plan import fold_products as _fold_products
from tfcompat.runtime.plan import group_updates as _group_updates
from tfcompat.runtime.rules.conv import lower_convolutions as _lower_convolutions
from tfcompat.runtime.specialize import fold_constants as _fold_constants
from tfcompat.runtime.specialize import resolve_aliases as _resolve_aliases


class Program:
    """One specialisation being built: steps over named slots and what the slots are."""

    def __init__(self, plan, recorded, state, key_slots=()):
        view = plan.clone_steps()
        self.steps = view.steps
        self.feed_slots = list(plan.feed_slots)
        self.fetch_slots = list(plan.fetch_slots)
        self.copy_slots = set(plan.copy_slots)
        self.constants = {}  # slot -> folded read-only value
        self.buffers = {}    # slot -> storage kept across runs, written by fused kernels
        self.recorded = recorded  # slot -> the value the reference run computed
        self.state = state
        self.key_slots = list(key_slots)

    def kept_slots(self):
        """Slots whose values are seen after the run (fetched, or copied when produced)."""
        return {slot for slot in self.fetch_slots if slot} | self.copy_slots

    def bound(self):
        """The constants and buffers the generated function closes over (those it uses)."""
        used = {slot for step in self.steps for slot in step.inputs} | set(self.fetch_slots)
        bound = {**self.constants, **self.buffers}
        return {slot: value for slot, value in bound.items() if slot in used}


def resolve_aliases(program):
    (program.steps, program.fetch_slots, program.copy_slots,
     program.constants) = _resolve_aliases(program, program.recorded, program.key_slots)


def fold_constants(program):
    program.steps, program.constants = _fold_constants(
        program.steps, program.feed_slots, program.fetch_slots, program.recorded,
        program.constants)


def group_updates(program):
    program.steps = _group_updates(program.steps, program.state)


def share_reads(program):
    """Drops each variable read whose value the previous read of the variable still gives
    (``lifetimes.shared_reads``: no step between them may write it); its consumers take
    that read's slot. The plan reads a variable where each consumer runs (after its control
    inputs), so the reads left are those an update may have changed."""
    renamed = lifetimes.shared_reads(program.steps, program.kept_slots())
    if not renamed:
        return
    steps = []
    for step in program.steps:
        if step.outputs and step.outputs[0] in renamed:
            continue
        for part in [step, *getattr(step, "members", ())]:
            part.inputs = [renamed.get(slot, slot) for slot in part.inputs]
            part.dead_inputs = [renamed.get(slot, slot) for slot in part.dead_inputs]
        steps.append(step)
    program.steps = steps


def fold_products(program):
    program.steps = _fold_products(program.steps, program.kept_slots(),
                                   program.recorded.get, program.state)


def choose_kernels(program):
    """Each step's fast kernel where its op has one; else, for a single output that dies
    with the run, a kernel writing it into storage the program keeps."""
    outliving = lifetimes.outliving_slots(program.steps, program.kept_slots())
    for step in program.steps:
        fast = step.fast_kernel(program.state)
        if fast is None and len(step.outputs) == 1 and step.outputs[0] not in outliving:
            out = memory.buffer_like(program.recorded.get(step.outputs[0]))
            fast = None if out is None else step.kernel_into(program.state, out)
        if fast is not None:
            step.kernel = fast


def lower_convolutions(program):
    program.steps = _lower_convolutions(program.steps, program.state, program.kept_slots(),
                                        program.recorded.get)


def fuse(program):
    program.steps, buffers = fusion.fuse(program.steps, program.recorded.get,
                                         program.kept_slots(), set(program.constants))
    program.buffers.update(buffers)


SPECIALISATION = (resolve_aliases, fold_constants, group_updates, share_reads,
                  fold_products, choose_kernels, lower_convolutions)
FUSION = SPECIALISATION + (fuse,)


def specialise(plan, recorded, state, key_slots=(), fused=False):
    """The ``Program`` of ``plan`` after every pass (``FUSION`` when ``fused``)."""
    program = Program(plan, recorded, state, key_slots)
    for run_pass in FUSION if fused else SPECIALISATION:
        run_pass(program)
    return program
