"""Attention of ``tf.contrib.seq2seq`` (TF 1.15 ``attention_wrapper.py``).

A mechanism holds the memory (masked past ``memory_sequence_length``) and its keys
(``memory_layer``: Dense without bias, variables "memory_layer/kernel"); called with a
query it scores every memory step and turns the scores into alignments with
``probability_fn`` (softmax by default) after masking scores past the memory's length with
``score_mask_value`` (-inf). Bahdanau: score = sum(v * tanh(keys + W q)) (with
``normalize``: v replaced by g * v / ||v|| and a bias b added inside the tanh); Luong:
score = q . keys (times a scalar g with ``scale``). ``AttentionWrapper`` runs its cell on
[inputs, previous attention], queries each mechanism with the cell output, and makes the
attention from the context (alignments . values), through ``attention_layer`` (Dense
without bias on [cell output, context]) when given. Variables live under the wrapper's
scope: "attention_wrapper/basic_lstm_cell/kernel", "attention_wrapper/attention_layer/
kernel", "attention_wrapper/bahdanau_attention/query_layer/kernel", ".../attention_v".
"""
import collections
import functools
import math

import numpy as np

from tfcompat.framework import dtypes, nest, ops, tensor_shape
from tfcompat.layers.base import Layer
from tfcompat.layers.core import Dense
from tfcompat.ops import variable_scope as vs
from tfcompat.ops import array_ops, check_ops, clip_ops, functional_ops, math_ops, nn_ops
from tfcompat.ops import random_ops
from tfcompat.ops.special_math_ops import cumprod
from tfcompat.ops.init_ops import constant_initializer, ones_initializer, zeros_initializer
from tfcompat.ops.tensor_array_ops import TensorArray
from tfcompat.rnn.cell_impl import RNNCell, _zero_state_tensors
from tfcompat.contrib.seq2seq.basic_decoder import check_rnn_cell

__all__ = ["AttentionMechanism", "AttentionWrapper", "AttentionWrapperState",
           "LuongAttention", "BahdanauAttention", "hardmax", "safe_cumprod",
           "monotonic_attention", "BahdanauMonotonicAttention", "LuongMonotonicAttention"]


class AttentionMechanism:
    """Base class of the attention mechanisms (``alignments_size``, ``state_size``)."""

    @property
    def alignments_size(self):
        raise NotImplementedError

    @property
    def state_size(self):
        raise NotImplementedError


def _static_or_dynamic(tensor, axis):
    value = tensor.shape[axis].value if tensor.shape.ndims is not None else None
    return value if value is not None else array_ops.shape(tensor)[axis]


def _prepare_memory(memory, memory_sequence_length, check_inner_dims_defined):
    """The memory with steps past ``memory_sequence_length`` zeroed (TF's _prepare_memory)."""
    memory = nest.map_structure(lambda m: ops.convert_to_tensor(m, name="memory"), memory)
    if memory_sequence_length is not None:
        memory_sequence_length = ops.convert_to_tensor(memory_sequence_length,
                                                       name="memory_sequence_length")
    if check_inner_dims_defined:
        for m in nest.flatten(memory):
            if not m.shape[2:].is_fully_defined():
                raise ValueError(f"Expected memory {m.name} to have fully defined inner dims, "
                                 f"but saw shape: {m.shape}")
    if memory_sequence_length is None:
        return memory
    first = nest.flatten(memory)[0]
    mask = array_ops.sequence_mask(memory_sequence_length, maxlen=array_ops.shape(first)[1],
                                   dtype=first.dtype)
    lengths_batch = _static_or_dynamic(memory_sequence_length, 0)

    def masked(m):
        check = check_ops.assert_equal(
            lengths_batch, _static_or_dynamic(m, 0),
            message="memory_sequence_length and memory tensor batch sizes do not match.")
        with ops.control_dependencies([check]):
            extra_ones = array_ops.ones([m.shape.ndims - 2], dtype=dtypes.int32)
            return m * array_ops.reshape(mask, array_ops.concat([array_ops.shape(mask),
                                                                 extra_ones], 0))
    return nest.map_structure(masked, memory)


