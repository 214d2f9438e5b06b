"""Keras ``ConvLSTM2D``: an LSTM whose input and recurrent transformations are 2-D
convolutions, over [batch, time, rows, cols, channels] sequences (TF 1.15 defaults:
recurrent_activation='hard_sigmoid', unit_forget_bias). Weights "kernel" [kh, kw, channels,
4 * filters], "recurrent_kernel" [kh, kw, filters, 4 * filters] and "bias" [4 * filters],
gates in Keras' order i, f, c, o; the recurrent convolutions are stride 1, "same"."""
from tfcompat import nn
from tfcompat.keras import backend
from tfcompat.keras.engine.base_layer import Layer
from tfcompat.keras.layers.recurrent import _activation
from tfcompat.layers import convolutional as tf_conv
from tfcompat.layers import utils
from tfcompat.ops import array_ops, init_ops, math_ops


class ConvLSTM2D(Layer):
    """``ConvLSTM2D(filters, kernel_size, strides=(1, 1), padding='valid', data_format=None,
    dilation_rate=(1, 1), activation='tanh', recurrent_activation='hard_sigmoid',
    use_bias=True, ..., unit_forget_bias=True, return_sequences=False, go_backwards=False)``
    (channels_last)."""

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), activation="tanh", recurrent_activation="hard_sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, return_sequences=False,
                 go_backwards=False, stateful=False, dropout=0.0, recurrent_dropout=0.0,
                 **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if (data_format or "channels_last") != "channels_last" or stateful or dropout or \
                recurrent_dropout:
            raise ValueError("tfcompat's ConvLSTM2D implements channels_last, non-stateful "
                             "layers without dropout")
        self.filters = int(filters)
        self.kernel_size = tf_conv.normalize_tuple(kernel_size, 2, "kernel_size")
        self.strides = tf_conv.normalize_tuple(strides, 2, "strides")
        self.padding = tf_conv.normalize_padding(padding).upper()
        self.dilation_rate = tf_conv.normalize_tuple(dilation_rate, 2, "dilation_rate")
        self.activation = _activation(activation)
        self.recurrent_activation = _activation(recurrent_activation)
        self.use_bias, self.unit_forget_bias = use_bias, unit_forget_bias
        self.return_sequences, self.go_backwards = return_sequences, go_backwards
        self.settings = {
            "kernel": (kernel_initializer, kernel_regularizer, kernel_constraint),
            "recurrent_kernel": (recurrent_initializer, recurrent_regularizer,
                                 recurrent_constraint),
            "bias": (bias_initializer, bias_regularizer, bias_constraint)}

    def _bias_initializer(self):
        base = utils.get_initializer(self.settings["bias"][0])
        if not self.unit_forget_bias:
            return base
        filters = self.filters

        def initializer(shape, dtype=None, partition_info=None):
            return array_ops.concat([base([filters], dtype=dtype),
                                     init_ops.ones_initializer()([filters], dtype=dtype),
                                     base([filters * 2], dtype=dtype)], 0)
        return initializer

    def build(self, input_shape):
        channels = input_shape[-1].value
        shapes = {"kernel": self.kernel_size + (channels, 4 * self.filters),
                  "recurrent_kernel": self.kernel_size + (self.filters, 4 * self.filters),
                  "bias": (4 * self.filters,)}
        for name in ("kernel", "recurrent_kernel", "bias"):
            if name == "bias" and not self.use_bias:
                self.bias = None
                continue
            initializer, regularizer, constraint = self.settings[name]
            if name == "bias":
                initializer = self._bias_initializer()
            setattr(self, name, self.add_weight(name, shapes[name], initializer=initializer,
                                                regularizer=regularizer,
                                                constraint=constraint))
        self.built = True

    def _input_conv(self, x, kernel):
        return nn.conv2d(x, kernel, [1, *self.strides, 1], self.padding,
                         dilations=[1, *self.dilation_rate, 1])

    def _recurrent_conv(self, h, kernel):
        return nn.conv2d(h, kernel, [1, 1, 1, 1], "SAME")

    def _step(self, inputs, states):
        h_previous, c_previous = states[0], states[1]
        kernels = array_ops.split(self.kernel, 4, axis=3)
        recurrent = array_ops.split(self.recurrent_kernel, 4, axis=3)
        biases = array_ops.split(self.bias, 4) if self.bias is not None else [None] * 4
        z = []
        for kernel, recurrent_kernel, bias in zip(kernels, recurrent, biases, strict=True):
            value = self._input_conv(inputs, kernel)
            if bias is not None:
                value = nn.bias_add(value, bias)
            z.append(value + self._recurrent_conv(h_previous, recurrent_kernel))
        i, f, o = (self.recurrent_activation(z[0]), self.recurrent_activation(z[1]),
                   self.recurrent_activation(z[3]))
        c = f * c_previous + i * self.activation(z[2])
        h = o * self.activation(c)
        return h, [h, c]

    def call(self, inputs, training=None, mask=None, initial_state=None):
        if initial_state is None:
            frame = math_ops.reduce_sum(array_ops.zeros_like(inputs), axis=1)
            zeros_kernel = array_ops.zeros(self.kernel_size + (inputs.shape[-1].value,
                                                               self.filters))
            zero_state = self._input_conv(frame, zeros_kernel)
            initial_state = [zero_state, zero_state]
        _, outputs, _ = backend.rnn(self._step, inputs, list(initial_state),
                                    go_backwards=self.go_backwards)
        return outputs if self.return_sequences else outputs[:, -1]


__all__ = ["ConvLSTM2D"]
