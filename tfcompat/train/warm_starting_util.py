"""``tf.train.warm_start`` and ``tf.train.VocabInfo`` (TF 1.x
``training/warm_starting_util.py``): variables start from a previous checkpoint instead of
their initial values.

Variables without vocabulary information get ``init_from_checkpoint`` initializers (the
checkpoint tensor of their own name, or ``var_name_to_prev_var_name``'s). A variable with a
``VocabInfo`` is a 2-D embedding or weight matrix whose rows (``axis=0``) or columns
(``axis=1``) are indexed by a vocabulary file: entry i of the new vocabulary takes the old
row (column) of the same token, when the first ``old_vocab_size`` lines of the old vocabulary
have it; other entries and the ``num_oov_buckets`` extra ones take ``backup_initializer``'s
values (zeros by default). TF remaps with a ``load_and_remap_matrix`` op when the initializer
runs; here the checkpoint and vocabularies are read when ``warm_start`` is called and the
initializer selects between those values and the backup initializer's.
"""
import collections

import numpy as np

from tfcompat import logging
from tfcompat.framework import ops
from tfcompat.ops import array_ops, init_ops, math_ops, state_ops, variables
from tfcompat.train import checkpoint_init, checkpoint_utils


class VocabInfo(collections.namedtuple("VocabInfo", [
        "new_vocab", "new_vocab_size", "num_oov_buckets", "old_vocab", "old_vocab_size",
        "backup_initializer", "axis"])):
    """``VocabInfo(new_vocab, new_vocab_size, num_oov_buckets, old_vocab, old_vocab_size=-1,
    backup_initializer=None, axis=0)``: how a variable's vocabulary changed."""

    def __new__(cls, new_vocab, new_vocab_size, num_oov_buckets, old_vocab, old_vocab_size=-1,
                backup_initializer=None, axis=0):
        if axis != 0 and axis != 1:
            raise ValueError("The only supported values for the axis argument are 0 and 1.  "
                             "Provided axis: {}".format(axis))
        return super().__new__(cls, new_vocab, new_vocab_size, num_oov_buckets, old_vocab,
                               old_vocab_size, backup_initializer, axis)


def _read_vocab(path, size=-1):
    """The first ``size`` tokens (all for -1) of a one-token-per-line vocabulary file."""
    with open(path, encoding="utf-8") as f:
        tokens = [line.rstrip("\n") for line in f]
    return tokens if size is None or size < 0 else tokens[:size]


def _remap_positions(new_vocab_path, new_size, old_vocab_path, old_size, extra):
    """For each of ``new_size`` + ``extra`` new entries: the old position of its token, or
    -1 (missing, or an out-of-vocabulary bucket)."""
    old_positions = {}
    for position, token in enumerate(_read_vocab(old_vocab_path, old_size)):
        old_positions.setdefault(token, position)
    new_tokens = _read_vocab(new_vocab_path, new_size)
    return np.array([old_positions.get(t, -1) for t in new_tokens] + [-1] * extra)


def _warm_start_var_with_vocab(var, current_vocab_path, current_vocab_size, prev_ckpt,
                               prev_vocab_path, previous_vocab_size=-1, current_oov_buckets=0,
                               prev_tensor_name=None, initializer=None, axis=0):
    """Sets ``var``'s initializer to its remapped previous value (see the module doc)."""
    if not (current_vocab_path and current_vocab_size and prev_ckpt and prev_vocab_path):
        raise ValueError("Invalid args: Must provide all of [current_vocab_path, "
                         "current_vocab_size, prev_ckpt, prev_vocab_path}.")
    parts = _parts_of(var)
    if parts is None:
        raise TypeError("var MUST be one of the following: a Variable, list of Variable or "
                        "PartitionedVariable, but is {}".format(type(var)))
    var_name, shape = _name_and_full_shape(parts)
    for part in parts:  # TF remaps partitioned variables split along their first axis only
        info = part._get_save_slice_info()
        if info is not None and len(shape) == 2 and info.var_shape[1] != shape[1]:
            columns, buckets = (current_vocab_size, current_oov_buckets) if axis == 1 else (
                shape[1], 0)
            raise ValueError(f"Expected 2nd dim of shape to be new_col_vocab_size ({columns}) "
                             f"+ num_col_oov_buckets ({buckets}) = {columns + buckets}, but "
                             f"received shape: {info.var_shape}")
    prev_tensor_name = prev_tensor_name or var_name
    old = checkpoint_utils.load_variable(prev_ckpt, prev_tensor_name)
    positions = _remap_positions(current_vocab_path, current_vocab_size, prev_vocab_path,
                                 previous_vocab_size, current_oov_buckets)
    if axis == 1:
        old = old.T
        shape = shape[::-1]
    if old.ndim != 2 or old.shape[1] != shape[1]:
        raise ValueError(f"Shape of variable {var_name} ({shape if axis == 0 else shape[::-1]})"
                         f" does not match the shape {list(old.shape)} of tensor "
                         f"{prev_tensor_name} in {prev_ckpt} outside the vocabulary axis {axis}")
    kept = positions >= 0
    dtype = parts[0].dtype.base_dtype
    remapped = np.zeros(shape, dtype=dtype.as_numpy_dtype)
    remapped[kept] = old[positions[kept]]
    mask = np.broadcast_to(kept[:, None], shape)
    if axis == 1:
        remapped, mask = remapped.T, mask.T
        shape = shape[::-1]
    initializer = initializer or init_ops.zeros_initializer()
    backup = ops.convert_to_tensor(initializer(shape, dtype=dtype))
    value = math_ops.where(array_ops.constant(mask), array_ops.constant(remapped), backup)
    for part in parts:  # a part of a partitioned variable takes its slice of the whole
        info = part._get_save_slice_info()
        part_value = value if info is None else array_ops.slice(value, info.var_offset,
                                                                info.var_shape)
        part._initializer_op = state_ops.assign(part, part_value).op


