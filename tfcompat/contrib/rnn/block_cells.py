"""Block cells of TF 1.x ``tf.contrib.rnn``: ``LSTMBlockCell``, ``GRUBlockCell(V2)`` and
``LayerNormBasicLSTMCell``, composed from registered ops.

``LSTMBlockCell`` (scope ``lstm_cell``; ``kernel``, ``bias``, peepholes ``w_i_diag``,
``w_f_diag``, ``w_o_diag``) splits ``[x, h] W + b`` in TF's block order i, cs, f, o:
``i = sigmoid(i + wci c)``, ``f = sigmoid(f + forget_bias + wcf c)``,
``c' = clip(i tanh(cs) + f c)`` (only when cell_clip > 0), ``h' = tanh(c') sigmoid(o + wco c')``.
``GRUBlockCell`` (scope ``gru_cell``; ``w_ru``, ``b_ru`` initialised to 1, ``w_c``, ``b_c``;
V2 names them ``gates/kernel``, ``gates/bias``, ``candidate/kernel``, ``candidate/bias``):
``r, u = sigmoid([x, h] W_ru + b_ru)``, ``c = tanh([x, r h] W_c + b_c)``,
``h' = u h + (1 - u) c``. ``LayerNormBasicLSTMCell`` layer-normalises each gate (scopes
``input``, ``transform``, ``forget``, ``output``) and the new cell state (``state``), each with
its own ``gamma``/``beta``; with layer norm on, the projection has no ``bias``.
"""
from tfcompat import nn
from tfcompat.framework import tensor_shape
from tfcompat.ops import variable_scope as vs
from tfcompat.ops import array_ops, clip_ops, math_ops, nn_ops
from tfcompat.ops.init_ops import constant_initializer
from tfcompat.layers.base import Layer
from tfcompat.rnn.cell_impl import LSTMStateTuple, RNNCell
from tfcompat.rnn.rnn import dynamic_rnn


def _input_depth(inputs_shape):
    shape = tensor_shape.TensorShape(inputs_shape)
    if shape.ndims is None or shape.ndims < 2 or shape[1].value is None:
        raise ValueError(f"Expecting inputs_shape[1] to be set: {shape}")
    return shape[1].value


def _lstm_block_step(inputs, state, kernel, bias, peepholes, forget_bias, cell_clip):
    """One step of TF's LSTMBlockCell op: returns (cs, h)."""
    cs_prev, h_prev = state
    gates = nn_ops.bias_add(
        math_ops.matmul(array_ops.concat([inputs, h_prev], 1), kernel), bias)
    i, ci, f, o = array_ops.split(gates, 4, axis=1)
    f = f + forget_bias
    if peepholes is not None:
        w_i_diag, w_f_diag, w_o_diag = peepholes
        i = i + cs_prev * w_i_diag
        f = f + cs_prev * w_f_diag
    cs = nn_ops.sigmoid(i) * nn_ops.tanh(ci) + nn_ops.sigmoid(f) * cs_prev
    if cell_clip > 0:
        cs = clip_ops.clip_by_value(cs, -cell_clip, cell_clip)
    if peepholes is not None:
        o = o + cs * w_o_diag
    return cs, nn_ops.tanh(cs) * nn_ops.sigmoid(o)


class LSTMBlockCell(RNNCell):
    """The LSTM of TF's fused ``LSTMBlockCell`` op (gate order i, cs, f, o; optional peepholes
    and cell clipping); state is an ``LSTMStateTuple(c, h)``."""

    def __init__(self, num_units, forget_bias=1.0, cell_clip=None, use_peephole=False,
                 dtype=None, reuse=None, name="lstm_cell"):
        super().__init__(_reuse=reuse, name=name, dtype=dtype)
        self._num_units = num_units
        self._forget_bias = forget_bias
        self._cell_clip = cell_clip if cell_clip is not None else -1
        self._use_peephole = use_peephole

    @property
    def state_size(self):
        return LSTMStateTuple(self._num_units, self._num_units)

    @property
    def output_size(self):
        return self._num_units

    def build(self, inputs_shape):
        depth = _input_depth(inputs_shape)
        units = self._num_units
        self._kernel = self.add_weight("kernel", [depth + units, 4 * units])
        self._bias = self.add_weight("bias", [4 * units], initializer=constant_initializer(0.0))
        if self._use_peephole:
            self._w_i_diag, self._w_f_diag, self._w_o_diag = [
                self.add_weight(name, [units]) for name in ("w_i_diag", "w_f_diag", "w_o_diag")]
        self.built = True

    def call(self, inputs, state):
        if len(state) != 2:
            raise ValueError("Expecting state to be a tuple with length 2.")
        peepholes = ((self._w_i_diag, self._w_f_diag, self._w_o_diag) if self._use_peephole
                     else None)
        cs, h = _lstm_block_step(inputs, state, self._kernel, self._bias, peepholes,
                                 self._forget_bias, self._cell_clip)
        return h, LSTMStateTuple(cs, h)


