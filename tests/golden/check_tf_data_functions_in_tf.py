"""Checks that TensorFlow imports and runs a .meta tfcompat wrote whose tf.data pipelines
have map/filter/flat_map functions (written to the GraphDef's function library):

    python -c "import sys; sys.path.insert(0, 'tests/framework'); \\
        import test_function_def as t; t.write_tfcompat_pipelines('/tmp/ours.meta')"
    python tests/golden/check_tf_data_functions_in_tf.py /tmp/ours.meta   # TF interpreter

It prints TensorFlow's elements and exits non-zero unless they are tf_data_functions.json's
(what TensorFlow's own graph of the same pipelines gives). tfcompat never imports this."""
import json
import pathlib
import sys

import tensorflow.compat.v1 as tf


def main(path):
    tf.disable_v2_behavior()
    expected = json.loads((pathlib.Path(__file__).parent / "tf_data_functions.json").read_text())
    graph = tf.Graph()
    with graph.as_default():
        tf.train.import_meta_graph(path)
        with tf.Session() as sess:
            sess.run(tf.get_collection("numbers_init"), {"offset:0": expected["offset"]})
            numbers = [sess.run("numbers_next:0").tolist() for _ in range(3)]
            pairs = [float(sess.run("pairs_next:0")) for _ in range(8)]
    print("numbers", numbers, "pairs", pairs)
    sys.exit(0 if (numbers, pairs) == (expected["numbers"], expected["pairs"]) else 1)


if __name__ == "__main__":
    main(sys.argv[1])
