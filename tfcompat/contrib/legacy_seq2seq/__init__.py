"""``tf.contrib.legacy_seq2seq`` (the parts listed in issue 17): sequence losses over lists of
per-step logits, ``rnn_decoder``, ``basic_rnn_seq2seq`` and the embedding models
(``embedding_rnn_decoder``, ``embedding_rnn_seq2seq``) with TF's variable names."""
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


def _extract_argmax_and_embed(embedding, output_projection=None, update_embedding=True):
    """The loop function feeding back the embedding of the previous step's argmax symbol
    (after ``output_projection``); no gradient into the embedding through it unless
    ``update_embedding``."""
    from tfcompat import nn

    def loop_function(prev, _):
        if output_projection is not None:
            prev = nn.xw_plus_b(prev, output_projection[0], output_projection[1])
        prev_symbol = math_ops.argmax(prev, 1)
        emb_prev = nn.embedding_lookup(embedding, prev_symbol)
        return emb_prev if update_embedding else array_ops.stop_gradient(emb_prev)
    return loop_function


def embedding_rnn_decoder(decoder_inputs, initial_state, cell, num_symbols, embedding_size,
                          output_projection=None, feed_previous=False,
                          update_embedding_for_previous=True, scope=None):
    """``rnn_decoder`` on embeddings (``embedding_rnn_decoder/embedding``) of the symbol
    ``decoder_inputs``; with ``feed_previous`` every step after the first takes the
    embedding of the previous output's argmax (through ``output_projection`` (W, B))."""
    with vs.variable_scope(scope or "embedding_rnn_decoder") as scope:
        if output_projection is not None:
            weights = ops.convert_to_tensor(output_projection[0], dtype=scope.dtype)
            weights.shape.assert_is_compatible_with([None, num_symbols])
            biases = ops.convert_to_tensor(output_projection[1], dtype=scope.dtype)
            biases.shape.assert_is_compatible_with([num_symbols])
            output_projection = (weights, biases)
        embedding = vs.get_variable("embedding", [num_symbols, embedding_size])
        loop_function = _extract_argmax_and_embed(
            embedding, output_projection, update_embedding_for_previous) \
            if feed_previous else None
        from tfcompat import nn
        embedded = [nn.embedding_lookup(embedding, i) for i in decoder_inputs]
        return rnn_decoder(embedded, initial_state, cell, loop_function=loop_function)


def embedding_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, num_encoder_symbols,
                          num_decoder_symbols, embedding_size, output_projection=None,
                          feed_previous=False, dtype=None, scope=None):
    """A copy of ``cell`` in an ``EmbeddingWrapper`` encodes the symbol ``encoder_inputs``
    (static_rnn); ``embedding_rnn_decoder`` decodes from its final state with ``cell``
    (wrapped in an ``OutputProjectionWrapper`` to ``num_decoder_symbols`` unless
    ``output_projection`` is given). A tensor ``feed_previous`` builds both decoders (the
    second reusing the first's variables) and picks one with tf.cond, as TF."""
    from tfcompat.framework import nest
    from tfcompat.ops import control_flow_ops
    from tfcompat.rnn.cell_impl import EmbeddingWrapper, OutputProjectionWrapper
    with vs.variable_scope(scope or "embedding_rnn_seq2seq") as scope:
        if dtype is not None:
            scope.set_dtype(dtype)
        else:
            dtype = scope.dtype
        encoder_cell = EmbeddingWrapper(copy.deepcopy(cell), embedding_classes=num_encoder_symbols,
                                        embedding_size=embedding_size)
        _, encoder_state = rnn.static_rnn(encoder_cell, encoder_inputs, dtype=dtype)
        if output_projection is None:
            cell = OutputProjectionWrapper(cell, num_decoder_symbols)
        if isinstance(feed_previous, bool):
            return embedding_rnn_decoder(decoder_inputs, encoder_state, cell,
                                         num_decoder_symbols, embedding_size,
                                         output_projection=output_projection,
                                         feed_previous=feed_previous)

        def decoder(feed_previous_bool):
            reuse = None if feed_previous_bool else True
            with vs.variable_scope(vs.get_variable_scope(), reuse=reuse):
                outputs, state = embedding_rnn_decoder(
                    decoder_inputs, encoder_state, cell, num_decoder_symbols, embedding_size,
                    output_projection=output_projection, feed_previous=feed_previous_bool,
                    update_embedding_for_previous=False)
                return list(outputs) + nest.flatten(state)

        outputs_and_state = control_flow_ops.cond(feed_previous, lambda: decoder(True),
                                                  lambda: decoder(False))
        count = len(decoder_inputs)
        state = nest.pack_sequence_as(encoder_state, list(outputs_and_state[count:]))
        return list(outputs_and_state[:count]), state


__all__ = ["sequence_loss", "sequence_loss_by_example", "rnn_decoder", "basic_rnn_seq2seq",
           "embedding_rnn_decoder", "embedding_rnn_seq2seq"]
