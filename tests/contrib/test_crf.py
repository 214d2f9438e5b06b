"""tf.contrib.crf against brute-force enumeration of every tag sequence (tiny sizes)."""
import itertools

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.test import check_gradients

crf = tf.contrib.crf


@pytest.fixture(autouse=True)
def _fresh_graph():
    with tf.Graph().as_default():
        yield


def _brute_score(x, tags, trans, length):
    if length <= 0:
        return 0.0
    score = sum(x[t, tags[t]] for t in range(length))
    return score + sum(trans[tags[t - 1], tags[t]] for t in range(1, length))


def _all_sequences(num_tags, length):
    return itertools.product(range(num_tags), repeat=length)


def _brute_log_norm(x, trans, length):
    if length <= 0:
        return 0.0
    scores = [_brute_score(x, seq, trans, length) for seq in _all_sequences(x.shape[1], length)]
    return np.logaddexp.reduce(scores)


def _brute_best(x, trans, length):
    return max((_brute_score(x, seq, trans, length), seq)
               for seq in _all_sequences(x.shape[1], length))


def _problem(batch=4, time=4, num_tags=3, lengths=(4, 2, 1, 0), seed=0):
    rng = np.random.RandomState(seed)
    x = rng.randn(batch, time, num_tags)
    trans = rng.randn(num_tags, num_tags)
    tags = rng.randint(0, num_tags, (batch, time)).astype(np.int32)
    return x, trans, tags, np.array(lengths, np.int32)


def _run(*fetches, feed_dict=None):
    with tf.Session() as sess:
        return sess.run(list(fetches), feed_dict=feed_dict)


@pytest.mark.parametrize("time,lengths", [(4, (4, 2, 1, 0)), (1, (1, 1, 0, 1))])
def test_scores_and_log_norm_match_enumeration(time, lengths):
    x, trans, tags, lens = _problem(time=time, lengths=lengths)
    score = crf.crf_sequence_score(tf.constant(x), tf.constant(tags), tf.constant(lens),
                                   tf.constant(trans))
    log_norm = crf.crf_log_norm(tf.constant(x), tf.constant(lens), tf.constant(trans))
    likelihood, params = crf.crf_log_likelihood(tf.constant(x), tf.constant(tags),
                                                tf.constant(lens), tf.constant(trans))
    got_score, got_norm, got_likelihood = _run(score, log_norm, likelihood)
    want_score = [_brute_score(x[b], tags[b], trans, lens[b]) for b in range(len(lens))]
    want_norm = [_brute_log_norm(x[b], trans, lens[b]) for b in range(len(lens))]
    np.testing.assert_allclose(got_score, want_score, rtol=1e-12)
    np.testing.assert_allclose(got_norm, want_norm, rtol=1e-12)
    np.testing.assert_allclose(got_likelihood, np.subtract(want_score, want_norm), atol=1e-12)
    assert score.shape.as_list() == [4] and params.shape.as_list() == [3, 3]


def test_unary_and_binary_scores():
    x, trans, tags, lens = _problem()
    unary = crf.crf_unary_score(tf.constant(tags), tf.constant(lens), tf.constant(x))
    binary = crf.crf_binary_score(tf.constant(tags), tf.constant(lens), tf.constant(trans))
    got_unary, got_binary = _run(unary, binary)
    for b, length in enumerate(lens):
        assert got_unary[b] == pytest.approx(sum(x[b, t, tags[b, t]] for t in range(length)))
        assert got_binary[b] == pytest.approx(
            sum(trans[tags[b, t - 1], tags[b, t]] for t in range(1, length)))


def test_log_likelihood_creates_transitions_variable():
    x, _, tags, lens = _problem()
    inputs = tf.constant(x.astype(np.float32))
    with tf.variable_scope("crf_layer"):
        likelihood, params = crf.crf_log_likelihood(inputs, tf.constant(tags), lens)
    assert params.op.name == "crf_layer/transitions"
    assert params.shape.as_list() == [3, 3] and params.dtype.base_dtype == tf.float32
    assert params in tf.trainable_variables()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got, trans = sess.run([likelihood, params])
    want = [_brute_score(x[b], tags[b], trans, lens[b]) - _brute_log_norm(x[b], trans, lens[b])
            for b in range(4)]
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_dynamic_time_dimension_builds_a_cond():
    x, trans, tags, lens = _problem()
    inputs = tf.placeholder(tf.float64, [None, None, 3])
    tag_ph = tf.placeholder(tf.int32, [None, None])
    log_norm = crf.crf_log_norm(inputs, lens, tf.constant(trans))
    score = crf.crf_sequence_score(inputs, tag_ph, lens, tf.constant(trans))
    decode_tags, _ = crf.crf_decode(inputs, tf.constant(trans), lens)
    with tf.Session() as sess:
        for time in (4, 1):
            sub_lens = np.minimum(lens, time)
            feed = {inputs: x[:, :time], tag_ph: tags[:, :time]}
            got_norm, got_score, got_tags = sess.run([log_norm, score, decode_tags], feed)
            want_norm = [_brute_log_norm(x[b, :time], trans, sub_lens[b]) for b in range(4)]
            np.testing.assert_allclose(got_norm, want_norm, rtol=1e-12)
            want_score = [_brute_score(x[b, :time], tags[b], trans, sub_lens[b])
                          for b in range(4)]
            np.testing.assert_allclose(got_score, want_score, rtol=1e-12)
            assert got_tags.shape == (4, time)


