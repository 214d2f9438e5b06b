"""Keras ``TimeDistributed``: one layer applied to every time step of [batch, time, ...]
inputs (the steps folded into the batch axis and unfolded after). As in TF 1.15, the inner
layer's weights live in the wrapper's scope ("time_distributed/kernel")."""
from tfcompat.framework import tensor_shape
from tfcompat.keras.engine.base_layer import Layer
from tfcompat.ops import array_ops


class TimeDistributed(Layer):
    """``TimeDistributed(layer)``."""

    def __init__(self, layer, **kwargs):
        if not hasattr(layer, "_inbound_nodes"):
            raise ValueError(f"Please initialize `TimeDistributed` layer with a `Layer` "
                             f"instance. You passed: {layer}")
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape):
        shape = tensor_shape.as_shape(input_shape)
        if shape.ndims is None or shape.ndims < 3:
            raise ValueError("`TimeDistributed` Layer should be passed an `input_shape ` with "
                             f"at least 3 dimensions, received: {shape.as_list()}")
        self.layer._scope = self._scope
        self.built = True

    @property
    def trainable_weights(self):
        return self.layer.trainable_weights

    @property
    def non_trainable_weights(self):
        return self.layer.non_trainable_weights

    @property
    def weights(self):
        return self.layer.weights

    @property
    def updates(self):
        return self.layer.updates

    @property
    def losses(self):
        return self.layer.losses

    def call(self, inputs, training=None):
        shape = inputs.shape.as_list()
        folded = array_ops.reshape(inputs, [-1] + shape[2:])
        outputs = self.layer(folded)
        inner = outputs.shape.as_list()[1:]
        time = shape[1] if shape[1] is not None else array_ops.shape(inputs)[1]
        if isinstance(time, int) and None not in inner:
            return array_ops.reshape(outputs, [-1, time] + inner)
        dynamic = array_ops.shape(outputs)[1:]
        return array_ops.reshape(outputs, array_ops.concat([[-1, time], dynamic], 0))


__all__ = ["TimeDistributed"]
