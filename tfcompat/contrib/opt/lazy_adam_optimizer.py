"""``tf.contrib.opt.LazyAdamOptimizer``: Adam whose sparse updates touch only the looked-up
rows (TF 1.15 ``lazy_adam_optimizer.py``).

Dense gradients take Adam's ApplyAdam. For IndexedSlices (duplicate indices summed first)
only the given rows of m, v and the variable change:
m[i] = beta1 m[i] + (1 - beta1) g; v[i] = beta2 v[i] + (1 - beta2) g²;
var[i] -= lr sqrt(1 - beta2^t) / (1 - beta1^t) * m[i] / (sqrt(v[i]) + epsilon).
Slots are Adam's ("m", "v": ``<var>/LazyAdam``, ``<var>/LazyAdam_1``).
"""
from tfcompat.ops import array_ops, control_flow_ops, math_ops, scatter_ops
from tfcompat.train.adam import AdamOptimizer


class LazyAdamOptimizer(AdamOptimizer):
    """``LazyAdamOptimizer(learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-08,
    use_locking=False, name="LazyAdam")``."""

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 use_locking=False, name="LazyAdam"):
        super().__init__(learning_rate, beta1, beta2, epsilon, use_locking, name)

    def _apply_sparse(self, grad, var):
        lr, beta1_t, beta2_t, epsilon_t = self._sparse_coefficients(var)
        indices = grad.indices
        m, v = self.get_slot(var, "m"), self.get_slot(var, "v")
        m_t = scatter_ops.scatter_update(
            m, indices, beta1_t * array_ops.gather(m, indices) + (1 - beta1_t) * grad.values,
            use_locking=self._use_locking)
        v_t = scatter_ops.scatter_update(
            v, indices, beta2_t * array_ops.gather(v, indices)
            + (1 - beta2_t) * math_ops.square(grad.values), use_locking=self._use_locking)
        m_t_slice = array_ops.gather(m_t, indices)
        v_t_slice = array_ops.gather(v_t, indices)
        denominator_slice = math_ops.sqrt(v_t_slice) + epsilon_t
        var_update = scatter_ops.scatter_sub(var, indices, lr * m_t_slice / denominator_slice,
                                             use_locking=self._use_locking)
        return control_flow_ops.group(var_update, m_t, v_t)
