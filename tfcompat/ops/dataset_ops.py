"""tf.data's dataset and iterator ops (TF's ``dataset_ops`` / ``gen_dataset_ops``).

A dataset op's output is a scalar ``variant``: at run time an immutable ``DatasetValue``
that can start any number of independent passes over its elements (``elements(ctx)``, a
Python iterator of tuples of arrays, one per flat component). Dataset ops are ``stateful``
so every run of an initializer builds fresh values (a seeded shuffle replays its order on
re-initialisation, as TF 1.x's does).

Iterators are session resources (``RuntimeState.resource``): ``IteratorV2`` /
``OneShotIterator`` give the handle, ``MakeIterator`` starts a pass of a dataset in it and
``IteratorGetNext`` yields the next element, raising ``OutOfRangeError("End of
sequence")`` at the end. ``IteratorGetNext`` is read-only to the planner, so it runs
before any variable update of the step: a step that got no element changes nothing.

Functions (``map``'s ``f``, ``filter``'s ``predicate``...) are traced once into graph ops
fed through argument placeholders (``TracedFunction``); a dataset runs them per element as
a compiled plan on the session's state (``RuntimeState.function_state``). Tensors the
function captured from outside are inputs of the dataset op (TF's ``other_arguments``),
evaluated when the dataset is built.
"""
import itertools
import json
import queue
import threading

import numpy as np

from tfcompat.framework import dtypes, errors, ops, tensor_shape
from tfcompat.framework.graph_walk import ops_upstream
from tfcompat.framework.op_def import OpDef, format_shape, make_op, make_tensor, register_op

_SCALAR = tensor_shape.TensorShape([])
_END = object()  # the end of a pass (an iterator's lookahead at its end)


# ---- traced functions ----------------------------------------------------------------------
class TracedFunction(str):
    """A Python function traced once into ops of the current graph; its value (a ``str``)
    is the function's name, what a NodeDef's ``func`` attr records. ``args``: the argument
    placeholders, ``outputs``: flat output tensors, ``captured``: outside tensors the body
    reads (fed to it on every call). The body's ops are in the graph itself, so a GraphDef
    carries them; ``describe_body`` names its tensors for a private attr beside the func
    attr, and ``traced_function`` rebuilds the function from it in an imported graph."""

    def __new__(cls, name, args, outputs, captured, output_structure, body=()):
        function = super().__new__(cls, name)
        function.args, function.outputs = list(args), list(outputs)
        function.captured, function.output_structure = list(captured), output_structure
        function.batchable = _batchable(function.args, function.outputs, body)
        return function

    def function_parts(self):
        """(args, outputs, captured, body ops): what a FunctionDef of it is written from."""
        return (self.args, self.outputs, self.captured,
                body_ops(self.args, self.outputs, self.captured))

    def describe_body(self, op_name):
        """JSON naming the tensors of the body, for the NodeDef of op ``op_name``."""
        return json.dumps({"op": op_name, "args": [t.name for t in self.args],
                           "outputs": [t.name for t in self.outputs],
                           "captured": [t.name for t in self.captured]})


def traced_function(op, attr):
    """The TracedFunction of ``op``'s function attr ``attr``, rebuilt (once) from the body
    description an imported graph carries; None when there is none."""
    function = op.attrs.get(attr)
    if isinstance(function, TracedFunction):
        return function
    described = op.attrs.get(f"{attr}_body")
    if function is None or described is None:
        return None
    body = json.loads(described)
    prefix = op.name[:len(op.name) - len(body["op"])]  # import_graph_def's name scope
    graph = op.graph

    def tensors(names):
        return [graph.get_tensor_by_name(prefix + name) for name in names]
    args, outputs, captured = (tensors(body[key]) for key in ("args", "outputs", "captured"))
    rebuilt = TracedFunction(str(function), args, outputs, captured, None,
                             body_ops(args, outputs, captured))
    op.attrs[attr] = rebuilt
    return rebuilt


def body_ops(args, outputs, captured):
    """The ops of a traced body, its argument placeholders included: walked back from its
    outputs to its args and captured tensors (whose ops are outside the body)."""
    found = ops_upstream([t.op for t in outputs], set(args) | set(captured),
                         reached=[t.op for t in args])
    return sorted(found, key=lambda op: op._id)


def function_attrs(op):
    """[(attr name, TracedFunction)] of ``op``'s function attrs."""
    out = []
    for attr in list(op.attrs):
        function = None if attr.endswith("_body") else traced_function(op, attr)
        if function is not None:
            out.append((attr, function))
    return out


def function_bodies(op):
    """[(body ops, captured tensors)] of ``op``'s function attrs: what must run where the
    op runs (a distributed step puts them in its partition)."""
    return [(body_ops(f.args, f.outputs, f.captured), f.captured)
            for _, f in function_attrs(op)]


#: Op types whose value at each position depends only on their inputs at that position.
_ELEMENTWISE = frozenset({
    "Add", "AddV2", "Sub", "Mul", "RealDiv", "Div", "FloorDiv", "FloorMod", "Maximum",
    "Minimum", "Pow", "SquaredDifference", "Neg", "Abs", "Exp", "Log", "Log1p", "Sqrt",
    "Rsqrt", "Square", "Reciprocal", "Tanh", "Sigmoid", "Relu", "Cast", "Identity", "Floor",
    "Ceil", "Round", "Sign", "Greater", "GreaterEqual", "Less", "LessEqual", "Equal",
    "NotEqual", "LogicalAnd", "LogicalOr", "LogicalNot", "Const"})

#: Op types elementwise in their first input only: the others (DecodeCSV's record defaults)
#: must not derive from the arguments, and the outputs are shaped like the first input.
_ELEMENTWISE_IN_FIRST = frozenset({"DecodeCSV"})


def _batchable(args, outputs, body):
    """Whether running the function once on stacked arguments gives the stacked results:
    every body op is elementwise, the operands derived from the arguments have one rank
    per op (others, such as captured tensors, no higher rank), and every output derives
    from the arguments."""
    batched = set(args)
    ranks = {t: t.shape.ndims for t in args}
    if any(r is None for r in ranks.values()):
        return False
    for op in body:
        if op.type == "Placeholder" and op.outputs[0] in batched:
            continue
        if op.control_inputs or op.type not in _ELEMENTWISE | _ELEMENTWISE_IN_FIRST:
            return False
        if op.type in _ELEMENTWISE_IN_FIRST:
            if not op.inputs or any(t in batched for t in op.inputs[1:]):
                return False
            if op.inputs[0] in batched:
                batched.update(op.outputs)
                ranks.update((t, ranks[op.inputs[0]]) for t in op.outputs)
            continue
        inner = [t for t in op.inputs if t in batched]
        other = [t for t in op.inputs if t not in batched]
        if inner:
            rank = ranks[inner[0]]
            if any(ranks[t] != rank for t in inner) or any(
                    t.shape.ndims is None or t.shape.ndims > rank for t in other):
                return False
            batched.update(op.outputs)
            ranks.update((t, rank) for t in op.outputs)
    return all(t in batched for t in outputs)


