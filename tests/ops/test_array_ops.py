"""Array ops: forward against NumPy, static shape == runtime shape (also with unknown dims),
finite-difference gradients, and TF's errors at graph construction and run time."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.test import check_gradients

rng = np.random.default_rng(7)


def _run(fetches, feed=None, graph=None):
    graph = graph or (fetches[0] if isinstance(fetches, (list, tuple)) else fetches).graph
    with tf.Session(graph=graph) as sess:
        return sess.run(fetches, feed)


def _check_static(tensor, value):
    """The static shape must be compatible with (and, where known, equal to) the value's."""
    assert tensor.shape.is_compatible_with(np.shape(value)), (tensor.shape, np.shape(value))


# (id, builder on tensors, numpy reference on arrays, input arrays)
X23 = rng.normal(size=(2, 3))
X234 = rng.normal(size=(2, 3, 4))
FORWARD_CASES = [
    ("concat0", lambda a, b: tf.concat([a, b], 0), lambda a, b: np.concatenate([a, b], 0),
     [X23, rng.normal(size=(4, 3))]),
    ("concat1", lambda a, b: tf.concat([a, b], 1), lambda a, b: np.concatenate([a, b], 1),
     [X23, rng.normal(size=(2, 5))]),
    ("concat-1", lambda a, b: tf.concat([a, b], -1), lambda a, b: np.concatenate([a, b], -1),
     [X234, rng.normal(size=(2, 3, 1))]),
    ("concat3", lambda a, b, c: tf.concat([a, b, c], 0),
     lambda a, b, c: np.concatenate([a, b, c], 0), [X23, X23 * 2, X23 * 3]),
    ("expand_dims0", lambda x: tf.expand_dims(x, 0), lambda x: x[None], [X23]),
    ("expand_dims-1", lambda x: tf.expand_dims(x, -1), lambda x: x[..., None], [X23]),
    ("expand_dims1", lambda x: tf.expand_dims(x, 1), lambda x: x[:, None], [X23]),
    ("squeeze_all", lambda x: tf.squeeze(x), np.squeeze, [rng.normal(size=(1, 3, 1, 2))]),
    ("squeeze_axis", lambda x: tf.squeeze(x, [2]), lambda x: np.squeeze(x, 2),
     [rng.normal(size=(1, 3, 1, 2))]),
    ("squeeze_neg", lambda x: tf.squeeze(x, axis=-2), lambda x: np.squeeze(x, -2),
     [rng.normal(size=(1, 3, 1, 2))]),
    ("transpose_default", lambda x: tf.transpose(x), np.transpose, [X234]),
    ("transpose_perm", lambda x: tf.transpose(x, [1, 0, 2]),
     lambda x: np.transpose(x, [1, 0, 2]), [X234]),
    ("matrix_transpose", lambda x: tf.matrix_transpose(x), lambda x: np.swapaxes(x, -1, -2),
     [X234]),
    ("gather0", lambda x: tf.gather(x, [2, 0, 2, 2]), lambda x: x[[2, 0, 2, 2]],
     [rng.normal(size=(3, 4))]),
    ("gather_2d_indices", lambda x: tf.gather(x, [[1, 1], [0, 1]]),
     lambda x: x[np.array([[1, 1], [0, 1]])], [rng.normal(size=(3, 4))]),
    ("gather_scalar", lambda x: tf.gather(x, 1), lambda x: x[1], [rng.normal(size=(3, 4))]),
    ("gather_axis1", lambda x: tf.gather(x, [2, 0, 2], axis=1),
     lambda x: np.take(x, [2, 0, 2], axis=1), [X234]),
    ("gather_axis1_2d", lambda x: tf.gather(x, [[2, 1], [1, 1]], axis=1),
     lambda x: np.take(x, [[2, 1], [1, 1]], axis=1), [X234]),
    ("gather_axis-1", lambda x: tf.gather(x, [3, 3], axis=-1),
     lambda x: np.take(x, [3, 3], axis=-1), [X234]),
    ("slice", lambda x: tf.slice(x, [1, 0, 1], [1, 2, -1]), lambda x: x[1:2, 0:2, 1:], [X234]),
    ("pad", lambda x: tf.pad(x, [[1, 2], [0, 3]]), lambda x: np.pad(x, [[1, 2], [0, 3]]), [X23]),
    ("pad_value", lambda x: tf.pad(x, [[1, 0], [2, 1]], constant_values=1.5),
     lambda x: np.pad(x, [[1, 0], [2, 1]], constant_values=1.5), [X23]),
    ("pad_reflect", lambda x: tf.pad(x, [[1, 1], [2, 2]], "REFLECT"),
     lambda x: np.pad(x, [[1, 1], [2, 2]], mode="reflect"), [X23]),
    ("pad_symmetric", lambda x: tf.pad(x, [[2, 1], [3, 2]], "SYMMETRIC"),
     lambda x: np.pad(x, [[2, 1], [3, 2]], mode="symmetric"), [X23]),
    ("split_num", lambda x: tf.split(x, 2, axis=2)[1], lambda x: np.split(x, 2, axis=2)[1],
     [X234]),
    ("split_sizes", lambda x: tf.split(x, [1, -1, 1], axis=-1)[1] * 2,
     lambda x: x[..., 1:3] * 2, [X234]),
    ("split_sum", lambda x: tf.add_n(tf.split(x, [2, 1], 1)[::-1][:1] * 2),
     lambda x: x[:, 2:] * 2, [X23]),
    ("tile", lambda x: tf.tile(x, [2, 1, 3]), lambda x: np.tile(x, [2, 1, 3]), [X234]),
    ("reverse", lambda x: tf.reverse(x, [0, -1]), lambda x: x[::-1, :, ::-1], [X234]),
    ("getitem_int", lambda x: x[1], lambda x: x[1], [X234]),
    ("getitem_neg", lambda x: x[-1, :, -2], lambda x: x[-1, :, -2], [X234]),
    ("getitem_step", lambda x: x[:, ::2, 1::2], lambda x: x[:, ::2, 1::2], [X234]),
    ("getitem_negstep", lambda x: x[::-1, -1:0:-1], lambda x: x[::-1, -1:0:-1], [X234]),
    ("getitem_newaxis", lambda x: x[:, tf.newaxis, 1:3, None],
     lambda x: x[:, None, 1:3, None], [X234]),
    ("getitem_ellipsis", lambda x: x[..., 2], lambda x: x[..., 2], [X234]),
    ("getitem_ellipsis_mid", lambda x: x[0, ..., 1:], lambda x: x[0, ..., 1:], [X234]),
    ("getitem_scalar", lambda x: x[1, 2, 3], lambda x: np.asarray(x[1, 2, 3]), [X234]),
    ("getitem_clamped", lambda x: x[-10:10, 5:], lambda x: x[-10:10, 5:], [X23]),
    ("getitem_empty", lambda x: x[2:1], lambda x: x[2:1], [X23]),
    ("getitem_vector", lambda x: x[1:], lambda x: x[1:], [rng.normal(size=5)]),
    ("gather_nd", lambda x: tf.gather_nd(x, [[1, 0], [0, 2], [1, 0]]),
     lambda x: x[[1, 0, 1], [0, 2, 0]], [X234]),
    ("gather_nd_full", lambda x: tf.gather_nd(x, [[[1, 2, 3]], [[0, 0, 0]]]),
     lambda x: x[[[1], [0]], [[2], [0]], [[3], [0]]], [X234]),
    ("scatter_nd", lambda u: tf.scatter_nd([[1], [3], [1]], u, [5, 3]),
     lambda u: np.stack([np.zeros(3), u[0] + u[2], np.zeros(3), u[1], np.zeros(3)]),
     [X23 + np.zeros((3, 1)) if False else rng.normal(size=(3, 3))]),
    ("boolean_mask", lambda x: tf.boolean_mask(x, [True, False, True]),
     lambda x: x[[0, 2]], [rng.normal(size=(3, 2))]),
    ("boolean_mask_2d", lambda x: tf.boolean_mask(x, [[True, False, True], [False, True, True]]),
     lambda x: x[np.array([[True, False, True], [False, True, True]])], [X234]),
    ("boolean_mask_axis", lambda x: tf.boolean_mask(x, [False, True, True, False], axis=2),
     lambda x: x[:, :, [1, 2]], [X234]),
]


