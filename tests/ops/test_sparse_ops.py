"""SparseTensor, sparse_placeholder feeds/fetches and the sparse ops: forward against dense
NumPy, static shapes, float64 gradients of the values and dense operands, TF's errors."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.test import check_gradients

rng = np.random.default_rng(11)
INDICES = np.array([[0, 1], [1, 2], [2, 0], [2, 3]])
SHAPE = [3, 4]
VALUES = rng.normal(size=4)


def _dense(indices=INDICES, values=VALUES, shape=SHAPE):
    out = np.zeros(shape)
    for index, value in zip(indices, values, strict=True):
        out[tuple(index)] += value
    return out


def _run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


def test_sparse_tensor_fetch_and_placeholder_feeds():
    with tf.Graph().as_default():
        sp = tf.SparseTensor(INDICES, VALUES, SHAPE)
        assert sp.shape.as_list() == SHAPE and sp.dtype == tf.float64
        assert sp.indices.dtype == tf.int64 and sp.dense_shape.dtype == tf.int64
        value = _run(sp)
        assert isinstance(value, tf.SparseTensorValue)
        np.testing.assert_array_equal(value.indices, INDICES)
        ph = tf.sparse_placeholder(tf.float32, name="ids")
        assert ph.values.name == "ids/values:0" and ph.dense_shape.name == "ids/shape:0"
        total = tf.sparse_reduce_sum(ph)
        fed = tf.SparseTensorValue(INDICES, VALUES.astype(np.float32), SHAPE)
        np.testing.assert_allclose(_run(total, {ph: fed}), VALUES.sum(), rtol=1e-6)
        np.testing.assert_allclose(_run(total, {ph: (INDICES, VALUES, SHAPE)}), VALUES.sum(),
                                   rtol=1e-6)
        with pytest.raises(TypeError, match="SparseTensorValue"):
            _run(total, {ph: VALUES})
        fixed = tf.sparse.placeholder(tf.float64, shape=SHAPE)
        assert fixed.shape.as_list() == SHAPE
        assert tf.convert_to_tensor_or_sparse_tensor(fed).values.dtype == tf.float32


@pytest.mark.parametrize("adjoint_a,adjoint_b", [(False, False), (True, False), (False, True),
                                                 (True, True)])
def test_sparse_tensor_dense_matmul(adjoint_a, adjoint_b):
    a = _dense()
    a_op = a.T if adjoint_a else a
    b = rng.normal(size=(a_op.shape[1], 2))
    b_in = np.ascontiguousarray(b.T) if adjoint_b else b
    with tf.Graph().as_default():
        out = tf.sparse_tensor_dense_matmul(tf.SparseTensor(INDICES, VALUES, SHAPE), b_in,
                                            adjoint_a=adjoint_a, adjoint_b=adjoint_b)
        assert out.shape.as_list() == [a_op.shape[0], 2]
        np.testing.assert_allclose(_run(out), a_op @ b)
    check_gradients(lambda v, m: tf.sparse.matmul(tf.SparseTensor(INDICES, v, SHAPE), m,
                                                  adjoint_a=adjoint_a, adjoint_b=adjoint_b),
                    VALUES, b_in)


def test_sparse_add_sparse_and_dense():
    other_indices = np.array([[0, 1], [0, 3], [2, 3]])
    other_values = np.array([-VALUES[0], 1.5, 2.0])
    with tf.Graph().as_default():
        a = tf.SparseTensor(INDICES, VALUES, SHAPE)
        b = tf.SparseTensor(other_indices, other_values, SHAPE)
        total = tf.sparse_add(a, b)
        pruned = tf.sparse.add(a, b, threshold=1e-9)
        with_dense = tf.sparse_add(np.ones(SHAPE), a)
        total_v, pruned_v, dense_v = _run([total, pruned, with_dense])
    expected = _dense() + _dense(other_indices, other_values)
    np.testing.assert_allclose(_dense(total_v.indices, total_v.values), expected)
    assert len(total_v.values) == 5 and len(pruned_v.values) == 4  # [0,1] cancels
    np.testing.assert_allclose(dense_v, _dense() + 1.0)
    check_gradients(lambda v, w: tf.sparse.to_dense(tf.sparse_add(
        tf.SparseTensor(INDICES, v, SHAPE), tf.SparseTensor(other_indices, w, SHAPE))),
        VALUES, other_values)
    check_gradients(lambda v, d: tf.sparse_add(tf.SparseTensor(INDICES, v, SHAPE), d),
                    VALUES, np.ones(SHAPE))
    with tf.Graph().as_default():
        with pytest.raises(TypeError, match="At least one input should be SparseTensor"):
            tf.sparse_add(np.ones(2), np.ones(2))


@pytest.mark.parametrize("axis,keepdims", [(None, False), (1, False), (0, True), (-1, True)])
def test_sparse_reduce_sum(axis, keepdims):
    with tf.Graph().as_default():
        out = tf.sparse_reduce_sum(tf.SparseTensor(INDICES, VALUES, SHAPE), axis=axis,
                                   keepdims=keepdims)
        expected = np.sum(_dense(), axis=axis, keepdims=keepdims)
        assert out.shape.as_list() == list(np.shape(expected))
        np.testing.assert_allclose(_run(out), expected)
    check_gradients(lambda v: tf.sparse_reduce_sum(tf.SparseTensor(INDICES, v, SHAPE),
                                                   axis=axis, keepdims=keepdims), VALUES)


def test_sparse_to_dense_and_errors():
    with tf.Graph().as_default():
        out = tf.sparse_to_dense(INDICES, SHAPE, VALUES, default_value=-1.0)
        scalar = tf.sparse_to_dense([1, 3], [5], 2.0)
        assert out.shape.as_list() == SHAPE
        expected = np.full(SHAPE, -1.0)
        expected[tuple(INDICES.T)] = VALUES
        out_v, scalar_v = _run([out, scalar])
        np.testing.assert_allclose(out_v, expected)
        np.testing.assert_array_equal(scalar_v, [0, 2, 0, 2, 0])
        unordered = tf.sparse_to_dense(INDICES[::-1], SHAPE, VALUES)
        with pytest.raises(tf.errors.InvalidArgumentError, match="is out of order"):
            _run(unordered)
        outside = tf.sparse_to_dense([[3, 0]], SHAPE, [1.0])
        with pytest.raises(tf.errors.InvalidArgumentError, match="is out of bounds"):
            _run(outside)
    check_gradients(lambda v, d: tf.sparse_to_dense(INDICES, SHAPE, v, default_value=d),
                    VALUES, np.array(0.5))


def test_sparse_concat_reshape_reorder_retain():
    with tf.Graph().as_default():
        sp = tf.SparseTensor(INDICES, VALUES, SHAPE)
        joined = tf.sparse_concat(1, [sp, sp])
        reshaped = tf.sparse_reshape(sp, [-1, 2])
        shuffled = tf.SparseTensor(INDICES[[2, 0, 3, 1]], VALUES[[2, 0, 3, 1]], SHAPE)
        ordered = tf.sparse_reorder(shuffled)
        kept = tf.sparse_retain(sp, [True, False, False, True])
        joined_v, reshaped_v, ordered_v, kept_v = _run([joined, reshaped, ordered, kept])
    np.testing.assert_allclose(_dense(joined_v.indices, joined_v.values, [3, 8]),
                               np.concatenate([_dense(), _dense()], 1))
    np.testing.assert_allclose(_dense(reshaped_v.indices, reshaped_v.values, [6, 2]),
                               _dense().reshape(6, 2))
    np.testing.assert_array_equal(ordered_v.indices, INDICES)
    np.testing.assert_allclose(ordered_v.values, VALUES)
    np.testing.assert_array_equal(kept_v.indices, INDICES[[0, 3]])
    check_gradients(lambda v: tf.sparse.to_dense(tf.sparse_reorder(
        tf.SparseTensor(INDICES[[2, 0, 3, 1]], v, SHAPE))), VALUES)
    with tf.Graph().as_default():
        bad = tf.sparse_reshape(tf.SparseTensor(INDICES, VALUES, SHAPE), [5, -1])
        with pytest.raises(tf.errors.InvalidArgumentError, match="multiple of 5"):
            _run(bad)


def test_sparse_softmax():
    indices = np.array([[0, 0], [0, 2], [1, 1], [2, 0], [2, 1], [2, 3]])
    values = rng.normal(size=6)
    with tf.Graph().as_default():
        out = tf.sparse_softmax(tf.SparseTensor(indices, values, SHAPE))
        value = _run(out)
    expected = np.empty(6)
    for row in range(3):
        members = indices[:, 0] == row
        e = np.exp(values[members] - values[members].max())
        expected[members] = e / e.sum()
    np.testing.assert_allclose(value.values, expected)
    check_gradients(lambda v: tf.sparse_softmax(tf.SparseTensor(indices, v, SHAPE)).values,
                    values)


def test_from_dense_and_to_indicator():
    dense = _dense()
    with tf.Graph().as_default():
        sp = tf.sparse.from_dense(dense)
        indicator = tf.sparse_to_indicator(tf.SparseTensor([[0, 0], [0, 1], [1, 0]], [3, 1, 2],
                                                           [2, 2]), 4)
        sp_v, indicator_v = _run([sp, indicator])
    np.testing.assert_array_equal(sp_v.indices, INDICES)
    np.testing.assert_allclose(sp_v.values, VALUES)
    np.testing.assert_array_equal(indicator_v, [[False, True, False, True],
                                                [False, False, True, False]])


MIXED = tf.SparseTensorValue(np.array([[0, 1], [0, 2], [2, 0]]), np.array([-3.0, -1.0, 0.0]),
                             np.array([4, 3]))


def test_sparse_segment_reductions_and_gradients():
    data = rng.normal(size=(4, 3))
    indices, segment_ids = np.array([0, 2, 1, 1]), np.array([0, 0, 2, 2])
    expected_sum = np.zeros((3, 3))
    np.add.at(expected_sum, segment_ids, data[indices])
    counts = np.bincount(segment_ids, minlength=3).reshape(-1, 1)
    with tf.Graph().as_default():
        total = tf.sparse_segment_sum(data, indices, segment_ids)
        mean = tf.sparse.segment_mean(data, indices, segment_ids)
        root = tf.sparse_segment_sqrt_n(data, indices, segment_ids, num_segments=5)
        assert total.op.type == "SparseSegmentSum" and total.shape.as_list() == [None, 3]
        assert root.op.type == "SparseSegmentSqrtNWithNumSegments"
        assert root.shape.as_list() == [5, 3]
        total_v, mean_v, root_v = _run([total, mean, root])
        with pytest.raises(tf.errors.InvalidArgumentError, match="not increasing"):
            _run(tf.sparse_segment_sum(data, [0, 1], [1, 0]))
    np.testing.assert_allclose(total_v, expected_sum)
    np.testing.assert_allclose(mean_v, expected_sum / np.maximum(counts, 1))
    np.testing.assert_allclose(root_v[:3], expected_sum / np.sqrt(np.maximum(counts, 1)))
    np.testing.assert_array_equal(root_v[3:], 0.0)
    for builder in (tf.sparse_segment_sum, tf.sparse_segment_mean, tf.sparse_segment_sqrt_n):
        check_gradients(lambda d, b=builder: b(d, indices, segment_ids), data)


def test_fill_empty_rows_slice_split_transpose():
    values = rng.normal(size=3)
    indices = MIXED.indices
    with tf.Graph().as_default():
        sp = tf.SparseTensor(indices, values, [4, 3])
        filled, empty = tf.sparse_fill_empty_rows(sp, 9.0)
        sliced = tf.sparse_slice(sp, [0, 1], [3, 5])
        pieces = tf.sparse_split(sp_input=sp, num_split=3, axis=1)
        transposed = tf.sparse_transpose(sp)
        filled_v, empty_v, sliced_v, pieces_v, transposed_v = _run(
            [filled, empty, sliced, pieces, transposed])
        with pytest.raises(ValueError, match="Keyword arguments are required"):
            tf.sparse_split(sp, 3, 1)
    np.testing.assert_array_equal(filled_v.indices, [[0, 1], [0, 2], [1, 0], [2, 0], [3, 0]])
    np.testing.assert_allclose(filled_v.values, [values[0], values[1], 9.0, values[2], 9.0])
    assert empty_v.tolist() == [False, True, False, True]
    assert sliced_v.indices.tolist() == [[0, 0], [0, 1]]
    assert sliced_v.dense_shape.tolist() == [3, 2]
    assert [p.indices.tolist() for p in pieces_v] == [[[2, 0]], [[0, 0]], [[0, 0]]]
    assert all(p.dense_shape.tolist() == [4, 1] for p in pieces_v)
    np.testing.assert_allclose(_dense(transposed_v.indices, transposed_v.values, [3, 4]),
                               _dense(indices, values, [4, 3]).T)
    check_gradients(lambda v, d: tf.sparse.to_dense(tf.sparse_fill_empty_rows(
        tf.SparseTensor(indices, v, [4, 3]), d)[0]), values, np.array(2.0))
    check_gradients(lambda v: tf.sparse_slice(tf.SparseTensor(indices, v, [4, 3]), [0, 1],
                                              [3, 5]).values, values)


def test_max_reductions_maximum_minimum_and_compositions():
    other = tf.SparseTensorValue(np.array([[0, 1], [1, 1], [2, 0]]), np.array([-5.0, 2.0, 1.0]),
                                 np.array([4, 3]))
    with tf.Graph().as_default():
        sp, sp2 = tf.SparseTensor.from_value(MIXED), tf.SparseTensor.from_value(other)
        dense_max = tf.sparse_reduce_max(sp, 1)
        sparse_max = tf.sparse.reduce_max_sparse(sp, 1)
        sparse_sum = tf.sparse_reduce_sum_sparse(sp, 1, keepdims=True)
        maximum, minimum = tf.sparse_maximum(sp, sp2), tf.sparse.minimum(sp, sp2)
        expanded = tf.sparse.expand_dims(sp, 1)
        eye = tf.sparse.eye(2, 3, dtype=tf.float64)
        reset = tf.sparse_reset_shape(sp)
        masked = tf.sparse_mask(tf.IndexedSlices(tf.constant([[1.0], [2.0], [3.0]]),
                                                 tf.constant([0, 5, 7]), tf.constant([10, 1])),
                                [5])
        values = _run([dense_max, sparse_max, sparse_sum, maximum, minimum, expanded, eye,
                       reset, masked])
    # (TensorFlow 2.21's compat.v1 results: groups without entries reduce to 0.)
    assert values[0].tolist() == [-1.0, 0.0, 0.0, 0.0]
    assert values[1].indices.tolist() == [[0], [2]] and values[1].values.tolist() == [-1.0, 0.0]
    assert values[2].indices.tolist() == [[0, 0], [2, 0]]
    assert values[2].values.tolist() == [-4.0, 0.0] and values[2].dense_shape.tolist() == [4, 1]
    assert values[3].indices.tolist() == [[0, 1], [0, 2], [1, 1], [2, 0]]
    assert values[3].values.tolist() == [-3.0, 0.0, 2.0, 1.0]
    assert values[4].values.tolist() == [-5.0, -1.0, 0.0, 0.0]
    assert values[5].indices.tolist() == [[0, 0, 1], [0, 0, 2], [2, 0, 0]]
    assert values[5].dense_shape.tolist() == [4, 1, 3]
    assert values[6].indices.tolist() == [[0, 0], [1, 1]] and values[6].values.tolist() == [1, 1]
    assert values[7].dense_shape.tolist() == [3, 3]
    assert values[8].indices.tolist() == [0, 7] and values[8].values.tolist() == [[1.0], [3.0]]


def test_serialize_and_deserialize_sparse():
    with tf.Graph().as_default():
        sp = tf.SparseTensor([[0, 1], [1, 0], [1, 2]], np.array([1.0, 2.0, 3.0], np.float32),
                             [2, 3])
        one = tf.serialize_sparse(sp)
        parts = [tf.serialize_tensor(t) for t in (sp.indices, sp.values, sp.dense_shape)]
        many = tf.io.serialize_many_sparse(sp)
        back = tf.deserialize_many_sparse(many, tf.float32, rank=2)
        assert one.shape.as_list() == [3] and back.indices.shape.as_list() == [None, 2]
        one_v, parts_v, many_v, back_v = _run([one, parts, many, back])
        with pytest.raises(tf.errors.InvalidArgumentError, match="type float64"):
            _run(tf.deserialize_many_sparse(many, tf.float64))
    assert one_v.tolist() == parts_v
    # TensorFlow's serialize_many_sparse(sp)[0][1]: the float32 values [1.0] of row 0.
    assert many_v[0][1] == b'\x08\x01\x12\x04\x12\x02\x08\x01"\x04\x00\x00\x80?'
    assert back_v.indices.tolist() == [[0, 1], [1, 0], [1, 2]]
    assert back_v.values.tolist() == [1.0, 2.0, 3.0] and back_v.dense_shape.tolist() == [2, 3]


def test_sparse_merge_places_values_at_their_ids():
    with tf.Graph().as_default():
        ids = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], tf.constant([3, 1, 2], tf.int64), [2, 2])
        weights = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], [0.5, 0.25, 2.0], [2, 2])
        merged = tf.sparse.merge(ids, weights, 4)
        value = _run(merged)
    assert value.indices.tolist() == [[0, 1], [0, 3], [1, 2]]
    assert value.values.tolist() == [0.25, 0.5, 2.0] and value.dense_shape.tolist() == [2, 4]
