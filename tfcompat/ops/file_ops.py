"""File and serialization ops (TF's io_ops / parsing_ops): ``tf.write_file``,
``tf.serialize_tensor`` and ``tf.parse_tensor`` (TensorProto wire bytes, as
``framework/graph_def.py`` writes and reads them), ``tf.train.match_filenames_once``.
ReadFile lives in image_ops, MatchingFiles in data_flow_ops."""
import os

import numpy as np

from tfcompat.framework import dtypes, errors, ops, tensor_shape
from tfcompat.framework.graph_def import parse_tensor as _parse_tensor_proto
from tfcompat.framework.graph_def import tensor_proto
from tfcompat.framework.op_def import OpDef, make_op, make_tensor, register_op
from tfcompat.lib.io import file_io
from tfcompat.lib.proto_wire import WireError
from tfcompat.ops.array_ops import _invalid


def _name(value):
    value = value[()] if isinstance(value, np.ndarray) else value
    return os.fsdecode(value)


def _scalar_string(op, tensor, argument):
    if tensor.dtype.base_dtype != dtypes.string:
        raise TypeError(f"Input '{argument}' of '{op.type}' Op has type "
                        f"{tensor.dtype.base_dtype.name} that does not match expected type of "
                        f"string.")
    if tensor.shape.ndims not in (None, 0):
        raise ValueError(f"Shape must be rank 0 but is rank {tensor.shape.ndims} for "
                         f"'{op.name}' (op: '{op.type}')")


def _with_node(op, exc):
    return type(exc)(None, op, f"{exc.message}\n\t [[node {op.name}]]")


@register_op
class WriteFile(OpDef):
    """Writes a string scalar to a file, creating or replacing it (``tf.write_file``)."""

    differentiable = False
    stateful = True
    mutates_state = True  # an effect outside the graph: never pruned, run after reads

    def infer(self, op):
        _scalar_string(op, op.inputs[0], "filename")
        _scalar_string(op, op.inputs[1], "contents")
        return []

    def kernel(self, op, ctx):
        def write_file(filename, contents):
            contents = contents[()] if isinstance(contents, np.ndarray) else contents
            try:
                with file_io.GFile(_name(filename), "wb") as f:
                    f.write(contents.encode() if isinstance(contents, str) else contents)
            except errors.OpError as exc:
                raise _with_node(op, exc) from None
        return write_file


@register_op
class SerializeTensor(OpDef):
    """A tensor as TensorProto bytes (``tf.serialize_tensor``)."""

    differentiable = False

    def infer(self, op):
        return [(tensor_shape.scalar(), dtypes.string)]

    def kernel(self, op, ctx):
        dtype = op.inputs[0].dtype.base_dtype
        return lambda tensor: np.array(tensor_proto(tensor, dtype), dtype=object)


@register_op
class ParseTensor(OpDef):
    """The tensor of TensorProto bytes, which must hold ``out_type`` (``tf.parse_tensor``)."""

    differentiable = False

    def infer(self, op):
        _scalar_string(op, op.inputs[0], "serialized")
        return [(tensor_shape.unknown_shape(), op.attrs["out_type"])]

    def kernel(self, op, ctx):
        out_type = op.attrs["out_type"]

        def parse(serialized):
            data = serialized[()] if isinstance(serialized, np.ndarray) else serialized
            try:
                value = _parse_tensor_proto(bytes(data))
            except (WireError, ValueError, TypeError):
                raise _invalid(op, "Could not parse `serialized` as TensorProto: "
                               f"'{bytes(data)[:32]!r}'") from None
            if dtypes.as_dtype(value.dtype) != out_type:
                raise _invalid(op, f"Type mismatch between parsed tensor "
                               f"({dtypes.as_dtype(value.dtype).name}) and dtype "
                               f"({out_type.name})")
            return value
        return parse


def write_file(filename, contents, name=None):
    """``tf.write_file(filename, contents, name=None)`` -> the WriteFile op."""
    return make_op("WriteFile", [ops.convert_to_tensor(filename, dtype=dtypes.string),
                                 ops.convert_to_tensor(contents, dtype=dtypes.string)],
                   name=name or "WriteFile")


def match_filenames_once(pattern, name=None):
    """``tf.train.match_filenames_once(pattern, name=None)``: a local variable
    ("matching_filenames") initialised with the files matching ``pattern``."""
    from tfcompat.ops import variables
    with ops.name_scope(name, "matching_filenames", [pattern]) as scope:
        from tfcompat.ops.data_flow_ops import matching_files
        return variables.Variable(matching_files(pattern), trainable=False, name=scope,
                                  validate_shape=False,
                                  collections=[ops.GraphKeys.LOCAL_VARIABLES])


def serialize_tensor(tensor, name=None):
    """``tf.serialize_tensor(tensor, name=None)``."""
    tensor = ops.convert_to_tensor(tensor)
    return make_tensor("SerializeTensor", [tensor], {"T": tensor.dtype.base_dtype},
                       name=name or "SerializeTensor")


def parse_tensor(serialized, out_type, name=None):
    """``tf.parse_tensor(serialized, out_type, name=None)``."""
    return make_tensor("ParseTensor", [ops.convert_to_tensor(serialized, dtype=dtypes.string)],
                       {"out_type": dtypes.as_dtype(out_type)}, name=name or "ParseTensor")


__all__ = ["write_file", "serialize_tensor", "parse_tensor"]
