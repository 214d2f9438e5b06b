"""tf.contrib.tpu's RunConfig / TPUConfig, CrossShardOptimizer outside a TPU, the TPU-only
functions and tf.contrib.cluster_resolver.TPUClusterResolver (no TPU is reachable)."""
import numpy as np
import pytest

import tfcompat as tf


def test_tpu_config_defaults_and_checks():
    config = tf.contrib.tpu.TPUConfig()
    assert config.iterations_per_loop == 2
    assert config.num_shards is None
    assert config.per_host_input_for_training is True
    assert tf.contrib.tpu.InputPipelineConfig.PER_HOST_V2 == 3
    with pytest.raises(ValueError, match="iterations_per_loop must be positive integer"):
        tf.contrib.tpu.TPUConfig(iterations_per_loop=0)
    with pytest.raises(ValueError, match="num_shards must be positive integer"):
        tf.contrib.tpu.TPUConfig(num_shards=-1)


def test_run_config_keeps_tpu_settings_through_replace(tmp_path):
    tpu_config = tf.contrib.tpu.TPUConfig(iterations_per_loop=100, num_shards=8)
    config = tf.contrib.tpu.RunConfig(tpu_config=tpu_config, save_checkpoints_steps=7)
    assert isinstance(config, tf.estimator.RunConfig)
    assert config.master == "" and config.evaluation_master == ""
    replaced = config.replace(model_dir=str(tmp_path))
    assert isinstance(replaced, tf.contrib.tpu.RunConfig)
    assert replaced.tpu_config is tpu_config
    assert replaced.save_checkpoints_steps == 7 and replaced.model_dir == str(tmp_path)
    assert tf.contrib.tpu.RunConfig(master="grpc://x:8470").evaluation_master == "grpc://x:8470"
    with pytest.raises(ValueError, match="tpu_config must be a TPUConfig"):
        tf.contrib.tpu.RunConfig(tpu_config={"iterations_per_loop": 2})


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


def test_tpu_cluster_resolver_finds_no_tpu(monkeypatch):
    monkeypatch.delenv("TPU_NAME", raising=False)
    with pytest.raises(ValueError, match="Please provide a TPU Name to connect to."):
        tf.contrib.cluster_resolver.TPUClusterResolver()
    with pytest.raises(ValueError, match="Could not connect to the TPU 'my-tpu'.*tfcompat"):
        tf.contrib.cluster_resolver.TPUClusterResolver(tpu="my-tpu", zone="z", project="p")
    with pytest.raises(ValueError, match="At least one TPU must be specified."):
        tf.contrib.cluster_resolver.TPUClusterResolver(tpu=[])
