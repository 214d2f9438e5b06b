"""``tf.contrib.keras`` (TF 1.15): the Keras API's sub-modules (``layers``, ``models``,
``backend`` ...) as ``tf.keras`` has them, imported on first attribute access."""
import importlib as _importlib

_SUBMODULES = {"activations", "backend", "callbacks", "constraints", "datasets",
               "initializers", "layers", "losses", "metrics", "models", "optimizers",
               "preprocessing", "regularizers", "utils", "wrappers"}


def __getattr__(name):
    if name in _SUBMODULES:
        module = getattr(_importlib.import_module("tfcompat.keras"), name)
        globals()[name] = module
        return module
    raise AttributeError(f"module 'tensorflow.contrib.keras' has no attribute '{name}': "
                         f"tfcompat does not implement tf.contrib.keras.{name} yet")
