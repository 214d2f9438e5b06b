"""tf.contrib.tpu: CrossShardOptimizer outside a TPU, the TPU-only functions, the names shared
with tf.estimator.tpu, and tf.contrib.cluster_resolver.TPUClusterResolver (no TPU is
reachable)."""
import numpy as np
import pytest

import tfcompat as tf


def test_cross_shard_optimizer_outside_tpu():
    var = tf.Variable([1.0, 2.0])
    loss = tf.reduce_sum(tf.square(var))
    optimizer = tf.contrib.tpu.CrossShardOptimizer(tf.train.GradientDescentOptimizer(0.1))
    grads_and_vars = optimizer.compute_gradients(loss)
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        np.testing.assert_allclose(session.run(grads_and_vars[0][0]), [2.0, 4.0])
    with pytest.raises(NotImplementedError, match="CrossReplicaSum.*tfcompat has no TPU"):
        optimizer.minimize(loss)
    with pytest.raises(ValueError, match="Unsupported reduction"):
        tf.contrib.tpu.CrossShardOptimizer(tf.train.GradientDescentOptimizer(0.1),
                                           reduction=tf.losses.Reduction.NONE)


def test_tpu_only_functions_and_unknown_names_raise():
    with pytest.raises(NotImplementedError, match="tf.contrib.tpu.rewrite.*tfcompat has no"):
        tf.contrib.tpu.rewrite(lambda: 1.0)
    with pytest.raises(NotImplementedError, match="tf.contrib.tpu.shard"):
        tf.contrib.tpu.shard(lambda: 1.0, num_shards=2)
    with pytest.raises(AttributeError, match="does not implement tf.contrib.tpu.keras_to_tpu"):
        tf.contrib.tpu.keras_to_tpu_model  # noqa: B018


def test_contrib_tpu_shares_tf_estimator_tpu_classes():
    for name in ("TPUEstimator", "TPUEstimatorSpec", "RunConfig", "TPUConfig",
                 "InputPipelineConfig"):
        assert getattr(tf.contrib.tpu, name) is getattr(tf.estimator.tpu, name)
    with pytest.raises(AttributeError, match="does not implement tf.estimator.tpu.rewrite"):
        tf.estimator.tpu.rewrite  # noqa: B018


def test_tpu_cluster_resolver_finds_no_tpu(monkeypatch):
    monkeypatch.delenv("TPU_NAME", raising=False)
    with pytest.raises(ValueError, match="Please provide a TPU Name to connect to."):
        tf.contrib.cluster_resolver.TPUClusterResolver()
    with pytest.raises(ValueError, match="Could not connect to the TPU 'my-tpu'.*tfcompat"):
        tf.contrib.cluster_resolver.TPUClusterResolver(tpu="my-tpu", zone="z", project="p")
    with pytest.raises(ValueError, match="At least one TPU must be specified."):
        tf.contrib.cluster_resolver.TPUClusterResolver(tpu=[])
