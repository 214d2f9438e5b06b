"""``tf.contrib.slim`` (TF 1.15 contrib/slim/__init__.py): a namespace over
``tf.contrib.layers`` (layers, initializers, regularizers, ``repeat``/``stack``, ``utils``),
``tf.contrib.framework`` (arg_scope, the variable helpers, ``assign_from_checkpoint_fn``...),
``tf.contrib.losses`` and ``tf.contrib.metrics`` (``slim.losses`` / ``slim.metrics``), with
slim's own modules ``learning``, ``evaluation``, ``queues``, ``model_analyzer``,
``summaries``, ``nets`` and the input pipeline (``dataset``, ``tfexample_decoder``,
``dataset_data_provider``, ``parallel_reader``, ``prefetch_queue`` ...), imported on first
access. Any other name TF's slim exports raises the "not implemented yet" AttributeError."""
import importlib as _importlib

from tfcompat.contrib.framework import *  # noqa: F401,F403
from tfcompat.contrib.framework import __all__ as _framework_names
from tfcompat.contrib.layers import *  # noqa: F401,F403
from tfcompat.contrib.layers import __all__ as _layers_names
from tfcompat.contrib.layers import utils  # noqa: F401
from tfcompat.train.training_util import (assert_global_step,  # noqa: F401
                                          create_global_step, get_global_step,
                                          get_or_create_global_step)

_GLOBAL_STEP_NAMES = ["assert_global_step", "create_global_step", "get_global_step",
                      "get_or_create_global_step"]
_SUBMODULES = {"losses": "tfcompat.contrib.losses", "metrics": "tfcompat.contrib.metrics",
               "learning": "tfcompat.contrib.slim.learning",
               "evaluation": "tfcompat.contrib.slim.evaluation",
               "queues": "tfcompat.contrib.slim.queues", "nets": "tfcompat.contrib.slim.nets",
               "model_analyzer": "tfcompat.contrib.slim.model_analyzer",
               "summaries": "tfcompat.contrib.slim.summaries",
               "data": "tfcompat.contrib.slim.data"}
_SUBMODULES.update({name: f"tfcompat.contrib.slim.data.{name}" for name in (
    "data_decoder", "data_provider", "dataset", "dataset_data_provider", "parallel_reader",
    "prefetch_queue", "tfexample_decoder")})

__all__ = sorted(set(_framework_names) | set(_layers_names) | set(_GLOBAL_STEP_NAMES)
                 | {"utils"} | set(_SUBMODULES))


def __getattr__(name):
    if name in _SUBMODULES:
        module = _importlib.import_module(_SUBMODULES[name])
        globals()[name] = module
        return module
    raise AttributeError(f"module 'tensorflow.contrib.slim' has no attribute '{name}': "
                         f"tfcompat does not implement tf.contrib.slim.{name} yet")
