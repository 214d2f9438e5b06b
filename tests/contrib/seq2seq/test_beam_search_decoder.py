"""BeamSearchDecoder against a NumPy beam search written from TF 1.15's step (log-softmax,
finished beams extended by end_token only, GNMT length penalty, top-k over beam x vocab,
parents' states), tile_batch, beam width 1 = greedy, attention with tiled memory and
alignment history reordering, and the decoder's errors."""
import numpy as np
import pytest

import tfcompat as tf

s2s = tf.contrib.seq2seq
RNG = np.random.default_rng(8)
BATCH, UNITS, VOCAB, DEPTH = 2, 5, 6, 3
START, END = 1, 2


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


def test_tile_batch_repeats_rows():
    value = np.arange(6, dtype=np.float32).reshape(2, 3)
    tiled = s2s.tile_batch({"a": tf.constant(value), "b": tf.placeholder(tf.int32, [None])}, 3)
    assert tiled["a"].shape.as_list() == [6, 3] and tiled["b"].shape.as_list() == [None]
    assert tiled["a"].op.name.startswith("tile_batch/")
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(tiled["a"]), np.repeat(value, 3, axis=0))
    with pytest.raises(ValueError, match="t must have statically known rank"):
        s2s.tile_batch(tf.placeholder(tf.float32), 2)


def _log_softmax(x):
    shifted = x - x.max(-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(-1, keepdims=True))


def _beam_search_reference(weights, width, steps, penalty):
    """NumPy beam search of a BasicRNNCell + Dense decoder (one batch row at a time)."""
    kernel, bias, dense_kernel, dense_bias, embedding = weights
    results = []
    for _ in range(BATCH):
        h = np.zeros((width, UNITS))
        ids = np.full(width, START)
        log_probs = np.where(np.arange(width) == 0, 0.0, -np.inf)
        finished = np.zeros(width, bool)
        lengths = np.zeros(width, int)
        history = []
        for _ in range(steps):
            h = np.tanh(np.concatenate([embedding[ids], h], 1) @ kernel + bias)
            step = _log_softmax(h @ dense_kernel + dense_bias)
            step[finished] = np.where(np.arange(VOCAB) == END, 0.0, np.finfo(np.float32).min)
            total = log_probs[:, None] + step
            new_lengths = lengths[:, None] + (~finished[:, None] & (np.arange(VOCAB) != END))
            scores = total / (((5.0 + new_lengths) / 6.0) ** penalty)
            flat = scores.reshape(-1)
            best = np.argsort(-flat, kind="stable")[:width]
            parents, words = best // VOCAB, best % VOCAB
            log_probs = total.reshape(-1)[best]
            lengths = lengths[parents] + ~finished[parents]
            finished = finished[parents] | (words == END)
            h, ids = h[parents], words
            history.append((words, parents, flat[best]))
            if finished.all():
                break
        results.append(history)
    return results


def _parts():
    return (tf.get_variable("embedding", [VOCAB, DEPTH]), tf.nn.rnn_cell.BasicRNNCell(UNITS),
            tf.layers.Dense(VOCAB, kernel_initializer=tf.random_normal_initializer(stddev=2.0)))


def _decode(width, penalty, steps=5, parts=None):
    embedding, cell, layer = parts or _parts()
    decoder = s2s.BeamSearchDecoder(cell, embedding, tf.fill([BATCH], START), END,
                                    cell.zero_state(BATCH * width, tf.float32), width,
                                    output_layer=layer, length_penalty_weight=penalty)
    return s2s.dynamic_decode(decoder, maximum_iterations=steps)


def _weights(sess):
    names = ["decoder/basic_rnn_cell/kernel", "decoder/basic_rnn_cell/bias",
             "decoder/dense/kernel", "decoder/dense/bias", "embedding"]
    by_name = {v.op.name: v for v in tf.global_variables()}
    return sess.run([by_name[n] for n in names])


@pytest.mark.parametrize("penalty", [0.0, 0.8])
def test_beam_search_matches_numpy(penalty):
    width = 3
    outputs, state, lengths = _decode(width, penalty)
    raw = outputs.beam_search_decoder_output
    assert outputs.predicted_ids.shape.as_list() == [BATCH, None, width]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        weights = _weights(sess)
        got, got_raw, got_lengths = sess.run([outputs.predicted_ids, raw, state.lengths])
    reference = _beam_search_reference(weights, width, 5, penalty)
    for b, history in enumerate(reference):
        steps = len(history)
        words = np.stack([w for w, _, _ in history])
        parents = np.stack([p for _, p, _ in history])
        np.testing.assert_array_equal(got_raw.predicted_ids[b, :steps], words)
        np.testing.assert_array_equal(got_raw.parent_ids[b, :steps], parents)
        np.testing.assert_allclose(got_raw.scores[b, :steps], np.stack([s for *_, s in history]),
                                   rtol=1e-4, atol=1e-5)
        # trace back the beams as gather_tree does
        traced = np.zeros_like(words)
        beam = np.arange(width)
        for t in range(steps - 1, -1, -1):
            traced[t] = words[t, beam]
            beam = parents[t, beam]
        np.testing.assert_array_equal(got[b, :steps][traced != END], traced[traced != END])
    assert got_lengths.shape == (BATCH, width)


