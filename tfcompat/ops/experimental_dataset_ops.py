"""The dataset ops behind ``tf.data.experimental`` (TF 1.15's experimental dataset kernels):
scan, take_while, unique, directed interleave (sample_from_datasets / choose_from_datasets),
RandomDataset, group_by_window, parallel_interleave and get_single_element. Values follow
``ops/dataset_ops.py``: each op's output is a DatasetValue starting passes on demand."""
import numpy as np

from tfcompat.framework import dtypes, errors, tensor_shape
from tfcompat.framework.op_def import OpDef, make_op, register_op
from tfcompat.ops.dataset_ops import (DatasetValue, ElementList, _DatasetOp,
                                      _FunctionDatasetOp, _FunctionRunner, _Interleave,
                                      _lazy_plan, _scalar_int, _traced)


class _Scan(DatasetValue):
    """``scan_func(state, element) -> (state, output)`` over the elements: the outputs."""

    def __init__(self, dataset, run, initial_state):
        self.dataset, self.run, self.initial_state = dataset, run, tuple(initial_state)

    def elements(self, ctx):
        state, count = self.initial_state, len(self.initial_state)
        for element in self.dataset.elements(ctx):
            result = self.run(state + tuple(element))
            state = result[:count]
            yield result[count:]


@register_op
class ScanDataset(_DatasetOp):
    """Inputs: dataset, Nstate initial state components, the tensors ``f`` captured."""

    def kernel(self, op, ctx):
        compiled, count = _lazy_plan(_traced(op, "f"), ctx), len(op.attrs["Tstate"])

        def build(dataset, *rest):
            run = _FunctionRunner(compiled(), rest[count:])
            return _Scan(dataset, run, [np.asarray(v) for v in rest[:count]])
        return build


class _TakeWhile(DatasetValue):
    def __init__(self, dataset, run):
        self.dataset, self.run = dataset, run

    def elements(self, ctx):
        for element in self.dataset.elements(ctx):
            if not self.run(element)[0]:
                return
            yield element


@register_op
class TakeWhileDataset(_FunctionDatasetOp):
    """The elements before the first for which ``predicate`` is False."""

    value_class = _TakeWhile
    function_attr = "predicate"


class _Unique(DatasetValue):
    def __init__(self, dataset):
        self.dataset = dataset

    def elements(self, ctx):
        seen = set()
        for element in self.dataset.elements(ctx):
            key = element[0].item()
            if key not in seen:
                seen.add(key)
                yield element


@register_op
class UniqueDataset(_DatasetOp):
    """Each distinct (scalar int or string) element once, in first-seen order."""

    def make_value(self, op, ctx, dataset):
        return _Unique(dataset)


class _DirectedInterleave(DatasetValue):
    """Elements taken from the input a selector element names; an exhausted input is
    skipped, the pass ends when the selector or every input ends."""

    def __init__(self, selector, inputs, op):
        self.selector, self.inputs, self.op = selector, inputs, op

    def elements(self, ctx):
        passes = [d.elements(ctx) for d in self.inputs]
        active = len(passes)
        for (choice,) in self.selector.elements(ctx):
            index = int(choice)
            if not 0 <= index < len(passes):
                raise errors.InvalidArgumentError(
                    None, self.op, f"Selector index out of range: {index} >= {len(passes)}")
            if passes[index] is None:
                continue
            element = next(passes[index], None)
            if element is None:
                passes[index], active = None, active - 1
                if not active:
                    return
                continue
            yield element


@register_op
class DirectedInterleaveDataset(_DatasetOp):
    """Inputs: the selector dataset (int64 scalars), then N data input datasets."""

    def make_value(self, op, ctx, selector, *inputs):
        return _DirectedInterleave(selector, inputs, op)


