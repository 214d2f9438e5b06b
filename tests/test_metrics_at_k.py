"""tf.metrics ranking metrics (precision/recall at k and at top k, average precision at k;
dense and SparseTensor labels) against TensorFlow: tests/golden/make_metrics_at_k_goldens.py
prints the values below with TF 2.21's tf.compat.v1.metrics (two updates, then the value)."""
import importlib.util
import pathlib

import numpy as np
import pytest

import tfcompat as tf

_spec = importlib.util.spec_from_file_location(
    "make_metrics_at_k_goldens",
    pathlib.Path(__file__).parent / "golden" / "make_metrics_at_k_goldens.py")
goldens = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(goldens)

NAN = float("nan")
TF_VALUES = {  # first update, second update, value
    "recall_at_2": (0.6, 0.6, 0.6),
    "recall_at_3_class1": (1.0, 1.0, 1.0),
    "recall_at_1_vector_weighted": (2 / 7, 2 / 7, 2 / 7),
    "precision_at_2": (0.5, 0.5, 0.5),
    "precision_at_2_class4": (0.0, 0.0, 0.0),
    "sparse_precision_at_3": (1 / 3, 1 / 3, 1 / 3),
    "precision_at_top_k": (0.4, 0.4, 0.4),
    "recall_at_top_k_class3": (1.0, 1.0, 1.0),
    # TF 1.x divides by min(num_labels, k) = 2 for every row: (1 + 0 + 0.5 / 2) / 3. TF 2.21
    # gives 0.5: since TF 2 the label -1 of the third row no longer counts as relevant.
    "average_precision_at_3": (1.25 / 3, 1.25 / 3, 1.25 / 3),
    "average_precision_at_2_weighted": (5 / 14, 5 / 14, 5 / 14),
    "sparse_average_precision_at_1": (1 / 3, 1 / 3, 1 / 3),
    "recall_at_2_missing_class": (NAN, NAN, NAN),   # no label of class 2: 0 / 0
    "sparse_labels_recall_at_2": (0.6, 0.6, 0.6),
    "sparse_labels_precision_at_2_class1": (1.0, 1.0, 1.0),
    "sparse_labels_average_precision_at_3": (19 / 36, 19 / 36, 19 / 36),
}
# tf.local_variables() as TF names them (TF 2.21 calls the max variables "max_1", because
# its average_precision_at_k first adds an op "Max" that TF 1.x did not have).
TF_NAMES = [
    "recall_at_2/true_positive_at_2", "recall_at_2/false_negative_at_2",
    "recall_at_3_class1/true_positive_at_3_class1",
    "recall_at_3_class1/false_negative_at_3_class1", "recall_at_1/true_positive_at_1",
    "recall_at_1/false_negative_at_1", "precision_at_2/true_positive_at_2",
    "precision_at_2/false_positive_at_2", "precision_at_2_class4/true_positive_at_2_class4",
    "precision_at_2_class4/false_positive_at_2_class4", "precision_at_3/true_positive_at_3",
    "precision_at_3/false_positive_at_3", "precision_at_k/true_positive_at_k",
    "precision_at_k/false_positive_at_k", "recall_at_2_class3/true_positive_at_2_class3",
    "recall_at_2_class3/false_negative_at_2_class3", "average_precision_at_3/max",
    "average_precision_at_3/total", "average_precision_at_2/max",
    "average_precision_at_2/total", "average_precision_at_1/max",
    "average_precision_at_1/total", "recall_at_2_class2/true_positive_at_2_class2",
    "recall_at_2_class2/false_negative_at_2_class2", "recall_at_2_1/true_positive_at_2",
    "recall_at_2_1/false_negative_at_2", "precision_at_2_class1/true_positive_at_2_class1",
    "precision_at_2_class1/false_positive_at_2_class1", "average_precision_at_3_1/max",
    "average_precision_at_3_1/total"]


def test_ranking_metrics_match_tensorflow():
    tf.reset_default_graph()
    names, first, second, values = goldens.run(tf)
    assert names == TF_NAMES
    assert all(v in tf.get_collection(tf.GraphKeys.METRIC_VARIABLES)
               for v in tf.local_variables())
    for key, expected in TF_VALUES.items():
        np.testing.assert_allclose([first[key], second[key], values[key]], expected,
                                   rtol=1e-12, err_msg=key)


def test_values_against_numpy_on_random_batches():
    rng = np.random.RandomState(5)
    tf.reset_default_graph()
    logits = tf.placeholder(tf.float32, [None, 6])
    labels = tf.placeholder(tf.int64, [None, 3])
    recall, recall_update = tf.metrics.recall_at_k(labels, logits, 2)
    precision, precision_update = tf.metrics.precision_at_k(labels, logits, 2)
    average, average_update = tf.metrics.average_precision_at_k(labels, logits, 2)
    tp = fn = fp = ap_total = rows = 0
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        assert sess.run(average) == 0.0 and np.isnan(sess.run(recall))
        for _ in range(3):
            batch_logits = rng.normal(size=(4, 6)).astype(np.float32)
            batch_labels = rng.randint(0, 6, size=(4, 3))
            sess.run([recall_update, precision_update, average_update],
                     {logits: batch_logits, labels: batch_labels})
            for row_logits, row_labels in zip(batch_logits, batch_labels, strict=True):
                top = list(np.argsort(-row_logits)[:2])
                label_set = set(row_labels.tolist())
                tp += len(label_set & set(top))
                fn += len(label_set - set(top))
                fp += len(set(top) - label_set)
                hits = [i for i, p in enumerate(top) if p in label_set]
                ap_total += sum((j + 1) / (i + 1) for j, i in enumerate(hits)) / 2
                rows += 1
        np.testing.assert_allclose(sess.run([recall, precision, average]),
                                   [tp / (tp + fn), tp / (tp + fp), ap_total / rows])


def test_ranking_metric_errors():
    tf.reset_default_graph()
    logits = tf.zeros([2, 4])
    with pytest.raises(ValueError, match="Invalid k=0"):
        tf.metrics.average_precision_at_k([[1], [2]], logits, 0)
    with pytest.raises(ValueError, match="Unexpected labels shape"):
        tf.metrics.recall_at_k(tf.zeros([2, 1, 1], tf.int64), logits, 1)
    with pytest.raises(ValueError, match="weights can not be broadcast to values"):
        tf.metrics.precision_at_k([[1], [2]], logits, 1, weights=[1.0, 2.0, 3.0])