def _parts_of(var):
    """The Variables making up ``var`` (a Variable, a list of them or a PartitionedVariable),
    or None for anything else."""
    if isinstance(var, variables.Variable):
        return [var]
    if isinstance(var, (list, variables.PartitionedVariable)) and all(
            isinstance(v, variables.Variable) for v in var):
        return list(var) or None
    return None


def _name_and_full_shape(parts):
    """The checkpoint name and the whole shape of a variable or of partitioned parts."""
    info = parts[0]._get_save_slice_info()
    if info is None:
        return parts[0].op.name, parts[0].get_shape().as_list()
    return info.full_name, list(info.full_shape)


def _get_grouped_variables(vars_to_warm_start):
    """{variable name: [variable]} of what ``vars_to_warm_start`` selects."""
    if isinstance(vars_to_warm_start, str) or vars_to_warm_start is None:
        logging.info("Warm-starting variables only in TRAINABLE_VARIABLES.")
        list_of_vars = ops.get_collection(ops.GraphKeys.TRAINABLE_VARIABLES,
                                          scope=vars_to_warm_start)
    elif isinstance(vars_to_warm_start, list):
        if all(isinstance(v, str) for v in vars_to_warm_start):
            list_of_vars = []
            for scope in vars_to_warm_start:
                list_of_vars += ops.get_collection(ops.GraphKeys.GLOBAL_VARIABLES, scope=scope)
        elif all(isinstance(v, variables.Variable) for v in vars_to_warm_start):
            list_of_vars = vars_to_warm_start
        else:
            raise ValueError("If `vars_to_warm_start` is a list, it must be all `Variable` or "
                             "all `str`.  Given types are {}".format(
                                 [type(v) for v in vars_to_warm_start]))
    else:
        raise ValueError("`vars_to_warm_start must be a `list` or `str`.  Given type is {}"
                         .format(type(vars_to_warm_start)))
    grouped = {}  # the parts of a partitioned variable group under its full name
    for v in list_of_vars:
        grouped.setdefault(_name_and_full_shape([v])[0], []).append(v)
    return grouped


def warm_start(ckpt_to_initialize_from, vars_to_warm_start=".*", var_name_to_vocab_info=None,
               var_name_to_prev_var_name=None):
    """Makes the selected variables' initializers load ``ckpt_to_initialize_from``:
    ``vars_to_warm_start`` is a regex over TRAINABLE_VARIABLES, a list of scope regexes over
    GLOBAL_VARIABLES, a list of Variables, or None (only the variables with vocabulary
    information)."""
    logging.info("Warm-starting from: %s", ckpt_to_initialize_from)
    grouped = _get_grouped_variables(vars_to_warm_start)
    var_name_to_vocab_info = var_name_to_vocab_info or {}
    var_name_to_prev_var_name = var_name_to_prev_var_name or {}
    prev_var_name_used, vocab_info_used = set(), set()
    vocabless_vars = {}
    warmstarted_count = 0
    for var_name, group in grouped.items():
        prev_var_name = var_name_to_prev_var_name.get(var_name)
        if prev_var_name:
            prev_var_name_used.add(var_name)
        vocab_info = var_name_to_vocab_info.get(var_name)
        if vocab_info:
            vocab_info_used.add(var_name)
            warmstarted_count += 1
            _warm_start_var_with_vocab(
                group if len(group) > 1 else group[0], current_vocab_path=vocab_info.new_vocab,
                current_vocab_size=vocab_info.new_vocab_size, prev_ckpt=ckpt_to_initialize_from,
                prev_vocab_path=vocab_info.old_vocab,
                previous_vocab_size=vocab_info.old_vocab_size,
                current_oov_buckets=vocab_info.num_oov_buckets, prev_tensor_name=prev_var_name,
                initializer=vocab_info.backup_initializer, axis=vocab_info.axis)
        elif vars_to_warm_start:
            warmstarted_count += 1
            vocabless_vars[prev_var_name or var_name] = group if len(group) > 1 else group[0]
    checkpoint_init.init_from_checkpoint(ckpt_to_initialize_from, vocabless_vars)
    logging.info("Warm-started %d variables.", warmstarted_count)
    prev_var_name_not_used = set(var_name_to_prev_var_name) - prev_var_name_used
    vocab_info_not_used = set(var_name_to_vocab_info) - vocab_info_used
    if prev_var_name_not_used:
        raise ValueError("You provided the following variables in var_name_to_prev_var_name "
                         "that were not used: {0}.  Perhaps you misspelled them?  Here is the "
                         "list of viable variable names: {1}".format(prev_var_name_not_used,
                                                                     grouped.keys()))
    if vocab_info_not_used:
        raise ValueError("You provided the following variables in var_name_to_vocab_info that "
                         "were not used: {0}.  Perhaps you misspelled them?  Here is the list "
                         "of viable variable names: {1}".format(vocab_info_not_used,
                                                               grouped.keys()))
