"""Decoding string tensors: ``tf.decode_csv`` (DecodeCSV) and ``tf.decode_raw``
(DecodeRaw), with TF 1.x's outputs and error messages."""
import collections
import csv
import re

import numpy as np

from tfcompat.framework import dtypes, errors, ops, tensor_shape
from tfcompat.framework.op_def import OpDef, make_op, make_tensor, register_op

_CSV_TYPES = (dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64, dtypes.string)
_TYPE_NAMES = {"float32": "float", "float64": "double"}


def _text(value):
    """A record as text; bytes that are not UTF-8 survive the round trip (surrogateescape)."""
    return value.decode("utf-8", "surrogateescape") if isinstance(value, bytes) else str(value)


@register_op
class DecodeCSV(OpDef):
    """One output per column, shaped like ``records``: inputs records, then one default
    per column (an empty default makes the column required)."""

    differentiable = False

    def infer(self, op):
        shape = op.inputs[0].shape
        return [(shape, t.dtype.base_dtype) for t in op.inputs[1:]]

    def kernel(self, op, ctx):
        attrs = op.attrs
        return csv_decoder(op, [t.dtype.base_dtype for t in op.inputs[1:]],
                           attrs.get("field_delim", ","), attrs.get("use_quote_delim", True),
                           attrs.get("na_value", ""), attrs.get("select_cols") or None)


def csv_decoder(op, types, delim, quotes, na_value, select):
    """DecodeCSV's reference kernel: ``decode(records, *defaults)`` -> one column per type
    (a single array for one column), shaped like ``records``; TF's errors name ``op``."""
    parsers = [_field_parser(op, dtype, col) for col, dtype in enumerate(types)]

    def decode(records, *defaults):
        flat = np.asarray(records, dtype=object).reshape(-1)
        columns = [np.empty(len(flat), dtype=t.as_numpy_dtype) for t in types]
        for row, record in enumerate(flat):
            fields = _split(_text(record), delim, quotes)
            if select is not None:
                fields = [fields[i] for i in select if i < len(fields)]
            if len(fields) != len(types):
                raise errors.InvalidArgumentError(
                    None, op, f"Expect {len(types)} fields but have {len(fields)} in record "
                              f"{row}")
            for col, field in enumerate(fields):
                if field == "" or field == na_value:
                    columns[col][row] = _default_of(op, defaults[col], col, row)
                else:
                    columns[col][row] = parsers[col](field, row)
        shape = np.shape(records)
        return tuple(c.reshape(shape) for c in columns) if len(columns) > 1 \
            else columns[0].reshape(shape)
    return decode


def _split(record, delim, quotes):
    if not quotes:
        return record.split(delim)
    return next(csv.reader([record], delimiter=delim, quotechar='"', doublequote=True,
                           strict=False)) if record else [""]


def _default_of(op, default, col, row):
    default = np.asarray(default).reshape(-1)
    if default.size == 0:
        raise errors.InvalidArgumentError(
            None, op, f"Field {col} is required but missing in record {row}!")
    return default[0]


def _field_parser(op, dtype, col):
    """``parse(field, row)`` of one column: bytes, a range-checked int or a float (TF's
    error naming the field otherwise)."""
    if dtype == dtypes.string:
        return lambda field, row: field.encode("utf-8", "surrogateescape")
    name = _TYPE_NAMES.get(dtype.name, dtype.name)
    numpy_type, integer = dtype.as_numpy_dtype, dtype.is_integer

    def parse(field, row):
        try:
            if integer:
                value = int(field)
                numpy_type(value)  # OverflowError out of range
                return value
            return float(field)
        except (ValueError, OverflowError):
            raise errors.InvalidArgumentError(
                None, op, f"Field {col} in record {row} is not a valid {name}: "
                          f"{field}") from None
    return parse


def decode_csv(records, record_defaults, field_delim=",", use_quote_delim=True, name=None,
               na_value="", select_cols=None):
    """``tf.decode_csv``: the columns of CSV ``records`` (RFC 4180 quoting unless
    ``use_quote_delim=False``), typed like ``record_defaults``."""
    records = ops.convert_to_tensor(records, dtype=dtypes.string, name="records")
    defaults = []
    for index, default in enumerate(record_defaults):
        tensor = ops.convert_to_tensor(default, name=f"record_defaults_{index}")
        if tensor.dtype.base_dtype not in _CSV_TYPES:
            raise TypeError(f"Value passed to parameter 'record_defaults' has DataType "
                            f"{tensor.dtype.base_dtype.name} not in list of allowed values: "
                            "float32, float64, int32, int64, string")
        if tensor.shape.ndims is not None and tensor.shape.ndims > 1:
            raise ValueError(f"Shape must be at most rank 1 but is rank {tensor.shape.ndims} "
                             f"for record_defaults_{index}")
        defaults.append(tensor)
    if select_cols is not None and len(select_cols) != len(defaults):
        raise ValueError("Length of select_cols and record_defaults do not match.")
    op = make_op("DecodeCSV", [records, *defaults],
                 {"field_delim": field_delim, "use_quote_delim": bool(use_quote_delim),
                  "na_value": na_value, "select_cols": list(select_cols or []),
                  "OUT_TYPE": [t.dtype.base_dtype for t in defaults]},
                 name=name or "DecodeCSV")
    return op.outputs


