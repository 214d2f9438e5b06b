"""Writes the small-RNN golden that tests/rnn/test_golden.py imports: real TensorFlow (TF 2.x
compat.v1 with control flow v1, i.e. TF 1.x graphs) builds a BasicLSTMCell dynamic_rnn with
sequence lengths, a dense layer and an Adam training op, trains 3 steps, saves the
checkpoint and .meta, and records logits, loss and one more training step's loss.

    TF_USE_LEGACY_KERAS=1 /path/to/tf/python tests/rnn/golden/make_rnn_golden.py
"""
import os

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
tf.disable_control_flow_v2()
HERE = os.path.dirname(os.path.abspath(__file__))

rng = np.random.RandomState(0)
x_data = rng.normal(size=(4, 5, 3)).astype(np.float32)
lengths = np.array([5, 3, 1, 4], np.int32)
labels = np.array([0, 1, 2, 1], np.int32)

tf.set_random_seed(1)
X = tf.placeholder(tf.float32, [None, 5, 3], name="X")
seq = tf.placeholder(tf.int32, [None], name="seq")
y = tf.placeholder(tf.int32, [None], name="y")
cell = tf.nn.rnn_cell.BasicLSTMCell(6)
outputs, state = tf.nn.dynamic_rnn(cell, X, sequence_length=seq, dtype=tf.float32)
logits = tf.layers.dense(state.h, 3, name="logits")
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits),
                      name="loss")
train = tf.train.AdamOptimizer(0.01).minimize(loss, name="train")
tf.add_to_collection("logits", logits)
saver = tf.train.Saver()
feed = {X: x_data, seq: lengths, y: labels}
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(3):
        sess.run(train, feed)
    saver.save(sess, os.path.join(HERE, "small_rnn"))
    logit_values, loss_value, output_values = sess.run([logits, loss, outputs], feed)
    sess.run(train, feed)
    next_loss = sess.run(loss, feed)
with open(os.path.join(HERE, "checkpoint"), "w") as index:  # relative: the folder can move
    index.write('model_checkpoint_path: "small_rnn"\nall_model_checkpoint_paths: "small_rnn"\n')
np.savez(os.path.join(HERE, "small_rnn_expected.npz"), x=x_data, lengths=lengths, labels=labels,
         logits=logit_values, loss=loss_value, outputs=output_values, next_loss=next_loss)
