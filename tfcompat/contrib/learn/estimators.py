"""``tf.contrib.learn``'s DNNClassifier and DNNRegressor as TF 1.x had them (the book's
first printing): ``fit``/``evaluate``/``predict`` take NumPy arrays (or an input_fn), and
``SKCompat`` wraps them with scikit-learn style signatures.

The network is contrib.layers' under ``dnn``: ``dnn/hiddenlayer_<i>/weights`` and
``/biases``, ``dnn/logits/weights`` and ``/biases`` (xavier weights, zero biases), the
feature columns' values concatenated in column-name order. The loss is the batch mean
(sparse softmax or sigmoid cross-entropy; squared error for regression), Adagrad with
learning rate 0.05 by default. Arrays are fed in batches of ``batch_size`` (all rows when
None), shuffled with seed 42 for fit, in order for evaluate/predict. Runs on
``tf.estimator.Estimator`` (checkpoints and summaries in model_dir).
"""
import collections

import numpy as np

from tfcompat import metrics, nn
from tfcompat.contrib.layers import layers as contrib_layers
from tfcompat.estimator import estimator as estimator_lib
from tfcompat.estimator import run_config
from tfcompat.estimator.canned import optimizers
from tfcompat.estimator.model_fn import EstimatorSpec, ModeKeys
from tfcompat.framework import dtypes, ops
from tfcompat.ops import array_ops, clip_ops, feeding_ops, math_ops, nn_ops
from tfcompat.train import training_util

_LEARNING_RATE = 0.05


class RunConfig(run_config.RunConfig):
    """``tf.contrib.learn.RunConfig``: the estimator RunConfig with contrib's extra
    (ignored) device arguments."""

    def __init__(self, master=None, num_cores=0, log_device_placement=False,
                 gpu_memory_fraction=1, tf_random_seed=None, save_summary_steps=100,
                 save_checkpoints_secs=run_config._USE_DEFAULT,
                 save_checkpoints_steps=run_config._USE_DEFAULT, keep_checkpoint_max=5,
                 keep_checkpoint_every_n_hours=10000, log_step_count_steps=100,
                 evaluation_master="", model_dir=None, session_config=None):
        super().__init__(model_dir=model_dir, tf_random_seed=tf_random_seed,
                         save_summary_steps=save_summary_steps,
                         save_checkpoints_steps=save_checkpoints_steps,
                         save_checkpoints_secs=save_checkpoints_secs,
                         session_config=session_config, keep_checkpoint_max=keep_checkpoint_max,
                         keep_checkpoint_every_n_hours=keep_checkpoint_every_n_hours,
                         log_step_count_steps=log_step_count_steps)


class _RealValuedColumn(collections.namedtuple("_RealValuedColumn",
                                               ["column_name", "dimension", "dtype"])):
    """contrib.layers.real_valued_column: ``dimension`` float values per example."""

    @property
    def name(self):
        return self.column_name


def real_valued_column(column_name, dimension=1, default_value=None, dtype=dtypes.float32,
                       normalizer=None):
    if dimension is not None and dimension < 1:
        raise ValueError(f"dimension must be greater than 0. dimension: {dimension}, "
                         f"column_name: {column_name}")
    if default_value is not None or normalizer is not None:
        raise ValueError("tfcompat's real_valued_column takes no default_value or normalizer")
    return _RealValuedColumn(column_name, dimension, dtypes.as_dtype(dtype))


def infer_real_valued_columns_from_input(x):
    """``tf.contrib.learn.infer_real_valued_columns_from_input``: one real-valued column
    named "" holding every feature of each row of ``x`` (a dict: one column per key)."""
    if isinstance(x, dict):
        return [_infer_column(key, value) for key, value in sorted(x.items())]
    return [_infer_column("", x)]


def _infer_column(name, array):
    array = np.asarray(array)
    dtype = dtypes.as_dtype(array.dtype)
    if not (dtype.is_floating or dtype.is_integer):
        raise ValueError(f"Unsupported input dtype {dtype}. Must be float or int.")
    dimension = int(np.prod(array.shape[1:])) if array.ndim > 1 else 1
    return real_valued_column(name, dimension=dimension,
                              dtype=dtypes.float32 if dtype.is_floating else dtypes.int64)


