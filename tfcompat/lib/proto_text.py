"""Protobuf text format of serialized GraphDef messages (``tf.train.write_graph``'s
``as_text=True``).

A small schema of graph.proto, node_def.proto, attr_value.proto, tensor.proto,
tensor_shape.proto and versions.proto says each field's name and kind; fields are printed in
field-number order and map entries (``attr``) sorted by key, as Python's text_format (which
TF's write_graph uses) does; bytes are C-escaped with octal escapes, floats written in their
shortest round-trip form.
"""
import struct

import numpy as np

from tfcompat.lib import proto_wire as pw

_DATA_TYPES = {
    1: "DT_FLOAT", 2: "DT_DOUBLE", 3: "DT_INT32", 4: "DT_UINT8", 5: "DT_INT16", 6: "DT_INT8",
    7: "DT_STRING", 8: "DT_COMPLEX64", 9: "DT_INT64", 10: "DT_BOOL", 11: "DT_QINT8",
    12: "DT_QUINT8", 13: "DT_QINT32", 14: "DT_BFLOAT16", 15: "DT_QINT16", 16: "DT_QUINT16",
    17: "DT_UINT16", 18: "DT_COMPLEX128", 19: "DT_HALF", 20: "DT_RESOURCE", 21: "DT_VARIANT",
    22: "DT_UINT32", 23: "DT_UINT64"}

# message name -> [(field number, field name, kind, repeated)] in declaration order; kind is
# a scalar type ("string", "bytes", "int64", "int32", "bool", "float", "double", "enum")
# or a message name. Repeated scalars may arrive packed.
_SCHEMA = {
    "GraphDef": [(1, "node", "NodeDef", True), (4, "versions", "VersionDef", False),
                 (3, "version", "int32", False)],
    "NodeDef": [(1, "name", "string", False), (2, "op", "string", False),
                (3, "input", "string", True), (4, "device", "string", False),
                (5, "attr", "AttrEntry", True)],
    "AttrEntry": [(1, "key", "string", False), (2, "value", "AttrValue", False)],
    "AttrValue": [(1, "list", "ListValue", False), (2, "s", "bytes", False),
                  (3, "i", "int64", False), (4, "f", "float", False), (5, "b", "bool", False),
                  (6, "type", "enum", False), (7, "shape", "TensorShapeProto", False),
                  (8, "tensor", "TensorProto", False), (9, "placeholder", "string", False)],
    "ListValue": [(2, "s", "bytes", True), (3, "i", "int64", True), (4, "f", "float", True),
                  (5, "b", "bool", True), (6, "type", "enum", True),
                  (7, "shape", "TensorShapeProto", True), (8, "tensor", "TensorProto", True)],
    "TensorShapeProto": [(2, "dim", "Dim", True), (3, "unknown_rank", "bool", False)],
    "Dim": [(1, "size", "int64", False), (2, "name", "string", False)],
    "TensorProto": [(1, "dtype", "enum", False), (2, "tensor_shape", "TensorShapeProto", False),
                    (3, "version_number", "int32", False), (4, "tensor_content", "bytes", False),
                    (13, "half_val", "int32", True), (5, "float_val", "float", True),
                    (6, "double_val", "double", True), (7, "int_val", "int32", True),
                    (8, "string_val", "bytes", True), (9, "scomplex_val", "float", True),
                    (10, "int64_val", "int64", True), (11, "bool_val", "bool", True),
                    (12, "dcomplex_val", "double", True)],
    "VersionDef": [(1, "producer", "int32", False), (2, "min_consumer", "int32", False),
                   (3, "bad_consumers", "int32", True)],
}
# saved_model.proto and meta_graph.proto (``SavedModelBuilder.save(as_text=True)``).
_SCHEMA.update({
    "SavedModel": [(1, "saved_model_schema_version", "int64", False),
                   (2, "meta_graphs", "MetaGraphDef", True)],
    "MetaGraphDef": [(1, "meta_info_def", "MetaInfoDef", False),
                     (2, "graph_def", "GraphDef", False), (3, "saver_def", "SaverDef", False),
                     (4, "collection_def", "CollectionDefEntry", True),
                     (5, "signature_def", "SignatureDefEntry", True),
                     (6, "asset_file_def", "AssetFileDef", True)],
    "MetaInfoDef": [(1, "meta_graph_version", "string", False), (3, "any_info", "Any", False),
                    (4, "tags", "string", True), (5, "tensorflow_version", "string", False),
                    (6, "tensorflow_git_version", "string", False),
                    (7, "stripped_default_attrs", "bool", False)],
    "Any": [(1, "type_url", "string", False), (2, "value", "bytes", False)],
    "SaverDef": [(1, "filename_tensor_name", "string", False),
                 (2, "save_tensor_name", "string", False),
                 (3, "restore_op_name", "string", False), (4, "max_to_keep", "int32", False),
                 (5, "sharded", "bool", False),
                 (6, "keep_checkpoint_every_n_hours", "float", False),
                 (7, "version", "CheckpointFormatVersion", False)],
    "CollectionDefEntry": [(1, "key", "string", False), (2, "value", "CollectionDef", False)],
    "CollectionDef": [(1, "node_list", "NodeList", False), (2, "bytes_list", "BytesList", False),
                      (3, "int64_list", "Int64List", False),
                      (4, "float_list", "FloatList", False), (5, "any_list", "AnyList", False)],
    "NodeList": [(1, "value", "string", True)],
    "BytesList": [(1, "value", "bytes", True)],
    "Int64List": [(1, "value", "int64", True)],
    "FloatList": [(1, "value", "float", True)],
    "AnyList": [(1, "value", "Any", True)],
    "SignatureDefEntry": [(1, "key", "string", False), (2, "value", "SignatureDef", False)],
    "SignatureDef": [(1, "inputs", "TensorInfoEntry", True),
                     (2, "outputs", "TensorInfoEntry", True),
                     (3, "method_name", "string", False)],
    "TensorInfoEntry": [(1, "key", "string", False), (2, "value", "TensorInfo", False)],
    "TensorInfo": [(1, "name", "string", False), (2, "dtype", "enum", False),
                   (3, "tensor_shape", "TensorShapeProto", False),
                   (4, "coo_sparse", "CooSparse", False)],
    "CooSparse": [(1, "values_tensor_name", "string", False),
                  (2, "indices_tensor_name", "string", False),
                  (3, "dense_shape_tensor_name", "string", False)],
    "AssetFileDef": [(1, "tensor_info", "TensorInfo", False), (2, "filename", "string", False)],
})
# Enums other than DataType ("enum"), by their value names.
_ENUMS = {"CheckpointFormatVersion": {0: "LEGACY", 1: "V1", 2: "V2"}}


