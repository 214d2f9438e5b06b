"""``tf.contrib.opt.ExternalOptimizerInterface`` and ``ScipyOptimizerInterface`` (TF 1.15
``external_optimizer.py``): minimise a loss with an optimizer that runs outside the graph
(``scipy.optimize.minimize``, L-BFGS-B by default), evaluating loss, gradients and
constraints through ``session.run`` with the variables fed as one packed float vector, and
assigning the result to the variables at the end.
"""
import numpy as np

from tfcompat import logging
from tfcompat.framework import ops
from tfcompat.ops import array_ops, gradients_impl, variables


def _shape_tuple(tensor):
    return tuple(tensor.shape.as_list())


def _gradients_or_zeros(tensor, var_list):
    grads = gradients_impl.gradients(tensor, var_list)
    return [grad if grad is not None else array_ops.zeros_like(var)
            for var, grad in zip(var_list, grads, strict=True)]


def _pack(tensors):
    """The tensors flattened and concatenated into one vector (None for no tensors)."""
    if not tensors:
        return None
    if len(tensors) == 1:
        return array_ops.reshape(tensors[0], [-1])
    return array_ops.concat([array_ops.reshape(t, [-1]) for t in tensors], 0)


class ExternalOptimizerInterface:
    """``ExternalOptimizerInterface(loss, var_list=None, equalities=None, inequalities=None,
    var_to_bounds=None, **optimizer_kwargs)``: subclasses implement ``_minimize``.

    ``equalities``/``inequalities`` are scalar tensors constrained to == 0 / >= 0;
    ``var_to_bounds`` maps variables to (low, high) bounds broadcast to their shapes.
    """

    def __init__(self, loss, var_list=None, equalities=None, inequalities=None,
                 var_to_bounds=None, **optimizer_kwargs):
        self._loss = loss
        self._equalities = equalities or []
        self._inequalities = inequalities or []
        self._vars = variables.trainable_variables() if var_list is None else list(var_list)
        self._packed_bounds = None
        if var_to_bounds is not None:
            low, high = [], []
            for var in self._vars:
                bounds = var_to_bounds.get(var, (-np.inf, np.inf))
                shape = _shape_tuple(var)
                low.extend(np.broadcast_to(bounds[0], shape).flat)
                high.extend(np.broadcast_to(bounds[1], shape).flat)
            self._packed_bounds = list(zip(low, high, strict=True))
        self._update_placeholders = [array_ops.placeholder(var.dtype.base_dtype)
                                     for var in self._vars]
        self._var_updates = [
            var.assign(array_ops.reshape(placeholder, _shape_tuple(var)))
            for var, placeholder in zip(self._vars, self._update_placeholders, strict=True)]
        self.optimizer_kwargs = optimizer_kwargs
        self._packed_var = _pack(self._vars)
        self._packed_loss_grad = _pack(_gradients_or_zeros(loss, self._vars))
        self._packed_equality_grads = [_pack(_gradients_or_zeros(c, self._vars))
                                       for c in self._equalities]
        self._packed_inequality_grads = [_pack(_gradients_or_zeros(c, self._vars))
                                         for c in self._inequalities]
        ends = np.cumsum([0] + [int(np.prod(_shape_tuple(var))) for var in self._vars])
        self._packing_slices = [slice(start, end)
                                for start, end in zip(ends[:-1], ends[1:], strict=True)]

    def minimize(self, session=None, feed_dict=None, fetches=None, step_callback=None,
                 loss_callback=None, **run_kwargs):
        """Runs the external optimizer from the variables' current values and assigns its
        answer; ``loss_callback(*fetches)`` follows each loss evaluation,
        ``step_callback(packed_vars)`` each optimizer step."""
        session = session or ops.get_default_session()
        feed_dict = feed_dict or {}
        fetches = fetches or []
        loss_callback = loss_callback or (lambda *fetched: None)
        step_callback = step_callback or (lambda xk: None)
        evaluate = self._make_eval_func
        loss_grad_func = evaluate([self._loss, self._packed_loss_grad], session, feed_dict,
                                  fetches, loss_callback)
        packed_val = self._minimize(
            initial_val=session.run(self._packed_var),
            loss_grad_func=loss_grad_func,
            equality_funcs=[evaluate(c, session, feed_dict, fetches)
                            for c in self._equalities],
            equality_grad_funcs=[evaluate(g, session, feed_dict, fetches)
                                 for g in self._packed_equality_grads],
            inequality_funcs=[evaluate(c, session, feed_dict, fetches)
                              for c in self._inequalities],
            inequality_grad_funcs=[evaluate(g, session, feed_dict, fetches)
                                   for g in self._packed_inequality_grads],
            packed_bounds=self._packed_bounds, step_callback=step_callback,
            optimizer_kwargs=self.optimizer_kwargs)
        var_vals = [packed_val[packing_slice] for packing_slice in self._packing_slices]
        session.run(self._var_updates,
                    feed_dict=dict(zip(self._update_placeholders, var_vals, strict=True)),
                    **run_kwargs)

    def _minimize(self, initial_val, loss_grad_func, equality_funcs, equality_grad_funcs,
                  inequality_funcs, inequality_grad_funcs, packed_bounds, step_callback,
                  optimizer_kwargs):
        """The packed variable values minimising the loss; for subclasses."""
        raise NotImplementedError("To use ExternalOptimizerInterface, subclass from it and "
                                  "implement the _minimize() method.")

    def _make_eval_func(self, tensors, session, feed_dict, fetches, callback=None):
        """A function of the packed variables running ``tensors`` (a list: their values; one
        tensor: its value) with the variables fed."""
        single = not isinstance(tensors, list)
        tensors = [tensors] if single else tensors

        def eval_func(x):
            augmented_feed = {
                var: x[packing_slice].reshape(_shape_tuple(var))
                for var, packing_slice in zip(self._vars, self._packing_slices, strict=True)}
            augmented_feed.update(feed_dict)
            values = session.run(tensors + list(fetches), feed_dict=augmented_feed)
            if callable(callback):
                callback(*values[len(tensors):])
            return values[0] if single else values[:len(tensors)]

        return eval_func


