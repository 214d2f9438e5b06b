"""BiasAdd written into storage the plan keeps (a dense layer's or RNN cell's pre-activation,
which dies with the run when an activation follows)."""
import numpy as np

from tfcompat.runtime import lowering


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
