"""tf.layers.dense / Dense, dropout / Dropout, flatten / Flatten (layers/core.py): TF 1.15's
variable and op names, scoping and reuse, initializers, regularizers, forward values and
graph-construction errors."""
import functools
import math

import numpy as np
import pytest

import tfcompat as tf

rng = np.random.default_rng(3)


@pytest.fixture(autouse=True)
def fresh_graph():
    graph = tf.Graph()
    with graph.as_default():
        yield graph


def _names(variables):
    return [v.name for v in variables]


def _op_names(graph=None):
    return [op.name for op in (graph or tf.get_default_graph()).get_operations()]


def _run(fetches, feed=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches, feed)


# ---- dense: names, variables, collections -------------------------------------------------------
def test_dense_variables_and_op_names():
    X = tf.placeholder(tf.float32, (None, 5), name="X")
    out = tf.layers.dense(X, 3, activation=tf.nn.relu, name="hidden1")
    assert out.name == "hidden1/Relu:0" and out.shape.as_list() == [None, 3]
    kernel, bias = tf.global_variables()
    assert (kernel.name, bias.name) == ("hidden1/kernel:0", "hidden1/bias:0")
    assert kernel.shape.as_list() == [5, 3] and bias.shape.as_list() == [3]
    assert kernel.dtype.base_dtype == tf.float32
    assert _names(tf.trainable_variables()) == ["hidden1/kernel:0", "hidden1/bias:0"]
    ops = _op_names()
    for name in ["hidden1/MatMul", "hidden1/BiasAdd", "hidden1/Relu", "hidden1/kernel",
                 "hidden1/kernel/Assign", "hidden1/kernel/read", "hidden1/bias/Initializer/zeros"]:
        assert name in ops, name
    out = tf.layers.dense(X, 2, name="logits")
    assert out.name == "logits/BiasAdd:0"


def test_dense_in_name_scope_keeps_variable_names():
    X = tf.placeholder(tf.float32, (None, 4))
    with tf.name_scope("dnn"):
        h1 = tf.layers.dense(X, 3, name="hidden1", activation=tf.nn.elu)
        h2 = tf.layers.dense(h1, 2, name="hidden2")
    assert h1.name == "dnn/hidden1/Elu:0" and h2.name == "dnn/hidden2/BiasAdd:0"
    assert "dnn/hidden1/MatMul" in _op_names()
    assert _names(tf.global_variables()) == ["hidden1/kernel:0", "hidden1/bias:0",
                                             "hidden2/kernel:0", "hidden2/bias:0"]


def test_unnamed_dense_layers_are_numbered():
    X = tf.placeholder(tf.float32, (None, 4))
    outs = [tf.layers.dense(X, 2) for _ in range(3)]
    assert [o.name for o in outs] == ["dense/BiasAdd:0", "dense_1/BiasAdd:0",
                                      "dense_2/BiasAdd:0"]
    assert _names(tf.global_variables())[::2] == ["dense/kernel:0", "dense_1/kernel:0",
                                                  "dense_2/kernel:0"]
    layer = tf.layers.Dense(2)
    assert layer.name == "dense_3"
    with pytest.raises(ValueError, match="has not been used yet"):
        layer.scope_name  # noqa: B018
    layer(X)
    assert layer.scope_name == "dense_3"


def test_dense_reuse():
    X = tf.placeholder(tf.float32, (None, 4))
    tf.layers.dense(X, 3, name="hidden1")
    with pytest.raises(ValueError, match="Variable hidden1/kernel already exists, disallowed"):
        tf.layers.dense(X, 3, name="hidden1")
    shared = tf.layers.dense(X, 3, name="hidden1", reuse=True)
    assert len(tf.global_variables()) == 2
    assert shared.op.name.startswith("hidden1_")  # a new name scope, the same variables
    tf.layers.dense(X, 3, name="hidden1", reuse=tf.AUTO_REUSE)
    assert len(tf.global_variables()) == 2
    with pytest.raises(ValueError, match=r"Trying to share variable hidden1/kernel, but "
                                         r"specified shape \(5, 3\) and found shape \(4, 3\)"):
        tf.layers.dense(tf.placeholder(tf.float32, (None, 5)), 3, name="hidden1", reuse=True)
    with pytest.raises(ValueError, match="Variable other/kernel does not exist"):
        tf.layers.dense(X, 3, name="other", reuse=True)
    with tf.variable_scope("", reuse=True):
        tf.layers.dense(X, 3, name="hidden1")
    assert len(tf.global_variables()) == 2


