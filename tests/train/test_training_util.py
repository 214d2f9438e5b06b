"""The global step: get_or_create_global_step / create_global_step / get_global_step /
assert_global_step / global_step, found by collection or by the name "global_step", and
incremented once per training run."""
import numpy as np
import pytest

import tfcompat as tf


def test_get_or_create_global_step_creates_an_int64_scalar_once():
    with tf.Graph().as_default() as graph:
        assert tf.train.get_global_step() is None
        with tf.name_scope("somewhere"):
            step = tf.train.get_or_create_global_step()
        assert step.name == "global_step:0"
        assert step.dtype.base_dtype == tf.int64 and step.shape.ndims == 0
        assert not step.trainable
        assert graph.get_collection(tf.GraphKeys.GLOBAL_STEP) == [step]
        assert step in tf.global_variables() and step not in tf.trainable_variables()
        assert tf.train.get_or_create_global_step() is step
        assert tf.train.get_global_step(graph) is step
        with pytest.raises(ValueError, match='"global_step" already exists.'):
            tf.train.create_global_step()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            assert tf.train.global_step(sess, step) == 0
            assert isinstance(tf.train.global_step(sess, step), int)


def test_create_global_step_in_another_graph():
    other = tf.Graph()
    step = tf.train.create_global_step(other)
    assert step.graph is other
    assert tf.train.get_global_step(other) is step


def test_hand_made_global_step_variable_is_found_by_name():
    # The book: tf.Variable(0, trainable=False, name="global_step") (int32, no collection).
    with tf.Graph().as_default():
        made = tf.Variable(0, trainable=False, name="global_step")
        found = tf.train.get_global_step()
        assert found.name == "global_step:0" and found.dtype.base_dtype == tf.int32
        assert tf.train.get_or_create_global_step() is found
        w = tf.Variable([1.0, 2.0])
        train_op = tf.train.AdagradOptimizer(0.1).minimize(tf.reduce_sum(w * w),
                                                            global_step=found)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for expected in range(1, 4):
                sess.run(train_op)
                assert tf.train.global_step(sess, made) == expected


def test_assert_global_step_errors():
    with tf.Graph().as_default():
        with pytest.raises(TypeError, match='does not have integer type'):
            tf.train.assert_global_step(tf.Variable(0.0))
        with pytest.raises(TypeError, match='is not scalar'):
            tf.train.assert_global_step(tf.Variable([0, 1]))
        with pytest.raises(TypeError, match='must be a Variable or Tensor'):
            tf.train.assert_global_step(3)
        tf.train.assert_global_step(tf.constant(3, tf.int64))
    with tf.Graph().as_default():
        tf.Variable(0.5, name="global_step")
        with pytest.raises(TypeError, match='does not have integer type'):
            tf.train.get_global_step()


def test_several_steps_in_the_collection_give_none():
    with tf.Graph().as_default() as graph:
        for name in ("a", "b"):
            graph.add_to_collection(tf.GraphKeys.GLOBAL_STEP,
                                    tf.Variable(0, name=name, trainable=False))
        assert tf.train.get_global_step() is None


def test_step_increments_once_per_run_after_the_updates():
    with tf.Graph().as_default():
        step = tf.train.get_or_create_global_step()
        x = tf.placeholder(tf.float32, [None, 2])
        w = tf.Variable([[1.0], [2.0]])
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w)))
        optimizer = tf.train.MomentumOptimizer(0.01, 0.9)
        train_op = optimizer.minimize(loss, global_step=step)
        # The AssignAdd runs after the update group (control dependency), as in TF.
        update = train_op.control_inputs[0]
        assert update.name == "Momentum/update" and update.type == "NoOp"
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(5):
                sess.run(train_op, {x: np.ones((3, 2))})
            assert sess.run(step) == 5
            # Running only the updates (not the train op) leaves the step alone.
            sess.run(update, {x: np.ones((3, 2))})
            assert sess.run(step) == 5