@pytest.mark.parametrize("time,lengths", [(5, (5, 3, 1, 0)), (1, (1, 1, 1, 0))])
def test_crf_decode_matches_enumeration_and_viterbi_decode(time, lengths):
    x, trans, _, lens = _problem(time=time, lengths=lengths, seed=1)
    decode_tags, best_score = crf.crf_decode(tf.constant(x), tf.constant(trans),
                                             tf.constant(lens))
    assert decode_tags.dtype == tf.int32
    got_tags, got_best = _run(decode_tags, best_score)
    for b, length in enumerate(lens):
        if length == 0:
            continue
        want_score, want_tags = _brute_best(x[b], trans, length)
        assert got_best[b] == pytest.approx(want_score)
        assert list(got_tags[b, :length]) == list(want_tags)
        viterbi, viterbi_score = crf.viterbi_decode(x[b, :length], trans)
        assert list(viterbi) == list(want_tags) and viterbi_score == pytest.approx(want_score)


def test_crf_decode_zero_length_takes_the_first_step_as_tf():
    x, trans, _, lens = _problem(time=4, lengths=(0, 4, 4, 4), seed=2)
    got_tags, got_best = _run(*crf.crf_decode(tf.constant(x), tf.constant(trans), lens))
    assert got_best[0] == pytest.approx(x[0, 0].max())
    assert list(got_tags[0]) == [int(np.argmax(x[0, 0])), 0, 0, 0]


def test_multitag_sequence_score_sums_allowed_sequences():
    x, trans, _, lens = _problem(seed=3)
    bitmap = np.random.RandomState(4).rand(4, 4, 3) < 0.6
    bitmap[..., 0] = True
    got, = _run(crf.crf_multitag_sequence_score(tf.constant(x), tf.constant(bitmap),
                                                 tf.constant(lens), tf.constant(trans)))
    for b, length in enumerate(lens):
        allowed = [_brute_score(x[b], seq, trans, length)
                   for seq in _all_sequences(3, length)
                   if all(bitmap[b, t, seq[t]] for t in range(length))]
        want = np.logaddexp.reduce(allowed) if length else 0.0
        assert got[b] == pytest.approx(want)


def test_forward_cell_is_one_forward_algorithm_step():
    rng = np.random.RandomState(5)
    trans, state, inputs = rng.randn(3, 3), rng.randn(2, 3), rng.randn(2, 3)
    cell = crf.CrfForwardRnnCell(tf.constant(trans))
    assert cell.state_size == 3 and cell.output_size == 3
    output, new_state = cell(tf.constant(inputs), tf.constant(state))
    got, = _run(output)
    want = inputs + np.logaddexp.reduce(state[:, :, None] + trans[None], axis=1)
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_log_likelihood_gradients():
    x, trans, tags, lens = _problem(batch=3, time=3, lengths=(3, 2, 1))

    def build(inputs, transitions):
        likelihood, _ = crf.crf_log_likelihood(inputs, tf.constant(tags[:3, :3]),
                                               tf.constant(lens), transitions)
        return likelihood

    check_gradients(build, x[:3, :3], trans)


def test_log_likelihood_gradients_through_the_dynamic_time_cond():
    x, trans, tags, lens = _problem(batch=3, time=3, lengths=(3, 2, 0))

    def build(inputs, transitions):
        dynamic = tf.placeholder_with_default(inputs, [None, None, 3])
        dynamic_tags = tf.placeholder_with_default(tags[:3, :3], [None, None])
        likelihood, _ = crf.crf_log_likelihood(dynamic, dynamic_tags, tf.constant(lens),
                                               transitions)
        return likelihood

    check_gradients(build, x[:3, :3], trans)


def test_tiny_tagger_learns():
    rng = np.random.RandomState(6)
    words = rng.randint(0, 5, (8, 5))
    gold = (words % 3).astype(np.int32)
    lens = np.array([5, 4, 5, 3, 5, 2, 5, 5], np.int32)
    tf.set_random_seed(1)
    embedded = tf.nn.embedding_lookup(tf.get_variable("emb", [5, 4]), words)
    logits = tf.layers.dense(embedded, 3)
    likelihood, trans = crf.crf_log_likelihood(logits, gold, lens)
    loss = tf.reduce_mean(-likelihood)
    train = tf.train.AdamOptimizer(0.1).minimize(loss)
    decoded, _ = crf.crf_decode(logits, trans, lens)
    mask = np.arange(5)[None] < lens[:, None]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss)
        for _ in range(40):
            sess.run(train)
        last, tags = sess.run([loss, decoded])
    assert last < 0.5 * first
    assert (tags == gold)[mask].mean() > 0.9
