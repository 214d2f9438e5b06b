"""tf.contrib.framework.arg_scope / add_arg_scope and the variable helpers."""
import functools

import pytest

import tfcompat as tf
from tfcompat.contrib.framework import (add_arg_scope, arg_scope, arg_scoped_arguments,
                                        current_arg_scope, has_arg_scope)


@add_arg_scope
def f(a, b=1, c=2):
    return a, b, c


@add_arg_scope
def g(x, c=0):
    return x, c


def plain(a, b=1):
    return a, b


def test_defaults_overrides_and_nesting():
    assert f(0) == (0, 1, 2)
    with arg_scope([f, g], c=5) as scope:
        assert f(0) == (0, 1, 5) and g(1) == (1, 5)
        assert f(0, c=7) == (0, 1, 7)  # explicit wins
        with arg_scope([f], b=3):
            assert f(0) == (0, 3, 5) and g(1) == (1, 5)
        with arg_scope([f], c=9):
            assert f(0) == (0, 1, 9)
        assert f(0) == (0, 1, 5)
    assert f(0) == (0, 1, 2) and current_arg_scope() == {}
    with arg_scope(scope):
        assert g(2) == (2, 5)
    with pytest.raises(ValueError, match="kwargs must be empty"):
        with arg_scope(scope, c=1):
            pass


def test_errors_and_introspection():
    with pytest.raises(ValueError, match="is not decorated with @add_arg_scope"):
        with arg_scope([plain], b=2):
            pass
    with pytest.raises(TypeError, match="list_ops_or_scope must either be a list/tuple"):
        with arg_scope(f, b=2):
            pass
    assert has_arg_scope(f) and not has_arg_scope(plain)
    assert arg_scoped_arguments(f) == ("b", "c")
    assert f.__name__ == "f"


def test_arg_scope_with_contrib_layers():
    graph = tf.Graph()
    with graph.as_default():
        X = tf.placeholder(tf.float32, (None, 4))
        is_training = tf.placeholder(tf.bool, (), name="is_training")
        layers = tf.contrib.layers
        with tf.contrib.framework.arg_scope(
                [layers.fully_connected], normalizer_fn=layers.batch_norm,
                normalizer_params={"is_training": is_training, "decay": 0.9,
                                   "updates_collections": None}):
            h1 = layers.fully_connected(X, 3, scope="hidden1")
            logits = layers.fully_connected(h1, 2, activation_fn=None, scope="outputs",
                                            normalizer_fn=None)
        assert h1.op.name == "hidden1/Relu" and logits.op.name == "outputs/BiasAdd"
        names = [v.op.name for v in tf.global_variables()]
        assert "hidden1/BatchNorm/beta" in names and "hidden1/biases" not in names
        assert "outputs/biases" in names
        with tf.contrib.layers.arg_scope([layers.fully_connected],
                                         weights_initializer=tf.zeros_initializer()):
            layers.fully_connected(X, 2, scope="zeros")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            assert (sess.run(graph.get_tensor_by_name("zeros/weights:0")) == 0).all()
        partial_fc = functools.partial(layers.fully_connected, activation_fn=tf.nn.elu)
        assert partial_fc(X, 2).op.name == "fully_connected/Elu"


def test_variable_helpers():
    from tfcompat.contrib import framework
    graph = tf.Graph()
    with graph.as_default():
        with tf.variable_scope("a"):
            v = framework.model_variable("w", shape=[2], initializer=tf.zeros_initializer())
            framework.variable("local", shape=[], collections=[tf.GraphKeys.LOCAL_VARIABLES],
                               trainable=False,
                               initializer=tf.zeros_initializer())
        with tf.variable_scope("b"):
            u = tf.get_variable("w", [1])
        assert v.name == "a/w:0" and framework.get_model_variables() == [v]
        assert framework.get_variables("a") == [v]
        assert framework.get_variables_by_name("w") == [v, u]
        assert framework.get_variables_by_suffix("w", scope="b") == [u]
        assert framework.get_unique_variable("b/w") is u
        assert framework.get_variables_to_restore(exclude=["a"]) == [u]
        assert [x.op.name for x in framework.get_local_variables()] == ["a/local"]
        assert framework.get_trainable_variables() == [v, u]
        with pytest.raises(ValueError, match="Couldn't find variable c/w"):
            framework.get_unique_variable("c/w")
        with pytest.raises(AttributeError, match="tf.contrib.framework.no_such"):
            framework.no_such  # noqa: B018
