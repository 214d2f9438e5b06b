"""String ops (TF's string_ops.py): formatting numbers, joining, splitting, substrings,
regular expressions, hashing into buckets, parsing numbers.

String tensors are NumPy object arrays whose items are bytes (str items, as constants may
hold, are UTF-8 encoded on the way in); outputs hold bytes. Regular expressions use Python's
``re`` on bytes, which agrees with TF's RE2 for the common syntax (no backreferences in
patterns; rewrites name groups as ``\\1``).
"""
import base64
import binascii
import re

import numpy as np

from tfcompat.framework import dtypes, ops, tensor_shape
from tfcompat.framework.op_def import (OpDef, broadcast_shapes, constant_value, make_op,
                                       make_tensor, register_op)
from tfcompat.ops.sparse_tensor import SparseTensor
from tfcompat.lib.string_hash import fingerprint64, hash64, siphash24
from tfcompat.ops.array_ops import _invalid


def _to_bytes(item):
    if isinstance(item, np.ndarray):  # a scalar string input (pattern, delimiter)
        item = item[()]
    return item.encode() if isinstance(item, str) else bytes(item)


def _bytes_array(array):
    """An object array of bytes from a string array (items may be str or bytes)."""
    array = np.asarray(array, dtype=object)
    out = np.empty(array.shape, dtype=object)
    for index, item in np.ndenumerate(array):
        out[index] = _to_bytes(item)
    return out


def _map_strings(function, array, out_dtype=object):
    """``function`` applied to every item (as bytes) of a string array."""
    array = np.asarray(array, dtype=object)
    out = np.empty(array.shape, dtype=out_dtype)
    for index, item in np.ndenumerate(array):
        out[index] = function(_to_bytes(item))
    return out


def _string_input(value, name):
    """A tensor of ``value``; a Tensor of another dtype is left to the op's TypeError."""
    if isinstance(value, ops.Tensor):
        return value
    return ops.convert_to_tensor(value, dtype=dtypes.string, name=name)


def _check_string(op, tensor, argument):
    if tensor.dtype.base_dtype != dtypes.string:
        raise TypeError(f"Input '{argument}' of '{op.type}' Op has type "
                        f"{tensor.dtype.base_dtype.name} that does not match expected type of "
                        f"string.")


class _Elementwise(OpDef):
    """A string op mapping each item of its first input to one output item."""

    differentiable = False
    out_dtype = dtypes.string

    def infer(self, op):
        _check_string(op, op.inputs[0], "input")
        return [(op.inputs[0].shape, self.output_dtype(op))]

    def output_dtype(self, op):
        return self.out_dtype


# ---- formatting ------------------------------------------------------------------------------
@register_op
class AsString(_Elementwise):
    """Numbers and bools as strings (``tf.as_string``): C printf formats, "%f" style floats
    by default ("3.141590"), ``precision``/``scientific``/``shortest``/``width``/``fill``."""

    def infer(self, op):
        if op.inputs[0].dtype.base_dtype == dtypes.string:
            raise TypeError("Value passed to parameter 'input' has DataType string not in list "
                            "of allowed values: int8, int16, int32, int64, complex64, "
                            "complex128, float32, float64, bool")
        return [(op.inputs[0].shape, dtypes.string)]

    def kernel(self, op, ctx):
        attrs = op.attrs
        dtype = op.inputs[0].dtype.base_dtype
        if dtype == dtypes.bool:
            return lambda x: _map_bools(x)
        spec = "%" + (attrs["fill"] or "") + (str(attrs["width"]) if attrs["width"] > -1
                                              else "")
        if dtype.is_integer:
            spec += "d"
        else:
            if attrs["precision"] > -1:
                spec += f".{attrs['precision']}"
            spec += "e" if attrs["scientific"] else "g" if attrs["shortest"] else "f"
        if dtype.is_complex:
            return lambda x: _map_values(lambda v: f"({spec % v.real},{spec % v.imag})", x)
        return lambda x: _map_values(lambda v: spec % v, x)


def _map_values(function, array):
    out = np.empty(array.shape, dtype=object)
    for index, value in np.ndenumerate(array):
        out[index] = function(value).encode()
    return out


