"""tf.contrib.image: transform/rotate/translate on images of rank 2-4, TF's rotation sign
convention, the transform helpers, and their errors."""
import numpy as np
import pytest

import tfcompat as tf

image_ops = tf.contrib.image


@pytest.fixture(autouse=True)
def _fresh_graph():
    with tf.Graph().as_default():
        yield


def _run(*fetches):
    with tf.Session() as sess:
        return sess.run(list(fetches))


def test_rotate_quarter_turn_is_counterclockwise():
    image = np.arange(16, dtype=np.float32).reshape(4, 4)
    got, = _run(image_ops.rotate(image, np.pi / 2))
    # TF's convention: the output of a pi/2 rotation is np.rot90 (counterclockwise).
    np.testing.assert_array_equal(got, np.rot90(image))


@pytest.mark.parametrize("shape", [(4, 4), (4, 4, 2), (3, 4, 4, 2)])
def test_rotate_keeps_the_rank_given(shape):
    images = np.random.RandomState(0).rand(*shape).astype(np.float32)
    rotated = image_ops.rotate(images, np.pi)
    got, = _run(rotated)
    assert rotated.shape.as_list() == list(shape)
    np.testing.assert_array_equal(got, np.flip(np.flip(images, 0 if len(shape) < 4 else 1),
                                               1 if len(shape) < 4 else 2))


def test_rotate_one_angle_per_image():
    images = np.random.RandomState(1).rand(2, 4, 4, 1).astype(np.float32)
    got, = _run(image_ops.rotate(images, [np.pi / 2, -np.pi / 2]))
    np.testing.assert_array_equal(got[0, :, :, 0], np.rot90(images[0, :, :, 0]))
    np.testing.assert_array_equal(got[1, :, :, 0], np.rot90(images[1, :, :, 0], -1))


def test_translate_moves_content_right_and_down():
    image = np.arange(1, 13, dtype=np.float32).reshape(3, 4, 1)
    got, = _run(image_ops.translate(image, [1, 2]))
    want = np.zeros_like(image)
    want[2:, 1:] = image[:1, :3]
    np.testing.assert_array_equal(got, want)


def test_translate_bilinear_half_pixel():
    image = np.array([[0, 2, 4, 6]], np.float32)
    got, = _run(image_ops.translate(image, [0.5, 0], interpolation="bilinear"))
    np.testing.assert_allclose(got, [[0, 1, 3, 5]])


def test_transform_output_shape_and_dtype():
    images = np.random.RandomState(2).randint(0, 255, (2, 5, 6, 3)).astype(np.uint8)
    identity = [1, 0, 0, 0, 1, 0, 0, 0]
    output = image_ops.transform(images, identity, output_shape=[3, 4])
    got, = _run(output)
    assert output.dtype == tf.uint8 and output.shape.as_list() == [2, 3, 4, 3]
    np.testing.assert_array_equal(got, images[:, :3, :4])
    assert output.op.type == "ImageProjectiveTransformV2"
    assert output.op.name == "transform/ImageProjectiveTransformV2"


def test_transform_dynamic_image_size():
    images = tf.placeholder(tf.float32, [None, None, None, 1])
    output = image_ops.rotate(images, np.pi / 2)
    value = np.random.RandomState(3).rand(1, 3, 3, 1).astype(np.float32)
    with tf.Session() as sess:
        got = sess.run(output, {images: value})
    np.testing.assert_array_equal(got[0, :, :, 0], np.rot90(value[0, :, :, 0]))


def test_angles_and_translations_to_transforms():
    rotation, shift = _run(image_ops.angles_to_projective_transforms(0.5, 5.0, 7.0),
                           image_ops.translations_to_projective_transforms([[2, -3], [1, 1]]))
    cos, sin = np.cos(np.float32(0.5)), np.sin(np.float32(0.5))
    np.testing.assert_allclose(rotation, [[cos, -sin, (6 - (cos * 6 - sin * 4)) / 2, sin, cos,
                                           (4 - (sin * 6 + cos * 4)) / 2, 0, 0]], rtol=1e-6)
    np.testing.assert_array_equal(shift, [[1, 0, -2, 0, 1, 3, 0, 0], [1, 0, -1, 0, 1, -1, 0, 0]])


def test_compose_and_convert_transforms():
    a = np.array([[1.0, 0.2, 3.0, -0.1, 2.0, 1.0, 0.01, 0.02]], np.float32)
    b = np.array([[0.5, 0.0, -1.0, 0.3, 1.5, 2.0, 0.0, 0.03]], np.float32)
    composed, matrices, flat = _run(
        image_ops.compose_transforms(a, b), image_ops.flat_transforms_to_matrices(a),
        image_ops.matrices_to_flat_transforms(2 * np.append(a, 1).reshape(1, 3, 3)))
    to_matrix = lambda t: np.append(t, 1).reshape(3, 3)  # noqa: E731
    product = to_matrix(a) @ to_matrix(b)
    np.testing.assert_allclose(composed[0], (product / product[2, 2]).ravel()[:8], rtol=1e-5)
    np.testing.assert_array_equal(matrices[0], to_matrix(a))
    np.testing.assert_allclose(flat, a, rtol=1e-6)


