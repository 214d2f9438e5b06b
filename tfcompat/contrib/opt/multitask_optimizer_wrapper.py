"""``tf.contrib.opt.MultitaskOptimizerWrapper`` and ``clip_gradients_by_global_norm`` (TF 1.15
``multitask_optimizer_wrapper.py``): a variable whose gradient is all zeros in a step (a
masked-out part of a multi-task loss) keeps its optimizer state — its update runs under a
``tf.cond`` that skips it — and the global norm for clipping ignores such gradients.
"""
import types

from tfcompat.framework import dtypes
from tfcompat.ops import array_ops, clip_ops, control_flow_ops, math_ops, special_math_ops
from tfcompat.train.optimizer import Optimizer


def _is_all_zeros(grad):
    return math_ops.equal(special_math_ops.count_nonzero(grad), 0)


def _skipping_all_zeros(apply_fn, opt):
    """``apply_fn`` (a bound ``_apply_*``) run only when the gradient has a nonzero."""
    def wrapper(self, grad, *args, **kwargs):
        return control_flow_ops.cond(_is_all_zeros(grad), control_flow_ops.no_op,
                                     lambda: apply_fn(grad, *args, **kwargs))
    return types.MethodType(wrapper, opt)


class MultitaskOptimizerWrapper:
    """``MultitaskOptimizerWrapper(opt)``: ``opt`` with its ``_apply_dense``/``_apply_sparse``
    (and resource forms) replaced in place by all-zero-skipping ones; every other attribute
    is ``opt``'s."""

    def __init__(self, opt):
        if not isinstance(opt, Optimizer):
            raise TypeError("Supplied optimizer must be an instance of tf.train.Optimizer")
        self._opt = opt
        for name in ("_apply_dense", "_resource_apply_dense", "_apply_sparse",
                     "_resource_apply_sparse"):
            apply_fn = getattr(opt, name, None)
            if apply_fn is not None:
                setattr(opt, name, _skipping_all_zeros(apply_fn, opt))

    def __getattr__(self, name):
        return getattr(self._opt, name)


def clip_gradients_by_global_norm(gradients_variables, clip_norm=20.0):
    """``(pairs, global_norm)``: the (gradient, variable) pairs with the gradients scaled by
    ``clip_norm / max(global_norm, clip_norm)``, the norm over the gradients that are not
    all zeros."""
    gradients, variables = zip(*gradients_variables, strict=True)

    def _replace_nonexisting_grad(grad):
        if grad is None:
            return grad
        return control_flow_ops.cond(
            _is_all_zeros(grad), lambda: array_ops.zeros([], dtype=dtypes.as_dtype(grad.dtype)),
            lambda: grad)

    nonzero_gradients = [_replace_nonexisting_grad(g) for g in gradients]
    fixed_global_norm = clip_ops.global_norm(nonzero_gradients)
    gradients, _ = clip_ops.clip_by_global_norm(gradients, clip_norm, use_norm=fixed_global_norm)
    return list(zip(gradients, variables, strict=True)), fixed_global_norm
