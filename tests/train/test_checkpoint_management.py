"""tf.train.CheckpointManager in graph mode: numbered saves, max_to_keep deleting the oldest
files, the checkpoint file's list taken over by a new manager, explicit checkpoint numbers
(ints and step variables), keep_checkpoint_every_n_hours preserving, and TF's errors."""
import os

import numpy as np
import pytest

import tfcompat as tf


def _setup():
    tf.reset_default_graph()
    step = tf.train.get_or_create_global_step()
    w = tf.Variable(np.float32(1.0), name="w")
    increment = tf.group(tf.assign_add(w, 1.0), tf.assign_add(step, 1))
    return step, w, increment, tf.train.Checkpoint(w=w, step=step)


def test_keeps_the_newest_and_takes_over_a_directory(tmp_path):
    step, w, increment, ckpt = _setup()
    directory = str(tmp_path)
    manager = tf.train.CheckpointManager(ckpt, directory, max_to_keep=2)
    assert manager.latest_checkpoint is None and manager.checkpoints == []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with sess.as_default():
            paths = []
            for _ in range(3):
                sess.run(increment)
                paths.append(manager.save())
            assert paths == [os.path.join(directory, f"ckpt-{i}") for i in (1, 2, 3)]
            assert manager.checkpoints == paths[1:] and manager.latest_checkpoint == paths[2]
            assert not os.path.exists(paths[0] + ".index")
            assert os.path.exists(paths[1] + ".index")
            assert manager.save(checkpoint_number=step) == os.path.join(directory, "ckpt-3")
            assert manager.save(checkpoint_number=10) == os.path.join(directory, "ckpt-10")
            assert sess.run(ckpt.save_counter) == 5
    again = tf.train.CheckpointManager(ckpt, directory, max_to_keep=2)
    assert again.checkpoints == [os.path.join(directory, "ckpt-3"),
                                 os.path.join(directory, "ckpt-10")]
    assert again.latest_checkpoint == tf.train.latest_checkpoint(directory)
    with tf.Session() as sess:
        ckpt.restore(again.latest_checkpoint).run_restore_ops(sess)
        assert sess.run([w, step]) == [4.0, 3]


def test_keep_every_n_hours_preserves_and_none_keeps_all(tmp_path):
    _, _, _, ckpt = _setup()
    keep_all = tf.train.CheckpointManager(ckpt, str(tmp_path / "all"), max_to_keep=None)
    preserve = tf.train.CheckpointManager(ckpt, str(tmp_path / "hours"), max_to_keep=1,
                                          keep_checkpoint_every_n_hours=1e-9)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            keep_all.save(session=sess)
            preserve.save(session=sess)
    assert len(keep_all.checkpoints) == 3
    # every removed checkpoint is old enough (1e-9 hours) to be preserved: its files stay
    assert len(preserve.checkpoints) == 1
    assert len([f for f in os.listdir(tmp_path / "hours") if f.endswith(".index")]) == 3
    with pytest.raises(ValueError, match="Expected a positive integer or `None` for "
                                         "`max_to_keep`, got 0."):
        tf.train.CheckpointManager(ckpt, str(tmp_path), max_to_keep=0)
