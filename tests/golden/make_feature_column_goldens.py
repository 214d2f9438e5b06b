"""Prints the expected values of tests/feature_column/test_feature_column_extras.py:
run with TensorFlow (tf.compat.v1, graph mode) or with tfcompat (`tf` / `tfc` argument).

    /work/tfvenv/bin/python tests/golden/make_feature_column_goldens.py tf
"""
import sys

import numpy as np

if sys.argv[1:] == ["tf"]:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import tfcompat as tf


def features():
    return {"id": np.array([[0, 2], [1, -1], [3, 3]]),
            "id_w": np.array([[0.5, 2.0], [1.5, 0.0], [1.0, -1.0]], np.float32),
            "other": np.array([[1, 1], [2, -1], [0, 3]])}


def build():
    fc = tf.feature_column
    ident = fc.categorical_column_with_identity("id", 4)
    other = fc.categorical_column_with_identity("other", 4)
    weighted = fc.weighted_categorical_column(ident, "id_w")
    table = tf.constant_initializer(np.arange(8.0).reshape(4, 2) + 1.0)
    columns = [fc.embedding_column(weighted, 2, combiner=c, initializer=table)
               for c in ("sum", "mean", "sqrtn")]
    dense = [fc.input_layer(features(), [column]) for column in columns]
    shared = fc.shared_embedding_columns([other, ident], 2, initializer=table)
    dense.append(fc.input_layer(features(), shared))
    linear = fc.linear_model(features(), [weighted])
    return dense, linear


def main():
    dense, linear = build()
    names = [v.name for v in tf.global_variables()]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        weights = [v for v in tf.global_variables() if "linear_model/id_weighted" in v.name][0]
        weights.load(np.array([[1.0], [10.0], [100.0], [1000.0]]), sess)
        values = sess.run(dense + [linear])
    print("NAMES =", names)
    for value in values:
        print(np.round(value, 6).tolist())


if __name__ == "__main__":
    main()
