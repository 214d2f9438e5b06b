"""The attrs a NodeDef of an op carries in TensorFlow, from TF's op signatures.

tfcompat's ops keep only the attrs their kernels need (``Transpose`` has none); TensorFlow's
NodeDefs carry every attr of the op's registered signature (``T`` and ``Tperm``), and TF
refuses a graph whose nodes lack one without a default. ``node_attrs(op)`` fills them, as
TF's ``op_def_library`` does when it builds a node: type attrs from the dtypes of the inputs
and outputs bound to them (``x: T``), list lengths from the number of tensors bound
(``values: N * T``), type lists from their dtypes, the rest from the op's own attrs or TF's
default, each value converted to the attr's kind (an int ``alpha`` becomes a float). Attrs
tfcompat keeps that TF's signature lacks are written as ``_tfcompat_<name>``: TF ignores
attrs whose names start with ``_``, and ``import_graph_def`` gives them back their names.
Op types TF does not have keep their attrs as they are.
"""
import ast
import functools

import numpy as np

from tfcompat.framework import dtypes, tensor_shape
from tfcompat.framework.tf_op_signatures import SIGNATURES

PRIVATE_PREFIX = "_tfcompat_"


class Arg:
    """One input or output arg: ``kind`` is a type attr, a type-list attr or a dtype name;
    ``number_attr`` names the attr counting its tensors (``N * T``)."""

    __slots__ = ("name", "kind", "number_attr", "is_ref")

    def __init__(self, text):
        self.name, _, kind = (part.strip() for part in text.partition(":"))
        self.is_ref = kind.startswith("Ref(")
        if self.is_ref:
            kind = kind[len("Ref("):-1]
        count, star, kind = kind.rpartition(" * ")
        self.number_attr = count if star else None
        self.kind = kind


