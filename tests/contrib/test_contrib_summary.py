"""tf.contrib.summary writers (and tf.summary.initialize / all_v2_summary_ops): summaries
written by ops into an event file TensorBoard reads, under TF 1.15's recording rules."""
import numpy as np
import pytest
from tensorboard.backend.event_processing import event_accumulator

import tfcompat as tf

cs = tf.contrib.summary


def _read(logdir):
    accumulator = event_accumulator.EventAccumulator(
        str(logdir), size_guidance={event_accumulator.IMAGES: 0, event_accumulator.AUDIO: 0,
                                    event_accumulator.TENSORS: 0,
                                    event_accumulator.SCALARS: 0})
    accumulator.Reload()
    return accumulator


def test_every_kind_of_summary_is_written_when_recording(tmp_path):
    tf.reset_default_graph()
    writer = cs.create_file_writer(str(tmp_path), flush_millis=10000)
    step = tf.placeholder(tf.int64, [])
    with writer.as_default(), cs.always_record_summaries():
        with tf.name_scope("train"):
            ops = [cs.scalar("loss", tf.constant(0.25), step=step),
                   cs.histogram("weights", tf.constant([1.0, 2.0, 2.0]), step=step),
                   cs.image("picture", np.ones((2, 3, 3, 1), np.float32), max_images=1,
                            step=step),
                   cs.audio("sound", np.zeros((1, 4), np.float32), 8000, 1, step=step),
                   cs.generic("table", tf.constant([[1, 2]]), step=step)]
    assert tf.summary.all_v2_summary_ops() == cs.all_summary_ops() == ops
    assert len(cs.summary_writer_initializer_op()) == 1
    with tf.Session() as sess:
        sess.run(writer.init())
        for value in (3, 4):
            assert sess.run(ops, {step: value}) == [True] * 5
        sess.run(writer.close())
    assert [p.name.endswith(".v2") for p in tmp_path.iterdir()] == [True]
    events = _read(tmp_path)
    tags = events.Tags()
    assert tags["scalars"] == ["train/loss"] and tags["histograms"] == ["train/weights"]
    assert tags["images"] == ["train/picture/image"] and tags["audio"] == ["train/sound/audio"]
    assert tags["tensors"] == ["train/table"]
    assert [(e.step, e.value) for e in events.Scalars("train/loss")] == [(3, 0.25), (4, 0.25)]
    assert events.Histograms("train/weights")[0].histogram_value.num == 3
    assert events.Images("train/picture/image")[0].height == 3
    assert events.Audio("train/sound/audio")[0].sample_rate == 8000


def test_recording_every_n_global_steps_never_and_without_writer(tmp_path):
    tf.reset_default_graph()
    global_step = tf.train.get_or_create_global_step()
    writer = cs.create_file_writer(str(tmp_path))
    with writer.as_default():
        with cs.record_summaries_every_n_global_steps(2):
            every_other = cs.scalar("every_other", tf.constant(1.0))
        with cs.never_record_summaries():
            never = cs.scalar("never", tf.constant(1.0))
        outside = cs.scalar("outside", tf.constant(1.0))
    without_writer = cs.scalar("no_writer", tf.constant(1.0))
    assert without_writer.type == "NoOp" and cs.should_record_summaries() is False
    increment = tf.assign_add(global_step, 1)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(RuntimeError, match="No default tf.contrib.summary.SummaryWriter"):
            tf.summary.initialize(session=sess)
        writer.set_as_default()
        try:
            tf.summary.initialize(graph=tf.get_default_graph(), session=sess)
        finally:
            cs._state.writer = None
        recorded = []
        for _ in range(5):
            recorded.append(sess.run(every_other))
            assert not sess.run(never) and not sess.run(outside)
            sess.run(increment)
        sess.run(cs.flush(writer))
    assert recorded == [True, False, True, False, True]
    events = _read(tmp_path)
    assert events.Tags()["graph"] is True
    assert events.Tags()["scalars"] == ["every_other"]
    assert [e.step for e in events.Scalars("every_other")] == [0, 2, 4]


def test_writing_before_the_writer_is_created_fails(tmp_path):
    tf.reset_default_graph()
    writer = cs.create_file_writer(str(tmp_path))
    with writer.as_default(), cs.always_record_summaries():
        summary = cs.scalar("x", 1.0, step=0)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError, match="is not initialized"):
            sess.run(summary)
