"""CTC: the loss and its gradient, the greedy and beam search decoders and the label tools
against goldens written by real TensorFlow (tests/golden/make_ctc_goldens.py), a float64
finite-difference check of the loss gradient, a brute-force check of the likelihood over
all alignments, and TF's errors."""
import itertools
import pathlib

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.test import check_gradients

GOLDEN = np.load(pathlib.Path(__file__).parent.parent / "golden" / "ctc_goldens.npz")


def _labels():
    return tf.SparseTensor(GOLDEN["indices"], GOLDEN["values"], GOLDEN["shape"])


@pytest.mark.parametrize("collapse,merge", list(itertools.product([False, True], repeat=2)))
def test_ctc_loss_and_gradient_match_tensorflow(collapse, merge):
    key = f"loss_{int(collapse)}{int(merge)}"
    with tf.Graph().as_default(), tf.Session() as sess:
        x = tf.constant(GOLDEN["x"])
        loss = tf.nn.ctc_loss(_labels(), x, GOLDEN["seq"], preprocess_collapse_repeated=collapse,
                              ctc_merge_repeated=merge)
        assert loss.op.type == "CTCLoss" and loss.shape.as_list() == [3]
        grad = tf.gradients(loss, x, GOLDEN[key + "_dy"])[0]
        value, grad_value = sess.run([loss, grad])
        np.testing.assert_allclose(value, GOLDEN[key], rtol=1e-5)
        np.testing.assert_allclose(grad_value, GOLDEN[key + "_g"], rtol=1e-4, atol=1e-6)


def test_ctc_loss_variants_match_tensorflow():
    with tf.Graph().as_default(), tf.Session() as sess:
        x = tf.constant(GOLDEN["x"])
        batch_major = tf.constant(np.transpose(GOLDEN["x"], (1, 0, 2)))
        np.testing.assert_allclose(sess.run(tf.nn.ctc_loss(
            _labels(), batch_major, GOLDEN["seq"], time_major=False)), GOLDEN["loss_01"],
            rtol=1e-5)
        loss = tf.nn.ctc_loss(_labels(), x, [6, 1, 6], ignore_longer_outputs_than_inputs=True)
        value, grad = sess.run([loss, tf.gradients(loss, x)[0]])
        np.testing.assert_allclose(value, GOLDEN["loss_ignored"], rtol=1e-5)
        np.testing.assert_allclose(grad, GOLDEN["loss_ignored_g"], rtol=1e-4, atol=1e-6)
        dense = tf.nn.ctc_loss_v2(GOLDEN["dense"], x, GOLDEN["dense_len"], GOLDEN["seq"])
        value, grad = sess.run([dense, tf.gradients(dense, x)[0]])
        np.testing.assert_allclose(value, GOLDEN["v2_dense"], rtol=1e-5)
        np.testing.assert_allclose(grad, GOLDEN["v2_dense_g"], rtol=1e-4, atol=1e-6)
        sparse = tf.nn.ctc_loss_v2(_labels(), batch_major, None, GOLDEN["seq"],
                                   logits_time_major=False, blank_index=2)
        value, grad = sess.run([sparse, tf.gradients(sparse, batch_major)[0]])
        np.testing.assert_allclose(value, GOLDEN["v2_sparse_blank2"], rtol=1e-5)
        np.testing.assert_allclose(grad, GOLDEN["v2_sparse_blank2_g"], rtol=1e-4, atol=1e-6)


def test_ctc_likelihood_is_the_sum_over_alignments():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(5, 1, 3))
    labels = [0, 0]
    probabilities = np.exp(logits[:, 0]) / np.exp(logits[:, 0]).sum(axis=1, keepdims=True)
    total = 0.0
    for path in itertools.product(range(3), repeat=5):
        merged = [c for i, c in enumerate(path) if i == 0 or path[i - 1] != c]
        if [c for c in merged if c != 2] == labels:
            total += np.prod(probabilities[np.arange(5), path])
    with tf.Graph().as_default(), tf.Session() as sess:
        sparse = tf.SparseTensor([[0, 0], [0, 1]], np.array(labels, np.int32), [1, 2])
        value = sess.run(tf.nn.ctc_loss(sparse, logits, [5]))
    np.testing.assert_allclose(value, [-np.log(total)], rtol=1e-12)


@pytest.mark.parametrize("merge", [False, True])
def test_ctc_loss_gradient_finite_differences(merge):
    rng = np.random.default_rng(1)
    logits = rng.normal(size=(5, 2, 4))

    def build(x):
        labels = tf.SparseTensor([[0, 0], [0, 1], [1, 0], [1, 1]],
                                 np.array([1, 1, 0, 2], np.int32), [2, 2])
        return tf.nn.ctc_loss(labels, x, [5, 4], ctc_merge_repeated=merge)
    check_gradients(build, logits)


