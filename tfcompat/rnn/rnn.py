"""Running cells over sequences (TF 1.x ``rnn``): ``tf.nn.dynamic_rnn`` (a tf.while_loop
over TensorArrays), ``static_rnn`` (unrolled), their bidirectional forms, and ``raw_rnn``
(a while_loop driven by a user's loop_fn).

With ``sequence_length``, steps past a sequence's end output zeros and carry the state
unchanged (TF's copy-through with ``where(time >= sequence_length, ...)``).
"""
from tfcompat.framework import dtypes, nest, ops, tensor_shape
from tfcompat.framework.op_def import constant_shape_value
from tfcompat.ops import variable_scope as vs
from tfcompat.ops import array_ops, loop_ops, math_ops
from tfcompat.ops.tensor_array_ops import TensorArray
from tfcompat.rnn.cell_impl import _concat


def _check_cell(cell, name):
    if not callable(cell) or not hasattr(cell, "state_size") or not hasattr(cell,
                                                                              "output_size"):
        raise TypeError(f"{name} must be an instance of RNNCell, saw: {type(cell)}")


def _batch_size(flat_input):
    """The static batch size when known, else the dynamic one (axis 1: time major)."""
    for value in flat_input:
        if value.shape.ndims is not None and value.shape.ndims >= 2:
            size = value.shape[1].value
            if size is not None:
                return size
    return array_ops.shape(flat_input[0])[1]


def _transpose_batch_time(x):
    rank = x.shape.ndims
    if rank is None or rank < 2:
        raise ValueError(f"Expected input tensor {x} to have rank at least 2")
    return array_ops.transpose(x, [1, 0] + list(range(2, rank)))


def _state_dtype(dtype, state):
    if dtype is not None:
        return dtypes.as_dtype(dtype)
    return nest.flatten(state)[0].dtype.base_dtype


def _initial_state(cell, initial_state, batch_size, dtype):
    if initial_state is not None:
        return initial_state
    if not dtype:
        raise ValueError("If there is no initial_state, you must give a dtype.")
    return cell.zero_state(batch_size, dtype)


def _lengths(sequence_length):
    if sequence_length is None:
        return None
    sequence_length = math_ops.cast(sequence_length, dtypes.int32)
    if sequence_length.shape.ndims not in (None, 1):
        raise ValueError(f"sequence_length must be a vector of length batch_size, but saw "
                         f"shape: {sequence_length.shape}")
    return array_ops.identity(sequence_length, name="sequence_length")


def _copy_through(time, sequence_length, old, new):
    """TF's _rnn_step with skip_conditionals: per batch row, ``old`` past the sequence end."""
    done = math_ops.greater_equal(time, sequence_length)
    flat = [math_ops.where(done, o, n) for o, n in zip(nest.flatten(old), nest.flatten(new))]
    for value, reference in zip(flat, nest.flatten(new)):
        value.set_shape(reference.shape)
    return nest.pack_sequence_as(new, flat)


def dynamic_rnn(cell, inputs, sequence_length=None, initial_state=None, dtype=None,
                parallel_iterations=None, swap_memory=False, time_major=False, scope=None):
    """``(outputs, state)`` of ``cell`` run over ``inputs`` [batch, time, ...] (or
    [time, batch, ...] with ``time_major``) by a tf.while_loop (``tf.nn.dynamic_rnn``)."""
    _check_cell(cell, "cell")
    with vs.variable_scope(scope or "rnn"):
        flat_input = [ops.convert_to_tensor(x) for x in nest.flatten(inputs)]
        if not time_major:
            flat_input = [_transpose_batch_time(x) for x in flat_input]
        parallel_iterations = parallel_iterations or 32
        sequence_length = _lengths(sequence_length)
        batch_size = _batch_size(flat_input)
        state = _initial_state(cell, initial_state, batch_size, dtype)
        inputs = nest.pack_sequence_as(inputs, flat_input)
        outputs, final_state = _dynamic_rnn_loop(cell, inputs, state, parallel_iterations,
                                                 swap_memory, sequence_length, dtype)
        if not time_major:
            outputs = nest.map_structure(_transpose_batch_time, outputs)
        return outputs, final_state


