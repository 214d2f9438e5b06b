"""Repeated runs of a queue runner's element pipeline, done as one batched run.

A TF1 input pipeline such as ``slice_input_producer`` + ``shuffle_batch`` has queue-runner
threads run one enqueue op over and over: each run dequeues one element from a FIFO queue,
computes on it (gathers the example's rows, casts, scales) and enqueues the result into
the next queue. Run one element at a time from Python, those runs cost more than the
training step they feed (each holds the GIL for ~15 us). When every op between the dequeue
and the enqueue has a batch rule (``lowering.batch_rule``), ``ElementPipeline`` does up to
``limit`` such runs at once: it reads the front elements of the input queue, computes all of
them with one call per op, and only if that succeeds takes them off the queue (in one step,
under the queue's lock) and enqueues the results in their order. The outcome is that of the
same number of runs done one after the other with no other thread's run in between: the
same elements in the same order, bit for bit (the rules guarantee it). Anything the rules
cannot take, or any error, leaves the queue untouched and the caller does a plain run,
which gives TF's behaviour and errors for that element.
"""
import numpy as np

from tfcompat.ops.data_flow_ops import Columns
from tfcompat.runtime import lowering
from tfcompat.runtime.lifetimes import VARIABLE_READS
from tfcompat.runtime.lowering import NotBatchable

#: Ops that make a queue's handle: they run once per batched run.
_QUEUE_HANDLES = ("FIFOQueueV2", "PaddingFIFOQueueV2", "RandomShuffleQueueV2",
                  "PriorityQueueV2")


class ElementPipeline:
    """The batched form of a plan whose one target is a single-element enqueue fed, through
    ops with batch rules, by one single-element dequeue; ``of(plan)`` gives None for any
    other plan."""

    def __init__(self, plan, dequeue, enqueue, before, between, rules):
        self.plan = plan
        self._dequeue, self._enqueue = dequeue, enqueue
        self._before, self._between, self._rules = before, between, rules

    @classmethod
    def of(cls, plan):
        """The pipeline of ``plan``, or None when its runs cannot be batched."""
        if plan.feed_slots or any(slot for slot in plan.fetch_slots):
            return None
        steps = plan.steps
        dequeues = [s for s in steps if s.op.type == "QueueDequeueV2"]
        if len(dequeues) != 1 or steps[-1].op.type != "QueueEnqueueV2" or any(
                step.maybe_dead for step in steps):
            return None
        dequeue, enqueue = dequeues[0], steps[-1]
        downstream = set(dequeue.outputs)
        before, between, rules = [], [], []
        for step in steps[:-1]:
            if step is dequeue:
                continue
            if not downstream.intersection(step.inputs):
                if step.op.op_def.stateful and step.op.type not in _QUEUE_HANDLES + \
                        VARIABLE_READS:
                    return None
                before.append(step)
                continue
            rule = lowering.lookup_batch_rule(step.op)
            if rule is None or step.op.op_def.stateful or len(step.outputs) != 1 \
                    or not step.outputs[0]:
                return None
            downstream.update(slot for slot in step.outputs if slot)
            between.append(step)
            rules.append(rule)
        if enqueue.inputs[0] in downstream or not downstream.intersection(enqueue.inputs[1:]):
            return None
        return cls(plan, dequeue, enqueue, before, between, rules)

    def run(self, state, limit):
        """Does up to ``limit`` runs as one and returns how many: 0 when the input queue
        holds fewer than two elements or the output queue has room for fewer, None when
        the elements could not be computed together (either way the caller does a plain
        run). A full output queue is waited for first, and errors of the enqueue (a closed
        queue) are raised, as a plain run's."""
        values = {}
        try:
            with np.errstate(all="ignore"):
                for step in self._before:
                    result = step.kernel(*[values[s] for s in step.inputs])
                    values.update(zip(step.outputs, result if len(step.outputs) > 1
                                      else (result,)))
        except Exception:  # noqa: BLE001 - a plain run of the element raises TF's error
            return None
        source = values[self._dequeue.inputs[0]]
        target = values[self._enqueue.inputs[0]]
        target.wait_for_room(self._enqueue.op, state)
        room = target.room()
        if room is not None:
            limit = min(limit, room)
        try:
            with np.errstate(all="ignore"):
                columns = source.take_front(limit,
                                            lambda taken: self._compute(values, taken))
        except Exception:  # noqa: BLE001 - a plain run of the element raises TF's error
            return None
        if columns is None:
            return 0
        target.enqueue(columns, self._enqueue.op, state)
        return columns.count

    def _compute(self, values, taken):
        """The ``Columns`` to enqueue for the input elements ``taken`` (``Columns``; raises
        NotBatchable, or the kernels' errors, when they cannot be computed together)."""
        if len(taken.components) != len(self._dequeue.outputs):
            raise NotBatchable(self._dequeue.op.name)
        values = dict(values)
        batched = set()
        for slot, column in zip(self._dequeue.outputs, taken.components):
            if slot:
                values[slot] = column
                batched.add(slot)
        for step, rule in zip(self._between, self._rules):
            result = rule(step.op, step.kernel, [values[s] for s in step.inputs],
                          [s in batched for s in step.inputs])
            values[step.outputs[0]] = result
            batched.add(step.outputs[0])
        count = taken.count
        components = [np.asarray(values[s]) if s in batched else
                      np.broadcast_to(values[s], (count,) + np.shape(values[s]))
                      for s in self._enqueue.inputs[1:]]
        if any(len(c) != count for c in components):
            raise NotBatchable(self._enqueue.op.name)
        queue = values[self._enqueue.inputs[0]]
        if len(components) != len(queue.types):
            raise NotBatchable(self._enqueue.op.name)
        columns = Columns(components, count)
        queue.check_columns(columns, self._enqueue.op)
        return columns
