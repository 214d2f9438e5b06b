"""Non-max suppression, crop_and_resize and its gradients, draw_bounding_boxes,
extract_image_patches and resize_image_with_pad against TensorFlow's outputs on the same
inputs (tests/golden/make_image_box_goldens.py); FD checks of the differentiable ones;
sample_distorted_bounding_box's contract; TF's errors."""
import os

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.test import check_gradients

_GOLDEN_DIR = os.path.join(os.path.dirname(__file__), "..", "golden")
GOLDEN = np.load(os.path.join(_GOLDEN_DIR, "image_box_goldens.npz"))


def _inputs():
    path = os.path.join(_GOLDEN_DIR, "make_image_box_goldens.py")
    source = open(path).read()
    namespace = {"np": np}
    exec(source[source.index("def inputs():"):source.index("def main():")], namespace)
    return namespace["inputs"]()


(BOXES, SCORES, IMAGE, CROP_BOXES, BOX_IND, DRAW, DRAW_BOXES, PATCHES_IN,
 PAD_IN) = _inputs()


def _run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


def test_non_max_suppression_matches_tensorflow():
    with tf.Graph().as_default():
        overlaps = np.abs(np.subtract.outer(SCORES, SCORES)).astype(np.float32)
        indices, valid = tf.image.non_max_suppression_padded(BOXES, SCORES, 8, 0.3,
                                                             pad_to_max_output_size=True)
        fetched = _run([tf.image.non_max_suppression(BOXES, SCORES, 6, iou_threshold=0.3),
                        tf.image.non_max_suppression(BOXES, SCORES, 10, 0.5,
                                                     score_threshold=0.4),
                        tf.image.non_max_suppression_overlaps(overlaps, SCORES, 5, 0.2),
                        indices, valid])
        assert indices.shape.as_list() == [8]
    for value, key in zip(fetched, ["nms", "nms_score", "nms_overlaps", "nms_padded",
                                    "nms_padded_valid"]):
        np.testing.assert_array_equal(value, GOLDEN[key])


def test_non_max_suppression_errors():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="Shape must be rank 2 but is rank 1"):
            tf.image.non_max_suppression(SCORES, SCORES, 3)
        threshold = tf.placeholder(tf.float32, [])
        kept = tf.image.non_max_suppression(BOXES, SCORES, 3, iou_threshold=threshold)
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"iou_threshold must be in \[0, 1\]"):
            _run(kept, {threshold: 1.5})


def test_crop_and_resize_and_gradients_match_tensorflow():
    weights = np.linspace(-1, 1, 4 * 3 * 4 * 3).reshape(4, 3, 4, 3).astype(np.float32)
    for method in ("bilinear", "nearest"):
        with tf.Graph().as_default():
            image = tf.constant(IMAGE)
            boxes = tf.constant(CROP_BOXES)
            crops = tf.image.crop_and_resize(image, boxes, BOX_IND, [3, 4], method=method,
                                             extrapolation_value=0.25)
            assert crops.shape.as_list() == [4, 3, 4, 3]
            grads = tf.gradients(tf.reduce_sum(crops * weights), [image, boxes])
            fetches = [crops, grads[0]] + ([grads[1]] if method == "bilinear" else [])
            values = _run(fetches)
        np.testing.assert_allclose(values[0], GOLDEN[f"crop_{method}"], atol=1e-6)
        np.testing.assert_allclose(values[1], GOLDEN[f"crop_{method}_grad_image"], atol=1e-5)
        if method == "bilinear":
            np.testing.assert_allclose(values[2], GOLDEN["crop_bilinear_grad_boxes"],
                                       rtol=1e-4, atol=1e-4)
    with tf.Graph().as_default():
        single = tf.image.crop_and_resize(IMAGE, CROP_BOXES, BOX_IND, [1, 1])
        np.testing.assert_allclose(_run(single), GOLDEN["crop_single"], atol=1e-6)


def test_crop_and_resize_finite_differences():
    rng = np.random.default_rng(4)
    boxes = np.array([[0.12, 0.21, 0.83, 0.71], [0.55, 0.08, 0.31, 0.93]], np.float64)
    check_gradients(lambda image: tf.image.crop_and_resize(image, boxes, [0, 1], [3, 2]),
                    rng.uniform(size=(2, 5, 6, 2)), delta=1e-3, atol=2e-3, rtol=2e-3)
    image = rng.uniform(size=(2, 5, 6, 2))
    check_gradients(lambda b: tf.image.crop_and_resize(image, tf.cast(b, tf.float32), [0, 1],
                                                       [3, 2]), boxes,
                    delta=1e-4, atol=5e-3, rtol=5e-3)


def test_crop_and_resize_errors():
    with tf.Graph().as_default():
        index = tf.placeholder(tf.int32, [4])
        crops = tf.image.crop_and_resize(IMAGE, CROP_BOXES, index, [2, 2])
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"box_index has values outside \[0, batch_size\)"):
            _run(crops, {index: [0, 1, 2, 0]})
        with pytest.raises(ValueError, match="method"):
            tf.image.crop_and_resize(IMAGE, CROP_BOXES, BOX_IND, [2, 2], method="area")


