"""MetaGraphDef protobufs: the ``.meta`` files ``Saver.save`` writes and
``tf.train.import_meta_graph`` reads (TF's ``framework/meta_graph.py``).

The .meta format (tfcompat meta graph format, version 1)
--------------------------------------------------------
A ``.meta`` file is one binary ``tensorflow.MetaGraphDef`` message (``meta_graph.proto``): the
message real TensorFlow writes, encoded by hand with ``lib.proto_wire`` (fields in increasing
number order, proto3 defaults omitted, map entries sorted by key)::

    MetaGraphDef
      1 meta_info_def    MetaInfoDef
          3 any_info                 google.protobuf.Any: the tfcompat marker,
                                       1 type_url "type.googleapis.com/tfcompat.MetaGraphFormat"
                                       2 value    MetaGraphFormat {1 version: 1}
          5 tensorflow_version       "1.15.0" (the TF version tfcompat implements)
          6 tensorflow_git_version   "tfcompat"
          (2 stripped_op_list is left empty: tfcompat has no OpDef protos)
      2 graph_def        GraphDef (``framework.graph_def``): NodeDefs with typed AttrValues and
                         ``_output_shapes``, as ``Graph.as_graph_def(add_shapes=True)``
      3 saver_def        SaverDef {1 filename_tensor_name "save/Const:0",
                                   2 save_tensor_name "save/control_dependency:0",
                                   3 restore_op_name "save/restore_all", 4 max_to_keep,
                                   5 sharded, 6 keep_checkpoint_every_n_hours (float),
                                   7 version (2 = V2)}
      4 collection_def   map<string, CollectionDef>, one entry per non-empty collection:
          variable collections (``variables``, ``trainable_variables``, ``local_variables``,
          ``model_variables``, ...)  -> 2 bytes_list of VariableDef {1 variable_name "w:0",
                                        2 initializer_name "w/Assign", 3 snapshot_name
                                        "w/read:0", 6 initial_value_name, 7 trainable}
          ``savers``                 -> bytes_list of SaverDef
          Tensors / Operations / Variables in any other collection -> 1 node_list of names
          str / bytes -> bytes_list,  int / bool -> 3 int64_list,  float -> 4 float_list

Collections TF would serialise through protos tfcompat does not model (tf.cond contexts,
queue runners) and collections of other Python objects are left out with a warning, as TF
leaves out what it cannot serialise. Version history: 1 = first version.

Reading is tolerant, so that files written by real TensorFlow load too: unknown fields are
skipped (``signature_def`` and ``asset_file_def`` are parsed, see ``signature_def.py``;
``object_graph_def`` is kept as raw bytes for re-serialisation), a file without the tfcompat
marker is taken as TF-written, and importing a graph whose op types tfcompat lacks raises
one ValueError that lists every missing op type before any op is created. A newer marker
version is refused, and a collection that cannot be restored (an entry that does not decode:
``DecodeError``) stops the import with an error naming it, as in TF.
"""
import contextlib
import logging
import os
import re
import struct

from tfcompat.framework import graph_def as graph_def_lib
from tfcompat.framework import ops
from tfcompat.framework.op_def import get_op_def
from tfcompat.framework.signature_def import AnyProto, AssetFileDef, MessageMap, SignatureDef
from tfcompat.lib import proto_wire as pw

# TF's logger; tfcompat.logging (tf.logging) configures its level and format.
_logger = logging.getLogger("tensorflow")

FORMAT_VERSION = 1
MARKER_TYPE_URL = "type.googleapis.com/tfcompat.MetaGraphFormat"
TENSORFLOW_VERSION = "1.15.0"
TENSORFLOW_GIT_VERSION = "tfcompat"

# TF's GraphKeys._VARIABLE_COLLECTIONS: collections of tf.Variable objects (VariableDef protos).
VARIABLE_COLLECTIONS = (
    ops.GraphKeys.GLOBAL_VARIABLES, ops.GraphKeys.LOCAL_VARIABLES,
    ops.GraphKeys.METRIC_VARIABLES, ops.GraphKeys.MODEL_VARIABLES,
    ops.GraphKeys.TRAINABLE_VARIABLES, ops.GraphKeys.MOVING_AVERAGE_VARIABLES,
    ops.GraphKeys.CONCATENATED_VARIABLES, ops.GraphKeys.TRAINABLE_RESOURCE_VARIABLES)
# Proto-valued collections of TF that tfcompat cannot rebuild objects for: skipped on import.
_UNSUPPORTED_PROTO_COLLECTIONS = (ops.GraphKeys.COND_CONTEXT, ops.GraphKeys.WHILE_CONTEXT,
                                  ops.GraphKeys.QUEUE_RUNNERS)


class MetaGraphParseError(ValueError):
    """The bytes are not a valid MetaGraphDef (or one of its messages)."""


class DecodeError(MetaGraphParseError):
    """An entry of the file does not decode (TF raises protobuf's DecodeError)."""


