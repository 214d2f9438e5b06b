"""Decoding string tensors: ``tf.decode_csv`` (DecodeCSV) and ``tf.decode_raw``
(DecodeRaw), with TF 1.x's outputs and error messages."""
import collections
import csv

import numpy as np

from tfcompat.framework import dtypes, errors, ops, tensor_shape
from tfcompat.framework.op_def import OpDef, make_op, make_tensor, register_op

_CSV_TYPES = (dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64, dtypes.string)
_TYPE_NAMES = {"float32": "float", "float64": "double"}


def _text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


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
        delim, quotes = attrs.get("field_delim", ","), attrs.get("use_quote_delim", True)
        na_value, select = attrs.get("na_value", ""), attrs.get("select_cols") or None
        types = [t.dtype.base_dtype for t in op.inputs[1:]]

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
                for col, (field, dtype) in enumerate(zip(fields, types)):
                    columns[col][row] = _field_value(op, field, dtype, defaults[col], col, row,
                                                     na_value)
            shape = np.shape(records)
            return tuple(c.reshape(shape) for c in columns) if len(columns) > 1 \
                else columns[0].reshape(shape)
        return decode


def _split(record, delim, quotes):
    if not quotes:
        return record.split(delim)
    return next(csv.reader([record], delimiter=delim, quotechar='"', doublequote=True,
                           strict=False)) if record else [""]


def _field_value(op, field, dtype, default, col, row, na_value):
    if field == "" or field == na_value:
        default = np.asarray(default).reshape(-1)
        if default.size == 0:
            raise errors.InvalidArgumentError(
                None, op, f"Field {col} is required but missing in record {row}!")
        return default[0]
    if dtype == dtypes.string:
        return field.encode()
    try:
        if dtype.is_integer:
            value = int(field)
            np.array(value, dtype=dtype.as_numpy_dtype)  # overflow check
            return value
        return float(field)
    except (ValueError, OverflowError):
        raise errors.InvalidArgumentError(
            None, op, f"Field {col} in record {row} is not a valid "
                      f"{_TYPE_NAMES.get(dtype.name, dtype.name)}: {field}") from None


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


_LIST_KIND = {"float": "float_list", "int64": "int64_list", "string": "bytes_list"}


def _feature_kind(dtype):
    return {dtypes.float32: "float", dtypes.int64: "int64", dtypes.string: "string"}[dtype]


@register_op
class ParseExample(OpDef):
    """Dense features of serialized tf.train.Example protos (TF 1.x ParseExample; inputs:
    serialized [batch], names, Ndense dense_keys, Ndense dense_defaults; no sparse keys)."""

    differentiable = False
    single = False

    def infer(self, op):
        serialized = op.inputs[0].shape
        batch = [] if self.single else (
            serialized.as_list()[:1] if serialized.ndims == 1 else [None])
        return [(tensor_shape.TensorShape(batch).concatenate(shape), dtype)
                for shape, dtype in zip(op.attrs["dense_shapes"], op.attrs["Tdense"])]

    def kernel(self, op, ctx):
        shapes = [tuple(s.as_list()) for s in op.attrs["dense_shapes"]]
        kinds = [_feature_kind(t) for t in op.attrs["Tdense"]]
        types = list(op.attrs["Tdense"])
        count = len(types)
        single = self.single

        def parse(serialized, *rest):
            if not single:
                rest = rest[1:]  # names
            keys, defaults = [_text(np.asarray(k).item()) for k in rest[:count]], \
                rest[count:]
            records = [serialized.item()] if single else list(np.asarray(
                serialized, dtype=object).reshape(-1))
            columns = [[] for _ in range(count)]
            for record in records:
                features = _example_features(op, record)
                for index in range(count):
                    columns[index].append(_dense_value(
                        op, features, keys[index], kinds[index], types[index],
                        shapes[index], defaults[index]))
            outputs = [np.array(c[0]) if single else _stack_values(c, t, s)
                       for c, t, s in zip(columns, types, shapes)]
            return outputs[0] if count == 1 else tuple(outputs)
        return parse


@register_op
class ParseSingleExample(ParseExample):
    """ParseExample of one serialized Example (inputs: serialized, dense_keys,
    dense_defaults): outputs without the batch dimension."""

    op_type = "ParseSingleExample"
    single = True


def _stack_values(column, dtype, shape):
    out = np.empty((len(column),) + shape, dtype=dtype.as_numpy_dtype)
    for index, value in enumerate(column):
        out[index, ...] = value
    return out


def _example_features(op, record):
    from tfcompat.lib import example_proto
    data = record.encode() if isinstance(record, str) else bytes(record)
    try:
        return example_proto.Example.FromString(data).features.feature
    except example_proto.DecodeError:
        raise errors.InvalidArgumentError(
            None, op, f"Could not parse example input, value: '{data.decode('latin-1')}'") \
            from None


