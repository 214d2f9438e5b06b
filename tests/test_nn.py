"""tf.nn composite functions (nn.py): forward against NumPy, static shapes, finite-difference
gradients, TF's op names and errors; dropout's mask statistics and seeding."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.test import check_gradients

rng = np.random.default_rng(11)


def _run(fetches, feed=None):
    graph = (fetches[0] if isinstance(fetches, (list, tuple)) else fetches).graph
    with tf.Session(graph=graph) as sess:
        return sess.run(fetches, feed)


def test_namespace():
    for name in ["relu", "relu6", "elu", "selu", "leaky_relu", "sigmoid", "tanh", "softplus",
                 "softsign", "softmax", "log_softmax", "bias_add", "l2_loss", "l2_normalize",
                 "sparse_softmax_cross_entropy_with_logits", "softmax_cross_entropy_with_logits",
                 "softmax_cross_entropy_with_logits_v2", "sigmoid_cross_entropy_with_logits",
                 "weighted_cross_entropy_with_logits", "moments", "batch_normalization",
                 "dropout", "embedding_lookup", "zero_fraction", "xw_plus_b", "relu_layer",
                 "swish", "crelu", "in_top_k", "top_k"]:
        assert callable(getattr(tf.nn, name)), name
    with pytest.raises(AttributeError, match="tf.nn.no_such_op"):
        tf.nn.no_such_op  # noqa: B018


# ---- sigmoid cross-entropy ---------------------------------------------------------------------
def _np_sigmoid_xent(x, z):
    return np.maximum(x, 0) - x * z + np.log1p(np.exp(-np.abs(x)))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_cross_entropy_forward(dtype):
    logits = (rng.normal(size=(4, 3)) * 3).astype(dtype)
    logits[0] = [200.0, -200.0, 0.0]  # the stable formula stays finite
    labels = rng.random((4, 3)).astype(dtype)
    with tf.Graph().as_default():
        lg = tf.placeholder(tf.as_dtype(dtype), [None, 3])
        out = tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=lg)
        assert out.op.name == "logistic_loss" and out.shape.as_list() == [4, 3]
        value = _run(out, {lg: logits})
    assert value.dtype == dtype
    np.testing.assert_allclose(value, _np_sigmoid_xent(logits.astype(np.float64), labels),
                               rtol=1e-6 if dtype == np.float32 else 1e-12)


def test_sigmoid_cross_entropy_gradients_and_errors():
    logits = np.array([[-1.5, 0.3, 2.0], [0.7, -0.2, -3.0]])
    labels = rng.random((2, 3))
    check_gradients(lambda z, x: tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x),
                    labels, logits)
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="Only call `sigmoid_cross_entropy_with_logits` "
                                             "with named arguments"):
            tf.nn.sigmoid_cross_entropy_with_logits(tf.zeros([2]), tf.zeros([2]))
        with pytest.raises(ValueError, match="logits and labels must have the same shape"):
            tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.zeros([2]), logits=tf.zeros([3]))


def test_weighted_cross_entropy():
    logits = np.array([[-1.5, 0.3, 2.0], [0.7, -0.2, -3.0]])
    labels = rng.random((2, 3))
    q = 2.5
    expected = q * labels * -np.log(1 / (1 + np.exp(-logits))) + (1 - labels) * -np.log(
        1 - 1 / (1 + np.exp(-logits)))
    with tf.Graph().as_default():
        out = tf.nn.weighted_cross_entropy_with_logits(labels=labels, logits=logits,
                                                       pos_weight=q)
        np.testing.assert_allclose(_run(out), expected, rtol=1e-12)
        out = tf.nn.weighted_cross_entropy_with_logits(targets=labels, logits=logits,
                                                       pos_weight=q)
        np.testing.assert_allclose(_run(out), expected, rtol=1e-12)
    check_gradients(lambda x: tf.nn.weighted_cross_entropy_with_logits(
        labels=labels, logits=x, pos_weight=q), logits)


# ---- normalisation -----------------------------------------------------------------------------
@pytest.mark.parametrize("axis", [None, 0, 1, [0, 1]])
def test_l2_normalize(axis):
    x = rng.normal(size=(3, 4))
    np_axis = tuple(axis) if isinstance(axis, list) else axis
    expected = x / np.sqrt(np.maximum((x * x).sum(axis=np_axis, keepdims=True), 1e-12))
    with tf.Graph().as_default():
        ph = tf.placeholder(tf.float64, [None, 4])
        out = tf.nn.l2_normalize(ph, axis=axis)
        assert out.op.name == "l2_normalize" and out.shape.as_list() == [None, 4]
        np.testing.assert_allclose(_run(out, {ph: x}), expected, rtol=1e-12)
    check_gradients(lambda t: tf.nn.l2_normalize(t, axis=axis), x)


def test_l2_normalize_epsilon_and_dim_alias():
    x = np.array([[0.0, 0.0], [3.0, 4.0]], dtype=np.float32)
    with tf.Graph().as_default():
        out = tf.nn.l2_normalize(tf.constant(x), dim=1)
        np.testing.assert_allclose(_run(out), [[0, 0], [0.6, 0.8]], rtol=1e-6)
        with pytest.raises(ValueError, match="Cannot specify both 'axis' and 'dim'"):
            tf.nn.l2_normalize(tf.constant(x), axis=0, dim=1)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("keep_dims", [False, True])
def test_moments(dtype, keep_dims):
    x = (rng.normal(size=(5, 2, 3)) * 2 + 1).astype(dtype)
    with tf.Graph().as_default():
        ph = tf.placeholder(tf.as_dtype(dtype), [None, 2, 3])
        mean, variance = tf.nn.moments(ph, [0, 1], keep_dims=keep_dims)
        shape = [1, 1, 3] if keep_dims else [3]
        assert mean.shape.as_list() == variance.shape.as_list() == shape
        assert mean.dtype == variance.dtype == tf.as_dtype(dtype)
        m, v = _run([mean, variance], {ph: x})
        names = {op.name for op in ph.graph.get_operations()}
        assert {"moments/mean", "moments/variance", "moments/SquaredDifference",
                "moments/StopGradient"} <= names
    tol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(m, x.mean(axis=(0, 1), keepdims=keep_dims), rtol=tol)
    np.testing.assert_allclose(v, x.var(axis=(0, 1), keepdims=keep_dims), rtol=tol)


def test_moments_gradients():
    x = rng.normal(size=(4, 3))
    check_gradients(lambda t: tf.nn.moments(t, [0])[0], x)
    check_gradients(lambda t: tf.nn.moments(t, [0])[1], x)
    check_gradients(lambda t: tf.nn.moments(t, [1], keepdims=True)[1], x)


def _np_batch_norm(x, mean, var, offset, scale, eps):
    return (x - mean) / np.sqrt(var + eps) * scale + offset


def test_batch_normalization_forward_and_names():
    x = rng.normal(size=(4, 3)).astype(np.float32)
    mean, var = x.mean(0), x.var(0)
    offset, scale = rng.normal(size=3).astype(np.float32), rng.random(3).astype(np.float32) + .5
    with tf.Graph().as_default():
        ph = tf.placeholder(tf.float32, [None, 3])
        out = tf.nn.batch_normalization(ph, tf.constant(mean), tf.constant(var), offset, scale,
                                        1e-3)
        assert out.op.name == "batchnorm/add_1" and out.shape.as_list() == [None, 3]
        names = {op.name for op in ph.graph.get_operations()}
        assert {"batchnorm/Rsqrt", "batchnorm/mul", "batchnorm/sub"} <= names
        np.testing.assert_allclose(_run(out, {ph: x}),
                                   _np_batch_norm(x, mean, var, offset, scale, 1e-3), rtol=1e-5,
                                   atol=1e-6)
        plain = tf.nn.batch_normalization(ph, mean, var, None, None, 1e-3)
        np.testing.assert_allclose(_run(plain, {ph: x}),
                                   _np_batch_norm(x, mean, var, 0, 1, 1e-3), rtol=1e-5, atol=1e-6)


def test_batch_normalization_gradients():
    x = rng.normal(size=(3, 2))
    mean, var = rng.normal(size=2), rng.random(2) + 0.5
    offset, scale = rng.normal(size=2), rng.random(2) + 0.5
    check_gradients(lambda *args: tf.nn.batch_normalization(*args, variance_epsilon=1e-3),
                    x, mean, var, offset, scale)


# ---- dropout -----------------------------------------------------------------------------------
def test_dropout_graph_matches_tf():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 10])
        out = tf.nn.dropout(x, keep_prob=0.8)
        assert out.op.name == "dropout/mul" and out.shape.as_list() == [None, 10]
        names = {op.name for op in x.graph.get_operations()}
        assert {"dropout/random_uniform", "dropout/random_uniform/RandomUniform",
                "dropout/Floor", "dropout/truediv", "dropout/rate", "dropout/Shape"} <= names
        assert x.graph.get_operation_by_name("dropout/Floor").type == "Floor"
        # Nothing to drop: x itself comes back.
        assert tf.nn.dropout(x, keep_prob=1.0) is x
        assert tf.nn.dropout(x, rate=0.0) is x


@pytest.mark.parametrize("keep_prob", [0.3, 0.75])
def test_dropout_mask_rate_and_scaling(keep_prob):
    x = np.full((200, 500), 2.0, dtype=np.float32)
    with tf.Graph().as_default():
        ph = tf.placeholder(tf.float32, [None, 500])
        value = _run(tf.nn.dropout(ph, keep_prob=keep_prob, seed=3), {ph: x})
    kept = value != 0
    # 100000 Bernoulli draws: the kept fraction is within 5 standard deviations.
    sigma = np.sqrt(keep_prob * (1 - keep_prob) / x.size)
    assert abs(kept.mean() - keep_prob) < 5 * sigma
    np.testing.assert_allclose(value[kept], 2.0 / keep_prob, rtol=1e-6)


def test_dropout_rate_argument_equals_keep_prob():
    x = rng.normal(size=(20, 30))
    with tf.Graph().as_default():
        tf.set_random_seed(5)
        a = tf.nn.dropout(tf.constant(x), keep_prob=0.6, seed=1)
        b = tf.nn.dropout(tf.constant(x), rate=0.4, seed=1)
        rate = tf.placeholder(tf.float64, [])
        c = tf.nn.dropout(tf.constant(x), rate=rate, seed=1)
        va, vb, vc = _run([a, b, c], {rate: 0.4})
    np.testing.assert_array_equal(va != 0, vb != 0)
    np.testing.assert_allclose(va, vb)
    np.testing.assert_allclose(vc, va)


def test_dropout_with_a_fed_keep_prob():
    x = np.ones((100, 100), dtype=np.float32)
    with tf.Graph().as_default():
        keep_prob = tf.placeholder(tf.float32, [])
        out = tf.nn.dropout(tf.constant(x), keep_prob)  # the usual TF1 pattern
        assert out.shape.as_list() == [100, 100]
        with tf.Session() as sess:
            np.testing.assert_array_equal(sess.run(out, {keep_prob: 1.0}), x)
            value = sess.run(out, {keep_prob: 0.5})
    assert set(np.unique(value)) <= {0.0, 2.0}
    assert 0.45 < (value != 0).mean() < 0.55


def test_dropout_is_reproducible_with_seeds():
    x = np.ones((50, 40))

    def build():
        tf.set_random_seed(42)
        return tf.nn.dropout(tf.constant(x), keep_prob=0.5)

    with tf.Graph().as_default() as g1:
        out1 = build()
    with tf.Graph().as_default() as g2:
        out2 = build()
    first = _run(out1)
    np.testing.assert_array_equal(first, _run(out1))  # a new Session restarts the sequence
    np.testing.assert_array_equal(first, _run(out2))  # the same program, the same mask
    with tf.Session(graph=g1) as sess:
        assert not np.array_equal(sess.run(out1), sess.run(out1))  # fresh draws per run
    assert g1 is not g2


def test_dropout_noise_shape_broadcasts_the_mask():
    x = np.ones((6, 8))
    with tf.Graph().as_default():
        out = tf.nn.dropout(tf.constant(x), keep_prob=0.5, noise_shape=[6, 1], seed=2)
        value = _run(out)
    rows_kept = value[:, 0] != 0
    np.testing.assert_array_equal(value, np.where(rows_kept[:, None], 2.0, 0.0) * x)


def test_dropout_gradient_is_the_scaled_mask():
    x = rng.normal(size=(4, 5)) + 3  # no zeros in x: zeros in the output mark dropped units
    with tf.Graph().as_default():
        ph = tf.placeholder(tf.float64, [4, 5])
        out = tf.nn.dropout(ph, keep_prob=0.6, seed=7)
        upstream = tf.placeholder(tf.float64, [4, 5])
        grad = tf.gradients(out, ph, grad_ys=upstream)[0]
        dy = rng.normal(size=(4, 5))
        value, g = _run([out, grad], {ph: x, upstream: dy})  # one run: one mask
    mask = (value != 0).astype(np.float64)
    np.testing.assert_allclose(value, x * mask / 0.6, rtol=1e-12)
    np.testing.assert_allclose(g, dy * mask / 0.6, rtol=1e-12)


@pytest.mark.parametrize("kwargs,message", [
    (dict(keep_prob=0.0), r"rate must be a scalar tensor or a float in the range \[0, 1\), got 1"),
    (dict(keep_prob=1.5), r"range \[0, 1\), got -0.5"),
    (dict(rate=1.0), r"range \[0, 1\), got 1"),
    (dict(rate=-0.1), r"range \[0, 1\), got -0.1"),
    (dict(), "You must provide a rate to dropout."),
    (dict(keep_prob=0.5, rate=0.5), "Cannot specify both 'rate' and 'keep_prob'"),
    (dict(keep_prob="half"), "keep_prob must be a floating point number or Tensor"),
])
def test_dropout_errors(kwargs, message):
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match=message):
            tf.nn.dropout(tf.zeros([3]), **kwargs)


def test_dropout_rejects_integer_input():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="x has to be a floating point tensor"):
            tf.nn.dropout(tf.constant([1, 2]), keep_prob=0.5)


# ---- embeddings --------------------------------------------------------------------------------
def test_embedding_lookup_single_table():
    params = rng.normal(size=(6, 3))
    ids = np.array([[0, 5], [2, 2]])
    with tf.Graph().as_default():
        table = tf.constant(params)
        out = tf.nn.embedding_lookup(table, ids)
        assert out.op.name == "embedding_lookup/Identity"
        assert out.op.inputs[0].op.name == "embedding_lookup"
        assert out.shape.as_list() == [2, 2, 3]
        np.testing.assert_allclose(_run(out), params[ids])
    check_gradients(lambda p: tf.nn.embedding_lookup(p, ids), params)


def test_embedding_lookup_of_a_variable_trains_its_rows():
    with tf.Graph().as_default():
        table = tf.Variable(np.zeros((4, 2)), name="table")
        loss = tf.reduce_sum(tf.nn.embedding_lookup(table, [1, 1, 3]))
        grad = tf.gradients(loss, table)[0]
        assert isinstance(grad, tf.IndexedSlices)  # as TF: densified by convert_to_tensor
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            value = sess.run(tf.convert_to_tensor(grad))
    np.testing.assert_allclose(np.asarray(value), [[0, 0], [2, 2], [0, 0], [1, 1]])


@pytest.mark.parametrize("strategy", ["mod", "div"])
def test_embedding_lookup_partitioned(strategy):
    full = rng.normal(size=(7, 2))
    ids = np.array([0, 6, 3, 1, 4, 4])
    if strategy == "mod":
        parts = [full[i::3] for i in range(3)]  # id i lives in partition i % 3, row i // 3
    else:
        parts = [full[0:3], full[3:5], full[5:7]]  # contiguous, the first one larger
    with tf.Graph().as_default():
        out = tf.nn.embedding_lookup([tf.constant(p) for p in parts], ids,
                                     partition_strategy=strategy)
        assert out.shape.as_list() == [6, 2]
        np.testing.assert_allclose(_run(out), full[ids])
    check_gradients(lambda a, b, c: tf.nn.embedding_lookup([a, b, c], ids,
                                                           partition_strategy=strategy), *parts)


def test_embedding_lookup_max_norm_and_errors():
    params = np.array([[3.0, 4.0], [0.3, 0.4], [0.0, 0.0]])
    with tf.Graph().as_default():
        out = tf.nn.embedding_lookup(tf.constant(params), [0, 1, 2], max_norm=1.0)
        np.testing.assert_allclose(_run(out), [[0.6, 0.8], [0.3, 0.4], [0, 0]], rtol=1e-12)
        with pytest.raises(ValueError, match="Unrecognized partition strategy: foo"):
            tf.nn.embedding_lookup(tf.constant(params), [0], partition_strategy="foo")
        with pytest.raises(ValueError, match="Need at least one param"):
            tf.nn.embedding_lookup([], [0])
        out = tf.nn.embedding_lookup(tf.constant(params), tf.constant([3]))
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"not in \[0, 3\)"):
            _run(out)


# ---- small composites --------------------------------------------------------------------------
def test_zero_fraction():
    x = np.array([[0.0, 1.0, 0.0], [2.0, 0.0, 3.0]])
    with tf.Graph().as_default():
        out = tf.nn.zero_fraction(tf.constant(x))
        assert out.op.name == "zero_fraction/fraction" and out.dtype == tf.float32
        assert _run(out) == pytest.approx(0.5)
        assert _run(tf.nn.zero_fraction(tf.constant([1, 0, 0, 0]))) == pytest.approx(0.75)


def test_xw_plus_b_and_relu_layer():
    x, w, b = rng.normal(size=(4, 3)), rng.normal(size=(3, 2)), rng.normal(size=2)
    with tf.Graph().as_default():
        ph = tf.placeholder(tf.float64, [None, 3])
        affine = tf.nn.xw_plus_b(ph, w, b)
        layer = tf.nn.relu_layer(ph, w, b)
        assert (affine.op.type, affine.op.name) == ("BiasAdd", "xw_plus_b")
        assert (layer.op.type, layer.op.name) == ("Relu", "relu_layer")
        assert affine.shape.as_list() == layer.shape.as_list() == [None, 2]
        a, r = _run([affine, layer], {ph: x})
    np.testing.assert_allclose(a, x @ w + b, rtol=1e-12)
    np.testing.assert_allclose(r, np.maximum(x @ w + b, 0), rtol=1e-12)
    check_gradients(tf.nn.xw_plus_b, x, w, b)


def test_swish_and_crelu():
    x = np.array([[-1.5, 0.5, 2.0]])
    with tf.Graph().as_default():
        swish, crelu = tf.nn.swish(tf.constant(x)), tf.nn.crelu(tf.constant(x))
        assert crelu.shape.as_list() == [1, 6]
        s, c = _run([swish, crelu])
    np.testing.assert_allclose(s, x / (1 + np.exp(-x)), rtol=1e-12)
    np.testing.assert_allclose(c, np.concatenate([np.maximum(x, 0), np.maximum(-x, 0)], -1))
    check_gradients(tf.nn.swish, x)
    check_gradients(tf.nn.crelu, x)


def test_top_k_and_in_top_k_are_reexported():
    with tf.Graph().as_default():
        predictions = tf.constant([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2]])
        values, indices = tf.nn.top_k(predictions, k=2)
        hits = tf.nn.in_top_k(predictions, tf.constant([2, 0]), 1)
        v, i, h = _run([values, indices, hits])
    np.testing.assert_allclose(v, [[0.7, 0.2], [0.5, 0.3]])
    np.testing.assert_array_equal(i, [[1, 2], [0, 1]])
    np.testing.assert_array_equal(h, [False, True])