@register_op
class DecodeRaw(OpDef):
    """The bytes of each string reinterpreted as ``out_type`` numbers (a new last axis)."""

    differentiable = False

    def infer(self, op):
        return [(op.inputs[0].shape.concatenate([None]), op.attrs["out_type"])]

    def kernel(self, op, ctx):
        np_dtype = np.dtype(op.attrs["out_type"].as_numpy_dtype)
        if not op.attrs.get("little_endian", True):
            np_dtype = np_dtype.newbyteorder(">")

        def decode(data):
            flat = [bytes(v) if not isinstance(v, str) else v.encode()
                    for v in np.asarray(data, dtype=object).reshape(-1)]
            size = len(flat[0]) if flat else 0
            for index, item in enumerate(flat):
                if len(item) != size:
                    raise errors.InvalidArgumentError(
                        None, op, f"DecodeRaw requires input strings to all be the same size, "
                                  f"but element {index} has size {size} != {len(item)}")
            if size % np_dtype.itemsize:
                raise errors.InvalidArgumentError(
                    None, op, f"Input to DecodeRaw has length {size} that is not a multiple "
                              f"of {np_dtype.itemsize}, the size of "
                              f"{op.attrs['out_type'].name}")
            out = np.frombuffer(b"".join(flat), dtype=np_dtype).astype(np_dtype.newbyteorder("="))
            return out.reshape(np.shape(data) + (size // np_dtype.itemsize,))
        return decode


def decode_raw(input_bytes=None, out_type=None, little_endian=True, name=None, bytes=None):
    """``tf.decode_raw(bytes, out_type, little_endian=True)``."""
    data = ops.convert_to_tensor(input_bytes if input_bytes is not None else bytes,
                                 dtype=dtypes.string)
    return make_tensor("DecodeRaw", [data], {"out_type": dtypes.as_dtype(out_type),
                                             "little_endian": bool(little_endian)},
                       name=name or "DecodeRaw")



class FixedLenFeature(collections.namedtuple("FixedLenFeature",
                                             ["shape", "dtype", "default_value"])):
    """``tf.FixedLenFeature(shape, dtype, default_value=None)``: a feature of fixed shape
    (required when it has no default)."""

    def __new__(cls, shape, dtype, default_value=None):
        return super().__new__(cls, shape, dtype, default_value)


class FixedLenSequenceFeature(collections.namedtuple(
        "FixedLenSequenceFeature", ["shape", "dtype", "allow_missing", "default_value"])):
    """``tf.FixedLenSequenceFeature(shape, dtype, allow_missing=False, default_value=None)``:
    any number of ``shape`` blocks, padded with ``default_value`` (0 or "") in a batch."""

    def __new__(cls, shape, dtype, allow_missing=False, default_value=None):
        return super().__new__(cls, shape, dtype, allow_missing, default_value)


class VarLenFeature(collections.namedtuple("VarLenFeature", ["dtype"])):
    """``tf.VarLenFeature(dtype)``: a variable-length feature, parsed to a SparseTensor."""


class SparseFeature(collections.namedtuple(
        "SparseFeature", ["index_key", "value_key", "dtype", "size", "already_sorted"])):
    """``tf.SparseFeature(index_key, value_key, dtype, size, already_sorted=False)``: a
    SparseTensor of dense shape [batch] + size from an index feature and a value feature."""

    def __new__(cls, index_key, value_key, dtype, size, already_sorted=False):
        return super().__new__(cls, index_key, value_key, dtype, size, already_sorted)


_LIST_KIND = {dtypes.float32: "float_list", dtypes.int64: "int64_list",
              dtypes.string: "bytes_list"}
_KIND_NAME = {"float_list": "float", "int64_list": "int64", "bytes_list": "string"}


def _shape_text(shape):
    return "[" + ",".join("?" if d is None else str(d) for d in shape) + "]"


def _feature_values(op, feature, key, dtype, dense):
    """The values of ``feature`` (None when absent) as an array of ``dtype``; a list of
    another kind is TF's dense or sparse "Data types don't match" error."""
    found = feature.WhichOneof("kind") if feature is not None else None
    if found is None:
        return None
    if found != _LIST_KIND[dtype]:
        wanted = _TYPE_NAMES.get(dtype.name, dtype.name)
        detail = (f"Data type: {_KIND_NAME[found]} but expected type: {wanted}" if dense else
                  f"Expected type: {wanted}, Actual type: {_KIND_NAME[found]}")
        raise errors.InvalidArgumentError(
            None, op, f"Name: <unknown>, Key: {key}, Index: 0.  Data types don't match. "
                      f"{detail}")
    values = getattr(feature, found).value
    if dtype == dtypes.string:
        array = np.empty(len(values), dtype=object)
        array[:] = values
        return array
    return np.asarray(values, dtype=dtype.as_numpy_dtype)


def _dense_value(op, feature, key, dtype, shape, default):
    """One record's dense feature: ``shape`` (a leading None: any number of blocks)."""
    name = _TYPE_NAMES.get(dtype.name, dtype.name)
    values = _feature_values(op, feature, key, dtype, dense=True)
    variable = bool(shape) and shape[0] is None
    if values is None:
        if variable:
            return np.empty((0,) + shape[1:], dtype=dtype.as_numpy_dtype)
        default = np.asarray(default)
        if default.size == 0:
            raise errors.InvalidArgumentError(
                None, op, f"Name: <unknown>, Feature: {key} (data type: {name}) is required "
                          "but could not be found.")
        return np.broadcast_to(default.reshape(shape) if default.size == int(np.prod(shape))
                               else default, shape)
    if variable:
        stride = int(np.prod(shape[1:]))
        if stride == 0 or len(values) % stride:
            raise errors.InvalidArgumentError(
                None, op, f"Name: <unknown>, Key: {key}, Index: 0.  Number of {name} values is "
                          f"not a multiple of stride length. Saw {len(values)} values but "
                          f"output shape is: {_shape_text(shape)}")
        return values.reshape((-1,) + shape[1:])
    if len(values) != int(np.prod(shape)):
        raise errors.InvalidArgumentError(
            None, op, f"Name: <unknown>, Key: {key}, Index: 0.  Number of {name} values != "
                      f"expected.  Values size: {len(values)} but output shape: "
                      f"{_shape_text(shape)}")
    return values.reshape(shape)


def _padded_stack(blocks, dtype, padding=None):
    """Stacks arrays that may differ in their first dimension, padding with the scalar
    ``padding`` (None: 0 or b"")."""
    longest = max((len(b) for b in blocks), default=0)
    tail = blocks[0].shape[1:] if blocks else ()
    if padding is None:
        padding = b"" if dtype == dtypes.string else 0
    out = np.full((len(blocks), longest) + tail, np.asarray(padding).reshape(()).item(),
                  dtype=dtype.as_numpy_dtype)
    for index, block in enumerate(blocks):
        out[index, :len(block)] = block
    return out


def _dense_output(op, features_list, key, dtype, shape, default, batched):
    """A dense feature of every record: stacked (padded when variable), or the one value."""
    values = [_dense_value(op, features.get(key), key, dtype, shape, default)
              for features in features_list]
    if not batched:
        return np.array(values[0], dtype=dtype.as_numpy_dtype)
    if shape and shape[0] is None:
        return _padded_stack(values, dtype, default)
    out = np.empty((len(values),) + shape, dtype=dtype.as_numpy_dtype)
    for index, value in enumerate(values):
        out[index, ...] = value
    return out


def _sparse_output(entries, dtype, outer_shape):
    """(indices, values, dense_shape) of value lists placed at ``(prefix, values)`` entries:
    index rows are prefix + (position,), the dense shape ``outer_shape`` + [longest]."""
    rows, pieces, longest = [], [], 0
    for prefix, values in entries:
        if values is None or not len(values):
            continue
        longest = max(longest, len(values))
        rows.append(np.column_stack([np.tile(np.asarray(prefix, np.int64), (len(values), 1)),
                                     np.arange(len(values), dtype=np.int64)]))
        pieces.append(values)
    rank = len(outer_shape) + 1
    indices = np.concatenate(rows) if rows else np.zeros((0, rank), np.int64)
    values = np.concatenate(pieces) if pieces else np.zeros(
        0, dtype=object if dtype == dtypes.string else dtype.as_numpy_dtype)
    return indices, values, np.array(list(outer_shape) + [longest], dtype=np.int64)


def _parsed_records(op, serialized, message):
    """The decoded protos of a string tensor's elements (InvalidArgumentError as TF's)."""
    from tfcompat.lib import example_proto
    cls = getattr(example_proto, message)
    records = []
    for record in np.asarray(serialized, dtype=object).reshape(-1):
        data = record.encode() if isinstance(record, str) else bytes(record)
        try:
            records.append(cls.FromString(data))
        except example_proto.DecodeError:
            what = "example" if message == "Example" else "SequenceExample"
            raise errors.InvalidArgumentError(
                None, op, f"Could not parse {what} input, value: "
                          f"'{data.decode('latin-1')}'") from None
    return records


class _FeatureParser:
    """The outputs of sparse and dense features over a list of feature maps (records)."""

    def __init__(self, op, batched):
        self.op, self.batched = op, batched

    def sparse(self, features_list, keys, types):
        outer = [len(features_list)] if self.batched else []
        outputs = [_sparse_output(
            [((b,) if self.batched else (), _feature_values(
                self.op, features.get(key), key, dtype, dense=False))
             for b, features in enumerate(features_list)], dtype, outer)
            for key, dtype in zip(keys, types)]
        return [list(part) for part in zip(*outputs)] if outputs else [[], [], []]

    def dense(self, features_list, keys, types, shapes, defaults):
        return [_dense_output(self.op, features_list, key, dtype, shape, default, self.batched)
                for key, dtype, shape, default in zip(keys, types, shapes, defaults)]


def _shapes_of(attr):
    return [tuple(s.as_list()) for s in attr]


@register_op
class ParseExample(OpDef):
    """Sparse and dense features of serialized tf.train.Example protos (TF 1.x ParseExample;
    inputs: serialized [batch], names, Nsparse sparse_keys, Ndense dense_keys, Ndense
    dense_defaults; outputs: Nsparse indices, values, shapes, then Ndense dense values)."""

    differentiable = False

    def infer(self, op):
        serialized = op.inputs[0].shape
        batch = serialized.as_list()[:1] if serialized.ndims == 1 else [None]
        return _example_outputs(op.attrs["sparse_types"], op.attrs["Tdense"],
                                op.attrs["dense_shapes"], batch, sparse_rank=2)

    def kernel(self, op, ctx):
        sparse_count, dense_count = op.attrs["Nsparse"], op.attrs["Ndense"]
        sparse_types, dense_types = op.attrs["sparse_types"], op.attrs["Tdense"]
        shapes = _shapes_of(op.attrs["dense_shapes"])
        parser = _FeatureParser(op, batched=True)

        def parse(serialized, names, *rest):
            keys = [_text(np.asarray(k).item()) for k in rest[:sparse_count + dense_count]]
            features = [r.features.feature for r in _parsed_records(op, serialized, "Example")]
            indices, values, dense_shapes = parser.sparse(features, keys[:sparse_count],
                                                          sparse_types)
            dense = parser.dense(features, keys[sparse_count:], dense_types, shapes,
                                 rest[sparse_count + dense_count:])
            return _single_or_tuple(indices + values + dense_shapes + dense)
        return parse


def _single_or_tuple(outputs):
    return outputs[0] if len(outputs) == 1 else tuple(outputs)


def _example_outputs(sparse_types, dense_types, dense_shapes, batch, sparse_rank):
    sparse = [(tensor_shape.TensorShape([None, sparse_rank]), dtypes.int64)] * len(sparse_types)
    sparse += [(tensor_shape.TensorShape([None]), t) for t in sparse_types]
    sparse += [(tensor_shape.TensorShape([sparse_rank]), dtypes.int64)] * len(sparse_types)
    return sparse + [(tensor_shape.TensorShape(batch).concatenate(s), t)
                     for s, t in zip(dense_shapes, dense_types)]


@register_op
class ParseSingleExample(OpDef):
    """ParseExample of one serialized Example, keys as attrs (inputs: serialized, then the
    dense defaults): sparse indices [N, 1], outputs without the batch dimension."""

    differentiable = False

    def infer(self, op):
        return _example_outputs(op.attrs["sparse_types"], op.attrs["Tdense"],
                                op.attrs["dense_shapes"], [], sparse_rank=1)

    def kernel(self, op, ctx):
        return single_example_parser(op, batched=False)


def single_example_parser(op, batched):
    """ParseSingleExample's kernel; ``batched``: its form for a vector of serialized
    Examples whose outputs gain a leading axis (ParseExample's dense outputs; with sparse
    features the batch's indices are ParseExample's, not one example's)."""
    attrs = op.attrs
    shapes = _shapes_of(attrs["dense_shapes"])
    parser = _FeatureParser(op, batched=batched)

    def parse(serialized, *defaults):
        features = [r.features.feature for r in _parsed_records(op, serialized, "Example")]
        indices, values, dense_shapes = parser.sparse(features, attrs["sparse_keys"],
                                                      attrs["sparse_types"])
        dense = parser.dense(features, attrs["dense_keys"], attrs["Tdense"], shapes, defaults)
        return _single_or_tuple(indices + values + dense_shapes + dense)
    return parse


def _sequence_dense(op, feature_list, key, dtype, shape, missing_empty):
    """[steps] + shape of one record's dense feature list (each step exactly ``shape``)."""
    if feature_list is None:
        if key not in missing_empty:
            raise errors.InvalidArgumentError(
                None, op, f"Name: <unknown>, Feature list '{key}' is required but could not "
                          "be found.  Did you mean to include it in "
                          "feature_list_dense_missing_assumed_empty or "
                          "feature_list_dense_defaults?")
        return np.empty((0,) + shape, dtype=dtype.as_numpy_dtype)
    steps = [_dense_value(op, feature, key, dtype, shape, ()) for feature in
             feature_list.feature]
    out = np.empty((len(steps),) + shape, dtype=dtype.as_numpy_dtype)
    for index, step in enumerate(steps):
        out[index, ...] = step
    return out


@register_op
class ParseSingleSequenceExample(OpDef):
    """Context and feature-list features of one serialized SequenceExample (TF 1.x op:
    inputs serialized, feature_list_dense_missing_assumed_empty, the key lists, context dense
    defaults, debug_name; outputs context sparse x3, context dense, feature-list sparse x3
    (indices [N, 2]: step, position), feature-list dense ([steps] + shape))."""

    differentiable = False
    batched = False

    def infer(self, op):
        attrs = op.attrs
        batch = [] if not self.batched else (op.inputs[0].shape.as_list()[:1]
                                             if op.inputs[0].shape.ndims == 1 else [None])
        context = _example_outputs(attrs["context_sparse_types"], attrs["Tcontext_dense"],
                                   attrs["context_dense_shapes"], batch, len(batch) + 1)
        lists = _example_outputs(attrs["feature_list_sparse_types"],
                                 attrs["feature_list_dense_types"],
                                 attrs["feature_list_dense_shapes"], batch + [None],
                                 len(batch) + 2)
        lengths = [(tensor_shape.TensorShape(batch), dtypes.int64)] * len(
            attrs["feature_list_dense_keys"]) if self.batched else []
        return context + lists + lengths

    def kernel(self, op, ctx):
        attrs, batched = op.attrs, self.batched
        context_shapes = _shapes_of(attrs["context_dense_shapes"])
        list_shapes = _shapes_of(attrs["feature_list_dense_shapes"])
        parser = _FeatureParser(op, batched)
        missing_empty = set(attrs["feature_list_dense_missing_assumed_empty"])

        def parse(serialized, *defaults):
            records = _parsed_records(op, serialized, "SequenceExample")
            contexts = [r.context.feature for r in records]
            lists = [r.feature_lists.feature_list for r in records]
            outputs = _concat_lists(
                parser.sparse(contexts, attrs["context_sparse_keys"],
                              attrs["context_sparse_types"]))
            outputs += parser.dense(contexts, attrs["context_dense_keys"],
                                    attrs["Tcontext_dense"], context_shapes, defaults)
            outputs += _concat_lists(_sequence_sparse(
                op, lists, attrs["feature_list_sparse_keys"],
                attrs["feature_list_sparse_types"], batched))
            dense = [[_sequence_dense(op, fl.get(key), key, dtype, shape, missing_empty)
                      for fl in lists] for key, dtype, shape in zip(
                attrs["feature_list_dense_keys"], attrs["feature_list_dense_types"],
                list_shapes)]
            if not batched:
                return _single_or_tuple(outputs + [blocks[0] for blocks in dense])
            outputs += [_padded_stack(blocks, dtype) for blocks, dtype in
                        zip(dense, attrs["feature_list_dense_types"])]
            outputs += [np.array([len(b) for b in blocks], np.int64) for blocks in dense]
            return _single_or_tuple(outputs)
        return parse


def _concat_lists(parts):
    return [item for part in parts for item in part]


def _sequence_sparse(op, lists, keys, types, batched):
    outputs = []
    for key, dtype in zip(keys, types):
        entries, longest = [], 0
        for b, feature_lists in enumerate(lists):
            steps = feature_lists[key].feature if key in feature_lists else []
            longest = max(longest, len(steps))
            entries += [((b, t) if batched else (t,), _feature_values(
                op, step, key, dtype, dense=False)) for t, step in enumerate(steps)]
        outer = [len(lists), longest] if batched else [longest]
        outputs.append(_sparse_output(entries, dtype, outer))
    return [list(part) for part in zip(*outputs)] if outputs else [[], [], []]


@register_op
class ParseSequenceExample(ParseSingleSequenceExample):
    """ParseSingleSequenceExample of a batch: a leading batch dimension, feature lists
    padded to the longest (0 or ""), and one int64 [batch] length per dense feature list."""

    op_type = "ParseSequenceExample"
    batched = True


class _RawParams:
    """TF's ``_features_to_raw_params``: features sorted by key into sparse and dense
    lists; SparseFeatures add their index and value keys to the sparse list."""

    def __init__(self, features, allowed, scope_name):
        self.sparse_keys, self.sparse_types = [], []
        self.dense_keys, self.dense_types, self.dense_shapes = [], [], []
        self.dense_defaults, self.sparse_features, self.missing_empty = [], {}, []
        for key in sorted(features or {}):
            feature = features[key]
            if not isinstance(feature, allowed):
                raise ValueError(f"Unsupported {type(feature).__name__} {feature}.")
            dtype = dtypes.as_dtype(feature.dtype)
            if dtype not in _LIST_KIND:
                raise ValueError(f"Unsupported dtype {dtype.name} for feature {key}")
            if isinstance(feature, SparseFeature):
                self._add_sparse_feature(key, feature, dtype)
            elif isinstance(feature, VarLenFeature):
                self._add_sparse(key, dtype)
            else:
                self._add_dense(key, feature, dtype, scope_name)

    def _add_sparse(self, key, dtype):
        if key not in self.sparse_keys:
            self.sparse_keys.append(key)
            self.sparse_types.append(dtype)

    def _add_sparse_feature(self, key, feature, dtype):
        index_keys = [feature.index_key] if isinstance(feature.index_key, str) else \
            list(feature.index_key)
        for index_key in index_keys:
            self._add_sparse(index_key, dtypes.int64)
        self._add_sparse(feature.value_key, dtype)
        self.sparse_features[key] = (index_keys, feature)

    def _add_dense(self, key, feature, dtype, scope_name):
        shape = tensor_shape.as_shape(feature.shape)
        if not shape.is_fully_defined():
            raise ValueError(f"All dimensions of shape for feature {key} need to be known but "
                             f"received {shape}.")
        sequence = isinstance(feature, FixedLenSequenceFeature)
        if sequence and scope_name != "sequence" and not feature.allow_missing:
            raise ValueError("Unsupported: FixedLenSequenceFeature requires allow_missing to "
                             "be True.")
        if sequence and feature.allow_missing:
            self.missing_empty.append(key)
        self.dense_keys.append(key)
        self.dense_types.append(dtype)
        safe_key = re.sub(r"[^A-Za-z0-9_.\-/]", "_", key)
        if sequence and scope_name != "sequence":
            shape = tensor_shape.TensorShape([None]).concatenate(shape)
            default = ("" if dtype == dtypes.string else 0) if feature.default_value is None \
                else feature.default_value
            self.dense_defaults.append(_default_tensor(default, dtype, f"padding_{safe_key}",
                                                       scalar=True))
        elif not sequence:
            default = [] if feature.default_value is None else feature.default_value
            self.dense_defaults.append(_default_tensor(default, dtype, f"key_{safe_key}"))
        self.dense_shapes.append(shape)

    def sparse_tensors(self, indices, values, shapes):
        from tfcompat.ops.sparse_tensor import SparseTensor
        return {key: SparseTensor(i, v, s) for key, i, v, s in
                zip(self.sparse_keys, indices, values, shapes)}

    def result(self, features, sparse, dense, batched):
        """The dict of the requested keys: SparseFeatures merged from their parts."""
        parsed = dict(sparse, **dict(zip(self.dense_keys, dense)))
        for key, (index_keys, feature) in self.sparse_features.items():
            parsed[key] = _merge_sparse_feature(
                [parsed[k] for k in index_keys], parsed[feature.value_key], feature, batched)
        return {key: parsed[key] for key in features}


def _default_tensor(default, dtype, name, scalar=False):
    from tfcompat.ops import array_ops
    value = np.asarray(default, dtype=object if dtype == dtypes.string else
                       dtype.as_numpy_dtype)
    tensor = ops.convert_to_tensor(value, dtype=dtype, name=name)
    return array_ops.reshape(tensor, []) if scalar else tensor


def _merge_sparse_feature(id_tensors, values, feature, batched):
    """TF's sparse_merge of a SparseFeature: the ids become the index columns."""
    from tfcompat.ops import array_ops, math_ops, sparse_ops
    from tfcompat.ops.sparse_tensor import SparseTensor
    sizes = [feature.size] if isinstance(feature.index_key, str) else list(feature.size)
    with ops.name_scope(None, "SparseMerge"):
        columns = [array_ops.expand_dims(ids.values, 1) for ids in id_tensors]
        if batched:
            first = id_tensors[0]
            columns.insert(0, array_ops.strided_slice(first.indices, [0, 0], [0, 1],
                                                      begin_mask=1, end_mask=1))
            shape = array_ops.concat([first.dense_shape[:1], math_ops.cast(
                np.asarray(sizes, np.int64), dtypes.int64)], 0)
        else:
            shape = ops.convert_to_tensor(np.asarray(sizes, np.int64))
        indices = columns[0] if len(columns) == 1 else array_ops.concat(columns, 1)
        merged = SparseTensor(indices, values.values, shape)
        return merged if feature.already_sorted else sparse_ops.sparse_reorder(merged)


_EXAMPLE_FEATURES = (FixedLenFeature, FixedLenSequenceFeature, VarLenFeature, SparseFeature)


def parse_example(serialized, features, name=None, example_names=None):
    """``tf.parse_example``: a dict of [batch] + shape tensors and SparseTensors."""
    if not features:
        raise ValueError("Missing: features was empty.")
    with ops.name_scope(name, "ParseExample"):
        params = _RawParams(features, _EXAMPLE_FEATURES, "example")
        serialized = ops.convert_to_tensor(serialized, dtype=dtypes.string, name="serialized")
        names = ops.convert_to_tensor(np.asarray(example_names or [], dtype=object),
                                      dtype=dtypes.string, name="names")
        keys = [ops.convert_to_tensor(k, dtype=dtypes.string, name=f"{kind}_keys_{i}")
                for kind, key_list in (("sparse", params.sparse_keys),
                                       ("dense", params.dense_keys))
                for i, k in enumerate(key_list)]
        op = make_op("ParseExample", [serialized, names, *keys, *params.dense_defaults],
                     {"Nsparse": len(params.sparse_keys), "Ndense": len(params.dense_keys),
                      "sparse_types": params.sparse_types, "Tdense": params.dense_types,
                      "dense_shapes": params.dense_shapes}, name="ParseExample")
        count = len(params.sparse_keys)
        outputs = op.outputs
        sparse = params.sparse_tensors(outputs[:count], outputs[count:2 * count],
                                       outputs[2 * count:3 * count])
        return params.result(features, sparse, outputs[3 * count:], batched=True)


def parse_single_example(serialized, features, name=None, example_names=None):
    """``tf.parse_single_example``: the features of one serialized Example."""
    if not features:
        raise ValueError("Missing: features was empty.")
    with ops.name_scope(name, "ParseSingleExample"):
        params = _RawParams(features, _EXAMPLE_FEATURES, "example")
        serialized = ops.convert_to_tensor(serialized, dtype=dtypes.string, name="serialized")
        op = make_op("ParseSingleExample", [serialized, *params.dense_defaults],
                     {"num_sparse": len(params.sparse_keys), "sparse_keys": params.sparse_keys,
                      "dense_keys": params.dense_keys, "sparse_types": params.sparse_types,
                      "Tdense": params.dense_types, "dense_shapes": params.dense_shapes},
                     name="ParseSingleExample")
        count = len(params.sparse_keys)
        outputs = op.outputs
        sparse = params.sparse_tensors(outputs[:count], outputs[count:2 * count],
                                       outputs[2 * count:3 * count])
        return params.result(features, sparse, outputs[3 * count:], batched=False)


def _sequence_op(op_type, serialized, context_features, sequence_features, name):
    """Builds a (Single)SequenceExample parse op: (context dict, feature-list dict, op)."""
    context = _RawParams(context_features, (FixedLenFeature, VarLenFeature), "context")
    lists = _RawParams(sequence_features, (FixedLenSequenceFeature, VarLenFeature),
                       "sequence")
    if not (context_features or sequence_features):
        raise ValueError("Missing features.")
    serialized = ops.convert_to_tensor(serialized, dtype=dtypes.string, name="serialized")
    debug_name = ops.convert_to_tensor("", dtype=dtypes.string, name="debug_name")
    op = make_op(op_type, [serialized, *context.dense_defaults, debug_name], {
        "feature_list_dense_missing_assumed_empty": lists.missing_empty,
        "context_sparse_keys": context.sparse_keys, "context_dense_keys": context.dense_keys,
        "feature_list_sparse_keys": lists.sparse_keys,
        "feature_list_dense_keys": lists.dense_keys,
        "Ncontext_sparse": len(context.sparse_keys), "Ncontext_dense": len(context.dense_keys),
        "Nfeature_list_sparse": len(lists.sparse_keys),
        "Nfeature_list_dense": len(lists.dense_keys),
        "context_sparse_types": context.sparse_types, "Tcontext_dense": context.dense_types,
        "context_dense_shapes": context.dense_shapes,
        "feature_list_sparse_types": lists.sparse_types,
        "feature_list_dense_types": lists.dense_types,
        "feature_list_dense_shapes": lists.dense_shapes}, name=op_type)
    outputs = list(op.outputs)
    parsed = []
    for params in (context, lists):
        count = len(params.sparse_keys)
        sparse = params.sparse_tensors(outputs[:count], outputs[count:2 * count],
                                       outputs[2 * count:3 * count])
        dense_count = len(params.dense_keys)
        parsed.append(dict(sparse, **dict(zip(params.dense_keys,
                                              outputs[3 * count:3 * count + dense_count]))))
        outputs = outputs[3 * count + dense_count:]
    return parsed[0], parsed[1], dict(zip(lists.dense_keys, outputs))


def parse_single_sequence_example(serialized, context_features=None, sequence_features=None,
                                  example_name=None, name=None):
    """``tf.parse_single_sequence_example``: (context dict, feature-list dict) of one
    serialized SequenceExample; dense feature lists are [steps] + shape, sparse ones have
    [step, position] indices."""
    with ops.name_scope(name, "ParseSingleSequenceExample"):
        context, lists, _ = _sequence_op("ParseSingleSequenceExample", serialized,
                                         context_features, sequence_features, name)
        return context, lists


def parse_sequence_example(serialized, context_features=None, sequence_features=None,
                           example_names=None, name=None):
    """``tf.io.parse_sequence_example``: (context, feature lists, lengths) of a batch of
    serialized SequenceExamples; dense feature lists are padded to the longest."""
    with ops.name_scope(name, "ParseSequenceExample"):
        return _sequence_op("ParseSequenceExample", serialized, context_features,
                            sequence_features, name)


@register_op
class DecodeCompressed(OpDef):
    """Each string inflated from ``compression_type`` "" (as is), "ZLIB" or "GZIP";
    corrupt data is TF's DataLossError."""

    differentiable = False

    def infer(self, op):
        return [(op.inputs[0].shape, dtypes.string)]

    def kernel(self, op, ctx):
        import gzip
        import zlib
        kind = op.attrs["compression_type"]
        inflate = {"": bytes, "ZLIB": zlib.decompress, "GZIP": gzip.decompress}[kind]

        def decode(data):
            flat = np.asarray(data, dtype=object).reshape(-1)
            out = np.empty(len(flat), dtype=object)
            for index, item in enumerate(flat):
                raw = item.encode() if isinstance(item, str) else bytes(item)
                try:
                    out[index] = inflate(raw)
                except (OSError, zlib.error, EOFError) as exc:
                    raise errors.DataLossError(
                        None, op, f"inflate() failed: {exc}") from None
            return out.reshape(np.shape(data))
        return decode


def decode_compressed(bytes, compression_type="", name=None):  # noqa: A002 (TF's name)
    """``tf.decode_compressed``: strings decompressed from "", "ZLIB" or "GZIP"."""
    if compression_type not in ("", "ZLIB", "GZIP"):
        raise ValueError(f"compression_type must be one of '', 'ZLIB' or 'GZIP', got "
                         f"{compression_type!r}")
    data = ops.convert_to_tensor(bytes, dtype=dtypes.string, name="bytes")
    return make_tensor("DecodeCompressed", [data], {"compression_type": compression_type},
                       name=name or "DecodeCompressed")


@register_op
class DecodeJSONExample(OpDef):
    """JSON-encoded tf.train.Examples (protobuf's JSON mapping: camelCase or proto field
    names, int64 values as numbers or strings, bytes in base64) -> serialized Examples."""

    differentiable = False

    def infer(self, op):
        return [(op.inputs[0].shape, dtypes.string)]

    def kernel(self, op, ctx):
        def decode(json_examples):
            flat = np.asarray(json_examples, dtype=object).reshape(-1)
            out = np.empty(len(flat), dtype=object)
            for index, item in enumerate(flat):
                out[index] = _example_from_json(op, _text(item)).SerializeToString()
            return out.reshape(np.shape(json_examples))
        return decode


_JSON_LISTS = {"bytesList": "bytes_list", "bytes_list": "bytes_list",
               "floatList": "float_list", "float_list": "float_list",
               "int64List": "int64_list", "int64_list": "int64_list"}


def _example_from_json(op, text):
    import base64
    import binascii
    import json
    from tfcompat.lib import example_proto
    try:
        features = json.loads(text).get("features", {}).get("feature", {})
        example = example_proto.Example()
        for key, feature in features.items():
            for name, values in feature.items():
                kind = _JSON_LISTS[name]
                decode = {"bytes_list": base64.b64decode, "float_list": float,
                          "int64_list": int}[kind]
                getattr(example.features.feature[key], kind).value.extend(
                    decode(v) for v in values.get("value", []))
        return example
    except (ValueError, AttributeError, KeyError, TypeError, binascii.Error) as exc:
        raise errors.InvalidArgumentError(
            None, op, f"Error while parsing JSON: {type(exc).__name__}: {exc}") from None


def decode_json_example(json_examples, name=None):
    """``tf.decode_json_example``: JSON tf.train.Examples as binary-serialized protos."""
    data = ops.convert_to_tensor(json_examples, dtype=dtypes.string, name="json_examples")
    return make_tensor("DecodeJSONExample", [data], {}, name=name or "DecodeJSONExample")


__all__ = ["decode_compressed", "decode_json_example", "decode_csv", "decode_raw",
           "FixedLenFeature", "FixedLenSequenceFeature",
           "VarLenFeature", "SparseFeature", "parse_example", "parse_single_example",
           "parse_single_sequence_example"]
