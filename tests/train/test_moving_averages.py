"""tf.train.ExponentialMovingAverage: shadow variable names, the update rule (with
num_updates and zero_debias), and restoring averages through variables_to_restore."""
import numpy as np
import pytest

import tfcompat as tf


def test_apply_names_and_update_rule():
    with tf.Graph().as_default():
        v = tf.Variable(1.0, name="v")
        w = tf.Variable([2.0, 4.0], name="w")
        ema = tf.train.ExponentialMovingAverage(0.9)
        update = ema.apply([v, w])
        assert update.name == "ExponentialMovingAverage" and update.type == "NoOp"
        assert ema.average(v).name == "v/ExponentialMovingAverage:0"
        assert ema.average_name(w) == "w/ExponentialMovingAverage"
        assert ema.average(v) in tf.global_variables()
        assert ema.average(v) not in tf.trainable_variables()
        assert tf.moving_average_variables() == [v, w]
        with pytest.raises(ValueError, match="already computed"):
            ema.apply([v])
        with pytest.raises(TypeError, match="half, float, or double"):
            ema.apply([tf.Variable(1, name="count")])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            shadow_v, shadow_w = 1.0, np.array([2.0, 4.0])
            for target in (3.0, -1.0, 0.5):
                sess.run([v.assign(target), w.assign([target, 2 * target])])
                sess.run(update)
                shadow_v -= 0.1 * (shadow_v - target)
                shadow_w = shadow_w - 0.1 * (shadow_w - np.array([target, 2 * target]))
                np.testing.assert_allclose(sess.run(ema.average(v)), shadow_v, rtol=1e-6)
                np.testing.assert_allclose(sess.run(ema.average(w)), shadow_w, rtol=1e-6)


def test_num_updates_caps_the_decay():
    with tf.Graph().as_default():
        v = tf.Variable(0.0, name="v")
        step = tf.Variable(0, name="step", trainable=False)
        ema = tf.train.ExponentialMovingAverage(0.99, num_updates=step)
        update = ema.apply([v])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(v.assign(10.0))
            sess.run(update)  # decay = min(0.99, 1 / 10) = 0.1
            np.testing.assert_allclose(sess.run(ema.average(v)), 9.0, rtol=1e-6)
            sess.run(step.assign(90))
            sess.run(update)  # decay = min(0.99, 91 / 100) = 0.91
            np.testing.assert_allclose(sess.run(ema.average(v)), 9.0 + 0.09 * 1.0, rtol=1e-6)


def test_zero_debias_of_a_tensor():
    with tf.Graph().as_default():
        value = tf.placeholder(tf.float32, [])
        doubled = tf.multiply(value, 2.0, name="doubled")
        ema = tf.train.ExponentialMovingAverage(0.5, zero_debias=True)
        update = ema.apply([doubled])
        average = ema.average(doubled)
        names = {v.op.name for v in tf.global_variables()}
        assert {"doubled/ExponentialMovingAverage",
                "doubled/ExponentialMovingAverage/biased",
                "doubled/ExponentialMovingAverage/local_step"} <= names
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(update, {value: 2.0})
            np.testing.assert_allclose(sess.run(average), 4.0)  # debiased: no pull to 0
            sess.run(update, {value: 4.0})
            biased = 0.5 * (0.5 * 4.0) + 0.5 * 8.0
            np.testing.assert_allclose(sess.run(average), biased / (1 - 0.25), rtol=1e-6)


def test_variables_to_restore_loads_the_averages(tmp_path):
    path = str(tmp_path / "model.ckpt")
    with tf.Graph().as_default():
        v = tf.Variable(1.0, name="v")
        step = tf.Variable(5, name="global_step", trainable=False)
        ema = tf.train.ExponentialMovingAverage(0.5)
        update = ema.apply([v])
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(v.assign(3.0))
            sess.run(update)  # average 2.0
            saver.save(sess, path)
    with tf.Graph().as_default():
        v = tf.Variable(0.0, name="v")
        step = tf.Variable(0, name="global_step", trainable=False)
        ema = tf.train.ExponentialMovingAverage(0.5)
        mapping = ema.variables_to_restore()
        assert mapping == {"v/ExponentialMovingAverage": v, "global_step": step}
        with tf.Session() as sess:
            tf.train.Saver(mapping).restore(sess, path)
            assert sess.run(v) == 2.0 and sess.run(step) == 5
