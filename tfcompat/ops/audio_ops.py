"""Audio ops (TF 1.15's ``audio_ops``): DecodeWav / EncodeWav (16-bit PCM RIFF files, parsed
here with struct and NumPy), AudioSpectrogram (periodic Hann window, FFT length the next power
of two) and Mfcc (HTK-style mel filterbank on magnitudes, log, DCT-II), as TF's C++ kernels
compute them. None is differentiable, as in TF."""
import collections
import functools
import struct

import numpy as np

from tfcompat.framework import dtypes, errors, ops, tensor_shape
from tfcompat.framework.op_def import OpDef, make_op, make_tensor, register_op

DecodeWavOutput = collections.namedtuple("DecodeWav", ["audio", "sample_rate"])

_INT16_SCALE = 32768.0
_FILTERBANK_FLOOR = 1e-12


def _check_rank(op, index, rank):
    """TF's shape-function error when input ``index`` of ``op`` is not of rank ``rank``."""
    ndims = op.inputs[index].shape.ndims
    if ndims not in (None, rank):
        shapes = ", ".join(str(t.shape) for t in op.inputs)
        raise ValueError(f"Shape must be rank {rank} but is rank {ndims} for '{op.name}' "
                         f"(op: '{op.type}') with input shapes: {shapes}.")


def _dims_text(array):
    return "[" + ",".join(str(d) for d in np.shape(array)) + "]"


# ---- WAV parsing -----------------------------------------------------------------------------
class _WavReader:
    """Reads a RIFF byte string front to back with TF's wav_io errors."""

    def __init__(self, op, data):
        self.op, self.data, self.offset = op, data, 0

    def take(self, size, what):
        if self.offset + size > len(self.data):
            raise errors.InvalidArgumentError(
                None, self.op, f"Data too short when trying to read {what}")
        chunk = self.data[self.offset:self.offset + size]
        self.offset += size
        return chunk

    def text(self, expected=None):
        found = self.take(4, "string")
        if expected is not None and found != expected:
            raise errors.InvalidArgumentError(
                None, self.op, f"Header mismatch: Expected {expected.decode('latin-1')} but "
                               f"found {found.decode('latin-1')}")
        return found

    def values(self, layout):
        return struct.unpack("<" + layout, self.take(struct.calcsize("<" + layout), "value"))

    def skip(self, size):
        self.take(size, "string")


def _wav_error(op, message):
    return errors.InvalidArgumentError(None, op, message)


def _read_format_chunk(reader):
    """The 'fmt ' chunk -> (channels, sample_rate, block_align), checked as TF does."""
    op = reader.op
    (chunk_size,) = reader.values("I")
    if chunk_size not in (16, 18):
        raise _wav_error(op, "Bad format chunk size for WAV: Expected 16 or 18, but got"
                             f"{chunk_size}")
    audio_format, channels, sample_rate, bytes_per_second, block_align, bits = \
        reader.values("HHIIHH")
    if audio_format != 1:
        raise _wav_error(op, f"Bad audio format for WAV: Expected 1 (PCM), but got{audio_format}")
    if channels < 1:
        raise _wav_error(op, "Bad number of channels for WAV: Expected at least 1, but got "
                             f"{channels}")
    if bits != 16:
        raise _wav_error(op, f"Can only read 16-bit WAV files, but received {bits}")
    if block_align != channels * 2:
        raise _wav_error(op, f"Bad bytes per sample in WAV header: Expected {channels * 2} "
                             f"but got {block_align}")
    if bytes_per_second != sample_rate * block_align:
        raise _wav_error(op, "Bad bytes per second in WAV header: Expected "
                             f"{sample_rate * block_align} but got {bytes_per_second} "
                             f"(sample_rate={sample_rate}, bytes_per_sample={block_align})")
    reader.skip(chunk_size - 16)
    return channels, sample_rate


