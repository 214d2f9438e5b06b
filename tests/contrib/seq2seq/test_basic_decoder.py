"""BasicDecoder + dynamic_decode with each helper against NumPy references of a BasicRNNCell
decoder, TF 1.15's variable and loop names, the decoder's errors and a float64
finite-difference check through a decoding loop."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.test import check_gradients

s2s = tf.contrib.seq2seq
RNG = np.random.default_rng(11)
BATCH, TIME, DEPTH, UNITS, VOCAB = 3, 5, 4, 6, 7
INPUTS = RNG.normal(size=(BATCH, TIME, DEPTH))
LENGTHS = np.array([5, 2, 3], np.int32)


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


def _weights(sess, names):
    values = {v.op.name: v for v in tf.global_variables()}
    return sess.run([values[n] for n in names])


def _rnn_step(kernel, bias, x, h):
    return np.tanh(np.concatenate([x, h], 1) @ kernel + bias)


def _training_decoder(impute_finished=False, time_major=False):
    inputs = tf.constant(INPUTS.transpose(1, 0, 2) if time_major else INPUTS, tf.float32)
    cell = tf.nn.rnn_cell.BasicRNNCell(UNITS)
    helper = s2s.TrainingHelper(inputs, tf.constant(LENGTHS), time_major=time_major)
    decoder = s2s.BasicDecoder(cell, helper, cell.zero_state(BATCH, tf.float32),
                               output_layer=tf.layers.Dense(VOCAB))
    return s2s.dynamic_decode(decoder, output_time_major=time_major,
                              impute_finished=impute_finished)


def _training_reference(kernel, bias, dense_kernel, dense_bias, impute_finished):
    h = np.zeros((BATCH, UNITS))
    logits = np.zeros((BATCH, TIME, VOCAB))
    for t in range(TIME):
        new_h = _rnn_step(kernel, bias, INPUTS[:, t], h)
        step_logits = new_h @ dense_kernel + dense_bias
        if impute_finished:
            done = (t >= LENGTHS)[:, None]
            step_logits = np.where(done, 0.0, step_logits)
            new_h = np.where(done, h, new_h)
        logits[:, t], h = step_logits, new_h
    return logits, h


@pytest.mark.parametrize("impute_finished", [False, True])
@pytest.mark.parametrize("time_major", [False, True])
def test_training_helper_decoding_matches_numpy(impute_finished, time_major):
    outputs, state, lengths = _training_decoder(impute_finished, time_major)
    assert isinstance(outputs, s2s.BasicDecoderOutput)
    expected_shape = [None, BATCH, VOCAB] if time_major else [BATCH, None, VOCAB]
    assert outputs.rnn_output.shape.as_list() == expected_shape
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        weights = _weights(sess, ["decoder/basic_rnn_cell/kernel", "decoder/basic_rnn_cell/bias",
                                  "decoder/dense/kernel", "decoder/dense/bias"])
        got, got_state, got_lengths = sess.run([outputs, state, lengths])
    logits, h = _training_reference(*weights, impute_finished)
    rnn_output, sample_id = got
    if time_major:
        rnn_output, sample_id = rnn_output.transpose(1, 0, 2), sample_id.T
    np.testing.assert_allclose(rnn_output, logits, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(sample_id, np.where(
        np.arange(TIME) >= LENGTHS[:, None], 0, logits.argmax(-1)) if impute_finished
        else logits.argmax(-1))
    np.testing.assert_allclose(got_state, h, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(got_lengths, LENGTHS)


def test_decoder_variables_and_loop_have_tf_names():
    cell = tf.nn.rnn_cell.BasicLSTMCell(UNITS)
    helper = s2s.TrainingHelper(tf.constant(INPUTS, tf.float32), LENGTHS)
    decoder = s2s.BasicDecoder(cell, helper, cell.zero_state(BATCH, tf.float32),
                               output_layer=tf.layers.Dense(VOCAB))
    outputs, state, lengths = s2s.dynamic_decode(decoder)
    assert [v.op.name for v in tf.global_variables()] == [
        "decoder/basic_lstm_cell/kernel", "decoder/basic_lstm_cell/bias",
        "decoder/dense/kernel", "decoder/dense/bias"]
    assert lengths.op.name.startswith("decoder/while/Exit")
    assert any(op.name.startswith("decoder/while/BasicDecoderStep/")
               for op in tf.get_default_graph().get_operations())
    assert decoder.output_size.rnn_output.as_list() == [VOCAB]
    assert decoder.output_dtype == s2s.BasicDecoderOutput(tf.float32, tf.int32)


def _greedy_reference(kernel, bias, dense_kernel, dense_bias, embedding, start, end, steps):
    h = np.zeros((BATCH, UNITS))
    x = embedding[np.full(BATCH, start)]
    finished = np.zeros(BATCH, bool)
    lengths = np.zeros(BATCH, int)
    ids = []
    for t in range(steps):
        h = _rnn_step(kernel, bias, x, h)
        step_ids = (h @ dense_kernel + dense_bias).argmax(-1)
        lengths = np.where(finished, lengths, t + 1)
        finished |= step_ids == end
        ids.append(step_ids)
        x = embedding[step_ids]
        if finished.all():
            break
    return np.stack(ids, 1), lengths


@pytest.mark.parametrize("callable_embedding", [False, True])
def test_greedy_embedding_helper_matches_numpy(callable_embedding):
    embedding = tf.get_variable("embedding", [VOCAB, DEPTH], tf.float32)
    cell = tf.nn.rnn_cell.BasicRNNCell(UNITS)
    table = (lambda ids: tf.nn.embedding_lookup(embedding, ids)) if callable_embedding \
        else embedding
    helper = s2s.GreedyEmbeddingHelper(table, tf.fill([BATCH], 1), 2)
    decoder = s2s.BasicDecoder(cell, helper, cell.zero_state(BATCH, tf.float32),
                               output_layer=tf.layers.Dense(VOCAB))
    outputs, _, lengths = s2s.dynamic_decode(decoder, maximum_iterations=6)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        weights = _weights(sess, ["decoder/basic_rnn_cell/kernel", "decoder/basic_rnn_cell/bias",
                                  "decoder/dense/kernel", "decoder/dense/bias", "embedding"])
        ids, got_lengths = sess.run([outputs.sample_id, lengths])
    want_ids, want_lengths = _greedy_reference(*weights, 1, 2, 6)
    np.testing.assert_array_equal(ids, want_ids)
    np.testing.assert_array_equal(got_lengths, want_lengths)


def test_sample_embedding_helper_at_low_temperature_is_greedy_and_seeded():
    embedding = tf.constant(RNG.normal(size=(VOCAB, DEPTH)), tf.float32)
    cell = tf.nn.rnn_cell.BasicRNNCell(UNITS)
    layer = tf.layers.Dense(VOCAB)

    def decode(helper):
        decoder = s2s.BasicDecoder(cell, helper, cell.zero_state(BATCH, tf.float32),
                                   output_layer=layer)
        return s2s.dynamic_decode(decoder, maximum_iterations=4)[0]
    start = tf.fill([BATCH], 1)
    greedy = decode(s2s.GreedyEmbeddingHelper(embedding, start, VOCAB + 1))
    cold = decode(s2s.SampleEmbeddingHelper(embedding, start, VOCAB + 1,
                                            softmax_temperature=1e-4, seed=3))
    warm = decode(s2s.SampleEmbeddingHelper(embedding, start, VOCAB + 1, seed=5))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        greedy_ids, cold_ids = sess.run([greedy.sample_id, cold.sample_id])
        first, second = sess.run(warm.sample_id), sess.run(warm.sample_id)
    np.testing.assert_array_equal(cold_ids, greedy_ids)
    assert first.shape == (BATCH, 4) and first.min() >= 0 and first.max() < VOCAB
    assert not np.array_equal(first, second) or np.unique(first).size > 1


def _decode_training_like(helper, cell, layer):
    decoder = s2s.BasicDecoder(cell, helper, cell.zero_state(BATCH, tf.float32),
                               output_layer=layer)
    return s2s.dynamic_decode(decoder)[0]


def test_scheduled_embedding_helper_bounds():
    inputs = tf.constant(INPUTS, tf.float32)
    embedding = tf.constant(RNG.normal(size=(VOCAB, DEPTH)), tf.float32)
    cell, layer = tf.nn.rnn_cell.BasicRNNCell(UNITS), tf.layers.Dense(VOCAB)
    teacher = _decode_training_like(s2s.TrainingHelper(inputs, LENGTHS), cell, layer)
    never = _decode_training_like(s2s.ScheduledEmbeddingTrainingHelper(
        inputs, LENGTHS, embedding, 0.0, seed=1), cell, layer)
    always = _decode_training_like(s2s.ScheduledEmbeddingTrainingHelper(
        inputs, LENGTHS, embedding, 1.0, seed=1), cell, layer)
    with pytest.raises(ValueError, match="sampling_probability must be either a scalar"):
        s2s.ScheduledEmbeddingTrainingHelper(inputs, LENGTHS, embedding, [[0.5]])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        teacher_v, never_v, always_v = sess.run([teacher, never, always])
    np.testing.assert_allclose(never_v.rnn_output, teacher_v.rnn_output, rtol=1e-6)
    assert (never_v.sample_id == -1).all()
    assert (always_v.sample_id >= 0).all()
    # step 0 reads the true first input either way; later steps differ when sampling
    np.testing.assert_allclose(always_v.rnn_output[:, 0], teacher_v.rnn_output[:, 0], rtol=1e-6)
    assert not np.allclose(always_v.rnn_output[:, 1:], teacher_v.rnn_output[:, 1:])


def test_scheduled_output_helper_feeds_outputs_back_like_inference_helper():
    inputs = tf.constant(INPUTS[:, :, :UNITS - 2], tf.float32)
    auxiliary = tf.constant(RNG.normal(size=(BATCH, TIME, 2)), tf.float32)
    cell = tf.nn.rnn_cell.BasicRNNCell(UNITS)
    always = _decode_training_like(s2s.ScheduledOutputTrainingHelper(
        inputs, LENGTHS, 1.0, next_inputs_fn=lambda out: out[:, :UNITS - 2],
        auxiliary_inputs=auxiliary), cell, None)
    never = _decode_training_like(s2s.ScheduledOutputTrainingHelper(
        inputs, LENGTHS, 0.0, next_inputs_fn=lambda out: out[:, 2:],
        auxiliary_inputs=auxiliary), cell, None)
    teacher = _decode_training_like(s2s.TrainingHelper(
        tf.concat([inputs, auxiliary], -1), LENGTHS), cell, None)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        kernel, bias = _weights(sess, ["decoder/basic_rnn_cell/kernel",
                                       "decoder/basic_rnn_cell/bias"])
        always_v, never_v, teacher_v, aux = sess.run([always, never, teacher, auxiliary])
    np.testing.assert_allclose(never_v.rnn_output, teacher_v.rnn_output, rtol=1e-6)
    assert always_v.sample_id.dtype == np.int32 and (always_v.sample_id == 1).all()
    h = np.zeros((BATCH, UNITS))
    x = np.concatenate([INPUTS[:, 0, :UNITS - 2], aux[:, 0]], 1)
    for t in range(TIME):
        h = _rnn_step(kernel, bias, x, h)
        np.testing.assert_allclose(always_v.rnn_output[:, t], h, rtol=1e-5, atol=1e-6)
        if t + 1 < TIME:
            x = np.concatenate([h[:, :UNITS - 2], aux[:, t + 1]], 1)


def test_inference_and_custom_helpers():
    cell = tf.nn.rnn_cell.BasicRNNCell(DEPTH)
    start = tf.constant(INPUTS[:, 0], tf.float32)
    inference = s2s.InferenceHelper(
        sample_fn=lambda out: out, sample_shape=[DEPTH], sample_dtype=tf.float32,
        start_inputs=start, end_fn=lambda ids: ids[:, 0] > 0.9)
    custom = s2s.CustomHelper(
        initialize_fn=lambda: (tf.zeros([BATCH], tf.bool), start),
        sample_fn=lambda time, outputs, state: tf.argmax(outputs, -1, output_type=tf.int32),
        next_inputs_fn=lambda time, outputs, state, sample_ids: (
            time + 1 >= 3, outputs, state))
    with pytest.raises(ValueError, match="batch_size accessed before initialize"):
        assert custom.batch_size is None  # raises before initialize
    decoded = [s2s.dynamic_decode(s2s.BasicDecoder(cell, h, cell.zero_state(BATCH, tf.float32)),
                                  maximum_iterations=4) for h in (inference, custom)]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        kernel, bias = _weights(sess, ["decoder/basic_rnn_cell/kernel",
                                       "decoder/basic_rnn_cell/bias"])
        (inf_out, _, inf_len), (custom_out, _, custom_len) = sess.run(decoded)
    h, x, outs = np.zeros((BATCH, DEPTH)), INPUTS[:, 0], []
    for _ in range(inf_out.rnn_output.shape[1]):
        h = x = _rnn_step(kernel, bias, x, h)
        outs.append(h)
    np.testing.assert_allclose(inf_out.sample_id, np.stack(outs, 1), rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(custom_len, [3, 3, 3])
    np.testing.assert_array_equal(custom_out.sample_id, custom_out.rnn_output.argmax(-1))


def test_maximum_iterations_and_errors():
    cell = tf.nn.rnn_cell.BasicRNNCell(UNITS)
    helper = s2s.TrainingHelper(tf.constant(INPUTS, tf.float32), LENGTHS)
    decoder = s2s.BasicDecoder(cell, helper, cell.zero_state(BATCH, tf.float32))
    outputs, _, lengths = s2s.dynamic_decode(decoder, maximum_iterations=2)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out, got_lengths = sess.run([outputs.rnn_output, lengths])
    assert out.shape == (BATCH, 2, UNITS)
    np.testing.assert_array_equal(got_lengths, [2, 2, 2])
    with pytest.raises(TypeError, match="Expected decoder to be type Decoder"):
        s2s.dynamic_decode(helper)
    with pytest.raises(ValueError, match="maximum_iterations must be a scalar"):
        s2s.dynamic_decode(decoder, maximum_iterations=[2])
    with pytest.raises(TypeError, match="helper must be a Helper"):
        s2s.BasicDecoder(cell, "helper", cell.zero_state(BATCH, tf.float32))
    with pytest.raises(TypeError, match="output_layer must be a Layer"):
        s2s.BasicDecoder(cell, helper, cell.zero_state(BATCH, tf.float32), output_layer=3)
    with pytest.raises(ValueError, match="Expected sequence_length to be a vector"):
        s2s.TrainingHelper(INPUTS, 3)
    with pytest.raises(ValueError, match="start_tokens must be a vector"):
        s2s.GreedyEmbeddingHelper(np.eye(3), 1, 2)
    with pytest.raises(ValueError, match="end_token must be a scalar"):
        s2s.GreedyEmbeddingHelper(np.eye(3), [1], [2])


class _ConstantCell(tf.nn.rnn_cell.RNNCell):
    """tanh(x U + h W) with fixed float64 weights: a cell without variables."""

    def __init__(self):
        super().__init__()
        rng = np.random.default_rng(2)
        self._u = tf.constant(rng.normal(size=(DEPTH, UNITS)) * 0.5)
        self._w = tf.constant(rng.normal(size=(UNITS, UNITS)) * 0.5)

    @property
    def state_size(self):
        return UNITS

    @property
    def output_size(self):
        return UNITS

    def call(self, inputs, state):
        h = tf.tanh(tf.matmul(inputs, self._u) + tf.matmul(state, self._w))
        return h, h


def test_decoding_loop_gradients_float64():
    def build(inputs, initial_state):
        cell = _ConstantCell()
        helper = s2s.TrainingHelper(inputs, tf.constant([4, 2, 3]))
        decoder = s2s.BasicDecoder(cell, helper, initial_state)
        outputs, state, _ = s2s.dynamic_decode(decoder, impute_finished=True)
        return tf.reduce_sum(outputs.rnn_output, 1) + state
    check_gradients(build, INPUTS[:, :4], RNG.normal(size=(BATCH, UNITS)) * 0.3)
