"""Discrete distributions of ``tf.distributions``: Bernoulli, Categorical and Multinomial,
parameterised by logits or probabilities as TF 1.x's (exactly one of the two)."""
import tfcompat as tf
from tfcompat.distributions.distribution import NOT_REPARAMETERIZED, Distribution, RegisterKL


def _logits_and_probs(logits, probs, multidimensional, dtype=None):
    """Both parameterisations from the given one (sigmoid/log-odds for binary, softmax/log
    for categorical), as TF's get_logits_and_probs."""
    if (logits is None) == (probs is None):
        raise ValueError("Must pass probs or logits, but not both.")
    if probs is None:
        logits = tf.convert_to_tensor(logits, name="logits", dtype=dtype)
        probs = tf.nn.softmax(logits, name="probs") if multidimensional else \
            tf.sigmoid(logits, name="probs")
        return logits, probs
    probs = tf.convert_to_tensor(probs, name="probs", dtype=dtype)
    if multidimensional:
        return tf.log(probs, name="logits"), probs
    return tf.subtract(tf.log(probs), tf.log1p(-probs), name="logits"), probs


class Bernoulli(Distribution):
    """``tf.distributions.Bernoulli(logits=None, probs=None, dtype=tf.int32)``."""

    def __init__(self, logits=None, probs=None, dtype=tf.int32, validate_args=False,
                 allow_nan_stats=True, name="Bernoulli"):
        parameters = dict(locals())
        with tf.name_scope(name) as scope:
            self._logits, self._probs = _logits_and_probs(logits, probs, False)
        super().__init__(tf.as_dtype(dtype), NOT_REPARAMETERIZED, validate_args,
                         allow_nan_stats, parameters, [self._logits, self._probs],
                         scope)

    logits = property(lambda self: self._logits)
    probs = property(lambda self: self._probs)

    def _batch_shape(self):
        return self._logits.shape

    def _batch_shape_tensor(self):
        return tf.shape(self._logits)

    def _value_dtype(self):
        return None

    def _sample_n(self, n, seed):
        shape = tf.concat([[n], tf.shape(self._probs)], 0)
        uniform = tf.random_uniform(shape, seed=seed, dtype=self._probs.dtype)
        return tf.cast(tf.less(uniform, self._probs), self._dtype)

    def _log_prob(self, event):
        event = tf.cast(event, self._logits.dtype)
        logits = self._logits * tf.ones_like(event)
        event = event * tf.ones_like(logits)
        return -tf.nn.sigmoid_cross_entropy_with_logits(labels=event, logits=logits)

    def _entropy(self):
        return (-self._logits * (tf.sigmoid(self._logits) - 1.0)
                + tf.nn.softplus(-self._logits))

    def _mean(self):
        return tf.identity(self._probs)

    def _variance(self):
        return self._probs * (1.0 - self._probs)

    _stddev = None

    def _mode(self):
        return tf.cast(self._probs > 0.5, self._dtype)


class Categorical(Distribution):
    """``tf.distributions.Categorical(logits=None, probs=None, dtype=tf.int32)``: classes
    indexed by the last dimension of the parameters."""

    def __init__(self, logits=None, probs=None, dtype=tf.int32, validate_args=False,
                 allow_nan_stats=True, name="Categorical"):
        parameters = dict(locals())
        with tf.name_scope(name) as scope:
            self._logits, self._probs = _logits_and_probs(logits, probs, True)
            self._event_size = tf.shape(self._logits)[-1]
        super().__init__(tf.as_dtype(dtype), NOT_REPARAMETERIZED, validate_args,
                         allow_nan_stats, parameters, [self._logits, self._probs],
                         scope)

    logits = property(lambda self: self._logits)
    probs = property(lambda self: self._probs)
    event_size = property(lambda self: self._event_size)

    def _batch_shape(self):
        return self._logits.shape[:-1]

    def _batch_shape_tensor(self):
        return tf.shape(self._logits)[:-1]

    def _value_dtype(self):
        return None

    def _flat_logits(self):
        return tf.reshape(self._logits, [-1, self._event_size])

    def _sample_n(self, n, seed):
        draws = tf.multinomial(self._flat_logits(), n, seed=seed)       # [batch, n]
        draws = tf.cast(tf.transpose(draws), self._dtype)
        return tf.reshape(draws, tf.concat([[n], self.batch_shape_tensor()], 0))

    def _log_prob(self, k):
        k = tf.cast(k, tf.int32)
        logits = self._logits * tf.ones_like(tf.expand_dims(tf.cast(k, self._logits.dtype),
                                                            -1))
        k = k * tf.ones_like(logits[..., 0], dtype=tf.int32)
        return -tf.nn.sparse_softmax_cross_entropy_with_logits(labels=k, logits=logits)

    def _entropy(self):
        return -tf.reduce_sum(tf.nn.log_softmax(self._logits) * self._probs, -1)

    def _mode(self):
        return tf.cast(tf.argmax(self._logits, axis=-1), self._dtype)