class ScipyOptimizerInterface(ExternalOptimizerInterface):
    """``ScipyOptimizerInterface(loss, var_list=None, equalities=None, inequalities=None,
    var_to_bounds=None, method="L-BFGS-B", options=...)``: keyword arguments go to
    ``scipy.optimize.minimize`` (``jac``, ``callback``, ``constraints`` and ``bounds`` are
    set by the interface)."""

    _DEFAULT_METHOD = "L-BFGS-B"

    def _minimize(self, initial_val, loss_grad_func, equality_funcs, equality_grad_funcs,
                  inequality_funcs, inequality_grad_funcs, packed_bounds, step_callback,
                  optimizer_kwargs):
        import scipy.optimize

        def loss_grad_func_wrapper(x):
            loss, gradient = loss_grad_func(x)
            return loss, gradient.astype("float64")  # L-BFGS-B's Fortran needs doubles

        optimizer_kwargs = dict(optimizer_kwargs)
        method = optimizer_kwargs.pop("method", self._DEFAULT_METHOD)
        constraints = [{"type": "eq", "fun": f, "jac": g}
                       for f, g in zip(equality_funcs, equality_grad_funcs, strict=True)]
        constraints += [{"type": "ineq", "fun": f, "jac": g}
                        for f, g in zip(inequality_funcs, inequality_grad_funcs, strict=True)]
        minimize_kwargs = {"jac": True, "callback": step_callback, "method": method,
                           "constraints": constraints, "bounds": packed_bounds}
        for kwarg in minimize_kwargs:
            if kwarg == "bounds" and kwarg in optimizer_kwargs:
                raise ValueError("Bounds must be set using the var_to_bounds argument")
            if kwarg in optimizer_kwargs:
                raise ValueError(f"Optimizer keyword arg '{kwarg}' is set automatically and "
                                 f"cannot be injected manually")
        minimize_kwargs.update(optimizer_kwargs)
        if not constraints:  # methods without constraint support warn about an empty list
            del minimize_kwargs["constraints"]
        result = scipy.optimize.minimize(loss_grad_func_wrapper, initial_val, **minimize_kwargs)
        lines = ["Optimization terminated with:", "  Message: %s",
                 "  Objective function value: %f"]
        args = [result.message, result.fun]
        for key, line in (("nit", "  Number of iterations: %d"),
                          ("nfev", "  Number of functions evaluations: %d")):
            if key in result:
                lines.append(line)
                args.append(result[key])
        logging.info("\n".join(lines), *args)
        return result["x"]
