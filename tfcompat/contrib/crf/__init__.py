"""``tf.contrib.crf``: the linear-chain CRF layer of TF 1.15 (``contrib/crf/python/ops/crf.py``).

Scores, the log partition function (forward algorithm as a ``CrfForwardRnnCell`` run by
``dynamic_rnn``), the log-likelihood (creating the variable "transitions" when no transition
matrix is given) and Viterbi decoding, in the graph (``crf_decode``: a forward max-product
``dynamic_rnn`` then a backward one over the reversed backpointers) and in NumPy
(``viterbi_decode``). A batch whose time dimension is 1 takes TF's single-step shortcuts;
sequences of length 0 score and normalise to 0, as in TF 1.15.
"""
import numpy as np

from tfcompat.framework import dtypes, ops, tensor_shape
from tfcompat.layers.utils import smart_cond
from tfcompat.ops import variable_scope as vs
from tfcompat.ops import array_ops, math_ops, special_math_ops
from tfcompat.rnn import rnn
from tfcompat.rnn.cell_impl import RNNCell

__all__ = ["crf_sequence_score", "crf_multitag_sequence_score", "crf_log_norm",
           "crf_log_likelihood", "crf_unary_score", "crf_binary_score", "CrfForwardRnnCell",
           "viterbi_decode", "crf_decode", "CrfDecodeForwardRnnCell",
           "CrfDecodeBackwardRnnCell"]


def _is_single_step(inputs):
    """TF's predicate: the static time dimension == 1 (which TF's ``constant_value`` folds),
    else the dynamic one == 1."""
    max_seq_len = tensor_shape.dimension_value(inputs.shape[1])
    if max_seq_len is not None:
        return max_seq_len == 1
    return math_ops.equal(array_ops.shape(inputs)[1], 1)


def _zero_where_empty(sequence_lengths, values):
    return math_ops.where(math_ops.less_equal(sequence_lengths, 0),
                           array_ops.zeros_like(values), values)


def crf_sequence_score(inputs, tag_indices, sequence_lengths, transition_params):
    """The unnormalised score [batch_size] of ``tag_indices`` [batch, max_seq_len] under the
    unary potentials ``inputs`` [batch, max_seq_len, num_tags] and ``transition_params``."""
    inputs = ops.convert_to_tensor(inputs, name="inputs")
    tag_indices = ops.convert_to_tensor(tag_indices, name="tag_indices")
    sequence_lengths = ops.convert_to_tensor(sequence_lengths, name="sequence_lengths")

    def _single_seq_fn():
        batch_size = array_ops.shape(inputs, out_type=tag_indices.dtype)[0]
        example_inds = array_ops.reshape(
            math_ops._range(batch_size, dtype=tag_indices.dtype), [-1, 1])
        scores = array_ops.gather_nd(array_ops.squeeze(inputs, [1]),
                                     array_ops.concat([example_inds, tag_indices], axis=1))
        return _zero_where_empty(sequence_lengths, scores)

    def _multi_seq_fn():
        unary_scores = crf_unary_score(tag_indices, sequence_lengths, inputs)
        binary_scores = crf_binary_score(tag_indices, sequence_lengths, transition_params)
        return unary_scores + binary_scores

    return smart_cond(_is_single_step(inputs), _single_seq_fn, _multi_seq_fn)


def _filtered_inputs(inputs, tag_bitmap):
    return math_ops.where(math_ops.cast(tag_bitmap, dtypes.bool), inputs,
                           array_ops.fill(array_ops.shape(inputs),
                                          np.array(-np.inf, inputs.dtype.as_numpy_dtype)))


def crf_multitag_sequence_score(inputs, tag_bitmap, sequence_lengths, transition_params):
    """The log of the summed scores [batch_size] of every tag sequence allowed by the boolean
    ``tag_bitmap`` [batch, max_seq_len, num_tags] (several allowed tags per position)."""
    inputs = ops.convert_to_tensor(inputs, name="inputs")

    def _single_seq_fn():
        return special_math_ops.reduce_logsumexp(_filtered_inputs(inputs, tag_bitmap),
                                                 axis=[1, 2], keepdims=False)

    def _multi_seq_fn():
        return crf_log_norm(_filtered_inputs(inputs, tag_bitmap), sequence_lengths,
                            transition_params)

    return smart_cond(_is_single_step(inputs), _single_seq_fn, _multi_seq_fn)