def test_rotation_gradient_reaches_the_images():
    images = tf.constant(np.random.RandomState(4).rand(1, 4, 4, 1).astype(np.float32))
    grad, = tf.gradients(tf.reduce_sum(image_ops.rotate(images, np.pi / 2) * np.arange(16.0)
                                       .reshape(1, 4, 4, 1).astype(np.float32)), images)
    got, = _run(grad)
    np.testing.assert_array_equal(got[0, :, :, 0],
                                  np.rot90(np.arange(16.0).reshape(4, 4), -1))


def test_errors():
    with pytest.raises(TypeError, match="Images should have rank between 2 and 4"):
        image_ops.transform(np.zeros([1, 1, 2, 2, 1], np.float32), np.zeros(8))
    with pytest.raises(TypeError, match="Invalid dtype bool"):
        image_ops.rotate(np.zeros([2, 2], bool), 1.0)
    with pytest.raises(TypeError, match="Transforms should have rank 1 or 2"):
        image_ops.transform(np.zeros([2, 2], np.float32), np.zeros([1, 1, 8]))
    with pytest.raises(TypeError, match="Angles should have rank 0 or 1"):
        image_ops.angles_to_projective_transforms(np.zeros([1, 1]), 2.0, 2.0)
    with pytest.raises(TypeError, match="Translations should have rank 1 or 2"):
        image_ops.translations_to_projective_transforms(np.zeros([1, 1, 2]))
    with pytest.raises(ValueError, match="output_shape must be a 1-D Tensor of 2 elements"):
        image_ops.transform(np.zeros([2, 2], np.float32), np.zeros(8), output_shape=[1, 2, 3])


def _warp_reference(image, flow):
    """NumPy dense_image_warp: bilinear with the cell clamped to the image, as TF."""
    batch, height, width, _ = image.shape
    out = np.zeros_like(image)
    for b in range(batch):
        for y in range(height):
            for x in range(width):
                qy, qx = y - flow[b, y, x, 0], x - flow[b, y, x, 1]
                fy = int(min(max(0, np.floor(qy)), height - 2))
                fx = int(min(max(0, np.floor(qx)), width - 2))
                ay, ax = np.clip(qy - fy, 0, 1), np.clip(qx - fx, 0, 1)
                top = ax * (image[b, fy, fx + 1] - image[b, fy, fx]) + image[b, fy, fx]
                bottom = (ax * (image[b, fy + 1, fx + 1] - image[b, fy + 1, fx])
                          + image[b, fy + 1, fx])
                out[b, y, x] = ay * (bottom - top) + top
    return out


def test_dense_image_warp_matches_reference():
    rng = np.random.RandomState(5)
    image = rng.rand(2, 4, 5, 3)
    flow = rng.uniform(-2.5, 2.5, (2, 4, 5, 2))
    warped = image_ops.dense_image_warp(tf.constant(image), tf.constant(flow))
    got, = _run(warped)
    assert warped.shape.as_list() == [2, 4, 5, 3]
    np.testing.assert_allclose(got, _warp_reference(image, flow), rtol=1e-12)


def test_dense_image_warp_gradients():
    rng = np.random.RandomState(6)
    image = rng.rand(1, 3, 4, 2)
    flow = rng.uniform(0.1, 0.9, (1, 3, 4, 2)) * np.array([1, -1])  # away from cell edges
    tf.test.check_gradients(image_ops.dense_image_warp, image, flow)


def test_dense_image_warp_checks_the_grid():
    warped = image_ops.dense_image_warp(np.zeros([1, 1, 3, 1], np.float32),
                                        np.zeros([1, 1, 3, 2], np.float32))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Grid height must be at least 2"):
        _run(warped)


def test_dense_image_warp_dynamic_shapes():
    rng = np.random.RandomState(7)
    image, flow = rng.rand(1, 3, 4, 2), rng.uniform(-1, 1, (1, 3, 4, 2))
    image_ph = tf.placeholder(tf.float64, [None, None, None, 2])
    flow_ph = tf.placeholder(tf.float64, [None, None, None, 2])
    warped = image_ops.dense_image_warp(image_ph, flow_ph)
    with tf.Session() as sess:
        got = sess.run(warped, {image_ph: image, flow_ph: flow})
    np.testing.assert_allclose(got, _warp_reference(image, flow), rtol=1e-12)


