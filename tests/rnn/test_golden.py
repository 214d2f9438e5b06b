"""A graph real TensorFlow wrote (TF 1.x control flow: dynamic_rnn of a BasicLSTMCell with
sequence lengths, Adam; golden/make_rnn_golden.py) imports from its .meta, restores its
checkpoint and runs: forward values and a training step of TF's own gradient loop (stacks,
TensorArray gradients) match TensorFlow's."""
import os

import numpy as np

import tfcompat as tf

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden")


def test_tensorflow_written_rnn_imports_restores_runs_and_trains():
    expected = np.load(os.path.join(GOLDEN, "small_rnn_expected.npz"))
    with tf.Graph().as_default() as graph:
        saver = tf.train.import_meta_graph(os.path.join(GOLDEN, "small_rnn.meta"))
        assert "rnn/while/LoopCond" in [op.name for op in graph.get_operations()]
        names = sorted(v.op.name for v in tf.global_variables())
        assert "rnn/basic_lstm_cell/kernel" in names and "rnn/basic_lstm_cell/bias" in names
        feed = {"X:0": expected["x"], "seq:0": expected["lengths"], "y:0": expected["labels"]}
        with tf.Session() as sess:
            saver.restore(sess, os.path.join(GOLDEN, "small_rnn"))
            logits = tf.get_collection("logits")[0]
            got = sess.run([logits, "loss:0", "rnn/transpose_1:0"], feed)
            np.testing.assert_allclose(got[0], expected["logits"], rtol=1e-5, atol=1e-6)
            np.testing.assert_allclose(got[1], expected["loss"], rtol=1e-5)
            np.testing.assert_allclose(got[2], expected["outputs"], rtol=1e-5, atol=1e-6)
            assert not got[2][2, 1:].any()  # the third sequence has length 1
            sess.run("train", feed)
            np.testing.assert_allclose(sess.run("loss:0", feed), expected["next_loss"],
                                       rtol=1e-5)


def test_tfcompat_restores_the_tensorflow_checkpoint_into_its_own_graph():
    expected = np.load(os.path.join(GOLDEN, "small_rnn_expected.npz"))
    with tf.Graph().as_default():
        X = tf.placeholder(tf.float32, [None, 5, 3], name="X")
        seq = tf.placeholder(tf.int32, [None], name="seq")
        _, state = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicLSTMCell(6), X, sequence_length=seq,
                                     dtype=tf.float32)
        logits = tf.layers.dense(state.h, 3, name="logits")
        saver = tf.train.Saver(tf.trainable_variables())
        with tf.Session() as sess:
            saver.restore(sess, os.path.join(GOLDEN, "small_rnn"))
            got = sess.run(logits, {X: expected["x"], seq: expected["lengths"]})
    np.testing.assert_allclose(got, expected["logits"], rtol=1e-5, atol=1e-6)


def test_latest_checkpoint_finds_the_golden():
    assert tf.train.latest_checkpoint(GOLDEN) == os.path.join(GOLDEN, "small_rnn")
