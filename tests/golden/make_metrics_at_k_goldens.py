"""Prints the expected values of tests/test_metrics_at_k.py: the *_at_k metrics of TF's
tf.compat.v1.metrics (TF 2.21, graph mode) over two batches, with the local variables they
create. Run with `tf` (TensorFlow) or `tfc` (tfcompat) as argument."""
import sys

import numpy as np

PREDICTIONS = np.array([[0.1, 0.5, 0.2, 0.9, 0.0],
                        [0.8, 0.1, 0.6, 0.3, 0.2],
                        [0.3, 0.4, 0.1, 0.2, 0.7]], np.float32)
LABELS = np.array([[3, 1], [4, 4], [1, -1]], np.int64)   # a repeated and an absent label
VECTOR_LABELS = np.array([3, 2, 0], np.int64)
TOP_IDX = np.array([[3, 3], [0, 2], [4, 1]], np.int64)    # a repeated prediction
WEIGHTS = np.array([1.0, 0.5, 2.0], np.float32)
SPARSE_LABELS = ([[0, 0], [0, 2], [1, 1], [2, 0], [2, 1]], [3, 1, 4, 1, 0], [3, 3])


def sparse(tf):
    indices, values, dense_shape = SPARSE_LABELS
    return tf.SparseTensorValue(np.array(indices, np.int64), np.array(values, np.int64),
                                np.array(dense_shape, np.int64))


def build(tf):
    """{name: (value, update_op)} of the metrics under test."""
    m = tf.metrics
    return {
        "recall_at_2": m.recall_at_k(LABELS, PREDICTIONS, 2),
        "recall_at_3_class1": m.recall_at_k(LABELS, PREDICTIONS, 3, class_id=1),
        "recall_at_1_vector_weighted": m.recall_at_k(VECTOR_LABELS, PREDICTIONS, 1,
                                                     weights=WEIGHTS),
        "precision_at_2": m.precision_at_k(LABELS, PREDICTIONS, 2),
        "precision_at_2_class4": m.precision_at_k(LABELS, PREDICTIONS, 2, class_id=4),
        "sparse_precision_at_3": m.sparse_precision_at_k(VECTOR_LABELS, PREDICTIONS, 3,
                                                         weights=WEIGHTS),
        "precision_at_top_k": m.precision_at_top_k(LABELS, tf.constant(TOP_IDX)),
        "recall_at_top_k_class3": m.recall_at_top_k(LABELS, tf.constant(TOP_IDX), k=2,
                                                     class_id=3),
        "average_precision_at_3": m.average_precision_at_k(LABELS, PREDICTIONS, 3),
        "average_precision_at_2_weighted": m.average_precision_at_k(
            VECTOR_LABELS, PREDICTIONS, 2, weights=WEIGHTS),
        "sparse_average_precision_at_1": m.sparse_average_precision_at_k(LABELS, PREDICTIONS,
                                                                          1),
        "recall_at_2_missing_class": m.recall_at_k(LABELS, PREDICTIONS, 2, class_id=2),
        "sparse_labels_recall_at_2": m.recall_at_k(sparse(tf), PREDICTIONS, 2),
        "sparse_labels_precision_at_2_class1": m.precision_at_k(sparse(tf), PREDICTIONS, 2,
                                                                class_id=1),
        "sparse_labels_average_precision_at_3": m.average_precision_at_k(sparse(tf),
                                                                         PREDICTIONS, 3),
    }


def run(tf):
    metrics = build(tf)
    names = [v.op.name for v in tf.local_variables()]
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        first = sess.run({k: update for k, (_, update) in metrics.items()})
        second = sess.run({k: update for k, (_, update) in metrics.items()})
        values = sess.run({k: value for k, (value, _) in metrics.items()})
    return names, first, second, values


if __name__ == "__main__":
    if sys.argv[1:] == ["tf"]:
        import tensorflow.compat.v1 as tf
        tf.disable_v2_behavior()
    else:
        import tfcompat as tf
    names, first, second, values = run(tf)
    print("NAMES =", names)
    print("VALUES = {")
    for key in first:
        print(f"    {key!r}: ({float(first[key])!r}, {float(second[key])!r}, "
              f"{float(values[key])!r}),")
    print("}")
