"""``tf.make_tensor_proto`` and ``tf.make_ndarray`` (TF 1.x ``framework/tensor_util.py``) with
a ``TensorProto`` message written on ``lib.proto_wire``.

``make_tensor_proto`` converts like TF 1.15: Python floats become float32 and Python ints
int32 (int64 when they do not fit) unless ``dtype`` says otherwise; a ``shape`` may hold more
elements than the values (the last value fills the rest when read) but not fewer. The values
go to ``tensor_content`` (raw little-endian bytes) when the tensor has more than one element
of a type TF packs that way and the values fill the shape; otherwise to the typed repeated
field (``float_val``, ``int_val``, ``string_val``, ...). ``SerializeToString`` writes TF's
bytes (fields in number order, repeated numbers packed).
"""
import numbers
import struct

import numpy as np

from tfcompat.framework import dtypes
from tfcompat.lib import proto_wire as pw

# Field number, name and packing of TensorProto's repeated value fields.
_VALUE_FIELDS = ((5, "float_val", "<f"), (6, "double_val", "<d"), (7, "int_val", "varint"),
                 (8, "string_val", "bytes"), (9, "scomplex_val", "<f"),
                 (10, "int64_val", "varint"), (11, "bool_val", "varint"),
                 (12, "dcomplex_val", "<d"), (13, "half_val", "varint"),
                 (16, "uint32_val", "varint"), (17, "uint64_val", "varint"))

# The dtypes whose values TF writes as tensor_content.
_CONTENT_DTYPES = {dtypes.float32, dtypes.float64, dtypes.int32, dtypes.uint8, dtypes.int16,
                   dtypes.int8, dtypes.int64, dtypes.uint32, dtypes.uint64}

# The repeated field each dtype's values go to (and how a value is stored there).
_FIELD_OF = {dtypes.float16: "half_val", dtypes.float32: "float_val",
             dtypes.float64: "double_val", dtypes.int32: "int_val", dtypes.int16: "int_val",
             dtypes.int8: "int_val", dtypes.uint8: "int_val", dtypes.uint16: "int_val",
             dtypes.int64: "int64_val", dtypes.uint32: "uint32_val",
             dtypes.uint64: "uint64_val", dtypes.bool: "bool_val",
             dtypes.complex64: "scomplex_val", dtypes.complex128: "dcomplex_val",
             dtypes.string: "string_val"}


class TensorShapeProto:
    """``tensorflow.TensorShapeProto``: ``dim`` (each with ``size`` and ``name``) and
    ``unknown_rank``."""

    class Dim:
        def __init__(self, size=0, name=""):
            self.size, self.name = size, name

    def __init__(self, dim=(), unknown_rank=False):
        self.dim = [d if isinstance(d, self.Dim) else self.Dim(d) for d in dim]
        self.unknown_rank = unknown_rank

    def SerializeToString(self):  # noqa: N802 (protobuf API name)
        out = b""
        for dim in self.dim:
            out += pw.field_bytes(2, (pw.field_varint(1, dim.size) if dim.size else b"")
                                  + (pw.field_bytes(2, dim.name) if dim.name else b""))
        return out + (pw.field_varint(3, 1) if self.unknown_rank else b"")

    @classmethod
    def FromString(cls, data):  # noqa: N802
        shape = cls()
        for number, _, value in pw.iter_fields(data):
            if number == 2:
                dim = cls.Dim()
                for dim_number, _, dim_value in pw.iter_fields(value):
                    if dim_number == 1:
                        dim.size = pw.as_int64(dim_value)
                    elif dim_number == 2:
                        dim.name = bytes(dim_value).decode("utf-8")
                shape.dim.append(dim)
            elif number == 3:
                shape.unknown_rank = bool(value)
        return shape