def trace_function(fn, arg_specs, name):
    """Calls ``fn(arg_specs as placeholders)`` once and records the ops it adds.

    ``fn`` receives a list of placeholder tensors ``args`` (it packs them as it likes) and
    returns (flat output tensors or dataset variants, output structure)."""
    graph = ops.get_default_graph()
    first = len(graph.get_operations())
    with ops.name_scope(name):
        args = [make_tensor("Placeholder", attrs={"dtype": dtype, "shape": shape},
                            name=f"arg{i}") for i, (dtype, shape) in enumerate(arg_specs)]
        outputs, structure = fn(args)
    body = set(graph.get_operations()[first:])
    captured = []
    for op in body:
        for tensor in op.inputs:
            if tensor.op not in body and tensor not in captured:
                captured.append(tensor)
    captured.sort(key=lambda t: (t.op._id, t.value_index))
    return TracedFunction(f"{graph.unique_name(name + '_fn', mark_as_used=False)}",
                          args, outputs, captured, structure,
                          [op for op in graph.get_operations()[first:]])


class _FunctionPlan:
    """A TracedFunction compiled for one session: made once per kernel, so its
    specialisations outlive re-initialisations of the iterator."""

    def __init__(self, function, ctx):
        self.state = ctx.function_state()
        self.plan = self.state.compile(function.outputs, function.args + function.captured)
        self.batchable = function.batchable


class _FunctionRunner:
    """Runs a function per element (or per batch when ``batchable``), with the values its
    captured tensors had when the dataset was built."""

    def __init__(self, compiled, captured_values):
        self._compiled, self._captured = compiled, list(captured_values)
        self.batchable = compiled.batchable

    def __call__(self, element):
        compiled = self._compiled
        values = compiled.plan(compiled.state, [*element, *self._captured])
        return tuple(v if isinstance(v, DatasetValue) else np.asarray(v) for v in values)


def _lazy_plan(function, ctx):
    """A function returning the kernel's _FunctionPlan, compiled on first use."""
    compiled = []

    def get():
        if not compiled:
            compiled.append(_FunctionPlan(function, ctx))
        return compiled[0]
    return get


# ---- dataset values ------------------------------------------------------------------------
class DatasetValue:
    """The run-time value of a dataset op: ``elements(ctx)`` starts a new pass.

    Datasets whose elements are rows of fixed arrays (slices, and shuffles, repeats, takes
    and skips of them) also answer ``rows()`` with those arrays and ``row_chunks(ctx)``
    with a pass over the row numbers as int arrays, so a batch gathers its rows with one
    indexing per component instead of stacking elements one by one."""

    shape = ()  # a scalar variant, as a value fed to or flowing through a plan
    ndim = 0

    def elements(self, ctx):
        raise NotImplementedError

    def rows(self):
        return None

    def value_chunks(self, ctx):
        """A pass of a dataset of scalar elements as arrays of consecutive elements (file
        records: one array per file), or None when it has no cheaper way than elements()."""
        return None


class _Slices(DatasetValue):
    def __init__(self, components):
        self.components = components

    def elements(self, ctx):
        components = self.components
        for index in range(len(components[0]) if components else 0):
            yield tuple(c[index, ...] for c in components)

    def rows(self):
        return self.components if self.components else None

    def row_chunks(self, ctx):
        yield np.arange(len(self.components[0]))


class _RowStream(DatasetValue):
    """A transformation of its input's elements that also applies to chunks of them: row
    numbers (``row_chunks``) or stacked scalar elements (``value_chunks``), through
    ``_chunks(start_pass)``, ``start_pass()`` giving a pass of the input's chunks."""

    def __init__(self, dataset):
        self.dataset = dataset

    def rows(self):
        return self.dataset.rows()

    def row_chunks(self, ctx):
        return self._chunks(lambda: self.dataset.row_chunks(ctx))

    def value_chunks(self, ctx):
        if self.dataset.value_chunks(ctx) is None:
            return None
        return self._chunks(lambda: self.dataset.value_chunks(ctx))


class _Single(DatasetValue):
    def __init__(self, components):
        self.components = tuple(components)

    def elements(self, ctx):
        yield self.components


class _Range(DatasetValue):
    def __init__(self, start, stop, step):
        self.bounds = int(start), int(stop), int(step)

    def elements(self, ctx):
        for value in range(*self.bounds):
            yield (np.array(value, dtype=np.int64),)


class _Zip(DatasetValue):
    def __init__(self, inputs):
        self.inputs = inputs

    def elements(self, ctx):
        for parts in zip(*[d.elements(ctx) for d in self.inputs]):
            yield tuple(c for part in parts for c in part)


class _Concatenate(DatasetValue):
    def __init__(self, first, second):
        self.parts = first, second

    def elements(self, ctx):
        for part in self.parts:
            yield from part.elements(ctx)


class _Repeat(_RowStream):
    def __init__(self, dataset, count):
        super().__init__(dataset)
        self.count = int(count)

    def _passes(self):
        done = 0
        while self.count < 0 or done < self.count:
            yield
            done += 1

    def elements(self, ctx):
        for _ in self._passes():
            empty = True
            for element in self.dataset.elements(ctx):
                empty = False
                yield element
            if empty:  # an empty input repeated forever is still empty (TF)
                return

    def _chunks(self, start_pass):
        for _ in self._passes():
            empty = True
            for chunk in start_pass():
                empty = empty and not len(chunk)
                yield chunk
            if empty:
                return


class _Take(_RowStream):
    def __init__(self, dataset, count):
        super().__init__(dataset)
        self.count = int(count)

    def elements(self, ctx):
        return itertools.islice(self.dataset.elements(ctx), self.count if self.count >= 0
                                else None)

    def _chunks(self, start_pass):
        left = self.count
        for chunk in start_pass():
            if left == 0:
                return
            if left > 0:
                chunk = chunk[:left]
                left -= len(chunk)
            yield chunk