@pytest.mark.parametrize("name,builder,reference,inputs", FORWARD_CASES,
                         ids=[c[0] for c in FORWARD_CASES])
def test_forward_static_shape_and_gradient(name, builder, reference, inputs):
    with tf.Graph().as_default():
        out = builder(*[tf.constant(x) for x in inputs])
        value = _run(out)
        expected = reference(*inputs)
        if name.startswith("boolean_mask"):  # the count of true entries is a run-time value
            assert out.shape.as_list().count(None) == 1
            assert out.shape.is_compatible_with(expected.shape)
        else:
            assert out.shape.as_list() == list(expected.shape)
        np.testing.assert_array_equal(value, expected)
    check_gradients(builder, *inputs)


@pytest.mark.parametrize("builder,reference,inputs", [c[1:] for c in FORWARD_CASES],
                         ids=[c[0] for c in FORWARD_CASES])
def test_unknown_dims_from_placeholders(builder, reference, inputs):
    """Same ops on placeholders of unknown shape / unknown leading dims."""
    with tf.Graph().as_default():
        partial = [tf.placeholder(tf.float64, [None] + list(x.shape[1:])) for x in inputs]
        unknown = [tf.placeholder(tf.float64) for _ in inputs]
        out_partial, out_unknown = builder(*partial), builder(*unknown)
        feed = {**dict(zip(partial, inputs)), **dict(zip(unknown, inputs))}
        v1, v2 = _run([out_partial, out_unknown], feed)
        expected = reference(*inputs)
        np.testing.assert_array_equal(v1, expected)
        np.testing.assert_array_equal(v2, expected)
        _check_static(out_partial, expected)
        _check_static(out_unknown, expected)
        # (a gather's gradient is IndexedSlices: compare its densified shape)
        grads = [tf.convert_to_tensor(g) for g in tf.gradients(out_partial, partial)]
        for g, x in zip(_run(grads, feed, graph=out_partial.graph), inputs):
            assert g.shape == x.shape