def _flood_fill_components(images):
    """Reference: 4-connected same-value components numbered 1, 2, ... in row-major order of
    their first pixels over the whole batch (0 for zero pixels)."""
    labels = np.zeros(images.shape, np.int32)
    next_id = 1
    for b, y, x in np.ndindex(*images.shape):
        if images[b, y, x] == images.dtype.type(0) or labels[b, y, x]:
            continue
        stack, labels[b, y, x] = [(y, x)], next_id
        while stack:
            cy, cx = stack.pop()
            for ny, nx in ((cy - 1, cx), (cy + 1, cx), (cy, cx - 1), (cy, cx + 1)):
                if (0 <= ny < images.shape[1] and 0 <= nx < images.shape[2]
                        and not labels[b, ny, nx] and images[b, ny, nx] == images[b, y, x]):
                    labels[b, ny, nx] = next_id
                    stack.append((ny, nx))
        next_id += 1
    return labels


@pytest.mark.parametrize("dtype", [np.int64, np.float32, bool, np.uint8])
def test_connected_components_match_flood_fill(dtype):
    images = np.random.RandomState(12).randint(0, 3, (3, 6, 7)).astype(dtype)
    components = image_ops.connected_components(images)
    got, = _run(components)
    assert components.dtype == tf.int32 and components.shape.as_list() == [3, 6, 7]
    np.testing.assert_array_equal(got, _flood_fill_components(images))


def test_connected_components_single_image_strings_and_errors():
    image = np.array([[b"a", b"", b"a"], [b"a", b"b", b"b"]], dtype=object)
    got, = _run(image_ops.connected_components(image))
    np.testing.assert_array_equal(got, [[1, 0, 2], [1, 3, 3]])
    no_zero, = _run(image_ops.connected_components(np.ones([2, 2], bool)))
    np.testing.assert_array_equal(no_zero, [[1, 1], [1, 1]])
    with pytest.raises(TypeError, match=r"rank 2 \(HW\) or 3 \(NHW\)"):
        image_ops.connected_components(np.zeros([1, 2, 2, 1]))


@pytest.mark.parametrize("order,kernel", [(2, "thin_plate_spline"), (1, "linear"),
                                          (3, "cubic")])
def test_interpolate_spline_matches_scipy_rbf(order, kernel):
    from scipy.interpolate import RBFInterpolator
    rng = np.random.RandomState(13)
    train_points, train_values = rng.rand(2, 7, 2), rng.randn(2, 7, 3)
    query_points = rng.rand(2, 5, 2)
    got, at_train = _run(
        image_ops.interpolate_spline(train_points, train_values, query_points, order),
        image_ops.interpolate_spline(train_points, train_values, train_points, order))
    np.testing.assert_allclose(at_train, train_values, atol=1e-8)
    # TF's phi of order 1 is sqrt(max(r², 1e-10)): 1e-5, not 0, on the kernel's diagonal.
    atol = 1e-4 if order == 1 else 1e-8
    for b in range(2):  # phi(r) = r, r^2 log r, r^3 with a degree-1 polynomial, as scipy's
        want = RBFInterpolator(train_points[b], train_values[b], kernel=kernel,
                               degree=1)(query_points[b])
        np.testing.assert_allclose(got[b], want, rtol=1e-6, atol=atol)


def test_interpolate_spline_regularization_smooths():
    rng = np.random.RandomState(14)
    points, values = rng.rand(1, 8, 1), rng.randn(1, 8, 1)
    exact, smooth = _run(*(image_ops.interpolate_spline(points, values, points, 2, weight)
                           for weight in (0.0, 10.0)))
    np.testing.assert_allclose(exact, values, atol=1e-8)
    assert np.abs(smooth - values).max() > 1e-3


def test_sparse_image_warp():
    image = np.random.RandomState(15).rand(1, 6, 7, 2)
    source = np.array([[[1.0, 1.0], [4.0, 5.0], [2.0, 3.0], [4.0, 1.0]]])
    shift = np.array([0.5, -1.0])
    unchanged, _ = image_ops.sparse_image_warp(image, source, source)
    shifted, flows = image_ops.sparse_image_warp(image, source, source + shift,
                                                 interpolation_order=1)
    pinned, pinned_flows = image_ops.sparse_image_warp(image, source, source + shift,
                                                       num_boundary_points=2)
    got_unchanged, got_shifted, got_flows, got_pinned_flows = _run(unchanged, shifted, flows,
                                                                   pinned_flows)
    np.testing.assert_allclose(got_unchanged, image, atol=1e-9)
    np.testing.assert_allclose(got_flows, np.broadcast_to(shift, (1, 6, 7, 2)), atol=1e-8)
    want, = _run(image_ops.dense_image_warp(image, np.broadcast_to(shift, (1, 6, 7, 2))))
    np.testing.assert_allclose(got_shifted, want, atol=1e-8)
    assert pinned.shape.as_list() == [1, 6, 7, 2]
    np.testing.assert_allclose(got_pinned_flows[0, 0, 0], [0.0, 0.0], atol=1e-8)
    np.testing.assert_allclose(got_pinned_flows[0, 5, 6], [0.0, 0.0], atol=1e-8)
