"""``tfcompat scan PATH...``: the TensorFlow symbols scripts and notebooks use, each marked
supported or not by tfcompat, without running anything.

Sources are parsed with ``ast``. Names bound to TensorFlow modules (``import tensorflow as
tf``, ``import tensorflow.compat.v1 as tf``, ``from tensorflow.contrib import slim``) are
followed through attribute chains (``tf.nn.relu``, ``slim.conv2d``); ``from tensorflow...
import name`` counts the imported name. A symbol is supported when tfcompat resolves it: the
module imports as ``python -m tfcompat`` would import it, and every attribute exists (the
"does not implement ... yet" AttributeError means not). Directories are searched for
``*.py`` and ``*.ipynb``.
"""
import ast
import os
import sys

from tfcompat import runner
from tfcompat.tools.notebook_source import read_cells

_SYMBOL_ROOT = "tf"


def _module_path(dotted):
    """``tensorflow.compat.v1.nn`` -> ["nn"]; ``tensorflow.python.ops`` -> ["python", "ops"]."""
    parts = dotted.split(".")[1:]
    return parts[2:] if parts[:2] == ["compat", "v1"] else parts


def resolves(path):
    """Whether tfcompat has the TensorFlow symbol ``tf.<path>`` (a list of names)."""
    for split in range(len(path), -1, -1):
        module_name = ".".join(["tensorflow", *path[:split]])
        try:
            module = runner._import_tfcompat(module_name)
        except ImportError:
            continue
        except AttributeError:
            return False
        target = module
        try:
            for name in path[split:]:
                target = getattr(target, name)
        except AttributeError:
            return False
        return True
    return False


class _Uses(ast.NodeVisitor):
    """Collects (symbol path, line) pairs for one parsed source."""

    def __init__(self):
        self.aliases = {}  # local name -> module path
        self.uses = []

    def visit_Import(self, node):
        for alias in node.names:
            if alias.name == "tensorflow" or alias.name.startswith("tensorflow."):
                path = _module_path(alias.name)
                if alias.asname:
                    self.aliases[alias.asname] = path
                else:
                    self.aliases["tensorflow"] = []
                if path:
                    self.uses.append((path, node.lineno))

    def visit_ImportFrom(self, node):
        module = node.module or ""
        if node.level or not (module == "tensorflow" or module.startswith("tensorflow.")):
            return
        base = _module_path(module)
        for alias in node.names:
            if alias.name == "*":
                self.uses.append((base, node.lineno))
                continue
            path = base + [alias.name]
            self.aliases[alias.asname or alias.name] = path
            self.uses.append((path, node.lineno))

    def visit_Attribute(self, node):
        chain, current = [], node
        while isinstance(current, ast.Attribute):
            chain.append(current.attr)
            current = current.value
        if isinstance(current, ast.Name) and current.id in self.aliases:
            self.uses.append((self.aliases[current.id] + chain[::-1], node.lineno))
            return  # the inner attributes are prefixes of this chain
        self.generic_visit(node)


def _sources(path):
    """(location prefix, source text) units of a script or notebook."""
    if path.endswith(".ipynb"):
        return [(f"{path}:cell {cell.index}:", cell.source) for cell in read_cells(path)]
    with open(path, encoding="utf-8", errors="replace") as f:
        return [(f"{path}:", f.read())]


def scan_file(path):
    """{symbol: [locations]} and the parse errors of one file."""
    symbols, errors = {}, []
    aliases = {}
    for prefix, source in _sources(path):
        try:
            tree = ast.parse(source)
        except SyntaxError as exc:
            errors.append(f"{prefix}{exc.lineno}: could not parse ({exc.msg})")
            continue
        visitor = _Uses()
        visitor.aliases = aliases  # notebook cells share one namespace
        visitor.visit(tree)
        for symbol_path, line in visitor.uses:
            name = ".".join([_SYMBOL_ROOT, *symbol_path])
            symbols.setdefault(name, []).append(f"{prefix}{line}")
    return symbols, errors


def _files(paths):
    for path in paths:
        if os.path.isdir(path):
            for folder, _, names in sorted(os.walk(path)):
                for name in sorted(names):
                    if name.endswith((".py", ".ipynb")):
                        yield os.path.join(folder, name)
        else:
            yield path


def main(argv, out=None):
    """Prints each file's symbols and verdict; exit status 0 when all are supported."""
    out = out or sys.stdout
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: tfcompat scan PATH [PATH ...]  (scripts, notebooks or folders)",
              file=out)
        return 0 if argv else 2
    all_supported = True
    for path in _files(argv):
        if not os.path.isfile(path):
            print(f"{path}: no such file", file=out)
            all_supported = False
            continue
        symbols, errors = scan_file(path)
        missing = []
        for name in sorted(symbols):
            locations = symbols[name]
            ok = resolves(name.split(".")[1:])
            if not ok:
                missing.append(name)
            more = f" (+{len(locations) - 1} more)" if len(locations) > 1 else ""
            print(f"  {locations[0]} {name}{more}: {'supported' if ok else 'NOT SUPPORTED'}",
                  file=out)
        for error in errors:
            print(f"  {error}", file=out)
        verdict = ("runs on tfcompat as far as its TensorFlow symbols go" if not missing
                   else f"{len(missing)} unsupported: {', '.join(missing)}")
        print(f"{path}: {len(symbols)} TensorFlow symbols, {verdict}"
              + (f"; {len(errors)} part(s) not parsed" if errors else ""), file=out)
        all_supported = all_supported and not missing and not errors
    return 0 if all_supported else 1
