"""Protocol-buffer wire format, encoding and strict decoding, without a protobuf library.

Reproduces the bytes that TF's C++ serializer writes for the flat messages tfcompat needs
(tensor-bundle entries, event files, GraphDefs): fields are emitted in the order the caller
gives them, which must be increasing field number to match TF byte for byte.  The decoder
never trusts a length: every read is bounds-checked and errors raise `WireError`.
"""
import struct

VARINT = 0
FIXED64 = 1
LENGTH_DELIMITED = 2
FIXED32 = 5

_U64 = (1 << 64) - 1


class WireError(ValueError):
    """The bytes are not a valid protobuf encoding (callers turn it into their own error)."""


class Message:
    """The protobuf message methods that follow from a hand-written message class's
    ``ParseFromString`` and ``SerializeToString``: ``FromString`` and ``CopyFrom``."""

    @classmethod
    def FromString(cls, data):  # noqa: N802 (protobuf API name)
        message = cls()
        message.ParseFromString(data)
        return message

    def CopyFrom(self, other):  # noqa: N802
        self.ParseFromString(other.SerializeToString())


class DeclaredMessage(Message):
    """A flat message declared by ``FIELDS``, in field-number order: (name, number, kind)
    with kind "string", "bytes", "int64", "uint32", "enum" or a message class (a list of one: a
    repeated field). Keyword construction, protobuf's error for an unknown field, and
    serialization as TF's C++ code writes it (proto3: defaults left off)."""

    FIELDS = ()

    def __init__(self, **values):
        for name, _, kind in self.FIELDS:
            setattr(self, name, [] if isinstance(kind, list) else
                    kind() if isinstance(kind, type) else
                    {"string": "", "bytes": b""}.get(kind, 0))
        for name, value in values.items():
            if name not in {field[0] for field in self.FIELDS}:
                raise ValueError(f'Protocol message {type(self).__name__} has no "{name}" '
                                 "field.")
            setattr(self, name, list(value) if isinstance(getattr(self, name), list) else value)

    def SerializeToString(self):  # noqa: N802 (protobuf API name)
        out = b""
        for name, number, kind in self.FIELDS:
            value = getattr(self, name)
            if isinstance(kind, list):
                out += b"".join(field_bytes(number, item.SerializeToString())
                                for item in value)
            elif isinstance(kind, type):
                data = value.SerializeToString()  # an empty message is left off
                out += field_bytes(number, data) if data else b""
            elif value:  # proto3 leaves defaults off the wire
                out += field_bytes(number, value) if kind in ("string", "bytes") else \
                    field_varint(number, value)
        return out

    def ParseFromString(self, data):  # noqa: N802 (protobuf API name)
        self.__init__()
        fields = {number: (name, kind) for name, number, kind in self.FIELDS}
        for number, _, value in iter_fields(data):
            if number not in fields:
                continue  # a field this class does not keep, as protobuf skips unknown ones
            name, kind = fields[number]
            if isinstance(kind, list):
                getattr(self, name).append(kind[0].FromString(value))
            elif isinstance(kind, type):
                setattr(self, name, kind.FromString(value))
            elif kind == "string":
                setattr(self, name, bytes(value).decode("utf-8"))
            elif kind == "bytes":
                setattr(self, name, bytes(value))
            else:
                setattr(self, name, as_int64(value) if kind in ("int64", "enum") else value)
        return len(data)

    def __eq__(self, other):
        return type(self) is type(other) and \
            self.SerializeToString() == other.SerializeToString()

    def __repr__(self):
        return f"{type(self).__name__}({self.SerializeToString()!r})"


# --------------------------------------------------------------------------- encoding

def encode_varint(value):
    """Unsigned LEB128; a negative int32/int64 is sign-extended to 64 bits (10 bytes)."""
    value = int(value)
    if value < 0:
        value &= _U64
    out = bytearray()
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def tag(field_number, wire_type):
    return encode_varint((field_number << 3) | wire_type)


def field_varint(field_number, value):
    """An int32/int64/uint/enum/bool field (bools as 0/1)."""
    return tag(field_number, VARINT) + encode_varint(value)


def field_fixed32(field_number, value):
    return tag(field_number, FIXED32) + struct.pack("<I", value)


def field_fixed64(field_number, value):
    return tag(field_number, FIXED64) + struct.pack("<Q", value)


def field_float(field_number, value):
    return tag(field_number, FIXED32) + struct.pack("<f", value)


def field_double(field_number, value):
    return tag(field_number, FIXED64) + struct.pack("<d", value)


def field_bytes(field_number, data):
    """A bytes, string (str is UTF-8 encoded) or embedded-message (its serialization) field."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return tag(field_number, LENGTH_DELIMITED) + encode_varint(len(data)) + bytes(data)


def field_packed_varints(field_number, values):
    """A packed repeated varint field; proto3 writes nothing for an empty list."""
    if not values:
        return b""
    return field_bytes(field_number, b"".join(encode_varint(v) for v in values))


# --------------------------------------------------------------------------- decoding

def decode_varint(buf, pos, end=None, bits=64):
    """Decodes the varint at ``buf[pos:end]``; returns ``(value, next_pos)``.

    ``bits`` is 64 for varint64 (at most 10 bytes) and 32 for varint32 (at most 5 bytes);
    a value that does not fit is an error.
    """
    if end is None:
        end = len(buf)
    result = 0
    for i in range((bits + 6) // 7):
        if pos + i >= end:
            raise WireError("truncated varint")
        byte = buf[pos + i]
        result |= (byte & 0x7F) << (7 * i)
        if byte < 0x80:
            if result >> bits:
                raise WireError("varint overflows %d bits" % bits)
            return result, pos + i + 1
    raise WireError("varint%d longer than %d bytes" % (bits, (bits + 6) // 7))


def as_int64(value):
    """Reinterprets a decoded varint as a signed int64 (protobuf int32/int64 fields)."""
    return value - (1 << 64) if value >> 63 else value


def iter_fields(buf):
    """Yields ``(field_number, wire_type, value)`` for each field of a serialized message.

    ``value`` is an int for VARINT/FIXED32/FIXED64 (raw unsigned) and bytes for
    LENGTH_DELIMITED.  Groups (3, 4) and undefined wire types raise `WireError`.
    """
    buf = memoryview(buf).cast("B")
    pos, end = 0, len(buf)
    while pos < end:
        key, pos = decode_varint(buf, pos, end)
        field_number, wire_type = key >> 3, key & 7
        if field_number == 0 or field_number >= 1 << 29:
            raise WireError("invalid field number %d" % field_number)
        if wire_type == VARINT:
            value, pos = decode_varint(buf, pos, end)
        elif wire_type in (FIXED32, FIXED64):
            width = 4 if wire_type == FIXED32 else 8
            if pos + width > end:
                raise WireError("truncated fixed%d field %d" % (width * 8, field_number))
            value = int.from_bytes(buf[pos:pos + width], "little")
            pos += width
        elif wire_type == LENGTH_DELIMITED:
            length, pos = decode_varint(buf, pos, end)
            if length > end - pos:
                raise WireError("field %d: length %d runs past the end of the message"
                                % (field_number, length))
            value = bytes(buf[pos:pos + length])
            pos += length
        else:
            raise WireError("unsupported wire type %d (field %d)" % (wire_type, field_number))
        yield field_number, wire_type, value


def decode_packed_varints(data):
    """The values of a packed repeated varint field."""
    values, pos = [], 0
    while pos < len(data):
        value, pos = decode_varint(data, pos)
        values.append(value)
    return values
