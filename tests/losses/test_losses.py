"""tf.losses (losses/losses_impl.py, losses/util.py): values against NumPy with weights and
every Reduction, TF's default SUM_BY_NONZERO_WEIGHTS, the LOSSES collection, op names,
regularization-loss helpers and errors."""
import numpy as np
import pytest

import tfcompat as tf

rng = np.random.default_rng(2)


@pytest.fixture(autouse=True)
def fresh_graph():
    graph = tf.Graph()
    with graph.as_default():
        yield graph


def _run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


def _reduce(losses, weights, reduction):
    weights = np.broadcast_to(np.asarray(weights, np.float64), losses.shape)
    weighted = losses * weights
    R = tf.losses.Reduction
    if reduction == R.NONE:
        return weighted
    total = weighted.sum()
    if reduction == R.SUM:
        return total
    if reduction == R.MEAN:
        denominator = weights.sum()
    elif reduction == R.SUM_OVER_BATCH_SIZE:
        denominator = losses.size
    else:
        denominator = (weights != 0).sum()
    return total / denominator if denominator > 0 else 0.0


LABELS = rng.normal(size=(4, 3)).astype(np.float32)
PREDICTIONS = rng.normal(size=(4, 3)).astype(np.float32)
WEIGHTS = [1.0, np.array([[1.0], [0.0], [2.0], [0.5]], np.float32),
           np.array([[1, 0, 1], [0, 0, 0], [2, 1, 0], [1, 1, 1]], np.float32)]


@pytest.mark.parametrize("weights", WEIGHTS, ids=["scalar", "column", "full"])
@pytest.mark.parametrize("reduction", list(dict.fromkeys(tf.losses.Reduction.all())))
def test_absolute_difference_and_mse(weights, reduction):
    a = tf.losses.absolute_difference(LABELS, PREDICTIONS, weights=weights, reduction=reduction)
    m = tf.losses.mean_squared_error(LABELS, PREDICTIONS, weights=weights, reduction=reduction)
    va, vm = _run([a, m])
    np.testing.assert_allclose(va, _reduce(np.abs(PREDICTIONS - LABELS), weights, reduction),
                               rtol=1e-5)
    np.testing.assert_allclose(vm, _reduce((PREDICTIONS - LABELS) ** 2, weights, reduction),
                               rtol=1e-5)
    assert tf.get_collection(tf.GraphKeys.LOSSES) == [a, m]


def test_default_reduction_names_and_collection():
    loss = tf.losses.mean_squared_error(LABELS, PREDICTIONS)
    assert loss.name == "mean_squared_error/value:0" and loss.shape.ndims == 0
    assert tf.losses.get_losses() == [loss]
    not_collected = tf.losses.absolute_difference(LABELS, PREDICTIONS, loss_collection=None)
    assert tf.losses.get_losses() == [loss] and not_collected.dtype == tf.float32
    zero = tf.losses.absolute_difference(LABELS, PREDICTIONS, weights=0.0)
    assert _run(zero) == 0.0


def test_log_loss():
    labels = (rng.random((5, 2)) > 0.5).astype(np.float32)
    predictions = rng.uniform(0.05, 0.95, (5, 2)).astype(np.float32)
    loss = tf.losses.log_loss(labels, predictions, epsilon=1e-7)
    expected = -(labels * np.log(predictions + 1e-7)
                 + (1 - labels) * np.log(1 - predictions + 1e-7)).mean()
    assert loss.op.name == "log_loss/value"
    assert _run(loss) == pytest.approx(expected, rel=1e-5)


def _softmax_xent(logits, onehot):
    logits = logits - logits.max(1, keepdims=True)
    return -(onehot * (logits - np.log(np.exp(logits).sum(1, keepdims=True)))).sum(1)


def test_sparse_softmax_cross_entropy():
    logits = rng.normal(size=(6, 4)).astype(np.float32)
    labels = np.array([0, 3, 1, 1, 2, 0])
    weights = np.array([1, 0, 2, 1, 0, 1], np.float32)
    loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
    weighted = tf.losses.sparse_softmax_cross_entropy(labels.reshape(-1, 1), logits,
                                                      weights=weights.reshape(-1, 1))
    assert loss.op.name == "sparse_softmax_cross_entropy_loss/value"
    per_example = _softmax_xent(logits, np.eye(4)[labels])
    v, vw = _run([loss, weighted])
    assert v == pytest.approx(per_example.mean(), rel=1e-5)
    assert vw == pytest.approx((per_example * weights).sum() / 4, rel=1e-5)
    X = tf.placeholder(tf.float32, (None, 4))
    y = tf.placeholder(tf.int64, (None,))
    grad = tf.gradients(tf.losses.sparse_softmax_cross_entropy(y, X), X)[0]
    g = _run(grad, {X: logits, y: labels})
    p = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    np.testing.assert_allclose(g, (p - np.eye(4)[labels]) / 6, rtol=1e-4, atol=1e-6)


def test_softmax_and_sigmoid_cross_entropy_with_label_smoothing():
    logits = rng.normal(size=(3, 4)).astype(np.float32)
    onehot = np.eye(4, dtype=np.float32)[[1, 0, 3]]
    loss = tf.losses.softmax_cross_entropy(onehot, logits, label_smoothing=0.2)
    smoothed = onehot * 0.8 + 0.2 / 4
    assert _run(loss) == pytest.approx(_softmax_xent(logits, smoothed).mean(), rel=1e-5)
    assert loss.op.name == "softmax_cross_entropy_loss/value"
    targets = (rng.random((3, 4)) > 0.5).astype(np.float32)
    loss = tf.losses.sigmoid_cross_entropy(targets, logits, label_smoothing=0.1)
    z = targets * 0.9 + 0.05
    expected = (np.maximum(logits, 0) - logits * z + np.log1p(np.exp(-np.abs(logits)))).mean()
    assert _run(loss) == pytest.approx(expected, rel=1e-5)


