"""Writes tests/golden/summary_goldens.npz: the serialized Summary protos TensorFlow's
image, audio and tensor summaries give for the inputs of ``inputs()`` (TF 2.21,
tf.compat.v1.summary in graph mode). Run: /work/tfvenv/bin/python <this file>."""
import pathlib

import numpy as np


def inputs():
    rng = np.random.RandomState(3)
    floats = rng.normal(size=(4, 3, 2, 3)).astype(np.float32)
    floats[1, 0, 1, 2] = np.nan
    positive = rng.uniform(0.0, 2.0, size=(2, 2, 3, 1)).astype(np.float32)
    pixels = rng.randint(0, 256, size=(1, 2, 2, 4)).astype(np.uint8)
    audio = np.clip(rng.normal(scale=0.6, size=(2, 5, 2)), -1.5, 1.5).astype(np.float32)
    return {"floats": floats, "positive": positive, "pixels": pixels, "audio": audio,
            "mono": audio[:, :, 0], "table": np.arange(6, dtype=np.int32).reshape(2, 3)}


def build(tf):
    """The summaries under test: {name: string tensor}."""
    data = inputs()
    return {
        "image_floats": tf.summary.image("floats", data["floats"], max_outputs=3),
        "image_positive": tf.summary.image("positive", data["positive"], max_outputs=1),
        "image_pixels": tf.summary.image("pixels", data["pixels"], family="fam"),
        "audio": tf.summary.audio("sound", data["audio"], 8000, max_outputs=2),
        "audio_mono": tf.summary.audio("mono", data["mono"], 16000.0, max_outputs=1),
        "tensor": tf.summary.tensor_summary("table", data["table"],
                                            summary_description="a table"),
        "text": tf.summary.text("note", tf.constant(["hello", "world"])),
    }


def main():
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    summaries = build(tf)
    with tf.Session() as sess:
        values = sess.run(summaries)
    out = pathlib.Path(__file__).with_name("summary_goldens.npz")
    np.savez(out, **{key: np.frombuffer(value, np.uint8) for key, value in values.items()})
    print({key: len(value) for key, value in values.items()})


if __name__ == "__main__":
    main()
