"""``tf.contrib.opt.NadamOptimizer``: Adam with Nesterov momentum (Dozat, 2015), as TF 1.15.

Dense gradients take ApplyAdam with ``use_nesterov=True``: var -= lr_t (beta1 m_t +
(1 - beta1) g) / (sqrt(v_t) + epsilon). IndexedSlices decay all of m and v, add the rows'
contributions, and update the given rows of the variable with the same m_bar.
"""
from tfcompat.framework import ops
from tfcompat.ops import array_ops, control_flow_ops, math_ops, scatter_ops, state_ops
from tfcompat.train.adam import AdamOptimizer


class NadamOptimizer(AdamOptimizer):
    """``NadamOptimizer(learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-08,
    use_locking=False, name="Adam")`` (TF keeps Adam's name and slots)."""

    def _apply_dense(self, grad, var):
        return self._apply_adam(grad, var, use_nesterov=True)

    def _apply_sparse(self, grad, var):
        lr, beta1_t, beta2_t, epsilon_t = self._sparse_coefficients(var)
        indices, values = grad.indices, grad.values
        m, v = self.get_slot(var, "m"), self.get_slot(var, "v")
        m_scaled_values = values * (1 - beta1_t)
        m_t = state_ops.assign(m, m * beta1_t, use_locking=self._use_locking)
        with ops.control_dependencies([m_t]):
            m_t = scatter_ops.scatter_add(m, indices, m_scaled_values,
                                          use_locking=self._use_locking)
            m_bar = m_scaled_values + beta1_t * array_ops.gather(m_t, indices)
        v_scaled_values = (values * values) * (1 - beta2_t)
        v_t = state_ops.assign(v, v * beta2_t, use_locking=self._use_locking)
        with ops.control_dependencies([v_t]):
            v_t = scatter_ops.scatter_add(v, indices, v_scaled_values,
                                          use_locking=self._use_locking)
        v_sqrt = math_ops.sqrt(array_ops.gather(v_t, indices))
        var_update = scatter_ops.scatter_add(var, indices, -lr * m_bar / (v_sqrt + epsilon_t),
                                             use_locking=self._use_locking)
        return control_flow_ops.group(var_update, m_bar, v_t)
