"""Queues and readers of TF 1.x input pipelines (TF's ``data_flow_ops`` / ``io_ops``).

A queue or reader op (``FIFOQueueV2``, ``TextLineReaderV2`` ...) gives the handle of a
session resource (``RuntimeState.resource``), so each session has its own queues. Queue
ops block as TF's do: an enqueue waits while the queue is full, a dequeue while it holds
too few elements; ``close`` wakes them: pending dequeues then take what is left or raise
``OutOfRangeError`` ("... is closed and has insufficient elements"), later enqueues raise
``CancelledError``, and ``cancel_pending_enqueues`` cancels the enqueues still waiting.
Dequeues and reads are read-only to the planner (they run before any variable update of
the step, so a step that got nothing changes nothing); enqueue and close are state changes.

Stacks (``StackV2`` / ``StackPushV2`` / ``StackPopV2``) are the accumulators that carry a
while loop's forward values to its gradient loop: a handle is a 0-d object array holding a
Python list, made anew by each run of its StackV2 op; inside a while frame the runtime pushes
and pops for the loop itself (``runtime/loops.py``), these kernels serve stacks used anywhere
else.
"""
import collections
import glob
import heapq
import itertools
import threading

import numpy as np

from tfcompat.framework import dtypes, errors, ops, tensor_shape
from tfcompat.framework.op_def import OpDef, format_shape, make_op, register_op

_SCALAR = tensor_shape.TensorShape([])


# ---- files -------------------------------------------------------------------------------
@register_op
class MatchingFiles(OpDef):
    """The sorted names of the files matching a glob pattern (or several)."""

    differentiable = False
    stateful = True

    def infer(self, op):
        return [(tensor_shape.TensorShape([None]), dtypes.string)]

    def kernel(self, op, ctx):
        def match(patterns):
            names = set()
            for pattern in np.asarray(patterns, dtype=object).reshape(-1):
                pattern = pattern.decode() if isinstance(pattern, bytes) else str(pattern)
                names.update(glob.glob(pattern))
            out = np.empty(len(names), dtype=object)
            out[:] = [name.encode() for name in sorted(names)]
            return out
        return match


def matching_files(pattern, name=None):
    """``tf.matching_files``: the files matching ``pattern``, sorted."""
    return make_op("MatchingFiles", [ops.convert_to_tensor(pattern, dtype=dtypes.string)],
                   name=name or "MatchingFiles").outputs[0]


@register_op
class CountUpTo(OpDef):
    """Increments a variable up to ``limit``; at the limit OutOfRangeError "Reached limit of
    <limit>" (``Variable.count_up_to``, the epoch counter of input producers)."""

    mutates_state = True
    stateful = True
    ref_inputs = (0,)
    differentiable = False

    def infer(self, op):
        return [(op.inputs[0].shape, op.inputs[0].dtype.base_dtype)]

    def kernel(self, op, ctx):
        from tfcompat.ops.state_ops import variable_op_of, variable_reader
        var_op = variable_op_of(op.inputs[0])
        read, limit = variable_reader(var_op, ctx), op.attrs["limit"]

        def count():
            value = read()
            if value >= limit:
                raise errors.OutOfRangeError(None, op, f"Reached limit of {limit}")
            ctx.write_variable(var_op, value + 1)
            return value.copy()
        return count


def count_up_to(ref, limit, name=None):
    """``tf.count_up_to(ref, limit)``: ``ref`` (a variable) before its increment."""
    ref = ref._ref() if hasattr(ref, "_ref") else ref
    return make_op("CountUpTo", [ref], {"limit": int(limit)},
                   name=name or "CountUpTo").outputs[0]


# ---- queues ------------------------------------------------------------------------------
class Columns:
    """``count`` queue elements as columns: one array per component whose first axis runs
    over the elements (an enqueue_many's inputs; one element is a column of one)."""

    __slots__ = ("components", "count")

    def __init__(self, components, count):
        self.components, self.count = components, count

    @classmethod
    def of_element(cls, components):
        return cls([np.asarray(c)[np.newaxis] for c in components], 1)

    def element(self, index):
        return tuple(c[index, ...] for c in self.components)


class RowsOf:
    """Rows ``index`` (a 1-D integer array, checked in range) of a graph constant ``base``,
    not yet copied: a component of ``Columns`` that an element pipeline computed as a gather
    of a constant (``slice_input_producer``'s examples). A queue storing it keeps the row
    numbers, and its dequeue copies each row once, from the constant; anywhere else it is
    the array ``base[index]`` (``np.asarray``). The constant never changes (``tf.constant``
    keeps its own read-only copy), so the deferred copy gives the same values."""

    __slots__ = ("base", "index")

    def __init__(self, base, index):
        self.base, self.index = base, index

    def __len__(self):
        return len(self.index)

    @property
    def shape(self):
        return (len(self.index),) + self.base.shape[1:]

    @property
    def dtype(self):
        return self.base.dtype

    def __getitem__(self, key):
        """A slice of rows stays ``RowsOf``; ``[i, ...]`` is row i (a view of the constant,
        which is read-only)."""
        if isinstance(key, slice):
            return RowsOf(self.base, self.index[key])
        first, rest = (key[0], key[1:]) if isinstance(key, tuple) else (key, ())
        return self.base[self.index[first]][rest]

    def __array__(self, dtype=None, copy=None):
        rows = np.take(self.base, self.index, axis=0)
        return rows if dtype is None else rows.astype(dtype, copy=False)


