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
import threading

import numpy as np

from tfcompat.framework import dtypes, errors, ops, tensor_shape
from tfcompat.framework.op_def import OpDef, format_shape, make_op, make_tensor, register_op

_SCALAR = tensor_shape.TensorShape([])


# ---- traced functions ----------------------------------------------------------------------
class TracedFunction(str):
    """A Python function traced once into ops of the current graph; its value (a ``str``)
    is the function's name, what a NodeDef's ``func`` attr records (the body is not
    serialised). ``args``: the argument placeholders, ``outputs``: flat output tensors,
    ``captured``: outside tensors the body reads (fed to it on every call)."""

    def __new__(cls, name, args, outputs, captured, output_structure):
        function = super().__new__(cls, name)
        function.args, function.outputs = list(args), list(outputs)
        function.captured, function.output_structure = list(captured), output_structure
        return function


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
                          args, outputs, captured, structure)


class _FunctionRunner:
    """Runs a TracedFunction per element: one compiled plan on the session's state."""

    def __init__(self, function, ctx, captured_values):
        from tfcompat.runtime.executor import CompiledPlan
        self._state = ctx.function_state()
        self._plan = CompiledPlan(function.outputs, function.args + function.captured,
                                  self._state)
        self._captured = list(captured_values)

    def __call__(self, element):
        values = self._plan(self._state, [*element, *self._captured])
        return tuple(v if isinstance(v, DatasetValue) else np.asarray(v) for v in values)


# ---- dataset values ------------------------------------------------------------------------
class DatasetValue:
    """The run-time value of a dataset op: ``elements(ctx)`` starts a new pass."""

    def elements(self, ctx):
        raise NotImplementedError


class _Slices(DatasetValue):
    def __init__(self, components):
        self.components = components

    def elements(self, ctx):
        components = self.components
        for index in range(len(components[0]) if components else 0):
            yield tuple(c[index, ...] for c in components)


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


class _Repeat(DatasetValue):
    def __init__(self, dataset, count):
        self.dataset, self.count = dataset, int(count)

    def elements(self, ctx):
        done = 0
        while self.count < 0 or done < self.count:
            empty = True
            for element in self.dataset.elements(ctx):
                empty = False
                yield element
            done += 1
            if empty:  # an empty input repeated forever is still empty (TF)
                return


class _Take(DatasetValue):
    def __init__(self, dataset, count):
        self.dataset, self.count = dataset, int(count)

    def elements(self, ctx):
        if self.count == 0:
            return
        for index, element in enumerate(self.dataset.elements(ctx)):
            yield element
            if index + 1 == self.count:
                return


class _Skip(DatasetValue):
    def __init__(self, dataset, count):
        self.dataset, self.count = dataset, int(count)

    def elements(self, ctx):
        iterator = self.dataset.elements(ctx)
        if self.count < 0:
            return
        for _ in range(self.count):
            if next(iterator, None) is None:
                return
        yield from iterator


class _Shuffle(DatasetValue):
    """TF's shuffle buffer: fill ``buffer_size`` elements, emit a random one, refill its
    place. Every pass of one value draws a new order (``reshuffle``) from a generator
    seeded by (seed, seed2) (both 0: fresh entropy)."""

    def __init__(self, dataset, buffer_size, seed, seed2, reshuffle, count=1):
        self.dataset, self.buffer_size = dataset, int(buffer_size)
        self.reshuffle, self.count = reshuffle, int(count)
        seeds = None if seed == 0 and seed2 == 0 else [int(seed), int(seed2)]
        self._seeds = np.random.SeedSequence(seeds)
        self._passes = 0
        self._lock = threading.Lock()

    def _generator(self):
        with self._lock:
            index = self._passes if self.reshuffle else 0
            self._passes += 1
        return np.random.default_rng(self._seeds.spawn(index + 1)[index]
                                     if index else self._seeds)

    def elements(self, ctx):
        done = 0
        while self.count < 0 or done < self.count:
            empty = True
            for element in self._one_pass(self._generator(), ctx):
                empty = False
                yield element
            done += 1
            if empty:
                return

    def _one_pass(self, rng, ctx):
        buffer = []
        size = self.buffer_size
        for element in self.dataset.elements(ctx):
            if len(buffer) < size:
                buffer.append(element)
                continue
            index = int(rng.integers(size))
            yield buffer[index]
            buffer[index] = element
        while buffer:
            index = int(rng.integers(len(buffer)))
            buffer[index], buffer[-1] = buffer[-1], buffer[index]
            yield buffer.pop()


