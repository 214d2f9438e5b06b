"""The TPU-only computations of ``tf.tpu`` / ``tf.contrib.tpu`` (rewrite, shard, replicate, the
system ops): each raises a NotImplementedError naming tfcompat, which has no TPU."""


def _needs_tpu(name):
    def needs_tpu(*args, **kwargs):
        raise NotImplementedError(f"tf.tpu.{name} compiles for a TPU; tfcompat has no "
                                  f"TPU (run TPUEstimator with use_tpu=False instead)")
    needs_tpu.__name__ = name
    needs_tpu.__doc__ = f"``tf.tpu.{name}``: needs a TPU, raises NotImplementedError."
    return needs_tpu


rewrite = _needs_tpu("rewrite")
shard = _needs_tpu("shard")
batch_parallel = _needs_tpu("batch_parallel")
replicate = _needs_tpu("replicate")
outside_compilation = _needs_tpu("outside_compilation")
initialize_system = _needs_tpu("initialize_system")
shutdown_system = _needs_tpu("shutdown_system")
cross_replica_sum = _needs_tpu("cross_replica_sum")