class _ComponentRows:
    """The rows of one component of a fixed-shape queue (``QueueResource._store``): values
    written into ``values``, or, for ``RowsOf`` of one constant (the first one written),
    only their row numbers in ``numbers`` (-1: the row's value is in ``values``)."""

    __slots__ = ("values", "base", "numbers")

    def __init__(self, dims, dtype):
        self.values = np.zeros((0,) + dims, dtype=dtype)
        self.base = self.numbers = None

    def __len__(self):
        return len(self.values)

    def grow(self, size):
        """Room for ``size`` rows, keeping the rows there (zeroed memory: pages a queue of
        row numbers never writes cost nothing)."""
        used = len(self.values)
        values = np.zeros((size,) + self.values.shape[1:], dtype=self.values.dtype)
        values[:used] = self.values
        self.values = values
        if self.numbers is not None:
            self.numbers = np.concatenate([self.numbers, np.full(size - used, -1, np.int64)])

    def write(self, rows, value):
        """Stores ``value`` (an array or ``RowsOf``, one entry per row) in ``rows``."""
        if isinstance(value, RowsOf):
            if self.base is None:
                self.base, self.numbers = value.base, np.full(len(self.values), -1, np.int64)
            if value.base is self.base:
                self.numbers[rows] = value.index
                return
        self.values[rows] = value
        if self.numbers is not None:
            self.numbers[rows] = -1

    def read(self, rows):
        """A new array of the values in ``rows`` (a list of row numbers)."""
        if self.numbers is None:
            return self.values[rows]
        numbers = self.numbers[rows]
        out = np.take(self.base, np.maximum(numbers, 0), axis=0)
        stored = numbers < 0
        if stored.any():
            out[stored] = self.values[np.asarray(rows)[stored]]
        return out


class _EnqueueAttempt:
    """The elements of one enqueue run still to be put, for a queue that was full: the
    dequeues that make room put them (TF's pending enqueue attempts), so a blocked
    ``enqueue_many`` is not woken once per free slot."""

    __slots__ = ("columns", "next", "done")

    def __init__(self, columns, start, lock):
        self.columns, self.next = columns, start
        self.done = threading.Condition(lock)


def _wait(ctx, condition, ready, op):
    """Waits on ``condition`` until ``ready()``, within the run's deadline when ``ctx`` (the
    run's state) has one."""
    if ctx is not None:
        ctx.wait(condition, ready, op)
        return
    while not ready():
        condition.wait()


