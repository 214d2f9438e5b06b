"""Counter-based random generators (TF's stateful_random_ops.py): ``tf.random.Algorithm``,
``create_rng_state``, ``tf.random.Generator`` and the global generator, with the Stateful*
ops that draw from a generator's state variable and advance it.

A state is int64 [counter..., key]: PHILOX [counter low, counter high, key], THREEFRY
[counter, key]. Each draw of n numbers advances the counter by 256 n, as TF's kernels do, so
states evolve as in TF (``Generator.from_seed(1234)`` then ``normal([2, 3])`` leaves
[2770, 0, 0]); the numbers themselves come from NumPy's Philox bit generator keyed by the
state, so a state always gives the same numbers but not TF's. In graph mode the state is a
non-trainable variable "random_generator/StateVar" that must be initialised like any other.
"""
import enum
import os

import numpy as np

from tfcompat.framework import dtypes, errors, ops, tensor_shape
from tfcompat.framework.op_def import OpDef, constant_shape_value, make_op, make_tensor, \
    register_op
from tfcompat.ops import array_ops, math_ops
from tfcompat.ops.state_ops import variable_op_of, variable_reader

__all__ = []  # reached through tf.random only

_SAMPLES_PER_OUTPUT = 256  # TF's counter increment per generated number
_MASK = (1 << 64) - 1


class Algorithm(enum.Enum):
    """``tf.random.Algorithm``: the counter-based RNG algorithms (their ids are TF's)."""

    PHILOX = 1
    THREEFRY = 2


_STATE_SIZES = {Algorithm.PHILOX.value: 3, Algorithm.THREEFRY.value: 2}


def _algorithm_id(alg):
    """An algorithm given as an Algorithm, its id or its name, as TF's id."""
    if isinstance(alg, Algorithm):
        return alg.value
    if isinstance(alg, str):
        try:
            return Algorithm[alg.upper()].value
        except KeyError:
            raise ValueError(f"Unsupported algorithm id: {alg}") from None
    if int(alg) not in _STATE_SIZES:
        raise ValueError(f"Unsupported algorithm id: {alg}")
    return int(alg)


def _state_size(alg):
    return _STATE_SIZES[_algorithm_id(alg)]


def _as_int64(word):
    word &= _MASK
    return word - (1 << 64) if word >= 1 << 63 else word


def create_rng_state(seed, alg):
    """``tf.random.create_rng_state(seed, alg)``: the int64 state of ``alg`` for an integer
    ``seed`` (cut into 64-bit words, low first) or a 1-D seed array, zero padded at the end
    (TF's layout: [1234, 0, 0] for Philox and 1234)."""
    size = _state_size(alg)
    if isinstance(seed, (int, np.integer)):
        seed, words = int(seed), []
        for _ in range(size):
            words.append(seed & _MASK)
            seed >>= 64
        seed = words
    array = np.asarray(seed, dtype=object if isinstance(seed, list) else None)
    if array.ndim != 1:
        raise ValueError(f"seed should only have one dimension; got shape: {array.shape}")
    seed = np.array([_as_int64(int(word)) for word in array], np.int64)
    seed = seed[:size]
    return np.pad(seed, (0, size - seed.shape[0])) if seed.shape[0] < size else seed


# ---- ops ---------------------------------------------------------------------------------------
def _numpy_generator(state, alg):
    """NumPy's Philox generator for an int64 state (counter words, then the key)."""
    words = [int(w) & _MASK for w in state]
    counter = words[:-1] + [0] * (5 - len(words))
    return np.random.Generator(np.random.Philox(counter=counter, key=[words[-1], alg]))


def _advanced(state, count):
    """``state`` with its counter (the words before the key, low first) plus ``count``."""
    words = [int(w) & _MASK for w in state]
    counter = sum(w << (64 * i) for i, w in enumerate(words[:-1])) + count
    advanced = [(counter >> (64 * i)) & _MASK for i in range(len(words) - 1)] + words[-1:]
    return np.array([_as_int64(w) for w in advanced], np.int64)


