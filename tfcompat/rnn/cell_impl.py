"""RNN cells (TF 1.x ``rnn_cell_impl``): ``tf.nn.rnn_cell`` and ``tf.contrib.rnn``.

Cells are layers: the first call picks the variable scope (the caller's scope plus the
cell's snake-case name, e.g. ``rnn/basic_lstm_cell``), later calls reuse its variables, so
checkpoints carry TF 1.x's names (``kernel``, ``bias``, ``gates/kernel``, ``w_f_diag``,
``projection/kernel``). LSTM gates are split in TF's order i, j, f, o; the forget bias is
added to f. Wrappers (dropout, residual, device) add no variable scope of their own.
"""
import collections
import hashlib
import numbers

from tfcompat.framework import dtypes, nest, ops, tensor_shape
from tfcompat.ops import variable_scope as vs
from tfcompat.ops.init_ops import constant_initializer, zeros_initializer
from tfcompat.layers.base import Layer
from tfcompat.ops import array_ops, clip_ops, math_ops, nn_ops

_WEIGHTS = "kernel"
_BIAS = "bias"


class LSTMStateTuple(collections.namedtuple("LSTMStateTuple", ("c", "h"))):
    """(c, h): the cell state and the output of an LSTM."""

    __slots__ = ()

    @property
    def dtype(self):
        c, h = self
        if c.dtype != h.dtype:
            raise TypeError(f"Inconsistent internal state: {c.dtype} vs {h.dtype}")
        return c.dtype


def _concat(prefix, suffix, static=False):
    """[batch] + state size as a shape list (static) or an int32 tensor."""
    if isinstance(prefix, ops.Tensor):
        prefix_list = [None]
        prefix_tensor = array_ops.reshape(prefix, [1])
    else:
        prefix_list = [prefix]
        prefix_tensor = array_ops.constant([prefix], dtype=dtypes.int32) \
            if prefix is not None else None
    suffix_list = tensor_shape.TensorShape(suffix).as_list()
    if static:
        return tensor_shape.TensorShape(prefix_list + suffix_list)
    return array_ops.concat([prefix_tensor, array_ops.constant(suffix_list, dtype=dtypes.int32)],
                            0)


def _zero_state_tensors(state_size, batch_size, dtype):
    def zeros(size):
        value = array_ops.zeros(_concat(batch_size, size), dtype=dtype)
        value.set_shape(_concat(batch_size if isinstance(batch_size, int) else None, size,
                                static=True))
        return value
    return nest.map_structure(zeros, state_size)


class RNNCell(Layer):
    """Abstract RNN cell: ``output, new_state = cell(inputs, state)``; subclasses define
    ``state_size``, ``output_size``, ``build`` and ``call``."""

    def __call__(self, inputs, state, scope=None):
        if scope is not None:
            with vs.variable_scope(scope) as captured:
                return super().__call__(inputs, state, scope=captured)
        captured = getattr(self, "_rnncell_scope", None)
        if captured is None:
            captured = self._rnncell_scope = vs.get_variable_scope()
        with vs.variable_scope(captured, auxiliary_name_scope=False):
            return super().__call__(inputs, state)

    @property
    def state_size(self):
        raise NotImplementedError("Abstract method")

    @property
    def output_size(self):
        raise NotImplementedError("Abstract method")

    def build(self, inputs_shape):
        self.built = True

    def get_initial_state(self, inputs=None, batch_size=None, dtype=None):
        if inputs is not None:
            inputs = ops.convert_to_tensor(inputs)
            batch_size = array_ops.shape(inputs)[0]
            dtype = dtype or inputs.dtype
        return self.zero_state(batch_size, dtype)

    def zero_state(self, batch_size, dtype):
        """Zeros shaped [batch_size] + each state size (a tensor, tuple or LSTMStateTuple)."""
        with ops.name_scope(type(self).__name__ + "ZeroState"):
            return _zero_state_tensors(self.state_size, batch_size, dtype)


def _input_depth(cell, inputs_shape):
    shape = tensor_shape.TensorShape(inputs_shape)
    if shape.ndims is None or shape[-1].value is None:
        raise ValueError(f"Expected inputs.shape[-1] to be known, saw shape: {shape}")
    return shape[-1].value


def _activation(activation):
    return activation or nn_ops.tanh