class QueueResource:
    """A session's queue; ``kind`` is fifo, padding_fifo, random_shuffle or priority.

    A FIFO or RandomShuffle queue whose components all have fully defined shapes keeps its
    elements as rows of one array per component (``_store``; the queue holds row numbers):
    an enqueue_many writes its rows and a dequeue_many gathers its batch with one array
    operation per component, never row by row (each row copy of that size would release
    and re-acquire the GIL, stalling the training thread behind queue-runner threads);
    elements an element pipeline gathered from a constant are kept as row numbers of it
    (``RowsOf``), copied once, by the dequeue. Other queues hold tuples of arrays.

    One lock guards it. A blocked dequeue records how many elements it waits for and is
    woken only when the queue holds that many (or closes); a blocked enqueue leaves its
    remaining elements with the queue, and the dequeues that make room put them, in the
    order the enqueues came, waking the enqueue when its last element is in."""

    def __init__(self, name, kind, capacity, types, shapes, min_after_dequeue=0, seed=None):
        self.name, self.kind, self.capacity = name, kind, capacity
        self.types, self.shapes = types, shapes
        self.dims = [None if shape.ndims is None else tuple(shape.as_list())
                     for shape in shapes]
        self.min_after_dequeue = min_after_dequeue
        self._items = collections.deque() if kind in ("fifo", "padding_fifo") else []
        fixed = bool(shapes) and all(shape.is_fully_defined() for shape in shapes)
        self._store = [_ComponentRows(dims, dtype.as_numpy_dtype) for dims, dtype in
                       zip(self.dims, types)] if fixed and kind in ("fifo", "random_shuffle") \
            else None
        self._free_rows = []
        self._count = 0  # insertion order: the tie-break of equal priorities
        self._rng = np.random.default_rng(seed)
        self._closed = self._cancelled = self._released = False
        self._lock = threading.Lock()
        self._readable = threading.Condition(self._lock)
        self._needs = []  # the sizes the blocked dequeues wait for
        self._writable = threading.Condition(self._lock)
        self._room_waiters = 0  # batched element runs waiting for room (wait_for_room)
        self._pending = collections.deque()  # _EnqueueAttempts of blocked enqueues

    @property
    def title(self):
        kinds = {"fifo": "FIFOQueue", "padding_fifo": "PaddingFIFOQueue",
                 "random_shuffle": "RandomShuffleQueue", "priority": "PriorityQueue"}
        return f"{kinds[self.kind]} '{self.name}'"

    def size(self):
        with self._lock:
            return len(self._items)

    @property
    def closed(self):
        return self._closed

    def room(self):
        """How many more elements fit now (None: unbounded); a hint, read without the lock."""
        if self.capacity <= 0:
            return None
        return 0 if self._pending else max(self.capacity - len(self._items), 0)

    def wait_for_room(self, op, ctx=None):
        """Waits while the queue is full or enqueues wait for room, until it has room or
        closes (within the run's deadline, as an enqueue would): a batched element run
        waits here before it takes its inputs, where a plain run would take one and wait
        in its enqueue."""
        with self._lock:
            if self._has_room():
                return
            self._room_waiters += 1
            try:
                _wait(ctx, self._writable, self._has_room, op)
            finally:
                self._room_waiters -= 1

    def _has_room(self):
        return self._closed or self.capacity <= 0 or (
            not self._pending and len(self._items) < self.capacity)

    def _wake_writers(self):
        if self._room_waiters and self._has_room():
            self._writable.notify_all()

    def take_front(self, limit, use):
        """``use(columns)`` on up to ``limit`` elements at the front of a FIFO queue, which
        it takes only if ``use`` returns (its result is returned): a batched run of an
        element pipeline (``runtime/element_batching.py``) reads its inputs and takes them
        in one step, or leaves them all when it fails. Past the queue's own elements come
        those of the enqueues waiting for room, in order (each element a dequeue takes lets
        the next of them in). None, with nothing taken, when fewer than two elements are
        there; ValueError when they differ in shape."""
        with self._lock:
            count = min(limit, len(self._items))
            if self.kind != "fifo" or count < 1 or self._released:
                return None
            front = list(itertools.islice(self._items, count))
            if self._store is None and any(
                    len({row.shape for row in rows}) > 1 for rows in zip(*front)):
                raise ValueError(f"{self.title}: elements of several shapes")
            columns, waiting = self._columns(front), self._waiting_elements(limit - count)
            if waiting:
                columns = Columns([np.concatenate([column] + [
                    attempt.columns.components[index][start:stop]
                    for attempt, start, stop in waiting])
                    for index, column in enumerate(columns.components)],
                    count + sum(stop - start for _, start, stop in waiting))
            if columns.count < 2:
                return None
            result = use(columns)
            for _ in range(count):
                self._items.popleft()
            for attempt, _, stop in waiting:
                attempt.next = stop
            self._after_take(front)
        return result

    def _waiting_elements(self, limit):
        """[(attempt, start, stop)]: up to ``limit`` elements of the enqueues waiting for
        room, in the order they would come in (a store's queue only: their columns are
        arrays of the queue's shapes)."""
        waiting = []
        if self._store is None or self._closed:
            return waiting
        for attempt in self._pending:
            if limit <= 0:
                break
            stop = min(attempt.columns.count, attempt.next + limit)
            if stop > attempt.next:
                waiting.append((attempt, attempt.next, stop))
                limit -= stop - attempt.next
        return waiting

    def check_columns(self, columns, op):
        """Raises TF's InvalidArgumentError when a component of the elements ``columns``
        holds does not have the queue's shape for it."""
        if columns.count:
            for index, value in enumerate(columns.element(0)):
                _check_component(op, self, index, value)

    def enqueue(self, columns, op, ctx=None):
        """Adds the elements of ``columns`` in order, waiting while the queue is full (after
        the enqueues already waiting); past the run's deadline (``ctx``: its runtime state)
        the elements not yet in are dropped with DeadlineExceededError."""
        with self._lock:
            if self._closed:
                raise self._enqueue_error(op)
            placed = 0
            if not self._pending:
                placed = self._put(columns, 0)
                self._wake_readers()
                if placed == columns.count:
                    return
            attempt = _EnqueueAttempt(columns, placed, self._lock)
            self._pending.append(attempt)
            try:
                _wait(ctx, attempt.done,
                      lambda: attempt.next >= columns.count or self._closed, op)
            except errors.DeadlineExceededError:
                self._pending.remove(attempt)
                raise
            if attempt.next < columns.count:
                raise self._enqueue_error(op)

    def _enqueue_error(self, op):
        message = "Enqueue operation was cancelled" if self._cancelled else \
            f"{self.title} is closed."
        return errors.CancelledError(None, op, message)

    def _put(self, columns, start):
        """Puts what fits of the elements from ``start`` on; returns the index of the first
        left."""
        items, capacity = self._items, self.capacity
        room = columns.count - start if capacity <= 0 else capacity - len(items)
        stop = start + min(room, columns.count - start)
        if stop <= start:
            return start
        if self._store is not None:
            rows = self._claim_rows(stop - start)
            for store, component in zip(self._store, columns.components):
                store.write(rows, component[start:stop])
            items.extend(rows)
        elif self.kind == "priority":
            for index in range(start, stop):
                element = tuple(np.array(value) for value in columns.element(index))
                self._count += 1
                heapq.heappush(items, (int(element[0]), self._count, element))
        else:  # the queue's own arrays: a fed array may be refilled by its caller
            items.extend(tuple(np.array(value) for value in columns.element(index))
                         for index in range(start, stop))
        return stop

    def _claim_rows(self, count):
        """``count`` free rows of the store, which grows (doubling, up to the capacity)
        when it has too few."""
        free = self._free_rows
        if len(free) < count:
            used = len(self._store[0])
            size = max(used + count - len(free), 2 * used, 16)
            if self.capacity > 0:
                size = min(size, self.capacity)
            for store in self._store:
                store.grow(size)
            free[:0] = range(size - 1, used - 1, -1)
        rows = free[-count:]
        del free[-count:]
        return rows

    def _flush_pending(self):
        """Puts the waiting enqueues' elements while there is room, waking the finished."""
        pending = self._pending
        while pending and not self._closed:
            attempt = pending[0]
            attempt.next = self._put(attempt.columns, attempt.next)
            if attempt.next < attempt.columns.count:
                return
            pending.popleft()
            attempt.done.notify()

    def _wake_readers(self):
        if self._needs and len(self._items) >= min(self._needs):
            self._readable.notify_all()

    def _take(self, count):
        items = self._items
        if self.kind == "priority":
            return [heapq.heappop(items)[2] for _ in range(count)]
        if self.kind != "random_shuffle":
            return [items.popleft() for _ in range(count)]
        # A uniformly random element each time; the last one fills its place.
        picks = self._rng.integers(np.arange(len(items), len(items) - count, -1)).tolist()
        taken = []
        for index in picks:
            taken.append(items[index])
            items[index] = items[-1]
            items.pop()
        return taken

    def _columns(self, taken):
        """The elements ``taken`` off the queue (rows of the store, or tuples) as columns
        of new arrays."""
        if self._store is not None:
            return Columns([store.read(taken) for store in self._store], len(taken))
        if not taken:
            return Columns([np.zeros((0,), dtype=t.as_numpy_dtype) for t in self.types], 0)
        if len(taken) == 1:
            return Columns.of_element(taken[0])
        pad = self.kind == "padding_fifo"
        return Columns([_stack_component(list(rows), pad) for rows in zip(*taken)],
                       len(taken))

    def dequeue(self, count, op, up_to=False, ctx=None):
        """``count`` elements (None: one) as ``Columns``, waiting until they are there or
        the queue is closed (or the run's deadline passes: DeadlineExceededError); a closed
        queue gives what is left when ``up_to`` (at least one)."""
        wanted = 1 if count is None else count
        with self._lock:
            need = wanted + self._reserve()
            if not self._closed and len(self._items) < need:
                self._needs.append(need)
                try:
                    _wait(ctx, self._readable,
                          lambda: self._closed or len(self._items) >= need, op)
                finally:
                    self._needs.remove(need)
            if self._released:
                raise errors.CancelledError(None, op, "Dequeue operation was cancelled")
            available = len(self._items)
            if available < wanted and (not up_to or available == 0):
                raise errors.OutOfRangeError(
                    None, op, f"{self.title} is closed and has insufficient elements "
                    f"(requested {wanted}, current size {available})")
            taken = self._take(min(wanted, available))
            columns = self._columns(taken)
            self._after_take(taken)
        return columns

    def _after_take(self, taken):
        """After elements ``taken`` left the queue: their store rows are free, waiting
        enqueues put what now fits, and whoever waits for elements or room is woken."""
        if self._store is not None:
            self._free_rows.extend(taken)
        if self._pending:
            self._flush_pending()
            self._wake_readers()
        self._wake_writers()

    def _reserve(self):
        return self.min_after_dequeue if self.kind == "random_shuffle" else 0

    def close(self, cancel_pending_enqueues):
        """Closes the queue: waiting dequeues take what is left or fail, waiting enqueues
        fail (cancelled with ``cancel_pending_enqueues``)."""
        with self._lock:
            self._closed = True
            self._cancelled = self._cancelled or cancel_pending_enqueues
            while self._pending:
                self._pending.popleft().done.notify()
            self._readable.notify_all()
            self._writable.notify_all()

    def release(self):
        """The session closes: its runs still waiting here end with CancelledError (TF's
        session cancellation)."""
        with self._lock:
            self._released = True
        self.close(cancel_pending_enqueues=True)