def _dynamic_rnn_loop(cell, inputs, initial_state, parallel_iterations, swap_memory,
                      sequence_length, dtype):
    flat_input = nest.flatten(inputs)
    flat_output_size = nest.flatten(cell.output_size)
    time_steps = array_ops.shape(flat_input[0])[0]
    batch_size = _batch_size(flat_input)
    got_shapes = [x.shape.with_rank_at_least(3) if x.shape.ndims is None or x.shape.ndims >= 3
                  else x.shape.with_rank_at_least(2) for x in flat_input]
    const_time, const_batch = got_shapes[0].as_list()[:2]
    for shape in got_shapes:
        if shape[2:].is_fully_defined() is False:
            raise ValueError("Input size (depth of inputs) must be accessible via shape "
                             "inference, but saw value None.")
    state_dtype = _state_dtype(dtype, initial_state)
    zero_output = nest.pack_sequence_as(cell.output_size, [
        array_ops.zeros(_concat(batch_size, size), state_dtype) for size in flat_output_size])
    if sequence_length is not None:
        max_length = math_ops.reduce_max(sequence_length)
    else:
        max_length = time_steps
    time = array_ops.constant(0, dtype=dtypes.int32, name="time")
    with ops.name_scope("dynamic_rnn") as base_name:
        pass
    output_ta = tuple(TensorArray(state_dtype, size=time_steps,
                                  element_shape=tensor_shape.TensorShape([const_batch])
                                  .concatenate(tensor_shape.TensorShape(size)),
                                  tensor_array_name=f"{base_name}output_{i}")
                      for i, size in enumerate(flat_output_size))
    input_ta = tuple(TensorArray(x.dtype, size=time_steps, element_shape=x.shape[1:],
                                 tensor_array_name=f"{base_name}input_{i}")
                     for i, x in enumerate(flat_input))
    input_ta = tuple(ta.unstack(x) for ta, x in zip(input_ta, flat_input))

    def time_step(time, output_ta_t, state):
        input_t = [ta.read(time) for ta in input_ta]
        for value, shape in zip(input_t, got_shapes):
            value.set_shape(shape[1:])
        input_t = nest.pack_sequence_as(inputs, input_t)
        output, new_state = cell(input_t, state)
        nest.assert_same_structure(state, new_state)
        if sequence_length is not None:
            output = _copy_through(time, sequence_length, zero_output, output)
            new_state = _copy_through(time, sequence_length, state, new_state)
        output_ta_t = tuple(ta.write(time, out)
                            for ta, out in zip(output_ta_t, nest.flatten(output)))
        return time + 1, output_ta_t, new_state

    loop_bound = math_ops.minimum(time_steps, math_ops.maximum(1, max_length))
    _, final_ta, final_state = loop_ops.while_loop(
        lambda time, *_: time < loop_bound, time_step, (time, output_ta, initial_state),
        parallel_iterations=parallel_iterations, maximum_iterations=time_steps,
        swap_memory=swap_memory)
    final_outputs = [ta.stack() for ta in final_ta]
    for output, size in zip(final_outputs, flat_output_size):
        output.set_shape(tensor_shape.TensorShape([const_time, const_batch])
                         .concatenate(tensor_shape.TensorShape(size)))
    return nest.pack_sequence_as(cell.output_size, final_outputs), final_state


