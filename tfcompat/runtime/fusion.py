"""The hot-plan tier: chains of elementwise ops, broadcasts and column reductions of a
specialised plan fused into generated Numba kernels, one pass over memory per chain.

A plan reaches this tier once it has run ``hot_threshold()`` times with the same feed
shapes (TFCOMPAT_FUSE_AFTER, default 200; TFCOMPAT_FUSION=0 turns it off), so short
scripts and tests never pay the compile time. Fusion works on the specialised steps:

- a step is *fusible* when its op has a per-element formula (``rules/formulas.py``) or is
  a column reduction (there too: Sum/Mean over axis 0, BiasAddGrad), all
  its data are float32 or all float64, and its values have rank <= 2;
- its *space* is its output shape (a reduction's: its input's) without leading 1s; steps
  join a cluster of the same space, in the same run of pure steps (state updates and
  tf.cond steps are barriers), unless the merge would make the cluster depend on itself
  or a member would read a reduction of its own cluster (only complete after the loop);
- a cluster that reads another's values (a column mean, batch norm's per-feature scale
  and offset) runs after it in the same kernel, as a further loop over the same columns:
  batch norm's forward pass of a layer is one kernel of three matrix loops and a vector
  loop;
- each cluster becomes one loop nest over its space: external inputs are indexed by
  broadcasting (a bias row, a (batch, 1) column, a scalar), values used only inside the
  cluster never touch memory, and column sums accumulate in the input's dtype row by row,
  which is the order of NumPy's own ``add.reduce(x, axis=0)``, so results match the
  reference kernels to float round-off;
- outputs that die with the run are written into storage the plan keeps (bound in the
  generated step as "b" slots that their readers take), so a kernel allocates and returns
  only values a fetch can see; folded scalar constants are literals of its source.

The generated source depends only on the cluster's structure and folded scalars (sizes are
arguments), is written to a cache folder (TFCOMPAT_CACHE_DIR, default ~/.cache/tfcompat)
under the hash of its text and imported from there, so Numba's ``cache=True`` keeps the
compiled code across processes (it does not for code made with ``exec``). Each kernel
checks the shapes of its inputs and raises ``FusedShapeError`` when a run does not match
the recorded ones (a variable re-assigned with another shape); the executor then runs the
reference path.
"""
import functools
import hashlib
import heapq
import importlib.util
import math
import os
import re
import sys
import tempfile

import numpy as np

from tfcompat.runtime import lowering, memory
from tfcompat.runtime.rules import formulas
from tfcompat.runtime.lifetimes import outliving_slots
from tfcompat.runtime.plan import Step, UpdateGroup

_DEFAULT_THRESHOLD = 200
_FLOAT_TYPES = (np.dtype(np.float32), np.dtype(np.float64))
_PLACEHOLDER = re.compile(r"\{(\d+)\}")


class FusedShapeError(Exception):
    """A fused kernel got inputs of other shapes than those it was planned for."""


def hot_threshold():
    """Runs of one specialised plan before it is fused; None when fusion is off."""
    if os.environ.get("TFCOMPAT_FUSION", "1").strip().lower() in ("0", "false", "off", "no"):
        return None
    value = os.environ.get("TFCOMPAT_FUSE_AFTER", "").strip()
    if not value:
        return _DEFAULT_THRESHOLD
    if not value.isdigit():
        raise ValueError(f"TFCOMPAT_FUSE_AFTER must be a number of runs (0 or more), got "
                         f"{value!r}")
    return int(value)


def cache_dir():
    root = os.environ.get("TFCOMPAT_CACHE_DIR")
    if not root:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"),
                                                                ".cache")
        root = os.path.join(base, "tfcompat")
    return os.path.join(root, "fused")


# ---- which steps can fuse -------------------------------------------------------------------
def _space(shape):
    """A shape without its leading 1s: values of shapes (1, 300) and (300,) share a loop."""
    shape = tuple(shape)
    while shape and shape[0] == 1:
        shape = shape[1:]
    return shape


class _Member:
    """A fusible step: its formula (or reduction kind), data inputs and loop space."""

    __slots__ = ("index", "step", "template", "reduction", "data", "space", "dtype")

    def __init__(self, index, step, template, reduction, data, space, dtype):
        self.index, self.step = index, step
        self.template, self.reduction = template, reduction
        self.data, self.space, self.dtype = data, space, dtype


