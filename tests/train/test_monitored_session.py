"""tf.train hooks and monitored sessions: hook call order, SessionRunArgs results, stop
requests, OutOfRangeError ending the `with` block, checkpoints restored on creation."""
import numpy as np
import pytest

import tfcompat as tf


class _Recorder(tf.train.SessionRunHook):
    def __init__(self, fetch=None):
        self.calls, self.results, self._fetch = [], [], fetch

    def begin(self):
        self.calls.append("begin")

    def after_create_session(self, session, coord):
        self.calls.append("after_create_session")

    def before_run(self, run_context):
        self.calls.append("before_run")
        return tf.train.SessionRunArgs(self._fetch) if self._fetch is not None else None

    def after_run(self, run_context, run_values):
        self.calls.append("after_run")
        self.results.append(run_values.results)

    def end(self, session):
        self.calls.append("end")


def _counter_graph():
    tf.reset_default_graph()
    step = tf.train.get_or_create_global_step()
    return step, tf.assign_add(step, 1)


def test_hooks_see_every_run_and_stop_at_step():
    step, increment = _counter_graph()
    recorder = _Recorder(fetch={"step": step})
    with tf.train.MonitoredSession(hooks=[recorder, tf.train.StopAtStepHook(last_step=3)]) as s:
        assert s.graph.finalized
        values = []
        while not s.should_stop():
            values.append(s.run(increment))
    assert values == [1, 2, 3]
    assert recorder.calls == ["begin", "after_create_session"] + [
        "before_run", "after_run"] * 3 + ["end"]
    assert [r["step"] for r in recorder.results] == [0, 1, 2]
    with pytest.raises(ValueError, match="One of num_steps or last_step must be specified"):
        tf.train.StopAtStepHook()


def test_out_of_range_ends_the_block_and_other_errors_skip_end():
    step, increment = _counter_graph()
    data = tf.estimator.inputs.numpy_input_fn(np.arange(4), batch_size=2, shuffle=False)()
    recorder = _Recorder()
    with tf.train.MonitoredSession(hooks=[recorder]) as session:
        while not session.should_stop():
            session.run([data, increment])
    assert recorder.calls[-1] == "end" and recorder.calls.count("after_run") == 2
    tf.reset_default_graph()   # the monitored session finalized the graph
    unfed = tf.placeholder(tf.float32)
    recorder = _Recorder()
    with pytest.raises(tf.errors.InvalidArgumentError):
        with tf.train.MonitoredSession(hooks=[recorder]) as session:
            session.run(unfed)
    assert "end" not in recorder.calls


def test_monitored_training_session_checkpoints_and_restores(tmp_path):
    step, increment = _counter_graph()
    weight = tf.Variable(5.0, name="weight")
    update = tf.assign_add(weight, 1.0)
    with tf.train.MonitoredTrainingSession(checkpoint_dir=str(tmp_path),
                                           save_checkpoint_steps=2,
                                           hooks=[tf.train.StopAtStepHook(num_steps=3)]) as s:
        while not s.should_stop():
            s.run([increment, update])
    assert tf.train.latest_checkpoint(str(tmp_path)).endswith("model.ckpt-3")
    with tf.Graph().as_default():
        step = tf.train.get_or_create_global_step()
        weight = tf.Variable(0.0, name="weight")
        with tf.train.SingularMonitoredSession(checkpoint_dir=str(tmp_path)) as session:
            assert session.run([step, weight]) == [3, 8.0]
            assert session.raw_session().run(weight) == 8.0


def test_logging_and_nan_hooks():
    tf.reset_default_graph()
    loss = tf.placeholder(tf.float32, [])
    logged = []
    hook = tf.train.LoggingTensorHook({"loss": loss}, every_n_iter=2,
                                      formatter=lambda values: logged.append(values["loss"]))
    with tf.train.MonitoredSession(hooks=[hook]) as session:
        for value in [1.0, 2.0, 3.0]:
            session.run(loss, {loss: value})
    assert logged == [1.0, 3.0]
    tf.reset_default_graph()
    loss = tf.placeholder(tf.float32, [])
    with pytest.raises(tf.train.NanLossDuringTrainingError, match="NaN loss during training"):
        with tf.train.MonitoredSession(hooks=[tf.train.NanTensorHook(loss)]) as session:
            session.run(loss, {loss: np.nan})
    tf.reset_default_graph()
    with pytest.raises(RuntimeError, match="Global step should be created"):
        with tf.train.MonitoredSession(hooks=[tf.train.StopAtStepHook(num_steps=1)]):
            pass


def test_logging_tensor_hook_takes_tensor_names():
    tf.reset_default_graph()
    values = tf.nn.softmax(tf.constant([[1.0, 1.0]]), name="softmax_tensor")
    logged = []
    hook = tf.train.LoggingTensorHook({"probabilities": "softmax_tensor"}, every_n_iter=1,
                                      formatter=lambda v: logged.append(v["probabilities"]))
    with tf.train.MonitoredSession(hooks=[hook]) as session:
        session.run(values)
    np.testing.assert_allclose(logged[0], [[0.5, 0.5]])
    tf.reset_default_graph()
    tf.split(tf.constant([1.0, 2.0]), 2, name="two")
    with pytest.raises(ValueError, match="Name two is ambiguous"):
        with tf.train.MonitoredSession(hooks=[tf.train.LoggingTensorHook(["two"], 1)]):
            pass


class _FlakySessions(tf.train.SessionCreator):
    """Creates local Sessions; the ones listed in ``failures`` fail with that error (at
    creation: "create", or at their first run: "run")."""

    def __init__(self, failures):
        self.failures = dict(failures)
        self.created = []

    def create_session(self):
        number = len(self.created)
        self.created.append(None)
        kind, error = self.failures.get(number, (None, None))
        if kind == "create":
            raise error(None, None, "task restarted")
        session = tf.Session()
        self.created[-1] = session
        if kind == "run":
            run = session.run

            def failing_run(*args, **kwargs):
                session.run = run
                raise error(None, None, "ps went away")
            session.run = failing_run
        return session


def test_preemption_errors_make_a_new_session_and_tell_the_hooks_again():
    with tf.Graph().as_default():  # the sessions finalize their graph
        value = tf.constant(5.0)
        creator = _FlakySessions({0: ("run", tf.errors.UnavailableError),
                                  1: ("create", tf.errors.AbortedError),
                                  2: ("run", tf.errors.AbortedError)})
        created = []

        class Hook(tf.train.SessionRunHook):
            def after_create_session(self, session, coord):
                created.append(session)

        with tf.train.MonitoredSession(session_creator=creator, hooks=[Hook()]) as sess:
            assert sess.run(value) == 5.0
            assert len(creator.created) == 4 and created == [creator.created[0],
                                                             creator.created[2],
                                                             creator.created[3]]
            assert creator.created[0]._closed and creator.created[2]._closed
        # Other errors are the caller's, and a SingularMonitoredSession does not recover.
        creator = _FlakySessions({0: ("run", tf.errors.InvalidArgumentError)})
        with pytest.raises(tf.errors.InvalidArgumentError):
            with tf.train.MonitoredSession(session_creator=creator) as sess:
                sess.run(value)
        with tf.train.SingularMonitoredSession() as singular:
            singular._creator.create_session = lambda: pytest.fail("no new session expected")

            def preempted(*args, **kwargs):
                raise tf.errors.UnavailableError(None, None, "gone")
            singular.raw_session().run = preempted
            with pytest.raises(tf.errors.UnavailableError):
                singular.run(value)
