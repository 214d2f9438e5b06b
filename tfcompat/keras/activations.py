"""``tf.keras.activations`` (Keras 2.2.4-tf): element-wise activation functions by name,
``get``, ``serialize`` and ``deserialize``."""
from tfcompat import nn
from tfcompat.framework import ops
from tfcompat.keras.layers.recurrent import hard_sigmoid
from tfcompat.ops import math_ops


def softmax(x, axis=-1):
    """Softmax over ``axis``; a rank-1 input is an error, as in Keras."""
    x = ops.convert_to_tensor(x)
    if x.shape.ndims == 1:
        raise ValueError("Cannot apply softmax to a tensor that is 1D. Received input: "
                         f"{x}")
    return nn.softmax(x, axis=axis)


def elu(x, alpha=1.0):
    """x if x > 0 else alpha * (exp(x) - 1)."""
    result = nn.elu(x)
    return result if alpha == 1 else math_ops.where(x > 0, result, alpha * result)


def selu(x):
    return nn.selu(x)


def softplus(x):
    return nn.softplus(x)


def softsign(x):
    return nn.softsign(x)


def relu(x, alpha=0.0, max_value=None, threshold=0):
    """Keras' relu: leaky below ``threshold`` with ``alpha``, capped at ``max_value``."""
    from tfcompat.keras import backend
    return backend.relu(x, alpha=alpha, max_value=max_value, threshold=threshold)


def tanh(x):
    return math_ops.tanh(x)


def sigmoid(x):
    return math_ops.sigmoid(x)


def exponential(x):
    return math_ops.exp(x)


def linear(x):
    return x


_BY_NAME = {"softmax": softmax, "elu": elu, "selu": selu, "softplus": softplus,
            "softsign": softsign, "relu": relu, "tanh": tanh, "sigmoid": sigmoid,
            "hard_sigmoid": hard_sigmoid, "exponential": exponential, "linear": linear}


def serialize(activation):
    return activation.__name__


def deserialize(name, custom_objects=None):
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    if name not in _BY_NAME:
        raise ValueError(f"Unknown activation function:{name}")
    return _BY_NAME[name]


def get(identifier):
    """None (linear), a name or a callable."""
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret activation function identifier: {identifier}")



def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.keras.activations' has no attribute '{name}': "
                         f"tfcompat does not implement tf.keras.activations.{name} yet")