class _Skip(_RowStream):
    def __init__(self, dataset, count):
        super().__init__(dataset)
        self.count = int(count)

    def elements(self, ctx):
        if self.count < 0:
            return iter(())
        return itertools.islice(self.dataset.elements(ctx), self.count, None)

    def _chunks(self, start_pass):
        left = self.count
        if left < 0:
            return
        for chunk in start_pass():
            if left:
                dropped = min(left, len(chunk))
                chunk, left = chunk[dropped:], left - dropped
            if len(chunk):
                yield chunk


class _Shuffle(_RowStream):
    """TF's shuffle buffer: fill ``buffer_size`` items, emit a random one, refill its
    place. Every pass of one value draws a new order (``reshuffle``) from a generator
    seeded by (seed, seed2) (both 0: fresh entropy) and the pass number; ``count`` passes
    (shuffle_and_repeat; -1: forever)."""

    def __init__(self, dataset, buffer_size, seed, seed2, reshuffle, count=1):
        super().__init__(dataset)
        self.buffer_size, self.reshuffle, self.count = int(buffer_size), reshuffle, int(count)
        self._entropy = np.random.SeedSequence(
            None if seed == 0 and seed2 == 0 else [int(seed), int(seed2)]).entropy
        self._passes = 0
        self._lock = threading.Lock()

    def _generator(self):
        with self._lock:
            index = self._passes if self.reshuffle else 0
            self._passes += 1
        return np.random.default_rng(np.random.SeedSequence(self._entropy, spawn_key=(index,)))

    def _each_pass(self, pass_items):
        done = 0
        while self.count < 0 or done < self.count:
            empty = True
            for item in pass_items(self._generator()):
                empty = False
                yield item
            done += 1
            if empty:
                return

    def elements(self, ctx):
        def one_pass(rng):
            buffer = _ShuffleBuffer(rng, self.buffer_size)
            for element in self.dataset.elements(ctx):
                yield from buffer.push((element,))
            yield from buffer.drain()
        return self._each_pass(one_pass)

    def value_chunks(self, ctx):
        return None

    def row_chunks(self, ctx):
        def one_pass(rng):
            buffer = _ShuffleBuffer(rng, self.buffer_size)
            for chunk in self.dataset.row_chunks(ctx):
                out = buffer.push(chunk.tolist())
                if out:
                    yield np.array(out, dtype=np.intp)
            out = buffer.drain()
            if out:
                yield np.array(out, dtype=np.intp)
        return self._each_pass(one_pass)


class _ShuffleBuffer:
    """A shuffle buffer of ``size`` items: while full, each new item replaces a random one,
    which comes out (positions drawn 256 at a time); ``drain`` empties it in random
    order."""

    def __init__(self, rng, size):
        self.rng, self.size, self.items = rng, size, []
        self.draws, self.drawn = [], 0

    def push(self, items):
        out, buffer, size = [], self.items, self.size
        draws, drawn = self.draws, self.drawn
        for item in items:
            if len(buffer) < size:
                buffer.append(item)
                continue
            if drawn == len(draws):
                draws, drawn = self.rng.integers(size, size=256).tolist(), 0
            index = draws[drawn]
            drawn += 1
            out.append(buffer[index])
            buffer[index] = item
        self.draws, self.drawn = draws, drawn
        return out

    def drain(self):
        buffer, out = self.items, []
        if buffer:
            for index in self.rng.integers(np.arange(len(buffer), 0, -1)).tolist():
                buffer[index], buffer[-1] = buffer[-1], buffer[index]
                out.append(buffer.pop())
        return out


def _stack(rows):
    """One batch component from equal-shaped element components."""
    first = rows[0]
    if first.dtype == object and first.ndim == 0:
        out = np.empty(len(rows), dtype=object)
        out[:] = [row[()] for row in rows]
        return out
    if first.dtype == object:
        out = np.empty((len(rows),) + first.shape, dtype=object)
        for index, row in enumerate(rows):
            out[index, ...] = row  # out[index] = a 0-d array would store the array itself
        return out
    return np.stack(rows)


class _Batch(DatasetValue):
    """Batches of ``batch_size`` consecutive elements (the last one may be smaller unless
    ``drop_remainder``); ``padded``: per component (padded shape, padding value)."""

    def __init__(self, dataset, batch_size, drop_remainder, op, padded=None):
        self.dataset, self.batch_size = dataset, int(batch_size)
        self.drop_remainder, self.op, self.padded = bool(drop_remainder), op, padded
        if self.batch_size <= 0:
            raise errors.InvalidArgumentError(None, op, "Batch size must be greater than zero.")

    def elements(self, ctx):
        mapped = self.dataset
        if type(mapped) is _Map and mapped.run.batchable and self.padded is None:
            # The function is elementwise: run it once per batch of its inputs.
            inputs = _Batch(mapped.dataset, self.batch_size, self.drop_remainder, self.op)
            yield from (_run_batched(mapped.run, batch) for batch in inputs.elements(ctx))
            return
        arrays = self.dataset.rows() if self.padded is None else None
        if arrays is not None:
            yield from self._gathered(arrays, self.dataset.row_chunks(ctx))
            return
        chunks = self.dataset.value_chunks(ctx) if self.padded is None else None
        if chunks is not None:
            yield from self._sliced(chunks)
            return
        rows = []
        for element in self.dataset.elements(ctx):
            rows.append(element)
            if len(rows) == self.batch_size:
                yield self._batch(rows)
                rows = []
        if rows and not self.drop_remainder:
            yield self._batch(rows)

    def _gathered(self, arrays, chunks):
        """Batches of rows of ``arrays`` (row numbers from ``chunks``): one gather per
        component."""
        size, pending = self.batch_size, np.zeros(0, dtype=np.intp)
        for chunk in chunks:
            pending = np.concatenate([pending, chunk]) if len(pending) else chunk
            while len(pending) >= size:
                chosen, pending = pending[:size], pending[size:]
                yield tuple(array[chosen] for array in arrays)
        if len(pending) and not self.drop_remainder:
            yield tuple(array[pending] for array in arrays)

    def _sliced(self, chunks):
        """Batches cut from arrays of consecutive scalar elements."""
        size, pending = self.batch_size, []
        for chunk in chunks:
            pending = np.concatenate([pending, chunk]) if len(pending) else chunk
            while len(pending) >= size:
                yield (pending[:size],)
                pending = pending[size:]
        if len(pending) and not self.drop_remainder:
            yield (pending,)

    def _batch(self, rows):
        columns = list(zip(*rows))
        if self.padded is not None:
            return tuple(_pad_stack(column, shape, value, self.op)
                         for column, (shape, value) in zip(columns, self.padded))
        sparse = set(self.op.attrs.get("sparse_components", ()))
        out, index = [], 0
        while index < len(columns):
            if index in sparse:
                out.extend(_batch_sparse(*columns[index:index + 3]))
                index += 3
                continue
            out.append(self._stacked(columns[index], index))
            index += 1
        return tuple(out)

    def _stacked(self, column, index):
        """One dense component of a batch (TF's error when the shapes differ)."""
        if len({value.shape for value in column}) > 1:
            row = next(r for r, v in enumerate(column) if v.shape != column[0].shape)
            raise errors.InvalidArgumentError(
                None, self.op, f"Cannot batch tensors with different shapes in "
                f"component {index}. First element had shape "
                f"{format_shape(_shape(column[0]))} and element {row} had shape "
                f"{format_shape(_shape(column[row]))}.")
        return _stack(column)


