"""``tf.keras.Model``: compile, fit, evaluate, predict, the *_on_batch methods and weight
checkpoints, in graph mode (TF 1.15 Keras without eager execution).

``compile`` adds, per output, the placeholders "<output layer>_target" and
"<output layer>_sample_weights", the loss under "loss/<output layer>_loss" (the per-example
loss weighted by the sample weights and the output's mask, summed and divided by the number
of examples), the total loss (loss weights, plus the layers' regularization losses) and the
optimizer's update op grouped with the layers' updates (BatchNormalization's moving
averages). Metric names are Keras' ("loss", "acc", "mean_absolute_error"; "<output>_loss",
"<output>_acc" for several outputs). ``fit`` runs the update batch by batch in the Keras
session with the learning phase fed True, reshuffling each epoch with NumPy's global
generator; per-epoch logs are the sample-weighted means of the batch values, the validation
ones come from ``evaluate``.
"""
import inspect

import numpy as np

from tfcompat.framework import dtypes, ops
from tfcompat.framework import errors
from tfcompat.keras import backend, callbacks as callbacks_lib, losses, metrics as metrics_lib
from tfcompat.keras import optimizers
from tfcompat.keras.engine import network
from tfcompat.ops import array_ops, control_flow_ops, math_ops


def _per_output(value, names, what):
    """A compile argument as one entry per output: the same for all, a list, or a dict by
    output layer name (missing names get None)."""
    if isinstance(value, dict):
        unknown = [key for key in value if key not in names]
        if unknown:
            raise ValueError(f"Unknown entry in {what} dictionary: \"{unknown[0]}\". Only "
                             f"expected the following keys: {names}")
        return [value.get(name) for name in names]
    if isinstance(value, (list, tuple)):
        if len(value) != len(names):
            raise ValueError(f"When passing a list as {what}, it should have one entry per "
                             f"model output. The model has {len(names)} outputs, but you "
                             f"passed {what}={value}")
        return list(value)
    return [value] * len(names)


def _metric_name_and_fn(metric, loss_fn, output):
    if metric in ("accuracy", "acc"):
        return "acc", metrics_lib.accuracy_for(loss_fn, output)
    fn = metrics_lib.get(metric)
    return fn.__name__, fn


def _batches(count, batch_size):
    return [(start, min(start + batch_size, count)) for start in range(0, count, batch_size)]


