"""``tf.train.AdagradOptimizer``: accum += grad²; var -= lr * grad / sqrt(accum), with the
"accumulator" slot ``<var>/Adagrad`` starting at ``initial_accumulator_value``
(ApplyAdagrad)."""
from tfcompat.framework import ops
from tfcompat.ops import init_ops
from tfcompat.ops import array_ops, math_ops, training_ops
from tfcompat.train import optimizer


class AdagradOptimizer(optimizer.Optimizer):
    """``AdagradOptimizer(learning_rate, initial_accumulator_value=0.1, use_locking=False,
    name="Adagrad")``."""

    def __init__(self, learning_rate, initial_accumulator_value=0.1, use_locking=False,
                 name="Adagrad"):
        if initial_accumulator_value <= 0.0:
            raise ValueError("initial_accumulator_value must be positive: %s"
                             % initial_accumulator_value)
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._initial_accumulator_value = initial_accumulator_value
        self._learning_rate_tensor = None

    def _create_slots(self, var_list):
        for v in var_list:
            dtype = v.dtype.base_dtype
            if v.get_shape().is_fully_defined():
                init = init_ops.constant_initializer(self._initial_accumulator_value,
                                                     dtype=dtype)
            else:
                init = array_ops.ones_like(v.value()) * self._initial_accumulator_value
            self._get_or_make_slot_with_initializer(v, init, v.get_shape(), dtype,
                                                    "accumulator", self._name)

    def _prepare(self):
        learning_rate = self._call_if_callable(self._learning_rate)
        self._learning_rate_tensor = ops.convert_to_tensor(learning_rate, name="learning_rate")

    def _apply_dense(self, grad, var):
        return training_ops.apply_adagrad(
            var, self.get_slot(var, "accumulator"),
            math_ops.cast(self._learning_rate_tensor, var.dtype.base_dtype), grad,
            use_locking=self._use_locking).op
