"""The tf.keras layer base: a ``tf.layers.Layer`` that records every call as a *node*.

TF 1.15's tf.keras layers share ``tf.layers``' naming ("dense", "dense_1"; variables
"dense/kernel"), so a Keras layer here is the ``tf.layers`` layer plus Keras' constructor
arguments (``input_shape``, ``input_dim``, ``batch_input_shape``, ``batch_size``) and call
bookkeeping: each call appends a :class:`Node` (inputs, call arguments, outputs) to
``layer._inbound_nodes`` and tags each output tensor with ``_keras_history = (layer,
node_index, tensor_index)``, which is how ``tf.keras.Model(inputs, outputs)`` finds the layers
between its inputs and outputs and can call them again on new tensors.
"""
import functools
import inspect

from tfcompat.framework import tensor_shape
from tfcompat.layers import base as tf_base
from tfcompat.layers import utils
from tfcompat.ops import array_ops


class Node:
    """One call of a layer: ``outputs = layer(inputs, *args, **kwargs)``."""

    def __init__(self, layer, inputs, args, kwargs, outputs):
        self.layer = layer
        self.inputs = inputs
        self.args = args
        self.kwargs = kwargs
        self.outputs = outputs

    @property
    def input_tensors(self):
        return utils.flatten(self.inputs)

    @property
    def output_tensors(self):
        return utils.flatten(self.outputs)


def pop_input_arguments(layer, kwargs):
    """Keras' input arguments: ``batch_input_shape`` wins, else ``(batch_size,) +
    input_shape`` (``input_dim=n`` meaning ``input_shape=(n,)``)."""
    input_dim = kwargs.pop("input_dim", None)
    if input_dim is not None and "input_shape" not in kwargs:
        kwargs["input_shape"] = (input_dim,)
    input_shape = kwargs.pop("input_shape", None)
    batch_size = kwargs.pop("batch_size", None)
    batch_input_shape = kwargs.pop("batch_input_shape", None)
    if batch_input_shape is None and input_shape is not None:
        batch_input_shape = (batch_size,) + tuple(input_shape)
    layer._batch_input_shape = None if batch_input_shape is None else tuple(batch_input_shape)
    layer._initial_weights = kwargs.pop("weights", None)
    _resolve_identifiers(kwargs)


def _resolve_identifiers(kwargs):
    """Keras' string regularizers ("l2") and constraints ("max_norm") as objects."""
    from tfcompat.keras import constraints, regularizers
    for key, value in kwargs.items():
        if isinstance(value, str) and key.endswith("_regularizer"):
            kwargs[key] = regularizers.get(value)
        elif isinstance(value, str) and key.endswith("_constraint"):
            kwargs[key] = constraints.get(value)


def keras_history(tensor):
    """``(layer, node_index, tensor_index)`` of a tensor a Keras layer made, else None."""
    return getattr(tensor, "_keras_history", None)


def _recording(init):
    """Wraps a layer class' ``__init__`` to remember the arguments of the outermost call
    (the user's), which ``get_config`` reports and ``from_config`` replays."""

    @functools.wraps(init)
    def wrapped(self, *args, **kwargs):
        if "_init_arguments" not in self.__dict__:
            self._init_arguments = (init, args, dict(kwargs))
        init(self, *args, **kwargs)
    return wrapped


def _config_value(value, where):
    """A constructor argument as a JSON-friendly value: layers and initializers as
    {"class_name", "config"}, activation functions by name."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (list, tuple)):
        return [_config_value(v, where) for v in value]
    if isinstance(value, dict):
        return {k: _config_value(v, where) for k, v in value.items()}
    if isinstance(value, tf_base.Layer) and hasattr(value, "get_config"):
        return {"class_name": type(value).__name__, "config": value.get_config()}
    if hasattr(value, "get_config"):
        return {"class_name": type(value).__name__, "config": value.get_config()}
    if callable(value) and getattr(value, "__name__", "<lambda>") != "<lambda>":
        return value.__name__
    raise TypeError(f"Cannot serialize {where}={value!r}: tfcompat's get_config records "
                    "names, numbers, layers and initializers only")


class Layer(tf_base.Layer):
    """``tf.keras.layers.Layer(trainable=True, name=None, dtype=None, **kwargs)``: build/call
    like ``tf.layers.Layer``; calls are recorded as nodes (``input``, ``output``,
    ``input_shape``, ``output_shape`` read the first one). Masks (Keras masking) travel as