def _parse_wav(op, contents):
    """A 16-bit PCM WAV file -> (float32 [samples, channels] in [-1, 1), sample rate). As TF,
    chunks are walked to the end of the string; other chunks are skipped (no pad byte), a
    data chunk's trailing partial frame is left to be read as the next chunk's id."""
    reader = _WavReader(op, contents)
    reader.text(b"RIFF")
    reader.values("I")
    reader.text(b"WAVE")
    reader.text(b"fmt ")
    channels, sample_rate = _read_format_chunk(reader)
    audio = None
    while reader.offset < len(contents):
        chunk_id = reader.text()
        (size,) = reader.values("I")
        if chunk_id != b"data":
            reader.offset += size
            continue
        if audio is not None:
            raise _wav_error(op, "More than one data chunk found in WAV")
        frames = size // (2 * channels)
        samples = np.frombuffer(reader.take(frames * 2 * channels, "string"), dtype="<i2")
        audio = (samples.astype(np.float32) / np.float32(_INT16_SCALE)).reshape(-1, channels)
    if audio is None:
        raise _wav_error(op, "No data chunk found in WAV")
    return audio, sample_rate


def _as_bytes(value):
    value = value.item() if isinstance(value, np.ndarray) else value
    return value.encode() if isinstance(value, str) else bytes(value)


@register_op
class DecodeWav(OpDef):
    """A 16-bit PCM WAV file -> (float32 audio [samples, channels], int32 sample_rate).
    ``desired_samples`` truncates or zero-pads; ``desired_channels`` keeps the first channels
    or repeats the last one (TF's rules); -1 keeps the file's."""

    differentiable = False

    def infer(self, op):
        _check_rank(op, 0, 0)
        samples = op.attrs.get("desired_samples", -1)
        channels = op.attrs.get("desired_channels", -1)
        audio_shape = tensor_shape.TensorShape([samples if samples >= 0 else None,
                                                channels if channels >= 0 else None])
        return [(audio_shape, dtypes.float32), (tensor_shape.TensorShape([]), dtypes.int32)]

    def kernel(self, op, ctx):
        desired_samples = op.attrs.get("desired_samples", -1)
        desired_channels = op.attrs.get("desired_channels", -1)

        def decode_wav(contents):
            audio, sample_rate = _parse_wav(op, _as_bytes(contents))
            samples = audio.shape[0] if desired_samples < 0 else desired_samples
            channels = audio.shape[1] if desired_channels < 0 else desired_channels
            source = np.minimum(np.arange(channels), audio.shape[1] - 1)
            kept = min(samples, audio.shape[0])
            out = np.zeros((samples, channels), dtype=np.float32)
            out[:kept] = audio[:kept][:, source]
            return out, np.array(sample_rate, dtype=np.int32)
        return decode_wav


@register_op
class EncodeWav(OpDef):
    """float32 audio [samples, channels] -> a 16-bit PCM WAV file: each sample times 32768,
    rounded half away from zero and clipped to [-32768, 32767]; TF's 44-byte header."""

    differentiable = False

    def infer(self, op):
        _check_rank(op, 0, 2)
        _check_rank(op, 1, 0)
        return [(tensor_shape.TensorShape([]), dtypes.string)]

    def kernel(self, op, ctx):
        def encode_wav(audio, sample_rate):
            if audio.ndim != 2:
                raise _wav_error(op, f"audio must be 2-dimensional{_dims_text(audio)}")
            if np.ndim(sample_rate) != 0:
                raise _wav_error(op, "Input sample_rate should be a scalar tensor, got "
                                     f"{_dims_text(sample_rate)} instead.")
            scaled = (audio.astype(np.float32) * np.float32(_INT16_SCALE)).astype(np.float64)
            rounded = np.sign(scaled) * np.floor(np.abs(scaled) + 0.5)
            pcm = np.clip(np.nan_to_num(rounded), -32768, 32767).astype("<i2")
            channels, rate = audio.shape[1], int(sample_rate)
            data = pcm.tobytes()
            header = b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVEfmt " + struct.pack(
                "<IHHIIHH", 16, 1, channels, rate, rate * channels * 2, channels * 2, 16)
            return np.array(header + b"data" + struct.pack("<I", len(data)) + data,
                            dtype=object)
        return encode_wav


# ---- spectrogram and MFCC --------------------------------------------------------------------
def _next_power_of_two(value):
    return 1 << max(int(value) - 1, 0).bit_length()


