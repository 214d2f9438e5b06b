"""Keras noise layers, active only while training (the Keras learning phase):
GaussianNoise (adds N(0, stddev^2)) and GaussianDropout (multiplies by N(1, rate / (1 -
rate)))."""
import math

from tfcompat.keras.engine.base_layer import Layer
from tfcompat.keras.layers.core import training_flag
from tfcompat.layers import utils
from tfcompat.ops import array_ops, random_ops


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


__all__ = ["GaussianNoise", "GaussianDropout"]
