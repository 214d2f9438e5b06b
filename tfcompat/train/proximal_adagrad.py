"""``tf.train.ProximalAdagradOptimizer``: FOBOS with Adagrad's per-coordinate rate
(ApplyProximalAdagrad): accum += grad²; rate = lr / sqrt(accum); var = prox(var - rate grad)
with l1 shrinkage and l2 scaling. One slot, ``<var>/ProximalAdagrad`` ("accumulator"),
starting at ``initial_accumulator_value``."""
from tfcompat.framework import ops
from tfcompat.ops import array_ops, sparse_training_ops, training_ops
from tfcompat.train import optimizer


class ProximalAdagradOptimizer(optimizer.Optimizer):
    """``ProximalAdagradOptimizer(learning_rate, initial_accumulator_value=0.1,
    l1_regularization_strength=0.0, l2_regularization_strength=0.0, use_locking=False,
    name="ProximalAdagrad")``; as TF, the hyperparameters are not cast to the variable's
    dtype."""

    def __init__(self, learning_rate, initial_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 use_locking=False, name="ProximalAdagrad"):
        if initial_accumulator_value <= 0.0:
            raise ValueError("initial_accumulator_value must be positive: %s"
                             % initial_accumulator_value)
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._initial_accumulator_value = initial_accumulator_value
        self._l1_regularization_strength = l1_regularization_strength
        self._l2_regularization_strength = l2_regularization_strength
        self._learning_rate_tensor = None
        self._l1_regularization_strength_tensor = None
        self._l2_regularization_strength_tensor = None

    def _create_slots(self, var_list):
        for v in var_list:
            value = array_ops.constant(self._initial_accumulator_value,
                                       shape=v.get_shape().as_list(), dtype=v.dtype.base_dtype)
            self._get_or_make_slot(v, value, "accumulator", self._name)

    def _prepare(self):
        self._learning_rate_tensor = ops.convert_to_tensor(self._learning_rate,
                                                           name="learning_rate")
        self._l1_regularization_strength_tensor = ops.convert_to_tensor(
            self._l1_regularization_strength, name="l1_regularization_strength")
        self._l2_regularization_strength_tensor = ops.convert_to_tensor(
            self._l2_regularization_strength, name="l2_regularization_strength")

    def _hyperparameters(self):
        return [self._learning_rate_tensor, self._l1_regularization_strength_tensor,
                self._l2_regularization_strength_tensor]

    def _apply_dense(self, grad, var):
        return training_ops.apply_proximal_adagrad(
            var, self.get_slot(var, "accumulator"), *self._hyperparameters(), grad,
            use_locking=self._use_locking).op

    def _apply_sparse(self, grad, var):
        return sparse_training_ops.sparse_apply(
            "SparseApplyProximalAdagrad", [var, self.get_slot(var, "accumulator")],
            self._hyperparameters(), grad.values, grad.indices,
            use_locking=self._use_locking).op
