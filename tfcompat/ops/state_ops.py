"""Variable state: ``VariableV2`` and the ``Assign`` family (TF 1.x ref-variable semantics).

The graph holds no values: a VariableV2 op only names a slot in the Session's variable
storage (``ctx.variables``, keyed by the op). Ops that write a variable take its ref tensor
as a *ref input* (listed in ``ref_inputs``): the runtime does not evaluate such inputs, the
kernel resolves the variable from the graph when the plan is built.
"""
import numpy as np

from tfcompat.framework import dtypes, errors, ops
from tfcompat.framework.op_def import OpDef, format_shape, make_tensor, register_op


def variable_op_of(tensor):
    """The VariableV2 op behind a ref tensor (following Assign outputs, which are refs too)."""
    op = tensor.op
    while op.type != "VariableV2":
        if not op.op_def.ref_inputs:
            raise TypeError(f"'{tensor.name}' is not a variable (a ref tensor) but the output of "
                            f"a {op.type} op; assignments need a tf.Variable or its ref tensor "
                            "(e.g. graph.get_tensor_by_name('hidden1/kernel:0')).")
        op = op.inputs[op.op_def.ref_inputs[0]].op
    return op


def uninitialized_error(var_op):
    return errors.FailedPreconditionError(
        None, var_op, f"Attempting to use uninitialized value {var_op.name}\n\t "
                      f"[[node {var_op.name}]]")


def variable_reader(var_op, ctx):
    """A function returning the variable's current array, raising TF's error if unset."""
    store = ctx.variables

    def read():
        value = store.get(var_op)
        if value is None:
            raise uninitialized_error(var_op)
        return value
    return read


@register_op
class VariableV2(OpDef):
    """A mutable tensor owned by the Session; its output has a ref dtype (``float32_ref``)."""

    stateful = True
    may_alias_input = True  # the output *is* the stored buffer

    def infer(self, op):
        return [(op.attrs["shape"], op.attrs["dtype"]._as_ref)]

    def kernel(self, op, ctx):
        return variable_reader(op, ctx)

    def grad(self, op, dy):
        return []


class _AssignBase(OpDef):
    mutates_state = True
    stateful = True
    ref_inputs = (0,)
    differentiable = False

    def infer(self, op):
        ref, value = op.inputs
        if not ref.dtype.is_ref_dtype:
            raise TypeError(f"'{op.type}' Op requires that input 'ref' be a mutable tensor "
                            f"(e.g. a tf.Variable); got {ref.name} of type {ref.dtype.name}")
        if ref.dtype.base_dtype != value.dtype.base_dtype:
            raise TypeError(f"Input 'value' of '{op.type}' Op has type "
                            f"{value.dtype.base_dtype.name} that does not match type "
                            f"{ref.dtype.base_dtype.name} of argument 'ref'.")
        shape = ref.shape
        if op.attrs.get("validate_shape", True):
            if not ref.shape.is_compatible_with(value.shape):
                raise ValueError(f"Shapes must be equal rank, but are {value.shape.ndims} and "
                                 f"{ref.shape.ndims} for '{op.name}' (op: '{op.type}') with "
                                 f"input shapes: {format_shape(ref.shape)}, "
                                 f"{format_shape(value.shape)}." if
                                 ref.shape.ndims != value.shape.ndims else
                                 f"Dimension mismatch for '{op.name}' (op: '{op.type}'): "
                                 f"shapes {ref.shape} and {value.shape} are incompatible")
            shape = ref.shape.merge_with(value.shape) if op.type == "Assign" else ref.shape
        else:
            shape = value.shape
        return [(shape, ref.dtype)]


