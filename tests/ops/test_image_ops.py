"""Image ops: the four resize methods (with align_corners) and their gradients against
goldens written by real TensorFlow (tests/golden/make_image_goldens.py), finite-difference
checks of the resize gradients, crops/pads/flips, random flips and crops, standardisation,
dtype conversion, grayscale, PNG/JPEG codecs through Pillow, tf.read_file and errors."""
import io
import pathlib

import numpy as np
import pytest
from PIL import Image

import tfcompat as tf
from tfcompat.test import check_gradients

GOLDEN = np.load(pathlib.Path(__file__).parent.parent / "golden" / "image_goldens.npz")
rng = np.random.default_rng(4)


@pytest.mark.parametrize("method", [0, 1, 2, 3])
@pytest.mark.parametrize("align", [False, True])
@pytest.mark.parametrize("size", [(8, 11), (3, 4)])
def test_resize_images_matches_tensorflow(method, align, size):
    key = f"r{method}_{int(align)}_{size[0]}"
    with tf.Graph().as_default(), tf.Session() as sess:
        x = tf.constant(GOLDEN["img"])
        resized = tf.image.resize_images(x, size, method=method, align_corners=align)
        assert resized.shape.as_list() == [2, *size, 3]
        np.testing.assert_allclose(sess.run(resized), GOLDEN[key], rtol=1e-5, atol=1e-5)
        if method != tf.image.ResizeMethod.AREA:
            grad = tf.gradients(resized, x, GOLDEN[key + "_dy"])[0]
            np.testing.assert_allclose(sess.run(grad), GOLDEN[key + "_g"], rtol=1e-5,
                                       atol=1e-5)


@pytest.mark.parametrize("resize", [tf.image.resize_bilinear, tf.image.resize_bicubic,
                                    tf.image.resize_nearest_neighbor])
@pytest.mark.parametrize("align", [False, True])
def test_resize_gradients_by_finite_differences(resize, align):
    images = rng.normal(size=(1, 4, 5, 2))
    # Bilinear and bicubic resizes output float32 (as TF's), but are linear in the images:
    # a wide step keeps the differences exact up to float32 rounding.
    check_gradients(lambda x: resize(x, [7, 3], align_corners=align), images, delta=0.1,
                    atol=2e-5, rtol=2e-5)


def test_resize_details():
    with tf.Graph().as_default(), tf.Session() as sess:
        image = tf.constant(GOLDEN["u8"])
        nearest = tf.image.resize_images(image, [3, 10], tf.image.ResizeMethod.NEAREST_NEIGHBOR)
        bilinear = tf.image.resize_images(image, [3, 10])
        assert nearest.dtype == tf.uint8 and bilinear.dtype == tf.float32
        assert nearest.shape.as_list() == [3, 10, 3] and nearest.op.type == "Squeeze"
        assert tf.image.resize_images(image, [6, 5]) is not None
        size = tf.placeholder(tf.int32, [2])
        dynamic = tf.image.resize_bilinear(tf.zeros([1, 4, 4, 1]), size)
        assert dynamic.shape.as_list() == [1, None, None, 1]
        assert sess.run(dynamic, {size: [2, 3]}).shape == (1, 2, 3, 1)
        with pytest.raises(ValueError, match="'images' must have either 3 or 4 dimensions"):
            tf.image.resize_images(tf.zeros([4, 4]), [2, 2])


def test_pixel_functions_match_tensorflow():
    u8 = GOLDEN["u8"]
    with tf.Graph().as_default(), tf.Session() as sess:
        results = sess.run([tf.image.rgb_to_grayscale(u8), tf.image.per_image_standardization(u8),
                            tf.image.convert_image_dtype(u8, tf.float32),
                            tf.image.convert_image_dtype(GOLDEN["conv_f"], tf.uint8),
                            tf.image.convert_image_dtype(u8, tf.uint16),
                            tf.image.resize_image_with_crop_or_pad(u8, 4, 8)])
    for value, key in zip(results, ["gray", "std", "conv_f", "conv_back", "conv_u16",
                                    "crop_pad"]):
        assert value.dtype == GOLDEN[key].dtype
        np.testing.assert_allclose(value, GOLDEN[key], rtol=1e-6, atol=1e-6)


