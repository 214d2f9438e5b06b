"""``tf.contrib.seq2seq.sequence_loss``: weighted cross-entropy over [batch, time] logits.

As TF 1.15: the per-token loss (sparse softmax cross-entropy unless a
``softmax_loss_function(labels=, logits=)`` is given) is multiplied by ``weights``; averages
divide by the sum of the weights, sums divide by the count of non-zero weights (both with
``div_no_nan``), over the time axis, the batch axis or both.
"""
from tfcompat.framework import ops
from tfcompat.ops import array_ops, math_ops, nn_ops
from tfcompat.ops.special_math_ops import count_nonzero, div_no_nan


def _check_ranks(logits, targets, weights):
    if logits.shape.ndims != 3:
        raise ValueError("Logits must be a [batch_size x sequence_length x logits] tensor")
    if targets.shape.ndims != 2:
        raise ValueError("Targets must be a [batch_size x sequence_length] tensor")
    if weights.shape.ndims != 2:
        raise ValueError("Weights must be a [batch_size x sequence_length] tensor")


def _weighted_mean(crossent, weights, axis):
    return div_no_nan(math_ops.reduce_sum(crossent, axis=axis),
                      math_ops.reduce_sum(weights, axis=axis))


def _nonzero_mean(crossent, weights, axis):
    count = math_ops.cast(count_nonzero(weights, axis=axis), crossent.dtype)
    return div_no_nan(math_ops.reduce_sum(crossent, axis=axis), count)


def sequence_loss(logits, targets, weights, average_across_timesteps=True,
                  average_across_batch=True, sum_over_timesteps=False, sum_over_batch=False,
                  softmax_loss_function=None, name=None):
    """The weighted cross-entropy of ``logits`` [batch, time, classes] against ``targets``
    [batch, time]: a scalar, a [batch] or [time] vector, or [batch, time] per the flags."""
    logits, targets, weights = (ops.convert_to_tensor(t) for t in (logits, targets, weights))
    _check_ranks(logits, targets, weights)
    if average_across_timesteps and sum_over_timesteps:
        raise ValueError("average_across_timesteps and sum_over_timesteps cannot "
                         "be set to True at same time.")
    if average_across_batch and sum_over_batch:
        raise ValueError("average_across_batch and sum_over_batch cannot be set "
                         "to True at same time.")
    with ops.name_scope(name, "sequence_loss", [logits, targets, weights]):
        num_classes = array_ops.shape(logits)[2]
        logits_flat = array_ops.reshape(logits, [-1, num_classes])
        targets_flat = array_ops.reshape(targets, [-1])
        if softmax_loss_function is None:
            crossent = nn_ops.sparse_softmax_cross_entropy_with_logits(
                labels=targets_flat, logits=logits_flat)
        else:
            crossent = softmax_loss_function(labels=targets_flat, logits=logits_flat)
        crossent = crossent * array_ops.reshape(weights, [-1])
        if average_across_timesteps and average_across_batch:
            return _weighted_mean(crossent, weights, None)
        if sum_over_timesteps and sum_over_batch:
            return _nonzero_mean(crossent, weights, None)
        crossent = array_ops.reshape(crossent, array_ops.shape(logits)[0:2])
        if average_across_timesteps or average_across_batch:
            return _weighted_mean(crossent, weights, [0] if average_across_batch else [1])
        if sum_over_timesteps or sum_over_batch:
            return _nonzero_mean(crossent, weights, [0] if sum_over_batch else [1])
        return crossent
