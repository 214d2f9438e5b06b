"""The update ops of TF's training_ops that only ``tf.contrib.opt`` uses: ``ApplyAdaMax``
(AdaMaxOptimizer) and the sign-based ``ApplyAddSign``, ``ApplyPowerSign`` (Bello et al.,
2017).

AdaMax: m = beta1 m + (1 - beta1) g; v = max(beta2 v, |g|);
var -= lr / (1 - beta1_power) * m / (v + epsilon).

The sign ops first move the momentum, m = beta m + (1 - beta) g, then scale the gradient by how far
sign(g) agrees with sign(m): AddSign by (alpha + sign_decay sign(g) sign(m)), PowerSign by
exp(logbase sign_decay sign(g) sign(m)); var -= lr * scale * g.
"""
import numpy as np

from tfcompat.ops.training_ops import _ApplyOp, _builder, _register, _temp


def _momentum_agreement(m, grad, beta, sign_decay):
    """Updates ``m`` in place and returns sign_decay * sign(g) * sign(m) (a new array)."""
    one = m.dtype.type(1)
    m *= beta
    m += grad * (one - beta)
    agreement = np.sign(m, out=_temp(m))
    agreement *= np.sign(grad)
    agreement *= sign_decay
    return agreement


@_register
class ApplyAddSign(_ApplyOp):
    """m = beta m + (1 - beta) g; var -= lr (alpha + sign_decay sign(g) sign(m)) g."""

    input_names = ("var", "m", "lr", "alpha", "sign_decay", "beta", "grad")
    ref_inputs = (0, 1)

    def update(self, refs, scalars, grad, attrs):
        (var, m), (lr, alpha, sign_decay, beta) = refs, scalars
        scale = _momentum_agreement(m, grad, beta, sign_decay)
        scale += alpha
        scale *= lr
        scale *= grad
        var -= scale


@_register
class ApplyPowerSign(_ApplyOp):
    """m = beta m + (1 - beta) g; var -= lr exp(logbase sign_decay sign(g) sign(m)) g."""

    input_names = ("var", "m", "lr", "logbase", "sign_decay", "beta", "grad")
    ref_inputs = (0, 1)

    def update(self, refs, scalars, grad, attrs):
        (var, m), (lr, logbase, sign_decay, beta) = refs, scalars
        scale = _momentum_agreement(m, grad, beta, sign_decay)
        scale *= logbase
        np.exp(scale, out=scale)
        scale *= lr
        scale *= grad
        var -= scale


@_register
class ApplyAdaMax(_ApplyOp):
    """m += (g - m)(1 - beta1); v = max(beta2 v, |g|); var -= lr / (1 - beta1_power) *
    (m / (v + epsilon)) (TF's functor order)."""

    input_names = ("var", "m", "v", "beta1_power", "lr", "beta1", "beta2", "epsilon", "grad")
    ref_inputs = (0, 1, 2)

    def update(self, refs, scalars, grad, attrs):
        (var, m, v), (beta1_power, lr, beta1, beta2, epsilon) = refs, scalars
        one = var.dtype.type(1)
        scratch = np.subtract(grad, m, out=_temp(var))
        scratch *= one - beta1
        m += scratch
        v *= beta2
        np.maximum(v, np.abs(grad, out=scratch), out=v)
        np.add(v, epsilon, out=scratch)
        np.divide(m, scratch, out=scratch)
        scratch *= lr / (one - beta1_power)
        var -= scratch


apply_ada_max = _builder("apply_ada_max", "ApplyAdaMax", {"use_locking": False})
apply_add_sign = _builder("apply_add_sign", "ApplyAddSign", {"use_locking": False})
apply_power_sign = _builder("apply_power_sign", "ApplyPowerSign", {"use_locking": False})

# TF exports these builders only as training_ops / tf.raw_ops.
__all__ = []
