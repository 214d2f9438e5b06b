"""``tf.custom_gradient``: a function that supplies its own gradient, in graph mode.

As TF 1.x builds it: the function runs once on tensors; its results, its inputs and the
variables it read pass through one ``IdentityN`` op whose gradient is overridden (through
``gradient_override_map``) by a gradient registered under a fresh name. That gradient calls
the user's ``grad_fn`` with the gradients of the results and hands its answers to the inputs
and variables; nothing flows back through the function's own ops.
"""
import functools
import inspect
import itertools

from tfcompat import nest
from tfcompat.framework import ops
from tfcompat.framework.gradient_registry import RegisterGradient
from tfcompat.ops import manip_ops, variables as variables_lib

__all__ = ["custom_gradient"]

_NAMES = itertools.count()


def _variables_read(graph, first_new_op, arguments):
    """The variables whose value an op made since ``first_new_op`` consumes (TF's
    watched variables), in the order of first use; variables passed as arguments excluded."""
    by_op = {}
    for variable in (graph.get_collection(ops.GraphKeys.GLOBAL_VARIABLES)
                     + graph.get_collection(ops.GraphKeys.LOCAL_VARIABLES)):
        by_op[variable.op] = by_op[variable.value().op] = variable  # the ref and its read
    argument_ops = {t.op for t in arguments}
    found = []
    for op in graph.get_operations()[first_new_op:]:
        for tensor in op.inputs:
            variable = by_op.get(tensor.op)
            if variable is not None and tensor.op not in argument_ops and variable not in found:
                found.append(variable)
    return found


def _accepts_variables(function):
    parameters = inspect.signature(function).parameters.values()
    return any(p.name == "variables" or p.kind is p.VAR_KEYWORD for p in parameters)


def _build(function, args, kwargs):
    if kwargs:
        raise ValueError("The custom_gradient decorator currently supports keywords "
                         "arguments only when eager execution is enabled.")
    graph = ops.get_default_graph()
    arguments = [ops.convert_to_tensor(a) for a in args]
    first_new_op = len(graph.get_operations())
    result, grad_fn = function(*arguments)
    variables = _variables_read(graph, first_new_op, arguments)
    if variables and not _accepts_variables(grad_fn):
        raise TypeError("If using @custom_gradient with a function that uses variables, "
                        "then grad_fn must accept a keyword argument 'variables'.")
    flat_result = [ops.convert_to_tensor(t) for t in nest.flatten(result)]
    result_count = len(flat_result)

    def identity_gradient(op, *result_grads):
        result_grads = result_grads[:result_count]
        if variables:
            input_grads, variable_grads = grad_fn(*result_grads, variables=variables)
            if len(variable_grads) != len(variables):
                raise ValueError("Must return gradient for each variable from "
                                 "@custom_gradient grad_fn.")
        else:
            input_grads, variable_grads = grad_fn(*result_grads), []
        return [None] * result_count + nest.flatten(input_grads) + list(variable_grads)

    name = f"CustomGradient-{next(_NAMES)}"
    RegisterGradient(name)(identity_gradient)
    values = [v.value() if isinstance(v, variables_lib.Variable) else v for v in variables]
    with graph.gradient_override_map({"IdentityN": name}):
        passed = manip_ops.identity_n(flat_result + arguments + values)
    return nest.pack_sequence_as(result, passed[:result_count])


def custom_gradient(f):
    """``@tf.custom_gradient``: ``f(*x)`` returns ``(y, grad_fn)``; ``grad_fn(*dy)`` returns
    the gradients of the inputs ``x`` (and, with a ``variables`` keyword, also those of the
    variables ``f`` read, as ``(input_grads, variable_grads)``)."""

    @functools.wraps(f)
    def decorated(*args, **kwargs):
        return _build(f, args, kwargs)
    return decorated
