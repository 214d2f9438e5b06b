"""The runtime half of ``tf.debugging.enable_check_numerics``: ops created while it was on
(``Operation._check_numerics``) run their reference kernel followed by a NaN/Inf check of
each floating output; the faster tiers (fast kernels, kernels into kept storage, fusion)
pass over them, so every run of such an op is checked."""
import numpy as np

from tfcompat.framework import errors


def is_checked(op):
    """Whether ``op`` was created while numeric checking was enabled."""
    return getattr(op, "_check_numerics", False)


def _check(op, index, value):
    array = np.asarray(value) if not isinstance(value, np.ndarray) else value
    if array.dtype.kind not in "fc" or np.isfinite(array).all():
        return
    raise errors.InvalidArgumentError(
        None, op, f"\n\n!!! Detected Infinity or NaN in output {index} of graph op "
        f"\"{op.type}\" (# of outputs: {len(op.outputs)}) !!!\n  dtype: {array.dtype}\n"
        f"  shape: {array.shape}\n  Graph name: \"{op.name}\"\n\t [[node {op.name}]]")


def checked_kernel(op, kernel):
    """``kernel`` of ``op``, raising InvalidArgumentError when a floating output holds a NaN
    or an Inf (TF's enable_check_numerics report)."""
    if not is_checked(op) or not any(t.dtype.base_dtype.is_floating for t in op.outputs):
        return kernel

    def check_numerics(*args):
        result = kernel(*args)
        if len(op.outputs) == 1:
            _check(op, 0, result)
        else:
            for index, value in enumerate(result):
                _check(op, index, value)
        return result
    return check_numerics
