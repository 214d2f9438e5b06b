"""Writes parsing_goldens.npz with real TensorFlow (``python tests/golden/make_parsing_goldens.py
tests/golden/parsing_goldens.npz`` in a TF 2.x interpreter): the session results of
parsing_cases.build (VarLen / FixedLenSequence / Sparse / FixedLen features of Examples and
SequenceExamples). tfcompat never imports this."""
import pathlib
import sys

import numpy as np
import tensorflow as tf

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import parsing_cases  # noqa: E402

tf1 = tf.compat.v1


def main(path):
    tf1.disable_v2_behavior()
    with tf1.Session() as sess:
        values = sess.run(parsing_cases.build(tf1))
    np.savez(path, **parsing_cases.flatten(values))


if __name__ == "__main__":
    main(sys.argv[1])
