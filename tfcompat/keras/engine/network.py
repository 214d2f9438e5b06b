"""Functional networks: ``tf.keras.Model(inputs, outputs)`` as a graph of layer calls.

The constructor walks back from the outputs through each tensor's ``_keras_history`` (the
layer call that made it) to the inputs, which gives the layers (input layers first, then in
call order) and the calls to replay when the network itself is called on new tensors, as a
layer of another model (nested models share their layers' weights, as in Keras).
"""
import json

import numpy as np

from tfcompat.framework.graph_walk import ops_upstream
from tfcompat.keras.engine import base_layer
from tfcompat.keras.engine.input_layer import InputLayer
from tfcompat.layers import utils


def _as_list(value):
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _select(structure, index):
    return structure[index] if isinstance(structure, (list, tuple)) else structure


def _ancestor_ops(tensor):
    """Every op ``tensor`` is computed from (itself included)."""
    return ops_upstream([tensor.op])


class Network(base_layer.Layer):
    """The graph of layers between ``inputs`` and ``outputs`` (tensors or lists of them)."""

    def __init__(self, inputs=None, outputs=None, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self._layers = []
        self._nodes = []
        self._opaque = []
        self._is_graph_network = False
        self.inputs, self.outputs = [], []
        if inputs is not None or outputs is not None:
            self._init_graph_network(inputs, outputs)

    # ---- structure ---------------------------------------------------------------------
    def _init_graph_network(self, inputs, outputs):
        self._nested_inputs, self._nested_outputs = inputs, outputs
        self.inputs, self.outputs = _as_list(inputs), _as_list(outputs)
        for tensor in self.inputs:
            history = base_layer.keras_history(tensor)
            if history is None or not isinstance(history[0], InputLayer):
                raise ValueError(f"Input tensors to a Model must come from "
                                 f"`tf.keras.Input`. Received: {tensor} (missing previous "
                                 f"layer metadata).")
        self._nodes, self._opaque = [], []
        input_layers = [base_layer.keras_history(t)[0] for t in self.inputs]
        visited = {id(t) for t in self.inputs}
        for tensor in self.outputs:
            self._visit(tensor, visited)
        used = {id(node.layer) for node in self._nodes}
        self._layers = input_layers + [node.layer for node in self._unique_layer_nodes(used)]
        self._check_connected()
        self._is_graph_network = True
        self.built = True

    def _unique_layer_nodes(self, used):
        seen = set()
        for node in self._nodes:
            if id(node.layer) in used and id(node.layer) not in seen:
                seen.add(id(node.layer))
                yield node

    def _visit(self, tensor, visited):
        """Depth-first: the calls ``tensor`` needs, appended to ``_nodes`` in call order."""
        if id(tensor) in visited:
            return
        visited.add(id(tensor))
        history = base_layer.keras_history(tensor)
        if history is None or isinstance(history[0], InputLayer):
            self._opaque.append(tensor)
            return
        layer, node_index, _ = history
        node = layer._inbound_nodes[node_index]
        for parent in node.input_tensors:
            self._visit(parent, visited)
        if not any(n is node for n in self._nodes):
            self._nodes.append(node)

    def _check_connected(self):
        """Keras' "Graph disconnected" error when an output needs an input the model lacks."""
        input_ops = {t.op for t in self.inputs}
        for tensor in self._opaque:
            history = base_layer.keras_history(tensor)
            if history is not None and isinstance(history[0], InputLayer):
                raise ValueError(f"Graph disconnected: cannot obtain value for tensor {tensor} "
                                 f"at layer \"{history[0].name}\". The following previous "
                                 f"layers were accessed without issue: "
                                 f"{[layer.name for layer in self._layers]}")
        self._replayable = not any(_ancestor_ops(t) & input_ops for t in self._opaque)

    @property
    def layers(self):
        return list(self._layers)

    @property
    def input(self):
        """The input tensor (a list for several inputs)."""
        return self.inputs[0] if len(self.inputs) == 1 else list(self.inputs)

    @property
    def output(self):
        """The output tensor (a list for several outputs)."""
        return self.outputs[0] if len(self.outputs) == 1 else list(self.outputs)

    def __setattr__(self, name, value):
        """Subclassed models track the layers assigned to their attributes (also in lists),
        as Keras does."""
        super().__setattr__(name, value)
        if name.startswith("_") or "_layers" not in self.__dict__ or self._is_graph_network:
            return
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(item, base_layer.tf_base.Layer) and item is not self and \
                    not any(item is layer for layer in self._layers):
                self._layers.append(item)

    def _is_subclassed(self):
        """A Model subclass with its own ``call`` (Keras' subclassing API)."""
        return type(self).call is not Network.call

    @property
    def input_names(self):
        return [base_layer.keras_history(t)[0].name for t in self.inputs]

    @property
    def output_names(self):
        if getattr(self, "_output_names", None):
            return list(self._output_names)
        return [self._output_layer(t).name for t in self.outputs]

    @staticmethod
    def _output_layer(tensor):
        history = base_layer.keras_history(tensor)
        if history is None:
            raise ValueError(f"Output tensors to a Model must be the output of a Keras "
                             f"`Layer` (thus holding past layer metadata). Found: {tensor}")
        return history[0]

    def get_layer(self, name=None, index=None):
        """The layer called ``name`` or at position ``index`` of ``layers``."""
        if index is not None:
            if len(self._layers) <= index:
                raise ValueError(f"Was asked to retrieve layer at index {index} but model "
                                 f"only has {len(self._layers)} layers.")
            return self._layers[index]
        for layer in self._layers:
            if layer.name == name:
                return layer
        raise ValueError(f"No such layer: {name}")

    # ---- weights -----------------------------------------------------------------------
    def _gather(self, attribute):
        gathered, seen = [], set()
        for layer in self._layers:
            for weight in getattr(layer, attribute):
                if id(weight) not in seen:
                    seen.add(id(weight))
                    gathered.append(weight)
        return gathered

    @property
    def trainable_weights(self):
        return self._gather("trainable_weights") if self.trainable else []

    @property
    def non_trainable_weights(self):
        if self.trainable:
            return self._gather("non_trainable_weights")
        return self._gather("trainable_weights") + self._gather("non_trainable_weights")

    @property
    def weights(self):
        """All weights, layer by layer (each layer's trainable ones first), as Keras."""
        return self._gather("weights")

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights
    variables = weights

    @property
    def updates(self):
        return [op for layer in self._layers for op in layer.updates]

    @property
    def losses(self):
        return [loss for layer in self._layers for loss in layer.losses]

    def get_weights(self):
        from tfcompat.keras import backend
        return backend.batch_get_value(self.weights)

    def set_weights(self, weights):
        from tfcompat.keras import backend
        params = self.weights
        if len(params) != len(weights):
            raise ValueError(f"You called `set_weights(weights)` on model \"{self.name}\" with "
                             f"a weight list of length {len(weights)}, but the model was "
                             f"expecting {len(params)} weights.")
        backend.batch_set_value(list(zip(params, weights, strict=True)))

    def count_params(self):
        return int(sum(np.prod(w.shape.as_list()) for w in self.weights))

    # ---- calling -----------------------------------------------------------------------
    def build(self, input_shape):
        self.built = True

    def call(self, inputs, training=None, mask=None):
        """Replays the layer calls on new input tensors (same weights)."""
        if not self._replayable:
            raise ValueError(f"tfcompat cannot call model {self.name} on new inputs: its graph "
                             "uses TensorFlow ops outside Keras layers (wrap them in a "
                             "`tf.keras.layers.Lambda`).")
        new_inputs = _as_list(inputs)
        if len(new_inputs) != len(self.inputs):
            raise ValueError(f"Layer {self.name} expects {len(self.inputs)} inputs, but it "
                             f"received {len(new_inputs)} input tensors.")
        mapping = {id(old): new for old, new in zip(self.inputs, new_inputs, strict=True)}

        def mapped(structure):
            if isinstance(structure, (list, tuple)):
                return type(structure)(mapped(x) for x in structure)
            return mapping.get(id(structure), structure)

        for node in self._nodes:
            kwargs = dict(node.kwargs)
            if training is not None and "training" in kwargs:
                kwargs["training"] = training
            outputs = node.layer(mapped(node.inputs), *node.args, **kwargs)
            for old, new in zip(node.output_tensors, utils.flatten(outputs), strict=True):
                mapping[id(old)] = new
        return mapped(self._nested_outputs)

    def compute_output_shape(self, input_shape):
        shapes = [t.shape for t in self.outputs]
        return shapes[0] if len(shapes) == 1 else shapes

    # ---- configuration -------------------------------------------------------------------
    def _node_index(self, layer, node_index):
        """A node's index among the calls of ``layer`` inside this model."""
        if isinstance(layer, InputLayer):
            return 0
        inside = {id(node) for node in self._nodes}
        indices = [i for i, node in enumerate(layer._inbound_nodes) if id(node) in inside]
        return indices.index(node_index)

    def _reference(self, tensor):
        layer, node_index, tensor_index = base_layer.keras_history(tensor)
        return [layer.name, self._node_index(layer, node_index), tensor_index]

    def get_config(self):
        """Keras' functional config: each layer's config and the calls ("inbound_nodes":
        [layer name, node index, tensor index, call kwargs]), input and output layers."""
        if not self._is_graph_network:
            raise NotImplementedError("get_config of a model without inputs and outputs")
        layers = []
        for layer in self._layers:
            calls = [node for node in self._nodes if node.layer is layer]
            layers.append({"name": layer.name, "class_name": type(layer).__name__,
                           "config": layer.get_config(),
                           "inbound_nodes": [[self._reference(t) + [dict(node.kwargs)]
                                              for t in node.input_tensors]
                                             for node in calls]})
        return {"name": self.name, "layers": layers,
                "input_layers": [self._reference(t) for t in self.inputs],
                "output_layers": [self._reference(t) for t in self.outputs]}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """A new model (new layers and weights) with the architecture ``get_config`` gave."""
        from tfcompat.keras import layers as layers_module
        created, outputs, pending = {}, {}, []
        for entry in config["layers"]:
            layer = layers_module.deserialize(entry, custom_objects)
            created[entry["name"]] = layer
            if isinstance(layer, InputLayer):
                outputs[(entry["name"], 0)] = layer.output
            pending.extend((entry["name"], index, call)
                           for index, call in enumerate(entry["inbound_nodes"]))
        while pending:
            ready = [item for item in pending
                     if all((ref[0], ref[1]) in outputs for ref in item[2])]
            if not ready:
                raise ValueError("Graph disconnected: the model config has calls whose inputs "
                                 "no layer produces")
            for name, index, call in ready:
                inputs = [_select(outputs[(ref[0], ref[1])], ref[2]) for ref in call]
                kwargs = call[0][3] if call and len(call[0]) > 3 else {}
                outputs[(name, index)] = created[name](inputs[0] if len(inputs) == 1
                                                       else inputs, **kwargs)
                pending.remove((name, index, call))

        def tensors(references):
            found = [_select(outputs[(ref[0], ref[1])], ref[2]) for ref in references]
            return found[0] if len(found) == 1 else found
        return cls(inputs=tensors(config["input_layers"]),
                   outputs=tensors(config["output_layers"]), name=config["name"])

    def to_json(self, **kwargs):
        """The architecture as JSON (``tf.keras.models.model_from_json`` rebuilds it)."""
        return json.dumps({"class_name": type(self).__name__, "config": self.get_config(),
                           "keras_version": "2.2.4-tf", "backend": "tensorflow"}, **kwargs)

    # ---- summary -----------------------------------------------------------------------
    def summary(self, line_length=None, positions=None, print_fn=None):
        """Prints the layer table (name, type, output shape, parameters) as Keras 2.2.4-tf;
        "Connected to" for functional models that are not a simple stack."""
        from tfcompat.keras.utils import layer_utils
        layer_utils.print_summary(self, line_length=line_length, positions=positions,
                                  print_fn=print_fn)
