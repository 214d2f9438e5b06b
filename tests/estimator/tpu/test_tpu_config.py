"""tf.estimator.tpu.TPUConfig / InputPipelineConfig / RunConfig (TF 1.15 defaults and
checks)."""
import pytest

import tfcompat as tf


def test_tpu_config_defaults_and_checks():
    config = tf.estimator.tpu.TPUConfig()
    assert config.iterations_per_loop == 2
    assert config.num_shards is None
    assert config.per_host_input_for_training is True
    assert tf.estimator.tpu.InputPipelineConfig.PER_HOST_V2 == 3
    with pytest.raises(ValueError, match="iterations_per_loop must be positive integer"):
        tf.estimator.tpu.TPUConfig(iterations_per_loop=0)
    with pytest.raises(ValueError, match="num_shards must be positive integer"):
        tf.estimator.tpu.TPUConfig(num_shards=-1)


def test_run_config_keeps_tpu_settings_through_replace(tmp_path):
    tpu_config = tf.estimator.tpu.TPUConfig(iterations_per_loop=100, num_shards=8)
    config = tf.estimator.tpu.RunConfig(tpu_config=tpu_config, save_checkpoints_steps=7)
    assert isinstance(config, tf.estimator.RunConfig)
    assert config.master == "" and config.evaluation_master == ""
    replaced = config.replace(model_dir=str(tmp_path))
    assert isinstance(replaced, tf.estimator.tpu.RunConfig)
    assert replaced.tpu_config is tpu_config
    assert replaced.save_checkpoints_steps == 7 and replaced.model_dir == str(tmp_path)
    assert tf.estimator.tpu.RunConfig(master="grpc://x:8470").evaluation_master == "grpc://x:8470"
    with pytest.raises(ValueError, match="tpu_config must be a TPUConfig"):
        tf.estimator.tpu.RunConfig(tpu_config={"iterations_per_loop": 2})
