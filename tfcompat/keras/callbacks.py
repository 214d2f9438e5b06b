"""``tf.keras.callbacks`` (Keras 2.2.4-tf behaviour): Callback, History, ProgbarLogger,
EarlyStopping, ModelCheckpoint, LambdaCallback, CSVLogger, LearningRateScheduler,
ReduceLROnPlateau, TerminateOnNaN, TensorBoard (scalar summaries per epoch via tf.summary)."""
import collections
import csv
import os

import numpy as np

from tfcompat.keras.utils.generic_utils import Progbar


class Callback:
    """Hooks into ``Model.fit``; every method does nothing by default."""

    def __init__(self):
        self.model = None
        self.params = {}
        self.validation_data = None

    def set_model(self, model):
        self.model = model

    def set_params(self, params):
        self.params = params

    def on_train_begin(self, logs=None):
        """Called before the first epoch."""

    def on_train_end(self, logs=None):
        """Called after the last epoch."""

    def on_epoch_begin(self, epoch, logs=None):
        """Called at the start of each epoch."""

    def on_epoch_end(self, epoch, logs=None):
        """Called with the epoch's mean loss and metrics (and val_ ones)."""

    def on_batch_begin(self, batch, logs=None):
        """Called before each training batch."""

    def on_batch_end(self, batch, logs=None):
        """Called with the batch's loss and metrics."""

    on_train_batch_begin = on_batch_begin
    on_train_batch_end = on_batch_end


class CallbackList:
    """Calls each callback in turn (the order ``fit`` builds: the user's, History, the
    progress bar)."""

    def __init__(self, callbacks):
        self.callbacks = list(callbacks)

    def __getattr__(self, method):
        if not method.startswith(("on_", "set_")):
            raise AttributeError(method)

        def call_all(*args):
            for callback in self.callbacks:
                getattr(callback, method)(*args)
        return call_all


class History(Callback):
    """Records each epoch's logs: ``history.history["loss"]``, ``["acc"]`` ..."""

    def on_train_begin(self, logs=None):
        self.epoch = []
        self.history = {}

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)


class ProgbarLogger(Callback):
    """Prints "Epoch 1/5" and a Progbar over the samples (``fit(verbose=1|2)``)."""

    def __init__(self, count_mode="samples", stateful_metrics=None):
        super().__init__()
        self.use_steps = count_mode == "steps"
        self.stateful_metrics = set(stateful_metrics or ())

    def on_train_begin(self, logs=None):
        self.verbose = self.params["verbose"]
        self.epochs = self.params["epochs"]
        self.target = self.params["steps"] if self.use_steps else self.params["samples"]

    def on_epoch_begin(self, epoch, logs=None):
        self.seen = 0
        if self.verbose:
            print(f"Epoch {epoch + 1}/{self.epochs}")
        self.progbar = Progbar(self.target, verbose=self.verbose,
                               stateful_metrics=self.stateful_metrics,
                               unit_name="step" if self.use_steps else "sample")

    def _values(self, logs):
        return [(name, logs[name]) for name in self.params["metrics"] if name in logs]

    def on_batch_end(self, batch, logs=None):
        logs = logs or {}
        self.seen += 1 if self.use_steps else logs.get("size", 0)
        if self.verbose and (self.target is None or self.seen < self.target):
            self.progbar.update(self.seen, self._values(logs))

    def on_epoch_end(self, epoch, logs=None):
        if self.target is None:  # a dataset read to its end: now the length is known
            self.target = self.progbar.target = self.seen
        if self.verbose:
            self.progbar.update(self.seen, self._values(logs or {}))


class _Monitor(Callback):
    """A watched quantity improving by ``min_delta`` in mode "min", "max" or "auto" ("max"
    for names containing "acc", else "min")."""

    def __init__(self, monitor, min_delta, mode, cls_name):
        super().__init__()
        self.monitor = monitor
        if mode not in ("auto", "min", "max"):
            print(f"{cls_name} mode {mode} is unknown, fallback to auto mode.")
            mode = "auto"
        if mode == "max" or (mode == "auto" and "acc" in monitor):
            self.monitor_op, self.min_delta = np.greater, abs(min_delta)
        else:
            self.monitor_op, self.min_delta = np.less, -abs(min_delta)
        self.best = -np.inf if self.monitor_op is np.greater else np.inf

    def _improved(self, current):
        return self.monitor_op(current - self.min_delta, self.best)

    def _current(self, logs):
        current = (logs or {}).get(self.monitor)
        if current is None:
            print(f"{type(self).__name__} conditioned on metric `{self.monitor}` which is not "
                  f"available. Available metrics are: {','.join(list(logs or {}))}")
        return current


