"""The tf.keras layer base: a ``tf.layers.Layer`` that records every call as a *node*.

TF 1.15's tf.keras layers share ``tf.layers``' naming ("dense", "dense_1"; variables
"dense/kernel"), so a Keras layer here is the ``tf.layers`` layer plus Keras' constructor
arguments (``input_shape``, ``input_dim``, ``batch_input_shape``, ``batch_size``) and call
bookkeeping: each call appends a :class:`Node` (inputs, call arguments, outputs) to
``layer._inbound_nodes`` and tags each output tensor with ``_keras_history = (layer,
node_index, tensor_index)``, which is how ``tf.keras.Model(inputs, outputs)`` finds the layers
between its inputs and outputs and can call them again on new tensors.
"""
import inspect

from tfcompat.framework import tensor_shape
from tfcompat.layers import base as tf_base
from tfcompat.layers import utils


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


class Layer(tf_base.Layer):
    """``tf.keras.layers.Layer(trainable=True, name=None, dtype=None, **kwargs)``: build/call
    like ``tf.layers.Layer``; calls are recorded as nodes (``input``, ``output``,
    ``input_shape``, ``output_shape`` read the first one). Masks (Keras masking) travel as
``tensor._keras_mask``: passed to ``call(..., mask=)`` when it takes one, and set on the
output from ``compute_mask``."""

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
        outputs = super().__call__(inputs, *args, **kwargs)
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
        return {"name": self.name, "trainable": self.trainable,
                "dtype": self.dtype.name if self.dtype is not None else None}


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
