"""tfcompat side of the by-hand check (PYTHONPATH=. python THIS DIR): the chapter-11
batch-norm model, 5 training steps, Saver.save, logits before and after one more step."""
import sys
from functools import partial
import numpy as np
import tfcompat as tf

out = sys.argv[1]
X = tf.placeholder(tf.float32, shape=(None, 784), name='X')
y = tf.placeholder(tf.int64, shape=None, name='y')
training = tf.placeholder_with_default(False, shape=(), name='training')
with tf.name_scope("dnn"):
    he_init = tf.contrib.layers.variance_scaling_initializer()
    bn = partial(tf.layers.batch_normalization, training=training, momentum=0.9)
    dense = partial(tf.layers.dense, kernel_initializer=he_init)
    hidden1 = dense(X, 300, name='hidden1')
    bn1 = tf.nn.elu(bn(hidden1))
    hidden2 = dense(bn1, 100, name='hidden2')
    bn2 = tf.nn.elu(bn(hidden2))
    logits = bn(dense(bn2, 10, name='outputs'))
    logits = tf.identity(logits, name="logits")
with tf.name_scope('loss'):
    xentropy = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
    loss = tf.reduce_mean(xentropy, name='loss')
with tf.name_scope('train'):
    training_op = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
with tf.name_scope("eval"):
    correct = tf.cast(tf.nn.in_top_k(logits, y, 1), tf.float32)
    accuracy = tf.reduce_mean(correct, name="accuracy")
extra = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
tf.add_to_collection("train_ops", training_op)
for u in extra:
    tf.add_to_collection("extra_update_ops", u)
saver = tf.train.Saver()
rng = np.random.RandomState(0)
xb, yb = rng.rand(50, 784).astype(np.float32), rng.randint(0, 10, 50)
with tf.Session() as sess:
    tf.global_variables_initializer().run()
    for _ in range(5):
        sess.run([training_op, extra], feed_dict={training: True, X: xb, y: yb})
    saver.save(sess, out + "/model.ckpt")
    np.savez(out + "/expected.npz", x=xb, y=yb, logits=logits.eval({X: xb}),
             acc=accuracy.eval({X: xb, y: yb}))
    # one more training step: what TF should reproduce from the restored checkpoint
    sess.run([training_op, extra], feed_dict={training: True, X: xb, y: yb})
    np.savez(out + "/after_step.npz", logits=logits.eval({X: xb}))
print("saved")
