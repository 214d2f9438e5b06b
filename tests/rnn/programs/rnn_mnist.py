"""Chapter 14's MNIST RNN as TF 1.x code (28 steps x 28 inputs, BasicRNNCell(150),
dynamic_rnn, dense 10 on the final state, Adam 0.001), on a small synthetic digit set so it
runs anywhere: each class is a noisy stroke pattern. Prints the accuracies; exits 1 when
the network does not learn."""
import sys

import numpy as np
import tensorflow as tf

n_steps, n_inputs, n_neurons, n_outputs = 28, 28, 150, 10
learning_rate = 0.001
tf.set_random_seed(42)  # the weights as well as the data are the same in every run

rng = np.random.RandomState(42)
templates = rng.rand(n_outputs, n_steps, n_inputs) > 0.7


def make_set(m):
    labels = rng.randint(0, n_outputs, m)
    images = templates[labels] * 0.8 + rng.rand(m, n_steps, n_inputs) * 0.5
    return images.astype(np.float32), labels.astype(np.int32)


X_train, y_train = make_set(400)
X_test, y_test = make_set(100)

X = tf.placeholder(tf.float32, [None, n_steps, n_inputs])
y = tf.placeholder(tf.int32, [None])

basic_cell = tf.contrib.rnn.BasicRNNCell(num_units=n_neurons)
outputs, states = tf.nn.dynamic_rnn(basic_cell, X, dtype=tf.float32)

logits = tf.layers.dense(states, n_outputs)
xentropy = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
loss = tf.reduce_mean(xentropy)
optimizer = tf.train.AdamOptimizer(learning_rate=learning_rate)
training_op = optimizer.minimize(loss)
correct = tf.nn.in_top_k(logits, y, 1)
accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))

init = tf.global_variables_initializer()

n_epochs = 1
batch_size = 50

with tf.Session() as sess:
    init.run()
    for epoch in range(n_epochs):
        order = rng.permutation(len(X_train))
        for start in range(0, len(X_train), batch_size):
            batch = order[start:start + batch_size]
            sess.run(training_op, feed_dict={X: X_train[batch], y: y_train[batch]})
        acc_batch = accuracy.eval(feed_dict={X: X_train[batch], y: y_train[batch]})
        acc_test = accuracy.eval(feed_dict={X: X_test, y: y_test})
        print(epoch, "Last batch accuracy:", acc_batch, "Test accuracy:", acc_test)

sys.exit(0 if acc_test > 0.8 else 1)
