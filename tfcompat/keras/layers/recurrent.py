"""Keras recurrent layers as TF 1.15 builds them in graph mode: RNN(cell), SimpleRNN, LSTM,
GRU, CuDNNLSTM, CuDNNGRU and the cells (SimpleRNNCell, LSTMCell, GRUCell, StackedRNNCells,
AbstractRNNCell for user cells).

Weights are those of Keras' v1 layers, created in the RNN layer's scope ("lstm/kernel"
[input, 4 * units], "lstm/recurrent_kernel" [units, 4 * units], "lstm/bias"): LSTM gates in
Keras' order i, f, c, o with ``unit_forget_bias`` (forget bias starts at 1); GRU gates z, r,
h with ``reset_after=False`` by default; both with ``recurrent_activation='hard_sigmoid'``
(clip(0.2 x + 0.5, 0, 1)), TF 1.15's defaults. The layer runs the cell over the time axis with a
tf.while_loop over TensorArrays (``unroll=True``: a Python loop), and returns the last output
or all of them (``return_sequences``), plus the final states with ``return_state``.
``dropout`` / ``recurrent_dropout`` masks (one per sequence, as Keras draws them) apply while
the learning phase is True.
"""
from tfcompat import nn
from tfcompat.framework import dtypes, tensor_shape
from tfcompat.keras.engine.base_layer import Layer
from tfcompat.keras.layers.core import training_flag
from tfcompat.layers import utils
from tfcompat.ops import array_ops, init_ops, loop_ops, math_ops
from tfcompat.ops.tensor_array_ops import TensorArray


def hard_sigmoid(x):
    """Keras' piecewise-linear sigmoid: clip(0.2 x + 0.5, 0, 1)."""
    return math_ops.minimum(math_ops.maximum(0.2 * x + 0.5, 0.0), 1.0)


def _activation(identifier):
    if identifier == "hard_sigmoid":
        return hard_sigmoid
    return utils.get_activation(identifier) or (lambda x: x)


class AbstractRNNCell(Layer):
    """``AbstractRNNCell``: the base of user cells for ``RNN``: ``state_size``,
    ``output_size`` and ``call(inputs, states) -> (output, new_states)``; weights made in
    ``build(input_shape)`` belong to the cell."""

    @property
    def state_size(self):
        raise NotImplementedError("Abstract method")

    @property
    def output_size(self):
        raise NotImplementedError("Abstract method")

    def build_weights(self, owner, input_dim):
        """Builds the cell in its own scope (user cells make their own weights)."""
        self.build(tensor_shape.TensorShape([None, input_dim]))
        self.built = True


