"""tf.sets and tf.edit_distance against TensorFlow's results on the same inputs (the
expected values below were printed by TensorFlow 2.21's compat.v1)."""
import numpy as np
import pytest

import tfcompat as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


def _sparse_parts(value):
    return value.indices.tolist(), value.values.tolist(), value.dense_shape.tolist()


def test_dense_set_operations():
    a = tf.constant([[1, 2, 2, 3], [4, 5, 6, 6]], tf.int64)
    b = tf.constant([[2, 3, 9], [7, 4, 4]], tf.int64)
    results = [tf.sets.set_intersection(a, b), tf.sets.set_union(a, b),
               tf.sets.set_difference(a, b), tf.sets.set_difference(a, b, aminusb=False)]
    assert results[0].indices.op.type == "DenseToDenseSetOperation"
    with tf.Session() as sess:
        got = [_sparse_parts(v) for v in sess.run(results)]
    assert got[0] == ([[0, 0], [0, 1], [1, 0]], [2, 3, 4], [2, 2])
    assert got[1] == ([[0, 0], [0, 1], [0, 2], [0, 3], [1, 0], [1, 1], [1, 2], [1, 3]],
                      [1, 2, 3, 9, 4, 5, 6, 7], [2, 4])
    assert got[2] == ([[0, 0], [1, 0], [1, 1]], [1, 5, 6], [2, 2])
    assert got[3] == ([[0, 0], [1, 0]], [9, 7], [2, 1])


def test_sparse_operands_size_and_strings():
    sp = tf.SparseTensor([[0, 0], [0, 2], [1, 1], [2, 0]],
                         tf.constant([3, 1, 5, 8], tf.int64), [3, 4])
    union = tf.sets.union(tf.constant([[1, 2], [3, 3], [0, 0]], tf.int64), sp)
    flipped = tf.sets.difference(sp, tf.constant([[1, 9], [5, 5], [7, 7]], tf.int64))
    both = tf.sets.intersection(sp, sp)
    assert union.indices.op.type == "DenseToSparseSetOperation"
    assert flipped.indices.op.get_attr("set_operation") == "b-a"
    assert both.indices.op.type == "SparseToSparseSetOperation"
    words = tf.sets.intersection(tf.constant([["a", "b"]]), tf.constant([["b", "c"]]))
    with tf.Session() as sess:
        got = sess.run([union, flipped, tf.sets.size(sp), words, both])
    assert _sparse_parts(got[0]) == ([[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [2, 0], [2, 1]],
                                     [1, 2, 3, 3, 5, 0, 8], [3, 3])
    assert _sparse_parts(got[1]) == ([[0, 0], [2, 0]], [3, 8], [3, 1])
    assert got[2].tolist() == [2, 1, 1] and got[2].dtype == np.int32
    assert _sparse_parts(got[3]) == ([[0, 0]], [b"b"], [1, 1])
    assert _sparse_parts(got[4]) == ([[0, 0], [0, 1], [1, 0], [2, 0]], [1, 3, 5, 8], [3, 2])


def test_set_errors_as_tf():
    with pytest.raises(ValueError, match="Dimension 0 in both shapes must be equal, but are "
                                         "1 and 2"):
        tf.sets.set_intersection(tf.constant([[1, 2]]), tf.constant([[1], [2]]))
    with pytest.raises(TypeError, match="'a' has invalid dtype"):
        tf.sets.set_intersection(tf.constant([[1.0, 2.0]]), tf.constant([[1.0]]))
    with pytest.raises(TypeError, match="Types don't match"):
        tf.sets.set_union(tf.constant([[1]]), tf.constant([[1]], tf.int64))


def test_edit_distance_as_tf():
    hypothesis = tf.SparseTensor([[0, 0], [0, 1], [1, 0], [2, 0]], ["a", "b", "c", "d"], [4, 2])
    truth = tf.SparseTensor([[0, 0], [1, 0], [1, 1], [3, 0]], ["a", "c", "x", "z"], [4, 2])
    normalised = tf.edit_distance(hypothesis, truth)
    plain = tf.edit_distance(hypothesis, truth, normalize=False)
    assert normalised.op.type == "EditDistance" and normalised.op.name == "edit_distance"
    h3 = tf.SparseTensor([[0, 0, 0], [1, 1, 0]], [1, 2], [2, 2, 1])
    t3 = tf.SparseTensor([[0, 1, 0], [1, 1, 0]], [1, 3], [2, 3, 1])
    with tf.Session() as sess:
        got = sess.run([normalised, plain, tf.edit_distance(h3, t3)])
    assert got[0].tolist() == [1.0, 0.5, np.inf, 1.0] and got[1].tolist() == [1, 1, 1, 1]
    assert got[2].tolist() == [[np.inf, 1.0, 0.0], [0.0, 1.0, 0.0]]
    with pytest.raises(TypeError, match="Hypothesis must be a SparseTensor"):
        tf.edit_distance(tf.constant([1]), truth)
