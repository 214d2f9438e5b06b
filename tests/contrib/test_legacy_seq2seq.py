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