class _QueueOp(OpDef):
    """The handle of a queue of the session; attrs component_types, shapes, capacity."""

    differentiable = False
    stateful = True
    kind = None

    def infer(self, op):
        return [(_SCALAR, dtypes.resource)]

    def kernel(self, op, ctx):
        attrs = op.attrs
        name = attrs.get("shared_name") or f"_{op._id}_{op.name}"
        types = list(attrs["component_types"])
        shapes = [tensor_shape.as_shape(s) for s in attrs.get("shapes", [])]
        seed = attrs.get("seed", 0), attrs.get("seed2", 0)

        def make():
            return QueueResource(name, self.kind, attrs["capacity"], types, shapes,
                                 attrs.get("min_after_dequeue", 0),
                                 None if seed == (0, 0) else list(seed))
        return lambda: ctx.resource(name, make)


@register_op
class FIFOQueueV2(_QueueOp):
    kind = "fifo"


@register_op
class PaddingFIFOQueueV2(_QueueOp):
    kind = "padding_fifo"


@register_op
class RandomShuffleQueueV2(_QueueOp):
    kind = "random_shuffle"


@register_op
class PriorityQueueV2(_QueueOp):
    kind = "priority"


def _check_component(op, queue, index, value):
    dims = queue.dims[index] if queue.dims else None
    if dims is not None and (len(dims) != value.ndim or any(
            dim is not None and dim != size for dim, size in zip(dims, value.shape, strict=True))):
        shapes = queue.shapes
        got = format_shape(tensor_shape.TensorShape(list(value.shape)))
        raise errors.InvalidArgumentError(
            None, op, f"Shape mismatch in tuple component {index}. Expected "
                      f"{format_shape(shapes[index])}, got {got}")