def _batch_sparse(indices, values, shapes):
    """SparseTensors (index, values, dense shape columns) as one with a leading batch
    dimension: indices gain the element's row, the dense shape is the largest of each
    dimension (TF's batching of SparseTensors)."""
    rank = len(shapes[0])
    if any(len(shape) != rank for shape in shapes):
        raise errors.InvalidArgumentError(None, None, "Cannot batch SparseTensors of "
                                                      "different ranks.")
    rows = [np.column_stack([np.full(len(index), row, np.int64), np.reshape(index, (-1, rank))])
            for row, index in enumerate(indices)]
    dense_shape = np.max(np.stack([np.asarray(s, np.int64) for s in shapes]), axis=0) \
        if rank else np.zeros(0, np.int64)
    return (np.concatenate(rows).astype(np.int64) if rows else np.zeros((0, rank + 1), np.int64),
            np.concatenate([np.asarray(v) for v in values]),
            np.concatenate([[len(shapes)], dense_shape]).astype(np.int64))


def _run_batched(run, batch):
    """An elementwise function run once on a batch; when that fails, the elements are run
    one by one so the error is the first failing element's, as an unbatched map gives it."""
    try:
        return run(batch)
    except errors.OpError:
        for row in range(len(batch[0]) if batch else 0):
            run(tuple(component[row, ...] for component in batch))
        raise


def _shape(array):
    return tensor_shape.TensorShape(list(array.shape))


def _pad_stack(column, padded_shape, padding_value, op):
    """``column`` padded with ``padding_value`` to ``padded_shape`` (-1: the longest)."""
    rank = column[0].ndim
    target = []
    for axis in range(rank):
        longest = max(c.shape[axis] for c in column)
        wanted = int(padded_shape[axis])
        if wanted >= 0 and longest > wanted:
            raise errors.InvalidArgumentError(
                None, op, "Attempted to pad to a smaller size than the input element.")
        target.append(longest if wanted < 0 else wanted)
    out = np.full((len(column),) + tuple(target), padding_value, dtype=column[0].dtype)
    for index, row in enumerate(column):
        out[(index,) + tuple(slice(0, d) for d in row.shape)] = row
    return out


class _Unbatch(DatasetValue):
    def __init__(self, dataset):
        self.dataset = dataset

    def elements(self, ctx):
        for element in self.dataset.elements(ctx):
            for index in range(len(element[0]) if element else 0):
                yield tuple(c[index, ...] for c in element)


class _Cache(DatasetValue):
    """The first complete pass is kept in memory; later passes replay it."""

    def __init__(self, dataset):
        self.dataset, self._cached = dataset, None

    def elements(self, ctx):
        if self._cached is not None:
            yield from self._cached
            return
        seen = []
        for element in self.dataset.elements(ctx):
            seen.append(element)
            yield element
        self._cached = seen


class _Map(DatasetValue):
    def __init__(self, dataset, run):
        self.dataset, self.run = dataset, run

    def elements(self, ctx):
        run = self.run
        for element in self.dataset.elements(ctx):
            yield run(element)


class _Filter(_Map):
    def elements(self, ctx):
        run = self.run
        for element in self.dataset.elements(ctx):
            if run(element)[0]:
                yield element


class _FlatMap(_Map):
    def elements(self, ctx):
        run = self.run
        for element in self.dataset.elements(ctx):
            yield from run(element)[0].elements(ctx)


class _Interleave(_Map):
    """TF's interleave: ``cycle_length`` open datasets, ``block_length`` elements from each
    in turn; an exhausted one is replaced by the next input element's dataset."""

    def __init__(self, dataset, run, cycle_length, block_length):
        super().__init__(dataset, run)
        self.cycle_length, self.block_length = int(cycle_length), int(block_length)

    def elements(self, ctx):
        inputs = self.dataset.elements(ctx)
        cycle = []
        for _ in range(self.cycle_length):
            element = next(inputs, None)
            if element is None:
                break
            cycle.append(self.run(element)[0].elements(ctx))
        position = 0
        while cycle:
            position %= len(cycle)
            current = cycle[position]
            for _ in range(self.block_length):
                item = next(current, None)
                if item is not None:
                    yield item
                    continue
                element = next(inputs, None)  # the slot's dataset ended: refill or close it
                if element is None:
                    del cycle[position]
                    position -= 1  # the next slot moved into this position
                else:
                    cycle[position] = self.run(element)[0].elements(ctx)
                break
            position += 1


class _Generator(DatasetValue):
    """Elements of a Python generator (``Dataset.from_generator``), converted and checked
    against the declared types and shapes."""

    def __init__(self, generator, args, types, shapes, op):
        self.generator, self.args = generator, args
        self.types, self.shapes, self.op = types, shapes, op

    def elements(self, ctx):
        for item in self.generator(*self.args):
            flat = item if isinstance(item, tuple) and len(self.types) > 1 else (item,)
            if len(self.types) > 1 and len(flat) != len(self.types):
                raise errors.InvalidArgumentError(
                    None, self.op, "`generator` yielded an element that did not match the "
                    "expected structure.")
            out = []
            for value, dtype, shape in zip(flat, self.types, self.shapes):
                try:
                    array = ops.numpy_value_of(value, dtype)
                except TypeError as exc:
                    raise errors.InvalidArgumentError(
                        None, self.op, f"TypeError: `generator` yielded an element that could "
                        f"not be converted to the expected type. ({exc})") from None
                if not shape.is_compatible_with(array.shape):
                    raise errors.InvalidArgumentError(
                        None, self.op, f"`generator` yielded an element of shape "
                        f"{list(array.shape)} where an element of shape {shape} was expected.")
                out.append(array)
            yield tuple(out)


