"""Forward results against NumPy, static shape = runtime shape, and finite-difference
gradients for the math ops."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.test import check_gradients

rng = np.random.default_rng(1)


def _run(tensor, feed=None):
    with tf.Session(graph=tensor.graph) as sess:
        return sess.run(tensor, feed)


# (builder, numpy reference, input arrays) — values kept away from kinks and poles.
POSITIVE = rng.uniform(0.5, 2.0, (2, 3))
BINARY_CASES = [
    ("add", tf.add, np.add),
    ("subtract", tf.subtract, np.subtract),
    ("multiply", tf.multiply, np.multiply),
    ("truediv", tf.truediv, np.true_divide),
    ("maximum", tf.maximum, np.maximum),
    ("minimum", tf.minimum, np.minimum),
    ("squared_difference", tf.squared_difference, lambda a, b: (a - b) ** 2),
    ("pow", tf.pow, np.power),
]
BROADCAST_SHAPES = [((2, 3), (2, 3)), ((2, 3), (3,)), ((2, 1), (1, 3)), ((), (2, 3))]


@pytest.mark.parametrize("name,builder,reference", BINARY_CASES, ids=[c[0] for c in BINARY_CASES])
@pytest.mark.parametrize("shapes", BROADCAST_SHAPES, ids=str)
def test_binary_forward_and_gradient(name, builder, reference, shapes):
    a = rng.uniform(0.5, 2.0, shapes[0])
    b = rng.uniform(0.5, 2.0, shapes[1]) + (0.1 if name in ("maximum", "minimum") else 0)
    with tf.Graph().as_default():
        out = builder(tf.constant(a), tf.constant(b))
        value = _run(out)
        assert out.shape.as_list() == list(np.shape(value))
        np.testing.assert_allclose(value, reference(a, b), rtol=1e-12)
    check_gradients(builder, a, b)


UNARY_CASES = [
    ("negative", tf.negative, np.negative, POSITIVE),
    ("abs", tf.abs, np.abs, POSITIVE - 1.25),
    ("square", tf.square, np.square, POSITIVE - 1),
    ("sqrt", tf.sqrt, np.sqrt, POSITIVE),
    ("rsqrt", tf.rsqrt, lambda x: 1 / np.sqrt(x), POSITIVE),
    ("exp", tf.exp, np.exp, POSITIVE - 1),
    ("expm1", tf.expm1, np.expm1, POSITIVE - 1),
    ("log", tf.log, np.log, POSITIVE),
    ("log1p", tf.log1p, np.log1p, POSITIVE),
    ("reciprocal", tf.reciprocal, np.reciprocal, POSITIVE),
    ("sin", tf.sin, np.sin, POSITIVE),
    ("cos", tf.cos, np.cos, POSITIVE),
]


@pytest.mark.parametrize("name,builder,reference,x", UNARY_CASES, ids=[c[0] for c in UNARY_CASES])
def test_unary_forward_and_gradient(name, builder, reference, x):
    with tf.Graph().as_default():
        out = builder(tf.constant(x))
        np.testing.assert_allclose(_run(out), reference(x), rtol=1e-12)
    check_gradients(builder, x)


# TF's gradient ops of unary ops, from the output y and the incoming dy: forward against the
# derivative, and their own (second-order) gradients by finite differences.
UNARY_GRAD_CASES = [
    ("SqrtGrad", tf.sqrt, lambda y, dy: dy * 0.5 / y),
    ("RsqrtGrad", tf.rsqrt, lambda y, dy: dy * -0.5 * y ** 3),
    ("ReciprocalGrad", tf.reciprocal, lambda y, dy: -dy * y ** 2),
]


@pytest.mark.parametrize("op_type,forward,reference", UNARY_GRAD_CASES,
                         ids=[c[0] for c in UNARY_GRAD_CASES])
def test_unary_gradient_ops_as_tf_emits_them(op_type, forward, reference):
    from tfcompat.framework.op_def import make_tensor
    y, dy = rng.uniform(0.5, 2.0, (2, 3)), rng.uniform(-1.0, 1.0, (2, 3))
    with tf.Graph().as_default():
        x = tf.constant(POSITIVE)
        grad = tf.gradients(forward(x), x)[0]
        assert grad.op.type == op_type and grad.op.name == f"gradients/{forward(x).op.type}" \
            f"_grad/{op_type}"
        out = make_tensor(op_type, [tf.constant(y), tf.constant(dy)])
        np.testing.assert_allclose(_run(out), reference(y, dy), rtol=1e-12)
    check_gradients(lambda a, b: make_tensor(op_type, [a, b]), y, dy)


@pytest.mark.parametrize("reduce,reference", [(tf.reduce_sum, np.sum), (tf.reduce_mean, np.mean),
                                              (tf.reduce_max, np.max), (tf.reduce_min, np.min),
                                              (tf.reduce_prod, np.prod)])
@pytest.mark.parametrize("axis", [None, 0, 1, -1, [0, 1]])
@pytest.mark.parametrize("keepdims", [False, True])
def test_reductions(reduce, reference, axis, keepdims):
    x = rng.permutation(12).reshape(3, 4) / 6.0 + 0.5
    with tf.Graph().as_default():
        out = reduce(tf.constant(x), axis=axis, keepdims=keepdims)
        value = _run(out)
        expected = reference(x, axis=tuple(axis) if isinstance(axis, list) else axis,
                             keepdims=keepdims)
        np.testing.assert_allclose(value, expected, rtol=1e-12)
        assert out.shape.as_list() == list(np.shape(expected))
    check_gradients(lambda t: reduce(t, axis=axis, keepdims=keepdims), x)


def test_reduction_with_unknown_batch_dimension_and_keep_dims_alias():
    x = rng.normal(size=(5, 3))
    with tf.Graph().as_default():
        ph = tf.placeholder(tf.float64, [None, 3])
        out = tf.reduce_mean(ph, reduction_indices=[1], keep_dims=True)
        assert out.shape.as_list() == [None, 1]
        np.testing.assert_allclose(_run(out, {ph: x}), x.mean(axis=1, keepdims=True))
        grad = tf.gradients(out, ph)[0]
        np.testing.assert_allclose(_run(grad, {ph: x}), np.full_like(x, 1 / 3))


@pytest.mark.parametrize("ta", [False, True])
@pytest.mark.parametrize("tb", [False, True])
def test_matmul(ta, tb):
    a = rng.normal(size=(3, 2) if ta else (2, 3))
    b = rng.normal(size=(4, 3) if tb else (3, 4))
    with tf.Graph().as_default():
        out = tf.matmul(tf.constant(a), tf.constant(b), transpose_a=ta, transpose_b=tb)
        assert out.shape.as_list() == [2, 4]
        np.testing.assert_allclose(_run(out), (a.T if ta else a) @ (b.T if tb else b))
    check_gradients(lambda x, y: tf.matmul(x, y, transpose_a=ta, transpose_b=tb), a, b)


def test_matmul_shape_error_names_the_op():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="Dimensions must be equal, but are 3 and 4"):
            tf.matmul(tf.zeros([2, 3]), tf.zeros([4, 5]), name="bad")


def test_gradient_of_x_times_x_is_two_x():
    check_gradients(lambda x: x * x, rng.normal(size=(3,)))


def test_broadcast_gradient_with_unknown_dimensions():
    a, b = rng.normal(size=(4, 3)), rng.normal(size=(1, 3))
    with tf.Graph().as_default():
        pa = tf.placeholder(tf.float64, [None, 3])
        pb = tf.placeholder(tf.float64, [None, 3])
        ga, gb = tf.gradients(tf.reduce_sum(pa * pb), [pa, pb])
        va, vb = tf.Session().run([ga, gb], {pa: a, pb: b})
        np.testing.assert_allclose(va, np.broadcast_to(b, a.shape))
        np.testing.assert_allclose(vb, a.sum(axis=0, keepdims=True))


def test_operator_overloads_build_tf_named_ops():
    with tf.Graph().as_default():
        x = tf.constant(2.0)
        assert (x + 1).op.type == "Add" and (x + 1).op.name.startswith("add")
        assert (x - 1).op.type == "Sub"
        assert (x * 2).op.type == "Mul"
        assert (x / 2).op.type == "RealDiv"
        assert (-x).op.type == "Neg"
        assert (2.0 ** x).op.type == "Pow"
        assert (x > 1).dtype == tf.bool
        assert _run(3 - x) == 1.0


def test_binary_op_and_operand_names_match_tf1():
    """Names TF 1.x (checked against TensorFlow 2.21's compat.v1 graph mode) gives a binary op
    and the constant its Python operand becomes: operators scope by the Python name ("add",
    with "add/y"), tf.* functions by the op type ("Add") or their own wrapper ("div")."""
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, name="x")
        built = [x + 1, 1 + x, x - 2, x * 3, x / 4, x // 2, x % 2, x ** 2, -x, tf.add(x, 1),
                 tf.multiply(x, 2.0), tf.subtract(x, 1.0), tf.div(x, 2.0), tf.divide(x, 2.0),
                 tf.pow(x, 2.0), tf.maximum(x, 0.0), tf.squared_difference(x, 1.0),
                 tf.equal(x, 1.0), x > 1, tf.realdiv(x, 2.0), tf.floordiv(x, 2.0),
                 tf.mod(x, 2.0), tf.add(x, 1.0, name="total"),
                 tf.matmul(tf.ones([2, 2]), [[1.0], [2.0]])]
        expected = [("add", ["x", "add/y"]), ("add_1", ["add_1/x", "x"]),
                    ("sub", ["x", "sub/y"]), ("mul", ["x", "mul/y"]),
                    ("truediv", ["x", "truediv/y"]), ("floordiv", ["x", "floordiv/y"]),
                    ("mod", ["x", "mod/y"]), ("pow", ["x", "pow/y"]), ("Neg", ["x"]),
                    ("Add_2", ["x", "Add_2/y"]), ("Mul_1", ["x", "Mul_1/y"]),
                    ("Sub_1", ["x", "Sub_1/y"]), ("div", ["x", "div/y"]),
                    ("truediv_1", ["x", "truediv_1/y"]), ("Pow_1", ["x", "Pow_1/y"]),
                    ("Maximum", ["x", "Maximum/y"]),
                    ("SquaredDifference", ["x", "SquaredDifference/y"]),
                    ("Equal", ["x", "Equal/y"]), ("Greater", ["x", "Greater/y"]),
                    ("RealDiv", ["x", "RealDiv/y"]), ("floordiv_1", ["x", "floordiv_1/y"]),
                    ("FloorMod", ["x", "FloorMod/y"]), ("total", ["x", "total/y"]),
                    ("MatMul", ["ones", "MatMul/b"])]
        assert [(t.op.name, [i.op.name for i in t.op.inputs]) for t in built] == expected


def test_integer_truediv_casts_to_float64_like_tf1():
    with tf.Graph().as_default():
        out = tf.constant(7) / tf.constant(2)
        assert out.dtype == tf.float64
        assert _run(out) == 3.5
        assert _run(tf.constant(7) // tf.constant(2)) == 3
        assert _run(tf.constant(-7) % tf.constant(3)) == 2


def test_mismatched_dtypes_raise_tf_type_error():
    with tf.Graph().as_default():
        with pytest.raises(TypeError, match="Input 'y' of 'Add' Op has type int32 that does not "
                                            "match type float32"):
            tf.add(tf.constant(1.0), tf.constant(1))


def test_cast_argmax_where_add_n():
    x = np.array([[1.5, -2.0, 3.0], [0.5, 4.0, -1.0]])
    with tf.Graph().as_default():
        t = tf.constant(x)
        assert _run(tf.cast(t, tf.int32)).tolist() == [[1, -2, 3], [0, 4, -1]]
        am = tf.argmax(t, axis=1)
        assert am.dtype == tf.int64 and _run(am).tolist() == [2, 1]
        np.testing.assert_array_equal(_run(tf.where(t > 0, t, tf.zeros_like(t))),
                                      np.where(x > 0, x, 0))
        np.testing.assert_allclose(_run(tf.add_n([t, t, t])), 3 * x)
    check_gradients(lambda a, b, c: tf.add_n([a, b, c]), x, x, x)
    check_gradients(lambda a: tf.where(a > 0, a * a, -a), x)
    check_gradients(lambda a: tf.cast(a, tf.float32), x, delta=1e-2, atol=1e-4, rtol=1e-3)


def test_integer_tensors_are_not_differentiable():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [3])
        y = tf.reduce_sum(tf.cast(tf.cast(x, tf.int32), tf.float32))
        assert tf.gradients(y, x) == [None]


# ---- cumsum, linspace, top-k, tensordot, segment sums ----------------------------------------
@pytest.mark.parametrize("exclusive", [False, True])
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("axis", [0, 1, -1])
def test_cumsum(exclusive, reverse, axis):
    x = rng.normal(size=(3, 4))

    def reference(a):
        a = np.flip(a, axis) if reverse else a
        out = np.cumsum(a, axis=axis)
        if exclusive:
            out = out - a
        return np.flip(out, axis) if reverse else out

    with tf.Graph().as_default():
        out = tf.cumsum(tf.constant(x), axis=axis, exclusive=exclusive, reverse=reverse)
        assert out.op.type == "Cumsum" and out.shape.as_list() == [3, 4]
        np.testing.assert_allclose(_run(out), reference(x), atol=1e-12)
    check_gradients(lambda t: tf.cumsum(t, axis, exclusive=exclusive, reverse=reverse), x)


def test_cumsum_axis_error():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="out of range"):
            tf.cumsum(tf.zeros([2, 3]), axis=2)


def test_linspace():
    with tf.Graph().as_default():
        out = tf.linspace(1.0, 2.0, 5)
        assert out.op.type == "LinSpace" and out.shape.as_list() == [5]
        np.testing.assert_allclose(_run(out), np.linspace(1.0, 2.0, 5, dtype=np.float32))
        n = tf.placeholder(tf.int32, [])
        dynamic = tf.linspace(tf.constant(0.0, tf.float64), 1.0, n)
        assert dynamic.shape.as_list() == [None]
        np.testing.assert_allclose(_run(dynamic, {n: 3}), [0.0, 0.5, 1.0])
        with pytest.raises(tf.errors.InvalidArgumentError, match="Requires num > 0"):
            _run(dynamic, {n: 0})


def test_in_top_k_ties_out_of_range_and_non_finite():
    predictions = np.array([[1.2, -0.3, 2.8, 5.2],
                            [0.1, 0.0, 0.0, 0.0],
                            [0.0, 0.5, 0.3, 0.3],
                            [0.0, 0.5, 0.3, 0.3],
                            [0.0, np.inf, 0.3, 0.3],
                            [0.0, 0.5, 0.3, 0.3]], np.float32)
    targets = np.array([0, 1, 3, 2, 1, 7])
    with tf.Graph().as_default():
        out = tf.in_top_k(predictions, targets, 2)
        assert out.op.type == "InTopKV2" and out.shape.as_list() == [6] and out.dtype == tf.bool
        np.testing.assert_array_equal(_run(out), [False, True, True, True, False, False])
        k = tf.placeholder(tf.int32, [])
        np.testing.assert_array_equal(_run(tf.in_top_k(predictions, targets, k), {k: 1}),
                                      [False, False, False, False, False, False])
        np.testing.assert_array_equal(_run(tf.in_top_k(predictions, targets, k), {k: 4}),
                                      [True, True, True, True, False, False])
        with pytest.raises(TypeError, match="float32"):
            tf.in_top_k(predictions.astype(np.float64), targets, 1)
        assert tf.gradients(tf.cast(out, tf.float32), tf.constant(1.0)) == [None]


def test_top_k_values_indices_and_gradient():
    x = np.array([[1.0, 3.0, 3.0, 0.0], [5.0, 1.0, 2.0, 7.0]])
    with tf.Graph().as_default():
        result = tf.top_k(tf.constant(x), k=3)
        values, indices = result
        assert result.values is values and result.indices is indices
        assert values.op.type == "TopKV2" and values.op.name == "TopKV2"
        assert values.shape.as_list() == [2, 3] and indices.dtype == tf.int32
        v, i = tf.Session().run([values, indices])
        np.testing.assert_array_equal(i, [[1, 2, 0], [3, 0, 2]])
        np.testing.assert_array_equal(v, [[3, 3, 1], [7, 5, 2]])
        with pytest.raises(ValueError, match="last dimension >= k"):
            tf.top_k(tf.constant(x), 5)
        ph = tf.placeholder(tf.float64, [None, None])
        with pytest.raises(tf.errors.InvalidArgumentError, match="at least k columns"):
            _run(tf.top_k(ph, 3).values, {ph: np.zeros((1, 2))})
    check_gradients(lambda t: tf.top_k(t, 2).values, rng.permutation(24).reshape(2, 3, 4) / 4.0)
    check_gradients(lambda t: tf.top_k(t, 1).values, rng.normal(size=(5,)))


TENSORDOT_CASES = [
    ("matmul", (3, 4), (4, 5), 1),
    ("outer", (2,), (3,), 0),
    ("full", (2, 3), (2, 3), 2),
    ("lists", (2, 3, 4), (4, 3, 5), [[1, 2], [1, 0]]),
    ("int_pair", (3, 4), (5, 3), [0, 1]),
]


@pytest.mark.parametrize("sa,sb,axes", [c[1:] for c in TENSORDOT_CASES],
                         ids=[c[0] for c in TENSORDOT_CASES])
def test_tensordot(sa, sb, axes):
    a, b = rng.normal(size=sa), rng.normal(size=sb)
    with tf.Graph().as_default():
        out = tf.tensordot(tf.constant(a), tf.constant(b), axes)
        expected = np.tensordot(a, b, axes)
        assert out.shape.as_list() == list(expected.shape)
        np.testing.assert_allclose(_run(out), expected, atol=1e-12)
        pa = tf.placeholder(tf.float64, [None] + list(sa[1:]))
        dynamic = tf.tensordot(pa, tf.constant(b), axes)
        assert dynamic.shape.is_compatible_with(expected.shape)
        np.testing.assert_allclose(_run(dynamic, {pa: a}), expected, atol=1e-12)
    check_gradients(lambda x, y: tf.tensordot(x, y, axes), a, b)


def test_unsorted_segment_sum_named_and_exported():
    with tf.Graph().as_default():
        out = tf.unsorted_segment_sum(tf.constant([1.0, 2.0, 3.0]), [1, 0, 1], 2)
        assert out.op.type == "UnsortedSegmentSum"
        np.testing.assert_array_equal(_run(out), [2.0, 4.0])


def test_reduction_gradients_with_unknown_rank_and_run_time_axes():
    x = rng.normal(size=(3, 4))
    with tf.Graph().as_default():
        ph = tf.placeholder(tf.float64, shape=None)  # the book's shape=(None): unknown rank
        axis = tf.placeholder(tf.int32, shape=[None])
        full = tf.gradients(tf.reduce_mean(ph * ph), ph)[0]
        partial = tf.gradients(tf.reduce_sum(tf.reduce_max(ph, axis=axis) * 2.0), ph)[0]
        with tf.Session() as sess:
            np.testing.assert_allclose(sess.run(full, {ph: x}), 2 * x / x.size)
            got = sess.run(partial, {ph: x, axis: [-1]})
            np.testing.assert_allclose(got, 2.0 * (x == x.max(axis=1, keepdims=True)))


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("axis,keepdims", [(None, False), (0, True), ([0, 2], False)])
def test_reduce_mean_is_numpys_mean_bit_for_bit(dtype, axis, keepdims):
    """The float32/64 kernel skips np.mean's overhead but keeps its arithmetic; float16
    still accumulates in float32 as np.mean does."""
    x = rng.uniform(-3, 3, (50, 30, 4)).astype(dtype)
    with tf.Graph().as_default():
        value = _run(tf.reduce_mean(tf.constant(x), axis=axis, keepdims=keepdims))
    expected = np.mean(x, axis=None if axis is None else tuple(np.atleast_1d(axis)),
                       keepdims=keepdims)
    assert value.dtype == dtype
    np.testing.assert_array_equal(value, expected)


def test_gradient_checker_perturbs_inputs_that_are_not_c_contiguous():
    """A transposed input once gave numeric gradients of 0 (its flat copy was perturbed)."""
    from tfcompat.test import check_gradients
    transposed = np.arange(1.0, 7.0).reshape(2, 3).T
    check_gradients(lambda x: tf.reduce_sum(x * x), transposed)
    with pytest.raises(AssertionError, match="gradient mismatch"):
        check_gradients(lambda x: tf.stop_gradient(x) * x, transposed)


@pytest.mark.parametrize("shape_a,shape_b", [((2, 3, 4), (2, 4, 5)), ((2, 3, 4), (4, 5)),
                                             ((1, 3, 4), (2, 4, 5)), ((3, 4), (2, 2, 4, 5)),
                                             ((2, 1, 3, 4), (3, 4, 5))])
@pytest.mark.parametrize("transpose_a,adjoint_b", [(False, False), (False, True),
                                                   (True, False), (True, True)])
def test_batch_matmul_gradients_with_transposes_and_broadcasting(shape_a, shape_b,
                                                                 transpose_a, adjoint_b):
    gen = np.random.default_rng(11)
    a, b = gen.normal(size=shape_a), gen.normal(size=shape_b)
    if transpose_a:
        a = np.ascontiguousarray(np.swapaxes(a, -1, -2))
    if adjoint_b:
        b = np.ascontiguousarray(np.swapaxes(b, -1, -2))
    check_gradients(lambda x, y: tf.matmul(x, y, transpose_a=transpose_a, adjoint_b=adjoint_b),
                    a, b)


def test_batch_matmul_gradient_with_unknown_batch_dimension():
    gen = np.random.default_rng(12)
    a, b = gen.normal(size=(3, 2, 4)), gen.normal(size=(1, 5, 4))
    with tf.Graph().as_default(), tf.Session() as sess:
        pa = tf.placeholder(tf.float64, [None, 2, 4])
        pb = tf.placeholder(tf.float64, [1, 5, 4])
        product = tf.matmul(pa, pb, adjoint_b=True)
        ga, gb = sess.run(tf.gradients(tf.reduce_sum(product), [pa, pb]), {pa: a, pb: b})
    ones = np.ones((3, 2, 5))
    np.testing.assert_allclose(ga, ones @ b)
    np.testing.assert_allclose(gb, (np.swapaxes(ones, -1, -2) @ a).sum(0, keepdims=True))
@pytest.mark.parametrize("adjoint_a,adjoint_b", [(False, True), (True, False), (True, True)])
def test_batch_matmul_adjoint_gradients(adjoint_a, adjoint_b):
    a = rng.normal(size=(2, 4, 3) if adjoint_a else (2, 3, 4))
    b = rng.normal(size=(2, 5, 4) if adjoint_b else (2, 4, 5))
    check_gradients(lambda x, y: tf.matmul(x, y, adjoint_a=adjoint_a, adjoint_b=adjoint_b), a, b)


def test_sparse_matmul_is_a_float32_product_with_matmul_gradients():
    a = np.array([[0.0, 2.0], [0.0, 0.0], [1.0, 0.0]], np.float32)
    with tf.Graph().as_default():
        product = tf.sparse_matmul(a, a, transpose_b=True, a_is_sparse=True)
        assert product.op.type == "SparseMatMul" and product.shape.as_list() == [3, 3]
        with tf.Session() as sess:
            np.testing.assert_allclose(sess.run(product), a @ a.T)
    check_gradients(lambda x, y: tf.cast(tf.sparse_matmul(tf.cast(x, tf.float32),
                                                          tf.cast(y, tf.float32),
                                                          transpose_a=True), tf.float64),
                    np.random.default_rng(0).normal(size=(3, 2)),
                    np.random.default_rng(1).normal(size=(3, 4)), delta=1e-3, atol=1e-3,
                    rtol=1e-3)