def static_rnn(cell, inputs, initial_state=None, dtype=None, sequence_length=None, scope=None):
    """``(outputs, state)`` of ``cell`` unrolled over the list ``inputs`` (one [batch, ...]
    tensor per step; ``tf.nn.static_rnn``)."""
    _check_cell(cell, "cell")
    if not nest.is_sequence(inputs):
        raise TypeError("inputs must be a sequence")
    if not inputs:
        raise ValueError("inputs must not be empty")
    outputs = []
    with vs.variable_scope(scope or "rnn") as varscope:
        first = [ops.convert_to_tensor(x) for x in nest.flatten(inputs[0])]
        batch_size = first[0].shape[0].value
        if batch_size is None:
            batch_size = array_ops.shape(first[0])[0]
        state = _initial_state(cell, initial_state, batch_size, dtype)
        sequence_length = _lengths(sequence_length)
        if sequence_length is not None:
            zero_output = nest.pack_sequence_as(cell.output_size, [
                array_ops.zeros(_concat(batch_size, size), _state_dtype(dtype, state))
                for size in nest.flatten(cell.output_size)])
        for time, input_ in enumerate(inputs):
            if time > 0:
                varscope.reuse_variables()
            output, new_state = cell(input_, state)
            if sequence_length is not None:
                output = _copy_through(time, sequence_length, zero_output, output)
                new_state = _copy_through(time, sequence_length, state, new_state)
            state = new_state
            outputs.append(output)
        return outputs, state


def _reverse(value, lengths, seq_axis, batch_axis):
    if lengths is None:
        return array_ops.reverse(value, axis=[seq_axis])
    return array_ops.reverse_sequence(value, lengths, seq_axis=seq_axis, batch_axis=batch_axis)


def bidirectional_dynamic_rnn(cell_fw, cell_bw, inputs, sequence_length=None,
                              initial_state_fw=None, initial_state_bw=None, dtype=None,
                              parallel_iterations=None, swap_memory=False, time_major=False,
                              scope=None):
    """``((output_fw, output_bw), (state_fw, state_bw))``: a forward dynamic_rnn and one over
    the (per-sequence) reversed inputs, its outputs reversed back."""
    _check_cell(cell_fw, "cell_fw")
    _check_cell(cell_bw, "cell_bw")
    with vs.variable_scope(scope or "bidirectional_rnn"):
        with vs.variable_scope("fw") as fw_scope:
            output_fw, state_fw = dynamic_rnn(
                cell_fw, inputs, sequence_length=sequence_length,
                initial_state=initial_state_fw, dtype=dtype,
                parallel_iterations=parallel_iterations, swap_memory=swap_memory,
                time_major=time_major, scope=fw_scope)
        time_axis, batch_axis = (0, 1) if time_major else (1, 0)
        if sequence_length is not None:
            sequence_length = math_ops.cast(sequence_length, dtypes.int64)
        with vs.variable_scope("bw") as bw_scope:
            reversed_inputs = nest.map_structure(
                lambda x: _reverse(x, sequence_length, time_axis, batch_axis), inputs)
            output, state_bw = dynamic_rnn(
                cell_bw, reversed_inputs, sequence_length=sequence_length,
                initial_state=initial_state_bw, dtype=dtype,
                parallel_iterations=parallel_iterations, swap_memory=swap_memory,
                time_major=time_major, scope=bw_scope)
    output_bw = nest.map_structure(
        lambda x: _reverse(x, sequence_length, time_axis, batch_axis), output)
    return (output_fw, output_bw), (state_fw, state_bw)


def _reverse_sequence_list(inputs, lengths):
    """A list of [batch, ...] steps reversed per sequence (TF's _reverse_seq)."""
    if lengths is None:
        return list(reversed(inputs))
    flat_steps = [nest.flatten(step) for step in inputs]
    reversed_flat = []
    for parts in zip(*flat_steps):
        stacked = array_ops.stack(list(parts))
        flipped = array_ops.reverse_sequence(stacked, math_ops.cast(lengths, dtypes.int64),
                                             seq_axis=0, batch_axis=1)
        pieces = array_ops.unstack(flipped)
        for piece, part in zip(pieces, parts):
            piece.set_shape(part.shape)
        reversed_flat.append(pieces)
    return [nest.pack_sequence_as(inputs[0], list(step)) for step in zip(*reversed_flat)]


