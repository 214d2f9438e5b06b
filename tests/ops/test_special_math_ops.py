"""Special functions, segment reductions, counting and the tf.math composites: forward
against NumPy/SciPy, static shapes, float64 finite-difference gradients, TF's errors."""
import numpy as np
import pytest
import scipy.special

import tfcompat as tf
from tfcompat.test import check_gradients

rng = np.random.default_rng(7)


def _run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


def _forward(builder, reference, *arrays, rtol=1e-10):
    with tf.Graph().as_default():
        out = builder(*[tf.constant(a) for a in arrays])
        value = _run(out)
        assert out.shape.as_list() == list(np.shape(value))
        np.testing.assert_allclose(value, reference(*arrays), rtol=rtol, atol=1e-12)
        return value


UNIT = rng.uniform(-0.8, 0.8, (2, 3))
POSITIVE = rng.uniform(0.6, 3.0, (2, 3))
UNARY_CASES = [
    ("lgamma", tf.lgamma, scipy.special.gammaln, POSITIVE),
    ("digamma", tf.digamma, scipy.special.psi, POSITIVE),
    ("erf", tf.erf, scipy.special.erf, UNIT),
    ("erfc", tf.erfc, scipy.special.erfc, UNIT),
    ("bessel_i0e", tf.math.bessel_i0e, scipy.special.i0e, UNIT * 3),
    ("bessel_i1e", tf.math.bessel_i1e, scipy.special.i1e, UNIT * 3),
    ("bessel_i0", tf.math.bessel_i0, scipy.special.i0, UNIT * 3),
    ("bessel_i1", tf.math.bessel_i1, scipy.special.i1, UNIT * 3),
    ("tan", tf.tan, np.tan, UNIT),
    ("sinh", tf.sinh, np.sinh, UNIT),
    ("cosh", tf.cosh, np.cosh, UNIT),
    ("asin", tf.asin, np.arcsin, UNIT),
    ("acos", tf.acos, np.arccos, UNIT),
    ("atan", tf.atan, np.arctan, UNIT * 3),
    ("asinh", tf.asinh, np.arcsinh, UNIT * 3),
    ("acosh", tf.acosh, np.arccosh, POSITIVE + 0.5),
    ("atanh", tf.atanh, np.arctanh, UNIT),
    ("log_sigmoid", tf.log_sigmoid, lambda x: -np.logaddexp(0, -x), UNIT * 30),
]


@pytest.mark.parametrize("builder,reference,x", [c[1:] for c in UNARY_CASES],
                         ids=[c[0] for c in UNARY_CASES])
def test_unary_forward_and_gradient(builder, reference, x):
    _forward(builder, reference, x)
    check_gradients(builder, x)


def test_unary_float32_keeps_its_dtype_and_rejects_integers():
    with tf.Graph().as_default():
        out = tf.lgamma(tf.constant([0.5, 3.0], tf.float32))
        assert out.dtype == tf.float32 and _run(out).dtype == np.float32
        with pytest.raises(TypeError, match="not in list of allowed values for op 'Erf'"):
            tf.erf(tf.constant([1, 2]))


def test_bessel_i1e_gradient_at_zero_is_one_half():
    with tf.Graph().as_default():
        x = tf.constant([0.0, 0.0], tf.float64)
        np.testing.assert_allclose(_run(tf.gradients(tf.math.bessel_i1e(x), x)[0]), 0.5)


def test_rint_and_classifiers():
    x = np.array([0.5, 1.5, -2.5, np.nan, np.inf, -np.inf, 2.4])
    with tf.Graph().as_default():
        c = tf.constant(x)
        rint, nan, inf, finite = _run([tf.rint(c), tf.is_nan(c), tf.is_inf(c), tf.is_finite(c)])
        np.testing.assert_array_equal(rint, np.rint(x))
        np.testing.assert_array_equal(nan, np.isnan(x))
        np.testing.assert_array_equal(inf, np.isinf(x))
        np.testing.assert_array_equal(finite, np.isfinite(x))
        assert tf.is_nan(c).dtype == tf.bool


