"""tf.contrib.rnn block cells: TF's variable names, math vs NumPy (LSTMBlockCell's gate order
i, cs, f, o), float64 finite-difference gradients w.r.t. inputs, state and weights."""
import os

import numpy as np
import pytest

import tfcompat as tf

RNG = np.random.default_rng(11)
RNN = tf.contrib.rnn
X = RNG.normal(size=(2, 3))


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _layer_norm(x, gamma=1.0, beta=0.0):
    mean, var = x.mean(1, keepdims=True), x.var(1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-12) * gamma + beta


def _one_step(cell, x, state):
    """One call of ``cell``; returns (output, new state, {variable name: value})."""
    with tf.Graph().as_default():
        state_t = (RNN.LSTMStateTuple(*[tf.constant(s) for s in state])
                   if isinstance(state, tuple) else tf.constant(state))
        output, new_state = cell(tf.constant(x), state_t)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got = sess.run([output, new_state])
            weights = {v.op.name: sess.run(v) for v in tf.global_variables()}
    return got[0], got[1], weights


def _lstm_block_reference(x, c, h, w, forget_bias=1.0, clip=None, peep=None):
    i, ci, f, o = np.split(np.concatenate([x, h], 1) @ w["kernel"] + w["bias"], 4, axis=1)
    wci, wcf, wco = peep if peep is not None else (0.0, 0.0, 0.0)
    new_c = sigmoid(i + wci * c) * np.tanh(ci) + sigmoid(f + forget_bias + wcf * c) * c
    if clip is not None:
        new_c = np.clip(new_c, -clip, clip)
    return new_c, np.tanh(new_c) * sigmoid(o + wco * new_c)