class _Prefetch(_RowStream):
    """``prefetch(buffer_size)``: a background thread runs the input pipeline into a
    bounded buffer while the consumer's steps run (TF's PrefetchDataset); an input error or
    its end reaches the consumer at the element where it happened. Row numbers (batches of
    sliced arrays gathered downstream), batches gathered from sliced arrays (nothing worth
    hiding) and ``buffer_size`` 0 stay synchronous."""

    def __init__(self, dataset, buffer_size):
        super().__init__(dataset)
        self.buffer_size = _AUTOTUNE_BUFFER if buffer_size < 0 else buffer_size

    def elements(self, ctx):
        if self.buffer_size == 0 or _gathers_rows(self.dataset):
            return self.dataset.elements(ctx)
        return _background_pass(self.dataset.elements(ctx), self.buffer_size)

    def row_chunks(self, ctx):
        return self.dataset.row_chunks(ctx)

    def value_chunks(self, ctx):
        chunks = self.dataset.value_chunks(ctx)
        if chunks is None or self.buffer_size == 0:
            return chunks
        return _background_pass(chunks, self.buffer_size)


def _gathers_rows(dataset):
    """Whether ``dataset`` is a batch gathered from rows of arrays (one fancy index per
    component, ~0.1 ms): a thread hand-off would cost more than it hides (measured)."""
    return isinstance(dataset, _Batch) and dataset.padded is None and \
        dataset.dataset.rows() is not None


_AUTOTUNE_BUFFER = 2  # the buffer a prefetch(tf.data.experimental.AUTOTUNE) gets
_POLL_SECONDS = 0.05