class TensorProto:
    """``tensorflow.TensorProto``: ``dtype`` (a DataType enum value), ``tensor_shape``,
    ``version_number``, ``tensor_content`` and the repeated ``*_val`` fields."""

    def __init__(self, dtype=0, tensor_shape=None, version_number=0, tensor_content=b"",
                 **values):
        self.dtype = int(dtype)
        # Like a protobuf submessage, the shape is written once set (even when empty: scalar).
        self._has_shape = tensor_shape is not None
        self.tensor_shape = tensor_shape if tensor_shape is not None else TensorShapeProto()
        self.version_number = version_number
        self.tensor_content = bytes(tensor_content)
        for _, name, _ in _VALUE_FIELDS:
            setattr(self, name, list(values.pop(name, [])))
        if values:
            raise TypeError(f"TensorProto has no field {sorted(values)[0]!r}")

    def SerializeToString(self):  # noqa: N802 (protobuf API name)
        out = pw.field_varint(1, self.dtype) if self.dtype else b""
        shape = self.tensor_shape.SerializeToString()
        out += pw.field_bytes(2, shape) if shape or self._has_shape else b""
        out += pw.field_varint(3, self.version_number) if self.version_number else b""
        out += pw.field_bytes(4, self.tensor_content) if self.tensor_content else b""
        for number, name, packing in _VALUE_FIELDS:
            values = getattr(self, name)
            if not values:
                continue
            if packing == "bytes":
                out += b"".join(pw.field_bytes(number, v) for v in values)
            elif packing == "varint":
                out += pw.field_packed_varints(number, [int(v) for v in values])
            else:
                out += pw.field_bytes(number, b"".join(struct.pack(packing, v) for v in values))
        return out

    def ParseFromString(self, data):  # noqa: N802
        self.__init__()
        fields = {number: (name, packing) for number, name, packing in _VALUE_FIELDS}
        for number, wire_type, value in pw.iter_fields(data):
            if number == 1:
                self.dtype = value
            elif number == 2:
                self.tensor_shape = TensorShapeProto.FromString(value)
                self._has_shape = True
            elif number == 3:
                self.version_number = pw.as_int64(value)
            elif number == 4:
                self.tensor_content = bytes(value)
            elif number in fields:
                name, packing = fields[number]
                getattr(self, name).extend(_field_values(wire_type, value, packing))
        return len(data)

    @classmethod
    def FromString(cls, data):  # noqa: N802
        proto = cls()
        proto.ParseFromString(data)
        return proto

    def __eq__(self, other):
        return isinstance(other, TensorProto) and (
            self.SerializeToString() == other.SerializeToString())

    __hash__ = None

    def __repr__(self):
        lines = [f"dtype: {_enum_name(self.dtype)}" if self.dtype else None, "tensor_shape {"]
        lines += ["  dim {\n" + (f"    size: {d.size}\n" if d.size else "") + "  }"
                  for d in self.tensor_shape.dim]
        lines[-1] = lines[-1] + "\n}" if self.tensor_shape.dim else "tensor_shape {\n}"
        if self.tensor_content:
            lines.append(f"tensor_content: {_escaped(self.tensor_content)}")
        for _, name, packing in _VALUE_FIELDS:
            for value in getattr(self, name):
                shown = _escaped(value) if packing == "bytes" else _text_number(
                    name, value, packing)
                lines.append(f"{name}: {shown}")
        return "\n".join(line for line in lines if line is not None) + "\n"


def _enum_name(enum):
    """The DataType enum's name in text format: DT_FLOAT, DT_INT32, DT_STRING, ..."""
    name = dtypes.as_dtype(enum).name
    return "DT_" + {"float32": "FLOAT", "float64": "DOUBLE", "float16": "HALF"}.get(
        name, name.upper())


def _text_number(name, value, packing):
    """A number as protobuf's text format writes it: floats shortest (``1``, ``1.5``)."""
    if name == "bool_val":
        return "true" if value else "false"
    if packing == "varint":
        return str(value)
    shortest = repr(float(np.float32(value))) if packing == "<f" else repr(float(value))
    return shortest[:-2] if shortest.endswith(".0") else shortest


def _escaped(data):
    """A bytes value as protobuf's text format shows it (C escapes, octal for the rest)."""
    special = {9: "\\t", 10: "\\n", 13: "\\r", 34: '\\"', 39: "\\'", 92: "\\\\"}
    return '"' + "".join(special.get(b) or (chr(b) if 32 <= b < 127 else "\\%03o" % b)
                         for b in data) + '"'


def _field_values(wire_type, value, packing):
    if packing == "bytes":
        return [bytes(value)]
    if packing == "varint":
        raw = pw.decode_packed_varints(value) if wire_type == pw.LENGTH_DELIMITED else [value]
        return [pw.as_int64(v) for v in raw]
    width = struct.calcsize(packing)
    if wire_type == pw.LENGTH_DELIMITED:
        return [v for (v,) in struct.iter_unpack(packing, value)]
    return [struct.unpack(packing, value.to_bytes(width, "little"))[0]]


def _dense_dims(values):
    """The shape nested Python lists spell (TF's _GetDenseDimensions)."""
    if not isinstance(values, (list, tuple)):
        return []
    if not values:
        return [0]
    return [len(values)] + _dense_dims(values[0])


def _flat(values):
    if isinstance(values, (list, tuple)):
        for value in values:
            yield from _flat(value)
    else:
        yield values


def _assert_compatible(values, dtype):
    """TF's _AssertCompatible: every Python value fits ``dtype``'s kind."""
    if dtype == dtypes.string:
        ok = (bytes, str)
    elif dtype == dtypes.bool:
        ok = (bool, np.bool_)
    elif dtype.is_integer:
        ok = (numbers.Integral,)
    elif dtype.is_complex:
        ok = (numbers.Complex,)
    else:
        ok = (numbers.Real,)
    for value in _flat(values):
        if not isinstance(value, ok):
            raise TypeError(f"Expected {dtype.name}, got {value!r} of type "
                            f"'{type(value).__name__}' instead.")


