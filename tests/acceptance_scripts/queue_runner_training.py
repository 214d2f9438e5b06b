"""A TF 1.x queue-runner training script: CSV files through string_input_producer,
TextLineReader and decode_csv, batched by shuffle_batch, trained while a Coordinator's
queue runners fill the queues, until the epochs run out (OutOfRangeError)."""
import os
import sys
import tempfile

import numpy as np
import tensorflow as tf

rng = np.random.RandomState(0)
n_features, n_per_file, n_files = 3, 200, 2
true_w = np.array([1.5, -2.0, 0.5])
workdir = tempfile.mkdtemp()
filenames = []
for index in range(n_files):
    features = rng.normal(size=(n_per_file, n_features))
    labels = (features.dot(true_w) > 0).astype(int)
    name = os.path.join(workdir, f"part-{index}.csv")
    with open(name, "w") as f:
        for row, label in zip(features, labels):
            f.write(",".join(f"{v:.6f}" for v in row) + f",{label}\n")
    filenames.append(name)

n_epochs = int(os.environ.get("TFCOMPAT_EPOCHS_CAP", "4"))
filename_queue = tf.train.string_input_producer(filenames, num_epochs=n_epochs, seed=1)
reader = tf.TextLineReader()
_, line = reader.read(filename_queue)
*columns, label = tf.decode_csv(line, record_defaults=[[0.0]] * n_features + [[0]])
features = tf.stack(columns)
X, y = tf.train.shuffle_batch([features, label], batch_size=20, capacity=200,
                              min_after_dequeue=50, seed=2, allow_smaller_final_batch=True)

w = tf.Variable(tf.zeros([n_features, 1]), name="w")
b = tf.Variable(0.0, name="b")
logits = tf.squeeze(tf.matmul(X, w), axis=1) + b
labels = tf.cast(y, tf.float32)
loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits))
training_op = tf.train.GradientDescentOptimizer(1.0).minimize(loss)
correct = tf.reduce_sum(tf.cast(tf.equal(tf.cast(logits > 0, tf.int32), y), tf.int32))

with tf.Session() as sess:
    sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
    coord = tf.train.Coordinator()
    threads = tf.train.start_queue_runners(sess=sess, coord=coord)
    steps = examples = hits = 0
    try:
        while not coord.should_stop():
            _, batch_hits, batch = sess.run([training_op, correct, y])
            steps += 1
            examples += len(batch)
            hits += batch_hits
    except tf.errors.OutOfRangeError:
        print(f"done: {steps} steps, {examples} examples")
    finally:
        coord.request_stop()
    coord.join(threads)
    accuracy = hits / examples
assert examples == n_epochs * n_files * n_per_file, examples
print(f"training accuracy {accuracy:.3f}")
sys.exit(0 if accuracy > 0.85 else 1)
