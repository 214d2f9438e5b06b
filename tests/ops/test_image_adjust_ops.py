"""tf.image colour adjustments, colour spaces, geometry and quality measures against
TensorFlow's outputs on the same inputs (tests/golden/make_image_adjust_goldens.py), plus
float64 gradients of the differentiable ones and TF's argument errors."""
import importlib.util
import os

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.framework.op_def import make_tensor
from tfcompat.test import check_gradients

_GOLDEN_DIR = os.path.join(os.path.dirname(__file__), "..", "golden")
GOLDEN = np.load(os.path.join(_GOLDEN_DIR, "image_adjust_goldens.npz"))


def _inputs():
    spec = importlib.util.spec_from_file_location(
        "make_image_adjust_goldens", os.path.join(_GOLDEN_DIR, "make_image_adjust_goldens.py"))
    source = open(spec.origin).read()
    namespace = {"np": np}
    start = source.index("def inputs():")
    exec(source[start:source.index("def main():")], namespace)  # the same seeded inputs
    return namespace["inputs"](), namespace["multiscale_inputs"]()


(IMAGES, OTHER, BIG, BIG_OTHER), (LARGE, NOISY) = _inputs()
BYTES = (IMAGES * 255).astype(np.uint8)


def _cases():
    image3 = IMAGES[0]
    cases = {
        "rgb_to_hsv": lambda: tf.image.rgb_to_hsv(IMAGES),
        "hsv_to_rgb": lambda: tf.image.hsv_to_rgb(IMAGES),
        "adjust_hue": lambda: tf.image.adjust_hue(IMAGES, 0.3),
        "adjust_hue_negative": lambda: tf.image.adjust_hue(image3, -0.7),
        "adjust_hue_uint8": lambda: tf.image.adjust_hue(BYTES, 0.2),
        "adjust_saturation": lambda: tf.image.adjust_saturation(IMAGES, 0.4),
        "adjust_saturation_up": lambda: tf.image.adjust_saturation(image3, 2.5),
        "adjust_contrast": lambda: tf.image.adjust_contrast(IMAGES, 1.7),
        "adjust_contrast_uint8": lambda: tf.image.adjust_contrast(BYTES, 1.7),
        "adjust_brightness": lambda: tf.image.adjust_brightness(IMAGES, 0.2),
        "adjust_brightness_uint8": lambda: tf.image.adjust_brightness(BYTES, 0.2),
        "adjust_gamma": lambda: tf.image.adjust_gamma(IMAGES, 0.5, 1.2),
        "adjust_gamma_uint8": lambda: tf.image.adjust_gamma(BYTES, 2.0),
        "rgb_to_yiq": lambda: tf.image.rgb_to_yiq(IMAGES),
        "yiq_to_rgb": lambda: tf.image.yiq_to_rgb(IMAGES),
        "rgb_to_yuv": lambda: tf.image.rgb_to_yuv(IMAGES),
        "yuv_to_rgb": lambda: tf.image.yuv_to_rgb(IMAGES),
        "central_crop": lambda: tf.image.central_crop(IMAGES, 0.5),
        "central_crop3": lambda: tf.image.central_crop(image3, 0.7),
        "transpose_image": lambda: tf.image.transpose_image(IMAGES),
        "total_variation": lambda: tf.image.total_variation(IMAGES),
        "total_variation3": lambda: tf.image.total_variation(image3),
        "psnr": lambda: tf.image.psnr(IMAGES, OTHER, max_val=1.0),
        "psnr_uint8": lambda: tf.image.psnr(BYTES, tf.cast(OTHER * 255, tf.uint8), max_val=255),
        "ssim": lambda: tf.image.ssim(BIG, BIG_OTHER, max_val=1.0),
        "ssim_multiscale": lambda: tf.image.ssim_multiscale(LARGE, NOISY, max_val=1.0),
        "image_gradients_dy": lambda: tf.image.image_gradients(IMAGES)[0],
        "image_gradients_dx": lambda: tf.image.image_gradients(IMAGES)[1],
        "sobel_edges": lambda: tf.image.sobel_edges(IMAGES),
    }
    for k in range(4):
        cases[f"rot90_{k}"] = lambda k=k: tf.image.rot90(IMAGES, k)
        cases[f"rot90_3d_{k}"] = lambda k=k: tf.image.rot90(image3, k)
    return cases


