"""tf.variable_scope / tf.get_variable (tfcompat/framework/variable_scope.py) as in TF 1.x:
variable names follow variable scopes only, op names follow the name scopes every variable
scope opens; reuse, AUTO_REUSE, captured scopes, default names, inheritance of initializer,
regularizer and dtype, and TF's error messages."""
import numpy as np
import pytest

import tfcompat as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


def dense(X, n_out, name):
    with tf.variable_scope(name):
        W = tf.get_variable("kernel", [int(X.shape[1]), n_out])
        b = tf.get_variable("bias", [n_out], initializer=tf.zeros_initializer())
        return tf.matmul(X, W) + b


def test_variables_ignore_name_scopes_but_ops_do_not():
    X = tf.placeholder(tf.float32, [None, 4], name="X")
    with tf.name_scope("dnn"):
        out = dense(X, 3, "hidden1")
    names = [v.name for v in tf.global_variables()]
    assert names == ["hidden1/kernel:0", "hidden1/bias:0"]
    assert out.op.inputs[0].op.name == "dnn/hidden1/MatMul"
    kernel = tf.global_variables()[0]
    assert kernel.initializer.name == "hidden1/kernel/Assign"
    assert kernel.initial_value.op.name.startswith("hidden1/kernel/Initializer/")
    assert tf.get_variable_scope().name == ""


def test_existing_variable_without_reuse_is_an_error():
    X = tf.placeholder(tf.float32, [None, 4])
    dense(X, 3, "hidden1")
    with pytest.raises(ValueError) as info:
        dense(X, 3, "hidden1")
    assert str(info.value).startswith(
        "Variable hidden1/kernel already exists, disallowed. Did you mean to set reuse=True or "
        "reuse=tf.AUTO_REUSE in VarScope?")


def test_reuse_true_returns_the_variable_and_ops_get_new_names():
    X = tf.placeholder(tf.float32, [None, 4])
    first = dense(X, 3, "hidden1")
    with tf.variable_scope("hidden1", reuse=True) as scope:
        kernel = tf.get_variable("kernel")
        again = tf.matmul(X, kernel)
        assert scope.reuse is True and scope.name == "hidden1"
    assert kernel is tf.global_variables()[0]
    assert again.op.name == "hidden1_1/MatMul" and first.op.name == "hidden1/add"
    with pytest.raises(ValueError) as info:
        with tf.variable_scope("hidden1", reuse=True):
            tf.get_variable("weights")
    assert str(info.value) == (
        "Variable hidden1/weights does not exist, or was not created with tf.get_variable(). "
        "Did you mean to set reuse=tf.AUTO_REUSE in VarScope?")
    plain = tf.Variable(1.0, name="plain")
    with pytest.raises(ValueError, match="was not created with tf.get_variable"):
        with tf.variable_scope("", reuse=True):
            tf.get_variable("plain")
    assert plain.name == "plain:0"


def test_reuse_is_inherited_and_false_does_not_switch_it_off():
    with tf.variable_scope("a"):
        with tf.variable_scope("b"):
            v = tf.get_variable("v", [1])
    with tf.variable_scope("a", reuse=True):
        with tf.variable_scope("b") as inner:
            assert inner.reuse is True and tf.get_variable("v") is v
        with tf.variable_scope("b", reuse=False) as inner:
            assert inner.reuse is True and tf.get_variable("v") is v


def test_auto_reuse_creates_then_reuses():
    def shared_relu_threshold():
        with tf.variable_scope("relu", reuse=tf.AUTO_REUSE):
            return tf.get_variable("threshold", shape=(), initializer=tf.constant_initializer(0.0))
    a, b = shared_relu_threshold(), shared_relu_threshold()
    assert a is b and a.name == "relu/threshold:0"
    assert len(tf.global_variables()) == 1


def test_sharing_checks_shape_and_dtype():
    with tf.variable_scope("s"):
        tf.get_variable("w", [2, 3])
    with tf.variable_scope("s", reuse=True):
        with pytest.raises(ValueError, match=r"Trying to share variable s/w, but specified shape "
                                             r"\(3, 3\) and found shape \(2, 3\)."):
            tf.get_variable("w", [3, 3])
        with pytest.raises(ValueError, match="Trying to share variable s/w, but specified dtype "
                                             "int32"):
            tf.get_variable("w", dtype=tf.int32)
        assert tf.get_variable("w", [2, 3], dtype=tf.float32).name == "s/w:0"