def _map_bools(array):
    return _map_values(lambda v: "true" if v else "false", array)


def as_string(input, precision=-1, scientific=False, shortest=False, width=-1,  # noqa: A002
              fill="", name=None):
    """``tf.as_string(input, precision=-1, scientific=False, shortest=False, width=-1,
    fill='', name=None)``."""
    if scientific and shortest:
        raise ValueError("Cannot select both scientific and shortest notation")
    if len(fill) > 1:
        raise ValueError(f"Fill string must be one or fewer characters: {fill}")
    return make_tensor("AsString", [ops.convert_to_tensor(input, name="input")],
                       {"precision": int(precision), "scientific": bool(scientific),
                        "shortest": bool(shortest), "width": int(width), "fill": fill},
                       name=name or "AsString")


# ---- joining ---------------------------------------------------------------------------------
@register_op
class StringJoin(OpDef):
    """Elementwise concatenation of string tensors (scalars broadcast) with ``separator``
    between them (``tf.string_join``)."""

    differentiable = False

    def infer(self, op):
        shape = tensor_shape.scalar()
        for index, tensor in enumerate(op.inputs):
            _check_string(op, tensor, f"inputs[{index}]")
            if tensor.shape.ndims != 0:
                if shape.ndims == 0:
                    shape = tensor.shape
                elif not shape.is_compatible_with(tensor.shape):
                    raise ValueError(f"Dimensions must be equal for '{op.name}' (op: "
                                     f"'StringJoin'): {shape} vs. {tensor.shape}")
                else:
                    shape = shape.merge_with(tensor.shape)
        return [(shape, dtypes.string)]

    def kernel(self, op, ctx):
        separator = _to_bytes(op.attrs["separator"])

        def join(*inputs):
            shapes = {np.shape(x) for x in inputs if np.ndim(x)}
            if len(shapes) > 1:
                raise _invalid(op, f"Input shapes do not match: {sorted(shapes)}")
            shape = shapes.pop() if shapes else ()
            parts = [np.broadcast_to(_bytes_array(x), shape) for x in inputs]
            out = np.empty(shape, dtype=object)
            for index in np.ndindex(*shape):
                out[index] = separator.join(p[index] for p in parts)
            return out
        return join


def string_join(inputs, separator="", name=None):
    """``tf.string_join(inputs, separator='', name=None)`` (``tf.strings.join``)."""
    tensors = [_string_input(x, f"inputs_{i}") for i, x in enumerate(inputs)]
    return make_tensor("StringJoin", tensors, {"separator": separator, "N": len(tensors)},
                       name=name or "StringJoin")


@register_op
class ReduceJoin(OpDef):
    """Joins the strings along ``reduction_indices`` (all when empty) with ``separator``
    (``tf.reduce_join``); ``keep_dims`` keeps the joined axes as size 1."""

    differentiable = False
    shape_determining_inputs = (1,)

    def infer(self, op):
        x, axes_tensor = op.inputs
        _check_string(op, x, "inputs")
        axes, keep = constant_value(axes_tensor), op.attrs["keep_dims"]
        if axes is None or x.shape.ndims is None:
            return [(tensor_shape.unknown_shape(), dtypes.string)]
        dims = x.shape.as_list()
        joined = _axes(op, axes, len(dims))
        out = [1 if i in joined else d for i, d in enumerate(dims)] if keep else [
            d for i, d in enumerate(dims) if i not in joined]
        return [(tensor_shape.TensorShape(out), dtypes.string)]

    def kernel(self, op, ctx):
        separator, keep = _to_bytes(op.attrs["separator"]), op.attrs["keep_dims"]

        def reduce_join(x, axes):
            x = _bytes_array(x)
            joined = sorted(_axes(op, axes, x.ndim))
            rest = [i for i in range(x.ndim) if i not in joined]
            moved = np.transpose(x, rest + joined).reshape(
                [x.shape[i] for i in rest] + [-1])
            out = np.empty(moved.shape[:-1], dtype=object)
            for index in np.ndindex(*out.shape):
                out[index] = separator.join(moved[index])
            if keep:
                out = out.reshape([1 if i in joined else x.shape[i] for i in range(x.ndim)])
            return out
        return reduce_join


