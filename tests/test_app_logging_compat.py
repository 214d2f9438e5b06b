"""tf.app (flags, run), tf.logging and tf.compat."""
import subprocess
import sys

import tfcompat as tf


def test_flags_and_app_run_parse_argv():
    script = """
import tfcompat as tf
tf.app.flags.DEFINE_integer("epochs", 5, "number of epochs")
tf.flags.DEFINE_string("name", "x", "a name")
tf.app.flags.DEFINE_boolean("fast", False, "go fast")
FLAGS = tf.app.flags.FLAGS
def main(argv):
    print(FLAGS.epochs, FLAGS.name, FLAGS.fast, argv[1:])
    return 3
tf.app.run()
"""
    out = subprocess.run([sys.executable, "-c", script, "--epochs", "7", "--fast", "extra"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 3
    assert out.stdout.strip() == "7 x True ['extra']"


def test_logging_levels(capfd):
    tf.logging.set_verbosity(tf.logging.INFO)
    try:
        tf.logging.info("step %d", 3)
        tf.logging.debug("hidden")
        assert tf.logging.get_verbosity() == tf.logging.INFO
    finally:
        tf.logging.set_verbosity(tf.logging.WARN)
    err = capfd.readouterr().err
    assert "INFO:tensorflow:step 3" in err and "hidden" not in err


def test_compat():
    assert tf.compat.v1 is tf
    assert tf.compat.as_bytes("é") == "é".encode() and tf.compat.as_text(b"ab") == "ab"
    assert tf.compat.dimension_value(tf.Dimension(3)) == 3


def test_mark_flag_as_required_fails_parsing_while_the_flag_is_none():
    from tfcompat.app import _Flags
    flags = _Flags()
    flags.DEFINE_string("data_dir", None, "where the data is")
    flags.DEFINE_string("vocab", None, "vocabulary")
    flags.mark_flags_as_required(["data_dir", "vocab"])
    try:
        flags.FLAGS(["prog", "--data_dir=/tmp"])
    except ValueError as error:
        assert "Flag --vocab must have a value other than None." in str(error)
    else:
        raise AssertionError("a required flag left None must fail parsing")
    assert flags.FLAGS(["prog", "--data_dir=/d", "--vocab=v"]) == ["prog"]
    assert (flags.FLAGS.data_dir, flags.FLAGS.vocab) == ("/d", "v")
