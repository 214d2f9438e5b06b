"""Repeated runs of a queue runner's element pipeline, done as one batched run.

A TF1 input pipeline such as ``slice_input_producer`` + ``shuffle_batch``, or a
``TextLineReader`` + ``decode_csv`` + ``shuffle_batch``, has queue-runner threads run one
enqueue op over and over: each run takes one element (a FIFO queue's dequeue, a reader's
read), computes on it (gathers the example's rows, parses the line, casts, scales) and
enqueues the result into the next queue. Run one element at a time from Python, those
runs cost more than the training step they feed (each holds the GIL for ~15 us). When
every op between the source and the enqueue has a batch rule (``lowering.batch_rule``),
``ElementPipeline`` does up to ``limit`` such runs at once: it waits until the output
queue has room, reads up to that many elements at the front of the source, computes all
of them with one call per op, and only if that succeeds takes them off the source (in one
step, under its lock) and enqueues the results in their order. The outcome is that of the
same number of runs done one after the other with no other thread's run in between: the
same elements in the same order, bit for bit (the rules guarantee it). Anything the rules
cannot take, or any error, leaves the source untouched and the caller does a plain run,
which gives TF's behaviour and errors for that element.
"""
import numpy as np

from tfcompat.ops.data_flow_ops import Columns, RowsOf
from tfcompat.runtime import lowering
from tfcompat.runtime.lifetimes import VARIABLE_READS
from tfcompat.runtime.lowering import NotBatchable

#: Ops making the handle of a queue or reader: they run once per batched run.
_HANDLES = ("FIFOQueueV2", "PaddingFIFOQueueV2", "RandomShuffleQueueV2", "PriorityQueueV2",
            "TextLineReaderV2", "WholeFileReaderV2", "TFRecordReaderV2",
            "FixedLengthRecordReaderV2", "IdentityReaderV2")
#: Ops giving one element per run, which a batched run takes many of.
_SOURCES = ("QueueDequeueV2", "ReaderReadV2")