class _UnitsCell(RNNCell):
    """A cell whose state and output are both ``num_units`` wide (``self._num_units``)."""

    @property
    def state_size(self):
        return self._num_units

    @property
    def output_size(self):
        return self._num_units


class BasicRNNCell(_UnitsCell):
    """``output = new_state = act(W [inputs, state] + b)``."""

    def __init__(self, num_units, activation=None, reuse=None, name=None, dtype=None, **kwargs):
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        self._num_units = num_units
        self._activation = _activation(activation)

    def build(self, inputs_shape):
        depth = _input_depth(self, inputs_shape)
        self._kernel = self.add_weight(_WEIGHTS, [depth + self._num_units, self._num_units])
        self._bias = self.add_weight(_BIAS, [self._num_units],
                                     initializer=zeros_initializer(dtype=self.dtype))
        self.built = True

    def call(self, inputs, state):
        gate_inputs = math_ops.matmul(array_ops.concat([inputs, state], 1), self._kernel)
        output = self._activation(nn_ops.bias_add(gate_inputs, self._bias))
        return output, output


class GRUCell(_UnitsCell):
    """Gated recurrent unit: r, u = sigmoid(W_g [x, h] + b_g) (gate bias 1.0 by default);
    c = act(W_c [x, r * h] + b_c); h' = u * h + (1 - u) * c."""

    def __init__(self, num_units, activation=None, reuse=None, kernel_initializer=None,
                 bias_initializer=None, name=None, dtype=None, **kwargs):
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        self._num_units = num_units
        self._activation = _activation(activation)
        self._kernel_initializer = kernel_initializer
        self._bias_initializer = bias_initializer

    def build(self, inputs_shape):
        depth = _input_depth(self, inputs_shape)
        units = self._num_units
        gate_bias = self._bias_initializer or constant_initializer(1.0, dtype=self.dtype)
        self._gate_kernel = self.add_weight(f"gates/{_WEIGHTS}", [depth + units, 2 * units],
                                            initializer=self._kernel_initializer)
        self._gate_bias = self.add_weight(f"gates/{_BIAS}", [2 * units], initializer=gate_bias)
        self._candidate_kernel = self.add_weight(f"candidate/{_WEIGHTS}", [depth + units, units],
                                                 initializer=self._kernel_initializer)
        self._candidate_bias = self.add_weight(
            f"candidate/{_BIAS}", [units],
            initializer=self._bias_initializer or zeros_initializer(dtype=self.dtype))
        self.built = True

    def call(self, inputs, state):
        gate_inputs = nn_ops.bias_add(
            math_ops.matmul(array_ops.concat([inputs, state], 1), self._gate_kernel),
            self._gate_bias)
        r, u = array_ops.split(nn_ops.sigmoid(gate_inputs), 2, axis=1)
        candidate = nn_ops.bias_add(
            math_ops.matmul(array_ops.concat([inputs, r * state], 1), self._candidate_kernel),
            self._candidate_bias)
        c = self._activation(candidate)
        new_h = u * state + (1 - u) * c
        return new_h, new_h


class BasicLSTMCell(RNNCell):
    """LSTM without peepholes: i, j, f, o = split(W [x, h] + b);
    c' = c * sigmoid(f + forget_bias) + sigmoid(i) * act(j); h' = act(c') * sigmoid(o)."""

    def __init__(self, num_units, forget_bias=1.0, state_is_tuple=True, activation=None,
                 reuse=None, name=None, dtype=None, **kwargs):
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        self._num_units = num_units
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = _activation(activation)

    @property
    def state_size(self):
        units = self._num_units
        return LSTMStateTuple(units, units) if self._state_is_tuple else 2 * units

    @property
    def output_size(self):
        return self._num_units

    def build(self, inputs_shape):
        depth = _input_depth(self, inputs_shape)
        units = self._num_units
        self._kernel = self.add_weight(_WEIGHTS, [depth + units, 4 * units])
        self._bias = self.add_weight(_BIAS, [4 * units],
                                     initializer=zeros_initializer(dtype=self.dtype))
        self.built = True

    def call(self, inputs, state):
        if self._state_is_tuple:
            c, h = state
        else:
            c, h = array_ops.split(state, 2, axis=1)
        gate_inputs = nn_ops.bias_add(
            math_ops.matmul(array_ops.concat([inputs, h], 1), self._kernel), self._bias)
        i, j, f, o = array_ops.split(gate_inputs, 4, axis=1)
        forget_bias = array_ops.constant(self._forget_bias, dtype=f.dtype)
        new_c = math_ops.add(math_ops.multiply(c, nn_ops.sigmoid(math_ops.add(f, forget_bias))),
                             math_ops.multiply(nn_ops.sigmoid(i), self._activation(j)))
        new_h = math_ops.multiply(self._activation(new_c), nn_ops.sigmoid(o))
        if self._state_is_tuple:
            return new_h, LSTMStateTuple(new_c, new_h)
        return new_h, array_ops.concat([new_c, new_h], 1)


