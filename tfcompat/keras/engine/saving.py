"""Keras weight checkpoints in TF format.

TF 1.15's ``Model.save_weights`` (TF format) names each weight after the object path that
tracks it: the i-th layer having weights is "layer_with_weights-<i>" (in a subclassed
model: the attribute holding the layer, "hidden" or "blocks/1") and its weight the
attribute holding it ("kernel", "bias", "moving_mean" ...), giving keys such as
"layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE" (nested models nest the paths).
tfcompat writes those keys with ``tf.train.Saver`` together with the serialized
TrackableObjectGraph proto under "_CHECKPOINTABLE_OBJECT_GRAPH" (the model, its layers with
weights and their variables, as TF's object-based restore walks them), and reads the
variables of checkpoints written by either. HDF5 files need h5py, which tfcompat does not
depend on.
"""
import os

from tfcompat.framework import ops
from tfcompat.lib import proto_wire
from tfcompat.ops import array_ops, control_flow_ops
from tfcompat.train import saver as saver_lib

_SUFFIX = "/.ATTRIBUTES/VARIABLE_VALUE"
_OBJECT_GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH"


def require_h5py(what):
    try:
        import h5py  # noqa: F401
    except ImportError:
        raise ImportError(f"`{what}` requires h5py for HDF5 files: install h5py, or use the "
                          "TensorFlow checkpoint format (a path not ending in .h5).") from None
    raise NotImplementedError(f"tfcompat does not implement HDF5 `{what}` yet")


class _ObjectGraph:
    """The trackable objects of a model: node 0 the model, then per layer with weights a
    node ("layer_with_weights-<i>", nested models recursively) whose children are its
    variables ("kernel", "bias" ...)."""

    def __init__(self, model):
        self.children = []    # per node: [(child node id, local name)]
        self.attributes = []  # per node: [(variable name, checkpoint key)]
        self.keys = {}        # checkpoint key -> variable
        self._visit(model, self._add_node(), "")

    def _add_node(self):
        self.children.append([])
        self.attributes.append([])
        return len(self.children) - 1

    def _add_child(self, parent, name):
        child = self._add_node()
        self.children[parent].append((child, name))
        return child

    def _visit(self, network, node, prefix):
        if network._is_subclassed():
            self._visit_attributes(network, node, prefix)
            return
        layers = [layer for layer in network.layers if layer.weights]
        for index, layer in enumerate(layers):
            self._visit_layer(layer, self._add_child(node, f"layer_with_weights-{index}"),
                              f"{prefix}layer_with_weights-{index}/")

    def _visit_attributes(self, network, node, prefix):
        """Subclassed models: layers by the attribute holding them ("hidden/kernel"; lists
        as "blocks/1/kernel"), as TF tracks them."""
        for attribute, value in vars(network).items():
            if attribute.startswith("_"):
                continue
            if isinstance(value, (list, tuple)):
                items = [(f"{attribute}/{i}", v) for i, v in enumerate(value)]
                if any(hasattr(v, "weights") and v.weights for _, v in items):
                    node_of_list = self._add_child(node, attribute)
                    for index, item in enumerate(value):
                        if hasattr(item, "weights") and item.weights:
                            self._visit_layer(item, self._add_child(node_of_list, str(index)),
                                              f"{prefix}{attribute}/{index}/")
            elif hasattr(value, "_inbound_nodes") and value.weights:
                self._visit_layer(value, self._add_child(node, attribute),
                                  f"{prefix}{attribute}/")

    def _visit_layer(self, layer, node, path):
        if hasattr(layer, "_nodes"):
            self._visit(layer, node, path)
            return
        for weight in layer.weights:
            attribute = weight.op.name.rsplit("/", 1)[-1]
            key = f"{path}{attribute}{_SUFFIX}"
            self.attributes[self._add_child(node, attribute)].append((weight.op.name, key))
            self.keys[key] = weight

    def serialized(self):
        """The TrackableObjectGraph proto: nodes (1) of children (1: node_id 1, local_name
        2) and attributes (2: name 1, full_name 2, checkpoint_key 3)."""
        nodes = b""
        for children, attributes in zip(self.children, self.attributes, strict=True):
            node = b"".join(proto_wire.field_bytes(1, proto_wire.field_varint(1, child)
                                                   + proto_wire.field_bytes(2, name.encode()))
                            for child, name in children)
            node += b"".join(proto_wire.field_bytes(2, proto_wire.field_bytes(1, b"VARIABLE_VALUE")
                                                    + proto_wire.field_bytes(2, full.encode())
                                                    + proto_wire.field_bytes(3, key.encode()))
                             for full, key in attributes)
            nodes += proto_wire.field_bytes(1, node)
        return nodes


def checkpoint_keys(model):
    """{key: variable} for ``model``'s weights, named as TF's object-based checkpoints."""
    return _ObjectGraph(model).keys


class _ObjectGraphSaveable(saver_lib.SaveableObject):
    """The serialized object graph, saved as a string tensor and never restored."""

    def __init__(self, tensor):
        super().__init__(tensor, [saver_lib.SaveSpec(tensor, "", _OBJECT_GRAPH_KEY)],
                         _OBJECT_GRAPH_KEY)

    def restore(self, restored_tensors, restored_shapes):
        return control_flow_ops.no_op()


def _is_hdf5(filepath, save_format):
    if save_format is not None:
        if save_format not in ("h5", "tf"):
            raise ValueError(f"Unknown format \"{save_format}\". Was expecting one of "
                             "{\"tf\", \"h5\"}.")
        return save_format == "h5"
    return str(filepath).endswith((".h5", ".keras", ".hdf5"))


def _savers(model):
    """(saving Saver with the object graph, restoring Saver of the variables), made once."""
    savers = getattr(model, "_weights_savers", None)
    if savers is None:
        graph = _ObjectGraph(model)
        with ops.name_scope("save_weights"):
            proto = array_ops.constant(graph.serialized(), name="object_graph")
        saving = dict(graph.keys, **{_OBJECT_GRAPH_KEY: _ObjectGraphSaveable(proto)})
        savers = model._weights_savers = (saver_lib.Saver(saving, max_to_keep=None),
                                          saver_lib.Saver(graph.keys, max_to_keep=None))
    return savers


def save_weights(model, filepath, save_format=None):
    from tfcompat.keras import backend
    if _is_hdf5(filepath, save_format):
        require_h5py("save_weights")
    directory = os.path.dirname(os.path.abspath(filepath))
    os.makedirs(directory, exist_ok=True)
    _savers(model)[0].save(backend.get_session(), str(filepath), write_meta_graph=False)


def load_weights(model, filepath, by_name=False):
    from tfcompat.keras import backend
    if _is_hdf5(filepath, None):
        require_h5py("load_weights")
    if by_name:
        raise NotImplementedError("tfcompat's load_weights(by_name=True) needs HDF5 files")
    _savers(model)[1].restore(backend.get_session(), str(filepath))
