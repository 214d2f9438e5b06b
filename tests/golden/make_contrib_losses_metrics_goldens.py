"""Writes tests/golden/contrib_losses_metrics_goldens.json: values of TF 1.15's deprecated
tf.contrib.losses functions and tf.contrib.metrics streaming metrics (as kept by the
maintained tf-slim package: slim.losses / slim.metrics) on fixed inputs, and the names of
their result tensors; the reference for tests/contrib/test_contrib_losses.py and
tests/contrib/test_contrib_metrics.py. The cases themselves live in
tests/golden/contrib_losses_metrics_cases.py so both sides build the same graphs.

Run with the scratch TensorFlow venv (tf-slim installed there, never a tfcompat dependency):
    /work/tfvenv/bin/python tests/golden/make_contrib_losses_metrics_goldens.py
"""
import json
import sys
from pathlib import Path

import numpy as np
import tensorflow.compat.v1 as tf
import tf_slim as slim
from tensorflow.python.ops import array_ops as tf_array_ops

sys.path.insert(0, str(Path(__file__).resolve().parent))
import contrib_losses_metrics_cases as cases  # noqa: E402

tf.disable_v2_behavior()
# tf-slim's confusion counts at thresholds call array_ops.stack, which TF 2.21's internal
# array_ops module no longer has (tf.stack is the same function); give it back in-process.
if not hasattr(tf_array_ops, "stack"):
    tf_array_ops.stack = tf.stack


def main():
    golden = {"losses": {}, "metrics": {}}
    for name, build in cases.LOSS_CASES.items():
        with tf.Graph().as_default():
            loss = build(tf, slim.losses)
            with tf.Session() as sess:
                golden["losses"][name] = {"value": np.asarray(sess.run(loss)).tolist(),
                                          "name": loss.name}
    for name, build in cases.METRIC_CASES.items():
        with tf.Graph().as_default():
            feeds, value, update = build(tf, slim.metrics)
            with tf.Session() as sess:
                sess.run(tf.local_variables_initializer())
                updates = [np.asarray(sess.run(update, feed)).tolist() for feed in feeds]
                golden["metrics"][name] = {
                    "updates": updates, "value": np.asarray(sess.run(value)).tolist(),
                    "name": value.name,
                    "variables": sorted(v.op.name for v in tf.local_variables())}
    path = Path(__file__).with_name("contrib_losses_metrics_goldens.json")
    path.write_text(json.dumps(golden, indent=0, sort_keys=True) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
