"""Runs plans against a Session's state with TF's error semantics: a failing step raises a
``tf.errors`` exception naming the op and leaves every variable as it was.

The first run of a plan for given feed shapes (and values of the fed scalar bools that steer
a tf.cond) goes through the reference interpreter (each op's NumPy kernel, one at a time);
its recorded values let ``specialize`` resolve those branches (and other aliases) and fold
everything that depends only on those shapes, and later runs with the same key call the
generated function. Values no one can see after a run (``plan.outliving_slots``) get
storage the specialisation keeps and reuses every run (a MatMul writes its product there
through ``OpDef.kernel_into``, fused kernels their outputs). A specialisation that has run
``fusion.hot_threshold()`` times is rebuilt once more from a reference run with its
elementwise chains fused into generated Numba kernels (``runtime/fusion.py``).
``TFCOMPAT_EXECUTOR=numpy`` keeps every run on the reference interpreter (the oracle the
optimised path is tested against).
"""
import os
import warnings

import numpy as np

from tfcompat.framework import dtypes, errors
from tfcompat.framework.op_def import DEAD
from tfcompat.runtime import fusion, memory
from tfcompat.runtime.codegen import _copy, compile_steps
from tfcompat.runtime.plan import Plan, fold_products, group_updates, outliving_slots
from tfcompat.runtime.specialize import Unspecializable, fold_constants, resolve_aliases

_MAX_SHAPE_VARIANTS = 16


def reference_only():
    return os.environ.get("TFCOMPAT_EXECUTOR", "").lower() == "numpy"


class RuntimeState:
    """What a Session owns: variable storage, per-op random generators and resources."""

    def __init__(self):
        self.variables = {}   # VariableV2 op -> ndarray
        self._generators = {}
        self._journal = None  # variable values replaced during the current run
        self.resources = {}   # name -> session-owned object (iterators, queues, readers)

    def resource(self, name, create):
        """The session's resource called ``name``, made by ``create()`` on first use."""
        found = self.resources.get(name)
        if found is None:
            found = self.resources.setdefault(name, create())
        return found

    def function_state(self):
        """A state sharing this one's variables, generators and resources, with its own
        journal: the runtime of a function (a tf.data map fn) run from inside a step."""
        child = RuntimeState()
        child.variables, child._generators = self.variables, self._generators
        child.resources = self.resources
        return child

    def write_variable(self, var_op, value):
        """Replaces a variable's array, remembering the old one until the run succeeds."""
        journal = self._journal
        if journal is not None and var_op not in journal:
            journal[var_op] = self.variables.get(var_op)
        self.variables[var_op] = value

    def save_for_rollback(self, var_op):
        """Remembers a copy of a variable an op is about to change in place (the reference
        interpreter's way to undo Apply* updates of a failing run)."""
        journal = self._journal
        if journal is not None and var_op not in journal:
            current = self.variables.get(var_op)
            journal[var_op] = None if current is None else current.copy()

    def random_generator(self, op):
        """The generator of a random op; seeded ops restart their sequence per Session."""
        generator = self._generators.get(op)
        if generator is None:
            seed, seed2 = op.attrs.get("seed", 0), op.attrs.get("seed2", 0)
            generator = np.random.default_rng(None if seed == 0 and seed2 == 0
                                              else [seed, seed2])
            self._generators[op] = generator
        return generator


class _StepFailure(Exception):
    def __init__(self, op, cause):
        super().__init__(str(cause))
        self.op = op
        self.cause = cause