class _RandomNumbers(DatasetValue):
    """int64 pseudo-random numbers, forever; one (seed, seed2) gives one sequence (both 0:
    fresh entropy each pass)."""

    def __init__(self, seed, seed2):
        self.seeds = None if seed == 0 and seed2 == 0 else [seed, seed2]

    def elements(self, ctx):
        rng = np.random.default_rng(self.seeds)
        info = np.iinfo(np.int64)
        while True:
            for value in rng.integers(info.min, info.max, size=256, dtype=np.int64,
                                      endpoint=True):
                yield (np.array(value),)


@register_op
class RandomDataset(_DatasetOp):
    """Inputs: seed, seed2."""

    def make_value(self, op, ctx, seed, seed2):
        return _RandomNumbers(_scalar_int(seed), _scalar_int(seed2))


class _GroupByWindow(DatasetValue):
    """Elements grouped by ``key_func``; a group reaching its window size (or, at the end,
    each group left, in first-seen order) becomes ``reduce_func(key, window dataset)``,
    whose elements are the output."""

    def __init__(self, op, dataset, key_run, reduce_run, size_run):
        self.op, self.dataset, self.key_run = op, dataset, key_run
        self.reduce_run, self.size_run = reduce_run, size_run

    def elements(self, ctx):
        groups, sizes = {}, {}
        for element in self.dataset.elements(ctx):
            key = int(self.key_run(element)[0])
            if key not in sizes:
                sizes[key] = int(self.size_run((np.array(key, np.int64),))[0])
                if sizes[key] <= 0:
                    raise errors.InvalidArgumentError(
                        None, self.op, f"Window size must be greater than zero, but got "
                                    f"{sizes[key]}.")
            group = groups.setdefault(key, [])
            group.append(element)
            if len(group) == sizes[key]:
                yield from self._reduced(ctx, key, groups.pop(key))
        for key in list(groups):
            yield from self._reduced(ctx, key, groups.pop(key))

    def _reduced(self, ctx, key, group):
        window = ElementList(group)
        return self.reduce_run((np.array(key, np.int64), window))[0].elements(ctx)


@register_op
class GroupByWindowDataset(_DatasetOp):
    """Inputs: dataset, then the captured tensors of key_func, reduce_func and
    window_size_func (attrs Tkey_func_other_arguments ... give their counts)."""

    def kernel(self, op, ctx):
        functions = [(_lazy_plan(_traced(op, attr), ctx), len(op.attrs[count]))
                     for attr, count in (("key_func", "Tkey_func_other_arguments"),
                                         ("reduce_func", "Treduce_func_other_arguments"),
                                         ("window_size_func",
                                          "Twindow_size_func_other_arguments"))]

        def build(dataset, *captured):
            runs, start = [], 0
            for compiled, count in functions:
                runs.append(_FunctionRunner(compiled(), captured[start:start + count]))
                start += count
            return _GroupByWindow(op, dataset, *runs)
        return build


class _GroupByReducer(DatasetValue):
    """Per int64 key (first-seen order), the finalized fold of the key's elements."""

    def __init__(self, dataset, key_run, init_run, reduce_run, finalize_run):
        self.dataset, self.key_run, self.init_run = dataset, key_run, init_run
        self.reduce_run, self.finalize_run = reduce_run, finalize_run

    def elements(self, ctx):
        states = {}
        for element in self.dataset.elements(ctx):
            key = int(self.key_run(element)[0])
            if key not in states:
                states[key] = self.init_run((np.array(key, np.int64),))
            states[key] = self.reduce_run(tuple(states[key]) + tuple(element))
        for state in states.values():
            yield self.finalize_run(tuple(state))


@register_op
class GroupByReducerDataset(_DatasetOp):
    """Inputs: dataset, then the captured tensors of key_func, init_func, reduce_func and
    finalize_func (counts in their T*_other_arguments attrs)."""

    functions = ("key_func", "init_func", "reduce_func", "finalize_func")

    def kernel(self, op, ctx):
        plans = [(_lazy_plan(_traced(op, name), ctx), len(op.attrs[f"T{name}_other_arguments"]))
                 for name in self.functions]

        def build(dataset, *captured):
            runs, start = [], 0
            for compiled, count in plans:
                runs.append(_FunctionRunner(compiled(), captured[start:start + count]))
                start += count
            return _GroupByReducer(dataset, *runs)
        return build


