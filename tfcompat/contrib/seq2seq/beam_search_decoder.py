"""``BeamSearchDecoder`` (TF 1.15 ``beam_search_decoder.py``).

The cell runs on batch_size * beam_width rows (states and memories tiled with
``tile_batch``); each step adds log_softmax(logits) to the beams' log probabilities
(finished beams may only extend with ``end_token`` at no cost), scores them (divided by the
GNMT length penalty ((5 + length) / 6) ** length_penalty_weight, plus the coverage penalty
of the attention when ``coverage_penalty_weight`` is set), keeps the top beam_width of
beam_width * vocab per batch row and gathers the cell states of their parent beams.
``finalize`` traces the full beams back with ``gather_tree`` (FinalBeamSearchDecoderOutput
.predicted_ids, [batch, time, beam] batch major) and, with ``reorder_tensor_arrays``,
reorders TensorArrays in the state (an attention history) the same way.
"""
import collections

import numpy as np

from tfcompat.framework import dtypes, nest, ops, tensor_shape
from tfcompat.framework.op_def import constant_value
from tfcompat.ops import array_ops, control_flow_ops, math_ops, nn_ops
from tfcompat.ops.beam_search_ops import gather_tree
from tfcompat.ops.tensor_array_ops import TensorArray
from tfcompat.contrib.seq2seq.attention_wrapper import AttentionWrapperState
from tfcompat.contrib.seq2seq.basic_decoder import (check_output_layer, check_rnn_cell,
                                                    rnn_output_size)
from tfcompat.contrib.seq2seq.decoder import Decoder
from tfcompat.contrib.seq2seq.helper import _embedding_fn
from tfcompat import logging

__all__ = ["BeamSearchDecoderOutput", "BeamSearchDecoderState", "BeamSearchDecoder",
           "FinalBeamSearchDecoderOutput", "tile_batch", "gather_tree_from_array"]


class BeamSearchDecoderState(collections.namedtuple(
        "BeamSearchDecoderState", ("cell_state", "log_probs", "finished", "lengths",
                                   "accumulated_attention_probs"))):
    """The beams' cell states, log probabilities, finished flags and lengths."""

    __slots__ = ()


class BeamSearchDecoderOutput(collections.namedtuple(
        "BeamSearchDecoderOutput", ("scores", "predicted_ids", "parent_ids"))):
    """One step's beam scores, chosen ids and parent beams."""

    __slots__ = ()


class FinalBeamSearchDecoderOutput(collections.namedtuple(
        "FinalBeamSearchDecoderOutput", ("predicted_ids", "beam_search_decoder_output"))):
    """The traced-back beams and the raw per-step outputs."""

    __slots__ = ()


def _tile_batch(t, multiplier):
    t = ops.convert_to_tensor(t, name="t")
    if t.shape.ndims is None or t.shape.ndims < 1:
        raise ValueError("t must have statically known rank")
    shape_t = array_ops.shape(t)
    tiling = [1] * (t.shape.ndims + 1)
    tiling[1] = multiplier
    static_batch = t.shape[0].value
    tiled = array_ops.tile(array_ops.expand_dims(t, 1), tiling)
    tiled = array_ops.reshape(tiled, array_ops.concat(([shape_t[0] * multiplier],
                                                       shape_t[1:]), 0))
    tiled.set_shape(tensor_shape.TensorShape(
        [None if static_batch is None else static_batch * multiplier]).concatenate(
            t.shape[1:]))
    return tiled


def tile_batch(t, multiplier, name=None):
    """Each batch row repeated ``multiplier`` times in a row ([a, b] -> [a, a, b, b]), for
    every tensor of the structure ``t``."""
    flat_t = nest.flatten(t)
    with ops.name_scope(name, "tile_batch", flat_t + [multiplier]):
        return nest.map_structure(lambda t_: _tile_batch(t_, multiplier), t)