def crf_log_norm(inputs, sequence_lengths, transition_params):
    """The log partition function [batch_size]: logsumexp over all tag sequences of their
    scores, by the forward algorithm (0 for sequences of length <= 0)."""
    inputs = ops.convert_to_tensor(inputs, name="inputs")
    sequence_lengths = ops.convert_to_tensor(sequence_lengths, name="sequence_lengths")
    first_input = array_ops.squeeze(array_ops.slice(inputs, [0, 0, 0], [-1, 1, -1]), [1])

    def _single_seq_fn():
        log_norm = special_math_ops.reduce_logsumexp(first_input, [1])
        return _zero_where_empty(sequence_lengths, log_norm)

    def _multi_seq_fn():
        rest_of_input = array_ops.slice(inputs, [0, 1, 0], [-1, -1, -1])
        forward_cell = CrfForwardRnnCell(transition_params)
        lengths_less_one = math_ops.maximum(
            array_ops.constant(0, dtype=sequence_lengths.dtype), sequence_lengths - 1)
        _, alphas = rnn.dynamic_rnn(cell=forward_cell, inputs=rest_of_input,
                                    sequence_length=lengths_less_one,
                                    initial_state=first_input, dtype=inputs.dtype)
        log_norm = special_math_ops.reduce_logsumexp(alphas, [1])
        return _zero_where_empty(sequence_lengths, log_norm)

    return smart_cond(_is_single_step(inputs), _single_seq_fn, _multi_seq_fn)


def crf_log_likelihood(inputs, tag_indices, sequence_lengths, transition_params=None):
    """``(log_likelihood [batch_size], transition_params)``; without ``transition_params``
    the [num_tags, num_tags] variable "transitions" is created with ``get_variable``."""
    inputs = ops.convert_to_tensor(inputs, name="inputs")
    num_tags = tensor_shape.dimension_value(inputs.shape[2])
    if transition_params is None:
        transition_params = vs.get_variable("transitions", [num_tags, num_tags])
    sequence_scores = crf_sequence_score(inputs, tag_indices, sequence_lengths,
                                         transition_params)
    log_norm = crf_log_norm(inputs, sequence_lengths, transition_params)
    return sequence_scores - log_norm, transition_params


def _sequence_masks(sequence_lengths, tag_indices, dtype):
    return array_ops.sequence_mask(sequence_lengths, maxlen=array_ops.shape(tag_indices)[1],
                                   dtype=dtype)


def crf_unary_score(tag_indices, sequence_lengths, inputs):
    """The sum [batch_size] of each sequence's unary potentials at its tags, up to its
    length (one gather from the flattened ``inputs``)."""
    inputs = ops.convert_to_tensor(inputs, name="inputs")
    tag_indices = ops.convert_to_tensor(tag_indices, name="tag_indices")
    batch_size = array_ops.shape(inputs)[0]
    max_seq_len = array_ops.shape(inputs)[1]
    num_tags = array_ops.shape(inputs)[2]
    flattened_inputs = array_ops.reshape(inputs, [-1])
    offsets = array_ops.expand_dims(math_ops._range(batch_size) * max_seq_len * num_tags, 1)
    offsets += array_ops.expand_dims(math_ops._range(max_seq_len) * num_tags, 0)
    if tag_indices.dtype == dtypes.int64:
        offsets = math_ops.cast(offsets, dtypes.int64)
    flattened_tag_indices = array_ops.reshape(offsets + tag_indices, [-1])
    unary_scores = array_ops.reshape(array_ops.gather(flattened_inputs, flattened_tag_indices),
                                     [batch_size, max_seq_len])
    masks = _sequence_masks(sequence_lengths, tag_indices, inputs.dtype)
    return math_ops.reduce_sum(unary_scores * masks, 1)


def crf_binary_score(tag_indices, sequence_lengths, transition_params):
    """The sum [batch_size] of each sequence's transition scores between consecutive tags,
    up to its length."""
    tag_indices = ops.convert_to_tensor(tag_indices, name="tag_indices")
    transition_params = ops.convert_to_tensor(transition_params, name="transition_params")
    num_tags = tensor_shape.dimension_value(transition_params.shape[0])
    num_transitions = array_ops.shape(tag_indices)[1] - 1
    start_tag_indices = array_ops.slice(tag_indices, [0, 0], [-1, num_transitions])
    end_tag_indices = array_ops.slice(tag_indices, [0, 1], [-1, num_transitions])
    flattened_indices = start_tag_indices * num_tags + end_tag_indices
    flattened_params = array_ops.reshape(transition_params, [-1])
    binary_scores = array_ops.gather(flattened_params, flattened_indices)
    masks = _sequence_masks(sequence_lengths, tag_indices, transition_params.dtype)
    truncated_masks = array_ops.slice(masks, [0, 1], [-1, -1])
    return math_ops.reduce_sum(binary_scores * truncated_masks, 1)


class _TransitionCell(RNNCell):
    """A cell of num_tags outputs over the transition matrix expanded to [1, O, O]."""

    def __init__(self, transition_params):
        super().__init__()
        transition_params = ops.convert_to_tensor(transition_params, name="transition_params")
        self._transition_params = array_ops.expand_dims(transition_params, 0)
        self._num_tags = tensor_shape.dimension_value(transition_params.shape[0])

    @property
    def state_size(self):
        return self._num_tags

    @property
    def output_size(self):
        return self._num_tags


