"""``tf.contrib.legacy_seq2seq`` (the parts listed in issue 17): sequence losses over lists of
per-step logits, ``rnn_decoder``, ``basic_rnn_seq2seq`` and the embedding models
(``embedding_rnn_decoder``, ``embedding_rnn_seq2seq``) with TF's variable names."""
import copy

from tfcompat.framework import ops
from tfcompat.ops import variable_scope as vs
from tfcompat.ops import array_ops, math_ops, nn_conv_ops, nn_ops
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

        def decode(feed):
            return embedding_rnn_decoder(
                decoder_inputs, encoder_state, cell, num_decoder_symbols, embedding_size,
                output_projection=output_projection, feed_previous=feed,
                update_embedding_for_previous=isinstance(feed_previous, bool))
        return _decode_with(feed_previous, decode, encoder_state, len(decoder_inputs))


class _Linear:
    """TF's ``_Linear`` in the current variable scope: ``kernel`` [sum of the args' depths,
    output_size] and ``bias`` (zeros); called on a list of matrices, it concatenates them."""

    def __init__(self, args, output_size, dtype=None):
        args = args if isinstance(args, (list, tuple)) else [args]
        total = 0
        for arg in args:
            depth = arg.shape.with_rank(2)[1].value
            if depth is None:
                raise ValueError(f"linear expects shape[1] to be provided for shape "
                                 f"{arg.shape}, but saw None")
            total += depth
        dtype = dtype or args[0].dtype.base_dtype
        from tfcompat.ops.init_ops import constant_initializer
        self.kernel = vs.get_variable("kernel", [total, output_size], dtype=dtype)
        self.bias = vs.get_variable("bias", [output_size], dtype=dtype,
                                    initializer=constant_initializer(0.0, dtype=dtype))

    def __call__(self, args):
        args = args if isinstance(args, (list, tuple)) else [args]
        joined = args[0] if len(args) == 1 else array_ops.concat(list(args), 1)
        return nn_ops.bias_add(math_ops.matmul(joined, self.kernel), self.bias)


def _linear(args, output_size, dtype=None):
    return _Linear(args, output_size, dtype)(args)


class _Attention:
    """The attention heads of ``attention_decoder``: per head a 1x1 convolution of the
    attention states (``AttnW_<a>``), a vector ``AttnV_<a>``, and, in scope
    ``Attention_<a>``, a linear map of the query; each read is the softmax-weighted sum of
    the attention states."""

    def __init__(self, attention_states, num_heads, dtype):
        self.length = attention_states.shape[1].value
        if self.length is None:
            self.length = array_ops.shape(attention_states)[1]
        self.size = attention_states.shape[2].value
        self.hidden = array_ops.reshape(attention_states, [-1, self.length, 1, self.size])
        self.features, self.vectors, self.dtype = [], [], dtype
        for head in range(num_heads):
            weights = vs.get_variable(f"AttnW_{head}", [1, 1, self.size, self.size],
                                      dtype=dtype)
            self.features.append(nn_conv_ops.conv2d(self.hidden, weights, [1, 1, 1, 1], "SAME"))
            self.vectors.append(vs.get_variable(f"AttnV_{head}", [self.size], dtype=dtype))

    def __call__(self, query):
        from tfcompat.framework import dtypes, nest
        if nest.is_sequence(query):
            query = array_ops.concat(nest.flatten(query), 1)
        reads = []
        for head, (features, vector) in enumerate(zip(self.features, self.vectors)):
            with vs.variable_scope(f"Attention_{head}"):
                y = array_ops.reshape(_linear(query, self.size), [-1, 1, 1, self.size])
                y = math_ops.cast(y, self.dtype)
                scores = math_ops.reduce_sum(vector * nn_ops.tanh(features + y), [2, 3])
                weights = math_ops.cast(nn_ops.softmax(math_ops.cast(scores, dtypes.float32)),
                                        self.dtype)
                read = math_ops.reduce_sum(
                    array_ops.reshape(weights, [-1, self.length, 1, 1]) * self.hidden, [1, 2])
                reads.append(array_ops.reshape(read, [-1, self.size]))
        return reads


def attention_decoder(decoder_inputs, initial_state, attention_states, cell, output_size=None,
                      num_heads=1, loop_function=None, dtype=None, scope=None,
                      initial_state_attention=False):
    """TF's attention decoder (Bahdanau et al., Vinyals et al.): each step runs ``cell`` on a
    linear map of [input, previous attention reads], reads ``attention_states`` ([batch,
    length, size]) with ``num_heads`` heads queried by the new state, and outputs a linear
    map (scope ``AttnOutputProjection``) of [cell output, reads] to ``output_size``."""
    if not decoder_inputs:
        raise ValueError("Must provide at least 1 input to attention decoder.")
    if num_heads < 1:
        raise ValueError("With less than 1 heads, use a non-attention decoder.")
    if attention_states.shape[2].value is None:
        raise ValueError(f"Shape[2] of attention_states must be known: "
                         f"{attention_states.shape}")
    output_size = output_size or cell.output_size
    with vs.variable_scope(scope or "attention_decoder", dtype=dtype) as scope:
        dtype = scope.dtype
        attention = _Attention(attention_states, num_heads, dtype)
        batch_size = array_ops.shape(decoder_inputs[0])[0]
        size = attention.size
        reads = [array_ops.zeros(array_ops.stack([batch_size, size]), dtype=dtype)
                 for _ in range(num_heads)]
        for read in reads:
            read.set_shape([None, size])
        state = initial_state
        if initial_state_attention:
            reads = attention(initial_state)
        outputs, prev = [], None
        for i, inp in enumerate(decoder_inputs):
            if i > 0:
                vs.get_variable_scope().reuse_variables()
            if loop_function is not None and prev is not None:
                with vs.variable_scope("loop_function", reuse=True):
                    inp = loop_function(prev, i)
            input_size = inp.shape.with_rank(2)[1]
            if input_size.value is None:
                raise ValueError(f"Could not infer input size from input: {inp.name}")
            x = _linear([math_ops.cast(e, dtype) for e in [inp] + reads], input_size.value)
            cell_output, state = cell(x, state)
            if i == 0 and initial_state_attention:
                with vs.variable_scope(vs.get_variable_scope(), reuse=True):
                    reads = attention(state)
            else:
                reads = attention(state)
            with vs.variable_scope("AttnOutputProjection"):
                output = _linear([math_ops.cast(cell_output, dtype)] + reads, output_size)
            if loop_function is not None:
                prev = output
            outputs.append(output)
    return outputs, state