def test_dense_values_match_numpy():
    x = rng.normal(size=(6, 4)).astype(np.float32)
    X = tf.placeholder(tf.float32, (None, 4))
    layer = tf.layers.Dense(3, activation="relu", bias_initializer=tf.constant_initializer(0.1))
    out = layer(X)
    value, kernel, bias = _run([out, layer.kernel, layer.bias], {X: x})
    np.testing.assert_allclose(value, np.maximum(x @ kernel + bias, 0), rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(bias, np.full(3, 0.1, np.float32))
    assert layer.variables == [layer.kernel, layer.bias] == layer.trainable_variables
    assert layer.non_trainable_variables == []


def test_dense_default_initializer_is_glorot_uniform_and_scope_initializer_wins():
    X = tf.placeholder(tf.float32, (None, 300))
    layer = tf.layers.Dense(200)
    layer(X)
    kernel = _run(layer.kernel)
    limit = math.sqrt(6 / 500)
    assert np.abs(kernel).max() <= limit and kernel.std() == pytest.approx(limit / math.sqrt(3),
                                                                         rel=0.05)
    with tf.variable_scope("scoped", initializer=tf.constant_initializer(0.5)):
        other = tf.layers.Dense(2)
        other(X)
    # layer.name is "dense_1" (per-graph counter) but its variable scope is uniquified in
    # "scoped/" from the base name "dense", as in TF
    assert other.name == "dense_1" and other.kernel.name == "scoped/dense/kernel:0"
    assert np.all(_run(other.kernel) == 0.5)


def test_dense_with_partial_and_he_init():
    he_init = tf.contrib.layers.variance_scaling_initializer()
    my_dense = functools.partial(tf.layers.dense, kernel_initializer=he_init,
                                 activation=tf.nn.elu)
    X = tf.placeholder(tf.float32, (None, 1000))
    my_dense(X, 500, name="hidden1")
    kernel = _run(tf.global_variables()[0])
    # contrib formula: truncated normal with stddev sqrt(1.3 * 2 / fan_in)
    assert np.abs(kernel).max() <= 2 * math.sqrt(2.6 / 1000) * (1 + 1e-6)
    assert kernel.var() == pytest.approx(2.6 * TRUNC_VAR / 1000, rel=0.03)


TRUNC_VAR = 0.87962566103423978 ** 2


def test_dense_dtype_follows_inputs_and_explicit_dtype():
    X = tf.placeholder(tf.float64, (None, 3))
    out = tf.layers.dense(X, 2)
    assert out.dtype == tf.float64 and tf.global_variables()[0].dtype.base_dtype == tf.float64
    with pytest.raises(TypeError, match="non-floating point dtype"):
        tf.layers.dense(tf.placeholder(tf.int32, (None, 3)), 2)


def test_dense_rank3_uses_tensordot():
    x = rng.normal(size=(2, 5, 4)).astype(np.float32)
    X = tf.placeholder(tf.float32, (None, 5, 4))
    layer = tf.layers.Dense(3)
    out = layer(X)
    assert out.shape.as_list() == [None, 5, 3]
    assert any(name.startswith("dense/Tensordot") for name in _op_names())
    value, kernel = _run([out, layer.kernel], {X: x})
    np.testing.assert_allclose(value, np.einsum("bij,jk->bik", x, kernel), rtol=1e-5, atol=1e-6)


def test_dense_without_bias_and_not_trainable():
    X = tf.placeholder(tf.float32, (None, 3))
    layer = tf.layers.Dense(2, use_bias=False, trainable=False, name="frozen")
    out = layer(X)
    assert out.name == "frozen/MatMul:0" and layer.bias is None
    assert _names(tf.global_variables()) == ["frozen/kernel:0"]
    assert tf.trainable_variables() == [] and layer.trainable_variables == []
    assert layer.non_trainable_variables == [layer.kernel]


def test_dense_layer_object_reuses_its_variables():
    X = tf.placeholder(tf.float32, (None, 3))
    layer = tf.layers.Dense(2, name="shared")
    a, b = layer(X), layer(X * 2.0)
    assert len(tf.global_variables()) == 2
    # each call re-enters the layer's original name scope
    assert a.op.name == "shared/BiasAdd" and b.op.name == "shared/BiasAdd_1"
    with pytest.raises(ValueError, match=r"Input 0 of layer shared is incompatible with the "
                                         r"layer: expected axis -1 of input shape to have "
                                         r"value 3 but received input with shape \[None, 4\]"):
        layer(tf.placeholder(tf.float32, (None, 4)))
    assert layer.count_params() == 8


def test_dense_bad_inputs():
    with pytest.raises(ValueError, match=r"Input 0 of layer dense is incompatible with the "
                                         r"layer: : expected min_ndim=2, found ndim=1"):
        tf.layers.dense(tf.placeholder(tf.float32, (3,)), 2)
    with pytest.raises(ValueError, match=r"The last dimension of the inputs to `Dense` should "
                                         r"be defined. Found `None`."):
        tf.layers.dense(tf.placeholder(tf.float32, (None, None)), 2)
    with pytest.raises(ValueError, match="its rank is undefined"):
        tf.layers.dense(tf.placeholder(tf.float32), 2)
    with pytest.raises(ValueError, match="`units` must be a positive integer, got 0"):
        tf.layers.dense(tf.placeholder(tf.float32, (None, 2)), 0)
    with pytest.raises(TypeError, match="Keyword argument not understood"):
        tf.layers.Dense(2, bogus=1)
    with pytest.raises(TypeError, match="`kernel_regularizer` must be a callable"):
        tf.layers.Dense(2, kernel_regularizer=0.1)
    with pytest.raises(ValueError, match="Unknown activation function: swoosh"):
        tf.layers.Dense(2, activation="swoosh")


# ---- regularizers, constraints ------------------------------------------------------------------
def test_dense_kernel_regularizer_loss_and_name():
    X = tf.placeholder(tf.float32, (None, 3))
    with tf.name_scope("dnn"):
        tf.layers.dense(X, 2, name="hidden1",
                        kernel_regularizer=tf.contrib.layers.l2_regularizer(0.1),
                        bias_regularizer=tf.contrib.layers.l1_regularizer(0.5),
                        bias_initializer=tf.constant_initializer(-1.0))
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert [t.name for t in losses] == ["dnn/hidden1/kernel/Regularizer/l2_regularizer:0",
                                        "dnn/hidden1/bias/Regularizer/l1_regularizer:0"]
    total = tf.losses.get_regularization_loss()
    assert total.name == "total_regularization_loss:0"
    kernel, l2, l1, total_value = _run([tf.global_variables()[0]] + losses + [total])
    assert l2 == pytest.approx(0.1 * (kernel ** 2).sum() / 2, rel=1e-5)
    assert l1 == pytest.approx(0.5 * 2.0)
    assert total_value == pytest.approx(l1 + l2)
    # reuse adds no second loss
    tf.layers.dense(X, 2, name="hidden1", reuse=True,
                    kernel_regularizer=tf.contrib.layers.l2_regularizer(0.1))
    assert len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)) == 2


