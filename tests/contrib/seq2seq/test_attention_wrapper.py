"""Attention mechanisms and AttentionWrapper against NumPy references of TF 1.15's
formulas, TF's variable names, masking, state handling, errors, and float64
finite-difference checks of the scores and of a whole attention step."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.contrib.seq2seq import attention_wrapper as aw
from tfcompat.test import check_gradients

s2s = tf.contrib.seq2seq
RNG = np.random.default_rng(5)
BATCH, MAX_TIME, MEM_DEPTH, UNITS = 3, 5, 4, 6
MEMORY = RNG.normal(size=(BATCH, MAX_TIME, MEM_DEPTH))
MEMORY_LENGTHS = np.array([5, 3, 1], np.int32)
QUERY = RNG.normal(size=(BATCH, UNITS))


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


def _softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def _masked_memory():
    return MEMORY * (np.arange(MAX_TIME) < MEMORY_LENGTHS[:, None])[:, :, None]


def _masked_softmax(score):
    return _softmax(np.where(np.arange(MAX_TIME) < MEMORY_LENGTHS[:, None], score, -np.inf))


def _variables(sess):
    return {v.op.name: value for v, value in zip(tf.global_variables(),
                                                  sess.run(tf.global_variables()), strict=True)}


@pytest.mark.parametrize("normalize", [False, True])
def test_bahdanau_alignments_match_numpy(normalize):
    mechanism = s2s.BahdanauAttention(UNITS, tf.constant(MEMORY, tf.float32), MEMORY_LENGTHS,
                                      normalize=normalize)
    with tf.variable_scope("step"):
        alignments, state = mechanism(tf.constant(QUERY, tf.float32), None)
    names = ["memory_layer/kernel", "step/bahdanau_attention/query_layer/kernel",
             "step/bahdanau_attention/attention_v"]
    if normalize:
        names += ["step/bahdanau_attention/attention_g", "step/bahdanau_attention/attention_b"]
    assert [v.op.name for v in tf.global_variables()] == names
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got, keys, values = sess.run([alignments, mechanism.keys, mechanism.values])
        weights = _variables(sess)
    np.testing.assert_allclose(values, _masked_memory(), rtol=1e-6)
    want_keys = _masked_memory() @ weights["memory_layer/kernel"]
    np.testing.assert_allclose(keys, want_keys, rtol=1e-5, atol=1e-6)
    v = weights["step/bahdanau_attention/attention_v"]
    hidden = want_keys + (QUERY @ weights["step/bahdanau_attention/query_layer/kernel"])[:, None]
    if normalize:
        g = weights["step/bahdanau_attention/attention_g"]
        np.testing.assert_allclose(g, np.sqrt(1.0 / UNITS), rtol=1e-6)
        v = g * v / np.linalg.norm(v)
        hidden = hidden + weights["step/bahdanau_attention/attention_b"]
    want = _masked_softmax((v * np.tanh(hidden)).sum(-1))
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    assert (got[2, 1:] == 0).all()
    assert mechanism.alignments_size == MAX_TIME and mechanism.batch_size == BATCH


@pytest.mark.parametrize("scale", [False, True])
def test_luong_alignments_match_numpy(scale):
    mechanism = s2s.LuongAttention(UNITS, tf.constant(MEMORY, tf.float32), MEMORY_LENGTHS,
                                   scale=scale, probability_fn=s2s.hardmax)
    alignments, _ = mechanism(tf.constant(QUERY, tf.float32), None)
    names = ["memory_layer/kernel"] + (["luong_attention/attention_g"] if scale else [])
    assert [v.op.name for v in tf.global_variables()] == names
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got = sess.run(alignments)
        weights = _variables(sess)
    score = np.einsum("bu,btu->bt", QUERY, _masked_memory() @ weights["memory_layer/kernel"])
    masked = np.where(np.arange(MAX_TIME) < MEMORY_LENGTHS[:, None], score, -np.inf)
    np.testing.assert_array_equal(got, np.eye(MAX_TIME)[masked.argmax(-1)])


def test_luong_needs_matching_units_and_callable_probability_fn():
    mechanism = s2s.LuongAttention(UNITS, tf.constant(MEMORY, tf.float32))
    with pytest.raises(ValueError, match="Incompatible or unknown inner dimensions"):
        mechanism(tf.zeros([BATCH, UNITS + 1]), None)
    with pytest.raises(TypeError, match="probability_fn must be callable"):
        aw._BaseAttentionMechanism(None, MEMORY, 3, memory_layer=tf.layers.Dense(2))
    with pytest.raises(ValueError, match="fully defined inner dims"):
        s2s.LuongAttention(UNITS, tf.placeholder(tf.float32, [BATCH, None, None]))


def _rnn_step(kernel, bias, x, h):
    return np.tanh(np.concatenate([x, h], 1) @ kernel + bias)


def test_attention_wrapper_steps_match_numpy_and_keep_history():
    inputs = RNG.normal(size=(BATCH, 4, 2))
    lengths = np.array([4, 4, 4], np.int32)
    mechanism = s2s.LuongAttention(UNITS, tf.constant(MEMORY, tf.float32), MEMORY_LENGTHS)
    cell = s2s.AttentionWrapper(tf.nn.rnn_cell.BasicRNNCell(UNITS), mechanism,
                                attention_layer_size=5, alignment_history=True)
    assert cell.output_size == 5
    assert cell.state_size.alignments == MAX_TIME
    helper = s2s.TrainingHelper(tf.constant(inputs, tf.float32), lengths)
    decoder = s2s.BasicDecoder(cell, helper, cell.zero_state(BATCH, tf.float32))
    outputs, state, _ = s2s.dynamic_decode(decoder)
    history = state.alignment_history.stack()
    assert [v.op.name for v in tf.global_variables()] == [
        "memory_layer/kernel", "decoder/attention_wrapper/basic_rnn_cell/kernel",
        "decoder/attention_wrapper/basic_rnn_cell/bias",
        "decoder/attention_wrapper/attention_layer/kernel"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got, got_time, got_cell_state, got_history = sess.run(
            [outputs.rnn_output, state.time, state.cell_state, history])
        w = _variables(sess)
    keys = _masked_memory() @ w["memory_layer/kernel"]
    h, attention = np.zeros((BATCH, UNITS)), np.zeros((BATCH, 5))
    for t in range(4):
        h = _rnn_step(w["decoder/attention_wrapper/basic_rnn_cell/kernel"],
                      w["decoder/attention_wrapper/basic_rnn_cell/bias"],
                      np.concatenate([inputs[:, t], attention], 1), h)
        alignments = _masked_softmax(np.einsum("bu,btu->bt", h, keys))
        context = np.einsum("bt,btd->bd", alignments, _masked_memory())
        attention = np.concatenate([h, context], 1) @ \
            w["decoder/attention_wrapper/attention_layer/kernel"]
        np.testing.assert_allclose(got[:, t], attention, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(got_history[t], alignments, rtol=1e-5, atol=1e-6)
    assert got_time == 4
    np.testing.assert_allclose(got_cell_state, h, rtol=1e-5, atol=1e-6)


def test_wrapper_options_multi_mechanisms_and_initial_state():
    memory = tf.constant(MEMORY, tf.float32)
    mechanisms = [s2s.BahdanauAttention(UNITS, memory, MEMORY_LENGTHS),
                  s2s.LuongAttention(UNITS, memory)]
    inner = tf.nn.rnn_cell.BasicRNNCell(UNITS)
    initial = tf.constant(QUERY, tf.float32)
    seen = []

    def cell_input_fn(inputs, attention):
        seen.append(attention.shape.as_list())
        return inputs
    cell = s2s.AttentionWrapper(inner, mechanisms, cell_input_fn=cell_input_fn,
                                output_attention=False, initial_cell_state=initial)
    assert cell.output_size == UNITS
    state = cell.zero_state(BATCH, tf.float32)
    output, next_state = cell(tf.constant(QUERY[:, :2], tf.float32), state)
    assert seen == [[BATCH, 2 * MEM_DEPTH]]
    assert len(next_state.alignments) == 2 and next_state.alignment_history == ((), ())
    cloned = next_state.clone(time=tf.placeholder(tf.int32))
    assert cloned.time.shape.as_list() == [] and cloned.attention is next_state.attention
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out, got_state, cell_state = sess.run([output, next_state, state.cell_state])
    np.testing.assert_allclose(cell_state, QUERY, rtol=1e-6)
    np.testing.assert_allclose(out, got_state.cell_state, rtol=1e-6)
    np.testing.assert_allclose(got_state.attention[:, :MEM_DEPTH],
                               np.einsum("bt,btd->bd", got_state.alignments[0],
                                         _masked_memory()), rtol=1e-5, atol=1e-6)
    layer = tf.layers.Dense(3, use_bias=False)
    with_layer = s2s.AttentionWrapper(inner, mechanisms[1], attention_layer=layer)
    assert with_layer.output_size == 3


def test_wrapper_errors():
    memory = tf.constant(MEMORY, tf.float32)
    mechanism = s2s.LuongAttention(UNITS, memory)
    cell = tf.nn.rnn_cell.BasicRNNCell(UNITS)
    with pytest.raises(TypeError, match="must be an AttentionMechanism"):
        s2s.AttentionWrapper(cell, "mechanism")
    with pytest.raises(TypeError, match="must contain only instances of AttentionMechanism"):
        s2s.AttentionWrapper(cell, [mechanism, 3])
    with pytest.raises(ValueError, match="Only one of attention_layer_size and attention_layer"):
        s2s.AttentionWrapper(cell, mechanism, attention_layer_size=2,
                             attention_layer=tf.layers.Dense(2))
    with pytest.raises(ValueError, match="exactly one integer per attention_mechanism"):
        s2s.AttentionWrapper(cell, mechanism, attention_layer_size=[2, 3])
    with pytest.raises(TypeError, match="Expected state to be instance of AttentionWrapperState"):
        s2s.AttentionWrapper(cell, mechanism)(tf.zeros([BATCH, 2]), tf.zeros([BATCH, UNITS]))
    wrapper = s2s.AttentionWrapper(cell, mechanism)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Non-matching batch sizes"):
        wrapper.zero_state(BATCH + 1, tf.float32)  # static sizes: checked at construction
    size = tf.placeholder(tf.int32, [])
    state = wrapper.zero_state(size, tf.float32)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="Non-matching batch sizes"):
            sess.run(state.cell_state, {size: BATCH + 1})


def test_hardmax():
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(s2s.hardmax([[1.0, 3.0, 2.0], [5.0, 0.0, 1.0]])),
                                      [[0, 1, 0], [1, 0, 0]])


@pytest.mark.parametrize("normalized", [False, True])
def test_bahdanau_score_gradients(normalized):
    keys = RNG.normal(size=(2, 3, 4))
    query = RNG.normal(size=(2, 4))
    v, g, b = RNG.normal(size=4), np.array(0.7), RNG.normal(size=4)

    def build(query, keys, v, g, b):
        if normalized:
            return aw._bahdanau_score(query, keys, v, g, b)
        return aw._bahdanau_score(query, keys, v) + 0 * tf.reduce_sum(g) + 0 * tf.reduce_sum(b)
    check_gradients(build, query, keys, v, g, b)


def test_luong_score_gradients():
    check_gradients(lambda q, k, g: aw._luong_score(q, k, g), RNG.normal(size=(2, 4)),
                    RNG.normal(size=(2, 3, 4)), np.array(1.3))


def _constant_getter(getter, name, shape=None, dtype=None, **kwargs):
    """Variables replaced by fixed float64 constants (check_gradients runs no initializer)."""
    seed = sum(name.encode())
    return tf.constant(np.random.default_rng(seed).normal(size=shape) * 0.5, tf.float64)


def test_attention_wrapper_step_gradients_float64():
    def build(inputs, memory):
        with tf.variable_scope("net", custom_getter=_constant_getter):
            mechanism = s2s.BahdanauAttention(UNITS, memory, [3, 2], normalize=True,
                                              dtype=tf.float64)
            cell = s2s.AttentionWrapper(tf.nn.rnn_cell.BasicRNNCell(UNITS, dtype=tf.float64),
                                        mechanism, attention_layer_size=3)
            output, state = cell(inputs, cell.zero_state(2, tf.float64))
            output, _ = cell(inputs * 2.0, state)
        return output
    check_gradients(build, RNG.normal(size=(2, 2)), RNG.normal(size=(2, 3, MEM_DEPTH)))


def _numpy_monotonic(p, previous):
    """The recursive definition: q_j = (1 - p_{j-1}) q_{j-1} + a_j; attention = p q."""
    q = np.zeros_like(p)
    for j in range(p.shape[1]):
        q[:, j] = previous[:, j] + (q[:, j - 1] * (1 - p[:, j - 1]) if j else 0)
    return p * q


P_CHOOSE = RNG.uniform(0.1, 0.9, size=(2, 5))
PREVIOUS = _softmax(RNG.normal(size=(2, 5)))


@pytest.mark.parametrize("mode", ["recursive", "parallel"])
def test_monotonic_attention_matches_the_recursion(mode):
    with tf.Session() as sess:
        got = sess.run(s2s.monotonic_attention(P_CHOOSE, PREVIOUS, mode))
    np.testing.assert_allclose(got, _numpy_monotonic(P_CHOOSE, PREVIOUS), rtol=1e-9)


def test_hard_monotonic_attention_and_safe_cumprod():
    previous = np.eye(5)[[0, 2]]
    p = np.array([[0.2, 0.7, 0.9, 0.1, 0.8], [0.9, 0.1, 0.3, 0.6, 0.6]])
    with tf.Session() as sess:
        hard = sess.run(s2s.monotonic_attention(p, previous, "hard"))
        cumprod = sess.run(s2s.safe_cumprod(p, axis=1, exclusive=True))
        with pytest.raises(ValueError, match="mode must be 'recursive', 'parallel', or 'hard'"):
            s2s.monotonic_attention(p, previous, "soft")
    np.testing.assert_array_equal(hard, np.eye(5)[[1, 3]])
    np.testing.assert_allclose(cumprod, np.cumprod(np.concatenate(
        [np.ones((2, 1)), p[:, :-1]], 1), 1), rtol=1e-12)


@pytest.mark.parametrize("mode", ["recursive", "parallel"])
def test_monotonic_attention_gradients(mode):
    check_gradients(lambda p, a: s2s.monotonic_attention(p, a, mode), P_CHOOSE, PREVIOUS)


@pytest.mark.parametrize("kind", ["bahdanau", "luong"])
def test_monotonic_mechanisms_start_on_the_first_step_and_match_numpy(kind):
    memory = tf.constant(MEMORY, tf.float32)
    if kind == "bahdanau":
        mechanism = s2s.BahdanauMonotonicAttention(UNITS, memory, MEMORY_LENGTHS,
                                                   score_bias_init=-1.0, mode="recursive")
    else:
        mechanism = s2s.LuongMonotonicAttention(UNITS, memory, MEMORY_LENGTHS, scale=True,
                                                score_bias_init=-1.0)
    initial = mechanism.initial_state(BATCH, tf.float32)
    alignments, _ = mechanism(tf.constant(QUERY, tf.float32), initial)
    names = [v.op.name for v in tf.global_variables()]
    assert names[-1] == f"{kind}_monotonic_attention/attention_score_bias"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got, start = sess.run([alignments, initial])
        weights = _variables(sess)
    np.testing.assert_array_equal(start, np.eye(MAX_TIME)[[0, 0, 0]])
    keys = _masked_memory() @ weights["memory_layer/kernel"]
    if kind == "bahdanau":
        hidden = keys + (QUERY @ weights["bahdanau_monotonic_attention/query_layer/kernel"])[
            :, None]
        score = (weights["bahdanau_monotonic_attention/attention_v"] * np.tanh(hidden)).sum(-1)
    else:
        score = np.einsum("bu,btu->bt", QUERY, keys)
    score = np.where(np.arange(MAX_TIME) < MEMORY_LENGTHS[:, None], score - 1.0, -np.inf)
    want = _numpy_monotonic(1 / (1 + np.exp(-score)), start)
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-6)
