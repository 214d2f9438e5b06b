"""TF's gradient registry (``tf.RegisterGradient``, ``tf.NotDifferentiable``): gradient
functions registered by name, for ``Graph.gradient_override_map`` or for op types whose
gradient tfcompat does not define.

A name is taken when a gradient function was registered under it, or when it is an op type
with a gradient or marked not differentiable: registering it again raises TF's KeyError."""
from tfcompat.framework import op_def as _op_def

_BY_NAME = {}  # name -> gradient function, or None for "not differentiable"


def _taken(op_type):
    if op_type in _BY_NAME:
        return True
    if op_type in _op_def.registered_op_types():
        definition = _op_def.get_op_def(op_type)
        return definition.grad is not None or not definition.differentiable
    return False


def _register(op_type, function):
    if not isinstance(op_type, str):
        raise TypeError("op_type must be a string")
    if _taken(op_type):
        raise KeyError(f"Registering two gradient with name '{op_type}'! (Previous "
                       "registration was in tfcompat)")
    _BY_NAME[op_type] = function
    if op_type in _op_def.registered_op_types():
        definition = _op_def.get_op_def(op_type)
        if function is None:
            definition.differentiable = False
        else:
            definition.grad = function  # called as grad(op, *output_gradients)


def gradient_function(name):
    """The gradient function registered under ``name`` (an override target), else the op
    type's own."""
    if name in _BY_NAME:
        function = _BY_NAME[name]
        return function if function is not None else (lambda op, *grads: [None] * len(
            op.inputs))
    return _op_def.get_op_def(name).grad


class RegisterGradient:
    """``@tf.RegisterGradient("Name")``: registers the decorated ``f(op, *grads)``."""

    def __init__(self, op_type):
        if not isinstance(op_type, str):
            raise TypeError("op_type must be a string")
        self._op_type = op_type

    def __call__(self, function):
        _register(self._op_type, function)
        return function


def no_gradient(op_type):
    """``tf.NotDifferentiable(op_type)`` / ``tf.no_gradient``: ops of this type pass no
    gradient (tf.gradients gives None through them)."""
    _register(op_type, None)


NotDifferentiable = no_gradient
NoGradient = no_gradient
