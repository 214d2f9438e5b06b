"""tf.contrib.legacy_seq2seq: sequence losses vs NumPy, rnn_decoder / basic_rnn_seq2seq names."""
import numpy as np
import pytest

import tfcompat as tf

RNG = np.random.default_rng(6)
LOGITS = RNG.normal(size=(3, 2, 4))     # steps, batch, classes
TARGETS = np.array([[1, 3], [0, 2], [2, 2]])
WEIGHTS = np.array([[1.0, 1.0], [1.0, 0.5], [0.0, 1.0]])


def _crossent():
    shifted = LOGITS - LOGITS.max(2, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(2, keepdims=True))
    return -np.take_along_axis(log_softmax, TARGETS[:, :, None], 2)[:, :, 0]


def _lists():
    return ([tf.constant(x) for x in LOGITS], [tf.constant(t) for t in TARGETS],
            [tf.constant(w) for w in WEIGHTS])


def test_sequence_losses_match_numpy():
    seq2seq = tf.contrib.legacy_seq2seq
    with tf.Graph().as_default():
        by_example = seq2seq.sequence_loss_by_example(*_lists())
        summed = seq2seq.sequence_loss(*_lists(), average_across_timesteps=False)
        mean = seq2seq.sequence_loss(*_lists())
        with tf.Session() as sess:
            got = sess.run([by_example, summed, mean])
    weighted = (_crossent() * WEIGHTS).sum(0)
    per_example = weighted / (WEIGHTS.sum(0) + 1e-12)
    np.testing.assert_allclose(got[0], per_example, rtol=1e-10)
    np.testing.assert_allclose(got[1], weighted.sum() / 2, rtol=1e-10)
    np.testing.assert_allclose(got[2], per_example.sum() / 2, rtol=1e-10)


def test_basic_rnn_seq2seq_variable_names_and_shapes():
    with tf.Graph().as_default():
        encoder = [tf.placeholder(tf.float32, [None, 3]) for _ in range(2)]
        decoder = [tf.placeholder(tf.float32, [None, 3]) for _ in range(3)]
        outputs, state = tf.contrib.legacy_seq2seq.basic_rnn_seq2seq(
            encoder, decoder, tf.nn.rnn_cell.BasicRNNCell(4))
        names = [v.op.name for v in tf.global_variables()]
        assert names == ["basic_rnn_seq2seq/rnn/basic_rnn_cell/kernel",
                         "basic_rnn_seq2seq/rnn/basic_rnn_cell/bias",
                         "basic_rnn_seq2seq/rnn_decoder/basic_rnn_cell/kernel",
                         "basic_rnn_seq2seq/rnn_decoder/basic_rnn_cell/bias"]
        assert len(outputs) == 3 and state.shape.as_list() == [None, 4]


def _embedding_seq2seq_reference(values, encoder_ids, decoder_ids, feed_previous):
    """NumPy embedding_rnn_seq2seq of BasicRNNCells: (outputs per step, final state)."""
    enc_emb, enc_k, enc_b, dec_emb, dec_k, dec_b, proj_k, proj_b = values
    h = np.zeros((encoder_ids[0].shape[0], enc_b.shape[0]))
    for ids in encoder_ids:
        h = np.tanh(np.concatenate([enc_emb[ids], h], 1) @ enc_k + enc_b)
    outputs, symbols = [], decoder_ids[0]
    for step, ids in enumerate(decoder_ids):
        if step == 0 or not feed_previous:
            symbols = ids
        h = np.tanh(np.concatenate([dec_emb[symbols], h], 1) @ dec_k + dec_b)
        outputs.append(h @ proj_k + proj_b)
        symbols = np.argmax(outputs[-1], 1)
    return outputs, h