class _DenseToSparseBatch(DatasetValue):
    """Batches of variable-shape elements as SparseTensors of dense shape [batch] +
    ``row_shape`` (every position of an element is an entry, zeros included)."""

    def __init__(self, dataset, batch_size, row_shape, op):
        self.dataset, self.batch_size, self.row_shape, self.op = dataset, batch_size, \
            row_shape, op

    def elements(self, ctx):
        rows = []
        for (element,) in self.dataset.elements(ctx):
            rows.append(self._checked(np.asarray(element)))
            if len(rows) == self.batch_size:
                yield self._sparse(rows)
                rows = []
        if rows:
            yield self._sparse(rows)

    def _checked(self, element):
        row_shape = self.row_shape
        if element.ndim != len(row_shape) or any(
                0 <= limit < size for size, limit in zip(element.shape, row_shape)):
            shape = ", ".join(str(d) for d in element.shape)
            limit = ", ".join(str(d) for d in row_shape)
            raise errors.DataLossError(
                None, self.op, f"Input element had shape ([{shape}]) that is larger than "
                               f"the row shape ([{limit}]).")
        return element

    def _sparse(self, rows):
        indices = [np.column_stack([np.full(row.size, b, np.int64),
                                    np.argwhere(np.ones(row.shape, bool))])
                   for b, row in enumerate(rows)]
        longest = np.max([row.shape for row in rows], axis=0) if self.row_shape else []
        shape = [len(rows)] + [limit if limit >= 0 else int(size)
                               for limit, size in zip(self.row_shape, longest)]
        return (np.concatenate(indices).astype(np.int64).reshape(-1, len(self.row_shape) + 1),
                np.concatenate([row.reshape(-1) for row in rows]),
                np.array(shape, np.int64))


@register_op
class DenseToSparseBatchDataset(_DatasetOp):
    """Inputs: dataset, batch_size, row_shape (int64; -1: the batch's largest size)."""

    def make_value(self, op, ctx, dataset, batch_size, row_shape):
        return _DenseToSparseBatch(dataset, _scalar_int(batch_size),
                                   [int(d) for d in np.asarray(row_shape).reshape(-1)], op)


class _SqlRows(DatasetValue):
    """The rows of a SQLite query, one scalar per column converted to ``types`` (NULL:
    0 or b"", as TF's sqlite reader reads it)."""

    def __init__(self, path, query, types, op):
        self.path, self.query, self.types, self.op = path, query, types, op

    def elements(self, ctx):
        import sqlite3
        try:
            connection = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        except sqlite3.Error as exc:
            raise errors.InvalidArgumentError(None, self.op, f"Sqlite error: {exc}") from None
        try:
            cursor = connection.execute(self.query)
            if cursor.description is not None and len(cursor.description) != len(self.types):
                raise errors.InvalidArgumentError(
                    None, self.op, f"The number of columns in query ({len(cursor.description)})"
                                   f" must match the number of elements in output_types "
                                   f"({len(self.types)}).")
            for row in cursor:
                yield tuple(_sql_value(value, dtype) for value, dtype in zip(row, self.types))
        except sqlite3.Error as exc:
            raise errors.InvalidArgumentError(None, self.op, f"Sqlite error: {exc}") from None
        finally:
            connection.close()


def _sql_value(value, dtype):
    if dtype == dtypes.string:
        text = b"" if value is None else value
        return np.array(text.encode() if isinstance(text, str) else bytes(text), dtype=object)
    return np.array(0 if value is None else value).astype(dtype.as_numpy_dtype)