class Model(network.Network):
    """``tf.keras.Model(inputs, outputs, name=None)``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._compiled = False
        self._pending_compile = None
        self.history = None
        self.stop_training = False
        self.optimizer = None

    # ---- deferred build (Sequential without input shape, subclassed models) -------------
    def _deferred(self):
        """True while the model waits for data to know its inputs (subclassed models)."""
        return not self.outputs and self._is_subclassed()

    def _build_from_data(self, arrays):
        """Subclassed models: Inputs shaped like the data ("input_1" ...), then ``call``;
        the outputs are named "output_1" ...."""
        from tfcompat.keras.engine.input_layer import Input
        inputs = [Input(batch_shape=(None,) + a.shape[1:],
                        dtype="float32" if a.dtype.kind == "f" else a.dtype.name)
                  for a in arrays]
        outputs = self(inputs[0] if len(inputs) == 1 else inputs)
        self.inputs = inputs
        self.outputs = list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]
        self._output_names = [f"output_{i + 1}" for i in range(len(self.outputs))]

    # ---- compile ---------------------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, metrics=None, loss_weights=None,
                sample_weight_mode=None, weighted_metrics=None, target_tensors=None, **kwargs):
        """Builds targets, losses, metrics and the training op (see the module doc)."""
        if kwargs:
            raise TypeError(f"Invalid keyword argument(s) in `compile`: {sorted(kwargs)}")
        if self._deferred():  # compiled once the first fit/evaluate builds the model
            self._pending_compile = dict(optimizer=optimizer, loss=loss, metrics=metrics,
                                         loss_weights=loss_weights,
                                         target_tensors=target_tensors)
            return
        if not self.outputs:
            raise ValueError("This model has not yet been built: give it inputs (an "
                             "`input_shape` on its first layer) before compile().")
        if loss is None:
            raise ValueError("The model cannot be compiled because it has no loss to "
                             "optimize.")
        names = self.output_names
        self.loss = loss
        self.loss_functions = [None if fn is None else losses.get(fn)
                               for fn in _per_output(loss, names, "loss")]
        weights = _per_output(1.0 if loss_weights is None else loss_weights, names,
                              "loss_weights")
        self._build_targets(target_tensors)
        self._build_losses(weights)
        self._build_metrics(metrics, names)
        self._compile_arguments = {"metrics": metrics, "loss_weights": weights}
        self.optimizer = optimizers.get(optimizer)
        with ops.name_scope("training"):
            minimize = self.optimizer.minimize(self.total_loss, var_list=self.trainable_weights)
            self.train_op = control_flow_ops.group(minimize, *self.updates)
        self._compiled = True

    def _build_targets(self, target_tensors):
        given = _per_output(target_tensors, self.output_names, "target_tensors") \
            if target_tensors is not None else [None] * len(self.outputs)
        self.targets, self.sample_weights = [], []
        with ops.name_scope(""):
            for output, name, target in zip(self.outputs, self.output_names, given,
                                            strict=True):
                if target is None:
                    target = array_ops.placeholder(output.dtype.base_dtype,
                                                   [None] * output.shape.ndims,
                                                   name=f"{name}_target")
                self.targets.append(target)
                self.sample_weights.append(array_ops.placeholder(
                    dtypes.float32, [None], name=f"{name}_sample_weights"))

    def _build_losses(self, weights):
        self._output_losses = []
        total = None
        with ops.name_scope("loss"):
            for output, name, target, sample_weight, loss_fn, weight in zip(
                    self.outputs, self.output_names, self.targets, self.sample_weights,
                    self.loss_functions, weights, strict=True):
                if loss_fn is None:
                    self._output_losses.append(None)
                    continue
                with ops.name_scope(f"{name}_loss"):
                    per_example = losses.per_example(loss_fn, target, output)
                    weighted = per_example * _broadcast_weights(sample_weight, per_example)
                    mask = getattr(output, "_keras_mask", None)
                    if mask is not None:  # masked steps add nothing (still counted, as TF)
                        weighted = weighted * math_ops.cast(mask, weighted.dtype)
                    count = math_ops.cast(array_ops.size(per_example), weighted.dtype)
                    output_loss = math_ops.reduce_sum(weighted) / count
                self._output_losses.append(output_loss)
                term = output_loss if weight == 1.0 else weight * output_loss
                total = term if total is None else total + term
            if total is None:
                raise ValueError("The model cannot be compiled because it has no loss to "
                                 "optimize.")
            regularization = self.losses
            if regularization:
                total = total + math_ops.add_n(regularization)
        self.total_loss = total

    def _build_metrics(self, metrics, names):
        per_output = _per_output(metrics or [], names, "metrics") if isinstance(
            metrics, dict) else [list(metrics or [])] * len(names)
        self.metrics_names, self._metric_tensors = ["loss"], [self.total_loss]
        several = len(names) > 1
        if several:
            for name, output_loss in zip(names, self._output_losses, strict=True):
                if output_loss is not None:
                    self.metrics_names.append(f"{name}_loss")
                    self._metric_tensors.append(output_loss)
        self._stateful_metrics = {}  # index in metrics_names -> Metric object
        with ops.name_scope("metrics"):
            for index, name in enumerate(names):
                for metric in per_output[index] or []:
                    target, output = self.targets[index], self.outputs[index]
                    if isinstance(metric, metrics_lib.Metric):
                        self._stateful_metrics[len(self._metric_tensors)] = metric
                        metric_name, value = metric.name, metric(target, output)
                    else:
                        metric_name, fn = _metric_name_and_fn(
                            metric, self.loss_functions[index], output)
                        value = _masked_mean(fn(target, output),
                                             getattr(output, "_keras_mask", None))
                    self._metric_tensors.append(value)
                    self.metrics_names.append(f"{name}_{metric_name}" if several
                                              else metric_name)

    def _stateful_names(self):
        names = [self.metrics_names[i] for i in self._stateful_metrics]
        return names + ["val_" + name for name in names]

    def reset_metrics(self):
        """Zeroes the stateful metrics (each epoch and evaluation starts from zero)."""
        for metric in self._stateful_metrics.values():
            metric.reset_states()

    def _averages(self, totals, count, last):
        """Per metric: the sample-weighted mean of the batch values, or for a stateful
        metric its last (running) value."""
        return [float(last[i]) if i in self._stateful_metrics else float(total / max(count, 1))
                for i, total in enumerate(totals)]

    # ---- data ------------------------------------------------------------------------------
    def _standardize(self, data, tensors, names, what):
        """x or y (an array, a list, or a dict by layer name) -> one array per tensor (a
        deferred model is built, and compiled, from the first inputs)."""
        if what == "input" and self._deferred():
            arrays = [np.asarray(a) for a in (data if isinstance(data, (list, tuple))
                                              else [data])]
            self._build_from_data(arrays)
            tensors, names = self.inputs, self.input_names
            if self._pending_compile is not None:
                arguments, self._pending_compile = self._pending_compile, None
                self.compile(**arguments)
        if isinstance(data, dict):
            missing = [name for name in names if name not in data]
            if missing:
                raise ValueError(f"No data provided for \"{missing[0]}\". Need data for each "
                                 f"key in: {names}")
            arrays = [data[name] for name in names]
        elif isinstance(data, (list, tuple)) and len(tensors) > 1:
            arrays = list(data)
        else:
            arrays = [data]
        if len(arrays) != len(tensors):
            raise ValueError(f"Error when checking model {what}: the list of Numpy arrays that "
                             f"you are passing to your model is not the size the model "
                             f"expected. Expected to see {len(tensors)} array(s), but instead "
                             f"got the following list of {len(arrays)} arrays")
        arrays = [np.asarray(a) for a in arrays]
        for array, tensor, name in zip(arrays, tensors, names, strict=True):
            _check_shape(array, tensor, name, what)
        return arrays

    def _sample_weights(self, y_arrays, sample_weight, class_weight):
        names = self.output_names
        count = len(y_arrays[0])
        if sample_weight is not None:
            weights = [np.ones(count, np.float32) if w is None else np.asarray(w, np.float32)
                       for w in _per_output(sample_weight, names, "sample_weight")] \
                if isinstance(sample_weight, (list, dict)) else \
                [np.asarray(sample_weight, np.float32)] * len(names)
        else:
            weights = [np.ones(count, np.float32) for _ in names]
        if class_weight is not None:
            per_output = _per_output(class_weight, names, "class_weight") if all(
                name in class_weight for name in names) else [class_weight] * len(names)
            for index, (y, classes) in enumerate(zip(y_arrays, per_output, strict=True)):
                labels = y.argmax(-1) if y.ndim > 1 and y.shape[-1] > 1 else y.reshape(count)
                weights[index] = weights[index] * np.array(
                    [classes.get(int(label), 1.0) for label in labels], np.float32)
        return weights

    def _feed(self, x, y=None, weights=None, rows=None, training=False):
        take = (lambda a: a) if rows is None else (lambda a: a[rows])
        feed = {tensor: take(array) for tensor, array in zip(self.inputs, x, strict=True)}
        if y is not None:
            for target, array in zip(self.targets, y, strict=True):
                array = take(array)
                if array.ndim == target.shape.ndims - 1:
                    array = array[..., None]
                feed[target] = array
            for placeholder, array in zip(self.sample_weights, weights, strict=True):
                feed[placeholder] = take(array)
        if training:
            feed[backend.learning_phase()] = True
        return feed

    def _check_compiled(self):
        if self._pending_compile is not None and self._deferred():
            return
        if not self._compiled:
            raise RuntimeError("You must compile your model before training/testing. Use "
                               "`model.compile(optimizer, loss)`.")

    def _prepare(self, x, y, sample_weight=None, class_weight=None):
        self._check_compiled()
        x = self._standardize(x, self.inputs, self.input_names, "input")
        y = self._standardize(y, self.outputs, self.output_names, "target")
        lengths = {len(a) for a in x + y}
        if len(lengths) != 1:
            raise ValueError(f"Input arrays should have the same number of samples as target "
                             f"arrays. Found {len(x[0])} input samples and {len(y[0])} target "
                             f"samples.")
        return x, y, self._sample_weights(y, sample_weight, class_weight)

    # ---- batches -------------------------------------------------------------------------
    def _array_batches(self, x, y, weights, batch_size, shuffle=False):
        """(inputs, targets, sample weights) slices of NumPy arrays, reshuffled per call."""
        count = len(x[0])
        order = np.random.permutation(count) if shuffle else np.arange(count)
        for start, end in _batches(count, batch_size):
            rows = order[start:end] if shuffle else slice(start, end)
            yield ([a[rows] for a in x], None if y is None else [a[rows] for a in y],
                   None if weights is None else [w[rows] for w in weights])

    def _dataset_batches(self, feeder, steps, with_targets=True):
        """The next ``steps`` elements of a dataset (all of them when None), standardized."""
        for element in feeder.elements(steps):
            if with_targets:
                if not isinstance(element, tuple) or len(element) not in (2, 3):
                    raise ValueError("Please provide model inputs as a dataset of (inputs, "
                                     "targets) or (inputs, targets, sample_weights) tuples.")
                yield self._prepare(*element)
            else:
                inputs = element[0] if isinstance(element, tuple) else element
                yield self._standardize(inputs, self.inputs, self.input_names, "input"), None, \
                    None

    # ---- training --------------------------------------------------------------------------
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose=1, callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_freq=1, max_queue_size=10, workers=1, use_multiprocessing=False,
            **kwargs):
        """Trains for ``epochs - initial_epoch`` passes over NumPy arrays (in batches of
        ``batch_size``, 32 by default) or a tf.data dataset of (inputs, targets) batches
        (``steps_per_epoch`` steps, or until it ends); returns the History."""
        _no_other_arguments(kwargs)
        dataset = _feeder_of(x)
        if dataset is None:
            if steps_per_epoch is not None:
                raise ValueError("tfcompat's keras fit takes `steps_per_epoch` with datasets "
                                 "and generators only (NumPy data is split by batch_size)")
            x, y, weights = self._prepare(x, y, sample_weight, class_weight)
            batch_size = batch_size or 32
            if validation_data is None and validation_split:
                split = int(len(x[0]) * (1.0 - validation_split))
                validation_data = ([a[split:] for a in x], [a[split:] for a in y],
                                   [w[split:] for w in weights])
                x, y, weights = ([a[:split] for a in x], [a[:split] for a in y],
                                 [w[:split] for w in weights])
        else:
            self._check_compiled()
        validation = self._validation_source(validation_data, validation_steps)
        count = None if dataset else len(x[0])
        if verbose and dataset is None:
            validated = f", validate on {len(validation[0][0])} samples" if validation else ""
            print(f"Train on {count} samples{validated}")
        elif verbose and steps_per_epoch is not None and isinstance(dataset, _DatasetFeeder):
            print(f"Train on {steps_per_epoch} steps")
        callback_list = self._fit_callbacks(callbacks, verbose, dataset, validation, {
            "batch_size": batch_size, "epochs": epochs, "steps": steps_per_epoch,
            "samples": count, "verbose": verbose})
        self.stop_training = False
        callback_list.on_train_begin()
        if dataset is not None:
            dataset.start()
        for epoch in range(initial_epoch, epochs):
            callback_list.on_epoch_begin(epoch)
            if dataset is None:
                batches = self._array_batches(x, y, weights, batch_size, shuffle)
            else:
                if steps_per_epoch is None and epoch > initial_epoch:
                    dataset.start()
                batches = self._dataset_batches(dataset, steps_per_epoch)
            logs = self._train_epoch(batches, callback_list)
            if validation and _validates(epoch, validation_freq):
                values = self._evaluate_batches(self._validation_batches(validation,
                                                                         batch_size))
                logs.update(("val_" + name, value)
                            for name, value in zip(self.metrics_names, values, strict=True))
            callback_list.on_epoch_end(epoch, logs)
            if self.stop_training:
                break
        callback_list.on_train_end()
        return self.history

    def _validation_source(self, validation_data, validation_steps):
        """Validation arrays (inputs, targets, weights), or (feeder, steps) for a dataset."""
        if validation_data is None or (isinstance(validation_data, tuple)
                                       and len(validation_data) == 3
                                       and isinstance(validation_data[0], list)):
            return validation_data
        feeder = _feeder_of(validation_data)
        if feeder is not None:
            return (feeder, validation_steps)
        val_w = validation_data[2] if len(validation_data) > 2 else None
        return self._prepare(validation_data[0], validation_data[1], val_w)

    def _validation_batches(self, validation, batch_size):
        if isinstance(validation[0], (_DatasetFeeder, _GeneratorFeeder)):
            feeder, steps = validation
            feeder.start()
            return self._dataset_batches(feeder, steps)
        return self._array_batches(*validation, batch_size or 32)

    def _fit_callbacks(self, callbacks, verbose, dataset, validation, params):
        self.history = callbacks_lib.History()
        count_mode = "steps" if dataset is not None else "samples"
        callback_list = callbacks_lib.CallbackList(
            list(callbacks or []) + [self.history]
            + ([callbacks_lib.ProgbarLogger(count_mode, self._stateful_names())] if verbose
               else []))
        callback_list.set_model(self)
        params["do_validation"] = bool(validation)
        params["metrics"] = self.metrics_names + (
            ["val_" + name for name in self.metrics_names] if validation else [])
        callback_list.set_params(params)
        return callback_list

    def _train_epoch(self, batches, callback_list):
        """One pass of training steps; the epoch's sample-weighted mean loss and metrics."""
        session = backend.get_session()
        fetches = [self.train_op] + self._metric_tensors
        totals, count = np.zeros(len(self._metric_tensors)), 0
        values = totals
        self.reset_metrics()
        for batch, (x, y, weights) in enumerate(batches):
            size = len(x[0])
            callback_list.on_batch_begin(batch, {"batch": batch, "size": size})
            values = session.run(fetches, self._feed(x, y, weights, training=True))[1:]
            totals += np.array(values, np.float64) * size
            count += size
            logs = {"batch": batch, "size": size}
            logs.update(zip(self.metrics_names, [float(v) for v in values], strict=True))
            callback_list.on_batch_end(batch, logs)
            if self.stop_training:
                break
        return dict(zip(self.metrics_names, self._averages(totals, count, values), strict=True))

    def _evaluate_batches(self, batches, progbar=None, use_steps=False):
        session = backend.get_session()
        totals, count = np.zeros(len(self._metric_tensors)), 0
        values = totals
        self.reset_metrics()
        for step, (x, y, weights) in enumerate(batches):
            values = session.run(self._metric_tensors, self._feed(x, y, weights))
            totals += np.array(values, np.float64) * len(x[0])
            count += len(x[0])
            if progbar is not None:
                progbar.update(step + 1 if use_steps else count,
                               list(zip(self.metrics_names, values, strict=True)))
        if progbar is not None and progbar.target is None:  # a dataset read to its end
            progbar.target = progbar._seen_so_far
            progbar.update(progbar.target)
        return self._averages(totals, count, values)

    def evaluate(self, x=None, y=None, batch_size=None, verbose=1, sample_weight=None,
                 steps=None, callbacks=None, max_queue_size=10, workers=1,
                 use_multiprocessing=False, **kwargs):
        """The loss (and metrics) averaged over the samples: a scalar or a list."""
        from tfcompat.keras.utils.generic_utils import Progbar
        _no_other_arguments(kwargs)
        dataset = _feeder_of(x)
        if dataset is None:
            x, y, weights = self._prepare(x, y, sample_weight)
            batches = self._array_batches(x, y, weights, batch_size or 32)
            target, unit = len(x[0]), "sample"
        else:
            self._check_compiled()
            dataset.start()
            batches = self._dataset_batches(dataset, steps)
            target, unit = steps, "step"
        progbar = Progbar(target, verbose=verbose, unit_name=unit,
                          stateful_metrics=self._stateful_names()) if verbose else None
        values = self._evaluate_batches(batches, progbar, use_steps=dataset is not None)
        return values[0] if len(values) == 1 else values

    def predict(self, x, batch_size=None, verbose=0, steps=None, callbacks=None,
                max_queue_size=10, workers=1, use_multiprocessing=False, **kwargs):
        """The outputs for every sample (one array, or a list for several outputs)."""
        _no_other_arguments(kwargs)
        dataset = _feeder_of(x)
        if dataset is None:
            x = self._standardize(x, self.inputs, self.input_names, "input")
            batches = self._array_batches(x, None, None, batch_size or 32)
        else:
            dataset.start()
            batches = self._dataset_batches(dataset, steps, with_targets=False)
        session = backend.get_session()
        parts = [session.run(self.outputs, self._feed(inputs)) for inputs, _, _ in batches]
        outputs = [np.concatenate([part[i] for part in parts]) for i in range(len(self.outputs))]
        return outputs[0] if len(outputs) == 1 else outputs

    def fit_generator(self, generator, steps_per_epoch=None, epochs=1, verbose=1,
                      callbacks=None, validation_data=None, validation_steps=None,
                      class_weight=None, max_queue_size=10, workers=1,
                      use_multiprocessing=False, shuffle=True, initial_epoch=0):
        """``fit`` on a Python generator or ``keras.utils.Sequence`` of (inputs, targets)
        batches (read in this thread; ``workers`` and the queue are not used)."""
        return self.fit(generator, steps_per_epoch=steps_per_epoch, epochs=epochs,
                        verbose=verbose, callbacks=callbacks, validation_data=validation_data,
                        validation_steps=validation_steps, initial_epoch=initial_epoch)

    def evaluate_generator(self, generator, steps=None, callbacks=None, max_queue_size=10,
                           workers=1, use_multiprocessing=False, verbose=0):
        return self.evaluate(generator, steps=steps, verbose=verbose)

    def predict_generator(self, generator, steps=None, callbacks=None, max_queue_size=10,
                          workers=1, use_multiprocessing=False, verbose=0):
        return self.predict(generator, steps=steps, verbose=verbose)

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None,
                       reset_metrics=True):
        """One update on one batch; the batch's loss (and metrics)."""
        x, y, weights = self._prepare(x, y, sample_weight, class_weight)
        if reset_metrics:
            self.reset_metrics()
        values = backend.get_session().run([self.train_op] + self._metric_tensors,
                                           self._feed(x, y, weights, training=True))[1:]
        return values[0] if len(values) == 1 else values

    def test_on_batch(self, x, y=None, sample_weight=None, reset_metrics=True):
        """The loss (and metrics) of one batch, without updating."""
        x, y, weights = self._prepare(x, y, sample_weight)
        if reset_metrics:
            self.reset_metrics()
        values = backend.get_session().run(self._metric_tensors, self._feed(x, y, weights))
        return values[0] if len(values) == 1 else values

    def predict_on_batch(self, x):
        """The outputs for one batch."""
        x = self._standardize(x, self.inputs, self.input_names, "input")
        outputs = backend.get_session().run(self.outputs, self._feed(x))
        return outputs[0] if len(outputs) == 1 else outputs

    # ---- saving ----------------------------------------------------------------------------
    def save_weights(self, filepath, overwrite=True, save_format=None):
        """Writes the weights as a TF checkpoint (``filepath.index``/``.data-*`` and a
        "checkpoint" state file) under Keras' object-based keys
        ("layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE"); HDF5 needs h5py."""
        from tfcompat.keras.engine import saving
        saving.save_weights(self, filepath, save_format)

    def load_weights(self, filepath, by_name=False):
        """Restores weights written by ``save_weights`` (or by TF's Keras in TF format)."""
        from tfcompat.keras.engine import saving
        saving.load_weights(self, filepath, by_name)

    def save(self, filepath, overwrite=True, include_optimizer=True, save_format=None):
        """HDF5 model files need h5py, which tfcompat does not depend on."""
        from tfcompat.keras.engine import saving
        saving.require_h5py("save")


