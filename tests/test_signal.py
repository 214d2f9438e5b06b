"""tf.signal / tf.contrib.signal against goldens from TensorFlow (tests/golden/
make_signal_goldens.py), TF's static shapes and errors, and float64 finite-difference
gradients through frame, overlap_and_add, stft magnitudes, mel matrices and DCTs."""
import os

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.test import check_gradients

GOLDEN = dict(np.load(os.path.join(os.path.dirname(__file__), "golden", "signal_goldens.npz")))
SIGNAL, FRAMES, MEL_INPUT = GOLDEN["signal"], GOLDEN["frames"], GOLDEN["mel_input"]
IMAGE, SPECTRUM = GOLDEN["image"], GOLDEN["spectrum"]
s = tf.signal


def _golden_builders():
    builders = {
        "frame": lambda: s.frame(SIGNAL, 8, 5),
        "frame_pad": lambda: s.frame(SIGNAL, 8, 5, pad_end=True, pad_value=2.0),
        "frame_axis0": lambda: s.frame(SIGNAL.T, 7, 3, axis=0),
        "overlap_and_add": lambda: s.overlap_and_add(FRAMES, 3),
        "hann_periodic_8": lambda: s.hann_window(8),
        "hann_periodic_7": lambda: s.hann_window(7),
        "hann_symmetric_8": lambda: s.hann_window(8, periodic=False),
        "hamming_periodic_8": lambda: s.hamming_window(8),
        "hamming_symmetric_5": lambda: s.hamming_window(5, periodic=False),
        "stft": lambda: s.stft(SIGNAL, 12, 4),
        "stft_pad_fft": lambda: s.stft(SIGNAL, 10, 4, fft_length=16, pad_end=True,
                                       window_fn=s.hamming_window),
        "inverse_stft": lambda: s.inverse_stft(
            s.stft(SIGNAL, 16, 4), 16, 4, window_fn=s.inverse_stft_window_fn(4)),
        "inverse_stft_short_fft": lambda: s.inverse_stft(
            s.stft(SIGNAL, 12, 4, fft_length=8), 12, 4, fft_length=8),
        "mel_default": s.linear_to_mel_weight_matrix,
        "mel_custom": lambda: s.linear_to_mel_weight_matrix(
            num_mel_bins=10, num_spectrogram_bins=33, sample_rate=16000,
            lower_edge_hertz=20.0, upper_edge_hertz=7600.0),
        "mfccs": lambda: s.mfccs_from_log_mel_spectrograms(MEL_INPUT),
        "fftshift": lambda: s.fftshift(IMAGE),
        "fftshift_axis": lambda: s.fftshift(IMAGE, axes=2),
        "ifftshift_axes": lambda: s.ifftshift(IMAGE, axes=(1, 3)),
        "rfft2d": lambda: s.rfft2d(IMAGE),
        "rfft2d_lengths": lambda: s.rfft2d(IMAGE, fft_length=[4, 8]),
        "rfft3d": lambda: s.rfft3d(IMAGE),
        "irfft2d": lambda: s.irfft2d(SPECTRUM),
        "irfft2d_lengths": lambda: s.irfft2d(SPECTRUM, fft_length=[7, 5]),
        "irfft3d": lambda: s.irfft3d(SPECTRUM),
    }
    for kind in (1, 2, 3):
        builders[f"dct{kind}"] = lambda kind=kind: s.dct(MEL_INPUT, type=kind)
        builders[f"idct{kind}"] = lambda kind=kind: s.idct(MEL_INPUT, type=kind)
    for kind in (2, 3):
        builders[f"dct{kind}_ortho"] = lambda kind=kind: s.dct(MEL_INPUT, type=kind,
                                                               norm="ortho")
        builders[f"dct{kind}_n"] = lambda kind=kind: s.dct(MEL_INPUT, type=kind, n=9)
    return builders


def test_values_and_static_shapes_match_tensorflow():
    builders = _golden_builders()
    with tf.Graph().as_default():
        tensors = {key: build() for key, build in builders.items()}
        for key, tensor in tensors.items():
            assert tensor.shape.as_list() == list(GOLDEN[key].shape), key
        values = tf.Session().run(tensors)
    for key, value in values.items():
        assert value.dtype == GOLDEN[key].dtype, key
        np.testing.assert_allclose(value, GOLDEN[key], rtol=1e-4, atol=2e-5, err_msg=key)


def test_names_and_contrib_namespace():
    with tf.Graph().as_default():
        assert s.linear_to_mel_weight_matrix().name == "linear_to_mel_weight_matrix:0"
        assert s.stft(SIGNAL, 12, 4).op.name.startswith("stft/")
        assert s.hann_window(4).op.name.startswith("hann_window/")
    assert tf.contrib.signal.stft is s.stft and tf.contrib.signal.frame is s.frame
    assert tf.signal.fft is tf.fft and not hasattr(tf.contrib.signal, "dct")


def test_frame_shape_inference():
    with tf.Graph().as_default():
        unknown_length = tf.placeholder(tf.float32, [3, None, 2])
        framed = s.frame(unknown_length, 4, 2, axis=1)
        assert framed.shape.as_list() == [3, None, 4, 2]
        assert s.frame(tf.zeros([3, 10]), 4, 3).shape.as_list() == [3, 3, 4]
        assert s.frame(tf.zeros([3, 10]), 4, 3, pad_end=True).shape.as_list() == [3, 4, 4]
        assert s.frame(tf.zeros([2]), 4, 3).shape.as_list() == [0, 4]
        length = tf.placeholder(tf.int32, [])
        dynamic = s.frame(tf.zeros([10]), length, 3)
        assert dynamic.shape.as_list() == [None, None]
        values = tf.Session().run([framed, dynamic], {
            unknown_length: np.arange(18, dtype=np.float32).reshape(3, 3, 2), length: 4})
    assert values[0].shape == (3, 0, 4, 2) and values[1].shape == (3, 4)
    with tf.Graph().as_default(), pytest.raises(ValueError, match="rank"):
        s.frame(1.0, 2, 1)