def _axes(op, axes, rank):
    axes = np.ravel(axes)
    if axes.size == 0:
        return set(range(rank))
    for axis in axes:
        if not -rank <= axis < rank:
            raise ValueError(f"Invalid reduction dimension {axis} for input with {rank} "
                             f"dimensions. for '{op.name}' (op: 'ReduceJoin')")
    return {int(a) % rank for a in axes}


def reduce_join(inputs, axis=None, keep_dims=None, separator="", name=None,
                reduction_indices=None, keepdims=None):
    """``tf.reduce_join(inputs, axis=None, keep_dims=False, separator='', name=None)``."""
    axis = reduction_indices if axis is None else axis
    keep = bool(keepdims if keepdims is not None else keep_dims)
    inputs = _string_input(inputs, "inputs")
    axes = ops.convert_to_tensor([] if axis is None else axis, dtype=dtypes.int32,
                                 name="reduction_indices")
    return make_tensor("ReduceJoin", [inputs, axes], {"keep_dims": keep,
                                                      "separator": separator},
                       name=name or "ReduceJoin")


# ---- substrings, lengths, strip --------------------------------------------------------------
@register_op
class Substr(OpDef):
    """input[pos:pos + len] per element, pos < 0 counting from the end (``tf.substr``);
    a pos outside the string is an error."""

    differentiable = False

    def infer(self, op):
        x, pos, length = op.inputs
        _check_string(op, x, "input")
        shape = broadcast_shapes(op, broadcast_shapes(op, x.shape, pos.shape), length.shape)
        return [(shape, dtypes.string)]

    def kernel(self, op, ctx):
        def substr(x, pos, length):
            x, pos, length = np.broadcast_arrays(_bytes_array(x), pos, length)
            out = np.empty(x.shape, dtype=object)
            for index, item in np.ndenumerate(x):
                start = int(pos[index])
                if not -len(item) <= start <= len(item):
                    raise _invalid(op, f"pos {start} out of range for string b'"
                                   f"{item.decode(errors='replace')}' at index {index}")
                start += len(item) if start < 0 else 0
                out[index] = item[start:start + max(int(length[index]), 0)]
            return out
        return substr


def substr(input, pos, len, name=None, unit="BYTE"):  # noqa: A002 (TF's argument names)
    """``tf.substr(input, pos, len, name=None, unit='BYTE')`` (bytes only)."""
    if unit != "BYTE":
        raise NotImplementedError("tfcompat: substr with unit='UTF8_CHAR'")
    pos = ops.convert_to_tensor(pos, name="pos")
    length = ops.convert_to_tensor(len, dtype=pos.dtype.base_dtype, name="len")
    return make_tensor("Substr", [_string_input(input, "input"), pos, length],
                       {"unit": unit}, name=name or "Substr")


@register_op
class StringLength(_Elementwise):
    """The number of bytes of each string (``tf.strings.length``)."""

    out_dtype = dtypes.int32

    def kernel(self, op, ctx):
        return lambda x: _map_strings(len, x, np.int32)


def string_length(input, name=None, unit="BYTE"):  # noqa: A002
    """``tf.strings.length(input, name=None, unit='BYTE')``."""
    if unit != "BYTE":
        raise NotImplementedError("tfcompat: strings.length with unit='UTF8_CHAR'")
    return make_tensor("StringLength", [_string_input(input, "input")], {"unit": unit},
                       name=name or "StringLength")


@register_op
class StringStrip(_Elementwise):
    """Leading and trailing whitespace removed (``tf.string_strip``)."""

    def kernel(self, op, ctx):
        return lambda x: _map_strings(bytes.strip, x)


def string_strip(input, name=None):  # noqa: A002
    """``tf.string_strip(input, name=None)`` (``tf.strings.strip``)."""
    return make_tensor("StringStrip", [_string_input(input, "input")],
                       name=name or "StringStrip")


# ---- regular expressions ----------------------------------------------------------------------
def _compile(op, pattern):
    try:
        return re.compile(_to_bytes(pattern))
    except re.error as exc:
        raise _invalid(op, f"Invalid pattern: {_to_bytes(pattern).decode(errors='replace')}, "
                       f"error: {exc}") from None


