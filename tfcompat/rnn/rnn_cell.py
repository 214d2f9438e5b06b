"""``tf.nn.rnn_cell``: the TF 1.x RNN cells."""
from tfcompat.rnn.cell_impl import (BasicLSTMCell, BasicRNNCell, DeviceWrapper,  # noqa: F401
                                    DropoutWrapper, GRUCell, LSTMCell, LSTMStateTuple,
                                    MultiRNNCell, ResidualWrapper, RNNCell)

__all__ = ["RNNCell", "BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell", "MultiRNNCell",
           "DropoutWrapper", "ResidualWrapper", "DeviceWrapper", "LSTMStateTuple"]
