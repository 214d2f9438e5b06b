"""Audio ops: DecodeWav / EncodeWav round trips and TF's header, AudioSpectrogram and Mfcc
against TensorFlow's outputs (tests/golden/make_audio_goldens.py), TF's errors for bad WAV
data and bad attributes, and the tf.audio / contrib audio_ops facades."""
import pathlib
import struct

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.contrib.framework import audio_ops as contrib_audio

GOLDEN = np.load(pathlib.Path(__file__).parent.parent / "golden" / "audio_goldens.npz")


def _run(fetches, feed_dict=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed_dict)


def _wav(channels=1, rate=16000, bits=16, audio_format=1, data=b"\x00\x01\x02\x03",
         fmt_size=16, riff=b"RIFF", extra_chunk=b""):
    """A hand-built RIFF file, so each header field can be made wrong on its own."""
    fmt = struct.pack("<HHIIHH", audio_format, channels, rate, rate * channels * bits // 8,
                      channels * bits // 8, bits) + b"\x00" * (fmt_size - 16)
    body = (b"WAVEfmt " + struct.pack("<I", fmt_size) + fmt + extra_chunk + b"data" +
            struct.pack("<I", len(data)) + data)
    return riff + struct.pack("<I", len(body)) + body


def test_encode_wav_matches_tensorflow_bytes():
    with tf.Graph().as_default():
        contents = tf.audio.encode_wav(GOLDEN["audio"], 8000)
        assert contents.op.type == "EncodeWav" and contents.op.name == "EncodeWav"
        assert contents.shape.as_list() == [] and contents.dtype == tf.string
        assert _run(contents) == GOLDEN["wav"].tobytes()


def test_encode_wav_rounds_half_away_from_zero_and_clips():
    audio = np.array([[0.5], [1.0], [-1.0], [1.5], [-1.5], [0.5 / 32768], [-0.5 / 32768],
                      [0.4 / 32768]], np.float32)
    with tf.Graph().as_default():
        contents = _run(tf.audio.encode_wav(audio, 22050))
    assert contents[:4] == b"RIFF" and contents[8:16] == b"WAVEfmt "
    assert struct.unpack("<IHHIIHH", contents[16:36]) == (16, 1, 1, 22050, 44100, 2, 16)
    samples = np.frombuffer(contents[44:], "<i2")
    np.testing.assert_array_equal(samples, [16384, 32767, -32768, 32767, -32768, 1, -1, 0])


def test_decode_wav_matches_tensorflow_padding_and_channel_rules():
    with tf.Graph().as_default():
        audio, rate = tf.audio.decode_wav(GOLDEN["wav"].tobytes(), desired_channels=3,
                                          desired_samples=320)
        assert audio.op.type == "DecodeWav" and audio.shape.as_list() == [320, 3]
        assert rate.dtype == tf.int32 and rate.shape.as_list() == []
        values, sample_rate = _run([audio, rate])
    np.testing.assert_array_equal(values, GOLDEN["decoded"])
    assert sample_rate == GOLDEN["rate"] == 8000


def test_decode_wav_round_trip_truncates_and_keeps_first_channels():
    audio = (np.arange(-12, 12, dtype=np.float32).reshape(8, 3) / 16).astype(np.float32)
    with tf.Graph().as_default():
        contents = tf.audio.encode_wav(audio, 44100)
        full = tf.audio.decode_wav(contents)
        cut = tf.audio.decode_wav(contents, desired_channels=1, desired_samples=5)
        assert full.audio.shape.as_list() == [None, None]
        full_audio, cut_audio, rate = _run([full.audio, cut.audio, full.sample_rate])
    np.testing.assert_array_equal(full_audio, audio)
    np.testing.assert_array_equal(cut_audio, audio[:5, :1])
    assert rate == 44100


def test_decode_wav_skips_unknown_chunks_and_long_format_chunk():
    data = np.array([100, -200, 300, -400], "<i2").tobytes()
    contents = _wav(channels=2, data=data, fmt_size=18,
                    extra_chunk=b"LIST" + struct.pack("<I", 4) + b"abcd")
    with tf.Graph().as_default():
        audio = _run(tf.audio.decode_wav(contents).audio)
    np.testing.assert_array_equal(audio * 32768, [[100, -200], [300, -400]])


@pytest.mark.parametrize("contents, message", [
    (b"", "Data too short when trying to read string"),
    (_wav(riff=b"RIFX"), "Header mismatch: Expected RIFF but found RIFX"),
    (_wav(bits=8), "Can only read 16-bit WAV files, but received 8"),
    (_wav(audio_format=3), r"Bad audio format for WAV: Expected 1 \(PCM\), but got3"),
    (_wav(channels=0), "Bad number of channels for WAV: Expected at least 1, but got 0"),
    (_wav(data=b"\x00\x01\x02"), "Data too short"),
    (_wav(fmt_size=20), "Bad format chunk size for WAV: Expected 16 or 18, but got20"),
    (_wav(data=b"")[:-8], "No data chunk found in WAV"),
    (_wav(data=b"ab", extra_chunk=b"data\x02\x00\x00\x00ab"),
     "More than one data chunk found in WAV"),
    (_wav(data=b"ab")[:-6] + struct.pack("<I", 8) + b"ab",
     "Data too short when trying to read string"),
    (_wav(data=b"ab").replace(b"\x80>\x00\x00\x00}", b"\x80>\x00\x00\x01}"),
     r"Bad bytes per second in WAV header: Expected 32000 but got 32001 \(sample_rate=16000, "
     r"bytes_per_sample=2\)"),
])
def test_decode_wav_errors(contents, message):
    with tf.Graph().as_default():
        audio = tf.audio.decode_wav(tf.placeholder(tf.string, [])).audio
        with pytest.raises(tf.errors.InvalidArgumentError, match=message) as info:
            _run(audio, {audio.op.inputs[0]: contents})
        assert info.value.op is audio.op


def test_encode_wav_static_and_run_time_errors():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="Shape must be rank 2 but is rank 1 for "
                                             "'EncodeWav'"):
            tf.audio.encode_wav(np.zeros(3, np.float32), 100)
        audio = tf.placeholder(tf.float32)
        contents = tf.audio.encode_wav(audio, 100)
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"audio must be 2-dimensional\[3\]"):
            _run(contents, {audio: np.zeros(3, np.float32)})


