"""Lookup tables (``tf.lookup``, ``tf.contrib.lookup``, ``tf.tables_initializer``): maps
from keys to values that live in the session, as TF 1.x's HashTableV2 resources.

A table op yields the session's table object; ``InitializeTableV2`` (or the text-file
initializer) fills it once and is kept in the TABLE_INITIALIZERS collection; running it
again with the same data is allowed, with other data it fails as in TF ("Table was already
initialized with different data."). A lookup before initialisation is a
FailedPreconditionError. Vocabulary tables with out-of-vocabulary buckets hash unknown keys
with TF's Fingerprint64 (the same ids as ``tf.string_to_hash_bucket_fast``).
"""
import threading

import numpy as np

from tfcompat.framework import dtypes, errors, ops, tensor_shape
from tfcompat.framework.op_def import OpDef, make_op, make_tensor, register_op
from tfcompat.lib.io import file_io
from tfcompat.ops import array_ops, control_flow_ops, math_ops, string_ops

__all__ = ["tables_initializer", "initialize_all_tables"]

_SCALAR = tensor_shape.TensorShape([])


def _as_key(value, dtype):
    if dtype == dtypes.string:
        return value if isinstance(value, bytes) else str(value).encode()
    return value.item() if hasattr(value, "item") else value


class TableResource:
    """One session's table: a dict filled once (HashTable) or updated (MutableHashTable)."""

    def __init__(self, name, key_dtype, value_dtype, mutable):
        self.name, self.key_dtype, self.value_dtype = name, key_dtype, value_dtype
        self.mutable = mutable
        self.entries = {} if mutable else None
        self.lock = threading.Lock()

    def _check_ready(self, op):
        if self.entries is None:
            raise errors.FailedPreconditionError(None, op, "Table not initialized.")

    def initialize(self, op, keys, values):
        entries = {_as_key(k, self.key_dtype): v for k, v in zip(keys.reshape(-1),
                                                                  values.reshape(-1))}
        with self.lock:
            if self.entries is not None:
                if self.entries != entries:
                    raise errors.FailedPreconditionError(
                        None, op, "Table was already initialized with different data.")
                return
            self.entries = entries

    def find(self, op, keys, default):
        with self.lock:
            self._check_ready(op)
            entries = self.entries
            flat = [entries.get(_as_key(k, self.key_dtype), default) for k in keys.reshape(-1)]
        dtype = object if self.value_dtype == dtypes.string else \
            self.value_dtype.as_numpy_dtype
        found = np.empty(len(flat), dtype=dtype)
        found[:] = flat
        return found.reshape(keys.shape)

    def insert(self, op, keys, values):
        with self.lock:
            for key, value in zip(keys.reshape(-1), values.reshape(-1)):
                self.entries[_as_key(key, self.key_dtype)] = value

    def remove(self, op, keys):
        with self.lock:
            for key in keys.reshape(-1):
                self.entries.pop(_as_key(key, self.key_dtype), None)

    def size(self, op):
        with self.lock:
            self._check_ready(op)
            return np.int64(len(self.entries))

    def export(self, op):
        with self.lock:
            self._check_ready(op)
            keys, values = list(self.entries), list(self.entries.values())
        key_type = object if self.key_dtype == dtypes.string else self.key_dtype.as_numpy_dtype
        value_type = object if self.value_dtype == dtypes.string else \
            self.value_dtype.as_numpy_dtype
        return np.array(keys, dtype=key_type), np.array(values, dtype=value_type)


class _TableOp(OpDef):
    """The handle of a table of the session (attrs key_dtype, value_dtype, shared_name)."""

    differentiable = False
    stateful = True
    mutable = False

    def infer(self, op):
        return [(_SCALAR, dtypes.resource)]

    def kernel(self, op, ctx):
        attrs = op.attrs
        shared = attrs.get("shared_name") or (op.name if attrs.get("use_node_name_sharing")
                                              else None)
        name = f"table:{attrs.get('container', '')}/{shared or f'_{op._id}_{op.name}'}"
        mutable = self.mutable

        def make():
            return TableResource(name, attrs["key_dtype"], attrs["value_dtype"], mutable)
        return lambda: ctx.resource(name, make)


@register_op
class HashTableV2(_TableOp):
    """An immutable table, filled once by an initializer op (``tf.lookup.StaticHashTable``)."""


@register_op
class MutableHashTableV2(_TableOp):
    """A table updated by LookupTableInsertV2/RemoveV2 (``tf.contrib.lookup
    .MutableHashTable``)."""

    mutable = True


