"""Variable helpers of ``tf.contrib.framework`` that slim's fine-tuning recipes use (TF 1.15
contrib/framework/python/ops/variables.py): ``assign_from_checkpoint(_fn)``,
``assign_from_values(_fn)``, ``local_variable``, ``global_variable`` and
``filter_variables``.

The assignments feed values through placeholders named 'placeholder/<variable op name>' so
the graph holds no large constants; ``assign_from_checkpoint_fn`` restores with a
``tf.train.Saver`` over the variables (``reshape_variables`` passes ``reshape=True``), and
with ``ignore_missing_vars`` keeps only the names the checkpoint has (None when none is
left)."""
import re

from tfcompat import logging
from tfcompat.contrib.framework.variables import get_variable_full_name
from tfcompat.framework import ops
from tfcompat.ops import array_ops, control_flow_ops
from tfcompat.ops import variables as variables_lib

__all__ = ["assign_from_checkpoint", "assign_from_checkpoint_fn", "assign_from_values",
           "assign_from_values_fn", "local_variable", "global_variable", "filter_variables"]


def local_variable(initial_value, validate_shape=True, name=None, use_resource=None):
    """A non-trainable variable in LOCAL_VARIABLES only."""
    return variables_lib.Variable(initial_value, trainable=False,
                                  collections=[ops.GraphKeys.LOCAL_VARIABLES],
                                  validate_shape=validate_shape, name=name)


def global_variable(initial_value, validate_shape=True, name=None, use_resource=None):
    """A non-trainable variable in GLOBAL_VARIABLES only."""
    return variables_lib.Variable(initial_value, trainable=False,
                                  collections=[ops.GraphKeys.GLOBAL_VARIABLES],
                                  validate_shape=validate_shape, name=name)


def _placeholder_assign(var):
    placeholder = array_ops.placeholder(var.dtype.base_dtype, shape=var.shape,
                                        name="placeholder/" + var.op.name)
    return var.assign(placeholder), placeholder


def _find_global_variable(var_name):
    candidates = ops.get_collection(ops.GraphKeys.GLOBAL_VARIABLES, var_name)
    if not candidates:
        raise ValueError(f"Variable {var_name} wasn't found")
    if len(candidates) == 1:
        return candidates[0]
    for var in candidates:
        if var.op.name == var_name:
            return var
    raise ValueError(f"Variable {var_name} doesn't uniquely identify a variable")


def assign_from_values(var_names_to_values):
    """(assign_op, feed_dict) setting each named global variable to its NumPy value."""
    feed_dict = {}
    assign_ops = []
    for var_name, value in var_names_to_values.items():
        var = _find_global_variable(var_name)
        assign_op, placeholder = _placeholder_assign(var)
        assign_ops.append(assign_op)
        feed_dict[placeholder] = value.reshape(var.shape.as_list())
    return control_flow_ops.group(*assign_ops), feed_dict


def assign_from_values_fn(var_names_to_values):
    """A function of a session running ``assign_from_values``' op with its feeds."""
    assign_op, feed_dict = assign_from_values(var_names_to_values)

    def callback(session):
        return session.run(assign_op, feed_dict)
    return callback


def _group_by_checkpoint_name(var_list):
    if isinstance(var_list, (list, tuple)):
        grouped = {}
        for var in var_list:
            grouped.setdefault(get_variable_full_name(var), []).append(var)
        return grouped
    return {name: list(value) if isinstance(value, (list, tuple)) else [value]
            for name, value in var_list.items()}


def _checkpoint_part(var, ckpt_name, value):
    """The part of checkpoint ``value`` that ``var`` (maybe one slice of a partitioned
    variable) holds."""
    info = var._save_slice_info
    if info is None:
        if var.shape != value.shape:
            raise ValueError(f"Total size of new array must be unchanged for {ckpt_name} "
                             f"lh_shape: [{value.shape}], rh_shape: [{var.shape}]")
        return value
    index = tuple(slice(start, start + size)
                  for start, size in zip(info.var_offset, info.var_shape, strict=True))
    return value[index].reshape(info.var_shape)


def assign_from_checkpoint(model_path, var_list, ignore_missing_vars=False):
    """(assign_op, feed_dict) restoring ``var_list`` (variables, or {checkpoint name:
    variable(s)}) from the checkpoint ``model_path``; a name the checkpoint lacks raises
    ValueError (a warning with ``ignore_missing_vars``)."""
    from tfcompat.train.checkpoint_utils import NewCheckpointReader
    reader = NewCheckpointReader(model_path)
    feed_dict = {}
    assign_ops = []
    for ckpt_name, variables in _group_by_checkpoint_name(var_list).items():
        if not reader.has_tensor(ckpt_name):
            message = f"Checkpoint is missing variable [{ckpt_name}]"
            if ignore_missing_vars:
                logging.warning(message)
                continue
            raise ValueError(message)
        value = reader.get_tensor(ckpt_name)
        for var in variables:
            assign_op, placeholder = _placeholder_assign(var)
            assign_ops.append(assign_op)
            feed_dict[placeholder] = _checkpoint_part(var, ckpt_name, value)
    return control_flow_ops.group(*assign_ops), feed_dict


def assign_from_checkpoint_fn(model_path, var_list, ignore_missing_vars=False,
                              reshape_variables=False):
    """A function of a session restoring ``var_list`` from ``model_path`` with a Saver
    (the slim ``init_fn`` of fine-tuning); None when ``ignore_missing_vars`` leaves
    nothing to restore."""
    if not var_list:
        raise ValueError("var_list cannot be empty")
    from tfcompat.train.checkpoint_utils import NewCheckpointReader
    from tfcompat.train.saver import Saver
    if ignore_missing_vars:
        reader = NewCheckpointReader(model_path)
        var_dict = var_list if isinstance(var_list, dict) else {
            var.op.name: var for var in var_list}
        var_list = {}
        for name, var in var_dict.items():
            if reader.has_tensor(name):
                var_list[name] = var
            else:
                logging.warning("Variable %s missing in checkpoint %s", name, model_path)
    if not var_list:
        logging.warning("No Variables to restore")
        return None
    saver = Saver(var_list, reshape=reshape_variables)

    def callback(session):
        saver.restore(session, model_path)
    return callback


def filter_variables(var_list, include_patterns=None, exclude_patterns=None,
                     reg_search=True):
    """The variables of ``var_list`` whose names match one of ``include_patterns`` (all
    when None) and none of ``exclude_patterns``; regexes searched (``reg_search``) or
    matched at the start."""
    find = re.search if reg_search else re.match

    def matches(var, patterns):
        return any(find(pattern, var.name) for pattern in patterns)
    kept = [v for v in var_list if include_patterns is None or matches(v, include_patterns)]
    return [v for v in kept if not (exclude_patterns and matches(v, exclude_patterns))]