def test_beam_width_one_is_greedy_decoding():
    embedding, cell, layer = parts = _parts()
    outputs, _, _ = _decode(1, 0.0, steps=6, parts=parts)
    helper = s2s.GreedyEmbeddingHelper(embedding, tf.fill([BATCH], START), END)
    greedy = s2s.BasicDecoder(cell, helper, cell.zero_state(BATCH, tf.float32),
                              output_layer=layer)
    greedy_out, _, greedy_lengths = s2s.dynamic_decode(greedy, maximum_iterations=6)
    assert len(tf.global_variables()) == 5
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        beam_ids, greedy_ids, lengths = sess.run([outputs.predicted_ids, greedy_out.sample_id,
                                                  greedy_lengths])
    for b in range(BATCH):
        np.testing.assert_array_equal(beam_ids[b, :lengths[b], 0], greedy_ids[b, :lengths[b]])


def test_beam_search_with_attention_over_tiled_memory():
    width, max_time = 3, 4
    memory = tf.constant(RNG.normal(size=(BATCH, max_time, DEPTH)), tf.float32)
    memory_lengths = tf.constant([4, 2])
    mechanism = s2s.BahdanauAttention(UNITS, s2s.tile_batch(memory, width),
                                      s2s.tile_batch(memory_lengths, width))
    cell = s2s.AttentionWrapper(tf.nn.rnn_cell.BasicLSTMCell(UNITS), mechanism,
                                attention_layer_size=UNITS, alignment_history=True)
    initial = cell.zero_state(BATCH * width, tf.float32)
    embedding = tf.constant(RNG.normal(size=(VOCAB, DEPTH)), tf.float32)
    decoder = s2s.BeamSearchDecoder(cell, embedding, tf.fill([BATCH], START), END, initial,
                                    width, output_layer=tf.layers.Dense(VOCAB),
                                    coverage_penalty_weight=0.3)
    outputs, state, _ = s2s.dynamic_decode(decoder, maximum_iterations=4)
    history = state.cell_state.alignment_history
    assert isinstance(state, s2s.BeamSearchDecoderState)
    assert isinstance(outputs, s2s.FinalBeamSearchDecoderOutput)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        ids, alignments, accumulated = sess.run([outputs.predicted_ids, history,
                                                 state.accumulated_attention_probs])
    steps = ids.shape[1]
    assert ids.shape == (BATCH, steps, width) and alignments.shape == (steps, BATCH * width,
                                                                         max_time)
    np.testing.assert_allclose(alignments.sum(-1), 1.0, rtol=1e-5)
    assert (alignments.reshape(steps, BATCH, width, max_time)[:, 1, :, 2:] == 0).all()
    assert accumulated.shape == (BATCH, width, max_time)


def test_beam_search_decoder_errors():
    cell = tf.nn.rnn_cell.BasicRNNCell(UNITS)
    state = cell.zero_state(BATCH * 2, tf.float32)
    embedding = np.eye(VOCAB, dtype=np.float32)
    with pytest.raises(ValueError, match="start_tokens must be a vector"):
        s2s.BeamSearchDecoder(cell, embedding, START, END, state, 2)
    with pytest.raises(ValueError, match="end_token must be a scalar"):
        s2s.BeamSearchDecoder(cell, embedding, [START, START], [END], state, 2)
    with pytest.raises(TypeError, match="output_layer must be a Layer"):
        s2s.BeamSearchDecoder(cell, embedding, [START, START], END, state, 2, output_layer=1)
    with pytest.raises(ValueError, match="Unexpected behavior when reshaping"):
        s2s.BeamSearchDecoder(cell, embedding, [START, START], END,
                              cell.zero_state(BATCH, tf.float32), 3)
    decoder = s2s.BeamSearchDecoder(cell, embedding, [START, START], END, state, 2,
                                    coverage_penalty_weight=0.5)
    with pytest.raises(ValueError, match="coverage_penalty_weight must be 0.0 if no cell"):
        decoder.initialize()


def test_tensor_arrays_of_other_shapes_are_not_reordered():
    decoder = s2s.BeamSearchDecoder(tf.nn.rnn_cell.BasicRNNCell(UNITS), np.eye(VOCAB),
                                    [START, START], END,
                                    tf.zeros([BATCH * 3, UNITS]), 3)
    parents = tf.zeros([4, BATCH, 3], tf.int32)
    lengths = tf.ones([BATCH, 3], tf.int64)
    odd = tf.TensorArray(tf.float32, size=4, element_shape=[5, 2])
    assert decoder._maybe_sort_array_beams(odd, parents, lengths) is odd
    fitting = tf.TensorArray(tf.float32, size=4, element_shape=[BATCH * 3, 2])
    assert isinstance(decoder._maybe_sort_array_beams(fitting, parents, lengths), tf.Tensor)


def test_gather_tree_from_array_reorders_along_the_traced_beams():
    steps, width = 3, 2
    parents = np.array([[[0, 0], [0, 0]], [[1, 0], [0, 1]], [[1, 1], [0, 0]]], np.int32)
    lengths = np.array([[3, 3], [3, 2]], np.int64)
    values = RNG.normal(size=(steps, BATCH * width, 2))
    reordered = s2s.gather_tree_from_array(tf.constant(values), tf.constant(parents),
                                           tf.constant(lengths))
    with tf.Session() as sess:
        got = sess.run(reordered)
    by_beam = values.reshape(steps, BATCH, width, 2)
    want = by_beam.copy()
    for b in range(BATCH):
        end = lengths[b].max()
        for w in range(width):
            beam = w
            for t in range(end - 1, -1, -1):
                if t < lengths[b, w]:
                    want[t, b, w] = by_beam[t, b, beam]
                beam = parents[t, b, beam]
    np.testing.assert_allclose(got, want.reshape(values.shape))