class LSTMCell(RNNCell):
    """LSTM with optional peepholes (w_f_diag, w_i_diag, w_o_diag), cell clipping and an
    output projection (``projection/kernel``, optionally clipped)."""

    def __init__(self, num_units, use_peepholes=False, cell_clip=None, initializer=None,
                 num_proj=None, proj_clip=None, num_unit_shards=None, num_proj_shards=None,
                 forget_bias=1.0, state_is_tuple=True, activation=None, reuse=None, name=None,
                 dtype=None, **kwargs):
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        if num_unit_shards is not None or num_proj_shards is not None:
            raise NotImplementedError("tfcompat does not implement LSTMCell's num_unit_shards/"
                                      "num_proj_shards yet")
        self._num_units = num_units
        self._use_peepholes = use_peepholes
        self._cell_clip = cell_clip
        self._initializer = initializer
        self._num_proj = num_proj
        self._proj_clip = proj_clip
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = _activation(activation)
        output = num_proj or num_units
        self._state_size = (LSTMStateTuple(num_units, output) if state_is_tuple
                            else num_units + output)
        self._output_size = output

    @property
    def state_size(self):
        return self._state_size

    @property
    def output_size(self):
        return self._output_size

    def build(self, inputs_shape):
        depth = _input_depth(self, inputs_shape)
        units = self._num_units
        self._kernel = self.add_weight(_WEIGHTS, [depth + self._output_size, 4 * units],
                                       initializer=self._initializer)
        self._bias = self.add_weight(_BIAS, [4 * units],
                                     initializer=zeros_initializer(dtype=self.dtype))
        if self._use_peepholes:
            self._w_f_diag, self._w_i_diag, self._w_o_diag = [
                self.add_weight(name, [units], initializer=self._initializer)
                for name in ("w_f_diag", "w_i_diag", "w_o_diag")]
        if self._num_proj is not None:
            self._proj_kernel = self.add_weight(f"projection/{_WEIGHTS}",
                                                [units, self._num_proj],
                                                initializer=self._initializer)
        self.built = True

    def call(self, inputs, state):
        if self._state_is_tuple:
            c_prev, m_prev = state
        else:
            c_prev = array_ops.slice(state, [0, 0], [-1, self._num_units])
            m_prev = array_ops.slice(state, [0, self._num_units], [-1, self._output_size])
        lstm_matrix = nn_ops.bias_add(
            math_ops.matmul(array_ops.concat([inputs, m_prev], 1), self._kernel), self._bias)
        i, j, f, o = array_ops.split(lstm_matrix, 4, axis=1)
        sigmoid, act = nn_ops.sigmoid, self._activation
        if self._use_peepholes:
            c = (sigmoid(f + self._forget_bias + self._w_f_diag * c_prev) * c_prev
                 + sigmoid(i + self._w_i_diag * c_prev) * act(j))
        else:
            c = sigmoid(f + self._forget_bias) * c_prev + sigmoid(i) * act(j)
        if self._cell_clip is not None:
            c = clip_ops.clip_by_value(c, -self._cell_clip, self._cell_clip)
        if self._use_peepholes:
            m = sigmoid(o + self._w_o_diag * c) * act(c)
        else:
            m = sigmoid(o) * act(c)
        if self._num_proj is not None:
            m = math_ops.matmul(m, self._proj_kernel)
            if self._proj_clip is not None:
                m = clip_ops.clip_by_value(m, -self._proj_clip, self._proj_clip)
        new_state = (LSTMStateTuple(c, m) if self._state_is_tuple
                     else array_ops.concat([c, m], 1))
        return m, new_state


