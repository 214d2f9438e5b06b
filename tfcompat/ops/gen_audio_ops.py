"""``tensorflow.python.ops.gen_audio_ops``, the module TF 1.15's speech_commands example
imports as ``audio_ops``: the four audio op wrappers, defined in ``audio_ops``."""
from tfcompat.ops.audio_ops import audio_spectrogram, decode_wav, encode_wav, mfcc

__all__ = ["audio_spectrogram", "decode_wav", "encode_wav", "mfcc"]
