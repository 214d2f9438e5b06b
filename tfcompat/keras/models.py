"""``tf.keras.models.Sequential`` and ``Model`` in graph mode (TF 1.x Keras without eager
execution).

Layers are stacked on an input placeholder ``<first layer>_input`` of the first layer's
``input_shape``; ``compile`` adds the ``<last layer>_target`` placeholder, the loss (mean
over the batch of the per-example loss) and the metrics ("accuracy"/"acc" becomes binary,
sparse categorical or categorical accuracy after the loss and output width, as in Keras);
``fit`` runs the optimizer's update op batch by batch in the Keras session
(``tf.keras.backend.get_session()``), feeding the learning phase as True, reshuffling each
epoch with NumPy's global generator, and returns a History whose keys are TF 1.x's ("loss",
"acc", "val_loss", "val_acc"). ``evaluate`` returns the loss (and metrics) averaged over
examples; ``predict`` the outputs for all rows.
"""
import time

import numpy as np

from tfcompat.framework import dtypes, ops
from tfcompat.keras import backend, callbacks as callbacks_lib, losses, optimizers
from tfcompat.ops import array_ops, math_ops


def _sparse_categorical_accuracy(y_true, y_pred):
    labels = array_ops.reshape(math_ops.cast(y_true, dtypes.int64), [-1])
    return math_ops.cast(math_ops.equal(labels, math_ops.argmax(y_pred, -1)), dtypes.float32)


def _categorical_accuracy(y_true, y_pred):
    return math_ops.cast(math_ops.equal(math_ops.argmax(y_true, -1),
                                        math_ops.argmax(y_pred, -1)), dtypes.float32)


def _binary_accuracy(y_true, y_pred):
    y_true = math_ops.cast(y_true, y_pred.dtype)
    matches = math_ops.cast(math_ops.equal(y_true, math_ops.round(y_pred)), dtypes.float32)
    return math_ops.reduce_mean(matches, -1)


def _accuracy_for(loss_fn, output):
    if loss_fn is losses.binary_crossentropy or output.shape[-1].value == 1:
        return _binary_accuracy
    if loss_fn is losses.sparse_categorical_crossentropy:
        return _sparse_categorical_accuracy
    return _categorical_accuracy


def _ancestor_ops(outputs, inputs):
    """The ops computing ``outputs`` from ``inputs`` (the walk stops at the inputs)."""
    stop = {tensor.op for tensor in inputs}
    seen, pending = set(), [outputs.op]
    while pending:
        op = pending.pop()
        if op in seen:
            continue
        seen.add(op)
        if op not in stop:
            pending.extend(tensor.op for tensor in op.inputs)
    return seen


