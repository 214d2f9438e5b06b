"""``tf.contrib.opt.AdaMaxOptimizer`` (Kingma & Ba's infinity-norm Adam, TF 1.15
``adamax.py``): slots "m" and "v" (``<var>/AdaMax``, ``<var>/AdaMax_1``) and one non-slot
``beta1_power``. Dense gradients take ApplyAdaMax; IndexedSlices update only their rows:
m[i] = beta1 m[i] + (1 - beta1) g; v[i] = max(beta2 v[i], |g|);
var[i] -= lr / (1 - beta1_power) * m[i] / (v[i] + epsilon).
"""
from tfcompat.framework import ops
from tfcompat.ops import array_ops, contrib_training_ops, control_flow_ops, math_ops
from tfcompat.ops import scatter_ops
from tfcompat.train.adam import AdamOptimizer


class AdaMaxOptimizer(AdamOptimizer):
    """``AdaMaxOptimizer(learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-08,
    use_locking=False, name="AdaMax")``."""

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 use_locking=False, name="AdaMax"):
        super().__init__(learning_rate, beta1, beta2, epsilon, use_locking, name)

    def _get_beta_accumulators(self):
        return self._get_non_slot_variable("beta1_power", graph=ops.get_default_graph())

    def _create_slots(self, var_list):
        first_var = min(var_list, key=lambda x: x.name)
        self._create_non_slot_variable(initial_value=self._beta1, name="beta1_power",
                                       colocate_with=first_var)
        for v in var_list:
            self._zeros_slot(v, "m", self._name)
            self._zeros_slot(v, "v", self._name)

    def _cast_hyperparameters(self, var):
        dtype = var.dtype.base_dtype
        return (math_ops.cast(t, dtype) for t in (
            self._get_beta_accumulators(), self._lr_t, self._beta1_t, self._beta2_t,
            self._epsilon_t))

    def _apply_dense(self, grad, var):
        beta1_power, lr, beta1, beta2, epsilon = self._cast_hyperparameters(var)
        return contrib_training_ops.apply_ada_max(
            var, self.get_slot(var, "m"), self.get_slot(var, "v"), beta1_power, lr, beta1,
            beta2, epsilon, grad, use_locking=self._use_locking).op

    def _apply_sparse(self, grad, var):
        beta1_power, lr_t, beta1_t, beta2_t, epsilon_t = self._cast_hyperparameters(var)
        indices, values = grad.indices, grad.values
        m, v = self.get_slot(var, "m"), self.get_slot(var, "v")
        m_t_slice = array_ops.gather(m, indices) * beta1_t + values * (1 - beta1_t)
        with ops.control_dependencies([m_t_slice]):
            m_t = scatter_ops.scatter_update(m, indices, m_t_slice,
                                             use_locking=self._use_locking)
        v_t_slice = math_ops.maximum(array_ops.gather(v, indices) * beta2_t,
                                     math_ops.abs(values))
        with ops.control_dependencies([v_t_slice]):
            v_t = scatter_ops.scatter_update(v, indices, v_t_slice,
                                             use_locking=self._use_locking)
        var_slice = -lr_t / (1 - beta1_power) * (m_t_slice / (v_t_slice + epsilon_t))
        with ops.control_dependencies([var_slice]):
            var_update = scatter_ops.scatter_add(var, indices, var_slice,
                                                 use_locking=self._use_locking)
        return control_flow_ops.group(var_update, m_t, v_t)

    def _finish(self, update_ops, name_scope):
        with ops.control_dependencies(update_ops):
            beta1_power = self._get_beta_accumulators()
            with ops.colocate_with(beta1_power):
                update_beta1 = beta1_power.assign(beta1_power * self._beta1_t,
                                                  use_locking=self._use_locking)
        return control_flow_ops.group(*update_ops + [update_beta1], name=name_scope)
