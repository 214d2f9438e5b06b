"""tf.logging's conditional helpers: log_every_n, log_first_n, log_if, vlog, flush and
TaskLevelStatusMessage (TF 1.15 tf_logging semantics)."""
import tfcompat as tf


def _lines(capfd):
    return [line for line in capfd.readouterr().err.splitlines() if "tensorflow" in line]


def test_counted_logging_counts_per_call_site(capfd):
    for i in range(7):
        tf.logging.log_every_n(tf.logging.WARN, "every %d", 3, i)
        tf.logging.log_first_n(tf.logging.WARN, "first %d", 2, i)
    for i in range(2):   # another line: its own count
        tf.logging.log_first_n(tf.logging.WARN, "again %d", 1, i)
    tf.logging.flush()
    assert _lines(capfd) == [
        "WARNING:tensorflow:every 0", "WARNING:tensorflow:first 0",
        "WARNING:tensorflow:first 1", "WARNING:tensorflow:every 3",
        "WARNING:tensorflow:every 6", "WARNING:tensorflow:again 0"]


def test_log_if_vlog_and_task_status(capfd):
    tf.logging.log_if(tf.logging.ERROR, "shown %s", True, "yes")
    tf.logging.log_if(tf.logging.ERROR, "hidden", False)
    tf.logging.vlog(tf.logging.INFO, "below the WARN verbosity")
    tf.logging.vlog(tf.logging.FATAL, "fatal %s", "level")
    tf.logging.TaskLevelStatusMessage("status")
    assert _lines(capfd) == ["ERROR:tensorflow:shown yes", "CRITICAL:tensorflow:fatal level",
                             "ERROR:tensorflow:status"]