def _escape(data):
    """C escaping as protobuf's CEscape: \\n \\r \\t \\" \\' \\\\ and octal for the rest."""
    named = {10: "\\n", 13: "\\r", 9: "\\t", 34: '\\"', 39: "\\'", 92: "\\\\"}
    return "".join(named.get(b) or (chr(b) if 32 <= b < 127 else f"\\{b:03o}") for b in data)


def _float_text(value, double):
    if np.isnan(value):
        return "nan"
    if np.isinf(value):
        return "inf" if value > 0 else "-inf"
    text = repr(float(value)) if double else str(np.float32(value))
    return text[:-2] if text.endswith(".0") else text


def _scalars(kind, wire_type, value):
    """The values of one (possibly packed) scalar field occurrence."""
    if kind in ("float", "double"):
        fmt = "<f" if kind == "float" else "<d"
        if wire_type == pw.LENGTH_DELIMITED:
            return [x for (x,) in struct.iter_unpack(fmt, value)]
        return [struct.unpack(fmt, value.to_bytes(struct.calcsize(fmt), "little"))[0]]
    if wire_type == pw.LENGTH_DELIMITED and kind not in ("string", "bytes"):
        return pw.decode_packed_varints(value)
    return [value]


def _scalar_text(kind, value):
    if kind in ("string", "bytes"):
        return f'"{_escape(value)}"'
    if kind == "bool":
        return "true" if value else "false"
    if kind == "enum":
        return _DATA_TYPES.get(value % 100, str(value)) + ("_REF" if value > 100 else "")
    if kind in _ENUMS:
        return _ENUMS[kind].get(value, str(value))
    if kind in ("float", "double"):
        return _float_text(value, kind == "double")
    return str(pw.as_int64(value))


def message_to_text(data, message="GraphDef", indent=0):
    """The text format of the serialized ``message`` ``data``."""
    by_number = {number: (name, kind) for number, name, kind, _ in _SCHEMA[message]}
    found = {}
    for number, wire_type, value in pw.iter_fields(data):
        if number in by_number:
            found.setdefault(number, []).append((wire_type, value))
    lines = []
    pad = " " * indent
    for number, name, kind, _ in sorted(_SCHEMA[message]):  # field-number order
        occurrences = found.get(number, [])
        if kind in _SCHEMA:
            if kind.endswith("Entry"):  # map entries, sorted by key as text_format prints them
                occurrences = sorted(occurrences, key=lambda o: _entry_key(o[1]))
            for _, value in occurrences:
                lines.append(f"{pad}{name} {{")
                lines.append(message_to_text(value, kind, indent + 2))
                lines.append(f"{pad}}}")
            continue
        for wire_type, value in occurrences:
            for item in _scalars(kind, wire_type, value):
                lines.append(f"{pad}{name}: {_scalar_text(kind, item)}")
    return "\n".join(line for line in lines if line)


def _entry_key(data):
    for number, _, value in pw.iter_fields(data):
        if number == 1:
            return value
    return b""


def graph_def_to_text(data):
    """A serialized GraphDef as the text TF's ``write_graph(as_text=True)`` writes."""
    text = message_to_text(data, "GraphDef")
    return text + "\n" if text else ""