@register_op
class QueueEnqueueV2(OpDef):
    """Adds one element (inputs: the handle, then the components)."""

    differentiable = False
    stateful = True
    mutates_state = True
    many = False

    def infer(self, op):
        return []

    def kernel(self, op, ctx):
        many = self.many

        def enqueue(queue, *components):
            components = [np.asarray(c) for c in components]
            if len(components) != len(queue.types):
                raise errors.InvalidArgumentError(
                    None, op, f"Expected {len(queue.types)} components, got "
                              f"{len(components)}")
            if many:
                sizes = {len(c) if c.ndim else -1 for c in components}
                if len(sizes) > 1 or -1 in sizes:
                    raise errors.InvalidArgumentError(
                        None, op, "Shape mismatch in tuple component: enqueue_many needs "
                                  "components with one size of their first dimension")
                columns = Columns(components, sizes.pop() if sizes else 0)
            else:
                columns = Columns.of_element(components)
            queue.check_columns(columns, op)
            queue.enqueue(columns, op, ctx)
        return enqueue


@register_op
class QueueEnqueueManyV2(QueueEnqueueV2):
    """Adds the slices of its components along their first dimension."""

    op_type = "QueueEnqueueManyV2"
    many = True


def _stack_component(rows, pad=False):
    """The rows of one component of dequeued elements as one array (padded to the largest
    row with ``pad``: a PaddingFIFOQueue)."""
    first = rows[0]
    if pad and any(row.shape != first.shape for row in rows):
        target = tuple(max(row.shape[axis] for row in rows) for axis in range(first.ndim))
        out = np.zeros((len(rows),) + target, dtype=first.dtype)
        if first.dtype == object:
            out[...] = b""
        for index, row in enumerate(rows):
            out[(index,) + tuple(slice(0, d) for d in row.shape)] = row
        return out
    if first.dtype == object:
        out = np.empty((len(rows),) + first.shape, dtype=object)
        for index, row in enumerate(rows):
            out[index] = row
        return out
    return np.array(rows)  # one copy; np.stack costs 20x more for 0-d rows


@register_op
class QueueDequeueV2(OpDef):
    """One element; attr component_types gives the outputs."""

    differentiable = False
    stateful = True
    dynamic_output_shape = True
    mode = None  # None: one element; "many" / "up_to": a batch of n (second input)

    def infer(self, op):
        return [(tensor_shape.unknown_shape(), dtype) for dtype in op.attrs["component_types"]]

    def kernel(self, op, ctx):
        mode, single = self.mode, len(op.attrs["component_types"]) == 1

        def dequeue(queue, count=None):
            if count is None:
                values = queue.dequeue(None, op, ctx=ctx).element(0)
            else:
                values = queue.dequeue(int(count), op, up_to=mode == "up_to",
                                       ctx=ctx).components
            return values[0] if single else tuple(values)
        return dequeue


@register_op
class QueueDequeueManyV2(QueueDequeueV2):
    op_type = "QueueDequeueManyV2"
    mode = "many"


@register_op
class QueueDequeueUpToV2(QueueDequeueV2):
    op_type = "QueueDequeueUpToV2"
    mode = "up_to"


@register_op
class QueueCloseV2(OpDef):
    """Closes the queue (attr cancel_pending_enqueues)."""

    differentiable = False
    stateful = True
    mutates_state = True

    def infer(self, op):
        return []

    def kernel(self, op, ctx):
        cancel = bool(op.attrs.get("cancel_pending_enqueues", False))
        return lambda queue: queue.close(cancel)


@register_op
class QueueSizeV2(OpDef):
    differentiable = False
    stateful = True

    def infer(self, op):
        return [(_SCALAR, dtypes.int32)]

    def kernel(self, op, ctx):
        return lambda queue: np.array(queue.size(), dtype=np.int32)


