"""``tf.audio`` (TF 1.15): decode_wav and encode_wav, 16-bit PCM WAV files."""
from tfcompat.ops.audio_ops import decode_wav, encode_wav

__all__ = ["decode_wav", "encode_wav"]
