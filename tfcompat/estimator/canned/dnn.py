"""``tf.estimator.DNNClassifier`` / ``DNNRegressor`` (TF 1.x, estimator v1).

The network lives under the variable scope ``dnn``: the feature columns' input layer
(``dnn/input_from_feature_columns/input_layer/...``), dense layers ``dnn/hiddenlayer_<i>``
(glorot-uniform kernels, ``activation_fn``, dropout while training when ``dropout`` is set)
and ``dnn/logits``, so checkpoints carry TF's variable names. Default optimizer: Adagrad with
learning rate 0.05. Each layer gets TF's fraction_of_zero_values and activation summaries.
As in TF 1.x the canned models are built under min_max_variable_partitioners (over the
config's parameter servers): with none, each variable is the one part ``<name>/part_0`` of a
PartitionedVariable, and checkpoints hold it under ``<name>``.
"""
from tfcompat import nn, summary
from tfcompat.estimator.canned import head as head_lib
from tfcompat.estimator.canned import optimizers
from tfcompat.estimator.estimator import Estimator
from tfcompat.estimator.model_fn import ModeKeys
from tfcompat.feature_column import feature_column as fc
from tfcompat.ops import init_ops, partitioned_variables
from tfcompat.ops import variable_scope as vs
from tfcompat.layers import core as core_layers
from tfcompat.ops import nn_ops

_LEARNING_RATE = 0.05


def _add_layer_summary(value, tag):
    summary.scalar(f"{tag}/fraction_of_zero_values", nn.zero_fraction(value))
    summary.histogram(f"{tag}/activation", value)


def dnn_logits(features, mode, units, hidden_units, feature_columns, activation_fn,
               dropout, input_layer_partitioner=None):
    """The logits of TF's _DNNModel, built in the current variable scope (the input layer's
    variables split by ``input_layer_partitioner`` when given)."""
    with vs.variable_scope("input_from_feature_columns", partitioner=input_layer_partitioner):
        net = fc.input_layer(features, feature_columns)
    parent = vs.get_variable_scope().name
    for layer_id, num_hidden_units in enumerate(hidden_units):
        name = f"hiddenlayer_{layer_id}"
        net = core_layers.dense(net, units=num_hidden_units, activation=activation_fn,
                                kernel_initializer=init_ops.glorot_uniform_initializer(),
                                name=name)
        if dropout is not None and mode == ModeKeys.TRAIN:
            net = core_layers.dropout(net, rate=dropout, training=True)
        _add_layer_summary(net, f"{parent}/{name}")
    logits = core_layers.dense(net, units=units, activation=None,
                               kernel_initializer=init_ops.glorot_uniform_initializer(),
                               name="logits")
    _add_layer_summary(logits, f"{parent}/logits")
    return logits


def dnn_logit_fn_builder(units, hidden_units, feature_columns, activation_fn, dropout,
                         input_layer_partitioner=None, batch_norm=False):
    """``tf.estimator.experimental.dnn_logit_fn_builder``: ``logit_fn(features, mode)``
    making the DNNClassifier network's ``units`` logits in the caller's variable scope (the
    canned estimators call it inside "dnn")."""
    _check_v1_options("weighted_sum", batch_norm)
    hidden_units = list(hidden_units)

    def dnn_logit_fn(features, mode):
        return dnn_logits(features, mode, units, hidden_units, feature_columns, activation_fn,
                          dropout, input_layer_partitioner)
    return dnn_logit_fn


def default_partitioners(config, input_layer_partitioner=None):
    """TF 1.x's partitioners of a canned model: (layers, input layer). With no parameter
    servers (tfcompat's case) each variable is one part, ``<name>/part_0``, saved under its
    own name."""
    num_ps_replicas = config.num_ps_replicas if config else 0
    return (partitioned_variables.min_max_variable_partitioner(max_partitions=num_ps_replicas),
            input_layer_partitioner or partitioned_variables.min_max_variable_partitioner(
                max_partitions=num_ps_replicas, min_slice_size=64 << 20))