class MultiRNNCell(RNNCell):
    """Cells stacked: each cell's output is the next one's input; cell k's variables live
    under ``multi_rnn_cell/cell_k``."""

    def __init__(self, cells, state_is_tuple=True):
        super().__init__()
        if not cells:
            raise ValueError("Must specify at least one cell for MultiRNNCell.")
        if not nest.is_sequence(cells):
            raise TypeError(f"cells must be a list or tuple, but saw: {cells}.")
        if len(set(id(cell) for cell in cells)) < len(cells):
            import warnings
            warnings.warn("At least two cells provided to MultiRNNCell are the same object and "
                          "will share weights.", stacklevel=2)
        self._cells = list(cells)
        self._state_is_tuple = state_is_tuple
        if not state_is_tuple and any(nest.is_sequence(c.state_size) for c in self._cells):
            raise ValueError("Some cells return tuples of states, but the flag state_is_tuple "
                             "is not set.")

    @property
    def state_size(self):
        if self._state_is_tuple:
            return tuple(cell.state_size for cell in self._cells)
        return sum(cell.state_size for cell in self._cells)

    @property
    def output_size(self):
        return self._cells[-1].output_size

    def zero_state(self, batch_size, dtype):
        with ops.name_scope(type(self).__name__ + "ZeroState"):
            if self._state_is_tuple:
                return tuple(cell.zero_state(batch_size, dtype) for cell in self._cells)
            return super().zero_state(batch_size, dtype)

    @property
    def trainable_weights(self):
        if not self.trainable:
            return []
        return [w for cell in self._cells for w in cell.trainable_weights]

    @property
    def non_trainable_weights(self):
        weights = [w for cell in self._cells for w in cell.non_trainable_weights]
        if not self.trainable:
            weights = [w for cell in self._cells for w in cell.trainable_weights] + weights
        return weights

    def call(self, inputs, state):
        position, current, new_states = 0, inputs, []
        for index, cell in enumerate(self._cells):
            with vs.variable_scope(f"cell_{index}"):
                if self._state_is_tuple:
                    cell_state = state[index]
                else:
                    cell_state = array_ops.slice(state, [0, position], [-1, cell.state_size])
                    position += cell.state_size
                current, new_state = cell(current, cell_state)
                new_states.append(new_state)
        if self._state_is_tuple:
            return current, tuple(new_states)
        return current, array_ops.concat(new_states, 1)


class _AroundCell(RNNCell):
    """A cell around another cell ``_cell``, whose state size, output size (unless the
    subclass changes it) and zero state it takes."""

    @property
    def state_size(self):
        return self._cell.state_size

    @property
    def output_size(self):
        return self._cell.output_size

    def zero_state(self, batch_size, dtype):
        with ops.name_scope(type(self).__name__ + "ZeroState"):
            return self._cell.zero_state(batch_size, dtype)


class _Wrapper(_AroundCell):
    """A cell around another cell, adding no variable scope of its own."""

    def __init__(self, cell):
        super().__init__(name=None)
        self._cell = cell

    @property
    def wrapped_cell(self):
        return self._cell

    @property
    def trainable_weights(self):
        return self._cell.trainable_weights

    @property
    def non_trainable_weights(self):
        return self._cell.non_trainable_weights

    def __call__(self, inputs, state, scope=None):
        return self.call(inputs, state, scope=scope)


def _default_state_filter(substate):
    """DropoutWrapper drops every state except an LSTM's memory cell c."""
    if isinstance(substate, LSTMStateTuple):
        return LSTMStateTuple(c=False, h=True)
    return True


