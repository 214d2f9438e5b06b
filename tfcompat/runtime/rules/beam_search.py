"""GatherTree (beam search's back-trace) in one Numba loop nest: the reference kernel's
per-beam trace, compiled; same results, the shape checks done first by the reference's
checker."""
import numpy as np
from numba import njit

from tfcompat.ops.beam_search_ops import check_gather_tree_arrays
from tfcompat.runtime import lowering


@njit(cache=True, nogil=True)
def _gather_tree_loops(step_ids, parent_ids, max_sequence_lengths, end_token):
    max_time, batch_size, beam_width = step_ids.shape
    beams = np.full(step_ids.shape, end_token, dtype=step_ids.dtype)
    for b in range(batch_size):
        length = min(max_time, max_sequence_lengths[b])
        if length <= 0:
            continue
        for w in range(beam_width):
            beams[length - 1, b, w] = step_ids[length - 1, b, w]
            parent = parent_ids[length - 1, b, w]
            for level in range(length - 2, -1, -1):
                if parent < 0 or parent > beam_width:
                    beams[level, b, w] = -1
                    break
                beams[level, b, w] = step_ids[level, b, parent]
                parent = parent_ids[level, b, parent]
            finished = False
            for time in range(length):
                if finished:
                    beams[time, b, w] = end_token
                elif beams[time, b, w] == end_token:
                    finished = True
    return beams


@lowering.fast_kernel("GatherTree")
def _gather_tree(op, ctx):
    """The compiled trace for int32 ids; anything else takes the reference kernel."""
    reference = op.op_def.kernel(op, ctx)

    def gather_tree(step_ids, parent_ids, max_sequence_lengths, end_token):
        check_gather_tree_arrays(op, step_ids, parent_ids, max_sequence_lengths, end_token)
        if step_ids.dtype != np.int32 or parent_ids.dtype != np.int32 \
                or max_sequence_lengths.dtype != np.int32:
            return reference(step_ids, parent_ids, max_sequence_lengths, end_token)
        return _gather_tree_loops(step_ids, parent_ids, max_sequence_lengths,
                                  np.int32(end_token))
    return gather_tree