def test_gather_gradient_accumulates_repeated_indices():
    params = np.arange(12.0).reshape(4, 3)
    with tf.Graph().as_default():
        p = tf.constant(params)
        out = tf.gather(p, [1, 3, 1, 1])
        grad = tf.gradients(out, p)[0]  # TF's IndexedSlices; densified by UnsortedSegmentSum
        dense = tf.convert_to_tensor(grad)
        expected = np.zeros_like(params)
        expected[1] = 3
        expected[3] = 1
        np.testing.assert_array_equal(_run(dense), expected)
        assert isinstance(grad, tf.IndexedSlices) and dense.op.type == "UnsortedSegmentSum"


def test_gather_default_names_and_types():
    with tf.Graph().as_default():
        out = tf.gather(tf.constant([1.0, 2.0]), [0])
        assert out.op.type == "GatherV2" and out.op.name == "GatherV2"
        assert tf.concat([[1], [2]], 0).op.type == "ConcatV2"
        assert tf.concat([[1], [2]], 0).op.name.startswith("concat")
        assert tf.expand_dims([1], 0).op.name.startswith("ExpandDims")
        assert tf.squeeze([[1]]).op.name.startswith("Squeeze")
        t = tf.transpose([[1]])
        assert t.op.type == "Transpose" and t.op.name.startswith("transpose")


def test_gather_strings_and_integer_params():
    with tf.Graph().as_default():
        words = tf.gather(tf.constant([b"a", b"b", b"c"]), [2, 0])
        ints = tf.gather(tf.constant([[1, 2], [3, 4]]), [1], axis=1)
        w, i = _run([words, ints])
        assert list(w) == [b"c", b"a"]
        np.testing.assert_array_equal(i, [[2], [4]])


