"""Extra ``tf.contrib.rnn`` cells (TF 1.15 ``contrib/rnn/python/ops/rnn_cell.py``).

``ConvLSTMCell`` (and its 1-D/2-D/3-D shorthands) runs one SAME convolution over
concat(inputs, h) into 4 * output_channels gates split in TF's order i, j, f, o (variables
``kernel`` and ``biases``); ``AttentionCellWrapper`` adds Bahdanau-style attention over the last
``attn_length`` outputs; ``UGRNNCell`` and ``IndRNNCell`` are the update-gate and independent
RNNs; ``IntersectionRNNCell``, ``IndyGRUCell``, ``IndyLSTMCell``, ``NASCell``,
``CoupledInputForgetGateLSTMCell`` and ``HighwayWrapper`` follow TF's math.
Variable names and scopes are TF's (``conv_lstm_cell/kernel``,
``attention_cell_wrapper/attention/attn_w``, ``ugrnn_cell/kernel``, ``ind_rnn_cell/kernel_w``,
``nas_cell/recurrent_kernel``, ``indy_gru_cell/gates/kernel_u``,
``coupled_input_forget_gate_lstm_cell/W_0``, ``carry_w``).
"""
from tfcompat.framework import nest, tensor_shape
from tfcompat.ops import array_ops, clip_ops, math_ops, nn_ops
from tfcompat.ops import variable_scope as vs
from tfcompat.ops.init_ops import (constant_initializer, random_uniform_initializer,
                                   zeros_initializer)
from tfcompat.ops.nn_conv3d_ops import conv3d
from tfcompat.ops.nn_conv_ops import conv1d, conv2d
from tfcompat.rnn.cell_impl import (LSTMStateTuple, RNNCell, _AroundCell, _input_depth,
                                    _UnitsCell)


class ConvLSTMCell(RNNCell):
    """Convolutional LSTM: gates = conv(concat(x, h), kernel, SAME) + biases split into
    i, j, f, o; c' = sigmoid(f + forget_bias) * c + sigmoid(i) * tanh(j);
    h' = tanh(c') * sigmoid(o), concatenated with x when ``skip_connection``."""

    def __init__(self, conv_ndims, input_shape, output_channels, kernel_shape, use_bias=True,
                 skip_connection=False, forget_bias=1.0, initializers=None,
                 name="conv_lstm_cell"):
        super().__init__(name=name)
        if conv_ndims != len(input_shape) - 1:
            raise ValueError(f"Invalid input_shape {input_shape} for conv_ndims={conv_ndims}.")
        self._conv_ndims = conv_ndims
        self._input_shape = list(input_shape)
        self._output_channels = output_channels
        self._kernel_shape = list(kernel_shape)
        self._use_bias = use_bias
        self._forget_bias = forget_bias
        self._skip_connection = skip_connection
        self._initializers = initializers
        total_channels = output_channels + (self._input_shape[-1] if skip_connection else 0)
        spatial = self._input_shape[:-1]
        state_shape = tensor_shape.TensorShape(spatial + [output_channels])
        self._state_size = LSTMStateTuple(state_shape, state_shape)
        self._output_size = tensor_shape.TensorShape(spatial + [total_channels])

    @property
    def state_size(self):
        return self._state_size

    @property
    def output_size(self):
        return self._output_size

    def build(self, inputs_shape):
        depth = _input_depth(self, inputs_shape) + self._output_channels
        gates = 4 * self._output_channels
        self._kernel = self.add_weight("kernel", self._kernel_shape + [depth, gates])
        if self._use_bias:
            self._biases = self.add_weight("biases", [gates],
                                           initializer=constant_initializer(0.0))
        self.built = True

    def _convolve(self, value):
        rank = self._conv_ndims + 2
        if rank == 3:
            return conv1d(value, self._kernel, 1, padding="SAME")
        conv = conv2d if rank == 4 else conv3d
        return conv(value, self._kernel, [1] * rank, padding="SAME")

    def call(self, inputs, state):
        cell, hidden = state
        gates = self._convolve(array_ops.concat([inputs, hidden], self._conv_ndims + 1))
        if self._use_bias:
            gates = gates + self._biases
        i, j, f, o = array_ops.split(gates, 4, axis=self._conv_ndims + 1)
        new_cell = (nn_ops.sigmoid(f + self._forget_bias) * cell
                    + nn_ops.sigmoid(i) * nn_ops.tanh(j))
        output = nn_ops.tanh(new_cell) * nn_ops.sigmoid(o)
        if self._skip_connection:
            output = array_ops.concat([output, inputs], -1)
        return output, LSTMStateTuple(new_cell, output)


