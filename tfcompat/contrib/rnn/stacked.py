"""``stack_bidirectional_dynamic_rnn`` / ``stack_bidirectional_rnn`` (TF 1.x contrib/rnn).

Layer k runs a bidirectional RNN under ``<scope>/cell_k/bidirectional_rnn/{fw,bw}`` (scope
defaults to ``stack_bidirectional_rnn``); its forward and backward outputs, concatenated on
the depth axis, are the next layer's inputs. The final states come back as tuples, one
state per layer and direction.
"""
from tfcompat.ops import array_ops
from tfcompat.ops import variable_scope as vs
from tfcompat.rnn.rnn import bidirectional_dynamic_rnn, static_bidirectional_rnn


def _check_stacks(cells_fw, cells_bw, initial_states_fw, initial_states_bw):
    """TF's argument checks: non-empty lists of equal depth, one initial state per layer."""
    if not cells_fw:
        raise ValueError("Must specify at least one fw cell for BidirectionalRNN.")
    if not cells_bw:
        raise ValueError("Must specify at least one bw cell for BidirectionalRNN.")
    if not isinstance(cells_fw, list):
        raise ValueError("cells_fw must be a list of RNNCells (one per layer).")
    if not isinstance(cells_bw, list):
        raise ValueError("cells_bw must be a list of RNNCells (one per layer).")
    if len(cells_fw) != len(cells_bw):
        raise ValueError("Forward and Backward cells must have the same depth.")
    for states, direction in ((initial_states_fw, "fw"), (initial_states_bw, "bw")):
        if states is not None and (not isinstance(states, list) or len(states) != len(cells_fw)):
            raise ValueError(f"initial_states_{direction} must be a list of state tensors (one "
                             "per layer).")


def _layer_state(states, index):
    return states[index] if states else None


def stack_bidirectional_dynamic_rnn(cells_fw, cells_bw, inputs, initial_states_fw=None,
                                    initial_states_bw=None, dtype=None, sequence_length=None,
                                    parallel_iterations=None, time_major=False, scope=None,
                                    swap_memory=False):
    """``(outputs, states_fw, states_bw)``: stacked bidirectional_dynamic_rnn layers; outputs
    is the last layer's [fw, bw] outputs concatenated on axis 2."""
    _check_stacks(cells_fw, cells_bw, initial_states_fw, initial_states_bw)
    states_fw, states_bw = [], []
    prev_layer = inputs
    with vs.variable_scope(scope or "stack_bidirectional_rnn"):
        for index, (cell_fw, cell_bw) in enumerate(zip(cells_fw, cells_bw, strict=True)):
            with vs.variable_scope(f"cell_{index}"):
                outputs, (state_fw, state_bw) = bidirectional_dynamic_rnn(
                    cell_fw, cell_bw, prev_layer,
                    initial_state_fw=_layer_state(initial_states_fw, index),
                    initial_state_bw=_layer_state(initial_states_bw, index),
                    sequence_length=sequence_length, parallel_iterations=parallel_iterations,
                    dtype=dtype, swap_memory=swap_memory, time_major=time_major)
                prev_layer = array_ops.concat(outputs, 2)
            states_fw.append(state_fw)
            states_bw.append(state_bw)
    return prev_layer, tuple(states_fw), tuple(states_bw)


def stack_bidirectional_rnn(cells_fw, cells_bw, inputs, initial_states_fw=None,
                            initial_states_bw=None, dtype=None, sequence_length=None,
                            scope=None):
    """``(outputs, states_fw, states_bw)``: stacked static_bidirectional_rnn layers over a
    list of [batch, depth] steps; outputs is the last layer's list of concatenated steps."""
    _check_stacks(cells_fw, cells_bw, initial_states_fw, initial_states_bw)
    states_fw, states_bw = [], []
    prev_layer = inputs
    with vs.variable_scope(scope or "stack_bidirectional_rnn"):
        for index, (cell_fw, cell_bw) in enumerate(zip(cells_fw, cells_bw, strict=True)):
            with vs.variable_scope(f"cell_{index}"):
                prev_layer, state_fw, state_bw = static_bidirectional_rnn(
                    cell_fw, cell_bw, prev_layer,
                    initial_state_fw=_layer_state(initial_states_fw, index),
                    initial_state_bw=_layer_state(initial_states_bw, index),
                    sequence_length=sequence_length, dtype=dtype)
            states_fw.append(state_fw)
            states_bw.append(state_bw)
    return prev_layer, tuple(states_fw), tuple(states_bw)
