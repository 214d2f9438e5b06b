"""``tf.contrib.rnn``: the TF 1.x RNN cells, wrappers and static drivers, the block and fused
cells (block_cells.py), the extra cells and wrappers (extra_cells.py) and the stacked
bidirectional drivers (stacked.py)."""
from tfcompat.contrib.rnn import extra_cells as _extra_cells
from tfcompat.contrib.rnn.block_cells import (GRUBlockCell, GRUBlockCellV2,  # noqa: F401
                                              LayerNormBasicLSTMCell, LSTMBlockCell,
                                              LSTMBlockFusedCell)
from tfcompat.contrib.rnn.extra_cells import *  # noqa: F401,F403
from tfcompat.contrib.rnn.stacked import (stack_bidirectional_dynamic_rnn,  # noqa: F401
                                          stack_bidirectional_rnn)
from tfcompat.rnn.cell_impl import (BasicLSTMCell, BasicRNNCell, DeviceWrapper,  # noqa: F401
                                    DropoutWrapper, EmbeddingWrapper, GRUCell,
                                    InputProjectionWrapper, LSTMCell, LSTMStateTuple,
                                    MultiRNNCell, OutputProjectionWrapper, ResidualWrapper,
                                    RNNCell)
from tfcompat.rnn.rnn import static_bidirectional_rnn, static_rnn  # noqa: F401

__all__ = ["RNNCell", "BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell", "MultiRNNCell",
           "DropoutWrapper", "ResidualWrapper", "DeviceWrapper", "LSTMStateTuple",
           "OutputProjectionWrapper", "InputProjectionWrapper", "EmbeddingWrapper",
           "static_rnn", "static_bidirectional_rnn", "LSTMBlockCell", "GRUBlockCell",
           "GRUBlockCellV2", "LayerNormBasicLSTMCell", "LSTMBlockFusedCell",
           "stack_bidirectional_dynamic_rnn", "stack_bidirectional_rnn"]
__all__ += _extra_cells.__all__
