"""``tf.spectral``: TF 1.15's Fourier-transform namespace (``ops/spectral_ops.py``)."""
from tfcompat.ops.spectral_ops import (fft, fft2d, fft3d, ifft, ifft2d, ifft3d,  # noqa: F401
                                       irfft, rfft)