def test_gather_index_out_of_range_is_invalid_argument():
    with tf.Graph().as_default():
        ph = tf.placeholder(tf.int32, [None])
        out = tf.gather(tf.constant([1.0, 2.0, 3.0]), ph, name="lookup")
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"indices\[1\] = 5 is not in "
                           r"\[0, 3\)") as info:
            _run(out, {ph: [0, 5]})
        assert "lookup" in str(info.value)
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"indices\[0\] = -1"):
            _run(out, {ph: [-1]})


def test_concat_single_value_is_identity_and_errors():
    with tf.Graph().as_default():
        x = tf.constant([1.0])
        one = tf.concat([x], 0)
        assert one.op.type == "Identity" and one.op.name == "concat"
        with pytest.raises(ValueError, match="Shape must be rank 2 but is rank 3"):
            tf.concat([tf.zeros([2, 3]), tf.zeros([2, 3, 4])], 0)
        with pytest.raises(ValueError, match="Dimension 0 in both shapes must be equal"):
            tf.concat([tf.zeros([2, 3]), tf.zeros([3, 3])], 1)
        with pytest.raises(ValueError, match="range"):
            tf.concat([tf.zeros([2, 3]), tf.zeros([2, 3])], 2)
        with pytest.raises(TypeError, match="don't all match"):
            tf.concat([tf.zeros([2]), tf.zeros([2], tf.int32)], 0)
        a = tf.placeholder(tf.float32, [None, None])
        out = tf.concat([a, tf.zeros([2, 3])], 0, name="joined")
        assert out.shape.as_list() == [None, 3]
        with pytest.raises(tf.errors.InvalidArgumentError, match="joined"):
            _run(out, {a: np.zeros((1, 4))})


def test_concat_gradient_with_dynamic_sizes_uses_concat_offset():
    a, b = rng.normal(size=(2, 3)), rng.normal(size=(1, 3))
    with tf.Graph().as_default():
        pa, pb = tf.placeholder(tf.float64, [None, 3]), tf.placeholder(tf.float64, [None, 3])
        out = tf.concat([pa, pb], 0)
        weights = tf.constant(rng.normal(size=(3, 3)))
        ga, gb = tf.gradients(tf.reduce_sum(out * weights), [pa, pb])
        va, vb = _run([ga, gb], {pa: a, pb: b})
        w = _run(weights)
        np.testing.assert_allclose(va, w[:2])
        np.testing.assert_allclose(vb, w[2:])


def test_transpose_errors():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="Dimension must be 2 but is 3"):
            tf.transpose(tf.zeros([2, 3]), [0, 1, 2])
        with pytest.raises(ValueError, match="permutation"):
            tf.transpose(tf.zeros([2, 3]), [0, 0])
        ph = tf.placeholder(tf.int32, [None])
        out = tf.transpose(tf.zeros([2, 3]), ph, name="perm_bad")
        assert out.shape.ndims is None or out.shape.ndims == 2
        with pytest.raises(tf.errors.InvalidArgumentError, match="perm_bad"):
            _run(out, {ph: [0, 1, 2]})


def test_transpose_with_runtime_perm_and_gradient():
    x = rng.normal(size=(2, 3, 4))
    with tf.Graph().as_default():
        px = tf.placeholder(tf.float64)
        perm = tf.placeholder(tf.int32, [3])
        out = tf.transpose(px, perm)
        assert out.shape.ndims == 3
        grad = tf.gradients(tf.reduce_sum(out * tf.constant(np.arange(24.0).reshape(4, 2, 3))),
                            px)[0]
        value, g = _run([out, grad], {px: x, perm: [2, 0, 1]})
        np.testing.assert_array_equal(value, np.transpose(x, [2, 0, 1]))
        np.testing.assert_array_equal(g, np.transpose(np.arange(24.0).reshape(4, 2, 3),
                                                      [1, 2, 0]))
        # default perm for a tensor of unknown rank is computed at run time
        np.testing.assert_array_equal(_run(tf.transpose(px), {px: x}), x.T)


