"""tf.metrics: TF 1.x variable names and collections, (value, update_op) semantics, and values
against TensorFlow's (goldens computed with tf.compat.v1.metrics on the same data)."""
import numpy as np
import pytest

import tfcompat as tf


def _data():
    rng = np.random.RandomState(0)
    labels = rng.randint(0, 2, 40)
    score = rng.uniform(size=40).astype(np.float32)
    weights = rng.uniform(size=40).astype(np.float32)
    return labels, score, weights, (score > 0.5).astype(np.int64)


# name -> (builder(labels y, score s, weights w, predictions p), TF 2.21 tf.compat.v1 result)
GOLDENS = {
    "auc": (lambda y, s, w, p: tf.metrics.auc(y, s), 0.45907924),
    "auc_weighted": (lambda y, s, w, p: tf.metrics.auc(y, s, weights=w), 0.5070443),
    "auc_pr": (lambda y, s, w, p: tf.metrics.auc(y, s, curve="PR", num_thresholds=50),
               0.5586538),
    "auc_minoring": (lambda y, s, w, p: tf.metrics.auc(y, s, summation_method="minoring"),
                     0.45780048),
    "precision": (lambda y, s, w, p: tf.metrics.precision(y, p, weights=w), 0.52335244),
    "recall": (lambda y, s, w, p: tf.metrics.recall(y, p), 0.4347826),
    "accuracy": (lambda y, s, w, p: tf.metrics.accuracy(y, p, weights=w), 0.48861822),
    "rmse": (lambda y, s, w, p: tf.metrics.root_mean_squared_error(y.astype(np.float32), s),
             0.5894753),
    "mae": (lambda y, s, w, p: tf.metrics.mean_absolute_error(y.astype(np.float32), s,
                                                              weights=w), 0.511243),
    "precision_at_thresholds": (
        lambda y, s, w, p: tf.metrics.precision_at_thresholds(y, s, [0.25, 0.5, 0.75]),
        [0.56666666, 0.5263158, 0.42857143]),
    "recall_at_thresholds": (
        lambda y, s, w, p: tf.metrics.recall_at_thresholds(y, s, [0.25, 0.5, 0.75]),
        [0.73913044, 0.4347826, 0.13043478]),
    "mean_per_class_accuracy": (
        lambda y, s, w, p: tf.metrics.mean_per_class_accuracy(tf.constant(y), tf.constant(p),
                                                              2), 0.45268542),
    "percentage_below": (lambda y, s, w, p: tf.metrics.percentage_below(s, 0.3), 0.3),
    "mean_relative_error": (
        lambda y, s, w, p: tf.metrics.mean_relative_error(y.astype(np.float32), s, w),
        4.582110404968262),
    "mean_cosine_distance": (
        lambda y, s, w, p: tf.metrics.mean_cosine_distance(s.reshape(10, 4), w.reshape(10, 4),
                                                           dim=1), 0.32203781604766846),
    "mean_iou": (lambda y, s, w, p: tf.metrics.mean_iou(y % 3 + p, p * 2, 3, weights=w),
                 0.331302285194397),
    "true_positives_at_thresholds": (
        lambda y, s, w, p: tf.metrics.true_positives_at_thresholds(y, s, [0.2, 0.5, 0.8]),
        [19.0, 10.0, 2.0]),
    "true_negatives_at_thresholds": (
        lambda y, s, w, p: tf.metrics.true_negatives_at_thresholds(y, s, [0.2, 0.5, 0.8],
                                                                   weights=w),
        [2.1480629444122314, 5.0442094802856445, 7.246349334716797]),
    "sensitivity_at_specificity": (
        lambda y, s, w, p: tf.metrics.sensitivity_at_specificity(y, s, 0.6),
        0.30434781312942505),
    "specificity_at_sensitivity": (
        lambda y, s, w, p: tf.metrics.specificity_at_sensitivity(y, s, 0.4, num_thresholds=50),
        0.47058823704719543),
}


@pytest.mark.parametrize("name", sorted(GOLDENS))
def test_metric_values_match_tensorflow(name):
    tf.reset_default_graph()
    build, expected = GOLDENS[name]
    value, update_op = build(*_data())
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        sess.run(update_op)
        np.testing.assert_allclose(sess.run(value), expected, rtol=2e-5)