def test_embedding_rnn_seq2seq_names_and_math():
    rng = np.random.default_rng(12)
    encoder_ids = [rng.integers(0, 7, 3) for _ in range(3)]
    decoder_ids = [rng.integers(0, 5, 3) for _ in range(4)]
    names = ["embedding_rnn_seq2seq/rnn/embedding_wrapper/embedding",
             "embedding_rnn_seq2seq/rnn/embedding_wrapper/basic_rnn_cell/kernel",
             "embedding_rnn_seq2seq/rnn/embedding_wrapper/basic_rnn_cell/bias",
             "embedding_rnn_seq2seq/embedding_rnn_decoder/embedding",
             "embedding_rnn_seq2seq/embedding_rnn_decoder/rnn_decoder/"
             "output_projection_wrapper/basic_rnn_cell/kernel",
             "embedding_rnn_seq2seq/embedding_rnn_decoder/rnn_decoder/"
             "output_projection_wrapper/basic_rnn_cell/bias",
             "embedding_rnn_seq2seq/embedding_rnn_decoder/rnn_decoder/"
             "output_projection_wrapper/kernel",
             "embedding_rnn_seq2seq/embedding_rnn_decoder/rnn_decoder/"
             "output_projection_wrapper/bias"]
    for feed_previous in (False, True, "tensor"):
        with tf.Graph().as_default():
            enc = [tf.placeholder(tf.int32, [None]) for _ in encoder_ids]
            dec = [tf.placeholder(tf.int32, [None]) for _ in decoder_ids]
            choice = tf.placeholder(tf.bool, []) if feed_previous == "tensor" else feed_previous
            outputs, state = tf.contrib.legacy_seq2seq.embedding_rnn_seq2seq(
                enc, dec, tf.nn.rnn_cell.BasicRNNCell(6), num_encoder_symbols=7,
                num_decoder_symbols=5, embedding_size=4, feed_previous=choice)
            assert [v.op.name for v in tf.global_variables()] == names
            assert len(outputs) == 4 and outputs[0].shape.as_list() == [None, 5]
            feeds = dict(zip(enc + dec, encoder_ids + decoder_ids))
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                values = sess.run(tf.global_variables())
                for feeding in ((False, True) if feed_previous == "tensor"
                                else (feed_previous,)):
                    if feed_previous == "tensor":
                        feeds[choice] = feeding
                    got, got_state = sess.run([outputs, state], feeds)
                    want, want_state = _embedding_seq2seq_reference(
                        values, encoder_ids, decoder_ids, feeding)
                    for a, b in zip(got, want):
                        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
                    np.testing.assert_allclose(got_state, want_state, rtol=1e-5, atol=1e-6)


def test_embedding_rnn_decoder_with_output_projection_and_wrapper_errors():
    rng = np.random.default_rng(13)
    with tf.Graph().as_default():
        dec = [tf.placeholder(tf.int32, [None]) for _ in range(3)]
        initial = tf.placeholder(tf.float32, [None, 4])
        w, b = tf.constant(rng.normal(size=(4, 6)), tf.float32), tf.zeros([6])
        outputs, _ = tf.contrib.legacy_seq2seq.embedding_rnn_decoder(
            dec, initial, tf.nn.rnn_cell.GRUCell(4), num_symbols=6, embedding_size=3,
            output_projection=(w, b), feed_previous=True)
        assert outputs[0].shape.as_list() == [None, 4]  # the cell's outputs, unprojected
        loss = tf.reduce_sum(outputs[-1])
        embedding = tf.global_variables()[0]
        assert embedding.op.name == "embedding_rnn_decoder/embedding"
        grad = tf.gradients(loss, embedding)[0]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            feeds = {t: rng.integers(0, 6, 2) for t in dec}
            feeds[initial] = rng.normal(size=(2, 4))
            assert np.isfinite(sess.run(tf.convert_to_tensor(grad), feeds)).all()
        with pytest.raises(ValueError, match="must be > 0"):
            tf.contrib.rnn.EmbeddingWrapper(tf.nn.rnn_cell.GRUCell(4), 0, 3)


def _attention_reference(values, inputs, states, h):
    """NumPy attention_decoder of a BasicRNNCell with one head."""
    attn_w, attn_v, in_k, in_b, cell_k, cell_b, query_k, query_b, out_k, out_b = values
    features = states @ attn_w[0, 0]
    reads, outputs = np.zeros((states.shape[0], states.shape[2])), []
    for x in inputs:
        cell_input = np.concatenate([x, reads], 1) @ in_k + in_b
        h = np.tanh(np.concatenate([cell_input, h], 1) @ cell_k + cell_b)
        query = h @ query_k + query_b
        scores = (attn_v * np.tanh(features + query[:, None, :])).sum(2).astype(np.float32)
        weights = np.exp(scores - scores.max(1, keepdims=True))  # float32, as TF's
        weights = (weights / weights.sum(1, keepdims=True)).astype(np.float64)
        reads = (weights[:, :, None] * states).sum(1)
        outputs.append(np.concatenate([h, reads], 1) @ out_k + out_b)
    return outputs, h


