"""Acceptance for convolutional networks: TF 1.x programs run unchanged under
``python -m tfcompat`` (a chapter-13 style MNIST CNN on small synthetic digits, and a small
DCGAN-style generator built from conv2d_transpose), and a convolutional checkpoint written by
real TensorFlow (tests/golden/make_conv_checkpoint.py) restores into the same graph built by
tfcompat and gives TensorFlow's outputs."""
import importlib.util
import os
import pathlib
import subprocess
import sys

import numpy as np

import tfcompat as tf

GOLDEN = pathlib.Path(__file__).parent / "golden"
REPO = pathlib.Path(__file__).resolve().parent.parent

CNN_PROGRAM = '''
import numpy as np
import tensorflow as tf

# Synthetic "digits": class k is a bright 6x6 square at one of 4 places (plus noise).
rng = np.random.RandomState(42)
def make_batch(size):
    labels = rng.randint(0, 4, size)
    images = rng.uniform(0, 0.3, (size, 28, 28, 1)).astype(np.float32)
    for i, k in enumerate(labels):
        row, col = divmod(k, 2)
        images[i, 4 + 14 * row:10 + 14 * row, 4 + 14 * col:10 + 14 * col, 0] += 0.7
    return images.reshape(size, 28 * 28), labels

height, width, channels = 28, 28, 1
n_inputs = height * width

with tf.name_scope("inputs"):
    X = tf.placeholder(tf.float32, shape=[None, n_inputs], name="X")
    X_reshaped = tf.reshape(X, shape=[-1, height, width, channels])
    y = tf.placeholder(tf.int32, shape=[None], name="y")

conv1 = tf.layers.conv2d(X_reshaped, filters=8, kernel_size=3, strides=1, padding="SAME",
                         activation=tf.nn.relu, name="conv1")
conv2 = tf.layers.conv2d(conv1, filters=16, kernel_size=3, strides=2, padding="SAME",
                         activation=tf.nn.relu, name="conv2")
with tf.name_scope("pool3"):
    pool3 = tf.nn.max_pool(conv2, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="VALID")
    pool3_flat = tf.reshape(pool3, shape=[-1, 16 * 7 * 7])
with tf.name_scope("fc1"):
    fc1 = tf.layers.dense(pool3_flat, 32, activation=tf.nn.relu, name="fc1")
with tf.name_scope("output"):
    logits = tf.layers.dense(fc1, 4, name="output")
    Y_proba = tf.nn.softmax(logits, name="Y_proba")
with tf.name_scope("train"):
    xentropy = tf.nn.sparse_softmax_cross_entropy_with_logits(logits=logits, labels=y)
    loss = tf.reduce_mean(xentropy)
    training_op = tf.train.AdamOptimizer(learning_rate=0.01).minimize(loss)
with tf.name_scope("eval"):
    correct = tf.nn.in_top_k(logits, y, 1)
    accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
with tf.name_scope("init_and_save"):
    init = tf.global_variables_initializer()
    saver = tf.train.Saver()

X_test, y_test = make_batch(200)
with tf.Session() as sess:
    init.run()
    for iteration in range(40):
        X_batch, y_batch = make_batch(32)
        sess.run(training_op, feed_dict={X: X_batch, y: y_batch})
    acc_test = accuracy.eval(feed_dict={X: X_test, y: y_test})
    print("conv1", conv1.name, conv1.shape, "pool3", pool3.name, pool3.shape)
    print("test accuracy", acc_test)
    saver.save(sess, "./my_mnist_cnn")
'''