def static_bidirectional_rnn(cell_fw, cell_bw, inputs, initial_state_fw=None,
                             initial_state_bw=None, dtype=None, sequence_length=None,
                             scope=None):
    """``(outputs, state_fw, state_bw)``: static_rnn forward and over the reversed steps;
    each output is the forward and backward outputs concatenated on axis 1."""
    _check_cell(cell_fw, "cell_fw")
    _check_cell(cell_bw, "cell_bw")
    if not nest.is_sequence(inputs) or not inputs:
        raise ValueError("inputs must be a non-empty list of tensors")
    with vs.variable_scope(scope or "bidirectional_rnn"):
        with vs.variable_scope("fw") as fw_scope:
            output_fw, state_fw = static_rnn(cell_fw, inputs, initial_state_fw, dtype,
                                             sequence_length, scope=fw_scope)
        with vs.variable_scope("bw") as bw_scope:
            reversed_inputs = _reverse_sequence_list(list(inputs), sequence_length)
            output, state_bw = static_rnn(cell_bw, reversed_inputs, initial_state_bw, dtype,
                                          sequence_length, scope=bw_scope)
    output_bw = _reverse_sequence_list(output, sequence_length)
    outputs = [nest.pack_sequence_as(fw, [array_ops.concat([f, b], 1) for f, b in zip(
        nest.flatten(fw), nest.flatten(bw))]) for fw, bw in zip(output_fw, output_bw)]
    return outputs, state_fw, state_bw


# ---- raw_rnn (TF 1.x rnn.raw_rnn) -------------------------------------------------------------
def _element_shape(size):
    """The static per-example shape of an emit of ``size`` (a shape or a shape tensor)."""
    if isinstance(size, ops.Tensor):
        return constant_shape_value(size)
    return tensor_shape.as_shape(size)


def _raw_rnn_emits(cell, emit_structure, flat_state, batch_size, const_batch_size):
    """(emit TensorArrays, zero emits) for loop_fn's emit structure (default: the cell's
    output size and the state's dtype)."""
    if emit_structure is not None:
        flat = nest.flatten(emit_structure)
        sizes = [emit.shape if emit.shape.is_fully_defined() else array_ops.shape(emit)
                 for emit in flat]
        kinds = [emit.dtype.base_dtype for emit in flat]
    else:
        emit_structure = cell.output_size
        sizes = nest.flatten(emit_structure)
        kinds = [flat_state[0].dtype.base_dtype] * len(sizes)
    arrays = [TensorArray(kind, size=0, dynamic_size=True,
                          element_shape=tensor_shape.TensorShape([const_batch_size])
                          .concatenate(_element_shape(size)),
                          tensor_array_name=f"rnn_output_{i}")
              for i, (kind, size) in enumerate(zip(kinds, sizes))]
    zeros = [array_ops.zeros(_concat(batch_size, size), kind) for size, kind in zip(sizes, kinds)]
    return (nest.pack_sequence_as(emit_structure, arrays),
            nest.pack_sequence_as(emit_structure, zeros))


def _copy_finished(elements_finished, current, candidate):
    """TF's _copy_some_through: finished rows keep ``current`` (TensorArrays and scalars
    take the candidate)."""
    def copy(cur, cand):
        if isinstance(cur, TensorArray) or cur.shape.ndims == 0:
            return cand
        return math_ops.where(elements_finished, cur, cand)
    return nest.map_structure(copy, current, candidate)


