"""tf.contrib.tpu: the names it shares with tf.estimator.tpu and tf.tpu, and
tf.contrib.cluster_resolver.TPUClusterResolver (no TPU is reachable)."""
import pytest

import tfcompat as tf


def test_contrib_tpu_shares_tf_estimator_tpu_classes():
    for name in ("TPUEstimator", "TPUEstimatorSpec", "RunConfig", "TPUConfig",
                 "InputPipelineConfig"):
        assert getattr(tf.contrib.tpu, name) is getattr(tf.estimator.tpu, name)
    for name in ("CrossShardOptimizer", "rewrite", "shard", "replicate", "batch_parallel"):
        assert getattr(tf.contrib.tpu, name) is getattr(tf.tpu, name)
    with pytest.raises(AttributeError, match="does not implement tf.estimator.tpu.rewrite"):
        tf.estimator.tpu.rewrite  # noqa: B018
    with pytest.raises(AttributeError, match="does not implement tf.contrib.tpu.keras_to_tpu"):
        tf.contrib.tpu.keras_to_tpu_model  # noqa: B018


def test_tpu_cluster_resolver_finds_no_tpu(monkeypatch):
    monkeypatch.delenv("TPU_NAME", raising=False)
    with pytest.raises(ValueError, match="Please provide a TPU Name to connect to."):
        tf.contrib.cluster_resolver.TPUClusterResolver()
    with pytest.raises(ValueError, match="Could not connect to the TPU 'my-tpu'.*tfcompat"):
        tf.contrib.cluster_resolver.TPUClusterResolver(tpu="my-tpu", zone="z", project="p")
    with pytest.raises(ValueError, match="At least one TPU must be specified."):
        tf.contrib.cluster_resolver.TPUClusterResolver(tpu=[])
