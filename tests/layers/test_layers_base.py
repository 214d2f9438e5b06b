"""tf.layers.Layer (layers/base.py): subclassing with build/add_weight/call, naming and
scoping rules, losses and updates, input specs."""
import numpy as np
import pytest

import tfcompat as tf
from tfcompat.layers.base import InputSpec, to_snake_case


@pytest.fixture(autouse=True)
def fresh_graph():
    graph = tf.Graph()
    with graph.as_default():
        yield graph


class Scale(tf.layers.Layer):
    """y = x * w + counter; counter += 1 as an update."""

    def build(self, input_shape):
        self.w = self.add_weight("w", shape=[input_shape[-1].value],
                                 initializer=tf.constant_initializer(2.0),
                                 regularizer=lambda w: tf.reduce_sum(w))
        self.counter = self.add_weight("counter", shape=[], trainable=False,
                                       initializer=tf.zeros_initializer())
        self.built = True

    def call(self, inputs):
        self.add_update(tf.assign_add(self.counter, 1.0))
        return inputs * self.w + self.counter


def test_custom_layer():
    X = tf.placeholder(tf.float32, (None, 3))
    layer = Scale()
    assert layer.name == "scale"
    out = layer(X)
    assert [v.name for v in layer.variables] == ["scale/w:0", "scale/counter:0"]
    assert layer.trainable_variables == [layer.w]
    assert layer.non_trainable_variables == [layer.counter]
    assert [v.name for v in tf.trainable_variables()] == ["scale/w:0"]
    assert layer.dtype == tf.float32 and layer.built
    (loss,) = layer.losses
    assert loss.op.name.startswith("scale/w/Regularizer/")
    (update,) = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    assert update is layer.updates[0] and update.type == "AssignAdd"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(out, {X: np.ones((2, 3))}), np.full((2, 3), 2.0))
        sess.run(update)
        np.testing.assert_allclose(sess.run(out, {X: np.ones((1, 3))}), np.full((1, 3), 3.0))
        assert sess.run(loss) == 6.0
    assert Scale().name == "scale_1" and Scale(name="custom").name == "custom"
    layer.trainable = False
    assert layer.trainable_variables == [] and len(layer.non_trainable_variables) == 2


def test_layer_names_are_per_graph():
    assert tf.layers.Dense(1).name == "dense"
    with tf.Graph().as_default():
        assert tf.layers.Dense(1).name == "dense"
    assert tf.layers.Dense(1).name == "dense_1"
    assert to_snake_case("BatchNormalization") == "batch_normalization"
    assert to_snake_case("_Private") == "private__private"  # (as Keras)


def test_scope_argument_and_call_with_scope():
    class WithScope(tf.layers.Layer):
        def call(self, inputs, scope=None):
            self.seen_scope = scope
            return tf.identity(inputs)

    layer = WithScope()
    out = layer(tf.constant([1.0]), scope="explicit")
    assert layer.scope_name == "explicit" and layer.seen_scope.name == "explicit"
    assert out.op.name == "explicit/Identity"


def test_input_spec_checks():
    class NeedsRank2(tf.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.input_spec = InputSpec(ndim=2, dtype=tf.float32)

    with pytest.raises(ValueError, match=r"Input 0 of layer needs_rank2 is incompatible with "
                                         r"the layer: expected ndim=2, found ndim=3"):
        NeedsRank2()(tf.placeholder(tf.float32, (1, 2, 3)))
    with pytest.raises(ValueError, match="expected dtype=float32, found dtype=float64"):
        NeedsRank2()(tf.placeholder(tf.float64, (1, 2)))
    assert "ndim=2" in repr(InputSpec(ndim=2))


def test_numpy_inputs_are_converted_and_none_output_rejected():
    layer = tf.layers.Dense(2)
    out = layer(np.ones((3, 4), np.float32))
    assert out.shape.as_list() == [3, 2]

    class Broken(tf.layers.Layer):
        def call(self, inputs):
            return None

    with pytest.raises(ValueError, match="should return a Tensor"):
        Broken()(tf.constant(1.0))


def test_add_loss_accepts_callables_and_none():
    layer = tf.layers.Layer()
    layer.add_loss([tf.constant(1.0), None, lambda: tf.constant(2.0), lambda: None])
    assert len(layer.losses) == 2
    assert tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES) == layer.losses
    with pytest.raises(ValueError, match="isn't built"):
        layer.count_params()