class _StatefulOp(OpDef):
    """Inputs: the state variable (a ref), the algorithm id (int64 scalar), then the op's
    own; reads the state and writes it advanced."""

    ref_inputs = (0,)
    mutates_state = True
    stateful = True
    differentiable = False

    def check_state(self, op):
        state = op.inputs[0]
        if not state.dtype.is_ref_dtype or state.dtype.base_dtype != dtypes.int64:
            raise TypeError(f"'{op.type}' Op requires an int64 generator state variable; got "
                            f"{state.name} of type {state.dtype.name}")

    def state_access(self, op, ctx):
        var_op = variable_op_of(op.inputs[0])
        read = variable_reader(var_op, ctx)

        def advance(alg, count):
            state = read()
            alg = int(alg)
            if alg not in _STATE_SIZES or state.shape != (_STATE_SIZES[alg],):
                raise errors.InvalidArgumentError(
                    None, op, f"The RNG state of algorithm {alg} must have shape "
                    f"[{_STATE_SIZES.get(alg, '?')}], got {list(state.shape)}")
            ctx.write_variable(var_op, _advanced(state, count * _SAMPLES_PER_OUTPUT))
            return _numpy_generator(state, alg)
        return advance


class _StatefulDraw(_StatefulOp):
    """Numbers of attr ``dtype`` and the shape input's shape; ``draw(rng, shape, dtype,
    *extra)`` makes them."""

    def infer(self, op):
        self.check_state(op)
        return [(constant_shape_value(op.inputs[2]), op.attrs["dtype"])]

    def kernel(self, op, ctx):
        advance = self.state_access(op, ctx)
        dtype = op.attrs["dtype"].as_numpy_dtype

        def stateful_draw(alg, shape, *extra):
            shape = tuple(int(d) for d in shape)
            rng = advance(alg, int(np.prod(shape)))
            return np.asarray(self.draw(op, rng, shape, dtype, *extra)).astype(dtype,
                                                                                copy=False)
        return stateful_draw

    def draw(self, op, rng, shape, dtype, *extra):
        raise NotImplementedError


@register_op
class StatefulStandardNormalV2(_StatefulDraw):
    """Standard normal numbers from a generator state."""

    def draw(self, op, rng, shape, dtype):
        return rng.standard_normal(shape)


@register_op
class StatefulUniform(_StatefulDraw):
    """Uniform numbers in [0, 1) from a generator state."""

    def draw(self, op, rng, shape, dtype):
        return rng.random(shape)


@register_op
class StatefulTruncatedNormal(_StatefulDraw):
    """Standard normal numbers within two standard deviations (others redrawn)."""

    def draw(self, op, rng, shape, dtype):
        values = rng.standard_normal(shape)
        outside = np.abs(values) > 2
        while outside.any():
            values[outside] = rng.standard_normal(int(outside.sum()))
            outside = np.abs(values) > 2
        return values


@register_op
class StatefulUniformFullInt(_StatefulDraw):
    """Integers over the whole range of ``dtype``."""

    def draw(self, op, rng, shape, dtype):
        info = np.iinfo(dtype)
        return rng.integers(info.min, info.max, size=shape, dtype=dtype, endpoint=True)


@register_op
class StatefulUniformInt(_StatefulDraw):
    """Integers in [minval, maxval) (extra inputs minval, maxval)."""

    def draw(self, op, rng, shape, dtype, minval, maxval):
        if minval >= maxval:
            raise errors.InvalidArgumentError(
                None, op, f"Need minval < maxval: {minval} >= {maxval}")
        return rng.integers(minval, maxval, size=shape, dtype=dtype)


@register_op
class StatefulRandomBinomial(_StatefulDraw):
    """Binomial counts (extra inputs counts, probs, broadcast to the shape)."""

    def draw(self, op, rng, shape, dtype, counts, probs):
        return rng.binomial(np.broadcast_to(counts, shape).astype(np.int64),
                            np.broadcast_to(probs, shape), size=shape)


@register_op
class RngSkip(_StatefulOp):
    """Advances a generator state as drawing ``delta`` numbers would (no outputs)."""

    def infer(self, op):
        self.check_state(op)
        return []

    def kernel(self, op, ctx):
        advance = self.state_access(op, ctx)

        def rng_skip(alg, delta):
            advance(alg, int(delta))
        return rng_skip