def _as_member(index, step, value_of):
    """The step as a cluster member, or None when it cannot fuse."""
    if type(step) is not Step or step.maybe_dead or len(step.outputs) != 1 \
            or not step.outputs[0]:
        return None
    op = step.op
    values = [value_of(slot) for slot in step.inputs]
    output = value_of(step.outputs[0])
    if output is None or any(v is None for v in values):
        return None
    reduction = lowering.lookup_fusion_reduction(op, values)
    template = None if reduction else lowering.lookup_fusion_formula(op, values)
    if reduction is None and template is None:
        return None
    used = [0] if reduction else sorted({int(i) for i in _PLACEHOLDER.findall(template)})
    data = [step.inputs[i] for i in used]
    arrays = [values[i] for i in used] + [output]
    dtype = output.dtype
    if dtype not in _FLOAT_TYPES or any(np.asarray(a).dtype != dtype for a in arrays) \
            or any(np.ndim(a) > 2 for a in arrays):
        return None
    space = _space(values[0].shape if reduction else output.shape)
    if not space or (reduction and len(space) != 2):
        return None
    if op.type in formulas.REINDEXING and _space(values[0].shape) != space:
        return None  # a reshape that moves elements to other loop positions
    return _Member(index, step, template, reduction, data, space, dtype)


# ---- clustering -----------------------------------------------------------------------------
class _Cluster:
    """Members fused into one kernel: ``phases``, each a loop over its own space run after
    the previous one (a phase reads earlier phases' values and completed reductions)."""

    def __init__(self, member, segment):
        self.phases = [[member]]
        self.space, self.dtype, self.segment = member.space, member.dtype, segment
        self.reduced = {member.step.outputs[0]} if member.reduction else set()
        self.consumed = set(member.data)

    @property
    def members(self):
        return [m for phase in self.phases for m in phase]

    def produced(self):
        return {m.step.outputs[0] for phase in self.phases for m in phase}

    def can_take(self, other):
        """Whether ``other`` can join this cluster's (single) loop."""
        return (len(self.phases) == len(other.phases) == 1 and self.space == other.space
                and self.dtype == other.dtype and self.segment == other.segment
                and not self.consumed & other.reduced and not other.consumed & self.reduced)

    def absorb(self, other):
        self.phases[0] += other.phases[0]
        self.reduced |= other.reduced
        self.consumed |= other.consumed

    def can_precede(self, other):
        """Whether ``other``, which reads this cluster's values, can run as later loops of
        this kernel: the same dtype and run of pure steps, loops over rows of one width (and
        one matrix shape), and nothing of ``other`` read here."""
        matrices = {c.space for c in (self, other) if len(c.space) == 2}
        return (self.dtype == other.dtype and self.segment == other.segment
                and self.space[-1] == other.space[-1] and len(matrices) <= 1
                and self.produced() & other.consumed and not other.produced() & self.consumed)

    def append_phases(self, other):
        self.phases += other.phases
        self.space = max(self.space, other.space, key=len)
        self.reduced |= other.reduced
        self.consumed |= other.consumed


