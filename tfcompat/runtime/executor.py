"""Runs plans against a Session's state with TF's error semantics: a failing step raises a
``tf.errors`` exception naming the op and leaves every variable as it was.

The first run of a plan for given feed shapes (and values of the fed scalar bools that steer
a tf.cond) goes through the reference interpreter (each op's NumPy kernel, one at a time);
its recorded values let ``specialize`` resolve those branches (and other aliases) and fold
everything that depends only on those shapes, and later runs with the same key call the
generated function. Values no one can see after a run (``lifetimes.outliving_slots``) get
storage the specialisation keeps and reuses every run (a MatMul writes its product there
through its ``kernel_into`` lowering rule, fused kernels their outputs). A specialisation
that has run ``fusion.hot_threshold()`` times is rebuilt once more from a reference run
with its elementwise chains fused into generated Numba kernels (``runtime/fusion.py``).
``TFCOMPAT_EXECUTOR=numpy`` keeps every run on the reference interpreter (the oracle the
optimised path is tested against).
"""
import os
import threading
import time
import warnings

import numpy as np

from tfcompat.framework import dtypes, errors
from tfcompat.framework.op_def import DEAD
from tfcompat.runtime import fusion, lowering, memory, passes
from tfcompat.runtime.codegen import _copy, compile_program
from tfcompat.runtime.element_batching import ElementPipeline
from tfcompat.runtime.plan import Plan
from tfcompat.runtime.specialize import Unspecializable

_MAX_SHAPE_VARIANTS = 16
#: At most this many threads run one key on specialisations at once; more take the
#: reference interpreter.
_MAX_RUNNERS_PER_KEY = 32
#: A reference run's values are kept (to build more specialisations of its key for threads
#: that find all of them held) when they take at most this much memory.
_MAX_RECORDING_BYTES = 64 << 20


def reference_only():
    return os.environ.get("TFCOMPAT_EXECUTOR", "").lower() == "numpy"


class _RunLocal(threading.local):
    """What belongs to the run a thread is executing: the variables it replaced so far and
    when its blocking ops must give up."""

    journal = None  # var op -> the array it held before this run (None: it had none)
    deadline = None  # time.monotonic() past which blocking ops fail (None: never)
    trace = None  # a traced run's list of (op, start ns, end ns, outputs); loops extend it


