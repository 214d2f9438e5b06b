"""ImageConnectedComponents: ids are the flat index (over the batch) of each component's
first pixel plus one, 0 for zero pixels; shape inference, TF's errors, not differentiable."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.ops import image_component_ops


@pytest.fixture(autouse=True)
def _fresh_graph():
    with tf.Graph().as_default():
        yield


def test_ids_are_first_pixel_flat_indices():
    images = np.array([[[1, 1, 0], [0, 2, 1]], [[0, 4, 4], [4, 0, 4]]], np.int32)
    output = image_component_ops.image_connected_components(images)
    assert output.dtype == tf.int64 and output.shape.as_list() == [2, 2, 3]
    with tf.Session() as sess:
        got = sess.run(output)
    np.testing.assert_array_equal(got, [[[1, 1, 0], [0, 5, 6]], [[0, 8, 8], [10, 0, 8]]])


def test_shape_errors_and_no_gradient():
    with pytest.raises(ValueError, match="Shape must be rank 3 but is rank 2"):
        image_component_ops.image_connected_components(np.zeros([2, 2]))
    images = tf.placeholder(tf.float32, None)
    output = image_component_ops.image_connected_components(images)
    assert tf.gradients(tf.cast(output, tf.float32), images) == [None]
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="must have rank 3"):
            sess.run(output, {images: np.zeros([2, 2], np.float32)})