def test_streaming_over_batches_accumulates_and_local_init_resets():
    tf.reset_default_graph()
    labels = tf.placeholder(tf.int64, [None])
    predictions = tf.placeholder(tf.int64, [None])
    acc, acc_update = tf.metrics.accuracy(labels, predictions)
    assert acc.name == "accuracy/value:0" and acc_update.name == "accuracy/update_op:0"
    local = [v.name for v in tf.local_variables()]
    assert local == ["accuracy/total:0", "accuracy/count:0"]
    assert [v.name for v in tf.get_collection(tf.GraphKeys.METRIC_VARIABLES)] == local
    assert tf.global_variables() == [] and tf.trainable_variables() == []
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        assert sess.run(acc) == 0.0  # no division by zero before any batch
        assert sess.run(acc_update, {labels: [1, 0, 1, 1], predictions: [1, 1, 0, 1]}) == 0.5
        assert sess.run(acc_update, {labels: [2, 2], predictions: [2, 2]}) == pytest.approx(4 / 6)
        assert sess.run(acc) == pytest.approx(4 / 6)
        sess.run(tf.local_variables_initializer())
        assert sess.run(acc) == 0.0


def test_metric_scopes_are_uniquified_and_named_as_tensorflow():
    tf.reset_default_graph()
    labels, predictions = tf.constant([1, 0]), tf.constant([1, 1])
    tf.metrics.precision(labels, predictions)
    tf.metrics.precision(labels, predictions)
    tf.metrics.true_negatives(labels, predictions)
    tf.metrics.auc(labels, tf.constant([0.3, 0.4]), num_thresholds=5)
    tf.metrics.root_mean_squared_error(labels, predictions)
    names = [v.name for v in tf.local_variables()]
    assert names == [
        "precision/true_positives/count:0", "precision/false_positives/count:0",
        "precision_1/true_positives/count:0", "precision_1/false_positives/count:0",
        "true_negatives/count:0",
        "auc/true_positives:0", "auc/false_negatives:0", "auc/true_negatives:0",
        "auc/false_positives:0",
        "root_mean_squared_error/total:0", "root_mean_squared_error/count:0"]
    assert tf.local_variables()[5].shape.as_list() == [5]


def test_counts_mean_and_collections():
    tf.reset_default_graph()
    labels = tf.constant([True, False, True, False, True])
    predictions = tf.constant([True, True, False, False, True])
    counts = [tf.metrics.true_positives(labels, predictions),
              tf.metrics.false_positives(labels, predictions),
              tf.metrics.false_negatives(labels, predictions),
              tf.metrics.true_negatives(labels, predictions, metrics_collections=["m"],
                                        updates_collections=["u"])]
    mean, mean_update = tf.metrics.mean(tf.constant([[1.0, 2.0], [3.0, 6.0]]),
                                        weights=tf.constant([[1.0], [0.0]]))
    assert tf.get_collection("m") == [counts[3][0]] and tf.get_collection("u") == [counts[3][1]]
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        assert sess.run([u for _, u in counts]) == [2.0, 1.0, 1.0, 1.0]
        assert sess.run([u for _, u in counts]) == [4.0, 2.0, 2.0, 2.0]
        assert sess.run(mean_update) == 1.5  # weights broadcast over the rows


def test_mean_tensor_is_elementwise_and_named_as_tensorflow():
    tf.reset_default_graph()
    values = tf.placeholder(tf.float32, [2, 3])
    mean, update = tf.metrics.mean_tensor(values, weights=tf.constant([[1.0], [0.0]]))
    assert [v.name for v in tf.local_variables()] == ["mean/total_tensor:0",
                                                      "mean/count_tensor:0"]
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        sess.run(update, {values: [[1, 2, 3], [7, 7, 7]]})
        sess.run(update, {values: [[3, 4, 5], [7, 7, 7]]})
        np.testing.assert_allclose(sess.run(mean), [[2, 3, 4], [0, 0, 0]])
    tf.reset_default_graph()
    tf.metrics.false_negatives_at_thresholds(tf.constant([1]), tf.constant([0.5]), [0.1])
    tf.metrics.mean_iou(tf.constant([1]), tf.constant([1]), 2)
    assert [v.name for v in tf.local_variables()] == [
        "false_negatives/false_negatives:0", "mean_iou/total_confusion_matrix:0"]
    assert tf.local_variables()[1].dtype.base_dtype == tf.float64


def test_mismatched_shapes_raise():
    tf.reset_default_graph()
    with pytest.raises(ValueError, match="incompatible"):
        tf.metrics.accuracy(tf.constant([1, 2, 3]), tf.constant([1, 2]))
    with pytest.raises(ValueError, match="curve must be either ROC or PR"):
        tf.metrics.auc(tf.constant([1]), tf.constant([0.5]), curve="XY")


def test_unimplemented_metric_raises_the_tfcompat_error():
    with pytest.raises(AttributeError, match="does not implement tf.metrics.streaming_auc"):
        tf.metrics.streaming_auc  # noqa: B018 (a tf.contrib.metrics name)
