"""Run TF 1.x scripts unchanged: ``import tensorflow`` gives tfcompat.

``install_as_tensorflow()`` puts a finder first on ``sys.meta_path`` that answers every import of
``tensorflow`` or ``tensorflow.X.Y`` with the tfcompat module of the same path, registered under
the TensorFlow name as the same object (``tensorflow.contrib is tfcompat.contrib``). Two paths
differ: ``tensorflow.compat.v1`` is tfcompat itself, and ``tensorflow.python.X.Y`` (TF's
internal layout, which tfcompat's packages mirror) is ``tfcompat.X.Y``. ``run_script`` runs a
file as ``python SCRIPT.py`` would, with the aliases in place.
"""
import ast
import contextlib
import functools
import importlib
import importlib.abc
import importlib.machinery
import inspect
import math
import os
import re
import runpy
import sys
import types
import warnings

import numpy


def tfcompat_candidates(name):
    """The tfcompat module names that TensorFlow module ``name`` may be, in the order tried."""
    parts = name.split(".")[1:]
    if parts[:2] == ["compat", "v1"]:
        return [".".join(["tfcompat", *parts[2:]])]
    literal = ".".join(["tfcompat", *parts])
    if parts[:1] == ["python"]:
        return [".".join(["tfcompat", *parts[1:]]), literal]
    if parts[:1] == ["contrib"] and parts[2:3] == ["python"]:
        # TF's contrib/<X>/python/<ops|layers|slim ...>/<module>: tfcompat's contrib/<X>/<module>
        return [literal, ".".join(["tfcompat", *parts[:2], *parts[4:]])]
    return [literal]


def _import_tfcompat(name):
    candidates = tfcompat_candidates(name)
    for candidate in candidates:
        try:
            return importlib.import_module(candidate)
        except ModuleNotFoundError as exc:
            # Move on only when the candidate itself (or a package above it) does not exist; a
            # module missing inside an existing one is an error to show as it is.
            if exc.name is None or not (candidate + ".").startswith(exc.name + "."):
                raise
    raise ModuleNotFoundError(f"No module named {name!r}: tfcompat does not provide that module "
                              f"yet (looked for {' and '.join(candidates)})", name=name)


class _TensorFlowAliases(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finder and loader of ``tensorflow.*`` names; the modules themselves are tfcompat's."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "tensorflow" and not fullname.startswith("tensorflow."):
            return None
        module = _import_tfcompat(fullname)
        return importlib.machinery.ModuleSpec(fullname, self,
                                              is_package=hasattr(module, "__path__"),
                                              loader_state=(module, module.__spec__))

    def create_module(self, spec):
        return spec.loader_state[0]

    def exec_module(self, module):
        alias_spec = module.__spec__
        # The import system has just set the alias spec on the shared module; give the module its
        # own back so that reloads and relative imports inside tfcompat keep working.
        module.__spec__ = alias_spec.loader_state[1]
        if alias_spec.name == "tensorflow.compat":
            # tfcompat.compat is a plain module, so the import system would refuse to look for a
            # submodule "v1" in it; a name already in sys.modules is taken without looking.
            sys.modules.setdefault("tensorflow.compat.v1", sys.modules["tfcompat"])


def install_as_tensorflow():
    """Makes ``import tensorflow`` and its submodules resolve to tfcompat. Idempotent.

    Raises RuntimeError when the real TensorFlow is already imported in this process.
    """
    loaded = sys.modules.get("tensorflow")
    if loaded is not None and not loaded.__name__.startswith("tfcompat"):
        raise RuntimeError("the real TensorFlow is already imported; call "
                           "install_as_tensorflow() before any import of tensorflow")
    if not any(isinstance(finder, _TensorFlowAliases) for finder in sys.meta_path):
        sys.meta_path.insert(0, _TensorFlowAliases())


# Names NumPy removed (the builtin aliases in 1.24, the rest in 2.0) with their old meanings:
# values, or the name of the NumPy attribute they were an alias of.
_REMOVED_NUMPY_NAMES = {
    "int": int, "float": float, "bool": bool, "object": object, "complex": complex, "str": str,
    "unicode": str, "long": int,
    "NINF": -math.inf, "PZERO": 0.0, "NZERO": -0.0,
    "infty": "inf", "Inf": "inf", "Infinity": "inf", "PINF": "inf", "NaN": "nan", "NAN": "nan",
    "float_": "float64", "complex_": "complex128", "cfloat": "complex128",
    "singlecomplex": "complex64", "longfloat": "longdouble", "clongfloat": "clongdouble",
    "longcomplex": "clongdouble", "string_": "bytes_", "unicode_": "str_", "bool8": "bool_",
    "int0": "intp", "uint0": "uintp", "object0": "object_", "str0": "str_", "bytes0": "bytes_",
    "void0": "void",
    "alltrue": "all", "sometrue": "any", "product": "prod", "cumproduct": "cumprod",
    "round_": "round", "trapz": "trapezoid",
}


@contextlib.contextmanager
def restored_numpy_names():
    """Restores, while active, the removed NumPy names this NumPy lacks (``np.int`` is int ...).

    Names NumPy 2 still has under a new meaning (``np.bool`` is ``np.bool_``, ``np.long`` the C
    long type) are left alone. ``np.reshape`` takes its removed ``newshape`` keyword again
    (the GAN examples' ``np.reshape(x, newshape=[-1, 28, 28, 1])``).
    """
    added = {}
    with warnings.catch_warnings():  # NumPy warns on some lookups of names it plans to reuse
        warnings.simplefilter("ignore")
        for name, meaning in _REMOVED_NUMPY_NAMES.items():
            if not hasattr(numpy, name):
                added[name] = getattr(numpy, meaning) if isinstance(meaning, str) else meaning
    reshape = numpy.reshape
    if "newshape" not in inspect.signature(reshape).parameters:
        numpy.reshape = _reshape_taking_newshape(reshape)
    vars(numpy).update(added)
    try:
        yield
    finally:
        numpy.reshape = reshape
        for name in added:
            vars(numpy).pop(name, None)


def _reshape_taking_newshape(reshape):
    """``reshape`` that also takes the shape as ``newshape=`` (NumPy before 2.4)."""
    @functools.wraps(reshape)
    def reshape_(a, *args, newshape=None, **kwargs):
        if newshape is not None:
            if args or "shape" in kwargs:
                raise TypeError("You cannot specify 'newshape' and 'shape' arguments at the "
                                "same time.")
            kwargs["shape"] = newshape
        return reshape(a, *args, **kwargs)
    return reshape_


# --- the epochs cap (TFCOMPAT_EPOCHS_CAP, set by --epochs-cap) -------------------------------

# n_epochs, the book's misspelt n_epoches, and n_epochs_<anything> (n_epochs_pretrain ...).
_EPOCH_COUNT = re.compile(r"n_epoche?s(_\w+)?\Z")


class _EpochsCap(ast.NodeTransformer):
    """Lowers the integer literals a script gives its epoch counts to at most ``cap``: values
    assigned to module-level names (also inside module-level if/with/for/try blocks, such as
    ``if __name__ == "__main__":``) and keyword arguments of calls anywhere (``fit(n_epochs=1000)``)
    whose names match _EPOCH_COUNT. Other names (max_checks_without_progress ...), function
    defaults and computed values are left alone. Locations are kept, so tracebacks and line
    numbers are the file's."""

    def __init__(self, cap):
        self.cap = cap
        self.depth = 0  # function and class bodies are not module level

    def _capped(self, value):
        if isinstance(value, ast.Constant) and type(value.value) is int and value.value > self.cap:
            return ast.copy_location(ast.Constant(self.cap), value)
        return value

    def _nested(self, node):
        self.depth += 1
        try:
            return self.generic_visit(node)
        finally:
            self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = visit_Lambda = _nested

    def _assign(self, target, value):
        if isinstance(target, ast.Name) and _EPOCH_COUNT.match(target.id):
            return self._capped(value)
        if (isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List))
                and len(target.elts) == len(value.elts)):
            value.elts = [self._assign(t, v) for t, v in zip(target.elts, value.elts)]
        return value

    def visit_Assign(self, node):
        if self.depth == 0:
            for target in node.targets:
                node.value = self._assign(target, node.value)
        return self.generic_visit(node)

    def visit_AnnAssign(self, node):
        if self.depth == 0 and node.value is not None:
            node.value = self._assign(node.target, node.value)
        return self.generic_visit(node)

    def visit_keyword(self, node):
        if node.arg is not None and _EPOCH_COUNT.match(node.arg):
            node.value = self._capped(node.value)
        return self.generic_visit(node)


