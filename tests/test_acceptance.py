"""Acceptance: TF 1.x book code (chapters 9 and 10 of "Hands-On Machine Learning") runs
unchanged with ``import tfcompat as tf`` and learns.

The listings are kept as the book writes them (module-level style inside each test), on
small synthetic data instead of the California housing and MNIST sets.
"""
import numpy as np

import tfcompat as tf


def make_housing_like_data(m=400, n=8, seed=0):
    """Standardised features with a bias column and a noisy linear target."""
    rng = np.random.RandomState(seed)
    data = rng.normal(size=(m, n)) * rng.uniform(0.5, 3.0, size=n) + rng.uniform(-5, 5, size=n)
    scaled = (data - data.mean(axis=0)) / data.std(axis=0)
    true_theta = rng.uniform(-2, 2, size=(n + 1, 1))
    plus_bias = np.c_[np.ones((m, 1)), scaled]
    target = plus_bias.dot(true_theta) + 0.1 * rng.normal(size=(m, 1))
    return plus_bias, target.ravel()


def test_chapter9_linear_regression_with_tf_gradients_and_tf_assign():
    scaled_housing_data_plus_bias, housing_target = make_housing_like_data()
    m, n = scaled_housing_data_plus_bias.shape
    n -= 1

    tf.reset_default_graph()

    # The normal equation, computed by TensorFlow.
    X = tf.constant(scaled_housing_data_plus_bias, dtype=tf.float32, name="X")
    y = tf.constant(housing_target.reshape(-1, 1), dtype=tf.float32, name="y")
    XT = tf.transpose(X)
    theta_normal = tf.matmul(tf.matmul(tf.matrix_inverse(tf.matmul(XT, X)), XT), y)
    with tf.Session() as sess:
        theta_value = theta_normal.eval()
    numpy_theta = np.linalg.lstsq(scaled_housing_data_plus_bias,
                                  housing_target.reshape(-1, 1), rcond=None)[0]
    assert np.allclose(theta_value, numpy_theta, atol=1e-3)

    # Batch gradient descent with tf.gradients and tf.assign.
    tf.reset_default_graph()
    n_epochs = 1000
    learning_rate = 0.01

    X = tf.constant(scaled_housing_data_plus_bias, dtype=tf.float32, name="X")
    y = tf.constant(housing_target.reshape(-1, 1), dtype=tf.float32, name="y")
    theta = tf.Variable(tf.random_uniform([n + 1, 1], -1.0, 1.0, seed=42), name="theta")
    y_pred = tf.matmul(X, theta, name="predictions")
    error = y_pred - y
    mse = tf.reduce_mean(tf.square(error), name="mse")
    gradients = tf.gradients(mse, [theta])[0]
    training_op = tf.assign(theta, theta - learning_rate * gradients)

    init = tf.global_variables_initializer()

    history = []
    with tf.Session() as sess:
        sess.run(init)

        for epoch in range(n_epochs):
            if epoch % 100 == 0:
                history.append(mse.eval())
            sess.run(training_op)

        best_theta = theta.eval()
        final_mse = mse.eval()

    assert mse.name == "mse:0" and theta.name == "theta:0"
    # The MSE decreases (until float32 precision stops it at the optimum).
    assert all(later <= earlier + 1e-6 for earlier, later in zip(history, history[1:]))
    assert history[3] < 0.01 * history[0]
    normal_mse = np.mean((scaled_housing_data_plus_bias.dot(numpy_theta).ravel()
                          - housing_target) ** 2)
    assert final_mse < normal_mse * 1.01
    assert np.allclose(best_theta, numpy_theta, atol=0.02)