@register_op
class RegexReplace(_Elementwise):
    """Matches of ``pattern`` replaced by ``rewrite`` (``\\1`` names a group), all of them
    or only the first (``replace_global``) (``tf.regex_replace``)."""

    def kernel(self, op, ctx):
        count = 0 if op.attrs["replace_global"] else 1

        def regex_replace(x, pattern, rewrite):
            compiled = _compile(op, pattern)
            rewrite = re.sub(rb"\\(\d)", rb"\\g<\1>", _to_bytes(rewrite))  # RE2's \0 etc.
            return _map_strings(lambda s: compiled.sub(rewrite, s, count=count), x)
        return regex_replace


def regex_replace(input, pattern, rewrite, replace_global=True, name=None):  # noqa: A002
    """``tf.regex_replace(input, pattern, rewrite, replace_global=True, name=None)``."""
    return make_tensor("RegexReplace", [_string_input(input, "input"),
                                        _string_input(pattern, "pattern"),
                                        _string_input(rewrite, "rewrite")],
                       {"replace_global": bool(replace_global)}, name=name or "RegexReplace")


@register_op
class RegexFullMatch(_Elementwise):
    """Whether each whole string matches ``pattern`` (``tf.strings.regex_full_match``)."""

    out_dtype = dtypes.bool

    def kernel(self, op, ctx):
        def full_match(x, pattern):
            compiled = _compile(op, pattern)
            return _map_strings(lambda s: compiled.fullmatch(s) is not None, x, np.bool_)
        return full_match


@register_op
class StaticRegexFullMatch(_Elementwise):
    """RegexFullMatch with the pattern as attr ``pattern`` (what TF's regex_full_match builds
    for a Python-string pattern; TF's sharded Saver checks its prefix for "^s3://.*")."""

    out_dtype = dtypes.bool

    def kernel(self, op, ctx):
        compiled = _compile(op, op.attrs["pattern"])
        return lambda x: _map_strings(lambda s: compiled.fullmatch(s) is not None, x, np.bool_)


def regex_full_match(input, pattern, name=None):  # noqa: A002
    """``tf.strings.regex_full_match(input, pattern, name=None)``."""
    return make_tensor("RegexFullMatch", [_string_input(input, "input"),
                                          _string_input(pattern, "pattern")],
                       name=name or "RegexFullMatch")


# ---- hashing ----------------------------------------------------------------------------------
class _HashBucket(_Elementwise):
    out_dtype = dtypes.int64

    def kernel(self, op, ctx):
        buckets = op.attrs["num_buckets"]
        digest = self.digest(op)
        return lambda x: _map_strings(lambda s: digest(s) % buckets, x, np.int64)


@register_op
class StringToHashBucketFast(_HashBucket):
    """FarmHash Fingerprint64(s) mod num_buckets (``tf.string_to_hash_bucket_fast``)."""

    def digest(self, op):
        return fingerprint64


@register_op
class StringToHashBucketStrong(_HashBucket):
    """SipHash-2-4 of s under ``key`` mod num_buckets
    (``tf.string_to_hash_bucket_strong``)."""

    def digest(self, op):
        key = op.attrs["key"]
        return lambda s: siphash24(key, s)


@register_op
class StringToHashBucket(_HashBucket):
    """TF's legacy Hash64(s) mod num_buckets (``tf.string_to_hash_bucket``)."""

    def digest(self, op):
        return hash64


def _check_buckets(num_buckets):
    if num_buckets < 1:
        raise ValueError(f"Value for attr 'num_buckets' of {num_buckets} must be at least "
                         f"minimum 1")
    return int(num_buckets)


def string_to_hash_bucket_fast(input, num_buckets, name=None):  # noqa: A002
    """``tf.string_to_hash_bucket_fast(input, num_buckets, name=None)``."""
    return make_tensor("StringToHashBucketFast", [_string_input(input, "input")],
                       {"num_buckets": _check_buckets(num_buckets)},
                       name=name or "StringToHashBucketFast")


