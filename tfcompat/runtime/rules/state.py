"""Short paths of the Assign family in specialised plans (Adam's beta-power assigns run
every step): the common case skips the reference kernel's conversions and checks."""
import numpy as np

from tfcompat.ops.state_ops import variable_op_of
from tfcompat.runtime import lowering, memory


@lowering.fast_kernel("Assign")
def _assign(op, ctx):
    """A small array of the variable's dtype and (validated) shape is copied straight in;
    anything else takes the reference kernel (aligned storage, conversion, TF's error)."""
    var_op = variable_op_of(op.inputs[0])
    static_shape = var_op.attrs["shape"]
    validate = op.attrs.get("validate_shape", True)
    exact = tuple(static_shape.as_list()) if static_shape.is_fully_defined() else None
    if validate and exact is None:
        return None
    np_dtype = np.dtype(var_op.attrs["dtype"].as_numpy_dtype)
    reference = op.op_def.kernel(op, ctx)
    write = ctx.write_variable
    scalar_type = np_dtype.type

    def assign(value):
        kind = type(value)
        if kind is scalar_type and not (validate and exact):  # a 0-d result of NumPy
            new_value = np.array(value)
        elif kind is np.ndarray and value.dtype == np_dtype \
                and not (validate and value.shape != exact) \
                and value.nbytes < memory.ALIGNED_FROM_BYTES:
            new_value = value.copy()
        else:
            return reference(value)
        write(var_op, new_value)
        return new_value
    return assign


def _assign_update(op, ctx):
    """A value of the variable's own shape and dtype is combined directly; anything else
    takes the reference kernel (broadcasting, conversion, TF's errors)."""
    var_op = variable_op_of(op.inputs[0])
    get = ctx.variables.get
    write = ctx.write_variable
    update = op.op_def.update
    reference = op.op_def.kernel(op, ctx)
    lock = ctx.update_lock

    def assign_update(value):
        with lock:
            current = get(var_op)
            if current is not None and type(value) is np.ndarray \
                    and value.shape == current.shape and value.dtype == current.dtype \
                    and current.shape:
                new_value = update(current, value)
                write(var_op, new_value)
                return new_value
        return reference(value)
    return assign_update


lowering.fast_kernel("AssignAdd")(_assign_update)
lowering.fast_kernel("AssignSub")(_assign_update)
