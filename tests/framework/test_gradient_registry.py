"""tf.RegisterGradient / tf.NotDifferentiable with gradient_override_map, and TF1's
behaviour switches and gradient enums."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.framework import gradient_registry


@pytest.fixture
def clean_registry():
    saved = dict(gradient_registry._BY_NAME)
    yield
    gradient_registry._BY_NAME.clear()
    gradient_registry._BY_NAME.update(saved)


def test_registered_gradient_overrides_an_op(clean_registry):
    @tf.RegisterGradient("TfcompatTestDoubleSquareGrad")
    def _double(op, grad):
        return [4.0 * op.inputs[0] * grad]

    with tf.Graph().as_default() as graph:
        x = tf.constant([1.0, 3.0])
        with graph.gradient_override_map({"Square": "TfcompatTestDoubleSquareGrad"}):
            y = tf.square(x)
        plain = tf.square(x)
        overridden, normal = tf.gradients(y, x)[0], tf.gradients(plain, x)[0]
        values = tf.Session().run([overridden, normal])
    np.testing.assert_array_equal(values[0], [4.0, 12.0])
    np.testing.assert_array_equal(values[1], [2.0, 6.0])


def test_names_cannot_be_registered_twice(clean_registry):
    with pytest.raises(KeyError, match="Registering two gradient with name 'Square'"):
        tf.RegisterGradient("Square")(lambda op, grad: [grad])
    tf.NotDifferentiable("TfcompatTestNoGrad")
    with pytest.raises(KeyError, match="TfcompatTestNoGrad"):
        tf.no_gradient("TfcompatTestNoGrad")
    with pytest.raises(TypeError, match="must be a string"):
        tf.RegisterGradient(3)


def test_not_differentiable_override_gives_no_gradient(clean_registry):
    tf.NoGradient("TfcompatTestStop")
    with tf.Graph().as_default() as graph:
        x = tf.constant([1.0, 3.0])
        with graph.gradient_override_map({"Square": "TfcompatTestStop"}):
            y = tf.square(x)
        assert tf.gradients(y, x) == [None]


def test_switches_and_enums():
    tf.disable_eager_execution()
    tf.disable_v2_behavior()
    tf.disable_resource_variables()
    tf.disable_v2_tensorshape()
    assert not tf.executing_eagerly() and not tf.resource_variables_enabled()
    assert tf.AggregationMethod.DEFAULT == tf.AggregationMethod.ADD_N
    with tf.Graph().as_default():
        x, y = tf.constant(1.0), tf.constant(2.0)
        zero, = tf.gradients(2.0 * x, [y], unconnected_gradients=tf.UnconnectedGradients.ZERO)
        assert tf.Session().run(zero) == 0.0
        assert tf.gradients(2.0 * x, [y], unconnected_gradients=tf.UnconnectedGradients.NONE) \
            == [None]
    assert issubclass(tf.errors.InvalidArgumentError, tf.OpError)


def test_init_scope_and_get_logger():
    assert tf.get_logger().name == "tensorflow"
    with tf.Graph().as_default():
        a = tf.constant(1.0)
        with tf.control_dependencies([a]):
            with tf.name_scope("outer"):
                with tf.init_scope():
                    lifted = tf.constant(2.0, name="lifted")
                inner = tf.constant(3.0)
        assert lifted.op.control_inputs == [] and lifted.op.name == "outer/lifted"
        assert inner.op.control_inputs == [a.op]