class EarlyStopping(_Monitor):
    """``EarlyStopping(monitor='val_loss', min_delta=0, patience=0, verbose=0, mode='auto',
    baseline=None, restore_best_weights=False)``: stops ``fit`` after ``patience`` epochs
    without improvement ("Epoch 00005: early stopping" when verbose)."""

    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto",
                 baseline=None, restore_best_weights=False):
        super().__init__(monitor, min_delta, mode, "EarlyStopping")
        self.patience, self.verbose, self.baseline = patience, verbose, baseline
        self.restore_best_weights = restore_best_weights

    def on_train_begin(self, logs=None):
        self.wait = 0
        self.stopped_epoch = 0
        self.best_weights = None
        if self.baseline is not None:
            self.best = self.baseline
        else:
            self.best = -np.inf if self.monitor_op is np.greater else np.inf

    def on_epoch_end(self, epoch, logs=None):
        current = self._current(logs)
        if current is None:
            return
        if self._improved(current):
            self.best = current
            self.wait = 0
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            return
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = epoch
            self.model.stop_training = True
            if self.restore_best_weights and self.best_weights is not None:
                if self.verbose > 0:
                    print("Restoring model weights from the end of the best epoch.")
                self.model.set_weights(self.best_weights)

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1:05d}: early stopping")


class ModelCheckpoint(_Monitor):
    """``ModelCheckpoint(filepath, monitor='val_loss', verbose=0, save_best_only=False,
    save_weights_only=False, mode='auto', period=1)``: ``filepath`` is formatted with
    ``epoch`` (1-based) and the logs ("weights.{epoch:02d}-{val_loss:.2f}")."""

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False,
                 save_weights_only=False, mode="auto", period=1, save_freq="epoch"):
        super().__init__(monitor, 0, mode, "ModelCheckpoint")
        self.filepath, self.verbose = filepath, verbose
        self.save_best_only, self.save_weights_only = save_best_only, save_weights_only
        self.period = period
        self.epochs_since_last_save = 0

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        self.epochs_since_last_save += 1
        if self.epochs_since_last_save < self.period:
            return
        self.epochs_since_last_save = 0
        filepath = self.filepath.format(epoch=epoch + 1, **logs)
        if self.save_best_only:
            current = logs.get(self.monitor)
            if current is None:
                print(f"Can save best model only with {self.monitor} available, skipping.")
                return
            if not self._improved(current):
                if self.verbose > 0:
                    print(f"\nEpoch {epoch + 1:05d}: {self.monitor} did not improve from "
                          f"{self.best:0.5f}")
                return
            if self.verbose > 0:
                print(f"\nEpoch {epoch + 1:05d}: {self.monitor} improved from {self.best:0.5f} "
                      f"to {current:0.5f}, saving model to {filepath}")
            self.best = current
        elif self.verbose > 0:
            print(f"\nEpoch {epoch + 1:05d}: saving model to {filepath}")
        if self.save_weights_only:
            self.model.save_weights(filepath, overwrite=True)
        else:
            self.model.save(filepath, overwrite=True)


class LambdaCallback(Callback):
    """``LambdaCallback(on_epoch_begin=None, on_epoch_end=None, on_batch_begin=None,
    on_batch_end=None, on_train_begin=None, on_train_end=None)``: the given functions
    (epoch/batch, logs) or (logs) for train begin/end."""

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_batch_begin=None,
                 on_batch_end=None, on_train_begin=None, on_train_end=None, **kwargs):
        super().__init__()
        self.__dict__.update(kwargs)
        given = {"on_epoch_begin": on_epoch_begin, "on_epoch_end": on_epoch_end,
                 "on_batch_begin": on_batch_begin, "on_batch_end": on_batch_end,
                 "on_train_begin": on_train_begin, "on_train_end": on_train_end}
        for name, function in given.items():
            if function is not None:
                setattr(self, name, function)


class CSVLogger(Callback):
    """``CSVLogger(filename, separator=',', append=False)``: one row per epoch, "epoch"
    first then the sorted log keys."""

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        self.filename, self.sep, self.append = filename, separator, append
        self.keys = None

    def on_train_begin(self, logs=None):
        exists = self.append and os.path.exists(self.filename)
        self.append_header = not exists
        self.csv_file = open(self.filename, "a" if self.append else "w", newline="")
        self.writer = None

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.keys is None:
            self.keys = sorted(logs)
        if self.writer is None:
            self.writer = csv.DictWriter(self.csv_file, fieldnames=["epoch"] + self.keys,
                                         delimiter=self.sep)
            if self.append_header:
                self.writer.writeheader()
        row = collections.OrderedDict({"epoch": epoch})
        row.update((key, logs.get(key, "NA")) for key in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs=None):
        self.csv_file.close()
        self.writer = None