def test_hinge_huber_cosine():
    labels = np.array([[1.0], [0.0], [1.0]], np.float32)
    logits = np.array([[0.3], [0.5], [2.0]], np.float32)
    hinge = tf.losses.hinge_loss(labels, logits)
    assert _run(hinge) == pytest.approx(np.maximum(0, 1 - (2 * labels - 1) * logits).mean())
    huber = tf.losses.huber_loss(LABELS, PREDICTIONS, delta=0.5)
    err = np.abs(PREDICTIONS - LABELS)
    expected = np.where(err <= 0.5, 0.5 * err ** 2, 0.5 * (err - 0.25)).mean()
    assert _run(huber) == pytest.approx(expected, rel=1e-5)
    a = np.array([[1.0, 0.0], [0.6, 0.8]], np.float32)
    b = np.array([[0.0, 1.0], [0.6, 0.8]], np.float32)
    cosine = tf.losses.cosine_distance(a, b, axis=1)
    assert _run(cosine) == pytest.approx(0.5, abs=1e-6)


def test_regularization_and_total_loss():
    assert _run(tf.losses.get_regularization_loss()) == 0.0
    tf.add_to_collection(tf.GraphKeys.REGULARIZATION_LOSSES, tf.constant(1.5))
    tf.add_to_collection(tf.GraphKeys.REGULARIZATION_LOSSES, tf.constant(0.5))
    total_reg = tf.losses.get_regularization_loss()
    assert total_reg.name == "total_regularization_loss:0" and _run(total_reg) == 2.0
    assert len(tf.losses.get_regularization_losses()) == 2
    tf.losses.add_loss(tf.constant(3.0))
    assert _run(tf.losses.get_total_loss()) == 5.0
    assert _run(tf.losses.get_total_loss(add_regularization_losses=False)) == 3.0
    assert tf.losses.get_total_loss().name.startswith("total_loss")


def test_errors():
    with pytest.raises(ValueError, match="weights can not be broadcast to values"):
        tf.losses.mean_squared_error(LABELS, PREDICTIONS, weights=np.ones(4, np.float32))
    with pytest.raises(ValueError, match="Mismatch at dim 1"):
        tf.losses.mean_squared_error(LABELS, PREDICTIONS, weights=np.ones((4, 2), np.float32))
    with pytest.raises(ValueError, match="Invalid Reduction Key mean"):
        tf.losses.mean_squared_error(LABELS, PREDICTIONS, reduction="mean")
    with pytest.raises(ValueError, match="labels must not be None"):
        tf.losses.absolute_difference(None, PREDICTIONS)
    with pytest.raises(ValueError, match="incompatible"):
        tf.losses.mean_squared_error(LABELS, PREDICTIONS[:, :2])
    with pytest.raises(AttributeError, match="tf.losses.no_such_loss"):
        tf.losses.no_such_loss  # noqa: B018


def test_mean_pairwise_squared_error_as_tensorflow():
    # TensorFlow 2.21 (compat.v1) gives 1.8333333, 2.5 and 0.0 for these three.
    labels = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 7.0]])
    predictions = np.array([[1.5, 2.0, 2.0], [4.0, 6.0, 8.0]])
    with tf.Graph().as_default():
        plain = tf.losses.mean_pairwise_squared_error(labels, predictions)
        weighted = tf.losses.mean_pairwise_squared_error(labels, predictions,
                                                         weights=[[1.0], [2.0]])
        single = tf.losses.mean_pairwise_squared_error(labels[:, :1], predictions[:, :1])
        assert len(tf.get_collection(tf.GraphKeys.LOSSES)) == 3
        assert plain.op.name == "mean_pairwise_squared_error/value_2"
        with tf.Session() as sess:
            got = sess.run([plain, weighted, single])
    np.testing.assert_allclose(got, [1.8333333, 2.5, 0.0], rtol=1e-6)


def test_the_keras_mean_squared_error_class_is_exported_as_in_tf_1_15():
    assert tf.losses.MeanSquaredError is tf.keras.losses.MeanSquaredError
    with tf.Graph().as_default():
        loss = tf.losses.MeanSquaredError()([[0.0, 1.0]], [[1.0, 3.0]])
        with tf.Session() as sess:
            assert sess.run(loss) == pytest.approx(2.5)


def test_reductions_divide_with_div_no_nan_as_tf_1_15():
    """TF 1.15's _safe_mean is one DivNoNan: 0 only where the denominator is 0, so MEAN over
    negative weights divides (the former where(denominator > 0) form gave 0)."""
    with tf.Graph().as_default():
        mean = tf.losses.compute_weighted_loss([1.0, 2.0], weights=[-1.0, -1.0],
                                               reduction=tf.losses.Reduction.MEAN)
        empty = tf.losses.mean_squared_error([1.0, 2.0], [2.0, 2.0], weights=[0.0, 0.0])
        assert mean.op.type == "DivNoNan" and mean.op.name.endswith("value")
        with tf.Session() as sess:
            assert sess.run([mean, empty]) == [1.5, 0.0]