@register_op
class AudioSpectrogram(OpDef):
    """float32 [samples, channels] -> [channels, frames, fft_length // 2 + 1]: frames of
    ``window_size`` samples every ``stride``, times a periodic Hann window, zero-padded to the
    next power of two; |FFT| (or its square with ``magnitude_squared``), in double as TF."""

    differentiable = False

    def infer(self, op):
        _check_rank(op, 0, 2)
        window, stride = op.attrs["window_size"], op.attrs["stride"]
        shapes = ", ".join(str(t.shape) for t in op.inputs)
        if window < 2:
            raise ValueError(f"window size must be > 1, got {window} for '{op.name}' "
                             f"(op: 'AudioSpectrogram') with input shapes: {shapes}.")
        if stride < 1:
            raise ValueError(f"stride must be strictly positive, got {stride} for '{op.name}' "
                             f"(op: 'AudioSpectrogram') with input shapes: {shapes}.")
        length, channels = op.inputs[0].shape.with_rank(2).as_list()
        frames = None if length is None else (
            0 if length < window else 1 + (length - window) // stride)
        bins = 1 + _next_power_of_two(window) // 2
        return [(tensor_shape.TensorShape([channels, frames, bins]), dtypes.float32)]

    def kernel(self, op, ctx):
        window_size, stride = op.attrs["window_size"], op.attrs["stride"]
        squared = op.attrs.get("magnitude_squared", False)
        fft_length = _next_power_of_two(window_size)
        hann = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(window_size) / window_size)

        def audio_spectrogram(signal):
            if signal.ndim != 2:
                raise _wav_error(op, f"input must be 2-dimensional{_dims_text(signal)}")
            length = signal.shape[0]
            frames = 0 if length < window_size else 1 + (length - window_size) // stride
            starts = np.arange(frames) * stride
            windows = signal.T.astype(np.float64)[:, starts[:, None] + np.arange(window_size)]
            power = np.abs(np.fft.rfft(windows * hann, n=fft_length, axis=-1)) ** 2
            return (power if squared else np.sqrt(power)).astype(np.float32)
        return audio_spectrogram


def _freq_to_mel(freq):
    return 1127.0 * np.log1p(np.asarray(freq, dtype=np.float64) / 700.0)


@functools.lru_cache(maxsize=32)
def _mel_weights(bins, sample_rate, channels, lower, upper):
    """TF's MfccMelFilterbank as a dense [bins, channels] matrix: each used FFT bin splits its
    magnitude between the falling edge of one band and the rising edge of the next (cached,
    read only)."""
    mel_low, mel_high = _freq_to_mel(lower), _freq_to_mel(upper)
    centers = mel_low + (mel_high - mel_low) / (channels + 1) * np.arange(1, channels + 2)
    hz_per_bin = 0.5 * sample_rate / (bins - 1)
    start, end = int(1.5 + lower / hz_per_bin), int(upper / hz_per_bin)
    matrix = np.zeros((bins, channels))
    for index in range(start, min(end, bins - 1) + 1):
        mel = _freq_to_mel(index * hz_per_bin)
        band = int(np.searchsorted(centers[:channels], mel, side="left")) - 1
        if band >= 0:
            weight = (centers[band + 1] - mel) / (centers[band + 1] - centers[band])
            matrix[index, band] += weight
        else:
            weight = (centers[0] - mel) / (centers[0] - mel_low)
        if band + 1 < channels:
            matrix[index, band + 1] += 1.0 - weight
    return matrix


@functools.lru_cache(maxsize=32)
def _dct_matrix(inputs, coefficients):
    """TF's MfccDct: sqrt(2 / N) cos(i pi (j + 1/2) / N), [N inputs, coefficients]."""
    i, j = np.meshgrid(np.arange(coefficients), np.arange(inputs))
    return np.sqrt(2.0 / inputs) * np.cos(i * (np.pi / inputs) * (j + 0.5))