def test_chapter9_mini_batch_gradient_descent_with_placeholders():
    scaled_housing_data_plus_bias, housing_target = make_housing_like_data(seed=1)
    m, n = scaled_housing_data_plus_bias.shape
    n -= 1

    tf.reset_default_graph()
    learning_rate = 0.01

    X = tf.placeholder(tf.float32, shape=(None, n + 1), name="X")
    y = tf.placeholder(tf.float32, shape=(None, 1), name="y")
    theta = tf.Variable(tf.random_uniform([n + 1, 1], -1.0, 1.0, seed=42), name="theta")
    y_pred = tf.matmul(X, theta, name="predictions")
    error = y_pred - y
    mse = tf.reduce_mean(tf.square(error), name="mse")
    gradients = tf.gradients(mse, [theta])[0]
    training_op = tf.assign(theta, theta - learning_rate * gradients)

    init = tf.global_variables_initializer()

    n_epochs = 20
    batch_size = 50
    n_batches = int(np.ceil(m / batch_size))

    def fetch_batch(epoch, batch_index, batch_size):
        np.random.seed(epoch * n_batches + batch_index)
        indices = np.random.randint(m, size=batch_size)
        X_batch = scaled_housing_data_plus_bias[indices]
        y_batch = housing_target.reshape(-1, 1)[indices]
        return X_batch, y_batch

    with tf.Session() as sess:
        sess.run(init)
        start_mse = mse.eval(feed_dict={X: scaled_housing_data_plus_bias,
                                        y: housing_target.reshape(-1, 1)})
        for epoch in range(n_epochs):
            for batch_index in range(n_batches):
                X_batch, y_batch = fetch_batch(epoch, batch_index, batch_size)
                sess.run(training_op, feed_dict={X: X_batch, y: y_batch})
        final_mse = mse.eval(feed_dict={X: scaled_housing_data_plus_bias,
                                        y: housing_target.reshape(-1, 1)})
        assert len(sess._plans) <= 3       # one compiled plan per fetch/feed signature

    assert final_mse < 0.05 * start_mse and final_mse < 0.1


def make_classification_data(m, n_inputs=10, seed=0):
    """An XOR of the first two features (not linearly separable) plus noise features."""
    rng = np.random.RandomState(seed)
    X = rng.uniform(-1, 1, size=(m, n_inputs)).astype(np.float32)
    y = ((X[:, 0] > 0) != (X[:, 1] > 0)).astype(np.int32) + 2 * (X[:, 2] > 0.5)
    return X, y.astype(np.int32)


def test_chapter10_mlp_with_plain_tensorflow_and_a_manual_sgd_update():
    X_train, y_train = make_classification_data(3000, n_inputs=5, seed=0)
    X_test, y_test = make_classification_data(1000, n_inputs=5, seed=1)

    n_inputs = 5
    n_hidden1 = 100     # the book uses 300 and 100 on MNIST; smaller keeps the test fast
    n_hidden2 = 50
    n_outputs = 4

    tf.reset_default_graph()
    tf.set_random_seed(42)

    X = tf.placeholder(tf.float32, shape=(None, n_inputs), name="X")
    y = tf.placeholder(tf.int32, shape=(None), name="y")

    def neuron_layer(X, n_neurons, name, activation=None):
        with tf.name_scope(name):
            n_inputs = int(X.get_shape()[1])
            stddev = 2 / np.sqrt(n_inputs)
            init = tf.truncated_normal((n_inputs, n_neurons), stddev=stddev)
            W = tf.Variable(init, name="kernel")
            b = tf.Variable(tf.zeros([n_neurons]), name="bias")
            Z = tf.matmul(X, W) + b
            if activation is not None:
                return activation(Z)
            else:
                return Z

    with tf.name_scope("dnn"):
        hidden1 = neuron_layer(X, n_hidden1, name="hidden1", activation=tf.nn.relu)
        hidden2 = neuron_layer(hidden1, n_hidden2, name="hidden2", activation=tf.nn.relu)
        logits = neuron_layer(hidden2, n_outputs, name="outputs")

    with tf.name_scope("loss"):
        xentropy = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
        loss = tf.reduce_mean(xentropy, name="loss")

    learning_rate = 0.1

    with tf.name_scope("train"):
        params = tf.trainable_variables()
        grads = tf.gradients(loss, params)
        training_op = tf.group(*[tf.assign(param, param - learning_rate * grad)
                                 for param, grad in zip(params, grads)])

    with tf.name_scope("eval"):
        correct = tf.nn.in_top_k(logits, y, 1)
        accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))

    init = tf.global_variables_initializer()

    assert [p.name for p in params] == [
        "dnn/hidden1/kernel:0", "dnn/hidden1/bias:0", "dnn/hidden2/kernel:0",
        "dnn/hidden2/bias:0", "dnn/outputs/kernel:0", "dnn/outputs/bias:0"]
    assert str(hidden1.shape) == "(?, 100)" and str(logits.shape) == "(?, 4)"
    assert training_op.name == "train/group_deps"

    n_epochs = 20
    batch_size = 50

    def shuffle_batch(X, y, batch_size):
        rnd_idx = np.random.permutation(len(X))
        n_batches = len(X) // batch_size
        for batch_idx in np.array_split(rnd_idx, n_batches):
            X_batch, y_batch = X[batch_idx], y[batch_idx]
            yield X_batch, y_batch

    np.random.seed(42)
    with tf.Session() as sess:
        init.run()
        losses = [loss.eval(feed_dict={X: X_train, y: y_train})]
        for epoch in range(n_epochs):
            for X_batch, y_batch in shuffle_batch(X_train, y_train, batch_size):
                sess.run(training_op, feed_dict={X: X_batch, y: y_batch})
            if epoch % 5 == 4:
                losses.append(loss.eval(feed_dict={X: X_train, y: y_train}))
        acc_train = accuracy.eval(feed_dict={X: X_train, y: y_train})
        acc_test = accuracy.eval(feed_dict={X: X_test, y: y_test})

        # Chapter 11's "caching the frozen layers": feed the cached output of hidden2
        # directly; nothing below it (not even X) is needed.
        hidden2_cache = sess.run(hidden2, feed_dict={X: X_test})
        acc_from_cache = accuracy.eval(feed_dict={hidden2: hidden2_cache, y: y_test})

    assert losses[-1] < 0.25 * losses[0]
    assert acc_train > 0.96 and acc_test > 0.94
    assert acc_from_cache == acc_test


