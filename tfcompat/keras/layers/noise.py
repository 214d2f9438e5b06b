"""Keras noise layers, active only while training (the Keras learning phase):
GaussianNoise (adds N(0, stddev^2)) and GaussianDropout (multiplies by N(1, rate / (1 -
rate))), and AlphaDropout (for SELU networks)."""
import math

from tfcompat.keras.engine.base_layer import Layer
from tfcompat.keras.layers.core import training_flag
from tfcompat.layers import utils
from tfcompat.ops import array_ops, math_ops, random_ops


class GaussianNoise(Layer):
    """``GaussianNoise(stddev)``."""

    def __init__(self, stddev, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.stddev = stddev

    def call(self, inputs, training=None):
        def noised():
            return inputs + random_ops.random_normal(array_ops.shape(inputs), mean=0.0,
                                                     stddev=self.stddev, dtype=inputs.dtype)
        return utils.smart_cond(training_flag(training), noised,
                                lambda: array_ops.identity(inputs))


class GaussianDropout(Layer):
    """``GaussianDropout(rate)``."""

    def __init__(self, rate, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.rate = rate

    def call(self, inputs, training=None):
        if not 0 < self.rate < 1:
            return inputs

        def noised():
            stddev = math.sqrt(self.rate / (1.0 - self.rate))
            return inputs * random_ops.random_normal(array_ops.shape(inputs), mean=1.0,
                                                     stddev=stddev, dtype=inputs.dtype)
        return utils.smart_cond(training_flag(training), noised,
                                lambda: array_ops.identity(inputs))


class AlphaDropout(Layer):
    """``AlphaDropout(rate, noise_shape=None, seed=None)``: SELU-preserving dropout; dropped
    units take SELU's negative saturation value, then an affine map restores the mean and
    variance."""

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate, self.noise_shape, self.seed = rate, noise_shape, seed
        self.supports_masking = True

    def call(self, inputs, training=None):
        if not 0 < self.rate < 1:
            return inputs
        alpha_p = -1.6732632423543772848170429916717 * 1.0507009873554804934193349852946

        def dropped():
            shape = self.noise_shape if self.noise_shape is not None else \
                array_ops.shape(inputs)
            kept = math_ops.cast(random_ops.random_uniform(shape, seed=self.seed)
                                 >= self.rate, inputs.dtype)
            a = ((1 - self.rate) * (1 + self.rate * alpha_p ** 2)) ** -0.5
            b = -a * alpha_p * self.rate
            return a * (inputs * kept + (1 - kept) * alpha_p) + b
        return utils.smart_cond(training_flag(training), dropped,
                                lambda: array_ops.identity(inputs))


__all__ = ["GaussianNoise", "GaussianDropout", "AlphaDropout"]
