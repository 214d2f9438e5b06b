"""Decoding string tensors: ``tf.decode_csv`` (DecodeCSV) and ``tf.decode_raw``
(DecodeRaw), with TF 1.x's outputs and error messages."""
import csv

import numpy as np

from tfcompat.framework import dtypes, errors, ops
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



__all__ = ["decode_csv", "decode_raw"]