class DropoutWrapper(_Wrapper):
    """Dropout on a cell's inputs, outputs and (filtered) state, each with its keep
    probability; seeds per part as TF (md5 of seed + part + index).

    ``variational_recurrent=True`` (Gal & Ghahramani) draws the masks once per run instead
    of per step, as TF: the wrapper's constructor makes one ``random_uniform`` noise of
    shape ``[1] + size`` per input (``input_size``), state and output component (``dtype``),
    and each step keeps ``value / keep_prob * floor(keep_prob + noise)``: the same mask at
    every time step and for every sequence of the batch."""

    def __init__(self, cell, input_keep_prob=1.0, output_keep_prob=1.0, state_keep_prob=1.0,
                 variational_recurrent=False, input_size=None, dtype=None, seed=None,
                 dropout_state_filter_visitor=None):
        super().__init__(cell)
        for name, value in (("input_keep_prob", input_keep_prob),
                            ("output_keep_prob", output_keep_prob),
                            ("state_keep_prob", state_keep_prob)):
            if isinstance(value, numbers.Real) and not 0.0 < value <= 1.0:
                raise ValueError(f"Parameter {name} must be between 0 and 1: {value}")
        self._input_keep_prob = input_keep_prob
        self._output_keep_prob = output_keep_prob
        self._state_keep_prob = state_keep_prob
        self._seed = seed
        self._state_filter = dropout_state_filter_visitor or _default_state_filter
        self._variational_recurrent = variational_recurrent
        self._noise = {}  # part -> its per-run noise structure (variational_recurrent)
        if variational_recurrent:
            self._make_noise(cell, input_size, dtype)

    def _make_noise(self, cell, input_size, dtype):
        if dtype is None:
            raise ValueError("When variational_recurrent=True, dtype must be provided")
        if _should_drop(self._input_keep_prob):
            if input_size is None:
                raise ValueError("When variational_recurrent=True and input_keep_prob < 1.0 "
                                 "or is unknown, input_size must be provided")
            self._noise["input"] = self._batch_noise(input_size, "input", dtype)
        self._noise["state"] = self._batch_noise(cell.state_size, "state", dtype)
        self._noise["output"] = self._batch_noise(cell.output_size, "output", dtype)

    def _batch_noise(self, sizes, salt, dtype):
        """One uniform [0, 1) tensor of shape [1] + size per leaf of ``sizes``."""
        from tfcompat.ops import random_ops
        noise = [random_ops.random_uniform([1] + tensor_shape.TensorShape(size).as_list(),
                                           seed=self._gen_seed(salt, i), dtype=dtype)
            for i, size in enumerate(nest.flatten(sizes))]
        return nest.pack_sequence_as(sizes, noise)

    def _gen_seed(self, salt, index):
        if self._seed is None:
            return None
        text = (str(self._seed) + f"{salt}_{index}").encode("utf-8")
        return int(hashlib.md5(text).hexdigest()[:8], 16) & 0x7FFFFFFF

    def _dropout(self, values, salt, keep_prob, keep_mask=None):
        flat = nest.flatten(values)
        mask = nest.flatten(keep_mask) if keep_mask is not None else [True] * len(flat)
        if self._variational_recurrent:
            noise = nest.flatten(self._noise[salt])
            dropped = [_variational_dropout(v, n, keep_prob) if apply else v
                       for v, n, apply in zip(flat, noise, mask)]
        else:
            from tfcompat import nn
            dropped = [nn.dropout(v, keep_prob=keep_prob, seed=self._gen_seed(salt, i))
                       if apply else v for i, (v, apply) in enumerate(zip(flat, mask))]
        return nest.pack_sequence_as(values, dropped)

    def call(self, inputs, state, scope=None):
        if _should_drop(self._input_keep_prob):
            inputs = self._dropout(inputs, "input", self._input_keep_prob)
        output, new_state = self._cell(inputs, state, scope=scope)
        if _should_drop(self._state_keep_prob):
            mask = nest.map_structure(lambda s: s, _filter_mask(self._state_filter, new_state))
            new_state = self._dropout(new_state, "state", self._state_keep_prob, mask)
        if _should_drop(self._output_keep_prob):
            output = self._dropout(output, "output", self._output_keep_prob)
        return output, new_state


def _variational_dropout(value, noise, keep_prob):
    """``value / keep_prob * floor(keep_prob + noise)``: noise in [0, 1) keeps an element
    with probability keep_prob (TF's ``_variational_recurrent_dropout_value``)."""
    kept = math_ops.floor(keep_prob + noise)
    result = math_ops.div(value, keep_prob) * kept
    result.set_shape(value.get_shape())
    return result


def _filter_mask(visitor, state):
    if isinstance(state, LSTMStateTuple):
        return visitor(state)
    if nest.is_sequence(state):
        return type(state)(_filter_mask(visitor, s) for s in state) \
            if not hasattr(state, "_fields") else type(state)(*(_filter_mask(visitor, s)
                                                                  for s in state))
    return visitor(state)


def _should_drop(keep_prob):
    return not (isinstance(keep_prob, numbers.Real) and keep_prob >= 1.0)


class ResidualWrapper(_Wrapper):
    """Adds the cell's inputs to its outputs (or ``residual_fn(inputs, outputs)``)."""

    def __init__(self, cell, residual_fn=None):
        super().__init__(cell)
        self._residual_fn = residual_fn

    def call(self, inputs, state, scope=None):
        output, new_state = self._cell(inputs, state, scope=scope)
        if self._residual_fn is not None:
            return self._residual_fn(inputs, output), new_state
        return nest.map_structure(lambda i, o: i + o, inputs, output), new_state