@register_op
class Mfcc(OpDef):
    """Squared-magnitude spectrogram [channels, frames, bins] + sample_rate ->
    [channels, frames, dct_coefficient_count]: mel filterbank on magnitudes, log floored at
    1e-12, DCT-II (TF's mfcc.cc, in double)."""

    differentiable = False

    def infer(self, op):
        _check_rank(op, 0, 3)
        _check_rank(op, 1, 0)
        channels, frames, _ = op.inputs[0].shape.with_rank(3).as_list()
        return [(tensor_shape.TensorShape([channels, frames, op.attrs["dct_coefficient_count"]]),
                 dtypes.float32)]

    def kernel(self, op, ctx):
        attrs = op.attrs
        bands, coefficients = attrs["filterbank_channel_count"], attrs["dct_coefficient_count"]
        lower, upper = attrs["lower_frequency_limit"], attrs["upper_frequency_limit"]

        def mfcc(spectrogram, sample_rate):
            if spectrogram.ndim != 3:
                raise _wav_error(op, "spectrogram must be 3-dimensional"
                                     f"{_dims_text(spectrogram)}")
            if np.ndim(sample_rate) != 0:
                raise _wav_error(op, "Input sample_rate should be a scalar tensor, got "
                                     f"{_dims_text(sample_rate)} instead.")
            bins, rate = spectrogram.shape[2], int(sample_rate)
            if bands < 1 or rate <= 0 or bins < 2 or lower < 0 or upper <= lower or \
                    not 1 <= coefficients <= bands:
                raise _wav_error(op, f"Mfcc initialization failed for channel count {bins}, "
                                     f"sample rate {rate} and filterbank_channel_count {bands}")
            with np.errstate(invalid="ignore"):  # a negative power gives NaN, as in TF
                magnitudes = np.sqrt(spectrogram.astype(np.float64))
            energies = magnitudes @ _mel_weights(bins, rate, bands, lower, upper)
            logs = np.log(np.maximum(energies, _FILTERBANK_FLOOR))
            return (logs @ _dct_matrix(bands, coefficients)).astype(np.float32)
        return mfcc


# ---- Python wrappers (gen_audio_ops) ---------------------------------------------------------
def decode_wav(contents, desired_channels=-1, desired_samples=-1, name=None):
    """``tf.audio.decode_wav`` -> (audio float32 [samples, channels], sample_rate int32)."""
    op = make_op("DecodeWav",
                 [ops.convert_to_tensor(contents, dtype=dtypes.string, name="contents")],
                 {"desired_channels": int(desired_channels),
                  "desired_samples": int(desired_samples)}, name=name or "DecodeWav")
    return DecodeWavOutput(*op.outputs)


def encode_wav(audio, sample_rate, name=None):
    """``tf.audio.encode_wav``: float32 [samples, channels] -> a 16-bit PCM WAV string."""
    audio = ops.convert_to_tensor(audio, dtype=dtypes.float32, name="audio")
    rate = ops.convert_to_tensor(sample_rate, dtype=dtypes.int32, name="sample_rate")
    return make_tensor("EncodeWav", [audio, rate], {}, name=name or "EncodeWav")


def audio_spectrogram(input, window_size, stride, magnitude_squared=False,  # noqa: A002
                      name=None):
    """``audio_ops.audio_spectrogram`` -> float32 [channels, frames, bins]."""
    signal = ops.convert_to_tensor(input, dtype=dtypes.float32, name="input")
    return make_tensor("AudioSpectrogram", [signal],
                       {"window_size": int(window_size), "stride": int(stride),
                        "magnitude_squared": bool(magnitude_squared)},
                       name=name or "AudioSpectrogram")


def mfcc(spectrogram, sample_rate, upper_frequency_limit=4000, lower_frequency_limit=20,
         filterbank_channel_count=40, dct_coefficient_count=13, name=None):
    """``audio_ops.mfcc`` -> float32 [channels, frames, dct_coefficient_count]."""
    spectrogram = ops.convert_to_tensor(spectrogram, dtype=dtypes.float32, name="spectrogram")
    rate = ops.convert_to_tensor(sample_rate, dtype=dtypes.int32, name="sample_rate")
    return make_tensor("Mfcc", [spectrogram, rate],
                       {"upper_frequency_limit": float(upper_frequency_limit),
                        "lower_frequency_limit": float(lower_frequency_limit),
                        "filterbank_channel_count": int(filterbank_channel_count),
                        "dct_coefficient_count": int(dct_coefficient_count)},
                       name=name or "Mfcc")