# ---- wire helpers ----------------------------------------------------------------------------
def _fields(data, what):
    """(number, wire_type, value) of each field; a malformed message raises MetaGraphParseError."""
    try:
        yield from pw.iter_fields(data)
    except pw.WireError as exc:
        raise MetaGraphParseError(f"malformed {what}: {exc}") from None


def _expect(wire_type, expected, what, number):
    if wire_type != expected:
        raise MetaGraphParseError(f"{what}: field {number} has wire type {wire_type}, "
                                  f"expected {expected}")


def _string(value, what):
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        raise MetaGraphParseError(f"{what} is not valid UTF-8") from None


def _raw_field(number, wire_type, value):
    """Re-encodes a field kept verbatim from a parsed message."""
    if wire_type == pw.VARINT:
        return pw.field_varint(number, value)
    if wire_type == pw.FIXED32:
        return pw.field_fixed32(number, value)
    if wire_type == pw.FIXED64:
        return pw.field_fixed64(number, value)
    return pw.field_bytes(number, value)


class _Message(pw.Message):
    """Scalar/string fields described by ``_SPEC``: ((number, name, kind, default), ...) with
    kind "string", "int", "bool", "float", "bytes" (kept raw) or "repeated_string"."""

    _SPEC = ()

    def __init__(self, **kwargs):
        for _, name, kind, default in self._SPEC:
            setattr(self, name, list(default) if kind == "repeated_string" else default)
        for name, value in kwargs.items():
            if name not in self._names():
                raise TypeError(f"{type(self).__name__} has no field {name!r}")
            setattr(self, name, value)

    @classmethod
    def _names(cls):
        return [name for _, name, _, _ in cls._SPEC]

    def SerializeToString(self):  # noqa: N802 (protobuf API name)
        out = []
        for number, name, kind, _ in self._SPEC:
            value = getattr(self, name)
            if kind == "repeated_string":
                out.extend(pw.field_bytes(number, v) for v in value)
            elif not value:
                continue  # proto3: default values are not written
            elif kind in ("string", "bytes"):
                out.append(pw.field_bytes(number, value))
            elif kind in ("int", "bool"):
                out.append(pw.field_varint(number, int(value)))
            elif kind == "float":
                out.append(pw.field_float(number, float(value)))
        return b"".join(out)

    def ParseFromString(self, data):  # noqa: N802
        self.__init__()
        by_number = {number: (name, kind) for number, name, kind, _ in self._SPEC}
        what = type(self).__name__
        for number, wire_type, value in _fields(data, what):
            if number not in by_number:
                continue
            name, kind = by_number[number]
            if kind in ("string", "repeated_string", "bytes"):
                _expect(wire_type, pw.LENGTH_DELIMITED, what, number)
                value = value if kind == "bytes" else _string(value, f"{what}.{name}")
                if kind == "repeated_string":
                    getattr(self, name).append(value)
                else:
                    setattr(self, name, value)
            elif kind == "float":
                _expect(wire_type, pw.FIXED32, what, number)
                setattr(self, name, struct.unpack("<f", value.to_bytes(4, "little"))[0])
            else:
                _expect(wire_type, pw.VARINT, what, number)
                setattr(self, name, bool(value) if kind == "bool" else pw.as_int64(value))
        return len(data)

    def __eq__(self, other):
        return type(self) is type(other) and self.SerializeToString() == other.SerializeToString()

    def __repr__(self):
        parts = [f"{name}={getattr(self, name)!r}" for _, name, _, default in self._SPEC
                 if getattr(self, name) != default]
        return f"{type(self).__name__}({', '.join(parts)})"


class _CheckpointFormatVersion:
    LEGACY, V1, V2 = 0, 1, 2
    _NAMES = {0: "LEGACY", 1: "V1", 2: "V2"}

    @classmethod
    def Name(cls, value):  # noqa: N802
        return cls._NAMES[value]

    @classmethod
    def Value(cls, name):  # noqa: N802
        return {v: k for k, v in cls._NAMES.items()}[name]


class SaverDef(_Message):
    """``tensorflow.SaverDef`` (``tf.train.SaverDef``): the names of a Saver's graph ops."""

    CheckpointFormatVersion = _CheckpointFormatVersion
    LEGACY, V1, V2 = 0, 1, 2
    _SPEC = ((1, "filename_tensor_name", "string", ""), (2, "save_tensor_name", "string", ""),
             (3, "restore_op_name", "string", ""), (4, "max_to_keep", "int", 0),
             (5, "sharded", "bool", False), (6, "keep_checkpoint_every_n_hours", "float", 0.0),
             (7, "version", "int", 0))


class VariableDef(_Message):
    """``tensorflow.VariableDef``: the op names a ``tf.Variable`` is rebuilt from."""

    _SPEC = ((1, "variable_name", "string", ""), (2, "initializer_name", "string", ""),
             (3, "snapshot_name", "string", ""), (4, "save_slice_info_def", "bytes", b""),
             (5, "is_resource", "bool", False), (6, "initial_value_name", "string", ""),
             (7, "trainable", "bool", False), (8, "synchronization", "int", 0),
             (9, "aggregation", "int", 0))


