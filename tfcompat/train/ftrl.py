"""``tf.train.FtrlOptimizer``: FTRL-Proximal (McMahan et al., 2013) as TF 1.x's ApplyFtrl,
or ApplyFtrlV2 when ``l2_shrinkage_regularization_strength`` > 0. Slots "accum"
(``<var>/Ftrl``, starting at ``initial_accumulator_value``) and "linear" (``<var>/Ftrl_1``)."""
from tfcompat.framework import ops
from tfcompat.ops import array_ops, math_ops, sparse_training_ops, training_ops
from tfcompat.train import optimizer


class FtrlOptimizer(optimizer.Optimizer):
    """``FtrlOptimizer(learning_rate, learning_rate_power=-0.5, initial_accumulator_value=0.1,
    l1_regularization_strength=0.0, l2_regularization_strength=0.0, use_locking=False,
    name="Ftrl", accum_name=None, linear_name=None, l2_shrinkage_regularization_strength=0.0)``.
    """

    def __init__(self, learning_rate, learning_rate_power=-0.5, initial_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 use_locking=False, name="Ftrl", accum_name=None, linear_name=None,
                 l2_shrinkage_regularization_strength=0.0):
        super().__init__(use_locking, name)
        if initial_accumulator_value < 0.0:
            raise ValueError("initial_accumulator_value %f needs to be positive or zero"
                             % initial_accumulator_value)
        if learning_rate_power > 0.0:
            raise ValueError("learning_rate_power %f needs to be negative or zero"
                             % learning_rate_power)
        if l1_regularization_strength < 0.0:
            raise ValueError("l1_regularization_strength %f needs to be positive or zero"
                             % l1_regularization_strength)
        if l2_regularization_strength < 0.0:
            raise ValueError("l2_regularization_strength %f needs to be positive or zero"
                             % l2_regularization_strength)
        if l2_shrinkage_regularization_strength < 0.0:
            raise ValueError("l2_shrinkage_regularization_strength %f needs to be positive or "
                             "zero" % l2_shrinkage_regularization_strength)
        self._learning_rate = learning_rate
        self._learning_rate_power = learning_rate_power
        self._initial_accumulator_value = initial_accumulator_value
        self._l1_regularization_strength = l1_regularization_strength
        self._l2_regularization_strength = l2_regularization_strength
        self._l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self._accum_name = accum_name
        self._linear_name = linear_name
        self._learning_rate_tensor = None
        self._learning_rate_power_tensor = None
        self._l1_regularization_strength_tensor = None
        self._l2_regularization_strength_tensor = None
        self._l2_shrinkage_regularization_strength_tensor = None

    def _create_slots(self, var_list):
        for v in var_list:
            with ops.colocate_with(v):
                val = array_ops.constant(self._initial_accumulator_value,
                                         dtype=v.dtype.base_dtype, shape=v.get_shape())
                self._get_or_make_slot(v, val, "accum", self._accum_name or self._name)
                self._zeros_slot(v, "linear", self._linear_name or self._name)

    def _prepare(self):
        self._learning_rate_tensor = ops.convert_to_tensor(self._learning_rate,
                                                           name="learning_rate")
        self._l1_regularization_strength_tensor = ops.convert_to_tensor(
            self._l1_regularization_strength, name="l1_regularization_strength")
        self._l2_regularization_strength_tensor = ops.convert_to_tensor(
            self._l2_regularization_strength, name="l2_regularization_strength")
        self._l2_shrinkage_regularization_strength_tensor = ops.convert_to_tensor(
            self._l2_shrinkage_regularization_strength,
            name="l2_shrinkage_regularization_strength")
        self._learning_rate_power_tensor = ops.convert_to_tensor(self._learning_rate_power,
                                                                 name="learning_rate_power")

    def _apply_dense(self, grad, var):
        dtype = var.dtype.base_dtype
        accum = self.get_slot(var, "accum")
        linear = self.get_slot(var, "linear")
        lr = math_ops.cast(self._learning_rate_tensor, dtype)
        l1 = math_ops.cast(self._l1_regularization_strength_tensor, dtype)
        l2 = math_ops.cast(self._l2_regularization_strength_tensor, dtype)
        lr_power = math_ops.cast(self._learning_rate_power_tensor, dtype)
        if self._l2_shrinkage_regularization_strength <= 0.0:
            return training_ops.apply_ftrl(var, accum, linear, grad, lr, l1, l2, lr_power,
                                           use_locking=self._use_locking)
        l2_shrinkage = math_ops.cast(self._l2_shrinkage_regularization_strength_tensor, dtype)
        return training_ops.apply_ftrl_v2(var, accum, linear, grad, lr, l1, l2, l2_shrinkage,
                                          lr_power, use_locking=self._use_locking)

    def _apply_sparse(self, grad, var):
        """SparseApplyFtrl(V2): only the rows of grad.indices change."""
        dtype = var.dtype.base_dtype
        refs = [var, self.get_slot(var, "accum"), self.get_slot(var, "linear")]
        lr, l1, l2, shrinkage, lr_power = (math_ops.cast(t, dtype) for t in (
            self._learning_rate_tensor, self._l1_regularization_strength_tensor,
            self._l2_regularization_strength_tensor,
            self._l2_shrinkage_regularization_strength_tensor,
            self._learning_rate_power_tensor))
        if self._l2_shrinkage_regularization_strength <= 0.0:
            return sparse_training_ops.sparse_apply(
                "SparseApplyFtrl", refs, [], grad.values, grad.indices,
                [lr, l1, l2, lr_power], use_locking=self._use_locking)
        return sparse_training_ops.sparse_apply(
            "SparseApplyFtrlV2", refs, [], grad.values, grad.indices,
            [lr, l1, l2, shrinkage, lr_power], use_locking=self._use_locking)
