"""``tf.tpu`` (TF 1.15) without a TPU: CrossShardOptimizer (gradients pass through outside a
TPU shard context, applying them needs the TPU's CrossReplicaSum) and the TPU-only
computations (rewrite, shard, replicate, ...), which raise a NotImplementedError naming
tfcompat. Any other name raises the "not implemented yet" AttributeError."""
from tfcompat.tpu.tpu import (  # noqa: F401
    batch_parallel, cross_replica_sum, initialize_system, outside_compilation, replicate,
    rewrite, shard, shutdown_system)
from tfcompat.tpu.tpu_optimizer import CrossShardOptimizer  # noqa: F401


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow._api.v1.tpu' has no attribute '{name}': "
                         f"tfcompat does not implement tf.tpu.{name} yet")