class _TableUpdate(OpDef):
    differentiable = False
    stateful = True
    mutates_state = True
    side_effects = True

    def infer(self, op):
        return []


@register_op
class InitializeTableV2(_TableUpdate):
    """Fills a table from key and value tensors of one shape."""

    def kernel(self, op, ctx):
        def initialize(table, keys, values):
            if keys.shape != values.shape:
                raise errors.InvalidArgumentError(
                    None, op, "Expected shape " + str(list(keys.shape)) + " for value, got "
                    + str(list(values.shape)))
            table.initialize(op, keys, values)
        return initialize


@register_op
class InitializeTableFromTextFileV2(_TableUpdate):
    """Fills a table from a text file: keys and values from columns (-1: the whole line,
    -2: the line number), TF's TextFileInitializer."""

    def kernel(self, op, ctx):
        attrs = op.attrs
        key_index, value_index = attrs["key_index"], attrs["value_index"]
        delimiter = attrs.get("delimiter", "\t")
        vocab_size = attrs.get("vocab_size", -1)

        def column(line, number, index, dtype, filename):
            if index == -2:
                return number
            if index == -1:
                text = line
            else:
                parts = line.split(delimiter)
                if index >= len(parts):
                    raise errors.InvalidArgumentError(
                        None, op, f"Invalid number of columns in {filename} line {number} "
                                  f"({line}) for the line extraction: {index}")
                text = parts[index]
            if dtype == dtypes.string:
                return text.encode()
            try:
                return dtype.as_numpy_dtype(text)
            except ValueError:
                raise errors.InvalidArgumentError(
                    None, op, f"Field {text} in line {number} is not a valid "
                              f"{dtype.name}.") from None

        def initialize(table, filename):
            filename = filename.item().decode() if isinstance(filename.item(), bytes) else \
                str(filename.item())
            try:
                lines = file_io.read_file_to_string(filename).splitlines()
            except errors.OpError as error:
                raise type(error)(None, op, error.message) from None
            if vocab_size != -1:
                if len(lines) < vocab_size:
                    raise errors.InvalidArgumentError(
                        None, op, f"Invalid vocab_size in {filename}: expected {vocab_size} "
                                  f"but got {len(lines)}")
                lines = lines[:vocab_size]
            keys = np.array([column(line, n, key_index, table.key_dtype, filename)
                             for n, line in enumerate(lines)], dtype=object)
            values = np.array([column(line, n, value_index, table.value_dtype, filename)
                               for n, line in enumerate(lines)], dtype=object)
            table.initialize(op, keys, values)
        return initialize


@register_op
class LookupTableInsertV2(_TableUpdate):
    """Inserts or replaces entries of a mutable table."""

    def kernel(self, op, ctx):
        return lambda table, keys, values: table.insert(op, keys, values)


@register_op
class LookupTableRemoveV2(_TableUpdate):
    """Removes keys from a mutable table."""

    def kernel(self, op, ctx):
        return lambda table, keys: table.remove(op, keys)


@register_op
class LookupTableFindV2(OpDef):
    """The values of ``keys`` (``default_value`` where missing), shaped like the keys."""

    differentiable = False
    stateful = True

    def infer(self, op):
        keys = op.inputs[1]
        return [(keys.shape, op.attrs["Tout"])]

    def kernel(self, op, ctx):
        return lambda table, keys, default: table.find(op, keys, default.item()
                                                       if default.ndim == 0 else default)


@register_op
class LookupTableSizeV2(OpDef):
    """The number of entries of a table (int64)."""

    differentiable = False
    stateful = True

    def infer(self, op):
        return [(_SCALAR, dtypes.int64)]

    def kernel(self, op, ctx):
        return lambda table: table.size(op)


@register_op
class LookupTableExportV2(OpDef):
    """All keys and values of a table."""

    differentiable = False
    stateful = True

    def infer(self, op):
        return [(tensor_shape.TensorShape([None]), op.attrs["Tkeys"]),
                (tensor_shape.TensorShape([None]), op.attrs["Tvalues"])]

    def kernel(self, op, ctx):
        return lambda table: table.export(op)


# ---- Python API ----------------------------------------------------------------------------
def tables_initializer(name="init_all_tables"):
    """``tf.tables_initializer``: one op running every table initializer of the graph."""
    initializers = ops.get_collection(ops.GraphKeys.TABLE_INITIALIZERS)
    if initializers:
        return control_flow_ops.group(*initializers, name=name)
    return control_flow_ops.no_op(name=name)


initialize_all_tables = tables_initializer


