"""``tf.train.AdadeltaOptimizer`` (Zeiler, 2012) as TF 1.x's ApplyAdadelta, with slots
"accum" (``<var>/Adadelta``) and "accum_update" (``<var>/Adadelta_1``)."""
from tfcompat.framework import ops
from tfcompat.ops import math_ops, sparse_training_ops, training_ops
from tfcompat.train import optimizer


class AdadeltaOptimizer(optimizer.Optimizer):
    """``AdadeltaOptimizer(learning_rate=0.001, rho=0.95, epsilon=1e-08, use_locking=False,
    name="Adadelta")``."""

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-8, use_locking=False,
                 name="Adadelta"):
        super().__init__(use_locking, name)
        self._lr = learning_rate
        self._rho = rho
        self._epsilon = epsilon
        self._lr_t = None
        self._rho_t = None
        self._epsilon_t = None

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "accum", self._name)
            self._zeros_slot(v, "accum_update", self._name)

    def _prepare(self):
        lr = self._call_if_callable(self._lr)
        rho = self._call_if_callable(self._rho)
        epsilon = self._call_if_callable(self._epsilon)
        self._lr_t = ops.convert_to_tensor(lr, name="lr")
        self._rho_t = ops.convert_to_tensor(rho, name="rho")
        self._epsilon_t = ops.convert_to_tensor(epsilon, name="epsilon")

    def _apply_dense(self, grad, var):
        dtype = var.dtype.base_dtype
        return training_ops.apply_adadelta(
            var, self.get_slot(var, "accum"), self.get_slot(var, "accum_update"),
            math_ops.cast(self._lr_t, dtype), math_ops.cast(self._rho_t, dtype),
            math_ops.cast(self._epsilon_t, dtype), grad, use_locking=self._use_locking).op

    def _apply_sparse(self, grad, var):
        """SparseApplyAdadelta: only the rows of grad.indices change."""
        dtype = var.dtype.base_dtype
        return sparse_training_ops.sparse_apply(
            "SparseApplyAdadelta",
            [var, self.get_slot(var, "accum"), self.get_slot(var, "accum_update")],
            [math_ops.cast(t, dtype) for t in (self._lr_t, self._rho_t, self._epsilon_t)],
            grad.values, grad.indices, use_locking=self._use_locking).op
