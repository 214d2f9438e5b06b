"""register_op_if_absent: an op type two families define is registered once, the first
definition imported wins; the registered Assert keeps running in specialised plans."""
import pytest

import tfcompat  # noqa: F401 (registers the op families)
from tfcompat.framework import op_def


def test_register_op_if_absent_keeps_the_first_definition():
    first = op_def.get_op_def("Assert")

    @op_def.register_op_if_absent
    class Assert(op_def.OpDef):
        pass

    assert op_def.get_op_def("Assert") is first and first.side_effects
    with pytest.raises(KeyError, match="registered twice"):
        op_def.register_op(type("Assert", (op_def.OpDef,), {}))


def test_register_op_if_absent_registers_new_types():
    @op_def.register_op_if_absent
    class TfcompatTestOnlyOpType(op_def.OpDef):
        pass

    try:
        assert isinstance(op_def.get_op_def("TfcompatTestOnlyOpType"), TfcompatTestOnlyOpType)
    finally:
        del op_def._REGISTRY["TfcompatTestOnlyOpType"]
