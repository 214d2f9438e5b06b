"""``tf.contrib.opt.VariableClippingOptimizer`` (TF 1.15 ``variable_clipping_optimizer.py``):
after the wrapped optimizer's update, each variable in ``vars_to_clip_dims`` is clipped to
L2 norm ``max_norm`` over the given dimensions (``clip_by_norm``); for IndexedSlices only
the updated rows are (unless dimension 0 is clipped, which clips the whole variable).
"""
import contextlib

from tfcompat import logging
from tfcompat.framework import ops
from tfcompat.ops import array_ops, clip_ops, control_flow_ops, scatter_ops
from tfcompat.ops.indexed_slices import IndexedSlices
from tfcompat.train.optimizer import Optimizer


class VariableClippingOptimizer(Optimizer):
    """``VariableClippingOptimizer(opt, vars_to_clip_dims, max_norm, use_locking=False,
    colocate_clip_ops_with_vars=False, name="VariableClipping")``."""

    def __init__(self, opt, vars_to_clip_dims, max_norm, use_locking=False,
                 colocate_clip_ops_with_vars=False, name="VariableClipping"):
        super().__init__(use_locking, name)
        self._opt = opt
        self._vars_to_clip_dims = {var: list(dims) for var, dims in vars_to_clip_dims.items()}
        self._max_norm = max_norm
        self._colocate_clip_ops_with_vars = colocate_clip_ops_with_vars

    def compute_gradients(self, *args, **kwargs):
        return self._opt.compute_gradients(*args, **kwargs)

    def get_slot(self, *args, **kwargs):
        return self._opt.get_slot(*args, **kwargs)

    def get_slot_names(self, *args, **kwargs):
        return self._opt.get_slot_names(*args, **kwargs)

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        grads_and_vars = list(grads_and_vars)
        with ops.name_scope(name, self._name) as name:
            update_op = self._opt.apply_gradients(grads_and_vars, global_step=global_step)
            clip_update_ops = []
            with ops.control_dependencies([update_op]):
                for grad, var in grads_and_vars:
                    if grad is None or var not in self._vars_to_clip_dims:
                        continue
                    with ops.name_scope("clip_" + var.op.name):
                        if isinstance(grad, IndexedSlices):
                            clip_update_ops.append(self._clip_sparse(grad, var))
                        else:
                            clip_update_ops.append(self._clip_dense(var))
            return control_flow_ops.group(update_op, *clip_update_ops, name=name)

    def _colocation(self, var):
        """Colocated with ``var`` when asked (TF's ``_maybe_colocate_with``)."""
        return ops.colocate_with(var) if self._colocate_clip_ops_with_vars else (
            contextlib.nullcontext())

    def _clip_dense(self, var):
        with self._colocation(var):
            value = var._ref()
            delta = value - clip_ops.clip_by_norm(value, self._max_norm,
                                                  self._vars_to_clip_dims[var])
        with ops.colocate_with(var):
            return var.assign_sub(delta, use_locking=self._use_locking)

    def _clip_sparse(self, grad, var):
        clip_dims = self._vars_to_clip_dims[var]
        if 0 in clip_dims:
            logging.warning("Clipping norm across dims %s for %s is inefficient when including "
                            "sparse dimension 0.", clip_dims, var.op.name)
            return self._clip_dense(var)
        with ops.colocate_with(var):
            var_subset = array_ops.gather(var, grad.indices)
        with self._colocation(var):
            delta = var_subset - clip_ops.clip_by_norm(var_subset, self._max_norm, clip_dims)
        with ops.colocate_with(var):
            return scatter_ops.scatter_sub(var, grad.indices, delta,
                                           use_locking=self._use_locking)