class _DatasetFeeder:
    """A tf.data dataset read batch by batch in the Keras session (an initializable
    iterator, restarted by ``start``); its elements are fed to the model's placeholders."""

    def __init__(self, dataset):
        self.iterator = dataset.make_initializable_iterator()
        self.next_element = self.iterator.get_next()

    @classmethod
    def of(cls, data):
        """A feeder for a dataset, None for anything else (NumPy data)."""
        if hasattr(data, "make_initializable_iterator"):
            return cls(data)
        return None

    def start(self):
        backend.get_session().run(self.iterator.initializer)

    def elements(self, steps):
        session = backend.get_session()
        step = 0
        while steps is None or step < steps:
            try:
                yield session.run(self.next_element)
            except errors.OutOfRangeError:
                if steps is not None:
                    print(f"Your dataset ran out of data; interrupting training. Make sure "
                          f"that your dataset can generate at least `steps_per_epoch * "
                          f"epochs` batches (in this case, {steps} batches).")
                return
            step += 1


class _GeneratorFeeder:
    """Batches from a Python generator (``steps`` required) or a ``keras.utils.Sequence``
    (``steps`` defaults to its length; ``on_epoch_end`` after each pass)."""

    def __init__(self, source):
        self.source = source
        self.is_sequence = hasattr(source, "__getitem__") and hasattr(source, "__len__")
        self.index = 0

    def start(self):
        if self.is_sequence and self.index:
            self.source.on_epoch_end()
        self.index = 0

    def elements(self, steps):
        if steps is None:
            if not self.is_sequence:
                raise ValueError("`steps=None` is only valid for a generator based on the "
                                 "`keras.utils.Sequence` class. Please specify `steps` or "
                                 "use the `keras.utils.Sequence` class.")
            steps = len(self.source)
        for _ in range(steps):
            if self.is_sequence:
                element = self.source[self.index % len(self.source)]
            else:
                element = next(self.source)
            self.index += 1
            yield element


