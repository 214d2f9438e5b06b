"""``tf.keras.models``: Model (functional), Sequential, and the HDF5 ``load_model`` /
``save_model`` (which need h5py).

A Sequential model is a functional model rebuilt on each ``add``: its input is an InputLayer
"<first layer>_input" of the first layer's ``input_shape`` (or the InputLayer given first);
without one, the model is built by ``build(input_shape)`` or by the first ``fit`` /
``predict`` / call, from the data's shape, as Keras' deferred build does. ``layers`` excludes
the input layer, as in Keras. ``compile`` before the build waits for it.
"""
import json


from tfcompat.framework import ops
from tfcompat.keras.engine import saving
from tfcompat.keras.engine.input_layer import Input, InputLayer
from tfcompat.keras.engine.training import Model


class Sequential(Model):
    """``tf.keras.models.Sequential(layers=None, name=None)``."""

    def __init__(self, layers=None, name=None):
        super().__init__(name=name)
        self._stack = []
        self._input_layer = None
        for layer in layers or ():
            self.add(layer)

    @property
    def layers(self):
        return list(self._stack)

    def add(self, layer):
        """Appends ``layer`` (building the model once the input shape is known)."""
        if self._compiled:
            raise RuntimeError("tfcompat's Sequential takes no layers after compile()")
        if isinstance(layer, InputLayer):
            if self._input_layer is not None or self._stack:
                raise ValueError("An InputLayer can only be the first layer of a Sequential "
                                 "model.")
            self._input_layer = layer
            return
        if not hasattr(layer, "_inbound_nodes"):
            raise TypeError(f"The added layer must be an instance of class Layer. Found: "
                            f"{layer}")
        shape = getattr(layer, "_batch_input_shape", None)
        if not self._stack and self._input_layer is None and shape is not None:
            with ops.name_scope(""):
                self._input_layer = InputLayer(batch_input_shape=shape,
                                               dtype=layer.dtype,
                                               name=f"{layer.name}_input")
        self._stack.append(layer)
        if self._input_layer is not None:
            outputs = self.outputs[0] if self.outputs else self._input_layer.output
            self._init_graph_network(self._input_layer.output, layer(outputs))

    def pop(self):
        """Removes the last layer (its call stays in the graph; the model ends before it)."""
        if not self._stack:
            raise TypeError("There are no layers in the model.")
        self._stack.pop()
        if not self._stack:
            self.inputs, self.outputs = [], []
        else:
            self._init_graph_network(self._input_layer.output, self._stack[-1].output)

    def build(self, input_shape=None):
        """Builds a deferred model on an input of ``input_shape`` (batch axis included)."""
        if self.outputs or input_shape is None:
            return
        layers = self._stack
        self._stack = []
        self._input_layer = InputLayer(batch_input_shape=tuple(input_shape),
                                       name=f"{layers[0].name}_input")
        for layer in layers:
            self.add(layer)

    def _deferred(self):
        return not self.outputs and bool(self._stack)

    def _build_from_data(self, arrays):
        self.build((None,) + arrays[0].shape[1:])

    def get_config(self):
        """{"name", "layers": [serialized layers]} (the first with its batch_input_shape)."""
        from tfcompat.keras import layers as layers_module
        layers = [layers_module.serialize(layer) for layer in self._stack]
        if layers and self._input_layer is not None:
            layers[0]["config"]["batch_input_shape"] = list(self._input_layer._batch_input_shape)
        return {"name": self.name, "layers": layers}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from tfcompat.keras import layers as layers_module
        model = cls(name=config["name"])
        for entry in config["layers"]:
            model.add(layers_module.deserialize(entry, custom_objects))
        return model

    def predict_classes(self, x, batch_size=32, verbose=0):
        """argmax of the predictions (or > 0.5 for one output unit)."""
        probabilities = self.predict(x, batch_size=batch_size)
        if probabilities.shape[-1] > 1:
            return probabilities.argmax(axis=-1)
        return (probabilities > 0.5).astype("int32")

    def predict_proba(self, x, batch_size=32, verbose=0):
        return self.predict(x, batch_size=batch_size)


def model_from_config(config, custom_objects=None):
    """The model a ``{"class_name", "config"}`` dict describes."""
    from tfcompat.keras import layers
    return layers.deserialize(config, custom_objects)


def model_from_json(json_string, custom_objects=None):
    """The model ``Model.to_json`` described (new layers, new weights)."""
    return model_from_config(json.loads(json_string), custom_objects)


def clone_model(model, input_tensors=None):
    """A model with the same architecture and new layers (freshly initialized weights)."""
    if input_tensors is not None:
        raise ValueError("tfcompat's clone_model does not take input_tensors yet")
    return model_from_config({"class_name": type(model).__name__,
                              "config": model.get_config()})


def load_model(filepath, custom_objects=None, compile=True):  # noqa: A002 (Keras' name)
    """HDF5 model files need h5py, which tfcompat does not depend on."""
    saving.require_h5py("load_model")


def save_model(model, filepath, overwrite=True, include_optimizer=True):
    saving.require_h5py("save_model")


__all__ = ["Model", "Sequential", "Input", "load_model", "save_model", "model_from_config",
           "model_from_json", "clone_model"]


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.keras.models' has no attribute '{name}': "
                         f"tfcompat does not implement tf.keras.models.{name} yet")