def _check_dtype(what, expected, tensor):
    if tensor.dtype.base_dtype != expected:
        raise TypeError(f"Dtype of argument `{what}` must be {expected!r}, received: "
                        f"{tensor.dtype.base_dtype!r}")


class KeyValueTensorInitializer:
    """``tf.lookup.KeyValueTensorInitializer(keys, values, key_dtype=None,
    value_dtype=None)``: fills a table with these pairs."""

    def __init__(self, keys, values, key_dtype=None, value_dtype=None, name=None):
        with ops.name_scope(name, "key_value_init", [keys, values]) as scope:
            self._keys = ops.convert_to_tensor(keys, dtype=key_dtype, name="keys")
            self._values = ops.convert_to_tensor(values, dtype=value_dtype, name="values")
        self._scope = scope  # the init op takes the scope's own name, as in TF 1.x
        self.key_dtype = self._keys.dtype.base_dtype
        self.value_dtype = self._values.dtype.base_dtype

    def initialize(self, table):
        _check_dtype("keys", table.key_dtype, self._keys)
        _check_dtype("values", table.value_dtype, self._values)
        with ops.name_scope(self._scope) as scope:
            return make_op("InitializeTableV2", [table.resource_handle, self._keys,
                                                 self._values],
                           {"Tkey": self.key_dtype, "Tval": self.value_dtype}, name=scope)


class TextFileIndex:
    """``tf.lookup.TextFileIndex``: the special columns of a text-file initializer."""

    WHOLE_LINE = -1
    LINE_NUMBER = -2


class TextFileInitializer:
    """``tf.lookup.TextFileInitializer(filename, key_dtype, key_index, value_dtype,
    value_index, vocab_size=None, delimiter='\\t')``."""

    def __init__(self, filename, key_dtype, key_index, value_dtype, value_index,
                 vocab_size=None, delimiter="\t", name=None):
        if key_index == TextFileIndex.LINE_NUMBER and key_dtype != dtypes.int64:
            raise ValueError(f"Signature mismatch. Keys must be dtype {dtypes.int64}, got "
                             f"{key_dtype}.")
        if value_index == TextFileIndex.WHOLE_LINE and value_dtype != dtypes.string:
            raise ValueError(f"Signature mismatch. Values must be dtype {dtypes.string}, got "
                             f"{value_dtype}.")
        if vocab_size is not None and vocab_size <= 0:
            raise ValueError(f"Invalid vocab_size {vocab_size}.")
        self._filename = filename
        self.key_dtype, self.value_dtype = dtypes.as_dtype(key_dtype), dtypes.as_dtype(
            value_dtype)
        self._key_index, self._value_index = key_index, value_index
        self._vocab_size, self._delimiter, self._name = vocab_size, delimiter, name

    def initialize(self, table):
        with ops.name_scope(self._name, "text_file_init") as scope:
            filename = ops.convert_to_tensor(self._filename, dtype=dtypes.string,
                                             name="asset_filepath")
            op = make_op("InitializeTableFromTextFileV2", [table.resource_handle, filename],
                         {"key_index": self._key_index, "value_index": self._value_index,
                          "vocab_size": -1 if self._vocab_size is None else self._vocab_size,
                          "delimiter": self._delimiter}, name=scope)
        ops.add_to_collection(ops.GraphKeys.ASSET_FILEPATHS, filename)
        return op


class TextFileIdTableInitializer(TextFileInitializer):
    """Keys from a column (default the whole line), ids from line numbers."""

    def __init__(self, filename, key_column_index=TextFileIndex.WHOLE_LINE,
                 value_column_index=TextFileIndex.LINE_NUMBER, vocab_size=None,
                 delimiter="\t", name="text_file_id_table_init", key_dtype=dtypes.string):
        super().__init__(filename, key_dtype, key_column_index, dtypes.int64,
                         value_column_index, vocab_size, delimiter, name)


class TextFileStringTableInitializer(TextFileInitializer):
    """Ids from line numbers, strings from a column (default the whole line)."""

    def __init__(self, filename, key_column_index=TextFileIndex.LINE_NUMBER,
                 value_column_index=TextFileIndex.WHOLE_LINE, vocab_size=None,
                 delimiter="\t", name="text_file_string_table_init"):
        super().__init__(filename, dtypes.int64, key_column_index, dtypes.string,
                         value_column_index, vocab_size, delimiter, name)