class Signature:
    """A parsed ``SIGNATURES`` entry: ``inputs``, ``outputs`` (Args) and ``attrs``
    ({name: (attr kind, has_default, default)}) in TF's order."""

    def __init__(self, text):
        args, _, attrs = text.partition(" | ")
        inputs, _, outputs = args.partition(" -> ")
        self.inputs = [Arg(a) for a in inputs.split(", ") if a]
        self.outputs = [Arg(a) for a in outputs.split(", ") if a]
        self.attrs = {}
        for entry in filter(None, attrs.split("; ")):
            name, _, rest = entry.partition(": ")
            kind, equals, default = rest.partition(" = ")
            self.attrs[name] = (kind, bool(equals),
                                ast.literal_eval(default) if equals else None)

    def list_lengths(self, args, count):
        """{attr: length} for the ``N * T`` and type-list args when ``count`` tensors are
        bound to ``args``: the variable part is shared evenly among the args of the one
        length attr (TF binds ``indices: N * int32, data: N * T`` the same way)."""
        variable = [a for a in args if a.number_attr or self.is_type_list(a)]
        names = {a.number_attr or a.kind for a in variable}
        if len(names) != 1:
            return {}
        fixed = len(args) - len(variable)
        return {names.pop(): max(count - fixed, 0) // len(variable)}

    def is_type_list(self, arg):
        return self.attrs.get(arg.kind, ("",))[0] == "list(type)"


@functools.lru_cache(maxsize=None)
def signature(op_type):
    """TF's signature of ``op_type`` (a ``Signature``), or None for tfcompat-only types."""
    text = SIGNATURES.get(op_type)
    if text is None:
        return None
    return Signature(text if isinstance(text, str) else "".join(text))


def _bind(sig, args, tensors, lengths, derived):
    """Records in ``derived`` the type, type-list and length attrs ``tensors`` give."""
    position = 0
    for arg in args:
        if arg.number_attr:
            count = lengths.get(arg.number_attr, 0)
            derived.setdefault(arg.number_attr, count)
        elif sig.is_type_list(arg):
            count = lengths.get(arg.kind, 0)
        else:
            count = 1
        bound = tensors[position:position + count]
        position += count
        if sig.is_type_list(arg):
            derived.setdefault(arg.kind, [t.dtype.base_dtype for t in bound])
        elif arg.kind in sig.attrs and bound:
            derived.setdefault(arg.kind, bound[0].dtype.base_dtype)


def _lengths(sig, args, tensors, stored):
    lengths = {name: len(value) if isinstance(value, (list, tuple)) else value
               for name, value in stored.items()
               if name in sig.attrs and sig.attrs[name][0] in ("int", "list(type)")}
    for name, value in sig.list_lengths(args, len(tensors)).items():
        lengths.setdefault(name, value)
    return lengths


def _shape(value):
    if value is None:
        return tensor_shape.unknown_shape()
    return tensor_shape.as_shape([None if d is not None and d < 0 else d for d in value]
                                 if isinstance(value, (list, tuple)) else value)


_SCALARS = {"type": dtypes.as_dtype, "int": int, "float": float, "bool": bool,
            "shape": _shape, "string": lambda v: v if isinstance(v, bytes) else str(v),
            "tensor": np.asarray}


def convert(kind, value):
    """``value`` as the Python value ``graph_def.attr_value`` encodes as an attr of ``kind``
    (TF's AttrValue field for it): ints of float attrs become floats, names dtypes ..."""
    if kind.startswith("list("):
        item = _SCALARS[kind[len("list("):-1]]
        return [item(v) for v in value]
    if kind in _SCALARS:
        return _SCALARS[kind](value)
    return value  # func attrs: tfcompat keeps its own objects


def _same(kind, value, default):
    """Whether an attr value equals its default (floats compared as the float32 TF keeps)."""
    if kind in ("float", "list(float)"):
        return np.array_equal(np.float32(value), np.float32(default))
    if kind in ("shape", "list(shape)"):
        def dims(shape):
            return None if shape.ndims is None else shape.as_list()
        if kind == "shape":
            return dims(value) == dims(default)
        return [dims(s) for s in value] == [dims(s) for s in default]
    return value == default


def node_attrs(op, strip_default_attrs=False):
    """{name: value} of the attrs op's NodeDef carries: TF's attrs of its type (in the
    signature's order) then tfcompat's own ones under ``_tfcompat_<name>``. With
    ``strip_default_attrs``, attrs equal to TF's default are left out (TF's importers add
    them back), as TF's ``export_meta_graph(strip_default_attrs=True)`` writes them."""
    stored = op.attrs
    sig = signature(op.type)
    if sig is None:
        return dict(stored)
    derived = {}
    for args, tensors in ((sig.inputs, list(op.inputs)), (sig.outputs, op.outputs)):
        _bind(sig, args, tensors, _lengths(sig, args, tensors, stored), derived)
    attrs = {}
    for name, (kind, has_default, default) in sig.attrs.items():
        if name in stored and (stored[name] is not None or kind == "shape"):  # None: "?"
            attrs[name] = convert(kind, stored[name])
        elif name in derived:
            attrs[name] = convert(kind, derived[name])
        elif has_default:
            attrs[name] = convert(kind, default)
        if strip_default_attrs and has_default and name in attrs and _same(
                kind, attrs[name], convert(kind, default)):
            del attrs[name]
    for name, value in stored.items():
        if name not in sig.attrs:
            attrs[PRIVATE_PREFIX + name] = value
    return attrs


def attr_or_derived(op, name):
    """The value of attr ``name`` of ``op`` as TF's ``Operation.get_attr`` gives it: its own,
    or the one its NodeDef carries (``T`` of an Add); KeyError when neither has it."""
    if name in op.attrs:
        return op.attrs[name]
    return node_attrs(op)[name]


def imported_attrs(op_type, attrs):
    """Attrs of an imported NodeDef as the op is built with: ``_tfcompat_<name>`` back to
    ``name``, TF's internal ``_`` attrs (``_output_shapes``, ``_class``) left out, and TF's
    defaults for attrs a NodeDef leaves out (``strip_default_attrs``), as TF's importer adds
    them."""
    sig = signature(op_type)
    out = {name: convert(kind, default)
           for name, (kind, has_default, default) in (sig.attrs.items() if sig else ())
           if has_default}
    for name, value in attrs.items():
        if name.startswith(PRIVATE_PREFIX):
            out[name[len(PRIVATE_PREFIX):]] = value
        elif not name.startswith("_"):
            out[name] = value
    return out