class GRUBlockCell(RNNCell):
    """The GRU of TF's fused ``GRUBlockCell`` op, variables ``w_ru``, ``b_ru``, ``w_c``,
    ``b_c``; ``cell_size`` is the deprecated spelling of ``num_units``."""

    _variable_names = ("w_ru", "b_ru", "w_c", "b_c")

    def __init__(self, num_units=None, cell_size=None, reuse=None, name="gru_cell"):
        super().__init__(_reuse=reuse, name=name)
        if (num_units is None) == (cell_size is None):
            raise ValueError("Exactly one of num_units or cell_size must be provided.")
        self._cell_size = num_units if num_units is not None else cell_size

    @property
    def state_size(self):
        return self._cell_size

    @property
    def output_size(self):
        return self._cell_size

    def build(self, inputs_shape):
        rows = _input_depth(inputs_shape) + self._cell_size
        size = self._cell_size
        gate_kernel, gate_bias, candidate_kernel, candidate_bias = self._variable_names
        self._gate_kernel = self.add_weight(gate_kernel, [rows, 2 * size])
        self._gate_bias = self.add_weight(gate_bias, [2 * size],
                                          initializer=constant_initializer(1.0))
        self._candidate_kernel = self.add_weight(candidate_kernel, [rows, size])
        self._candidate_bias = self.add_weight(candidate_bias, [size],
                                               initializer=constant_initializer(0.0))
        self.built = True

    def call(self, inputs, h_prev):
        gates = nn_ops.sigmoid(nn_ops.bias_add(
            math_ops.matmul(array_ops.concat([inputs, h_prev], 1), self._gate_kernel),
            self._gate_bias))
        r, u = array_ops.split(gates, 2, axis=1)
        c = nn_ops.tanh(nn_ops.bias_add(
            math_ops.matmul(array_ops.concat([inputs, r * h_prev], 1), self._candidate_kernel),
            self._candidate_bias))
        new_h = u * h_prev + (1 - u) * c
        return new_h, new_h


class GRUBlockCellV2(GRUBlockCell):
    """``GRUBlockCell`` with GRUCell-style variable names (``gates/kernel``, ...)."""

    _variable_names = ("gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias")


