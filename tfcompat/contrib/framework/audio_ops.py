"""``tensorflow.contrib.framework.python.ops.audio_ops`` (TF 1.15, used by the speech_commands
example): decode_wav, encode_wav, audio_spectrogram and mfcc."""
from tfcompat.ops.audio_ops import audio_spectrogram, decode_wav, encode_wav, mfcc

__all__ = ["audio_spectrogram", "decode_wav", "encode_wav", "mfcc"]