def _conv_lstm_shorthand(ndims):
    def __init__(self, name=f"conv_{ndims}d_lstm_cell", **kwargs):
        ConvLSTMCell.__init__(self, conv_ndims=ndims, name=name, **kwargs)
    return type(f"Conv{ndims}DLSTMCell", (ConvLSTMCell,), {
        "__init__": __init__,
        "__doc__": f"``ConvLSTMCell`` with conv_ndims={ndims} (scope conv_{ndims}d_lstm_cell).",
        "__module__": __name__})


Conv1DLSTMCell = _conv_lstm_shorthand(1)
Conv2DLSTMCell = _conv_lstm_shorthand(2)
Conv3DLSTMCell = _conv_lstm_shorthand(3)


def _dense(args, kernel, bias):
    """TF's _Linear: concat(args, 1) @ kernel + bias."""
    value = args[0] if len(args) == 1 else array_ops.concat(args, 1)
    return nn_ops.bias_add(math_ops.matmul(value, kernel), bias)


class AttentionCellWrapper(_AroundCell):
    """Attention over the last ``attn_length`` outputs: the inputs are projected with the
    previous attention (``kernel``/``bias``), the cell runs, its concatenated new state queries
    the stored outputs (``attention/attn_w``, ``attention/attn_v``, ``attention/kernel``),
    and the output is projected from (cell output, attention) by
    ``attn_output_projection/kernel``; the state is (cell state, attns, attn_states)."""

    def __init__(self, cell, attn_length, attn_size=None, attn_vec_size=None, input_size=None,
                 state_is_tuple=True, reuse=None):
        super().__init__(_reuse=reuse)
        if not all(hasattr(cell, attr) for attr in ("output_size", "state_size", "zero_state")) \
                or not callable(cell):
            raise TypeError("The parameter cell is not RNNCell.")
        if nest.is_sequence(cell.state_size) and not state_is_tuple:
            raise ValueError("Cell returns tuple of states, but the flag state_is_tuple is not "
                             f"set. State size is: {cell.state_size}")
        if attn_length <= 0:
            raise ValueError(f"attn_length should be greater than zero, got {attn_length}")
        self._cell = cell
        self._attn_length = attn_length
        self._attn_size = cell.output_size if attn_size is None else attn_size
        self._attn_vec_size = self._attn_size if attn_vec_size is None else attn_vec_size
        self._input_size = input_size
        self._state_is_tuple = state_is_tuple

    @property
    def state_size(self):
        size = (self._cell.state_size, self._attn_size, self._attn_size * self._attn_length)
        return size if self._state_is_tuple else sum(size)

    @property
    def output_size(self):
        return self._attn_size

    def zero_state(self, batch_size, dtype):
        return RNNCell.zero_state(self, batch_size, dtype)

    def build(self, inputs_shape):
        depth = _input_depth(self, inputs_shape)
        input_size = depth if self._input_size is None else self._input_size
        attn, vec = self._attn_size, self._attn_vec_size
        query = sum(nest.flatten(self._cell.state_size))
        zeros = constant_initializer(0.0)
        self._in_kernel = self.add_weight("kernel", [depth + attn, input_size])
        self._in_bias = self.add_weight("bias", [input_size], initializer=zeros)
        self._attn_w = self.add_weight("attention/attn_w", [1, 1, attn, vec])
        self._attn_v = self.add_weight("attention/attn_v", [vec])
        self._query_kernel = self.add_weight("attention/kernel", [query, vec])
        self._query_bias = self.add_weight("attention/bias", [vec], initializer=zeros)
        self._out_kernel = self.add_weight("attn_output_projection/kernel",
                                           [self._cell.output_size + attn, attn])
        self._out_bias = self.add_weight("attn_output_projection/bias", [attn],
                                         initializer=zeros)
        self.built = True

    def _split_state(self, state):
        if self._state_is_tuple:
            return state
        cell_size, attn = self._cell.state_size, self._attn_size
        return (array_ops.slice(state, [0, 0], [-1, cell_size]),
                array_ops.slice(state, [0, cell_size], [-1, attn]),
                array_ops.slice(state, [0, cell_size + attn], [-1, attn * self._attn_length]))

    def call(self, inputs, state):
        cell_state, attns, attn_states = self._split_state(state)
        attn_states = array_ops.reshape(attn_states, [-1, self._attn_length, self._attn_size])
        inputs = _dense([inputs, attns], self._in_kernel, self._in_bias)
        cell_output, new_cell_state = self._cell(inputs, cell_state)
        query = array_ops.concat(nest.flatten(new_cell_state), 1) \
            if self._state_is_tuple else new_cell_state
        new_attns, kept_states = self._attention(query, attn_states)
        output = _dense([cell_output, new_attns], self._out_kernel, self._out_bias)
        new_attn_states = array_ops.reshape(
            array_ops.concat([kept_states, array_ops.expand_dims(output, 1)], 1),
            [-1, self._attn_length * self._attn_size])
        new_state = (new_cell_state, new_attns, new_attn_states)
        if not self._state_is_tuple:
            new_state = array_ops.concat(list(new_state), 1)
        return output, new_state

    def _attention(self, query, attn_states):
        hidden = array_ops.reshape(attn_states, [-1, self._attn_length, 1, self._attn_size])
        features = conv2d(hidden, self._attn_w, [1, 1, 1, 1], "SAME")
        projected = array_ops.reshape(_dense([query], self._query_kernel, self._query_bias),
                                      [-1, 1, 1, self._attn_vec_size])
        scores = math_ops.reduce_sum(self._attn_v * nn_ops.tanh(features + projected), [2, 3])
        weights = nn_ops.softmax(scores)
        context = math_ops.reduce_sum(
            array_ops.reshape(weights, [-1, self._attn_length, 1, 1]) * hidden, [1, 2])
        new_attns = array_ops.reshape(context, [-1, self._attn_size])
        return new_attns, array_ops.slice(attn_states, [0, 1, 0], [-1, -1, -1])