BINARY_CASES = [
    ("xlogy", tf.math.xlogy, scipy.special.xlogy, (0.2, 2.0), (0.5, 2.0)),
    ("xdivy", tf.math.xdivy, np.divide, (0.2, 2.0), (0.5, 2.0)),
    ("div_no_nan", tf.div_no_nan, np.divide, (-2.0, 2.0), (0.5, 2.0)),
    ("atan2", tf.atan2, np.arctan2, (-2.0, 2.0), (0.5, 2.0)),
    ("igamma", tf.igamma, scipy.special.gammainc, (0.5, 3.0), (0.3, 4.0)),
    ("igammac", tf.igammac, scipy.special.gammaincc, (0.5, 3.0), (0.3, 4.0)),
]


@pytest.mark.parametrize("builder,reference,range_x,range_y", [c[1:] for c in BINARY_CASES],
                         ids=[c[0] for c in BINARY_CASES])
@pytest.mark.parametrize("shapes", [((2, 3), (2, 3)), ((2, 3), (3,))], ids=str)
def test_binary_forward_and_gradient(builder, reference, range_x, range_y, shapes):
    x = rng.uniform(*range_x, shapes[0])
    y = rng.uniform(*range_y, shapes[1])
    _forward(builder, reference, x, y)
    check_gradients(builder, x, y)


def test_zero_conventions_of_xlogy_xdivy_div_no_nan():
    with tf.Graph().as_default():
        zero = tf.constant([0.0, 0.0, 1.0], tf.float64)
        y = tf.constant([0.0, np.inf, 0.0], tf.float64)
        values = _run([tf.math.xlogy(zero, y), tf.math.xdivy(zero, y), tf.div_no_nan(zero, y)])
        np.testing.assert_array_equal(values[0], [0.0, 0.0, -np.inf])
        np.testing.assert_array_equal(values[1], [0.0, 0.0, np.inf])
        np.testing.assert_array_equal(values[2], [0.0, 0.0, 0.0])
        z = tf.constant([1.0, 2.0], tf.float64)
        grads = tf.gradients(tf.div_no_nan(z, tf.constant([0.0, 2.0], tf.float64)), z)[0]
        np.testing.assert_array_equal(_run(grads), [0.0, 0.5])


def test_zeta_and_polygamma_differentiate_their_second_input_only():
    x = rng.uniform(2.0, 4.0, (2, 3))
    q = rng.uniform(0.5, 2.0, (2, 3))
    _forward(tf.zeta, scipy.special.zeta, x, q)
    check_gradients(lambda q_: tf.zeta(tf.constant(x), q_), q)
    n = np.array([[0.0, 1.0, 2.0], [1.0, 3.0, 0.0]])
    _forward(tf.polygamma, lambda a, b: scipy.special.polygamma(a.astype(int), b), n, q)
    check_gradients(lambda q_: tf.polygamma(tf.constant(n), q_), q)
    with tf.Graph().as_default():
        a = tf.constant(x)
        assert tf.gradients(tf.zeta(a, tf.constant(q)), a) == [None]
        orders = _run(tf.polygamma(tf.constant([1.0, 1.5, -1.0]), tf.constant([2.0] * 3)))
        assert np.isfinite(orders[0]) and np.isnan(orders[1:]).all()


def test_betainc_forward_and_gradient_in_x():
    a, b = rng.uniform(0.5, 3.0, (2, 3)), rng.uniform(0.5, 3.0, (2, 3))
    x = rng.uniform(0.1, 0.9, (2, 3))
    _forward(tf.betainc, scipy.special.betainc, a, b, x)
    check_gradients(lambda x_: tf.betainc(tf.constant(a), tf.constant(b), x_), x)
    with tf.Graph().as_default():
        with pytest.raises(TypeError, match="DataType int32 not in list"):
            tf.betainc(tf.constant([1, 2]), tf.constant([1, 2]), tf.constant([1, 2]))


def test_lbeta():
    x = rng.uniform(0.5, 3.0, (2, 4))
    expected = scipy.special.gammaln(x).sum(-1) - scipy.special.gammaln(x.sum(-1))
    _forward(tf.lbeta, lambda v: expected, x)
    check_gradients(tf.lbeta, x)


