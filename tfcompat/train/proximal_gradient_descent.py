"""``tf.train.ProximalGradientDescentOptimizer``: FOBOS with l1/l2 regularisation as TF
1.x's ApplyProximalGradientDescent; no slots."""
from tfcompat.framework import ops
from tfcompat.ops import math_ops, sparse_training_ops, training_ops
from tfcompat.train import optimizer


class ProximalGradientDescentOptimizer(optimizer.Optimizer):
    """``ProximalGradientDescentOptimizer(learning_rate, l1_regularization_strength=0.0,
    l2_regularization_strength=0.0, use_locking=False, name="ProximalGradientDescent")``."""

    def __init__(self, learning_rate, l1_regularization_strength=0.0,
                 l2_regularization_strength=0.0, use_locking=False,
                 name="ProximalGradientDescent"):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._l1_regularization_strength = l1_regularization_strength
        self._l2_regularization_strength = l2_regularization_strength
        self._learning_rate_tensor = None
        self._l1_regularization_strength_tensor = None
        self._l2_regularization_strength_tensor = None

    def _prepare(self):
        self._learning_rate_tensor = ops.convert_to_tensor(self._learning_rate,
                                                           name="learning_rate")
        self._l1_regularization_strength_tensor = ops.convert_to_tensor(
            self._l1_regularization_strength, name="l1_regularization_strength")
        self._l2_regularization_strength_tensor = ops.convert_to_tensor(
            self._l2_regularization_strength, name="l2_regularization_strength")

    def _apply_dense(self, grad, var):
        dtype = var.dtype.base_dtype
        return training_ops.apply_proximal_gradient_descent(
            var, math_ops.cast(self._learning_rate_tensor, dtype),
            math_ops.cast(self._l1_regularization_strength_tensor, dtype),
            math_ops.cast(self._l2_regularization_strength_tensor, dtype), grad,
            use_locking=self._use_locking).op

    def _apply_sparse(self, grad, var):
        """SparseApplyProximalGradientDescent: only the rows of grad.indices change."""
        dtype = var.dtype.base_dtype
        return sparse_training_ops.sparse_apply(
            "SparseApplyProximalGradientDescent", [var],
            [math_ops.cast(t, dtype) for t in (self._learning_rate_tensor,
                                               self._l1_regularization_strength_tensor,
                                               self._l2_regularization_strength_tensor)],
            grad.values, grad.indices, use_locking=self._use_locking).op
