"""stack_bidirectional_dynamic_rnn / stack_bidirectional_rnn: TF's scopes, a NumPy reference
of stacked bidirectional BasicRNNCell layers with sequence lengths, argument errors."""
import numpy as np
import pytest

import tfcompat as tf

RNN = tf.contrib.rnn
INPUTS = np.random.default_rng(2).normal(size=(2, 4, 3))
LENGTHS = np.array([4, 2])


def _rnn_reference(x, kernel, bias, lengths, reverse):
    """A BasicRNNCell over [batch, time, depth]; zero outputs past each length."""
    batch, steps = x.shape[:2]
    outputs = np.zeros((batch, steps, bias.shape[0]))
    finals = np.zeros((batch, bias.shape[0]))
    for b in range(batch):
        h = np.zeros(bias.shape[0])
        order = range(lengths[b])
        for t in (reversed(order) if reverse else order):
            h = np.tanh(np.concatenate([x[b, t], h]) @ kernel + bias)
            outputs[b, t] = h
        finals[b] = h
    return outputs, finals


def _stack_reference(weights, layers):
    prev, finals = INPUTS, []
    for k in range(layers):
        scope = f"stack_bidirectional_rnn/cell_{k}/bidirectional_rnn"
        out_fw, fin_fw = _rnn_reference(prev, weights[f"{scope}/fw/basic_rnn_cell/kernel"],
                                        weights[f"{scope}/fw/basic_rnn_cell/bias"], LENGTHS,
                                        False)
        out_bw, fin_bw = _rnn_reference(prev, weights[f"{scope}/bw/basic_rnn_cell/kernel"],
                                        weights[f"{scope}/bw/basic_rnn_cell/bias"], LENGTHS,
                                        True)
        prev = np.concatenate([out_fw, out_bw], 2)
        finals.append((fin_fw, fin_bw))
    return prev, finals


def _run(build):
    with tf.Graph().as_default():
        cells_fw = [tf.nn.rnn_cell.BasicRNNCell(n) for n in (2, 3)]
        cells_bw = [tf.nn.rnn_cell.BasicRNNCell(n) for n in (2, 3)]
        outputs, states_fw, states_bw = build(cells_fw, cells_bw)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got = sess.run([outputs, states_fw, states_bw])
            weights = {v.op.name: sess.run(v) for v in tf.global_variables()}
    return got, weights


def test_stack_bidirectional_dynamic_rnn_matches_reference():
    def build(cells_fw, cells_bw):
        return RNN.stack_bidirectional_dynamic_rnn(
            cells_fw, cells_bw, tf.constant(INPUTS), dtype=tf.float64, sequence_length=LENGTHS)

    (outputs, states_fw, states_bw), weights = _run(build)
    assert sorted(weights) == sorted(
        f"stack_bidirectional_rnn/cell_{k}/bidirectional_rnn/{d}/basic_rnn_cell/{v}"
        for k in range(2) for d in ("fw", "bw") for v in ("kernel", "bias"))
    expected, finals = _stack_reference(weights, 2)
    assert outputs.shape == (2, 4, 6) and len(states_fw) == len(states_bw) == 2
    np.testing.assert_allclose(outputs, expected, rtol=1e-10, atol=1e-12)
    for k, (fin_fw, fin_bw) in enumerate(finals):
        np.testing.assert_allclose(states_fw[k], fin_fw, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(states_bw[k], fin_bw, rtol=1e-10, atol=1e-12)


def test_stack_bidirectional_rnn_static_matches_reference():
    def build(cells_fw, cells_bw):
        steps = [tf.constant(INPUTS[:, t]) for t in range(4)]
        return RNN.stack_bidirectional_rnn(cells_fw, cells_bw, steps, dtype=tf.float64,
                                           sequence_length=tf.constant(LENGTHS))

    (outputs, states_fw, states_bw), weights = _run(build)
    expected, finals = _stack_reference(weights, 2)
    assert len(outputs) == 4
    np.testing.assert_allclose(np.stack(outputs, 1), expected, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(states_bw[1], finals[1][1], rtol=1e-10, atol=1e-12)


def test_stack_bidirectional_dynamic_rnn_time_major_and_initial_states():
    with tf.Graph().as_default():
        cells = [tf.nn.rnn_cell.GRUCell(2)], [tf.nn.rnn_cell.GRUCell(2)]
        init = [tf.ones([2, 2], tf.float64)]
        outputs, states_fw, _ = RNN.stack_bidirectional_dynamic_rnn(
            *cells, tf.constant(INPUTS.transpose(1, 0, 2)), initial_states_fw=init,
            initial_states_bw=[tf.zeros([2, 2], tf.float64)], time_major=True,
            scope="encoder")
        names = {v.op.name for v in tf.global_variables()}
        assert "encoder/cell_0/bidirectional_rnn/fw/gru_cell/gates/kernel" in names
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            out, state = sess.run([outputs, states_fw[0]])
    assert out.shape == (4, 2, 4)
    np.testing.assert_allclose(out[-1, :, :2], state, rtol=1e-12)


@pytest.mark.parametrize("kwargs, message", [
    ({"cells_fw": [], "cells_bw": ["c"]}, "at least one fw cell"),
    ({"cells_fw": ["c"], "cells_bw": []}, "at least one bw cell"),
    ({"cells_fw": ("c",), "cells_bw": ["c"]}, "cells_fw must be a list"),
    ({"cells_fw": ["c"], "cells_bw": ["c", "d"]}, "same depth"),
    ({"cells_fw": ["c"], "cells_bw": ["c"], "initial_states_fw": ["s", "t"]},
     "initial_states_fw must be a list"),
])
def test_stack_argument_errors(kwargs, message):
    for stack in (RNN.stack_bidirectional_dynamic_rnn, RNN.stack_bidirectional_rnn):
        with pytest.raises(ValueError, match=message):
            stack(inputs=None, **kwargs)


def test_stack_bidirectional_dynamic_rnn_gradients():
    rng = np.random.default_rng(8)
    names = [f"cell_{k}/bidirectional_rnn/{d}/basic_rnn_cell/{v}"
             for k in range(2) for d in ("fw", "bw") for v in ("kernel", "bias")]
    shapes = {"cell_0": (5, 2), "cell_1": (6, 2)}
    weights = [0.5 * rng.normal(size=shapes[n[:6]] if n.endswith("kernel") else (2,))
               for n in names]

    def build(x, *weight_ts):
        by_name = dict(zip(names, weight_ts, strict=True))

        def getter(_, name, *args, **kwargs):
            return by_name[name.split("/", 2)[2]]

        cells = [[tf.nn.rnn_cell.BasicRNNCell(2) for _ in range(2)] for _ in range(2)]
        with tf.variable_scope("stack", custom_getter=getter):
            outputs, _, states_bw = RNN.stack_bidirectional_dynamic_rnn(
                *cells, x, dtype=tf.float64, sequence_length=[3, 2], scope="stack")
        return tf.concat([tf.reshape(outputs, [2, -1]), states_bw[1]], 1)

    tf.test.check_gradients(build, rng.normal(size=(2, 3, 3)), *weights, atol=1e-7, rtol=1e-6)
