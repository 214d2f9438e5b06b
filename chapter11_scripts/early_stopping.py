# Chapter 11, "Early Stopping", as the chapter describes it: evaluate the model on the
# validation set at regular intervals (every 50 steps), save a "winner" snapshot whenever it
# beats the previous winner, count the steps since the last winner was saved and stop once
# that reaches a limit (2000 steps), then restore the last winner.
# The chapter gives no code; the 300-50-10 ReLU network and MomentumOptimizer (0.01, 0.9)
# with batches of 50 are those of the regularization section.
import numpy as np
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

mnist = input_data.read_data_sets("/tmp/data/")

n_inputs = 28 * 28  # MNIST
n_hidden1 = 300
n_hidden2 = 50
n_outputs = 10

learning_rate = 0.01
momentum = 0.9

X = tf.placeholder(tf.float32, shape=(None, n_inputs), name="X")
y = tf.placeholder(tf.int64, shape=(None), name="y")

with tf.name_scope("dnn"):
    hidden1 = tf.layers.dense(X, n_hidden1, activation=tf.nn.relu, name="hidden1")
    hidden2 = tf.layers.dense(hidden1, n_hidden2, activation=tf.nn.relu, name="hidden2")
    logits = tf.layers.dense(hidden2, n_outputs, name="outputs")

with tf.name_scope("loss"):
    xentropy = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
    loss = tf.reduce_mean(xentropy, name="loss")

with tf.name_scope("train"):
    optimizer = tf.train.MomentumOptimizer(learning_rate, momentum)
    training_op = optimizer.minimize(loss)

with tf.name_scope("eval"):
    correct = tf.nn.in_top_k(logits, y, 1)
    accuracy = tf.reduce_mean(tf.cast(correct, tf.float32), name="accuracy")

init = tf.global_variables_initializer()
saver = tf.train.Saver()

n_epochs = 1000
batch_size = 50
check_interval = 50
max_steps_without_progress = 2000

step = 0
steps_without_progress = 0
best_loss = np.inf
stop = False

with tf.Session() as sess:
    init.run()
    for epoch in range(n_epochs):
        for iteration in range(mnist.train.num_examples // batch_size):
            X_batch, y_batch = mnist.train.next_batch(batch_size)
            sess.run(training_op, feed_dict={X: X_batch, y: y_batch})
            step += 1
            if step % check_interval == 0:
                loss_val = loss.eval(feed_dict={X: mnist.validation.images,
                                                y: mnist.validation.labels})
                if loss_val < best_loss:
                    save_path = saver.save(sess, "./my_winner_model.ckpt")
                    best_loss = loss_val
                    steps_without_progress = 0
                else:
                    steps_without_progress += check_interval
                    if steps_without_progress >= max_steps_without_progress:
                        stop = True
                        break
        acc_val = accuracy.eval(feed_dict={X: mnist.validation.images,
                                           y: mnist.validation.labels})
        print(epoch, "Best validation loss:", best_loss, "Validation accuracy:", acc_val)
        if stop:
            print("Early stopping after", step, "steps")
            break

with tf.Session() as sess:
    saver.restore(sess, "./my_winner_model.ckpt")
    acc_test = accuracy.eval(feed_dict={X: mnist.test.images, y: mnist.test.labels})
    print("Winner's test accuracy:", acc_test)
