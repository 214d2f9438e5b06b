"""``tf.contrib.framework``: arg_scope and the variable helpers (``get_variables`` ...).
``get_global_step`` / ``get_or_create_global_step`` come from ``tf.train`` when present."""
import importlib as _importlib

from tfcompat.contrib.framework.arg_scope import (add_arg_scope, arg_scope,  # noqa: F401
                                                  arg_scoped_arguments, current_arg_scope,
                                                  has_arg_scope)
from tfcompat.contrib.framework.variables import (add_model_variable,  # noqa: F401
                                                  get_local_variables, get_model_variables,
                                                  get_trainable_variables, get_unique_variable,
                                                  get_variable_full_name, get_variables,
                                                  get_variables_by_name,
                                                  get_variables_by_suffix,
                                                  get_variables_to_restore, model_variable,
                                                  variable)

__all__ = ["arg_scope", "add_arg_scope", "arg_scoped_arguments", "current_arg_scope",
           "has_arg_scope", "add_model_variable", "get_local_variables", "get_model_variables",
           "get_trainable_variables", "get_unique_variable", "get_variable_full_name",
           "get_variables", "get_variables_by_name", "get_variables_by_suffix",
           "get_variables_to_restore", "model_variable", "variable"]

from tfcompat.contrib.framework.checkpoint_assignment import (  # noqa: F401,E402
    assign_from_checkpoint, assign_from_checkpoint_fn, assign_from_values,
    assign_from_values_fn, filter_variables, global_variable, local_variable)

__all__ += ["assign_from_checkpoint", "assign_from_checkpoint_fn", "assign_from_values",
            "assign_from_values_fn", "filter_variables", "global_variable", "local_variable"]

from tfcompat.framework import nest  # noqa: F401,E402

__all__ += ["nest"]

_FROM_TRAIN = ("get_global_step", "get_or_create_global_step", "create_global_step",
               "assert_or_get_global_step")


def __getattr__(name):
    if name in _FROM_TRAIN:
        try:
            train = _importlib.import_module("tfcompat.train")
        except ModuleNotFoundError:
            train = None
        if train is not None and hasattr(train, name):
            return getattr(train, name)
    raise AttributeError(f"module 'tensorflow.contrib.framework' has no attribute '{name}': "
                         f"tfcompat does not implement tf.contrib.framework.{name} yet")

from tfcompat.contrib.framework import audio_ops  # noqa: F401,E402

__all__ += ["audio_ops"]
