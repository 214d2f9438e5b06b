"""NN ops: forward against NumPy (float32 and float64), static shape = runtime shape, gradients
by finite differences, the grad-only ops TF uses, and TF's errors."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.test import check_gradients

rng = np.random.default_rng(7)

SCALE, ALPHA = 1.0507009873554805, 1.6732632423543772


def _run(fetches, feed=None, graph=None):
    graph = graph or (fetches[0] if isinstance(fetches, (list, tuple)) else fetches).graph
    with tf.Session(graph=graph) as sess:
        return sess.run(fetches, feed)


def _np_sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _np_log_softmax(x, axis=-1):
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


# (name, builder, numpy reference, gradient op type, input for the gradient check)
AWAY_FROM_ZERO = np.array([[-1.7, -0.6, -0.3], [0.4, 0.9, 2.2]])
ACTIVATIONS = [
    ("relu", tf.nn.relu, lambda x: np.maximum(x, 0), "ReluGrad", AWAY_FROM_ZERO),
    ("relu6", tf.nn.relu6, lambda x: np.clip(x, 0, 6), "Relu6Grad",
     np.array([[-1.5, -0.5, 0.5], [3.0, 5.5, 7.0]])),
    ("elu", tf.nn.elu, lambda x: np.where(x > 0, x, np.expm1(x)), "EluGrad", AWAY_FROM_ZERO),
    ("selu", tf.nn.selu, lambda x: SCALE * np.where(x > 0, x, ALPHA * np.expm1(x)), "SeluGrad",
     AWAY_FROM_ZERO),
    ("leaky_relu", tf.nn.leaky_relu, lambda x: np.where(x > 0, x, 0.2 * x), "LeakyReluGrad",
     AWAY_FROM_ZERO),
    ("leaky_relu_alpha_1.5", lambda x: tf.nn.leaky_relu(x, alpha=1.5),
     lambda x: np.where(x > 0, x, 1.5 * x), "LeakyReluGrad", AWAY_FROM_ZERO),
    ("sigmoid", tf.nn.sigmoid, _np_sigmoid, "SigmoidGrad", AWAY_FROM_ZERO),
    ("tanh", tf.nn.tanh, np.tanh, "TanhGrad", AWAY_FROM_ZERO),
    ("softplus", tf.nn.softplus, lambda x: np.logaddexp(0, x), "SoftplusGrad", AWAY_FROM_ZERO),
    ("softsign", tf.nn.softsign, lambda x: x / (1 + np.abs(x)), "SoftsignGrad", AWAY_FROM_ZERO),
]
IDS = [case[0] for case in ACTIVATIONS]


@pytest.mark.parametrize("name,builder,reference,grad_type,x", ACTIVATIONS, ids=IDS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_activation_forward_and_shapes(name, builder, reference, grad_type, x, dtype):
    values = (rng.normal(size=(5, 4)) * 4).astype(dtype)
    values[0, :3] = [0.0, 100.0, -100.0]  # kinks and saturation stay finite
    values[1, :3] = [np.nan, np.inf, -np.inf]  # NaN stays NaN, infinities saturate
    with tf.Graph().as_default():
        ph = tf.placeholder(tf.as_dtype(dtype), [None, 4])
        out = builder(ph)
        assert out.dtype == tf.as_dtype(dtype)
        assert out.shape.as_list() == [None, 4]
        value = _run(out, {ph: values})
    assert value.dtype == dtype and value.shape == values.shape
    with np.errstate(invalid="ignore"):  # the references meet NaN/inf too
        expected = reference(values.astype(np.float64))
    np.testing.assert_allclose(value, expected, rtol=1e-6 if dtype == np.float32 else 1e-12,
                               atol=1e-6 if dtype == np.float32 else 1e-14)


@pytest.mark.parametrize("name,builder,reference,grad_type,x", ACTIVATIONS, ids=IDS)
def test_activation_gradient(name, builder, reference, grad_type, x):
    check_gradients(builder, x)
    with tf.Graph().as_default():
        ph = tf.placeholder(tf.float64, [2, 3])
        out = builder(ph)
        grad = tf.gradients(out, ph)[0]
        assert grad.op.type == grad_type
        assert grad.op.name.startswith("gradients/")
        # Second-order gradients through the grad-only ops are not written: a clear error.
        with pytest.raises(LookupError, match=grad_type):
            tf.gradients(grad, ph)


def test_default_op_names_and_top_level_aliases():
    with tf.Graph().as_default():
        x = tf.constant([[1.0, -2.0]])
        assert tf.nn.relu(x).op.name == "Relu"
        assert tf.nn.relu6(x).op.name == "Relu6"
        assert tf.nn.elu(x).op.name == "Elu"
        assert tf.nn.selu(x).op.name == "Selu"
        assert tf.nn.softplus(x).op.name == "Softplus"
        leaky = tf.nn.leaky_relu(x)
        assert (leaky.op.type, leaky.op.name) == ("LeakyRelu", "LeakyRelu")
        assert leaky.op.get_attr("alpha") == pytest.approx(0.2)
        assert tf.sigmoid(x).op.type == "Sigmoid" and tf.nn.sigmoid is tf.sigmoid
        assert tf.tanh(x).op.type == "Tanh" and tf.nn.tanh is tf.tanh
        assert tf.nn.relu(x, name="act").op.name == "act"
        assert tf.nn.softmax(x).op.name == "Softmax"
        assert tf.nn.log_softmax(x).op.name == "LogSoftmax"
        assert tf.nn.bias_add(x, [1.0, 2.0]).op.name == "BiasAdd"
        assert tf.nn.l2_loss(x).op.name == "L2Loss"
    assert not hasattr(tf, "relu")  # only tf.sigmoid / tf.tanh are top level in TF


def test_relu_accepts_integers_and_elu_rejects_them():
    with tf.Graph().as_default():
        x = tf.constant([-3, 0, 4])
        np.testing.assert_array_equal(_run(tf.nn.relu(x)), [0, 0, 4])
        np.testing.assert_array_equal(_run(tf.nn.relu6(x * 2)), [0, 0, 6])
        leaky = tf.nn.leaky_relu(x)  # integers are cast to float32, as TF
        assert leaky.dtype == tf.float32
        np.testing.assert_allclose(_run(leaky), [-0.6, 0.0, 4.0], rtol=1e-6)
        with pytest.raises(TypeError, match="'features' has DataType int32 not in list"):
            tf.nn.elu(x)


def test_activation_grad_kernels_against_numpy():
    y = np.array([-0.5, 0.0, 0.25, 1.0, 7.0])
    dy = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    with tf.Graph().as_default():
        yc, dyc = tf.constant(y), tf.constant(dy)
        from tfcompat.framework.op_def import make_tensor
        results = _run([make_tensor("ReluGrad", [dyc, yc]), make_tensor("Relu6Grad", [dyc, yc]),
                        make_tensor("EluGrad", [dyc, yc]), make_tensor("SeluGrad", [dyc, yc]),
                        make_tensor("LeakyReluGrad", [dyc, yc], {"alpha": 0.1}),
                        make_tensor("SigmoidGrad", [yc, dyc]), make_tensor("TanhGrad", [yc, dyc])])
    np.testing.assert_allclose(results[0], np.where(y > 0, dy, 0))
    np.testing.assert_allclose(results[1], np.where((y > 0) & (y < 6), dy, 0))
    np.testing.assert_allclose(results[2], np.where(y < 0, dy * (y + 1), dy))
    np.testing.assert_allclose(results[3], np.where(y < 0, dy * (y + SCALE * ALPHA), dy * SCALE))
    np.testing.assert_allclose(results[4], np.where(y > 0, dy, 0.1 * dy))
    np.testing.assert_allclose(results[5], dy * y * (1 - y))
    np.testing.assert_allclose(results[6], dy * (1 - y * y))


# ---- softmax ---------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_and_log_softmax_are_stable(dtype):
    x = (rng.normal(size=(4, 6)) * 3).astype(dtype)
    x[0] += 1000  # exp would overflow without subtracting the row max
    x[1] -= 1000
    with tf.Graph().as_default():
        ph = tf.placeholder(tf.as_dtype(dtype), [None, 6])
        sm, lsm = tf.nn.softmax(ph), tf.nn.log_softmax(ph)
        assert sm.shape.as_list() == lsm.shape.as_list() == [None, 6]
        sm_value, lsm_value = _run([sm, lsm], {ph: x})
    tol = dict(rtol=1e-5, atol=1e-6) if dtype == np.float32 else dict(rtol=1e-12, atol=1e-14)
    expected = _np_log_softmax(x.astype(np.float64))
    np.testing.assert_allclose(lsm_value, expected, **tol)
    np.testing.assert_allclose(sm_value, np.exp(expected), **tol)
    assert sm_value.dtype == lsm_value.dtype == dtype


@pytest.mark.parametrize("axis", [0, 1, -2, -1])
def test_softmax_along_other_axes(axis):
    x = rng.normal(size=(2, 3, 2))
    with tf.Graph().as_default():
        out = tf.nn.softmax(tf.constant(x), axis=axis)
        log_out = tf.nn.log_softmax(tf.constant(x), dim=axis)
        assert out.shape.as_list() == [2, 3, 2]
        value, log_value = _run([out, log_out])
    np.testing.assert_allclose(log_value, _np_log_softmax(x, axis), rtol=1e-12)
    np.testing.assert_allclose(value, np.exp(_np_log_softmax(x, axis)), rtol=1e-12)
    check_gradients(lambda t: tf.nn.softmax(t, axis=axis), x)


def test_softmax_gradients():
    x = rng.normal(size=(3, 4))
    check_gradients(tf.nn.softmax, x)
    check_gradients(tf.nn.log_softmax, x)
    check_gradients(tf.nn.softmax, rng.normal(size=(5,)))


def test_softmax_errors():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="Shape must be at least rank 1 but is rank 0"):
            tf.nn.softmax(tf.constant(1.0))
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"Dimension \(2\) must be in "
                                                                 r"the range \[-2, 2\)"):
            tf.nn.softmax(tf.zeros([2, 3]), axis=2)
        with pytest.raises(TypeError, match="'logits' has DataType int32"):
            tf.nn.softmax(tf.constant([1, 2]))


# ---- bias_add --------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_bias_add_forward(dtype):
    x = rng.normal(size=(3, 2, 4)).astype(dtype)
    b = rng.normal(size=4).astype(dtype)
    with tf.Graph().as_default():
        ph = tf.placeholder(tf.as_dtype(dtype), [None, 2, 4])
        out = tf.nn.bias_add(ph, b)
        assert out.dtype == tf.as_dtype(dtype)
        assert out.shape.as_list() == [None, 2, 4]
        np.testing.assert_allclose(_run(out, {ph: x}), x + b, rtol=1e-6)
        # NCHW: the bias runs along dimension 1.
        x_nchw = rng.normal(size=(2, 4, 3, 2)).astype(dtype)
        nchw = tf.nn.bias_add(tf.constant(x_nchw), b, data_format="NCHW")
        assert nchw.shape.as_list() == [2, 4, 3, 2]
        np.testing.assert_allclose(_run(nchw), x_nchw + b[:, None, None], rtol=1e-6)


def test_bias_add_gradients():
    x, b = rng.normal(size=(3, 4)), rng.normal(size=4)
    check_gradients(tf.nn.bias_add, x, b)
    check_gradients(tf.nn.bias_add, rng.normal(size=(2, 2, 3)), rng.normal(size=3))
    check_gradients(lambda v, c: tf.nn.bias_add(v, c, data_format="NCHW"),
                    rng.normal(size=(2, 3, 2, 1)), rng.normal(size=3))
    with tf.Graph().as_default():
        ph = tf.placeholder(tf.float64, [None, 4])
        out = tf.nn.bias_add(ph, tf.constant(b))
        grad_x, grad_b = tf.gradients(out, [ph, out.op.inputs[1]])
        assert grad_b.op.type == "BiasAddGrad" and grad_b.shape.as_list() == [4]
        gx, gb = _run([grad_x, grad_b], {ph: x})
    np.testing.assert_allclose(gx, np.ones_like(x))
    np.testing.assert_allclose(gb, np.full(4, 3.0))


def test_bias_add_shape_errors():
    with tf.Graph().as_default():
        value = tf.zeros([2, 3])
        with pytest.raises(ValueError, match=r"Shape must be rank 1 but is rank 2 for 'BiasAdd' "
                                             r"\(op: 'BiasAdd'\) with input shapes: \[2,3\], "
                                             r"\[1,3\]"):
            tf.nn.bias_add(value, tf.zeros([1, 3]))
        with pytest.raises(ValueError, match=r"Dimensions must be equal, but are 3 and 4 for "
                                             r"'BiasAdd_1' \(op: 'BiasAdd'\)"):
            tf.nn.bias_add(value, tf.zeros([4]))
        with pytest.raises(ValueError, match="Shape must be at least rank 2 but is rank 1"):
            tf.nn.bias_add(tf.zeros([3]), tf.zeros([3]))
        with pytest.raises(ValueError, match="Tensor conversion requested dtype float32"):
            tf.nn.bias_add(value, tf.zeros([3], tf.float64))
        # Only run time can tell with unknown dimensions.
        ph = tf.placeholder(tf.float32, [None, None])
        out = tf.nn.bias_add(ph, tf.zeros([3]))
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"Must provide as many biases as the last dimension of the "
                                 r"input tensor: \[3\] vs. \[2, 4\]"):
            _run(out, {ph: np.zeros((2, 4), np.float32)})


# ---- cross-entropy ----------------------------------------------------------------------------
def _np_sparse_xent(logits, labels):
    return -_np_log_softmax(logits)[np.arange(len(labels)), labels]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("label_dtype", [np.int32, np.int64])
def test_sparse_softmax_cross_entropy_forward(dtype, label_dtype):
    logits = (rng.normal(size=(6, 5)) * 3).astype(dtype)
    logits[0] *= 400  # stays finite: the row max is subtracted
    labels = np.array([0, 4, 1, 2, 3, 3], dtype=label_dtype)
    with tf.Graph().as_default():
        lg = tf.placeholder(tf.as_dtype(dtype), [None, 5])
        lb = tf.placeholder(tf.as_dtype(label_dtype), [None])
        loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=lb, logits=lg)
        assert loss.op.type == "SparseSoftmaxCrossEntropyWithLogits"
        assert loss.name == ("SparseSoftmaxCrossEntropyWithLogits/"
                             "SparseSoftmaxCrossEntropyWithLogits:0")
        assert len(loss.op.outputs) == 2 and loss.op.outputs[1].shape.as_list() == [None, 5]
        assert loss.shape.as_list() == [None] and loss.dtype == tf.as_dtype(dtype)
        value = _run(loss, {lg: logits, lb: labels})
    assert value.dtype == dtype and np.all(np.isfinite(value))
    np.testing.assert_allclose(value, _np_sparse_xent(logits.astype(np.float64), labels),
                               rtol=1e-5 if dtype == np.float32 else 1e-12, atol=1e-5)


def test_sparse_softmax_cross_entropy_gradient_uses_backprop_output():
    logits = rng.normal(size=(4, 3))
    labels = np.array([2, 0, 1, 2])
    check_gradients(lambda lg: tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=labels, logits=lg), logits)
    with tf.Graph().as_default():
        lg = tf.placeholder(tf.float64, [None, 3])
        loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=lg,
                                                              name="loss")
        assert loss.op.name == "loss/loss"
        grad = tf.gradients(tf.reduce_mean(loss), lg)[0]
        assert loss.op.outputs[1] in list(grad.op.inputs)
        value = _run(grad, {lg: logits})
        probs = np.exp(_np_log_softmax(logits))
        probs[np.arange(4), labels] -= 1
        np.testing.assert_allclose(value, probs / 4, rtol=1e-12)
        with pytest.raises(LookupError, match="second derivative"):
            tf.gradients(grad, lg)


def test_sparse_softmax_cross_entropy_of_rank_3_logits():
    logits = rng.normal(size=(2, 3, 4))
    labels = rng.integers(0, 4, size=(2, 3))
    with tf.Graph().as_default():
        lg = tf.placeholder(tf.float64, [None, 3, 4])
        loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=lg)
        assert loss.shape.as_list() == [2, 3]
        value = _run(loss, {lg: logits})
    expected = -np.take_along_axis(_np_log_softmax(logits), labels[..., None], -1)[..., 0]
    np.testing.assert_allclose(value, expected, rtol=1e-12)
    check_gradients(lambda t: tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=labels, logits=t), logits)


def test_sparse_softmax_cross_entropy_errors():
    xent = tf.nn.sparse_softmax_cross_entropy_with_logits
    with tf.Graph().as_default():
        logits = tf.zeros([4, 10])
        with pytest.raises(ValueError, match=r"Only call `sparse_softmax_cross_entropy_with_"
                                             r"logits` with named arguments \(labels=\.\.\., "
                                             r"logits=\.\.\., \.\.\.\)"):
            xent(tf.constant([1, 2, 3, 4]), logits)
        with pytest.raises(ValueError, match="Both labels and logits must be provided"):
            xent(logits=logits)
        with pytest.raises(ValueError, match=r"Rank mismatch: Rank of labels \(received 2\) "
                                             r"should equal rank of logits minus 1 \(received "
                                             r"2\)"):
            xent(labels=tf.zeros([4, 10], tf.int32), logits=logits)
        with pytest.raises(ValueError, match="Shape mismatch: The shape of labels"):
            xent(labels=tf.zeros([5], tf.int32), logits=logits)
        with pytest.raises(ValueError, match="Logits cannot be scalars"):
            xent(labels=tf.constant(1), logits=tf.constant(1.0))
        with pytest.raises(TypeError, match="'labels' has DataType float32 not in list of "
                                            "allowed values: int32, int64"):
            xent(labels=tf.zeros([4]), logits=logits)
        labels = tf.placeholder(tf.int32, [None])
        loss = xent(labels=labels, logits=logits)
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"Received a label value of 10 which is outside the valid "
                                 r"range of \[0, 10\)"):
            _run(loss, {labels: [1, 10, 2, 3]})
        with pytest.raises(tf.errors.InvalidArgumentError, match="label value of -1"):
            _run(loss, {labels: [1, -1, 2, 3]})


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_cross_entropy_forward(dtype):
    logits = (rng.normal(size=(4, 5)) * 3).astype(dtype)
    logits[1] += 500
    labels = rng.dirichlet(np.ones(5), size=4).astype(dtype)
    expected = -(labels.astype(np.float64) * _np_log_softmax(logits.astype(np.float64))).sum(-1)
    with tf.Graph().as_default():
        lg = tf.placeholder(tf.as_dtype(dtype), [None, 5])
        lb = tf.placeholder(tf.as_dtype(dtype), [None, 5])
        v1 = tf.nn.softmax_cross_entropy_with_logits(labels=lb, logits=lg)
        v2 = tf.nn.softmax_cross_entropy_with_logits_v2(labels=lb, logits=lg)
        assert v1.op.type == v2.op.type == "SoftmaxCrossEntropyWithLogits"
        assert v1.op.name == "softmax_cross_entropy_with_logits_sg"
        assert v2.op.name == "softmax_cross_entropy_with_logits"
        assert v1.shape.as_list() == v2.shape.as_list() == [None]
        assert v1.op.outputs[1].shape.as_list() == [None, 5]
        r1, r2 = _run([v1, v2], {lg: logits, lb: labels})
    tol = dict(rtol=1e-5, atol=1e-5) if dtype == np.float32 else dict(rtol=1e-12)
    np.testing.assert_allclose(r1, expected, **tol)
    np.testing.assert_allclose(r2, expected, **tol)
    assert r1.dtype == dtype


def test_softmax_cross_entropy_gradients():
    logits = rng.normal(size=(3, 4))
    labels = rng.dirichlet(np.ones(4), size=3)
    check_gradients(lambda lg: tf.nn.softmax_cross_entropy_with_logits(
        labels=labels, logits=lg), logits)
    check_gradients(lambda lb, lg: tf.nn.softmax_cross_entropy_with_logits_v2(
        labels=lb, logits=lg), labels, logits)
    with tf.Graph().as_default():
        lb, lg = tf.constant(labels), tf.constant(logits)
        v1 = tf.nn.softmax_cross_entropy_with_logits(labels=lb, logits=lg)
        v2 = tf.nn.softmax_cross_entropy_with_logits_v2(labels=lb, logits=lg)
        assert tf.gradients(v1, lb) == [None]  # v1 stops the gradient into labels
        assert tf.gradients(v2, lb)[0] is not None
        grad = tf.gradients(v2, lg)[0]
        assert v2.op.outputs[1] in list(grad.op.inputs)
        # TF's second-order formula through the backprop output.
        check_gradients(lambda t: tf.gradients(tf.nn.softmax_cross_entropy_with_logits_v2(
            labels=labels, logits=t), t)[0], logits)


def test_softmax_cross_entropy_axis_and_rank_3():
    logits = rng.normal(size=(3, 2, 4))
    labels = rng.dirichlet(np.ones(3), size=(2, 4)).transpose(2, 0, 1)  # distributions on axis 0
    with tf.Graph().as_default():
        out = tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits, axis=0)
        assert out.shape.as_list() == [2, 4]
        value = _run(out)
    np.testing.assert_allclose(value, -(labels * _np_log_softmax(logits, 0)).sum(0), rtol=1e-12)
    check_gradients(lambda t: tf.nn.softmax_cross_entropy_with_logits_v2(
        labels=labels, logits=t, axis=0), logits)
    labels_last = rng.dirichlet(np.ones(4), size=(3, 2))
    with tf.Graph().as_default():
        ph = tf.placeholder(tf.float64, [None, 2, 4])
        out = tf.nn.softmax_cross_entropy_with_logits(labels=labels_last, logits=ph)
        assert out.shape.as_list() == [None, 2]
        value = _run(out, {ph: logits})
    np.testing.assert_allclose(value, -(labels_last * _np_log_softmax(logits)).sum(-1),
                               rtol=1e-12)


def test_softmax_cross_entropy_errors():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match=r"Only call `softmax_cross_entropy_with_logits` "
                                             r"with named arguments"):
            tf.nn.softmax_cross_entropy_with_logits(tf.zeros([2, 3]), tf.zeros([2, 3]))
        with pytest.raises(ValueError, match="Dimensions must be equal, but are 3 and 4"):
            tf.nn.softmax_cross_entropy_with_logits_v2(labels=tf.zeros([2, 4]),
                                                       logits=tf.zeros([2, 3]))


# ---- L2 loss -----------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_l2_loss(dtype):
    x = rng.normal(size=(4, 3)).astype(dtype)
    with tf.Graph().as_default():
        ph = tf.placeholder(tf.as_dtype(dtype), [None, 3])
        out = tf.nn.l2_loss(ph)
        assert out.shape.as_list() == [] and out.op.type == "L2Loss"
        value = _run(out, {ph: x})
    assert value.dtype == dtype
    np.testing.assert_allclose(value, (x.astype(np.float64) ** 2).sum() / 2, rtol=1e-6)
    check_gradients(tf.nn.l2_loss, rng.normal(size=(2, 3)))