class UGRNNCell(_UnitsCell):
    """Update-gate RNN: g, c = split(W [x, h] + b); g = sigmoid(g + forget_bias);
    h' = g * h + (1 - g) * act(c) (variables ``kernel``, ``bias``)."""

    def __init__(self, num_units, initializer=None, forget_bias=1.0, activation=None,
                 reuse=None):
        super().__init__(_reuse=reuse)
        self._num_units = num_units
        self._initializer = initializer
        self._forget_bias = forget_bias
        self._activation = activation or nn_ops.tanh

    def build(self, inputs_shape):
        depth = _input_depth(self, inputs_shape) + self._num_units
        self._kernel = self.add_weight("kernel", [depth, 2 * self._num_units],
                                       initializer=self._initializer)
        self._bias = self.add_weight("bias", [2 * self._num_units],
                                     initializer=constant_initializer(0.0))
        self.built = True

    def call(self, inputs, state):
        gate, candidate = array_ops.split(_dense([inputs, state], self._kernel, self._bias),
                                          2, axis=1)
        g = nn_ops.sigmoid(gate + self._forget_bias)
        new_state = g * state + (1.0 - g) * self._activation(candidate)
        return new_state, new_state


def _diagonal_recurrent_weight(layer, name, width):
    """An Indy cell's per-unit recurrent weight [1, width], uniform in [-1, 1]."""
    return layer.add_weight(name, [1, width], initializer=random_uniform_initializer(-1, 1))