def _maybe_mask_score(score, memory_sequence_length, score_mask_value):
    if memory_sequence_length is None:
        return score
    score_mask = array_ops.sequence_mask(memory_sequence_length,
                                         maxlen=array_ops.shape(score)[1])
    return math_ops.where(score_mask, score, score_mask_value * array_ops.ones_like(score))


class _BaseAttentionMechanism(AttentionMechanism):
    """Memory, keys (``memory_layer`` of the memory) and the masked probability_fn."""

    def __init__(self, query_layer, memory, probability_fn, memory_sequence_length=None,
                 memory_layer=None, check_inner_dims_defined=True, score_mask_value=None,
                 custom_key_value_fn=None, name=None):
        if query_layer is not None and not isinstance(query_layer, Layer):
            raise TypeError(f"query_layer is not a Layer: {type(query_layer).__name__}")
        if memory_layer is not None and not isinstance(memory_layer, Layer):
            raise TypeError(f"memory_layer is not a Layer: {type(memory_layer).__name__}")
        self._query_layer = query_layer
        self._memory_layer = memory_layer
        self.dtype = memory_layer.dtype
        if not callable(probability_fn):
            raise TypeError(f"probability_fn must be callable, saw type: "
                            f"{type(probability_fn).__name__}")
        if score_mask_value is None:
            score_mask_value = dtypes.as_dtype(memory_layer.dtype).as_numpy_dtype(-np.inf)
        self._probability_fn = lambda score, prev: probability_fn(
            _maybe_mask_score(score, memory_sequence_length, score_mask_value), prev)
        with ops.name_scope(name, "BaseAttentionMechanismInit", nest.flatten(memory)):
            self._values = _prepare_memory(memory, memory_sequence_length,
                                           check_inner_dims_defined)
            self._keys = self.memory_layer(self._values) if self.memory_layer else \
                self._values
            if custom_key_value_fn is not None:
                self._keys, self._values = custom_key_value_fn(self._keys, self._values)
            self._batch_size = _static_or_dynamic(self._keys, 0)
            self._alignments_size = _static_or_dynamic(self._keys, 1)

    @property
    def memory_layer(self):
        return self._memory_layer

    @property
    def query_layer(self):
        return self._query_layer

    @property
    def values(self):
        return self._values

    @property
    def keys(self):
        return self._keys

    @property
    def batch_size(self):
        return self._batch_size

    @property
    def alignments_size(self):
        return self._alignments_size

    @property
    def state_size(self):
        return self._alignments_size

    def initial_alignments(self, batch_size, dtype):
        """Zeros [batch_size, alignments_size]."""
        return _zero_state_tensors(self._alignments_size, batch_size, dtype)

    def initial_state(self, batch_size, dtype):
        return self.initial_alignments(batch_size, dtype)


def _luong_score(query, keys, scale):
    """q . k for every memory step (times ``scale`` when given): [batch, max_time]."""
    depth, key_units = query.shape[-1], keys.shape[-1]
    if depth.value != key_units.value:
        raise ValueError(f"Incompatible or unknown inner dimensions between query and keys.  "
                         f"Query ({query}) has units: {depth}.  Keys ({keys}) have units: "
                         f"{key_units}.  Perhaps you need to set num_units to the keys' "
                         f"dimension ({key_units})?")
    score = math_ops.matmul(array_ops.expand_dims(query, 1), keys, transpose_b=True)
    score = array_ops.squeeze(score, [1])
    return score if scale is None else scale * score


class LuongAttention(_BaseAttentionMechanism):
    """Multiplicative attention (Luong et al. 2015); ``scale`` adds the scalar
    "attention_g" (initialised to 1)."""

    def __init__(self, num_units, memory, memory_sequence_length=None, scale=False,
                 probability_fn=None, score_mask_value=None, dtype=None,
                 custom_key_value_fn=None, name="LuongAttention"):
        probability_fn = probability_fn or nn_ops.softmax
        dtype = dtype or dtypes.float32
        super().__init__(
            query_layer=None,
            memory_layer=Dense(num_units, name="memory_layer", use_bias=False, dtype=dtype),
            memory=memory, probability_fn=lambda score, _: probability_fn(score),
            memory_sequence_length=memory_sequence_length, score_mask_value=score_mask_value,
            custom_key_value_fn=custom_key_value_fn, name=name)
        self._num_units = num_units
        self._scale = scale
        self._name = name

    def __call__(self, query, state):
        with vs.variable_scope(None, "luong_attention", [query]):
            score = _luong_mechanism_score(self, query)
        alignments = self._probability_fn(score, state)
        return alignments, alignments


