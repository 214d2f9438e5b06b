"""Slot variables of optimizers (TF 1.x ``training/slot_creator.py``).

A slot of variable ``hidden1/kernel`` created by an optimizer named "Adam" is the variable
``hidden1/kernel/Adam``; a second slot with the same optimizer name gets the next unique
variable scope, ``hidden1/kernel/Adam_1`` (that is how Adam's "m" and "v" slots come to be
``Adam`` and ``Adam_1``). Slots are global, non-trainable variables created with
``tf.get_variable`` inside ``variable_scope(None, default_name=<var>/<op_name>)``, so their
names depend on the variable scope (not the name scope) in effect, exactly as in TF.
"""
from tfcompat.framework import ops
from tfcompat.ops import init_ops
from tfcompat.ops import variable_scope
from tfcompat.ops import array_ops
from tfcompat.ops.variables import Variable


def _slot_prefix(primary):
    return primary.op.name


def _create_slot_var(primary, initializer, shape, dtype):
    # TF calls get_variable with the empty name inside the slot's variable scope: the
    # variable is named after the scope itself.
    scope = variable_scope.get_variable_scope()
    partitioner = scope.partitioner
    scope.set_partitioner(None)
    try:
        slot = variable_scope.get_variable(
            "", initializer=initializer, trainable=False,
            shape=shape if callable(initializer) else None,
            dtype=dtype,
            validate_shape=shape is not None and shape.is_fully_defined())
    finally:
        scope.set_partitioner(partitioner)
    _mirror_slice_info(primary, slot)
    return slot


def _mirror_slice_info(primary, slot):
    """A slot of a part of a partitioned variable is a part of ``<full name>/<slot name>``
    (``w/part_1/Adam`` saves as a slice of ``w/Adam``), sliced like its primary over the
    slot's rank; a scalar slot stays whole."""
    slice_info = primary._get_save_slice_info() if hasattr(primary, "_get_save_slice_info") \
        else None
    if not slice_info:
        return
    slot_name = slot.op.name[len(primary.op.name + "/"):]
    rank = slot.shape.ndims
    if rank is None or rank > 0:
        slot._set_save_slice_info(Variable.SaveSliceInfo(
            slice_info.full_name + "/" + slot_name, slice_info.full_shape[:rank],
            slice_info.var_offset[:rank], slice_info.var_shape[:rank]))


def create_slot(primary, val, name, colocate_with_primary=True):
    """A slot initialised to the value of the tensor ``val``."""
    val = ops.convert_to_tensor(val)
    with variable_scope.variable_scope(None, _slot_prefix(primary) + "/" + name):
        with ops.colocate_with(primary):
            return _create_slot_var(primary, val, val.shape, val.dtype.base_dtype)


def create_slot_with_initializer(primary, initializer, shape, dtype, name,
                                 colocate_with_primary=True):
    """A slot of ``shape``/``dtype`` set by the initializer callable."""
    with variable_scope.variable_scope(None, _slot_prefix(primary) + "/" + name):
        with ops.colocate_with(primary):
            return _create_slot_var(primary, initializer, shape, dtype)


def create_zeros_slot(primary, name, dtype=None, colocate_with_primary=True):
    """A slot of zeros shaped like ``primary``."""
    if dtype is None:
        dtype = primary.dtype.base_dtype
    shape = primary.get_shape()
    if shape.is_fully_defined():
        return create_slot_with_initializer(primary, init_ops.zeros_initializer(dtype=dtype),
                                            shape, dtype, name, colocate_with_primary)
    value = array_ops.zeros_like(primary.value() if hasattr(primary, "value") else primary,
                                 dtype=dtype)
    return create_slot(primary, value, name, colocate_with_primary)
