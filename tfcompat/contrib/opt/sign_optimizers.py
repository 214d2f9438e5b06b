"""``tf.contrib.opt.AddSignOptimizer`` and ``PowerSignOptimizer`` (Bello et al., 2017, TF 1.15
``addsign.py``/``powersign.py``): one "m" slot (``<var>/<name>``); the gradient is scaled by
how its sign agrees with the momentum's (ApplyAddSign / ApplyPowerSign, whose formulas the
sparse path repeats on the gradient's rows after decaying all of m).

``sign_decay_fn(global_step)`` gives the sign_decay tensor (default 1.0).
"""
import math

from tfcompat.framework import ops
from tfcompat.ops import array_ops, control_flow_ops, math_ops, scatter_ops, state_ops
from tfcompat.ops import contrib_training_ops
from tfcompat.train.optimizer import Optimizer


class _SignOptimizer(Optimizer):
    """The shared part: slots, sign_decay, and the sparse update given the scale formula."""

    def __init__(self, learning_rate, beta, sign_decay_fn, use_locking, name):
        super().__init__(use_locking, name)
        self._lr = learning_rate
        self._beta = beta
        self._sign_decay_fn = sign_decay_fn
        self._lr_t = None
        self._beta_t = None
        self._sign_decay_t = None

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        if self._sign_decay_fn is not None:
            self._sign_decay_t = ops.convert_to_tensor(self._sign_decay_fn(global_step),
                                                       name="sign_decay")
        return super().apply_gradients(grads_and_vars, global_step=global_step, name=name)

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "m", self._name)

    def _prepare(self):
        self._lr_t = ops.convert_to_tensor(self._lr, name="learning_rate")
        self._beta_t = ops.convert_to_tensor(self._beta, name="beta")
        if self._sign_decay_fn is None:
            self._sign_decay_t = ops.convert_to_tensor(1.0, name="sign_decay")

    def _cast(self, tensor, var):
        return math_ops.cast(tensor, var.dtype.base_dtype)

    def _scale(self, sign_agreement, var):
        raise NotImplementedError

    def _apply_sparse(self, grad, var):
        beta_t = self._cast(self._beta_t, var)
        m = self.get_slot(var, "m")
        dense_grad = ops.convert_to_tensor(grad)
        m_t = state_ops.assign(m, m * beta_t + dense_grad * (1 - beta_t),
                               use_locking=self._use_locking)
        sign_agreement = (array_ops.gather(math_ops.sign(m_t), grad.indices)
                          * math_ops.sign(grad.values))
        scale = self._scale(self._cast(self._sign_decay_t, var) * sign_agreement, var)
        var_update = scatter_ops.scatter_sub(
            var, grad.indices, self._cast(self._lr_t, var) * scale * grad.values,
            use_locking=self._use_locking)
        return control_flow_ops.group(var_update, m_t)


class AddSignOptimizer(_SignOptimizer):
    """``AddSignOptimizer(learning_rate=0.1, alpha=1.0, beta=0.9, sign_decay_fn=None,
    use_locking=False, name="AddSignOptimizer")``: var -= lr (alpha + sign_decay sign(g)
    sign(m)) g."""

    def __init__(self, learning_rate=0.1, alpha=1.0, beta=0.9, sign_decay_fn=None,
                 use_locking=False, name="AddSignOptimizer"):
        super().__init__(learning_rate, beta, sign_decay_fn, use_locking, name)
        self._alpha = alpha
        self._alpha_t = None

    def _prepare(self):
        super()._prepare()
        self._alpha_t = ops.convert_to_tensor(self._alpha, name="alpha")

    def _apply_dense(self, grad, var):
        return contrib_training_ops.apply_add_sign(
            var, self.get_slot(var, "m"), self._cast(self._lr_t, var),
            self._cast(self._alpha_t, var), self._cast(self._sign_decay_t, var),
            self._cast(self._beta_t, var), grad, use_locking=self._use_locking).op

    def _scale(self, sign_agreement, var):
        return self._cast(self._alpha_t, var) + sign_agreement


class PowerSignOptimizer(_SignOptimizer):
    """``PowerSignOptimizer(learning_rate=0.1, base=math.e, beta=0.9, sign_decay_fn=None,
    use_locking=False, name="PowerSignOptimizer")``: var -= lr exp(log(base) sign_decay
    sign(g) sign(m)) g."""

    def __init__(self, learning_rate=0.1, base=math.e, beta=0.9, sign_decay_fn=None,
                 use_locking=False, name="PowerSignOptimizer"):
        super().__init__(learning_rate, beta, sign_decay_fn, use_locking, name)
        self._logbase = math.log(base)
        self._logbase_t = None

    def _prepare(self):
        super()._prepare()
        self._logbase_t = ops.convert_to_tensor(self._logbase, name="logbase")

    def _apply_dense(self, grad, var):
        return contrib_training_ops.apply_power_sign(
            var, self.get_slot(var, "m"), self._cast(self._lr_t, var),
            self._cast(self._logbase_t, var), self._cast(self._sign_decay_t, var),
            self._cast(self._beta_t, var), grad, use_locking=self._use_locking).op

    def _scale(self, sign_agreement, var):
        return math_ops.exp(self._cast(self._logbase_t, var) * sign_agreement)
