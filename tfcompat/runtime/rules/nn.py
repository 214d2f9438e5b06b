"""BiasAdd written into storage the plan keeps (a dense layer's or RNN cell's pre-activation,
which dies with the run when an activation follows), and the sparse softmax cross-entropy
in two Numba passes around NumPy's exp and log."""
import numpy as np

from tfcompat.runtime import kernels, lowering


@lowering.kernel_into("BiasAdd")
def _bias_add_into(op, ctx, out):
    """``value + bias`` into the plan's storage, for channels-last data with a bias as long
    as the last dimension (the reference's sum, the same per-element additions); anything
    else (NCHW, bad shapes) goes to the reference kernel, which raises TF's errors."""
    reference = op.op_def.kernel(op, ctx)
    if op.attrs["data_format"] == "NCHW":
        return None

    def bias_add_into(value, bias):
        if bias.ndim != 1 or value.ndim < 2 or value.shape[-1] != bias.shape[0] \
                or value.shape != out.shape:
            return reference(value, bias)
        try:
            return np.add(value, bias, out=out, casting="no")
        except TypeError:  # another dtype than recorded
            return reference(value, bias)
    return bias_add_into


_XENT_FEATURES = (np.dtype(np.float32), np.dtype(np.float64))
_XENT_LABELS = (np.dtype(np.int32), np.dtype(np.int64))


@lowering.fast_kernel("SparseSoftmaxCrossEntropyWithLogits")
def _sparse_softmax_xent(op, ctx):
    """The reference kernel's formula, bit for bit, in fewer passes: the row max, shift and
    label pick in one Numba loop, NumPy's exp, one loop for the row sums (NumPy's order),
    the division and the one-hot subtraction, then NumPy's log (a C-ordered float32/float64
    batch; anything else, and bad labels, go to the reference kernel, which raises TF's
    errors)."""
    reference = op.op_def.kernel(op, ctx)

    def sparse_softmax_xent(features, labels):
        if type(features) is not np.ndarray or features.ndim != 2 \
                or features.dtype not in _XENT_FEATURES or labels.dtype not in _XENT_LABELS \
                or not features.flags.c_contiguous or labels.shape != features.shape[:1] \
                or features.size == 0:
            return reference(features, labels)
        probs = np.empty(features.shape, features.dtype)
        picked = np.empty(features.shape[0], features.dtype)
        if kernels.xent_shift_rows(features, labels, probs, picked) >= 0:
            return reference(features, labels)
        np.exp(probs, out=probs)
        loss = np.empty_like(picked)
        kernels.xent_normalize(probs, labels, loss, features.dtype.type(1))
        np.log(loss, out=loss)
        loss -= picked
        return loss, probs
    return sparse_softmax_xent