@pytest.mark.parametrize("squared", [False, True])
def test_audio_spectrogram_matches_tensorflow(squared):
    with tf.Graph().as_default():
        spectrogram = contrib_audio.audio_spectrogram(GOLDEN["audio"], window_size=48,
                                                      stride=20, magnitude_squared=squared)
        assert spectrogram.op.type == "AudioSpectrogram"
        assert spectrogram.shape.as_list() == [2, 13, 33]
        np.testing.assert_allclose(_run(spectrogram), GOLDEN[f"spectrogram_{int(squared)}"],
                                   rtol=1e-5, atol=1e-5)


def test_audio_spectrogram_short_input_and_errors():
    with tf.Graph().as_default():
        short = contrib_audio.audio_spectrogram(np.ones((5, 1), np.float32), 8, 2)
        assert short.shape.as_list() == [1, 0, 5]
        assert _run(short).shape == (1, 0, 5)
        with pytest.raises(ValueError, match="window size must be > 1, got 1 for "
                                             "'AudioSpectrogram_1'"):
            contrib_audio.audio_spectrogram(np.ones((5, 1), np.float32), 1, 1)
        with pytest.raises(ValueError, match="stride must be strictly positive, got 0"):
            contrib_audio.audio_spectrogram(np.ones((5, 1), np.float32), 4, 0)
        signal = tf.placeholder(tf.float32)
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"input must be 2-dimensional\[5\]"):
            _run(contrib_audio.audio_spectrogram(signal, 2, 1), {signal: np.ones(5)})
        with pytest.raises(ValueError, match="Shape must be rank 2 but is rank 1"):
            contrib_audio.audio_spectrogram(np.ones(5, np.float32), 2, 1)