def test_truncated_division():
    x, y = np.array([7, -7, 7, -7]), np.array([2, 2, -2, -2])
    with tf.Graph().as_default():
        div, mod = _run([tf.truncatediv(x, y), tf.truncatemod(x, y)])
        np.testing.assert_array_equal(div, [3, -3, -3, 3])
        np.testing.assert_array_equal(mod, np.fmod(x, y))
        with pytest.raises(tf.errors.InvalidArgumentError, match="Integer division by zero"):
            _run(tf.truncatediv(x, np.zeros(4, np.int64)))


@pytest.mark.parametrize("exclusive", [False, True])
@pytest.mark.parametrize("reverse", [False, True])
def test_cumprod(exclusive, reverse):
    x = rng.uniform(0.5, 2.0, (2, 4))

    def reference(v):
        w = np.flip(v, 1) if reverse else v
        out = np.cumprod(w, 1)
        if exclusive:
            out = np.concatenate([np.ones((2, 1)), out[:, :-1]], 1)
        return np.flip(out, 1) if reverse else out
    build = lambda v: tf.cumprod(v, axis=1, exclusive=exclusive, reverse=reverse)  # noqa: E731
    _forward(build, reference, x)
    check_gradients(build, x)


DATA = rng.uniform(-1.0, 1.0, (5, 2))
SORTED_IDS = np.array([0, 0, 1, 3, 3])


def _segment_reference(reduce, ids, num, data=DATA, empty=0.0):
    out = np.full((num,) + data.shape[1:], empty)
    for i in range(num):
        rows = data[ids == i]
        if len(rows):
            out[i] = reduce(rows, axis=0)
    return out


SORTED_CASES = [
    ("sum", tf.segment_sum, np.sum),
    ("mean", tf.segment_mean, np.mean),
    ("prod", tf.segment_prod, np.prod),
    ("max", tf.segment_max, np.max),
    ("min", tf.segment_min, np.min),
]


@pytest.mark.parametrize("builder,reduce", [c[1:] for c in SORTED_CASES],
                         ids=[c[0] for c in SORTED_CASES])
def test_sorted_segment_reductions(builder, reduce):
    empty = 1.0 if reduce is np.prod else 0.0
    expected = _segment_reference(reduce, SORTED_IDS, 4, empty=empty)
    _forward(lambda d: builder(d, SORTED_IDS), lambda d: expected, DATA)
    check_gradients(lambda d: builder(d, SORTED_IDS), DATA)


UNSORTED_IDS = np.array([2, -1, 0, 2, 0])
UNSORTED_CASES = [
    ("prod", tf.unsorted_segment_prod, np.prod, 1.0),
    ("max", tf.unsorted_segment_max, np.max, np.finfo(np.float64).min),
    ("min", tf.unsorted_segment_min, np.min, np.finfo(np.float64).max),
    ("mean", tf.unsorted_segment_mean, np.mean, 0.0),
    ("sqrt_n", tf.unsorted_segment_sqrt_n,
     lambda rows, axis: rows.sum(axis) / np.sqrt(len(rows)), 0.0),
]


@pytest.mark.parametrize("builder,reduce,empty", [c[1:] for c in UNSORTED_CASES],
                         ids=[c[0] for c in UNSORTED_CASES])
def test_unsorted_segment_reductions(builder, reduce, empty):
    expected = _segment_reference(reduce, UNSORTED_IDS, 4, empty=empty)
    _forward(lambda d: builder(d, UNSORTED_IDS, 4), lambda d: expected, DATA)
    # every segment non-empty: the extremes' identities (±max float) would swamp the check
    check_gradients(lambda d: builder(d, np.array([1, -1, 0, 1, 0]), 2), DATA)


def test_segment_prod_gradient_with_zeros():
    data = np.array([[0.0, 2.0], [3.0, 0.0], [0.0, 4.0], [5.0, 6.0]])
    with tf.Graph().as_default():
        d = tf.constant(data)
        grads = _run(tf.gradients(tf.segment_prod(d, [0, 0, 0, 1]), d)[0])
        np.testing.assert_allclose(grads, [[0, 0], [0, 8], [0, 0], [1, 1]])