def string_to_hash_bucket(string_tensor, num_buckets, name=None):
    """``tf.string_to_hash_bucket(string_tensor, num_buckets, name=None)``."""
    return make_tensor("StringToHashBucket", [_string_input(string_tensor, "string_tensor")],
                       {"num_buckets": _check_buckets(num_buckets)},
                       name=name or "StringToHashBucket")


def string_to_hash_bucket_strong(input, num_buckets, key, name=None):  # noqa: A002
    """``tf.string_to_hash_bucket_strong(input, num_buckets, key, name=None)``."""
    key = [int(k) for k in key]
    if len(key) != 2:
        raise ValueError(f"Key must have 2 elements, got {len(key)}")
    return make_tensor("StringToHashBucketStrong", [_string_input(input, "input")],
                       {"num_buckets": _check_buckets(num_buckets), "key": key},
                       name=name or "StringToHashBucketStrong")


# ---- web-safe base64 ---------------------------------------------------------------------------
@register_op
class EncodeBase64(_Elementwise):
    """Web-safe base64 ("-" and "_"), "=" padding only with ``pad`` (``tf.encode_base64``)."""

    def kernel(self, op, ctx):
        pad = op.attrs["pad"]

        def encode(item):
            text = base64.urlsafe_b64encode(item)
            return text if pad else text.rstrip(b"=")
        return lambda x: _map_strings(encode, x)


@register_op
class DecodeBase64(_Elementwise):
    """The bytes of web-safe base64 strings, padded or not (``tf.decode_base64``)."""

    def kernel(self, op, ctx):
        def decode(item):
            if re.search(rb"[^A-Za-z0-9_\-=]", item):
                raise _invalid(op, "Invalid character found in base64.")
            try:
                return base64.urlsafe_b64decode(item.rstrip(b"=") + b"=" * (-len(
                    item.rstrip(b"=")) % 4))
            except (binascii.Error, ValueError):
                raise _invalid(op, "Invalid base64 string length.") from None
        return lambda x: _map_strings(decode, x)


def encode_base64(input, pad=False, name=None):  # noqa: A002
    """``tf.encode_base64(input, pad=False, name=None)`` (``tf.io.encode_base64``)."""
    return make_tensor("EncodeBase64", [_string_input(input, "input")], {"pad": bool(pad)},
                       name=name or "EncodeBase64")


def decode_base64(input, name=None):  # noqa: A002
    """``tf.decode_base64(input, name=None)`` (``tf.io.decode_base64``)."""
    return make_tensor("DecodeBase64", [_string_input(input, "input")],
                       name=name or "DecodeBase64")


# ---- parsing numbers ---------------------------------------------------------------------------
@register_op
class StringToNumber(_Elementwise):
    """Each string parsed as a number of ``out_type`` (``tf.string_to_number``)."""

    def output_dtype(self, op):
        return op.attrs["out_type"]

    def kernel(self, op, ctx):
        out_type = op.attrs["out_type"]
        parse = float if out_type.is_floating else int

        def parse_item(item):
            try:
                return parse(item.strip() if parse is int else item)
            except ValueError:
                raise _invalid(op, f"StringToNumberOp could not correctly convert string: "
                               f"{item.decode(errors='replace')}") from None
        return lambda x: _map_strings(parse_item, x).astype(out_type.as_numpy_dtype)


def string_to_number(string_tensor, out_type=dtypes.float32, name=None):
    """``tf.string_to_number(string_tensor, out_type=tf.float32, name=None)``."""
    out_type = dtypes.as_dtype(out_type)
    if out_type not in (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64):
        raise TypeError(f"Value passed to parameter 'out_type' has DataType {out_type.name} not "
                        f"in list of allowed values: float32, float64, int32, int64")
    return make_tensor("StringToNumber", [_string_input(string_tensor, "string_tensor")],
                       {"out_type": out_type}, name=name or "StringToNumber")


