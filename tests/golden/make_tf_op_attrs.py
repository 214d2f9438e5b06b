"""Writes TensorFlow's op signatures (input/output args, attrs with types and defaults) for
every op type tfcompat registers that TensorFlow has:

- tests/golden/tf_op_attrs.json: the golden, as TensorFlow's op registry lists them;
- tfcompat/framework/tf_op_signatures.py: the same facts in TF's REGISTER_OP notation, the
  table tfcompat's GraphDef writer fills NodeDef attrs from.

Run with the scratch TensorFlow venv from the worktree root:
    python -c "import tfcompat.ops, tfcompat.framework.op_def as d; \
        [l() for l in d._LOADERS]; print('\\n'.join(d.registered_op_types()))" > /tmp/types
    /work/tfvenv/bin/python tests/golden/make_tf_op_attrs.py /tmp/types
"""
import json
import os
import sys
import textwrap

import tensorflow as tf
from tensorflow.python.framework import op_def_registry

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _dtype(enum):
    return tf.as_dtype(enum).name


def _shape(shape):
    return None if shape.unknown_rank else [d.size for d in shape.dim]


def default_of(attr):
    """(has_default, value) with dtypes as names and shapes as None (unknown rank) or dims."""
    value = attr.default_value
    which = value.WhichOneof("value")
    if which is None:
        return False, None
    if which == "type":
        return True, _dtype(value.type)
    if which == "shape":
        return True, _shape(value.shape)
    if which == "s":
        return True, value.s.decode()
    if which in ("i", "f", "b"):
        return True, getattr(value, which)
    if which == "list":
        kind = attr.type[len("list("):-1]
        items = getattr(value.list, {"type": "type", "int": "i", "float": "f", "bool": "b",
                                     "string": "s", "shape": "shape"}[kind])
        convert = {"type": _dtype, "shape": _shape, "string": bytes.decode}.get(kind, None)
        return True, [convert(v) if convert else v for v in items]
    raise ValueError(f"no notation for a default of kind {which} ({attr.name})")


def _arg_json(arg):
    out = {"name": arg.name}
    if arg.type:
        out["type"] = _dtype(arg.type)
    for key in ("type_attr", "number_attr", "type_list_attr"):
        if getattr(arg, key):
            out[key] = getattr(arg, key)
    if arg.is_ref:
        out["is_ref"] = True
    return out


def golden_entry(op_def):
    attrs = []
    for attr in op_def.attr:
        has_default, value = default_of(attr) if attr.type != "tensor" else (False, None)
        entry = {"name": attr.name, "type": attr.type}
        if has_default:
            entry["default"] = value
        attrs.append(entry)
    return {"inputs": [_arg_json(a) for a in op_def.input_arg],
            "outputs": [_arg_json(a) for a in op_def.output_arg], "attrs": attrs}


def _arg_notation(arg):
    kind = arg.type_attr or arg.type_list_attr or _dtype(arg.type)
    if arg.number_attr:
        kind = f"{arg.number_attr} * {kind}"
    if arg.is_ref:
        kind = f"Ref({kind})"
    return f"{arg.name}: {kind}"


def notation(op_def):
    """'x: T, perm: Tperm -> y: T | T: type; Tperm: type = 'int32'' (defaults as literals)."""
    attrs = []
    for attr in op_def.attr:
        has_default, value = default_of(attr) if attr.type != "tensor" else (False, None)
        text = f"{attr.name}: {attr.type}" + (f" = {value!r}" if has_default else "")
        assert ";" not in text and "|" not in text, text
        attrs.append(text)
    return (", ".join(_arg_notation(a) for a in op_def.input_arg) + " -> "
            + ", ".join(_arg_notation(a) for a in op_def.output_arg) + " | "
            + "; ".join(attrs))


def _python_table(entries):
    lines = ['"""TensorFlow\'s signatures of the op types tfcompat registers, in the notation of',
             "TF's REGISTER_OP: ``inputs -> outputs | attrs`` (``N * T`` a list of N tensors,",
             "``Ref(T)`` a reference input; attr defaults as Python literals, dtypes by name,",
             "shapes as dims or None for unknown rank). Written from TensorFlow "
             f"{tf.__version__}'s op",
             'registry by tests/golden/make_tf_op_attrs.py; do not edit by hand."""',
             "", "SIGNATURES = {"]
    for name, text in entries:
        pieces = textwrap.wrap(text, 84 - len(name), break_long_words=False,
                               drop_whitespace=False, break_on_hyphens=False)
        assert "".join(pieces) == text
        lines.append(f"    {name!r}: {pieces[0]!r}" if len(pieces) == 1 else f"    {name!r}: (")
        if len(pieces) > 1:
            lines.extend(f"        {piece!r}" for piece in pieces)
            lines[-1] += ")"
        lines[-1] += ","
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(types_file):
    names = sorted(open(types_file).read().split())
    op_defs = [(n, op_def_registry.get(n)) for n in names]
    op_defs = [(n, d) for n, d in op_defs if d is not None]
    golden = os.path.join(ROOT, "tests", "golden", "tf_op_attrs.json")
    with open(golden, "w") as f:
        f.write('{"tensorflow_version": %s, "ops": {\n' % json.dumps(tf.__version__))
        f.write(",\n".join(f"{json.dumps(n)}: {json.dumps(golden_entry(d), sort_keys=True)}"
                           for n, d in op_defs))
        f.write("\n}}\n")
    table = os.path.join(ROOT, "tfcompat", "framework", "tf_op_signatures.py")
    with open(table, "w") as f:
        f.write(_python_table([(n, notation(d)) for n, d in op_defs]))
    print(f"{len(op_defs)} op types written to {golden} and {table}")


if __name__ == "__main__":
    main(sys.argv[1])
