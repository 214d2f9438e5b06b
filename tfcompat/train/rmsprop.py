"""``tf.train.RMSPropOptimizer``: ms = decay ms + (1 - decay) grad²;
mom = momentum mom + lr grad / sqrt(ms + epsilon); var -= mom (ApplyRMSProp). ``centered``
also tracks the mean gradient mg and divides by sqrt(ms - mg² + epsilon)
(ApplyCenteredRMSProp).

Slots, in TF 1.x's creation order: "rms" (``<var>/RMSProp``, initialised to ONES in TF 1.x),
"mg" when centered, then "momentum" (``<var>/RMSProp_1``, or ``_2`` when centered)."""
from tfcompat.framework import ops
from tfcompat.ops import init_ops
from tfcompat.ops import array_ops, math_ops, training_ops
from tfcompat.train import optimizer


class RMSPropOptimizer(optimizer.Optimizer):
    """``RMSPropOptimizer(learning_rate, decay=0.9, momentum=0.0, epsilon=1e-10,
    use_locking=False, centered=False, name="RMSProp")``."""

    def __init__(self, learning_rate, decay=0.9, momentum=0.0, epsilon=1e-10, use_locking=False,
                 centered=False, name="RMSProp"):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._decay = decay
        self._momentum = momentum
        self._epsilon = epsilon
        self._centered = centered
        self._learning_rate_tensor = None
        self._decay_tensor = None
        self._momentum_tensor = None
        self._epsilon_tensor = None

    def _create_slots(self, var_list):
        for v in var_list:
            if v.get_shape().is_fully_defined():
                init_rms = init_ops.ones_initializer(dtype=v.dtype.base_dtype)
                self._get_or_make_slot_with_initializer(v, init_rms, v.get_shape(),
                                                        v.dtype.base_dtype, "rms", self._name)
            else:
                self._get_or_make_slot(v, array_ops.ones_like(v.value()), "rms", self._name)
            if self._centered:
                self._zeros_slot(v, "mg", self._name)
            self._zeros_slot(v, "momentum", self._name)

    def _prepare(self):
        learning_rate = self._call_if_callable(self._learning_rate)
        decay = self._call_if_callable(self._decay)
        momentum = self._call_if_callable(self._momentum)
        epsilon = self._call_if_callable(self._epsilon)
        self._learning_rate_tensor = ops.convert_to_tensor(learning_rate, name="learning_rate")
        self._decay_tensor = ops.convert_to_tensor(decay, name="decay")
        self._momentum_tensor = ops.convert_to_tensor(momentum, name="momentum")
        self._epsilon_tensor = ops.convert_to_tensor(epsilon, name="epsilon")

    def _apply_dense(self, grad, var):
        dtype = var.dtype.base_dtype
        hyper = [math_ops.cast(t, dtype) for t in (self._learning_rate_tensor,
                                                   self._decay_tensor, self._momentum_tensor,
                                                   self._epsilon_tensor)]
        rms = self.get_slot(var, "rms")
        mom = self.get_slot(var, "momentum")
        if self._centered:
            return training_ops.apply_centered_rms_prop(
                var, self.get_slot(var, "mg"), rms, mom, *hyper, grad,
                use_locking=self._use_locking).op
        return training_ops.apply_rms_prop(var, rms, mom, *hyper, grad,
                                           use_locking=self._use_locking).op