def test_squeeze_and_expand_dims_errors():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match=r"Can not squeeze dim\[1\], expected a dimension "
                           "of 1, got 3"):
            tf.squeeze(tf.zeros([2, 3]), [1])
        with pytest.raises(ValueError, match="Tried to expand dim index 3 for tensor with 2"):
            tf.expand_dims(tf.zeros([2, 3]), 3)
        ph = tf.placeholder(tf.float32, [None, None])
        out = tf.squeeze(ph, [0], name="sq")
        assert out.shape.as_list() == [None]
        with pytest.raises(tf.errors.InvalidArgumentError, match="sq"):
            _run(out, {ph: np.zeros((2, 2))})
        assert tf.squeeze(ph).shape.ndims is None


def test_unsorted_segment_sum_forward_gradient_and_errors():
    data = rng.normal(size=(5, 2))
    ids = np.array([0, 2, 0, -1, 3])
    with tf.Graph().as_default():
        out = tf.unsorted_segment_sum(tf.constant(data), ids, 4)
        expected = np.zeros((4, 2))
        for row, i in zip(data, ids):
            if i >= 0:
                expected[i] += row
        assert out.shape.as_list() == [4, 2]
        np.testing.assert_allclose(_run(out), expected)
        bad = tf.unsorted_segment_sum(tf.constant(data), [0, 1, 2, 3, 9], 4, name="segs")
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"segment_ids\[4\] = 9 is out "
                           r"of range \[0, 4\)"):
            _run(bad)
    check_gradients(lambda d: tf.unsorted_segment_sum(d, ids, 4), data)
    check_gradients(lambda d: tf.unsorted_segment_sum(d, [1, 1, 0], 2), rng.normal(size=3))


def test_slice_and_pad_errors_and_dynamic_gradient():
    x = rng.normal(size=(4, 3))
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match=r"Expected size\[0\] in \[0, 3\], but got 4"):
            tf.slice(tf.zeros([4, 3]), [1, 0], [4, 1])
        begin = tf.placeholder(tf.int32, [2])
        px = tf.placeholder(tf.float64, [None, 3])
        out = tf.slice(px, begin, [2, -1], name="sl")
        assert out.shape.as_list() == [2, None]
        grad = tf.gradients(tf.reduce_sum(out), px)[0]
        v, g = _run([out, grad], {px: x, begin: [1, 1]})
        np.testing.assert_array_equal(v, x[1:3, 1:])
        expected = np.zeros_like(x)
        expected[1:3, 1:] = 1
        np.testing.assert_array_equal(g, expected)
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"sl"):
            _run(out, {px: x, begin: [3, 0]})
        paddings = tf.placeholder(tf.int32, [2, 2])
        padded = tf.pad(px, paddings)
        assert padded.shape.ndims == 2
        gp = tf.gradients(tf.reduce_sum(padded * padded), px)[0]
        np.testing.assert_allclose(_run(gp, {px: x, paddings: [[1, 0], [0, 2]]}), 2 * x)


def test_getitem_is_one_strided_slice_named_like_tf():
    with tf.Graph().as_default():
        x = tf.zeros([2, 3])
        y = x[0]
        assert y.op.type == "StridedSlice" and y.op.name == "strided_slice"
        assert y.op.attrs["shrink_axis_mask"] == 1
        assert x[1:, ::-1].op.name == "strided_slice_1"
        grad = tf.gradients(tf.reduce_sum(x[:, 1]), x)[0]
        assert grad.op.type == "StridedSliceGrad"
        np.testing.assert_array_equal(_run(grad), [[0, 1, 0], [0, 1, 0]])


def test_getitem_with_tensor_indices_and_variables():
    x = rng.normal(size=(4, 3))
    with tf.Graph().as_default():
        px = tf.placeholder(tf.float64, [None, 3])
        i = tf.placeholder(tf.int32, [])
        row, part = px[i], px[i:, i - 1]
        assert row.shape.as_list() == [3]
        v = tf.Variable(np.arange(6.0).reshape(2, 3))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            r, p = sess.run([row, part], {px: x, i: 2})
            np.testing.assert_array_equal(r, x[2])
            np.testing.assert_array_equal(p, x[2:, 1])
            np.testing.assert_array_equal(sess.run(v[1, ::2]), [3.0, 5.0])


