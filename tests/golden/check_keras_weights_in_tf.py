"""Hand check (not a test: TensorFlow is not a tfcompat dependency) that TF 2.21's own Keras
in graph mode loads a weight checkpoint written by tfcompat's ``Model.save_weights``:

    PYTHONPATH=. python tests/golden/check_keras_weights_in_tf.py write DIR  # tfcompat
    /work/tfvenv/bin/python tests/golden/check_keras_weights_in_tf.py check DIR

The second command prints "MAXDIFF 0.0" when TF's predictions equal tfcompat's.
"""
import os
import sys

import numpy as np


def build(keras):
    inputs = keras.Input((4,))
    hidden = keras.layers.BatchNormalization()(keras.layers.Dense(3, activation="relu")(inputs))
    return keras.Model(inputs, keras.layers.Dense(2)(hidden))


def write(directory):
    import tfcompat
    model = build(tfcompat.keras)
    rng = np.random.RandomState(5)
    weights = [rng.normal(size=w.shape.as_list()).astype(np.float32) for w in model.weights]
    weights[5] = np.abs(weights[5]) + 0.5  # a positive moving variance
    model.set_weights(weights)
    model.save_weights(os.path.join(directory, "weights"))
    x = rng.normal(size=(5, 4)).astype(np.float32)
    np.savez(os.path.join(directory, "expected.npz"), x=x, y=model.predict(x))


def check(directory):
    os.environ["TF_USE_LEGACY_KERAS"] = "1"
    import tensorflow as tf
    tf.compat.v1.disable_v2_behavior()
    import tf_keras
    model = build(tf_keras)
    model.load_weights(os.path.join(directory, "weights"))
    expected = np.load(os.path.join(directory, "expected.npz"))
    print("MAXDIFF", np.abs(model.predict(expected["x"]) - expected["y"]).max())


if __name__ == "__main__":
    {"write": write, "check": check}[sys.argv[1]](sys.argv[2])
