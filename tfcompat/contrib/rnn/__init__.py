"""``tf.contrib.rnn``: the TF 1.x RNN cells, wrappers and static drivers."""
from tfcompat.rnn.cell_impl import (BasicLSTMCell, BasicRNNCell, DeviceWrapper,  # noqa: F401
                                    DropoutWrapper, GRUCell, InputProjectionWrapper, LSTMCell,
                                    LSTMStateTuple, MultiRNNCell, OutputProjectionWrapper,
                                    ResidualWrapper, RNNCell)
from tfcompat.rnn.cell_impl import EmbeddingWrapper  # noqa: F401
from tfcompat.rnn.rnn import static_bidirectional_rnn, static_rnn  # noqa: F401

__all__ = ["RNNCell", "BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell", "MultiRNNCell",
           "DropoutWrapper", "ResidualWrapper", "DeviceWrapper", "LSTMStateTuple",
           "OutputProjectionWrapper", "InputProjectionWrapper", "static_rnn",
           "static_bidirectional_rnn"]
__all__ += ["EmbeddingWrapper"]
from tfcompat.contrib.rnn.extra_cells import *  # noqa: F401,F403,E402
from tfcompat.contrib.rnn import extra_cells as _extra_cells  # noqa: E402
__all__ += _extra_cells.__all__
