"""Writes tests/golden/signal_goldens.npz with TensorFlow's tf.signal (run with
/work/tfvenv/bin/python: tensorflow 2.21's tf.compat.v1 graph mode; TF 1.15's tf.signal has
the same math): frames, windows, STFT, inverse STFT, mel matrix, DCTs, MFCCs, fftshift and
the 2-D/3-D real FFTs."""
import os

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()


def main():
    rng = np.random.default_rng(7)
    signal = rng.normal(size=(2, 50)).astype(np.float32)
    frames = rng.normal(size=(2, 5, 8)).astype(np.float32)
    mel_input = rng.normal(size=(3, 13)).astype(np.float32)
    image = rng.normal(size=(2, 3, 5, 6)).astype(np.float32)
    spectrum = (rng.normal(size=(2, 3, 5, 4)) + 1j * rng.normal(size=(2, 3, 5, 4))).astype(
        np.complex64)
    tensors = {
        "frame": tf.signal.frame(signal, 8, 5),
        "frame_pad": tf.signal.frame(signal, 8, 5, pad_end=True, pad_value=2.0),
        "frame_axis0": tf.signal.frame(signal.T, 7, 3, axis=0),
        "overlap_and_add": tf.signal.overlap_and_add(frames, 3),
        "hann_periodic_8": tf.signal.hann_window(8),
        "hann_periodic_7": tf.signal.hann_window(7),
        "hann_symmetric_8": tf.signal.hann_window(8, periodic=False),
        "hamming_periodic_8": tf.signal.hamming_window(8),
        "hamming_symmetric_5": tf.signal.hamming_window(5, periodic=False),
        "stft": tf.signal.stft(signal, 12, 4),
        "stft_pad_fft": tf.signal.stft(signal, 10, 4, fft_length=16, pad_end=True,
                                       window_fn=tf.signal.hamming_window),
        "inverse_stft": tf.signal.inverse_stft(
            tf.signal.stft(signal, 16, 4), 16, 4,
            window_fn=tf.signal.inverse_stft_window_fn(4)),
        "inverse_stft_short_fft": tf.signal.inverse_stft(
            tf.signal.stft(signal, 12, 4, fft_length=8), 12, 4, fft_length=8),
        "mel_default": tf.signal.linear_to_mel_weight_matrix(),
        "mel_custom": tf.signal.linear_to_mel_weight_matrix(
            num_mel_bins=10, num_spectrogram_bins=33, sample_rate=16000,
            lower_edge_hertz=20.0, upper_edge_hertz=7600.0),
        "mfccs": tf.signal.mfccs_from_log_mel_spectrograms(mel_input),
        "fftshift": tf.signal.fftshift(image),
        "fftshift_axis": tf.signal.fftshift(image, axes=2),
        "ifftshift_axes": tf.signal.ifftshift(image, axes=(1, 3)),
        "rfft2d": tf.signal.rfft2d(image),
        "rfft2d_lengths": tf.signal.rfft2d(image, fft_length=[4, 8]),
        "rfft3d": tf.signal.rfft3d(image),
        "irfft2d": tf.signal.irfft2d(spectrum),
        "irfft2d_lengths": tf.signal.irfft2d(spectrum, fft_length=[7, 5]),
        "irfft3d": tf.signal.irfft3d(spectrum),
    }
    for dct_type in (1, 2, 3):
        tensors[f"dct{dct_type}"] = tf.signal.dct(mel_input, type=dct_type)
        tensors[f"idct{dct_type}"] = tf.signal.idct(mel_input, type=dct_type)
    for dct_type in (2, 3):
        tensors[f"dct{dct_type}_ortho"] = tf.signal.dct(mel_input, type=dct_type, norm="ortho")
        tensors[f"dct{dct_type}_n"] = tf.signal.dct(mel_input, type=dct_type, n=9)
    with tf.Session() as session:
        values = session.run(tensors)
    values.update(signal=signal, frames=frames, mel_input=mel_input, image=image,
                  spectrum=spectrum)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "signal_goldens.npz")
    np.savez_compressed(path, **values)


if __name__ == "__main__":
    main()