def test_getitem_rejects_lists_and_bad_index_at_run_time():
    with tf.Graph().as_default():
        x = tf.zeros([2, 3])
        with pytest.raises(TypeError, match="valid indices"):
            x[[0, 1]]
        with pytest.raises(TypeError, match="valid indices"):
            x[1.5]
        with pytest.raises(ValueError, match="slice index 2 of dimension 0 out of bounds"):
            x[2]
        with pytest.raises(ValueError, match="Index out of range"):
            x[0, 0, 0]
        ph = tf.placeholder(tf.float32, [None, 3])
        out = ph[5]
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="slice index 5 of dimension 0 out of bounds") as info:
            _run(out, {ph: np.zeros((2, 3))})
        assert "strided_slice" in str(info.value)


def test_strided_slice_unknown_rank_and_second_order():
    x = rng.normal(size=(3, 4))
    with tf.Graph().as_default():
        ph = tf.placeholder(tf.float64)
        out = ph[1:, tf.newaxis, ::-2]
        assert out.shape.ndims is None
        np.testing.assert_array_equal(_run(out, {ph: x}), x[1:, None, ::-2])
    # gradient of the gradient of a slice (StridedSliceGrad's own gradient)
    check_gradients(lambda t: tf.gradients(tf.reduce_sum(t[1:, ::2] ** 2), t)[0], x)


def test_split_errors_and_outputs():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="evenly divisible by 2"):
            tf.split(tf.zeros([3, 2]), 2)
        parts = tf.split(tf.constant(np.arange(10.0)), [3, -1, 2])
        assert [p.shape.as_list() for p in parts] == [[3], [5], [2]]
        assert parts[0].op.type == "SplitV" and parts[0].op.name.startswith("split")
        assert tf.split(tf.zeros([4]), 2)[0].op.type == "Split"
        values = _run(parts)
        np.testing.assert_array_equal(np.concatenate(values), np.arange(10.0))
        ph = tf.placeholder(tf.float32, [None])
        pieces = tf.split(ph, 3)
        with pytest.raises(tf.errors.InvalidArgumentError, match="evenly divide"):
            _run(pieces, {ph: np.zeros(4)})


def test_tile_dynamic_gradient():
    x = rng.normal(size=(2, 3))
    with tf.Graph().as_default():
        px = tf.placeholder(tf.float64, [None, 3])
        m = tf.placeholder(tf.int32, [2])
        out = tf.tile(px, m)
        assert out.shape.ndims == 2
        g = tf.gradients(tf.reduce_sum(out), px)[0]
        v, gv = _run([out, g], {px: x, m: [2, 3]})
        np.testing.assert_array_equal(v, np.tile(x, [2, 3]))
        np.testing.assert_array_equal(gv, np.full_like(x, 6))
        with pytest.raises(ValueError, match="Shape must be rank 2 but is rank 3"):
            tf.tile(px, [1, 2, 3])


def test_boolean_mask_on_strings_and_report_uninitialized_variables():
    with tf.Graph().as_default():
        names = tf.constant([b"a", b"b", b"c"])
        mask = tf.placeholder(tf.bool, [None])
        out = tf.boolean_mask(names, mask)
        assert out.shape.as_list() == [None]
        assert list(_run(out, {mask: [True, False, True]})) == [b"a", b"c"]
        v1 = tf.Variable(1.0, name="v1")
        tf.Variable(2.0, name="v2")
        report = tf.report_uninitialized_variables()
        with tf.Session() as sess:
            assert list(sess.run(report)) == [b"v1", b"v2"]
            sess.run(v1.initializer)
            assert list(sess.run(report)) == [b"v2"]
        with pytest.raises(ValueError, match="mask cannot be scalar"):
            tf.boolean_mask(names, True)
        with pytest.raises(ValueError, match="Number of mask dimensions must be specified"):
            tf.boolean_mask(names, tf.placeholder(tf.bool))


ONE_HOT_CASES = [
    ("default", dict(), np.float32),
    ("on_off", dict(on_value=5, off_value=-1), np.int32),
    ("axis0", dict(axis=0), np.float32),
    ("dtype", dict(dtype=tf.float64, on_value=np.float64(2.0)), np.float64),
]