class _Cell(AbstractRNNCell):
    """A cell: ``call(inputs, states) -> (output, new_states)``; its weights are made by
    ``owner`` (the RNN layer, as Keras names them "<rnn layer>/kernel")."""

    gates = 1

    def __init__(self, units, activation="tanh", recurrent_activation="hard_sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, **kwargs):
        super().__init__(**kwargs)
        self.units = int(units)
        self.activation = _activation(activation)
        self.recurrent_activation = _activation(recurrent_activation)
        self.use_bias = use_bias
        self.kernel_initializer = utils.get_initializer(kernel_initializer)
        self.recurrent_initializer = utils.get_initializer(recurrent_initializer)
        self.bias_initializer = utils.get_initializer(bias_initializer)
        self.regularizers = (kernel_regularizer, recurrent_regularizer, bias_regularizer)
        self.constraints = (kernel_constraint, recurrent_constraint, bias_constraint)
        self.dropout = min(1.0, max(0.0, dropout))
        self.recurrent_dropout = min(1.0, max(0.0, recurrent_dropout))
        self.masks = (None, None)

    @property
    def state_size(self):
        return [self.units]

    @property
    def output_size(self):
        return self.units

    def _bias_initializer(self):
        return self.bias_initializer

    def _bias_shape(self):
        return (self.units * self.gates,)

    def build_weights(self, owner, input_dim):
        """Creates kernel, recurrent_kernel and bias through ``owner.add_weight``."""
        width = self.units * self.gates
        self.kernel = owner.add_weight("kernel", (input_dim, width),
                                       initializer=self.kernel_initializer,
                                       regularizer=self.regularizers[0],
                                       constraint=self.constraints[0])
        self.recurrent_kernel = owner.add_weight("recurrent_kernel", (self.units, width),
                                                 initializer=self.recurrent_initializer,
                                                 regularizer=self.regularizers[1],
                                                 constraint=self.constraints[1])
        self.bias = None
        if self.use_bias:
            self.bias = owner.add_weight("bias", self._bias_shape(),
                                         initializer=self._bias_initializer(),
                                         regularizer=self.regularizers[2],
                                         constraint=self.constraints[2])
        self.built = True

    def build(self, input_shape):
        self.build_weights(self, tensor_shape.as_shape(input_shape)[-1].value)

    def _inputs_projection(self, inputs):
        if self.masks[0] is not None:
            inputs = inputs * self.masks[0]
        projected = math_ops.matmul(inputs, self.kernel)
        return projected if self.bias is None else nn.bias_add(projected, self.bias)

    def _recurrent(self, state):
        return state if self.masks[1] is None else state * self.masks[1]


class SimpleRNNCell(_Cell):
    """``SimpleRNNCell(units, activation='tanh', ...)``: h = act(x W + b + h U)."""

    def __init__(self, units, activation="tanh", **kwargs):
        kwargs.pop("recurrent_activation", None)
        super().__init__(units, activation=activation, **kwargs)

    def call(self, inputs, states):
        previous = self._recurrent(states[0])
        output = self.activation(self._inputs_projection(inputs)
                                 + math_ops.matmul(previous, self.recurrent_kernel))
        return output, [output]


class LSTMCell(_Cell):
    """``LSTMCell(units, activation='tanh', recurrent_activation='hard_sigmoid',
    unit_forget_bias=True, ...)``; states [h, c]."""

    gates = 4

    def __init__(self, units, unit_forget_bias=True, implementation=1, **kwargs):
        super().__init__(units, **kwargs)
        self.unit_forget_bias = unit_forget_bias

    @property
    def state_size(self):
        return [self.units, self.units]

    def _bias_initializer(self):
        if not self.unit_forget_bias:
            return self.bias_initializer
        units, base = self.units, self.bias_initializer

        def initializer(shape, dtype=None, partition_info=None):
            return array_ops.concat([base([units], dtype=dtype),
                                     init_ops.ones_initializer()([units], dtype=dtype),
                                     base([units * 2], dtype=dtype)], 0)
        return initializer

    def call(self, inputs, states):
        h_previous, c_previous = self._recurrent(states[0]), states[1]
        z = self._inputs_projection(inputs) + math_ops.matmul(h_previous,
                                                               self.recurrent_kernel)
        z_i, z_f, z_c, z_o = array_ops.split(z, 4, axis=1)
        i, f, o = (self.recurrent_activation(z_i), self.recurrent_activation(z_f),
                   self.recurrent_activation(z_o))
        c = f * c_previous + i * self.activation(z_c)
        h = o * self.activation(c)
        return h, [h, c]


class GRUCell(_Cell):
    """``GRUCell(units, activation='tanh', recurrent_activation='hard_sigmoid',
    reset_after=False, ...)``; with ``reset_after`` (the cuDNN form) the reset gate scales
    the recurrent projection, and the bias is [2, 3 * units]: input and recurrent biases."""

    gates = 3

    def __init__(self, units, reset_after=False, implementation=1, **kwargs):
        super().__init__(units, **kwargs)
        self.reset_after = reset_after

    def _bias_shape(self):
        return (2, self.units * 3) if self.reset_after else (self.units * 3,)

    def _biases(self):
        """(input bias, recurrent bias) of the reset-after form (None without bias)."""
        if self.bias is None:
            return None, None
        return self.bias[0], self.bias[1]

    def _inputs_projection(self, inputs):
        if not self.reset_after:
            return super()._inputs_projection(inputs)
        if self.masks[0] is not None:
            inputs = inputs * self.masks[0]
        projected = math_ops.matmul(inputs, self.kernel)
        input_bias = self._biases()[0]
        return projected if input_bias is None else projected + input_bias

    def call(self, inputs, states):
        h_previous = states[0]
        recurrent = self._recurrent(h_previous)
        x_z, x_r, x_h = array_ops.split(self._inputs_projection(inputs), 3, axis=1)
        if self.reset_after:
            projected = math_ops.matmul(recurrent, self.recurrent_kernel)
            recurrent_bias = self._biases()[1]
            if recurrent_bias is not None:
                projected = projected + recurrent_bias
            r_z, r_r, r_h = array_ops.split(projected, 3, axis=1)
            z = self.recurrent_activation(x_z + r_z)
            r = self.recurrent_activation(x_r + r_r)
            candidate = self.activation(x_h + r * r_h)
        else:
            u_z, u_r, u_h = array_ops.split(self.recurrent_kernel, 3, axis=1)
            z = self.recurrent_activation(x_z + math_ops.matmul(recurrent, u_z))
            r = self.recurrent_activation(x_r + math_ops.matmul(recurrent, u_r))
            candidate = self.activation(x_h + math_ops.matmul(r * recurrent, u_h))
        h = z * h_previous + (1 - z) * candidate
        return h, [h]


class _CuDNNLSTMCell(LSTMCell):
    """The cuDNN LSTM: sigmoid gates and a [8 * units] bias, input biases then recurrent
    ones (the forget gate's recurrent bias starts at 1 with ``unit_forget_bias``)."""

    def _bias_shape(self):
        return (self.units * 8,)

    def _bias_initializer(self):
        if not self.unit_forget_bias:
            return self.bias_initializer
        units, base = self.units, self.bias_initializer

        def initializer(shape, dtype=None, partition_info=None):
            return array_ops.concat([base([units * 5], dtype=dtype),
                                     init_ops.ones_initializer()([units], dtype=dtype),
                                     base([units * 2], dtype=dtype)], 0)
        return initializer

    def _inputs_projection(self, inputs):
        projected = math_ops.matmul(inputs, self.kernel)
        width = self.units * 4
        return projected + self.bias[:width] + self.bias[width:]


class _CuDNNGRUCell(GRUCell):
    """The cuDNN GRU: reset-after, sigmoid gates, a flat [6 * units] bias."""

    def _bias_shape(self):
        return (self.units * 6,)

    def _biases(self):
        width = self.units * 3
        return self.bias[:width], self.bias[width:]


class StackedRNNCells(Layer):
    """``StackedRNNCells(cells)``: the cells one above the other; states concatenated."""

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        self.cells = list(cells)

    @property
    def state_size(self):
        return [size for cell in self.cells for size in cell.state_size]

    @property
    def output_size(self):
        return self.cells[-1].output_size

    def build_weights(self, owner, input_dim):
        for cell in self.cells:
            cell.build_weights(owner, input_dim)
            input_dim = cell.output_size

    def call(self, inputs, states):
        new_states, offset = [], 0
        for cell in self.cells:
            count = len(cell.state_size)
            inputs, cell_states = cell.call(inputs, states[offset:offset + count])
            new_states.extend(cell_states)
            offset += count
        return inputs, new_states


class RNN(Layer):
    """``RNN(cell, return_sequences=False, return_state=False, go_backwards=False,
    stateful=False, unroll=False)`` over [batch, time, features] inputs."""

    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, time_major=False, **kwargs):
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(cell)
        if stateful:
            raise ValueError("tfcompat's keras RNN layers do not implement stateful=True")
        super().__init__(**kwargs)
        self.cell = cell
        self.return_sequences, self.return_state = return_sequences, return_state
        self.go_backwards, self.unroll = go_backwards, unroll
        self.zero_output_for_mask = False  # Bidirectional sets it with return_sequences

    @property
    def states(self):
        return [None] * len(self.cell.state_size)

    def build(self, input_shape):
        input_dim = tensor_shape.as_shape(input_shape)[-1].value
        self.cell.build_weights(self, input_dim)
        self.built = True

    def _dropout_masks(self, inputs, training):
        """Keras' per-sequence dropout masks for the inputs and the recurrent state."""
        cells = getattr(self.cell, "cells", [self.cell])
        batch = array_ops.shape(inputs)[0]
        for cell in cells:
            if not isinstance(cell, _Cell):
                continue
            masks = []
            for rate, width in ((cell.dropout, inputs.shape[-1].value),
                                (cell.recurrent_dropout, cell.units)):
                if not rate:
                    masks.append(None)
                    continue
                ones = array_ops.ones(array_ops.stack([batch, width]), dtype=inputs.dtype)
                masks.append(utils.smart_cond(training, lambda o=ones, r=rate:
                                              nn.dropout(o, rate=r), lambda o=ones: o))
            cell.masks = tuple(masks)

    def compute_mask(self, inputs, mask=None):
        """The input mask goes on with the sequences (``return_sequences``)."""
        return mask if self.return_sequences else None

    def call(self, inputs, initial_state=None, training=None, mask=None):
        self._dropout_masks(inputs, training_flag(training))
        static_batch = inputs.shape[0].value
        batch = static_batch if static_batch is not None else array_ops.shape(inputs)[0]
        states = list(initial_state) if initial_state is not None else [
            array_ops.zeros(array_ops.stack([batch, size]), dtype=inputs.dtype)
            for size in self.cell.state_size]
        for state, size in zip(states, self.cell.state_size, strict=True):
            state.set_shape([static_batch, size])
        steps = array_ops.transpose(inputs, [1, 0, 2])
        step_masks = None if mask is None else array_ops.transpose(mask, [1, 0])
        if self.go_backwards:
            steps = array_ops.reverse(steps, [0])
            step_masks = None if mask is None else array_ops.reverse(step_masks, [0])
        if self.unroll:
            outputs, states = self._unrolled(steps, step_masks, states)
        else:
            outputs, states = self._looped(steps, step_masks, states)
        outputs = array_ops.transpose(outputs, [1, 0, 2])
        outputs.set_shape([static_batch, inputs.shape[1].value, self.cell.output_size])
        for state, size in zip(states, self.cell.state_size, strict=True):
            state.set_shape([static_batch, size])
        result = outputs if self.return_sequences else outputs[:, -1]
        return [result] + list(states) if self.return_state else result

    def _step(self, step, step_mask, previous_output, states):
        """One cell step; where ``step_mask`` is False the previous output (or zeros, with
        ``zero_output_for_mask``) and states stay (Keras' masked ``backend.rnn``)."""
        output, new_states = self.cell.call(step, list(states))
        for new, old in zip(new_states, states, strict=True):
            new.set_shape(old.shape)
        if step_mask is None:
            return output, new_states
        masked_output = (array_ops.zeros_like(output) if self.zero_output_for_mask
                         else previous_output)
        return (math_ops.where(step_mask, output, masked_output),
                [math_ops.where(step_mask, new, old) for new, old in zip(new_states, states,
                                                                          strict=True)])

    def _zero_output(self, states):
        """The output before the first step (what fully masked leading steps output)."""
        batch = array_ops.shape(states[0])[0]
        zeros = array_ops.zeros(array_ops.stack([batch, self.cell.output_size]),
                                dtype=states[0].dtype)
        zeros.set_shape([states[0].shape[0].value, self.cell.output_size])
        return zeros

    def _unrolled(self, steps, step_masks, states):
        count = steps.shape[0].value
        if count is None:
            raise ValueError("Cannot unroll a RNN if the time dimension is undefined.")
        outputs, output = [], self._zero_output(states)
        for index in range(count):
            output, states = self._step(steps[index],
                                        None if step_masks is None else step_masks[index],
                                        output, states)
            outputs.append(output)
        return array_ops.stack(outputs), states

    def _looped(self, steps, step_masks, states):
        count = array_ops.shape(steps)[0]
        step_shape = steps.shape[1:]
        inputs_ta = TensorArray(steps.dtype, size=count, element_shape=step_shape).unstack(steps)
        masks_ta = None if step_masks is None else TensorArray(
            dtypes.bool, size=count).unstack(step_masks)
        outputs_ta = TensorArray(steps.dtype, size=count)

        def body(time, outputs_ta, previous_output, *states):
            step = inputs_ta.read(time)
            step.set_shape(step_shape)
            output, new_states = self._step(step, None if masks_ta is None else
                                            masks_ta.read(time), previous_output, states)
            output.set_shape(previous_output.shape)
            return (time + 1, outputs_ta.write(time, output), output) + tuple(new_states)

        start = array_ops.constant(0, dtype=dtypes.int32, name="time")
        results = loop_ops.while_loop(lambda time, *_: time < count, body,
                                      (start, outputs_ta, self._zero_output(states))
                                      + tuple(states), maximum_iterations=count)
        return results[1].stack(), list(results[3:])