class QueueBase:
    """``tf.QueueBase``: builds the ops of one queue (its ``queue_ref`` is the handle)."""

    op_type = None

    def __init__(self, capacity, dtypes_, shapes=None, names=None, shared_name=None,
                 name=None, extra_attrs=None):
        if isinstance(dtypes_, (list, tuple)):
            self._dtypes = [dtypes.as_dtype(t) for t in dtypes_]
        else:
            self._dtypes = [dtypes.as_dtype(dtypes_)]
        if shapes is not None:
            if isinstance(shapes, tensor_shape.TensorShape) or all(
                    s is None or isinstance(s, int) for s in shapes):
                shapes = [shapes]  # one shape (TF's _as_shape_list): [] is a scalar
            shapes = [tensor_shape.as_shape(s) for s in shapes]
            if len(shapes) != len(self._dtypes):
                raise ValueError("Queue shapes must have the same length as dtypes")
        self._shapes = shapes
        self._names = list(names) if names else None
        attrs = {"component_types": list(self._dtypes), "shapes": list(shapes or []),
                 "capacity": int(capacity), "container": "",
                 "shared_name": shared_name or ""}
        attrs.update(extra_attrs or {})
        self._queue_ref = make_op(self.op_type, [], attrs, name=name or self.op_type)\
            .outputs[0]
        self._name = self._queue_ref.op.name.split("/")[-1]  # prefix of its ops' names

    @property
    def queue_ref(self):
        return self._queue_ref

    @property
    def name(self):
        return self._queue_ref.op.name

    @property
    def dtypes(self):
        return list(self._dtypes)

    @property
    def shapes(self):
        return list(self._shapes) if self._shapes else [tensor_shape.unknown_shape()] * len(
            self._dtypes)

    @property
    def names(self):
        return self._names

    def _flatten(self, vals):
        if isinstance(vals, dict):
            if not self._names:
                raise ValueError("Queue must have names to enqueue a dictionary")
            if sorted(self._names) != sorted(vals):
                raise ValueError(f"Keys in dictionary to enqueue do not match names of "
                                 f"Queue.  Dictionary: {sorted(vals)}, Queue: "
                                 f"{sorted(self._names)}")
            vals = [vals[name] for name in self._names]
        elif not isinstance(vals, (list, tuple)):
            vals = [vals]
        if len(vals) != len(self._dtypes):
            raise ValueError(f"Expected {len(self._dtypes)} components, got {len(vals)}")
        return [ops.convert_to_tensor(v, dtype=t, name=f"component_{i}")
                for i, (v, t) in enumerate(zip(vals, self._dtypes))]

    def enqueue(self, vals, name=None):
        with ops.name_scope(name, f"{self._name}_enqueue") as scope:
            return make_op("QueueEnqueueV2", [self._queue_ref, *self._flatten(vals)],
                           {"Tcomponents": list(self._dtypes)}, name=scope)

    def enqueue_many(self, vals, name=None):
        with ops.name_scope(name, f"{self._name}_EnqueueMany") as scope:
            return make_op("QueueEnqueueManyV2", [self._queue_ref, *self._flatten(vals)],
                           {"Tcomponents": list(self._dtypes)}, name=scope)

    def _dequeue(self, op_type, default_name, name, batch_size=None, static_batch=None):
        inputs = [self._queue_ref]
        if batch_size is not None:
            inputs.append(ops.convert_to_tensor(batch_size, dtype=dtypes.int32, name="n"))
        attrs = {"component_types": list(self._dtypes), "timeout_ms": -1}
        op = make_op(op_type, inputs, attrs, name=name or f"{self._name}_{default_name}")
        outputs = op.outputs
        for output, shape in zip(outputs, self.shapes):
            batch = [] if op_type == "QueueDequeueV2" else [static_batch]
            output.set_shape(tensor_shape.TensorShape(batch).concatenate(shape))
        if self._names:
            return dict(zip(self._names, outputs))
        return outputs[0] if len(outputs) == 1 else outputs

    def dequeue(self, name=None):
        """One element (waits while the queue is empty)."""
        return self._dequeue("QueueDequeueV2", "Dequeue", name)

    def dequeue_many(self, n, name=None):
        """``n`` elements stacked (waits for them; OutOfRangeError once closed without)."""
        static = n if isinstance(n, int) else None
        return self._dequeue("QueueDequeueManyV2", "DequeueMany", name, n, static)

    def dequeue_up_to(self, n, name=None):
        """Like dequeue_many, but a closed queue gives its last, smaller batch."""
        return self._dequeue("QueueDequeueUpToV2", "DequeueUpTo", name, n, None)

    def close(self, cancel_pending_enqueues=False, name=None):
        return make_op("QueueCloseV2", [self._queue_ref],
                       {"cancel_pending_enqueues": bool(cancel_pending_enqueues)},
                       name=name or f"{self._name}_Close")

    def size(self, name=None):
        return make_op("QueueSizeV2", [self._queue_ref], name=name or f"{self._name}_Size")\
            .outputs[0]


class FIFOQueue(QueueBase):
    """``tf.FIFOQueue(capacity, dtypes, shapes=None, names=None, shared_name=None,
    name='fifo_queue')``: first in, first out."""

    op_type = "FIFOQueueV2"

    def __init__(self, capacity, dtypes, shapes=None, names=None, shared_name=None,
                 name="fifo_queue"):
        super().__init__(capacity, dtypes, shapes, names, shared_name, name)


class PaddingFIFOQueue(QueueBase):
    """A FIFOQueue whose dequeue_many pads components to the longest (shapes required;
    None dimensions may vary)."""

    op_type = "PaddingFIFOQueueV2"

    def __init__(self, capacity, dtypes, shapes, names=None, shared_name=None,
                 name="padding_fifo_queue"):
        if shapes is None:
            raise ValueError("Shapes must be provided")
        super().__init__(capacity, dtypes, shapes, names, shared_name, name)


class RandomShuffleQueue(QueueBase):
    """Dequeues a random element, keeping at least ``min_after_dequeue`` until closed."""

    op_type = "RandomShuffleQueueV2"

    def __init__(self, capacity, min_after_dequeue, dtypes, shapes=None, names=None,
                 seed=None, shared_name=None, name="random_shuffle_queue"):
        from tfcompat.framework import random_seed
        seed1, seed2 = random_seed.get_seed(seed)
        super().__init__(capacity, dtypes, shapes, names, shared_name, name, {
            "min_after_dequeue": int(min_after_dequeue), "seed": seed1 or 0,
            "seed2": seed2 or 0})


class PriorityQueue(QueueBase):
    """Dequeues the element of smallest int64 priority (its first component)."""

    op_type = "PriorityQueueV2"

    def __init__(self, capacity, types, shapes=None, names=None, shared_name=None,
                 name="priority_queue"):
        types = [types] if not isinstance(types, (list, tuple)) else list(types)
        shapes = None if shapes is None else [[]] + [tensor_shape.as_shape(s)
                                                    for s in shapes]
        super().__init__(capacity, [dtypes.int64] + types, shapes, names, shared_name, name)