def embedding_attention_decoder(decoder_inputs, initial_state, attention_states, cell,
                                num_symbols, embedding_size, num_heads=1, output_size=None,
                                output_projection=None, feed_previous=False,
                                update_embedding_for_previous=True, dtype=None, scope=None,
                                initial_state_attention=False):
    """``attention_decoder`` on embeddings (``embedding_attention_decoder/embedding``) of
    the symbol ``decoder_inputs``, feeding back the previous argmax with ``feed_previous``."""
    output_size = output_size or cell.output_size
    if output_projection is not None:
        biases = ops.convert_to_tensor(output_projection[1], dtype=dtype)
        biases.shape.assert_is_compatible_with([num_symbols])
    with vs.variable_scope(scope or "embedding_attention_decoder", dtype=dtype):
        embedding = vs.get_variable("embedding", [num_symbols, embedding_size])
        loop_function = _extract_argmax_and_embed(
            embedding, output_projection, update_embedding_for_previous) \
            if feed_previous else None
        from tfcompat import nn
        embedded = [nn.embedding_lookup(embedding, i) for i in decoder_inputs]
        return attention_decoder(embedded, initial_state, attention_states, cell,
                                 output_size=output_size, num_heads=num_heads,
                                 loop_function=loop_function,
                                 initial_state_attention=initial_state_attention)


def embedding_attention_seq2seq(encoder_inputs, decoder_inputs, cell, num_encoder_symbols,
                                num_decoder_symbols, embedding_size, num_heads=1,
                                output_projection=None, feed_previous=False, dtype=None,
                                scope=None, initial_state_attention=False):
    """An ``EmbeddingWrapper`` copy of ``cell`` encodes ``encoder_inputs``; its outputs are
    the attention states of ``embedding_attention_decoder`` (``cell`` wrapped in an
    ``OutputProjectionWrapper`` to ``num_decoder_symbols`` unless ``output_projection``);
    a tensor ``feed_previous`` picks one of two decoders with tf.cond, as TF."""
    from tfcompat.rnn.cell_impl import EmbeddingWrapper, OutputProjectionWrapper
    with vs.variable_scope(scope or "embedding_attention_seq2seq", dtype=dtype) as scope:
        dtype = scope.dtype
        encoder_cell = EmbeddingWrapper(copy.deepcopy(cell),
                                        embedding_classes=num_encoder_symbols,
                                        embedding_size=embedding_size)
        encoder_outputs, encoder_state = rnn.static_rnn(encoder_cell, encoder_inputs,
                                                        dtype=dtype)
        attention_states = array_ops.concat(
            [array_ops.reshape(e, [-1, 1, cell.output_size]) for e in encoder_outputs], 1)
        output_size = None
        if output_projection is None:
            cell = OutputProjectionWrapper(cell, num_decoder_symbols)
            output_size = num_decoder_symbols

        def decode(feed):
            return embedding_attention_decoder(
                decoder_inputs, encoder_state, attention_states, cell, num_decoder_symbols,
                embedding_size, num_heads=num_heads, output_size=output_size,
                output_projection=output_projection, feed_previous=feed,
                update_embedding_for_previous=isinstance(feed_previous, bool),
                initial_state_attention=initial_state_attention)
        return _decode_with(feed_previous, decode, encoder_state, len(decoder_inputs))


def _decode_with(feed_previous, decode, encoder_state, count):
    """``decode(feed_previous)`` for a bool; for a tensor both decoders (the second reusing
    the first's variables) under tf.cond, and their (outputs, state) unpacked."""
    if isinstance(feed_previous, bool):
        return decode(feed_previous)
    from tfcompat.framework import nest
    from tfcompat.ops import control_flow_ops

    def decoder(feed):
        with vs.variable_scope(vs.get_variable_scope(), reuse=None if feed else True):
            outputs, state = decode(feed)
            return list(outputs) + nest.flatten(state)
    outputs_and_state = control_flow_ops.cond(feed_previous, lambda: decoder(True),
                                              lambda: decoder(False))
    state = nest.pack_sequence_as(encoder_state, list(outputs_and_state[count:]))
    return list(outputs_and_state[:count]), state

__all__ = ["sequence_loss", "sequence_loss_by_example", "rnn_decoder", "basic_rnn_seq2seq",
           "embedding_rnn_decoder", "embedding_rnn_seq2seq", "attention_decoder",
           "embedding_attention_decoder", "embedding_attention_seq2seq"]
