"""``tf.keras.layers`` for graph-mode models (Keras 2.2.4-tf names and defaults)."""
from tfcompat.keras.engine.base_layer import Layer
from tfcompat.keras.engine.input_layer import Input, InputLayer
from tfcompat.keras.layers.advanced_activations import *  # noqa: F401,F403
from tfcompat.keras.layers.convolutional import *  # noqa: F401,F403
from tfcompat.keras.layers.convolutional_recurrent import *  # noqa: F401,F403
from tfcompat.keras.layers.core import *  # noqa: F401,F403
from tfcompat.keras.layers.embeddings import *  # noqa: F401,F403
from tfcompat.keras.layers.local import *  # noqa: F401,F403
from tfcompat.keras.layers.merge import *  # noqa: F401,F403
from tfcompat.keras.layers.noise import *  # noqa: F401,F403
from tfcompat.keras.layers.normalization import *  # noqa: F401,F403
from tfcompat.keras.layers.pooling import *  # noqa: F401,F403
from tfcompat.keras.layers.recurrent import *  # noqa: F401,F403
from tfcompat.keras.layers.wrappers import *  # noqa: F401,F403
from tfcompat.layers.base import InputSpec

__all__ = ["Layer", "Input", "InputLayer", "InputSpec", "serialize", "deserialize"]


def serialize(layer):
    """{"class_name": ..., "config": layer.get_config()}."""
    return {"class_name": type(layer).__name__, "config": layer.get_config()}


def deserialize(config, custom_objects=None):
    """The layer ``serialize`` described (classes from tf.keras.layers, Model, Sequential,
    or ``custom_objects``)."""
    from tfcompat.keras import models
    name = config["class_name"]
    custom_objects = custom_objects or {}
    if name in custom_objects:
        layer_class = custom_objects[name]
    elif name in ("Model", "Sequential"):
        return getattr(models, name).from_config(config["config"], custom_objects)
    elif isinstance(globals().get(name), type):
        layer_class = globals()[name]
    else:
        raise ValueError(f"Unknown layer: {name}")
    return layer_class.from_config(config["config"])


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.keras.layers' has no attribute '{name}': "
                         f"tfcompat does not implement tf.keras.layers.{name} yet")