class _Table:
    """What every table offers: its handle, dtypes, size and lookup."""

    def __init__(self, op_type, key_dtype, value_dtype, name, shared_name=None):
        self.key_dtype = dtypes.as_dtype(key_dtype)
        self.value_dtype = dtypes.as_dtype(value_dtype)
        self.resource_handle = make_tensor(
            op_type, [], {"key_dtype": self.key_dtype, "value_dtype": self.value_dtype,
                          "shared_name": shared_name or "", "container": "",
                          "use_node_name_sharing": False}, name=name)
        self._name = self.resource_handle.op.name

    @property
    def name(self):
        return self._name

    def size(self, name=None):
        with ops.name_scope(name, f"{self._name}_Size"):
            return make_tensor("LookupTableSizeV2", [self.resource_handle])

    def _find(self, keys, default_value, name):
        keys = ops.convert_to_tensor(keys, name="keys")
        _check_dtype("keys", self.key_dtype, keys)
        with ops.name_scope(name, f"{self._name}_Lookup"):
            default = ops.convert_to_tensor(default_value, dtype=self.value_dtype,
                                            name="default_value")
            return make_tensor("LookupTableFindV2", [self.resource_handle, keys, default],
                               {"Tin": self.key_dtype, "Tout": self.value_dtype})


class StaticHashTable(_Table):
    """``tf.lookup.StaticHashTable(initializer, default_value)`` (``tf.contrib.lookup
    .HashTable``): immutable; its initializer joins TABLE_INITIALIZERS."""

    def __init__(self, initializer, default_value, name=None, shared_name=None):
        with ops.name_scope(name, "hash_table") as scope:
            super().__init__("HashTableV2", initializer.key_dtype, initializer.value_dtype,
                             scope, shared_name)
        self.default_value = ops.convert_to_tensor(default_value, dtype=self.value_dtype)
        self._init_op = initializer.initialize(self)
        ops.add_to_collection(ops.GraphKeys.TABLE_INITIALIZERS, self._init_op)

    @property
    def initializer(self):
        return self._init_op

    init = initializer

    def lookup(self, keys, name=None):
        """The values of ``keys``, the default where a key is missing."""
        return self._find(keys, self.default_value, name)

    def export(self, name=None):
        with ops.name_scope(name, f"{self._name}_Export"):
            op = make_op("LookupTableExportV2", [self.resource_handle],
                         {"Tkeys": self.key_dtype, "Tvalues": self.value_dtype})
            return op.outputs[0], op.outputs[1]


HashTable = StaticHashTable


class MutableHashTable(_Table):
    """``tf.contrib.lookup.MutableHashTable(key_dtype, value_dtype, default_value)``:
    empty at first, changed by ``insert`` and ``remove``."""

    def __init__(self, key_dtype, value_dtype, default_value, name="MutableHashTable",
                 checkpoint=True, shared_name=None):
        super().__init__("MutableHashTableV2", key_dtype, value_dtype, name, shared_name)
        self.default_value = ops.convert_to_tensor(default_value, dtype=self.value_dtype)

    def lookup(self, keys, name=None):
        return self._find(keys, self.default_value, name)

    def insert(self, keys, values, name=None):
        keys = ops.convert_to_tensor(keys, dtype=self.key_dtype, name="keys")
        values = ops.convert_to_tensor(values, dtype=self.value_dtype, name="values")
        with ops.name_scope(name, f"{self._name}_lookup_table_insert"):
            return make_op("LookupTableInsertV2", [self.resource_handle, keys, values],
                           {"Tin": self.key_dtype, "Tout": self.value_dtype})

    def remove(self, keys, name=None):
        keys = ops.convert_to_tensor(keys, dtype=self.key_dtype, name="keys")
        with ops.name_scope(name, f"{self._name}_lookup_table_remove"):
            return make_op("LookupTableRemoveV2", [self.resource_handle, keys],
                           {"Tin": self.key_dtype})

    def export(self, name=None):
        with ops.name_scope(name, f"{self._name}_lookup_table_export_values"):
            op = make_op("LookupTableExportV2", [self.resource_handle],
                         {"Tkeys": self.key_dtype, "Tvalues": self.value_dtype})
            return op.outputs[0], op.outputs[1]