class ElementPipeline:
    """The batched form of a plan whose one target is a single-element enqueue fed, through
    ops with batch rules, by one single-element source (a dequeue or a reader's read);
    ``of(plan, state)`` gives None for any other plan."""

    def __init__(self, source, enqueue, before, between):
        self._source, self._enqueue = source, enqueue
        self._before = before
        self._between = between  # (step, its batch rule, the kernel the rule calls)

    @classmethod
    def of(cls, plan, state):
        """The pipeline of ``plan``, or None when its runs cannot be batched."""
        steps = plan.steps
        if plan.feed_slots or any(slot for slot in plan.fetch_slots) or not steps or \
                steps[-1].op.type != "QueueEnqueueV2" or any(s.maybe_dead for s in steps):
            return None
        sources = [s for s in steps if s.op.type in _SOURCES]
        if len(sources) != 1:
            return None
        source, enqueue = sources[0], steps[-1]
        downstream = {slot for slot in source.outputs if slot}
        before, between = [], []
        for step in steps[:-1]:
            if step is source:
                continue
            if not downstream.intersection(step.inputs):
                if step.op.op_def.stateful and step.op.type not in _HANDLES + VARIABLE_READS:
                    return None
                before.append(step)
                continue
            found = lowering.lookup_batch_rule(step.op)
            if found is None or step.op.op_def.stateful or not any(step.outputs):
                return None
            rule, fast = found
            kernel = (lowering.lookup_fast_kernel(step.op, state) if fast else None) \
                or step.kernel
            if _gathers_rows_of_constant(step, before, steps):
                rule = _rows_of_constant
            downstream.update(slot for slot in step.outputs if slot)
            between.append((step, rule, kernel))
        if enqueue.inputs[0] in downstream or not downstream.intersection(enqueue.inputs[1:]):
            return None
        return cls(source, enqueue, before, between)

    def run(self, state, limit):
        """Does up to ``limit`` runs as one and returns how many: 0 when the source holds
        fewer than two elements or the output queue has room for fewer, None when the
        elements could not be computed together (either way the caller does a plain run).
        A full output queue is waited for first, and errors of the enqueue (a closed
        queue) are raised, as a plain run's."""
        values = {}
        try:
            with np.errstate(all="ignore"):
                for step in self._before:
                    _store(values, step, step.kernel(*[values[s] for s in step.inputs]))
        except Exception:  # noqa: BLE001 - a plain run of the element raises TF's error
            return None
        target = values[self._enqueue.inputs[0]]
        target.wait_for_room(self._enqueue.op, state)
        room = target.room()
        if room is not None:
            limit = min(limit, room)
        if limit < 2 or target.closed:  # a closed queue: the plain run raises TF's error
            return 0
        try:
            with np.errstate(all="ignore"):
                columns = self._take(values, limit)
        except Exception:  # noqa: BLE001 - a plain run of the element raises TF's error
            return None
        if columns is None:
            return 0
        target.enqueue(columns, self._enqueue.op, state)
        return columns.count

    def _take(self, values, limit):
        """Takes up to ``limit`` elements off the source and gives the ``Columns`` computed
        from them, or None (nothing taken) when there were too few."""
        source = self._source
        resource = values[source.inputs[0]]
        compute = lambda taken: self._compute(values, taken)  # noqa: E731
        if source.op.type == "ReaderReadV2":
            return resource.take_front(values[source.inputs[1]], source.op, limit, compute)
        return resource.take_front(limit, compute)

    def _compute(self, values, taken):
        """The ``Columns`` to enqueue for the source's elements ``taken`` (``Columns``;
        raises NotBatchable, or the kernels' errors, when they cannot be computed
        together)."""
        if len(taken.components) != len(self._source.outputs):
            raise NotBatchable(self._source.op.name)
        values = dict(values)
        batched = set()
        for slot, column in zip(self._source.outputs, taken.components):
            if slot:
                values[slot] = column
                batched.add(slot)
        for step, rule, kernel in self._between:
            _store(values, step, rule(step.op, kernel, [values[s] for s in step.inputs],
                                      [s in batched for s in step.inputs]))
            batched.update(slot for slot in step.outputs if slot)
        count = taken.count
        components = [_batched(values[s]) if s in batched else
                      np.broadcast_to(values[s], (count,) + np.shape(values[s]))
                      for s in self._enqueue.inputs[1:]]
        queue = values[self._enqueue.inputs[0]]
        if any(len(c) != count for c in components) or len(components) != len(queue.types):
            raise NotBatchable(self._enqueue.op.name)
        columns = Columns(components, count)
        queue.check_columns(columns, self._enqueue.op)
        return columns


def _gathers_rows_of_constant(step, before, steps):
    """Whether ``step`` gathers from a graph constant (one computed before the source) and
    only the enqueue reads its result: it may give ``RowsOf``, which a queue keeps as row
    numbers of the constant."""
    if step.op.type != "GatherV2" or step.op.attrs.get("batch_dims", 0):
        return False
    params = step.inputs[0]
    if not any(s.op.type == "Const" and params in s.outputs for s in before):
        return False
    result = step.outputs[0]
    readers = [s for s in steps if result in s.inputs]
    return readers == [steps[-1]]


def _rows_of_constant(op, kernel, args, batched):
    """A gather of the constant's rows at one index per element, as ``RowsOf`` (nothing
    copied); any other gather as the kernel does it."""
    params, indices, axis = args
    if batched[0] or batched[2] or not batched[1] or np.ndim(params) < 1 or \
            int(axis) not in (0, -np.ndim(params)):
        raise NotBatchable(op.name)
    if np.ndim(indices) != 1:
        return kernel(*args)
    if indices.dtype.kind not in "iu" or (len(indices) and (
            indices.min() < 0 or indices.max() >= len(params))):
        raise NotBatchable(op.name)  # the element's plain run raises TF's error
    return RowsOf(params, indices.astype(np.int64))


def _batched(value):
    return value if isinstance(value, RowsOf) else np.asarray(value)


def _store(values, step, result):
    """Puts a kernel's result (a tuple for several outputs) into the step's slots."""
    outputs = step.outputs
    if len(outputs) == 1:
        values[outputs[0]] = result
    else:
        values.update((slot, value) for slot, value in zip(outputs, result) if slot)
