"""Writes image_goldens.npz with real TensorFlow (``python tests/golden/make_image_goldens.py
tests/golden/image_goldens.npz`` in a TF 2.x interpreter): tf.compat.v1.image.resize_images
for the four methods with and without align_corners (values and gradients), grayscale,
standardisation, dtype conversions, crop-or-pad and a PNG. tfcompat never imports this."""
import sys

import numpy as np
import tensorflow as tf

tf1 = tf.compat.v1


def main(path):
    tf1.disable_eager_execution()
    rng = np.random.default_rng(1)
    img = rng.random((2, 5, 7, 3)).astype(np.float32)
    out = {"img": img}
    with tf1.Session() as sess:
        for method in range(4):
            for align in (False, True):
                for size in ((8, 11), (3, 4)):
                    x = tf.constant(img)
                    resized = tf1.image.resize_images(x, size, method=method,
                                                      align_corners=align)
                    key = f"r{method}_{int(align)}_{size[0]}"
                    out[key] = sess.run(resized)
                    if method != 3:  # ResizeArea has no gradient
                        dy = rng.random(resized.shape.as_list()).astype(np.float32)
                        out[key + "_dy"] = dy
                        out[key + "_g"] = sess.run(tf1.gradients(resized, x, dy)[0])
        u8 = (rng.random((6, 5, 3)) * 255).astype(np.uint8)
        out["u8"] = u8
        out["gray"] = sess.run(tf1.image.rgb_to_grayscale(u8))
        out["std"] = sess.run(tf1.image.per_image_standardization(u8))
        out["conv_f"] = sess.run(tf1.image.convert_image_dtype(u8, tf.float32))
        out["conv_back"] = sess.run(tf1.image.convert_image_dtype(out["conv_f"], tf.uint8))
        out["conv_u16"] = sess.run(tf1.image.convert_image_dtype(u8, tf.uint16))
        out["crop_pad"] = sess.run(tf1.image.resize_image_with_crop_or_pad(u8, 4, 8))
        out["png"] = np.frombuffer(sess.run(tf1.image.encode_png(u8)), np.uint8)
    np.savez(path, **out)


if __name__ == "__main__":
    main(sys.argv[1])