def test_lstm_block_cell_names_and_gate_order():
    c, h = RNG.normal(size=(2, 4)), RNG.normal(size=(2, 4))
    out, state, w = _one_step(RNN.LSTMBlockCell(4, forget_bias=0.3), X, (c, h))
    assert sorted(w) == ["lstm_cell/bias", "lstm_cell/kernel"]
    assert w["lstm_cell/kernel"].shape == (7, 16) and not w["lstm_cell/bias"].any()
    weights = {"kernel": w["lstm_cell/kernel"], "bias": w["lstm_cell/bias"]}
    new_c, new_h = _lstm_block_reference(X, c, h, weights, forget_bias=0.3)
    np.testing.assert_allclose(state.c, new_c, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(state.h, new_h, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out, new_h, rtol=1e-5, atol=1e-6)


def test_lstm_block_cell_peepholes_and_clip():
    c, h = 3 * RNG.normal(size=(2, 4)), RNG.normal(size=(2, 4))
    out, state, w = _one_step(RNN.LSTMBlockCell(4, cell_clip=0.5, use_peephole=True), X, (c, h))
    assert sorted(w) == ["lstm_cell/bias", "lstm_cell/kernel", "lstm_cell/w_f_diag",
                         "lstm_cell/w_i_diag", "lstm_cell/w_o_diag"]
    peep = [w[f"lstm_cell/w_{g}_diag"] for g in "ifo"]
    weights = {"kernel": w["lstm_cell/kernel"], "bias": w["lstm_cell/bias"]}
    new_c, new_h = _lstm_block_reference(X, c, h, weights, clip=0.5, peep=peep)
    assert np.abs(state.c).max() <= 0.5
    np.testing.assert_allclose(state.c, new_c, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out, new_h, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("cell_class, names", [
    (RNN.GRUBlockCell, ("w_ru", "b_ru", "w_c", "b_c")),
    (RNN.GRUBlockCellV2, ("gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias"))])
def test_gru_block_cells(cell_class, names):
    h = RNG.normal(size=(2, 4))
    out, state, w = _one_step(cell_class(4), X, h)
    w_ru, b_ru, w_c, b_c = [w[f"gru_cell/{name}"] for name in names]
    assert w_ru.shape == (7, 8) and w_c.shape == (7, 4)
    assert (b_ru == 1.0).all() and not b_c.any()
    r, u = np.split(sigmoid(np.concatenate([X, h], 1) @ w_ru + b_ru), 2, axis=1)
    c = np.tanh(np.concatenate([X, r * h], 1) @ w_c + b_c)
    expected = u * h + (1 - u) * c
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(state, expected, rtol=1e-5, atol=1e-6)


def test_gru_block_cell_needs_exactly_one_size():
    for sizes in ({}, {"num_units": 3, "cell_size": 3}):
        with pytest.raises(ValueError, match="Exactly one of num_units or cell_size"):
            RNN.GRUBlockCell(**sizes)
    assert RNN.GRUBlockCell(cell_size=3).output_size == 3


def test_layer_norm_basic_lstm_cell():
    c, h = RNG.normal(size=(2, 4)), RNG.normal(size=(2, 4))
    cell = RNN.LayerNormBasicLSTMCell(4, forget_bias=0.5, norm_gain=1.5, norm_shift=0.2)
    out, state, w = _one_step(cell, X, (c, h))
    prefix = "layer_norm_basic_lstm_cell/"
    expected_names = {prefix + "kernel"} | {
        f"{prefix}{scope}/{var}" for scope in ("input", "transform", "forget", "output", "state")
        for var in ("gamma", "beta")}
    assert set(w) == expected_names
    i, j, f, o = [_layer_norm(g, 1.5, 0.2) for g in
                  np.split(np.concatenate([X, h], 1) @ w[prefix + "kernel"], 4, axis=1)]
    new_c = _layer_norm(c * sigmoid(f + 0.5) + sigmoid(i) * np.tanh(j), 1.5, 0.2)
    new_h = np.tanh(new_c) * sigmoid(o)
    np.testing.assert_allclose(state.c, new_c, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(out, new_h, rtol=1e-5, atol=1e-5)


def test_layer_norm_basic_lstm_cell_without_norm_has_bias():
    c, h = RNG.normal(size=(2, 4)), RNG.normal(size=(2, 4))
    out, _, w = _one_step(RNN.LayerNormBasicLSTMCell(4, layer_norm=False), X, (c, h))
    prefix = "layer_norm_basic_lstm_cell/"
    assert set(w) == {prefix + "kernel", prefix + "bias"}
    i, j, f, o = np.split(np.concatenate([X, h], 1) @ w[prefix + "kernel"] + w[prefix + "bias"],
                          4, axis=1)
    new_c = c * sigmoid(f + 1.0) + sigmoid(i) * np.tanh(j)
    np.testing.assert_allclose(out, np.tanh(new_c) * sigmoid(o), rtol=1e-5, atol=1e-6)


def _weights_from(placeholders_by_suffix):
    """A custom getter handing out the given tensors in place of variables, by name suffix."""
    def getter(getter_fn, name, *args, **kwargs):
        for suffix, tensor in placeholders_by_suffix.items():
            if name.endswith(suffix):
                return tensor
        return getter_fn(name, *args, **kwargs)
    return getter


@pytest.mark.parametrize("make_cell, weight_shapes, lstm", [
    (lambda: RNN.LSTMBlockCell(2, cell_clip=3.0, use_peephole=True),
     {"kernel": (5, 8), "bias": (8,), "w_i_diag": (2,), "w_f_diag": (2,), "w_o_diag": (2,)},
     True),
    (lambda: RNN.GRUBlockCell(2), {"w_ru": (5, 4), "b_ru": (4,), "w_c": (5, 2), "b_c": (2,)},
     False),
    (lambda: RNN.LayerNormBasicLSTMCell(2, norm_gain=1.2),
     {"kernel": (5, 8), "input/gamma": (2,), "input/beta": (2,), "transform/gamma": (2,),
      "transform/beta": (2,), "forget/gamma": (2,), "forget/beta": (2,),
      "output/gamma": (2,), "output/beta": (2,), "state/gamma": (2,), "state/beta": (2,)},
     True),
])
def test_block_cell_gradients(make_cell, weight_shapes, lstm):
    rng = np.random.default_rng(5)
    x, c, h = rng.normal(size=(2, 3)), rng.normal(size=(2, 2)), rng.normal(size=(2, 2))
    weights = [0.5 * rng.normal(size=shape) for shape in weight_shapes.values()]

    def build(x_t, c_t, h_t, *weight_ts):
        getter = _weights_from(dict(zip(weight_shapes, weight_ts, strict=True)))
        with tf.variable_scope("cell", custom_getter=getter, dtype=tf.float64):
            state = RNN.LSTMStateTuple(c_t, h_t) if lstm else h_t
            output, new_state = make_cell()(x_t, state)
        parts = [output] + ([new_state.c] if lstm else [])
        return tf.concat(parts, 1)

    tf.test.check_gradients(build, x, c, h, *weights, atol=1e-6, rtol=1e-5)


@pytest.mark.parametrize("make_cell", [lambda: RNN.LSTMBlockCell(3),
                                       lambda: RNN.GRUBlockCellV2(3),
                                       lambda: RNN.LayerNormBasicLSTMCell(3)])
def test_block_cells_in_dynamic_rnn_match_unrolled_steps(make_cell):
    inputs = RNG.normal(size=(2, 4, 3)).astype(np.float32)
    with tf.Graph().as_default():
        cell = make_cell()
        outputs, final = tf.nn.dynamic_rnn(cell, tf.constant(inputs), dtype=tf.float32,
                                           sequence_length=[4, 2])
        state = cell.zero_state(2, tf.float32)
        steps = []
        with tf.variable_scope("rnn", reuse=True):
            for t in range(2):
                step, state = cell(tf.constant(inputs[:, t]), state)
                steps.append(step)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got, got_final, unrolled = sess.run([outputs, final, steps])
    assert got.shape == (2, 4, 3)
    np.testing.assert_allclose(got[:, :2], np.stack(unrolled, 1), rtol=1e-5, atol=1e-6)
    assert not got[1, 2:].any()
    final_h = got_final.h if hasattr(got_final, "h") else got_final
    np.testing.assert_allclose(final_h[1], got[1, 1], rtol=1e-6)


def test_block_cells_match_tensorflow_fused_ops():
    """Golden from TF's LSTMBlockCell / GRUBlockCell ops (golden/make_block_cell_golden.py)."""
    golden = np.load(os.path.join(os.path.dirname(__file__), "golden", "block_cells.npz"))
    kernel, bias = golden["kernel"], golden["bias"]
    values = {"kernel": kernel, "bias": bias, "w_ru": kernel[:, :8], "b_ru": bias[:8],
              "w_c": kernel[:, 8:12], "b_c": bias[8:12]}
    values.update({name: golden[name] for name in ("w_i_diag", "w_f_diag", "w_o_diag")})

    def getter(_, name, *args, **kwargs):
        return tf.constant(values[name.rsplit("/", 1)[-1]])

    with tf.Graph().as_default():
        x, c, h = [tf.constant(golden[name]) for name in ("x", "c", "h")]
        with tf.variable_scope("golden", custom_getter=getter):
            _, lstm_state = RNN.LSTMBlockCell(4, forget_bias=0.3, cell_clip=0.8,
                                              use_peephole=True)(x, RNN.LSTMStateTuple(c, h))
            gru_h, _ = RNN.GRUBlockCell(4)(x, h)
        with tf.Session() as sess:
            lstm_c, lstm_h, got_gru = sess.run([lstm_state.c, lstm_state.h, gru_h])
    np.testing.assert_allclose(lstm_c, golden["lstm_c"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(lstm_h, golden["lstm_h"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got_gru, golden["gru_h"], rtol=1e-5, atol=1e-6)


def test_lstm_block_fused_cell_time_major_with_lengths():
    inputs = RNG.normal(size=(4, 2, 3))
    c0, h0 = RNG.normal(size=(2, 2)), RNG.normal(size=(2, 2))
    with tf.Graph().as_default():
        cell = RNN.LSTMBlockFusedCell(2, forget_bias=0.4, use_peephole=True)
        outputs, final = cell(tf.constant(inputs), initial_state=(tf.constant(c0),
                                                                   tf.constant(h0)),
                              sequence_length=[4, 2])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got, got_final = sess.run([outputs, final])
            w = {v.op.name: sess.run(v) for v in tf.global_variables()}
    assert sorted(w) == [f"lstm_fused_cell/{n}" for n in
                         ("bias", "kernel", "w_f_diag", "w_i_diag", "w_o_diag")]
    weights = {"kernel": w["lstm_fused_cell/kernel"], "bias": w["lstm_fused_cell/bias"]}
    peep = [w[f"lstm_fused_cell/w_{g}_diag"] for g in "ifo"]
    c, h = c0, h0
    for t in range(4):
        c, h = _lstm_block_reference(inputs[t], c, h, weights, forget_bias=0.4, peep=peep)
        np.testing.assert_allclose(got[t, 0], h[0], rtol=1e-10, atol=1e-12)
        if t == 1:
            np.testing.assert_allclose(got_final.h[1], h[1], rtol=1e-10, atol=1e-12)
            np.testing.assert_allclose(got_final.c[1], c[1], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(got_final.c[0], c[0], rtol=1e-10, atol=1e-12)
    assert not got[2:, 1].any() and got[1, 1].any()


def test_lstm_block_fused_cell_needs_state_or_dtype():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="initial_state or dtype"):
            RNN.LSTMBlockFusedCell(2)(tf.zeros([3, 1, 2]))


def test_layer_norm_basic_lstm_cell_candidate_dropout():
    c, h = RNG.normal(size=(4, 6)), RNG.normal(size=(4, 6))
    x = RNG.normal(size=(4, 3))
    cell = RNN.LayerNormBasicLSTMCell(6, layer_norm=False, dropout_keep_prob=0.5,
                                      dropout_prob_seed=3)
    _, state, w = _one_step(cell, x, (c, h))
    prefix = "layer_norm_basic_lstm_cell/"
    i, j, f, _ = np.split(np.concatenate([x, h], 1) @ w[prefix + "kernel"] + w[prefix + "bias"],
                          4, axis=1)
    scale = (state.c - c * sigmoid(f + 1.0)) / (sigmoid(i) * np.tanh(j))
    kept = np.isclose(scale, 2.0)
    assert (kept | np.isclose(scale, 0.0, atol=1e-9)).all()
    assert kept.any() and not kept.all()
