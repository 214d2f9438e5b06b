"""Decoupled weight decay (Loshchilov & Hutter), TF 1.15 ``weight_decay_optimizers.py``:
``DecoupledWeightDecayExtension``, ``extend_with_decoupled_weight_decay``,
``AdamWOptimizer`` and ``MomentumWOptimizer``.

Before a variable's own update the variable decays, var -= weight_decay * var (dense) or
only the gradient's rows (IndexedSlices), for every variable or only those in
``decay_var_list`` given to ``minimize``/``apply_gradients``. The decay is not scaled by the
learning rate, as in TF. As in TF 1.15, ``minimize``'s ``decay_var_list`` has no effect:
``Optimizer.minimize`` calls ``apply_gradients`` without it, which resets the list, so every
variable decays; pass it to ``apply_gradients``.
"""
import inspect

from tfcompat.framework import ops
from tfcompat.ops import array_ops, control_flow_ops, math_ops, scatter_ops
from tfcompat.train.adam import AdamOptimizer
from tfcompat.train.momentum import MomentumOptimizer
from tfcompat.train.optimizer import Optimizer


class DecoupledWeightDecayExtension:
    """Mixin putting decoupled weight decay before the base optimizer's updates; it must
    come first among the bases: ``class MyW(DecoupledWeightDecayExtension, MyOptimizer)``."""

    def __init__(self, weight_decay, **kwargs):
        self._decay_var_list = None
        self._weight_decay = weight_decay
        self._weight_decay_tensor = None
        super().__init__(**kwargs)

    def minimize(self, loss, global_step=None, var_list=None,
                 gate_gradients=Optimizer.GATE_OP, aggregation_method=None,
                 colocate_gradients_with_ops=False, name=None, grad_loss=None,
                 decay_var_list=None):
        """``Optimizer.minimize``; ``decay_var_list`` limits the decay to those variables."""
        self._decay_var_list = set(decay_var_list) if decay_var_list else False
        return super().minimize(loss, global_step=global_step, var_list=var_list,
                                gate_gradients=gate_gradients,
                                aggregation_method=aggregation_method,
                                colocate_gradients_with_ops=colocate_gradients_with_ops,
                                name=name, grad_loss=grad_loss)

    def apply_gradients(self, grads_and_vars, global_step=None, name=None,
                        decay_var_list=None):
        """``Optimizer.apply_gradients``; ``decay_var_list`` limits the decay."""
        self._decay_var_list = set(decay_var_list) if decay_var_list else False
        return super().apply_gradients(grads_and_vars, global_step=global_step, name=name)

    def _prepare(self):
        weight_decay = self._call_if_callable(self._weight_decay)
        self._weight_decay_tensor = ops.convert_to_tensor(weight_decay, name="weight_decay")
        super()._prepare()

    def _decays(self, var):
        return not self._decay_var_list or var in self._decay_var_list

    def _decay_factor(self, var):
        """TF multiplies by the ``weight_decay`` given (a Python float takes the variable's
        dtype exactly); a callable's value comes through the prepared tensor."""
        if callable(self._weight_decay):
            return math_ops.cast(self._weight_decay_tensor, var.dtype.base_dtype)
        return self._weight_decay

    def _decay_weights_op(self, var):
        if not self._decays(var):
            return control_flow_ops.no_op()
        return var.assign_sub(self._decay_factor(var) * var, self._use_locking)

    def _decay_weights_sparse_op(self, var, indices):
        if not self._decays(var):
            return control_flow_ops.no_op()
        decay = self._decay_factor(var)
        return scatter_ops.scatter_add(var, indices, -decay * array_ops.gather(var, indices),
                                       use_locking=self._use_locking)

    def _apply_dense(self, grad, var):
        with ops.control_dependencies([self._decay_weights_op(var)]):
            return super()._apply_dense(grad, var)

    def _apply_sparse(self, grad, var):
        with ops.control_dependencies([self._decay_weights_sparse_op(var, grad.indices)]):
            return super()._apply_sparse(grad, var)


def extend_with_decoupled_weight_decay(base_optimizer):
    """A subclass of ``base_optimizer`` whose constructor takes ``weight_decay`` first."""

    class OptimizerWithDecoupledWeightDecay(DecoupledWeightDecayExtension, base_optimizer):
        """``base_optimizer`` with decoupled weight decay."""

        def __init__(self, weight_decay, *args, **kwargs):
            super().__init__(weight_decay, **_positional_kwargs(base_optimizer, args, kwargs))

    return OptimizerWithDecoupledWeightDecay


def _positional_kwargs(base_optimizer, args, kwargs):
    """The base constructor's positional arguments as keywords (the mixin passes keywords)."""
    names = [name for name in inspect.signature(base_optimizer.__init__).parameters
             if name != "self"]
    merged = dict(zip(names, args, strict=False))
    merged.update(kwargs)
    return merged


class MomentumWOptimizer(DecoupledWeightDecayExtension, MomentumOptimizer):
    """``MomentumWOptimizer(weight_decay, learning_rate, momentum, use_locking=False,
    name="MomentumW", use_nesterov=False)``."""

    def __init__(self, weight_decay, learning_rate, momentum, use_locking=False,
                 name="MomentumW", use_nesterov=False):
        super().__init__(weight_decay, learning_rate=learning_rate, momentum=momentum,
                         use_locking=use_locking, name=name, use_nesterov=use_nesterov)


class AdamWOptimizer(DecoupledWeightDecayExtension, AdamOptimizer):
    """``AdamWOptimizer(weight_decay, learning_rate=0.001, beta1=0.9, beta2=0.999,
    epsilon=1e-08, use_locking=False, name="AdamW")``."""

    def __init__(self, weight_decay, learning_rate=0.001, beta1=0.9, beta2=0.999,
                 epsilon=1e-8, use_locking=False, name="AdamW"):
        super().__init__(weight_decay, learning_rate=learning_rate, beta1=beta1, beta2=beta2,
                         epsilon=epsilon, use_locking=use_locking, name=name)