def test_segment_ids_checks():
    with tf.Graph().as_default():
        out = tf.segment_sum(tf.placeholder(tf.float32, [None, 2]),
                             tf.placeholder(tf.int32, [None]))
        assert out.shape.as_list() == [None, 2]
        with pytest.raises(ValueError, match="rank 1"):
            tf.segment_sum(tf.zeros([2, 2]), [[0, 1], [1, 1]])
        with pytest.raises(tf.errors.InvalidArgumentError, match="segment ids are not "
                                                                 "increasing"):
            _run(tf.segment_sum(DATA, tf.constant([0, 2, 1, 3, 3])))
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"out of range \[0, 2\)"):
            _run(tf.unsorted_segment_max(DATA, UNSORTED_IDS, 2))
        with pytest.raises(TypeError, match="segment_ids"):
            tf.segment_max(DATA, tf.constant([0.0, 1.0, 1.0, 2.0, 2.0]))


def test_bincount():
    arr = np.array([[1, 3, 3], [0, 7, 1]], np.int32)
    weights = rng.uniform(0, 1, arr.shape)
    with tf.Graph().as_default():
        counts, limited, extended, weighted, empty = _run([
            tf.bincount(arr), tf.bincount(arr, maxlength=4), tf.bincount(arr, minlength=10),
            tf.bincount(arr, weights=weights), tf.bincount(np.zeros([0], np.int32))])
        np.testing.assert_array_equal(counts, np.bincount(arr.ravel()))
        np.testing.assert_array_equal(limited, np.bincount(arr.ravel())[:4])
        np.testing.assert_array_equal(extended, np.bincount(arr.ravel(), minlength=10))
        np.testing.assert_allclose(weighted, np.bincount(arr.ravel(), weights.ravel()))
        assert counts.dtype == np.int32 and weighted.dtype == np.float64 and empty.shape == (0,)
        with pytest.raises(tf.errors.InvalidArgumentError, match="must be non-negative"):
            _run(tf.bincount([1, -1]))


def test_confusion_matrix_and_count_nonzero():
    labels, predictions = np.array([0, 1, 2, 2, 1]), np.array([0, 2, 2, 2, 1])
    with tf.Graph().as_default():
        matrix = tf.confusion_matrix(labels, predictions)
        weighted = tf.math.confusion_matrix(labels, predictions, num_classes=4,
                                            weights=[1.0, 2.0, 3.0, 4.0, 5.0],
                                            dtype=tf.float32)
        counts = tf.count_nonzero(tf.constant([[0.0, 1.5, 2.0], [0.0, 0.0, 3.0]]), axis=1)
        m, w, c = _run([matrix, weighted, counts])
        np.testing.assert_array_equal(m, [[1, 0, 0], [0, 1, 1], [0, 0, 2]])
        assert m.dtype == np.int32 and w.shape == (4, 4) and w[2, 2] == 7.0
        np.testing.assert_array_equal(c, [2, 1])
        assert counts.dtype == tf.int64


def test_reductions_built_from_others():
    x = rng.normal(size=(3, 4)) * 3
    _forward(lambda v: tf.reduce_logsumexp(v, axis=1),
             lambda v: scipy.special.logsumexp(v, axis=1), x)
    _forward(lambda v: tf.math.reduce_variance(v, axis=0, keepdims=True),
             lambda v: np.var(v, axis=0, keepdims=True), x)
    _forward(lambda v: tf.math.reduce_std(v), np.std, x)
    check_gradients(lambda v: tf.reduce_logsumexp(v, axis=[0, 1]), x)
    check_gradients(lambda v: tf.math.reduce_std(v, axis=1), x)
    with tf.Graph().as_default():
        big = tf.constant([[1000.0, 1000.0], [-np.inf, -np.inf]], tf.float64)
        np.testing.assert_allclose(_run(tf.reduce_logsumexp(big, axis=1)),
                                   [1000 + np.log(2), -np.inf])


def test_polyval_and_accumulate_n():
    x = rng.normal(size=(2, 3))
    coeffs = [2.0, -1.0, 0.5]
    _forward(lambda v: tf.math.polyval(coeffs, v), lambda v: np.polyval(coeffs, v), x)
    check_gradients(lambda v: tf.math.polyval(coeffs, v), x)
    with tf.Graph().as_default():
        assert _run(tf.math.polyval([], tf.constant(x))).tolist() == np.zeros((2, 3)).tolist()
        with pytest.raises(ValueError, match="must be list type"):
            tf.math.polyval(np.array(coeffs), x)
        total = tf.accumulate_n([tf.constant(x), tf.constant(2 * x)])
        np.testing.assert_allclose(_run(total), 3 * x)


