"""The op registry: one definition per op type; Assert keeps running in specialised plans."""
import pytest

import tfcompat  # noqa: F401 (registers the op families)
from tfcompat.framework import op_def


def test_an_op_type_is_registered_once():
    assert op_def.get_op_def("Assert").side_effects
    with pytest.raises(KeyError, match="registered twice"):
        op_def.register_op(type("Assert", (op_def.OpDef,), {}))


def test_every_op_family_imports_without_a_duplicate_registration():
    for load in op_def._LOADERS:
        load()  # raises KeyError("... registered twice") on a duplicate
    assert "Assert" in op_def.registered_op_types()