class IntersectionRNNCell(_UnitsCell):
    """+RNN: gh, h, gy, y = split([x, s] W + b); s' = gh * s + (1 - gh) * tanh(h) and
    y' = gy * x + (1 - gy) * y_act(y) (gates with forget_bias); inputs whose depth differs from
    num_units are first projected by ``in_projection/kernel`` when num_in_proj is set."""

    def __init__(self, num_units, num_in_proj=None, initializer=None, forget_bias=1.0,
                 y_activation=None, reuse=None):
        super().__init__(_reuse=reuse)
        self._num_units = num_units
        self._num_in_proj = num_in_proj
        self._initializer = initializer
        self._forget_bias = forget_bias
        self._y_activation = y_activation or nn_ops.relu

    def build(self, inputs_shape):
        depth, units = _input_depth(self, inputs_shape), self._num_units
        zeros, init = constant_initializer(0.0), self._initializer
        self._projects = depth != units
        if self._projects:
            if not self._num_in_proj:
                raise ValueError("Must have input size == output size for Intersection RNN. To "
                                 "fix, num_in_proj should be set to num_units at cell init.")
            self._in_kernel = self.add_weight("in_projection/kernel", [depth, units],
                                              initializer=init)
            self._in_bias = self.add_weight("in_projection/bias", [units], initializer=zeros)
        self._kernel = self.add_weight("kernel", [2 * units, 4 * units], initializer=init)
        self._bias = self.add_weight("bias", [4 * units], initializer=zeros)
        self.built = True

    def call(self, inputs, state):
        if self._projects:
            inputs = _dense([inputs], self._in_kernel, self._in_bias)
        gh, h, gy, y = array_ops.split(_dense([inputs, state], self._kernel, self._bias), 4,
                                       axis=1)
        gh = nn_ops.sigmoid(gh + self._forget_bias)
        gy = nn_ops.sigmoid(gy + self._forget_bias)
        new_state = gh * state + (1.0 - gh) * nn_ops.tanh(h)
        new_y = gy * inputs + (1.0 - gy) * self._y_activation(y)
        return new_y, new_state


class IndRNNCell(_UnitsCell):
    """Independently recurrent cell: h' = act(x W + h * u + b) (act tanh by default) with
    ``kernel_w``, ``kernel_u`` ([1, units], uniform in [-1, 1]) and ``bias``."""

    def __init__(self, num_units, activation=None, reuse=None, name=None, dtype=None):
        super().__init__(_reuse=reuse, name=name, dtype=dtype)
        self._num_units = num_units
        self._activation = activation or nn_ops.tanh

    def build(self, inputs_shape):
        depth = _input_depth(self, inputs_shape)
        self._kernel_w = self.add_weight("kernel_w", [depth, self._num_units])
        self._kernel_u = _diagonal_recurrent_weight(self, "kernel_u", self._num_units)
        self._bias = self.add_weight("bias", [self._num_units],
                                     initializer=zeros_initializer())
        self.built = True

    def call(self, inputs, state):
        gate_inputs = math_ops.add(math_ops.matmul(inputs, self._kernel_w),
                                   math_ops.multiply(state, self._kernel_u))
        output = self._activation(nn_ops.bias_add(gate_inputs, self._bias))
        return output, output


