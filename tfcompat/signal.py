"""``tf.signal``: the Fourier transforms of ``ops/spectral_ops.py`` under their
``tf.signal`` names (TF's framing, windows and spectrograms are not in tfcompat)."""
from tfcompat.ops.spectral_ops import (fft, fft2d, fft3d, ifft, ifft2d, ifft3d,  # noqa: F401
                                       irfft, rfft)