def _luong_mechanism_score(mechanism, query):
    """A Luong mechanism's scores of ``query``, making its "attention_g" (with ``scale``) in
    the current variable scope."""
    scale = None
    if mechanism._scale:
        scale = vs.get_variable("attention_g", dtype=query.dtype,
                                initializer=ones_initializer(), shape=())
    return _luong_score(query, mechanism._keys, scale)


def _bahdanau_score(processed_query, keys, attention_v, attention_g=None, attention_b=None):
    """sum over units of v * tanh(keys + query) (normalised v and a bias with g and b)."""
    processed_query = array_ops.expand_dims(processed_query, 1)
    if attention_g is None:
        return math_ops.reduce_sum(attention_v * nn_ops.tanh(keys + processed_query), [2])
    normed_v = attention_g * attention_v * math_ops.rsqrt(
        math_ops.reduce_sum(math_ops.square(attention_v)))
    return math_ops.reduce_sum(normed_v * nn_ops.tanh(keys + processed_query + attention_b),
                               [2])


class BahdanauAttention(_BaseAttentionMechanism):
    """Additive attention (Bahdanau et al. 2015); ``normalize`` gives weight normalisation
    ("attention_g" initialised to sqrt(1 / num_units), "attention_b" to zeros)."""

    def __init__(self, num_units, memory, memory_sequence_length=None, normalize=False,
                 probability_fn=None, score_mask_value=None, dtype=None,
                 custom_key_value_fn=None, name="BahdanauAttention"):
        probability_fn = probability_fn or nn_ops.softmax
        dtype = dtype or dtypes.float32
        super().__init__(
            query_layer=Dense(num_units, name="query_layer", use_bias=False, dtype=dtype),
            memory_layer=Dense(num_units, name="memory_layer", use_bias=False, dtype=dtype),
            memory=memory, probability_fn=lambda score, _: probability_fn(score),
            memory_sequence_length=memory_sequence_length, score_mask_value=score_mask_value,
            custom_key_value_fn=custom_key_value_fn, name=name)
        self._num_units = num_units
        self._normalize = normalize
        self._name = name

    def __call__(self, query, state):
        with vs.variable_scope(None, "bahdanau_attention", [query]):
            score = _bahdanau_mechanism_score(self, query)
        alignments = self._probability_fn(score, state)
        return alignments, alignments


def _bahdanau_mechanism_score(mechanism, query):
    """A Bahdanau mechanism's scores of ``query`` (through its query layer), making its
    "attention_v" (and with ``normalize`` "attention_g", "attention_b") in the current
    variable scope."""
    processed_query = mechanism.query_layer(query) if mechanism.query_layer else query
    units = mechanism._num_units
    attention_v = vs.get_variable("attention_v", [units], dtype=query.dtype)
    attention_g = attention_b = None
    if mechanism._normalize:
        attention_g = vs.get_variable(
            "attention_g", dtype=query.dtype, shape=(),
            initializer=constant_initializer(math.sqrt(1. / units)))
        attention_b = vs.get_variable("attention_b", [units], dtype=query.dtype,
                                      initializer=zeros_initializer())
    return _bahdanau_score(processed_query, mechanism._keys, attention_v, attention_g,
                           attention_b)


def hardmax(logits, name=None):
    """One-hot of the argmax over the last axis, in the logits' dtype."""
    with ops.name_scope(name, "Hardmax", [logits]):
        logits = ops.convert_to_tensor(logits, name="logits")
        depth = _static_or_dynamic(logits, -1)
        return array_ops.one_hot(math_ops.argmax(logits, -1), depth, dtype=logits.dtype)


