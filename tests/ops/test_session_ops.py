"""Session handles: tensors kept in a session between runs and read back by handle, as TF
1.x's get_session_handle / get_session_tensor / delete_session_tensor."""
import numpy as np
import pytest

import tfcompat as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


def test_a_kept_tensor_is_read_back_by_its_handle():
    c = tf.multiply(tf.constant(10.0), tf.constant(5.0))
    handle_op = tf.get_session_handle(c)
    with tf.Session() as sess:
        handle = sess.run(handle_op)
        assert type(handle).__name__ == "TensorHandle" and handle.eval() == 50.0
        holder, kept = tf.get_session_tensor(handle.handle, tf.float32)
        times_ten = kept * 10.0
        assert sess.run(times_ten, feed_dict={holder: handle.handle}) == 500.0
        assert sess.run(times_ten, feed_dict={holder: handle}) == 500.0  # the handle itself
        assert str(handle) == handle.handle and handle.handle.startswith("GetSessionHandle;")


def test_tf_documentation_loop_keeps_the_running_value_in_the_session():
    # The TF 1.x guide's example: a value computed in one run feeds the next by handle.
    holder, value = tf.get_session_tensor("", tf.float32)
    step = tf.get_session_handle(value + 1.0)
    start = tf.get_session_handle(tf.constant(0.0))
    with tf.Session() as sess:
        handle = sess.run(start)
        for _ in range(5):
            handle = sess.run(step, feed_dict={holder: handle.handle})
        assert handle.eval() == 5.0
        fetched = sess.run({"kept": step, "plain": value}, feed_dict={holder: handle})
        assert fetched["kept"].eval() == 6.0 and fetched["plain"] == 5.0


def test_deleted_and_foreign_handles_are_errors():
    handle_op = tf.get_session_handle(tf.constant(np.arange(3.0)))
    holder, kept = tf.get_session_tensor("", tf.float64)
    with tf.Session() as sess:
        handle = sess.run(handle_op)
        np.testing.assert_array_equal(sess.run(kept, {holder: handle}), [0.0, 1.0, 2.0])
        deleter_holder, deleter = tf.delete_session_tensor("")
        sess.run(deleter, {deleter_holder: handle})
        with pytest.raises(tf.errors.InvalidArgumentError, match="is not in the session store"):
            sess.run(kept, {holder: handle})
        other = sess.run(handle_op)
    with tf.Session() as sess:  # a handle belongs to the session that made it
        with pytest.raises(tf.errors.InvalidArgumentError, match="is not in the session store"):
            sess.run(kept, {holder: other})
