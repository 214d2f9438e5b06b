"""tf.debugging's process switches: set/get_log_device_placement (sessions log placements as
with ConfigProto(log_device_placement)) and enable/disable_check_numerics (ops created while
on fail the run that computes NaN/Inf, in every runtime tier: reference, specialised, fused,
folded into an optimizer update)."""
import numpy as np
import pytest

import tfcompat as tf


@pytest.fixture(autouse=True)
def _reset_flags():
    yield
    tf.debugging.set_log_device_placement(False)
    tf.debugging.disable_check_numerics()


def test_log_device_placement_flag(capsys):
    assert tf.debugging.get_log_device_placement() is False
    with tf.Graph().as_default():
        c = tf.constant(1.0, name="c")
        with tf.Session() as sess:
            sess.run(c)
        assert capsys.readouterr().out == ""
        tf.debugging.set_log_device_placement(True)
        assert tf.debugging.get_log_device_placement() is True
        d = tf.add(c, c, name="d")
        with tf.Session() as sess:
            sess.run(d)
        out = capsys.readouterr().out
        assert "c: (Const): /job:localhost/replica:0/task:0/device:CPU:0" in out
        assert "d: (Add): /job:localhost/replica:0/task:0/device:CPU:0" in out


def test_check_numerics_names_the_op_in_every_tier():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [4])
        unchecked = tf.log(x, name="unchecked")
        tf.debugging.enable_check_numerics()
        y = tf.nn.relu(tf.log(x, name="checked_log") * 2.0 + 1.0)
        total = tf.reduce_sum(y)
        tf.debugging.disable_check_numerics()
        later = tf.sqrt(x, name="later")
        with tf.Session() as sess:
            good = np.array([1, 2, 3, 4], np.float32)
            bad = np.array([1, 0, 3, 4], np.float32)
            np.testing.assert_array_equal(sess.run(unchecked, {x: bad})[1], -np.inf)
            assert np.isnan(sess.run(later, {x: -good})).all()
            for _ in range(12):  # past the reference run into specialised and fused plans
                value = sess.run(total, {x: good})
            np.testing.assert_allclose(value, np.sum(np.maximum(2 * np.log(good) + 1, 0)),
                                       rtol=1e-6)
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match='Detected Infinity or NaN in output 0 of graph op "Log"'
                                     r' \(# of outputs: 1\)') as info:
                sess.run(total, {x: bad})
            assert info.value.op.name == "checked_log"


def test_check_numerics_in_a_training_step():
    tf.debugging.enable_check_numerics()
    with tf.Graph().as_default():
        features = tf.placeholder(tf.float32, [64, 32])
        w = tf.Variable(np.full((32, 32), 0.01, np.float32))
        loss = tf.reduce_mean(tf.square(tf.matmul(features, w)))
        step = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            data = np.ones((64, 32), np.float32)
            for _ in range(12):
                sess.run(step, {features: data})
            before = sess.run(w)
            data[3, 5] = np.inf
            with pytest.raises(tf.errors.InvalidArgumentError, match="Detected Infinity or NaN"):
                sess.run(step, {features: data})
            np.testing.assert_array_equal(sess.run(w), before)