def safe_cumprod(x, *args, **kwargs):
    """cumprod computed as exp(cumsum(log(x))) with x clipped to [tiny, 1] (no underflow to
    0 in long products); extra arguments go to cumsum (axis, exclusive, reverse)."""
    with ops.name_scope(None, "SafeCumprod", [x]):
        x = ops.convert_to_tensor(x, name="x")
        tiny = np.finfo(x.dtype.as_numpy_dtype).tiny
        return math_ops.exp(math_ops.cumsum(
            math_ops.log(clip_ops.clip_by_value(x, tiny, 1)), *args, **kwargs))


def _recursive_monotonic_attention(p_choose_i, previous_attention):
    """q_j = (1 - p_{j-1}) q_{j-1} + a_prev_j by a tf.scan over memory steps; a = p q."""
    batch_size = _static_or_dynamic(p_choose_i, 0)
    shifted = array_ops.concat([array_ops.ones(array_ops.stack([batch_size, 1]),
                                               dtype=p_choose_i.dtype),
                                1 - p_choose_i[:, :-1]], 1)
    scanned = functional_ops.scan(
        lambda q, factors: factors[0] * q + factors[1],
        [array_ops.transpose(shifted), array_ops.transpose(previous_attention)],
        array_ops.zeros(array_ops.reshape(batch_size, [1]), dtype=p_choose_i.dtype))
    return p_choose_i * array_ops.transpose(scanned)


def monotonic_attention(p_choose_i, previous_attention, mode):
    """The expected monotonic alignments (Raffel et al. 2017) from the choosing
    probabilities ``p_choose_i`` and the previous alignments, by ``mode``: "recursive"
    (a scan), "parallel" (cumulative products; may be inexact for p near 1) or "hard"
    (p thresholded at 0.5, for one-hot previous attention)."""
    p_choose_i = ops.convert_to_tensor(p_choose_i, name="p_choose_i")
    previous_attention = ops.convert_to_tensor(previous_attention, name="previous_attention")
    if mode == "recursive":
        return _recursive_monotonic_attention(p_choose_i, previous_attention)
    if mode == "parallel":
        cumprod_1mp = safe_cumprod(1 - p_choose_i, axis=1, exclusive=True)
        return p_choose_i * cumprod_1mp * math_ops.cumsum(
            previous_attention / clip_ops.clip_by_value(cumprod_1mp, 1e-10, 1.), axis=1)
    if mode == "hard":
        p_choose_i = math_ops.cast(p_choose_i > .5, p_choose_i.dtype)
        p_choose_i *= math_ops.cumsum(previous_attention, axis=1)
        return p_choose_i * cumprod(1 - p_choose_i, axis=1, exclusive=True)
    raise ValueError("mode must be 'recursive', 'parallel', or 'hard'.")


def _monotonic_probability_fn(score, previous_alignments, sigmoid_noise, mode, seed=None):
    """Sigmoid (after optional pre-sigmoid noise; a step for "hard") then
    monotonic_attention."""
    if sigmoid_noise > 0:
        score += sigmoid_noise * random_ops.random_normal(array_ops.shape(score),
                                                          dtype=score.dtype, seed=seed)
    if mode == "hard":
        p_choose_i = math_ops.cast(score > 0, score.dtype)
    else:
        p_choose_i = nn_ops.sigmoid(score)
    return monotonic_attention(p_choose_i, previous_alignments, mode)


class _BaseMonotonicAttentionMechanism(_BaseAttentionMechanism):
    """Monotonic mechanisms start with all attention on the first memory step; their scores
    (``_score``, in the variable scope ``_scope_name``) get a scalar "attention_score_bias"
    (initialised to ``score_bias_init``) and go through the monotonic probability
    function."""

    _scope_name = None

    def __init__(self, num_units, memory, memory_sequence_length, score_mask_value,
                 sigmoid_noise, sigmoid_noise_seed, score_bias_init, mode, dtype, name,
                 query_layer):
        dtype = dtype or dtypes.float32
        super().__init__(
            query_layer=Dense(num_units, name="query_layer", use_bias=False, dtype=dtype)
            if query_layer else None,
            memory_layer=Dense(num_units, name="memory_layer", use_bias=False, dtype=dtype),
            memory=memory,
            probability_fn=functools.partial(_monotonic_probability_fn,
                                             sigmoid_noise=sigmoid_noise, mode=mode,
                                             seed=sigmoid_noise_seed),
            memory_sequence_length=memory_sequence_length, score_mask_value=score_mask_value,
            name=name)
        self._num_units = num_units
        self._name = name
        self._score_bias_init = score_bias_init

    def initial_alignments(self, batch_size, dtype):
        return array_ops.one_hot(array_ops.zeros(array_ops.reshape(batch_size, [1]),
                                                 dtype=dtypes.int32),
                                 self._alignments_size, dtype=dtype)

    def __call__(self, query, state):
        with vs.variable_scope(None, self._scope_name, [query]):
            score = self._score(query)
            score += vs.get_variable("attention_score_bias", dtype=score.dtype,
                                     initializer=constant_initializer(self._score_bias_init),
                                     shape=())
        alignments = self._probability_fn(score, state)
        return alignments, alignments