def _feeder_of(data):
    """A feeder for a tf.data dataset, a generator or a Sequence; None for NumPy data."""
    feeder = _DatasetFeeder.of(data)
    if feeder is not None:
        return feeder
    if inspect.isgenerator(data) or (hasattr(data, "__getitem__") and hasattr(data, "__len__")
                                     and hasattr(data, "on_epoch_end")):
        return _GeneratorFeeder(data)
    return None


def _masked_mean(values, mask):
    """The mean of a metric's values; over the unmasked steps when the output has a mask
    (Keras weights metrics by the mask)."""
    if mask is None or values.shape.ndims != mask.shape.ndims:
        return math_ops.reduce_mean(values)
    mask = math_ops.cast(mask, values.dtype)
    return math_ops.reduce_sum(values * mask) / math_ops.maximum(math_ops.reduce_sum(mask),
                                                                  1e-7)


def _no_other_arguments(kwargs):
    if kwargs:
        raise TypeError(f"Unrecognized keyword arguments: {kwargs}")


def _validates(epoch, validation_freq):
    """Keras' ``validation_freq``: every n-th epoch (an int) or the listed 1-based epochs."""
    if isinstance(validation_freq, int):
        return (epoch + 1) % validation_freq == 0
    return epoch + 1 in validation_freq


def _broadcast_weights(sample_weight, per_example):
    """Sample weights [batch] expanded to the per-example loss' rank."""
    weights = math_ops.cast(sample_weight, per_example.dtype)
    for _ in range(max(per_example.shape.ndims - 1, 0)):
        weights = array_ops.expand_dims(weights, -1)
    return weights


def _check_shape(array, tensor, name, what):
    """Keras' "expected <name> to have shape ..." check of the fixed dimensions."""
    expected = tensor.shape.as_list()
    if what == "target":
        return
    if array.ndim != len(expected):
        raise ValueError(f"Error when checking {what}: expected {name} to have {len(expected)} "
                         f"dimensions, but got array with shape {array.shape}")
    for want, got in zip(expected[1:], array.shape[1:], strict=True):
        if want is not None and want != got:
            raise ValueError(f"Error when checking {what}: expected {name} to have shape "
                             f"{tuple(expected[1:])} but got array with shape "
                             f"{array.shape[1:]}")
