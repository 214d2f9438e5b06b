"""``tf.contrib.seq2seq`` (TF 1.15): decoders (BasicDecoder, BeamSearchDecoder,
dynamic_decode), decoding helpers, attention mechanisms and AttentionWrapper, the GatherTree
op, and ``sequence_loss``, composed from tfcompat's while loops, TensorArrays and cells.
Not implemented: the Keras-layer "V2" classes of TF 1.15 (BasicDecoderV2,
AttentionWrapper's V2 mechanisms, BeamSearchDecoderV2, BaseDecoder) and the SequenceLoss
Keras loss."""
from tfcompat.contrib.seq2seq.attention_wrapper import (AttentionMechanism, AttentionWrapper,
                                                        AttentionWrapperState,
                                                        BahdanauAttention,
                                                        BahdanauMonotonicAttention,
                                                        LuongAttention, LuongMonotonicAttention,
                                                        hardmax, monotonic_attention,
                                                        safe_cumprod)
from tfcompat.contrib.seq2seq.basic_decoder import BasicDecoder, BasicDecoderOutput
from tfcompat.contrib.seq2seq.beam_search_decoder import (BeamSearchDecoder,
                                                          BeamSearchDecoderOutput,
                                                          BeamSearchDecoderState,
                                                          FinalBeamSearchDecoderOutput,
                                                          gather_tree_from_array, tile_batch)
from tfcompat.contrib.seq2seq.decoder import Decoder, dynamic_decode
from tfcompat.contrib.seq2seq.helper import (CustomHelper, GreedyEmbeddingHelper, Helper,
                                             InferenceHelper, SampleEmbeddingHelper,
                                             ScheduledEmbeddingTrainingHelper,
                                             ScheduledOutputTrainingHelper, TrainingHelper)
from tfcompat.contrib.seq2seq.loss import sequence_loss
from tfcompat.ops.beam_search_ops import gather_tree

__all__ = ["sequence_loss", "Decoder", "dynamic_decode", "BasicDecoder",
           "BasicDecoderOutput", "BeamSearchDecoder", "BeamSearchDecoderOutput",
           "BeamSearchDecoderState", "FinalBeamSearchDecoderOutput", "gather_tree",
           "gather_tree_from_array", "tile_batch", "Helper", "CustomHelper", "TrainingHelper",
           "GreedyEmbeddingHelper", "SampleEmbeddingHelper", "InferenceHelper",
           "ScheduledEmbeddingTrainingHelper", "ScheduledOutputTrainingHelper",
           "AttentionMechanism", "AttentionWrapper", "AttentionWrapperState",
           "BahdanauAttention", "LuongAttention", "BahdanauMonotonicAttention",
           "LuongMonotonicAttention", "hardmax", "monotonic_attention", "safe_cumprod"]


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.contrib.seq2seq' has no attribute '{name}': "
                         f"tfcompat does not implement tf.contrib.seq2seq.{name} yet")