def test_draw_bounding_boxes_matches_tensorflow():
    with tf.Graph().as_default():
        colour, gray = _run([tf.image.draw_bounding_boxes(DRAW, DRAW_BOXES),
                             tf.image.draw_bounding_boxes(DRAW[..., :1], DRAW_BOXES)])
        custom = _run(tf.image.draw_bounding_boxes(np.zeros((1, 3, 3, 3), np.float32),
                                                   [[[0, 0, 1, 1]]],
                                                   colors=[[1.0, 0.0, 0.0, 1.0]]))
    np.testing.assert_array_equal(colour, GOLDEN["draw"])
    np.testing.assert_array_equal(gray, GOLDEN["draw_gray"])
    assert custom[0, :, :, 0].tolist() == [[1, 1, 1], [1, 0, 1], [1, 1, 1]]


@pytest.mark.parametrize("padding", ["VALID", "SAME"])
def test_extract_image_patches_matches_tensorflow(padding):
    with tf.Graph().as_default():
        images = tf.constant(PATCHES_IN)
        patches = tf.extract_image_patches(images, [1, 3, 2, 1], [1, 2, 3, 1], [1, 1, 2, 1],
                                           padding)
        assert patches.shape.as_list() == list(GOLDEN[f"patches_{padding}"].shape)
        weights = np.linspace(-1, 1, int(np.prod(patches.shape.as_list()))).reshape(
            patches.shape.as_list()).astype(np.float32)
        grad = tf.gradients(tf.reduce_sum(patches * weights), images)[0]
        value, grad_value = _run([patches, grad])
    np.testing.assert_allclose(value, GOLDEN[f"patches_{padding}"])
    np.testing.assert_allclose(grad_value, GOLDEN[f"patches_{padding}_grad"], atol=1e-6)
    check_gradients(lambda t: tf.image.extract_image_patches(t, [1, 2, 2, 1], [1, 1, 2, 1],
                                                             [1, 2, 1, 1], padding),
                    np.random.default_rng(1).normal(size=(1, 4, 5, 2)))


def test_resize_image_with_pad_matches_tensorflow():
    with tf.Graph().as_default():
        bilinear = tf.image.resize_image_with_pad(PAD_IN, 10, 6)
        nearest = tf.image.resize_image_with_pad(
            PAD_IN, 7, 12, method=tf.image.ResizeMethod.NEAREST_NEIGHBOR)
        assert bilinear.shape.as_list() == [10, 6, 3]
        values = _run([bilinear, nearest])
    np.testing.assert_allclose(values[0], GOLDEN["pad_resize"], atol=1e-6)
    np.testing.assert_allclose(values[1], GOLDEN["pad_resize_nearest"], atol=1e-6)


def test_sample_distorted_bounding_box_contract():
    with tf.Graph().as_default():
        begin, size, window = tf.image.sample_distorted_bounding_box(
            [40, 60, 3], [[[0.2, 0.3, 0.7, 0.8]]], seed=7, min_object_covered=0.5,
            area_range=[0.2, 0.9])
        crop = tf.slice(tf.zeros([40, 60, 3]), begin, size)
        with tf.Session() as sess:
            draws = [sess.run([begin, size, window, tf.shape(crop)]) for _ in range(20)]
        with tf.Session() as sess:
            again = sess.run([begin, size])
    assert again[0].tolist() == draws[0][0].tolist()  # same seed, same first draw
    for b, s, w, shape in draws:
        assert s[2] == -1 and shape.tolist() == [s[0], s[1], 3]
        assert 0 <= b[0] and b[0] + s[0] <= 40 and 0 <= b[1] and b[1] + s[1] <= 60
        np.testing.assert_allclose(w[0, 0], [b[0] / 40, b[1] / 60, (b[0] + s[0]) / 40,
                                             (b[1] + s[1]) / 60], rtol=1e-6)
    with tf.Graph().as_default():
        begin, _, _ = tf.image.sample_distorted_bounding_box([4, 4, 1], tf.zeros([1, 0, 4]))
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="use_image_if_no_bounding_boxes"):
            _run(begin)


def test_combined_non_max_suppression_matches_tensorflow():
    golden = np.load(os.path.join(_GOLDEN_DIR, "combined_nms_goldens.npz"))
    source = open(os.path.join(_GOLDEN_DIR, "make_combined_nms_goldens.py")).read()
    namespace = {"np": np}
    exec(source[source.index("CASES = {"):source.index("def main():")], namespace)
    boxes, scores = namespace["inputs"]()
    with tf.Graph().as_default():
        results = {key: tf.image.combined_non_max_suppression(boxes, scores, **arguments)
                   for key, arguments in namespace["CASES"].items()}
        results["shared"] = tf.image.combined_non_max_suppression(boxes[:, :, :1], scores, 2,
                                                                  4)
        assert results["padded"][0].shape.as_list() == [2, 6, 4]
        assert results["plain"][0].op.name == \
            "combined_non_max_suppression/CombinedNonMaxSuppression"
        got = _run(results)
    for key, values in got.items():
        for name, value in zip(("boxes", "scores", "classes", "valid"), values):
            np.testing.assert_allclose(value, golden[f"{key}_{name}"], atol=1e-6,
                                       err_msg=f"{key} {name}")
