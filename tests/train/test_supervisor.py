"""tf.train.Supervisor and basic_train_loop: managed sessions that initialise, then restore
from logdir's checkpoints; the checkpoint, summary and step-rate threads; stop requests and
errors from the block; a non-chief that waits for the model; TF's defaults and errors. The
event files are read back with tf.train.summary_iterator."""
import glob
import os
import time

import numpy as np
import pytest

import tfcompat as tf


def _model():
    tf.reset_default_graph()
    step = tf.train.get_or_create_global_step()
    w = tf.Variable(np.float32(1.0), name="w")
    train = tf.group(tf.assign_add(w, 1.0), tf.assign_add(step, 1))
    tf.summary.scalar("w_value", w)
    return step, w, train


def _checkpoint_step(logdir):
    latest = tf.train.latest_checkpoint(logdir)
    return -1 if latest is None else int(latest.rsplit("-", 1)[1])


def _events(logdir):
    return [event for path in sorted(glob.glob(os.path.join(logdir, "events.out.*")))
            for event in tf.train.summary_iterator(path)]


def test_managed_session_services_and_restart(tmp_path):
    logdir = str(tmp_path)
    step, w, train = _model()
    sv = tf.train.Supervisor(logdir=logdir, save_summaries_secs=0.05, save_model_secs=0.05)
    assert tf.get_default_graph().finalized and sv.is_chief
    assert sv.global_step is step and sv.save_path == os.path.join(logdir, "model.ckpt")
    with sv.managed_session() as sess:
        # train until the checkpoint thread has saved a step past 5
        while not _checkpoint_step(logdir) > 5:
            sess.run(train)
        assert not sv.should_stop()
    assert sv.should_stop()
    assert os.path.exists(os.path.join(logdir, "graph.pbtxt"))
    tags = {v.tag for e in _events(logdir) if e.HasField("summary") for v in e.summary.value}
    assert {"w_value", "global_step/sec"} <= tags
    # A new Supervisor on the same logdir restores instead of initialising.
    step, w, train = _model()
    sv = tf.train.Supervisor(logdir=logdir, save_model_secs=0, save_summaries_secs=0)
    with sv.managed_session() as sess:
        # a save taken while a step ran may see a variable (or the step it names the
        # checkpoint after) one step further
        restored_w, restored_step = sess.run([w, step])
        assert abs(restored_step - _checkpoint_step(logdir)) <= 1
        assert abs(restored_w - 1 - restored_step) <= 1


def test_errors_in_the_block_are_reraised_out_of_range_is_a_clean_stop():
    _, w, train = _model()
    sv = tf.train.Supervisor(logdir=None)
    with pytest.raises(ValueError, match="inside"):
        with sv.managed_session() as sess:
            sess.run(train)
            raise ValueError("inside")
    with sv.managed_session() as sess:
        raise tf.errors.OutOfRangeError(None, None, "End of sequence")
    assert sv.should_stop()
    with pytest.raises(RuntimeError, match="Only chief supervisor can start standard "
                                           "services."):
        tf.train.Supervisor(is_chief=False, ready_op=None,
                            graph=_device_placed_graph()).start_standard_services(None)


def _device_placed_graph():
    graph = tf.Graph()
    with graph.as_default(), tf.device("/job:localhost/replica:0/task:0/device:CPU:0"):
        tf.Variable(1.0, name="placed")
    return graph


def test_non_chief_needs_placed_variables_and_waits_for_readiness():
    _model()
    with pytest.raises(ValueError, match="When using replicas, all Variables must have their "
                                         "device set"):
        tf.train.Supervisor(is_chief=False)
    graph = _device_placed_graph()
    with graph.as_default():
        init = tf.global_variables_initializer()
    sv = tf.train.Supervisor(graph=graph, is_chief=False, ready_op=None, logdir="unused")
    assert sv.summary_writer is None and sv.save_path is None  # only the chief writes
    with sv.managed_session() as sess:  # no ready op: the model counts as ready
        sess.run(init)
        assert sess.run(graph.get_tensor_by_name("placed:0")) == 1.0


def test_basic_train_loop_runs_until_stop_and_retries_aborted():
    step, w, train = _model()
    sv = tf.train.Supervisor(logdir=None)
    calls = []

    def train_step(sess, limit):
        calls.append(sess.run(step))
        if len(calls) == 2:
            raise tf.errors.AbortedError(None, None, "a server restarted")
        sess.run(train)
        if sess.run(step) >= limit:
            sv.request_stop()

    tf.train.basic_train_loop(sv, train_step, args=[3])
    # the abort restarted the managed session (re-initialised: the step starts over)
    assert calls == [0, 1, 0, 1, 2]


def test_summary_computed_and_loop(tmp_path):
    step, w, _ = _model()
    summary_op = tf.get_collection(tf.GraphKeys.SUMMARIES)[0]
    sv = tf.train.Supervisor(logdir=str(tmp_path), save_summaries_secs=0, save_model_secs=0)
    seen = []
    with sv.managed_session() as sess:
        sv.summary_computed(sess, sess.run(summary_op))
        looper = sv.loop(0.01, lambda: seen.append(sess.run(w)))
        while len(seen) < 3:
            time.sleep(0.01)
        assert looper.is_alive()
    assert not looper.is_alive() and seen[:3] == [1.0, 1.0, 1.0]
    summaries = [e for e in _events(str(tmp_path)) if e.HasField("summary")]
    assert summaries[0].step == 0 and summaries[0].summary.value[0].simple_value == 1.0
