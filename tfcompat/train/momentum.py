"""``tf.train.MomentumOptimizer``: accum = momentum * accum + grad; var -= lr * accum (or,
with ``use_nesterov``, var -= lr * grad + lr * momentum * accum), one "momentum" slot per
variable named ``<var>/Momentum`` (ApplyMomentum)."""
from tfcompat.framework import ops
from tfcompat.ops import math_ops, sparse_training_ops, training_ops
from tfcompat.train import optimizer


class MomentumOptimizer(optimizer.Optimizer):
    """``MomentumOptimizer(learning_rate, momentum, use_locking=False, name="Momentum",
    use_nesterov=False)``."""

    def __init__(self, learning_rate, momentum, use_locking=False, name="Momentum",
                 use_nesterov=False):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._momentum = momentum
        self._use_nesterov = use_nesterov
        self._learning_rate_tensor = None
        self._momentum_tensor = None

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "momentum", self._name)

    def _prepare(self):
        learning_rate = self._call_if_callable(self._learning_rate)
        momentum = self._call_if_callable(self._momentum)
        self._learning_rate_tensor = ops.convert_to_tensor(learning_rate, name="learning_rate")
        self._momentum_tensor = ops.convert_to_tensor(momentum, name="momentum")

    def _apply_dense(self, grad, var):
        dtype = var.dtype.base_dtype
        return training_ops.apply_momentum(
            var, self.get_slot(var, "momentum"),
            math_ops.cast(self._learning_rate_tensor, dtype), grad,
            math_ops.cast(self._momentum_tensor, dtype),
            use_locking=self._use_locking, use_nesterov=self._use_nesterov).op

    def _apply_sparse(self, grad, var):
        dtype = var.dtype.base_dtype
        return sparse_training_ops.sparse_apply_momentum(
            var, self.get_slot(var, "momentum"),
            math_ops.cast(self._learning_rate_tensor, dtype), grad.values, grad.indices,
            math_ops.cast(self._momentum_tensor, dtype),
            use_locking=self._use_locking, use_nesterov=self._use_nesterov).op