class _ValueList:
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


class CollectionDef:
    """``tensorflow.CollectionDef``: one of node_list (names), bytes_list, int64_list,
    float_list or any_list (kept as raw ``Any`` bytes); ``kind`` names the one set."""

    KINDS = ("node_list", "bytes_list", "int64_list", "float_list", "any_list")

    def __init__(self, kind=None, value=()):
        if kind is not None and kind not in self.KINDS:
            raise ValueError(f"unknown CollectionDef kind {kind!r}")
        self.kind = kind
        self.value = list(value)

    def WhichOneof(self, oneof="kind"):  # noqa: N802
        return self.kind

    def __getattr__(self, name):
        if name in CollectionDef.KINDS:
            return _ValueList(self.value if self.kind == name else [])
        raise AttributeError(name)

    def SerializeToString(self):  # noqa: N802
        if self.kind is None:
            return b""
        if self.kind == "int64_list":
            body = pw.field_packed_varints(1, [int(v) for v in self.value])
        elif self.kind == "float_list":
            body = (pw.field_bytes(1, b"".join(struct.pack("<f", float(v)) for v in self.value))
                    if self.value else b"")
        else:
            body = b"".join(pw.field_bytes(1, v) for v in self.value)
        return pw.field_bytes(self.KINDS.index(self.kind) + 1, body)

    @classmethod
    def FromString(cls, data):  # noqa: N802
        collection = cls()
        for number, wire_type, body in _fields(data, "CollectionDef"):
            if not 1 <= number <= 5:
                continue
            _expect(wire_type, pw.LENGTH_DELIMITED, "CollectionDef", number)
            kind = cls.KINDS[number - 1]
            values = []  # a later oneof member replaces an earlier one, as in protobuf
            for n, wt, value in _fields(body, f"CollectionDef.{kind}"):
                if n != 1:
                    continue
                if kind == "node_list":
                    _expect(wt, pw.LENGTH_DELIMITED, kind, n)
                    values.append(_string(value, "node_list value"))
                elif kind in ("bytes_list", "any_list"):
                    _expect(wt, pw.LENGTH_DELIMITED, kind, n)
                    values.append(value)
                elif kind == "int64_list":
                    try:
                        raw = (pw.decode_packed_varints(value) if wt == pw.LENGTH_DELIMITED
                               else [value])
                    except pw.WireError as exc:
                        raise MetaGraphParseError(f"malformed int64_list: {exc}") from None
                    values.extend(pw.as_int64(v) for v in raw)
                else:
                    if wt == pw.LENGTH_DELIMITED:
                        if len(value) % 4:
                            raise MetaGraphParseError("malformed float_list")
                        values.extend(x for (x,) in struct.iter_unpack("<f", value))
                    else:
                        _expect(wt, pw.FIXED32, kind, n)
                        values.append(struct.unpack("<f", value.to_bytes(4, "little"))[0])
            collection.kind, collection.value = kind, values
        return collection

    def __repr__(self):
        return f"CollectionDef({self.kind}={self.value!r})"


class MetaInfoDef(_Message):
    """``MetaGraphDef.MetaInfoDef``; ``any_info`` is ``(type_url, value bytes)`` or None,
    ``stripped_op_list`` and ``function_aliases`` are kept as raw bytes."""

    _SPEC = ((1, "meta_graph_version", "string", ""), (2, "stripped_op_list", "bytes", b""),
             (4, "tags", "repeated_string", ()), (5, "tensorflow_version", "string", ""),
             (6, "tensorflow_git_version", "string", ""),
             (7, "stripped_default_attrs", "bool", False))

    def __init__(self, **kwargs):
        self.any_info = kwargs.pop("any_info", None)
        self._function_aliases = []
        super().__init__(**kwargs)

    def SerializeToString(self):  # noqa: N802
        out = []
        if self.meta_graph_version:
            out.append(pw.field_bytes(1, self.meta_graph_version))
        if self.stripped_op_list:
            out.append(pw.field_bytes(2, self.stripped_op_list))
        if self.any_info is not None:
            type_url, value = self.any_info
            out.append(pw.field_bytes(3, (pw.field_bytes(1, type_url) if type_url else b"")
                                      + (pw.field_bytes(2, value) if value else b"")))
        out.extend(pw.field_bytes(4, tag) for tag in self.tags)
        if self.tensorflow_version:
            out.append(pw.field_bytes(5, self.tensorflow_version))
        if self.tensorflow_git_version:
            out.append(pw.field_bytes(6, self.tensorflow_git_version))
        if self.stripped_default_attrs:
            out.append(pw.field_varint(7, 1))
        out.extend(pw.field_bytes(8, entry) for entry in self._function_aliases)
        return b"".join(out)

    def ParseFromString(self, data):  # noqa: N802
        super().ParseFromString(data)
        for number, wire_type, value in _fields(data, "MetaInfoDef"):
            if number == 3:
                _expect(wire_type, pw.LENGTH_DELIMITED, "MetaInfoDef", number)
                type_url, payload = "", b""
                for n, wt, v in _fields(value, "MetaInfoDef.any_info"):
                    if n in (1, 2):
                        _expect(wt, pw.LENGTH_DELIMITED, "any_info", n)
                        if n == 1:
                            type_url = _string(v, "any_info.type_url")
                        else:
                            payload = v
                self.any_info = (type_url, payload)
            elif number == 8:
                _expect(wire_type, pw.LENGTH_DELIMITED, "MetaInfoDef", number)
                self._function_aliases.append(value)
        return len(data)


