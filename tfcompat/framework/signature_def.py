"""The SavedModel messages of TF's meta_graph.proto: ``TensorInfo``, ``SignatureDef`` and
``AssetFileDef``, with the fields TF 1.x code reads (``signature.inputs["x"].name``,
``tensor_info.dtype``, ``tensor_info.tensor_shape.dim[0].size``), written and read with
``lib.proto_wire`` in TF's field numbers (fields in number order, map entries sorted by key,
proto3 defaults left out). Maps behave as protobuf maps do: a missing key reads as a new
empty message (``signature_def.inputs["x"].CopyFrom(info)``).
"""
from tfcompat.framework import tensor_shape
from tfcompat.lib import proto_wire as pw


class _Message(pw.Message):
    """SerializeToString / ParseFromString / FromString / CopyFrom / == for the classes below,
    which define ``_encode()`` and ``_decode(fields)``."""

    def SerializeToString(self):  # noqa: N802 (protobuf API name)
        return self._encode()

    def ParseFromString(self, data):  # noqa: N802
        self.__init__()
        self._decode(pw.iter_fields(bytes(data)))
        return len(data)

    def __eq__(self, other):
        return type(self) is type(other) and self._encode() == other._encode()

    def __hash__(self):
        return hash(self._encode())


class MessageMap(dict):
    """A protobuf ``map<string, Message>``: reading a missing key adds an empty message."""

    def __init__(self, value_type, items=()):
        super().__init__(items)
        self.value_type = value_type

    def __missing__(self, key):
        value = self[key] = self.value_type()
        return value

    def encode(self, number):
        return b"".join(pw.field_bytes(number, pw.field_bytes(1, key) + pw.field_bytes(
            2, self[key].SerializeToString())) for key in sorted(self))

    def decode_entry(self, data):
        key, value = "", b""
        for number, _, field in pw.iter_fields(data):
            if number == 1:
                key = field.decode("utf-8")
            elif number == 2:
                value = field
        self[key] = self.value_type.FromString(value)


class Dim:
    """``TensorShapeProto.Dim``: ``size`` (-1 unknown) and ``name``."""

    def __init__(self, size=0, name=""):
        self.size, self.name = size, name

    def __repr__(self):
        return f"Dim(size={self.size})"


class TensorShapeProto(_Message):
    """``tensorflow.TensorShapeProto``: ``dim`` (Dims) and ``unknown_rank``;
    ``tf.TensorShape(proto)`` reads it."""

    def __init__(self, dim=(), unknown_rank=False):
        self.dim = list(dim)
        self.unknown_rank = unknown_rank

    @classmethod
    def from_shape(cls, shape):
        shape = tensor_shape.as_shape(shape)
        if shape.ndims is None:
            return cls(unknown_rank=True)
        return cls([Dim(-1 if d is None else d) for d in shape.as_list()])

    def as_shape(self):
        if self.unknown_rank:
            return tensor_shape.unknown_shape()
        return tensor_shape.TensorShape([None if d.size < 0 else d.size for d in self.dim])

    def _encode(self):
        out = [pw.field_bytes(2, (pw.field_varint(1, d.size) if d.size else b"")
                              + (pw.field_bytes(2, d.name) if d.name else b""))
               for d in self.dim]
        if self.unknown_rank:
            out.append(pw.field_varint(3, 1))
        return b"".join(out)

    def _decode(self, fields):
        for number, _, value in fields:
            if number == 2:
                dim = Dim()
                for n, _, v in pw.iter_fields(value):
                    if n == 1:
                        dim.size = pw.as_int64(v)
                    elif n == 2:
                        dim.name = v.decode("utf-8")
                self.dim.append(dim)
            elif number == 3:
                self.unknown_rank = bool(value)

    def __repr__(self):
        return f"TensorShapeProto({self.as_shape()})"


class CooSparse(_Message):
    """``TensorInfo.CooSparse``: the names of a SparseTensor's three tensors."""

    _FIELDS = ("values_tensor_name", "indices_tensor_name", "dense_shape_tensor_name")

    def __init__(self, values_tensor_name="", indices_tensor_name="",
                 dense_shape_tensor_name=""):
        self.values_tensor_name = values_tensor_name
        self.indices_tensor_name = indices_tensor_name
        self.dense_shape_tensor_name = dense_shape_tensor_name

    def _encode(self):
        return b"".join(pw.field_bytes(n, getattr(self, f))
                        for n, f in enumerate(self._FIELDS, 1) if getattr(self, f))

    def _decode(self, fields):
        for number, _, value in fields:
            if 1 <= number <= 3:
                setattr(self, self._FIELDS[number - 1], value.decode("utf-8"))


