"""Keras wrappers. ``TimeDistributed``: one layer applied to every time step of [batch, time, ...]
inputs (the steps folded into the batch axis and unfolded after). As in TF 1.15, the inner
layer's weights live in the wrapper's scope ("time_distributed/kernel"). ``Bidirectional``:
a recurrent layer run both ways."""
from tfcompat.framework import tensor_shape
from tfcompat.keras.engine.base_layer import Layer
from tfcompat.ops import array_ops


class Wrapper(Layer):
    """``Wrapper(layer)``: the base of layers that wrap another one (``self.layer``)."""

    def __init__(self, layer, **kwargs):
        if not hasattr(layer, "_inbound_nodes"):
            raise ValueError(f"Please initialize `{type(self).__name__}` layer with a `Layer` "
                             f"instance. You passed: {layer}")
        super().__init__(**kwargs)
        self.layer = layer


class TimeDistributed(Wrapper):
    """``TimeDistributed(layer)``."""

    def build(self, input_shape):
        shape = tensor_shape.as_shape(input_shape)
        if shape.ndims is None or shape.ndims < 3:
            raise ValueError("`TimeDistributed` Layer should be passed an `input_shape ` with "
                             f"at least 3 dimensions, received: {shape.as_list()}")
        self.layer._scope = self._scope
        self.built = True

    def compute_mask(self, inputs, mask=None):
        """The time steps' mask passes through."""
        return mask

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


class Bidirectional(Wrapper):
    """``Bidirectional(layer, merge_mode='concat', weights=None, backward_layer=None)``: a
    recurrent layer run forwards ("forward_<name>") and backwards ("backward_<name>", its
    outputs re-reversed in time), merged by 'concat', 'sum', 'mul', 'ave' or None (a list);
    weights "bidirectional/forward_lstm/kernel" ... as in TF 1.15."""

    _MERGES = ("sum", "mul", "ave", "concat", None)

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None,
                 **kwargs):
        if merge_mode not in self._MERGES:
            raise ValueError('Invalid merge mode. Merge mode should be one of {"sum", "mul", '
                             '"ave", "concat", None}')
        if not hasattr(layer, "reversed_copy") and backward_layer is None:
            raise ValueError(f"Bidirectional needs a recurrent layer, got {layer}")
        super().__init__(layer, **kwargs)
        base_name = layer.name[len("forward_"):] if layer.name.startswith("forward_") \
            else layer.name
        self.forward_layer = layer
        self.backward_layer = backward_layer or layer.reversed_copy(f"backward_{base_name}")
        for wrapped, prefix in ((self.forward_layer, "forward_"),
                                (self.backward_layer, "backward_")):
            if not wrapped.name.startswith(prefix):
                wrapped._name = wrapped._base_name = prefix + base_name
        self.merge_mode = merge_mode
        self.return_sequences = layer.return_sequences
        for wrapped in (self.forward_layer, self.backward_layer):
            # Masked steps output zeros, so the re-reversed backward outputs line up.
            wrapped.zero_output_for_mask = self.return_sequences
        self.return_state = layer.return_state
        self._initial_weights = weights  # loaded after the first call, as Keras does

    @property
    def trainable_weights(self):
        return self.forward_layer.trainable_weights + self.backward_layer.trainable_weights

    @property
    def non_trainable_weights(self):
        return (self.forward_layer.non_trainable_weights
                + self.backward_layer.non_trainable_weights)

    @property
    def weights(self):
        return self.forward_layer.weights + self.backward_layer.weights

    def compute_mask(self, inputs, mask=None):
        return mask if self.return_sequences else None

    def call(self, inputs, training=None, initial_state=None, mask=None):
        forward = self.forward_layer(inputs, training=training)
        backward = self.backward_layer(inputs, training=training)
        states = []
        if self.return_state:
            states = list(forward[1:]) + list(backward[1:])
            forward, backward = forward[0], backward[0]
        if self.return_sequences:
            backward = array_ops.reverse(backward, [1])
        if self.merge_mode == "concat":
            output = array_ops.concat([forward, backward], -1)
        elif self.merge_mode == "sum":
            output = forward + backward
        elif self.merge_mode == "ave":
            output = (forward + backward) / 2
        elif self.merge_mode == "mul":
            output = forward * backward
        else:
            output = [forward, backward]
        if self.return_state:
            return (output if isinstance(output, list) else [output]) + states
        return output


__all__ = ["Wrapper", "TimeDistributed", "Bidirectional"]
