"""RNN cells: TF 1.x variable names and each cell's math against NumPy (gate order i, j, f, o)."""
import numpy as np
import pytest

import tfcompat as tf

RNG = np.random.default_rng(3)
R = tf.nn.rnn_cell


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _one_step(cell, x, state):
    """Runs one call of ``cell``; returns (output, new state, {variable name: value})."""
    with tf.Graph().as_default():
        output, new_state = cell(tf.constant(x), tf.contrib.rnn.LSTMStateTuple(
            *[tf.constant(s) for s in state]) if isinstance(state, tuple) else
            tf.constant(state))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got = sess.run([output, new_state])
            weights = {v.op.name: sess.run(v) for v in tf.global_variables()}
    return got[0], got[1], weights


X = RNG.normal(size=(2, 3))


def test_basic_rnn_cell():
    h = RNG.normal(size=(2, 4))
    out, state, w = _one_step(R.BasicRNNCell(4), X, h)
    kernel, bias = w["basic_rnn_cell/kernel"], w["basic_rnn_cell/bias"]
    assert kernel.shape == (7, 4) and not bias.any()
    expected = np.tanh(np.concatenate([X, h], 1) @ kernel + bias)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(state, expected, rtol=1e-5, atol=1e-6)


def test_basic_lstm_cell_gate_order_and_forget_bias():
    c, h = RNG.normal(size=(2, 4)), RNG.normal(size=(2, 4))
    out, state, w = _one_step(R.BasicLSTMCell(4, forget_bias=0.7), X, (c, h))
    kernel = w["basic_lstm_cell/kernel"]
    i, j, f, o = np.split(np.concatenate([X, h], 1) @ kernel, 4, axis=1)
    new_c = c * sigmoid(f + 0.7) + sigmoid(i) * np.tanh(j)
    new_h = np.tanh(new_c) * sigmoid(o)
    np.testing.assert_allclose(state.c, new_c, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(state.h, new_h, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out, new_h, rtol=1e-5, atol=1e-6)


def test_basic_lstm_cell_concatenated_state():
    ch = RNG.normal(size=(2, 8))
    out, state, w = _one_step(R.BasicLSTMCell(4, state_is_tuple=False), X, ch)
    c, h = ch[:, :4], ch[:, 4:]
    i, j, f, o = np.split(np.concatenate([X, h], 1) @ w["basic_lstm_cell/kernel"], 4, axis=1)
    new_c = c * sigmoid(f + 1.0) + sigmoid(i) * np.tanh(j)
    np.testing.assert_allclose(state, np.concatenate([new_c, np.tanh(new_c) * sigmoid(o)], 1),
                               rtol=1e-5, atol=1e-6)


def test_lstm_cell_peepholes_clip_projection():
    c, h = RNG.normal(size=(2, 4)) * 3, RNG.normal(size=(2, 2))
    cell = R.LSTMCell(4, use_peepholes=True, cell_clip=0.5, num_proj=2, proj_clip=0.1,
                      initializer=tf.random_uniform_initializer(-0.5, 0.5, seed=1))
    out, state, w = _one_step(cell, X, (c, h))
    assert sorted(w) == ["lstm_cell/bias", "lstm_cell/kernel", "lstm_cell/projection/kernel",
                         "lstm_cell/w_f_diag", "lstm_cell/w_i_diag", "lstm_cell/w_o_diag"]
    i, j, f, o = np.split(np.concatenate([X, h], 1) @ w["lstm_cell/kernel"], 4, axis=1)
    new_c = (sigmoid(f + 1.0 + w["lstm_cell/w_f_diag"] * c) * c
             + sigmoid(i + w["lstm_cell/w_i_diag"] * c) * np.tanh(j))
    new_c = np.clip(new_c, -0.5, 0.5)
    m = sigmoid(o + w["lstm_cell/w_o_diag"] * new_c) * np.tanh(new_c)
    m = np.clip(m @ w["lstm_cell/projection/kernel"], -0.1, 0.1)
    np.testing.assert_allclose(state.c, new_c, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out, m, rtol=1e-5, atol=1e-6)


def test_gru_cell():
    h = RNG.normal(size=(2, 4))
    out, _, w = _one_step(R.GRUCell(4), X, h)
    assert (w["gru_cell/gates/bias"] == 1.0).all() and not w["gru_cell/candidate/bias"].any()
    r, u = np.split(sigmoid(np.concatenate([X, h], 1) @ w["gru_cell/gates/kernel"] + 1.0), 2,
                    axis=1)
    candidate = np.tanh(np.concatenate([X, r * h], 1) @ w["gru_cell/candidate/kernel"])
    np.testing.assert_allclose(out, u * h + (1 - u) * candidate, rtol=1e-5, atol=1e-6)


def test_multi_cell_wrappers_and_names():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 5, 3])
        cells = [R.DropoutWrapper(R.BasicLSTMCell(4), output_keep_prob=0.5, seed=2),
                 R.ResidualWrapper(R.GRUCell(4)),
                 R.DeviceWrapper(R.BasicRNNCell(4), "/cpu:0")]
        outputs, state = tf.nn.dynamic_rnn(R.MultiRNNCell(cells), x, dtype=tf.float32)
        names = [v.op.name for v in tf.global_variables()]
        assert names == ["rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel",
                         "rnn/multi_rnn_cell/cell_0/basic_lstm_cell/bias",
                         "rnn/multi_rnn_cell/cell_1/gru_cell/gates/kernel",
                         "rnn/multi_rnn_cell/cell_1/gru_cell/gates/bias",
                         "rnn/multi_rnn_cell/cell_1/gru_cell/candidate/kernel",
                         "rnn/multi_rnn_cell/cell_1/gru_cell/candidate/bias",
                         "rnn/multi_rnn_cell/cell_2/basic_rnn_cell/kernel",
                         "rnn/multi_rnn_cell/cell_2/basic_rnn_cell/bias"]
        assert isinstance(state[0], R.LSTMStateTuple) and len(state) == 3
        assert outputs.shape.as_list() == [None, 5, 4]