def gather_tree_from_array(t, parent_ids, sequence_length):
    """``t`` [time, batch * beam, ...] reordered along the traced-back beams (steps past a
    beam's length keep their own beam)."""
    max_time = parent_ids.shape[0].value or array_ops.shape(parent_ids)[0]
    batch_size = parent_ids.shape[1].value or array_ops.shape(parent_ids)[1]
    beam_width = parent_ids.shape[2].value or array_ops.shape(parent_ids)[2]
    beam_ids = array_ops.tile(array_ops.reshape(math_ops._range(beam_width), [1, 1, -1]),
                              [max_time, batch_size, 1])
    max_sequence_lengths = math_ops.cast(math_ops.reduce_max(sequence_length, axis=1),
                                         dtypes.int32)
    sorted_beam_ids = gather_tree(beam_ids, parent_ids, max_sequence_lengths,
                                  end_token=beam_width + 1)
    in_bound_steps = array_ops.transpose(
        array_ops.sequence_mask(sequence_length, maxlen=max_time), perm=[2, 0, 1])
    sorted_beam_ids = math_ops.where(in_bound_steps, sorted_beam_ids, beam_ids)
    time_ind = array_ops.tile(array_ops.reshape(math_ops._range(max_time), [-1, 1, 1]),
                              [1, batch_size, beam_width])
    batch_ind = array_ops.tile(array_ops.reshape(math_ops._range(batch_size), [1, -1, 1]),
                               [max_time, 1, beam_width])
    indices = array_ops.stack([time_ind, batch_ind, sorted_beam_ids], -1)
    final_shape = array_ops.shape(t)
    gather_from = array_ops.reshape(t, [max_time, batch_size, beam_width, -1])
    ordered = array_ops.gather_nd(gather_from, indices)
    return array_ops.reshape(ordered, final_shape)


def _check_maybe(t):
    if t.shape.ndims is None:
        raise ValueError(f"Expected tensor ({t.name}) to have known rank, but ndims == None.")


def _static_batch_beam_matches(shape, batch_size, beam_width):
    """False when the static shape can be neither [batch * beam, ...] nor [batch, beam, ...]."""
    rows = shape[0].value
    if batch_size is None or rows is None or rows == batch_size * beam_width:
        return True
    return shape.ndims >= 2 and rows == batch_size and shape[1].value == beam_width


def _tensor_gather_helper(gather_indices, gather_from, batch_size, range_size, gather_shape,
                          name=None):
    """gather_from[batch, gather_indices[batch, beam]] (rows of [batch * range_size])."""
    with ops.name_scope(name, "tensor_gather_helper"):
        offsets = array_ops.expand_dims(math_ops._range(batch_size) * range_size, 1)
        flat_indices = array_ops.reshape(gather_indices + offsets, [-1])
        output = array_ops.gather(array_ops.reshape(gather_from, gather_shape), flat_indices)
        final_shape = array_ops.shape(gather_from)[:1 + len(gather_shape)]
        output = array_ops.reshape(output, final_shape, name="output")
        output.set_shape(tensor_shape.TensorShape([constant_value(batch_size)]).concatenate(
            gather_from.shape[1:1 + len(gather_shape)]))
        return output


def _maybe_tensor_gather_helper(gather_indices, gather_from, batch_size, range_size,
                                gather_shape):
    if isinstance(gather_from, TensorArray):
        return gather_from
    _check_maybe(gather_from)
    if gather_from.shape.ndims < len(gather_shape):
        return gather_from
    return _tensor_gather_helper(gather_indices, gather_from, batch_size, range_size,
                                 gather_shape)


def _mask_probs(probs, eos_token, finished):
    """Finished beams' step log probs: 0 for ``eos_token``, the dtype's lowest elsewhere."""
    vocab_size = array_ops.shape(probs)[2]
    finished_row = array_ops.one_hot(eos_token, vocab_size, dtype=probs.dtype,
                                     on_value=ops.convert_to_tensor(0., dtype=probs.dtype),
                                     off_value=probs.dtype.min)
    finished_probs = array_ops.tile(array_ops.reshape(finished_row, [1, 1, -1]),
                                    array_ops.concat([array_ops.shape(finished), [1]], 0))
    finished_mask = array_ops.tile(array_ops.expand_dims(finished, 2), [1, 1, vocab_size])
    return math_ops.where(finished_mask, finished_probs, probs)