def raw_rnn(cell, loop_fn, parallel_iterations=None, swap_memory=False, scope=None):
    """``tf.nn.raw_rnn(cell, loop_fn)``: runs ``cell`` in a tf.while_loop whose inputs,
    states, emits and stopping are chosen by ``loop_fn(time, cell_output, cell_state,
    loop_state) -> (elements_finished, next_input, next_cell_state, emit_output,
    next_loop_state)`` (called first with cell_output = cell_state = loop_state = None).
    Returns (emit TensorArrays, final state, final loop state); finished rows emit zeros
    and keep their state, as in TF."""
    _check_cell(cell, "cell")
    if not callable(loop_fn):
        raise TypeError("loop_fn must be a callable")
    parallel_iterations = parallel_iterations or 32
    with vs.variable_scope(scope or "rnn"):
        time = array_ops.constant(0, dtype=dtypes.int32)
        (elements_finished, next_input, initial_state, emit_structure,
         init_loop_state) = loop_fn(time, None, None, None)
        flat_input = nest.flatten(next_input)
        loop_state = init_loop_state if init_loop_state is not None else \
            array_ops.constant(0, dtype=dtypes.int32)
        static_batch = tensor_shape.Dimension(None)
        for value in flat_input:
            static_batch = static_batch.merge_with(value.shape[0] if value.shape.ndims
                                                   else tensor_shape.Dimension(None))
        const_batch_size = static_batch.value
        batch_size = const_batch_size if const_batch_size is not None else \
            array_ops.shape(flat_input[0])[0]
        nest.assert_same_structure(initial_state, cell.state_size)
        flat_state = [ops.convert_to_tensor(s) for s in nest.flatten(initial_state)]
        state = nest.pack_sequence_as(initial_state, flat_state)
        emit_ta, zero_emit = _raw_rnn_emits(cell, emit_structure, flat_state, batch_size,
                                            const_batch_size)

        def condition(unused_time, elements_finished, *_):
            return math_ops.logical_not(math_ops.reduce_all(elements_finished))

        def body(time, elements_finished, current_input, emit_ta, state, loop_state):
            next_output, cell_state = cell(current_input, state)
            nest.assert_same_structure(state, cell_state)
            next_time = time + 1
            (next_finished, next_input, next_state, emit_output,
             next_loop_state) = loop_fn(next_time, next_output, cell_state, loop_state)
            nest.assert_same_structure(state, next_state)
            nest.assert_same_structure(current_input, next_input)
            nest.assert_same_structure(emit_ta, emit_output)
            loop_state = loop_state if next_loop_state is None else next_loop_state
            emit_output = _copy_finished(elements_finished, zero_emit, emit_output)
            next_state = _copy_finished(elements_finished, state, next_state)
            emit_ta = nest.map_structure(lambda ta, emit: ta.write(time, emit), emit_ta,
                                         emit_output)
            elements_finished = math_ops.logical_or(elements_finished, next_finished)
            return next_time, elements_finished, next_input, emit_ta, next_state, loop_state

        returned = loop_ops.while_loop(
            condition, body, [time, elements_finished, next_input, emit_ta, state, loop_state],
            parallel_iterations=parallel_iterations, swap_memory=swap_memory)
        emit_ta, final_state, final_loop_state = returned[-3:]
        return emit_ta, final_state, None if init_loop_state is None else final_loop_state


def static_state_saving_rnn(cell, inputs, state_saver, state_name, sequence_length=None,
                            scope=None):
    """``tf.nn.static_state_saving_rnn``: static_rnn starting from
    ``state_saver.state(name)`` for each ``state_name`` (a structure like cell.state_size)
    whose final states go back through ``state_saver.save_state(name, value)``; the last
    output and the returned state depend on those saves, as in TF."""
    state_is_tuple = nest.is_sequence(cell.state_size)
    if state_is_tuple != nest.is_sequence(state_name):
        raise ValueError(f"state_name should be the same type as cell.state_size.  "
                         f"state_name: {state_name}, cell.state_size: {cell.state_size}")
    names = nest.flatten(state_name)
    if state_is_tuple:
        if len(names) != len(nest.flatten(cell.state_size)):
            raise ValueError(f"#elems allowed in state_name does not match #elems in "
                             f"state_size: {len(names)} vs. "
                             f"{len(nest.flatten(cell.state_size))}")
        initial_state = nest.pack_sequence_as(cell.state_size,
                                              [state_saver.state(n) for n in names])
    else:
        initial_state = state_saver.state(state_name)
    outputs, state = static_rnn(cell, inputs, initial_state=initial_state,
                                sequence_length=sequence_length, scope=scope)
    flat_state = nest.flatten(state)
    saves = [state_saver.save_state(n, s) for n, s in zip(names, flat_state)]
    with ops.control_dependencies(saves):
        last = outputs[-1]
        outputs[-1] = nest.pack_sequence_as(last, [array_ops.identity(o)
                                                   for o in nest.flatten(last)])
        state = nest.pack_sequence_as(state, [array_ops.identity(s) for s in flat_state])
    return outputs, state