class SpecializedRun:
    """The generated function for one set of feed shapes, and its source for debugging;
    ``fused``: built by the fusion tier, ``runs``: calls so far."""

    def __init__(self, plan, values, state, key_slots=(), fuse=False):
        steps, fetch_slots, copy_slots, known = resolve_aliases(plan, values, key_slots)
        steps, constants = fold_constants(steps, plan.feed_slots, fetch_slots, values, known)
        kept = {s for s in fetch_slots if s} | set(copy_slots)  # seen after the run
        steps = group_updates(steps, state)
        steps = fold_products(steps, kept, values.get, state)
        renamed = {slot: "c" + slot[1:] for slot in constants}
        outliving = outliving_slots(steps, kept)
        for step in steps:
            step.inputs = [renamed.get(s, s) for s in step.inputs]
            fast = step.fast_kernel(state)
            if fast is None and len(step.outputs) == 1 and step.outputs[0] not in outliving:
                # A value that dies with the run: its kernel may write into kept storage.
                out = memory.buffer_like(values.get(step.outputs[0]))
                fast = None if out is None else step.kernel_into(state, out)
            if fast is not None:
                step.kernel = fast
        fetch_slots = [renamed.get(s, s) for s in fetch_slots]
        self.fused, self.runs = fuse, 0
        constants = {renamed[slot]: value for slot, value in constants.items()}
        if fuse:
            steps, buffers = fusion.fuse(
                steps, lambda slot: values.get("v" + slot[1:] if slot[0] == "c" else slot),
                {renamed.get(s, s) for s in kept}, set(constants))
            constants.update(buffers)
        used = {s for step in steps for s in step.inputs} | set(fetch_slots)
        self.steps = steps
        self.fn, self.source, self.line_ops = compile_steps(
            steps, plan.feed_slots, fetch_slots,
            {name: value for name, value in constants.items() if name in used}, copy_slots)

    def failing_op(self, exc):
        tb, code = exc.__traceback__, self.fn.__code__
        while tb is not None:
            if tb.tb_frame.f_code is code:
                return self.line_ops.get(tb.tb_lineno)
            tb = tb.tb_next
        return None