def epochs_cap():
    """The cap TFCOMPAT_EPOCHS_CAP asks for, or None."""
    value = os.environ.get("TFCOMPAT_EPOCHS_CAP", "").strip()
    if not value:
        return None
    try:
        cap = int(value)
    except ValueError:
        cap = 0
    if cap < 1:
        raise ValueError(f"TFCOMPAT_EPOCHS_CAP must be a positive integer, not {value!r}")
    return cap


def compile_with_epochs_cap(source, filename, cap):
    """``compile(source, filename, "exec")`` with the script's epoch counts capped at ``cap``."""
    tree = _EpochsCap(cap).visit(ast.parse(source, filename))
    return compile(ast.fix_missing_locations(tree), filename, "exec", dont_inherit=True)


def _run_with_epochs_cap(path, cap):
    """What ``runpy.run_path(path, run_name="__main__")`` does, with the script compiled by
    compile_with_epochs_cap (still under its own file name, so tracebacks point into it)."""
    with open(path, "rb") as f:
        code = compile_with_epochs_cap(f.read(), path, cap)
    module = types.ModuleType("__main__")
    module.__dict__.update(__file__=path, __cached__=None, __loader__=None, __package__="",
                           __spec__=None)
    saved = sys.modules.get("__main__")
    sys.modules["__main__"] = module
    try:
        exec(code, module.__dict__)
    finally:
        if saved is None:
            sys.modules.pop("__main__", None)
        else:
            sys.modules["__main__"] = saved


def run_script(path, args=(), numpy_aliases=False):
    """Runs the Python file ``path`` as ``python path *args`` would, with tfcompat installed as
    ``tensorflow``: ``__name__ == "__main__"``, ``sys.argv == [path, *args]``, the file's folder
    first on ``sys.path``; ``numpy_aliases`` restores the removed NumPy names for the run.
    Exceptions, SystemExit included, propagate; ``sys.argv`` and ``sys.path`` stay as the script
    left them. When TFCOMPAT_EPOCHS_CAP=N is set (``--epochs-cap N``), the script's epoch counts
    are capped at N (see _EpochsCap); the file itself is not changed.
    """
    cap = epochs_cap()
    install_as_tensorflow()
    sys.argv = [path, *args]
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    with restored_numpy_names() if numpy_aliases else contextlib.nullcontext():
        if cap is None:
            runpy.run_path(path, run_name="__main__")
        else:
            _run_with_epochs_cap(path, cap)
