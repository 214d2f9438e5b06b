"""The cases of tf.contrib.losses / tf.contrib.metrics compared with TensorFlow: each builds
its graph with the given ``tf`` module and losses/metrics module (tfcompat's or TF's, see
tests/golden/make_contrib_losses_metrics_goldens.py)."""
import numpy as np

RNG = np.random.RandomState(7)
PREDICTIONS = RNG.uniform(0.05, 0.95, (4, 3)).astype(np.float32)
LABELS = (RNG.uniform(size=(4, 3)) > 0.5).astype(np.float32)
LOGITS = RNG.randn(4, 3).astype(np.float32)
ONE_HOT = np.eye(3, dtype=np.float32)[[0, 2, 1, 2]]
CLASS_IDS = np.array([0, 2, 1, 2], np.int64)
UNIT = (PREDICTIONS / np.linalg.norm(PREDICTIONS, axis=1, keepdims=True)).astype(np.float32)
UNIT_LABELS = np.roll(UNIT, 1, axis=1)
SAMPLE_WEIGHTS = np.array([1.0, 0.0, 2.0, 0.5], np.float32)


def _c(tf, value):
    return tf.constant(value)


LOSS_CASES = {
    "absolute_difference_sample_weights": lambda tf, losses: losses.absolute_difference(
        _c(tf, PREDICTIONS), _c(tf, LABELS), weights=_c(tf, SAMPLE_WEIGHTS)),
    "mean_squared_error_column_weights": lambda tf, losses: losses.mean_squared_error(
        _c(tf, PREDICTIONS), _c(tf, LABELS), weights=_c(tf, SAMPLE_WEIGHTS[:, None])),
    "log_loss_elementwise_weights": lambda tf, losses: losses.log_loss(
        _c(tf, PREDICTIONS), _c(tf, LABELS), weights=_c(tf, LABELS + 0.5)),
    "hinge_loss": lambda tf, losses: losses.hinge_loss(_c(tf, LOGITS), _c(tf, LABELS)),
    "cosine_distance": lambda tf, losses: losses.cosine_distance(
        _c(tf, UNIT), _c(tf, UNIT_LABELS), axis=1),
    "sigmoid_cross_entropy_smoothed": lambda tf, losses: losses.sigmoid_cross_entropy(
        _c(tf, LOGITS), _c(tf, LABELS), weights=2.0, label_smoothing=0.2),
    "softmax_cross_entropy_smoothed": lambda tf, losses: losses.softmax_cross_entropy(
        _c(tf, LOGITS), _c(tf, ONE_HOT), weights=_c(tf, SAMPLE_WEIGHTS),
        label_smoothing=0.1),
    "sparse_softmax_cross_entropy": lambda tf, losses: losses.sparse_softmax_cross_entropy(
        _c(tf, LOGITS), _c(tf, CLASS_IDS[:, None]), weights=_c(tf, SAMPLE_WEIGHTS)),
    "mean_pairwise_squared_error_sample_weights": lambda tf, losses: (
        losses.mean_pairwise_squared_error(_c(tf, PREDICTIONS), _c(tf, LABELS),
                                           weights=_c(tf, SAMPLE_WEIGHTS))),
    "mean_pairwise_squared_error_scalar_weight": lambda tf, losses: (
        losses.mean_pairwise_squared_error(_c(tf, LOGITS), _c(tf, LABELS), weights=0.5)),
    "all_zero_weights": lambda tf, losses: losses.compute_weighted_loss(
        _c(tf, LOGITS), weights=0.0),
    "total_loss": lambda tf, losses: (losses.absolute_difference(
        _c(tf, PREDICTIONS), _c(tf, LABELS)), losses.mean_squared_error(
        _c(tf, PREDICTIONS), _c(tf, LABELS), weights=3.0), losses.get_total_loss())[-1],
}


def _paired(metric_name, predictions, labels, dtype_p="float32", dtype_l="float32",
            **kwargs):
    def build(tf, metrics):
        p = tf.placeholder(getattr(tf, dtype_p), [None] + list(predictions[0].shape[1:]))
        q = tf.placeholder(getattr(tf, dtype_l), [None] + list(labels[0].shape[1:]))
        value, update = getattr(metrics, metric_name)(p, q, **kwargs)
        return [{p: predictions[i], q: labels[i]} for i in range(2)], value, update
    return build


SCORES = [RNG.uniform(size=(6,)).astype(np.float32) for _ in range(2)]
BOOLS = [(RNG.uniform(size=(6,)) > 0.4) for _ in range(2)]
CLASSES = [RNG.randint(0, 3, (6,)).astype(np.int64) for _ in range(2)]
CLASS_LABELS = [RNG.randint(0, 3, (6,)).astype(np.int64) for _ in range(2)]
VALUES = [RNG.randn(6, 2).astype(np.float32) for _ in range(2)]
TARGETS = [RNG.randn(6, 2).astype(np.float32) for _ in range(2)]
SCORE_ROWS = [RNG.randn(6, 4).astype(np.float32) for _ in range(2)]
ROW_LABELS = [RNG.randint(0, 4, (6,)).astype(np.int64) for _ in range(2)]
ROW_LABELS32 = [labels.astype(np.int32) for labels in ROW_LABELS]
UNITS = [v / np.linalg.norm(v, axis=1, keepdims=True) for v in VALUES]
UNIT_TARGETS = [v / np.linalg.norm(v, axis=1, keepdims=True) for v in TARGETS]