def _numpy_values(values, dtype, shape):
    """The NumPy array of ``values`` as TF 1.15's make_tensor_proto converts them."""
    np_dtype = dtype.as_numpy_dtype if dtype is not None and dtype != dtypes.string else None
    if dtype == dtypes.string:
        np_dtype = object
    if isinstance(values, (np.ndarray, np.generic)):
        return values.astype(np_dtype) if np_dtype is not None else values
    if values is None:
        raise ValueError("None values not supported.")
    if shape is not None and np.prod(shape, dtype=np.int64) == 0:
        return np.empty(shape, dtype=np_dtype)
    if dtype is not None:
        _assert_compatible(values, dtype)
    try:
        array = np.array(values, dtype=np_dtype)
    except ValueError:  # NumPy refuses ragged nesting: TF's dense-tensor error below
        array = np.empty(len(values), dtype=object)
    if list(array.shape) != _dense_dims(values):
        raise ValueError(f"Argument must be a dense tensor: {values} - got shape "
                         f"{list(array.shape)}, but wanted {_dense_dims(values)}.")
    if dtype is None and array.dtype == np.float64:
        array = array.astype(np.float32)
    elif dtype is None and array.dtype == np.int64:
        narrow = array.astype(np.int32)
        if np.array_equal(narrow, array):
            array = narrow
    elif dtype is None and array.dtype.kind in "SU":
        array = np.array(values, dtype=object)
    return array


def make_tensor_proto(values, dtype=None, shape=None, verify_shape=False,
                      allow_broadcast=False):
    """``tf.make_tensor_proto``: a TensorProto holding ``values`` (a TensorProto is returned
    as it is)."""
    if isinstance(values, TensorProto):
        return values
    dtype = dtypes.as_dtype(dtype).base_dtype if dtype is not None else None
    array = _numpy_values(values, dtype, shape)
    array_dtype = dtypes.string if array.dtype.kind in "OSU" else dtypes.as_dtype(array.dtype)
    if dtype is not None and dtype != array_dtype:
        raise TypeError(f"Incompatible types: {dtype!r} vs. {array.dtype}. Value is {values}")
    if shape is None:
        shape, shape_size, same_size = list(array.shape), array.size, True
    else:
        shape = [int(dim) for dim in shape]
        shape_size = int(np.prod(shape, dtype=np.int64))
        same_size = shape_size == array.size
        if allow_broadcast:
            if array.shape not in ((1,), ()) and array.size != shape_size:
                raise TypeError(f"Expected Tensor's shape: {tuple(shape)}, got {array.shape}.")
        else:
            if verify_shape and array.shape != tuple(shape):
                raise TypeError(f"Expected Tensor's shape: {tuple(shape)}, got {array.shape}.")
            if array.size > shape_size:
                raise ValueError(f"Too many elements provided. Needed at most {shape_size}, "
                                 f"but received {array.size}")
    proto = TensorProto(dtype=array_dtype.as_datatype_enum,
                        tensor_shape=TensorShapeProto(shape))
    if same_size and array_dtype in _CONTENT_DTYPES and shape_size > 1:
        little = array.astype(array.dtype.newbyteorder("<"), copy=False)
        proto.tensor_content = np.ascontiguousarray(little).tobytes()
        return proto
    _fill_values(proto, array, array_dtype)
    return proto


def _fill_values(proto, array, dtype):
    flat = array.reshape(-1)
    field = getattr(proto, _FIELD_OF[dtype])
    if dtype == dtypes.string:
        field.extend(v if isinstance(v, bytes) else str(v).encode("utf-8") for v in flat)
    elif dtype == dtypes.float16:
        field.extend(int(v) for v in flat.view(np.uint16))
    elif dtype.is_complex:
        for value in flat:
            field.extend((float(value.real), float(value.imag)))
    elif dtype == dtypes.bool:
        field.extend(bool(v) for v in flat)
    elif dtype.is_floating:
        field.extend(float(v) for v in flat)
    else:
        field.extend(int(v) for v in flat)


def make_ndarray(tensor):
    """``tf.make_ndarray``: the NumPy array a TensorProto holds (a short ``*_val`` list is
    padded with its last value, an empty one with zeros)."""
    shape = [d.size for d in tensor.tensor_shape.dim]
    count = int(np.prod(shape, dtype=np.int64))
    dtype = dtypes.as_dtype(tensor.dtype)
    np_dtype = np.dtype(dtype.as_numpy_dtype)
    if tensor.tensor_content:
        return np.frombuffer(tensor.tensor_content, dtype=np_dtype.newbyteorder("<")).astype(
            np_dtype).reshape(shape)
    if dtype not in _FIELD_OF:
        raise TypeError(f"Unsupported tensor type: {tensor.dtype}")
    stored = getattr(tensor, _FIELD_OF[dtype])
    if dtype == dtypes.string:
        values = list(stored) + [stored[-1] if stored else b""] * max(0, count - len(stored))
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return out.reshape(shape)
    if dtype == dtypes.float16:
        values = np.array(stored, dtype=np.uint16).view(np.float16)
    elif dtype.is_complex:
        pairs = np.array(stored, dtype=np.float64).reshape(-1, 2)
        values = (pairs[:, 0] + 1j * pairs[:, 1]).astype(np_dtype)
    else:
        values = np.array(stored, dtype=np_dtype)
    if values.size == 0:
        return np.zeros(shape, np_dtype)
    if values.size != count:
        values = np.pad(values, (0, count - values.size), "edge")
    return values.reshape(shape)


__all__ = ["make_tensor_proto", "make_ndarray"]