class _Clustering:
    """Greedy clustering of a plan's fusible steps over its slot dependency graph."""

    def __init__(self, steps, members, segments):
        self.segments = segments
        producer = self.producer = {slot: i for i, step in enumerate(steps)
                                    for slot in step.outputs if slot}
        self.predecessors = [{producer[s] for s in step.inputs if s in producer}
                             for step in steps]
        self.successors = [set() for _ in steps]
        for index, preds in enumerate(self.predecessors):
            for pred in preds:
                self.successors[pred].add(index)
        self.cluster_of = {}
        self.clusters = []
        for member in members:
            if member is not None:
                self._place(member)

    def merge_phases(self):
        """Chains of clusters where one reads another's values — a matrix pass computing
        column means, the pass computing variances from them, batch norm's per-feature
        arithmetic on those, the normalisation — become one kernel running them as
        consecutive loops (one kernel call per chain), unless that would make the kernel
        depend on itself through a step outside it."""
        merged = True
        while merged:
            merged = False
            for first in self.clusters:
                for second in self.clusters:
                    if second is first or not first.can_precede(second) or self._makes_cycle(
                            [m.index for m in first.members + second.members]):
                        continue
                    first.append_phases(second)
                    self.clusters.remove(second)
                    for member in second.members:
                        self.cluster_of[member.index] = first
                    merged = True
                    break
                if merged:
                    break

    def _unit(self, index):
        cluster = self.cluster_of.get(index)
        return ("c", id(cluster)) if cluster is not None else ("s", index)

    def _unit_members(self, index):
        cluster = self.cluster_of.get(index)
        return [m.index for m in cluster.members] if cluster is not None else [index]

    def _makes_cycle(self, indices):
        """Whether joining ``indices`` into one unit would make it depend on itself: some
        unit outside it is reachable from it and feeds into it."""
        inside = set(indices)
        stack = [s for i in inside for s in self.successors[i] if s not in inside]
        seen = set()
        while stack:
            index = stack.pop()
            unit = self._unit(index)
            if unit in seen:
                continue
            seen.add(unit)
            for member in self._unit_members(index):
                for succ in self.successors[member]:
                    if succ in inside:
                        return True
                    if self._unit(succ) not in seen:
                        stack.append(succ)
        return False

    def _place(self, member):
        new = _Cluster(member, self.segments[member.index])
        # Clusters computing the member's data (ZerosLike reads only its input's shape).
        producers = {self.cluster_of[self.producer[s]] for s in member.data
                     if self.producer.get(s) in self.cluster_of}
        candidates = [c for c in producers if c.can_take(new)]
        candidates.sort(key=lambda c: -len(c.members))
        choices = [candidates] if len(candidates) > 1 else []
        choices += [[c] for c in candidates]
        if not candidates and member.data:  # an independent chain of the same space:
            # fuse horizontally (a step without data, ZerosLike, waits for its consumer)
            latest = next((c for c in reversed(self.clusters) if c.can_take(new)), None)
            choices = [[latest]] if latest is not None else []
        for group in choices:
            if all(a.can_take(b) for a in group for b in group if a is not b):
                indices = [member.index] + [m.index for c in group for m in c.members]
                if not self._makes_cycle(indices):
                    target = group[0]
                    for other in group[1:]:
                        target.absorb(other)
                        self.clusters.remove(other)
                    target.absorb(new)
                    for m in target.members:
                        self.cluster_of[m.index] = target
                    return
        self.clusters.append(new)
        self.cluster_of[member.index] = new


# ---- code generation ------------------------------------------------------------------------
def _loop_axes(shape, space):
    """For each dim of a value of ``shape``: the loop axis of ``space`` it runs along, or
    None for a broadcast dim of 1 (NumPy's right-aligned broadcasting)."""
    offset = len(shape) - len(space)
    return [axis - offset if axis >= offset and dim == space[axis - offset] and dim != 1
            else None for axis, dim in enumerate(shape)]


def _index(shape, space):
    """The subscript reading a value of ``shape`` at loop position (i, j) of ``space``."""
    loops = ("i", "j") if len(space) == 2 else ("j",)
    parts = [loops[a] if a is not None else "0" for a in _loop_axes(shape, space)]
    return "[" + ", ".join(parts) + "]" if parts else "[()]"


def _dims(shape, space):
    """The dims of ``shape`` in terms of the loop sizes (R, C) and 1, for the shape check."""
    sizes = ("R", "C") if len(space) == 2 else ("C",)
    return [sizes[a] if a is not None else "1" for a in _loop_axes(shape, space)]