def _length_penalty(sequence_lengths, penalty_factor):
    """((5 + length) / 6) ** penalty_factor (Wu et al. 2016); 1 when the factor is 0."""
    penalty_factor = ops.convert_to_tensor(penalty_factor, name="penalty_factor")
    penalty_factor.set_shape(())
    static = constant_value(penalty_factor)
    if static is not None and static == 0:
        return 1.0
    return math_ops.truediv((5. + math_ops.cast(sequence_lengths, dtypes.float32))
                            ** penalty_factor, (5. + 1.) ** penalty_factor)


def _attention_probs_of(state):
    if isinstance(state.alignments, tuple):
        probs = [array_ops.expand_dims(p, -1) for p in state.alignments]
        return math_ops.reduce_mean(array_ops.concat(probs, -1), -1)
    return state.alignments


def get_attention_probs(next_cell_state, coverage_penalty_weight):
    """The attention probabilities of the cell state's AttentionWrapperStates (their mean
    over several), or None when the coverage penalty is off."""
    if coverage_penalty_weight == 0.0:
        return None
    states = next_cell_state if isinstance(next_cell_state, tuple) and not isinstance(
        next_cell_state, AttentionWrapperState) else (next_cell_state,)
    probs = [_attention_probs_of(s) for s in states if isinstance(s, AttentionWrapperState)]
    if not probs:
        raise ValueError("coverage_penalty_weight must be 0.0 if no cell is attentional.")
    if len(probs) == 1:
        return probs[0]
    return math_ops.reduce_mean(array_ops.concat([array_ops.expand_dims(p, -1)
                                                  for p in probs], -1), -1)


def _get_scores(log_probs, sequence_lengths, length_penalty_weight, coverage_penalty_weight,
                finished, accumulated_attention_probs):
    """Beam scores: log probs over the length penalty, plus (for finished beams) the
    weighted coverage penalty sum(log(min(accumulated attention, 1)))."""
    scores = log_probs / math_ops.cast(
        _length_penalty(sequence_lengths, length_penalty_weight), log_probs.dtype)
    weight = ops.convert_to_tensor(coverage_penalty_weight, name="coverage_penalty_weight")
    if weight.shape.ndims != 0:
        raise ValueError(f"coverage_penalty_weight should be a scalar, but saw shape: "
                         f"{weight.shape}")
    if constant_value(weight) == 0.0:
        return scores
    if accumulated_attention_probs is None:
        raise ValueError("accumulated_attention_probs can be None only if coverage penalty "
                         "is disabled.")
    accumulated = math_ops.where(math_ops.equal(accumulated_attention_probs, 0.0),
                                 array_ops.ones_like(accumulated_attention_probs),
                                 accumulated_attention_probs)
    coverage = math_ops.reduce_sum(math_ops.log(math_ops.minimum(accumulated, 1.0)), 2)
    weighted = array_ops.expand_dims(coverage * math_ops.cast(weight, coverage.dtype), 2)
    return scores + weighted * array_ops.expand_dims(math_ops.cast(finished, scores.dtype), 2)


