"""``tf.train.Example`` and its parts (TF's example.proto / feature.proto), written by hand:

    BytesList { repeated bytes value = 1; }   FloatList { repeated float value = 1 [packed]; }
    Int64List { repeated int64 value = 1 [packed]; }
    Feature { oneof kind { BytesList bytes_list = 1; FloatList float_list = 2;
                           Int64List int64_list = 3; } }
    Features { map<string, Feature> feature = 1; }      Example { Features features = 1; }
    FeatureList { repeated Feature feature = 1; }
    FeatureLists { map<string, FeatureList> feature_list = 1; }
    SequenceExample { Features context = 1; FeatureLists feature_lists = 2; }

They behave like the protobuf classes for what input pipelines use: keyword construction,
nested attribute access (``example.features.feature["x"].float_list.value``, created on
first access), ``SerializeToString`` (the bytes TF's Python protobuf writes: map entries in
insertion order), ``FromString`` / ``ParseFromString`` (a malformed message raises
``DecodeError``) and ``WhichOneof("kind")``.
"""
import struct

from tfcompat.lib import proto_wire as pw


class DecodeError(ValueError):
    """A serialized message that is not valid (protobuf's ``message.DecodeError``)."""


class _Message(pw.Message):
    """Shared protobuf-like behaviour: equality by serialization, FromString."""

    def __eq__(self, other):
        return type(other) is type(self) and other.SerializeToString() == \
            self.SerializeToString()

    def __hash__(self):
        raise TypeError(f"unhashable type: '{type(self).__name__}'")

    def ParseFromString(self, data):  # noqa: N802
        self.Clear()
        try:
            self._merge(bytes(data))
        except (pw.WireError, struct.error, UnicodeDecodeError) as exc:
            raise DecodeError(f"Error parsing message: {exc}") from None
        return len(data)

    def __repr__(self):
        return f"{type(self).__name__}({self.SerializeToString()!r})"


class _ValueList(_Message):
    def __init__(self, value=()):
        self.value = list(value)

    def Clear(self):  # noqa: N802
        self.value = []


class BytesList(_ValueList):
    def SerializeToString(self):  # noqa: N802
        return b"".join(pw.field_bytes(1, v) for v in self.value)

    def _merge(self, data):
        for field, _, value in pw.iter_fields(data):
            if field == 1:
                self.value.append(value)


class FloatList(_ValueList):
    def SerializeToString(self):  # noqa: N802
        if not self.value:
            return b""
        return pw.field_bytes(1, struct.pack(f"<{len(self.value)}f", *self.value))

    def _merge(self, data):
        for field, wire_type, value in pw.iter_fields(data):
            if field != 1:
                continue
            if wire_type == pw.LENGTH_DELIMITED:
                self.value.extend(struct.unpack(f"<{len(value) // 4}f", value))
            else:
                self.value.append(struct.unpack("<f", struct.pack("<I", value))[0])


class Int64List(_ValueList):
    def SerializeToString(self):  # noqa: N802
        return pw.field_packed_varints(1, [int(v) & (1 << 64) - 1 for v in self.value])

    def _merge(self, data):
        for field, wire_type, value in pw.iter_fields(data):
            if field != 1:
                continue
            if wire_type == pw.LENGTH_DELIMITED:
                self.value.extend(pw.as_int64(v) for v in pw.decode_packed_varints(value))
            else:
                self.value.append(pw.as_int64(value))


_KINDS = (("bytes_list", BytesList, 1), ("float_list", FloatList, 2),
          ("int64_list", Int64List, 3))


class Feature(_Message):
    """One of bytes_list, float_list, int64_list (``WhichOneof("kind")``)."""

    def __init__(self, bytes_list=None, float_list=None, int64_list=None):
        self._kind, self._value = None, None
        for name, given in (("bytes_list", bytes_list), ("float_list", float_list),
                            ("int64_list", int64_list)):
            if given is not None:
                self._kind, self._value = name, given

    def __getattr__(self, name):
        for kind, cls, _ in _KINDS:
            if name == kind:
                if self._kind is None:  # an unset oneof: the member read is the one set
                    self._kind, self._value = kind, cls()
                return self._value if self._kind == kind else cls()
        raise AttributeError(name)

    def WhichOneof(self, group):  # noqa: N802
        return self._kind if group == "kind" else None

    def Clear(self):  # noqa: N802
        self._kind, self._value = None, None

    def SerializeToString(self):  # noqa: N802
        if self._kind is None:
            return b""
        number = next(n for kind, _, n in _KINDS if kind == self._kind)
        return pw.field_bytes(number, self._value.SerializeToString())

    def _merge(self, data):
        for field, _, value in pw.iter_fields(data):
            for kind, cls, number in _KINDS:
                if field == number:
                    self._kind, self._value = kind, cls.FromString(value)