def _recurrent_layer(cell_class, doc):
    """The Keras layer of one cell type: ``Layer(units, ..., return_sequences=False,
    return_state=False, go_backwards=False, unroll=False)``."""

    def __init__(self, units, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, **kwargs):
        layer_keys = {"name", "trainable", "dtype", "input_shape", "batch_input_shape",
                      "batch_size", "input_dim", "weights", "activity_regularizer"}
        layer_kwargs = {k: kwargs.pop(k) for k in list(kwargs) if k in layer_keys}
        self._cell_arguments = (units, dict(kwargs))
        input_length = kwargs.pop("input_length", None)
        if "input_dim" in layer_kwargs and "input_shape" not in layer_kwargs:
            layer_kwargs["input_shape"] = (input_length, layer_kwargs.pop("input_dim"))
        RNN.__init__(self, cell_class(units, **kwargs), return_sequences=return_sequences,
                     return_state=return_state, go_backwards=go_backwards, stateful=stateful,
                     unroll=unroll, **layer_kwargs)

    def units(self):
        return self.cell.units

    def reversed_copy(self, name):
        """The same layer reading the sequence the other way (Bidirectional's backward
        layer), called ``name``."""
        units, kwargs = self._cell_arguments
        return type(self)(units, return_sequences=self.return_sequences,
                          return_state=self.return_state, go_backwards=not self.go_backwards,
                          unroll=self.unroll, name=name, **kwargs)

    return type(cell_class.__name__[:-4], (RNN,),
                {"__init__": __init__, "__doc__": doc, "__module__": __name__,
                 "units": property(units), "reversed_copy": reversed_copy})


