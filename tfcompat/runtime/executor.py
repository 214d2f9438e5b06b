"""Runs compiled plans against a Session's state, with TF's error semantics: a failing step
raises a ``tf.errors`` exception naming the op and leaves every variable as it was."""
import numpy as np

from tfcompat.framework import errors
from tfcompat.runtime.codegen import compile_plan
from tfcompat.runtime.plan import Plan


class RuntimeState:
    """What a Session owns: variable storage and per-op random generators."""

    def __init__(self):
        self.variables = {}   # VariableV2 op -> ndarray
        self._generators = {}
        self._journal = None  # variable values replaced during the current run

    def write_variable(self, var_op, value):
        """Replaces a variable's array, remembering the old one until the run succeeds."""
        journal = self._journal
        if journal is not None and var_op not in journal:
            journal[var_op] = self.variables.get(var_op)
        self.variables[var_op] = value

    def random_generator(self, op):
        """The generator of a random op; seeded ops restart their sequence per Session."""
        generator = self._generators.get(op)
        if generator is None:
            seed, seed2 = op.attrs.get("seed", 0), op.attrs.get("seed2", 0)
            generator = np.random.default_rng(None if seed == 0 and seed2 == 0
                                              else [seed, seed2])
            self._generators[op] = generator
        return generator


class CompiledPlan:
    def __init__(self, fetches, feeds, state):
        self.plan = Plan(fetches, feeds, state)
        self.run_fn, self.source, self._line_ops = compile_plan(self.plan)
        self.copy_on_fetch = self.plan.copy_on_fetch

    def __call__(self, state, feed_values):
        state._journal = {}
        try:
            with np.errstate(all="ignore"):
                values = self.run_fn(*feed_values)
        except Exception as exc:  # noqa: BLE001 - converted to TF's error classes below
            for var_op, old in state._journal.items():
                if old is None:
                    state.variables.pop(var_op, None)
                else:
                    state.variables[var_op] = old
            raise self._as_op_error(exc) from None
        finally:
            state._journal = None
        return [np.array(v) if copy and v is not None else v
                for v, copy in zip(values, self.copy_on_fetch)]

    def _failing_op(self, exc):
        tb = exc.__traceback__
        code = self.run_fn.__code__
        while tb is not None:
            if tb.tb_frame.f_code is code:
                return self._line_ops.get(tb.tb_lineno)
            tb = tb.tb_next
        return None

    def _as_op_error(self, exc):
        if isinstance(exc, errors.OpError):
            exc.__traceback__ = None
            return exc
        op = self._failing_op(exc)
        where = f"\n\t [[node {op.name} (op: {op.type})]]" if op is not None else ""
        if isinstance(exc, MemoryError):
            return errors.ResourceExhaustedError(None, op, f"OOM when computing {where}")
        if isinstance(exc, (ValueError, TypeError, IndexError, ZeroDivisionError,
                            OverflowError)):
            return errors.InvalidArgumentError(None, op, f"{exc}{where}")
        return errors.InternalError(None, op, f"{type(exc).__name__}: {exc}{where}")
