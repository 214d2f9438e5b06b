"""FeedFnHook, FinalOpsHook, GlobalStepWaiterHook and ProfilerHook in MonitoredSessions: feeds
drawn before every run, final values at the end (and OutOfRangeError passed on), a worker
held back until another thread advances the global step, and Chrome traces written every N
steps."""
import json
import os
import threading

import numpy as np
import pytest

import tfcompat as tf


def _counter_graph():
    tf.reset_default_graph()
    step = tf.train.get_or_create_global_step()
    return step, tf.assign_add(step, 1)


def test_feed_fn_hook_feeds_every_run():
    step, increment = _counter_graph()
    x = tf.placeholder(tf.float32, [2])
    doubled = x * 2
    values = iter([np.array([1.0, 2.0]), np.array([3.0, 4.0])])
    hook = tf.train.FeedFnHook(lambda: {x: next(values)})
    with tf.train.MonitoredSession(hooks=[hook]) as session:
        np.testing.assert_array_equal(session.run(doubled), [2.0, 4.0])
        np.testing.assert_array_equal(session.run(doubled), [6.0, 8.0])


def test_final_ops_hook_runs_its_ops_at_the_end():
    step, increment = _counter_graph()
    hook = tf.train.FinalOpsHook({"step": step, "twice": step * 2})
    with tf.train.MonitoredSession(hooks=[hook]) as session:
        for _ in range(3):
            session.run(increment)
        assert hook.final_ops_values is None
    assert hook.final_ops_values == {"step": 3, "twice": 6}


def test_final_ops_hook_passes_out_of_range_on():
    _counter_graph()
    data = tf.data.Dataset.range(1).make_one_shot_iterator().get_next()
    hook = tf.train.FinalOpsHook(data)
    session = tf.train.MonitoredSession(hooks=[hook])
    session.run(data)
    with pytest.raises(tf.errors.OutOfRangeError):
        session.close()


def test_global_step_waiter_hook_waits_for_the_step(monkeypatch):
    step, increment = _counter_graph()
    monkeypatch.setattr(tf.train.GlobalStepWaiterHook, "POLL_SECS", 0.01)
    hook = tf.train.GlobalStepWaiterHook(wait_until_step=5)
    seen = []
    with tf.train.MonitoredSession(hooks=[hook]) as session:
        raw = session._session

        def chief():
            for _ in range(5):
                seen.append("chief")
                raw.run(increment)
        thread = threading.Timer(0.05, chief)
        thread.start()
        value = session.run(step)  # held back until the chief made five steps
        seen.append("worker")
        thread.join()
    assert value >= 5 and seen[-1] == "worker"
    with pytest.raises(RuntimeError, match="Global step should be created to use "
                                           "_GlobalStepWaiterHook."):
        tf.reset_default_graph()
        tf.train.GlobalStepWaiterHook(1).begin()


def test_profiler_hook_writes_a_chrome_trace_every_n_steps(tmp_path):
    step, increment = _counter_graph()
    hook = tf.train.ProfilerHook(save_steps=2, output_dir=str(tmp_path))
    with tf.train.MonitoredSession(hooks=[hook]) as session:
        for _ in range(6):
            session.run(increment)
    # the first run starts the timer at step 0; steps 2, 4 and 6 are traced
    assert sorted(name for name in os.listdir(tmp_path) if name.startswith("timeline")) == \
        ["timeline-2.json", "timeline-4.json", "timeline-6.json"]
    with open(tmp_path / "timeline-4.json") as f:
        trace = json.load(f)
    ops = {e["args"]["name"]: e for e in trace["traceEvents"] if e["ph"] == "X"}
    assert increment.op.name in ops and all(e["dur"] >= 0 for e in ops.values())
    # the traced steps' run metadata also goes to the output directory's event file
    tf.summary.FileWriterCache.get(str(tmp_path)).flush()
    tags = [e.tagged_run_metadata.tag for event_file in tmp_path.glob("events.out.*")
            for e in tf.train.summary_iterator(str(event_file))
            if e.HasField("tagged_run_metadata")]
    assert sorted(tags) == ["step_2", "step_4", "step_6"]
    with pytest.raises(ValueError, match="exactly one of every_secs and every_steps"):
        tf.train.ProfilerHook(output_dir=str(tmp_path))
