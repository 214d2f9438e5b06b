"""tf.train.SessionManager: prepare_session initialising or restoring a model and running the
local init op, recover_session's (session, restored) answers, wait_for_session waiting for
another thread to initialise the model, and TF's errors; tf.train.SessionCreator's
interface."""
import numpy as np
import pytest

import tfcompat as tf


def _model():
    tf.reset_default_graph()
    v = tf.Variable(np.float32(3.0), name="v")
    local = tf.Variable(np.float32(0.0), name="local",
                        collections=[tf.GraphKeys.LOCAL_VARIABLES])
    return v, local


def test_prepare_session_initialises_then_restores(tmp_path):
    v, local = _model()
    ready = tf.report_uninitialized_variables()
    manager = tf.train.SessionManager(ready_op=ready,
                                      local_init_op=tf.local_variables_initializer())
    sess = manager.prepare_session("", init_op=tf.global_variables_initializer())
    assert sess.run([v, local]) == [3.0, 0.0]
    sess.run(tf.assign(v, 7.0))
    saver = tf.train.Saver([v])
    saver.save(sess, str(tmp_path / "model.ckpt"), global_step=1)
    sess.close()
    # restored: init_op is not run (it would set 3.0 again)
    sess = manager.prepare_session("", init_op=tf.global_variables_initializer(), saver=saver,
                                   checkpoint_dir=str(tmp_path))
    assert sess.run(v) == 7.0
    assert saver.last_checkpoints == [str(tmp_path / "model.ckpt-1")]
    sess = manager.prepare_session("", saver=saver, checkpoint_filename_with_path=str(
        tmp_path / "model.ckpt-1"))
    assert sess.run(v) == 7.0


def test_prepare_session_errors():
    v, _ = _model()
    ready = tf.report_uninitialized_variables()
    manager = tf.train.SessionManager(ready_op=ready)
    with pytest.raises(RuntimeError, match="Model is not initialized and no init_op or init_fn "
                                           "or local_init_op was given"):
        manager.prepare_session("")
    with pytest.raises(RuntimeError, match="Init operations did not make model ready.*"
                                           "Variables not initialized: v, local"):
        manager.prepare_session("", init_op=tf.no_op())
    with pytest.raises(RuntimeError, match="Variables not initialized: local"):
        manager.prepare_session("", init_fn=lambda sess: sess.run(v.initializer))
    with pytest.raises(ValueError, match="Can not provide both checkpoint_dir and "
                                         "checkpoint_filename_with_path."):
        manager.prepare_session("", init_op=tf.no_op(), saver=tf.train.Saver(),
                                checkpoint_dir="a", checkpoint_filename_with_path="b")
    with pytest.raises(ValueError, match="If you pass a ready_for_local_init_op you must also "
                                         "pass a local_init_op"):
        tf.train.SessionManager(ready_for_local_init_op=ready)


def test_recover_session(tmp_path):
    v, local = _model()
    manager = tf.train.SessionManager(ready_op=tf.report_uninitialized_variables(),
                                      local_init_op=tf.local_variables_initializer())
    saver = tf.train.Saver([v])
    sess, restored = manager.recover_session("", saver=saver, checkpoint_dir=str(tmp_path))
    assert not restored
    sess.run(tf.global_variables_initializer())
    saver.save(sess, str(tmp_path / "model.ckpt"))
    sess, restored = manager.recover_session("", saver=saver, checkpoint_dir=str(tmp_path))
    assert restored and sess.run([v, local]) == [3.0, 0.0]


def test_wait_for_session_waits_for_the_chief(monkeypatch):
    """Local Sessions share no variables, so the 'chief' initialises the session the worker
    polls the third time (Session creation is intercepted)."""
    v, _ = _model()
    init = tf.global_variables_initializer()
    ready = tf.report_uninitialized_variables(tf.global_variables())
    polled = []
    original_session = tf.Session

    def session_factory(*args, **kwargs):
        sess = original_session(*args, **kwargs)
        polled.append(sess)
        if len(polled) == 3:
            sess.run(init)
        return sess

    import tfcompat.train.session_manager as session_manager
    monkeypatch.setattr(session_manager, "Session", session_factory)
    manager = tf.train.SessionManager(ready_op=ready, recovery_wait_secs=0.02)
    sess = manager.wait_for_session("", max_wait_secs=5)
    assert len(polled) == 3 and sess.run(v) == 3.0
    with pytest.raises(tf.errors.DeadlineExceededError,
                       match="Session was not ready after waiting 0 secs."):
        manager.wait_for_session("", max_wait_secs=0)


def test_session_creator_is_the_base_of_the_creators():
    assert issubclass(tf.train.ChiefSessionCreator, tf.train.SessionCreator)
    assert issubclass(tf.train.WorkerSessionCreator, tf.train.SessionCreator)
    with pytest.raises(NotImplementedError, match="create_session is not implemented"):
        tf.train.SessionCreator().create_session()

    class Plain(tf.train.SessionCreator):
        def create_session(self):
            return tf.Session()
    _model()
    with tf.train.MonitoredSession(session_creator=Plain()) as session:
        assert session.run(tf.constant(2)) == 2