class Model:
    """``tf.keras.Model(inputs, outputs, name=None)`` (one input and one output tensor, built
    with ``tf.keras.Input`` and tf.keras layers), and the base of Sequential: compile, fit,
    evaluate, predict."""

    def __init__(self, inputs=None, outputs=None, name=None):
        self.name = name or "model"
        self.layers = []
        self._layer_outputs = {}
        self.inputs = self.outputs = None
        self._compiled = False
        self.history = None
        if inputs is None and outputs is None:
            return
        if isinstance(inputs, (list, tuple)) or isinstance(outputs, (list, tuple)):
            if len(inputs) != 1 or len(outputs) != 1:
                raise ValueError("tfcompat's keras Model takes one input and one output")
            inputs, outputs = inputs[0], outputs[0]
        self.inputs, self.outputs = inputs, outputs
        from tfcompat.keras import layers as keras_layers
        used = _ancestor_ops(outputs, [inputs])
        if inputs.op not in used:
            raise ValueError(f"Graph disconnected: cannot obtain value for tensor {inputs} "
                             f"at layer \"{outputs.op.name}\".")
        for layer, output in keras_layers._CALLS.get(outputs.graph, []):
            if output.op in used and layer not in self._layer_outputs:
                self.layers.append(layer)
                self._layer_outputs[layer] = output

    @property
    def weights(self):
        return [w for layer in self.layers for w in layer.weights]

    @property
    def trainable_weights(self):
        return [w for layer in self.layers for w in layer.trainable_weights]

    def get_weights(self):
        return backend.get_session().run(self.weights)

    def set_weights(self, values):
        session = backend.get_session()
        for weight, value in zip(self.weights, values, strict=True):
            weight.load(value, session)

    def summary(self, print_fn=print):
        """Prints each layer's name, output shape and parameter count, as Keras does."""
        print_fn(f'Model: "{self.name}"')
        print_fn("_" * 65)
        print_fn(f"{'Layer (type)':<29}{'Output Shape':<26}Param #")
        print_fn("=" * 65)
        total = 0
        for layer in self.layers:
            count = int(sum(np.prod(w.shape.as_list()) for w in layer.weights))
            total += count
            shape = tuple(self._layer_outputs[layer].shape.as_list())
            print_fn(f"{layer.name + ' (' + type(layer).__name__ + ')':<29}{str(shape):<26}"
                     f"{count}")
        print_fn("=" * 65)
        print_fn(f"Total params: {total:,}")

    def _output_name(self):
        """The name of the layer giving the output (Keras names the target after it)."""
        for layer, output in self._layer_outputs.items():
            if output is self.outputs:
                return layer.name
        return self.outputs.op.name.split("/")[0]

    # ---- compile ---------------------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, metrics=None, loss_weights=None,
                sample_weight_mode=None, weighted_metrics=None, target_tensors=None, **kwargs):
        """Builds the loss, the metrics and the optimizer's update op."""
        if self.outputs is None:
            raise ValueError("This model has no layers yet: add layers before compile().")
        if loss is None:
            raise ValueError("tfcompat's keras Model.compile needs a loss")
        loss_fn = losses.get(loss)
        with ops.name_scope(""):
            if loss_fn is losses.sparse_categorical_crossentropy:
                target_shape = [None, 1]
            else:
                target_shape = [None] * self.outputs.shape.ndims
            self.targets = array_ops.placeholder(dtypes.float32, target_shape,
                                                 name=f"{self._output_name()}_target")
        with ops.name_scope("loss"):
            per_example = loss_fn(self.targets, self.outputs)
            self.total_loss = math_ops.reduce_mean(per_example, name="loss")
        self.metrics_names = ["loss"]
        self._metric_tensors = [self.total_loss]
        for metric in metrics or ():
            if metric in ("accuracy", "acc"):
                name, fn = "acc", _accuracy_for(loss_fn, self.outputs)
            elif callable(metric):
                name, fn = metric.__name__, metric
            else:
                raise ValueError(f"Unknown metric function: {metric}")
            with ops.name_scope("metrics"):
                self._metric_tensors.append(math_ops.reduce_mean(fn(self.targets,
                                                                    self.outputs)))
            self.metrics_names.append(name)
        self.optimizer = optimizers.get(optimizer)
        with ops.name_scope("training"):
            self.train_op = self.optimizer.minimize(self.total_loss,
                                                    var_list=self.trainable_weights)
        self._compiled = True

    # ---- running ---------------------------------------------------------------------------
    def _feed(self, x, y=None, training=False):
        feed = {self.inputs: x, backend.learning_phase(): training}
        if y is not None:
            feed[self.targets] = np.asarray(y).reshape((len(y),) + tuple(
                d if d is not None else -1 for d in self.targets.shape.as_list()[1:]))
        return feed

    def _check_compiled(self):
        if not self._compiled:
            raise RuntimeError("You must compile your model before using it.")

    def _averages(self, x, y, batch_size):
        session = backend.get_session()
        totals = np.zeros(len(self._metric_tensors))
        for start in range(0, len(x), batch_size):
            xb, yb = x[start:start + batch_size], y[start:start + batch_size]
            totals += np.array(session.run(self._metric_tensors, self._feed(xb, yb))) * len(xb)
        return list(totals / len(x))

    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose=1, callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, initial_epoch=0,
            **kwargs):
        """Trains for ``epochs`` passes over x, y in batches (32 by default)."""
        self._check_compiled()
        x, y = np.asarray(x), np.asarray(y)
        batch_size = batch_size or 32
        if validation_data is None and validation_split:
            split = int(len(x) * (1.0 - validation_split))
            x, y, validation_data = x[:split], y[:split], (x[split:], y[split:])
        history = callbacks_lib.History()
        all_callbacks = list(callbacks or []) + [history]
        for callback in all_callbacks:
            callback.set_model(self)
            callback.set_params({"epochs": epochs, "samples": len(x), "verbose": verbose,
                                 "batch_size": batch_size})
            callback.on_train_begin()
        for epoch in range(initial_epoch, epochs):
            started = time.time()
            for callback in all_callbacks:
                callback.on_epoch_begin(epoch)
            logs = self._train_epoch(x, y, batch_size, shuffle, all_callbacks)
            if validation_data is not None:
                val = self._averages(np.asarray(validation_data[0]),
                                     np.asarray(validation_data[1]), batch_size)
                logs.update(("val_" + k, v) for k, v in zip(self.metrics_names, val,
                                                            strict=True))
            if verbose:
                print(f"Epoch {epoch + 1}/{epochs}")
                print(f"{len(x)}/{len(x)} - {time.time() - started:.0f}s - " + " - ".join(
                    f"{k}: {v:.4f}" for k, v in logs.items()))
            for callback in all_callbacks:
                callback.on_epoch_end(epoch, logs)
        for callback in all_callbacks:
            callback.on_train_end()
        self.history = history
        return history

    def _train_epoch(self, x, y, batch_size, shuffle, all_callbacks):
        """One pass over x, y; the example-weighted mean loss and metrics."""
        session = backend.get_session()
        fetches = [self.train_op] + self._metric_tensors
        order = np.arange(len(x))
        if shuffle:
            np.random.shuffle(order)
        totals = np.zeros(len(self._metric_tensors))
        for batch, start in enumerate(range(0, len(x), batch_size)):
            rows = order[start:start + batch_size]
            for callback in all_callbacks:
                callback.on_batch_begin(batch)
            values = session.run(fetches, self._feed(x[rows], y[rows], training=True))[1:]
            totals += np.array(values) * len(rows)
            for callback in all_callbacks:
                callback.on_batch_end(batch, dict(zip(self.metrics_names, values, strict=True)))
        return dict(zip(self.metrics_names, (totals / len(x)).tolist(), strict=True))

    def evaluate(self, x=None, y=None, batch_size=None, verbose=1, **kwargs):
        """The loss (and metrics) averaged over all examples: a scalar or a list."""
        self._check_compiled()
        values = self._averages(np.asarray(x), np.asarray(y), batch_size or 32)
        return values[0] if len(values) == 1 else values

    def predict(self, x, batch_size=None, verbose=0, **kwargs):
        """The model's outputs for every row of x."""
        x = np.asarray(x)
        batch_size = batch_size or 32
        session = backend.get_session()
        outputs = [session.run(self.outputs, self._feed(x[start:start + batch_size]))
                   for start in range(0, len(x), batch_size)]
        return np.concatenate(outputs)


class Sequential(Model):
    """``tf.keras.models.Sequential(layers=None, name=None)``."""

    def __init__(self, layers=None, name=None):
        super().__init__(name=name or "sequential")
        for layer in layers or ():
            self.add(layer)

    # ---- building --------------------------------------------------------------------------
    def add(self, layer):
        """Appends ``layer``; the first one must know its input shape."""
        if self._compiled:
            raise RuntimeError("tfcompat's Sequential takes no layers after compile()")
        if not self.layers:
            shape = getattr(layer, "_batch_input_shape", None)
            if shape is None:
                raise ValueError("The first layer in a Sequential model must get an "
                                 "`input_shape` or `batch_input_shape` argument (tfcompat "
                                 "builds graph-mode models eagerly).")
            with ops.name_scope(""):
                self.inputs = array_ops.placeholder(dtypes.float32, shape,
                                                    name=f"{layer.name}_input")
            self.outputs = self.inputs
        self.outputs = layer(self.outputs)
        self._layer_outputs[layer] = self.outputs
        self.layers.append(layer)



def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.keras.models' has no attribute '{name}': "
                         f"tfcompat does not implement tf.keras.models.{name} yet")
