"""Scatter updates of variables (Scatter*, ScatterNd*), tensor_scatter_* (with gradients) and
batch_scatter_update: forward against NumPy, static shapes, TF's errors."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.test import check_gradients

rng = np.random.default_rng(5)
START = np.arange(12.0).reshape(4, 3) + 1.0


def _reference(kind, target, index, updates):
    out = target.copy()
    if kind == "update":
        out[index] = updates
    else:
        ufunc = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.divide,
                 "min": np.minimum, "max": np.maximum}[kind]
        ufunc.at(out, index, updates)
    return out


@pytest.mark.parametrize("kind", ["update", "add", "sub", "mul", "div", "min", "max"])
def test_scatter_on_variable(kind):
    indices = np.array([2, 0, 2]) if kind != "update" else np.array([2, 0])
    updates = rng.uniform(1, 20, size=(indices.size, 3))
    with tf.Graph().as_default():
        var = tf.Variable(START)
        out = getattr(tf, f"scatter_{kind}")(var, indices, updates)
        assert out.op.type == f"Scatter{kind.capitalize()}" and out.name.startswith("Scatter")
        assert out.dtype == tf.float64._as_ref and out.shape.as_list() == [4, 3]
        with tf.Session() as sess:
            sess.run(var.initializer)
            first = sess.run(out)
            np.testing.assert_allclose(first, _reference(kind, START, indices, updates))
            np.testing.assert_allclose(sess.run(var), first)  # the variable changed
            np.testing.assert_allclose(sess.run(out), _reference(kind, first, indices, updates))


def test_scatter_scalar_update_broadcasts_and_higher_rank_indices():
    with tf.Graph().as_default():
        var = tf.Variable(START)
        out = tf.scatter_add(var, [[1], [3]], 5.0)
        matrix = tf.scatter_update(var, [[0, 1]], [[[0.0] * 3, [1.0] * 3]])
        with tf.Session() as sess:
            sess.run(var.initializer)
            expected = START.copy()
            expected[[1, 3]] += 5.0
            np.testing.assert_allclose(sess.run(out), expected)
            expected[0], expected[1] = 0.0, 1.0
            np.testing.assert_allclose(sess.run(matrix), expected)


def test_scatter_errors():
    with tf.Graph().as_default():
        var = tf.Variable(START)
        with pytest.raises(ValueError, match="Dimension 1 in both shapes must be equal, but are "
                                             "2 and 3"):
            tf.scatter_add(var, [0], [[1.0, 2.0]])
        with pytest.raises(TypeError, match="is not a variable"):
            tf.scatter_add(var.value(), [0], [[1.0, 2.0, 3.0]])
        ph = tf.placeholder(tf.int32, [None])
        out = tf.scatter_sub(var, ph, np.ones((2, 3)), name="bad")
        with tf.Session() as sess:
            sess.run(var.initializer)
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match=r"indices\[1\] = 7 is not in \[0, 4\)") as info:
                sess.run(out, {ph: [0, 7]})
            assert "bad" in str(info.value)
            np.testing.assert_array_equal(sess.run(var), START)  # nothing was written


@pytest.mark.parametrize("kind", ["update", "add", "sub"])
def test_scatter_nd_on_variable(kind):
    indices = np.array([[0, 1], [3, 2], [0, 1]]) if kind != "update" else np.array([[0, 1],
                                                                                    [3, 2]])
    updates = rng.normal(size=len(indices))
    with tf.Graph().as_default():
        var = tf.Variable(START)
        out = getattr(tf, f"scatter_nd_{kind}")(var, indices, updates)
        rows = tf.scatter_nd_update(var, [[1]], [[7.0, 8.0, 9.0]])
        with tf.Session() as sess:
            sess.run(var.initializer)
            expected = _reference(kind, START, tuple(indices.T), updates)
            np.testing.assert_allclose(sess.run(out), expected)
            expected[1] = [7.0, 8.0, 9.0]
            np.testing.assert_allclose(sess.run(rows), expected)
        with pytest.raises(ValueError, match="Shapes must be equal rank"):
            tf.scatter_nd_add(var, [[1]], [1.0])


@pytest.mark.parametrize("kind", ["update", "add", "sub"])
def test_tensor_scatter_forward_and_gradients(kind):
    tensor = rng.normal(size=(4, 3))
    indices = np.array([[2], [0]])
    updates = rng.normal(size=(2, 3))
    with tf.Graph().as_default():
        out = getattr(tf, f"tensor_scatter_{kind}")(tensor, indices, updates)
        alias = getattr(tf, f"tensor_scatter_nd_{kind}")(tensor, indices, updates)
        assert out.op.type == f"TensorScatter{kind.capitalize()}"
        assert out.shape.as_list() == [4, 3]
        with tf.Session() as sess:
            value, alias_value = sess.run([out, alias])
    expected = _reference(kind, tensor, tuple(indices.T), updates)
    np.testing.assert_allclose(value, expected)
    np.testing.assert_allclose(alias_value, expected)
    builder = getattr(tf, f"tensor_scatter_{kind}")
    check_gradients(lambda t, u: builder(t, indices, u), tensor, updates)


def test_tensor_scatter_errors():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="Dimension 0 in both shapes must be equal"):
            tf.tensor_scatter_update(tf.zeros([4, 3]), [[1], [2]], tf.zeros([3, 3]))
        ph = tf.placeholder(tf.int32, [None, 1])
        out = tf.tensor_scatter_add(tf.zeros([4, 3]), ph, tf.ones([1, 3]))
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError, match="does not index into"):
                sess.run(out, {ph: [[4]]})


def test_batch_scatter_update():
    with tf.Graph().as_default():
        var = tf.Variable(np.zeros((2, 3, 2)))
        out = tf.batch_scatter_update(var, [[2], [0]], [[[1.0, 2.0]], [[3.0, 4.0]]])
        with tf.Session() as sess:
            sess.run(var.initializer)
            value = sess.run(out)
    expected = np.zeros((2, 3, 2))
    expected[0, 2], expected[1, 0] = [1.0, 2.0], [3.0, 4.0]
    np.testing.assert_array_equal(value, expected)
