"""``tf.contrib.tpu`` (TF 1.15) on the CPU: TPUEstimator with ``use_tpu=False``,
TPUEstimatorSpec, RunConfig / TPUConfig / InputPipelineConfig (those of tf.estimator.tpu) and
CrossShardOptimizer with the TPU-only computations (rewrite, shard, ...; those of tf.tpu),
which raise a NotImplementedError. Any other name raises the "not implemented yet"
AttributeError."""
from tfcompat.tpu import (  # noqa: F401
    CrossShardOptimizer, batch_parallel, cross_replica_sum, initialize_system,
    outside_compilation, replicate, rewrite, shard, shutdown_system)
from tfcompat.estimator.tpu import (  # noqa: F401
    InputPipelineConfig, RunConfig, TPUConfig, TPUEstimator, TPUEstimatorSpec)


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.contrib.tpu' has no attribute '{name}': "
                         f"tfcompat does not implement tf.contrib.tpu.{name} yet")
