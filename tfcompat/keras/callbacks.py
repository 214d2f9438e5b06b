"""``tf.keras.callbacks``: the Callback interface and History (what ``fit`` returns)."""


class Callback:
    """Hooks into ``Model.fit``; every method does nothing by default."""

    def __init__(self):
        self.model = None
        self.params = {}

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


class History(Callback):
    """Records each epoch's logs: ``history.history["loss"]``, ``["acc"]`` ..."""

    def on_train_begin(self, logs=None):
        self.epoch = []
        self.history = {}

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.keras.callbacks' has no attribute '{name}': "
                         f"tfcompat does not implement tf.keras.callbacks.{name} yet")