def _marker():
    return (MARKER_TYPE_URL, pw.field_varint(1, FORMAT_VERSION))


class MetaGraphDef(pw.Message):
    """``tensorflow.MetaGraphDef``: ``meta_info_def``, ``graph_def`` (a ``GraphDef``),
    ``saver_def`` (a ``SaverDef`` or None), ``collection_def`` ({key: CollectionDef}),
    ``signature_def`` ({key: SignatureDef}) and ``asset_file_def`` ([AssetFileDef])."""

    def __init__(self):
        self.meta_info_def = MetaInfoDef()
        self.graph_def = graph_def_lib.GraphDef(b"")
        self.saver_def = None
        self.collection_def = {}
        self.signature_def = MessageMap(SignatureDef)
        self.asset_file_def = []
        self._present = set()
        self._other_fields = []  # object_graph_def (TF 2.x): kept raw

    def HasField(self, name):  # noqa: N802
        if name == "saver_def":
            return self.saver_def is not None
        return name in self._present

    @property
    def tfcompat_format_version(self):
        """The tfcompat meta graph format version, or None for files written by TF."""
        info = self.meta_info_def.any_info
        if info is None or info[0] != MARKER_TYPE_URL:
            return None
        version = 0
        for number, wire_type, value in _fields(info[1], "MetaGraphFormat"):
            if number == 1 and wire_type == pw.VARINT:
                version = value
        return version

    def SerializeToString(self):  # noqa: N802
        out = [pw.field_bytes(1, self.meta_info_def.SerializeToString()),
               pw.field_bytes(2, self.graph_def.SerializeToString())]
        if self.saver_def is not None:
            out.append(pw.field_bytes(3, self.saver_def.SerializeToString()))
        for key in sorted(self.collection_def):
            entry = (pw.field_bytes(1, key)
                     + pw.field_bytes(2, self.collection_def[key].SerializeToString()))
            out.append(pw.field_bytes(4, entry))
        out.append(self.signature_def.encode(5))
        out.extend(pw.field_bytes(6, asset.SerializeToString()) for asset in self.asset_file_def)
        out.extend(_raw_field(*field) for field in self._other_fields)
        return b"".join(out)

    def ParseFromString(self, data):  # noqa: N802
        self.__init__()
        for number, wire_type, value in _fields(data, "MetaGraphDef"):
            if number in (1, 2, 3, 4):
                _expect(wire_type, pw.LENGTH_DELIMITED, "MetaGraphDef", number)
            if number == 1:
                self.meta_info_def = MetaInfoDef.FromString(value)
                self._present.add("meta_info_def")
            elif number == 2:
                self.graph_def = graph_def_lib.GraphDef(value)
                self._present.add("graph_def")
            elif number == 3:
                self.saver_def = SaverDef.FromString(value)
            elif number == 4:
                key, collection = "", CollectionDef()
                for n, wt, v in _fields(value, "collection_def entry"):
                    if n == 1:
                        _expect(wt, pw.LENGTH_DELIMITED, "collection_def key", n)
                        key = _string(v, "collection key")
                    elif n == 2:
                        _expect(wt, pw.LENGTH_DELIMITED, "collection_def value", n)
                        collection = CollectionDef.FromString(v)
                self.collection_def[key] = collection
            elif number == 5:
                self.signature_def.decode_entry(value)
            elif number == 6:
                self.asset_file_def.append(AssetFileDef.FromString(value))
            elif number == 7:
                self._other_fields.append((number, wire_type, value))
        return len(data)


