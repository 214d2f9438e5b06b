"""Keras locally connected layers: convolutions whose weights differ at every output
position (``implementation=1``: each position's patch flattened row-major over (rows,
columns, channels) and multiplied by its own kernel slice). Only "valid" padding, as Keras.

LocallyConnected1D: kernel [output_length, kernel_size * channels, filters], bias
[output_length, filters]. LocallyConnected2D: kernel [rows * cols, kh * kw * channels,
filters], bias [rows, cols, filters].
"""
from tfcompat.keras.engine.base_layer import Layer
from tfcompat.layers import convolutional as tf_conv
from tfcompat.layers import utils
from tfcompat.ops import array_ops, math_ops


class _LocallyConnected(Layer):
    rank = 2

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 implementation=1, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.filters = int(filters)
        self.kernel_size = tf_conv.normalize_tuple(kernel_size, self.rank, "kernel_size")
        self.strides = tf_conv.normalize_tuple(strides, self.rank, "strides")
        if tf_conv.normalize_padding(padding) != "valid":
            raise ValueError(f'Invalid border mode for {type(self).__name__} (only "valid" is '
                             f"supported): {padding}")
        if (data_format or "channels_last") != "channels_last" or implementation != 1:
            raise ValueError(f"tfcompat's {type(self).__name__} implements channels_last "
                             "data and implementation=1 only")
        self.activation = utils.get_activation(activation)
        self.use_bias = use_bias
        self.settings = {"kernel": (kernel_initializer, kernel_regularizer, kernel_constraint),
                         "bias": (bias_initializer, bias_regularizer, bias_constraint)}

    def build(self, input_shape):
        dims = input_shape.as_list()
        spatial, channels = dims[1:-1], dims[-1]
        if None in spatial or channels is None:
            raise ValueError(f"The spatial dimensions and channels of the inputs to "
                             f"{type(self).__name__} should be defined. Found: {dims}")
        self.output_dims = [tf_conv.conv_output_length(size, k, "valid", s)
                            for size, k, s in zip(spatial, self.kernel_size, self.strides,
                                                  strict=True)]
        positions = 1
        patch = channels
        for size, k in zip(self.output_dims, self.kernel_size, strict=True):
            positions *= size
            patch *= k
        initializer, regularizer, constraint = self.settings["kernel"]
        self.kernel = self.add_weight("kernel", (positions, patch, self.filters),
                                      initializer=initializer, regularizer=regularizer,
                                      constraint=constraint)
        self.bias = None
        if self.use_bias:
            initializer, regularizer, constraint = self.settings["bias"]
            self.bias = self.add_weight("bias", tuple(self.output_dims) + (self.filters,),
                                        initializer=initializer, regularizer=regularizer,
                                        constraint=constraint)
        self.built = True

    def _patches(self, inputs):
        """[positions, batch, patch] of flattened input windows, row-major positions."""
        patches = []
        for position in _positions(self.output_dims):
            index = [slice(None)]
            for p, stride, k in zip(position, self.strides, self.kernel_size, strict=True):
                index.append(slice(p * stride, p * stride + k))
            window = inputs[tuple(index)]
            patches.append(array_ops.reshape(window, [1, -1, self.kernel.shape[1].value]))
        return array_ops.concat(patches, 0)

    def call(self, inputs):
        products = math_ops.matmul(self._patches(inputs), self.kernel)
        outputs = array_ops.reshape(products, self.output_dims + [-1, self.filters])
        outputs = array_ops.transpose(outputs, [self.rank] + list(range(self.rank))
                                      + [self.rank + 1])
        if self.bias is not None:
            outputs = outputs + self.bias
        return outputs if self.activation is None else self.activation(outputs)


def _positions(dims):
    """Every index tuple of a grid of ``dims``, row-major."""
    if not dims:
        return [()]
    return [(first,) + rest for first in range(dims[0]) for rest in _positions(dims[1:])]


class LocallyConnected1D(_LocallyConnected):
    """``LocallyConnected1D(filters, kernel_size, strides=1, padding='valid', ...)``."""

    rank = 1


class LocallyConnected2D(_LocallyConnected):
    """``LocallyConnected2D(filters, kernel_size, strides=(1, 1), padding='valid', ...)``."""

    rank = 2


__all__ = ["LocallyConnected1D", "LocallyConnected2D"]
