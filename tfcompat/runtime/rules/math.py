"""Matrix products written by BLAS into storage the plan keeps (``kernel_into``)."""
import numpy as np

from tfcompat.runtime import lowering


@lowering.kernel_into("MatMul")
def _matmul_into(op, ctx, out):
    """The product written straight into the plan's storage for it. NumPy checks that
    ``out`` is exactly the product's array (shape, dtype) and raises ValueError otherwise,
    as for operands of other ranks or sizes: the reference kernel then computes a new array
    or raises TF's error."""
    reference = op.op_def.kernel(op, ctx)
    transpose_a, transpose_b = op.attrs["transpose_a"], op.attrs["transpose_b"]

    def matmul_into(a, b):
        try:
            return np.dot(a.T if transpose_a else a, b.T if transpose_b else b, out=out)
        except ValueError:
            return reference(a, b)
    return matmul_into
