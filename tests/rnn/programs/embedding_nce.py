"""A tiny word2vec-style program in TF 1.x code: an embedding table trained with
tf.nn.nce_loss (log-uniform sampled negatives) on a toy corpus where each word predicts its
successor. Prints the loss; exits 1 unless it fell by half."""
import sys

import numpy as np
import tensorflow as tf

vocabulary_size, embedding_size, batch_size, num_sampled = 40, 8, 32, 6
rng = np.random.RandomState(0)

train_inputs = tf.placeholder(tf.int32, shape=[batch_size])
train_labels = tf.placeholder(tf.int32, shape=[batch_size, 1])
embeddings = tf.Variable(tf.random_uniform([vocabulary_size, embedding_size], -1.0, 1.0))
embed = tf.nn.embedding_lookup(embeddings, train_inputs)
nce_weights = tf.Variable(tf.truncated_normal([vocabulary_size, embedding_size],
                                              stddev=1.0 / np.sqrt(embedding_size)))
nce_biases = tf.Variable(tf.zeros([vocabulary_size]))
loss = tf.reduce_mean(tf.nn.nce_loss(weights=nce_weights, biases=nce_biases,
                                     labels=train_labels, inputs=embed,
                                     num_sampled=num_sampled, num_classes=vocabulary_size))
optimizer = tf.train.GradientDescentOptimizer(1.0).minimize(loss)
norm = tf.sqrt(tf.reduce_sum(tf.square(embeddings), 1, keep_dims=True))
normalized_embeddings = embeddings / norm

with tf.Session() as session:
    tf.global_variables_initializer().run()
    losses = []
    for step in range(300):
        words = rng.randint(0, vocabulary_size, batch_size)
        feed = {train_inputs: words,
                train_labels: ((words + 1) % vocabulary_size).reshape(-1, 1)}
        _, loss_val = session.run([optimizer, loss], feed_dict=feed)
        losses.append(loss_val)
        if step % 100 == 0:
            print("Average loss at step", step, ":", np.mean(losses[-100:]))
    final = normalized_embeddings.eval()
    print("Embedding norms:", np.linalg.norm(final, axis=1)[:3])

sys.exit(0 if np.mean(losses[-50:]) < 0.5 * np.mean(losses[:20]) else 1)
