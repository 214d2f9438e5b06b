"""Writes dataset_goldens.json with real TensorFlow (``python tests/golden/make_dataset_goldens.py
tests/golden/dataset_goldens.json`` in a TF 2.x interpreter with tf-keras): the elements of
dataset_cases.py's pipelines under tf.compat.v1. tfcompat never imports this."""
import json
import pathlib
import sys

import tensorflow.compat.v1 as tf

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import dataset_cases  # noqa: E402


def main(path):
    tf.disable_v2_behavior()
    tf.data.Dataset.make_one_shot_iterator = tf.data.make_one_shot_iterator
    with tf.Session() as sess:
        results = dataset_cases.run(tf, sess)
    with open(path, "w") as out:
        json.dump(results, out, indent=0, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv[1])