def _input_layer(features, feature_columns):
    if not isinstance(features, dict):
        features = {"": features}
    tensors = []
    for column in sorted(feature_columns, key=lambda c: c.name):
        if not isinstance(column, _RealValuedColumn):
            raise ValueError(f"tfcompat's contrib.learn estimators take real_valued_column "
                             f"feature columns, got {column}")
        value = math_ops.cast(ops.convert_to_tensor(features[column.name]), dtypes.float32)
        tensors.append(array_ops.reshape(value, [-1, column.dimension]))
    return tensors[0] if len(tensors) == 1 else array_ops.concat(tensors, 1)


def _dnn_logits(features, mode, params):
    with ops.name_scope("dnn/input_from_feature_columns"):
        net = _input_layer(features, params["feature_columns"])
    for layer_id, units in enumerate(params["hidden_units"]):
        scope = f"dnn/hiddenlayer_{layer_id}"
        net = contrib_layers.fully_connected(net, units, activation_fn=params["activation_fn"],
                                             variables_collections=["dnn"], scope=scope)
        if params["dropout"] is not None and mode == ModeKeys.TRAIN:
            net = contrib_layers.dropout(net, keep_prob=1.0 - params["dropout"])
    return contrib_layers.fully_connected(net, params["logits_dimension"], activation_fn=None,
                                          variables_collections=["dnn"], scope="dnn/logits")


def _train_op(loss, params):
    optimizer = optimizers.get_optimizer_instance(params["optimizer"],
                                                  learning_rate=_LEARNING_RATE)
    grads_and_vars = optimizer.compute_gradients(loss)
    if params["gradient_clip_norm"]:
        grads, variables = zip(*grads_and_vars, strict=True)
        grads, _ = clip_ops.clip_by_global_norm(list(grads), params["gradient_clip_norm"])
        grads_and_vars = list(zip(grads, variables, strict=True))
    return optimizer.apply_gradients(grads_and_vars,
                                     global_step=training_util.get_global_step())


def _classifier_outputs(logits, n_classes):
    predictions = {"logits": logits}
    if n_classes == 2:
        predictions["logistic"] = nn_ops.sigmoid(logits)
        logits = array_ops.concat([array_ops.zeros_like(logits), logits], 1)
    predictions["probabilities"] = nn_ops.softmax(logits)
    predictions["classes"] = math_ops.argmax(logits, 1, name="classes")
    return predictions


def _binary_metrics(labels, predictions):
    float_labels = math_ops.cast(labels, dtypes.float32)
    classes = predictions["classes"]
    return {
        "accuracy": metrics.accuracy(labels, classes),
        "labels/prediction_mean": metrics.mean(predictions["logistic"]),
        "labels/actual_label_mean": metrics.mean(float_labels),
        "accuracy/baseline_label_mean": metrics.mean(float_labels),
        "auc": metrics.auc(float_labels, predictions["logistic"]),
        "auc_precision_recall": metrics.auc(float_labels, predictions["logistic"],
                                            curve="PR"),
        "accuracy/threshold_0.500000_mean": metrics.accuracy(labels, classes),
        "precision/positive_threshold_0.500000_mean": metrics.precision(labels, classes),
        "recall/positive_threshold_0.500000_mean": metrics.recall(labels, classes),
    }


def _classifier_model_fn(features, labels, mode, params):
    logits = _dnn_logits(features, mode, params)
    n_classes = params["n_classes"]
    predictions = _classifier_outputs(logits, n_classes)
    if mode == ModeKeys.PREDICT:
        return EstimatorSpec(mode, predictions=predictions)
    labels = math_ops.cast(array_ops.reshape(labels, [-1]), dtypes.int64)
    if n_classes == 2:
        per_example = nn.sigmoid_cross_entropy_with_logits(
            labels=math_ops.cast(array_ops.expand_dims(labels, 1), dtypes.float32),
            logits=logits)
    else:
        per_example = nn_ops.sparse_softmax_cross_entropy_with_logits(labels=labels,
                                                                      logits=logits)
    loss = math_ops.reduce_mean(per_example, name="loss")
    if mode == ModeKeys.EVAL:
        eval_ops = (_binary_metrics(labels, predictions) if n_classes == 2 else
                    {"accuracy": metrics.accuracy(labels, predictions["classes"])})
        return EstimatorSpec(mode, predictions=predictions, loss=loss, eval_metric_ops=eval_ops)
    return EstimatorSpec(mode, predictions=predictions, loss=loss,
                         train_op=_train_op(loss, params))


