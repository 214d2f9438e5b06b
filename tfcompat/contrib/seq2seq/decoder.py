"""``Decoder`` and ``dynamic_decode`` (TF 1.15 ``decoder.py``): a tf.while_loop calling
``decoder.step`` until every row is finished (or ``maximum_iterations``), writing each
step's outputs into TensorArrays.

As TF: the loop lives under the "decoder" variable scope (ops "decoder/while/...",
variables "decoder/<cell>/kernel"); a row's sequence length is the step at which it first
finished; ``impute_finished`` zeroes finished rows' outputs and copies their state through;
outputs are batch major unless ``output_time_major``; ``decoder.finalize`` (when written)
post-processes the stacked outputs and final state.
"""
from tfcompat.framework import dtypes, nest, ops, tensor_shape
from tfcompat.framework.op_def import constant_value
from tfcompat.ops import variable_scope as vs
from tfcompat.ops import array_ops, loop_ops, math_ops
from tfcompat.ops.tensor_array_ops import TensorArray
from tfcompat.rnn.rnn import _transpose_batch_time

__all__ = ["Decoder", "dynamic_decode"]


class Decoder:
    """Interface of a decoder: ``batch_size``, ``output_size``, ``output_dtype``,
    ``initialize()`` -> (finished, inputs, state), ``step(time, inputs, state)`` ->
    (outputs, next_state, next_inputs, finished), optional ``finalize``."""

    @property
    def batch_size(self):
        raise NotImplementedError

    @property
    def output_size(self):
        raise NotImplementedError

    @property
    def output_dtype(self):
        raise NotImplementedError

    def initialize(self, name=None):
        raise NotImplementedError

    def step(self, time, inputs, state, name=None):
        raise NotImplementedError

    def finalize(self, outputs, final_state, sequence_lengths):
        raise NotImplementedError

    @property
    def tracks_own_finished(self):
        """True when ``step``'s finished already includes earlier steps' (beam search)."""
        return False


def _static_batch_shape(batch_size, element_shape):
    if not isinstance(element_shape, tensor_shape.TensorShape) or element_shape.ndims == 0:
        return None
    static = constant_value(ops.convert_to_tensor(batch_size, name="batch_size"))
    return tensor_shape.TensorShape([None if static is None else int(static)]) \
        .concatenate(element_shape)


def _create_zero_outputs(size, dtype, batch_size):
    """Zeros shaped [batch_size] + each output size."""
    def zeros(s, d):
        shape = tensor_shape.TensorShape(s).as_list()
        return array_ops.zeros(array_ops.concat([array_ops.reshape(batch_size, [1]),
                                                 array_ops.constant(shape, dtypes.int32)], 0),
                               dtype=d)
    return nest.map_structure(zeros, size, dtype)


def _check_maximum_iterations(maximum_iterations):
    if maximum_iterations is None:
        return None
    maximum_iterations = ops.convert_to_tensor(maximum_iterations, dtype=dtypes.int32,
                                               name="maximum_iterations")
    if maximum_iterations.shape.ndims != 0:
        raise ValueError("maximum_iterations must be a scalar")
    return maximum_iterations


def _keep_finished_state(finished):
    """TF's _maybe_copy_state: finished rows keep their state (TensorArrays and scalars
    pass through)."""
    def keep(new, cur):
        if isinstance(cur, TensorArray):
            return new
        new.set_shape(cur.shape)
        return new if new.shape.ndims == 0 else math_ops.where(finished, cur, new)
    return keep


def dynamic_decode(decoder, output_time_major=False, impute_finished=False,
                   maximum_iterations=None, parallel_iterations=32, swap_memory=False,
                   scope=None):
    """``(final_outputs, final_state, final_sequence_lengths)`` of ``decoder`` stepped in
    a tf.while_loop until all rows are finished or ``maximum_iterations`` steps ran."""
    if not isinstance(decoder, Decoder):
        raise TypeError(f"Expected decoder to be type Decoder, but saw: {type(decoder)}")
    with vs.variable_scope(scope, "decoder"):
        maximum_iterations = _check_maximum_iterations(maximum_iterations)
        initial_finished, initial_inputs, initial_state = decoder.initialize()
        zero_outputs = _create_zero_outputs(decoder.output_size, decoder.output_dtype,
                                            decoder.batch_size)
        if maximum_iterations is not None:
            initial_finished = math_ops.logical_or(initial_finished,
                                                   math_ops.greater_equal(0, maximum_iterations))
        initial_sequence_lengths = array_ops.zeros_like(initial_finished, dtype=dtypes.int32)
        initial_time = array_ops.constant(0, dtype=dtypes.int32)
        initial_outputs_ta = nest.map_structure(
            lambda size, dtype: TensorArray(
                dtype=dtype, size=0, dynamic_size=True,
                element_shape=_static_batch_shape(decoder.batch_size, size)),
            decoder.output_size, decoder.output_dtype)

        def condition(unused_time, unused_outputs_ta, unused_state, unused_inputs, finished,
                      unused_sequence_lengths):
            return math_ops.logical_not(math_ops.reduce_all(finished))

        def body(time, outputs_ta, state, inputs, finished, sequence_lengths):
            next_outputs, decoder_state, next_inputs, decoder_finished = decoder.step(
                time, inputs, state)
            if decoder.tracks_own_finished:
                next_finished = decoder_finished
            else:
                next_finished = math_ops.logical_or(decoder_finished, finished)
            next_sequence_lengths = math_ops.where(
                math_ops.logical_not(finished),
                array_ops.fill(array_ops.shape(sequence_lengths), time + 1), sequence_lengths)
            nest.assert_same_structure(state, decoder_state)
            nest.assert_same_structure(outputs_ta, next_outputs)
            nest.assert_same_structure(inputs, next_inputs)
            emit = next_outputs
            next_state = decoder_state
            if impute_finished:
                emit = nest.map_structure(lambda out, zero: math_ops.where(finished, zero, out),
                                          next_outputs, zero_outputs)
                next_state = nest.map_structure(_keep_finished_state(finished), decoder_state,
                                                state)
            outputs_ta = nest.map_structure(lambda ta, out: ta.write(time, out), outputs_ta,
                                            emit)
            return (time + 1, outputs_ta, next_state, next_inputs, next_finished,
                    next_sequence_lengths)

        result = loop_ops.while_loop(
            condition, body, loop_vars=(initial_time, initial_outputs_ta, initial_state,
                                        initial_inputs, initial_finished,
                                        initial_sequence_lengths),
            parallel_iterations=parallel_iterations, maximum_iterations=maximum_iterations,
            swap_memory=swap_memory)
        final_outputs = nest.map_structure(lambda ta: ta.stack(), result[1])
        final_state, final_sequence_lengths = result[2], result[5]
        try:
            final_outputs, final_state = decoder.finalize(final_outputs, final_state,
                                                          final_sequence_lengths)
        except NotImplementedError:
            pass
        if not output_time_major:
            final_outputs = nest.map_structure(_transpose_batch_time, final_outputs)
    return final_outputs, final_state, final_sequence_lengths