def _dnn_model_fn(features, labels, mode, head, hidden_units, feature_columns, optimizer,
                  activation_fn, dropout, input_layer_partitioner=None, config=None):
    if not isinstance(features, dict):
        raise ValueError(f"features should be a dictionary of `Tensor`s. Given type: "
                         f"{type(features)}")
    optimizer = optimizers.get_optimizer_instance(optimizer, learning_rate=_LEARNING_RATE)
    partitioner, input_layer_partitioner = default_partitioners(config,
                                                                input_layer_partitioner)
    with vs.variable_scope("dnn", values=tuple(features.values()), partitioner=partitioner):
        logits = dnn_logits(features, mode, head.logits_dimension, hidden_units,
                            feature_columns, activation_fn, dropout, input_layer_partitioner)
    return head.create_estimator_spec(features, mode, logits, labels=labels,
                                      optimizer=optimizer)


class _DNNEstimator(Estimator):
    def __init__(self, head, hidden_units, feature_columns, model_dir, optimizer,
                 activation_fn, dropout, config, warm_start_from, input_layer_partitioner=None):
        if not hidden_units and hidden_units != []:
            raise ValueError("hidden_units must be a list of layer sizes")
        if not feature_columns:
            raise ValueError("feature_columns must not be empty.")
        feature_columns = list(feature_columns)

        def model_fn(features, labels, mode, config):
            return _dnn_model_fn(features, labels, mode, head, list(hidden_units),
                                 feature_columns, optimizer, activation_fn, dropout,
                                 input_layer_partitioner, config)
        super().__init__(model_fn, model_dir=model_dir, config=config,
                         warm_start_from=warm_start_from)


class DNNClassifier(_DNNEstimator):
    """``tf.estimator.DNNClassifier(hidden_units, feature_columns, model_dir=None,
    n_classes=2, weight_column=None, label_vocabulary=None, optimizer='Adagrad',
    activation_fn=tf.nn.relu, dropout=None, ...)``."""

    def __init__(self, hidden_units, feature_columns, model_dir=None, n_classes=2,
                 weight_column=None, label_vocabulary=None, optimizer="Adagrad",
                 activation_fn=nn_ops.relu, dropout=None, input_layer_partitioner=None,
                 config=None, warm_start_from=None, loss_reduction="weighted_sum",
                 batch_norm=False):
        _check_v1_options(loss_reduction, batch_norm)
        head = head_lib.classification_head(n_classes, weight_column, label_vocabulary)
        super().__init__(head, hidden_units, feature_columns, model_dir, optimizer,
                         activation_fn, dropout, config, warm_start_from,
                         input_layer_partitioner)


class DNNRegressor(_DNNEstimator):
    """``tf.estimator.DNNRegressor(hidden_units, feature_columns, model_dir=None,
    label_dimension=1, weight_column=None, optimizer='Adagrad', activation_fn=tf.nn.relu,
    dropout=None, ...)``."""

    def __init__(self, hidden_units, feature_columns, model_dir=None, label_dimension=1,
                 weight_column=None, optimizer="Adagrad", activation_fn=nn_ops.relu,
                 dropout=None, input_layer_partitioner=None, config=None,
                 warm_start_from=None, loss_reduction="weighted_sum", batch_norm=False):
        _check_v1_options(loss_reduction, batch_norm)
        head = head_lib.RegressionHead(label_dimension, weight_column)
        super().__init__(head, hidden_units, feature_columns, model_dir, optimizer,
                         activation_fn, dropout, config, warm_start_from,
                         input_layer_partitioner)


def _check_v1_options(loss_reduction, batch_norm):
    if loss_reduction != "weighted_sum":
        raise ValueError(f"tfcompat's canned estimators implement TF 1.x's default "
                         f"loss_reduction=tf.losses.Reduction.SUM only, got {loss_reduction}")
    if batch_norm:
        raise ValueError("tfcompat's canned DNN estimators do not implement batch_norm")


class DNNEstimator(_DNNEstimator):
    """``tf.estimator.DNNEstimator(head, hidden_units, feature_columns, model_dir=None,
    optimizer='Adagrad', activation_fn=tf.nn.relu, dropout=None, ...)``: the DNN of
    DNNClassifier with a given head (``tf.contrib.estimator.multi_class_head``,
    ``regression_head`` ...), whose loss reduction and metric keys it keeps."""

    def __init__(self, head, hidden_units, feature_columns, model_dir=None,
                 optimizer="Adagrad", activation_fn=nn_ops.relu, dropout=None,
                 input_layer_partitioner=None, config=None, warm_start_from=None,
                 batch_norm=False):
        _check_v1_options("weighted_sum", batch_norm)
        super().__init__(head, hidden_units, feature_columns, model_dir, optimizer,
                         activation_fn, dropout, config, warm_start_from,
                         input_layer_partitioner)