def test_projection_wrappers_and_contrib_aliases():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 5, 3])
        cell = tf.contrib.rnn.OutputProjectionWrapper(
            tf.contrib.rnn.InputProjectionWrapper(tf.contrib.rnn.BasicRNNCell(4), 6), 1)
        outputs, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
        assert outputs.shape.as_list() == [None, 5, 1]
        names = sorted(v.op.name for v in tf.global_variables())
        assert "rnn/output_projection_wrapper/kernel" in names
        assert "rnn/output_projection_wrapper/input_projection_wrapper/kernel" in names
        assert tf.contrib.rnn.LSTMStateTuple is R.LSTMStateTuple


def test_zero_state_and_bad_input_depth():
    with tf.Graph().as_default():
        state = R.MultiRNNCell([R.BasicLSTMCell(3), R.GRUCell(2)]).zero_state(5, tf.float32)
        assert state[0].c.shape.as_list() == [5, 3] and state[1].shape.as_list() == [5, 2]
        with pytest.raises(ValueError, match="Expected inputs.shape"):
            R.BasicRNNCell(2)(tf.placeholder(tf.float32, [2, None]), tf.zeros([2, 2]))


def test_subclassed_cell_in_dynamic_rnn():
    class Accumulate(R.RNNCell):
        state_size = 2
        output_size = 2

        def call(self, inputs, state):
            total = state + inputs
            return total * 2.0, total
    with tf.Graph().as_default():
        x = tf.constant(np.ones((1, 3, 2), np.float32))
        outputs, state = tf.nn.dynamic_rnn(Accumulate(), x, dtype=tf.float32)
        with tf.Session() as sess:
            got_outputs, got_state = sess.run([outputs, state])
    np.testing.assert_array_equal(got_outputs[0], [[2, 2], [4, 4], [6, 6]])
    np.testing.assert_array_equal(got_state, [[3, 3]])


def _check_gradients_with_variables(build, x_value, delta=1e-6):
    """Finite differences of <u, build(x)> against tf.gradients, w.r.t. x and every
    (initialised) variable."""
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, x_value.shape)
        output = build(x)
        u = RNG.uniform(0.5, 1.5, [d or 2 for d in output.shape.as_list()])
        projected = tf.reduce_sum(output * u)
        variables = tf.global_variables()
        grads = tf.gradients(projected, [x] + variables)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            analytic = sess.run(grads, {x: x_value})
            numeric = np.zeros_like(x_value)
            for index in np.ndindex(x_value.shape):
                values = []
                for sign in (1, -1):
                    shifted = x_value.copy()
                    shifted[index] += sign * delta
                    values.append(sess.run(projected, {x: shifted}))
                numeric[index] = (values[0] - values[1]) / (2 * delta)
            np.testing.assert_allclose(analytic[0], numeric, atol=1e-7)
            for variable, grad in zip(variables, analytic[1:]):
                base = sess.run(variable)
                flat = base.reshape(-1)
                for k in range(0, flat.size, 3):  # every third weight
                    values = []
                    for sign in (1, -1):
                        moved = flat.copy()
                        moved[k] += sign * delta
                        variable.load(moved.reshape(base.shape), sess)
                        values.append(sess.run(projected, {x: x_value}))
                    variable.load(base, sess)
                    assert abs((values[0] - values[1]) / (2 * delta) - grad.reshape(-1)[k]) \
                        < 1e-7, variable.name


