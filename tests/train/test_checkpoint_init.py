"""tf.train.init_from_checkpoint: variables initialised from a checkpoint by name, by
Variable and by scope."""
import numpy as np
import pytest

import tfcompat as tf


def _save(path):
    with tf.Graph().as_default():
        with tf.variable_scope("old"):
            tf.get_variable("a", initializer=np.arange(3.0))
            tf.get_variable("b", initializer=5.0)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            tf.train.Saver().save(sess, path)


def test_init_from_checkpoint_by_scope_and_variable(tmp_path):
    _save(str(tmp_path / "model"))
    with tf.Graph().as_default():
        with tf.variable_scope("new"):
            a = tf.get_variable("a", shape=[3], dtype=tf.float64)
            b = tf.get_variable("b", shape=[])
        c = tf.Variable(0.0, name="c")
        d = tf.Variable(7.0, name="d")
        tf.train.init_from_checkpoint(str(tmp_path), {"old/": "new/", "old/b": c})
        assert a.initial_value.op.type == "RestoreV2"
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            values = sess.run([a, b, c, d])
    np.testing.assert_array_equal(values[0], [0.0, 1.0, 2.0])
    assert values[1:] == [5.0, 5.0, 7.0]


def test_init_from_checkpoint_errors(tmp_path):
    _save(str(tmp_path / "model"))
    with tf.Graph().as_default():
        v = tf.Variable(np.zeros(2), name="v")
        with pytest.raises(ValueError, match="Tensor old/zzz is not found"):
            tf.train.init_from_checkpoint(str(tmp_path), {"old/zzz": v})
        with pytest.raises(ValueError, match="doesn't match with shape"):
            tf.train.init_from_checkpoint(str(tmp_path), {"old/a": v})
        with pytest.raises(ValueError, match="should map to scope only"):
            tf.train.init_from_checkpoint(str(tmp_path), {"old/a": "missing/var"})


def test_init_from_checkpoint_partitioned(tmp_path):
    """Each part loads its slice, whether the checkpoint holds slices or the whole tensor."""
    table = np.arange(10.0).reshape(5, 2)
    with tf.Graph().as_default():
        tf.get_variable("sliced", initializer=tf.constant(table),
                        partitioner=tf.fixed_size_partitioner(3))
        tf.get_variable("whole", initializer=table)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            tf.train.Saver().save(sess, str(tmp_path / "model"))
    with tf.Graph().as_default():
        with tf.variable_scope("new"):
            by_scope = tf.get_variable("sliced", [5, 2], tf.float64,
                                       partitioner=tf.fixed_size_partitioner(2))
        by_name = tf.get_variable("b", [5, 2], tf.float64,
                                  partitioner=tf.fixed_size_partitioner(4))
        by_list = tf.get_variable("c", [5, 2], tf.float64,
                                  partitioner=tf.fixed_size_partitioner(2))
        tf.train.init_from_checkpoint(str(tmp_path), {"/": "new/", "whole": "b",
                                                      "sliced": list(by_list)})
        with tf.Session() as sess:
            specs = sess.run([p.initial_value.op.inputs[2] for p in by_list])
            assert [list(spec) for spec in specs] == [[b"5 2 0,3:0,2"], [b"5 2 3,2:0,2"]]
            sess.run(tf.global_variables_initializer())
            for variable in (by_scope, by_name, by_list):
                np.testing.assert_array_equal(sess.run(variable.as_tensor()), table)
