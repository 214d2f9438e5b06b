"""Keras merge layers: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot
and their functional forms (``add([a, b])`` ...), as Keras 2.2.4-tf computes them (a running
pairwise sum/product/maximum in input order)."""
from tfcompat.framework import ops
from tfcompat.keras.engine.base_layer import Layer
from tfcompat import nn
from tfcompat.ops import array_ops, math_ops


class _Merge(Layer):
    """Combines a list of same-shaped tensors with ``_merge_function``."""

    def _merge_function(self, inputs):
        raise NotImplementedError

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError("A merge layer should be called on a list of inputs.")
        return self._merge_function([ops.convert_to_tensor(x) for x in inputs])


class Add(_Merge):
    """``Add()``: the element-wise sum of the inputs."""

    def _merge_function(self, inputs):
        output = inputs[0]
        for tensor in inputs[1:]:
            output = output + tensor
        return output


class Subtract(_Merge):
    """``Subtract()``: inputs[0] - inputs[1] (exactly two inputs)."""

    def _merge_function(self, inputs):
        if len(inputs) != 2:
            raise ValueError("A `Subtract` layer should be called on exactly 2 inputs")
        return inputs[0] - inputs[1]


class Multiply(_Merge):
    """``Multiply()``: the element-wise product of the inputs."""

    def _merge_function(self, inputs):
        output = inputs[0]
        for tensor in inputs[1:]:
            output = output * tensor
        return output


class Average(Add):
    """``Average()``: the element-wise mean of the inputs."""

    def _merge_function(self, inputs):
        return super()._merge_function(inputs) / len(inputs)


class Maximum(_Merge):
    """``Maximum()``: the element-wise maximum of the inputs."""

    def _merge_function(self, inputs):
        output = inputs[0]
        for tensor in inputs[1:]:
            output = math_ops.maximum(output, tensor)
        return output


class Minimum(_Merge):
    """``Minimum()``: the element-wise minimum of the inputs."""

    def _merge_function(self, inputs):
        output = inputs[0]
        for tensor in inputs[1:]:
            output = math_ops.minimum(output, tensor)
        return output


class Concatenate(_Merge):
    """``Concatenate(axis=-1)``: the inputs joined along ``axis``."""

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def _merge_function(self, inputs):
        return array_ops.concat(inputs, axis=self.axis)


class Dot(_Merge):
    """``Dot(axes, normalize=False)``: the dot product of two [batch, ...] tensors along
    ``axes`` (``normalize``: of their L2-normalized versions, i.e. cosine proximity)."""

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        self.axes = (axes, axes) if isinstance(axes, int) else tuple(axes)
        self.normalize = normalize

    def _merge_function(self, inputs):
        if len(inputs) != 2:
            raise ValueError("A `Dot` layer should be called on exactly 2 inputs")
        x, y = inputs
        axes = [axis % tensor.shape.ndims for axis, tensor in zip(self.axes, inputs,
                                                                  strict=True)]
        if self.normalize:
            x = nn.l2_normalize(x, axis=axes[0])
            y = nn.l2_normalize(y, axis=axes[1])
        if x.shape.ndims == 2 and y.shape.ndims == 2:
            return math_ops.reduce_sum(x * y, axis=axes[0], keep_dims=True)
        x_axes = [i for i in range(1, x.shape.ndims) if i != axes[0]]
        y_axes = [i for i in range(1, y.shape.ndims) if i != axes[1]]
        x = array_ops.transpose(x, [0] + x_axes + [axes[0]])
        y = array_ops.transpose(y, [0, axes[1]] + y_axes)
        return math_ops.matmul(x, y)


def add(inputs, **kwargs):
    return Add(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    return Subtract(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    return Multiply(**kwargs)(inputs)


def average(inputs, **kwargs):
    return Average(**kwargs)(inputs)


def maximum(inputs, **kwargs):
    return Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    return Minimum(**kwargs)(inputs)


def concatenate(inputs, axis=-1, **kwargs):
    return Concatenate(axis=axis, **kwargs)(inputs)


def dot(inputs, axes, normalize=False, **kwargs):
    return Dot(axes=axes, normalize=normalize, **kwargs)(inputs)


__all__ = ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate",
           "Dot", "add", "subtract", "multiply", "average", "maximum", "minimum",
           "concatenate", "dot"]
