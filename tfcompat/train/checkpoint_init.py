"""``tf.train.init_from_checkpoint`` (TF 1.x ``training/checkpoint_utils.py``): makes
variables' initializers load tensors of a checkpoint instead of their initial values.

``assignment_map`` entries are ``checkpoint tensor name -> variable`` (a Variable or the name
of a ``tf.get_variable`` variable), or ``"ckpt_scope/" -> "scope/"`` for every variable of a
scope (``"/"`` is the root on either side). The initializer becomes an Assign from a
RestoreV2 named "checkpoint_initializer", as in TF. A partitioned variable (its name, the
list of its parts, or the PartitionedVariable) loads each part's slice of the tensor.
"""
from tfcompat.framework import ops
from tfcompat.ops import variable_scope, variables
from tfcompat.ops import io_ops, state_ops
from tfcompat.train.checkpoint_utils import _checkpoint_filename, load_checkpoint


def _set_checkpoint_initializer(variable, ckpt_file, tensor_name, slice_spec=""):
    with ops.device(variable.device), ops.device("/cpu:0"):
        restore = io_ops.restore_v2(ckpt_file, [tensor_name], [slice_spec],
                                    [variable.dtype.base_dtype],
                                    name="checkpoint_initializer")[0]
    restore.set_shape(variable.shape)
    variable._initializer_op = state_ops.assign(variable, restore).op
    variable._initial_value = restore


def init_from_checkpoint(ckpt_dir_or_file, assignment_map):
    """``tf.train.init_from_checkpoint(ckpt_dir_or_file, assignment_map)``."""
    ckpt_file = _checkpoint_filename(ckpt_dir_or_file)
    shapes = load_checkpoint(ckpt_dir_or_file).get_variable_to_shape_map()
    store_vars = variable_scope._get_variable_store().vars
    for tensor_name, target in sorted(assignment_map.items(), key=lambda item: item[0]):
        var = _target_variables(target, store_vars)
        if var is not None:
            if tensor_name not in shapes:
                raise ValueError(f"Tensor {tensor_name} is not found in {ckpt_dir_or_file} "
                                 f"checkpoint {shapes}")
            if isinstance(var, variables.Variable) and not var.get_shape().is_compatible_with(
                    shapes[tensor_name]):
                raise ValueError(f"Shape of variable {var.name} ({var.get_shape()}) doesn't "
                                 f"match with shape of tensor {tensor_name} "
                                 f"({shapes[tensor_name]}) from checkpoint reader.")
            _set_variable_or_list_initializer(var, ckpt_file, tensor_name)
            continue
        _init_scope(ckpt_dir_or_file, ckpt_file, shapes, store_vars, tensor_name, target)


def _target_variables(target, store_vars):
    """The Variable or list of parts an assignment-map value names, or None for a scope."""
    if isinstance(target, variables.Variable):
        return target
    if isinstance(target, variables.PartitionedVariable) or (
            isinstance(target, list) and target
            and all(isinstance(v, variables.Variable) for v in target)):
        return list(target)
    return store_vars.get(target) or _collect_partitioned_variable(target, store_vars)


def _collect_partitioned_variable(name, store_vars):
    """The parts ``<name>/part_0``, ``<name>/part_1``, ... of the store, or None."""
    parts = []
    while f"{name}/part_{len(parts)}" in store_vars:
        parts.append(store_vars[f"{name}/part_{len(parts)}"])
    return parts or None


def _set_variable_or_list_initializer(variable_or_list, ckpt_file, tensor_name):
    """A Variable loads the whole tensor; each part of a list loads its slice of it."""
    if not isinstance(variable_or_list, list):
        _set_checkpoint_initializer(variable_or_list, ckpt_file, tensor_name)
        return
    slice_name = None
    for part in variable_or_list:
        info = part._get_save_slice_info()
        if slice_name is None:
            slice_name = info.full_name
        elif slice_name != info.full_name:
            raise ValueError(f"Slices must all be from the same tensor: {slice_name} != "
                             f"{info.full_name}")
        _set_checkpoint_initializer(part, ckpt_file, tensor_name, info.spec)


def _init_scope(ckpt_dir_or_file, ckpt_file, shapes, store_vars, tensor_name, target):
    """A "ckpt_scope/" -> "scope/" entry: every store variable of the scope."""
    scope = target[:target.rindex("/")] if "/" in target else ""
    if not tensor_name.endswith("/"):
        raise ValueError(f"Assignment map with scope only name {scope} should map to scope "
                         f"only {tensor_name}. Should be 'scope/': 'other_scope/'.")
    # The parts of a partitioned variable count once, under the variable's name.
    names = {n[:n.index("/part_")] if "/part_" in n else n
             for n in store_vars if not scope or n.startswith(scope + "/")}
    for var_name in sorted(names):
        full_name = var_name[len(scope):]
        if target != "/":
            full_name = full_name[1:]
        if tensor_name != "/":
            full_name = tensor_name + full_name
        full_name = full_name.rstrip("/")
        if full_name not in shapes:
            raise ValueError(f"Tensor {full_name} ({var_name[len(scope) + 1:]} in "
                             f"{tensor_name}) is not found in {ckpt_dir_or_file} checkpoint")
        _set_variable_or_list_initializer(
            store_vars.get(var_name) or _collect_partitioned_variable(var_name, store_vars),
            ckpt_file, full_name)