def _dense_value(op, features, key, kind, dtype, shape, default):
    name = _TYPE_NAMES.get(dtype.name, dtype.name)
    if key not in features or features[key].WhichOneof("kind") is None:
        default = np.asarray(default)
        if default.size == 0:
            raise errors.InvalidArgumentError(
                None, op, f"Name: <unknown>, Feature: {key} (data type: {name}) is required "
                          "but could not be found.")
        return default.reshape(shape) if default.size == int(np.prod(shape)) else \
            np.broadcast_to(default, shape)
    feature = features[key]
    found = feature.WhichOneof("kind")
    if found != _LIST_KIND[kind]:
        found_name = {"float_list": "float", "int64_list": "int64",
                      "bytes_list": "string"}[found]
        raise errors.InvalidArgumentError(
            None, op, f"Name: <unknown>, Key: {key}, Index: 0.  Data types don't match. Data "
                      f"type: {found_name} but expected type: {name}")
    values = getattr(feature, found).value
    if len(values) != int(np.prod(shape)):
        shape_text = "[" + ",".join(str(d) for d in shape) + "]"
        raise errors.InvalidArgumentError(
            None, op, f"Name: <unknown>, Key: {key}, Index: 0.  Number of {name} values != "
                      f"expected.  Values size: {len(values)} but output shape: {shape_text}")
    array = np.empty(len(values), dtype=object) if kind == "string" else None
    if array is not None:
        array[:] = values
        return array.reshape(shape)
    return np.asarray(values, dtype=dtype.as_numpy_dtype).reshape(shape)


def _parse_inputs(features):
    """(keys, defaults as tensors, dtypes, shapes) of a dict of FixedLenFeatures."""
    keys = sorted(features)
    defaults, types, shapes = [], [], []
    for key in keys:
        feature = features[key]
        if not isinstance(feature, FixedLenFeature):
            raise ValueError(f"Unsupported feature type {type(feature).__name__} for {key}: "
                             "tfcompat parses FixedLenFeature only")
        dtype = dtypes.as_dtype(feature.dtype)
        if dtype not in (dtypes.float32, dtypes.int64, dtypes.string):
            raise ValueError(f"Unsupported dtype {dtype.name} for feature {key}")
        shape = tensor_shape.as_shape(feature.shape)
        if not shape.is_fully_defined():
            raise ValueError(f"All dimensions of shape for feature {key} need to be known but "
                             f"received {shape}.")
        default = [] if feature.default_value is None else feature.default_value
        defaults.append(ops.convert_to_tensor(np.asarray(default, dtype=dtype.as_numpy_dtype)
                                              if dtype != dtypes.string else
                                              np.asarray(default, dtype=object),
                                              dtype=dtype, name=f"key_{key}"))
        types.append(dtype)
        shapes.append(shape)
    return keys, defaults, types, shapes


def parse_example(serialized, features, name=None, example_names=None):
    """``tf.parse_example``: a dict of [batch] + shape tensors from serialized Examples."""
    with ops.name_scope(name, "ParseExample"):
        serialized = ops.convert_to_tensor(serialized, dtype=dtypes.string, name="serialized")
        keys, defaults, types, shapes = _parse_inputs(features)
        names = ops.convert_to_tensor(np.asarray(example_names or [], dtype=object),
                                      dtype=dtypes.string, name="names")
        key_tensors = [ops.convert_to_tensor(k, dtype=dtypes.string, name=f"dense_keys_{i}")
                       for i, k in enumerate(keys)]
        op = make_op("ParseExample", [serialized, names, *key_tensors, *defaults],
                     {"Nsparse": 0, "Ndense": len(keys), "sparse_types": [], "Tdense": types,
                      "dense_shapes": shapes}, name="ParseExample")
        return dict(zip(keys, op.outputs))


def parse_single_example(serialized, features, name=None, example_names=None):
    """``tf.parse_single_example``: the features of one serialized Example."""
    with ops.name_scope(name, "ParseSingleExample"):
        serialized = ops.convert_to_tensor(serialized, dtype=dtypes.string, name="serialized")
        keys, defaults, types, shapes = _parse_inputs(features)
        op = make_op("ParseSingleExample", [serialized, *[
            ops.convert_to_tensor(k, dtype=dtypes.string) for k in keys], *defaults],
            {"num_sparse": 0, "Tdense": types, "dense_shapes": shapes,
             "dense_keys": keys, "sparse_keys": [], "sparse_types": []},
            name="ParseSingleExample")
        return dict(zip(keys, op.outputs))


__all__ = ["decode_csv", "decode_raw", "FixedLenFeature", "parse_example",
           "parse_single_example"]
