"""``tf.keras.initializers`` (TF 1.15, v1 names): the init_ops classes, Keras' smaller
defaults for the random ones (stddev / range 0.05), the Glorot/He/LeCun factories and
``get``/``serialize``/``deserialize`` by name."""
from tfcompat.framework import dtypes
from tfcompat.ops import init_ops
from tfcompat.ops.init_ops import (Constant, GlorotNormal, GlorotUniform,  # noqa: F401
                                         Identity, Initializer, Ones, Orthogonal,
                                         VarianceScaling, Zeros, he_normal, he_uniform,
                                         lecun_normal, lecun_uniform)


class RandomNormal(init_ops.RandomNormal):
    """``tf.keras.initializers.RandomNormal(mean=0.0, stddev=0.05, seed=None)``."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None, dtype=dtypes.float32):
        super().__init__(mean=mean, stddev=stddev, seed=seed, dtype=dtype)


class RandomUniform(init_ops.RandomUniform):
    """``tf.keras.initializers.RandomUniform(minval=-0.05, maxval=0.05, seed=None)``."""

    def __init__(self, minval=-0.05, maxval=0.05, seed=None, dtype=dtypes.float32):
        super().__init__(minval=minval, maxval=maxval, seed=seed, dtype=dtype)


class TruncatedNormal(init_ops.TruncatedNormal):
    """``tf.keras.initializers.TruncatedNormal(mean=0.0, stddev=0.05, seed=None)``."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None, dtype=dtypes.float32):
        super().__init__(mean=mean, stddev=stddev, seed=seed, dtype=dtype)


def glorot_uniform(seed=None):
    return GlorotUniform(seed=seed)


def glorot_normal(seed=None):
    return GlorotNormal(seed=seed)


zeros = Zeros
ones = Ones
constant = Constant
uniform = random_uniform = RandomUniform
normal = random_normal = RandomNormal
truncated_normal = TruncatedNormal
identity = Identity
orthogonal = Orthogonal
variance_scaling = VarianceScaling

_BY_NAME = {
    "zeros": Zeros, "Zeros": Zeros, "ones": Ones, "Ones": Ones, "constant": Constant,
    "Constant": Constant, "uniform": RandomUniform, "random_uniform": RandomUniform,
    "RandomUniform": RandomUniform, "normal": RandomNormal, "random_normal": RandomNormal,
    "RandomNormal": RandomNormal, "truncated_normal": TruncatedNormal,
    "TruncatedNormal": TruncatedNormal, "identity": Identity, "Identity": Identity,
    "orthogonal": Orthogonal, "Orthogonal": Orthogonal, "variance_scaling": VarianceScaling,
    "VarianceScaling": VarianceScaling, "glorot_uniform": GlorotUniform,
    "GlorotUniform": GlorotUniform, "glorot_normal": GlorotNormal, "GlorotNormal": GlorotNormal,
    "he_normal": he_normal, "he_uniform": he_uniform, "lecun_normal": lecun_normal,
    "lecun_uniform": lecun_uniform,
}


def serialize(initializer):
    return {"class_name": type(initializer).__name__, "config": initializer.get_config()}


def deserialize(config, custom_objects=None):
    objects = dict(_BY_NAME, **(custom_objects or {}))
    name = config["class_name"]
    if name not in objects:
        raise ValueError(f"Unknown initializer: {name}")
    return objects[name](**config.get("config", {}))


def get(identifier):
    """None, a callable, a dict from ``serialize``, or a name such as "he_normal"."""
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        if identifier not in _BY_NAME:
            raise ValueError(f"Unknown initializer: {identifier}")
        return _BY_NAME[identifier]()
    if callable(identifier):
        return identifier() if isinstance(identifier, type) else identifier
    raise ValueError(f"Could not interpret initializer identifier: {identifier!r}")


__all__ = ["Initializer", "Zeros", "Ones", "Constant", "RandomNormal", "RandomUniform",
           "TruncatedNormal", "VarianceScaling", "Orthogonal", "Identity", "GlorotUniform",
           "GlorotNormal", "glorot_uniform", "glorot_normal", "he_normal", "he_uniform",
           "lecun_normal", "lecun_uniform", "zeros", "ones", "constant", "uniform",
           "random_uniform", "normal", "random_normal", "truncated_normal", "identity",
           "orthogonal", "variance_scaling", "get", "serialize", "deserialize"]
