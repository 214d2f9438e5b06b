"""``tf.estimator.WarmStartSettings`` and the warm start ``Estimator.train`` does with it
(TF 1.15 ``training/warm_starting_util.py``): before a training session starts, the chosen
variables' initializers load values of another checkpoint, so a model without a checkpoint
of its own in model_dir starts from them (a model_dir checkpoint, when there is one, wins)."""
import collections
import os

import numpy as np

from tfcompat import logging
from tfcompat.framework import ops
from tfcompat.ops import array_ops, init_ops, io_ops, math_ops, state_ops, variables
from tfcompat.train import checkpoint_init, checkpoint_utils


class WarmStartSettings(collections.namedtuple("WarmStartSettings", [
        "ckpt_to_initialize_from", "vars_to_warm_start", "var_name_to_vocab_info",
        "var_name_to_prev_var_name"])):
    """``WarmStartSettings(ckpt_to_initialize_from, vars_to_warm_start='.*',
    var_name_to_vocab_info=None, var_name_to_prev_var_name=None)``.

    ``ckpt_to_initialize_from``: a checkpoint prefix or a directory (its latest checkpoint).
    ``vars_to_warm_start``: a regex matched (from the start) against TRAINABLE_VARIABLES'
    names; a list of regexes matched against GLOBAL_VARIABLES (optimizer slots included); a
    list of Variables; or None (only the variables of var_name_to_vocab_info).
    ``var_name_to_vocab_info``: variable name -> a VocabInfo (new_vocab, new_vocab_size,
    num_oov_buckets, old_vocab, old_vocab_size, backup_initializer, axis): the rows (axis 0)
    or columns (axis 1) of words in both vocabulary files come from the checkpoint's row of
    the word, the others (and the OOV buckets) from backup_initializer (zeros by default).
    ``var_name_to_prev_var_name``: current variable name -> its name in the checkpoint."""

    def __new__(cls, ckpt_to_initialize_from, vars_to_warm_start=".*",
                var_name_to_vocab_info=None, var_name_to_prev_var_name=None):
        if not ckpt_to_initialize_from:
            raise ValueError("`ckpt_to_initialize_from` MUST be set in WarmStartSettings")
        return super().__new__(cls, os.fspath(ckpt_to_initialize_from), vars_to_warm_start,
                               var_name_to_vocab_info or {},
                               var_name_to_prev_var_name or {})


def as_warm_start_settings(warm_start_from):
    """TF's _get_default_warm_start_settings: None, a checkpoint path or WarmStartSettings."""
    if warm_start_from is None:
        return None
    if isinstance(warm_start_from, (str, bytes, os.PathLike)):
        return WarmStartSettings(ckpt_to_initialize_from=os.fsdecode(warm_start_from))
    if isinstance(warm_start_from, WarmStartSettings):
        return warm_start_from
    raise ValueError(f"warm_start_from must be a string or a WarmStartSettings, instead got "
                     f"{type(warm_start_from)}")


def _variables_to_warm_start(vars_to_warm_start):
    if vars_to_warm_start is None:
        return ops.get_collection(ops.GraphKeys.TRAINABLE_VARIABLES)
    if isinstance(vars_to_warm_start, str):
        return ops.get_collection(ops.GraphKeys.TRAINABLE_VARIABLES, scope=vars_to_warm_start)
    selected = list(vars_to_warm_start)
    if all(isinstance(v, str) for v in selected):
        found = []
        for pattern in selected:
            found += [v for v in ops.get_collection(ops.GraphKeys.GLOBAL_VARIABLES,
                                                    scope=pattern) if v not in found]
        return found
    if all(isinstance(v, variables.Variable) for v in selected):
        return selected
    raise ValueError(f"vars_to_warm_start must be a string, a list of strings or a list of "
                     f"Variables; given {vars_to_warm_start}")


def _read_vocabulary(path, size):
    with open(path, encoding="utf-8") as lines:
        words = [line.rstrip("\n") for line in lines]
    if size is not None and size >= 0:
        if size > len(words):
            raise ValueError(f"Invalid vocab size {size}: {path} has {len(words)} lines")
        words = words[:size]
    return words