def test_reuse_variables_method():
    with tf.variable_scope("root") as scope:
        w = tf.get_variable("w", [1])
        scope.reuse_variables()
        assert tf.get_variable("w") is w and tf.get_variable_scope().reuse
        with tf.variable_scope("sub") as sub:
            assert sub.reuse
    with tf.variable_scope("root") as scope:
        assert not scope.reuse


def test_reentering_a_captured_scope():
    with tf.variable_scope("vs") as vs:
        a = tf.get_variable("a", [1])
        op1 = tf.constant(0.0, name="c")
    assert vs.original_name_scope == "vs/" and op1.op.name == "vs/c"
    with tf.variable_scope(vs) as again:
        b = tf.get_variable("b", [1])
        op2 = tf.constant(0.0, name="c")
        assert again.name == "vs" and again.original_name_scope == "vs/"
    assert b.name == "vs/b:0" and op2.op.name == "vs_1/c"   # a new name scope for ops
    with tf.variable_scope("other"):
        with tf.variable_scope(vs, reuse=True) as jumped:
            assert tf.get_variable("a") is a and jumped.name == "vs"
            op3 = tf.constant(0.0, name="c")
    assert op3.op.name == "other/vs/c"
    with tf.variable_scope(vs, auxiliary_name_scope=False):
        with tf.name_scope(vs.original_name_scope):
            op4 = tf.constant(0.0, name="c")
    assert op4.op.name == "vs/c_1"


def test_default_names_are_uniquified_and_reset_when_leaving_a_scope():
    scopes, op_names = [], []
    for _ in range(2):
        with tf.variable_scope(None, default_name="dense") as scope:
            scopes.append(scope.name)
            op_names.append(tf.constant(0.0, name="c").op.name)
    assert scopes == ["dense", "dense_1"] and op_names == ["dense/c", "dense_1/c"]
    inner = []
    for _ in range(2):
        with tf.variable_scope("outer"):
            with tf.variable_scope(None, default_name="dense") as scope:
                inner.append(scope.name)
                op_names.append(tf.constant(0.0, name="c").op.name)
    # TF 1.x: leaving "outer" resets the counts of its sub-scopes.
    assert inner == ["outer/dense", "outer/dense"]
    assert op_names[2:] == ["outer/dense/c", "outer_1/dense/c"]
    with pytest.raises(ValueError, match="reuse=True cannot be used without a name_or_scope"):
        with tf.variable_scope(None, default_name="x", reuse=True):
            pass
    with pytest.raises(TypeError, match="If default_name is None then name_or_scope is "
                                        "required"):
        with tf.variable_scope(None):
            pass
    with tf.variable_scope("named", default_name="ignored") as scope:
        assert scope.name == "named"


