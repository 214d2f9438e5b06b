"""Writes tf_data_functions.meta and tf_data_functions.json with real TensorFlow
(``python tests/golden/make_tf_data_functions.py tests/golden`` in a TF 2.x interpreter):
a MetaGraphDef whose tf.data map/filter/flat_map functions live in the GraphDef's function
library, as TensorFlow writes them, and the elements TensorFlow's iterators give. tfcompat
never imports this."""
import json
import pathlib
import sys

import numpy as np
import tensorflow.compat.v1 as tf


def build():
    """Two pipelines: a placeholder captured by a map, a filter and a batch; a flat_map of
    a two-component map over slices."""
    offset = tf.placeholder(tf.int64, [], name="offset")
    numbers = tf.data.Dataset.range(10).map(lambda x: x * 2 + offset) \
        .filter(lambda x: x % 3 > 0).batch(2)
    iterator = tf.data.make_initializable_iterator(numbers)
    tf.identity(iterator.get_next(), name="numbers_next")
    tf.add_to_collection("numbers_init", iterator.initializer)
    pairs = tf.data.Dataset.from_tensor_slices(
        (np.arange(4, dtype=np.float32), np.arange(4, dtype=np.float32) + 0.5))
    pairs = pairs.map(lambda a, b: (a + b, a * b)) \
        .flat_map(lambda s, p: tf.data.Dataset.from_tensors(s - p).repeat(2))
    tf.identity(tf.data.make_one_shot_iterator(pairs).get_next(), name="pairs_next")


def main(directory):
    tf.disable_v2_behavior()
    graph = tf.Graph()
    with graph.as_default():
        build()
        tf.train.export_meta_graph(str(pathlib.Path(directory) / "tf_data_functions.meta"))
        with tf.Session() as sess:
            sess.run(tf.get_collection("numbers_init"), {"offset:0": 1})
            numbers = [sess.run("numbers_next:0").tolist() for _ in range(3)]
            pairs = [float(sess.run("pairs_next:0")) for _ in range(8)]
    with open(pathlib.Path(directory) / "tf_data_functions.json", "w") as out:
        json.dump({"offset": 1, "numbers": numbers, "pairs": pairs}, out, indent=0)


if __name__ == "__main__":
    main(sys.argv[1])
