"""The Numba kernel of ImageProjectiveTransformV2 (runtime/rules/image.py) against the NumPy
reference, bit for bit: every golden case, each dtype, non-finite transforms, a zero
projection, and the batch of one transform."""
import os

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.ops import image_transform_ops
from tfcompat.runtime import lowering

GOLDENS = np.load(os.path.join(os.path.dirname(__file__), os.pardir, "golden",
                               "image_transform_goldens.npz"))
CASES = sorted({key.split("/")[0] for key in GOLDENS.files})


def _kernels(dtype, interpolation):
    with tf.Graph().as_default():
        images = tf.placeholder(dtype, [None, None, None, None])
        output = image_transform_ops.image_projective_transform_v2(
            images, tf.placeholder(tf.float32, [None, 8]), tf.placeholder(tf.int32, [2]),
            interpolation=interpolation)
        op = output.op
        return op.op_def.kernel(op, None), lowering.lookup_fast_kernel(op, None)


def _agree(images, transforms, size, interpolation):
    reference, fast = _kernels(tf.as_dtype(images.dtype), interpolation)
    if images.dtype == np.float16:  # Numba has no float16: the reference runs
        assert fast is None
        return reference(images, transforms, np.array(size, np.int32))
    want = reference(images, transforms, np.array(size, np.int32))
    got = fast(images, transforms, np.array(size, np.int32))
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(got, want)
    return got


@pytest.mark.parametrize("name", CASES)
def test_golden_cases_bit_for_bit(name):
    case = {key.split("/")[1]: GOLDENS[key] for key in GOLDENS.files
            if key.startswith(name + "/")}
    interpolation = str(case["interpolation"])
    got = _agree(case["images"], case["transforms"], case["output_shape"], interpolation)
    np.testing.assert_allclose(got, case["output"], rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("interpolation", ["NEAREST", "BILINEAR"])
@pytest.mark.parametrize("dtype", [np.uint8, np.int32, np.int64, np.float16, np.float32,
                                   np.float64])
def test_dtypes_and_odd_transforms(dtype, interpolation):
    rng = np.random.RandomState(0)
    images = (rng.rand(3, 7, 5, 2) * 200).astype(dtype)
    images.flat[3] = np.nan if np.issubdtype(dtype, np.floating) else images.flat[3]
    transforms = np.array([
        [0.8, 0.3, 0.5, -0.2, 1.1, 0.5, 0.01, -0.02],
        [np.nan, 0, 0, 0, 1, 0, 0, 0],
        [np.inf, 1e30, -1e30, 0, 1, 0, -0.5, 0]], np.float32)
    _agree(images, transforms, [6, 8], interpolation)
    _agree(images, transforms[:1], [9, 4], interpolation)
