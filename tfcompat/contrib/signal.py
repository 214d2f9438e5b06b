"""``tf.contrib.signal``: TF 1.15's contrib name for ``tf.signal`` (framing, windows, STFTs,
mel matrices and MFCCs; the same functions)."""
from tfcompat.signal import (frame, hamming_window, hann_window,  # noqa: F401
                             inverse_stft, inverse_stft_window_fn,
                             linear_to_mel_weight_matrix, mfccs_from_log_mel_spectrograms,
                             overlap_and_add, stft)
