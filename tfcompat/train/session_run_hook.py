"""``tf.train.SessionRunHook`` and the values passed to hooks (TF 1.x session_run_hook).

A hook sees a MonitoredSession's life: ``begin`` (graph still editable), ``after_create_session``,
``before_run`` (may return ``SessionRunArgs`` to fetch more), ``after_run`` (gets the
``SessionRunValues``; may ``run_context.request_stop()``) and ``end``.
"""
import collections


class SessionRunHook:
    """The hook interface; every method does nothing by default."""

    def begin(self):
        """Called once before the graph is finalized."""

    def after_create_session(self, session, coord):
        """Called when the session is created (and variables initialized or restored)."""

    def before_run(self, run_context):
        """Returns None or SessionRunArgs to add to the coming ``run`` call."""
        return None

    def after_run(self, run_context, run_values):
        """Called after each ``run`` with the results of this hook's SessionRunArgs."""

    def end(self, session):
        """Called when the monitored session closes without an error."""


class SessionRunArgs(collections.namedtuple("SessionRunArgs",
                                            ["fetches", "feed_dict", "options"])):
    """What a hook adds to a ``run``: fetches (any fetch structure), feeds and options."""

    def __new__(cls, fetches, feed_dict=None, options=None):
        return super().__new__(cls, fetches, feed_dict, options)


class SessionRunValues(collections.namedtuple("SessionRunValues",
                                              ["results", "options", "run_metadata"])):
    """The results of a hook's SessionRunArgs fetches."""


class SessionRunContext:
    """The ``run`` call a hook is looking at: its args, the session, and a stop request."""

    def __init__(self, original_args, session):
        self._original_args = original_args
        self._session = session
        self._stop_requested = False

    @property
    def original_args(self):
        return self._original_args

    @property
    def session(self):
        return self._session

    @property
    def stop_requested(self):
        return self._stop_requested

    def request_stop(self):
        """Makes the MonitoredSession's ``should_stop()`` true after this run."""
        self._stop_requested = True