def test_casts():
    with tf.Graph().as_default():
        assert tf.to_double(tf.constant([1, 2])).dtype == tf.float64
        clipped = tf.saturate_cast(tf.constant([-300.0, 5.0, 300.0]), tf.uint8)
        np.testing.assert_array_equal(_run(clipped), [0, 5, 255])


def test_math_namespace_exposes_tf_names():
    assert tf.math.reduce_sum is tf.reduce_sum
    assert tf.math.lgamma is tf.lgamma
    assert tf.math.softplus is tf.nn.softplus
    assert tf.math.divide_no_nan is tf.div_no_nan
    assert tf.math.unsorted_segment_sum is tf.unsorted_segment_sum


EINSUM_CASES = [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("ij,jk", [(2, 3), (3, 4)]),
    ("bij,bjk->bik", [(2, 2, 3), (2, 3, 2)]),
    ("ij->ji", [(2, 3)]),
    ("ij->", [(2, 3)]),
    ("i,j->ij", [(2,), (3,)]),
    ("ij,ij->i", [(2, 3), (2, 3)]),
    ("ijk,k->i", [(2, 3, 4), (4,)]),
    ("...ij,...jk->...ik", [(2, 2, 3), (2, 3, 2)]),
    ("ij,jk,kl->il", [(2, 3), (3, 2), (2, 2)]),
]


@pytest.mark.parametrize("equation,shapes", EINSUM_CASES, ids=[c[0] for c in EINSUM_CASES])
def test_einsum_forward_and_gradient(equation, shapes):
    arrays = [rng.normal(size=s) for s in shapes]
    _forward(lambda *xs: tf.einsum(equation, *xs), lambda *xs: np.einsum(equation, *xs),
             *arrays)
    check_gradients(lambda *xs: tf.einsum(equation, *xs), *arrays)


def test_einsum_errors():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="expected 2"):
            tf.einsum("ij,jk->ik", tf.zeros([2, 3, 1]), tf.zeros([3, 2]))
        with pytest.raises(ValueError, match="Expected dimension 3"):
            tf.einsum("ij,jk->ik", tf.zeros([2, 3]), tf.zeros([4, 2]))
        with pytest.raises(ValueError, match="Got 1 arguments"):
            tf.einsum("ij,jk->ik", tf.zeros([2, 3]))
        assert tf.einsum("ij,jk->ik", tf.placeholder(tf.float32, [None, 3]),
                         tf.zeros([3, 5])).shape.as_list() == [None, 5]


def test_complex_parts_and_their_gradients():
    re, im = rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    z = re + 1j * im
    with tf.Graph().as_default():
        c = tf.complex(tf.constant(re), tf.constant(im))
        assert c.dtype == tf.complex128
        assert tf.complex(tf.constant([1.0]), tf.constant([2.0])).dtype == tf.complex64
        values = _run([c, tf.real(c), tf.imag(c), tf.angle(c), tf.conj(c),
                       tf.math.angle(tf.constant([-1.0, 2.0], tf.float64))])
        for value, expected in zip(values, [z, re, im, np.angle(z), np.conj(z),
                                            [np.pi, 0.0]], strict=True):
            np.testing.assert_allclose(value, expected, rtol=1e-12)
        real_input = tf.constant([1.0, 2.0])
        assert tf.real(real_input) is real_input and tf.conj(real_input) is real_input
        with pytest.raises(TypeError, match="complex64, complex128"):
            tf.imag(real_input)
        assert tf.to_complex64(real_input).dtype == tf.complex64
    check_gradients(lambda a, b: tf.real(tf.complex(a, b) * tf.complex(b, a * a)), re, im)
    check_gradients(lambda a, b: tf.imag(tf.conj(tf.complex(a, b)) * tf.complex(b * b, a)), re,
                    im)
    check_gradients(lambda a, b: tf.angle(tf.complex(a, b)), re, im)
