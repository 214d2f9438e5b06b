"""tf.case and tf.switch_case: the chosen branch only runs, defaults, exclusivity checks."""
import numpy as np
import pytest

import tfcompat as tf


def _run(fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(fetches, feed)


def test_case_picks_the_first_true_predicate():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.int32, [])
        out = tf.case([(tf.less(x, 0), lambda: tf.constant(-1)),
                       (tf.less(x, 10), lambda: tf.constant(10))],
                      default=lambda: tf.constant(100))
        assert [_run(out, {x: v}) for v in (-5, 5, 50)] == [-1, 10, 100]
        as_dict = tf.case({tf.equal(x, 1): lambda: tf.constant(1.0)},
                          default=lambda: tf.constant(0.0))
        assert _run(as_dict, {x: 1}) == 1.0 and _run(as_dict, {x: 2}) == 0.0


def test_case_without_default_and_exclusive():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.int32, [])
        out = tf.case([(tf.less(x, 0), lambda: tf.constant(-1)),
                       (tf.greater(x, 0), lambda: tf.constant(1))])
        assert _run(out, {x: 3}) == 1 and _run(out, {x: -3}) == -1
        with pytest.raises(tf.errors.InvalidArgumentError, match="None of the conditions"):
            _run(out, {x: 0})
        exclusive = tf.case([(tf.less(x, 5), lambda: tf.constant(1)),
                             (tf.less(x, 10), lambda: tf.constant(2))],
                            default=lambda: tf.constant(3), exclusive=True)
        assert _run(exclusive, {x: 7}) == 2
        with pytest.raises(tf.errors.InvalidArgumentError, match="More than one condition"):
            _run(exclusive, {x: 1})
        with pytest.raises(TypeError, match="callable"):
            tf.case([(tf.less(x, 0), 3)])


def test_switch_case_runs_only_the_chosen_branch():
    with tf.Graph().as_default():
        index = tf.placeholder(tf.int32, [])
        bad = tf.placeholder(tf.float32, [None])
        branches = [lambda: tf.constant(0.0), lambda: tf.constant(1.0),
                    lambda: tf.check_numerics(bad, "never run") * 0.0 + 2.0]
        out = tf.switch_case(index, branches)
        feed = {bad: np.array([np.nan], np.float32)}
        assert _run(out, {index: 0, **feed}) == 0.0
        assert _run(out, {index: 1, **feed}) == 1.0
        with pytest.raises(tf.errors.InvalidArgumentError, match="never run"):
            _run(out, {index: 2, **feed})
        keyed = tf.switch_case(index, {3: lambda: tf.constant(3.0)},
                               default=lambda: tf.constant(-1.0))
        assert _run(keyed, {index: 3}) == 3.0 and _run(keyed, {index: 7}) == -1.0
        with pytest.raises(TypeError, match="int32"):
            tf.switch_case(tf.constant(1.0), branches)