DCGAN_PROGRAM = '''
import numpy as np
import tensorflow as tf

batch_norm = tf.contrib.layers.batch_norm
codings = tf.placeholder(tf.float32, [None, 16], name="codings")
real = tf.placeholder(tf.float32, [None, 16, 16, 1], name="real")
training = tf.placeholder_with_default(False, [], name="training")

def generator(z):
    with tf.variable_scope("generator"):
        net = tf.layers.dense(z, 4 * 4 * 16)
        net = tf.nn.relu(tf.layers.batch_normalization(tf.reshape(net, [-1, 4, 4, 16]),
                                                       training=training))
        net = tf.layers.conv2d_transpose(net, 8, 4, strides=2, padding="same")
        net = tf.nn.relu(batch_norm(net, is_training=training))
        return tf.layers.conv2d_transpose(net, 1, 4, strides=2, padding="same",
                                          activation=tf.nn.tanh)

def discriminator(images, reuse=False):
    with tf.variable_scope("discriminator", reuse=reuse):
        net = tf.layers.conv2d(images, 8, 4, strides=2, padding="same",
                               activation=tf.nn.leaky_relu)
        net = tf.layers.conv2d(net, 16, 4, strides=2, padding="same",
                               activation=tf.nn.leaky_relu)
        return tf.layers.dense(tf.layers.flatten(net), 1)

fake = generator(codings)
real_logits = discriminator(real)
fake_logits = discriminator(fake, reuse=True)
xent = tf.nn.sigmoid_cross_entropy_with_logits
d_loss = tf.reduce_mean(xent(labels=tf.ones_like(real_logits), logits=real_logits)) + \\
    tf.reduce_mean(xent(labels=tf.zeros_like(fake_logits), logits=fake_logits))
g_loss = tf.reduce_mean(xent(labels=tf.ones_like(fake_logits), logits=fake_logits))
g_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="generator")
d_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="discriminator")
with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
    d_train = tf.train.AdamOptimizer(0.002, beta1=0.5).minimize(d_loss, var_list=d_vars)
    g_train = tf.train.AdamOptimizer(0.002, beta1=0.5).minimize(g_loss, var_list=g_vars)

rng = np.random.RandomState(0)
rows = np.linspace(-1, 1, 16)
real_images = np.tile(np.sin(3 * rows)[None, :, None, None], (32, 1, 16, 1)).astype(np.float32)
with tf.Session() as sess:
    tf.global_variables_initializer().run()
    for step in range(8):
        z = rng.normal(size=(32, 16)).astype(np.float32)
        sess.run(d_train, {codings: z, real: real_images, training: True})
        sess.run(g_train, {codings: z, training: True})
    samples = fake.eval({codings: rng.normal(size=(5, 16)).astype(np.float32)})
    print("samples", samples.shape, float(samples.min()) >= -1, float(samples.max()) <= 1)
    print("generator", [v.name for v in g_vars][:4])
'''


def _run_program(tmp_path, source):
    script = tmp_path / "program.py"
    script.write_text(source)
    env = dict(os.environ, PYTHONPATH=str(REPO))  # this checkout's tfcompat
    completed = subprocess.run([sys.executable, "-m", "tfcompat", str(script)], cwd=tmp_path,
                               capture_output=True, text=True, timeout=300, env=env)
    assert completed.returncode == 0, completed.stderr[-3000:]
    return completed.stdout


def test_mnist_cnn_program_runs_under_the_runner(tmp_path):
    out = _run_program(tmp_path, CNN_PROGRAM)
    lines = out.splitlines()
    assert lines[0] == "conv1 conv1/Relu:0 (?, 28, 28, 8) pool3 pool3/MaxPool:0 (?, 7, 7, 16)"
    accuracy = float(lines[1].split()[-1])
    assert accuracy > 0.6  # four classes: chance is 0.25
    assert (tmp_path / "my_mnist_cnn.index").exists()


def test_dcgan_generator_program_runs_under_the_runner(tmp_path):
    out = _run_program(tmp_path, DCGAN_PROGRAM)
    lines = out.splitlines()
    assert lines[0] == "samples (5, 16, 16, 1) True True"
    assert lines[1] == ("generator ['generator/dense/kernel:0', 'generator/dense/bias:0', "
                        "'generator/batch_normalization/gamma:0', "
                        "'generator/batch_normalization/beta:0']")


def test_checkpoint_written_by_tensorflow_restores():
    spec = importlib.util.spec_from_file_location("make_conv_checkpoint",
                                                  GOLDEN / "make_conv_checkpoint.py")
    maker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(maker)  # defines build(tf); TensorFlow is imported by main only
    expected = np.load(GOLDEN / "conv_ckpt" / "expected.npz")
    with tf.Graph().as_default():
        images, logits = maker.build(tf)
        assert [v.name for v in tf.global_variables()] == [
            "conv2d/kernel:0", "conv2d/bias:0", "conv2d_transpose/kernel:0",
            "conv2d_transpose/bias:0", "dense/kernel:0", "dense/bias:0"]
        saver = tf.train.Saver()
        with tf.Session() as sess:
            saver.restore(sess, str(GOLDEN / "conv_ckpt" / "model.ckpt"))
            values = sess.run(logits, {images: expected["images"]})
    np.testing.assert_allclose(values, expected["logits"], rtol=1e-5, atol=1e-5)