class IndyGRUCell(_UnitsCell):
    """GRU with diagonal recurrence: r, u = sigmoid(x W_g + tile(h, 2) * u_g + b_g) (gate bias
    1.0 by default); h' = u * h + (1 - u) * act(x W_c + r * h * u_c + b_c); variables
    ``gates/kernel_w``, ``gates/kernel_u``, ``gates/bias``, ``candidate/kernel``,
    ``candidate/kernel_u``, ``candidate/bias``."""

    def __init__(self, num_units, activation=None, reuse=None, kernel_initializer=None,
                 bias_initializer=None, name=None, dtype=None):
        super().__init__(_reuse=reuse, name=name, dtype=dtype)
        self._num_units = num_units
        self._activation = activation or nn_ops.tanh
        self._kernel_initializer = kernel_initializer
        self._bias_initializer = bias_initializer

    def build(self, inputs_shape):
        depth = _input_depth(self, inputs_shape)
        units, init = self._num_units, self._kernel_initializer
        self._gate_w = self.add_weight("gates/kernel_w", [depth, 2 * units], initializer=init)
        self._gate_u = _diagonal_recurrent_weight(self, "gates/kernel_u", 2 * units)
        self._gate_b = self.add_weight("gates/bias", [2 * units], initializer=(
            self._bias_initializer or constant_initializer(1.0)))
        self._candidate_w = self.add_weight("candidate/kernel", [depth, units],
                                            initializer=init)
        self._candidate_u = _diagonal_recurrent_weight(self, "candidate/kernel_u", units)
        self._candidate_b = self.add_weight("candidate/bias", [units], initializer=(
            self._bias_initializer or zeros_initializer()))
        self.built = True

    def call(self, inputs, state):
        gates = math_ops.matmul(inputs, self._gate_w) + array_ops.tile(state, [1, 2]) * \
            self._gate_u
        r, u = array_ops.split(nn_ops.sigmoid(nn_ops.bias_add(gates, self._gate_b)), 2, axis=1)
        candidate = math_ops.matmul(inputs, self._candidate_w) + r * state * self._candidate_u
        c = self._activation(nn_ops.bias_add(candidate, self._candidate_b))
        new_h = u * state + (1 - u) * c
        return new_h, new_h


class IndyLSTMCell(RNNCell):
    """LSTM with diagonal recurrence: i, j, f, o = split(x W + tile(h, 4) * u + b) with
    ``kernel_w``, ``kernel_u`` ([1, 4 units]) and ``bias``; then BasicLSTMCell's update."""

    def __init__(self, num_units, forget_bias=1.0, activation=None, reuse=None,
                 kernel_initializer=None, bias_initializer=None, name=None, dtype=None):
        super().__init__(_reuse=reuse, name=name, dtype=dtype)
        self._num_units = num_units
        self._forget_bias = forget_bias
        self._activation = activation or nn_ops.tanh
        self._kernel_initializer = kernel_initializer
        self._bias_initializer = bias_initializer

    @property
    def state_size(self):
        return LSTMStateTuple(self._num_units, self._num_units)

    @property
    def output_size(self):
        return self._num_units

    def build(self, inputs_shape):
        depth = _input_depth(self, inputs_shape)
        width = 4 * self._num_units
        self._kernel_w = self.add_weight("kernel_w", [depth, width],
                                         initializer=self._kernel_initializer)
        self._kernel_u = _diagonal_recurrent_weight(self, "kernel_u", width)
        self._bias = self.add_weight("bias", [width], initializer=(
            self._bias_initializer or zeros_initializer()))
        self.built = True

    def call(self, inputs, state):
        c, h = state
        gates = math_ops.matmul(inputs, self._kernel_w) + array_ops.tile(h, [1, 4]) * \
            self._kernel_u
        i, j, f, o = array_ops.split(nn_ops.bias_add(gates, self._bias), 4, axis=1)
        new_c = (c * nn_ops.sigmoid(f + self._forget_bias)
                 + nn_ops.sigmoid(i) * self._activation(j))
        new_h = self._activation(new_c) * nn_ops.sigmoid(o)
        return new_h, LSTMStateTuple(new_c, new_h)