# ---- the Generator ---------------------------------------------------------------------------
def _shape_tensor(shape):
    if isinstance(shape, (tuple, list)) and not shape:
        return array_ops.constant([], dtype=dtypes.int64)
    if isinstance(shape, tensor_shape.TensorShape):
        shape = shape.as_list()
    return ops.convert_to_tensor(shape, name="shape")


def _non_deterministic_state(alg):
    return create_rng_state(int.from_bytes(os.urandom(8 * _state_size(alg)), "little"), alg)


class Generator:
    """``tf.random.Generator``: a counter-based random generator whose state lives in an
    int64 variable; every draw reads and advances it, so equal states give equal streams.
    Build with ``from_seed``, ``from_state``, ``from_key_counter`` or
    ``from_non_deterministic_state`` (or copy another with ``Generator(copy_from=g)``)."""

    def __init__(self, copy_from=None, state=None, alg=None):
        if copy_from is not None:
            if state is not None or alg is not None:
                raise ValueError("copy_from cannot be combined with state or alg")
            state, alg = copy_from.state.read_value(), copy_from.algorithm
        if state is None or alg is None:
            raise ValueError("Generator needs a state and an algorithm (or copy_from)")
        from tfcompat.ops.variables import Variable
        self._alg = _algorithm_id(alg)
        if isinstance(state, Variable):
            self._state_var = state
        else:
            state = ops.convert_to_tensor(state, dtype=dtypes.int64)
            state.shape.assert_is_compatible_with([_state_size(self._alg)])
            with ops.name_scope("random_generator"):
                self._state_var = Variable(state, dtype=dtypes.int64, trainable=False,
                                           name="StateVar")

    @classmethod
    def from_state(cls, state, alg):
        """A generator starting from ``state``."""
        return cls(state=state, alg=alg)

    @classmethod
    def from_seed(cls, seed, alg=None):
        """A generator starting from ``create_rng_state(seed, alg)`` (Philox by default)."""
        alg = Algorithm.PHILOX if alg is None else alg
        return cls(state=create_rng_state(seed, alg), alg=alg)

    @classmethod
    def from_non_deterministic_state(cls, alg=None):
        """A generator seeded from the operating system's entropy."""
        alg = Algorithm.PHILOX if alg is None else alg
        return cls(state=_non_deterministic_state(alg), alg=alg)

    @classmethod
    def from_key_counter(cls, key, counter, alg):
        """A generator from a key (scalar) and a counter (the state's other words)."""
        counter = ops.convert_to_tensor(counter, dtype=dtypes.int64, name="counter")
        key = ops.convert_to_tensor(key, dtype=dtypes.int64, name="key")
        return cls(state=array_ops.concat([counter, array_ops.reshape(key, [1])], 0), alg=alg)

    @property
    def state(self):
        """The state variable."""
        return self._state_var

    @property
    def algorithm(self):
        """The RNG algorithm id."""
        return self._alg

    @property
    def key(self):
        """The key part of the state (its last word)."""
        return self._state_var[-1]

    def reset(self, state):
        """Assigns ``state`` (an op in graph mode)."""
        state = ops.convert_to_tensor(state, dtype=dtypes.int64)
        state.shape.assert_is_compatible_with([_state_size(self._alg)])
        return self._state_var.assign(state)

    def reset_from_seed(self, seed):
        """Assigns ``create_rng_state(seed, algorithm)``."""
        return self._state_var.assign(create_rng_state(seed, self._alg))

    def reset_from_key_counter(self, key, counter):
        """Assigns the state made of ``counter`` and ``key``."""
        counter = ops.convert_to_tensor(counter, dtype=dtypes.int64)
        key = ops.convert_to_tensor(key, dtype=dtypes.int64)
        return self._state_var.assign(array_ops.concat([counter, array_ops.reshape(key, [1])],
                                                       0))

    def skip(self, delta):
        """Advances the state as drawing ``delta`` numbers would (an RngSkip op)."""
        return make_op("RngSkip", [self._state_var._ref(), self._alg_tensor(),
                                   ops.convert_to_tensor(delta, dtype=dtypes.int64)],
                       name="RngSkip")

    def _alg_tensor(self):
        return ops.convert_to_tensor(self._alg, dtype=dtypes.int64, name="algorithm")

    def _draw(self, op_type, shape, dtype, extra=(), name=None):
        return make_tensor(op_type, [self._state_var._ref(), self._alg_tensor(),
                                     _shape_tensor(shape)] + list(extra),
                           {"dtype": dtypes.as_dtype(dtype)}, name=name or op_type)

    def normal(self, shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None):
        """Normal numbers: StatefulStandardNormalV2 * stddev + mean."""
        with ops.name_scope(name, "stateful_normal", [shape, mean, stddev]) as name:
            mean = ops.convert_to_tensor(mean, dtype=dtype, name="mean")
            stddev = ops.convert_to_tensor(stddev, dtype=dtype, name="stddev")
            rnd = self._draw("StatefulStandardNormalV2", shape, dtype)
            return math_ops.add(rnd * stddev, mean, name=name)

    def truncated_normal(self, shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None):
        """Normal numbers within two standard deviations of ``mean``."""
        with ops.name_scope(name, "truncated_normal", [shape, mean, stddev]) as name:
            mean = ops.convert_to_tensor(mean, dtype=dtype, name="mean")
            stddev = ops.convert_to_tensor(stddev, dtype=dtype, name="stddev")
            rnd = self._draw("StatefulTruncatedNormal", shape, dtype)
            return math_ops.add(rnd * stddev, mean, name=name)

    def uniform(self, shape, minval=0, maxval=None, dtype=dtypes.float32, name=None):
        """Uniform numbers in [minval, maxval) (maxval 1 for floats, required for ints)."""
        dtype = dtypes.as_dtype(dtype)
        if maxval is None:
            if dtype.is_integer:
                raise ValueError(f"Must specify maxval for integer dtype {dtype!r}")
            maxval = 1
        with ops.name_scope(name, "stateful_uniform", [shape, minval, maxval]) as name:
            minval = ops.convert_to_tensor(minval, dtype=dtype, name="min")
            maxval = ops.convert_to_tensor(maxval, dtype=dtype, name="max")
            if dtype.is_integer:
                return self._draw("StatefulUniformInt", shape, dtype, [minval, maxval],
                                  name=name)
            rnd = self._draw("StatefulUniform", shape, dtype)
            return math_ops.add(rnd * (maxval - minval), minval, name=name)

    def uniform_full_int(self, shape, dtype=dtypes.uint64, name=None):
        """Integers over the whole range of ``dtype``."""
        with ops.name_scope(name, "stateful_uniform_full_int", [shape]) as name:
            return self._draw("StatefulUniformFullInt", shape, dtype, name=name)

    def binomial(self, shape, counts, probs, dtype=dtypes.int32, name=None):
        """Binomial counts for ``counts`` trials of success probability ``probs``."""
        with ops.name_scope(name, "binomial", [shape, counts, probs]) as name:
            counts = ops.convert_to_tensor(counts, name="counts")
            probs = ops.convert_to_tensor(probs, name="probs", dtype=counts.dtype.base_dtype)
            return self._draw("StatefulRandomBinomial", shape, dtype, [counts, probs],
                              name=name)

    def make_seeds(self, count=1):
        """[2, count] int64 seeds for the stateless ops: random keys over zeros."""
        keys = self.uniform_full_int([count], dtype=dtypes.int64)
        return array_ops.stack([keys, array_ops.zeros_like(keys)])

    def split(self, count=1):
        """``count`` new generators with random keys (counters zero) drawn from this one."""
        keys = self.uniform_full_int([count], dtype=dtypes.int64)
        zeros = [0] * (_state_size(self._alg) - 1)
        return [Generator(state=array_ops.concat([array_ops.constant(zeros, dtypes.int64),
                                                  array_ops.reshape(key, [1])], 0),
                          alg=self._alg)
                for key in array_ops.unstack(keys, num=count)]


_global_generator = None


def get_global_generator():
    """``tf.random.get_global_generator()``: the process's generator, made from a
    non-deterministic state on first use (in graph mode: in the default graph of that
    moment; asked from another graph, a new one is made there)."""
    global _global_generator
    if _global_generator is None or \
            _global_generator.state.graph is not ops.get_default_graph():
        _global_generator = Generator.from_non_deterministic_state()
    return _global_generator


def set_global_generator(generator):
    """``tf.random.set_global_generator(generator)``: replaces the global generator."""
    global _global_generator
    _global_generator = generator
