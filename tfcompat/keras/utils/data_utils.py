"""``keras.utils.Sequence``: an indexable source of batches for ``fit``/``fit_generator``."""


class Sequence:
    """Subclasses define ``__getitem__(index)`` (a batch) and ``__len__`` (batches per
    epoch); ``on_epoch_end`` runs after each epoch."""

    def __getitem__(self, index):
        raise NotImplementedError

    def __len__(self):
        raise NotImplementedError

    def on_epoch_end(self):
        """Called after each pass (shuffle here)."""

    def __iter__(self):
        for index in range(len(self)):
            yield self[index]