class NASCell(RNNCell):
    """The Neural Architecture Search cell: x W (``kernel``) and h U (``recurrent_kernel``,
    plus ``bias`` when use_biases) split in 8 branches combined by TF's fixed tree; optional
    projection ``projection_weights``; state LSTMStateTuple(c, m)."""

    def __init__(self, num_units, num_proj=None, use_biases=False, reuse=None):
        super().__init__(_reuse=reuse)
        self._num_units = num_units
        self._num_proj = num_proj
        self._use_biases = use_biases
        self._output_size = num_units if num_proj is None else num_proj
        self._state_size = LSTMStateTuple(num_units, self._output_size)

    @property
    def state_size(self):
        return self._state_size

    @property
    def output_size(self):
        return self._output_size

    def build(self, inputs_shape):
        depth = _input_depth(self, inputs_shape)
        width = 8 * self._num_units
        self._recurrent_kernel = self.add_weight("recurrent_kernel", [self._output_size, width])
        self._kernel = self.add_weight("kernel", [depth, width])
        if self._use_biases:
            self._bias = self.add_weight("bias", [width], initializer=zeros_initializer())
        if self._num_proj is not None:
            self._projection = self.add_weight("projection_weights",
                                               [self._num_units, self._num_proj])
        self.built = True

    def call(self, inputs, state):
        c_prev, m_prev = state
        recurrent = math_ops.matmul(m_prev, self._recurrent_kernel)
        if self._use_biases:
            recurrent = nn_ops.bias_add(recurrent, self._bias)
        m = array_ops.split(recurrent, 8, axis=1)
        x = array_ops.split(math_ops.matmul(inputs, self._kernel), 8, axis=1)
        sigmoid, tanh, relu = nn_ops.sigmoid, nn_ops.tanh, nn_ops.relu
        first = [sigmoid(x[0] + m[0]), relu(x[1] + m[1]), sigmoid(x[2] + m[2]),
                 relu(x[3] * m[3]), tanh(x[4] + m[4]), sigmoid(x[5] + m[5]),
                 tanh(x[6] + m[6]), sigmoid(x[7] + m[7])]
        new_c = tanh(tanh(first[0] * first[1]) + c_prev) * tanh(first[2] + first[3])
        new_m = tanh(new_c * tanh(tanh(first[4] * first[5]) + sigmoid(first[6] + first[7])))
        if self._num_proj is not None:
            new_m = math_ops.matmul(new_m, self._projection)
        return new_m, LSTMStateTuple(new_c, new_m)