class LearningRateScheduler(Callback):
    """``LearningRateScheduler(schedule, verbose=0)``: sets the optimizer's learning rate to
    ``schedule(epoch)`` (or ``schedule(epoch, lr)``) before each epoch."""

    def __init__(self, schedule, verbose=0):
        super().__init__()
        self.schedule, self.verbose = schedule, verbose

    def on_epoch_begin(self, epoch, logs=None):
        from tfcompat.keras import backend
        optimizer = self.model.optimizer
        if not hasattr(optimizer, "lr"):
            raise ValueError('Optimizer must have a "lr" attribute.')
        try:
            lr = self.schedule(epoch, float(backend.get_value(optimizer.lr)))
        except TypeError:
            lr = self.schedule(epoch)
        if not isinstance(lr, (float, np.floating, int)):
            raise ValueError('The output of the "schedule" function should be float.')
        backend.set_value(optimizer.lr, lr)
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1:05d}: LearningRateScheduler reducing learning rate to "
                  f"{lr}.")

    def on_epoch_end(self, epoch, logs=None):
        from tfcompat.keras import backend
        if logs is not None:
            logs["lr"] = float(backend.get_value(self.model.optimizer.lr))


class ReduceLROnPlateau(_Monitor):
    """``ReduceLROnPlateau(monitor='val_loss', factor=0.1, patience=10, verbose=0,
    mode='auto', min_delta=1e-4, cooldown=0, min_lr=0)``: multiplies the learning rate by
    ``factor`` after ``patience`` epochs without improvement."""

    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto",
                 min_delta=1e-4, cooldown=0, min_lr=0, **kwargs):
        if factor >= 1.0:
            raise ValueError("ReduceLROnPlateau does not support a factor >= 1.0.")
        super().__init__(monitor, min_delta, mode, "ReduceLROnPlateau")
        self.factor, self.patience, self.verbose = factor, patience, verbose
        self.cooldown, self.min_lr = cooldown, min_lr
        self.wait = self.cooldown_counter = 0

    def on_train_begin(self, logs=None):
        self.wait = self.cooldown_counter = 0
        self.best = -np.inf if self.monitor_op is np.greater else np.inf

    def on_epoch_end(self, epoch, logs=None):
        from tfcompat.keras import backend
        logs = logs if logs is not None else {}
        logs["lr"] = float(backend.get_value(self.model.optimizer.lr))
        current = self._current(logs)
        if current is None:
            return
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.wait = 0
        if self._improved(current):
            self.best, self.wait = current, 0
        elif self.cooldown_counter <= 0:
            self.wait += 1
            if self.wait >= self.patience:
                old_lr = logs["lr"]
                if old_lr > self.min_lr:
                    new_lr = max(old_lr * self.factor, self.min_lr)
                    backend.set_value(self.model.optimizer.lr, new_lr)
                    if self.verbose > 0:
                        print(f"\nEpoch {epoch + 1:05d}: ReduceLROnPlateau reducing learning "
                              f"rate to {new_lr}.")
                    self.cooldown_counter, self.wait = self.cooldown, 0


class TerminateOnNaN(Callback):
    """Stops training when a batch loss is NaN or infinite."""

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not np.isfinite(loss):
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True


class TensorBoard(Callback):
    """``TensorBoard(log_dir='./logs', ...)``: writes the graph and each epoch's logs as
    scalar summaries (tags "loss", "acc", "val_loss" ...) to an event file in ``log_dir``."""

    def __init__(self, log_dir="./logs", histogram_freq=0, batch_size=32, write_graph=True,
                 write_grads=False, write_images=False, update_freq="epoch", **kwargs):
        super().__init__()
        self.log_dir, self.write_graph = log_dir, write_graph

    def set_model(self, model):
        from tfcompat.keras import backend
        from tfcompat.summary import writer
        super().set_model(model)
        graph = backend.get_session().graph if self.write_graph else None
        self.writer = writer.FileWriter(self.log_dir, graph)

    def on_epoch_end(self, epoch, logs=None):
        from tfcompat import summary
        for name, value in (logs or {}).items():
            if name in ("batch", "size"):
                continue
            event = summary.Summary(value=[summary.Summary.Value(tag=name,
                                                                 simple_value=float(value))])
            self.writer.add_summary(event, epoch)
        self.writer.flush()

    def on_train_end(self, logs=None):
        self.writer.close()


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.keras.callbacks' has no attribute '{name}': "
                         f"tfcompat does not implement tf.keras.callbacks.{name} yet")
