"""unique/setdiff1d/space-depth-batch rearrangements/bitcast/histograms/batch_gather (and
array_ops' reverse_sequence): forward against NumPy loops, static shapes, float64 gradients,
TF's errors."""
import itertools

import numpy as np
import pytest

import tfcompat as tf
from tfcompat.test import check_gradients

rng = np.random.default_rng(3)


def _run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


def test_unique_keeps_first_appearance_order():
    with tf.Graph().as_default():
        y, idx = tf.unique([4, 1, 4, 2, 1, 7])
        counted = tf.unique_with_counts(tf.constant([2.5, -1.0, 2.5]), out_idx=tf.int64)
        assert y.shape.as_list() == [None] and idx.shape.as_list() == [6]
        (y_v, idx_v), (cy, cidx, ccount) = _run([(y, idx), counted])
    np.testing.assert_array_equal(y_v, [4, 1, 2, 7])
    np.testing.assert_array_equal(y_v[idx_v], [4, 1, 4, 2, 1, 7])
    np.testing.assert_array_equal(cy, [2.5, -1.0])
    assert cidx.dtype == np.int64 and ccount.tolist() == [2, 1]
    assert counted.count.op.type == "UniqueWithCounts" and y.op.type == "Unique"


def test_unique_errors():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="Shape must be rank 1 but is rank 2"):
            tf.unique([[1, 2]])
        with pytest.raises(TypeError, match="out_idx"):
            tf.unique([1], out_idx=tf.float32)
        ph = tf.placeholder(tf.int32)
        with pytest.raises(tf.errors.InvalidArgumentError, match="unique expects a 1D vector"):
            _run(tf.unique(ph).y, {ph: [[1]]})


def test_setdiff1d():
    with tf.Graph().as_default():
        out, idx = tf.setdiff1d([4, 1, 4, 2, 1, 7], [1, 7])
        assert out.op.type == "ListDiff"
        out_v, idx_v = _run([out, idx])
    np.testing.assert_array_equal(out_v, [4, 4, 2])
    np.testing.assert_array_equal(idx_v, [0, 2, 3])


def _reverse_sequence_reference(x, lengths, seq_axis, batch_axis):
    out = x.copy()
    for b, length in enumerate(lengths):
        for t in range(length):
            dst = [slice(None)] * x.ndim
            src = [slice(None)] * x.ndim
            dst[batch_axis] = src[batch_axis] = b
            dst[seq_axis], src[seq_axis] = t, length - 1 - t
            out[tuple(dst)] = x[tuple(src)]
    return out


@pytest.mark.parametrize("seq_axis,batch_axis", [(1, 0), (0, 1), (1, 2)])
def test_reverse_sequence_forward_and_gradient(seq_axis, batch_axis):
    x = rng.normal(size=(3, 4, 3))
    lengths = np.minimum([1, 3, 0, 4], x.shape[seq_axis])[:x.shape[batch_axis]]
    with tf.Graph().as_default():
        out = tf.reverse_sequence(x, lengths, seq_axis=seq_axis, batch_axis=batch_axis)
        assert out.shape.as_list() == [3, 4, 3]
        np.testing.assert_array_equal(
            _run(out), _reverse_sequence_reference(x, lengths, seq_axis, batch_axis))
    check_gradients(lambda t: tf.reverse_sequence(t, lengths, seq_dim=seq_axis,
                                                  batch_dim=batch_axis), x)