def _remapped_initial_value(variable, vocab_info, ckpt, tensor_name):
    """The variable's initial value: checkpoint rows (or columns) moved to where the new
    vocabulary has their word, backup_initializer values elsewhere (TF's
    _warm_start_var_with_vocab)."""
    axis = vocab_info.axis
    new_words = _read_vocabulary(vocab_info.new_vocab, vocab_info.new_vocab_size)
    old_position = {}
    for index, word in enumerate(_read_vocabulary(vocab_info.old_vocab,
                                                  vocab_info.old_vocab_size)):
        old_position.setdefault(word, index)
    rows = np.array([old_position.get(word, -1) for word in new_words] +
                    [-1] * vocab_info.num_oov_buckets, np.int64)
    shape = variable.shape.as_list()
    old_shape = checkpoint_utils.load_checkpoint(ckpt).get_variable_to_shape_map().get(
        tensor_name)
    if old_shape is None:
        raise ValueError(f"Tensor {tensor_name} is not found in {ckpt} checkpoint")
    expected = list(old_shape)
    expected[axis] = len(rows)
    if shape != expected:
        raise ValueError(f"Shape of variable {variable.op.name} {shape} does not match the "
                         f"remapped checkpoint tensor {tensor_name} of shape {old_shape}: "
                         f"expected {expected} (new vocabulary + OOV buckets along axis "
                         f"{axis})")
    with ops.device("/cpu:0"):
        restored = io_ops.restore_v2(checkpoint_utils._checkpoint_filename(ckpt),
                                     [tensor_name], [""], [variable.dtype.base_dtype],
                                     name="checkpoint_initializer")[0]
    gathered = array_ops.gather(restored, np.maximum(rows, 0), axis=axis)
    backup = (vocab_info.backup_initializer or init_ops.zeros_initializer())(
        shape, dtype=variable.dtype.base_dtype)
    found = np.broadcast_to((rows >= 0).reshape([-1] + [1] * (len(shape) - 1 - axis)),
                            shape)
    return math_ops.where(ops.convert_to_tensor(found), gathered, backup)


def _warm_start_with_vocabulary(variable, vocab_info, ckpt, tensor_name):
    value = _remapped_initial_value(variable, vocab_info, ckpt, tensor_name)
    variable._initializer_op = state_ops.assign(variable, value).op
    variable._initial_value = value


def _check_all_used(what, unused, variables_seen):
    if unused:
        raise ValueError(f"You provided the following variables in {what} that were not "
                         f"used: {unused}.  Perhaps you misspelled them?  Here is the list of "
                         f"viable variable names: {sorted(variables_seen)}")


def warm_start(settings):
    """Points the selected variables' initializers at ``settings``' checkpoint (through the
    vocabulary remapping for those with a VocabInfo)."""
    logging.info("Warm-starting with WarmStartSettings: %s", settings)
    prev_names = dict(settings.var_name_to_prev_var_name)
    vocab_infos = dict(settings.var_name_to_vocab_info)
    assignment_map = {}
    seen = []
    for variable in _variables_to_warm_start(settings.vars_to_warm_start):
        name = variable.op.name
        seen.append(name)
        tensor_name = prev_names.pop(name, name)
        vocab_info = vocab_infos.pop(name, None)
        if vocab_info is not None:
            _warm_start_with_vocabulary(variable, vocab_info, settings.ckpt_to_initialize_from,
                                        tensor_name)
        elif settings.vars_to_warm_start:
            assignment_map[tensor_name] = variable
    _check_all_used("var_name_to_prev_var_name", prev_names, seen)
    _check_all_used("var_name_to_vocab_info", vocab_infos, seen)
    logging.info("Warm-starting %d variables from %s", len(assignment_map),
                 settings.ckpt_to_initialize_from)
    checkpoint_init.init_from_checkpoint(settings.ckpt_to_initialize_from, assignment_map)