def test_mfcc_matches_tensorflow():
    with tf.Graph().as_default():
        default = contrib_audio.mfcc(GOLDEN["spectrogram_1"], 8000)
        custom = contrib_audio.mfcc(GOLDEN["spectrogram_1"], 16000, upper_frequency_limit=7000,
                                    lower_frequency_limit=100, filterbank_channel_count=20,
                                    dct_coefficient_count=10)
        assert default.op.type == "Mfcc" and default.shape.as_list() == [2, 13, 13]
        assert custom.shape.as_list() == [2, 13, 10]
        got_default, got_custom = _run([default, custom])
    np.testing.assert_allclose(got_default, GOLDEN["mfcc_default"], rtol=1e-5, atol=1e-4)
    np.testing.assert_allclose(got_custom, GOLDEN["mfcc_custom"], rtol=1e-5, atol=1e-4)


def _speech_signal():
    """make_audio_goldens.speech_signal: one second of 16 kHz mono, tones + seeded noise."""
    rng = np.random.RandomState(11)
    t = np.arange(16000) / 16000.0
    tones = 0.3 * np.sin(2 * np.pi * 440 * t) + 0.2 * np.sin(2 * np.pi * 1500 * t ** 2)
    return (tones + 0.05 * rng.standard_normal(16000))[:, None].astype(np.float32)


def test_speech_commands_sized_mfcc_matches_tensorflow():
    """30 ms windows every 10 ms, 40 filterbank channels and coefficients (the example's)."""
    with tf.Graph().as_default():
        spectrogram = contrib_audio.audio_spectrogram(_speech_signal(), 480, 160,
                                                      magnitude_squared=True)
        features = contrib_audio.mfcc(spectrogram, 16000, dct_coefficient_count=40)
        assert spectrogram.shape.as_list() == [1, 98, 257]
        assert features.shape.as_list() == [1, 98, 40]
        np.testing.assert_allclose(_run(features), GOLDEN["speech_mfcc"], rtol=1e-4, atol=1e-4)


def test_mfcc_initialization_errors():
    spectrogram = np.ones((1, 2, 9), np.float32)
    with tf.Graph().as_default():
        for kwargs in ({"dct_coefficient_count": 50}, {"filterbank_channel_count": 0},
                       {"lower_frequency_limit": -1.0}):
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match="Mfcc initialization failed for channel count 9, sample "
                                     "rate 16000"):
                _run(contrib_audio.mfcc(spectrogram, 16000, **kwargs))
        with pytest.raises(ValueError, match="Shape must be rank 3 but is rank 2"):
            contrib_audio.mfcc(spectrogram[0], 16000)


def test_speech_commands_pipeline_and_facades():
    """The speech_commands example's feature graph: decode, spectrogram, mfcc."""
    import tfcompat.runner  # noqa: F401  (registers the tensorflow.* aliases)
    from tfcompat.runner import tfcompat_candidates
    assert "tfcompat.contrib.framework.audio_ops" in tfcompat_candidates(
        "tensorflow.contrib.framework.python.ops.audio_ops")
    assert tf.contrib.framework.audio_ops.mfcc is contrib_audio.mfcc
    assert tfcompat_candidates("tensorflow.python.ops.gen_audio_ops")[0] == \
        "tfcompat.ops.gen_audio_ops"
    from tfcompat.ops import gen_audio_ops
    assert gen_audio_ops.audio_spectrogram is contrib_audio.audio_spectrogram
    with tf.Graph().as_default():
        wav = tf.placeholder(tf.string, [])
        decoded = contrib_audio.decode_wav(wav, desired_channels=1, desired_samples=400)
        spectrogram = contrib_audio.audio_spectrogram(decoded.audio, window_size=64,
                                                      stride=32, magnitude_squared=True)
        features = contrib_audio.mfcc(spectrogram, decoded.sample_rate,
                                      dct_coefficient_count=10)
        assert features.shape.as_list() == [1, 11, 10]
        contents = _run(tf.audio.encode_wav(GOLDEN["audio"], 8000))
        values = _run(features, {wav: contents})
    assert values.shape == (1, 11, 10) and np.isfinite(values).all()