class TensorInfo(_Message):
    """``tensorflow.TensorInfo``: a tensor of a signature by ``name`` (or ``coo_sparse`` for a
    SparseTensor), its ``dtype`` (the DataType enum number, as TF's proto holds it) and
    ``tensor_shape``."""
    FULL_NAME = "tensorflow.TensorInfo"


    def __init__(self, name="", dtype=0, tensor_shape=None, coo_sparse=None):
        self.name = name
        self.dtype = dtype
        self.tensor_shape = tensor_shape if tensor_shape is not None else TensorShapeProto()
        self.coo_sparse = coo_sparse
        self._composite = None  # composite_tensor (field 5), kept as raw bytes

    def WhichOneof(self, oneof="encoding"):  # noqa: N802
        if self.coo_sparse is not None:
            return "coo_sparse"
        if self._composite is not None:
            return "composite_tensor"
        return "name" if self.name else None

    def HasField(self, name):  # noqa: N802
        if name == "tensor_shape":
            return bool(self.tensor_shape.dim or self.tensor_shape.unknown_rank)
        return self.WhichOneof() == name

    def _encode(self):
        out = []
        if self.name and self.coo_sparse is None:
            out.append(pw.field_bytes(1, self.name))
        if self.dtype:
            out.append(pw.field_varint(2, self.dtype))
        if self.HasField("tensor_shape"):
            out.append(pw.field_bytes(3, self.tensor_shape.SerializeToString()))
        if self.coo_sparse is not None:
            out.append(pw.field_bytes(4, self.coo_sparse.SerializeToString()))
        if self._composite is not None:
            out.append(pw.field_bytes(5, self._composite))
        return b"".join(out)

    def _decode(self, fields):
        for number, _, value in fields:
            if number == 1:
                self.name = value.decode("utf-8")
            elif number == 2:
                self.dtype = value
            elif number == 3:
                self.tensor_shape = TensorShapeProto.FromString(value)
            elif number == 4:
                self.coo_sparse = CooSparse.FromString(value)
            elif number == 5:
                self._composite = value

    def __repr__(self):
        return (f"TensorInfo(name={self.name!r}, dtype={self.dtype}, "
                f"tensor_shape={self.tensor_shape.as_shape()})")


class SignatureDef(_Message):
    """``tensorflow.SignatureDef``: ``inputs`` and ``outputs`` (maps of TensorInfo) and
    ``method_name``."""
    FULL_NAME = "tensorflow.SignatureDef"


    def __init__(self, inputs=None, outputs=None, method_name=""):
        self.inputs = MessageMap(TensorInfo, inputs or {})
        self.outputs = MessageMap(TensorInfo, outputs or {})
        self.method_name = method_name
        self._defaults = []  # field 4 (TF 2.x), kept raw

    def _encode(self):
        out = self.inputs.encode(1) + self.outputs.encode(2)
        if self.method_name:
            out += pw.field_bytes(3, self.method_name)
        return out + b"".join(pw.field_bytes(4, entry) for entry in self._defaults)

    def _decode(self, fields):
        for number, _, value in fields:
            if number == 1:
                self.inputs.decode_entry(value)
            elif number == 2:
                self.outputs.decode_entry(value)
            elif number == 3:
                self.method_name = value.decode("utf-8")
            elif number == 4:
                self._defaults.append(value)

    def __repr__(self):
        return (f"SignatureDef(inputs={dict(self.inputs)!r}, outputs={dict(self.outputs)!r}, "
                f"method_name={self.method_name!r})")


class AssetFileDef(_Message):
    """``tensorflow.AssetFileDef``: the ``tensor_info`` of the string tensor that receives an
    asset's path at load time, and the asset's ``filename`` in the assets directory."""
    FULL_NAME = "tensorflow.AssetFileDef"


    def __init__(self, tensor_info=None, filename=""):
        self.tensor_info = tensor_info if tensor_info is not None else TensorInfo()
        self.filename = filename

    def _encode(self):
        out = pw.field_bytes(1, self.tensor_info.SerializeToString())
        return out + (pw.field_bytes(2, self.filename) if self.filename else b"")

    def _decode(self, fields):
        for number, _, value in fields:
            if number == 1:
                self.tensor_info = TensorInfo.FromString(value)
            elif number == 2:
                self.filename = value.decode("utf-8")

    def __repr__(self):
        return f"AssetFileDef(tensor_info={self.tensor_info!r}, filename={self.filename!r})"


class AnyProto(_Message):
    """``google.protobuf.Any``: a message of another type (``type_url``) as bytes; TF keeps
    a SavedModel's AssetFileDefs as such in the ``saved_model_assets`` collection."""

    def __init__(self, type_url="", value=b""):
        self.type_url, self.value = type_url, value

    def Pack(self, message):  # noqa: N802
        self.type_url = "type.googleapis.com/" + message.FULL_NAME
        self.value = message.SerializeToString()

    def Unpack(self, message):  # noqa: N802
        """Decodes ``value`` into ``message`` if it is of the packed type (True), else False."""
        if self.type_url.rpartition("/")[2] != message.FULL_NAME:
            return False
        message.ParseFromString(self.value)
        return True

    def _encode(self):
        return ((pw.field_bytes(1, self.type_url) if self.type_url else b"")
                + (pw.field_bytes(2, self.value) if self.value else b""))

    def _decode(self, fields):
        for number, _, value in fields:
            if number == 1:
                self.type_url = value.decode("utf-8")
            elif number == 2:
                self.value = value