class SavedModel(pw.Message):
    """``tensorflow.SavedModel`` (saved_model.proto), the message of ``saved_model.pb``:
    ``saved_model_schema_version`` and ``meta_graphs`` (MetaGraphDefs, one per tag set)."""

    def __init__(self, saved_model_schema_version=0, meta_graphs=()):
        self.saved_model_schema_version = saved_model_schema_version
        self.meta_graphs = list(meta_graphs)

    def SerializeToString(self):  # noqa: N802 (protobuf API name)
        out = [pw.field_varint(1, self.saved_model_schema_version)
               if self.saved_model_schema_version else b""]
        out.extend(pw.field_bytes(2, m.SerializeToString()) for m in self.meta_graphs)
        return b"".join(out)

    def ParseFromString(self, data):  # noqa: N802
        self.__init__()
        for number, wire_type, value in _fields(data, "SavedModel"):
            if number == 1:
                _expect(wire_type, pw.VARINT, "SavedModel", number)
                self.saved_model_schema_version = pw.as_int64(value)
            elif number == 2:
                _expect(wire_type, pw.LENGTH_DELIMITED, "SavedModel", number)
                self.meta_graphs.append(MetaGraphDef.FromString(value))
        return len(data)


# ---- names -----------------------------------------------------------------------------------
def prepend_name_scope(name, import_scope):
    """``ops.prepend_name_scope``: "w:0" -> "scope/w:0" (also for "^op" and "loc:@op")."""
    if not import_scope:
        return name
    match = re.match(r"^(\^|loc:@)?(.*)$", name)
    return f"{match.group(1) or ''}{import_scope.rstrip('/')}/{match.group(2)}"


def strip_name_scope(name, export_scope):
    """``ops.strip_name_scope``: removes a leading ``export_scope/`` from a name."""
    if not export_scope:
        return name
    scope = export_scope.rstrip("/") + "/"
    match = re.match(r"^(\^|loc:@)?(.*)$", name)
    body = match.group(2)
    if body.startswith(scope):
        body = body[len(scope):]
    return f"{match.group(1) or ''}{body}"


# ---- proto functions of collections ----------------------------------------------------------
_PROTO_FUNCTIONS = {}


def register_proto_function(collection_name, proto_type=None, to_proto=None, from_proto=None):
    """``ops.register_proto_function``: how a collection's items become protos and back."""
    _PROTO_FUNCTIONS[collection_name] = (proto_type, to_proto, from_proto)


def get_collection_proto_type(collection_name):
    return _PROTO_FUNCTIONS.get(collection_name, (None, None, None))[0]


def get_to_proto_function(collection_name):
    return _PROTO_FUNCTIONS.get(collection_name, (None, None, None))[1]


def get_from_proto_function(collection_name):
    return _PROTO_FUNCTIONS.get(collection_name, (None, None, None))[2]




# ---- export ----------------------------------------------------------------------------------
def _kind_of(item):
    """TF's ``_get_kind_name``: the CollectionDef field a collection's first item selects."""
    if isinstance(item, (str, bytes)):
        return "bytes_list"
    if isinstance(item, int):
        return "int64_list"
    if isinstance(item, float):
        return "float_list"
    if isinstance(item, AnyProto):
        return "any_list"
    return "node_list"


def add_collection_def(meta_graph_def, key, graph=None, export_scope=None):
    """Adds collection ``key`` of ``graph`` to ``meta_graph_def`` (TF's add_collection_def);
    a collection whose items cannot be serialised is left out with a warning."""
    if not isinstance(key, (str, bytes)):
        _logger.warning("Only collections with string type keys will be serialized. This key "
                        "has %s", type(key))
        return
    graph = graph or ops.get_default_graph()
    key = key.decode() if isinstance(key, bytes) else key
    items = graph.get_collection(key)
    if export_scope:
        items = [x for x in items if not hasattr(x, "name") or x.name.startswith(export_scope)]
    if not items:
        return
    try:
        to_proto = get_to_proto_function(key)
        if to_proto is not None:
            values = []
            for item in items:
                proto = to_proto(item, export_scope=export_scope)
                if proto is not None:
                    values.append(proto.SerializeToString())
            collection = CollectionDef("bytes_list", values)
        elif key in _UNSUPPORTED_PROTO_COLLECTIONS:
            raise TypeError("tfcompat cannot serialize this collection's context objects")
        else:
            kind = _kind_of(items[0])
            if kind == "node_list":
                values = [strip_name_scope(x.name, export_scope) for x in items]
                if not all(isinstance(v, str) for v in values):
                    raise TypeError("items of a node_list must have string names")
            elif kind == "bytes_list":
                values = [x.encode("utf-8") if isinstance(x, str) else bytes(x) for x in items]
            elif kind == "any_list":
                values = [x.SerializeToString() for x in items]
            elif kind == "int64_list":
                values = [int(x) for x in items]
                if any(not -2**63 <= v < 2**63 for v in values):
                    raise ValueError("int64_list value out of range")
            else:
                values = [float(x) for x in items]
            collection = CollectionDef(kind, values)
    except Exception as exc:  # noqa: BLE001 - TF logs and skips unserialisable collections
        _logger.warning("Error encountered when serializing %s.\nType is unsupported, or the "
                        "types of the items don't match field type in CollectionDef.\n%s",
                        key, exc)
        return
    meta_graph_def.collection_def[key] = collection