def test_attention_decoder_names_math_and_gradients():
    rng = np.random.default_rng(14)
    x_values = [rng.normal(size=(2, 3)) for _ in range(3)]
    states_value, h0 = rng.normal(size=(2, 4, 5)), rng.normal(size=(2, 6))
    with tf.Graph().as_default():
        inputs = [tf.constant(x) for x in x_values]
        states = tf.placeholder(tf.float64, [None, 4, 5])
        initial = tf.constant(h0)
        outputs, state = tf.contrib.legacy_seq2seq.attention_decoder(
            inputs, initial, states, tf.nn.rnn_cell.BasicRNNCell(6), output_size=7,
            dtype=tf.float64)
        names = [v.op.name for v in tf.global_variables()]
        assert names == ["attention_decoder/AttnW_0", "attention_decoder/AttnV_0",
                         "attention_decoder/kernel", "attention_decoder/bias",
                         "attention_decoder/basic_rnn_cell/kernel",
                         "attention_decoder/basic_rnn_cell/bias",
                         "attention_decoder/Attention_0/kernel",
                         "attention_decoder/Attention_0/bias",
                         "attention_decoder/AttnOutputProjection/kernel",
                         "attention_decoder/AttnOutputProjection/bias"]
        u = rng.normal(size=(3, 2, 7))
        projected = tf.reduce_sum(tf.stack(outputs) * u)
        grad = tf.gradients(projected, states)[0]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            values = sess.run(tf.global_variables())
            got, got_state, analytic = sess.run([outputs, state, grad], {states: states_value})
            want, want_state = _attention_reference(values, x_values, states_value, h0)
            for a, b in zip(got, want):
                np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
            np.testing.assert_allclose(got_state, want_state, rtol=1e-6, atol=1e-7)
            # The attention softmax runs in float32 (TF's cast): wide differences.
            numeric = np.zeros_like(states_value)
            for index in np.ndindex(states_value.shape):
                moved = []
                for sign in (1, -1):
                    shifted = states_value.copy()
                    shifted[index] += sign * 1e-3
                    moved.append(sess.run(projected, {states: shifted}))
                numeric[index] = (moved[0] - moved[1]) / 2e-3
            np.testing.assert_allclose(analytic, numeric, rtol=1e-3, atol=5e-4)
        with pytest.raises(ValueError, match="at least 1 input"):
            tf.contrib.legacy_seq2seq.attention_decoder([], initial, states,
                                                        tf.nn.rnn_cell.BasicRNNCell(6))


def test_embedding_attention_seq2seq_builds_both_decoders_under_a_tensor_choice():
    rng = np.random.default_rng(15)
    with tf.Graph().as_default():
        enc = [tf.placeholder(tf.int32, [None]) for _ in range(3)]
        dec = [tf.placeholder(tf.int32, [None]) for _ in range(2)]
        choice = tf.placeholder(tf.bool, [])
        outputs, state = tf.contrib.legacy_seq2seq.embedding_attention_seq2seq(
            enc, dec, tf.nn.rnn_cell.GRUCell(4), num_encoder_symbols=6,
            num_decoder_symbols=5, embedding_size=3, feed_previous=choice)
        names = {v.op.name for v in tf.global_variables()}
        prefix = "embedding_attention_seq2seq/"
        assert {prefix + "rnn/embedding_wrapper/embedding",
                prefix + "rnn/embedding_wrapper/gru_cell/gates/kernel",
                prefix + "embedding_attention_decoder/embedding",
                prefix + "embedding_attention_decoder/attention_decoder/AttnW_0",
                prefix + "embedding_attention_decoder/attention_decoder/"
                         "output_projection_wrapper/gru_cell/candidate/kernel",
                prefix + "embedding_attention_decoder/attention_decoder/"
                         "AttnOutputProjection/kernel"} <= names
        assert len(names) == 20  # 5 encoder, 15 decoder: the second decoder reuses them
        feeds = {t: rng.integers(0, 6, 2) for t in enc}
        feeds.update({t: rng.integers(0, 5, 2) for t in dec})
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            fed, free = (sess.run([outputs, state], {**feeds, choice: flag})
                         for flag in (False, True))
            np.testing.assert_array_equal(fed[0][0], free[0][0])  # the first step agrees
            assert fed[0][1].shape == (2, 5) and fed[1].shape == (2, 4)
