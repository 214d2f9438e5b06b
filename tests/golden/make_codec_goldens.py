"""Writes codec_goldens.npz with real TensorFlow (``python tests/golden/make_codec_goldens.py
tests/golden/two_frames.gif tests/golden/codec_goldens.npz`` in a TF 2.x interpreter): the
frames tf.io.decode_gif gives for two_frames.gif (two random 5x7 frames Pillow saved as a
palette GIF) and the Example tf.io.decode_json_example serialises for JSON_EXAMPLE.
tfcompat never imports this."""
import sys

import numpy as np
import tensorflow as tf

tf1 = tf.compat.v1
JSON_EXAMPLE = ('{"features": {"feature": {"x": {"int64List": {"value": ["1", 2]}}, '
                '"y": {"bytes_list": {"value": ["YWI="]}}, "z": {"floatList": {"value": '
                '[0.5]}}}}}')


def main(gif_path, path):
    tf1.disable_eager_execution()
    with open(gif_path, "rb") as handle:
        gif = handle.read()
    with tf1.Session() as sess:
        frames, example = sess.run([tf.io.decode_gif(gif),
                                    tf.io.decode_json_example(JSON_EXAMPLE)])
    np.savez(path, gif_frames=frames, json_example=np.frombuffer(example, np.uint8))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