def _mean_case(metric_name, values, **kwargs):
    def build(tf, metrics):
        x = tf.placeholder(tf.float32, values[0].shape)
        value, update = getattr(metrics, metric_name)(x, **kwargs)
        return [{x: values[i]} for i in range(2)], value, update
    return build


def _f1(tf, metrics):
    labels = tf.placeholder(tf.bool, [None])
    scores = tf.placeholder(tf.float32, [None])
    value, update = metrics.f1_score(labels, scores, num_thresholds=20)
    return [{labels: BOOLS[i], scores: SCORES[i]} for i in range(2)], value, update


def _count(tf, metrics):
    x = tf.placeholder(tf.float32, [None, 2])
    w = tf.placeholder(tf.float32, [None, 1])
    value, update = metrics.count(x, weights=w)
    weights = [np.abs(v[:, :1]) for v in TARGETS]
    return [{x: VALUES[i], w: weights[i]} for i in range(2)], value, update


def _pearson(tf, metrics):
    p = tf.placeholder(tf.float32, [None])
    q = tf.placeholder(tf.float32, [None])
    w = tf.placeholder(tf.float32, [None])
    value, update = metrics.streaming_pearson_correlation(p, q, weights=w)
    return [{p: VALUES[i][:, 0], q: VALUES[i][:, 0] + TARGETS[i][:, 0],
             w: SCORES[i]} for i in range(2)], value, update


METRIC_CASES = {
    "count": _count,
    "streaming_pearson_correlation": _pearson,
    "streaming_covariance": _paired("streaming_covariance", VALUES, TARGETS),
    "streaming_false_positive_rate": _paired("streaming_false_positive_rate", SCORES, BOOLS,
                                             "float32", "bool"),
    "streaming_false_negative_rate": _paired("streaming_false_negative_rate", BOOLS,
                                             BOOLS[::-1], "bool", "bool"),
    "streaming_false_positive_rate_at_thresholds": _paired(
        "streaming_false_positive_rate_at_thresholds", SCORES, BOOLS, "float32", "bool",
        thresholds=[0.3, 0.6]),
    "streaming_false_negative_rate_at_thresholds": _paired(
        "streaming_false_negative_rate_at_thresholds", SCORES, BOOLS, "float32", "bool",
        thresholds=[0.3, 0.6]),
    "streaming_accuracy": _paired("streaming_accuracy", CLASSES, CLASS_LABELS, "int64",
                                  "int64"),
    "streaming_mean": _mean_case("streaming_mean", VALUES),
    "streaming_mean_tensor": _mean_case("streaming_mean_tensor", VALUES),
    "streaming_percentage_less": _mean_case("streaming_percentage_less", VALUES,
                                            threshold=0.1),
    "streaming_precision": _paired("streaming_precision", BOOLS, BOOLS[::-1], "bool",
                                   "bool"),
    "streaming_recall": _paired("streaming_recall", SCORES, BOOLS, "float32", "bool"),
    "streaming_true_positives": _paired("streaming_true_positives", BOOLS, BOOLS[::-1],
                                        "bool", "bool"),
    "streaming_false_negatives": _paired("streaming_false_negatives", BOOLS, BOOLS[::-1],
                                         "bool", "bool"),
    "streaming_auc": _paired("streaming_auc", SCORES, BOOLS, "float32", "bool",
                             num_thresholds=50),
    "streaming_precision_at_thresholds": _paired(
        "streaming_precision_at_thresholds", SCORES, BOOLS, "float32", "bool",
        thresholds=[0.2, 0.5, 0.8]),
    "streaming_recall_at_thresholds": _paired(
        "streaming_recall_at_thresholds", SCORES, BOOLS, "float32", "bool",
        thresholds=[0.2, 0.5, 0.8]),
    "streaming_mean_squared_error": _paired("streaming_mean_squared_error", VALUES, TARGETS),
    "streaming_mean_absolute_error": _paired("streaming_mean_absolute_error", VALUES,
                                             TARGETS),
    "streaming_root_mean_squared_error": _paired("streaming_root_mean_squared_error", VALUES,
                                                 TARGETS),
    "streaming_mean_cosine_distance": _paired("streaming_mean_cosine_distance", UNITS,
                                              UNIT_TARGETS, dim=1),
    "streaming_mean_iou": _paired("streaming_mean_iou", CLASSES, CLASS_LABELS, "int64",
                                  "int64", num_classes=3),
    "streaming_recall_at_k": _paired("streaming_recall_at_k", SCORE_ROWS, ROW_LABELS32,
                                     "float32", "int32", k=2),
    "streaming_sparse_recall_at_k": _paired("streaming_sparse_recall_at_k", SCORE_ROWS,
                                            ROW_LABELS, "float32", "int64", k=2),
    "streaming_sparse_precision_at_k": _paired("streaming_sparse_precision_at_k", SCORE_ROWS,
                                               ROW_LABELS, "float32", "int64", k=2),
    "streaming_sparse_average_precision_at_k": _paired(
        "streaming_sparse_average_precision_at_k", SCORE_ROWS, ROW_LABELS, "float32",
        "int64", k=3),
    "f1_score": _f1,
}