def test_chapter10_mlp_from_engine_ops_only():
    """The same network with only core ops: tf.maximum for ReLU and a hand-built softmax
    cross-entropy (the graph engine, not tf.nn, is under test here)."""
    X_train, y_train = make_classification_data(1000, n_inputs=4, seed=2)
    y_train = (y_train % 2).astype(np.int32)               # the XOR part only
    tf.reset_default_graph()
    tf.set_random_seed(7)

    X = tf.placeholder(tf.float32, shape=(None, 4), name="X")
    y = tf.placeholder(tf.int32, shape=(None,), name="y")

    W1 = tf.Variable(tf.truncated_normal([4, 64], stddev=0.5), name="W1")
    b1 = tf.Variable(tf.zeros([64]), name="b1")
    W2 = tf.Variable(tf.truncated_normal([64, 32], stddev=0.25), name="W2")
    b2 = tf.Variable(tf.zeros([32]), name="b2")
    W3 = tf.Variable(tf.truncated_normal([32, 2], stddev=0.25), name="W3")
    b3 = tf.Variable(tf.zeros([2]), name="b3")

    hidden1 = tf.maximum(tf.matmul(X, W1) + b1, 0.0)
    hidden2 = tf.maximum(tf.matmul(hidden1, W2) + b2, 0.0)
    logits = tf.matmul(hidden2, W3) + b3
    shifted = logits - tf.reduce_max(logits, axis=1, keepdims=True)
    log_softmax = shifted - tf.log(tf.reduce_sum(tf.exp(shifted), axis=1, keepdims=True))
    labels = tf.one_hot(y, 2)
    loss = -tf.reduce_mean(tf.reduce_sum(labels * log_softmax, axis=1))
    accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.cast(tf.argmax(logits, 1), tf.int32), y),
                                      tf.float32))

    params = [W1, b1, W2, b2, W3, b3]
    grads = tf.gradients(loss, params)
    training_op = tf.group(*[tf.assign(p, p - 0.2 * g) for p, g in zip(params, grads)])

    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        rng = np.random.RandomState(0)
        for _ in range(1500):
            idx = rng.randint(len(X_train), size=64)
            sess.run(training_op, feed_dict={X: X_train[idx], y: y_train[idx]})
        acc = sess.run(accuracy, feed_dict={X: X_train, y: y_train})
    assert acc > 0.95
