"""``BasicDecoder`` (TF 1.15 ``basic_decoder.py``): one cell step, an optional output
layer, then the helper's sample ids and next inputs; outputs are ``BasicDecoderOutput``
(rnn_output, sample_id)."""
import collections

from tfcompat.framework import nest, ops, tensor_shape
from tfcompat.layers.base import Layer
from tfcompat.contrib.seq2seq.decoder import Decoder
from tfcompat.contrib.seq2seq.helper import Helper

__all__ = ["BasicDecoderOutput", "BasicDecoder"]


class BasicDecoderOutput(collections.namedtuple("BasicDecoderOutput",
                                                ("rnn_output", "sample_id"))):
    """(rnn_output, sample_id) of one decoding step."""

    __slots__ = ()


def check_rnn_cell(name, cell):
    """TF's assert_like_rnncell: a callable with output_size, state_size and zero_state."""
    for attribute in ("output_size", "state_size", "zero_state"):
        if not hasattr(cell, attribute):
            raise TypeError(f"The argument {name!r} ({cell}) is not an RNNCell: "
                            f"'{attribute}' property is missing")
    if not callable(cell):
        raise TypeError(f"The argument {name!r} ({cell}) is not an RNNCell: "
                        f"is not callable")


def check_output_layer(output_layer):
    if output_layer is not None and not isinstance(output_layer, Layer):
        raise TypeError(f"output_layer must be a Layer, received: {type(output_layer)}")


def rnn_output_size(cell, output_layer):
    """The cell's output size, or what ``output_layer`` makes of it."""
    size = cell.output_size
    if output_layer is None:
        return size
    with_batch = nest.map_structure(
        lambda s: tensor_shape.TensorShape([None]).concatenate(s), size)
    layer_shape = output_layer.compute_output_shape(with_batch)
    return nest.map_structure(lambda s: s[1:], layer_shape)


class BasicDecoder(Decoder):
    """``BasicDecoder(cell, helper, initial_state, output_layer=None)``."""

    def __init__(self, cell, helper, initial_state, output_layer=None):
        check_rnn_cell("cell", cell)
        if not isinstance(helper, Helper):
            raise TypeError(f"helper must be a Helper, received: {type(helper)}")
        check_output_layer(output_layer)
        self._cell = cell
        self._helper = helper
        self._initial_state = initial_state
        self._output_layer = output_layer

    @property
    def batch_size(self):
        return self._helper.batch_size

    @property
    def output_size(self):
        return BasicDecoderOutput(rnn_output=rnn_output_size(self._cell, self._output_layer),
                                  sample_id=self._helper.sample_ids_shape)

    @property
    def output_dtype(self):
        dtype = nest.flatten(self._initial_state)[0].dtype
        return BasicDecoderOutput(
            nest.map_structure(lambda _: dtype,
                               rnn_output_size(self._cell, self._output_layer)),
            self._helper.sample_ids_dtype)

    def initialize(self, name=None):
        return self._helper.initialize() + (self._initial_state,)

    def step(self, time, inputs, state, name=None):
        with ops.name_scope(name, "BasicDecoderStep", (time, inputs, state)):
            cell_outputs, cell_state = self._cell(inputs, state)
            if self._output_layer is not None:
                cell_outputs = self._output_layer(cell_outputs)
            sample_ids = self._helper.sample(time=time, outputs=cell_outputs, state=cell_state)
            finished, next_inputs, next_state = self._helper.next_inputs(
                time=time, outputs=cell_outputs, state=cell_state, sample_ids=sample_ids)
        return BasicDecoderOutput(cell_outputs, sample_ids), next_state, next_inputs, finished
