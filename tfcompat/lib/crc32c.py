"""CRC-32C (Castagnoli) and the CRC masking of TensorFlow's ``crc32c::Value/Extend/Mask/Unmask``.

TF's tables (.index), tensor bundles (.data) and TFRecord/event files store masked CRC32Cs.
The C implementation of the ``google-crc32c`` package is used when it is installed; otherwise a
slicing-by-8 table loop compiled with Numba (a few hundred MB/s up to GB/s).
"""
import numpy as np
from numba import njit

try:
    import google_crc32c as _google
except ImportError:  # optional accelerator
    _google = None
if _google is not None and _google.implementation != "c":
    _google = None  # its pure-Python fallback is slower than the Numba loop below

_POLY = 0x82F63B78  # reflected Castagnoli polynomial
_MASK_DELTA = 0xA282EAD8
_U32 = 0xFFFFFFFF


def _make_tables():
    """The 8 lookup tables of slicing-by-8: table[k][b] is the CRC of byte b followed by k zeros."""
    tables = np.zeros((8, 256), dtype=np.int64)
    crc = np.arange(256, dtype=np.int64)
    for _ in range(8):
        crc = np.where(crc & 1, (crc >> 1) ^ _POLY, crc >> 1)
    tables[0] = crc
    for k in range(1, 8):
        tables[k] = (tables[k - 1] >> 8) ^ tables[0][tables[k - 1] & 0xFF]
    return tables


_TABLES = _make_tables()


@njit(cache=True, nogil=True)
def _extend_numba(crc, buf, tables):
    c = crc ^ 0xFFFFFFFF
    n = buf.size
    i = 0
    while n - i >= 8:
        lo = c ^ (np.int64(buf[i]) | (np.int64(buf[i + 1]) << 8)
                  | (np.int64(buf[i + 2]) << 16) | (np.int64(buf[i + 3]) << 24))
        c = (tables[7, lo & 0xFF] ^ tables[6, (lo >> 8) & 0xFF]
             ^ tables[5, (lo >> 16) & 0xFF] ^ tables[4, lo >> 24]
             ^ tables[3, buf[i + 4]] ^ tables[2, buf[i + 5]]
             ^ tables[1, buf[i + 6]] ^ tables[0, buf[i + 7]])
        i += 8
    while i < n:
        c = tables[0, (c ^ buf[i]) & 0xFF] ^ (c >> 8)
        i += 1
    return c ^ 0xFFFFFFFF


def crc32c_fallback(data, crc=0):
    """`crc32c` computed by the Numba loop, whatever is installed (exposed for tests)."""
    return int(_extend_numba(crc & _U32, np.frombuffer(data, dtype=np.uint8), _TABLES))


def crc32c(data, crc=0):
    """CRC32C of ``data`` (any C-contiguous buffer: bytes, memoryview, ndarray...).

    ``crc`` continues a previous result: ``crc32c(b, crc32c(a)) == crc32c(a + b)``.
    """
    if _google is None:
        return crc32c_fallback(data, crc)
    # np.frombuffer gives a zero-copy view that the C extension accepts for any buffer type.
    return _google.extend(crc & _U32, np.frombuffer(data, dtype=np.uint8))


def mask(crc):
    """TF's ``crc32c::Mask``: rotate right by 15 bits and add a constant (stored CRCs)."""
    crc &= _U32
    return ((((crc >> 15) | (crc << 17)) & _U32) + _MASK_DELTA) & _U32


def unmask(masked):
    """Inverse of `mask`."""
    rot = (masked - _MASK_DELTA) & _U32
    return ((rot >> 17) | (rot << 15)) & _U32
