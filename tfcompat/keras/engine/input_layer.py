"""``tf.keras.Input`` and ``InputLayer``: a placeholder wrapped as a layer, the start of a
functional model. Names follow TF 1.15: "input_1", "input_2" ... per graph, or
"<first layer>_input" for a Sequential model's input."""
from tfcompat.framework import dtypes, ops
from tfcompat.keras.engine.base_layer import Layer, Node
from tfcompat.ops import array_ops


class InputLayer(Layer):
    """``InputLayer(input_shape=None, batch_size=None, dtype=None, input_tensor=None,
    sparse=False, name=None)``: ``output`` is a placeholder of ``(batch_size,) +
    input_shape`` (or ``input_tensor`` itself)."""

    def __init__(self, input_shape=None, batch_size=None, dtype=None, input_tensor=None,
                 sparse=False, name=None, **kwargs):
        from tfcompat.keras import backend
        if sparse:
            raise ValueError("tfcompat's keras InputLayer does not support sparse inputs")
        batch_input_shape = kwargs.pop("batch_input_shape", None)
        if name is None:
            name = f"input_{backend.get_uid('input')}"
        super().__init__(name=name, dtype=dtype or backend.floatx())
        if input_tensor is None:
            if batch_input_shape is None:
                if input_shape is None:
                    raise ValueError("Please provide to Input either a `shape` or a "
                                     "`batch_shape` argument. Note that `shape` does not "
                                     "include the batch dimension.")
                batch_input_shape = (batch_size,) + tuple(input_shape)
            with ops.name_scope(""):
                input_tensor = array_ops.placeholder(dtypes.as_dtype(self.dtype),
                                                     list(batch_input_shape), name=name)
        self._batch_input_shape = tuple(input_tensor.shape.as_list())
        self.built = True
        self.is_placeholder = True
        node = Node(self, input_tensor, (), {}, input_tensor)
        self._inbound_nodes.append(node)
        input_tensor._keras_history = (self, 0, 0)

    def compute_output_shape(self, input_shape):
        return input_shape


def Input(shape=None, batch_size=None, name=None, dtype=None, sparse=False,  # noqa: N802
          tensor=None, batch_shape=None, **kwargs):
    """``tf.keras.Input(shape=None, batch_size=None, name=None, dtype=None, sparse=False,
    tensor=None)``: the output tensor of a new InputLayer."""
    if kwargs:
        raise TypeError(f"Unrecognized keyword arguments: {sorted(kwargs)}")
    layer = InputLayer(input_shape=shape, batch_size=batch_size, name=name, dtype=dtype,
                       sparse=sparse, input_tensor=tensor, batch_input_shape=batch_shape)
    return layer.output
