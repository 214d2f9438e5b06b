"""``tf.contrib.estimator`` (TF 1.15): the head constructors that ``tf.estimator``'s
DNNEstimator, LinearEstimator, DNNLinearCombinedEstimator and BaselineEstimator take, and
those estimators. Heads made here average the loss over the batch by default
(``SUM_OVER_BATCH_SIZE``), where the heads inside the canned classifiers sum it."""
from tfcompat.estimator.canned import head as _head_lib
from tfcompat.estimator.canned.baseline import BaselineEstimator  # noqa: F401
from tfcompat.estimator.canned.dnn import DNNEstimator  # noqa: F401
from tfcompat.estimator.canned.dnn_linear_combined import (  # noqa: F401
    DNNLinearCombinedEstimator)
from tfcompat.estimator.canned.linear import LinearEstimator  # noqa: F401
from tfcompat.estimator.metrics import add_metrics  # noqa: F401
from tfcompat.losses.losses_impl import Reduction as _Reduction


def multi_class_head(n_classes, weight_column=None, label_vocabulary=None,
                     loss_reduction=_Reduction.SUM_OVER_BATCH_SIZE, loss_fn=None, name=None):
    """A softmax cross-entropy head over ``n_classes`` > 2 logits, with the ``accuracy``
    and ``average_loss`` metrics (keys suffixed "/<name>" when named)."""
    if n_classes is None or n_classes <= 2:
        raise ValueError(f"n_classes must be > 2: {n_classes}.")
    if label_vocabulary is not None and not isinstance(label_vocabulary, (list, tuple)):
        raise ValueError(f"label_vocabulary should be a list or a tuple. Given type: "
                         f"{type(label_vocabulary)}")
    return _head_lib.MultiClassHead(n_classes, weight_column, label_vocabulary,
                                    loss_reduction, name, loss_fn)


def binary_classification_head(weight_column=None, thresholds=None, label_vocabulary=None,
                               loss_reduction=_Reduction.SUM_OVER_BATCH_SIZE, loss_fn=None,
                               name=None):
    """A sigmoid cross-entropy head on one logit, with the binary metrics (accuracy,
    precision, recall, auc, auc_precision_recall, label/prediction means, and accuracy /
    precision / recall at each of ``thresholds``)."""
    if label_vocabulary is not None and len(label_vocabulary) != 2:
        raise ValueError(f"label_vocabulary does not have 2 entries: {label_vocabulary}")
    return _head_lib.BinaryLogisticHead(weight_column, label_vocabulary, loss_reduction, name,
                                        thresholds, loss_fn)


def regression_head(weight_column=None, label_dimension=1,
                    loss_reduction=_Reduction.SUM_OVER_BATCH_SIZE, loss_fn=None,
                    inverse_link_fn=None, name=None):
    """A squared-error head on ``label_dimension`` outputs (predictions
    ``inverse_link_fn(logits)`` when given)."""
    return _head_lib.RegressionHead(label_dimension, weight_column, loss_reduction, name,
                                    loss_fn, inverse_link_fn)


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.contrib.estimator' has no attribute '{name}': "
                         f"tfcompat does not implement tf.contrib.estimator.{name} yet")