class CoupledInputForgetGateLSTMCell(RNNCell):
    """LSTM whose input gate is 1 - forget gate: j, f, o = split([x, m] W + B);
    c' = f * c + (1 - f) * act(j) with f = sigmoid(f + forget_bias [+ W_F_diag * c]);
    m' = sigmoid(o [+ W_O_diag * c']) * act(c'), projected by ``W_P_0`` when num_proj.
    Variables ``W_0``, ``B`` (TF's one-shard names)."""

    def __init__(self, num_units, use_peepholes=False, initializer=None, num_proj=None,
                 proj_clip=None, num_unit_shards=1, num_proj_shards=1, forget_bias=1.0,
                 state_is_tuple=True, activation=None, reuse=None, layer_norm=False,
                 norm_gain=1.0, norm_shift=0.0):
        super().__init__(_reuse=reuse)
        if num_unit_shards != 1 or num_proj_shards != 1 or layer_norm:
            raise NotImplementedError("tfcompat does not implement CoupledInputForgetGateLSTMCell"
                                      "'s sharding or layer_norm yet")
        self._num_units = num_units
        self._use_peepholes = use_peepholes
        self._initializer = initializer
        self._num_proj = num_proj
        self._proj_clip = proj_clip
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = activation or nn_ops.tanh
        self._output_size = num_proj or num_units
        self._state_size = (LSTMStateTuple(num_units, self._output_size) if state_is_tuple
                            else num_units + self._output_size)

    @property
    def state_size(self):
        return self._state_size

    @property
    def output_size(self):
        return self._output_size

    def build(self, inputs_shape):
        depth = _input_depth(self, inputs_shape)
        units = self._num_units
        init = self._initializer
        self._kernel = self.add_weight("W_0", [depth + self._output_size, 3 * units],
                                       initializer=init)
        self._bias = self.add_weight("B", [3 * units], initializer=zeros_initializer())
        if self._use_peepholes:
            self._w_f_diag = self.add_weight("W_F_diag", [units], initializer=init)
            self._w_o_diag = self.add_weight("W_O_diag", [units], initializer=init)
        if self._num_proj:
            self._projection = self.add_weight("W_P_0", [units, self._num_proj],
                                               initializer=init)
        self.built = True

    def call(self, inputs, state):
        if self._state_is_tuple:
            c_prev, m_prev = state
        else:
            c_prev = array_ops.slice(state, [0, 0], [-1, self._num_units])
            m_prev = array_ops.slice(state, [0, self._num_units], [-1, self._output_size])
        j, f, o = array_ops.split(_dense([inputs, m_prev], self._kernel, self._bias), 3, axis=1)
        if self._use_peepholes:
            f = f + self._w_f_diag * c_prev
        forget = nn_ops.sigmoid(f + self._forget_bias)
        c = forget * c_prev + (1 - forget) * self._activation(j)
        if self._use_peepholes:
            o = o + self._w_o_diag * c
        m = nn_ops.sigmoid(o) * self._activation(c)
        if self._num_proj:
            m = math_ops.matmul(m, self._projection)
            if self._proj_clip is not None:
                m = clip_ops.clip_by_value(m, -self._proj_clip, self._proj_clip)
        new_state = (LSTMStateTuple(c, m) if self._state_is_tuple
                     else array_ops.concat([c, m], 1))
        return m, new_state


class HighwayWrapper(_AroundCell):
    """Highway connection around a cell: out' = x * t + out * (1 - t) with
    t = sigmoid(x ``carry_w`` + ``carry_b``) (or an own ``transform_w``/``transform_b`` gate
    when not coupled), the variables in the caller's scope."""

    def __init__(self, cell, couple_carry_transform_gates=True, carry_bias_init=1.0):
        super().__init__(name=None)
        self._cell = cell
        self._couple_carry_transform_gates = couple_carry_transform_gates
        self._carry_bias_init = carry_bias_init

    def _gate(self, value, prefix, bias_init):
        size = value.get_shape().with_rank(2)[1].value
        weight = vs.get_variable(f"{prefix}_w", [size, size], dtype=value.dtype)
        bias = vs.get_variable(f"{prefix}_b", [size], dtype=value.dtype,
                               initializer=constant_initializer(bias_init))
        return nn_ops.sigmoid(_dense([value], weight, bias))

    def _highway(self, inputs, outputs):
        carry = self._gate(inputs, "carry", self._carry_bias_init)
        transform = (1 - carry if self._couple_carry_transform_gates
                     else self._gate(inputs, "transform", -self._carry_bias_init))
        return inputs * carry + outputs * transform

    def __call__(self, inputs, state, scope=None):
        outputs, new_state = self._cell(inputs, state, scope=scope)
        nest.assert_same_structure(inputs, outputs)
        nest.map_structure(
            lambda x, y: x.get_shape().assert_is_compatible_with(y.get_shape()), inputs, outputs)
        return nest.map_structure(self._highway, inputs, outputs), new_state


__all__ = ["ConvLSTMCell", "Conv1DLSTMCell", "Conv2DLSTMCell", "Conv3DLSTMCell",
           "AttentionCellWrapper", "UGRNNCell", "IndRNNCell", "NASCell",
           "CoupledInputForgetGateLSTMCell", "HighwayWrapper", "IndyGRUCell", "IndyLSTMCell",
           "IntersectionRNNCell"]
