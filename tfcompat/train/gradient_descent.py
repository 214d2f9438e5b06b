"""``tf.train.GradientDescentOptimizer``: var -= learning_rate * grad (ApplyGradientDescent)."""
from tfcompat.framework import ops
from tfcompat.ops import math_ops, scatter_ops, training_ops
from tfcompat.train import optimizer


class GradientDescentOptimizer(optimizer.Optimizer):
    """``GradientDescentOptimizer(learning_rate, use_locking=False, name="GradientDescent")``;
    ``learning_rate`` may be a float, a tensor (a schedule) or a callable returning one."""

    def __init__(self, learning_rate, use_locking=False, name="GradientDescent"):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._learning_rate_tensor = None

    def _prepare(self):
        learning_rate = self._call_if_callable(self._learning_rate)
        self._learning_rate_tensor = ops.convert_to_tensor(learning_rate, name="learning_rate")

    def _apply_dense(self, grad, var):
        return training_ops.apply_gradient_descent(
            var, math_ops.cast(self._learning_rate_tensor, var.dtype.base_dtype), grad,
            use_locking=self._use_locking).op

    def _apply_sparse_duplicate_indices(self, grad, var):
        """TF's sparse step: ScatterSub of lr * grad.values at grad.indices (repeated
        indices subtract twice)."""
        lr = math_ops.cast(self._learning_rate_tensor, var.dtype.base_dtype)
        return scatter_ops.scatter_sub(var, grad.indices, grad.values * lr,
                                       use_locking=self._use_locking).op