class Multinomial(Distribution):
    """``tf.distributions.Multinomial(total_count, logits=None, probs=None)``: counts of
    ``total_count`` draws over the classes of the last dimension."""

    def __init__(self, total_count, logits=None, probs=None, validate_args=False,
                 allow_nan_stats=True, name="Multinomial"):
        parameters = dict(locals())
        with tf.name_scope(name) as scope:
            self._logits, self._probs = _logits_and_probs(logits, probs, True)
            self._total_count = tf.convert_to_tensor(total_count, name="total_count",
                                                     dtype=self._logits.dtype.base_dtype)
            self._mean_value = self._total_count[..., None] * self._probs
        super().__init__(self._probs.dtype.base_dtype, NOT_REPARAMETERIZED, validate_args,
                         allow_nan_stats, parameters,
                         [self._total_count, self._logits, self._probs], scope)

    total_count = property(lambda self: self._total_count)
    logits = property(lambda self: self._logits)
    probs = property(lambda self: self._probs)

    def _batch_shape(self):
        return self._mean_value.shape[:-1]

    def _batch_shape_tensor(self):
        return tf.shape(self._mean_value)[:-1]

    def _event_shape(self):
        return self._mean_value.shape[-1:]

    def _event_shape_tensor(self):
        return tf.shape(self._mean_value)[-1:]

    def _sample_n(self, n, seed):
        classes = tf.shape(self._probs)[-1]
        logits = tf.reshape(self._logits * tf.ones_like(self._mean_value), [-1, classes])
        counts = tf.reshape(self._total_count * tf.ones_like(self._mean_value[..., 0]), [-1])
        most = tf.cast(tf.reduce_max(counts), tf.int32)
        draws = tf.multinomial(logits, n * most, seed=seed)             # [batch, n * most]
        draws = tf.reshape(draws, tf.stack([-1, n, most]))
        used = tf.less(tf.cast(tf.range(most), counts.dtype), counts[:, None, None])
        hits = tf.one_hot(draws, classes, dtype=self._dtype) * tf.cast(used, self._dtype)[
            ..., None]
        totals = tf.transpose(tf.reduce_sum(hits, -2), [1, 0, 2])       # [n, batch, k]
        return tf.reshape(totals, tf.concat([[n], tf.shape(self._mean_value)], 0))

    def _log_prob(self, counts):
        return (tf.lgamma(self._total_count + 1.0) - tf.reduce_sum(tf.lgamma(counts + 1.0), -1)
                + tf.reduce_sum(counts * tf.nn.log_softmax(self._logits), -1))

    def _mean(self):
        return tf.identity(self._mean_value)

    def _variance(self):
        return self._mean_value * (1.0 - self._probs)

    _stddev = None


@RegisterKL(Bernoulli, Bernoulli)
def _kl_bernoulli_bernoulli(a, b, name=None):
    delta_zero = tf.nn.softplus(-b.logits) - tf.nn.softplus(-a.logits)
    delta_one = tf.nn.softplus(b.logits) - tf.nn.softplus(a.logits)
    return tf.sigmoid(a.logits) * delta_zero + tf.sigmoid(-a.logits) * delta_one


@RegisterKL(Categorical, Categorical)
def _kl_categorical_categorical(a, b, name=None):
    log_a, log_b = tf.nn.log_softmax(a.logits), tf.nn.log_softmax(b.logits)
    return tf.reduce_sum(tf.nn.softmax(a.logits) * (log_a - log_b), -1)
