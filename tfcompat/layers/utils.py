"""Helpers shared by the layer facades: TF's ``smart_cond``/``constant_value`` for a
``training`` flag that is either a Python bool or a boolean tensor, activation lookup by
name, and flattening of nested outputs."""
import numbers

import numpy as np

from tfcompat.framework import dtypes, ops
from tfcompat.framework.op_def import constant_value as _tensor_constant_value
from tfcompat.ops.variables import Variable
from tfcompat.ops import control_flow_ops


def _is_python_bool(value):
    return isinstance(value, (bool, np.bool_)) or (
        isinstance(value, numbers.Integral) and not isinstance(value, np.ndarray)
        and value in (0, 1))


def constant_value(pred):
    """True/False when ``pred`` is known at graph-construction time, else None (TF's
    ``tf_utils.constant_value``: Python bools, 0/1 and constant tensors are known; variables
    and placeholders are not)."""
    if _is_python_bool(pred):
        return bool(pred)
    if isinstance(pred, Variable):
        return None
    if isinstance(pred, ops.Tensor):
        value = _tensor_constant_value(pred)
        return None if value is None else bool(np.asarray(value))
    raise TypeError(f"`pred` must be a Tensor, or a Python bool, or 1 or 0. Found instead: "
                    f"{type(pred)}")


def smart_cond(pred, true_fn, false_fn, name=None):
    """Calls one of the functions when ``pred`` is known statically, else builds
    ``tf.cond(pred, true_fn, false_fn)`` (TF's ``smart_cond``)."""
    value = constant_value(pred)
    if value is not None:
        return true_fn() if value else false_fn()
    return control_flow_ops.cond(pred, true_fn, false_fn, name=name)


def check_bool_flag(value, layer_name, argument="training"):
    """Validates a ``training``/``is_training`` flag at graph-construction time: a Python
    bool (or 0/1) is returned as a bool, a scalar bool tensor or variable as itself; anything
    else raises TypeError naming the layer and the argument."""
    if _is_python_bool(value):
        return bool(value)
    if isinstance(value, (ops.Tensor, Variable)):
        dtype = value.dtype.base_dtype
        shape = value.shape
        if dtype != dtypes.bool or shape.ndims not in (None, 0):
            raise TypeError(
                f"Layer {layer_name}: the `{argument}` argument must be a Python bool or a "
                f"scalar bool tensor (e.g. tf.placeholder_with_default(False, shape=())), got "
                f"a {dtype.name} tensor of shape {shape} ({value.name})")
        return value
    raise TypeError(f"Layer {layer_name}: the `{argument}` argument must be a Python bool or a "
                    f"scalar bool tensor, got {value!r} of type {type(value).__name__}")


def flatten(structure):
    """The leaves of nested lists/tuples, in order."""
    if isinstance(structure, (list, tuple)):
        out = []
        for item in structure:
            out.extend(flatten(item))
        return out
    return [structure]


_ACTIVATION_NAMES = {
    "relu": "relu", "relu6": "relu6", "elu": "elu", "selu": "selu", "sigmoid": "sigmoid",
    "tanh": "tanh", "softmax": "softmax", "softplus": "softplus", "softsign": "softsign",
    "leaky_relu": "leaky_relu",
}


def get_activation(activation):
    """Keras' ``activations.get``: None, "linear" or a callable, or one of the activation
    names ("relu", "elu", ...) resolved to the ``tf.nn`` function."""
    if activation is None or callable(activation):
        return activation
    if isinstance(activation, str):
        if activation == "linear":
            return None
        if activation in _ACTIVATION_NAMES:
            from tfcompat import nn
            return getattr(nn, _ACTIVATION_NAMES[activation])
        raise ValueError(f"Unknown activation function: {activation}")
    raise TypeError(f"Could not interpret activation function identifier: {activation!r}")


def get_initializer(initializer):
    """Keras' ``initializers.get``: None, a callable, an initializer class, or a name
    ("glorot_uniform", "zeros", "he_normal" ...)."""
    if initializer is None:
        return None
    if isinstance(initializer, str):
        from tfcompat.keras import initializers as keras_initializers
        return keras_initializers.get(initializer)
    if isinstance(initializer, type):
        return initializer()
    if callable(initializer):
        return initializer
    raise ValueError(f"Could not interpret initializer identifier: {initializer!r}")


def check_regularizer(regularizer, layer_name, argument):
    if regularizer is not None and not callable(regularizer):
        raise TypeError(f"Layer {layer_name}: `{argument}` must be a callable taking a weight "
                        f"tensor (e.g. tf.contrib.layers.l2_regularizer(0.01)), got "
                        f"{regularizer!r}")
    return regularizer


def set_kernel_and_bias_options(layer, activation, use_bias, kernel_initializer,
                                bias_initializer, kernel_regularizer, bias_regularizer,
                                kernel_constraint, bias_constraint):
    """Keeps on ``layer`` (Dense, the convolutions) its activation, use_bias and its kernel's
    and bias's initializers (resolved by ``get_initializer``), regularizers (checked) and
    constraints."""
    layer.activation = get_activation(activation)
    layer.use_bias = bool(use_bias)
    layer.kernel_initializer = get_initializer(kernel_initializer)
    layer.bias_initializer = get_initializer(bias_initializer)
    layer.kernel_regularizer = check_regularizer(kernel_regularizer, layer.name,
                                                 "kernel_regularizer")
    layer.bias_regularizer = check_regularizer(bias_regularizer, layer.name, "bias_regularizer")
    layer.kernel_constraint = kernel_constraint
    layer.bias_constraint = bias_constraint
