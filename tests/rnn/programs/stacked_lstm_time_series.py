"""Chapter 14's time-series RNN as TF 1.x code, with a stack of LSTM cells: predict the next
values of t*sin(t)/3 + 2*sin(5t) from 20-step windows, a MultiRNNCell of BasicLSTMCells under
an OutputProjectionWrapper, MSE and Adam. Prints the MSE; exits 1 unless it fell a lot."""
import sys

import numpy as np
import tensorflow as tf

t_min, t_max = 0, 30
resolution = 0.1
n_steps = 20
n_inputs, n_neurons, n_layers, n_outputs = 1, 24, 2, 1
learning_rate = 0.01


def time_series(t):
    return t * np.sin(t) / 3 + 2 * np.sin(t * 5)


def next_batch(batch_size, n_steps):
    t0 = np.random.rand(batch_size, 1) * (t_max - t_min - n_steps * resolution)
    Ts = t0 + np.arange(0., n_steps + 1) * resolution
    ys = time_series(Ts)
    return ys[:, :-1].reshape(-1, n_steps, 1), ys[:, 1:].reshape(-1, n_steps, 1)


np.random.seed(42)
tf.set_random_seed(42)

X = tf.placeholder(tf.float32, [None, n_steps, n_inputs])
y = tf.placeholder(tf.float32, [None, n_steps, n_outputs])

layers = [tf.contrib.rnn.BasicLSTMCell(num_units=n_neurons) for _ in range(n_layers)]
cell = tf.contrib.rnn.OutputProjectionWrapper(tf.contrib.rnn.MultiRNNCell(layers),
                                              output_size=n_outputs)
outputs, states = tf.nn.dynamic_rnn(cell, X, dtype=tf.float32)

loss = tf.reduce_mean(tf.square(outputs - y))
optimizer = tf.train.AdamOptimizer(learning_rate=learning_rate)
training_op = optimizer.minimize(loss)

init = tf.global_variables_initializer()
saver = tf.train.Saver()

n_iterations = 60
batch_size = 50

with tf.Session() as sess:
    init.run()
    for iteration in range(n_iterations):
        X_batch, y_batch = next_batch(batch_size, n_steps)
        sess.run(training_op, feed_dict={X: X_batch, y: y_batch})
        if iteration % 20 == 0 or iteration == n_iterations - 1:
            mse = loss.eval(feed_dict={X: X_batch, y: y_batch})
            if iteration == 0:
                first_mse = mse
            print(iteration, "\tMSE:", mse)

sys.exit(0 if mse < first_mse * 0.5 else 1)
