"""runtime/loops.py: a while frame is one plan step driving compiled sub-plans."""
import numpy as np

import tfcompat as tf
from tfcompat.runtime import threads
from tfcompat.runtime.plan import Plan


def test_a_frame_is_one_step_of_the_plan():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [2])
        y = tf.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, v * 2.0), [0, x])[1]
        with tf.Session() as sess:
            plan = Plan([y + 1.0], [x], sess._state)
            types = [step.op.type for step in plan.steps]
            assert "While" in types
            assert not {"Enter", "Merge", "Switch", "NextIteration", "Exit"} & set(types)
            np.testing.assert_array_equal(sess.run(y, {x: [1.0, 2.0]}), [8.0, 16.0])


def test_loops_run_on_one_blas_thread_and_restore_the_count():
    from threadpoolctl import threadpool_info
    seen = []
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [])

        def body(i):
            counted = tf.py_func(lambda v: seen.append(
                max(lib["num_threads"] for lib in threadpool_info()
                    if lib["user_api"] == "blas")) or v, [i], tf.int32)
            counted.set_shape([])
            return counted + 1
        y = tf.while_loop(lambda i: i < 3, body, [0])
        with tf.Session() as sess:
            sess.run(x, {x: 1.0})  # the policy has set its count
            before = threads.policy()._current
            assert sess.run(y) == 3
            assert threads.policy()._current == before
    assert seen and set(seen) == {1}


def test_errors_inside_a_body_name_the_failing_op():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None])
        y = tf.while_loop(lambda i, v: i < 2,
                          lambda i, v: (i + 1, tf.reshape(v, [3], name="bad_reshape")),
                          [0, x], shape_invariants=[tf.TensorShape([]),
                                                    tf.TensorShape([None])])[1]
        with tf.Session() as sess:
            try:
                sess.run(y, {x: [1.0, 2.0]})
            except tf.errors.InvalidArgumentError as error:
                assert "bad_reshape" in str(error)
            else:
                raise AssertionError("expected InvalidArgumentError")
