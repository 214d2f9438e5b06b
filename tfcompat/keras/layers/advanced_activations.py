"""Keras activation layers: LeakyReLU (alpha 0.3), PReLU (a learned "alpha" slope), ELU,
ThresholdedReLU, ReLU (max_value, negative_slope, threshold) and Softmax (over ``axis``)."""
from tfcompat import nn
from tfcompat.keras.engine.base_layer import Layer
from tfcompat.layers import utils
from tfcompat.ops import math_ops


class LeakyReLU(Layer):
    """``LeakyReLU(alpha=0.3)``: x if x > 0 else alpha * x."""

    def __init__(self, alpha=0.3, **kwargs):
        super().__init__(**kwargs)
        self.alpha = float(alpha)

    def call(self, inputs):
        return nn.leaky_relu(inputs, alpha=self.alpha)


class PReLU(Layer):
    """``PReLU(alpha_initializer='zeros', alpha_regularizer=None, alpha_constraint=None,
    shared_axes=None)``: x if x > 0 else alpha * x with a weight "alpha" per input element
    (one per channel when the spatial axes are shared)."""

    def __init__(self, alpha_initializer="zeros", alpha_regularizer=None,
                 alpha_constraint=None, shared_axes=None, **kwargs):
        super().__init__(**kwargs)
        self.alpha_initializer = utils.get_initializer(alpha_initializer)
        self.alpha_regularizer = alpha_regularizer
        self.alpha_constraint = alpha_constraint
        if shared_axes is None or isinstance(shared_axes, (list, tuple)):
            self.shared_axes = list(shared_axes or [])
        else:
            self.shared_axes = [shared_axes]

    def build(self, input_shape):
        param_shape = list(input_shape.as_list()[1:])
        for axis in self.shared_axes:
            param_shape[axis - 1] = 1
        self.alpha = self.add_weight("alpha", shape=param_shape,
                                     initializer=self.alpha_initializer,
                                     regularizer=self.alpha_regularizer,
                                     constraint=self.alpha_constraint)
        self.built = True

    def call(self, inputs):
        positive = nn.relu(inputs)
        negative = -self.alpha * nn.relu(-inputs)
        return positive + negative


class ELU(Layer):
    """``ELU(alpha=1.0)``: x if x > 0 else alpha * (exp(x) - 1)."""

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = float(alpha)

    def call(self, inputs):
        if self.alpha == 1.0:
            return nn.elu(inputs)
        return math_ops.where(inputs > 0, inputs, self.alpha * nn.elu(inputs))


class ThresholdedReLU(Layer):
    """``ThresholdedReLU(theta=1.0)``: x if x > theta else 0."""

    def __init__(self, theta=1.0, **kwargs):
        super().__init__(**kwargs)
        self.theta = float(theta)

    def call(self, inputs):
        return inputs * math_ops.cast(math_ops.greater(inputs, self.theta), inputs.dtype)


class ReLU(Layer):
    """``ReLU(max_value=None, negative_slope=0, threshold=0)``: x for threshold <= x <
    max_value, max_value above, negative_slope * (x - threshold) below."""

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        if max_value is not None and max_value < 0.0:
            raise ValueError(f"max_value of Relu layer cannot be negative value: {max_value}")
        if negative_slope < 0.0:
            raise ValueError("negative_slope of Relu layer cannot be negative value: "
                             f"{negative_slope}")
        self.max_value, self.negative_slope, self.threshold = max_value, negative_slope, threshold

    def call(self, inputs):
        if not self.negative_slope and not self.threshold:
            outputs = nn.relu(inputs)
        else:
            below = self.negative_slope * (inputs - self.threshold)
            outputs = math_ops.where(inputs >= self.threshold, inputs, below)
        if self.max_value is not None:
            outputs = math_ops.minimum(outputs, float(self.max_value))
        return outputs


class Softmax(Layer):
    """``Softmax(axis=-1)``."""

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def call(self, inputs):
        return nn.softmax(inputs, axis=self.axis)


__all__ = ["LeakyReLU", "PReLU", "ELU", "ThresholdedReLU", "ReLU", "Softmax"]