def _beam_search_step(time, logits, next_cell_state, beam_state, batch_size, beam_width,
                      end_token, length_penalty_weight, coverage_penalty_weight):
    """(BeamSearchDecoderOutput, BeamSearchDecoderState) of one step."""
    prediction_lengths = beam_state.lengths
    previously_finished = beam_state.finished
    not_finished = math_ops.logical_not(previously_finished)
    step_log_probs = _mask_probs(nn_ops.log_softmax(logits), end_token, previously_finished)
    total_probs = array_ops.expand_dims(beam_state.log_probs, 2) + step_log_probs
    vocab_size = logits.shape[-1].value or array_ops.shape(logits)[-1]
    lengths_to_add = array_ops.one_hot(array_ops.fill([batch_size, beam_width], end_token),
                                       depth=vocab_size, on_value=np.int64(0),
                                       off_value=np.int64(1), dtype=dtypes.int64)
    lengths_to_add *= array_ops.expand_dims(math_ops.cast(not_finished, dtypes.int64), 2)
    new_prediction_lengths = lengths_to_add + array_ops.expand_dims(prediction_lengths, 2)
    accumulated_attention_probs = None
    attention_probs = get_attention_probs(next_cell_state, coverage_penalty_weight)
    if attention_probs is not None:
        attention_probs *= array_ops.expand_dims(
            math_ops.cast(not_finished, attention_probs.dtype), 2)
        accumulated_attention_probs = beam_state.accumulated_attention_probs + attention_probs
    scores = _get_scores(total_probs, new_prediction_lengths, length_penalty_weight,
                         coverage_penalty_weight, previously_finished,
                         accumulated_attention_probs)
    scores_flat = array_ops.reshape(scores, [batch_size, -1])
    next_beam_scores, word_indices = math_ops.top_k(scores_flat, k=beam_width)
    static_batch = constant_value(batch_size)
    next_beam_scores.set_shape([static_batch, beam_width])
    word_indices.set_shape([static_batch, beam_width])
    next_beam_probs = _tensor_gather_helper(word_indices, total_probs, batch_size,
                                            beam_width * vocab_size, [-1],
                                            name="next_beam_probs")
    next_word_ids = math_ops.cast(math_ops.mod(word_indices, vocab_size,
                                               name="next_beam_word_ids"), dtypes.int32)
    next_beam_ids = math_ops.cast(math_ops.floordiv(word_indices, vocab_size), dtypes.int32,
                                  name="next_beam_parent_ids")
    previously_finished = _tensor_gather_helper(next_beam_ids, previously_finished,
                                                batch_size, beam_width, [-1])
    next_finished = math_ops.logical_or(previously_finished,
                                        math_ops.equal(next_word_ids, end_token),
                                        name="next_beam_finished")
    next_prediction_len = _tensor_gather_helper(next_beam_ids, beam_state.lengths,
                                                batch_size, beam_width, [-1])
    next_prediction_len += math_ops.cast(math_ops.logical_not(previously_finished),
                                         dtypes.int64)
    next_accumulated_attention_probs = ()
    if accumulated_attention_probs is not None:
        next_accumulated_attention_probs = _tensor_gather_helper(
            next_beam_ids, accumulated_attention_probs, batch_size, beam_width,
            [batch_size * beam_width, -1], name="next_accumulated_attention_probs")
    next_cell_state = nest.map_structure(
        lambda gather_from: _maybe_tensor_gather_helper(
            next_beam_ids, gather_from, batch_size, beam_width,
            [batch_size * beam_width, -1]), next_cell_state)
    next_state = BeamSearchDecoderState(
        cell_state=next_cell_state, log_probs=next_beam_probs, lengths=next_prediction_len,
        finished=next_finished, accumulated_attention_probs=next_accumulated_attention_probs)
    output = BeamSearchDecoderOutput(scores=next_beam_scores, predicted_ids=next_word_ids,
                                     parent_ids=next_beam_ids)
    return output, next_state