def _generate(cluster, inputs, outputs, value_of, given=(), literals=None):
    """Source of the kernel ``fused(R, C, *given, *inputs)`` of one cluster: a loop per
    phase, over the phase's space. Values a later phase reads are kept in arrays (an
    output's own, a column sum's accumulator, or a scratch array). Outputs in ``given`` are
    written into arrays the caller passes; the kernel allocates and returns the others
    (returning an array costs Numba ~0.4 µs, even one it was passed). Inputs in
    ``literals`` (slot -> Python source of a scalar) are written into the code."""
    literals = literals or {}
    space = cluster.space
    names = {slot: f"a{k}" for k, slot in enumerate(inputs)}
    sizes = "R, C" if len(space) == 2 else "C"
    dtype = "np." + cluster.dtype.name
    out_names = {slot: f"o{k}" for k, slot in enumerate(outputs)}
    parameters = [out_names[s] for s in outputs if s in given] \
        + [names[s] for s in inputs if s not in literals]
    lines = [f"def fused({sizes}{''.join(', ' + p for p in parameters)}):"]
    for slot in inputs:
        dims = _dims(np.shape(value_of(slot)), space)
        if dims:
            mismatch = " or ".join(f"{names[slot]}.shape[{axis}] != {dim}"
                                   for axis, dim in enumerate(dims))
            lines.append(f"    if {mismatch}:")
            lines.append("        raise FusedShapeError()")
        elif slot in literals:
            lines.append(f"    x_{names[slot]} = T({literals[slot]})")
        else:  # read once; it may arrive as a NumPy scalar or a 0-d array
            lines.append(f"    x_{names[slot]} = T(np.asarray({names[slot]}).item())")
    accumulators = {m.step.outputs[0]: f"acc{k}" for k, m in enumerate(cluster.members)
                    if m.reduction}
    for member in cluster.members:
        slot = member.step.outputs[0]
        if member.reduction and slot in given:  # the output's own storage, as a row
            lines.append(f"    {accumulators[slot]} = {out_names[slot]}.reshape(C)")
            lines.append(f"    {accumulators[slot]}[:] = 0")
        elif member.reduction:
            lines.append(f"    {accumulators[slot]} = np.zeros(C, {dtype})")
        elif slot in out_names and slot not in given:
            shape = np.shape(value_of(slot))
            lines.append(f"    {out_names[slot]} = np.empty(({', '.join(_dims(shape, space))},"
                         f"), {dtype})")
    stored = {}  # slot -> (array, shape) of values kept for later phases
    first = 0
    for number, phase in enumerate(cluster.phases):
        numbered = list(enumerate(phase, first))
        first += len(phase)
        loop_space = phase[0].space
        read_later = {s for later in cluster.phases[number + 1:] for m in later for s in m.data}
        body = _loop_body(numbered, loop_space, names, stored, accumulators, out_names,
                          value_of)
        for k, member in numbered:
            slot = member.step.outputs[0]
            if member.reduction:
                stored[slot] = accumulators[slot], (space[-1],)
            elif slot in out_names:
                stored[slot] = out_names[slot], np.shape(value_of(slot))
            elif slot in read_later:
                lines.append(f"    p{k} = np.empty(({', '.join(_dims(loop_space, space))},), "
                             f"{dtype})")
                body.append(f"p{k}{_index(loop_space, loop_space)} = t{k}")
                stored[slot] = f"p{k}", loop_space
        if len(loop_space) == 2:
            lines.append("    for i in range(R):")
            lines.append("        for j in range(C):")
            lines += [f"            {line}" for line in body]
        else:
            lines.append("    for j in range(C):")
            lines += [f"        {line}" for line in body]
        for _, member in numbered:
            if member.reduction == "mean":
                name = accumulators[member.step.outputs[0]]
                lines.append("    for j in range(C):")
                lines.append(f"        {name}[j] = T({name}[j] / R)")
    for member in cluster.members:
        slot = member.step.outputs[0]
        if member.reduction and slot in out_names and slot not in given:
            lines.append(f"    {out_names[slot]} = {accumulators[slot]}"
                         if len(np.shape(value_of(slot))) == 1
                         else f"    {out_names[slot]} = {accumulators[slot]}.reshape((1, C))")
    returned = [out_names[s] for s in outputs if s not in given]
    lines.append("    return None" if not returned else f"    return {returned[0]}"
                 if len(returned) == 1 else f"    return ({', '.join(returned)},)")
    header = ("# Generated by tfcompat.runtime.fusion: one fused elementwise cluster.\n"
              f"# Helpers: tfcompat.runtime.kernels {_helpers_version()}\n"
              "import math\n\nimport numpy as np\nfrom numba import njit\n\n"
              "from tfcompat.runtime import kernels\n"
              "from tfcompat.runtime.fusion import FusedShapeError\n\n"
              f"T = {dtype}\n\n\n"
              "@njit(cache=True, error_model='numpy', nogil=True)\n")
    return header + "\n".join(lines) + "\n"


