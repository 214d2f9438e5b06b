"""tf.make_tensor_proto / tf.make_ndarray against TensorFlow's (tests/golden/
tensor_proto_goldens.json, written by make_tensor_proto_goldens.py from tensor_proto_cases.py)."""
import importlib.util
import json
import pathlib

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.framework.tensor_util import TensorProto

GOLDEN = pathlib.Path(__file__).parent.parent / "golden"
EXPECTED = json.loads((GOLDEN / "tensor_proto_goldens.json").read_text())


def _cases_module():
    spec = importlib.util.spec_from_file_location("tensor_proto_cases",
                                                  GOLDEN / "tensor_proto_cases.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CASES = _cases_module()


def _plain(array):
    if array.dtype == object:
        return [bytes(v).hex() for v in array.reshape(-1)]
    if array.dtype.kind == "c":
        return [[float(v.real), float(v.imag)] for v in array.reshape(-1)]
    return array.reshape(-1).tolist()


# TF 1.15 writes float16 values to half_val; TF 2.3 moved them to tensor_content (PR 38258),
# which the golden (TF 2.21) shows. The values read back are the same.
TF1_HALF_VAL = {"half": [15872, 16384]}


@pytest.mark.parametrize("case_id,values,kwargs", CASES.cases(),
                         ids=[c[0] for c in CASES.cases()])
def test_make_tensor_proto_matches_tensorflow(case_id, values, kwargs):
    expected = EXPECTED["cases"][case_id]
    proto = tf.make_tensor_proto(values, **kwargs)
    if case_id in TF1_HALF_VAL:
        assert proto.half_val == TF1_HALF_VAL[case_id] and not proto.tensor_content
        assert TensorProto.FromString(bytes.fromhex(expected["bytes"])).tensor_content
    else:
        assert proto.SerializeToString().hex() == expected["bytes"]
        assert str(proto) == expected["text"]
    array = tf.make_ndarray(proto)
    assert (str(array.dtype), list(array.shape)) == (expected["dtype"], expected["shape"])
    assert _plain(array) == expected["values"]
    # TF's bytes parse back into a message holding the same values.
    again = TensorProto.FromString(bytes.fromhex(expected["bytes"]))
    assert _plain(tf.make_ndarray(again)) == expected["values"]
    assert tf.make_tensor_proto(again) is again
    assert TensorProto.FromString(proto.SerializeToString()) == proto


@pytest.mark.parametrize("case_id,values,kwargs,error", CASES.error_cases(),
                         ids=[c[0] for c in CASES.error_cases()])
def test_make_tensor_proto_errors(case_id, values, kwargs, error):
    assert EXPECTED["errors"][case_id] == error
    with pytest.raises({"ValueError": ValueError, "TypeError": TypeError}[error]):
        tf.make_tensor_proto(values, **kwargs)


def test_make_ndarray_pads_and_copies():
    proto = TensorProto(dtype=tf.int64.as_datatype_enum, int64_val=[4, 5])
    proto.tensor_shape.dim.extend([proto.tensor_shape.Dim(2), proto.tensor_shape.Dim(2)])
    np.testing.assert_array_equal(tf.make_ndarray(proto), [[4, 5], [5, 5]])
    content = tf.make_tensor_proto(np.arange(4.0, dtype=np.float32))
    array = tf.make_ndarray(content)
    array[0] = 9.0  # a writable copy, not a view of the proto's bytes
    assert tf.make_ndarray(content)[0] == 0.0


def test_constant_of_a_tensor_proto():
    proto = tf.make_tensor_proto(np.arange(6.0).reshape(2, 3))
    with tf.Graph().as_default():
        const = tf.constant(proto)
        assert const.dtype == tf.float64 and const.shape.as_list() == [2, 3]
        with tf.Session() as sess:
            np.testing.assert_array_equal(sess.run(const), np.arange(6.0).reshape(2, 3))
