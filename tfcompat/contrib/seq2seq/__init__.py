"""``tf.contrib.seq2seq`` (TF 1.15): decoders, helpers, attention and beam search over
tfcompat's while loops and TensorArrays, and ``sequence_loss``."""
from tfcompat.contrib.seq2seq.basic_decoder import BasicDecoder, BasicDecoderOutput  # noqa: F401
from tfcompat.contrib.seq2seq.decoder import Decoder, dynamic_decode  # noqa: F401
from tfcompat.contrib.seq2seq.helper import (CustomHelper, GreedyEmbeddingHelper,  # noqa: F401
                                             Helper, InferenceHelper, SampleEmbeddingHelper,
                                             ScheduledEmbeddingTrainingHelper,
                                             ScheduledOutputTrainingHelper, TrainingHelper)
from tfcompat.contrib.seq2seq.loss import sequence_loss  # noqa: F401
from tfcompat.contrib.seq2seq.attention_wrapper import (AttentionMechanism,  # noqa: F401
                                                        AttentionWrapper,
                                                        AttentionWrapperState,
                                                        BahdanauAttention, LuongAttention,
                                                        hardmax)
from tfcompat.contrib.seq2seq.beam_search_decoder import (  # noqa: F401
    BeamSearchDecoder, BeamSearchDecoderOutput, BeamSearchDecoderState,
    FinalBeamSearchDecoderOutput, gather_tree_from_array, tile_batch)
from tfcompat.ops.beam_search_ops import gather_tree  # noqa: F401
from tfcompat.contrib.seq2seq.attention_wrapper import (  # noqa: F401
    BahdanauMonotonicAttention, LuongMonotonicAttention, monotonic_attention, safe_cumprod)
