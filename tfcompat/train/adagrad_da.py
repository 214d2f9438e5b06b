"""``tf.train.AdagradDAOptimizer``: Adagrad dual averaging for sparse linear models
(ApplyAdagradDA). Slots ``<var>/AdagradDA`` ("gradient_accumulator", zeros) and
``<var>/AdagradDA_1`` ("gradient_squared_accumulator", starting at
``initial_gradient_squared_accumulator_value``); the update uses ``global_step + 1``, read
when the step runs."""
from tfcompat.framework import ops
from tfcompat.ops import array_ops, math_ops, sparse_training_ops, training_ops
from tfcompat.train import optimizer


class AdagradDAOptimizer(optimizer.Optimizer):
    """``AdagradDAOptimizer(learning_rate, global_step,
    initial_gradient_squared_accumulator_value=0.1, l1_regularization_strength=0.0,
    l2_regularization_strength=0.0, use_locking=False, name="AdagradDA")``; ``global_step``
    is an int64 tensor (the global step variable) that the caller increments."""

    def __init__(self, learning_rate, global_step, initial_gradient_squared_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 use_locking=False, name="AdagradDA"):
        if initial_gradient_squared_accumulator_value <= 0.0:
            raise ValueError("initial_gradient_squared_accumulator_value must be positive: %s"
                             % initial_gradient_squared_accumulator_value)
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._initial_gradient_squared_accumulator_value = (
            initial_gradient_squared_accumulator_value)
        self._l1_regularization_strength = l1_regularization_strength
        self._l2_regularization_strength = l2_regularization_strength
        self._global_step = global_step
        self._learning_rate_tensor = None
        self._global_step_on_worker = None

    def _create_slots(self, var_list):
        for v in var_list:
            shape, dtype = v.get_shape().as_list(), v.dtype.base_dtype
            zeros = array_ops.constant(0.0, shape=shape, dtype=dtype)
            initial = array_ops.constant(self._initial_gradient_squared_accumulator_value,
                                         shape=shape, dtype=dtype)
            self._get_or_make_slot(v, zeros, "gradient_accumulator", self._name)
            self._get_or_make_slot(v, initial, "gradient_squared_accumulator", self._name)

    def _prepare(self):
        self._learning_rate_tensor = ops.convert_to_tensor(self._learning_rate,
                                                           name="learning_rate")
        self._global_step_on_worker = array_ops.identity(self._global_step) + 1

    def _hyperparameters(self, var):
        dtype = var.dtype.base_dtype
        return [math_ops.cast(value, dtype) for value in (
            self._learning_rate_tensor, self._l1_regularization_strength,
            self._l2_regularization_strength)]

    def _apply_dense(self, grad, var):
        return training_ops.apply_adagrad_da(
            var, self.get_slot(var, "gradient_accumulator"),
            self.get_slot(var, "gradient_squared_accumulator"), grad,
            *self._hyperparameters(var), array_ops.identity(self._global_step_on_worker),
            use_locking=self._use_locking).op

    def _apply_sparse(self, grad, var):
        return sparse_training_ops.sparse_apply_adagrad_da(
            var, self.get_slot(var, "gradient_accumulator"),
            self.get_slot(var, "gradient_squared_accumulator"), grad.values, grad.indices,
            *self._hyperparameters(var), array_ops.identity(self._global_step_on_worker),
            use_locking=self._use_locking).op
