"""UnsortedSegmentSum of a float matrix by a vector of ids in one Numba loop: each row is
added into its segment in row order, as the reference's ``np.add.at`` does, so both tiers
agree bit for bit (``np.add.at`` on rows is slow: k-means' full-batch step spends most of
its time there). Negative ids drop their row; an id past ``num_segments`` sends the run to
the reference kernel, which raises TF's error."""
import numpy as np
from numba import njit

from tfcompat.runtime import lowering


@njit(cache=True, nogil=True)
def _segment_rows(data, ids, num_segments):
    out = np.zeros((num_segments, data.shape[1]), data.dtype)
    for row in range(data.shape[0]):
        segment = ids[row]
        if segment >= num_segments:
            return out, False
        if segment >= 0:
            for column in range(data.shape[1]):
                out[segment, column] += data[row, column]
    return out, True


@lowering.fast_kernel("UnsortedSegmentSum")
def _unsorted_segment_sum(op, ctx):
    """The loop for [n, d] float32/float64 data and [n] int ids; the reference otherwise."""
    reference = op.op_def.kernel(op, ctx)

    def unsorted_segment_sum(data, ids, num_segments):
        if data.ndim == 2 and ids.ndim == 1 and data.shape[0] == ids.shape[0] \
                and data.dtype in (np.float32, np.float64) and ids.dtype.kind == "i":
            out, in_range = _segment_rows(data, ids, int(num_segments))
            if in_range:
                return out
        return reference(data, ids, num_segments)
    return unsorted_segment_sum
