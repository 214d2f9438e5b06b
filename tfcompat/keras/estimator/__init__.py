"""``tf.keras.estimator.model_to_estimator``: a compiled Keras model as a tf.estimator.

The Estimator's model_fn rebuilds the model from its config in the Estimator's graph (new
layers with the same variable names), calls it on the features (a dict by input layer name,
or one tensor), fixes the Keras learning phase to the mode (dropout and batch statistics in
TRAIN only) and returns: PREDICT, the outputs by output layer name; TRAIN/EVAL, the compiled
loss (per-output losses times loss weights, plus regularization), a training op of a fresh
optimizer of the same class and settings (advancing the global step, running the layers'
updates), and ``tf.metrics.mean`` of each compiled metric under its Keras name. Training
starts from the Keras model's current weights (loaded by the Scaffold's init_fn when the
model_dir has no checkpoint yet).
"""
from tfcompat.estimator import Estimator, EstimatorSpec, ModeKeys
from tfcompat.framework import ops
from tfcompat.keras import backend, losses, metrics as metrics_lib, models
from tfcompat.ops import array_ops, control_flow_ops, math_ops, state_ops
from tfcompat.train import monitored_session, training_util


def _by_name(values, names, what):
    if isinstance(values, dict):
        missing = [name for name in names if name not in values]
        if missing:
            raise KeyError(f"The {what} dict lacks the model's \"{missing[0]}\"")
        return [values[name] for name in names]
    return [values] if len(names) == 1 else list(values)


class _KerasModelFn:
    """The model_fn of a compiled Keras model (see the module doc)."""

    def __init__(self, keras_model, custom_objects):
        self.config = {"class_name": type(keras_model).__name__,
                       "config": keras_model.get_config()}
        self.custom_objects = custom_objects
        self.weights = keras_model.get_weights()
        self.loss_functions = keras_model.loss_functions
        self.loss_weights = keras_model._compile_arguments["loss_weights"]
        self.metrics = keras_model._compile_arguments["metrics"]
        self.optimizer = (type(keras_model.optimizer), keras_model.optimizer.get_config())

    def __call__(self, features, labels, mode):
        backend.set_learning_phase(1 if mode == ModeKeys.TRAIN else 0)
        model = models.model_from_config(self.config, self.custom_objects)
        inputs = _by_name(features, model.input_names, "features")
        outputs = model(inputs[0] if len(inputs) == 1 else inputs)
        outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
        predictions = dict(zip(model.output_names, outputs, strict=True))
        if mode == ModeKeys.PREDICT:
            return EstimatorSpec(mode, predictions=predictions)
        targets = _by_name(labels, model.output_names, "labels")
        loss, metric_ops = self._loss_and_metrics(model, outputs, targets)
        train_op = None
        if mode == ModeKeys.TRAIN:
            optimizer_class, settings = self.optimizer
            global_step = training_util.get_or_create_global_step()
            with ops.name_scope("training"):
                minimize = optimizer_class.from_config(settings).minimize(
                    loss, var_list=model.trainable_weights)
                with ops.control_dependencies([minimize]):
                    train_op = control_flow_ops.group(
                        state_ops.assign_add(global_step, 1), *model.updates)
        scaffold = self._warm_start(model) if mode == ModeKeys.TRAIN else None
        return EstimatorSpec(mode, predictions=predictions, loss=loss, train_op=train_op,
                             eval_metric_ops=metric_ops, scaffold=scaffold)

    def _warm_start(self, model):
        """A Scaffold whose init_fn loads the Keras model's weights (through assign ops
        built now: the graph is finalized when init_fn runs)."""
        holders = [array_ops.placeholder(w.dtype.base_dtype, w.shape) for w in model.weights]
        with ops.name_scope("keras_warm_start"):
            load = control_flow_ops.group(*[state_ops.assign(w, h) for w, h in
                                            zip(model.weights, holders, strict=True)])
        feed = dict(zip(holders, self.weights, strict=True))
        return monitored_session.Scaffold(init_fn=lambda scaffold, session:
                                          session.run(load, feed))

    def _loss_and_metrics(self, model, outputs, targets):
        from tfcompat import metrics as tf_metrics
        total, metric_ops = None, {}
        several = len(outputs) > 1
        for index, (name, output, target) in enumerate(zip(model.output_names, outputs,
                                                           targets, strict=True)):
            loss_fn = self.loss_functions[index]
            if loss_fn is not None:
                target = math_ops.cast(target, output.dtype)
                if target.shape.ndims == output.shape.ndims - 1:
                    target = target[..., None]
                with ops.name_scope(f"loss/{name}_loss"):
                    term = math_ops.reduce_mean(losses.per_example(loss_fn, target, output))
                weighted = term * self.loss_weights[index]
                total = weighted if total is None else total + weighted
            for metric in _metrics_for(self.metrics, name, index):
                metric_name, fn = _metric(metric, loss_fn, output)
                key = f"{name}_{metric_name}" if several else metric_name
                metric_ops[key] = tf_metrics.mean(fn(target, output), name=key)
        if model.losses:
            total = total + math_ops.add_n(model.losses)
        return total, metric_ops


def _metrics_for(metrics, name, index):
    if isinstance(metrics, dict):
        chosen = metrics.get(name, [])
        return chosen if isinstance(chosen, (list, tuple)) else [chosen]
    return list(metrics or [])


def _metric(metric, loss_fn, output):
    if isinstance(metric, metrics_lib.MeanMetricWrapper):
        return metric.name, metric.fn
    if isinstance(metric, metrics_lib.Metric):
        raise ValueError(f"model_to_estimator takes mean metrics only, got {metric.name}")
    if metric in ("accuracy", "acc"):
        return "acc", metrics_lib.accuracy_for(loss_fn, output)
    fn = metrics_lib.get(metric)
    return fn.__name__, fn


def model_to_estimator(keras_model=None, keras_model_path=None, custom_objects=None,
                       model_dir=None, config=None, checkpoint_format=None):
    """An Estimator training, evaluating and predicting with ``keras_model`` (compiled)."""
    if keras_model_path is not None:
        from tfcompat.keras.engine import saving
        saving.require_h5py("model_to_estimator(keras_model_path=...)")
    if keras_model is None:
        raise ValueError("Either `keras_model` or `keras_model_path` needs to be provided.")
    if not getattr(keras_model, "_compiled", False):
        raise ValueError("The given keras model has not been compiled yet. Please compile the "
                         "model with `model.compile()` before calling `model_to_estimator()`.")
    return Estimator(_KerasModelFn(keras_model, custom_objects), model_dir=model_dir,
                     config=config)


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.keras.estimator' has no attribute '{name}': "
                         f"tfcompat does not implement tf.keras.estimator.{name} yet")
