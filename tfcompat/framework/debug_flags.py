"""Process-wide debugging switches of ``tf.debugging`` (TF's context flags):
``set_log_device_placement`` (sessions then log placements as if their ConfigProto asked
for it) and ``enable_check_numerics`` (ops created while it is on are marked, and the runtime
checks their floating outputs for NaN/Inf after every run of them)."""
import threading

_lock = threading.Lock()
_flags = {"log_device_placement": False, "check_numerics": False}


def set_log_device_placement(enabled):
    """``tf.debugging.set_log_device_placement(enabled)``: every session logs
    ``name: (Type): device`` for each op it places, as ConfigProto(log_device_placement)."""
    with _lock:
        _flags["log_device_placement"] = bool(enabled)


def get_log_device_placement():
    """``tf.debugging.get_log_device_placement()``: the current setting (False at start)."""
    return _flags["log_device_placement"]


def enable_check_numerics(stack_height_limit=30, path_length_limit=50):
    """``tf.debugging.enable_check_numerics()``: ops created from now on fail the run that
    computes a NaN or Inf in one of their floating outputs with InvalidArgumentError naming
    the op (TF's "!!! Detected Infinity or NaN in output i of graph op ..."). The limits
    only shape TF's stack-trace report and are accepted for compatibility."""
    del stack_height_limit, path_length_limit
    with _lock:
        _flags["check_numerics"] = True


def disable_check_numerics():
    """``tf.debugging.disable_check_numerics()``: ops created from now on are not checked
    (ops created while checking was on stay checked, as TF's instrumented graphs do)."""
    with _lock:
        _flags["check_numerics"] = False


def check_numerics_enabled():
    """Whether ops created now get numeric checks."""
    return _flags["check_numerics"]