def test_regularizer_returning_none_adds_nothing():
    """The book's max_norm_regularizer: clips into a custom collection, returns None."""
    def max_norm_regularizer(threshold, axes=1, name="max_norm", collection="max_norm"):
        def max_norm(weights):
            clipped = tf.clip_by_norm(weights, clip_norm=threshold, axes=axes) \
                if hasattr(tf, "clip_by_norm") else tf.identity(weights)
            clip_weights = tf.assign(weights, clipped, name=name)
            tf.add_to_collection(collection, clip_weights)
            return None
        return max_norm

    X = tf.placeholder(tf.float32, (None, 3))
    tf.layers.dense(X, 2, kernel_regularizer=max_norm_regularizer(1.0), name="hidden1")
    assert tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES) == []
    clip_ops = tf.get_collection("max_norm")
    assert len(clip_ops) == 1 and clip_ops[0].op.name == "hidden1/kernel/Regularizer/max_norm"


def test_activity_regularizer_is_divided_by_batch_size():
    x = rng.normal(size=(4, 3)).astype(np.float32)
    X = tf.placeholder(tf.float32, (None, 3))
    layer = tf.layers.Dense(2, activity_regularizer=tf.contrib.layers.l1_regularizer(0.2))
    out = layer(X)
    (loss,) = layer.losses
    assert loss.op.name.startswith("dense/ActivityRegularizer/")
    assert tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES) == [loss]
    out_value, loss_value = _run([out, loss], {X: x})
    assert loss_value == pytest.approx(0.2 * np.abs(out_value).sum() / 4, rel=1e-5)