# ---- splitting -----------------------------------------------------------------------------------
@register_op
class StringSplit(OpDef):
    """Splits each string of a vector at any byte of ``delimiter`` (every byte when it is
    empty), dropping empty pieces with ``skip_empty`` -> a SparseTensor's indices, values and
    shape (``tf.string_split``)."""

    differentiable = False
    dynamic_output_shape = True

    def infer(self, op):
        x = op.inputs[0]
        _check_string(op, x, "input")
        if x.shape.ndims not in (None, 1):
            raise ValueError(f"Shape must be rank 1 but is rank {x.shape.ndims} for "
                             f"'{op.name}' (op: 'StringSplit')")
        return [(tensor_shape.TensorShape([None, 2]), dtypes.int64),
                (tensor_shape.TensorShape([None]), dtypes.string),
                (tensor_shape.TensorShape([2]), dtypes.int64)]

    def kernel(self, op, ctx):
        skip_empty = op.attrs["skip_empty"]

        def split(x, delimiter):
            delimiter = _to_bytes(delimiter)
            if delimiter:
                pattern = re.compile(b"[" + re.escape(delimiter) + b"]")
                pieces = [pattern.split(_to_bytes(s)) for s in x]
            else:
                pieces = [[bytes([c]) for c in _to_bytes(s)] for s in x]
            if skip_empty:
                pieces = [[p for p in row if p] for row in pieces]
            return _sparse_pieces(pieces)
        return split


@register_op
class StringSplitV2(OpDef):
    """Python's str.split per string: at ``sep`` (every occurrence, empty pieces kept) or,
    with an empty sep, at whitespace runs; at most ``maxsplit`` splits
    (``tf.strings.split``)."""

    differentiable = False
    dynamic_output_shape = True
    infer = StringSplit.infer

    def kernel(self, op, ctx):
        maxsplit = op.attrs["maxsplit"]

        def split(x, sep):
            sep = _to_bytes(sep) or None
            return _sparse_pieces([_to_bytes(s).split(sep, maxsplit) for s in x])
        return split


def _sparse_pieces(pieces):
    indices = [(row, column) for row, parts in enumerate(pieces) for column in range(len(parts))]
    values = np.empty(len(indices), dtype=object)
    values[:] = [p for parts in pieces for p in parts]
    width = max((len(parts) for parts in pieces), default=0)
    return (np.array(indices, dtype=np.int64).reshape(-1, 2), values,
            np.array([len(pieces), width], dtype=np.int64))


def string_split(source, delimiter=" ", skip_empty=True, name=None, sep=None):
    """``tf.string_split(source, delimiter=' ', skip_empty=True)`` -> a SparseTensor."""
    delimiter = sep if sep is not None else delimiter
    outputs = make_op("StringSplit", [_string_input(source, "source"),
                                      _string_input(delimiter, "delimiter")],
                      {"skip_empty": bool(skip_empty)}, name=name or "StringSplit").outputs
    return SparseTensor(*outputs)


def strings_split(source, sep=None, maxsplit=-1, name=None):
    """``tf.strings.split(source, sep=None, maxsplit=-1)`` (TF 1.x: a SparseTensor)."""
    outputs = make_op("StringSplitV2", [_string_input(source, "input"),
                                        _string_input(sep or "", "sep")],
                      {"maxsplit": int(maxsplit)}, name=name or "StringSplitV2").outputs
    return SparseTensor(*outputs)


# ---- format ------------------------------------------------------------------------------------
@register_op
class StringFormat(OpDef):
    """``template`` with each ``placeholder`` replaced by one input printed as TF prints
    tensors ("[1 2 3]", "[0 1 2 ... 7 8 9]" beyond 2 * summarize entries per dimension)
    (``tf.strings.format``)."""

    differentiable = False

    def infer(self, op):
        return [(tensor_shape.scalar(), dtypes.string)]

    def kernel(self, op, ctx):
        pieces = op.attrs["template"].split(op.attrs["placeholder"])
        summarize = op.attrs["summarize"]

        def string_format(*inputs):
            text = pieces[0]
            for value, piece in zip(inputs, pieces[1:], strict=True):
                text += _format_tensor(np.asarray(value), summarize) + piece
            return np.array(text.encode(), dtype=object)
        return string_format


def _format_item(value):
    if isinstance(value, (bytes, str)):
        return '"' + (value.decode(errors="replace") if isinstance(value, bytes) else value) \
            + '"'
    if isinstance(value, (bool, np.bool_)):
        return "True" if value else "False"
    if isinstance(value, (float, np.floating)):
        return f"{float(value):g}" if np.isfinite(value) else str(float(value))
    return str(value)