# ---- readers -----------------------------------------------------------------------------
class ReaderResource:
    """A session's reader: the records of the file it took last from a filename queue."""

    def __init__(self, records_of):
        self.records_of = records_of  # filename -> iterable of (key, value)
        self._records = iter(())
        self.produced = 0
        self.completed = 0
        self._lock = threading.Lock()

    def read(self, queue, op, count=1):
        """Up to ``count`` (key, value) records, taking new files from ``queue``."""
        with self._lock:
            return self._read(queue, op, count)

    def _read(self, queue, op, count):
        out = []
        while len(out) < count:
            record = next(self._records, None)
            if record is not None:
                out.append(record)
                continue
            if out:  # read_up_to: what the current file had left
                break
            name = queue.dequeue(None, op).element(0)[0]
            name = name.item() if isinstance(name, np.ndarray) else name
            name = name.decode() if isinstance(name, bytes) else str(name)
            self._records = iter(self.records_of(name, op))
            self.completed += 1
        self.produced += len(out)
        return out

    def take_front(self, queue, op, limit, use):
        """``use(columns)`` on the next up to ``limit`` records of the current file (keys
        and values, as ``Columns``), which count as read only if ``use`` returns (its result
        is returned): the reader-fed form of ``QueueResource.take_front``. None, with
        nothing read, when fewer than two records came."""
        with self._lock:
            pairs = self._read(queue, op, limit)
            if len(pairs) < 2:
                self._unread(pairs)
                return None
            keys, values = np.empty(len(pairs), dtype=object), np.empty(len(pairs), dtype=object)
            keys[:] = [k for k, _ in pairs]
            values[:] = [v for _, v in pairs]
            try:
                return use(Columns([keys, values], len(pairs)))
            except BaseException:
                self._unread(pairs)
                raise

    def _unread(self, pairs):
        self._records = itertools.chain(pairs, self._records)
        self.produced -= len(pairs)


def _reader_records(op):
    """The function giving a file's (key, value) records for a reader op."""
    from tfcompat.lib.io import record_io
    from tfcompat.ops.dataset_ops import fixed_length_records, text_lines
    attrs = op.attrs
    kind = op.type

    def records(name, read_op):
        if kind == "IdentityReaderV2":  # the work unit is both key and value
            return [(name.encode(), name.encode())]
        content = record_io.read_file(name, read_op)
        if kind == "WholeFileReaderV2":
            return [(name.encode(), content)]
        if kind == "TFRecordReaderV2":  # keys: "<file>:<offset of the record>"
            compression = record_io.check_compression(attrs.get("compression_type", ""))
            records, offset = [], 0
            for record in record_io.iter_records(name, compression, read_op):
                records.append((f"{name}:{offset}".encode(), record))
                offset += len(record) + 16  # length, its CRC, data, the data's CRC
            return records
        if kind == "TextLineReaderV2":
            lines = text_lines(content)[attrs.get("skip_header_lines", 0):]
            first = attrs.get("skip_header_lines", 0) + 1
            return [(f"{name}:{first + i}".encode(), line) for i, line in enumerate(lines)]
        chunks = fixed_length_records(content, attrs["header_bytes"], attrs["record_bytes"],
                                      attrs["footer_bytes"])
        return [(f"{name}:{i}".encode(), chunk) for i, chunk in enumerate(chunks)]
    return records


class _ReaderOp(OpDef):
    differentiable = False
    stateful = True

    def infer(self, op):
        return [(_SCALAR, dtypes.resource)]

    def kernel(self, op, ctx):
        name = op.attrs.get("shared_name") or f"_{op._id}_{op.name}"
        records = _reader_records(op)
        return lambda: ctx.resource(name, lambda: ReaderResource(records))


for _reader_type in ("TextLineReaderV2", "WholeFileReaderV2", "TFRecordReaderV2",
                     "FixedLengthRecordReaderV2", "IdentityReaderV2"):
    register_op(type(_reader_type, (_ReaderOp,), {"op_type": _reader_type,
                                                 "__doc__": f"The handle of a {_reader_type}."}))


@register_op
class ReaderReadV2(OpDef):
    """The next (key, value) of a reader, taking a new file from the queue as needed."""

    differentiable = False
    stateful = True

    def infer(self, op):
        return [(_SCALAR, dtypes.string), (_SCALAR, dtypes.string)]

    def kernel(self, op, ctx):
        def read(reader, queue):
            key, value = reader.read(queue, op)[0]
            return np.array(key, dtype=object), np.array(value, dtype=object)
        return read


@register_op
class ReaderReadUpToV2(OpDef):
    """Up to ``num_records`` (keys, values) of a reader (fewer at the end of a file)."""

    differentiable = False
    stateful = True
    dynamic_output_shape = True

    def infer(self, op):
        vector = tensor_shape.TensorShape([None])
        return [(vector, dtypes.string), (vector, dtypes.string)]

    def kernel(self, op, ctx):
        def read(reader, queue, count):
            pairs = reader.read(queue, op, int(count))
            keys, values = np.empty(len(pairs), dtype=object), np.empty(len(pairs), dtype=object)
            keys[:] = [k for k, _ in pairs]
            values[:] = [v for _, v in pairs]
            return keys, values
        return read


@register_op
class ReaderNumRecordsProducedV2(OpDef):
    differentiable = False
    stateful = True

    def infer(self, op):
        return [(_SCALAR, dtypes.int64)]

    def kernel(self, op, ctx):
        return lambda reader: np.array(reader.produced, dtype=np.int64)


