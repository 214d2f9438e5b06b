"""The op registry."""
import subprocess
import sys

import pytest

from tfcompat.framework.op_def import get_op_def, registered_op_types


def test_op_families_not_imported_yet_are_loaded_on_lookup():
    # A fresh process that never imported tf.train can still resolve (and so import graphs
    # holding) the Apply* ops.
    code = ("import tfcompat, sys; from tfcompat.framework.op_def import get_op_def; "
            "assert 'tfcompat.ops.training_ops' not in sys.modules; "
            "print(get_op_def('ApplyAdam').op_type)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "ApplyAdam", out.stderr


def test_unknown_op_type_is_a_clear_key_error():
    with pytest.raises(KeyError, match="Op type not registered 'NoSuchOp' in tfcompat"):
        get_op_def("NoSuchOp")
    assert "MatMul" in registered_op_types()