class BeamSearchDecoder(Decoder):
    """``BeamSearchDecoder(cell, embedding, start_tokens, end_token, initial_state,
    beam_width, output_layer=None, length_penalty_weight=0.0, coverage_penalty_weight=0.0,
    reorder_tensor_arrays=True)``; ``initial_state`` has batch_size * beam_width rows."""

    def __init__(self, cell, embedding, start_tokens, end_token, initial_state, beam_width,
                 output_layer=None, length_penalty_weight=0.0, coverage_penalty_weight=0.0,
                 reorder_tensor_arrays=True):
        check_rnn_cell("cell", cell)
        check_output_layer(output_layer)
        self._cell = cell
        self._output_layer = output_layer
        self._reorder_tensor_arrays = reorder_tensor_arrays
        self._beam_width = beam_width
        self._length_penalty_weight = length_penalty_weight
        self._coverage_penalty_weight = coverage_penalty_weight
        self._embedding_fn = _embedding_fn(embedding)
        start_tokens = ops.convert_to_tensor(start_tokens, dtype=dtypes.int32,
                                             name="start_tokens")
        if start_tokens.shape.ndims != 1:
            raise ValueError("start_tokens must be a vector")
        self._end_token = ops.convert_to_tensor(end_token, dtype=dtypes.int32,
                                                name="end_token")
        if self._end_token.shape.ndims != 0:
            raise ValueError("end_token must be a scalar")
        self._batch_size = array_ops.size(start_tokens)
        self._initial_cell_state = nest.map_structure(self._maybe_split_batch_beams,
                                                      initial_state, self._cell.state_size)
        self._start_tokens = array_ops.tile(array_ops.expand_dims(start_tokens, 1),
                                            [1, self._beam_width])
        self._start_inputs = self._embedding_fn(self._start_tokens)
        self._finished = array_ops.one_hot(
            array_ops.zeros([self._batch_size], dtype=dtypes.int32), depth=self._beam_width,
            on_value=False, off_value=True, dtype=dtypes.bool)

    @property
    def batch_size(self):
        return self._batch_size

    @property
    def tracks_own_finished(self):
        return True

    @property
    def output_size(self):
        beams = tensor_shape.TensorShape([self._beam_width])
        return BeamSearchDecoderOutput(scores=beams, predicted_ids=beams, parent_ids=beams)

    @property
    def output_dtype(self):
        dtype = nest.flatten(self._initial_cell_state)[0].dtype
        return BeamSearchDecoderOutput(
            scores=nest.map_structure(lambda _: dtype,
                                      rnn_output_size(self._cell, self._output_layer)),
            predicted_ids=dtypes.int32, parent_ids=dtypes.int32)

    def initialize(self, name=None):
        dtype = nest.flatten(self._initial_cell_state)[0].dtype
        log_probs = array_ops.one_hot(
            array_ops.zeros([self._batch_size], dtype=dtypes.int32), depth=self._beam_width,
            on_value=ops.convert_to_tensor(0.0, dtype=dtype),
            off_value=ops.convert_to_tensor(-np.inf, dtype=dtype), dtype=dtype)
        attention_probs = get_attention_probs(self._initial_cell_state,
                                              self._coverage_penalty_weight)
        initial_state = BeamSearchDecoderState(
            cell_state=self._initial_cell_state, log_probs=log_probs, finished=self._finished,
            lengths=array_ops.zeros([self._batch_size, self._beam_width], dtype=dtypes.int64),
            accumulated_attention_probs=() if attention_probs is None else attention_probs)
        return self._finished, self._start_inputs, initial_state

    def finalize(self, outputs, final_state, sequence_lengths):
        """Traces the beams back (predicted_ids) and reorders the state's TensorArrays."""
        max_sequence_lengths = math_ops.cast(math_ops.reduce_max(final_state.lengths, axis=1),
                                             dtypes.int32)
        predicted_ids = gather_tree(outputs.predicted_ids, outputs.parent_ids,
                                    max_sequence_lengths=max_sequence_lengths,
                                    end_token=self._end_token)
        if self._reorder_tensor_arrays:
            final_state = final_state._replace(cell_state=nest.map_structure(
                lambda t: self._maybe_sort_array_beams(t, outputs.parent_ids,
                                                       final_state.lengths),
                final_state.cell_state))
        return FinalBeamSearchDecoderOutput(beam_search_decoder_output=outputs,
                                            predicted_ids=predicted_ids), final_state

    def _merge_batch_beams(self, t, s):
        """[batch, beam, ...] -> [batch * beam, ...]."""
        static_batch = constant_value(self._batch_size)
        reshaped = array_ops.reshape(t, array_ops.concat(
            ([self._batch_size * self._beam_width], array_ops.shape(t)[2:]), 0))
        reshaped.set_shape(tensor_shape.TensorShape(
            [None if static_batch is None else static_batch * self._beam_width])
            .concatenate(tensor_shape.as_shape(s)))
        return reshaped

    def _split_batch_beams(self, t, s):
        """[batch * beam, ...] -> [batch, beam, ...]."""
        reshaped = array_ops.reshape(t, array_ops.concat(
            ([self._batch_size, self._beam_width], array_ops.shape(t)[1:]), 0))
        expected = tensor_shape.TensorShape([constant_value(self._batch_size),
                                             self._beam_width]).concatenate(
            tensor_shape.as_shape(s))
        rows = t.shape[0].value if t.shape.ndims else None
        static_rows = None if expected[0].value is None else expected[0].value * self._beam_width
        if not reshaped.shape.is_compatible_with(expected) or (
                None not in (rows, static_rows) and rows != static_rows):
            raise ValueError(f"Unexpected behavior when reshaping between beam width and batch "
                             f"size.  The reshaped tensor has shape: {reshaped.shape}.  We "
                             f"expected it to have shape (batch_size, beam_width, depth) == "
                             f"{expected}.  Perhaps you forgot to create a zero_state with "
                             f"batch_size=encoder_batch_size * beam_width?")
        reshaped.set_shape(expected)
        return reshaped

    def _maybe_split_batch_beams(self, t, s):
        if isinstance(t, TensorArray):
            return t
        _check_maybe(t)
        return self._split_batch_beams(t, s) if t.shape.ndims >= 1 else t

    def _maybe_merge_batch_beams(self, t, s):
        if isinstance(t, TensorArray):
            return t
        _check_maybe(t)
        return self._merge_batch_beams(t, s) if t.shape.ndims >= 2 else t

    def _maybe_sort_array_beams(self, t, parent_ids, sequence_length):
        if not isinstance(t, TensorArray):
            return t
        shape = t.element_shape
        if shape.ndims is None or shape.ndims < 1:
            logging.warn(f"The TensorArray {t.handle.name} in the cell state is not amenable "
                         f"to sorting based on the beam search result. For a TensorArray to "
                         f"be sorted, its elements shape must be defined and have at least a "
                         f"rank of 1, but saw shape: {shape}")
            return t
        if not _static_batch_beam_matches(shape, constant_value(self._batch_size),
                                          self._beam_width):
            logging.warn(f"TensorArray reordering expects elements to be reshapable to "
                         f"[batch_size, beam_size, -1] which is incompatible with the current "
                         f"shape {shape}. Consider setting reorder_tensor_arrays to False to "
                         f"disable TensorArray reordering during the beam search.")
            return t
        return gather_tree_from_array(t.stack(), parent_ids, sequence_length)

    def step(self, time, inputs, state, name=None):
        batch_size, beam_width = self._batch_size, self._beam_width
        with ops.name_scope(name, "BeamSearchDecoderStep", (time, inputs, state)):
            inputs = nest.map_structure(lambda x: self._merge_batch_beams(x, x.shape[2:]),
                                        inputs)
            cell_state = nest.map_structure(self._maybe_merge_batch_beams, state.cell_state,
                                            self._cell.state_size)
            cell_outputs, next_cell_state = self._cell(inputs, cell_state)
            cell_outputs = nest.map_structure(
                lambda out: self._split_batch_beams(out, out.shape[1:]), cell_outputs)
            next_cell_state = nest.map_structure(self._maybe_split_batch_beams,
                                                 next_cell_state, self._cell.state_size)
            if self._output_layer is not None:
                cell_outputs = self._output_layer(cell_outputs)
            output, beam_state = _beam_search_step(
                time=time, logits=cell_outputs, next_cell_state=next_cell_state,
                beam_state=state, batch_size=batch_size, beam_width=beam_width,
                end_token=self._end_token, length_penalty_weight=self._length_penalty_weight,
                coverage_penalty_weight=self._coverage_penalty_weight)
            finished = beam_state.finished
            sample_ids = output.predicted_ids
            next_inputs = control_flow_ops.cond(math_ops.reduce_all(finished),
                                                lambda: self._start_inputs,
                                                lambda: self._embedding_fn(sample_ids))
        return output, beam_state, next_inputs, finished