def test_constraints_are_attached_to_the_variables():
    def constraint(w):
        return tf.clip_by_value(w, -1.0, 1.0) if hasattr(tf, "clip_by_value") else w

    layer = tf.layers.Dense(2, kernel_constraint=constraint)
    layer(tf.placeholder(tf.float32, (None, 3)))
    assert layer.kernel.constraint is constraint and layer.bias.constraint is None


# ---- dropout ------------------------------------------------------------------------------------
def test_dropout_is_identity_when_not_training():
    x = rng.normal(size=(5, 4)).astype(np.float32)
    X = tf.placeholder(tf.float32, (None, 4))
    out = tf.layers.dropout(X, rate=0.5)
    assert out.name == "dropout/Identity:0"
    np.testing.assert_array_equal(_run(out, {X: x}), x)
    assert tf.layers.dropout(X, 0.3).name == "dropout_1/Identity:0"


@pytest.mark.parametrize("rate", [0.2, 0.5, 0.8])
def test_dropout_mask_rate_and_scaling(rate):
    x = np.ones((200, 100), np.float32)
    X = tf.placeholder(tf.float32, (None, 100))
    out = tf.layers.dropout(X, rate=rate, training=True, seed=4)
    value = _run(out, {X: x})
    kept = value != 0
    np.testing.assert_allclose(value[kept], 1 / (1 - rate), rtol=1e-6)
    n = x.size
    assert abs(kept.mean() - (1 - rate)) < 4 * math.sqrt(rate * (1 - rate) / n)


def test_dropout_with_training_placeholder():
    x = np.ones((50, 40), np.float32)
    X = tf.placeholder(tf.float32, (None, 40))
    training = tf.placeholder_with_default(False, shape=(), name="training")
    out = tf.layers.dropout(X, 0.5, training=training)
    np.testing.assert_array_equal(_run(out, {X: x}), x)
    value = _run(out, {X: x, training: True})
    assert set(np.unique(value)) <= {0.0, 2.0} and 0.35 < (value == 0).mean() < 0.65


def test_dropout_noise_shape_and_seed():
    x = np.ones((30, 8), np.float32)
    X = tf.constant(x)
    out = tf.layers.dropout(X, 0.5, noise_shape=[None, 1], training=True, seed=1)
    value = _run(out)
    assert np.all((value == 0).all(axis=1) | (value == 2).all(axis=1))
    tf.set_random_seed(0)
    first = tf.layers.dropout(X, 0.5, training=True, seed=9)
    second = tf.layers.dropout(X, 0.5, training=True, seed=9)
    np.testing.assert_array_equal(*_run([first, second]))


def test_dropout_bad_arguments():
    X = tf.placeholder(tf.float32, (None, 3))
    for rate in [1.0, -0.1, 1.5]:
        with pytest.raises(ValueError, match=r"`rate` must be a float in the range \[0, 1\)"):
            tf.layers.dropout(X, rate=rate)
    with pytest.raises(TypeError, match=r"Layer dropout_\d: the `training` argument must be a "
                                        "Python bool or a scalar bool tensor"):
        tf.layers.dropout(X, 0.5, training=tf.placeholder(tf.float32, ()))
    with pytest.raises(TypeError, match="`training` argument"):
        tf.layers.dropout(X, 0.5, training="yes")


# ---- flatten ------------------------------------------------------------------------------------
def test_flatten():
    x = rng.normal(size=(2, 3, 4)).astype(np.float32)
    X = tf.placeholder(tf.float32, (None, 3, 4))
    out = tf.layers.flatten(X)
    assert out.shape.as_list() == [None, 12] and out.op.name.startswith("flatten/")
    np.testing.assert_array_equal(_run(out, {X: x}), x.reshape(2, 12))
    out = tf.layers.Flatten(data_format="channels_first")(tf.constant(x))
    np.testing.assert_array_equal(_run(out), x.transpose(0, 2, 1).reshape(2, 12))
    assert tf.contrib.layers.flatten(tf.constant(x)).shape.as_list() == [2, 12]


def test_namespace():
    for name in ["Layer", "InputSpec", "Dense", "Dropout", "Flatten", "BatchNormalization",
                 "dense", "dropout", "flatten", "batch_normalization"]:
        assert hasattr(tf.layers, name), name
    with pytest.raises(AttributeError, match="tf.layers.conv4d"):
        tf.layers.conv4d  # noqa: B018