class BahdanauMonotonicAttention(_BaseMonotonicAttentionMechanism):
    """Bahdanau scores through the monotonic probability function."""

    _scope_name = "bahdanau_monotonic_attention"

    def __init__(self, num_units, memory, memory_sequence_length=None, normalize=False,
                 score_mask_value=None, sigmoid_noise=0., sigmoid_noise_seed=None,
                 score_bias_init=0., mode="parallel", dtype=None,
                 name="BahdanauMonotonicAttention"):
        super().__init__(num_units, memory, memory_sequence_length, score_mask_value,
                         sigmoid_noise, sigmoid_noise_seed, score_bias_init, mode, dtype, name,
                         query_layer=True)
        self._normalize = normalize

    def _score(self, query):
        return _bahdanau_mechanism_score(self, query)


class LuongMonotonicAttention(_BaseMonotonicAttentionMechanism):
    """Luong scores through the monotonic probability function."""

    _scope_name = "luong_monotonic_attention"

    def __init__(self, num_units, memory, memory_sequence_length=None, scale=False,
                 score_mask_value=None, sigmoid_noise=0., sigmoid_noise_seed=None,
                 score_bias_init=0., mode="parallel", dtype=None,
                 name="LuongMonotonicAttention"):
        super().__init__(num_units, memory, memory_sequence_length, score_mask_value,
                         sigmoid_noise, sigmoid_noise_seed, score_bias_init, mode, dtype, name,
                         query_layer=False)
        self._scale = scale

    def _score(self, query):
        return _luong_mechanism_score(self, query)


def _compute_attention(attention_mechanism, cell_output, attention_state, attention_layer):
    """(attention, alignments, next attention state) for one mechanism."""
    alignments, next_attention_state = attention_mechanism(cell_output, state=attention_state)
    context = math_ops.matmul(array_ops.expand_dims(alignments, 1), attention_mechanism.values)
    context = array_ops.squeeze(context, [1])
    if attention_layer is None:
        return context, alignments, next_attention_state
    attention = attention_layer(array_ops.concat([cell_output, context], 1))
    return attention, alignments, next_attention_state


class AttentionWrapperState(collections.namedtuple(
        "AttentionWrapperState", ("cell_state", "attention", "time", "alignments",
                                  "alignment_history", "attention_state"))):
    """The state of an AttentionWrapper; ``clone(**kwargs)`` replaces fields, keeping the
    old tensors' static shapes on the new ones."""

    __slots__ = ()

    def clone(self, **kwargs):
        def with_same_shape(old, new):
            if isinstance(old, ops.Tensor) and isinstance(new, ops.Tensor):
                new.set_shape(old.shape)
            return new
        return nest.map_structure(with_same_shape, self, self._replace(**kwargs))


