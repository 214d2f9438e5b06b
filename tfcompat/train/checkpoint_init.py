"""``tf.train.init_from_checkpoint`` (TF 1.x ``training/checkpoint_utils.py``): makes
variables' initializers load tensors of a checkpoint instead of their initial values.

``assignment_map`` entries are ``checkpoint tensor name -> variable`` (a Variable or the name
of a ``tf.get_variable`` variable), or ``"ckpt_scope/" -> "scope/"`` for every variable of a
scope (``"/"`` is the root on either side). The initializer becomes an Assign from a
RestoreV2 named "checkpoint_initializer", as in TF. Partitioned variables are not supported.
"""
from tfcompat.framework import ops
from tfcompat.ops import variable_scope, variables
from tfcompat.ops import io_ops, state_ops
from tfcompat.train.checkpoint_utils import _checkpoint_filename, load_checkpoint


def _set_checkpoint_initializer(variable, ckpt_file, tensor_name):
    with ops.device(variable.device), ops.device("/cpu:0"):
        restore = io_ops.restore_v2(ckpt_file, [tensor_name], [""],
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
        var = target if isinstance(target, variables.Variable) else store_vars.get(target)
        if var is not None:
            if tensor_name not in shapes:
                raise ValueError(f"Tensor {tensor_name} is not found in {ckpt_dir_or_file} "
                                 f"checkpoint {shapes}")
            if not var.get_shape().is_compatible_with(shapes[tensor_name]):
                raise ValueError(f"Shape of variable {var.name} ({var.get_shape()}) doesn't "
                                 f"match with shape of tensor {tensor_name} "
                                 f"({shapes[tensor_name]}) from checkpoint reader.")
            _set_checkpoint_initializer(var, ckpt_file, tensor_name)
            continue
        _init_scope(ckpt_dir_or_file, ckpt_file, shapes, store_vars, tensor_name, target)


def _init_scope(ckpt_dir_or_file, ckpt_file, shapes, store_vars, tensor_name, target):
    """A "ckpt_scope/" -> "scope/" entry: every store variable of the scope."""
    scope = target[:target.rindex("/")] if "/" in target else ""
    if not tensor_name.endswith("/"):
        raise ValueError(f"Assignment map with scope only name {scope} should map to scope "
                         f"only {tensor_name}. Should be 'scope/': 'other_scope/'.")
    for var_name in sorted(n for n in store_vars if not scope or n.startswith(scope + "/")):
        full_name = var_name[len(scope):]
        if target != "/":
            full_name = full_name[1:]
        if tensor_name != "/":
            full_name = tensor_name + full_name
        full_name = full_name.rstrip("/")
        if full_name not in shapes:
            raise ValueError(f"Tensor {full_name} ({var_name[len(scope) + 1:]} in "
                             f"{tensor_name}) is not found in {ckpt_dir_or_file} checkpoint")
        _set_checkpoint_initializer(store_vars[var_name], ckpt_file, full_name)
