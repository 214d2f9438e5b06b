"""tf.io / tf.image codecs beyond PNG: BMP, GIF (against TF's frames), JPEG encoding, shape
extraction, cropping and magic-byte checks."""
import io
import pathlib

import numpy as np
import pytest

import tfcompat as tf

GOLDEN = pathlib.Path(__file__).parent.parent / "golden"


def _image(height=6, width=8, channels=3):
    return np.random.default_rng(0).integers(0, 255, (height, width, channels), np.uint8)


def _run(fetches):
    with tf.Session() as sess:
        return sess.run(fetches)


def test_decode_gif_matches_tensorflow():
    frames = np.load(GOLDEN / "codec_goldens.npz")["gif_frames"]
    with tf.Graph().as_default():
        decoded = tf.io.decode_gif((GOLDEN / "two_frames.gif").read_bytes())
        assert decoded.op.type == "DecodeGif" and decoded.shape.as_list() == [None, None,
                                                                              None, 3]
        np.testing.assert_array_equal(_run(decoded), frames)
        with pytest.raises(tf.errors.InvalidArgumentError, match="Invalid GIF data"):
            _run(tf.io.decode_gif(b"GIF89a-not-really"))


def test_decode_bmp_channels():
    from PIL import Image
    image = _image()
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="BMP")
    with tf.Graph().as_default():
        plain = tf.io.decode_bmp(buffer.getvalue())
        with_alpha = tf.image.decode_bmp(buffer.getvalue(), channels=4)
        assert plain.op.type == "DecodeBmp" and plain.dtype == tf.uint8
        rgb, rgba = _run([plain, with_alpha])
    np.testing.assert_array_equal(rgb, image)
    np.testing.assert_array_equal(rgba[..., :3], image)
    assert (rgba[..., 3] == 255).all()


def test_encode_jpeg_round_trip_shape_crop_and_magic():
    image = np.tile(np.linspace(0, 255, 8, dtype=np.uint8)[None, :, None], (6, 1, 3))
    with tf.Graph().as_default():
        encoded = tf.io.encode_jpeg(image, quality=95)
        assert encoded.op.type == "EncodeJpeg" and encoded.shape.ndims == 0
        shape = tf.io.extract_jpeg_shape(encoded)
        crop = tf.io.decode_and_crop_jpeg(encoded, [1, 2, 3, 4])
        assert crop.shape.as_list() == [3, 4, None] and shape.shape.as_list() == [3]
        magic = tf.io.is_jpeg(encoded)
        assert magic.op.name == "is_jpeg/Equal"
        not_jpeg = tf.image.is_jpeg(tf.image.encode_png(image))
        decoded = tf.image.decode_jpeg(encoded)
        bad_window = tf.io.decode_and_crop_jpeg(encoded, [4, 2, 3, 4])
        data, shape_value, crop_value, full, flags = _run(
            [encoded, shape, crop, decoded, [magic, not_jpeg]])
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="Invalid JPEG data or crop window"):
            _run(bad_window)
    assert data[:3] == b"\xff\xd8\xff" and flags == [True, False]
    assert shape_value.tolist() == [6, 8, 3] and shape_value.dtype == np.int32
    np.testing.assert_array_equal(crop_value, full[1:4, 2:6])
    assert np.abs(full.astype(int) - image).max() <= 8  # lossy, but close on a smooth ramp


def test_encode_jpeg_rejects_other_channel_counts():
    with tf.Graph().as_default():
        encoded = tf.io.encode_jpeg(_image(channels=4))
        with pytest.raises(tf.errors.InvalidArgumentError, match="1 or 3 channels"):
            _run(encoded)
