"""``tf.logging``: TF 1.x's logging helpers on Python's ``logging`` (logger "tensorflow")."""
import logging as _logging
import sys as _sys

DEBUG = _logging.DEBUG
INFO = _logging.INFO
WARN = _logging.WARN
ERROR = _logging.ERROR
FATAL = _logging.FATAL

_logger = _logging.getLogger("tensorflow")


class _StderrHandler(_logging.StreamHandler):
    """Writes to ``sys.stderr`` as it is when a record comes (stderr redirected after
    import, as test runners and notebooks do, still gets the messages)."""

    def __init__(self):
        super().__init__(_sys.stderr)

    @property
    def stream(self):
        return _sys.stderr

    @stream.setter
    def stream(self, value):
        pass


if not _logger.handlers:
    _handler = _StderrHandler()
    _handler.setFormatter(_logging.Formatter("%(levelname)s:tensorflow:%(message)s"))
    _logger.addHandler(_handler)
    _logger.propagate = False
_logger.setLevel(WARN)  # TF 1.x prints warnings and above by default


def set_verbosity(v):
    _logger.setLevel(v)


def get_verbosity():
    return _logger.getEffectiveLevel()


def debug(msg, *args, **kwargs):
    _logger.debug(msg, *args, **kwargs)


def info(msg, *args, **kwargs):
    _logger.info(msg, *args, **kwargs)


def warning(msg, *args, **kwargs):
    _logger.warning(msg, *args, **kwargs)


warn = warning


def error(msg, *args, **kwargs):
    _logger.error(msg, *args, **kwargs)


def fatal(msg, *args, **kwargs):
    _logger.fatal(msg, *args, **kwargs)


def log(level, msg, *args, **kwargs):
    _logger.log(level, msg, *args, **kwargs)


def get_logger():
    return _logger


def vlog(level, msg, *args, **kwargs):
    """``tf.logging.vlog``: logs at ``level`` (a logging level number, as TF 1.x)."""
    _logger.log(level, msg, *args, **kwargs)


def log_if(level, msg, condition, *args):
    """Logs ``msg % args`` at ``level`` when ``condition`` holds."""
    if condition:
        vlog(level, msg, *args)


_counts_by_call_site = {}


def _next_count_of_call_site():
    """How often the caller's caller's line has counted before (TF's per-token counter keyed
    by the file and line of the call into tf.logging)."""
    frame = _sys._getframe(2)
    token = (frame.f_code.co_filename, frame.f_lineno)
    count = _counts_by_call_site.get(token, 0)
    _counts_by_call_site[token] = count + 1
    return count


def log_every_n(level, msg, n, *args):
    """Logs the 1st, (n+1)th, (2n+1)th ... time this line runs."""
    log_if(level, msg, not _next_count_of_call_site() % n, *args)


def log_first_n(level, msg, n, *args):
    """Logs only the first ``n`` times this line runs."""
    log_if(level, msg, _next_count_of_call_site() < n, *args)


def flush():
    """Flushes the "tensorflow" logger's handlers (TF 1.15's tf.logging.flush raised
    NotImplementedError; flushing is what the name promises)."""
    for handler in _logger.handlers:
        handler.flush()


def TaskLevelStatusMessage(msg):  # noqa: N802 (TF's name)
    """Logs ``msg`` at ERROR level, as TF 1.x does."""
    error(msg)