def _strip_devices(graph_def_bytes):
    """The GraphDef with every NodeDef's device (field 4) removed."""
    out = []
    for number, wire_type, value in _fields(graph_def_bytes, "GraphDef"):
        if number == 1 and wire_type == pw.LENGTH_DELIMITED:
            value = b"".join(_raw_field(n, wt, v) for n, wt, v in _fields(value, "NodeDef")
                             if n != 4)
        out.append(_raw_field(number, wire_type, value))
    return b"".join(out)


def create_meta_graph_def(meta_info_def=None, graph_def=None, saver_def=None,
                          collection_list=None, graph=None, export_scope=None,
                          clear_devices=False, strip_default_attrs=False):
    """Builds a MetaGraphDef of ``graph`` (default: the default graph); with
    ``strip_default_attrs`` the NodeDefs leave out attrs equal to TF's defaults and
    ``meta_info_def.stripped_default_attrs`` says so."""
    graph = graph or ops.get_default_graph()
    if graph_def is not None and not isinstance(graph_def, (graph_def_lib.GraphDef, bytes)):
        raise TypeError(f"graph_def must be of type GraphDef, not {type(graph_def)}")
    if saver_def is not None and not isinstance(saver_def, SaverDef):
        raise TypeError(f"saver_def must be of type SaverDef, not {type(saver_def)}")
    meta_graph_def = MetaGraphDef()
    if meta_info_def is not None:
        meta_graph_def.meta_info_def.CopyFrom(meta_info_def)
        meta_graph_def.meta_info_def.any_info = meta_info_def.any_info
    meta_graph_def.meta_info_def.tensorflow_version = TENSORFLOW_VERSION
    meta_graph_def.meta_info_def.tensorflow_git_version = TENSORFLOW_GIT_VERSION
    if meta_graph_def.meta_info_def.any_info is None:
        meta_graph_def.meta_info_def.any_info = _marker()
    if graph_def is None:
        data = graph_def_lib.graph_to_graph_def(graph, add_shapes=True,
                                                strip_default_attrs=strip_default_attrs)
    else:
        data = graph_def if isinstance(graph_def, bytes) else graph_def.SerializeToString()
    if clear_devices:
        data = _strip_devices(data)
    meta_graph_def.graph_def = graph_def_lib.GraphDef(data)
    if strip_default_attrs:
        meta_graph_def.meta_info_def.stripped_default_attrs = True
    meta_graph_def._present.update(("meta_info_def", "graph_def"))
    if saver_def is not None:
        meta_graph_def.saver_def = SaverDef.FromString(saver_def.SerializeToString())
    keys = graph.get_all_collection_keys() if collection_list is None else collection_list
    for key in keys:
        add_collection_def(meta_graph_def, key, graph=graph, export_scope=export_scope)
    return meta_graph_def


def write_meta_graph_file(meta_graph_def, filename, as_text=False):
    """Writes ``meta_graph_def`` to ``filename`` atomically, creating its directory as TF's
    ``graph_io.write_graph`` does."""
    if as_text:
        raise NotImplementedError("tfcompat writes MetaGraphDef files in binary only; "
                                  "as_text=True is not supported")
    from tfcompat.lib.io.tensor_bundle import atomic_replace
    filename = os.fspath(filename)
    directory = os.path.dirname(filename)
    if directory:
        os.makedirs(directory, exist_ok=True)
    with atomic_replace(filename) as (f,):
        f.write(meta_graph_def.SerializeToString())


def export_scoped_meta_graph(filename=None, graph_def=None, graph=None, export_scope=None,
                             as_text=False, unbound_inputs_col_name="unbound_inputs",
                             clear_devices=False, saver_def=None, clear_extraneous_savers=False,
                             strip_default_attrs=False, meta_info_def=None,
                             collection_list=None, **kwargs):
    """Returns ``(MetaGraphDef, {name: Variable})`` and writes the file if ``filename``.

    Differences from TF1: ``export_scope`` is not supported; ``clear_extraneous_savers`` is
    accepted and has no effect; ``strip_default_attrs`` strips the graph tfcompat serialises
    (a ``graph_def`` passed in is written as it is).
    """
    if export_scope:
        raise NotImplementedError("export_scope is not supported by tfcompat's "
                                  "export_meta_graph yet")
    if as_text:
        raise NotImplementedError("tfcompat writes MetaGraphDef files in binary only; "
                                  "as_text=True is not supported")
    graph = graph or ops.get_default_graph()
    meta_graph_def = create_meta_graph_def(
        meta_info_def=meta_info_def, graph_def=graph_def, saver_def=saver_def,
        collection_list=collection_list, graph=graph, clear_devices=clear_devices,
        strip_default_attrs=strip_default_attrs)
    if filename:
        write_meta_graph_file(meta_graph_def, filename)
    var_list = {v.name: v for v in graph.get_collection(ops.GraphKeys.GLOBAL_VARIABLES)}
    return meta_graph_def, var_list


