"""tf.contrib.legacy_seq2seq: sequence losses vs NumPy, rnn_decoder / basic_rnn_seq2seq names."""
import numpy as np

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
