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
from tfcompat.contrib.rnn.block_cells import (GRUBlockCell, GRUBlockCellV2,  # noqa: F401,E402
                                              LayerNormBasicLSTMCell, LSTMBlockCell,
                                              LSTMBlockFusedCell)
from tfcompat.contrib.rnn.stacked import (stack_bidirectional_dynamic_rnn,  # noqa: F401,E402
                                          stack_bidirectional_rnn)
__all__ += ["LSTMBlockCell", "GRUBlockCell", "GRUBlockCellV2", "LayerNormBasicLSTMCell",
            "LSTMBlockFusedCell",
            "stack_bidirectional_dynamic_rnn", "stack_bidirectional_rnn"]
