"""Writes combined_nms_goldens.npz: TensorFlow's tf.image.combined_non_max_suppression on
fixed boxes and scores, for three argument sets (TensorFlow 2.x, compat.v1 graph mode)."""
import os

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

CASES = {
    "plain": dict(max_output_size_per_class=3, max_total_size=5),
    "padded": dict(max_output_size_per_class=2, max_total_size=10, pad_per_class=True,
                   clip_boxes=False, score_threshold=0.3, iou_threshold=0.4),
}


def inputs():
    rng = np.random.default_rng(31)
    corners = rng.uniform(-0.1, 1.1, size=(2, 10, 3, 2, 2)).astype(np.float32)
    boxes = np.concatenate([corners.min(3), corners.max(3)], axis=3).reshape(2, 10, 3, 4)
    scores = rng.uniform(0, 1, size=(2, 10, 3)).astype(np.float32)
    return boxes, scores


def main():
    boxes, scores = inputs()
    out = {}
    with tf.Session() as sess:
        for key, arguments in CASES.items():
            values = sess.run(tf.image.combined_non_max_suppression(boxes, scores,
                                                                    **arguments))
            for name, value in zip(("boxes", "scores", "classes", "valid"), values):
                out[f"{key}_{name}"] = value
        shared = sess.run(tf.image.combined_non_max_suppression(boxes[:, :, :1], scores, 2,
                                                                4))
        for name, value in zip(("boxes", "scores", "classes", "valid"), shared):
            out[f"shared_{name}"] = value
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "combined_nms_goldens.npz")
    np.savez_compressed(path, **out)


if __name__ == "__main__":
    main()