def _format_tensor(array, summarize, depth=0):
    """TF's SummarizeArray: nested brackets, space-separated items, rows on new lines."""
    if not isinstance(array, np.ndarray):  # an item of an object array
        return _format_item(array)
    if array.ndim == 0:
        return _format_item(array[()])
    count = array.shape[0]
    shown = list(range(count))
    if 0 <= summarize and count > 2 * summarize:
        shown = list(range(summarize)) + [None] + list(range(count - summarize, count))
    parts = ["..." if i is None else _format_tensor(array[i], summarize, depth + 1)
             for i in shown]
    joiner = " " if array.ndim == 1 else "\n" * (array.ndim - 1) + " " * (depth + 1)
    return "[" + joiner.join(parts) + "]"


def string_format(template, inputs, placeholder="{}", summarize=3, name=None):
    """``tf.strings.format(template, inputs, placeholder='{}', summarize=3)``."""
    if not isinstance(inputs, (list, tuple)):
        inputs = [inputs]
    inputs = [ops.convert_to_tensor(x) for x in inputs]
    if template.count(placeholder) != len(inputs):
        raise ValueError(f"{template.count(placeholder)} placeholder(s) in template does not "
                         f"match {len(inputs)} tensor(s) provided as input")
    return make_tensor("StringFormat", inputs, {"template": template,
                                                "placeholder": placeholder,
                                                "summarize": int(summarize)},
                       name=name or "StringFormat")


# ---- fingerprints --------------------------------------------------------------------------
def _row_fingerprint(row, is_string):
    """Fingerprint64 of one batch row: of its single string, of its strings' fingerprints
    laid end to end, or of its numbers' little-endian bytes."""
    if is_string:
        texts = [v if isinstance(v, bytes) else str(v).encode() for v in row]
        if len(texts) == 1:
            return fingerprint64(texts[0])
        data = np.array([fingerprint64(t) for t in texts], "<u8").tobytes()
        return fingerprint64(data)
    return fingerprint64(np.ascontiguousarray(row).tobytes())


@register_op
class Fingerprint(OpDef):
    """Eight bytes of farmhash Fingerprint64 per batch row (``tf.fingerprint``)."""

    differentiable = False

    def infer(self, op):
        data = op.inputs[0]
        if data.shape.ndims is not None and data.shape.ndims < 1:
            raise ValueError(f"Shape must be at least rank 1 but is rank 0 for '{op.name}' "
                             f"(op: 'Fingerprint') with input shapes: [], [].")
        batch = data.shape[0] if data.shape.ndims else None
        return [(tensor_shape.TensorShape([batch, 8]), dtypes.uint8)]

    def kernel(self, op, ctx):
        def fingerprint(data, method):
            if _as_text(method.item()) != "farmhash64":
                raise _invalid(op, f"Unsupported fingerprint method: {_as_text(method.item())}")
            rows = data.reshape(data.shape[0], -1) if data.ndim else data.reshape(1, 1)
            is_string = data.dtype == object
            if not is_string and rows.dtype.byteorder == ">":
                rows = rows.astype(rows.dtype.newbyteorder("<"))
            codes = [_row_fingerprint(row, is_string) for row in rows]
            return np.array(codes, "<u8").view(np.uint8).reshape(-1, 8)
        return fingerprint


def _as_text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def fingerprint(data, method="farmhash64", name=None):
    """``tf.fingerprint(data, method='farmhash64')``: [batch, 8] uint8 fingerprints of the
    rows of ``data`` (TF's: for strings, of each string, combined when a row has several)."""
    data = ops.convert_to_tensor(data, name="data")
    method = ops.convert_to_tensor(method, dtype=dtypes.string, name="method")
    return make_tensor("Fingerprint", [data, method], {"T": data.dtype.base_dtype},
                       name=name or "Fingerprint")


__all__ = [
    "fingerprint",
    "as_string", "string_join", "reduce_join", "substr", "string_strip", "regex_replace",
    "string_to_hash_bucket_fast", "string_to_hash_bucket_strong", "string_to_number",
    "string_split", "string_to_hash_bucket", "encode_base64", "decode_base64",
]
