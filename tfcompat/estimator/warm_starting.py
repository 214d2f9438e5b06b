"""``tf.estimator.WarmStartSettings`` and the warm start ``Estimator.train`` does with it
(TF 1.15 ``training/warm_starting_util.py``): before a training session starts, the chosen
variables' initializers load values of another checkpoint, so a model without a checkpoint
of its own in model_dir starts from them (a model_dir checkpoint, when there is one, wins)."""
import collections
import os

from tfcompat import logging
from tfcompat.framework import ops
from tfcompat.ops import variables
from tfcompat.train import checkpoint_init


class WarmStartSettings(collections.namedtuple("WarmStartSettings", [
        "ckpt_to_initialize_from", "vars_to_warm_start", "var_name_to_vocab_info",
        "var_name_to_prev_var_name"])):
    """``WarmStartSettings(ckpt_to_initialize_from, vars_to_warm_start='.*',
    var_name_to_vocab_info=None, var_name_to_prev_var_name=None)``.

    ``ckpt_to_initialize_from``: a checkpoint prefix or a directory (its latest checkpoint).
    ``vars_to_warm_start``: a regex matched (from the start) against TRAINABLE_VARIABLES'
    names; a list of regexes matched against GLOBAL_VARIABLES (optimizer slots included); a
    list of Variables; or None (nothing). ``var_name_to_prev_var_name``: current variable
    name -> its name in the checkpoint (other names are the same in both)."""

    def __new__(cls, ckpt_to_initialize_from, vars_to_warm_start=".*",
                var_name_to_vocab_info=None, var_name_to_prev_var_name=None):
        if not ckpt_to_initialize_from:
            raise ValueError("`ckpt_to_initialize_from` MUST be set in WarmStartSettings")
        if var_name_to_vocab_info:
            raise ValueError("tfcompat's WarmStartSettings do not implement "
                             "var_name_to_vocab_info (vocabulary remapping)")
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
        return []
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


def warm_start(settings):
    """Points the selected variables' initializers at ``settings``' checkpoint."""
    logging.info("Warm-starting with WarmStartSettings: %s", settings)
    prev_names = dict(settings.var_name_to_prev_var_name)
    assignment_map = {}
    for variable in _variables_to_warm_start(settings.vars_to_warm_start):
        name = variable.op.name
        assignment_map[prev_names.pop(name, name)] = variable
    if prev_names:
        viable = sorted(v.op.name for v in ops.get_collection(ops.GraphKeys.GLOBAL_VARIABLES))
        raise ValueError(f"You provided the following variables in var_name_to_prev_var_name "
                         f"that were not used: {prev_names}.  Perhaps you misspelled them?  "
                         f"Here is the list of viable variable names: "
                         f"{viable}")
    logging.info("Warm-starting %d variables from %s", len(assignment_map),
                 settings.ckpt_to_initialize_from)
    checkpoint_init.init_from_checkpoint(settings.ckpt_to_initialize_from, assignment_map)