def _regressor_model_fn(features, labels, mode, params):
    logits = _dnn_logits(features, mode, params)
    if params["logits_dimension"] == 1:
        logits = array_ops.reshape(logits, [-1])
    predictions = {"scores": logits}
    if mode == ModeKeys.PREDICT:
        return EstimatorSpec(mode, predictions=predictions)
    labels = array_ops.reshape(math_ops.cast(labels, dtypes.float32), array_ops.shape(logits))
    loss = math_ops.reduce_mean(math_ops.squared_difference(logits, labels), name="loss")
    if mode == ModeKeys.EVAL:
        return EstimatorSpec(mode, predictions=predictions, loss=loss)
    return EstimatorSpec(mode, predictions=predictions, loss=loss,
                         train_op=_train_op(loss, params))


def _array_input_fn(x, y, batch_size, shuffle, epochs):
    """An input_fn serving x (and y) in batches (TF's DataFeeder: all rows when batch_size
    is None, shuffled with RandomState(42))."""
    arrays = [np.asarray(x)] + ([] if y is None else [np.asarray(y)])
    if batch_size is not None and batch_size <= 0:
        raise ValueError(f"Invalid batch_size {batch_size}.")
    batch_size = len(arrays[0]) if batch_size is None else batch_size

    def input_fn():
        tensors = feeding_ops.numpy_feed_dequeue(arrays, batch_size, epochs, shuffle, seed=42)
        return (tensors[0], tensors[1]) if y is not None else (tensors[0], None)
    return input_fn


class _ContribEstimator:
    """contrib.learn's Estimator surface over tf.estimator.Estimator."""

    def __init__(self, model_fn, params, model_dir, config):
        self._estimator = estimator_lib.Estimator(model_fn, model_dir=model_dir, config=config,
                                                  params=params)

    model_dir = property(lambda self: self._estimator.model_dir)
    config = property(lambda self: self._estimator.config)

    def get_variable_names(self):
        return self._estimator.get_variable_names()

    def get_variable_value(self, name):
        return self._estimator.get_variable_value(name)

    @staticmethod
    def _input_fn(x, y, input_fn, batch_size, shuffle, epochs):
        if (x is None) == (input_fn is None):
            raise ValueError("Either x or input_fn must be provided.")
        if input_fn is not None:
            if batch_size is not None:
                raise ValueError("Can not provide both input_fn and batch_size.")
            return input_fn
        return _array_input_fn(x, y, batch_size, shuffle, epochs)

    def fit(self, x=None, y=None, input_fn=None, steps=None, batch_size=None, monitors=None,
            max_steps=None):
        """Trains on x, y (or input_fn) for ``steps`` more steps or up to ``max_steps``."""
        self._estimator.train(self._input_fn(x, y, input_fn, batch_size, True, None),
                              hooks=monitors, steps=steps, max_steps=max_steps)
        return self

    def evaluate(self, x=None, y=None, input_fn=None, feed_fn=None, batch_size=None,
                 steps=None, metrics=None, name=None, checkpoint_path=None, hooks=None):
        """The model's metrics on x, y (one pass) or input_fn, with "loss" and
        "global_step"."""
        if metrics is not None or feed_fn is not None:
            raise ValueError("tfcompat's contrib.learn evaluate takes no metrics or feed_fn")
        return self._estimator.evaluate(self._input_fn(x, y, input_fn, batch_size, False, 1),
                                        steps=steps, hooks=hooks,
                                        checkpoint_path=checkpoint_path, name=name)

    def _predict(self, x, input_fn, batch_size, outputs, as_iterable):
        predictions = self._estimator.predict(
            self._input_fn(x, None, input_fn, batch_size, False, 1), predict_keys=outputs,
            yield_single_examples=as_iterable)
        if as_iterable:
            return predictions
        batches = list(predictions)
        return {key: np.concatenate([b[key] for b in batches]) for key in batches[0]}