@pytest.mark.parametrize("kwargs,np_dtype", [c[1:] for c in ONE_HOT_CASES],
                         ids=[c[0] for c in ONE_HOT_CASES])
def test_one_hot(kwargs, np_dtype):
    indices = np.array([[0, 2], [3, -1]])
    with tf.Graph().as_default():
        out = tf.one_hot(indices, 3, **kwargs)
        value = _run(out)
        on, off = kwargs.get("on_value", 1), kwargs.get("off_value", 0)
        expected = np.where(indices[..., None] == np.arange(3), on, off).astype(np_dtype)
        if kwargs.get("axis") == 0:
            expected = np.moveaxis(expected, -1, 0)
        assert value.dtype == np_dtype
        assert out.shape.as_list() == list(expected.shape)
        np.testing.assert_array_equal(value, expected)
        assert out.op.type == "OneHot" and out.op.name == "one_hot"
        assert tf.gradients(tf.reduce_sum(tf.cast(out, tf.float32)), tf.constant(1.0)) == [None]


def test_one_hot_dtype_errors_and_no_gradient():
    with tf.Graph().as_default():
        with pytest.raises(TypeError, match="does not match"):
            tf.one_hot([0], 2, on_value=1.0, dtype=tf.int32)
        on = tf.placeholder(tf.float32, [])
        out = tf.one_hot([0, 1], 2, on_value=on)
        assert tf.gradients(tf.reduce_sum(out), on) == [None]


def test_eye_and_sequence_mask():
    with tf.Graph().as_default():
        np.testing.assert_array_equal(_run(tf.eye(2, 3)), np.eye(2, 3))
        batch = tf.eye(2, batch_shape=[3], dtype=tf.int32)
        assert batch.shape.as_list() == [3, 2, 2]
        np.testing.assert_array_equal(_run(batch), np.broadcast_to(np.eye(2, dtype=int), (3, 2, 2)))
        n = tf.placeholder(tf.int32, [])
        np.testing.assert_array_equal(_run(tf.eye(n), {n: 3}), np.eye(3))
        mask = tf.sequence_mask([1, 3, 0], 4)
        np.testing.assert_array_equal(_run(mask), np.arange(4) < np.array([[1], [3], [0]]))
        np.testing.assert_array_equal(_run(tf.sequence_mask([2, 1], dtype=tf.float32)),
                                      [[1.0, 1.0], [1.0, 0.0]])


def test_gather_nd_and_scatter_nd_errors():
    with tf.Graph().as_default():
        ph = tf.placeholder(tf.int32, [None, 2])
        out = tf.gather_nd(tf.zeros([3, 4]), ph, name="gnd")
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"indices\[1\] = \[1, 5\] does not index into "
                                 r"param shape \[3,4\]"):
            _run(out, {ph: [[0, 0], [1, 5]]})
        with pytest.raises(ValueError, match="must be <= params.rank"):
            tf.gather_nd(tf.zeros([3]), [[0, 1]])
    check_gradients(lambda x: tf.gather_nd(x, [[1, 1], [1, 1], [0, 2]]), X23)


def test_not_differentiable_ops_give_none():
    with tf.Graph().as_default():
        x = tf.constant([3.0, 1.0])
        shuffled = tf.cast(tf.argmax(x), tf.float32)
        assert tf.gradients(shuffled, x) == [None]
        perm = tf.constant([1, 0])
        assert tf.gradients(tf.cast(tf.invert_permutation(perm), tf.float32) * x, perm) == [None]


def test_reshape_size_mismatch_at_run_time_names_the_op():
    with tf.Graph().as_default():
        ph = tf.placeholder(tf.float32, [None])
        out = tf.reshape(ph, [2, 3], name="to_matrix")
        with pytest.raises(tf.errors.InvalidArgumentError, match="Input to reshape is a tensor "
                           "with 4 values, but the requested shape has 6") as info:
            _run(out, {ph: np.zeros(4)})
        assert "to_matrix" in str(info.value)


