"""``tf.estimator.DNNLinearCombinedClassifier`` / ``Regressor`` (wide & deep, TF 1.x v1).

The logits are the sum of a linear model under ``linear`` (``linear/linear_model/...``) and a
DNN under ``dnn`` (``dnn/hiddenlayer_<i>``, ``dnn/logits``); each part is trained by its own
optimizer on its own variables (defaults: Ftrl with learning rate min(0.005, 1/sqrt(number of
linear columns)) and Adagrad with 0.001), then the global step is incremented once.
"""
import math

from tfcompat.estimator.canned import head as head_lib
from tfcompat.estimator.canned import optimizers
from tfcompat.estimator.canned.dnn import _check_v1_options, default_partitioners, dnn_logits
from tfcompat.estimator.estimator import Estimator
from tfcompat.feature_column import feature_column as fc
from tfcompat.framework import ops
from tfcompat.ops import variable_scope as vs
from tfcompat.ops import control_flow_ops, math_ops, nn_ops, state_ops
from tfcompat.train import training_util

_DNN_LEARNING_RATE = 0.001
_LINEAR_LEARNING_RATE = 0.005


def _combined_model_fn(features, labels, mode, head, params, config=None):
    if not isinstance(features, dict):
        raise ValueError(f"features should be a dictionary of `Tensor`s. Given type: "
                         f"{type(features)}")
    linear_columns, dnn_columns = params["linear_columns"], params["dnn_columns"]
    parts, optimizers_by_scope = [], []
    dnn_partitioner, input_layer_partitioner = default_partitioners(
        config, params["input_layer_partitioner"])
    if dnn_columns:
        optimizer = optimizers.get_optimizer_instance(params["dnn_optimizer"],
                                                      learning_rate=_DNN_LEARNING_RATE)
        with vs.variable_scope("dnn", values=tuple(features.values()),
                               partitioner=dnn_partitioner):
            parts.append(dnn_logits(features, mode, head.logits_dimension,
                                    params["hidden_units"], dnn_columns,
                                    params["activation_fn"], params["dropout"],
                                    input_layer_partitioner))
        optimizers_by_scope.append(("dnn", optimizer))
    if linear_columns:
        optimizer = optimizers.get_optimizer_instance(
            params["linear_optimizer"],
            learning_rate=min(_LINEAR_LEARNING_RATE, 1.0 / math.sqrt(len(linear_columns))))
        with vs.variable_scope("linear", values=tuple(features.values()),
                               partitioner=input_layer_partitioner):
            parts.append(fc.linear_model(features, linear_columns,
                                         units=head.logits_dimension,
                                         sparse_combiner=params["sparse_combiner"]))
        optimizers_by_scope.append(("linear", optimizer))
    logits = parts[0] if len(parts) == 1 else math_ops.add(parts[0], parts[1])

    def train_op_fn(loss):
        updates = [optimizer.minimize(loss, var_list=ops.get_collection(
            ops.GraphKeys.TRAINABLE_VARIABLES, scope=scope))
            for scope, optimizer in optimizers_by_scope]
        with ops.control_dependencies([control_flow_ops.group(*updates)]):
            return state_ops.assign_add(training_util.get_global_step(), 1).op
    return head.create_estimator_spec(features, mode, logits, labels=labels,
                                      train_op_fn=train_op_fn)


class _CombinedEstimator(Estimator):
    def __init__(self, head, model_dir, linear_feature_columns, linear_optimizer,
                 dnn_feature_columns, dnn_optimizer, dnn_hidden_units, dnn_activation_fn,
                 dnn_dropout, config, warm_start_from, sparse_combiner,
                 input_layer_partitioner=None):
        linear_feature_columns = list(linear_feature_columns or [])
        dnn_feature_columns = list(dnn_feature_columns or [])
        if not linear_feature_columns and not dnn_feature_columns:
            raise ValueError("Either linear_feature_columns or dnn_feature_columns must be "
                             "defined.")
        if dnn_feature_columns and not dnn_hidden_units:
            raise ValueError(f"dnn_hidden_units must be defined when dnn_feature_columns is "
                             f"specified. dnn_hidden_units: {dnn_hidden_units}, "
                             f"dnn_feature_columns: {dnn_feature_columns}")
        params = dict(linear_columns=linear_feature_columns, dnn_columns=dnn_feature_columns,
                      linear_optimizer=linear_optimizer, dnn_optimizer=dnn_optimizer,
                      hidden_units=list(dnn_hidden_units or []),
                      activation_fn=dnn_activation_fn, dropout=dnn_dropout,
                      sparse_combiner=sparse_combiner,
                      input_layer_partitioner=input_layer_partitioner)

        def model_fn(features, labels, mode, config):
            return _combined_model_fn(features, labels, mode, head, params, config)
        super().__init__(model_fn, model_dir=model_dir, config=config,
                         warm_start_from=warm_start_from)


