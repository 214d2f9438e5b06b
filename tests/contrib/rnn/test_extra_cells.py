"""tf.contrib.rnn extra cells: ConvLSTM, AttentionCellWrapper, UGRNN, IndRNN vs NumPy."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.test import check_gradients

RNG = np.random.default_rng(7)
R = tf.contrib.rnn


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _run(build):
    """Builds (outputs, state) in a fresh graph; returns their values and the variables."""
    with tf.Graph().as_default():
        fetches = build()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got = sess.run(fetches)
            weights = {v.op.name: sess.run(v) for v in tf.global_variables()}
    return got, weights


def _conv_same(x, kernel):
    """NumPy SAME convolution (stride 1) over the spatial axes of x [N, *S, C]."""
    spatial = kernel.shape[:-2]
    pads = [(0, 0)] + [((k - 1) // 2, k // 2) for k in spatial] + [(0, 0)]
    padded = np.pad(x, pads)
    out = np.zeros(x.shape[:-1] + (kernel.shape[-1],))
    for offset in np.ndindex(*spatial):
        window = padded[(slice(None),) + tuple(
            slice(o, o + n) for o, n in zip(offset, x.shape[1:-1], strict=True))]
        out += window @ kernel[offset]
    return out


def _conv_lstm_reference(x, c, h, kernel, biases, forget_bias=1.0, skip=False):
    gates = _conv_same(np.concatenate([x, h], -1), kernel) + biases
    i, j, f, o = np.split(gates, 4, axis=-1)
    new_c = sigmoid(f + forget_bias) * c + sigmoid(i) * np.tanh(j)
    out = np.tanh(new_c) * sigmoid(o)
    if skip:
        out = np.concatenate([out, x], -1)
    return out, new_c


@pytest.mark.parametrize("ndims,cls,scope", [
    (1, R.Conv1DLSTMCell, "conv_1d_lstm_cell"),
    (2, R.Conv2DLSTMCell, "conv_2d_lstm_cell"),
    (3, R.Conv3DLSTMCell, "conv_3d_lstm_cell")])
def test_conv_lstm_cells_one_step(ndims, cls, scope):
    spatial = [4, 3, 2][:ndims]
    kernel_shape = [3, 2, 1][:ndims]
    x = RNG.normal(size=[2] + spatial + [2]).astype(np.float32)
    c = RNG.normal(size=[2] + spatial + [3]).astype(np.float32)
    h = RNG.normal(size=[2] + spatial + [3]).astype(np.float32)
    cell = cls(input_shape=spatial + [2], output_channels=3, kernel_shape=kernel_shape)
    assert cell.output_size.as_list() == spatial + [3]

    def build():
        return cell(tf.constant(x), R.LSTMStateTuple(tf.constant(c), tf.constant(h)))
    (out, state), w = _run(build)
    kernel, biases = w[f"{scope}/kernel"], w[f"{scope}/biases"]
    assert kernel.shape == tuple(kernel_shape + [5, 12]) and not biases.any()
    expected_out, expected_c = _conv_lstm_reference(x, c, h, kernel, biases)
    np.testing.assert_allclose(out, expected_out, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(state.c, expected_c, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(state.h, expected_out, rtol=1e-4, atol=1e-5)


def test_conv_lstm_skip_connection_no_bias_forget_bias():
    x = RNG.normal(size=(1, 3, 3, 2)).astype(np.float32)
    c, h = [RNG.normal(size=(1, 3, 3, 4)).astype(np.float32) for _ in range(2)]
    cell = R.ConvLSTMCell(2, [3, 3, 2], 4, [3, 3], use_bias=False, skip_connection=True,
                          forget_bias=0.5)
    assert cell.output_size.as_list() == [3, 3, 6]

    def build():
        return cell(tf.constant(x), R.LSTMStateTuple(tf.constant(c), tf.constant(h)))
    (out, state), w = _run(build)
    assert sorted(w) == ["conv_lstm_cell/kernel"]
    expected_out, expected_c = _conv_lstm_reference(
        x, c, h, w["conv_lstm_cell/kernel"], 0.0, forget_bias=0.5, skip=True)
    np.testing.assert_allclose(out, expected_out, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(state.c, expected_c, rtol=1e-4, atol=1e-5)


def test_conv_lstm_rejects_bad_input_shape():
    with pytest.raises(ValueError, match="Invalid input_shape"):
        R.ConvLSTMCell(2, [4, 2], 3, [3, 3])


def test_conv_lstm_in_dynamic_rnn():
    x = RNG.normal(size=(2, 3, 4, 2)).astype(np.float32)   # [batch, time, width, channels]

    def build():
        cell = R.Conv1DLSTMCell(input_shape=[4, 2], output_channels=3, kernel_shape=[3])
        return tf.nn.dynamic_rnn(cell, tf.constant(x), dtype=tf.float32)
    (outputs, state), w = _run(build)
    kernel, biases = w["rnn/conv_1d_lstm_cell/kernel"], w["rnn/conv_1d_lstm_cell/biases"]
    c = h = np.zeros((2, 4, 3))
    for t in range(3):
        h, c = _conv_lstm_reference(x[:, t], c, h, kernel, biases)
        np.testing.assert_allclose(outputs[:, t], h, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(state.c, c, rtol=1e-4, atol=1e-5)


def _placeholder_kernels(placeholders):
    """A custom getter that returns the given tensors for the named variables."""
    def getter(next_getter, name, *args, **kwargs):
        short = name.split("/")[-1]
        return placeholders[short] if short in placeholders else next_getter(
            name, *args, **kwargs)
    return getter


def test_conv_lstm_gradient():
    x = RNG.normal(size=(1, 3, 1))
    c, h = RNG.normal(size=(2, 1, 3, 2))
    kernel = RNG.normal(scale=0.5, size=(2, 3, 8))
    biases = RNG.normal(size=8)

    def build(x, c, h, kernel, biases):
        getter = _placeholder_kernels({"kernel": kernel, "biases": biases})
        with tf.variable_scope("g", custom_getter=getter):
            cell = R.Conv1DLSTMCell(input_shape=[3, 1], output_channels=2, kernel_shape=[2])
            out, state = cell(x, R.LSTMStateTuple(c, h))
        return out + state.c
    check_gradients(build, x, c, h, kernel, biases, atol=1e-6, rtol=1e-5)


def _dense(args, kernel, bias):
    return np.concatenate(args, 1) @ kernel + bias


def test_attention_cell_wrapper_step_and_names():
    batch, depth, units, length = 2, 3, 4, 3
    x = RNG.normal(size=(batch, depth)).astype(np.float32)
    c, h = RNG.normal(size=(2, batch, units)).astype(np.float32)
    attns = RNG.normal(size=(batch, units)).astype(np.float32)
    attn_states = RNG.normal(size=(batch, units * length)).astype(np.float32)

    def build():
        cell = R.AttentionCellWrapper(R.BasicLSTMCell(units), length)
        assert cell.state_size == (R.LSTMStateTuple(units, units), units, units * length)
        state = (R.LSTMStateTuple(tf.constant(c), tf.constant(h)), tf.constant(attns),
                 tf.constant(attn_states))
        return cell(tf.constant(x), state)
    (out, state), w = _run(build)
    p = "attention_cell_wrapper/"
    assert sorted(w) == sorted(p + n for n in [
        "kernel", "bias", "basic_lstm_cell/kernel", "basic_lstm_cell/bias", "attention/attn_w",
        "attention/attn_v", "attention/kernel", "attention/bias",
        "attn_output_projection/kernel", "attn_output_projection/bias"])
    inputs = _dense([x, attns], w[p + "kernel"], w[p + "bias"])
    gates = _dense([inputs, h], w[p + "basic_lstm_cell/kernel"], w[p + "basic_lstm_cell/bias"])
    i, j, f, o = np.split(gates, 4, axis=1)
    new_c = c * sigmoid(f + 1.0) + sigmoid(i) * np.tanh(j)
    new_h = np.tanh(new_c) * sigmoid(o)
    hidden = attn_states.reshape(batch, length, units)
    features = hidden @ w[p + "attention/attn_w"][0, 0]
    query = _dense([new_c, new_h], w[p + "attention/kernel"], w[p + "attention/bias"])
    scores = (w[p + "attention/attn_v"] * np.tanh(features + query[:, None])).sum(-1)
    weights = np.exp(scores) / np.exp(scores).sum(1, keepdims=True)
    new_attns = (weights[:, :, None] * hidden).sum(1)
    output = _dense([new_h, new_attns], w[p + "attn_output_projection/kernel"],
                    w[p + "attn_output_projection/bias"])
    new_attn_states = np.concatenate([hidden[:, 1:], output[:, None]], 1).reshape(batch, -1)
    tol = dict(rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(out, output, **tol)
    np.testing.assert_allclose(state[0].c, new_c, **tol)
    np.testing.assert_allclose(state[1], new_attns, **tol)
    np.testing.assert_allclose(state[2], new_attn_states, **tol)


def test_attention_cell_wrapper_dynamic_rnn_flat_state():
    x = RNG.normal(size=(2, 4, 3)).astype(np.float32)

    def build():
        cell = R.AttentionCellWrapper(R.GRUCell(5), 2, attn_size=4, attn_vec_size=6,
                                      input_size=7, state_is_tuple=False)
        assert cell.state_size == 5 + 4 + 8 and cell.output_size == 4
        return tf.nn.dynamic_rnn(cell, tf.constant(x), dtype=tf.float32)
    (outputs, state), w = _run(build)
    assert outputs.shape == (2, 4, 4) and state.shape == (2, 17)
    assert w["rnn/attention_cell_wrapper/kernel"].shape == (3 + 4, 7)
    assert w["rnn/attention_cell_wrapper/attention/attn_w"].shape == (1, 1, 4, 6)
    assert w["rnn/attention_cell_wrapper/attention/kernel"].shape == (5, 6)
    np.testing.assert_allclose(state[:, -4:], outputs[:, -1], rtol=1e-5)
    np.testing.assert_allclose(state[:, -8:-4], outputs[:, -2], rtol=1e-5)


def test_attention_cell_wrapper_errors():
    with pytest.raises(TypeError, match="The parameter cell is not RNNCell"):
        R.AttentionCellWrapper("cell", 2)
    with pytest.raises(ValueError, match="attn_length should be greater than zero"):
        R.AttentionCellWrapper(R.GRUCell(2), 0)
    with pytest.raises(ValueError, match="state_is_tuple is not set"):
        R.AttentionCellWrapper(R.BasicLSTMCell(2), 2, state_is_tuple=False)


def test_ugrnn_cell():
    x = RNG.normal(size=(2, 3)).astype(np.float32)
    h = RNG.normal(size=(2, 4)).astype(np.float32)
    (out, state), w = _run(lambda: R.UGRNNCell(4, forget_bias=0.5)(tf.constant(x),
                                                                    tf.constant(h)))
    g, cand = np.split(_dense([x, h], w["ugrnn_cell/kernel"], w["ugrnn_cell/bias"]), 2, 1)
    g = sigmoid(g + 0.5)
    expected = g * h + (1 - g) * np.tanh(cand)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(state, expected, rtol=1e-5, atol=1e-6)


def test_ind_rnn_cell():
    x = RNG.normal(size=(2, 3)).astype(np.float32)
    h = RNG.normal(size=(2, 4)).astype(np.float32)
    (out, _), w = _run(lambda: R.IndRNNCell(4)(tf.constant(x), tf.constant(h)))
    u = w["ind_rnn_cell/kernel_u"]
    assert u.shape == (1, 4) and np.all(np.abs(u) <= 1)
    expected = np.tanh(x @ w["ind_rnn_cell/kernel_w"] + h * u + w["ind_rnn_cell/bias"])
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)


def test_ugrnn_gradient():
    x = RNG.normal(size=(2, 2))
    h = RNG.normal(size=(2, 3))
    kernel = RNG.normal(size=(5, 6))
    bias = RNG.normal(size=6)

    def build(x, h, kernel, bias):
        getter = _placeholder_kernels({"kernel": kernel, "bias": bias})
        with tf.variable_scope("g", custom_getter=getter):
            out, _ = R.UGRNNCell(3)(x, h)
        return out
    check_gradients(build, x, h, kernel, bias)


@pytest.mark.parametrize("num_proj,use_biases", [(None, False), (2, True)])
def test_nas_cell(num_proj, use_biases):
    x = RNG.normal(size=(2, 3)).astype(np.float32)
    out_size = num_proj or 4
    c = RNG.normal(size=(2, 4)).astype(np.float32)
    m = RNG.normal(size=(2, out_size)).astype(np.float32)
    cell = R.NASCell(4, num_proj=num_proj, use_biases=use_biases)
    (out, state), w = _run(lambda: cell(tf.constant(x), R.LSTMStateTuple(
        tf.constant(c), tf.constant(m))))
    rec = m @ w["nas_cell/recurrent_kernel"] + (w["nas_cell/bias"] if use_biases else 0)
    mm = np.split(rec, 8, 1)
    xx = np.split(x @ w["nas_cell/kernel"], 8, 1)
    relu = lambda v: np.maximum(v, 0)  # noqa: E731
    f = [sigmoid(xx[0] + mm[0]), relu(xx[1] + mm[1]), sigmoid(xx[2] + mm[2]),
         relu(xx[3] * mm[3]), np.tanh(xx[4] + mm[4]), sigmoid(xx[5] + mm[5]),
         np.tanh(xx[6] + mm[6]), sigmoid(xx[7] + mm[7])]
    new_c = np.tanh(np.tanh(f[0] * f[1]) + c) * np.tanh(f[2] + f[3])
    new_m = np.tanh(new_c * np.tanh(np.tanh(f[4] * f[5]) + sigmoid(f[6] + f[7])))
    if num_proj:
        new_m = new_m @ w["nas_cell/projection_weights"]
    np.testing.assert_allclose(out, new_m, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(state.c, new_c, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("peepholes,num_proj", [(False, None), (True, 2)])
def test_coupled_input_forget_gate_lstm_cell(peepholes, num_proj):
    x = RNG.normal(size=(2, 3)).astype(np.float32)
    c = RNG.normal(size=(2, 4)).astype(np.float32)
    m = RNG.normal(size=(2, num_proj or 4)).astype(np.float32)
    cell = R.CoupledInputForgetGateLSTMCell(4, use_peepholes=peepholes, num_proj=num_proj,
                                            proj_clip=0.3)
    (out, state), w = _run(lambda: cell(tf.constant(x), R.LSTMStateTuple(
        tf.constant(c), tf.constant(m))))
    p = "coupled_input_forget_gate_lstm_cell/"
    j, f, o = np.split(_dense([x, m], w[p + "W_0"], w[p + "B"]), 3, 1)
    if peepholes:
        f = f + w[p + "W_F_diag"] * c
    forget = sigmoid(f + 1.0)
    new_c = forget * c + (1 - forget) * np.tanh(j)
    if peepholes:
        o = o + w[p + "W_O_diag"] * new_c
    new_m = sigmoid(o) * np.tanh(new_c)
    if num_proj:
        new_m = np.clip(new_m @ w[p + "W_P_0"], -0.3, 0.3)
    np.testing.assert_allclose(out, new_m, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(state.c, new_c, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("coupled", [True, False])
def test_highway_wrapper_in_dynamic_rnn(coupled):
    x = RNG.normal(size=(2, 3, 4)).astype(np.float32)

    def build():
        cell = R.HighwayWrapper(R.BasicRNNCell(4), couple_carry_transform_gates=coupled,
                                carry_bias_init=0.5)
        return tf.nn.dynamic_rnn(cell, tf.constant(x), dtype=tf.float32)
    (outputs, _), w = _run(build)
    np.testing.assert_allclose(w["rnn/carry_b"], 0.5)
    if not coupled:
        np.testing.assert_allclose(w["rnn/transform_b"], -0.5)
    h = np.zeros((2, 4))
    for t in range(3):
        h = np.tanh(_dense([x[:, t], h], w["rnn/basic_rnn_cell/kernel"],
                           w["rnn/basic_rnn_cell/bias"]))
        carry = sigmoid(x[:, t] @ w["rnn/carry_w"] + w["rnn/carry_b"])
        transform = 1 - carry if coupled else sigmoid(
            x[:, t] @ w["rnn/transform_w"] + w["rnn/transform_b"])
        expected = x[:, t] * carry + h * transform
        np.testing.assert_allclose(outputs[:, t], expected, rtol=1e-4, atol=1e-5)


def test_indy_gru_cell():
    x = RNG.normal(size=(2, 3)).astype(np.float32)
    h = RNG.normal(size=(2, 4)).astype(np.float32)
    (out, state), w = _run(lambda: R.IndyGRUCell(4)(tf.constant(x), tf.constant(h)))
    p = "indy_gru_cell/"
    np.testing.assert_allclose(w[p + "gates/bias"], 1.0)
    assert w[p + "gates/kernel_u"].shape == (1, 8) and w[p + "candidate/kernel_u"].shape == (1, 4)
    gates = sigmoid(x @ w[p + "gates/kernel_w"] + np.tile(h, 2) * w[p + "gates/kernel_u"]
                    + w[p + "gates/bias"])
    r, u = np.split(gates, 2, 1)
    c = np.tanh(x @ w[p + "candidate/kernel"] + r * h * w[p + "candidate/kernel_u"]
                + w[p + "candidate/bias"])
    expected = u * h + (1 - u) * c
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(state, expected, rtol=1e-5, atol=1e-6)


def test_indy_lstm_cell_in_dynamic_rnn():
    x = RNG.normal(size=(2, 3, 2)).astype(np.float32)

    def build():
        return tf.nn.dynamic_rnn(R.IndyLSTMCell(3, forget_bias=0.5), tf.constant(x),
                                 dtype=tf.float32)
    (outputs, state), w = _run(build)
    p = "rnn/indy_lstm_cell/"
    c = h = np.zeros((2, 3))
    for t in range(3):
        gates = x[:, t] @ w[p + "kernel_w"] + np.tile(h, 4) * w[p + "kernel_u"] + w[p + "bias"]
        i, j, f, o = np.split(gates, 4, 1)
        c = c * sigmoid(f + 0.5) + sigmoid(i) * np.tanh(j)
        h = np.tanh(c) * sigmoid(o)
        np.testing.assert_allclose(outputs[:, t], h, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(state.c, c, rtol=1e-4, atol=1e-5)


def test_indy_lstm_gradient():
    x = RNG.normal(size=(2, 2))
    c, h = RNG.normal(size=(2, 2, 3))
    kernel_w = RNG.normal(size=(2, 12))
    kernel_u = RNG.uniform(-1, 1, size=(1, 12))
    bias = RNG.normal(size=12)

    def build(x, c, h, kernel_w, kernel_u, bias):
        getter = _placeholder_kernels({"kernel_w": kernel_w, "kernel_u": kernel_u,
                                       "bias": bias})
        with tf.variable_scope("g", custom_getter=getter):
            out, state = R.IndyLSTMCell(3)(x, R.LSTMStateTuple(c, h))
        return out + state.c
    check_gradients(build, x, c, h, kernel_w, kernel_u, bias)


@pytest.mark.parametrize("depth", [3, 4])
def test_intersection_rnn_cell(depth):
    x = RNG.normal(size=(2, depth)).astype(np.float32)
    s = RNG.normal(size=(2, 4)).astype(np.float32)
    cell = R.IntersectionRNNCell(4, num_in_proj=4 if depth != 4 else None, forget_bias=0.5)
    (out, state), w = _run(lambda: cell(tf.constant(x), tf.constant(s)))
    p = "intersection_rnn_cell/"
    assert (p + "in_projection/kernel" in w) == (depth != 4)
    if depth != 4:
        x = _dense([x], w[p + "in_projection/kernel"], w[p + "in_projection/bias"])
    gh, h, gy, y = np.split(_dense([x, s], w[p + "kernel"], w[p + "bias"]), 4, 1)
    gh, gy = sigmoid(gh + 0.5), sigmoid(gy + 0.5)
    np.testing.assert_allclose(state, gh * s + (1 - gh) * np.tanh(h), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out, gy * x + (1 - gy) * np.maximum(y, 0), rtol=1e-5, atol=1e-6)


def test_intersection_rnn_cell_needs_projection():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="num_in_proj should be set"):
            R.IntersectionRNNCell(4)(tf.zeros([2, 3]), tf.zeros([2, 4]))