@register_op
class SqlDataset(_DatasetOp):
    """Inputs: driver_name (only "sqlite"), data_source_name, query."""

    def make_value(self, op, ctx, driver_name, data_source_name, query):
        driver = _text(np.asarray(driver_name).item())
        if driver != "sqlite":
            raise errors.InvalidArgumentError(
                None, op, f"The database type, {driver}, is not supported by SqlDataset. The "
                          "set of supported databases is: {'sqlite'}.")
        return _SqlRows(_text(np.asarray(data_source_name).item()),
                        _text(np.asarray(query).item()), list(op.attrs["output_types"]), op)


class _ParallelInterleave(_Interleave):
    """parallel_interleave's order is interleave's (``sloppy`` allows any order; this
    one is the deterministic one); the buffering arguments are accepted."""

    def __init__(self, dataset, run, cycle_length, block_length, *buffering):
        super().__init__(dataset, run, cycle_length, block_length)


@register_op
class ParallelInterleaveDataset(_FunctionDatasetOp):
    """Extra inputs: cycle_length, block_length, sloppy, buffer_output_elements,
    prefetch_input_elements."""

    extra = 5
    value_class = _ParallelInterleave


@register_op
class DatasetToSingleElement(OpDef):
    """The one element of a dataset (InvalidArgumentError when it has none or more)."""

    differentiable = False
    stateful = True

    def infer(self, op):
        return list(zip(op.attrs["output_shapes"], op.attrs["output_types"]))

    def kernel(self, op, ctx):
        single = len(op.attrs["output_types"]) == 1

        def only_element(dataset):
            elements = dataset.elements(ctx)
            element = next(elements, None)
            if element is None:
                raise errors.InvalidArgumentError(None, op, "Dataset was empty.")
            if next(elements, None) is not None:
                raise errors.InvalidArgumentError(None, op,
                                                  "Dataset had more than one element.")
            return element[0] if single else tuple(element)
        return only_element


def dataset_to_single_element(dataset, types, shapes, name=None):
    op = make_op("DatasetToSingleElement", [dataset],
                 {"output_types": [dtypes.as_dtype(t) for t in types],
                  "output_shapes": list(shapes)}, name=name or "DatasetToSingleElement")
    return op.outputs


__all__ = []


class _IgnoreErrors(DatasetValue):
    """The input's elements without those whose computation raised an OpError: a map's
    failing elements are skipped one by one; any other input's error ends the pass."""

    def __init__(self, dataset):
        self.dataset = dataset

    def elements(self, ctx):
        from tfcompat.ops.dataset_ops import _Map
        source = self.dataset
        if type(source) is _Map:
            for element in source.dataset.elements(ctx):
                try:
                    yield source.run(element)
                except errors.OpError:
                    continue
            return
        try:
            yield from source.elements(ctx)
        except errors.OpError:
            return


@register_op
class IgnoreErrorsDataset(_DatasetOp):
    def make_value(self, op, ctx, dataset):
        return _IgnoreErrors(dataset)


@register_op
class DatasetToTFRecord(OpDef):
    """Writes every (scalar string) element of a dataset as a record of a TFRecord file
    (inputs: dataset, filename, compression_type)."""

    differentiable = False
    stateful = True
    side_effects = True

    def infer(self, op):
        return []

    def kernel(self, op, ctx):
        from tfcompat.lib.io import record_io

        def write(dataset, filename, compression):
            name, kind = (_text(np.asarray(v).item()) for v in (filename, compression))
            records = record_io.RecordFile(name, record_io.check_compression(kind))
            try:
                for (element,) in dataset.elements(ctx):
                    item = np.asarray(element).item()
                    records.write(item.encode() if isinstance(item, str) else item)
            finally:
                records.close()
        return write


def _text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