def _attention_layers(cell, mechanisms, attention_layer_size, attention_layer):
    """(layers or None, total attention size) as TF's AttentionWrapper picks them."""
    if attention_layer_size is not None and attention_layer is not None:
        raise ValueError("Only one of attention_layer_size and attention_layer should be set")
    if attention_layer_size is not None:
        sizes = tuple(attention_layer_size if isinstance(attention_layer_size, (list, tuple))
                      else (attention_layer_size,))
        if len(sizes) != len(mechanisms):
            raise ValueError(f"If provided, attention_layer_size must contain exactly one "
                             f"integer per attention_mechanism, saw: {len(sizes)} vs "
                             f"{len(mechanisms)}")
        layers = tuple(Dense(size, name="attention_layer", use_bias=False,
                             dtype=mechanism.dtype)
                       for size, mechanism in zip(sizes, mechanisms, strict=True))
        return layers, sum(sizes)
    if attention_layer is not None:
        layers = tuple(attention_layer if isinstance(attention_layer, (list, tuple))
                       else (attention_layer,))
        if len(layers) != len(mechanisms):
            raise ValueError(f"If provided, attention_layer must contain exactly one layer per "
                             f"attention_mechanism, saw: {len(layers)} vs {len(mechanisms)}")
        size = sum(layer.compute_output_shape(
            [None, cell.output_size + mechanism.values.shape[-1].value])[-1].value
            for layer, mechanism in zip(layers, mechanisms, strict=True))
        return layers, size
    return None, sum(mechanism.values.shape[-1].value for mechanism in mechanisms)


def _check_mechanisms(attention_mechanism):
    if isinstance(attention_mechanism, (list, tuple)):
        for mechanism in attention_mechanism:
            if not isinstance(mechanism, AttentionMechanism):
                raise TypeError(f"attention_mechanism must contain only instances of "
                                f"AttentionMechanism, saw type: {type(mechanism).__name__}")
        return True, tuple(attention_mechanism)
    if not isinstance(attention_mechanism, AttentionMechanism):
        raise TypeError(f"attention_mechanism must be an AttentionMechanism or list of "
                        f"multiple AttentionMechanism instances, saw type: "
                        f"{type(attention_mechanism).__name__}")
    return False, (attention_mechanism,)


