"""``tf.contrib.legacy_seq2seq`` (the parts listed in issue 17): sequence losses over lists of
per-step logits, ``rnn_decoder`` and ``basic_rnn_seq2seq``."""
import copy

from tfcompat.framework import ops
from tfcompat.ops import variable_scope as vs
from tfcompat.ops import array_ops, math_ops, nn_ops
from tfcompat.rnn import rnn


def sequence_loss_by_example(logits, targets, weights, average_across_timesteps=True,
                             softmax_loss_function=None, name=None):
    """Per-example weighted sum (or, with ``average_across_timesteps``, weighted mean) over
    the steps of the cross-entropy of ``logits[t]`` against ``targets[t]``."""
    if len(targets) != len(logits) or len(weights) != len(logits):
        raise ValueError(f"Lengths of logits, weights, and targets must be the same "
                         f"{len(logits)}, {len(weights)}, {len(targets)}.")
    with ops.name_scope(name, "sequence_loss_by_example", list(logits) + list(targets)
                        + list(weights)):
        log_perp_list = []
        for logit, target, weight in zip(logits, targets, weights):
            if softmax_loss_function is None:
                target = array_ops.reshape(target, [-1])
                crossent = nn_ops.sparse_softmax_cross_entropy_with_logits(labels=target,
                                                                           logits=logit)
            else:
                crossent = softmax_loss_function(labels=target, logits=logit)
            log_perp_list.append(crossent * weight)
        log_perps = math_ops.add_n(log_perp_list)
        if average_across_timesteps:
            total_size = math_ops.add_n(list(weights))
            total_size += 1e-12  # TF: avoids dividing by zero for all-zero weights
            log_perps /= total_size
    return log_perps


def sequence_loss(logits, targets, weights, average_across_timesteps=True,
                  average_across_batch=True, softmax_loss_function=None, name=None):
    """The sum over the batch of ``sequence_loss_by_example``, divided by the batch size
    with ``average_across_batch``."""
    with ops.name_scope(name, "sequence_loss", list(logits) + list(targets) + list(weights)):
        cost = math_ops.reduce_sum(sequence_loss_by_example(
            logits, targets, weights, average_across_timesteps=average_across_timesteps,
            softmax_loss_function=softmax_loss_function))
        if average_across_batch:
            batch_size = array_ops.shape(targets[0])[0]
            return cost / math_ops.cast(batch_size, cost.dtype)
        return cost


def rnn_decoder(decoder_inputs, initial_state, cell, loop_function=None, scope=None):
    """``cell`` unrolled over ``decoder_inputs`` from ``initial_state``; with
    ``loop_function``, step i > 0 takes ``loop_function(previous output, i)`` instead."""
    with vs.variable_scope(scope or "rnn_decoder"):
        state, outputs, prev = initial_state, [], None
        for i, inp in enumerate(decoder_inputs):
            if loop_function is not None and prev is not None:
                with vs.variable_scope("loop_function", reuse=True):
                    inp = loop_function(prev, i)
            if i > 0:
                vs.get_variable_scope().reuse_variables()
            output, state = cell(inp, state)
            outputs.append(output)
            if loop_function is not None:
                prev = output
    return outputs, state


def basic_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, dtype=None, scope=None):
    """A copy of ``cell`` encodes ``encoder_inputs`` (static_rnn); ``cell`` decodes from the
    final state: (decoder outputs, state)."""
    from tfcompat.framework import dtypes
    with vs.variable_scope(scope or "basic_rnn_seq2seq"):
        encoder_cell = copy.deepcopy(cell)
        _, encoder_state = rnn.static_rnn(encoder_cell, encoder_inputs,
                                          dtype=dtype or dtypes.float32)
        return rnn_decoder(decoder_inputs, encoder_state, cell)


__all__ = ["sequence_loss", "sequence_loss_by_example", "rnn_decoder", "basic_rnn_seq2seq"]