class CrfForwardRnnCell(_TransitionCell):
    """One step of the forward algorithm: alphas' = inputs + logsumexp over the previous
    tag of (alphas + transitions); the new alphas are both output and state."""

    def __call__(self, inputs, state, scope=None):
        transition_scores = array_ops.expand_dims(state, 2) + self._transition_params
        new_alphas = inputs + special_math_ops.reduce_logsumexp(transition_scores, [1])
        return new_alphas, new_alphas


class CrfDecodeForwardRnnCell(_TransitionCell):
    """One Viterbi step: the state becomes inputs + max over the previous tag of (state +
    transitions); the output is the int32 argmax (the backpointers)."""

    def __call__(self, inputs, state, scope=None):
        transition_scores = array_ops.expand_dims(state, 2) + self._transition_params
        new_state = inputs + math_ops.reduce_max(transition_scores, [1])
        backpointers = math_ops.cast(math_ops.argmax(transition_scores, 1), dtypes.int32)
        return backpointers, new_state


class CrfDecodeBackwardRnnCell(RNNCell):
    """One backtracking step: the next tag [batch, 1] is the backpointer row (the input)
    at the current tag (the state)."""

    def __init__(self, num_tags):
        super().__init__()
        self._num_tags = num_tags

    @property
    def state_size(self):
        return 1

    @property
    def output_size(self):
        return 1

    def __call__(self, inputs, state, scope=None):
        state = array_ops.squeeze(state, axis=[1])
        batch_indices = math_ops._range(array_ops.shape(inputs)[0])
        indices = array_ops.stack([batch_indices, state], axis=1)
        new_tags = array_ops.expand_dims(array_ops.gather_nd(inputs, indices), axis=-1)
        return new_tags, new_tags


def crf_decode(potentials, transition_params, sequence_length):
    """``(decode_tags int32 [batch, max_seq_len], best_score [batch])``: the highest-scoring
    tag sequences, decoded in the graph."""
    potentials = ops.convert_to_tensor(potentials, name="potentials")
    sequence_length = ops.convert_to_tensor(sequence_length, name="sequence_length")

    def _single_seq_fn():
        squeezed = array_ops.squeeze(potentials, [1])
        decode_tags = array_ops.expand_dims(math_ops.argmax(squeezed, axis=1), 1)
        best_score = math_ops.reduce_max(squeezed, axis=1)
        return math_ops.cast(decode_tags, dtypes.int32), best_score

    def _multi_seq_fn():
        num_tags = tensor_shape.dimension_value(potentials.shape[2])
        initial_state = array_ops.squeeze(
            array_ops.slice(potentials, [0, 0, 0], [-1, 1, -1]), axis=[1])
        inputs = array_ops.slice(potentials, [0, 1, 0], [-1, -1, -1])
        lengths_less_one = math_ops.maximum(
            array_ops.constant(0, dtype=sequence_length.dtype), sequence_length - 1)
        backpointers, last_score = rnn.dynamic_rnn(
            CrfDecodeForwardRnnCell(transition_params), inputs=inputs,
            sequence_length=lengths_less_one, initial_state=initial_state,
            time_major=False, dtype=dtypes.int32)
        backpointers = array_ops.reverse_sequence(backpointers, lengths_less_one, seq_axis=1)
        last_tags = array_ops.expand_dims(
            math_ops.cast(math_ops.argmax(last_score, axis=1), dtypes.int32), axis=-1)
        decode_tags, _ = rnn.dynamic_rnn(
            CrfDecodeBackwardRnnCell(num_tags), inputs=backpointers,
            sequence_length=lengths_less_one, initial_state=last_tags,
            time_major=False, dtype=dtypes.int32)
        decode_tags = array_ops.squeeze(decode_tags, axis=[2])
        decode_tags = array_ops.concat([last_tags, decode_tags], axis=1)
        decode_tags = array_ops.reverse_sequence(decode_tags, sequence_length, seq_axis=1)
        return decode_tags, math_ops.reduce_max(last_score, axis=1)

    return smart_cond(_is_single_step(potentials), _single_seq_fn, _multi_seq_fn)


def viterbi_decode(score, transition_params):
    """``(viterbi, viterbi_score)`` of one sequence outside the graph: ``score``
    [seq_len, num_tags] and ``transition_params`` are NumPy arrays; ``viterbi`` is a list of
    tag indices."""
    trellis = np.zeros_like(score)
    backpointers = np.zeros_like(score, dtype=np.int32)
    trellis[0] = score[0]
    for t in range(1, score.shape[0]):
        candidates = np.expand_dims(trellis[t - 1], 1) + transition_params
        trellis[t] = score[t] + np.max(candidates, 0)
        backpointers[t] = np.argmax(candidates, 0)
    viterbi = [np.argmax(trellis[-1])]
    for pointers in reversed(backpointers[1:]):
        viterbi.append(pointers[viterbi[-1]])
    viterbi.reverse()
    return viterbi, np.max(trellis[-1])


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.contrib.crf' has no attribute '{name}': "
                         f"tfcompat does not implement tf.contrib.crf.{name} yet")