class DNNClassifier(_ContribEstimator):
    """``tf.contrib.learn.DNNClassifier(hidden_units, feature_columns, model_dir=None,
    n_classes=2, weight_column_name=None, optimizer=None, activation_fn=tf.nn.relu,
    dropout=None, gradient_clip_norm=None, enable_centered_bias=False, config=None)``;
    ``predict`` gives class ids, ``predict_proba`` probabilities."""

    def __init__(self, hidden_units, feature_columns, model_dir=None, n_classes=2,
                 weight_column_name=None, optimizer=None, activation_fn=nn_ops.relu,
                 dropout=None, gradient_clip_norm=None, enable_centered_bias=False,
                 config=None, feature_engineering_fn=None, embedding_lr_multipliers=None,
                 input_layer_min_slice_size=None, label_keys=None):
        if n_classes <= 1:
            raise ValueError(f"Classification requires n_classes >= 2. Given: {n_classes}")
        _check_unsupported(weight_column_name, enable_centered_bias, feature_engineering_fn,
                           embedding_lr_multipliers, label_keys)
        params = dict(hidden_units=list(hidden_units), feature_columns=list(feature_columns),
                      n_classes=n_classes, logits_dimension=1 if n_classes == 2 else n_classes,
                      optimizer=optimizer or "Adagrad", activation_fn=activation_fn,
                      dropout=dropout, gradient_clip_norm=gradient_clip_norm)
        super().__init__(_classifier_model_fn, params, model_dir, config)

    def predict(self, x=None, input_fn=None, batch_size=None, outputs=None, as_iterable=True):
        """The predicted class ids (``outputs`` given: those prediction keys)."""
        if outputs is not None:
            return self._predict(x, input_fn, batch_size, outputs, as_iterable)
        return self.predict_classes(x, input_fn, batch_size, as_iterable)

    def predict_classes(self, x=None, input_fn=None, batch_size=None, as_iterable=True):
        return self._only("classes", x, input_fn, batch_size, as_iterable)

    def predict_proba(self, x=None, input_fn=None, batch_size=None, as_iterable=True):
        return self._only("probabilities", x, input_fn, batch_size, as_iterable)

    def _only(self, key, x, input_fn, batch_size, as_iterable):
        result = self._predict(x, input_fn, batch_size, [key], as_iterable)
        if as_iterable:
            return (prediction[key] for prediction in result)
        return result[key]


class DNNRegressor(_ContribEstimator):
    """``tf.contrib.learn.DNNRegressor(hidden_units, feature_columns, model_dir=None,
    weight_column_name=None, optimizer=None, activation_fn=tf.nn.relu, dropout=None,
    gradient_clip_norm=None, enable_centered_bias=False, config=None, label_dimension=1)``;
    ``predict`` gives the scores."""

    def __init__(self, hidden_units, feature_columns, model_dir=None, weight_column_name=None,
                 optimizer=None, activation_fn=nn_ops.relu, dropout=None,
                 gradient_clip_norm=None, enable_centered_bias=False, config=None,
                 feature_engineering_fn=None, label_dimension=1, embedding_lr_multipliers=None,
                 input_layer_min_slice_size=None):
        _check_unsupported(weight_column_name, enable_centered_bias, feature_engineering_fn,
                           embedding_lr_multipliers, None)
        params = dict(hidden_units=list(hidden_units), feature_columns=list(feature_columns),
                      logits_dimension=label_dimension, optimizer=optimizer or "Adagrad",
                      activation_fn=activation_fn, dropout=dropout,
                      gradient_clip_norm=gradient_clip_norm)
        super().__init__(_regressor_model_fn, params, model_dir, config)

    def predict(self, x=None, input_fn=None, batch_size=None, outputs=None, as_iterable=True):
        result = self._predict(x, input_fn, batch_size, outputs or ["scores"], as_iterable)
        if outputs is not None:
            return result
        if as_iterable:
            return (prediction["scores"] for prediction in result)
        return result["scores"]


def _check_unsupported(weight_column_name, enable_centered_bias, feature_engineering_fn,
                       embedding_lr_multipliers, label_keys):
    if (weight_column_name or enable_centered_bias or feature_engineering_fn
            or embedding_lr_multipliers or label_keys):
        raise ValueError("tfcompat's contrib.learn estimators do not implement "
                         "weight_column_name, enable_centered_bias, feature_engineering_fn, "
                         "embedding_lr_multipliers or label_keys")


class SKCompat:
    """``tf.contrib.learn.SKCompat(estimator)``: scikit-learn style fit/score/predict;
    ``predict`` returns a dict of arrays over all rows (batches of 128 by default)."""

    def __init__(self, estimator):
        self._estimator = estimator

    def fit(self, x, y, batch_size=128, steps=None, max_steps=None, monitors=None):
        self._estimator.fit(x=x, y=y, batch_size=batch_size, steps=steps, max_steps=max_steps,
                            monitors=monitors)
        return self

    def score(self, x, y, batch_size=128, steps=None, metrics=None, name=None):
        return self._estimator.evaluate(x=x, y=y, batch_size=batch_size, steps=steps,
                                        metrics=metrics, name=name)

    def predict(self, x, batch_size=128, outputs=None):
        return self._estimator._predict(x, None, batch_size, outputs, as_iterable=False)
