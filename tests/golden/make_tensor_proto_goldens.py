"""Writes tests/golden/tensor_proto_goldens.json with real TensorFlow (``/work/tfvenv/bin/python
tests/golden/make_tensor_proto_goldens.py tests/golden/tensor_proto_goldens.json``): for each
case of tensor_proto_cases.py, the serialized TensorProto of ``tf.make_tensor_proto`` (hex),
its text form and ``tf.make_ndarray`` of it; for each error case, the exception class.
tests/framework/test_tensor_util.py compares tfcompat's. tfcompat never imports this."""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tensor_proto_cases  # noqa: E402


def _plain(array):
    if array.dtype == object:
        return [v.hex() for v in array.reshape(-1)]
    if array.dtype.kind == "c":
        return [[float(v.real), float(v.imag)] for v in array.reshape(-1)]
    return array.reshape(-1).tolist()


def main(path):
    import tensorflow.compat.v1 as tf
    out = {"cases": {}, "errors": {}}
    for case_id, values, kwargs in tensor_proto_cases.cases():
        proto = tf.make_tensor_proto(values, **kwargs)
        array = tf.make_ndarray(proto)
        out["cases"][case_id] = {"bytes": proto.SerializeToString().hex(), "text": str(proto),
                                 "dtype": str(array.dtype), "shape": list(array.shape),
                                 "values": _plain(array)}
    for case_id, values, kwargs, _ in tensor_proto_cases.error_cases():
        try:
            tf.make_tensor_proto(values, **kwargs)
            out["errors"][case_id] = None
        except Exception as exc:  # noqa: BLE001 (recording which class TF raises)
            out["errors"][case_id] = type(exc).__name__
    with open(path, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print(np.__version__)


if __name__ == "__main__":
    main(sys.argv[1])
