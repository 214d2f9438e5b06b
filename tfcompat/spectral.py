"""``tf.spectral``: TF 1.15's Fourier-transform namespace (``ops/spectral_ops.py``) with its
DCTs and 2-D/3-D real FFTs (from ``tfcompat/signal.py``)."""
from tfcompat.ops.spectral_ops import (fft, fft2d, fft3d, ifft, ifft2d, ifft3d,  # noqa: F401
                                       irfft, rfft)
from tfcompat.signal import dct, idct, irfft2d, irfft3d, rfft2d, rfft3d  # noqa: F401