class ReaderBase:
    """``tf.ReaderBase``: ``read(queue)`` gives (key, value) string scalars."""

    op_type = None

    def __init__(self, attrs, name):
        attrs = dict(attrs, container="", shared_name="")
        self._reader_ref = make_op(self.op_type, [], attrs, name=name).outputs[0]

    @property
    def reader_ref(self):
        return self._reader_ref

    @property
    def supports_serialize(self):
        return False

    def read(self, queue, name=None):
        queue_ref = queue.queue_ref if isinstance(queue, QueueBase) else queue
        op = make_op("ReaderReadV2", [self._reader_ref, queue_ref], name=name or "ReaderReadV2")
        return tuple(op.outputs)

    def read_up_to(self, queue, num_records, name=None):
        queue_ref = queue.queue_ref if isinstance(queue, QueueBase) else queue
        count = ops.convert_to_tensor(num_records, dtype=dtypes.int64, name="num_records")
        op = make_op("ReaderReadUpToV2", [self._reader_ref, queue_ref, count],
                     name=name or "ReaderReadUpToV2")
        return tuple(op.outputs)

    def num_records_produced(self, name=None):
        return make_op("ReaderNumRecordsProducedV2", [self._reader_ref],
                       name=name or "ReaderNumRecordsProducedV2").outputs[0]


class TextLineReader(ReaderBase):
    """Lines of files; key "<file>:<line number>"; ``skip_header_lines`` first lines
    skipped."""

    op_type = "TextLineReaderV2"

    def __init__(self, skip_header_lines=None, name=None):
        super().__init__({"skip_header_lines": int(skip_header_lines or 0)},
                         name or "TextLineReaderV2")


class WholeFileReader(ReaderBase):
    """One record per file: key the file name, value its content."""

    op_type = "WholeFileReaderV2"

    def __init__(self, name=None):
        super().__init__({}, name or "WholeFileReaderV2")


class IdentityReader(ReaderBase):
    """Each work unit dequeued is the record: key and value are the string itself."""

    op_type = "IdentityReaderV2"

    def __init__(self, name=None):
        super().__init__({}, name or "IdentityReaderV2")


class TFRecordReader(ReaderBase):
    """The records of TFRecord files (``options``: a python_io.TFRecordOptions)."""

    op_type = "TFRecordReaderV2"

    def __init__(self, name=None, options=None):
        from tfcompat.python_io import TFRecordOptions
        super().__init__({"compression_type": TFRecordOptions.get_compression_type_string(
            options)}, name or "TFRecordReaderV2")


class FixedLengthRecordReader(ReaderBase):
    """``record_bytes``-long records after ``header_bytes``, before ``footer_bytes``."""

    op_type = "FixedLengthRecordReaderV2"

    def __init__(self, record_bytes, header_bytes=None, footer_bytes=None, hop_bytes=None,
                 name=None, encoding=None):
        super().__init__({"record_bytes": int(record_bytes),
                          "header_bytes": int(header_bytes or 0),
                          "footer_bytes": int(footer_bytes or 0),
                          "hop_bytes": int(hop_bytes or 0), "encoding": encoding or ""},
                         name or "FixedLengthRecordReaderV2")


# ---- stacks ------------------------------------------------------------------------------
def new_stack_handle():
    """A fresh, empty stack handle value."""
    handle = np.empty((), dtype=object)
    handle[()] = []
    return handle


@register_op
class StackV2(OpDef):
    """A new, empty stack for elements of ``elem_type`` (max_size < 0: unbounded)."""

    stateful = True
    differentiable = False

    def infer(self, op):
        return [(tensor_shape.scalar(), dtypes.resource)]

    def kernel(self, op, ctx):
        return lambda max_size: new_stack_handle()


@register_op
class StackPushV2(OpDef):
    """Pushes ``elem`` (a copy: kept storage of a plan may be reused) and returns it."""

    stateful = True
    mutates_state = True
    differentiable = False

    def infer(self, op):
        elem = op.inputs[1]
        return [(elem.shape, elem.dtype.base_dtype)]

    def kernel(self, op, ctx):
        def push(handle, elem):
            handle[()].append(np.array(elem, copy=True))
            return elem
        return push


@register_op
class StackPopV2(OpDef):
    """Pops the element pushed last."""

    stateful = True
    mutates_state = True
    differentiable = False
    dynamic_output_shape = True

    def infer(self, op):
        return [(tensor_shape.unknown_shape(), dtypes.as_dtype(op.attrs["elem_type"]))]

    def kernel(self, op, ctx):
        def pop(handle):
            items = handle[()]
            if not items:
                raise errors.InvalidArgumentError(None, op, "Stack is empty.")
            return items.pop()
        return pop


def stack_v2(max_size, elem_type, stack_name="", name=None):
    from tfcompat.framework import ops
    size = ops.convert_to_tensor(max_size, dtype=dtypes.int32)
    return make_op("StackV2", [size], {"elem_type": dtypes.as_dtype(elem_type),
                                       "stack_name": stack_name},
                   name=name or "StackV2").outputs[0]


def stack_push_v2(handle, elem, swap_memory=False, name=None):
    return make_op("StackPushV2", [handle, elem], {"swap_memory": swap_memory, "T": elem.dtype},
                   name=name or "StackPushV2").outputs[0]


def stack_pop_v2(handle, elem_type, name=None):
    return make_op("StackPopV2", [handle], {"elem_type": dtypes.as_dtype(elem_type)},
                   name=name or "StackPopV2").outputs[0]


__all__ = ["FIFOQueue", "PaddingFIFOQueue", "RandomShuffleQueue", "PriorityQueue", "QueueBase",
           "ReaderBase", "TextLineReader", "WholeFileReader", "TFRecordReader",
           "FixedLengthRecordReader", "IdentityReader", "matching_files", "count_up_to"]