def _loop_body(numbered_members, space, names, stored, accumulators, out_names, value_of):
    """Statements computing ``numbered_members`` (their number in the cluster, the member)
    at one point (i, j) of ``space``: inputs read where first used, values of earlier
    phases from their arrays (``stored``), each value in a local ``t<k>``, outputs
    stored, column sums accumulated."""
    body, read, local = [], set(), {}
    for k, member in numbered_members:
        slot = member.step.outputs[0]
        args = []
        for data in member.data:
            if data in local:
                args.append(local[data])
            elif data in stored:
                array, shape = stored[data]
                args.append(array + _index(shape, space))
            else:
                shape = np.shape(value_of(data))
                if shape and data not in read:
                    body.append(f"x_{names[data]} = {names[data]}{_index(shape, space)}")
                    read.add(data)
                args.append(f"x_{names[data]}")
        if member.reduction:
            body.append(f"{accumulators[slot]}[j] += {args[0]}")
            continue
        local[slot] = f"t{k}"
        body.append(f"t{k} = T({_substitute(member, args)})")
        if slot in out_names:
            body.append(f"{out_names[slot]}{_index(np.shape(value_of(slot)), space)} = t{k}")
    return body


@functools.lru_cache(maxsize=None)
def _helpers_version():
    """A digest of the helpers' module: generated files (and so Numba's cached machine
    code, which it does not invalidate when a called function changes) are per version."""
    from tfcompat.runtime import kernels
    with open(kernels.__file__, "rb") as handle:
        return hashlib.sha1(handle.read()).hexdigest()[:12]


#: A float literal of a formula (not a digit of a ``{k}`` placeholder or of a name).
_FLOAT_LITERAL = re.compile(r"(?<![\w.{])(\d+\.\d*(?:e[-+]?\d+)?)")


def _substitute(member, args):
    """The member's formula with its data inputs' names (``{k}`` is the op's k-th input)
    and its float literals typed as the data (``T(0.5)``): a float64 literal would make a
    float32 chain compute in float64 and round once at the end, where the reference's NumPy
    passes round after each operation."""
    position = {}
    used = sorted({int(i) for i in _PLACEHOLDER.findall(member.template)})
    for k, input_index in enumerate(used):
        position[input_index] = args[k]
    typed = _FLOAT_LITERAL.sub(r"T(\1)", member.template)
    return _PLACEHOLDER.sub(lambda m: position[int(m.group(1))], typed)


_loaded = {}


def _load(source):
    """Imports the generated kernel from its file in the cache folder (written once, under
    the hash of its text, atomically so concurrent processes never see half a file)."""
    digest = hashlib.sha1(source.encode()).hexdigest()[:20]
    kernel = _loaded.get(digest)
    if kernel is not None:
        return kernel
    folder = cache_dir()
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"fused_{digest}.py")
    if not os.path.exists(path):
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "w") as handle:
            handle.write(source)
        os.replace(tmp, path)
    name = f"tfcompat_fused_{digest}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    kernel = _loaded[digest] = module.fused
    return kernel


class FusedStep(Step):
    """One generated kernel computing a cluster of steps; ``op`` (for error messages) is
    the first member's."""

    __slots__ = ("members", "source")

    def __init__(self, members, kernel, inputs, outputs, source):
        super().__init__(members[0].op, kernel, inputs, outputs)
        self.members = members
        self.source = source

    def fast_kernel(self, ctx):
        return None

    def __repr__(self):
        return "\n".join(["fused:"] + [f"  {m!r}" for m in self.members])


# ---- the pass -------------------------------------------------------------------------------
def _literal(value):
    """Python source for the scalar ``value`` as the kernel would read it (``.item()``):
    repr round-trips a float exactly."""
    number = np.asarray(value).item()
    if isinstance(number, float) and not math.isfinite(number):
        return "math.nan" if math.isnan(number) else ("math.inf" if number > 0 else "-math.inf")
    return repr(number)


