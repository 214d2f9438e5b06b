"""The one BLAS call NumPy has no spelling for: C = alpha·op(A)·op(B) + beta·C in place.

An optimizer update whose gradient is a matrix product (a dense layer's kernel gradient
``MatMul(x, dz, transpose_a=True)``) folds into it: ``var -= lr * x.T @ dz`` is one GEMM with
beta = 1, which reads and writes the variable once, in the BLAS threads' own cache, instead
of NumPy writing the gradient and an update pass reading it back from the other core.

The call goes to the BLAS library NumPy itself is linked to, found among the process's
loaded libraries, so it shares NumPy's thread pool (a second OpenBLAS, such as SciPy's,
would compete with NumPy's spinning threads for the cores: milliseconds a call). Where
that library cannot be found (no ``/proc/self/maps``, a BLAS without the CBLAS interface,
an unknown integer width), ``gemm`` returns False and callers compute the product with
NumPy.
"""
import ctypes
import os

import numpy as np
from numba import njit

_ROW_MAJOR, _NO_TRANS, _TRANS = 101, 111, 112
# (symbol, integer type): NumPy's wheels bundle scipy-openblas with 64-bit integers and
# prefixed, suffixed names; a BLAS built in the usual way has the plain CBLAS names.
_SYMBOLS = {np.dtype(np.float32): ("scipy_cblas_sgemm64_", "cblas_sgemm64_", "cblas_sgemm"),
            np.dtype(np.float64): ("scipy_cblas_dgemm64_", "cblas_dgemm64_", "cblas_dgemm")}
_functions = None


def _numpy_blas_path():
    """The file of the BLAS library loaded with NumPy, or None."""
    numpy_dir = os.path.dirname(os.path.abspath(np.__file__))
    try:
        with open("/proc/self/maps") as maps:
            fields = [line.split(None, 5) for line in maps]
    except OSError:
        return None
    paths = {parts[5].strip() for parts in fields if len(parts) == 6}
    for path in sorted(paths):
        # NumPy's own copy sits in numpy/ or in the wheel's sibling numpy.libs/.
        if "blas" in os.path.basename(path).lower() and path.startswith(numpy_dir):
            return path
    return None


def _bind(library, dtype, uses_64bit_integers):
    real = ctypes.c_float if dtype == np.float32 else ctypes.c_double
    for name in _SYMBOLS[dtype]:
        function = getattr(library, name, None)
        if function is None:
            continue
        wide = name.endswith("64_")
        if not wide and uses_64bit_integers:
            return None  # plain names on an ILP64 build: the integer width is not certain
        integer = ctypes.c_int64 if wide else ctypes.c_int
        function.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int, integer, integer,
                             integer, real, ctypes.c_void_p, integer, ctypes.c_void_p, integer,
                             real, ctypes.c_void_p, integer]
        function.restype = None
        return function
    return None


def _load():
    path = _numpy_blas_path()
    if path is None:
        return {}
    try:
        library = ctypes.CDLL(path)  # already loaded: the same copy and threads as NumPy's
    except OSError:
        return {}
    blas_info = np.__config__.CONFIG.get("Build Dependencies", {}).get("blas", {})
    ilp64 = "64BITINT" in str(blas_info.get("openblas configuration", "")).upper()
    bound = {dtype: _bind(library, dtype, ilp64) for dtype in _SYMBOLS}
    return {dtype: function for dtype, function in bound.items() if function is not None}


def available(dtype):
    """Whether ``gemm`` can run for arrays of ``dtype``."""
    global _functions
    if _functions is None:
        _functions = _load()
    return np.dtype(dtype) in _functions


def _operand(array, transpose):
    """(CBLAS transpose flag, leading dimension) of a row-major view of ``array`` (C- or
    Fortran-contiguous), or None."""
    if array.flags.c_contiguous:
        return _TRANS if transpose else _NO_TRANS, max(array.shape[1], 1)
    if array.flags.f_contiguous:  # its transpose is row-major
        return _NO_TRANS if transpose else _TRANS, max(array.shape[0], 1)
    return None


@njit(cache=True)
def _addresses(a, b, c):
    """The three arrays' data pointers (one call: ``ndarray.ctypes.data`` costs about 1 µs
    each)."""
    return a.ctypes.data, b.ctypes.data, c.ctypes.data


def gemm(alpha, a, transpose_a, b, transpose_b, beta, c):
    """C = alpha·op(A)·op(B) + beta·C, written into ``c`` (C-contiguous, writable, the
    dtype of ``a`` and ``b``; op = transpose where asked; shapes already checked). Returns
    False, having done nothing, when BLAS cannot take these arrays."""
    if not available(c.dtype):
        return False
    first, second = _operand(a, transpose_a), _operand(b, transpose_b)
    m, n = c.shape
    k = a.shape[0] if transpose_a else a.shape[1]
    if first is None or second is None or not c.flags.c_contiguous or 0 in (m, n, k):
        return False
    (ta, lda), (tb, ldb) = first, second
    pa, pb, pc = _addresses(a, b, c)
    _functions[c.dtype](_ROW_MAJOR, ta, tb, m, n, k, alpha, pa, lda, pb, ldb, beta, pc,
                        max(n, 1))
    return True