def test_crops_pads_and_flips():
    image = rng.integers(0, 255, (5, 6, 3)).astype(np.uint8)
    with tf.Graph().as_default(), tf.Session() as sess:
        crop = tf.image.crop_to_bounding_box(image, 1, 2, 3, 4)
        pad = tf.image.pad_to_bounding_box(image, 2, 1, 8, 9)
        lr, ud = tf.image.flip_left_right(image), tf.image.flip_up_down(image)
        assert crop.shape.as_list() == [3, 4, 3] and pad.shape.as_list() == [8, 9, 3]
        crop_v, pad_v, lr_v, ud_v = sess.run([crop, pad, lr, ud])
        with pytest.raises(ValueError, match="width must be >= target \\+ offset."):
            tf.image.crop_to_bounding_box(image, 0, 3, 2, 4)
        with pytest.raises(ValueError, match="height must be <= target - offset"):
            tf.image.pad_to_bounding_box(image, 4, 0, 8, 9)
    np.testing.assert_array_equal(crop_v, image[1:4, 2:6])
    expected = np.zeros((8, 9, 3), np.uint8)
    expected[2:7, 1:7] = image
    np.testing.assert_array_equal(pad_v, expected)
    np.testing.assert_array_equal(lr_v, image[:, ::-1])
    np.testing.assert_array_equal(ud_v, image[::-1])


def test_random_flips_and_crop():
    image = np.arange(2 * 3 * 1, dtype=np.float32).reshape(2, 3, 1)
    with tf.Graph().as_default(), tf.Session() as sess:
        flipped = tf.image.random_flip_left_right(image, seed=3)
        upside = tf.image.random_flip_up_down(image, seed=4)
        crop = tf.random_crop(np.arange(30).reshape(5, 6), [2, 3], seed=5)
        flips = [sess.run(flipped) for _ in range(40)]
        ups = [sess.run(upside) for _ in range(40)]
        crops = [sess.run(crop) for _ in range(40)]
    kinds = {bool(np.array_equal(f, image[:, ::-1])) for f in flips}
    assert kinds == {True, False}
    assert all(np.array_equal(f, image) or np.array_equal(f, image[:, ::-1]) for f in flips)
    assert all(np.array_equal(u, image) or np.array_equal(u, image[::-1]) for u in ups)
    starts = {(int(c[0, 0]) // 6, int(c[0, 0]) % 6) for c in crops}
    assert len(starts) > 3 and all(r <= 3 and col <= 3 for r, col in starts)
    for c in crops:
        np.testing.assert_array_equal(c, np.arange(30).reshape(5, 6)[
            c[0, 0] // 6:c[0, 0] // 6 + 2, c[0, 0] % 6:c[0, 0] % 6 + 3])


def test_codecs_and_read_file(tmp_path):
    rows, columns = np.mgrid[0:7, 0:9]
    image = np.stack([rows * 30, columns * 25, rows * 10 + columns * 10], -1).astype(np.uint8)
    png_path, jpeg_path = tmp_path / "a.png", tmp_path / "b.jpg"
    Image.fromarray(image).save(png_path)
    Image.fromarray(image).save(jpeg_path, quality=95)
    with tf.Graph().as_default(), tf.Session() as sess:
        png = tf.image.decode_png(tf.read_file(str(png_path)), channels=3)
        assert png.shape.as_list() == [None, None, 3] and png.dtype == tf.uint8
        jpeg = tf.image.decode_jpeg(tf.read_file(str(jpeg_path)))
        gray = tf.image.decode_image(tf.read_file(str(png_path)), channels=1)
        as_float = tf.image.decode_image(tf.read_file(str(png_path)), dtype=tf.float32)
        encoded = tf.image.encode_png(image)
        png_v, jpeg_v, gray_v, float_v, encoded_v = sess.run([png, jpeg, gray, as_float,
                                                              encoded])
        with pytest.raises(tf.errors.NotFoundError, match="No such file or directory"):
            sess.run(tf.read_file(str(tmp_path / "missing.png")))
        with pytest.raises(tf.errors.InvalidArgumentError, match="Invalid image data"):
            sess.run(tf.image.decode_png(b"not an image"))
    np.testing.assert_array_equal(png_v, image)
    assert jpeg_v.shape == (7, 9, 3) and np.abs(jpeg_v.astype(int) - image).mean() < 8
    assert gray_v.shape == (7, 9, 1)
    np.testing.assert_allclose(float_v, image / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(np.asarray(Image.open(io.BytesIO(encoded_v))), image)