def test_initializer_dtype_and_regularizer_inheritance():
    def l1(w):
        return tf.reduce_sum(tf.abs(w)) * 0.1

    with tf.variable_scope("a", initializer=tf.constant_initializer(2.0), regularizer=l1):
        w = tf.get_variable("w", [2])
        with tf.variable_scope("b"):
            w2 = tf.get_variable("w2", [2])
            own = tf.get_variable("own", [2], initializer=tf.zeros_initializer())
            none = tf.get_variable("none", [2], regularizer=lambda var: None)
    with tf.variable_scope("d", dtype=tf.float64):
        dw = tf.get_variable("w", [1])
        with tf.variable_scope("e"):
            assert tf.get_variable("w", [1]).dtype.base_dtype == tf.float64
    assert dw.dtype.base_dtype == tf.float64 and none.name == "a/b/none:0"
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert [loss.op.name for loss in losses] == [
        "a/w/Regularizer/mul", "a/b/w2/Regularizer/mul", "a/b/own/Regularizer/mul"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run([w, w2, own])[2].tolist() == [0.0, 0.0]
        assert sess.run(w).tolist() == [2.0, 2.0] and sess.run(w2).tolist() == [2.0, 2.0]
        assert np.allclose(sess.run(losses), [0.4, 0.4, 0.0])


def test_regularizer_ignores_control_dependencies():
    trigger = tf.no_op(name="trigger")
    with tf.control_dependencies([trigger]):
        with tf.variable_scope("r", regularizer=lambda w: tf.reduce_sum(w)):
            v = tf.get_variable("v", [1])
    (loss,) = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert loss.op.control_inputs == [] and v.initializer.control_inputs == []


def test_default_initializers():
    w = tf.get_variable("w", [200, 300])
    n = tf.get_variable("n", [3], dtype=tf.int32)
    flag = tf.get_variable("flag", [2], dtype=tf.bool)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        values = sess.run(w)
        limit = np.sqrt(6.0 / (200 + 300))            # glorot_uniform
        assert np.abs(values).max() <= limit and np.abs(values).max() > 0.9 * limit
        assert sess.run(n).tolist() == [0, 0, 0] and sess.run(flag).tolist() == [False] * 2


def test_constant_and_callable_initializers():
    c = tf.get_variable("c", initializer=tf.constant([1, 2]))
    assert c.dtype.base_dtype == tf.int32 and c.shape.as_list() == [2]
    arr = tf.get_variable("arr", initializer=np.ones((2, 2), np.float32))
    assert arr.shape.as_list() == [2, 2]
    lazy = tf.get_variable("lazy", initializer=lambda: tf.ones([3]))
    assert lazy.shape.as_list() == [3]
    with pytest.raises(ValueError, match="If initializer is a constant, do not specify shape."):
        tf.get_variable("bad", [2], initializer=tf.constant([1.0, 2.0]))
    with pytest.raises(ValueError, match="Initializer type .* and explicit dtype .* don't "
                                         "match."):
        tf.get_variable("bad2", initializer=tf.constant([1, 2]), dtype=tf.float32)
    with pytest.raises(ValueError, match="The initializer passed is not valid"):
        tf.get_variable("bad3", initializer=lambda shape: tf.ones(shape))
    with pytest.raises(ValueError, match="The initializer passed is not valid"):
        tf.get_variable("bad4", [None, 2])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(c).tolist() == [1, 2] and sess.run(lazy).tolist() == [1.0] * 3


def test_trainable_and_collections_arguments():
    t = tf.get_variable("t", [1])
    f = tf.get_variable("f", [1], trainable=False)
    c = tf.get_variable("c", [1], collections=["mine"])
    assert tf.trainable_variables() == [t, c] and tf.global_variables() == [t, f]
    assert tf.get_collection("mine") == [c]


def test_scope_collections_and_properties():
    with tf.variable_scope("net", initializer=tf.zeros_initializer()) as scope:
        a = tf.get_variable("a", [1])
        b = tf.get_variable("b", [1], trainable=False)
    with tf.variable_scope("network"):
        tf.get_variable("c", [1])
    assert scope.global_variables() == [a, b] and scope.trainable_variables() == [a]
    assert scope.get_collection(tf.GraphKeys.GLOBAL_VARIABLES) == [a, b]
    assert scope.initializer is not None and scope.dtype == tf.float32
    assert isinstance(scope, tf.VariableScope)


def test_custom_getter_wraps_get_variable():
    seen = []

    def getter(next_getter, name, *args, **kwargs):
        seen.append(name)
        return next_getter(name, *args, **kwargs)

    with tf.variable_scope("g", custom_getter=getter):
        v = tf.get_variable("v", [1])
    assert seen == ["g/v"] and v.name == "g/v:0"


def test_auxiliary_name_scope_false_keeps_the_current_name_scope():
    with tf.name_scope("dnn"):
        with tf.variable_scope("layer", auxiliary_name_scope=False) as scope:
            op = tf.constant(1.0, name="c")
            v = tf.get_variable("v", [1])
    assert op.op.name == "dnn/c" and v.name == "layer/v:0"
    assert scope.original_name_scope == "dnn/"


def test_variable_scope_values_pick_the_graph():
    g = tf.Graph()
    with g.as_default():
        x = tf.constant(1.0)
    with tf.variable_scope("in_g", values=[x]):
        v = tf.get_variable("v", [1])
    assert v.graph is g and tf.get_default_graph() is not g
