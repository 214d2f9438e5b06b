"""dynamic_rnn, static_rnn and the bidirectional drivers against a NumPy recurrence."""
import numpy as np

import tfcompat as tf

RNG = np.random.default_rng(4)
R = tf.nn.rnn_cell
X = RNG.normal(size=(3, 4, 2))        # batch, time, depth
LENGTHS = np.array([4, 2, 0])


def _numpy_rnn(x, kernel, bias, lengths=None, h0=None, reverse=False):
    """BasicRNNCell over [batch, time, depth]: zero outputs and a carried state past the end."""
    batch, steps, _ = x.shape
    h = np.zeros((batch, kernel.shape[1])) if h0 is None else h0
    lengths = np.full(batch, steps) if lengths is None else lengths
    outputs = np.zeros((batch, steps, kernel.shape[1]))
    for b in range(batch):
        order = list(range(lengths[b]))[::-1] if reverse else range(lengths[b])
        state = h[b]
        for t in order:
            state = np.tanh(np.concatenate([x[b, t], state]) @ kernel + bias)
            outputs[b, t] = state
        h[b] = state if lengths[b] else h[b]
    return outputs, h


def _weights(sess, scope):
    return [sess.run(tf.get_default_graph().get_tensor_by_name(f"{scope}/{n}:0"))
            for n in ("kernel", "bias")]


def test_dynamic_rnn_sequence_length_masks_outputs_and_carries_state():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, [None, 4, 2])
        lengths = tf.placeholder(tf.int32, [None])
        h0 = tf.placeholder(tf.float64, [None, 3])
        outputs, state = tf.nn.dynamic_rnn(R.BasicRNNCell(3), x, sequence_length=lengths,
                                           initial_state=h0)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            h_start = RNG.normal(size=(3, 3))
            got = sess.run([outputs, state], {x: X, lengths: LENGTHS, h0: h_start})
            kernel, bias = _weights(sess, "rnn/basic_rnn_cell")
    expected, last = _numpy_rnn(X, kernel, bias, LENGTHS, h_start.copy())
    np.testing.assert_allclose(got[0], expected, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(got[1], last, rtol=1e-12, atol=1e-14)
    assert not got[0][2].any()


def test_time_major_and_scope():
    with tf.Graph().as_default():
        x = tf.constant(X.transpose(1, 0, 2))
        outputs, state = tf.nn.dynamic_rnn(R.BasicRNNCell(3), x, time_major=True,
                                           dtype=tf.float64, scope="enc")
        assert outputs.shape.as_list() == [4, 3, 3]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got = sess.run([outputs, state])
            kernel, bias = _weights(sess, "enc/basic_rnn_cell")
    expected, last = _numpy_rnn(X, kernel, bias)
    np.testing.assert_allclose(got[0], expected.transpose(1, 0, 2), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(got[1], last, rtol=1e-12, atol=1e-14)


def test_dynamic_rnn_needs_dtype_or_initial_state():
    with tf.Graph().as_default():
        try:
            tf.nn.dynamic_rnn(R.BasicRNNCell(3), tf.constant(X))
        except ValueError as error:
            assert "you must give a dtype" in str(error)
        else:
            raise AssertionError("expected ValueError")


def test_static_rnn_matches_dynamic_rnn_with_lengths():
    with tf.Graph().as_default():
        steps = [tf.constant(X[:, t]) for t in range(4)]
        outputs, state = tf.nn.static_rnn(R.BasicRNNCell(3), steps, dtype=tf.float64,
                                          sequence_length=LENGTHS)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got = sess.run([outputs, state])
            kernel, bias = _weights(sess, "rnn/basic_rnn_cell")
    expected, last = _numpy_rnn(X, kernel, bias, LENGTHS)
    np.testing.assert_allclose(np.stack(got[0], 1), expected, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(got[1], last, rtol=1e-12, atol=1e-14)


def test_bidirectional_dynamic_rnn_reverses_each_sequence():
    with tf.Graph().as_default():
        (fw, bw), (state_fw, state_bw) = tf.nn.bidirectional_dynamic_rnn(
            R.BasicRNNCell(3), R.BasicRNNCell(3), tf.constant(X), sequence_length=LENGTHS,
            dtype=tf.float64)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got = sess.run([fw, bw, state_fw, state_bw])
            fw_weights = _weights(sess, "bidirectional_rnn/fw/basic_rnn_cell")
            bw_weights = _weights(sess, "bidirectional_rnn/bw/basic_rnn_cell")
    expected_fw, last_fw = _numpy_rnn(X, *fw_weights, LENGTHS)
    expected_bw, last_bw = _numpy_rnn(X, *bw_weights, LENGTHS, reverse=True)
    np.testing.assert_allclose(got[0], expected_fw, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(got[1], expected_bw, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(got[3], last_bw, rtol=1e-12, atol=1e-14)


def test_static_bidirectional_rnn_concatenates_directions():
    with tf.Graph().as_default():
        steps = [tf.constant(X[:, t]) for t in range(4)]
        outputs, _, state_bw = tf.contrib.rnn.static_bidirectional_rnn(
            R.BasicRNNCell(3), R.BasicRNNCell(3), steps, dtype=tf.float64)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got = sess.run(outputs)
            fw_weights = _weights(sess, "bidirectional_rnn/fw/basic_rnn_cell")
            bw_weights = _weights(sess, "bidirectional_rnn/bw/basic_rnn_cell")
    expected_fw, _ = _numpy_rnn(X, *fw_weights)
    expected_bw, _ = _numpy_rnn(X, *bw_weights, reverse=True)
    np.testing.assert_allclose(np.stack(got, 1), np.concatenate([expected_fw, expected_bw], 2),
                               rtol=1e-12, atol=1e-14)


def test_reverse_sequence_and_gradient():
    from tfcompat.test import check_gradients
    with tf.Graph().as_default():
        got = tf.Session().run(tf.reverse_sequence(tf.constant(X), LENGTHS, seq_axis=1,
                                                   batch_axis=0))
    np.testing.assert_array_equal(got[0], X[0, ::-1])
    np.testing.assert_array_equal(got[1], np.concatenate([X[1, 1::-1], X[1, 2:]]))
    np.testing.assert_array_equal(got[2], X[2])
    check_gradients(lambda x: tf.reverse_sequence(x, [2, 1], seq_axis=0, batch_axis=1) * x,
                    RNG.normal(size=(3, 2)))


def test_dynamic_rnn_lengths_all_shorter_than_time_give_zero_tail():
    """The loop stops at the longest sequence_length; the unwritten steps stack as zeros
    (TF's TensorArray with identical element shapes), also with an unknown batch size."""
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, [None, 4, 2])
        outputs, state = tf.nn.dynamic_rnn(R.BasicRNNCell(3), x, sequence_length=[2, 1, 0],
                                           dtype=tf.float64)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got, got_state = sess.run([outputs, state], {x: X})
            kernel, bias = _weights(sess, "rnn/basic_rnn_cell")
    expected, last = _numpy_rnn(X, kernel, bias, np.array([2, 1, 0]), np.zeros((3, 3)))
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    np.testing.assert_allclose(got_state, last, rtol=1e-12)
    assert not got[:, 2:].any()
