"""``tf.contrib.tpu`` (TF 1.15) on the CPU: TPUEstimator with ``use_tpu=False``,
TPUEstimatorSpec, RunConfig / TPUConfig / InputPipelineConfig (those of tf.estimator.tpu) and
CrossShardOptimizer; the TPU-only computations (rewrite, shard, ...) raise a
NotImplementedError. Any other name raises the "not implemented yet" AttributeError."""
from tfcompat.contrib.tpu.tpu import (  # noqa: F401
    batch_parallel, cross_replica_sum, initialize_system, outside_compilation, replicate,
    rewrite, shard, shutdown_system)
from tfcompat.contrib.tpu.tpu_optimizer import CrossShardOptimizer  # noqa: F401
from tfcompat.estimator.tpu import (  # noqa: F401
    InputPipelineConfig, RunConfig, TPUConfig, TPUEstimator, TPUEstimatorSpec)


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.contrib.tpu' has no attribute '{name}': "
                         f"tfcompat does not implement tf.contrib.tpu.{name} yet")