class _CsvRecords(DatasetValue):
    """The rows of CSV files as tuples of scalars: each file's records (RFC 4180: a quoted
    field may hold delimiters, quotes and line breaks) decoded by DecodeCSV's kernel."""

    def __init__(self, filenames, compression, header, quotes, decode, op):
        from tfcompat.lib.io import record_io
        self.io, self.filenames, self.header = record_io, filenames, header
        self.compression, self.quotes, self.decode, self.op = compression, quotes, decode, op

    def elements(self, ctx):
        from tfcompat.ops.dataset_ops import text_lines
        for name in self.filenames:
            content = self.io.decompress(self.io.read_file(name, self.op), self.compression,
                                         name, self.op)
            records = _quoted_records(content) if self.quotes and b'"' in content \
                else text_lines(content)
            records = records[1:] if self.header else records
            if not records:
                continue
            batch = np.empty(len(records), dtype=object)
            batch[:] = records
            columns = self.decode(batch)
            columns = columns if isinstance(columns, tuple) else (columns,)
            for row in range(len(records)):
                yield tuple(column[row, ...] for column in columns)


def _quoted_records(content):
    """Records of CSV text whose quoted fields may span lines (each record re-joined)."""
    records, current, open_quotes = [], [], False
    for line in content.split(b"\n"):
        current.append(line)
        open_quotes ^= line.count(b'"') % 2 == 1
        if not open_quotes:
            records.append(b"\n".join(current).rstrip(b"\r"))
            current = []
    if current and any(current):
        records.append(b"\n".join(current))
    if records and records[-1] == b"":
        records.pop()
    return records


@register_op
class CSVDataset(_DatasetOp):
    """Inputs: filenames, compression_type, buffer_size, header, field_delim,
    use_quote_delim, na_value, select_cols, then one default per column."""

    def kernel(self, op, ctx):
        from tfcompat.ops import parsing_ops

        def build(filenames, compression, buffer_size, header, delim, quotes, na_value,
                  select_cols, *defaults):
            from tfcompat.lib.io import record_io
            types = [dtypes.string if np.asarray(d).dtype == object else
                     dtypes.as_dtype(np.asarray(d).dtype) for d in defaults]
            select = [int(c) for c in np.asarray(select_cols).reshape(-1)] or None
            decode = parsing_ops.csv_decoder(op, types, _text(np.asarray(delim).item()),
                                             bool(quotes), _text(np.asarray(na_value).item()),
                                             select)
            names = [_text(n) for n in np.asarray(filenames, dtype=object).reshape(-1)]
            compression = record_io.check_compression(_text(np.asarray(compression).item()))
            return _CsvRecords(names, compression, bool(header), bool(quotes),
                               lambda records: decode(records, *defaults), op)
        return build


class OptionalValue:
    """The run-time value of an optional variant: the element's components, or None."""

    shape = ()  # a scalar variant, as a value flowing through a plan
    ndim = 0

    def __init__(self, components):
        self.components = None if components is None else tuple(components)


class _OptionalOp(OpDef):
    differentiable = False

    def infer(self, op):
        return [(tensor_shape.TensorShape([]), dtypes.variant)]


@register_op
class IteratorGetNextAsOptional(_OptionalOp):
    """The iterator's next element as an optional, empty at the end of the data."""

    stateful = True

    def kernel(self, op, ctx):
        def get_next(iterator):
            try:
                return OptionalValue(iterator.get_next(op))
            except errors.OutOfRangeError:
                return OptionalValue(None)
        return get_next


@register_op
class OptionalFromValue(_OptionalOp):
    def kernel(self, op, ctx):
        return lambda *components: OptionalValue(np.asarray(c) for c in components)


@register_op
class OptionalNone(_OptionalOp):
    def kernel(self, op, ctx):
        return lambda: OptionalValue(None)


@register_op
class OptionalHasValue(OpDef):
    differentiable = False

    def infer(self, op):
        return [(tensor_shape.TensorShape([]), dtypes.bool)]

    def kernel(self, op, ctx):
        return lambda optional: np.array(optional.components is not None)


@register_op
class OptionalGetValue(OpDef):
    """The components of an optional (InvalidArgumentError when it has none)."""

    differentiable = False
    dynamic_output_shape = True

    def infer(self, op):
        return list(zip(op.attrs["output_shapes"], op.attrs["output_types"]))

    def kernel(self, op, ctx):
        single = len(op.attrs["output_types"]) == 1

        def get_value(optional):
            if optional.components is None:
                raise errors.InvalidArgumentError(None, op,
                                                  "The given optional does not have a value.")
            return optional.components[0] if single else optional.components
        return get_value