def test_lists_holding_tensors_are_packed_as_tf_auto_packs():
    with tf.Graph().as_default():
        n = tf.placeholder(tf.int32, [])
        x = tf.placeholder(tf.float32, [None, 3])
        tiled = tf.tile(x, [n, 1])
        sliced = tf.slice(x, [n - 1, 0], [1, 2])
        reshaped = tf.reshape(x, [n, -1])
        with tf.Session() as sess:
            data = np.arange(6, dtype=np.float32).reshape(2, 3)
            got = sess.run([tiled, sliced, reshaped], {x: data, n: 2})
    np.testing.assert_array_equal(got[0], np.tile(data, [2, 1]))
    np.testing.assert_array_equal(got[1], data[1:2, :2])
    np.testing.assert_array_equal(got[2], data)


def test_negative_fill_dimensions_fail_when_built():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="Fill dimensions must be >= 0"):
            tf.zeros([-1, 2])


@pytest.mark.parametrize("requested, message", [
    ([-1, -1], "Only one input size may be -1, not both 0 and 1"),
    ([-1, 4], "requested shape requires a multiple of 4"),
    ([4], "with 6 values, but the requested shape has 4"),
    ([2, -2], "Size 1 must be non-negative, not -2"),
])
def test_reshape_errors_at_run_time_name_the_requested_shape(requested, message):
    with tf.Graph().as_default():
        values = tf.placeholder_with_default(np.arange(6, dtype=np.float32), [None])
        reshaped = tf.reshape(values, requested)
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError, match=message):
                sess.run(reshaped)
    with tf.Graph().as_default():  # two wildcards build (TF leaves the dims unknown)
        assert tf.reshape(tf.zeros([6]), [-1, -1]).shape.as_list() == [None, None]


def test_constant_keeps_its_own_copy_of_a_numpy_value():
    """TF copies a NumPy value into the graph: changing the caller's array afterwards (in
    place, as `X /= 255.` does) changes nothing, and running the graph never makes the
    caller's array read-only."""
    values = np.arange(6, dtype=np.float32).reshape(2, 3)
    with tf.Graph().as_default():
        const = tf.constant(values)
        reshaped = tf.constant(values[0], shape=[1, 3])
        with tf.Session() as sess:
            first = sess.run([const, reshaped])
            values += 10  # the caller's array stays writable after the run
            second = sess.run([const, reshaped])
    np.testing.assert_array_equal(first[0], np.arange(6).reshape(2, 3))
    np.testing.assert_array_equal(second[0], first[0])
    np.testing.assert_array_equal(second[1], [[0, 1, 2]])


def test_constant_fills_a_larger_shape_with_the_last_value():
    """TF 1.x's tf.constant: fewer values than the shape repeat the last one (zeros or b""
    when there are none); more values than the shape is TF's ValueError."""
    with tf.Graph().as_default():
        fetches = [tf.constant([1, 2], shape=[2, 2]), tf.constant([], tf.float32, shape=[2]),
                   tf.constant(["a", "b"], shape=[3]), tf.constant([], tf.string, shape=[1])]
        with tf.Session() as sess:
            ints, floats, strings, empty = sess.run(fetches)
        np.testing.assert_array_equal(ints, [[1, 2], [2, 2]])
        np.testing.assert_array_equal(floats, [0.0, 0.0])
        assert strings.tolist() == [b"a", b"b", b"b"] and empty.tolist() == [b""]
        with pytest.raises(ValueError, match="Too many elements provided. Needed at most 2, "
                                             "but received 3"):
            tf.constant([1, 2, 3], shape=[2])


def test_shape_lists_holding_dimensions_convert_to_their_values():
    x = tf.placeholder(tf.float32, [None, 2, 3])
    flat = tf.reshape(x, [-1, x.shape[-1]])   # BERT's reshape_to_matrix
    assert flat.shape.as_list() == [None, 3]
    assert tf.constant([[x.shape[1], 4], [x.shape[2], 5]]).shape.as_list() == [2, 2]
    with tf.Session() as session:
        out = session.run(flat, {x: np.arange(12.0).reshape(2, 2, 3)})
    assert out.shape == (4, 3)
