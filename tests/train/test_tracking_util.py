"""tf.train.Checkpoint in graph mode: TF's object-based keys (the same names TensorFlow 2.21's
compat.v1 writes for this object graph, less its serialized object graph), save numbering
and the directory's checkpoint file, restore statuses (run_restore_ops,
initialize_or_restore, the assert_* checks), objects reached through plain Python
attributes, and TF's errors."""
import os

import numpy as np
import pytest

import tfcompat as tf


def _graph():
    tf.reset_default_graph()
    step = tf.train.get_or_create_global_step()
    w = tf.Variable(np.ones((2, 2), np.float32), name="w")
    opt = tf.train.AdamOptimizer(0.1)
    train = opt.minimize(tf.reduce_sum(tf.square(w)), global_step=step)
    ckpt = tf.train.Checkpoint(inner=tf.train.Checkpoint(w=w), optimizer=opt, step=step,
                               listed=[w])
    return step, w, train, ckpt


def test_save_writes_tf_keys_and_restore_round_trips(tmp_path):
    step, w, train, ckpt = _graph()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        path = ckpt.save(str(tmp_path / "ck"), session=sess)
        trained = sess.run(w)
        assert path == str(tmp_path / "ck-1")
        assert [n for n, _ in tf.train.list_variables(path)] == [
            "inner/w/.ATTRIBUTES/VARIABLE_VALUE",
            "inner/w/.OPTIMIZER_SLOT/optimizer/m/.ATTRIBUTES/VARIABLE_VALUE",
            "inner/w/.OPTIMIZER_SLOT/optimizer/v/.ATTRIBUTES/VARIABLE_VALUE",
            "optimizer/beta1_power/.ATTRIBUTES/VARIABLE_VALUE",
            "optimizer/beta2_power/.ATTRIBUTES/VARIABLE_VALUE",
            "save_counter/.ATTRIBUTES/VARIABLE_VALUE",
            "step/.ATTRIBUTES/VARIABLE_VALUE"]
        assert (tmp_path / "checkpoint").read_text() == (
            'model_checkpoint_path: "ck-1"\nall_model_checkpoint_paths: "ck-1"\n')
        with sess.as_default():
            assert ckpt.save(str(tmp_path / "ck")) == str(tmp_path / "ck-2")
        assert tf.train.latest_checkpoint(str(tmp_path)) == str(tmp_path / "ck-2")
    # a new session: initialise everything, then restore over it
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        status = ckpt.restore(str(tmp_path / "ck-1"))
        status.run_restore_ops(sess)
        np.testing.assert_array_equal(sess.run(w), trained)
        assert sess.run([step, ckpt.save_counter]) == [1, 1]
        status.assert_consumed().assert_existing_objects_matched().assert_nontrivial_match()


def test_plain_objects_partial_restores_and_errors(tmp_path):
    tf.reset_default_graph()

    class Model:
        def __init__(self):
            self.kernel = tf.Variable(np.full(2, 3.0, np.float32), name="kernel")
            self.layers = {"out": tf.Variable(np.float32(1.0), name="bias")}
            self._private = tf.Variable(0.0, name="untracked")

    model = Model()
    ckpt = tf.train.Checkpoint(model=model)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = ckpt.write(str(tmp_path / "plain"), session=sess)
    assert path == str(tmp_path / "plain")
    assert sorted(n for n, _ in tf.train.list_variables(path)) == [
        "model/kernel/.ATTRIBUTES/VARIABLE_VALUE",
        "model/layers/out/.ATTRIBUTES/VARIABLE_VALUE"]
    extra = tf.Variable(5.0, name="extra")
    bigger = tf.train.Checkpoint(model=model, extra=extra)
    with tf.Session() as sess:
        status = bigger.restore(path)
        status.initialize_or_restore(sess)  # extra is not in the checkpoint: initialised
        assert sess.run(extra) == 5.0 and sess.run(model.kernel).tolist() == [3.0, 3.0]
        status.assert_nontrivial_match()
        with pytest.raises(AssertionError, match="Object not assigned a value from "
                                                 "checkpoint: extra/"):
            status.assert_existing_objects_matched()
        only_extra = tf.train.Checkpoint(extra=extra).restore(path)
        with pytest.raises(AssertionError, match="Unresolved object in checkpoint: model/"):
            only_extra.assert_consumed()
        with pytest.raises(AssertionError, match="Nothing except the root object matched"):
            only_extra.assert_nontrivial_match()
        fresh = tf.train.Checkpoint(extra=extra).restore(None)
        fresh.initialize_or_restore(sess)
        with pytest.raises(AssertionError, match="No checkpoint specified"):
            fresh.assert_consumed()
    with pytest.raises(ValueError, match="`Checkpoint` was expecting a trackable object"):
        tf.train.Checkpoint(number=3)
    with pytest.raises(ValueError, match="no default session"):
        ckpt.save(os.path.join(str(tmp_path), "nosession"))
