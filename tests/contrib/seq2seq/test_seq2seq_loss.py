"""tf.contrib.seq2seq.sequence_loss against NumPy (every reduction), TF's argument errors,
and a float64 finite-difference gradient check."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.test import check_gradients

RNG = np.random.default_rng(3)
LOGITS = RNG.normal(size=(3, 4, 5))     # batch, time, classes
TARGETS = np.array([[1, 3, 0, 4], [2, 2, 1, 0], [0, 4, 3, 1]])
WEIGHTS = np.array([[1.0, 1.0, 0.5, 0.0], [1.0, 0.0, 0.0, 0.0], [2.0, 1.0, 1.0, 1.0]])


def _crossent(logits=LOGITS):
    shifted = logits - logits.max(2, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(2, keepdims=True))
    return -np.take_along_axis(log_softmax, TARGETS[:, :, None], 2)[:, :, 0] * WEIGHTS


def _expected(flags):
    crossent = _crossent()
    avg_time, avg_batch, sum_time, sum_batch = flags
    if avg_time and avg_batch:
        return crossent.sum() / WEIGHTS.sum()
    if sum_time and sum_batch:
        return crossent.sum() / np.count_nonzero(WEIGHTS)
    if avg_time or avg_batch:
        axis = 0 if avg_batch else 1
        return crossent.sum(axis) / WEIGHTS.sum(axis)
    if sum_time or sum_batch:
        axis = 0 if sum_batch else 1
        return crossent.sum(axis) / np.count_nonzero(WEIGHTS, axis)
    return crossent


FLAGS = [(True, True, False, False), (False, False, True, True), (True, False, False, False),
         (False, True, False, False), (False, False, True, False), (False, False, False, True),
         (False, False, False, False), (True, False, False, True), (False, True, True, False)]


@pytest.mark.parametrize("flags", FLAGS)
def test_sequence_loss_reductions_match_numpy(flags):
    with tf.Graph().as_default():
        loss = tf.contrib.seq2seq.sequence_loss(
            tf.constant(LOGITS), tf.constant(TARGETS), tf.constant(WEIGHTS),
            average_across_timesteps=flags[0], average_across_batch=flags[1],
            sum_over_timesteps=flags[2], sum_over_batch=flags[3])
        assert loss.op.name.startswith("sequence_loss/")
        with tf.Session() as sess:
            np.testing.assert_allclose(sess.run(loss), _expected(flags), rtol=1e-12)


def test_sequence_loss_takes_a_softmax_loss_function():
    calls = []

    def loss_fn(labels, logits):
        calls.append((labels.shape.as_list(), logits.shape.as_list()))
        return tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits) * 2

    with tf.Graph().as_default():
        loss = tf.contrib.seq2seq.sequence_loss(LOGITS, TARGETS, WEIGHTS,
                                                softmax_loss_function=loss_fn)
        with tf.Session() as sess:
            np.testing.assert_allclose(sess.run(loss), 2 * _expected(FLAGS[0]), rtol=1e-12)
    assert len(calls) == 1 and len(calls[0][0]) == 1 and len(calls[0][1]) == 2


def test_all_zero_weights_give_zero_not_nan():
    with tf.Graph().as_default():
        loss = tf.contrib.seq2seq.sequence_loss(LOGITS, TARGETS, np.zeros((3, 4)))
        with tf.Session() as sess:
            assert sess.run(loss) == 0.0


@pytest.mark.parametrize("args, kwargs, message", [
    ((LOGITS[0], TARGETS, WEIGHTS), {}, "Logits must be a"),
    ((LOGITS, TARGETS[0], WEIGHTS), {}, "Targets must be a"),
    ((LOGITS, TARGETS, WEIGHTS[0]), {}, "Weights must be a"),
    ((LOGITS, TARGETS, WEIGHTS), {"sum_over_timesteps": True},
     "average_across_timesteps and sum_over_timesteps cannot"),
    ((LOGITS, TARGETS, WEIGHTS), {"average_across_timesteps": False, "sum_over_batch": True},
     "average_across_batch and sum_over_batch cannot"),
])
def test_sequence_loss_argument_errors(args, kwargs, message):
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match=message):
            tf.contrib.seq2seq.sequence_loss(*args, **kwargs)


@pytest.mark.parametrize("flags", [FLAGS[0], FLAGS[1], FLAGS[2], FLAGS[6]])
def test_sequence_loss_gradients(flags):
    def build(logits, weights):
        return tf.contrib.seq2seq.sequence_loss(
            logits, tf.constant(TARGETS), weights, average_across_timesteps=flags[0],
            average_across_batch=flags[1], sum_over_timesteps=flags[2],
            sum_over_batch=flags[3])
    check_gradients(build, LOGITS, WEIGHTS + 0.25)


def test_seq2seq_namespace_names_and_unimplemented_names():
    for name in tf.contrib.seq2seq.__all__:
        assert getattr(tf.contrib.seq2seq, name) is not None
    with pytest.raises(AttributeError, match="not implement tf.contrib.seq2seq.BasicDecoderV2"):
        assert tf.contrib.seq2seq.BasicDecoderV2 is None