class LayerNormBasicLSTMCell(RNNCell):
    """BasicLSTMCell with layer normalisation of each gate and of the new cell state, and
    optional recurrent dropout on the candidate (TF's contrib ``LayerNormBasicLSTMCell``)."""

    def __init__(self, num_units, forget_bias=1.0, input_size=None, activation=nn_ops.tanh,
                 layer_norm=True, norm_gain=1.0, norm_shift=0.0, dropout_keep_prob=1.0,
                 dropout_prob_seed=None, reuse=None):
        super().__init__(_reuse=reuse)
        del input_size  # deprecated and ignored, as in TF
        self._num_units = num_units
        self._activation = activation
        self._forget_bias = forget_bias
        self._keep_prob = dropout_keep_prob
        self._seed = dropout_prob_seed
        self._layer_norm = layer_norm
        self._norm_gain = norm_gain
        self._norm_shift = norm_shift

    @property
    def state_size(self):
        return LSTMStateTuple(self._num_units, self._num_units)

    @property
    def output_size(self):
        return self._num_units

    def _norm(self, inputs, scope):
        """Layer norm over the last axis (epsilon 1e-12) with ``<scope>/gamma``, ``beta``."""
        shape = inputs.shape[-1:]
        with vs.variable_scope(scope):
            gamma = vs.get_variable("gamma", shape=shape, dtype=inputs.dtype,
                                    initializer=constant_initializer(self._norm_gain))
            beta = vs.get_variable("beta", shape=shape, dtype=inputs.dtype,
                                   initializer=constant_initializer(self._norm_shift))
        mean, variance = nn.moments(inputs, [1], keep_dims=True)
        return nn.batch_normalization(inputs, mean, variance, offset=beta, scale=gamma,
                                      variance_epsilon=1e-12)

    def _linear(self, args):
        out_size = 4 * self._num_units
        kernel = vs.get_variable("kernel", [args.shape[-1].value, out_size], dtype=args.dtype)
        out = math_ops.matmul(args, kernel)
        if not self._layer_norm:
            bias = vs.get_variable("bias", [out_size], dtype=args.dtype)
            out = nn_ops.bias_add(out, bias)
        return out

    def call(self, inputs, state):
        c, h = state
        i, j, f, o = array_ops.split(self._linear(array_ops.concat([inputs, h], 1)), 4, axis=1)
        if self._layer_norm:
            i, j, f, o = [self._norm(gate, scope) for gate, scope in
                          zip((i, j, f, o), ("input", "transform", "forget", "output"),
                              strict=True)]
        g = self._activation(j)
        if not isinstance(self._keep_prob, float) or self._keep_prob < 1:
            g = nn.dropout(g, self._keep_prob, seed=self._seed)
        new_c = c * nn_ops.sigmoid(f + self._forget_bias) + nn_ops.sigmoid(i) * g
        if self._layer_norm:
            new_c = self._norm(new_c, "state")
        new_h = self._activation(new_c) * nn_ops.sigmoid(o)
        return new_h, LSTMStateTuple(new_c, new_h)


class _FusedStepCell(RNNCell):
    """One LSTMBlockCell step over weights owned by an ``LSTMBlockFusedCell``."""

    def __init__(self, fused):
        super().__init__(name="lstm_block_step")
        self._fused = fused

    @property
    def state_size(self):
        return self._fused.state_size

    @property
    def output_size(self):
        return self._fused.num_units

    def call(self, inputs, state):
        fused = self._fused
        cs, h = _lstm_block_step(inputs, state, fused.kernel, fused.bias, fused.peepholes,
                                 fused.forget_bias, fused.cell_clip)
        return h, LSTMStateTuple(cs, h)


class LSTMBlockFusedCell(Layer):
    """TF's fused LSTM over a whole time-major sequence: ``cell(inputs, initial_state=None,
    dtype=None, sequence_length=None)`` returns ``(outputs, LSTMStateTuple)``; outputs past a
    sequence's length are zero and its final state is the one at its length. Variables
    ``lstm_fused_cell/kernel``, ``bias`` (and peepholes) as LSTMBlockCell's."""

    def __init__(self, num_units, forget_bias=1.0, cell_clip=None, use_peephole=False,
                 reuse=None, dtype=None, name="lstm_fused_cell"):
        super().__init__(_reuse=reuse, name=name, dtype=dtype)
        self.num_units = num_units
        self.forget_bias = forget_bias
        self.cell_clip = cell_clip if cell_clip is not None else -1
        self._use_peephole = use_peephole
        self.peepholes = None

    @property
    def state_size(self):
        return LSTMStateTuple(self.num_units, self.num_units)

    def build(self, inputs_shape):
        shape = tensor_shape.TensorShape(inputs_shape)
        if shape.ndims != 3:
            raise ValueError(f"Expecting inputs of rank 3 [time, batch, depth], saw {shape}")
        if shape[2].value is None:
            raise ValueError("Expecting input_size to be set.")
        units = self.num_units
        self.kernel = self.add_weight("kernel", [shape[2].value + units, 4 * units])
        self.bias = self.add_weight("bias", [4 * units], initializer=constant_initializer(0.0))
        if self._use_peephole:
            self.peepholes = tuple(self.add_weight(name, [units])
                                   for name in ("w_i_diag", "w_f_diag", "w_o_diag"))
        self.built = True

    def call(self, inputs, initial_state=None, dtype=None, sequence_length=None):
        if initial_state is None and dtype is None:
            raise ValueError("Either initial_state or dtype needs to be specified")
        if initial_state is not None:
            initial_state = LSTMStateTuple(*initial_state)
        return dynamic_rnn(_FusedStepCell(self), inputs, sequence_length=sequence_length,
                           initial_state=initial_state, dtype=dtype, time_major=True,
                           scope="fused")
