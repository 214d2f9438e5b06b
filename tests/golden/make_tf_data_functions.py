"""Writes tf_data_functions.meta and tf_data_functions.json with real TensorFlow
(``python tests/golden/make_tf_data_functions.py tests/golden`` in a TF 2.x interpreter):
a MetaGraphDef whose tf.data map/filter/flat_map functions live in the GraphDef's function
library, as TensorFlow writes them, and the elements TensorFlow's iterators give. tfcompat
never imports this."""
import json
import pathlib
import sys

import tensorflow.compat.v1 as tf

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import tf_data_function_cases  # noqa: E402


def main(directory):
    tf.disable_v2_behavior()
    graph = tf.Graph()
    with graph.as_default():
        tf_data_function_cases.build(tf)
        tf.train.export_meta_graph(str(pathlib.Path(directory) / "tf_data_functions.meta"))
        with tf.Session() as sess:
            sess.run(tf.get_collection("numbers_init"), {"offset:0": 1})
            numbers = [sess.run("numbers_next:0").tolist() for _ in range(3)]
            pairs = [float(sess.run("pairs_next:0")) for _ in range(8)]
    with open(pathlib.Path(directory) / "tf_data_functions.json", "w") as out:
        json.dump({"offset": 1, "numbers": numbers, "pairs": pairs}, out, indent=0)


if __name__ == "__main__":
    main(sys.argv[1])