@pytest.mark.parametrize("make_cell", [lambda: R.BasicLSTMCell(2), lambda: R.GRUCell(2),
                                       lambda: R.LSTMCell(2, use_peepholes=True, num_proj=1)])
def test_cell_gradients_through_dynamic_rnn(make_cell):
    def build(x):
        outputs, state = tf.nn.dynamic_rnn(make_cell(), x, dtype=tf.float64)
        last = state.c if isinstance(state, R.LSTMStateTuple) else state
        return tf.concat([tf.reshape(outputs, [2, -1]), tf.reshape(last, [2, -1])], 1)
    _check_gradients_with_variables(build, RNG.normal(size=(2, 3, 2)))


def _variational_lstm_reference(x, kernel, bias, masks):
    """A BasicLSTMCell run with fixed input, state-h and output masks (the c state is not
    dropped, TF's default state filter)."""
    mask_in, mask_h, mask_out = masks
    batch, units = x.shape[0], bias.shape[0] // 4
    c, h, outputs = np.zeros((batch, units)), np.zeros((batch, units)), []
    for t in range(x.shape[1]):
        z = np.concatenate([x[:, t] * mask_in, h], 1) @ kernel + bias
        i, j, f, o = np.split(z, 4, axis=1)
        c = c * sigmoid(f + 1.0) + sigmoid(i) * np.tanh(j)
        h = np.tanh(c) * sigmoid(o)
        outputs.append(h * mask_out)
        h = h * mask_h
    return np.stack(outputs, 1), c, h


def test_variational_dropout_keeps_one_mask_per_run():
    keep = 0.6
    x = np.random.default_rng(4).normal(size=(3, 6, 5))
    with tf.Graph().as_default():
        inputs = tf.placeholder(tf.float64, [None, 6, 5])
        cell = R.DropoutWrapper(R.BasicLSTMCell(4), input_keep_prob=keep, state_keep_prob=keep,
                                output_keep_prob=keep, variational_recurrent=True,
                                input_size=5, dtype=tf.float64, seed=7)
        outputs, state = tf.nn.dynamic_rnn(cell, inputs, dtype=tf.float64)
        kernel, bias = tf.global_variables()
        noise = [cell._noise["input"], cell._noise["state"].h, cell._noise["output"]]
        assert [n.shape.as_list() for n in noise] == [[1, 5], [1, 4], [1, 4]]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got, got_state, k, b, drawn = sess.run([outputs, state, kernel, bias, noise],
                                                   {inputs: x})
            again = sess.run(noise)
    masks = [np.floor(keep + n) / keep for n in drawn]
    assert all(set(np.unique(m)) <= {0.0, 1 / keep} for m in masks)
    assert any(not np.array_equal(a, b) for a, b in zip(drawn, again))  # per run
    want_outputs, want_c, want_h = _variational_lstm_reference(x, k, b, masks)
    np.testing.assert_allclose(got, want_outputs, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(got_state.c, want_c, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(got_state.h, want_h, rtol=1e-10, atol=1e-12)


def test_variational_dropout_argument_errors_and_gradients():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="dtype must be provided"):
            R.DropoutWrapper(R.BasicRNNCell(3), variational_recurrent=True)
        with pytest.raises(ValueError, match="input_size must be provided"):
            R.DropoutWrapper(R.BasicRNNCell(3), input_keep_prob=0.5, dtype=tf.float32,
                             variational_recurrent=True)
        # Without input dropout no input size is needed.
        R.DropoutWrapper(R.BasicRNNCell(3), output_keep_prob=0.5, dtype=tf.float32,
                         variational_recurrent=True)
    noise_values = np.random.default_rng(5).random((3, 1, 3))

    def build(x):
        cell = R.DropoutWrapper(R.BasicRNNCell(3), input_keep_prob=0.5, state_keep_prob=0.7,
                                output_keep_prob=0.8, variational_recurrent=True,
                                input_size=3, dtype=tf.float64, seed=1)
        # Fixed noise, so that every run of the checker draws the same masks.
        cell._noise = {part: tf.constant(value) for part, value
                       in zip(("input", "state", "output"), noise_values)}
        outputs, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float64)
        return outputs
    _check_gradients_with_variables(build, np.random.default_rng(6).normal(size=(2, 4, 3)))