class _FeatureMap(dict):
    def __missing__(self, key):
        feature = self[key] = Feature()
        return feature


def _serialize_map(entries):
    return b"".join(pw.field_bytes(1, pw.field_bytes(1, key) + pw.field_bytes(
        2, message.SerializeToString())) for key, message in entries.items())


def _merge_map(data, entries, value_class):
    for field, _, entry in pw.iter_fields(data):
        if field != 1:
            continue
        key, message = "", value_class()
        for number, _, value in pw.iter_fields(entry):
            if number == 1:
                key = value.decode("utf-8")
            elif number == 2:
                message = value_class.FromString(value)
        entries[key] = message


class Features(_Message):
    def __init__(self, feature=None):
        self.feature = _FeatureMap(feature or {})

    def Clear(self):  # noqa: N802
        self.feature = _FeatureMap()

    def SerializeToString(self):  # noqa: N802
        return _serialize_map(self.feature)

    def _merge(self, data):
        _merge_map(data, self.feature, Feature)


class Example(_Message):
    def __init__(self, features=None):
        self.features = features if features is not None else Features()

    def Clear(self):  # noqa: N802
        self.features = Features()

    def SerializeToString(self):  # noqa: N802
        inner = self.features.SerializeToString()
        return pw.field_bytes(1, inner) if inner or self.features.feature else b""

    def _merge(self, data):
        for field, _, value in pw.iter_fields(data):
            if field == 1:
                self.features = Features.FromString(value)


class _RepeatedFeatures(list):
    """A repeated Feature field: ``add()`` appends and returns a new Feature."""

    def add(self, **fields):
        feature = Feature(**fields)
        self.append(feature)
        return feature


class FeatureList(_Message):
    """The Features of one sequence feature, one per time step."""

    def __init__(self, feature=None):
        self.feature = _RepeatedFeatures(feature or [])

    def Clear(self):  # noqa: N802
        self.feature = _RepeatedFeatures()

    def SerializeToString(self):  # noqa: N802
        return b"".join(pw.field_bytes(1, f.SerializeToString()) for f in self.feature)

    def _merge(self, data):
        for field, _, value in pw.iter_fields(data):
            if field == 1:
                self.feature.append(Feature.FromString(value))


class _FeatureListMap(dict):
    def __missing__(self, key):
        feature_list = self[key] = FeatureList()
        return feature_list


class FeatureLists(_Message):
    def __init__(self, feature_list=None):
        self.feature_list = _FeatureListMap(feature_list or {})

    def Clear(self):  # noqa: N802
        self.feature_list = _FeatureListMap()

    def SerializeToString(self):  # noqa: N802
        return _serialize_map(self.feature_list)

    def _merge(self, data):
        _merge_map(data, self.feature_list, FeatureList)


class SequenceExample(_Message):
    """Context Features and per-step FeatureLists (``tf.train.SequenceExample``)."""

    def __init__(self, context=None, feature_lists=None):
        self.context = context if context is not None else Features()
        self.feature_lists = feature_lists if feature_lists is not None else FeatureLists()

    def Clear(self):  # noqa: N802
        self.context, self.feature_lists = Features(), FeatureLists()

    def SerializeToString(self):  # noqa: N802
        parts = []
        for number, message, entries in ((1, self.context, self.context.feature),
                                         (2, self.feature_lists,
                                          self.feature_lists.feature_list)):
            inner = message.SerializeToString()
            if inner or entries:
                parts.append(pw.field_bytes(number, inner))
        return b"".join(parts)

    def _merge(self, data):
        for field, _, value in pw.iter_fields(data):
            if field == 1:
                self.context = Features.FromString(value)
            elif field == 2:
                self.feature_lists = FeatureLists.FromString(value)
