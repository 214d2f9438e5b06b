"""runtime/rules/array.py and rules/nn.py: ConcatV2's and SplitV's fast kernels and BiasAdd
written into kept storage give the reference kernels' results, and fall back to them (and
TF's errors) for anything they do not handle."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.runtime import lowering

rng = np.random.default_rng(17)


def test_concat_matches_the_reference_and_raises_its_errors():
    a, b = rng.random((2, 3), dtype=np.float32), rng.random((2, 5), dtype=np.float32)
    with tf.Graph().as_default():
        op = tf.concat([tf.placeholder(tf.float32), tf.placeholder(tf.float32)], 1).op
    fast = lowering.lookup_fast_kernel(op, None)
    reference = op.op_def.kernel(op, None)
    for axis in (1, -1):
        np.testing.assert_array_equal(fast(a, b, np.int32(axis)),
                                      reference(a, b, np.int32(axis)))
    np.testing.assert_array_equal(fast(a, a, np.int32(0)), np.vstack([a, a]))
    for bad in [(a, b, np.int32(0)), (a, b, np.int32(2)), (a, b[0], np.int32(1))]:
        with pytest.raises(tf.errors.InvalidArgumentError, match="ConcatOp"):
            fast(*bad)


def test_split_v_views_match_the_reference_for_each_shape():
    with tf.Graph().as_default():
        value = tf.placeholder(tf.float32)
        op = tf.split(value, tf.placeholder(tf.int32, [3]), axis=tf.placeholder(tf.int32, []),
                      num=3)[0].op
    fast = lowering.lookup_fast_kernel(op, None)
    reference = op.op_def.kernel(op, None)
    for shape, sizes, axis in [((4, 6), [1, 2, 3], 1), ((4, 6), [1, 2, 3], 1),
                               ((6, 2), [2, -1, 1], 0), ((2, 6), [3, 3, 0], -1),
                               ((4, 6), [1, 2, 3], 1)]:
        x = rng.random(shape, dtype=np.float32)
        sizes = np.array(sizes, np.int32)
        got, expected = fast(x, sizes, np.int32(axis)), reference(x, sizes, np.int32(axis))
        assert len(got) == len(expected)
        for piece, want in zip(got, expected):
            np.testing.assert_array_equal(piece, want)
            assert np.shares_memory(piece, x) or piece.size == 0
    with pytest.raises(tf.errors.InvalidArgumentError, match="Determined shape"):
        fast(rng.random((4, 6)), np.array([1, 2, 2], np.int32), np.int32(1))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_bias_add_into_kept_storage_matches_the_reference(dtype):
    value, bias = rng.random((5, 2, 3)).astype(dtype), rng.random(3).astype(dtype)
    value[0, 0, 0] = np.nan
    with tf.Graph().as_default():
        op = tf.nn.bias_add(tf.placeholder(tf.as_dtype(dtype)),
                            tf.placeholder(tf.as_dtype(dtype))).op
        nchw = tf.nn.bias_add(tf.placeholder(tf.float32, [1, 3, 2, 2]),
                              tf.placeholder(tf.float32, [3]), data_format="NCHW").op
    out = np.empty((5, 2, 3), dtype)
    into = lowering.lookup_kernel_into(op, None, out)
    result = into(value, bias)
    assert result is out
    np.testing.assert_array_equal(result, op.op_def.kernel(op, None)(value, bias))
    # Other shapes than the storage's get the reference's new array (or its error).
    np.testing.assert_array_equal(into(value[:2], bias), value[:2] + bias)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Must provide as many biases"):
        into(value, bias[:2])
    assert lowering.lookup_kernel_into(nchw, None, np.empty((1, 3, 2, 2), np.float32)) is None


def test_split_views_match_the_reference():
    with tf.Graph().as_default():
        op = tf.split(tf.placeholder(tf.float32), 4, axis=tf.placeholder(tf.int32, []))[0].op
    fast = lowering.lookup_fast_kernel(op, None)
    reference = op.op_def.kernel(op, None)
    for shape, axis in [((3, 8), 1), ((3, 8), 1), ((8, 2), 0), ((2, 4, 4), -1), ((3, 8), 1)]:
        x = rng.random(shape, dtype=np.float32)
        got, expected = fast(np.int32(axis), x), reference(np.int32(axis), x)
        assert len(got) == 4
        for piece, want in zip(got, expected):
            np.testing.assert_array_equal(piece, want)
            assert np.shares_memory(piece, x)
    with pytest.raises(tf.errors.InvalidArgumentError, match="evenly divide"):
        fast(np.int32(1), rng.random((3, 6)))


def test_gather_of_one_row_copies_it_and_leaves_the_rest_to_the_reference():
    with tf.Graph().as_default():
        op = tf.gather(tf.placeholder(tf.float32), tf.placeholder(tf.int32)).op
    fast = lowering.lookup_fast_kernel(op, None)
    reference = op.op_def.kernel(op, None)
    params = rng.random((4, 3), dtype=np.float32)
    words = np.array([b"a", b"bc", b"d"], dtype=object)
    for values, index in [(params, 2), (params, [3, 0]), (params[:, 0], 1), (words, 1)]:
        index = np.array(index, np.int32)
        got, want = fast(values, index, np.int32(0)), reference(values, index, np.int32(0))
        np.testing.assert_array_equal(got, want)
        assert np.shape(got) == np.shape(want)
        assert np.asarray(got).dtype == np.asarray(want).dtype
        assert not np.shares_memory(got, values)
    np.testing.assert_array_equal(fast(params, np.int32(1), np.int32(1)), params[:, 1])
    for bad in (4, -1):
        with pytest.raises(tf.errors.InvalidArgumentError, match=rf"indices\[\] = {bad} is not"):
            fast(params, np.array(bad, np.int32), np.int32(0))
