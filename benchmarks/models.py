"""The benchmark networks written as TF 1.x code (the book's style), for tfcompat or for
real TensorFlow's compat.v1 — ``build(tf, name)`` works with either module."""


def build(tf, name, seed=42, inputs=None):
    """Returns (X, y, fetches) of a training step for network ``name``; ``inputs``: the
    (images, labels) tensors to train on instead of the placeholders X and y."""
    tf.set_random_seed(seed)
    he_init = tf.variance_scaling_initializer(scale=2.0)
    if inputs is None:
        X = tf.placeholder(tf.float32, shape=(None, 784), name="X")
        y = tf.placeholder(tf.int64, shape=(None,), name="y")
    else:
        X, y = inputs
    if name == "bn":
        training = tf.placeholder_with_default(False, shape=(), name="training")
        bn = lambda t: tf.layers.batch_normalization(t, training=training,  # noqa: E731
                                                     momentum=0.9)
        h = X
        for i, units in enumerate((300, 100)):
            h = tf.nn.elu(bn(tf.layers.dense(h, units, kernel_initializer=he_init,
                                             name=f"hidden{i + 1}")))
        logits = bn(tf.layers.dense(h, 10, kernel_initializer=he_init, name="outputs"))
        optimizer = tf.train.GradientDescentOptimizer(0.01)
        extra = {training: True}
    elif name == "dropout":
        training = tf.placeholder_with_default(False, shape=(), name="training")
        h = tf.layers.dropout(X, 0.5, training=training)
        for i, units in enumerate((300, 50)):
            h = tf.layers.dense(h, units, activation=tf.nn.relu, kernel_initializer=he_init,
                                name=f"hidden{i + 1}")
            h = tf.layers.dropout(h, 0.5, training=training)
        logits = tf.layers.dense(h, 10, name="outputs")
        optimizer = tf.train.MomentumOptimizer(0.01, momentum=0.9)
        extra = {training: True}
    elif name == "deep_adam":
        h = X
        for i in range(5):
            h = tf.layers.dense(h, 100, activation=tf.nn.elu, kernel_initializer=he_init,
                                name=f"hidden{i + 1}")
        logits = tf.layers.dense(h, 10, kernel_initializer=he_init, name="logits")
        optimizer = tf.train.AdamOptimizer()
        extra = {}
    else:
        raise ValueError(f"unknown network {name!r}")
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y,
                                                                          logits=logits))
    training_op = optimizer.minimize(loss)
    fetches = [training_op, tf.get_collection(tf.GraphKeys.UPDATE_OPS)]
    return X, y, fetches, extra


NAMES = ("bn", "dropout", "deep_adam")
