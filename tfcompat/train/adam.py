"""``tf.train.AdamOptimizer`` (Kingma & Ba), as TF 1.x's ApplyAdam:
lr_t = lr sqrt(1 - beta2^t) / (1 - beta1^t); m = beta1 m + (1 - beta1) g;
v = beta2 v + (1 - beta2) g²; var -= lr_t m / (sqrt(v) + epsilon).

Slots "m" (``<var>/Adam``) and "v" (``<var>/Adam_1``); the beta powers are two non-slot
variables ``beta1_power``/``beta2_power`` (created in the caller's name scope, e.g.
"train/beta1_power", initialised to beta1/beta2 and multiplied by them after each step)."""
from tfcompat.framework import ops
from tfcompat.ops import control_flow_ops, math_ops, scatter_ops, state_ops, training_ops
from tfcompat.train import optimizer


class AdamOptimizer(optimizer.Optimizer):
    """``AdamOptimizer(learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-08,
    use_locking=False, name="Adam")``."""

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 use_locking=False, name="Adam"):
        super().__init__(use_locking, name)
        self._lr = learning_rate
        self._beta1 = beta1
        self._beta2 = beta2
        self._epsilon = epsilon
        self._lr_t = None
        self._beta1_t = None
        self._beta2_t = None
        self._epsilon_t = None

    def _get_beta_accumulators(self):
        graph = ops.get_default_graph()
        return (self._get_non_slot_variable("beta1_power", graph=graph),
                self._get_non_slot_variable("beta2_power", graph=graph))

    def _create_slots(self, var_list):
        # The beta powers live beside the first variable by name (TF: same device/PS).
        first_var = min(var_list, key=lambda x: x.name)
        self._create_non_slot_variable(initial_value=self._beta1, name="beta1_power",
                                       colocate_with=first_var)
        self._create_non_slot_variable(initial_value=self._beta2, name="beta2_power",
                                       colocate_with=first_var)
        for v in var_list:
            self._zeros_slot(v, "m", self._name)
            self._zeros_slot(v, "v", self._name)

    def _prepare(self):
        lr = self._call_if_callable(self._lr)
        beta1 = self._call_if_callable(self._beta1)
        beta2 = self._call_if_callable(self._beta2)
        epsilon = self._call_if_callable(self._epsilon)
        self._lr_t = ops.convert_to_tensor(lr, name="learning_rate")
        self._beta1_t = ops.convert_to_tensor(beta1, name="beta1")
        self._beta2_t = ops.convert_to_tensor(beta2, name="beta2")
        self._epsilon_t = ops.convert_to_tensor(epsilon, name="epsilon")

    def _apply_dense(self, grad, var):
        return self._apply_adam(grad, var)

    def _apply_adam(self, grad, var, use_nesterov=False):
        """The ApplyAdam op of a dense gradient (also NadamOptimizer's, with Nesterov)."""
        dtype = var.dtype.base_dtype
        beta1_power, beta2_power = self._get_beta_accumulators()
        return training_ops.apply_adam(
            var, self.get_slot(var, "m"), self.get_slot(var, "v"),
            math_ops.cast(beta1_power, dtype), math_ops.cast(beta2_power, dtype),
            math_ops.cast(self._lr_t, dtype), math_ops.cast(self._beta1_t, dtype),
            math_ops.cast(self._beta2_t, dtype), math_ops.cast(self._epsilon_t, dtype),
            grad, use_locking=self._use_locking, use_nesterov=use_nesterov).op

    def _sparse_coefficients(self, var):
        """(bias-corrected rate lr_t sqrt(1 - beta2^t) / (1 - beta1^t), beta1, beta2,
        epsilon) in ``var``'s dtype, for the sparse updates of Adam and its variants."""
        dtype = var.dtype.base_dtype
        beta1_power, beta2_power = (math_ops.cast(p, dtype)
                                    for p in self._get_beta_accumulators())
        lr_t, beta1_t, beta2_t, epsilon_t = (math_ops.cast(t, dtype) for t in (
            self._lr_t, self._beta1_t, self._beta2_t, self._epsilon_t))
        return (lr_t * math_ops.sqrt(1 - beta2_power) / (1 - beta1_power), beta1_t, beta2_t,
                epsilon_t)

    def _apply_sparse(self, grad, var):
        """TF 1.x's ``_apply_sparse_shared``: m and v decay everywhere (Assign), the
        gradient rows are added with ScatterAdd, and var -= lr_t m / (sqrt(v) + epsilon)."""
        lr, beta1_t, beta2_t, epsilon_t = self._sparse_coefficients(var)
        m, v = self.get_slot(var, "m"), self.get_slot(var, "v")
        m_t = state_ops.assign(m, m * beta1_t, use_locking=self._use_locking)
        with ops.control_dependencies([m_t]):
            m_t = scatter_ops.scatter_add(m, grad.indices, grad.values * (1 - beta1_t),
                                          use_locking=self._use_locking)
        v_t = state_ops.assign(v, v * beta2_t, use_locking=self._use_locking)
        with ops.control_dependencies([v_t]):
            v_t = scatter_ops.scatter_add(v, grad.indices,
                                          (grad.values * grad.values) * (1 - beta2_t),
                                          use_locking=self._use_locking)
        var_update = state_ops.assign_sub(var, lr * m_t / (math_ops.sqrt(v_t) + epsilon_t),
                                          use_locking=self._use_locking)
        return control_flow_ops.group(var_update, m_t, v_t)

    def _finish(self, update_ops, name_scope):
        # The beta powers advance once per step, after every variable used them.
        with ops.control_dependencies(update_ops):
            beta1_power, beta2_power = self._get_beta_accumulators()
            with ops.colocate_with(beta1_power):
                update_beta1 = beta1_power.assign(beta1_power * self._beta1_t,
                                                  use_locking=self._use_locking)
                update_beta2 = beta2_power.assign(beta2_power * self._beta2_t,
                                                  use_locking=self._use_locking)
        return control_flow_ops.group(*update_ops + [update_beta1, update_beta2],
                                      name=name_scope)