class DNNLinearCombinedClassifier(_CombinedEstimator):
    """``tf.estimator.DNNLinearCombinedClassifier(model_dir=None, linear_feature_columns=None,
    linear_optimizer='Ftrl', dnn_feature_columns=None, dnn_optimizer='Adagrad',
    dnn_hidden_units=None, dnn_activation_fn=tf.nn.relu, dnn_dropout=None, n_classes=2,
    weight_column=None, label_vocabulary=None, ...)``."""

    def __init__(self, model_dir=None, linear_feature_columns=None, linear_optimizer="Ftrl",
                 dnn_feature_columns=None, dnn_optimizer="Adagrad", dnn_hidden_units=None,
                 dnn_activation_fn=nn_ops.relu, dnn_dropout=None, n_classes=2,
                 weight_column=None, label_vocabulary=None, input_layer_partitioner=None,
                 config=None, warm_start_from=None, loss_reduction="weighted_sum",
                 batch_norm=False, linear_sparse_combiner="sum"):
        _check_v1_options(loss_reduction, batch_norm)
        head = head_lib.classification_head(n_classes, weight_column, label_vocabulary)
        super().__init__(head, model_dir, linear_feature_columns, linear_optimizer,
                         dnn_feature_columns, dnn_optimizer, dnn_hidden_units,
                         dnn_activation_fn, dnn_dropout, config, warm_start_from,
                         linear_sparse_combiner, input_layer_partitioner)


class DNNLinearCombinedRegressor(_CombinedEstimator):
    """``tf.estimator.DNNLinearCombinedRegressor(model_dir=None, linear_feature_columns=None,
    linear_optimizer='Ftrl', dnn_feature_columns=None, dnn_optimizer='Adagrad',
    dnn_hidden_units=None, dnn_activation_fn=tf.nn.relu, dnn_dropout=None,
    label_dimension=1, weight_column=None, ...)``."""

    def __init__(self, model_dir=None, linear_feature_columns=None, linear_optimizer="Ftrl",
                 dnn_feature_columns=None, dnn_optimizer="Adagrad", dnn_hidden_units=None,
                 dnn_activation_fn=nn_ops.relu, dnn_dropout=None, label_dimension=1,
                 weight_column=None, input_layer_partitioner=None, config=None,
                 warm_start_from=None, loss_reduction="weighted_sum", batch_norm=False,
                 linear_sparse_combiner="sum"):
        _check_v1_options(loss_reduction, batch_norm)
        head = head_lib.RegressionHead(label_dimension, weight_column)
        super().__init__(head, model_dir, linear_feature_columns, linear_optimizer,
                         dnn_feature_columns, dnn_optimizer, dnn_hidden_units,
                         dnn_activation_fn, dnn_dropout, config, warm_start_from,
                         linear_sparse_combiner, input_layer_partitioner)


class DNNLinearCombinedEstimator(_CombinedEstimator):
    """``tf.estimator.DNNLinearCombinedEstimator(head, model_dir=None,
    linear_feature_columns=None, linear_optimizer='Ftrl', dnn_feature_columns=None,
    dnn_optimizer='Adagrad', dnn_hidden_units=None, dnn_activation_fn=tf.nn.relu,
    dnn_dropout=None, ...)``: wide & deep with a given head."""

    def __init__(self, head, model_dir=None, linear_feature_columns=None,
                 linear_optimizer="Ftrl", dnn_feature_columns=None, dnn_optimizer="Adagrad",
                 dnn_hidden_units=None, dnn_activation_fn=nn_ops.relu, dnn_dropout=None,
                 input_layer_partitioner=None, config=None, warm_start_from=None,
                 batch_norm=False, linear_sparse_combiner="sum"):
        _check_v1_options("weighted_sum", batch_norm)
        super().__init__(head, model_dir, linear_feature_columns, linear_optimizer,
                         dnn_feature_columns, dnn_optimizer, dnn_hidden_units,
                         dnn_activation_fn, dnn_dropout, config, warm_start_from,
                         linear_sparse_combiner, input_layer_partitioner)
