"""``tf.contrib.tpu.CrossShardOptimizer`` (TF 1.15): wraps an optimizer so each TPU shard's
gradients are summed across shards. Outside a TPU shard context, as here, TF assumes one shard
(a warning) so ``compute_gradients`` is the wrapped optimizer's; ``apply_gradients`` would need
the TPU-only CrossReplicaSum op, which tfcompat cannot run: it raises a NotImplementedError."""
from tfcompat import logging
from tfcompat.losses.losses_impl import Reduction
from tfcompat.train.optimizer import Optimizer


class CrossShardOptimizer(Optimizer):
    """``CrossShardOptimizer(opt, reduction=tf.losses.Reduction.MEAN,
    name="CrossShardOptimizer", group_assignment=None)``."""

    def __init__(self, opt, reduction=Reduction.MEAN, name="CrossShardOptimizer",
                 group_assignment=None):
        if reduction not in (Reduction.SUM, Reduction.MEAN):
            raise ValueError(f"Unsupported reduction: {reduction}.")
        super().__init__(False, name)
        self._opt = opt
        self._reduction = reduction
        self._group_assignment = group_assignment

    def compute_gradients(self, loss, var_list=None, **kwargs):
        """The wrapped optimizer's gradients (one shard: a MEAN reduction divides by 1)."""
        logging.warning("CrossShardOptimizer should be used within a tpu_shard_context, but "
                        "got unset number_of_shards. Assuming 1.")
        return self._opt.compute_gradients(loss, var_list=var_list, **kwargs)

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        """Needs the TPU's cross-replica sum: raises NotImplementedError."""
        raise NotImplementedError(
            "CrossShardOptimizer.apply_gradients sums gradients across TPU shards with the "
            "CrossReplicaSum op, which runs on a TPU only; tfcompat has no TPU. Use the "
            "wrapped optimizer directly (as BERT does when use_tpu=False).")

    def get_slot(self, *args, **kwargs):
        return self._opt.get_slot(*args, **kwargs)

    def get_slot_names(self, *args, **kwargs):
        return self._opt.get_slot_names(*args, **kwargs)

    def variables(self):
        return self._opt.variables()