def _stack(rows):
    """One batch component from equal-shaped element components."""
    first = rows[0]
    if first.dtype == object:
        out = np.empty((len(rows),) + first.shape, dtype=object)
        for index, row in enumerate(rows):
            out[index] = row
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
        rows = []
        for element in self.dataset.elements(ctx):
            rows.append(element)
            if len(rows) == self.batch_size:
                yield self._batch(rows)
                rows = []
        if rows and not self.drop_remainder:
            yield self._batch(rows)

    def _batch(self, rows):
        columns = list(zip(*rows))
        if self.padded is not None:
            return tuple(_pad_stack(column, shape, value, self.op)
                         for column, (shape, value) in zip(columns, self.padded))
        out = []
        for index, column in enumerate(columns):
            for row, value in enumerate(column):
                if value.shape != column[0].shape:
                    raise errors.InvalidArgumentError(
                        None, self.op, f"Cannot batch tensors with different shapes in "
                        f"component {index}. First element had shape "
                        f"{format_shape(_shape(column[0]))} and element {row} had shape "
                        f"{format_shape(_shape(value))}.")
            out.append(_stack(column))
        return tuple(out)


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
    def __init__(self, dataset, function, ctx, captured):
        self.dataset, self.run = dataset, _FunctionRunner(function, ctx, captured)

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

    def __init__(self, dataset, function, ctx, captured, cycle_length, block_length):
        super().__init__(dataset, function, ctx, captured)
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


class _Prefetch(DatasetValue):
    """``prefetch``: elements are produced on demand (the pipeline runs in the step that
    asks for them), so the result is the input's."""

    def __init__(self, dataset):
        self.dataset = dataset

    def elements(self, ctx):
        return self.dataset.elements(ctx)


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
        return _Prefetch(dataset)


class _FunctionDatasetOp(_DatasetOp):
    """A dataset op running attr ``f`` per element; inputs: the dataset, then the tensors
    ``f`` captured, then ``extra`` scalar arguments."""

    extra = 0
    value_class = _Map
    function_attr = "f"

    def kernel(self, op, ctx):
        function, extra = op.attrs[self.function_attr], self.extra
        value_class = self.value_class

        def build(dataset, *rest):
            captured = rest[:len(rest) - extra]
            return value_class(dataset, function, ctx, captured,
                               *[_scalar_int(v) for v in rest[len(rest) - extra:]])
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
        function = op.attrs["f"]

        def build(dataset, *rest):
            captured, (batch_size, _, drop_remainder) = rest[:-3], rest[-3:]
            mapped = _Map(dataset, function, ctx, captured)
            return _Batch(mapped, _scalar_int(batch_size), bool(drop_remainder), op)
        return build


@register_op
class GeneratorDataset(_DatasetOp):
    """Elements of a Python generator (attr ``generator``: the callable, ``args``: its
    arguments as arrays)."""

    def make_value(self, op, ctx, *args):
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
    """A session's iterator: the pass over a dataset it was last initialised with."""

    def __init__(self, name, types, shapes):
        self.name, self.types, self.shapes = name, list(types), list(shapes)
        self._elements = None
        self._lock = threading.Lock()

    @property
    def initialized(self):
        return self._elements is not None

    def initialize(self, dataset, ctx):
        with self._lock:
            self._elements = dataset.elements(ctx)

    def get_next(self, op):
        with self._lock:
            if self._elements is None:
                raise errors.FailedPreconditionError(
                    None, op, "GetNext() failed because the iterator has not been initialized. "
                    "Ensure that you have run the initializer operation for this iterator "
                    "before getting the next element.")
            try:
                return next(self._elements)
            except StopIteration:
                raise errors.OutOfRangeError(None, op, "End of sequence") from None
            except Exception:
                self._elements = iter(())  # TF: an iterator that raised is at its end
                raise


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
        factory = op.attrs["dataset_factory"]
        lock = threading.Lock()

        def handle():
            iterator = ctx.resource(name, lambda: IteratorResource(name, types, shapes))
            with lock:
                if not iterator.initialized:
                    iterator.initialize(_FunctionRunner(factory, ctx, ())(())[0], ctx)
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
        def make(dataset, iterator):
            _check_types(op, iterator, [t.base_dtype for t in op.attrs["output_types"]],
                         "initialize")
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
    dynamic_output_shape = True

    def infer(self, op):
        return list(zip(op.attrs["output_shapes"], op.attrs["output_types"]))

    def kernel(self, op, ctx):
        single = len(op.attrs["output_types"]) == 1
        if single:
            return lambda iterator: iterator.get_next(op)[0]
        return lambda iterator: iterator.get_next(op)


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
            name = handle.item() if isinstance(handle, np.ndarray) else handle
            name = name.decode() if isinstance(name, bytes) else str(name)
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