class _BackgroundFiller:
    """Runs ``source`` (an element iterator) on a daemon thread into a bounded queue of
    ("element", value), ("error", exception) and ("end", None) entries until the source
    ends or ``stop`` is set."""

    def __init__(self, source, size):
        self.queue = queue.Queue(maxsize=size)
        self.stop = threading.Event()
        self._thread = threading.Thread(target=self._fill, args=(source,), daemon=True,
                                        name="tfcompat-prefetch")
        self._thread.start()

    def _put(self, entry):
        while not self.stop.is_set():
            try:
                self.queue.put(entry, timeout=_POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def _fill(self, source):
        try:
            for element in source:
                if not self._put(("element", element)):
                    return
            self._put(("end", None))
        except Exception as exc:  # noqa: BLE001 - handed to the consumer
            self._put(("error", exc))
        finally:
            close = getattr(source, "close", None)
            if close is not None:
                close()


def _background_pass(source, size):
    """A generator of ``source``'s elements prefetched by a _BackgroundFiller; closing the
    generator (the iterator re-initialised, the session closed or dropped) stops it."""
    filler = _BackgroundFiller(source, size)
    try:
        while True:
            kind, value = filler.queue.get()
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        filler.stop.set()


class _Shard(DatasetValue):
    """Every ``num_shards``-th element, starting at ``index``."""

    def __init__(self, dataset, num_shards, index):
        self.dataset, self.num_shards, self.index = dataset, num_shards, index

    def elements(self, ctx):
        return itertools.islice(self.dataset.elements(ctx), self.index, None, self.num_shards)


class ElementList(DatasetValue):
    """A dataset of given elements (tuples of arrays): a window, a group of elements."""

    def __init__(self, elements):
        self.items = list(elements)

    def elements(self, ctx):
        return iter(self.items)


class _Window(DatasetValue):
    """Windows of ``size`` elements ``stride`` apart, starting every ``shift`` elements;
    each element is one ElementList dataset per component. The last windows are shorter
    unless ``drop_remainder``."""

    def __init__(self, dataset, size, shift, stride, drop_remainder):
        self.dataset, self.size, self.shift, self.stride = dataset, size, shift, stride
        self.drop_remainder = drop_remainder

    def elements(self, ctx):
        source, buffer, ended = self.dataset.elements(ctx), [], False
        span = (self.size - 1) * self.stride + 1
        while True:
            while not ended and len(buffer) < span:
                element = next(source, None)
                ended = element is None
                if not ended:
                    buffer.append(element)
            window = buffer[:span:self.stride]
            if not window or (self.drop_remainder and len(window) < self.size):
                return
            yield tuple(ElementList([(element[i],) for element in window])
                        for i in range(len(window[0])))
            buffer = buffer[self.shift:]
            skip = self.shift - span
            while skip > 0 and not ended:
                ended = next(source, None) is None
                skip -= 1
            if ended and not buffer:
                return


# ---- dataset ops ---------------------------------------------------------------------------
class _DatasetOp(OpDef):
    """A dataset op: one scalar variant output; attrs output_types / output_shapes."""

    differentiable = False
    stateful = True

    def infer(self, op):
        return [(_SCALAR, dtypes.variant)]

    def kernel(self, op, ctx):
        build = self.make_value
        return lambda *inputs: build(op, ctx, *inputs)

    def make_value(self, op, ctx, *inputs):
        raise NotImplementedError


def _scalar_int(value):
    return int(np.asarray(value).reshape(()))


@register_op
class TensorSliceDataset(_DatasetOp):
    """Elements are the slices of its components along their first dimension."""

    def make_value(self, op, ctx, *components):
        return _Slices(list(components))


class _SparseRows(DatasetValue):
    """The rows of a SparseTensor, each as (indices without the row column, values, dense
    shape without the first dimension): TF 1.x's from_sparse_tensor_slices elements."""

    def __init__(self, indices, values, dense_shape):
        self.indices, self.values = np.asarray(indices, np.int64), np.asarray(values)
        self.dense_shape = np.asarray(dense_shape, np.int64)

    def elements(self, ctx):
        rows = self.indices[:, 0] if len(self.indices) else np.zeros(0, np.int64)
        for row in range(int(self.dense_shape[0]) if len(self.dense_shape) else 0):
            chosen = rows == row
            yield (self.indices[chosen, 1:], self.values[chosen], self.dense_shape[1:].copy())


@register_op
class SparseTensorSliceDataset(_DatasetOp):
    """Inputs: indices, values, dense_shape of a SparseTensor; one element per row."""

    def make_value(self, op, ctx, indices, values, dense_shape):
        return _SparseRows(indices, values, dense_shape)


@register_op
class TensorDataset(_DatasetOp):
    """One element: its components."""

    def make_value(self, op, ctx, *components):
        return _Single(components)


@register_op
class RangeDataset(_DatasetOp):
    """int64 scalars start, start + step, ... before stop (Python's range)."""

    def make_value(self, op, ctx, start, stop, step):
        if _scalar_int(step) == 0:
            raise errors.InvalidArgumentError(None, op, "step must be a non-zero integer.")
        return _Range(_scalar_int(start), _scalar_int(stop), _scalar_int(step))


@register_op
class ZipDataset(_DatasetOp):
    def make_value(self, op, ctx, *inputs):
        return _Zip(inputs)


@register_op
class ConcatenateDataset(_DatasetOp):
    def make_value(self, op, ctx, first, second):
        return _Concatenate(first, second)


@register_op
class RepeatDataset(_DatasetOp):
    def make_value(self, op, ctx, dataset, count):
        return _Repeat(dataset, _scalar_int(count))


@register_op
class TakeDataset(_DatasetOp):
    def make_value(self, op, ctx, dataset, count):
        return _Take(dataset, _scalar_int(count))


@register_op
class SkipDataset(_DatasetOp):
    def make_value(self, op, ctx, dataset, count):
        return _Skip(dataset, _scalar_int(count))


@register_op
class ShuffleDataset(_DatasetOp):
    def make_value(self, op, ctx, dataset, buffer_size, seed, seed2):
        if _scalar_int(buffer_size) <= 0:
            raise errors.InvalidArgumentError(None, op, "buffer_size must be greater than zero.")
        return _Shuffle(dataset, _scalar_int(buffer_size), _scalar_int(seed), _scalar_int(seed2),
                        op.attrs.get("reshuffle_each_iteration", True))


@register_op
class ShuffleAndRepeatDataset(_DatasetOp):
    def make_value(self, op, ctx, dataset, buffer_size, seed, seed2, count):
        return _Shuffle(dataset, _scalar_int(buffer_size), _scalar_int(seed), _scalar_int(seed2),
                        True, _scalar_int(count))


@register_op
class BatchDatasetV2(_DatasetOp):
    def make_value(self, op, ctx, dataset, batch_size, drop_remainder):
        return _Batch(dataset, _scalar_int(batch_size), bool(drop_remainder), op)


@register_op
class PaddedBatchDatasetV2(_DatasetOp):
    """Inputs: dataset, batch_size, N padded shapes, N padding values, drop_remainder."""

    def make_value(self, op, ctx, dataset, batch_size, *rest):
        count = (len(rest) - 1) // 2
        shapes, values = rest[:count], rest[count:2 * count]
        padded = [(np.asarray(s).reshape(-1), np.asarray(v).reshape(()))
                  for s, v in zip(shapes, values)]
        return _Batch(dataset, _scalar_int(batch_size), bool(rest[-1]), op, padded)


@register_op
class UnbatchDataset(_DatasetOp):
    def make_value(self, op, ctx, dataset):
        return _Unbatch(dataset)


@register_op
class CacheDataset(_DatasetOp):
    def make_value(self, op, ctx, dataset, filename):
        return _Cache(dataset)


@register_op
class PrefetchDataset(_DatasetOp):
    def make_value(self, op, ctx, dataset, buffer_size):
        return _Prefetch(dataset, _scalar_int(buffer_size))


@register_op
class ShardDataset(_DatasetOp):
    """Inputs: dataset, num_shards, index (TF's checks of both)."""

    def make_value(self, op, ctx, dataset, num_shards, index):
        shards, index = _scalar_int(num_shards), _scalar_int(index)
        if shards <= 0:
            raise errors.InvalidArgumentError(
                None, op, f"Number of shards must be greater than zero (currently num_shards "
                          f"= {shards}).")
        if not 0 <= index < shards:
            raise errors.InvalidArgumentError(
                None, op, f"Index must be between 0 and {shards - 1} (currently index = "
                          f"{index}).")
        return _Shard(dataset, shards, index)


@register_op
class WindowDataset(_DatasetOp):
    """Inputs: dataset, size, shift, stride, drop_remainder; elements are datasets."""

    def make_value(self, op, ctx, dataset, size, shift, stride, drop_remainder):
        size, shift, stride = _scalar_int(size), _scalar_int(shift), _scalar_int(stride)
        for name, value in (("size", size), ("shift", shift), ("stride", stride)):
            if value <= 0:
                raise errors.InvalidArgumentError(
                    None, op, f"Window {name} must be greater than zero, but got {value}.")
        return _Window(dataset, size, shift, stride, bool(drop_remainder))


def _traced(op, attr):
    """The TracedFunction of a function attr (rebuilt in an imported graph from the body
    description tfcompat writes; TF's own GraphDefs keep bodies in a function library)."""
    function = traced_function(op, attr)
    if function is None:
        raise errors.UnimplementedError(
            None, op, f"{op.type} '{op.name}' needs the body of function "
                      f"{op.attrs[attr]!r}: tfcompat reads tf.data function bodies only from "
                      f"GraphDefs it wrote itself, not from TF's function library yet")
    return function


class _FunctionDatasetOp(_DatasetOp):
    """A dataset op running attr ``f`` per element; inputs: the dataset, then the tensors
    ``f`` captured, then ``extra`` scalar arguments."""

    extra = 0
    value_class = _Map
    function_attr = "f"

    def kernel(self, op, ctx):
        compiled, extra = _lazy_plan(_traced(op, self.function_attr), ctx), self.extra
        value_class = self.value_class

        def build(dataset, *rest):
            run = _FunctionRunner(compiled(), rest[:len(rest) - extra])
            return value_class(dataset, run, *[_scalar_int(v) for v in rest[len(rest) - extra:]])
        return build


@register_op
class MapDataset(_FunctionDatasetOp):
    pass


@register_op
class FilterDataset(_FunctionDatasetOp):
    value_class = _Filter
    function_attr = "predicate"


@register_op
class FlatMapDataset(_FunctionDatasetOp):
    value_class = _FlatMap


@register_op
class InterleaveDataset(_FunctionDatasetOp):
    extra = 2
    value_class = _Interleave


@register_op
class MapAndBatchDataset(_FunctionDatasetOp):
    """map then batch (tf.data.experimental.map_and_batch); extra inputs: batch_size,
    num_parallel_calls, drop_remainder."""

    extra = 3

    def kernel(self, op, ctx):
        compiled = _lazy_plan(_traced(op, "f"), ctx)

        def build(dataset, *rest):
            captured, (batch_size, _, drop_remainder) = rest[:-3], rest[-3:]
            mapped = _Map(dataset, _FunctionRunner(compiled(), captured))
            return _Batch(mapped, _scalar_int(batch_size), bool(drop_remainder), op)
        return build


@register_op
class ReduceDataset(OpDef):
    """``Dataset.reduce``: attr ``f`` folds every element into the state (inputs: the
    dataset, Nstate initial state components, the tensors ``f`` captured); outputs: the
    final state."""

    differentiable = False
    stateful = True

    def infer(self, op):
        return list(zip(op.attrs["output_shapes"], op.attrs["output_types"]))

    def kernel(self, op, ctx):
        compiled, count = _lazy_plan(_traced(op, "f"), ctx), len(op.attrs["Tstate"])

        def reduce(dataset, *rest):
            run = _FunctionRunner(compiled(), rest[count:])
            state = tuple(np.asarray(v) for v in rest[:count])
            for element in dataset.elements(ctx):
                state = run(state + tuple(element))
            return state[0] if count == 1 else state
        return reduce


@register_op
class GeneratorDataset(_DatasetOp):
    """Elements of a Python generator (attr ``generator``: the callable, ``args``: its
    arguments as arrays)."""

    def make_value(self, op, ctx, *args):
        if not callable(op.attrs["generator"]):  # an imported graph has the name only
            raise errors.UnimplementedError(
                None, op, f"GeneratorDataset '{op.name}' needs its Python generator, which a "
                          "GraphDef does not hold")
        return _Generator(op.attrs["generator"], [_python_value(a) for a in args],
                          op.attrs["output_types"], op.attrs["output_shapes"], op)


def _python_value(array):
    return array.item() if isinstance(array, np.ndarray) and array.ndim == 0 else array


# ---- file readers ----------------------------------------------------------------------------
def _file_names(filenames):
    return [_text(name) for name in np.asarray(filenames, dtype=object).reshape(-1)]


def _text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def text_lines(content):
    """The lines of ``content`` without their "\n" or "\r\n" (TF's ReadLine); a final
    newline does not start an empty line."""
    lines = content.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    if b"\r" not in content:
        return lines
    return [line[:-1] if line.endswith(b"\r") else line for line in lines]


class _FileRecords(DatasetValue):
    """Scalar string elements: the ``records`` of each file in turn."""

    def __init__(self, filenames, compression, op):
        from tfcompat.lib.io import record_io
        self.io, self.filenames, self.op = record_io, filenames, op
        self.compression = record_io.check_compression(compression)

    def elements(self, ctx):
        for name in self.filenames:
            for record in self.records(name):
                yield (np.array(record, dtype=object),)

    def value_chunks(self, ctx):
        for name in self.filenames:
            records = list(self.records(name))
            chunk = np.empty(len(records), dtype=object)
            chunk[:] = records
            yield chunk

    def file_content(self, name):
        return self.io.decompress(self.io.read_file(name, self.op), self.compression, name,
                                  self.op)


class _TFRecords(_FileRecords):
    def records(self, name):
        return self.io.iter_records(name, self.compression, self.op)


class _TextLines(_FileRecords):
    def records(self, name):
        return text_lines(self.file_content(name))


class _FixedLengthRecords(_FileRecords):
    def __init__(self, filenames, compression, op, sizes):
        super().__init__(filenames, compression, op)
        self.sizes = sizes

    def records(self, name):
        return fixed_length_records(self.file_content(name), *self.sizes)


@register_op
class TFRecordDataset(_DatasetOp):
    """The records of TFRecord files (inputs: filenames, compression_type, buffer_size)."""

    def make_value(self, op, ctx, filenames, compression, buffer_size):
        return _TFRecords(_file_names(filenames), _text(compression.item()), op)


@register_op
class TextLineDataset(_DatasetOp):
    """The lines of text files (inputs: filenames, compression_type, buffer_size)."""

    def make_value(self, op, ctx, filenames, compression, buffer_size):
        return _TextLines(_file_names(filenames), _text(compression.item()), op)


def fixed_length_records(content, header_bytes, record_bytes, footer_bytes):
    """The ``record_bytes``-long records between a header and a footer (a shorter
    remainder is dropped)."""
    body = content[header_bytes:len(content) - footer_bytes]
    return [body[i:i + record_bytes]
            for i in range(0, len(body) - record_bytes + 1, record_bytes)]


@register_op
class FixedLengthRecordDatasetV2(_DatasetOp):
    """Fixed-length records of files (inputs: filenames, header_bytes, record_bytes,
    footer_bytes, buffer_size, compression_type)."""

    def make_value(self, op, ctx, filenames, header, record, footer, buffer_size, compression):
        sizes = _scalar_int(header), _scalar_int(record), _scalar_int(footer)
        if sizes[1] <= 0:
            raise errors.InvalidArgumentError(None, op, "record_bytes must be greater than 0")
        return _FixedLengthRecords(_file_names(filenames), _text(compression.item()), op,
                                   sizes)


# ---- iterators -----------------------------------------------------------------------------
class IteratorResource:
    """A session's iterator: the pass over a dataset it was last initialised with, and
    the next element when ``peek`` took it early (or the error getting it raised)."""

    def __init__(self, name, types, shapes):
        self.name, self.types, self.shapes = name, list(types), list(shapes)
        self._elements = None
        self._lookahead = None
        self._lock = threading.Lock()

    @property
    def initialized(self):
        return self._elements is not None

    def initialize(self, dataset, ctx):
        with self._lock:
            self._close_pass()
            self._elements = dataset.elements(ctx)
            self._lookahead = None

    def _close_pass(self):
        """Ends the current pass now (a prefetching pass stops its thread)."""
        close = getattr(self._elements, "close", None)
        if close is not None:
            try:
                close()
            except ValueError:  # the pass is running in a get_next of another thread
                pass

    def release(self):
        """The session closes: end the current pass."""
        with self._lock:
            self._close_pass()

    def _pull(self):
        try:
            return next(self._elements)
        except StopIteration:
            return _END
        except Exception as exc:  # noqa: BLE001 - raised again by get_next
            self._elements = iter(())  # TF: an iterator that raised is at its end
            return exc

    def peek_shapes(self):
        """The shapes of the next element's components ("end" at the end), taking it from
        the pipeline now; None before initialisation or when getting it failed."""
        with self._lock:
            if self._elements is None:
                return None
            if self._lookahead is None:
                self._lookahead = self._pull()
            element = self._lookahead
        if element is _END:
            return "end"
        if isinstance(element, Exception):
            return None
        return tuple(component.shape for component in element)

    def get_next(self, op):
        with self._lock:
            if self._elements is None:
                raise errors.FailedPreconditionError(
                    None, op, "GetNext() failed because the iterator has not been initialized. "
                    "Ensure that you have run the initializer operation for this iterator "
                    "before getting the next element.")
            element = self._lookahead if self._lookahead is not None else self._pull()
            self._lookahead = None
        if element is _END:
            self._lookahead = _END
            raise errors.OutOfRangeError(None, op, "End of sequence")
        if isinstance(element, Exception):
            raise element
        return element


def _iterator_attrs(types, shapes, shared_name=""):
    return {"shared_name": shared_name, "container": "",
            "output_types": [dtypes.as_dtype(t) for t in types],
            "output_shapes": [tensor_shape.as_shape(s) for s in shapes]}


class _ResourceOp(OpDef):
    differentiable = False
    stateful = True

    def infer(self, op):
        return [(_SCALAR, dtypes.resource)]


@register_op
class IteratorV2(_ResourceOp):
    """The handle of a session's iterator (``Iterator.from_structure``)."""

    def kernel(self, op, ctx):
        name = op.attrs.get("shared_name") or op.name
        types, shapes = op.attrs["output_types"], op.attrs["output_shapes"]
        return lambda: ctx.resource(name, lambda: IteratorResource(name, types, shapes))


@register_op
class OneShotIterator(_ResourceOp):
    """An iterator initialised on first use from attr ``dataset_factory`` (the traced
    function building its dataset)."""

    def kernel(self, op, ctx):
        name = op.attrs.get("shared_name") or op.name
        types, shapes = op.attrs["output_types"], op.attrs["output_shapes"]
        factory = _traced(op, "dataset_factory")
        lock = threading.Lock()

        def handle():
            iterator = ctx.resource(name, lambda: IteratorResource(name, types, shapes))
            with lock:
                if not iterator.initialized:
                    dataset = _FunctionRunner(_FunctionPlan(factory, ctx), ())(())[0]
                    iterator.initialize(dataset, ctx)
            return iterator
        return handle


@register_op
class MakeIterator(OpDef):
    """Starts a new pass of ``dataset`` in ``iterator`` (the iterator's initializer)."""

    differentiable = False
    stateful = True
    mutates_state = True

    def infer(self, op):
        return []

    def kernel(self, op, ctx):
        # (TF's MakeIterator has no attrs: a TF-written one takes its dataset op's types)
        types = op.attrs.get("output_types") or op.inputs[0].op.attrs["output_types"]

        def make(dataset, iterator):
            _check_types(op, iterator, [t.base_dtype for t in types], "initialize")
            iterator.initialize(dataset, ctx)
        return make


def _check_types(op, iterator, types, action):
    if list(iterator.types) != list(types):
        raise errors.InvalidArgumentError(
            None, op, f"Cannot {action} the iterator '{iterator.name}' of types "
            f"{[t.name for t in iterator.types]} with {[t.name for t in types]}.")


@register_op
class IteratorGetNext(OpDef):
    """The next element of an iterator; OutOfRangeError "End of sequence" at its end."""

    differentiable = False
    stateful = True

    def infer(self, op):
        return list(zip(op.attrs["output_shapes"], op.attrs["output_types"]))

    def run_key(self, op, ctx, feeds):
        """The shapes of the element the run will get (peeked), so plans specialise per
        element shape (a last, smaller batch gets its own plan). A handle that cannot be
        resolved before the run gives a key no other run shares (no specialisation)."""
        source = op.inputs[0].op
        handle = source.inputs[0] if source.type == "IteratorFromStringHandleV2" else None
        if handle is not None and handle not in feeds and \
                handle.op.type == "IteratorToStringHandle":
            source = handle.op.inputs[0].op  # from_string_handle(iterator.string_handle())
        if source.type in ("IteratorV2", "OneShotIterator"):
            name = source.attrs.get("shared_name") or source.name
            return lambda feed_values: _peek(ctx, name)
        if handle in feeds:
            index = feeds.index(handle)
            return lambda feed_values: _peek(ctx, _handle_name(feed_values[index]))
        return lambda feed_values: object()

    def kernel(self, op, ctx):
        single = len(op.attrs["output_types"]) == 1
        if single:
            return lambda iterator: iterator.get_next(op)[0]
        return lambda iterator: iterator.get_next(op)


def _peek(ctx, name):
    iterator = ctx.resources.get(name)
    if not isinstance(iterator, IteratorResource):
        return None
    return iterator.peek_shapes()


def _handle_name(handle):
    name = handle.item() if isinstance(handle, np.ndarray) else handle
    return name.decode() if isinstance(name, bytes) else str(name)


@register_op
class IteratorToStringHandle(OpDef):
    """A string naming the iterator within its session (``Iterator.string_handle``)."""

    differentiable = False
    stateful = True

    def infer(self, op):
        return [(_SCALAR, dtypes.string)]

    def kernel(self, op, ctx):
        return lambda iterator: np.array(iterator.name.encode(), dtype=object)


@register_op
class IteratorFromStringHandleV2(_ResourceOp):
    """The iterator a string handle names, checked against attr output_types."""

    def kernel(self, op, ctx):
        types = [t.base_dtype for t in op.attrs["output_types"]]

        def lookup(handle):
            name = _handle_name(handle)
            iterator = ctx.resources.get(name)
            if not isinstance(iterator, IteratorResource):
                raise errors.InvalidArgumentError(
                    None, op, f"Could not find an iterator for the string handle {name!r} "
                    "in this session.")
            _check_types(op, iterator, types, "use")
            return iterator
        return lookup


# ---- builders used by tfcompat.data ----------------------------------------------------------
def dataset_op(op_type, inputs, types, shapes, name=None, **attrs):
    """The variant output of a new dataset op."""
    attrs.update(output_types=[dtypes.as_dtype(t) for t in types],
                 output_shapes=[tensor_shape.as_shape(s) for s in shapes])
    return make_tensor(op_type, list(inputs), attrs, name=name or op_type)


def reduce_dataset(dataset, initial_state, function, state_specs, name=None):
    """The final-state tensors of a ReduceDataset op."""
    op = make_op("ReduceDataset", [dataset, *initial_state, *function.captured],
                 {"f": function, "Tstate": [s.dtype for s in state_specs],
                  "Targuments": [t.dtype.base_dtype for t in function.captured],
                  "output_types": [s.dtype for s in state_specs],
                  "output_shapes": [s.shape for s in state_specs],
                  "use_inter_op_parallelism": True}, name=name or "ReduceDataset")
    return op.outputs


def iterator_op(op_type, inputs, types, shapes, name, **attrs):
    attrs.update(_iterator_attrs(types, shapes, attrs.pop("shared_name", "")))
    return make_tensor(op_type, list(inputs), attrs, name=name)


def make_iterator(dataset, iterator, types, name=None):
    return make_op("MakeIterator", [dataset, iterator],
                   {"output_types": [dtypes.as_dtype(t) for t in types]},
                   name=name or "MakeIterator")


def iterator_get_next(iterator, types, shapes, name=None):
    op = make_op("IteratorGetNext", [iterator],
                 {"output_types": [dtypes.as_dtype(t) for t in types],
                  "output_shapes": [tensor_shape.as_shape(s) for s in shapes]},
                 name=name or "IteratorGetNext")
    return op.outputs


__all__ = []