CASES = _cases()


@pytest.mark.parametrize("key", sorted(CASES))
def test_matches_tensorflow(key):
    with tf.Graph().as_default():
        tensor = CASES[key]()
        with tf.Session() as sess:
            value = sess.run(tensor)
    expected = GOLDEN[key]
    assert value.dtype == expected.dtype and value.shape == expected.shape
    if expected.dtype == np.uint8:
        assert np.abs(value.astype(int) - expected.astype(int)).max() <= 1
    else:
        np.testing.assert_allclose(value, expected, rtol=2e-5, atol=2e-5)


def test_hsv_round_trip_and_static_shapes():
    with tf.Graph().as_default():
        hsv = tf.image.rgb_to_hsv(IMAGES)
        back = tf.image.hsv_to_rgb(hsv)
        assert hsv.shape.as_list() == list(IMAGES.shape) and hsv.op.type == "RGBToHSV"
        cropped = tf.image.central_crop(tf.placeholder(tf.float32, [None, 5, 6, 3]), 0.5)
        assert cropped.shape.as_list() == [None, 3, 4, 3]
        rotated = tf.image.rot90(tf.placeholder(tf.float32, [7, 5, 3]))
        assert rotated.shape.as_list() == [None, None, 3]
        with tf.Session() as sess:
            np.testing.assert_allclose(sess.run(back), IMAGES, atol=1e-6)


def test_gradients_in_float64():
    rng = np.random.default_rng(2)
    # adjust_contrast computes in float32 as TF does; the op itself is checked in float64.
    check_gradients(lambda t, f: make_tensor("AdjustContrastv2", [t, f], {"T": tf.float64}),
                    rng.uniform(size=(1, 3, 4, 2)), 1.7)
    check_gradients(lambda t: tf.image.total_variation(t), rng.uniform(size=(3, 4, 2)))
    check_gradients(lambda t: tf.image.rgb_to_yiq(t), rng.uniform(size=(2, 3, 3)))
    check_gradients(lambda t: tf.image.sobel_edges(t), rng.uniform(size=(1, 4, 5, 2)))
    check_gradients(lambda t: tf.image.rot90(t, 3), rng.uniform(size=(3, 4, 2)))


def test_argument_errors_as_tf():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match=r"central_fraction must be within \(0, 1\]"):
            tf.image.central_crop(IMAGES, 0.0)
        with pytest.raises(ValueError, match="upper must be > lower."):
            tf.image.random_contrast(IMAGES, 0.9, 0.5)
        with pytest.raises(ValueError, match="lower must be non-negative."):
            tf.image.random_saturation(IMAGES, -0.1, 0.5)
        with pytest.raises(ValueError, match="max_delta must be <= 0.5."):
            tf.image.random_hue(IMAGES, 0.6)
        with pytest.raises(ValueError, match="max_delta must be non-negative."):
            tf.image.random_brightness(IMAGES, -1.0)
        with pytest.raises(ValueError, match="image_gradients expects a 4D tensor"):
            tf.image.image_gradients(IMAGES[0])
        gamma = tf.placeholder(tf.float32, [])
        adjusted = tf.image.adjust_gamma(IMAGES, gamma)
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError, match="Gamma should be a "
                                                                     "non-negative"):
                sess.run(adjusted, {gamma: -1.0})


def test_random_adjustments_stay_in_range_and_follow_the_seed():
    with tf.Graph().as_default():
        tf.set_random_seed(3)
        outs = [tf.image.random_brightness(BYTES, 0.3, seed=1),
                tf.image.random_contrast(IMAGES, 0.5, 1.5, seed=2),
                tf.image.random_hue(IMAGES, 0.2, seed=3),
                tf.image.random_saturation(IMAGES, 0.5, 1.5, seed=4)]
        with tf.Session() as sess:
            first = sess.run(outs)
        with tf.Session() as sess:
            again = sess.run(outs)
    assert first[0].dtype == np.uint8
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    hue_delta = np.abs(first[2] - IMAGES).max()
    assert 0 < hue_delta