class RuntimeState:
    """What a Session owns: variable storage, per-op random generators and resources
    (iterators, queues, readers).

    Several threads may run plans on one state at once (``Session.run`` is thread-safe):
    each run keeps its own rollback journal (thread-local), and ``shape_version`` counts the
    times a variable took a new shape, so that specialisations that folded the old shapes
    are dropped (``CompiledPlan``).
    """

    def __init__(self):
        self.variables = {}   # VariableV2 op -> ndarray
        self.shape_version = 0
        self._generators = {}
        self._generators_lock = threading.Lock()
        self._run = _RunLocal()
        self.resources = {}   # name -> session-owned object (iterators, queues, readers)
        # AssignAdd/AssignSub read, combine and replace a variable's array under this lock,
        # so increments from concurrent runs (global_step from Hogwild threads) all count,
        # as TF's in-place adds do.
        self.update_lock = threading.Lock()

    def resource(self, name, create):
        """The session's resource called ``name``, made by ``create()`` on first use."""
        found = self.resources.get(name)
        if found is None:
            found = self.resources.setdefault(name, create())
        return found

    def release_resources(self):
        """Lets every resource with a ``release()`` free what it holds (an iterator's
        prefetch thread stops); called when the session closes."""
        for resource in list(self.resources.values()):
            release = getattr(resource, "release", None)
            if release is not None:
                release()

    def compile(self, fetches, feeds):
        """A plan computing ``fetches`` from values for ``feeds`` on this state, called as
        ``plan(state, feed_values)`` (a traced function's body)."""
        return CompiledPlan(fetches, feeds, self)

    def function_state(self):
        """A state sharing this one's variables, generators and resources, with its own
        journal: the runtime of a function (a tf.data map fn) run from inside a step."""
        child = RuntimeState()
        child.variables, child._generators = self.variables, self._generators
        child._generators_lock, child.resources = self._generators_lock, self.resources
        child.update_lock = self.update_lock
        return child

    def write_variable(self, var_op, value):
        """Replaces a variable's array, remembering the old one until the run succeeds."""
        old = self.variables.get(var_op)
        journal = self._run.journal
        if journal is not None and var_op not in journal:
            journal[var_op] = old
        if old is not None and old.shape != value.shape:
            self.shape_version += 1
        self.variables[var_op] = value

    def save_for_rollback(self, var_op):
        """Remembers a copy of a variable an op is about to change in place (the reference
        interpreter's way to undo Apply* updates of a failing run)."""
        journal = self._run.journal
        if journal is not None and var_op not in journal:
            current = self.variables.get(var_op)
            journal[var_op] = None if current is None else current.copy()

    def begin_run(self):
        """Starts this thread's journal of replaced variables."""
        self._run.journal = {}

    def set_timeout(self, seconds):
        """Bounds the waits of this thread's next runs (RunOptions.timeout_in_ms or the
        session's operation_timeout_in_ms; None or 0: no bound)."""
        self._run.deadline = time.monotonic() + seconds if seconds else None

    def wait(self, condition, ready, op):
        """Waits on ``condition`` (which the caller holds) until ``ready()``; past the run's
        deadline raises DeadlineExceededError as TF's blocking ops do."""
        deadline = self._run.deadline
        while not ready():
            if deadline is None:
                condition.wait()
                continue
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise errors.DeadlineExceededError(None, op,
                                                   "Timed out waiting for notification")
            condition.wait(remaining)

    def end_run(self):
        self._run.journal = None

    def rollback(self):
        """Puts back every variable this thread's run replaced or changed, and starts the
        journal afresh."""
        journal, self._run.journal = self._run.journal, {}
        for var_op, old in journal.items():
            current = self.variables.get(var_op)
            if old is None:
                self.variables.pop(var_op, None)
            else:
                if current is not None and current.shape != old.shape:
                    self.shape_version += 1
                self.variables[var_op] = old

    @staticmethod
    def aligned_copy(value, dtype):
        """New storage for a variable: ``value`` as ``dtype``, 64-byte aligned when large
        (``runtime/memory.py``)."""
        return memory.aligned_copy(value, dtype)

    def uniform_filler(self, op):
        """``fill(flat_float_array)`` with uniform [0, 1) numbers from interleaved xoshiro256+
        streams (``kernels.uniform_fill``) whose states come from the op's generator; a lock
        keeps concurrent runs from drawing the same numbers."""
        from tfcompat.runtime import kernels
        state = self.random_generator(op).integers(
            0, 2 ** 64, size=(4, kernels.UNIFORM_STREAMS), dtype=np.uint64, endpoint=False)
        lock = threading.Lock()

        def fill(out):
            with lock:
                kernels.uniform_fill(state, out, out.dtype == np.float32)
        return fill

    def generator_key(self, op):
        """What the generator table keys an op's generator by (the op)."""
        return op

    def random_generator(self, op):
        """The generator of a random op; seeded ops restart their sequence per Session."""
        key = self.generator_key(op)
        generator = self._generators.get(key)
        if generator is None:
            with self._generators_lock:
                generator = self._generators.get(key)
                if generator is None:
                    seed, seed2 = op.attrs.get("seed", 0), op.attrs.get("seed2", 0)
                    generator = np.random.default_rng(None if seed == 0 and seed2 == 0
                                                      else [seed, seed2])
                    self._generators[key] = generator
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
        program = passes.specialise(plan, values, state, key_slots, fused=fuse)
        self.fused, self.runs = fuse, 0
        self.steps = program.steps
        self.fn, self.source, self.line_ops = compile_program(program)

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
        self._pools = {}    # key -> specialisations no thread holds now
        self._runners = {}      # key -> specialisations made (held or not)
        self._recordings = {}   # key -> (reference run values, fused) they were built from
        self._lock = threading.Lock()
        self._shape_version = state.shape_version
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
        #: Whether its fast kernels run blocks on threads of their own (the Session's
        #: BLAS thread policy then gives the threads to them: ``threads.before_run``).
        self.own_threads = not self._reference_only and any(
            lowering.uses_own_threads(step.op) for step in self.plan.steps)
        #: Its batched form when it is a queue runner's element pipeline (many runs as one,
        #: ``element_batching.py``), else None.
        self.element_pipeline = None if self._reference_only else ElementPipeline.of(
            self.plan, state)

    @property
    def specializations(self):
        """{key: a specialisation of it no thread holds now}, for inspection."""
        return {key: pool[-1] for key, pool in list(self._pools.items()) if pool}

    def __call__(self, state, feed_values, trace=None):
        """The fetched values of one run; with a list ``trace`` the run goes through the
        reference interpreter, which appends (op, start ns, end ns, [(output slot, shape,
        bytes)]) for each op it runs, while loops' iterations included (a traced run,
        ``RunOptions.FULL_TRACE``)."""
        key = tuple(a.shape for a in feed_values)
        if self._key_feeds:
            key += tuple(bool(feed_values[i]) for i in self._key_feeds)
        if self._run_keys:
            key += tuple(run_key(feed_values) for run_key in self._run_keys)
        state.begin_run()
        state._run.trace = trace
        try:
            with np.errstate(all="ignore"):
                values = self._run(key, state, feed_values) if trace is None else \
                    self._interpret(state, feed_values, trace)[0]
        except _StepFailure as failure:
            state.rollback()
            raise _as_op_error(failure.cause, failure.op) from None
        finally:
            state._run.trace = None
            state.end_run()
        if self._may_be_dead:
            self._check_alive(values)
        return values

    def run_nested(self, state, feed_values, shapes):
        """Runs as part of another plan's run (a while loop's condition or body,
        ``runtime/loops.py``; ``shapes``: the feeds' shapes): that run's journal, error
        state and checks apply."""
        key = shapes
        if self._key_feeds:
            key += tuple(bool(feed_values[i]) for i in self._key_feeds)
        return self._run(key, state, feed_values)

    def run_traced(self, state, feed_values, shapes):
        """``run_nested`` through the reference interpreter, appending to the trace of the
        thread's traced run (a while loop's iterations in a FULL_TRACE run)."""
        return self._interpret(state, feed_values, state._run.trace)[0]

    def hold(self, key, state):
        """``(specialisation, runs it may take, its pool)`` for this thread to call
        repeatedly (a while loop's condition or body, ``runtime/loops.py``) until it gives it
        back with ``release``: one of ``key`` that no other thread holds, with the runs left
        before the fusion tier rebuilds it; None when there is none yet (the first run of a
        key and a hot plan's fusing run go through ``run_nested``)."""
        if state.shape_version != self._shape_version:
            return None
        pools = self._pools  # (a runner of stale shapes goes back to the dict it came from)
        runner = self._checkout(key, state)
        if runner is None:
            return None
        hot = self._hot_after
        runs = None if hot is None or runner.fused else hot - runner.runs
        if runs is not None and runs <= 0:
            pools.setdefault(key, []).append(runner)
            return None
        return runner, runs, pools

    def release(self, key, held, runs, usable=True):
        """Gives back what ``hold`` lent, its specialisation having run ``runs`` more times;
        ``usable=False`` drops it (it met values of other shapes than it was built for)."""
        runner, _, pools = held
        runner.runs += runs
        if usable:
            pools.setdefault(key, []).append(runner)
        else:
            self._forget(key)

    def _run(self, key, state, feed_values):
        """Runs on a specialisation of ``key`` that no other thread holds (each owns the
        storage it keeps), or else through the reference interpreter, whose recorded values
        then specialise ``key`` (or fuse the hot specialisation this thread held)."""
        version = state.shape_version
        if version != self._shape_version:  # a variable changed shape: folded shapes are stale
            self._pools, self._recordings, self._runners = {}, {}, {}
            self._shape_version = version
        pools = self._pools  # (a runner of stale shapes goes back to the dict it came from)
        runner = self._checkout(key, state)
        if runner is not None:
            hot = self._hot_after
            if hot is None or runner.fused or runner.runs < hot:
                runner.runs += 1
                try:
                    values = runner.fn(*feed_values)
                except fusion.FusedShapeError:
                    # Values of other shapes than recorded (a variable re-assigned with
                    # validate_shape=False): undo, drop this specialisation and take the
                    # reference path, which raises TF's error or specialises anew.
                    state.rollback()
                    self._forget(key)
                    runner = None
                except Exception as exc:  # noqa: BLE001 - mapped to tf.errors by the caller
                    pools.setdefault(key, []).append(runner)
                    raise _StepFailure(runner.failing_op(exc), exc) from None
                else:
                    pools.setdefault(key, []).append(runner)
                    return values
        values, recorded = self._interpret(state, feed_values)
        if state.shape_version == version == self._shape_version and not self._reference_only:
            if runner is not None:  # hot: its fused form replaces it
                runner = self._fused(runner, recorded, state)
                self._remember(key, recorded, runner.fused)
                pools.setdefault(key, []).append(runner)
            else:
                self._specialize(key, recorded, state)
        return values

    def _checkout(self, key, state):
        """A specialisation of ``key`` for this thread alone: one no thread holds, or else
        (all are running) one more, built from the recorded run the others were built from
        so that it computes bit for bit what they compute; None if there is none yet."""
        pool = self._pools.get(key)
        if pool:
            try:
                return pool.pop()  # atomic: the runner is this thread's until it is put back
            except IndexError:
                pass
        recording = self._recordings.get(key)
        if recording is None or not self._reserve(key):
            return None
        recorded, fused = recording
        return self._build(key, recorded, state, fused)

    def _remember(self, key, recorded, fused):
        """Keeps the run ``key``'s specialisations were built from (up to
        ``_MAX_RECORDING_BYTES``), for threads that find them all held."""
        size = sum(value.nbytes for value in recorded.values() if isinstance(value, np.ndarray))
        if size <= _MAX_RECORDING_BYTES:
            # The fed scalar bools of the key are values the specialisation relies on: keep
            # its own arrays, not the caller's.
            recorded = dict(recorded)
            for slot in self._key_slots:
                recorded[slot] = np.array(recorded[slot], copy=True)
            self._recordings[key] = (recorded, fused)

    def _reserve(self, key):
        """Counts one more specialisation of ``key``, within the limits on keys and on
        specialisations of a key; False past them."""
        with self._lock:
            count = self._runners.get(key, 0)
            if count >= _MAX_RUNNERS_PER_KEY or (
                    count == 0 and len(self._runners) >= _MAX_SHAPE_VARIANTS):
                return False
            self._runners[key] = count + 1
            return True

    def _forget(self, key):
        with self._lock:
            self._runners[key] = self._runners.get(key, 1) - 1

    def _build(self, key, recorded, state, fused=False):
        """A specialisation of ``key`` from a reference run's recorded values, or None where
        it cannot be compiled (runs of ``key`` then stay on the reference path)."""
        try:
            return SpecializedRun(self.plan, recorded, state, self._key_slots,
                                  fuse=fused)
        except Unspecializable:
            self._forget(key)
            return None

    def _specialize(self, key, recorded, state):
        """The first specialisation of ``key`` (from this thread's reference run)."""
        if key in self._recordings or not self._reserve(key):
            return
        runner = self._build(key, recorded, state)
        if runner is not None:
            self._remember(key, recorded, False)
            self._pools.setdefault(key, []).append(runner)

    def _fused(self, runner, recorded, state):
        """The fused form of a hot specialisation (or the unfused one if fusion fails, e.g.
        Numba cannot compile in this environment, after one warning)."""
        runner.fused = True
        try:
            return SpecializedRun(self.plan, recorded, state, self._key_slots,
                                  fuse=True)
        except Unspecializable:
            return runner
        except Exception as exc:  # noqa: BLE001 - the unfused plan still gives the results
            warnings.warn(f"tfcompat: fusing a hot plan failed, it keeps running unfused "
                          f"({type(exc).__name__}: {exc})", RuntimeWarning, stacklevel=5)
            return runner

    def _check_alive(self, values):
        for index, value in enumerate(values):
            if value is DEAD:
                raise errors.InvalidArgumentError(
                    None, None, f"Retval[{index}] does not have value: fetched tensor "
                    f"'{self._fetch_names[index]}' is on a tf.cond branch that was not taken")

    def _interpret(self, state, feed_values, trace=None):
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
            start = time.time_ns() if trace is not None else 0
            try:
                result = step.kernel(*[values[s] for s in step.inputs])
            except Exception as exc:  # noqa: BLE001 - mapped to tf.errors by the caller
                raise _StepFailure(step.op, exc) from None
            if trace is not None and not getattr(step.op.op_def, "traces_its_ops", False):
                trace.append((step.op, start, time.time_ns(),
                              _traced_outputs(result, len(step.outputs))))
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


def _traced_outputs(result, count):
    """(slot, shape, bytes) of each numeric array among an op's ``count`` outputs."""
    values = (result,) if count == 1 else (result or ())
    return [(slot, value.shape, value.nbytes) for slot, value in enumerate(values)
            if isinstance(value, (np.ndarray, np.generic)) and value.dtype.kind != "O"]


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