# ---- import ----------------------------------------------------------------------------------
def _looks_like_text(data):
    head = data[:200].lstrip()
    return re.match(rb"^(#|meta_info_def|graph_def|saver_def|collection_def|signature_def)",
                    head) is not None


def read_meta_graph_file(filename):
    """Reads a binary MetaGraphDef file (``meta_graph.read_meta_graph_file``); a missing or
    unparsable file raises IOError as in TF."""
    filename = os.fspath(filename)
    if not os.path.isfile(filename):
        raise OSError(f"File {filename} does not exist.")
    with open(filename, "rb") as f:
        data = f.read()
    if _looks_like_text(data):
        raise OSError(f"Cannot parse file {filename}: it is a text-format MetaGraphDef, which "
                      "tfcompat does not read (write it with as_text=False).")
    try:
        meta_graph_def = MetaGraphDef.FromString(data)
    except MetaGraphParseError as exc:
        raise OSError(f"Cannot parse file {filename}: {exc}.") from None
    if data and not (meta_graph_def.HasField("graph_def") or meta_graph_def.collection_def
                     or meta_graph_def.HasField("meta_info_def")):
        raise OSError(f"Cannot parse file {filename}: no MetaGraphDef fields found.")
    version = meta_graph_def.tfcompat_format_version
    if version is not None and version > FORMAT_VERSION:
        raise OSError(f"Cannot read file {filename}: it was written in tfcompat meta graph format "
                      f"{version}, and this tfcompat reads formats up to {FORMAT_VERSION}.")
    meta_graph_def._source = filename
    return meta_graph_def


def node_names_and_types(graph_def_bytes):
    """[(name, op type)] of the NodeDefs of a serialized GraphDef, read without parsing
    attributes (so an unsupported graph is diagnosed before anything else is decoded)."""
    out = []
    for number, wire_type, value in _fields(graph_def_bytes, "GraphDef"):
        if number != 1 or wire_type != pw.LENGTH_DELIMITED:
            continue
        name = op_type = ""
        for n, wt, v in _fields(value, "NodeDef"):
            if n in (1, 2) and wt == pw.LENGTH_DELIMITED:
                if n == 1:
                    name = _string(v, "NodeDef.name")
                else:
                    op_type = _string(v, "NodeDef.op")
        out.append((name, op_type))
    return out


def _check_op_types(graph_def_bytes, source):
    missing = {}
    for name, op_type in node_names_and_types(graph_def_bytes):
        try:
            get_op_def(op_type)
        except KeyError:
            missing.setdefault(op_type, []).append(name)
    if missing:
        listing = "; ".join(f"{op_type} (e.g. node '{names[0]}'"
                            + (f", and {len(names) - 1} more)" if len(names) > 1 else ")")
                            for op_type, names in sorted(missing.items()))
        raise ValueError(f"Cannot import the graph of {source}: op types not registered in "
                         f"tfcompat: {listing}")


class _Resolver:
    """Maps names of the imported GraphDef to the ops/tensors actually created (names differ
    from the file's when an import scope is used or a name was already taken)."""

    def __init__(self, graph, created, scope):
        self.graph, self.created, self.scope = graph, created, scope

    def element(self, name):
        control = name.startswith("^")
        body = name[1:] if control else name
        op_name, _, index = body.partition(":")
        op = self.created.get(op_name)
        if op is None:
            return self.graph.as_graph_element(prepend_name_scope(body, self.scope))
        if control or not index:
            return op
        return op.outputs[int(index)]

    def name(self, name):
        if not name:
            return name
        element = self.element(name)
        return ("^" if name.startswith("^") else "") + element.name

    def rename(self, proto, fields):
        copy = type(proto).FromString(proto.SerializeToString())
        for field in fields:
            setattr(copy, field, self.name(getattr(copy, field)))
        return copy


