"""Writes tests/golden/image_transform_goldens.npz: TensorFlow's ImageProjectiveTransformV2
(fill_mode CONSTANT, TF 1.15's behaviour) on small images, and its gradient w.r.t. the
images, for tests/ops/test_image_transform_ops.py.

Run with the scratch TensorFlow venv from the worktree root:
    /work/tfvenv/bin/python tests/golden/make_image_transform_goldens.py
"""
import os

import numpy as np
import tensorflow as tf

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "image_transform_goldens.npz")


def rotation(angle, height, width):
    """TF 1.15's angles_to_projective_transforms in float32."""
    angle, height, width = np.float32(angle), np.float32(height), np.float32(width)
    cos, sin = np.cos(angle), np.sin(angle)
    x_offset = ((width - 1) - (cos * (width - 1) - sin * (height - 1))) / np.float32(2)
    y_offset = ((height - 1) - (sin * (width - 1) + cos * (height - 1))) / np.float32(2)
    return np.array([cos, -sin, x_offset, sin, cos, y_offset, 0, 0], np.float32)


def cases():
    rng = np.random.RandomState(0)
    images = rng.uniform(-3, 3, (2, 5, 6, 2)).astype(np.float32)
    projective = np.array([[0.9, 0.2, 0.7, -0.1, 1.1, -0.4, 0.02, -0.03],
                           [1.2, -0.3, -0.5, 0.25, 0.8, 1.3, -0.01, 0.04]], np.float32)
    yield "float_nearest", images, projective, [4, 7], "NEAREST"
    yield "float_bilinear", images, projective, [4, 7], "BILINEAR"
    yield "float64_bilinear", images.astype(np.float64), projective, [5, 6], "BILINEAR"
    uint8 = rng.randint(0, 256, (3, 6, 5, 3)).astype(np.uint8)
    yield "uint8_rotate_bilinear", uint8, rotation(0.6, 6, 5)[None], [6, 5], "BILINEAR"
    yield "uint8_rotate_nearest", uint8, rotation(-1.1, 6, 5)[None], [6, 5], "NEAREST"
    int32 = rng.randint(-50, 50, (1, 4, 4, 1)).astype(np.int32)
    yield "int32_shift_bilinear", int32, np.array([[1, 0, -0.5, 0, 1, 0.75, 0, 0]],
                                                  np.float32), [4, 4], "BILINEAR"
    # The projection's denominator is 0 at x == 2 (pixels there are filled with 0).
    singular = np.array([[1, 0, 0, 0, 1, 0, -0.5, 0]], np.float32)
    yield "zero_projection", images[:1], singular, [5, 6], "BILINEAR"


def main():
    arrays = {}
    for name, images, transforms, shape, interpolation in cases():
        images_t = tf.constant(images)
        with tf.GradientTape() as tape:
            tape.watch(images_t)
            output = tf.raw_ops.ImageProjectiveTransformV2(
                images=images_t, transforms=transforms, output_shape=shape,
                interpolation=interpolation, fill_mode="CONSTANT")
            if images.dtype.kind == "f":
                dy = np.random.RandomState(1).uniform(-1, 1, output.shape).astype(images.dtype)
                loss = tf.reduce_sum(output * dy)
        arrays[f"{name}/images"] = images
        arrays[f"{name}/transforms"] = transforms
        arrays[f"{name}/output_shape"] = np.array(shape, np.int32)
        arrays[f"{name}/interpolation"] = np.array(interpolation)
        arrays[f"{name}/output"] = output.numpy()
        if images.dtype.kind == "f":
            arrays[f"{name}/dy"] = dy
            arrays[f"{name}/grad"] = tape.gradient(loss, images_t).numpy()
    np.savez_compressed(OUT, **arrays)
    print(f"{len(arrays)} arrays written to {OUT}")


if __name__ == "__main__":
    main()
