"""``tf.keras`` (the parts tfcompat provides): sub-modules are imported on first attribute
access, so a sub-package that is missing or broken never breaks ``import tfcompat.keras``."""
import importlib as _importlib

_SUBMODULES = {"datasets", "initializers"}
# issue 19: graph-mode Sequential models
_SUBMODULES |= {"backend", "callbacks", "layers", "losses", "models", "optimizers"}
_TOP_LEVEL = {"Model": ("models", "Model"), "Sequential": ("models", "Sequential"),
              "Input": ("layers", "Input")}
# issue 19 (h-keras): the functional API, callbacks, metrics, regularizers, utils
_SUBMODULES |= {"activations", "constraints", "metrics", "preprocessing", "regularizers",
                "utils", "wrappers", "estimator"}


def __getattr__(name):
    if name in _TOP_LEVEL:  # issue 19: tf.keras.Model, tf.keras.Sequential, tf.keras.Input
        module, attribute = _TOP_LEVEL[name]
        return getattr(__getattr__(module), attribute)
    if name in _SUBMODULES:
        try:
            module = _importlib.import_module(f"tfcompat.keras.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"tfcompat.keras.{name}":
                raise
        else:
            globals()[name] = module
            return module
    raise AttributeError(f"module 'tensorflow.keras' has no attribute '{name}': tfcompat does "
                         f"not implement tf.keras.{name} yet")
