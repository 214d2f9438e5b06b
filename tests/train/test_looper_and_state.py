"""tf.train.LooperThread (periodic and back-to-back loops, errors reaching the coordinator),
tf.train.summary_iterator (the Event fields of a FileWriter's file) and
tf.train.generate_checkpoint_state_proto (TF's path rules)."""
import os
import time

import pytest

import tfcompat as tf


def test_looper_thread_calls_its_target_until_the_stop():
    coord = tf.train.Coordinator()
    calls = []
    looper = tf.train.LooperThread.loop(coord, 0.01, calls.append, args=("tick",))
    while len(calls) < 3:
        time.sleep(0.005)
    coord.request_stop()
    coord.join([looper])
    assert looper.daemon and not looper.is_alive() and set(calls) == {"tick"}


def test_looper_thread_subclass_and_errors():
    coord = tf.train.Coordinator()
    events = []

    class Counter(tf.train.LooperThread):
        def start_loop(self):
            events.append("start")

        def run_loop(self):
            events.append("loop")
            if events.count("loop") == 3:
                raise ValueError("third loop")

        def stop_loop(self):
            events.append("stop")

    Counter(coord, None).start()  # back to back; registered with the coordinator
    with pytest.raises(ValueError, match="third loop"):
        coord.join()
    assert events == ["start", "loop", "loop", "loop"]  # the error skips stop_loop
    with pytest.raises(ValueError, match="'coord' argument must be a Coordinator"):
        tf.train.LooperThread(None, 1)
    with pytest.raises(ValueError, match="'args' and 'kwargs' argument require that you also "
                                         "pass 'target'"):
        tf.train.LooperThread(tf.train.Coordinator(), 1, args=(1,))


def test_summary_iterator_gives_event_fields(tmp_path):
    tf.reset_default_graph()
    x = tf.constant(2.5, name="x")
    summary = tf.summary.scalar("x_value", x)
    with tf.Session() as sess:
        writer = tf.summary.FileWriter(str(tmp_path), graph=sess.graph)
        writer.add_summary(sess.run(summary), global_step=7)
        writer.close()
    (path,) = [os.path.join(tmp_path, f) for f in os.listdir(tmp_path)]
    events = list(tf.train.summary_iterator(path))
    assert events[0].file_version == "brain.Event:2" and events[0].HasField("file_version")
    assert events[1].HasField("graph_def") and not events[1].HasField("summary")
    (value,) = events[2].summary.value
    assert events[2].step == 7 and value.tag == "x_value" and value.simple_value == 2.5
    assert events[2].wall_time > 0 and value.HasField("simple_value")
    with pytest.raises(ValueError, match='Protocol message has no singular "step" field.'):
        events[2].HasField("step")


def test_generate_checkpoint_state_proto():
    state = tf.train.generate_checkpoint_state_proto("/abs/dir", "/abs/dir/model-3",
                                                     ["/abs/dir/model-1"])
    assert state.model_checkpoint_path == "/abs/dir/model-3"
    assert state.all_model_checkpoint_paths == ["/abs/dir/model-1", "/abs/dir/model-3"]
    # a relative save_dir makes relative paths relative to it
    state = tf.train.generate_checkpoint_state_proto("train/run", "train/run/model-2",
                                                     ["train/run/model-2"],
                                                     all_model_checkpoint_timestamps=[5.0],
                                                     last_preserved_timestamp=1.0)
    assert state.model_checkpoint_path == "model-2"
    assert state.all_model_checkpoint_paths == ["model-2"]
    assert state.all_model_checkpoint_timestamps == [5.0]
    assert state.last_preserved_timestamp == 1.0
    with pytest.raises(ValueError, match="Checkpoint timestamps, if provided, must match "
                                         "checkpoint paths"):
        tf.train.generate_checkpoint_state_proto("d", "d/m-1", [], [1.0, 2.0])