def optional_op(op_type, inputs, attrs=None, name=None):
    return make_op(op_type, list(inputs), attrs or {}, name=name or op_type).outputs


#: tf.data.experimental.INFINITE_CARDINALITY / UNKNOWN_CARDINALITY
INFINITE, UNKNOWN = -1, -2


def cardinality_of(value):
    """The number of elements of a DatasetValue: INFINITE, UNKNOWN (a filter, a map — TF
    1.x's map does not preserve cardinality —, files, a generator...) or a count, as TF's
    static analysis of the same pipeline gives it."""
    from tfcompat.ops import dataset_ops as ds
    rule = _CARDINALITY_RULES.get(type(value))
    if rule is None:
        return UNKNOWN
    return rule(value, cardinality_of, ds)


def _repeat_cardinality(value, of, ds):
    inner = of(value.dataset)
    if inner in (INFINITE, UNKNOWN) or inner == 0:
        return inner
    return INFINITE if value.count < 0 else inner * value.count


def _take_cardinality(value, of, ds):
    inner = of(value.dataset)
    if value.count < 0:
        return inner
    return value.count if inner == INFINITE else (
        UNKNOWN if inner == UNKNOWN else min(inner, value.count))


def _skip_cardinality(value, of, ds):
    inner = of(value.dataset)
    if inner in (INFINITE, UNKNOWN):
        return inner
    return 0 if value.count < 0 else max(inner - value.count, 0)


def _batch_cardinality(value, of, ds):
    inner = of(value.dataset)
    if inner in (INFINITE, UNKNOWN):
        return inner
    whole, rest = divmod(inner, value.batch_size)
    return whole + (1 if rest and not value.drop_remainder else 0)


def _combined(reduce):
    def rule(value, of, ds):
        counts = [of(d) for d in (value.inputs if hasattr(value, "inputs") else value.parts)]
        if UNKNOWN in counts:
            return UNKNOWN
        return reduce(counts)
    return rule


def _zip_count(counts):
    finite = [c for c in counts if c != INFINITE]
    return min(finite) if finite else INFINITE


def _concatenate_count(counts):
    return INFINITE if INFINITE in counts else sum(counts)


def _same_as_input(value, of, ds):
    return of(value.dataset)


def _cardinality_rules():
    from tfcompat.ops import dataset_ops as ds
    return {
        ds._Slices: lambda v, of, _: len(v.components[0]) if v.components else 0,
        ds._Single: lambda v, of, _: 1,
        ds._Range: lambda v, of, _: len(range(*v.bounds)),
        ds._Repeat: _repeat_cardinality, ds._Take: _take_cardinality,
        ds._Skip: _skip_cardinality, ds._Batch: _batch_cardinality,
        ds._Zip: _combined(_zip_count), ds._Concatenate: _combined(_concatenate_count),
        ds._Prefetch: _same_as_input, ds._Cache: _same_as_input,
        ds._Unbatch: lambda v, of, _: UNKNOWN,
        ds._Shuffle: lambda v, of, _: _repeat_cardinality(v, of, _) if v.count != 1
        else of(v.dataset),
        ElementList: lambda v, of, _: len(v.items), _RandomNumbers: lambda v, of, _: INFINITE}


_CARDINALITY_RULES = _cardinality_rules()


@register_op
class DatasetCardinality(OpDef):
    """int64 scalar: the dataset's number of elements (-1 infinite, -2 unknown)."""

    differentiable = False

    def infer(self, op):
        return [(tensor_shape.TensorShape([]), dtypes.int64)]

    def kernel(self, op, ctx):
        return lambda dataset: np.array(cardinality_of(dataset), np.int64)


def dataset_cardinality(dataset, name=None):
    return make_op("DatasetCardinality", [dataset], {},
                   name=name or "DatasetCardinality").outputs[0]