def _cudnn_layer(cell_class, name, doc, **cell_settings):
    """A CuDNN layer: the cell with fixed tanh/sigmoid activations and no dropout (TF 1.15
    runs these on GPUs only; tfcompat computes the same formulas on the CPU)."""

    def __init__(self, units, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, **kwargs):
        cell_keys = {"unit_forget_bias", "kernel_regularizer", "recurrent_regularizer",
                     "bias_regularizer", "kernel_constraint", "recurrent_constraint",
                     "bias_constraint"}
        cell_kwargs = {k: kwargs.pop(k) for k in list(kwargs) if k in cell_keys}
        cell = cell_class(units, activation="tanh", recurrent_activation="sigmoid",
                          kernel_initializer=kernel_initializer,
                          recurrent_initializer=recurrent_initializer,
                          bias_initializer=bias_initializer, **cell_settings, **cell_kwargs)
        RNN.__init__(self, cell, return_sequences=return_sequences,
                     return_state=return_state, go_backwards=go_backwards, stateful=stateful,
                     **kwargs)

    return type(name, (RNN,), {"__init__": __init__, "__doc__": doc, "__module__": __name__})


CuDNNLSTM = _cudnn_layer(_CuDNNLSTMCell, "CuDNNLSTM", "``CuDNNLSTM(units, kernel_initializer="
                         "'glorot_uniform', recurrent_initializer='orthogonal', "
                         "bias_initializer='zeros', unit_forget_bias=True, ...)``")
CuDNNGRU = _cudnn_layer(_CuDNNGRUCell, "CuDNNGRU", "``CuDNNGRU(units, kernel_initializer="
                        "'glorot_uniform', recurrent_initializer='orthogonal', "
                        "bias_initializer='zeros', ...)``", reset_after=True)
SimpleRNN = _recurrent_layer(SimpleRNNCell, "``SimpleRNN(units, activation='tanh', ...)``")
LSTM = _recurrent_layer(LSTMCell, "``LSTM(units, activation='tanh', recurrent_activation="
                        "'hard_sigmoid', unit_forget_bias=True, dropout=0., "
                        "recurrent_dropout=0., return_sequences=False, ...)``")
GRU = _recurrent_layer(GRUCell, "``GRU(units, activation='tanh', recurrent_activation="
                       "'hard_sigmoid', reset_after=False, ...)``")

__all__ = ["AbstractRNNCell", "RNN", "SimpleRNN", "LSTM", "GRU", "SimpleRNNCell", "LSTMCell",
           "GRUCell", "StackedRNNCells", "CuDNNLSTM", "CuDNNGRU"]