class CompiledPlan:
    """One (fetches, feeds) signature: the pruned, ordered Plan plus its specialisations."""

    def __init__(self, fetches, feeds, state):
        self.plan = Plan(fetches, feeds, state)
        self._specialized = {}
        self._reference_only = reference_only()
        self._may_be_dead = any(step.maybe_dead for step in self.plan.steps)
        self._fetch_names = [getattr(f, "name", "") for f in fetches]
        # Fed scalar bools that steer a tf.cond are part of the specialisation key, so each
        # value gets a plan with its branches resolved (specialize.resolve_aliases).
        self._key_feeds = [i for i, t in enumerate(feeds) if self._may_be_dead
                           and t.dtype.base_dtype == dtypes.bool and t.shape.ndims == 0]
        self._key_slots = [self.plan.feed_slots[i] for i in self._key_feeds]
        # Ops that tell their output shapes before the run (OpDef.run_key) add them to it.
        self._run_keys = [key for key in (step.op.op_def.run_key(step.op, state, feeds)
                                          for step in self.plan.steps) if key is not None]
        self._hot_after = None if self._reference_only else fusion.hot_threshold()

    def __call__(self, state, feed_values):
        key = tuple(a.shape for a in feed_values)
        if self._key_feeds:
            key += tuple(bool(feed_values[i]) for i in self._key_feeds)
        if self._run_keys:
            key += tuple(run_key(feed_values) for run_key in self._run_keys)
        state._journal = {}
        try:
            with np.errstate(all="ignore"):
                values = self._run(key, state, feed_values)
        except _StepFailure as failure:
            self._rollback(state)
            raise _as_op_error(failure.cause, failure.op) from None
        finally:
            state._journal = None
        if self._may_be_dead:
            self._check_alive(values)
        return values

    def _run(self, key, state, feed_values):
        runner = self._specialized.get(key)
        hot = self._hot_after
        if runner is not None and (hot is None or runner.fused or runner.runs < hot):
            runner.runs += 1
            try:
                return runner.fn(*feed_values)
            except fusion.FusedShapeError:
                # Values of other shapes than recorded (a variable re-assigned with
                # validate_shape=False): undo, and take the reference path, which raises
                # TF's error or specialises anew.
                self._rollback(state)
                state._journal = {}
                del self._specialized[key]
                runner = None
            except Exception as exc:  # noqa: BLE001 - mapped to tf.errors by the caller
                raise _StepFailure(runner.failing_op(exc), exc) from None
        values, recorded = self._interpret(state, feed_values)
        if runner is not None:
            self._fuse(key, runner, recorded, state)
        elif not self._reference_only and len(self._specialized) < _MAX_SHAPE_VARIANTS:
            self._specialize(key, recorded, state)
        return values

    def _specialize(self, key, recorded, state):
        try:
            self._specialized[key] = SpecializedRun(self.plan.clone_steps(), recorded, state,
                                                    self._key_slots)
        except Unspecializable:
            pass  # runs of this key stay on the reference path (and raise as it does)

    def _fuse(self, key, runner, recorded, state):
        """Replaces a hot specialisation by its fused form (keeps it if fusion fails, e.g.
        Numba cannot compile in this environment, after one warning)."""
        runner.fused = True
        try:
            self._specialized[key] = SpecializedRun(self.plan.clone_steps(), recorded, state,
                                                    self._key_slots, fuse=True)
        except Unspecializable:
            pass
        except Exception as exc:  # noqa: BLE001 - the unfused plan still gives the results
            warnings.warn(f"tfcompat: fusing a hot plan failed, it keeps running unfused "
                          f"({type(exc).__name__}: {exc})", RuntimeWarning, stacklevel=4)

    def _check_alive(self, values):
        for index, value in enumerate(values):
            if value is DEAD:
                raise errors.InvalidArgumentError(
                    None, None, f"Retval[{index}] does not have value: fetched tensor "
                    f"'{self._fetch_names[index]}' is on a tf.cond branch that was not taken")

    def _interpret(self, state, feed_values):
        values = dict(zip(self.plan.feed_slots, feed_values))
        copy_slots = self.plan.copy_slots
        dead_ops = set()
        for step in self.plan.steps:
            if step.maybe_dead and (any(values[s] is DEAD for s in step.dead_inputs)
                                    or any(op in dead_ops for op in step.dead_controls)):
                dead_ops.add(step.op)
                values.update((slot, DEAD) for slot in step.outputs if slot)
                continue
            for var_op in step.op.op_def.variables_changed_in_place(step.op):
                state.save_for_rollback(var_op)
            try:
                result = step.kernel(*[values[s] for s in step.inputs])
            except Exception as exc:  # noqa: BLE001 - mapped to tf.errors by the caller
                raise _StepFailure(step.op, exc) from None
            outputs = step.outputs
            if len(outputs) == 1:
                if outputs[0]:
                    values[outputs[0]] = result
            else:
                for slot, value in zip(outputs, result or ()):
                    if slot:
                        values[slot] = value
            for slot in outputs:
                if slot in copy_slots:
                    values[slot] = _copy(values[slot])
            if step.op.op_def.accepts_dead_inputs and outputs and result[0] is DEAD:
                dead_ops.add(step.op)
        return [values[s] if s else None for s in self.plan.fetch_slots], values

    @staticmethod
    def _rollback(state):
        for var_op, old in state._journal.items():
            if old is None:
                state.variables.pop(var_op, None)
            else:
                state.variables[var_op] = old


def _as_op_error(exc, op):
    if isinstance(exc, errors.OpError):
        exc.__traceback__ = None
        return exc
    where = f"\n\t [[node {op.name} (op: {op.type})]]" if op is not None else ""
    if isinstance(exc, MemoryError):
        return errors.ResourceExhaustedError(None, op, f"OOM when computing{where}")
    if isinstance(exc, (ValueError, TypeError, IndexError, ZeroDivisionError, OverflowError,
                        KeyError)):
        return errors.InvalidArgumentError(None, op, f"{exc}{where}")
    return errors.InternalError(None, op, f"{type(exc).__name__}: {exc}{where}")
