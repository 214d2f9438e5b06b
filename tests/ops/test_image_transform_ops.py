"""ImageProjectiveTransformV2 against TensorFlow's outputs and gradients (goldens written
by tests/golden/make_image_transform_goldens.py), its shape inference and TF's errors."""
import os

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.ops import image_transform_ops
from tfcompat.test import check_gradients

GOLDENS = np.load(os.path.join(os.path.dirname(__file__), os.pardir, "golden",
                               "image_transform_goldens.npz"))
CASES = sorted({key.split("/")[0] for key in GOLDENS.files})


@pytest.fixture(autouse=True)
def _fresh_graph():
    with tf.Graph().as_default():
        yield


def _case(name):
    return {key.split("/")[1]: GOLDENS[key] for key in GOLDENS.files
            if key.startswith(name + "/")}


def _transform(images, transforms, output_shape, interpolation):
    return image_transform_ops.image_projective_transform_v2(
        images, transforms, output_shape, interpolation=interpolation)


@pytest.mark.parametrize("name", CASES)
def test_matches_tensorflow(name):
    case = _case(name)
    images = tf.constant(case["images"])
    output = _transform(images, case["transforms"], case["output_shape"],
                        str(case["interpolation"]))
    fetches = [output]
    if "dy" in case:
        fetches += tf.gradients(output, images, grad_ys=case["dy"])
    with tf.Session() as sess:
        got = sess.run(fetches)
    assert output.shape.as_list() == list(case["output"].shape)
    assert got[0].dtype == case["output"].dtype
    np.testing.assert_allclose(got[0], case["output"], rtol=1e-6, atol=1e-6)
    if "dy" in case:
        np.testing.assert_allclose(got[1], case["grad"], rtol=1e-5, atol=1e-5)


def test_fast_kernel_agrees_with_reference_bit_for_bit():
    case = _case("float_bilinear")
    images = tf.placeholder(tf.float32, [None, 5, 6, 2])
    outputs = [_transform(images, case["transforms"], case["output_shape"], interpolation)
               for interpolation in ("BILINEAR", "NEAREST")]
    with tf.Session() as sess:
        runs = [sess.run(outputs, {images: case["images"]}) for _ in range(3)]
    for later in runs[1:]:  # the first run is the reference interpreter's
        for first, other in zip(runs[0], later, strict=True):
            np.testing.assert_array_equal(first, other)


def test_nan_image_values_propagate():
    images = np.ones((1, 3, 3, 1), np.float32)
    images[0, 1, 1, 0] = np.nan
    with tf.Session() as sess:
        nearest, bilinear = sess.run([
            _transform(images, np.eye(3).ravel()[:8][None], [3, 3], interpolation)
            for interpolation in ("NEAREST", "BILINEAR")])
    assert np.isnan(nearest[0, 1, 1, 0]) and np.nansum(nearest) == 8
    # The bilinear blend reads the pixel below/right with weight 0: 0 * NaN, as in TF.
    np.testing.assert_array_equal(np.isnan(bilinear[0, :, :, 0]),
                                  [[True, True, False], [True, True, False], [False] * 3])


# TensorFlow's outputs (TF 2.21, fill_mode CONSTANT) for a first coefficient a0 of
# nan/1e30/inf: NEAREST fills what lands nowhere; BILINEAR's 0 * nan weights give NaN.
@pytest.mark.parametrize("a0,interpolation,first_column,rest", [
    (np.nan, "NEAREST", 0.0, 0.0), (1e30, "NEAREST", 1.0, 0.0), (np.inf, "NEAREST", 0.0, 0.0),
    (np.nan, "BILINEAR", np.nan, np.nan), (1e30, "BILINEAR", 1.0, 0.0),
    (np.inf, "BILINEAR", np.nan, np.nan)])
def test_nonfinite_transforms_as_tensorflow(a0, interpolation, first_column, rest):
    transforms = np.array([[a0, 0, 0, 0, 1, 0, 0, 0]], np.float32)
    with tf.Session() as sess:
        got = sess.run(_transform(np.ones((1, 3, 3, 1), np.float32), transforms, [3, 3],
                                  interpolation))[0, :, :, 0]
    np.testing.assert_array_equal(got[:, 0], first_column)
    np.testing.assert_array_equal(got[:, 1:], rest)


@pytest.mark.parametrize("transform", [
    [1, 0, -2, 0, 1, 1, 0, 0],          # an integer shift
    [0, -1, 3, 1, 0, 0, 0, 0]])         # a quarter turn of a 4x4 image
def test_gradient_of_permutations_is_exact(transform):
    transforms = np.array([transform], np.float32)

    def build(images):
        return _transform(images, transforms, [4, 4], "NEAREST")

    check_gradients(build, np.random.RandomState(0).randn(2, 4, 4, 3))


def test_shape_inference():
    images = tf.placeholder(tf.float32, [None, 8, 9, 3])
    size = tf.placeholder(tf.int32, [2])
    assert _transform(images, np.zeros([1, 8]), [4, 5], "NEAREST").shape.as_list() == [
        None, 4, 5, 3]
    assert _transform(images, np.zeros([1, 8]), size, "NEAREST").shape.as_list() == [
        None, None, None, 3]
    with pytest.raises(ValueError, match="Shape must be rank 4 but is rank 3"):
        _transform(tf.zeros([8, 9, 3]), np.zeros([1, 8]), [4, 5], "NEAREST")
    with pytest.raises(ValueError, match="Dimension must be 2 but is 3"):
        _transform(images, np.zeros([1, 8]), [4, 5, 6], "NEAREST")
    with pytest.raises(TypeError, match="DataType bool not in list"):
        _transform(tf.zeros([1, 2, 2, 1], tf.bool), np.zeros([1, 8]), [2, 2], "NEAREST")


@pytest.mark.parametrize("transforms,size,interpolation,message", [
    (np.zeros([2, 8]), [2, 2], "NEAREST", "Input transform should be num_images x 8"),
    (np.zeros([1, 7]), [2, 2], "NEAREST", "Input transform should be num_images x 8"),
    (np.zeros([1, 8]), [0, 2], "NEAREST", "output dimensions must be positive"),
    (np.zeros([1, 8]), [2, 2], "BICUBIC", "Invalid interpolation BICUBIC"),
])
def test_run_time_errors(transforms, size, interpolation, message):
    images = tf.placeholder(tf.float32, [None, 3, 3, 1])
    sizes = tf.placeholder(tf.int32, [2])
    output = _transform(images, tf.placeholder_with_default(
        np.asarray(transforms, np.float32), [None, None]), sizes, interpolation)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match=message):
            sess.run(output, {images: np.zeros([3, 3, 3, 1]), sizes: size})