def test_decoders_match_tensorflow():
    x, seq = GOLDEN["x"], GOLDEN["dec_seq"]
    with tf.Graph().as_default(), tf.Session() as sess:
        for merge in (False, True):
            (decoded,), log_prob = tf.nn.ctc_greedy_decoder(x, seq, merge_repeated=merge)
            assert log_prob.shape.as_list() == [3, 1] and decoded.values.dtype == tf.int64
            key = f"greedy_{int(merge)}"
            for value, suffix in zip(sess.run([decoded.indices, decoded.values,
                                               decoded.dense_shape, log_prob]),
                                     ["_i", "_v", "_s", "_p"]):
                np.testing.assert_allclose(value, GOLDEN[key + suffix], rtol=1e-5)
            decoded, log_prob = tf.nn.ctc_beam_search_decoder(x, seq, beam_width=4,
                                                              top_paths=3, merge_repeated=merge)
            assert len(decoded) == 3 and log_prob.shape.as_list() == [3, 3]
            key = f"beam_{int(merge)}"
            np.testing.assert_allclose(sess.run(log_prob), GOLDEN[key + "_p"], rtol=1e-5)
            for k, path in enumerate(decoded):
                for value, suffix in zip(sess.run([path.indices, path.values,
                                                   path.dense_shape]), ["_i", "_v", "_s"]):
                    np.testing.assert_array_equal(value, GOLDEN[f"{key}_{k}{suffix}"])
        decoded, log_prob = tf.nn.ctc_beam_search_decoder_v2(x, seq, beam_width=6, top_paths=2)
        np.testing.assert_allclose(sess.run(log_prob), GOLDEN["beam_v2_p"], rtol=1e-5)
        np.testing.assert_array_equal(sess.run(decoded[0].values), GOLDEN["beam_v2_0_v"])


def test_label_tools_match_tensorflow():
    with tf.Graph().as_default(), tf.Session() as sess:
        collapsed, lengths = tf.nn.collapse_repeated(GOLDEN["collapse_in"], [5, 4, 2])
        value, length_value = sess.run([collapsed, lengths])
        np.testing.assert_array_equal(value, GOLDEN["collapsed"])
        np.testing.assert_array_equal(length_value, GOLDEN["collapsed_len"])
        unique, index = tf.nn.ctc_unique_labels(GOLDEN["unique_in"])
        assert unique.dtype == tf.int64 and index.dtype == tf.int32
        unique_value, index_value = sess.run([unique, index])
        np.testing.assert_array_equal(unique_value, GOLDEN["unique_y"])
        np.testing.assert_array_equal(index_value, GOLDEN["unique_idx"])


def test_errors():
    x = GOLDEN["x"]
    with tf.Graph().as_default(), tf.Session() as sess:
        with pytest.raises(TypeError, match="Expected labels .* to be a SparseTensor"):
            tf.nn.ctc_loss(GOLDEN["dense"], x, GOLDEN["seq"])
        with pytest.raises(ValueError, match="Shape must be rank 3 but is rank 2"):
            tf.nn.ctc_loss(_labels(), x[0], GOLDEN["seq"])
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"sequence_length\(0\) <= 6"):
            sess.run(tf.nn.ctc_loss(_labels(), x, [7, 5, 6]))
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"Not enough time for target transition sequence \(required: "
                                 r"2, available: 1\)1You can turn this error into a warning"):
            sess.run(tf.nn.ctc_loss(_labels(), x, [6, 1, 6]))
        empty = tf.SparseTensor([[0, 0]], np.array([1], np.int32), [3, 1])
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="Labels length is zero in batch 1"):
            sess.run(tf.nn.ctc_loss(empty, x, GOLDEN["seq"]))
        with pytest.raises(tf.errors.InvalidArgumentError, match="top_paths must be <= "
                                                                 "beam_width"):
            sess.run(tf.nn.ctc_beam_search_decoder(x, GOLDEN["seq"], beam_width=2,
                                                   top_paths=3)[1])
        with pytest.raises(ValueError, match="blank_index must be given"):
            tf.nn.ctc_loss_v2(_labels(), x, None, GOLDEN["seq"])
        xc = tf.constant(x)
        grad = tf.gradients(tf.nn.ctc_loss(_labels(), xc, GOLDEN["seq"]), xc)[0]
        with pytest.raises(LookupError, match="second derivative of ctc_loss"):
            tf.gradients(tf.reduce_sum(grad), xc)