``tensor._keras_mask``: passed to ``call(..., mask=)`` when it takes one, and set on the
output from ``compute_mask``."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "__init__" in cls.__dict__:
            cls.__init__ = _recording(cls.__dict__["__init__"])

    def __init__(self, *args, **kwargs):
        pop_input_arguments(self, kwargs)
        super().__init__(*args, **kwargs)
        self._inbound_nodes = []
        self._call_takes_mask = "mask" in inspect.signature(self.call).parameters

    def __call__(self, inputs, *args, **kwargs):
        input_mask = _mask_of(inputs)
        automatic_mask = (self._call_takes_mask and kwargs.get("mask") is None
                          and input_mask is not None)
        if automatic_mask:
            kwargs["mask"] = input_mask
        outputs = _distinct_outputs(super().__call__(inputs, *args, **kwargs), inputs)
        if automatic_mask:  # a replay on new inputs takes their masks
            del kwargs["mask"]
        output_mask = self.compute_mask(inputs, input_mask)
        first_output = outputs[0] if isinstance(outputs, (list, tuple)) else outputs
        if output_mask is not None and hasattr(first_output, "op"):
            first_output._keras_mask = output_mask
        node = Node(self, inputs, args, kwargs, outputs)
        self._inbound_nodes.append(node)
        for index, tensor in enumerate(node.output_tensors):
            tensor._keras_history = (self, len(self._inbound_nodes) - 1, index)
        if self._initial_weights is not None:
            weights, self._initial_weights = self._initial_weights, None
            self.set_weights(weights)
        return outputs

    def add_weight(self, name, shape, dtype=None, initializer=None, regularizer=None,
                   trainable=None, constraint=None, **kwargs):
        """``tf.layers``' add_weight taking Keras' names for initializers ("ones"),
        regularizers ("l2") and constraints ("non_neg") too."""
        from tfcompat.keras import constraints, regularizers
        return super().add_weight(name, shape, dtype=dtype,
                                  initializer=utils.get_initializer(initializer),
                                  regularizer=regularizers.get(regularizer),
                                  trainable=trainable, constraint=constraints.get(constraint),
                                  **kwargs)

    def compute_mask(self, inputs, mask=None):
        """The output's mask (Keras masking): the input's for layers that support masking,
        else None."""
        return mask if self.supports_masking else None

    def _first_node(self, attribute):
        if not self._inbound_nodes:
            raise AttributeError(f"Layer {self.name} is not connected, no input to return.")
        return getattr(self._inbound_nodes[0], attribute)

    @property
    def input(self):
        return self._first_node("inputs")

    @property
    def output(self):
        return self._first_node("outputs")

    @property
    def input_shape(self):
        return _shapes_of(self._first_node("inputs"))

    @property
    def output_shape(self):
        return _shapes_of(self._first_node("outputs"))

    def get_weights(self):
        """The weights' current values (NumPy arrays, in ``weights`` order)."""
        from tfcompat.keras import backend
        return backend.batch_get_value(self.weights)

    def set_weights(self, weights):
        """Loads NumPy arrays into the weights, checking their shapes as Keras does."""
        from tfcompat.keras import backend
        params = self.weights
        if len(params) != len(weights):
            raise ValueError(f'You called `set_weights(weights)` on layer "{self.name}" with a '
                             f" weight list of length {len(weights)}, but the layer was "
                             f"expecting {len(params)} weights.")
        for param, value in zip(params, weights, strict=True):
            if tuple(param.shape.as_list()) != tuple(value.shape):
                raise ValueError(f"Layer weight shape {tuple(param.shape.as_list())} not "
                                 f"compatible with provided weight shape {value.shape}")
        backend.batch_set_value(list(zip(params, weights, strict=True)))

    def get_config(self):
        """The constructor arguments the layer was made with (activations by name, nested
        layers and initializers as {"class_name", "config"}), its name and trainability;
        ``type(layer).from_config(config)`` makes the same layer."""
        init, args, kwargs = self.__dict__.get("_init_arguments", (None, (), {}))
        config = {}
        if init is not None:
            bound = inspect.signature(init).bind_partial(self, *args, **kwargs).arguments
            for name, value in list(bound.items())[1:]:
                parameter = inspect.signature(init).parameters[name]
                if parameter.kind is inspect.Parameter.VAR_KEYWORD:
                    config.update(value)
                elif parameter.kind is inspect.Parameter.VAR_POSITIONAL:
                    if value:
                        raise TypeError(f"Cannot make the config of {self.name}: positional "
                                        f"arguments {value} have no names")
                else:
                    config[name] = value
        if getattr(self, "_batch_input_shape", None) is not None:
            config.pop("input_shape", None)
            config.pop("input_dim", None)
            config["batch_input_shape"] = list(self._batch_input_shape)
        config.update(name=self.name, trainable=self.trainable)
        return {key: _config_value(value, f"{type(self).__name__}.{key}")
                for key, value in config.items()}

    @classmethod
    def from_config(cls, config):
        """The layer ``get_config`` described (nested layer configs rebuilt)."""
        from tfcompat.keras import layers
        arguments = {key: layers.deserialize(value) if isinstance(value, dict)
                     and "class_name" in value and hasattr(layers, value["class_name"])
                     else value for key, value in config.items()}
        return cls(**arguments)


def _distinct_outputs(outputs, inputs):
    """Outputs that are input tensors (``Lambda(lambda x: x)``) as identities, so each
    tensor keeps the history of the layer that made it (Keras does the same)."""
    given = {id(t) for t in utils.flatten(inputs)}

    def distinct(tensor):
        return array_ops.identity(tensor) if id(tensor) in given else tensor
    if isinstance(outputs, (list, tuple)):
        return type(outputs)(distinct(t) for t in outputs)
    return distinct(outputs)


def _mask_of(inputs):
    """The ``_keras_mask`` of a tensor (a list of them for a list of tensors, None if none)."""
    if isinstance(inputs, (list, tuple)):
        masks = [getattr(x, "_keras_mask", None) for x in inputs]
        return None if all(m is None for m in masks) else masks
    return getattr(inputs, "_keras_mask", None)


def _shapes_of(structure):
    if isinstance(structure, (list, tuple)):
        return [_shapes_of(x) for x in structure]
    return tuple(tensor_shape.as_shape(structure.shape).as_list())


def keras_layer(tf_layer_class):
    """The Keras version of a ``tf.layers`` layer class: the same layer, recorded as nodes."""
    return type(tf_layer_class.__name__, (Layer, tf_layer_class),
                {"__doc__": tf_layer_class.__doc__, "__module__": "tfcompat.keras.layers"})
