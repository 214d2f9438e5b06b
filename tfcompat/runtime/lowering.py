"""Lowering rules: the backend's per-op-type tables, kept apart from the op definitions.

``ops/`` says what an op *is* (shape inference, NumPy reference kernel, gradient); how the
runtime makes it fast lives here, looked up by TF's op-type string, the way JAX keeps one
rule table per transformation. A rule module under ``tfcompat/runtime/rules/`` registers
its entries with the decorators below; the tables are filled on first lookup.

- ``fast_kernel(op_type)``: ``rule(op, ctx) -> callable | None`` — a faster kernel with the
  reference's exact results for shape-specialised plans (None keeps the reference: fall
  back for anything unusual).
- ``kernel_into(op_type)``: ``rule(op, ctx, out) -> callable | None`` — a kernel writing the
  op's single output into ``out``, storage the plan keeps for a value that dies with the run.
- ``fusion_formula(op_type)`` / ``fusion_reduction(op_type)``: ``rule(op, values)`` — the
  op's per-element formula or column reduction for the fusion tier (``rules/formulas.py``),
  given the recorded input values of a reference run; None: the op does not fuse there.
- ``batch_rule(op_type)``: ``rule(op, kernel, args, batched) -> value(s)`` — the op on
  inputs that carry a leading batch axis (``batched[i]``: whether ``args[i]`` does),
  giving the batch of what ``kernel`` gives each element, bit for bit (JAX's vmap rules;
  used to run a queue runner's element pipeline on many elements at once,
  ``element_batching.py``); it raises ``NotBatchable`` for inputs it cannot take.

Optimizer updates have their own table (``rules/training.py``: batched Numba updates and
the GEMM forms of ``plan.fold_products``).
"""
import importlib

from tfcompat.runtime import numerics

#: Rule modules, imported on the first lookup (each registers its op types).
RULE_MODULES = ("activations", "array", "batching", "beam_search", "clustering", "conv",
                "formulas", "image", "math", "math_segments", "nn", "parsing", "state",
                "training")

_FAST_KERNELS = {}
_KERNELS_INTO = {}
_FUSION_FORMULAS = {}
_FUSION_REDUCTIONS = {}
_BATCH_RULES = {}
_OWN_THREADS = set()
_loaded = False


def _register(table, op_type):
    def decorate(rule):
        if op_type in table:
            raise ValueError(f"a lowering rule for {op_type} is already registered")
        table[op_type] = rule
        return rule
    return decorate


def fast_kernel(op_type):
    """Registers ``rule(op, ctx)`` as the fast kernel of ``op_type``."""
    return _register(_FAST_KERNELS, op_type)


def kernel_into(op_type):
    """Registers ``rule(op, ctx, out)`` as the write-into-storage kernel of ``op_type``."""
    return _register(_KERNELS_INTO, op_type)


def fusion_formula(op_type):
    """Registers ``rule(op, values)`` as the fusion tier's formula of ``op_type``."""
    return _register(_FUSION_FORMULAS, op_type)


def fusion_reduction(op_type):
    """Registers ``rule(op, values)`` as the fusion tier's column reduction of ``op_type``."""
    return _register(_FUSION_REDUCTIONS, op_type)


def batch_rule(*op_types, fast=False):
    """Registers ``rule(op, kernel, args, batched)`` as the batched form of ``op_types``;
    ``fast``: ``kernel`` is the op's fast kernel where it has one (else the reference)."""
    def decorate(rule):
        for op_type in op_types:
            _register(_BATCH_RULES, op_type)((rule, fast))
        return rule
    return decorate


class NotBatchable(Exception):
    """A batch rule cannot take these inputs: the elements run one at a time instead."""


def own_threads(*op_types):
    """Declares that the fast kernels of ``op_types`` cut their work into blocks on threads
    of their own (``threads.run_parts``): runs of plans holding them keep BLAS at one
    thread, so its spinning workers never compete with those blocks."""
    _OWN_THREADS.update(op_types)


def uses_own_threads(op):
    """Whether ``op``'s fast kernel runs blocks on threads of its own."""
    _load()
    return op.type in _OWN_THREADS


def _load():
    global _loaded
    if not _loaded:
        for name in RULE_MODULES:
            importlib.import_module(f"tfcompat.runtime.rules.{name}")
        _loaded = True


def lookup_fast_kernel(op, ctx):
    """The fast kernel for ``op`` in a specialised plan, or None."""
    if numerics.is_checked(op):  # tf.debugging.enable_check_numerics
        return None
    _load()
    rule = _FAST_KERNELS.get(op.type)
    return None if rule is None else rule(op, ctx)


def lookup_kernel_into(op, ctx, out):
    """The kernel writing ``op``'s output into ``out``, or None."""
    if numerics.is_checked(op):  # tf.debugging.enable_check_numerics
        return None
    _load()
    rule = _KERNELS_INTO.get(op.type)
    return None if rule is None else rule(op, ctx, out)


def lookup_fusion_formula(op, values):
    """The op's per-element formula given its recorded input ``values``, or None."""
    if numerics.is_checked(op):  # tf.debugging.enable_check_numerics
        return None
    _load()
    rule = _FUSION_FORMULAS.get(op.type)
    return None if rule is None else rule(op, values)


def lookup_fusion_reduction(op, values):
    """"sum" or "mean" when the op reduces a matrix over axis 0 alone, else None."""
    if numerics.is_checked(op):  # tf.debugging.enable_check_numerics
        return None
    _load()
    rule = _FUSION_REDUCTIONS.get(op.type)
    return None if rule is None else rule(op, values)


def lookup_batch_rule(op):
    """``(rule, fast)``: the batched form of ``op`` and whether it takes the fast kernel;
    None when it has none."""
    if numerics.is_checked(op):  # tf.debugging.enable_check_numerics
        return None
    _load()
    return _BATCH_RULES.get(op.type)
