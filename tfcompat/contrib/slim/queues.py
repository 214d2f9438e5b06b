"""``slim.queues`` (TF 1.15 contrib/slim/python/slim/queues.py): ``QueueRunners(session)``,
a context that starts the graph's QUEUE_RUNNERS with a Coordinator and stops and joins
them on exit; nesting two raises ``NestedQueueRunnerError``."""
import contextlib
import threading

from tfcompat.framework import ops
from tfcompat.train.coordinator import Coordinator

__all__ = ["NestedQueueRunnerError", "QueueRunners"]

_queue_runner_lock = threading.Lock()


class NestedQueueRunnerError(Exception):
    """A QueueRunners context opened inside another."""


@contextlib.contextmanager
def QueueRunners(session):  # noqa: N802 (TF's name)
    """Runs the graph's queue runners in ``session`` while the context is open."""
    if not _queue_runner_lock.acquire(False):
        raise NestedQueueRunnerError("QueueRunners cannot be nested")
    coord = Coordinator()
    threads = []
    try:
        for runner in ops.get_collection(ops.GraphKeys.QUEUE_RUNNERS):
            threads.extend(runner.create_threads(session, coord=coord, daemon=True,
                                                 start=True))
        yield
    finally:
        coord.request_stop()
        try:
            coord.join(threads, stop_grace_period_secs=120)
        except RuntimeError:
            session.close()
        _queue_runner_lock.release()