class DeviceWrapper(_Wrapper):
    """Runs the cell on ``device``."""

    def __init__(self, cell, device):
        super().__init__(cell)
        self._device = device

    def zero_state(self, batch_size, dtype):
        with ops.device(self._device):
            return super().zero_state(batch_size, dtype)

    def call(self, inputs, state, scope=None):
        with ops.device(self._device):
            return self._cell(inputs, state, scope=scope)


def _add_linear(layer, depth, output_size):
    """TF's _Linear weights in a layer's scope: ``kernel`` and ``bias`` (zeros)."""
    layer._linear_kernel = layer.add_weight(_WEIGHTS, [depth, output_size])
    layer._linear_bias = layer.add_weight(
        _BIAS, [output_size], initializer=constant_initializer(0.0, dtype=layer.dtype))


def _linear(layer, args, activation=None):
    value = nn_ops.bias_add(math_ops.matmul(args, layer._linear_kernel), layer._linear_bias)
    return activation(value) if activation else value


class OutputProjectionWrapper(_AroundCell):
    """The cell's output projected to ``output_size`` by a dense layer (``kernel``,
    ``bias`` in the wrapper's scope ``output_projection_wrapper``)."""

    def __init__(self, cell, output_size, activation=None, reuse=None):
        super().__init__(_reuse=reuse)
        if output_size < 1:
            raise ValueError(f"Parameter output_size must be > 0: {output_size}.")
        self._cell = cell
        self._output_size = output_size
        self._activation = activation

    @property
    def output_size(self):
        return self._output_size

    def build(self, inputs_shape):
        self.built = True

    def call(self, inputs, state):
        output, new_state = self._cell(inputs, state)
        if not hasattr(self, "_linear_kernel"):
            with vs.variable_scope(self._scope, reuse=False, auxiliary_name_scope=False):
                self.built = False
                _add_linear(self, self._cell.output_size, self._output_size)
                self.built = True
        return _linear(self, output, self._activation), new_state


class InputProjectionWrapper(_AroundCell):
    """The inputs projected to ``num_proj`` by a dense layer before the cell."""

    def __init__(self, cell, num_proj, activation=None, input_size=None, reuse=None):
        super().__init__(_reuse=reuse)
        self._cell = cell
        self._num_proj = num_proj
        self._activation = activation

    def build(self, inputs_shape):
        _add_linear(self, _input_depth(self, inputs_shape), self._num_proj)
        self.built = True

    def call(self, inputs, state):
        return self._cell(_linear(self, inputs, self._activation), state)


class EmbeddingWrapper(_AroundCell):
    """The cell run on embeddings of integer symbol inputs: ``embedding`` ([classes, size],
    uniform in +-sqrt(3) unless an initializer is given or the scope has one, as TF) in the
    wrapper's scope ``embedding_wrapper`` (``tf.contrib.rnn.EmbeddingWrapper``)."""

    def __init__(self, cell, embedding_classes, embedding_size, initializer=None, reuse=None):
        super().__init__(_reuse=reuse)
        if embedding_classes <= 0 or embedding_size <= 0:
            raise ValueError(f"Both embedding_classes and embedding_size must be > 0: "
                             f"{embedding_classes}, {embedding_size}.")
        self._cell = cell
        self._embedding_classes = embedding_classes
        self._embedding_size = embedding_size
        self._initializer = initializer

    def build(self, inputs_shape):
        self.built = True

    def call(self, inputs, state):
        from tfcompat.ops.init_ops import random_uniform_initializer
        with ops.device("/cpu:0"):
            if not hasattr(self, "_embedding"):
                initializer = (self._initializer or vs.get_variable_scope().initializer
                               or random_uniform_initializer(-3 ** 0.5, 3 ** 0.5))
                dtype = nest.flatten(state)[0].dtype
                self.built = False
                self._embedding = self.add_weight(
                    "embedding", [self._embedding_classes, self._embedding_size],
                    dtype=dtype, initializer=initializer)
                self.built = True
            from tfcompat import nn
            embedded = nn.embedding_lookup(self._embedding, array_ops.reshape(inputs, [-1]))
        return self._cell(embedded, state)