def import_scoped_meta_graph_with_return_elements(
        meta_graph_or_file, clear_devices=False, graph=None, import_scope=None, input_map=None,
        unbound_inputs_col_name="unbound_inputs",
        restore_collections_predicate=(lambda key: True), return_elements=None):
    """Imports the graph and collections of a MetaGraphDef into ``graph`` (default graph).

    Returns ``({name: Variable} of the imported global variables, return elements)``.
    The resolved names are also recorded for the Saver on ``meta_graph_def`` as
    ``_imported_saver_def`` (the SaverDef with the names the ops got here).
    """
    if isinstance(meta_graph_or_file, MetaGraphDef):
        meta_graph_def = meta_graph_or_file
    else:
        meta_graph_def = read_meta_graph_file(meta_graph_or_file)
    source = getattr(meta_graph_def, "_source", "the MetaGraphDef")
    if unbound_inputs_col_name and unbound_inputs_col_name in meta_graph_def.collection_def:
        values = [v.decode() if isinstance(v, bytes) else v for v in
                  meta_graph_def.collection_def[unbound_inputs_col_name].value]
        if values and (not input_map or sorted(values) != sorted(input_map)):
            raise ValueError("Graph contains unbound inputs: %s. Must provide these inputs "
                             "through input_map." % ",".join(
                                 v for v in values if not input_map or v not in input_map))
    graph = graph or ops.get_default_graph()
    _check_op_types(meta_graph_def.graph_def.SerializeToString(), source)
    nodes = meta_graph_def.graph_def.node
    if clear_devices:
        for node in nodes:
            node.device = ""
    with graph.as_default():
        scope = graph.unique_name(import_scope) if import_scope else ""
        created = graph_def_lib.import_graph_def(meta_graph_def.graph_def, input_map=input_map,
                                                 name=scope or None)
        _link_cond_merges(created)
        resolver = _Resolver(graph, created, scope)
        variables = {}  # VariableV2 op -> its Variable object, shared by all collections
        for key in sorted(meta_graph_def.collection_def):
            if key == unbound_inputs_col_name or not restore_collections_predicate(key):
                continue
            collection = meta_graph_def.collection_def[key]
            with _collection_errors(key):
                _restore_collection(graph, key, collection, resolver, variables)
        imported = {}
        for variable in graph.get_collection(ops.GraphKeys.GLOBAL_VARIABLES, scope=scope or None):
            imported[strip_name_scope(variable.name, scope)] = variable
        if meta_graph_def.saver_def is not None:
            meta_graph_def._imported_saver_def = resolver.rename(
                meta_graph_def.saver_def,
                ("filename_tensor_name", "save_tensor_name", "restore_op_name"))
        elements = None
        if return_elements is not None:
            elements = [resolver.element(name) for name in return_elements]
    return imported, elements


def _link_cond_merges(created):
    """Gives each imported tf.cond Merge its predicate, which its gradient needs: tf.cond
    (tfcompat's and TF's) names them ``<cond>/Merge*`` and ``<cond>/pred_id``."""
    for name, op in created.items():
        if op.type != "Merge" or getattr(op, "_cond_pred", None) is not None or "/" not in name:
            continue
        pred_op = created.get(name.rsplit("/", 1)[0] + "/pred_id")
        if pred_op is not None and pred_op.outputs:
            op._cond_pred = pred_op.outputs[0]


@contextlib.contextmanager
def _collection_errors(key):
    """Errors restoring collection ``key`` name it and stop the import, as in TF: skipping a
    corrupt entry would silently drop, say, a variable from the collections a Saver uses."""
    try:
        yield
    except (MetaGraphParseError, UnicodeDecodeError) as exc:
        raise DecodeError(f"Error parsing collection {key!r} of the meta graph: {exc}") from None
    except (KeyError, ValueError, TypeError, IndexError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        raise type(exc)(f"Collection {key!r} of the meta graph could not be restored: "
                        f"{message}") from None


def _restore_collection(graph, key, collection, resolver, variables):
    kind = collection.kind
    if kind is None:
        _logger.error("Cannot identify data type for collection %s. Skipping.", key)
        return
    from_proto = get_from_proto_function(key)
    if kind == "bytes_list" and key in VARIABLE_COLLECTIONS:
        for value in collection.value:
            variable_def = VariableDef.FromString(value)
            var_ref = resolver.element(variable_def.variable_name)
            variable = variables.get(var_ref.op)
            if variable is None:
                renamed = resolver.rename(variable_def, (
                    "variable_name", "initializer_name", "snapshot_name", "initial_value_name"))
                variable = variables[var_ref.op] = from_proto(renamed)
            graph.add_to_collection(key, variable)
    elif kind == "bytes_list" and from_proto is not None:
        proto_type = get_collection_proto_type(key)
        for value in collection.value:
            proto = proto_type.FromString(value)
            if isinstance(proto, SaverDef):
                proto = resolver.rename(proto, ("filename_tensor_name", "save_tensor_name",
                                                "restore_op_name"))
            graph.add_to_collection(key, from_proto(proto))
    elif key in _UNSUPPORTED_PROTO_COLLECTIONS:
        _logger.info("Collection %s holds protos tfcompat does not rebuild; skipped.", key)
    elif kind == "node_list":
        for name in collection.value:
            graph.add_to_collection(key, resolver.element(name))
    elif kind == "any_list":
        for value in collection.value:
            graph.add_to_collection(key, AnyProto.FromString(value))
    else:
        for value in collection.value:
            graph.add_to_collection(key, value)


def import_scoped_meta_graph(meta_graph_or_file, clear_devices=False, graph=None,
                             import_scope=None, input_map=None,
                             unbound_inputs_col_name="unbound_inputs",
                             restore_collections_predicate=(lambda key: True)):
    """Imports a MetaGraphDef; returns {name: Variable} of the imported global variables."""
    return import_scoped_meta_graph_with_return_elements(
        meta_graph_or_file, clear_devices=clear_devices, graph=graph,
        import_scope=import_scope, input_map=input_map,
        unbound_inputs_col_name=unbound_inputs_col_name,
        restore_collections_predicate=restore_collections_predicate)[0]