def fuse(steps, value_of, kept_slots, constant_slots=()):
    """(steps, buffers): ``steps`` with clusters of two or more fusible steps replaced by
    FusedSteps, in a topological order that keeps every state update and tf.cond step where
    it was, and the storage the kernels write their outputs into, by the name ("b...") that
    replaces such an output's slot (the plan binds them as constants).
    ``value_of(slot)`` is the slot's value recorded in a reference run (None if unknown);
    ``kept_slots`` are slots needed after the steps (fetched or copied values);
    ``constant_slots`` hold values folded for the plan, whose scalars the kernels take as
    literals (a 0-d array argument costs ~0.25 µs a call in Numba's dispatcher)."""
    segments, segment = [], 0
    for step in steps:
        barrier = step.maybe_dead or isinstance(step, UpdateGroup) or step.op.op_def.mutates_state
        segment += barrier
        segments.append(segment)
        segment += barrier
    members = [_as_member(i, s, value_of) if segments[i] % 2 == 0 else None
               for i, s in enumerate(steps)]
    clustering = _Clustering(steps, members, segments)
    clustering.merge_phases()
    clusters = [c for c in clustering.clusters if len(c.members) > 1]
    if not clusters:
        return steps, {}
    outliving = outliving_slots(steps, kept_slots)
    consumers = {}
    for index, step in enumerate(steps):
        for slot in step.inputs:
            consumers.setdefault(slot, set()).add(index)
    unit_of = {}
    units = []
    bound = {}  # slot -> the name of the buffer holding its value
    buffers = {}
    for cluster in clusters:
        for phase in cluster.phases:
            phase.sort(key=lambda m: m.index)
        indices = {m.index for m in cluster.members}
        produced = {m.step.outputs[0] for m in cluster.members}
        inputs = list(dict.fromkeys(s for m in cluster.members for s in m.data
                                    if s not in produced))
        outputs = [m.step.outputs[0] for m in cluster.members
                   if m.step.outputs[0] in kept_slots
                   or consumers.get(m.step.outputs[0], set()) - indices]
        # Values that die with the run go into storage the plan keeps and binds for their
        # readers: the kernel neither allocates nor returns them (~0.4 µs an output).
        storage = {slot: memory.buffer_like(value_of(slot)) for slot in outputs
                   if slot not in outliving}
        given = [slot for slot in outputs if storage.get(slot) is not None]
        literals = {slot: _literal(value_of(slot)) for slot in inputs
                    if slot in constant_slots and np.shape(value_of(slot)) == ()}
        source = _generate(cluster, inputs, outputs, value_of, given, literals)
        kernel = _load(source)
        space = cluster.space
        sizes = (space[0], space[1]) if len(space) == 2 else (space[0],)
        for slot in given:
            bound[slot] = "b" + slot[1:]
            buffers[bound[slot]] = storage[slot]
        fused = FusedStep([m.step for m in cluster.members],
                          functools.partial(kernel, *sizes, *[storage[s] for s in given]),
                          [slot for slot in inputs if slot not in literals],
                          [slot for slot in outputs if slot not in given], source)
        units.append((min(indices), fused, sorted(indices)))
        for index in indices:
            unit_of[index] = len(units) - 1
    for index, step in enumerate(steps):
        if index not in unit_of:
            units.append((index, step, [index]))
            unit_of[index] = len(units) - 1
    ordered = _schedule(units, unit_of, clustering)
    for step in ordered:
        step.inputs = [bound.get(slot, slot) for slot in step.inputs]
    return ordered, buffers


def _schedule(units, unit_of, clustering):
    """Topological order of the units within each run of pure steps (ties broken by their
    first step's position); the runs, and the barriers between them, keep their order."""
    segments = clustering.segments
    by_segment = {}
    for k, (first, _, _) in enumerate(units):
        by_segment.setdefault(segments[first], []).append(k)
    ordered = []
    for segment in sorted(by_segment):
        group = by_segment[segment]
        members = set(group)
        waiting = {k: 0 for k in group}
        users = {k: [] for k in group}
        for k in group:
            deps = set()
            for index in units[k][2]:
                for pred in clustering.predecessors[index]:
                    j = unit_of[pred]
                    if j != k and j in members:
                        deps.add(j)
            waiting[k] = len(deps)
            for j in deps:
                users[j].append(k)
        ready = [(units[k][0], k) for k in group if waiting[k] == 0]
        heapq.heapify(ready)
        count = 0
        while ready:
            _, k = heapq.heappop(ready)
            ordered.append(units[k][1])
            count += 1
            for user in users[k]:
                waiting[user] -= 1
                if waiting[user] == 0:
                    heapq.heappush(ready, (units[user][0], user))
        if count != len(group):
            raise AssertionError("fusion produced a cyclic plan")  # _Clustering prevents it
    return ordered
