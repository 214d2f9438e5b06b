"""Writes image_adjust_goldens.npz: TensorFlow's outputs of the tf.image colour, geometry and
quality functions on fixed inputs (run with a TensorFlow 2.x interpreter, compat.v1 graph
mode; the inputs are regenerated from the same seed by the tests)."""
import os

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()


def inputs():
    rng = np.random.default_rng(11)
    images = rng.uniform(0, 1, size=(2, 5, 6, 3)).astype(np.float32)
    images[0, 0, 0] = [0.5, 0.5, 0.5]  # grey: zero saturation and hue
    images[0, 0, 1] = [0.0, 0.0, 0.0]
    images[0, 0, 2] = [1.0, 0.2, 0.2]
    other = np.clip(images + rng.normal(0, 0.05, images.shape), 0, 1).astype(np.float32)
    big = rng.uniform(0, 1, size=(2, 16, 16, 3)).astype(np.float32)
    big_other = np.clip(big + rng.normal(0, 0.1, big.shape), 0, 1).astype(np.float32)
    return images, other, big, big_other


def multiscale_inputs():
    rng = np.random.default_rng(12)
    large = rng.uniform(0, 1, size=(2, 180, 180, 1)).astype(np.float32)
    noisy = np.clip(large + rng.normal(0, 0.2, large.shape), 0, 1).astype(np.float32)
    return large, noisy


def main():
    images, other, big, big_other = inputs()
    bytes_ = (images * 255).astype(np.uint8)
    image3 = tf.constant(images[0])
    images, other, big, big_other, bytes_ = (tf.constant(a) for a in (
        images, other, big, big_other, bytes_))
    out = {}
    with tf.Session() as sess:
        def put(key, tensor):
            out[key] = sess.run(tensor)
        put("rgb_to_hsv", tf.image.rgb_to_hsv(images))
        put("hsv_to_rgb", tf.image.hsv_to_rgb(images))
        put("adjust_hue", tf.image.adjust_hue(images, 0.3))
        put("adjust_hue_negative", tf.image.adjust_hue(image3, -0.7))
        put("adjust_hue_uint8", tf.image.adjust_hue(bytes_, 0.2))
        put("adjust_saturation", tf.image.adjust_saturation(images, 0.4))
        put("adjust_saturation_up", tf.image.adjust_saturation(image3, 2.5))
        put("adjust_contrast", tf.image.adjust_contrast(images, 1.7))
        put("adjust_contrast_uint8", tf.image.adjust_contrast(bytes_, 1.7))
        put("adjust_brightness", tf.image.adjust_brightness(images, 0.2))
        put("adjust_brightness_uint8", tf.image.adjust_brightness(bytes_, 0.2))
        put("adjust_gamma", tf.image.adjust_gamma(images, 0.5, 1.2))
        put("adjust_gamma_uint8", tf.image.adjust_gamma(bytes_, 2.0))
        put("rgb_to_yiq", tf.image.rgb_to_yiq(images))
        put("yiq_to_rgb", tf.image.yiq_to_rgb(images))
        put("rgb_to_yuv", tf.image.rgb_to_yuv(images))
        put("yuv_to_rgb", tf.image.yuv_to_rgb(images))
        put("central_crop", tf.image.central_crop(images, 0.5))
        put("central_crop3", tf.image.central_crop(image3, 0.7))
        for k in range(4):
            put(f"rot90_{k}", tf.image.rot90(images, k))
            put(f"rot90_3d_{k}", tf.image.rot90(image3, k))
        put("transpose_image", tf.image.transpose_image(images))
        put("total_variation", tf.image.total_variation(images))
        put("total_variation3", tf.image.total_variation(image3))
        put("psnr", tf.image.psnr(images, other, max_val=1.0))
        put("psnr_uint8", tf.image.psnr(bytes_, tf.cast(other * 255, tf.uint8), max_val=255))
        put("ssim", tf.image.ssim(big, big_other, max_val=1.0))
        dy, dx = tf.image.image_gradients(images)
        put("image_gradients_dy", dy)
        put("image_gradients_dx", dx)
        put("sobel_edges", tf.image.sobel_edges(images))
        large, noisy = multiscale_inputs()
        put("ssim_multiscale", tf.image.ssim_multiscale(tf.constant(large), tf.constant(noisy),
                                                        max_val=1.0))
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "image_adjust_goldens.npz")
    np.savez_compressed(path, **out)


if __name__ == "__main__":
    main()