@register_op
class Assign(_AssignBase):
    """ref = value (``tf.assign``); the output is the new value."""

    def kernel(self, op, ctx):
        var_op = variable_op_of(op.inputs[0])
        validate = op.attrs.get("validate_shape", True)
        static_shape = var_op.attrs["shape"]
        np_dtype = var_op.attrs["dtype"].as_numpy_dtype

        def assign(value):
            if validate and static_shape.ndims is not None and not static_shape.is_compatible_with(
                    value.shape):
                raise errors.InvalidArgumentError(
                    None, op, f"Assign requires shapes of both tensors to match. lhs shape= "
                    f"{list(static_shape.as_list())} rhs shape= {list(value.shape)}")
            new_value = ctx.aligned_copy(value, np_dtype)
            ctx.write_variable(var_op, new_value)
            return new_value
        return assign


class _AssignUpdate(_AssignBase):
    def kernel(self, op, ctx):
        var_op = variable_op_of(op.inputs[0])
        read = variable_reader(var_op, ctx)
        update = self.update

        def assign_update(value):
            with ctx.update_lock:  # read, combine and write as one step (see RuntimeState)
                return combine(value)

        def combine(value):
            current = read()
            try:
                new_value = update(current, value)
            except ValueError:
                raise errors.InvalidArgumentError(
                    None, op, f"Cannot update variable with shape {list(current.shape)} using a "
                    f"Tensor with shape {list(np.shape(value))}, shapes must be equal.") from None
            if new_value.shape != current.shape:
                raise errors.InvalidArgumentError(
                    None, op, f"Cannot update variable with shape {list(current.shape)} using a "
                    f"Tensor with shape {list(np.shape(value))}, shapes must be equal.")
            # (A 0-d update gives a NumPy scalar: the variable keeps an array.)
            new_value = np.asarray(new_value).astype(current.dtype, copy=False)
            ctx.write_variable(var_op, new_value)
            return new_value
        return assign_update


@register_op
class AssignAdd(_AssignUpdate):
    """ref += value (``tf.assign_add``)."""

    update = staticmethod(np.add)


@register_op
class AssignSub(_AssignUpdate):
    """ref -= value (``tf.assign_sub``)."""

    update = staticmethod(np.subtract)


def _ref_of(ref):
    """The ref tensor of a Variable (or a ref tensor itself)."""
    if hasattr(ref, "_ref"):
        return ref._ref()
    if isinstance(ref, ops.Tensor):
        variable_op_of(ref)
        return ref
    raise TypeError(f"Expected a tf.Variable or a ref tensor to assign to, got {ref!r}")


def _assign_builder(op_type, default_name):
    def builder(ref, value, use_locking=None, name=None, **attrs):
        ref = _ref_of(ref)
        value = ops.convert_to_tensor(value, dtype=ref.dtype.base_dtype)
        return make_tensor(op_type, [ref, value], {"use_locking": bool(use_locking), **attrs},
                           name=name or default_name)
    builder.__name__ = default_name
    return builder


_assign = _assign_builder("Assign", "Assign")
assign_add = _assign_builder("AssignAdd", "AssignAdd")
assign_sub = _assign_builder("AssignSub", "AssignSub")


def assign(ref, value, validate_shape=None, use_locking=None, name=None):
    """``tf.assign(ref, value, validate_shape=None, use_locking=None, name=None)``."""
    return _assign(ref, value, use_locking=use_locking, name=name,
                   validate_shape=True if validate_shape is None else bool(validate_shape))


def variable_op_v2(shape, dtype, name="Variable", container="", shared_name=""):
    return make_tensor("VariableV2", attrs={"shape": shape, "dtype": dtypes.as_dtype(dtype),
                                            "container": container, "shared_name": shared_name},
                       name=name)


@register_op
class IsVariableInitialized(OpDef):
    """True once the variable holds a value (``tf.is_variable_initialized``)."""

    stateful = True
    ref_inputs = (0,)
    differentiable = False

    def infer(self, op):
        from tfcompat.framework import tensor_shape
        return [(tensor_shape.scalar(), dtypes.bool)]

    def kernel(self, op, ctx):
        var_op = variable_op_of(op.inputs[0])
        store = ctx.variables
        return lambda: np.array(store.get(var_op) is not None)


# The public builders re-exported as tf.*; extend when adding one.
__all__ = [
    "assign",
    "assign_add",
    "assign_sub",
]
