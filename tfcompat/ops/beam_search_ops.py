"""``GatherTree`` (TF 1.15 contrib/seq2seq ``beam_search_ops``): the full beams of a beam
search, traced back from the last step's ids through the parent ids.

For each batch row b and beam w, with n = min(max_time, max_sequence_lengths[b]): the
output at step n - 1 is step_ids[n - 1, b, w]; going back, step t takes
step_ids[t, b, parent] where parent follows parent_ids from the step after (a parent
outside [0, beam_width] writes -1 and stops the trace, as TF's CPU kernel). Steps from n on
hold ``end_token``, and so does every step after the first ``end_token`` of a beam. Not
differentiable, as in TF.
"""
import numpy as np

from tfcompat.framework import dtypes, errors, ops, tensor_shape
from tfcompat.framework.op_def import OpDef, format_shape, make_tensor, register_op
from tfcompat.ops.nn_ops import _check_dtype, _merge_dims, _merge_shapes, _with_rank

__all__ = []


def _shape_text(array):
    return format_shape(tensor_shape.TensorShape(np.shape(array)))


def check_gather_tree_arrays(op, step_ids, parent_ids, max_sequence_lengths, end_token):
    """TF's kernel errors for shapes the static inference could not see."""
    def fail(message):
        raise errors.InvalidArgumentError(None, op, message)
    if step_ids.ndim != 3:
        fail(f"step_ids must be a 3-tensor, saw shape: {_shape_text(step_ids)}")
    if max_sequence_lengths.ndim != 1:
        fail(f"max_sequence_lengths must be a vector, saw shape: "
             f"{_shape_text(max_sequence_lengths)}")
    if np.ndim(end_token) != 0:
        fail(f"end_token must be a scalar, saw shape: {_shape_text(end_token)}")
    if step_ids.shape != parent_ids.shape:
        fail(f"step_ids.shape must match parent_ids.shape.  but shapes are: "
             f"{_shape_text(step_ids)} and {_shape_text(parent_ids)}")
    if step_ids.shape[1] != max_sequence_lengths.shape[0]:
        fail(f"batch size dimensions step_ids.shape[1] and max_sequence_lengths.shape[0] "
             f"must match.  but shapes are: {_shape_text(step_ids)} and "
             f"{_shape_text(max_sequence_lengths)}")


def gather_tree_reference(step_ids, parent_ids, max_sequence_lengths, end_token):
    """The traced-back beams, in NumPy (one beam at a time)."""
    max_time, batch_size, beam_width = step_ids.shape
    beams = np.full(step_ids.shape, end_token, dtype=step_ids.dtype)
    for b in range(batch_size):
        length = min(max_time, int(max_sequence_lengths[b]))
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
            ended = np.flatnonzero(beams[:length, b, w] == end_token)
            if ended.size:
                beams[ended[0] + 1:length, b, w] = end_token
    return beams


@register_op
class GatherTree(OpDef):
    """beams = the beams traced back through ``parent_ids`` (see the module docstring)."""

    differentiable = False

    def infer(self, op):
        step_ids, parent_ids, lengths, end_token = op.inputs
        kind = _check_dtype(op, step_ids, "step_ids", (dtypes.int32,))
        shape = _with_rank(op, step_ids.shape, 3)
        shape = _merge_shapes(op, shape, _with_rank(op, parent_ids.shape, 3))
        lengths_shape = _with_rank(op, lengths.shape, 1)
        _with_rank(op, end_token.shape, 0)
        if shape.ndims is not None:
            batch = _merge_dims(op, shape[1], lengths_shape[0])
            shape = shape[:1].concatenate([batch]).concatenate(shape[2:])
        return [(shape, kind)]

    def kernel(self, op, ctx):
        def gather_tree(step_ids, parent_ids, max_sequence_lengths, end_token):
            check_gather_tree_arrays(op, step_ids, parent_ids, max_sequence_lengths, end_token)
            return gather_tree_reference(step_ids, parent_ids, max_sequence_lengths, end_token)
        return gather_tree


def gather_tree(step_ids, parent_ids, max_sequence_lengths, end_token, name=None):
    """``tf.contrib.seq2seq.gather_tree``: [max_time, batch, beam_width] beams."""
    with ops.name_scope(name, "GatherTree", [step_ids, parent_ids, max_sequence_lengths,
                                             end_token]) as scope:
        step_ids = ops.convert_to_tensor(step_ids, name="step_ids")
        parent_ids = ops.convert_to_tensor(parent_ids, dtype=step_ids.dtype,
                                           name="parent_ids")
        lengths = ops.convert_to_tensor(max_sequence_lengths, dtype=dtypes.int32,
                                        name="max_sequence_lengths")
        end_token = ops.convert_to_tensor(end_token, dtype=step_ids.dtype, name="end_token")
        return make_tensor("GatherTree", [step_ids, parent_ids, lengths, end_token],
                           attrs={"T": step_ids.dtype.base_dtype}, name=scope)
