"""``tf.estimator.LinearClassifier`` / ``LinearRegressor`` (TF 1.x, estimator v1).

Logits are ``tf.feature_column.linear_model`` under the variable scope ``linear``
(``linear/linear_model/<column>/weights``, ``linear/linear_model/bias_weights``). Default
optimizer: Ftrl with learning rate min(0.2, 1/sqrt(number of feature columns)). The bias and
the fraction of zero weights are written as summaries, as TF does.
"""
import math

from tfcompat import nn, summary
from tfcompat.estimator.canned import head as head_lib
from tfcompat.estimator.canned import optimizers
from tfcompat.estimator.canned.dnn import _check_v1_options, default_partitioners
from tfcompat.estimator.estimator import Estimator
from tfcompat.feature_column import feature_column as fc
from tfcompat.ops import variable_scope as vs
from tfcompat.ops import array_ops

_LEARNING_RATE = 0.2


def _default_learning_rate(feature_columns):
    return min(_LEARNING_RATE, 1.0 / math.sqrt(len(feature_columns)))


def _linear_model_fn(features, labels, mode, head, feature_columns, optimizer,
                     sparse_combiner, partitioner=None, config=None):
    if not isinstance(features, dict):
        raise ValueError(f"features should be a dictionary of `Tensor`s. Given type: "
                         f"{type(features)}")
    optimizer = optimizers.get_optimizer_instance(
        optimizer, learning_rate=_default_learning_rate(feature_columns))
    logit_fn = linear_logit_fn_builder(head.logits_dimension, feature_columns, sparse_combiner)
    # TF 1.x: partitioner, else the input-layer default (one part with no ps tasks).
    partitioner = default_partitioners(config, partitioner)[1]
    with vs.variable_scope("linear", values=tuple(features.values()), partitioner=partitioner):
        logits = logit_fn(features)
    return head.create_estimator_spec(features, mode, logits, labels=labels,
                                      optimizer=optimizer)


def linear_logit_fn_builder(units, feature_columns, sparse_combiner="sum"):
    """``tf.estimator.experimental.linear_logit_fn_builder``: ``logit_fn(features)`` making
    the ``units`` logits of ``linear_model`` in the caller's variable scope, with the bias
    and fraction_of_zero_weights summaries."""
    def linear_logit_fn(features):
        cols_to_vars = {}
        logits = fc.linear_model(features, feature_columns, units=units,
                                 sparse_combiner=sparse_combiner, cols_to_vars=cols_to_vars)
        bias = cols_to_vars.pop("bias")[0]
        if units > 1:
            summary.histogram("bias", bias)
        else:
            summary.scalar("bias", array_ops.reshape(bias, []))
        weights = [array_ops.reshape(v, [-1]) for parts in cols_to_vars.values()
                   for v in parts]
        summary.scalar("fraction_of_zero_weights",
                       nn.zero_fraction(array_ops.concat(weights, 0)
                                        if len(weights) > 1 else weights[0]))
        return logits
    return linear_logit_fn


class _LinearEstimator(Estimator):
    def __init__(self, head, feature_columns, model_dir, optimizer, config, sparse_combiner,
                 warm_start_from, partitioner=None):
        if not feature_columns:
            raise ValueError("feature_columns must not be empty.")
        feature_columns = list(feature_columns)

        def model_fn(features, labels, mode, config):
            return _linear_model_fn(features, labels, mode, head, feature_columns,
                                    optimizer, sparse_combiner, partitioner, config)
        super().__init__(model_fn, model_dir=model_dir, config=config,
                         warm_start_from=warm_start_from)


class LinearClassifier(_LinearEstimator):
    """``tf.estimator.LinearClassifier(feature_columns, model_dir=None, n_classes=2,
    weight_column=None, label_vocabulary=None, optimizer='Ftrl', config=None, ...)``."""

    def __init__(self, feature_columns, model_dir=None, n_classes=2, weight_column=None,
                 label_vocabulary=None, optimizer="Ftrl", config=None, partitioner=None,
                 warm_start_from=None, loss_reduction="weighted_sum", sparse_combiner="sum"):
        _check_v1_options(loss_reduction, False)
        head = head_lib.classification_head(n_classes, weight_column, label_vocabulary)
        super().__init__(head, feature_columns, model_dir, optimizer, config, sparse_combiner,
                         warm_start_from, partitioner)


class LinearRegressor(_LinearEstimator):
    """``tf.estimator.LinearRegressor(feature_columns, model_dir=None, label_dimension=1,
    weight_column=None, optimizer='Ftrl', config=None, ...)``."""

    def __init__(self, feature_columns, model_dir=None, label_dimension=1, weight_column=None,
                 optimizer="Ftrl", config=None, partitioner=None, warm_start_from=None,
                 loss_reduction="weighted_sum", sparse_combiner="sum"):
        _check_v1_options(loss_reduction, False)
        head = head_lib.RegressionHead(label_dimension, weight_column)
        super().__init__(head, feature_columns, model_dir, optimizer, config, sparse_combiner,
                         warm_start_from, partitioner)


class LinearEstimator(_LinearEstimator):
    """``tf.estimator.LinearEstimator(head, feature_columns, model_dir=None, optimizer='Ftrl',
    config=None, partitioner=None, sparse_combiner='sum', warm_start_from=None)``: the
    linear model of LinearClassifier with a given head."""

    def __init__(self, head, feature_columns, model_dir=None, optimizer="Ftrl", config=None,
                 partitioner=None, sparse_combiner="sum", warm_start_from=None):
        super().__init__(head, feature_columns, model_dir, optimizer, config, sparse_combiner,
                         warm_start_from, partitioner)
