"""tf.tpu without a TPU: CrossShardOptimizer outside a TPU shard context and the TPU-only
functions."""
import numpy as np
import pytest

import tfcompat as tf


def test_cross_shard_optimizer_outside_tpu():
    var = tf.Variable([1.0, 2.0])
    loss = tf.reduce_sum(tf.square(var))
    optimizer = tf.tpu.CrossShardOptimizer(tf.train.GradientDescentOptimizer(0.1))
    grads_and_vars = optimizer.compute_gradients(loss)
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        np.testing.assert_allclose(session.run(grads_and_vars[0][0]), [2.0, 4.0])
    with pytest.raises(NotImplementedError, match="CrossReplicaSum.*tfcompat has no TPU"):
        optimizer.minimize(loss)
    with pytest.raises(ValueError, match="Unsupported reduction"):
        tf.tpu.CrossShardOptimizer(tf.train.GradientDescentOptimizer(0.1),
                                           reduction=tf.losses.Reduction.NONE)


def test_tpu_only_functions_and_unknown_names_raise():
    with pytest.raises(NotImplementedError, match="tf.tpu.rewrite.*tfcompat has no"):
        tf.tpu.rewrite(lambda: 1.0)
    with pytest.raises(NotImplementedError, match="tf.tpu.shard"):
        tf.tpu.shard(lambda: 1.0, num_shards=2)
    with pytest.raises(AttributeError, match="does not implement tf.tpu.keras_to_tpu"):
        tf.tpu.keras_to_tpu_model  # noqa: B018