def test_windows_of_unknown_length_and_length_one():
    with tf.Graph().as_default():
        length = tf.placeholder(tf.int32, [])
        window = s.hann_window(length, periodic=False)
        with tf.Session() as session:
            np.testing.assert_allclose(session.run(window, {length: 5}),
                                       [0.0, 0.5, 1.0, 0.5, 0.0], atol=1e-6)
            assert session.run(window, {length: 1}).tolist() == [1.0]
        assert tf.Session().run(s.hamming_window(1)).tolist() == [1.0]
        with pytest.raises(ValueError, match="floating point"):
            s.hann_window(4, dtype=tf.int32)


def test_inverse_stft_reconstructs_the_signal():
    with tf.Graph().as_default():
        spectrum = s.stft(SIGNAL, 16, 4)
        back = s.inverse_stft(spectrum, 16, 4, window_fn=s.inverse_stft_window_fn(4))
        value = tf.Session().run(back)
    # Samples covered by a full set of overlapping frames come back exactly.
    np.testing.assert_allclose(value[:, 12:36], SIGNAL[:, 12:36], atol=1e-5)


@pytest.mark.parametrize("kwargs,message", [
    ({"num_mel_bins": 0}, "num_mel_bins must be positive"),
    ({"sample_rate": 0}, "sample_rate must be positive"),
    ({"lower_edge_hertz": -1.0}, "lower_edge_hertz must be non-negative"),
    ({"lower_edge_hertz": 4000.0}, "lower_edge_hertz 4000.0 >= upper_edge_hertz 3800.0"),
    ({"upper_edge_hertz": 5000.0}, "Nyquist"),
    ({"dtype": tf.int32}, "floating point"),
])
def test_mel_matrix_errors(kwargs, message):
    with tf.Graph().as_default(), pytest.raises(ValueError, match=message):
        s.linear_to_mel_weight_matrix(**kwargs)


@pytest.mark.parametrize("kwargs,error,message", [
    ({"type": 4}, ValueError, "Types I, II and III"),
    ({"type": 0, "inverse": True}, ValueError, "Types I, II and III"),
    ({"type": 1, "norm": "ortho"}, ValueError, "not supported for the Type-I"),
    ({"norm": "forward"}, ValueError, "Unknown normalization"),
    ({"n": 0}, ValueError, "positive integer"),
    ({"axis": 0}, NotImplementedError, "axis must be -1"),
])
def test_dct_errors(kwargs, error, message):
    kwargs = dict(kwargs)
    transform = s.idct if kwargs.pop("inverse", False) else s.dct
    with tf.Graph().as_default(), pytest.raises(error, match=message):
        transform(MEL_INPUT, **kwargs)


def test_dct_ortho_round_trip():
    with tf.Graph().as_default():
        back = s.idct(s.dct(MEL_INPUT, norm="ortho"), norm="ortho")
        np.testing.assert_allclose(tf.Session().run(back), MEL_INPUT, atol=1e-5)


def test_gradients_through_frame_and_overlap_and_add():
    rng = np.random.default_rng(3)
    check_gradients(lambda x: s.frame(x, 4, 3, pad_end=True, pad_value=1.0),
                    rng.normal(size=(2, 10)))
    check_gradients(lambda x: s.frame(x, 3, 2, axis=0), rng.normal(size=(7, 2)))
    check_gradients(lambda x: s.overlap_and_add(x, 2), rng.normal(size=(2, 4, 5)))


def test_gradient_through_stft_magnitude_mel_and_mfccs():
    rng = np.random.default_rng(4)

    def log_mel_mfccs(x):
        mel = s.linear_to_mel_weight_matrix(4, 5, 8000, 100.0, 3000.0, dtype=tf.float64)
        magnitude = tf.abs(s.stft(x, 8, 3, fft_length=8))
        return s.mfccs_from_log_mel_spectrograms(tf.log(tf.tensordot(magnitude, mel, 1) + 1.0))
    check_gradients(log_mel_mfccs, rng.normal(size=(2, 17)))
    check_gradients(lambda x: tf.abs(s.stft(x, 6, 2, fft_length=5, pad_end=True)),
                    rng.normal(size=(11,)))


def test_fftshift_of_unknown_shape_and_gradient_through_rfft2d():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 6])
        shifted = s.ifftshift(s.fftshift(x))
        value = tf.Session().run([s.fftshift(x), shifted], {x: IMAGE[0, 0, :4]})
    np.testing.assert_allclose(value[0], np.fft.fftshift(IMAGE[0, 0, :4]))
    np.testing.assert_allclose(value[1], IMAGE[0, 0, :4])
    weights = np.random.default_rng(5).normal(size=(2, 4, 3))

    def loss(x):
        spectrum = s.rfft2d(x, fft_length=[4, 5])
        return tf.real(spectrum) * weights + tf.imag(spectrum)
    check_gradients(loss, np.random.default_rng(6).normal(size=(2, 3, 6)))
    assert tf.spectral.dct is s.dct and tf.spectral.rfft2d is s.rfft2d