class AttentionWrapper(RNNCell):
    """``AttentionWrapper(cell, attention_mechanism, attention_layer_size=None,
    alignment_history=False, cell_input_fn=None, output_attention=True,
    initial_cell_state=None, name=None, attention_layer=None)``."""

    def __init__(self, cell, attention_mechanism, attention_layer_size=None,
                 alignment_history=False, cell_input_fn=None, output_attention=True,
                 initial_cell_state=None, name=None, attention_layer=None,
                 attention_fn=None):
        super().__init__(name=name)
        check_rnn_cell("cell", cell)
        self._is_multi, self._attention_mechanisms = _check_mechanisms(attention_mechanism)
        if cell_input_fn is None:
            cell_input_fn = lambda inputs, attention: array_ops.concat(  # noqa: E731
                [inputs, attention], -1)
        elif not callable(cell_input_fn):
            raise TypeError(f"cell_input_fn must be callable, saw type: "
                            f"{type(cell_input_fn).__name__}")
        self._attention_layers, self._attention_layer_size = _attention_layers(
            cell, self._attention_mechanisms, attention_layer_size, attention_layer)
        self._attention_fn = attention_fn or _compute_attention
        self._cell = cell
        self._cell_input_fn = cell_input_fn
        self._output_attention = output_attention
        self._alignment_history = alignment_history
        self._initial_cell_state = None
        if initial_cell_state is not None:
            with ops.name_scope(name, "AttentionWrapperInit"):
                last = nest.flatten(initial_cell_state)[-1]
                checks = self._batch_size_checks(
                    _static_or_dynamic(last, 0),
                    f"When constructing AttentionWrapper {self._base_name}: "
                    + _BATCH_MISMATCH_STATE)
                with ops.control_dependencies(checks):
                    self._initial_cell_state = nest.map_structure(
                        lambda s: array_ops.identity(s, name="check_initial_cell_state"),
                        initial_cell_state)

    def _batch_size_checks(self, batch_size, error_message):
        return [check_ops.assert_equal(batch_size, mechanism.batch_size, message=error_message)
                for mechanism in self._attention_mechanisms]

    def _item_or_tuple(self, seq):
        items = tuple(seq)
        return items if self._is_multi else items[0]

    @property
    def output_size(self):
        return self._attention_layer_size if self._output_attention else self._cell.output_size

    @property
    def state_size(self):
        mechanisms = self._attention_mechanisms
        return AttentionWrapperState(
            cell_state=self._cell.state_size, time=tensor_shape.TensorShape([]),
            attention=self._attention_layer_size,
            alignments=self._item_or_tuple(a.alignments_size for a in mechanisms),
            attention_state=self._item_or_tuple(a.state_size for a in mechanisms),
            alignment_history=self._item_or_tuple(
                a.alignments_size if self._alignment_history else () for a in mechanisms))

    def zero_state(self, batch_size, dtype):
        """The initial AttentionWrapperState: the cell's zero (or initial) state, zero
        attention and alignments, time 0, empty alignment histories."""
        with ops.name_scope(type(self).__name__ + "ZeroState"):
            if self._initial_cell_state is not None:
                cell_state = self._initial_cell_state
            else:
                cell_state = self._cell.zero_state(batch_size, dtype)
            checks = self._batch_size_checks(
                batch_size, f"When calling zero_state of AttentionWrapper {self._base_name}: "
                + _BATCH_MISMATCH_STATE)
            with ops.control_dependencies(checks):
                cell_state = nest.map_structure(
                    lambda s: array_ops.identity(s, name="checked_cell_state"), cell_state)
            mechanisms = self._attention_mechanisms
            alignments = [m.initial_alignments(batch_size, dtype) for m in mechanisms]
            return AttentionWrapperState(
                cell_state=cell_state, time=array_ops.zeros([], dtype=dtypes.int32),
                attention=_zero_state_tensors(self._attention_layer_size, batch_size, dtype),
                alignments=self._item_or_tuple(alignments),
                attention_state=self._item_or_tuple(m.initial_state(batch_size, dtype)
                                                    for m in mechanisms),
                alignment_history=self._item_or_tuple(
                    TensorArray(dtype, size=0, dynamic_size=True, element_shape=a.shape)
                    if self._alignment_history else () for a in alignments))

    def call(self, inputs, state):
        if not isinstance(state, AttentionWrapperState):
            raise TypeError(f"Expected state to be instance of AttentionWrapperState. "
                            f"Received type {type(state)} instead.")
        cell_inputs = self._cell_input_fn(inputs, state.attention)
        cell_output, next_cell_state = self._cell(cell_inputs, state.cell_state)
        checks = self._batch_size_checks(
            _static_or_dynamic(cell_output, 0),
            f"When applying AttentionWrapper {self.name}: " + _BATCH_MISMATCH_QUERY)
        with ops.control_dependencies(checks):
            cell_output = array_ops.identity(cell_output, name="checked_cell_output")
        previous_states = state.attention_state if self._is_multi else [state.attention_state]
        previous_histories = state.alignment_history if self._is_multi else \
            [state.alignment_history]
        attentions, alignments, attention_states, histories = [], [], [], []
        for i, mechanism in enumerate(self._attention_mechanisms):
            layer = self._attention_layers[i] if self._attention_layers else None
            attention, alignment, next_attention_state = self._attention_fn(
                mechanism, cell_output, previous_states[i], layer)
            histories.append(previous_histories[i].write(state.time, alignment)
                             if self._alignment_history else ())
            attentions.append(attention)
            alignments.append(alignment)
            attention_states.append(next_attention_state)
        attention = array_ops.concat(attentions, 1)
        next_state = AttentionWrapperState(
            time=state.time + 1, cell_state=next_cell_state, attention=attention,
            attention_state=self._item_or_tuple(attention_states),
            alignments=self._item_or_tuple(alignments),
            alignment_history=self._item_or_tuple(histories))
        return (attention if self._output_attention else cell_output), next_state


_BATCH_MISMATCH_STATE = (
    "Non-matching batch sizes between the memory (encoder output) and the requested batch "
    "size.  Are you using the BeamSearchDecoder?  If so, make sure your encoder output has "
    "been tiled to beam_width via tf.contrib.seq2seq.tile_batch, and the batch_size= "
    "argument passed to zero_state is batch_size * beam_width.")
_BATCH_MISMATCH_QUERY = (
    "Non-matching batch sizes between the memory (encoder output) and the query (decoder "
    "output).  Are you using the BeamSearchDecoder?  You may need to tile your memory input "
    "via the tf.contrib.seq2seq.tile_batch function with argument multiple=beam_width.")
