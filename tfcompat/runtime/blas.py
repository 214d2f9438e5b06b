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
from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic

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
    """(address of the library's GEMM for ``dtype``, a zero of its integer type), or None."""
    for name in _SYMBOLS[dtype]:
        function = getattr(library, name, None)
        if function is None:
            continue
        wide = name.endswith("64_")
        if not wide and uses_64bit_integers:
            return None  # plain names on an ILP64 build: the integer width is not certain
        return ctypes.cast(function, ctypes.c_void_p).value, np.int64(0) if wide else np.int32(0)
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


@intrinsic
def _cblas_gemm(typingctx, address, integer, order, trans_a, trans_b, m, n, k, alpha, a, lda,
                b, ldb, beta, c, ldc):
    """Calls the CBLAS ``?gemm`` at ``address`` (its integers of ``integer``'s type, its
    reals of the arrays' dtype) on the data of ``a``, ``b`` and ``c``."""
    signature = types.none(address, integer, order, trans_a, trans_b, m, n, k, alpha, a, lda,
                           b, ldb, beta, c, ldc)

    def codegen(context, builder, sig, args):
        arg_types = sig.args
        integer_type, real_type = sig.args[1], c.dtype
        llvm_int, llvm_real = (context.get_value_type(t) for t in (integer_type, real_type))
        enum = ir.IntType(32)
        function_type = ir.FunctionType(ir.VoidType(), [
            enum, enum, enum, llvm_int, llvm_int, llvm_int, llvm_real, llvm_real.as_pointer(),
            llvm_int, llvm_real.as_pointer(), llvm_int, llvm_real, llvm_real.as_pointer(),
            llvm_int])

        def cast(index, to):
            return context.cast(builder, args[index], arg_types[index], to)

        def data(index):
            array = context.make_array(arg_types[index])(context, builder, args[index])
            return builder.bitcast(array.data, llvm_real.as_pointer())

        function = builder.inttoptr(args[0], function_type.as_pointer())
        builder.call(function, [
            cast(2, types.int32), cast(3, types.int32), cast(4, types.int32),
            cast(5, integer_type), cast(6, integer_type), cast(7, integer_type),
            cast(8, real_type), data(9), cast(10, integer_type), data(11),
            cast(12, integer_type), cast(13, real_type), data(14), cast(15, integer_type)])
        return context.get_dummy_value()
    return signature, codegen


@njit(cache=True, nogil=True)
def _row_major(array, transpose):
    """(CBLAS transpose flag, leading dimension) under which BLAS reads ``array`` (op of it
    where ``transpose``) as a row-major matrix: rows of contiguous elements a fixed step
    apart, or such columns read as the rows of the transpose; (0, 0) for other layouts."""
    rows, columns = array.shape
    size = array.itemsize
    row_step, column_step = array.strides
    if (columns == 1 or column_step == size) and (rows == 1 or (
            row_step > 0 and row_step % size == 0 and row_step // size >= columns)):
        return (_TRANS if transpose else _NO_TRANS), max(row_step // size if rows > 1
                                                         else columns, 1)
    if (rows == 1 or row_step == size) and (columns == 1 or (
            column_step > 0 and column_step % size == 0 and column_step // size >= rows)):
        return (_NO_TRANS if transpose else _TRANS), max(column_step // size if columns > 1
                                                         else rows, 1)
    return 0, 0


@njit(cache=True, nogil=True)
def _gemm(address, integer, alpha, a, transpose_a, b, transpose_b, beta, c):
    m, n = c.shape
    k = a.shape[0] if transpose_a else a.shape[1]
    flag_a, lda = _row_major(a, transpose_a)
    flag_b, ldb = _row_major(b, transpose_b)
    flag_c, ldc = _row_major(c, False)
    if flag_a == 0 or flag_b == 0 or flag_c != _NO_TRANS or m == 0 or n == 0 or k == 0:
        return False
    _cblas_gemm(address, integer, _ROW_MAJOR, flag_a, flag_b, m, n, k, alpha, a, lda, b, ldb,
                beta, c, ldc)
    return True


def gemm(alpha, a, transpose_a, b, transpose_b, beta, c):
    """C = alpha·op(A)·op(B) + beta·C, written into ``c`` (2-d, writable, the dtype of ``a``
    and ``b``; op = transpose where asked; shapes already checked). Returns False, having
    done nothing, when BLAS cannot take these arrays (other dtypes or layouts than BLAS
    reads, a target that is not row-major, an empty product, no library)."""
    if _functions is None:
        available(c.dtype)
    bound = _functions.get(c.dtype)
    if bound is None or a.dtype != c.dtype or b.dtype != c.dtype or not c.flags.writeable:
        return False
    return _gemm(bound[0], bound[1], alpha, a, transpose_a, b, transpose_b, beta, c)
