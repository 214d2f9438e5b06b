"""``tf.train.CheckpointManager`` (TF 1.x ``training/checkpoint_management.py``): numbered
saves of a ``tf.train.Checkpoint`` in one directory, keeping the newest ``max_to_keep``.

Checkpoints are ``<directory>/<checkpoint_name>-<n>`` with n the checkpoint's
``save_counter`` (incremented by every save) or the given ``checkpoint_number``. The
directory's ``checkpoint`` file lists the managed checkpoints with their timestamps; a new
manager takes them over. When more than ``max_to_keep`` exist the oldest are deleted, unless
``keep_checkpoint_every_n_hours`` hours passed since the last one preserved.
"""
import collections
import glob
import os
import time

from tfcompat import logging
from tfcompat.client.session import get_default_session
from tfcompat.train import saver as saver_lib
from tfcompat.train import tracking_util


def _delete_file_if_exists(pattern):
    for path in glob.glob(pattern):
        os.remove(path)


class CheckpointManager:
    """``CheckpointManager(checkpoint, directory, max_to_keep,
    keep_checkpoint_every_n_hours=None, checkpoint_name="ckpt")``."""

    def __init__(self, checkpoint, directory, max_to_keep, keep_checkpoint_every_n_hours=None,
                 checkpoint_name="ckpt"):
        self._checkpoint = checkpoint
        if max_to_keep is not None and max_to_keep <= 0:
            raise ValueError("Expected a positive integer or `None` for `max_to_keep`, got "
                             "%d." % (max_to_keep,))
        self._max_to_keep = max_to_keep
        self._keep_checkpoint_every_n_hours = keep_checkpoint_every_n_hours
        self._directory = os.fspath(directory)
        self._checkpoint_prefix = os.path.join(self._directory, checkpoint_name)
        recovered_state = saver_lib.get_checkpoint_state(self._directory)
        current_clock = time.time()
        self._maybe_delete = collections.OrderedDict()
        if recovered_state is None:
            self._latest_checkpoint = None
            self._last_preserved_timestamp = current_clock - 1.0
            return
        self._latest_checkpoint = recovered_state.model_checkpoint_path
        self._last_preserved_timestamp = recovered_state.last_preserved_timestamp
        if current_clock < self._last_preserved_timestamp:
            logging.warning("time.time() returned a value %f seconds behind the last "
                            "preserved checkpoint timestamp.",
                            self._last_preserved_timestamp - current_clock)
            self._last_preserved_timestamp = current_clock
        all_paths = recovered_state.all_model_checkpoint_paths
        all_timestamps = recovered_state.all_model_checkpoint_timestamps or (
            [self._last_preserved_timestamp] * len(all_paths))
        for filename, timestamp in zip(all_paths, all_timestamps, strict=True):
            timestamp = min(timestamp, current_clock)
            if timestamp > self._last_preserved_timestamp:
                self._maybe_delete[filename] = timestamp

    @property
    def directory(self):
        return self._directory

    @property
    def latest_checkpoint(self):
        """The newest checkpoint's prefix, or None."""
        return self._latest_checkpoint

    @property
    def checkpoints(self):
        """The managed checkpoints, oldest first (preserved ones are not listed)."""
        return list(self._maybe_delete.keys())

    @property
    def checkpoint(self):
        return self._checkpoint

    def _sweep(self):
        """Deletes (or preserves) the oldest checkpoints beyond ``max_to_keep``."""
        if not self._max_to_keep:
            return
        while len(self._maybe_delete) > self._max_to_keep:
            filename, timestamp = self._maybe_delete.popitem(last=False)
            if self._keep_checkpoint_every_n_hours and (
                    timestamp - self._keep_checkpoint_every_n_hours * 3600.0
                    >= self._last_preserved_timestamp):
                self._last_preserved_timestamp = timestamp
                continue
            _delete_file_if_exists(filename + ".index")
            _delete_file_if_exists(filename + ".data-?????-of-?????")

    def _record_state(self):
        filenames, timestamps = zip(*self._maybe_delete.items(), strict=True)
        tracking_util._record_state(self._directory, self._latest_checkpoint, filenames,
                                    list(timestamps), self._last_preserved_timestamp)

    def save(self, checkpoint_number=None, session=None):
        """Saves ``<directory>/<checkpoint_name>-<n>`` (incrementing ``save_counter`` even
        with a ``checkpoint_number``: an int, or an integer variable or tensor), records it
        and deletes the old ones; returns its path."""
        session = session or get_default_session()
        if session is None:
            raise ValueError("CheckpointManager.save needs a default session in graph mode "
                             "(or session=).")
        counter_value = session.run(self._checkpoint._increment_save_counter(session))
        if checkpoint_number is None:
            checkpoint_number = counter_value
        elif not isinstance(checkpoint_number, int):
            checkpoint_number = int(session.run(checkpoint_number))
        save_path = self._checkpoint.write("%s-%d" % (self._checkpoint_prefix,
                                                      checkpoint_number), session)
        if save_path in self._maybe_delete:
            del self._maybe_delete[save_path]
        self._maybe_delete[save_path] = time.time()
        self._latest_checkpoint = save_path
        self._record_state()
        self._sweep()
        self._record_state()
        return save_path
