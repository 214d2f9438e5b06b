"""tf.nn.raw_rnn: the loop_fn protocol (first call with Nones, finished rows emitting zeros
and keeping their state, emit structures and loop states), equality with dynamic_rnn for
the standard loop_fn, float64 finite-difference gradients through the loop, and errors; and
static_state_saving_rnn carrying its state between runs through a state saver."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.test import check_gradients


class _TanhCell:
    """A weightless cell: output = state' = tanh(x + 0.5 * state)."""

    state_size = 2
    output_size = 2

    def __call__(self, inputs, state):
        new = tf.tanh(inputs + 0.5 * state)
        return new, new

    def zero_state(self, batch_size, dtype):
        return tf.zeros([batch_size, 2], dtype)


def _reader(cell, inputs, lengths, batch):
    steps = inputs.shape[0].value
    inputs_ta = tf.TensorArray(inputs.dtype, size=steps).unstack(inputs)

    def loop_fn(time, cell_output, cell_state, loop_state):
        state = cell.zero_state(batch, inputs.dtype) if cell_output is None else cell_state
        finished = time >= lengths
        next_input = tf.cond(tf.reduce_all(finished),
                             lambda: tf.zeros([batch, inputs.shape[2].value], inputs.dtype),
                             lambda: inputs_ta.read(tf.minimum(time, steps - 1)))
        return finished, next_input, state, cell_output, None
    return loop_fn


def test_raw_rnn_equals_dynamic_rnn():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(5, 3, 4)).astype(np.float32)
    lengths = np.array([5, 2, 4], np.int32)
    with tf.Graph().as_default():
        cell = tf.nn.rnn_cell.BasicLSTMCell(6)
        outputs_ta, final_state, loop_state = tf.nn.raw_rnn(
            cell, _reader(cell, tf.constant(x), tf.constant(lengths), 3))
        assert loop_state is None
        outputs = outputs_ta.stack()
        dyn, dyn_state = tf.nn.dynamic_rnn(cell, x, sequence_length=lengths, time_major=True,
                                           dtype=tf.float32)
        assert [v.op.name for v in tf.global_variables()] == ["rnn/basic_lstm_cell/kernel",
                                                                "rnn/basic_lstm_cell/bias"]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            a, b, s1, s2 = sess.run([outputs, dyn, final_state, dyn_state])
    np.testing.assert_allclose(a, b, atol=1e-6)
    np.testing.assert_allclose(s1.c, s2.c, atol=1e-6)
    assert (a[2:, 1] == 0).all() and (a[4:, 2] == 0).all()


def test_emit_structure_and_loop_state():
    cell = _TanhCell()
    with tf.Graph().as_default():
        batch, limit = 2, tf.constant([3, 1])

        def loop_fn(time, cell_output, cell_state, loop_state):
            if cell_output is None:  # the first call: structures and the initial state
                return (time >= limit, tf.ones([batch, 2]), cell.zero_state(batch, tf.float32),
                        (tf.zeros([3]), tf.zeros([], tf.int32)), tf.constant(0.0))
            emit = (tf.concat([cell_output, tf.reduce_sum(cell_output, 1, keepdims=True)], 1),
                    tf.fill([batch], time))
            return (time >= limit, tf.ones([batch, 2]), cell_state, emit,
                    loop_state + tf.reduce_sum(cell_output))
        (values_ta, times_ta), state, total = tf.nn.raw_rnn(cell, loop_fn)
        values, times = values_ta.stack(), times_ta.stack()
        with tf.Session() as sess:
            v, t, s, total_value = sess.run([values, times, state, total])
    expected, h = [], np.zeros((2, 2), np.float32)
    for step in range(3):
        h_new = np.tanh(1 + 0.5 * h)
        done = np.array([step >= 3, step >= 1])
        expected.append(np.where(done[:, None], 0, np.concatenate(
            [h_new, h_new.sum(1, keepdims=True)], 1)))
        h = np.where(done[:, None], h, h_new)
    np.testing.assert_allclose(v, np.stack(expected), rtol=1e-6)
    np.testing.assert_array_equal(t, [[1, 1], [2, 0], [3, 0]])
    np.testing.assert_allclose(s, h, rtol=1e-6)
    assert v.shape == (3, 2, 3) and np.isfinite(total_value)


def test_gradients_through_the_loop():
    cell = _TanhCell()
    lengths = np.array([3, 2], np.int32)

    def build(x):
        outputs_ta, state, _ = tf.nn.raw_rnn(cell, _reader(cell, x, tf.constant(lengths), 2))
        return outputs_ta.stack() * 2.0 + tf.reduce_sum(state)
    check_gradients(build, np.random.default_rng(1).normal(size=(3, 2, 2)))


def test_errors():
    with tf.Graph().as_default():
        with pytest.raises(TypeError, match="loop_fn must be a callable"):
            tf.nn.raw_rnn(_TanhCell(), None)
        with pytest.raises(TypeError, match="cell must be an instance of RNNCell"):
            tf.nn.raw_rnn(lambda x, s: (x, s), lambda *a: None)


class _VariableSaver:
    """A state saver keeping each named state in a variable (TF's SequenceQueueingStateSaver
    protocol: state(name) and save_state(name, value))."""

    def __init__(self, batch, sizes):
        self.variables = {name: tf.Variable(tf.zeros([batch, size]), name=name)
                          for name, size in sizes.items()}

    def state(self, name):
        return self.variables[name].read_value()

    def save_state(self, name, value):
        return tf.assign(self.variables[name], value)


def test_static_state_saving_rnn_carries_state_between_runs():
    rng = np.random.default_rng(2)
    with tf.Graph().as_default():
        x = [tf.constant(v) for v in rng.normal(size=(3, 2, 4)).astype(np.float32)]
        cell = tf.nn.rnn_cell.BasicLSTMCell(5)
        saver = _VariableSaver(2, {"c": 5, "h": 5})
        outputs, state = tf.nn.static_state_saving_rnn(cell, x, saver, ("c", "h"))
        assert outputs[-1].op.type == "Identity" and len(outputs) == 3
        c_in, h_in = tf.placeholder(tf.float32, [2, 5]), tf.placeholder(tf.float32, [2, 5])
        reference, _ = tf.nn.static_rnn(cell, x, initial_state=tf.nn.rnn_cell.LSTMStateTuple(
            c_in, h_in))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            first = sess.run(outputs[-1])
            saved = sess.run([saver.variables["c"], saver.variables["h"]])
            second, final = sess.run([outputs[-1], state])
            expected = sess.run(reference[-1], {c_in: saved[0], h_in: saved[1]})
        assert not np.allclose(first, second)
        np.testing.assert_allclose(second, expected, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(final.h, second, rtol=1e-6)
        with pytest.raises(ValueError, match="state_name should be the same type"):
            tf.nn.static_state_saving_rnn(cell, x, saver, "c")