class StaticVocabularyTable:
    """``tf.lookup.StaticVocabularyTable(initializer, num_oov_buckets)``: ids of known keys
    from the table, unknown keys hashed into ``num_oov_buckets`` ids after the vocabulary
    (TF's IdTableWithHashBuckets)."""

    def __init__(self, initializer, num_oov_buckets, lookup_key_dtype=None, name=None):
        if num_oov_buckets <= 0:
            raise ValueError("oov_buckets must be > 0.")
        with ops.name_scope(name, "vocabulary") as scope:
            self._table = StaticHashTable(initializer, -1) if initializer is not None \
                else None
            self._scope = scope
        self._buckets = num_oov_buckets
        self.key_dtype = lookup_key_dtype or (initializer.key_dtype if initializer
                                              else dtypes.string)
        self.value_dtype = dtypes.int64

    @property
    def resource_handle(self):
        return self._table.resource_handle

    def size(self, name=None):
        if self._table is None:
            return ops.convert_to_tensor(np.int64(self._buckets))
        return math_ops.add(self._table.size(), np.int64(self._buckets), name=name)

    def lookup(self, keys, name=None):
        with ops.name_scope(name, f"{self._scope.rstrip('/')}_Lookup"):
            keys = ops.convert_to_tensor(keys, name="keys")
            as_strings = keys if keys.dtype.base_dtype == dtypes.string else \
                string_ops.as_string(keys)
            buckets = math_ops.cast(string_ops.string_to_hash_bucket_fast(
                as_strings, self._buckets, name="hash_bucket"), dtypes.int64)
            if self._table is None:
                return buckets
            ids = self._table.lookup(keys)
            return math_ops.where(math_ops.equal(ids, -1), buckets + self._table.size(),
                                   ids)


def index_table_from_tensor(vocabulary_list, num_oov_buckets=0, default_value=-1,
                            hasher_spec=None, dtype=dtypes.string, name=None):
    """``tf.contrib.lookup.index_table_from_tensor``: vocabulary strings (or ints) to their
    int64 positions; unknown keys get ``default_value`` or an OOV bucket id."""
    if vocabulary_list is None:
        raise ValueError("vocabulary_list must be specified.")
    with ops.name_scope(name, "string_to_index"):
        keys = ops.convert_to_tensor(vocabulary_list, dtype=dtypes.as_dtype(dtype),
                                     name="vocabulary_list")
        values = math_ops.cast(math_ops._range(array_ops.size(keys)), dtypes.int64)
        initializer = KeyValueTensorInitializer(keys, values, name="table_init")
        if num_oov_buckets:
            return StaticVocabularyTable(initializer, num_oov_buckets)
        return StaticHashTable(initializer, default_value)


def index_to_string_table_from_tensor(vocabulary_list, default_value="UNK", name=None):
    """``tf.contrib.lookup.index_to_string_table_from_tensor``: int64 ids to the
    vocabulary's strings, ``default_value`` outside it."""
    with ops.name_scope(name, "index_to_string"):
        values = ops.convert_to_tensor(vocabulary_list, dtype=dtypes.string,
                                       name="vocabulary_list")
        keys = math_ops.cast(math_ops._range(array_ops.size(values)), dtypes.int64)
        initializer = KeyValueTensorInitializer(keys, values, name="table_init")
        return StaticHashTable(initializer, default_value)


def index_table_from_file(vocabulary_file=None, num_oov_buckets=0, vocab_size=None,
                          default_value=-1, hasher_spec=None, key_dtype=dtypes.string,
                          name=None, key_column_index=TextFileIndex.WHOLE_LINE,
                          value_column_index=TextFileIndex.LINE_NUMBER, delimiter="\t"):
    """``tf.contrib.lookup.index_table_from_file``: a vocabulary file's lines to their
    line numbers."""
    if not vocabulary_file:
        raise ValueError("vocabulary_file must be specified and must not be empty.")
    with ops.name_scope(name, "string_to_index"):
        initializer = TextFileInitializer(vocabulary_file, key_dtype, key_column_index,
                                          dtypes.int64, value_column_index, vocab_size,
                                          delimiter)
        if num_oov_buckets:
            return StaticVocabularyTable(initializer, num_oov_buckets)
        return StaticHashTable(initializer, default_value)


def index_to_string_table_from_file(vocabulary_file, vocab_size=None, default_value="UNK",
                                    name=None, key_column_index=TextFileIndex.LINE_NUMBER,
                                    value_column_index=TextFileIndex.WHOLE_LINE,
                                    delimiter="\t"):
    """``tf.contrib.lookup.index_to_string_table_from_file``: line numbers to lines."""
    with ops.name_scope(name, "index_to_string"):
        initializer = TextFileInitializer(vocabulary_file, dtypes.int64, key_column_index,
                                          dtypes.string, value_column_index, vocab_size,
                                          delimiter)
        return StaticHashTable(initializer, default_value)


def index_to_string(tensor, mapping, default_value="UNK", name=None):
    """``tf.contrib.lookup.index_to_string``: a one-shot index_to_string_table lookup."""
    table = index_to_string_table_from_tensor(mapping, default_value)
    return table.lookup(math_ops.cast(tensor, dtypes.int64), name=name)