def _space_to_depth_reference(x, block):
    n, h, w, c = x.shape
    out = np.empty((n, h // block, w // block, block * block * c), x.dtype)
    for b, i, j, bi, bj, k in itertools.product(range(n), range(h // block), range(w // block),
                                                range(block), range(block), range(c)):
        out[b, i, j, (bi * block + bj) * c + k] = x[b, i * block + bi, j * block + bj, k]
    return out


def test_space_to_depth_and_back():
    x = rng.normal(size=(2, 4, 6, 3))
    with tf.Graph().as_default():
        depth = tf.space_to_depth(x, 2)
        back = tf.depth_to_space(depth, 2)
        assert depth.shape.as_list() == [2, 2, 3, 12] and back.shape.as_list() == [2, 4, 6, 3]
        depth_v, back_v = _run([depth, back])
    np.testing.assert_array_equal(depth_v, _space_to_depth_reference(x, 2))
    np.testing.assert_array_equal(back_v, x)
    check_gradients(lambda t: tf.space_to_depth(t, 2), x[:1, :, :4])
    check_gradients(lambda t: tf.depth_to_space(t, 2), rng.normal(size=(1, 2, 2, 8)))


def test_space_to_depth_errors():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="evenly divisible by 2 but is 5"):
            tf.space_to_depth(tf.zeros([1, 5, 4, 1]), 2)
        with pytest.raises(ValueError, match="evenly divisible by 4 but is 6"):
            tf.depth_to_space(tf.zeros([1, 2, 2, 6]), 2)
        with pytest.raises(ValueError, match="Shape must be rank 4"):
            tf.space_to_depth(tf.zeros([4, 4]), 2)
        out = tf.space_to_depth(tf.zeros([1, 4, 4, 1]), 2, data_format="NCHW")
        with pytest.raises(tf.errors.InvalidArgumentError, match="Only NHWC"):
            _run(out)


def _space_to_batch_reference(x, block, paddings):
    padded = np.pad(x, [(0, 0)] + [tuple(p) for p in paddings] + [(0, 0)] * (x.ndim - 3))
    out = []
    for bi, bj in itertools.product(range(block[0]), range(block[1])):
        out.append(padded[:, bi::block[0], bj::block[1]])
    return np.concatenate(out, axis=0)


def test_space_to_batch_nd_and_back():
    x = rng.normal(size=(2, 4, 3, 2))
    block, paddings = [2, 3], [[0, 2], [1, 2]]
    with tf.Graph().as_default():
        batched = tf.space_to_batch_nd(x, block, paddings)
        back = tf.batch_to_space_nd(batched, block, paddings)
        legacy = tf.space_to_batch(x, [[0, 0], [1, 0]], block_size=2)
        assert batched.shape.as_list() == [12, 3, 2, 2]
        assert back.shape.as_list() == list(x.shape)
        batched_v, back_v, legacy_v = _run([batched, back, legacy])
    np.testing.assert_array_equal(batched_v, _space_to_batch_reference(x, block, paddings))
    np.testing.assert_array_equal(back_v, x)
    np.testing.assert_array_equal(legacy_v, _space_to_batch_reference(x, [2, 2],
                                                                      [[0, 0], [1, 0]]))
    check_gradients(lambda t: tf.space_to_batch_nd(t, [2, 1], [[1, 1], [0, 0]]),
                    rng.normal(size=(1, 2, 2, 1)))
    check_gradients(lambda t: tf.batch_to_space(t, [[0, 1], [1, 0]], 2),
                    rng.normal(size=(4, 2, 2, 1)))


def test_space_to_batch_errors():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match=r"padded_shape\[0\]=5 is not divisible by "
                                             r"block_shape\[0\]=2"):
            tf.space_to_batch_nd(tf.zeros([1, 4, 4, 1]), [2, 2], [[0, 1], [0, 0]])
        with pytest.raises(ValueError, match="not divisible by the product of block sizes"):
            tf.batch_to_space_nd(tf.zeros([3, 2, 2, 1]), [2, 1], [[0, 0], [0, 0]])
        ph = tf.placeholder(tf.float32)
        out = tf.space_to_batch_nd(ph, [2], [[0, 0]])
        with pytest.raises(tf.errors.InvalidArgumentError, match="is not divisible"):
            _run(out, {ph: np.zeros((1, 3))})


def test_bitcast():
    values = np.array([1.0, -2.5], np.float32)
    with tf.Graph().as_default():
        as_bytes = tf.bitcast(values, tf.uint8)
        as_words = tf.bitcast(as_bytes, tf.int32)
        same = tf.bitcast(values, tf.int32)
        assert as_bytes.shape.as_list() == [2, 4] and as_words.shape.as_list() == [2]
        bytes_v, words_v, same_v = _run([as_bytes, as_words, same])
    np.testing.assert_array_equal(bytes_v, values.view(np.uint8).reshape(2, 4))
    np.testing.assert_array_equal(words_v, values.view(np.int32))
    np.testing.assert_array_equal(same_v, values.view(np.int32))
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="Cannot bitcast due to shape. 3 does not match 4"):
            tf.bitcast(tf.zeros([2, 3], tf.uint8), tf.int32)


def test_histogram_fixed_width():
    values = np.array([-1.0, 0.0, 0.5, 1.9, 2.0, 5.0, 1.0])
    with tf.Graph().as_default():
        counts = tf.histogram_fixed_width(values, [0.0, 2.0], nbins=4)
        bins = tf.histogram_fixed_width_bins(values, [0.0, 2.0], nbins=4)
        assert counts.name == "histogram_fixed_width:0" and counts.shape.as_list() == [4]
        counts_v, bins_v = _run([counts, bins])
    expected_bins = np.clip(np.floor((values - 0.0) / 0.5), 0, 3).astype(int)
    np.testing.assert_array_equal(bins_v, expected_bins)
    np.testing.assert_array_equal(counts_v, np.bincount(expected_bins, minlength=4))
    with tf.Graph().as_default():
        out = tf.histogram_fixed_width([1.0], [2.0, 1.0], nbins=3)
        with pytest.raises(tf.errors.InvalidArgumentError, match="value_range"):
            _run(out)


def test_batch_gather():
    params = rng.normal(size=(2, 3, 4))
    indices = np.array([[2, 0], [1, 1]])
    expected = np.stack([params[b][indices[b]] for b in range(2)])
    with tf.Graph().as_default():
        out = tf.batch_gather(params, indices)
        assert out.shape.as_list() == [2, 2, 4]
        np.testing.assert_array_equal(_run(out), expected)
        flat = tf.batch_gather(params[0], [2, 2])
        np.testing.assert_array_equal(_run(flat), params[0][[2, 2]])
    check_gradients(lambda t: tf.batch_gather(t, indices), params)


def test_required_space_to_batch_paddings_as_tf():
    with tf.Graph().as_default():
        paddings, crops = tf.required_space_to_batch_paddings([5, 7], [2, 3],
                                                              [[1, 0], [0, 1]])
        plain = tf.required_space_to_batch_paddings([4, 5], [2, 2])
        got = _run([paddings, crops, plain[0], plain[1]])
    assert got[0].tolist() == [[1, 0], [0, 2]] and got[1].tolist() == [[0, 0], [0, 1]]
    assert got[2].tolist() == [[0, 0], [0, 1]] and got[3].tolist() == [[0, 0], [0, 1]]
