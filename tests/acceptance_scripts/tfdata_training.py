"""A TF 1.x tf.data training script: a CSV file read by TextLineDataset and decode_csv,
shuffled and batched, trained with an initializable iterator epoch by epoch (until
OutOfRangeError), evaluated through a feedable iterator switching by string handle."""
import os
import sys
import tempfile

import numpy as np
import tensorflow as tf

rng = np.random.RandomState(42)
n_features, n_train, n_valid = 4, 600, 200
true_w = rng.normal(size=n_features)
X_all = rng.normal(size=(n_train + n_valid, n_features)).astype(np.float32)
y_all = (X_all.dot(true_w) > 0).astype(np.int64)

workdir = tempfile.mkdtemp()
train_csv = os.path.join(workdir, "train.csv")
with open(train_csv, "w") as f:
    f.write("f0,f1,f2,f3,label\n")
    for features, label in zip(X_all[:n_train], y_all[:n_train]):
        f.write(",".join(f"{v:.6f}" for v in features) + f",{label}\n")


def parse_line(line):
    fields = tf.decode_csv(line, record_defaults=[[0.0]] * n_features + [[0]])
    return tf.stack(fields[:-1]), tf.cast(fields[-1], tf.int64)


with tf.name_scope("data"):
    batch_size = tf.placeholder(tf.int64, shape=[], name="batch_size")
    train_set = (tf.data.TextLineDataset(train_csv).skip(1).map(parse_line)
                 .shuffle(buffer_size=256, seed=7).batch(batch_size).prefetch(1))
    valid_set = tf.data.Dataset.from_tensor_slices((X_all[n_train:], y_all[n_train:])) \
        .batch(n_valid)
    train_iterator = train_set.make_initializable_iterator()
    valid_iterator = valid_set.make_initializable_iterator()
    handle = tf.placeholder(tf.string, shape=[], name="handle")
    iterator = tf.data.Iterator.from_string_handle(handle, train_set.output_types,
                                                   train_set.output_shapes)
    X, y = iterator.get_next()

logits = tf.layers.dense(X, 2, name="logits")
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
global_step = tf.train.get_or_create_global_step()
training_op = tf.train.GradientDescentOptimizer(0.5).minimize(loss, global_step=global_step)
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), y), tf.float32))

n_epochs = int(os.environ.get("TFCOMPAT_EPOCHS_CAP", "5"))
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    train_handle, valid_handle = sess.run([train_iterator.string_handle(),
                                           valid_iterator.string_handle()])
    for epoch in range(n_epochs):
        sess.run(train_iterator.initializer, feed_dict={batch_size: 32})
        steps = 0
        while True:
            try:
                sess.run(training_op, feed_dict={handle: train_handle})
                steps += 1
            except tf.errors.OutOfRangeError:
                break
        sess.run(valid_iterator.initializer)
        acc = sess.run(accuracy, feed_dict={handle: valid_handle})
        print(f"epoch {epoch} steps {steps} validation accuracy {acc:.3f}")
    assert steps == (n_train + 31) // 32, steps
    assert sess.run(global_step) == n_epochs * steps
print(f"final accuracy {acc:.3f}")
sys.exit(0 if acc > 0.9 else 1)
