"""The optimizer update ops of TF 1.x (``tensorflow/core/kernels/training_ops.cc``): every
``Apply*`` op updates a variable and its slot variables *in place* and outputs the variable's
ref, as TF's ref-variable kernels do.

Each op takes the variable and its slots as ref inputs (``ref_inputs``): the runtime does not
evaluate them, the kernel looks the arrays up in the Session (``ctx.variables``) on every run.
Hyperparameters are scalar tensors of the variable's dtype, the gradient has its shape. The
planner runs these ops after all read-only work of a step (``mutates_state``), so gradients are
computed from the old values and a step that fails in its read-only part changes nothing. Each
kernel is split into a check of all of its inputs (initialised, shapes, scalars) and a commit
that writes; the runtime checks every Apply op of a run before committing any of them.

The NumPy kernels follow TF's expression order, in the variable's dtype, using at most one or
two scratch arrays per call (``out=`` ufuncs). These ops are internal to the optimizers (TF
exposes them only as ``training_ops``/``tf.raw_ops``), so ``__all__`` is empty.
"""

import numpy as np

from tfcompat.framework import dtypes, errors, ops
from tfcompat.framework.op_def import OpDef, format_shape, make_op, register_op
from tfcompat.ops.state_ops import variable_op_of


# ---- the shared op definition ------------------------------------------------------------------
class _ApplyOp(OpDef):
    """Common part of the Apply* ops.

    Subclasses give TF's input names (``input_names``; the first ``len(ref_inputs)`` are the
    variable and its slots), the name of the gradient input, and ``update(refs, scalars,
    grad, attrs)`` that writes the new values into the arrays in ``refs``.
    """

    mutates_state = True
    stateful = True
    differentiable = False
    shape_determining_inputs = ()
    input_names = ()
    grad_name = "grad"
    #: Scalars checked at run time beyond their rank: name -> (predicate, TF's message).
    scalar_checks = {}
    #: ApplyGradientDescent accepts a 1-element vector as its scalar (TF's IsLegacyScalar).
    legacy_scalars = False
    #: Inputs of a fixed dtype rather than the variable's (ApplyAdagradDA's int64 global_step).
    fixed_dtypes = {}

    # -- static checks ----------------------------------------------------------------------
    def infer(self, op):
        names = self.input_names
        if len(op.inputs) != len(names):
            raise ValueError(f"'{op.type}' Op takes {len(names)} inputs ({', '.join(names)}), "
                             f"got {len(op.inputs)}")
        var = op.inputs[0]
        dtype = var.dtype.base_dtype
        for index in self.ref_inputs:
            tensor = op.inputs[index]
            if not tensor.dtype.is_ref_dtype:
                raise TypeError(f"'{op.type}' Op requires that input '{names[index]}' be a "
                                f"mutable tensor (e.g. a tf.Variable); got {tensor.name} of "
                                f"type {tensor.dtype.name}")
        if not dtype.is_floating:
            raise TypeError(f"Value passed to parameter 'var' has DataType {dtype.name} not in "
                            f"list of allowed values for op '{op.type}': float16, bfloat16, "
                            "float32, float64")
        for name, tensor in zip(names[1:], op.inputs[1:]):
            fixed = self.fixed_dtypes.get(name)
            if fixed is not None and tensor.dtype.base_dtype != fixed:
                raise TypeError(f"Input '{name}' of '{op.type}' Op has type "
                                f"{tensor.dtype.base_dtype.name} that does not match expected "
                                f"type of {fixed.name}.")
            if fixed is None and tensor.dtype.base_dtype != dtype:
                raise TypeError(f"Input '{name}' of '{op.type}' Op has type "
                                f"{tensor.dtype.base_dtype.name} that does not match type "
                                f"{dtype.name} of argument 'var'.")
        shape = var.shape
        for index, (name, tensor) in enumerate(zip(names, op.inputs)):
            if index == 0:
                continue
            if index in self.ref_inputs or name == self.grad_name:
                shape = _merge_shapes(op, shape, tensor.shape)
            elif tensor.shape.ndims is not None and tensor.shape.ndims != 0 and not (
                    self.legacy_scalars and tensor.shape.as_list() == [1]):
                raise ValueError(f"Shape must be rank 0 but is rank {tensor.shape.ndims} for "
                                 f"'{op.name}' (op: '{op.type}') with input shapes: "
                                 f"{_input_shapes(op)}.")
        return [(shape, var.dtype)]

    # -- run time ---------------------------------------------------------------------------
    def kernel(self, op, ctx):
        check, commit = self.split_kernel(op, ctx)
        return lambda *values: commit(check(*values))

    def variables_changed_in_place(self, op):
        return [variable_op_of(op.inputs[i]) for i in self.ref_inputs]

    def split_kernel(self, op, ctx):
        """(check, commit): ``check(*values)`` validates every input and returns what
        ``commit`` writes in place; the runtime checks all updates of a step first."""
        check = self._checker(op, ctx)
        update = self.update

        def commit(prepared):
            refs, scalars, grad, attrs = prepared
            update(refs, scalars, grad, attrs)
            return refs[0]
        return check, commit

    def _checker(self, op, ctx):
        names = self.input_names
        n_refs = len(self.ref_inputs)
        var_ops = [variable_op_of(op.inputs[i]) for i in self.ref_inputs]
        requested = [_requested_input(op.inputs[i]) for i in self.ref_inputs]
        value_names = names[n_refs:]
        grad_position = value_names.index(self.grad_name)
        scalar_names = [n for n in value_names if n != self.grad_name]
        checks = self.scalar_checks
        legacy = self.legacy_scalars
        attrs = {key: value for key, value in op.attrs.items()}
        store = ctx.variables

        def scalar_of(name, value, dtype):
            value = np.asarray(value)
            if value.ndim != 0 and not (legacy and value.shape == (1,)):
                raise errors.InvalidArgumentError(
                    None, op, f"{name} is not a scalar: {_debug_shape(value.shape)}")
            scalar = dtype.type(value.reshape(()))
            check = checks.get(name)
            if check is not None and not check[0](scalar):
                raise errors.InvalidArgumentError(
                    None, op, f"{check[1]}: {_debug_shape(value.shape)}")
            return scalar

        def check(*values):
            refs = []
            for var_op, name in zip(var_ops, requested):
                array = store.get(var_op)
                if array is None:
                    raise errors.FailedPreconditionError(
                        None, op, f"Attempting to use uninitialized variables: {name}\n\t "
                                  f"[[node {op.name} (op: {op.type})]]")
                refs.append(array)
            var = refs[0]
            dtype = var.dtype
            for slot_name, slot in zip(names[1:n_refs], refs[1:]):
                if slot.shape != var.shape:
                    raise _shape_error(op, "var", slot_name, var, slot)
            grad = values[grad_position]
            if type(grad) is not np.ndarray or grad.dtype != dtype:
                grad = np.asarray(grad, dtype=dtype)
            if grad.shape != var.shape:
                raise _shape_error(op, "var", self.grad_name, var, grad)
            scalars = [scalar_of(name, value, dtype) for name, value in zip(
                scalar_names, values[:grad_position] + values[grad_position + 1:])]
            # In-place updates need writable storage of the variable's own dtype; an array
            # that is not (restored from a checkpoint as read-only, say) is replaced first.
            for index, (var_op, array) in enumerate(zip(var_ops, refs)):
                if not array.flags.writeable:
                    array = ctx.aligned_copy(array, array.dtype)
                    ctx.write_variable(var_op, array)
                    refs[index] = array
            for array in refs:
                # A gradient that is (a view of) a slot or the variable: read it first. Two
                # arrays that own their memory can only overlap by being the same.
                if array is grad or ((grad.base is not None or array.base is not None)
                                     and np.may_share_memory(grad, array)):
                    grad = grad.copy()
                    break
            return refs, scalars, grad, attrs
        return check

    def update(self, refs, scalars, grad, attrs):
        raise NotImplementedError(f"{type(self).__name__}.update")


def _merge_shapes(op, a, b):
    if a.ndims is not None and b.ndims is not None and a.ndims != b.ndims:
        raise ValueError(f"Shapes must be equal rank, but are {a.ndims} and {b.ndims} for "
                         f"'{op.name}' (op: '{op.type}') with input shapes: "
                         f"{_input_shapes(op)}.")
    if not a.is_compatible_with(b):
        for dim, (da, db) in enumerate(zip(a.as_list(), b.as_list())):
            if da is not None and db is not None and da != db:
                raise ValueError(
                    f"Dimension {dim} in both shapes must be equal, but are {da} and {db}. "
                    f"Shapes are {format_shape(a)} and {format_shape(b)}. for '{op.name}' "
                    f"(op: '{op.type}') with input shapes: {_input_shapes(op)}.")
    return a.merge_with(b)


def _input_shapes(op):
    return ", ".join(format_shape(t.shape) for t in op.inputs)


def _debug_shape(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


def _shape_error(op, name_a, name_b, a, b):
    return errors.InvalidArgumentError(
        None, op, f"{name_a} and {name_b} do not have the same shape"
                  f"{_debug_shape(a.shape)} {_debug_shape(b.shape)}")


def _requested_input(tensor):
    return tensor.op.name if tensor.value_index == 0 else tensor.name


def _builder(function_name, op_type, default_attrs):
    """A ``training_ops.apply_*`` builder taking TF's argument names."""
    names = _OP_DEFS[op_type].input_names
    def build(*args, name=None, **kwargs):
        attrs = dict(default_attrs)
        for key in list(kwargs):
            if key in attrs:
                attrs[key] = bool(kwargs.pop(key))
        values = list(args)
        for arg_name in names[len(values):]:
            if arg_name not in kwargs:
                raise TypeError(f"{build.__name__}() missing required argument '{arg_name}'")
            values.append(kwargs.pop(arg_name))
        if kwargs:
            raise TypeError(f"{build.__name__}() got unexpected arguments {sorted(kwargs)}")
        if len(values) != len(names):
            raise TypeError(f"{build.__name__}() takes {len(names)} tensor arguments "
                            f"({', '.join(names)}), got {len(values)}")
        return make_op(op_type, _convert_inputs(op_type, names, values), attrs,
                       name=name or op_type).outputs[0]
    build.__name__ = function_name
    build.__doc__ = (f"``training_ops.{build.__name__}({', '.join(names)}, "
                     f"{', '.join(f'{k}={v}' for k, v in default_attrs.items())}, name=None)``"
                     f" -> the updated ``var`` ref.")
    return build


def _convert_inputs(op_type, names, values):
    op_def = _OP_DEFS[op_type]
    tensors = []
    for index, (name, value) in enumerate(zip(names, values)):
        if index in op_def.ref_inputs:
            if hasattr(value, "_ref"):
                value = value._ref()
            if not isinstance(value, ops.Tensor):
                raise TypeError(f"Input '{name}' of '{op_type}' must be a tf.Variable or a ref "
                                f"tensor, got {value!r}")
            tensors.append(value)
        else:
            if isinstance(value, ops.Tensor) or hasattr(value, "_as_graph_element"):
                tensors.append(ops.convert_to_tensor(value))
            else:  # Python/NumPy numbers take the variable's dtype (or the input's own)
                dtype = op_def.fixed_dtypes.get(name, tensors[0].dtype.base_dtype)
                tensors.append(ops.convert_to_tensor(value, dtype=dtype, name=name))
    return tensors



_OP_DEFS = {}


def _register(cls):
    cls = register_op(cls)
    _OP_DEFS[cls.op_type] = cls
    return cls


def _positive(x):
    return x > 0


def _non_negative(x):
    return x >= 0


def _non_positive(x):
    return x <= 0


def _temp(like):
    """A scratch array of the variable's shape and dtype (an ndarray even for 0-d
    variables, where ufuncs without ``out`` return NumPy scalars)."""
    return np.empty_like(like)


# ---- the ops ------------------------------------------------------------------------------------
@_register
class ApplyGradientDescent(_ApplyOp):
    """var -= alpha * delta."""

    input_names = ("var", "alpha", "delta")
    ref_inputs = (0,)
    grad_name = "delta"
    legacy_scalars = True

    def update(self, refs, scalars, grad, attrs):
        (var,), (alpha,) = refs, scalars
        step = np.multiply(grad, alpha, out=_temp(var))
        var -= step


@_register
class ApplyMomentum(_ApplyOp):
    """accum = accum * momentum + grad; var -= lr * accum, or with use_nesterov
    var -= grad * lr + accum * momentum * lr."""

    input_names = ("var", "accum", "lr", "grad", "momentum")
    ref_inputs = (0, 1)
    def update(self, refs, scalars, grad, attrs):
        (var, accum), (lr, momentum) = refs, scalars
        accum *= momentum
        accum += grad
        if attrs.get("use_nesterov", False):
            step = np.multiply(accum, momentum, out=_temp(var))
            step *= lr
            step += np.multiply(grad, lr, out=_temp(var))
        else:
            step = np.multiply(accum, lr, out=_temp(var))
        var -= step


@_register
class ApplyAdagrad(_ApplyOp):
    """accum += grad²  (when update_slots); var -= lr * grad / sqrt(accum)."""

    input_names = ("var", "accum", "lr", "grad")
    ref_inputs = (0, 1)

    def update(self, refs, scalars, grad, attrs):
        (var, accum), (lr,) = refs, scalars
        step = np.square(grad, out=_temp(var))
        if attrs.get("update_slots", True):
            accum += step
        np.sqrt(accum, out=step)
        np.divide(grad, step, out=step)
        step *= lr
        var -= step


def _rms_prop(var, mg, ms, mom, lr, rho, momentum, epsilon, grad):
    """TF's RMSProp update in place; centered when the mean-gradient slot ``mg`` is given
    (denominator sqrt(ms - mg² + epsilon) instead of sqrt(ms + epsilon))."""
    one_minus_rho = var.dtype.type(1) - rho
    scratch = np.square(grad, out=_temp(var))
    scratch -= ms
    scratch *= one_minus_rho
    ms += scratch
    if mg is None:
        np.add(ms, epsilon, out=scratch)
    else:
        np.subtract(grad, mg, out=scratch)
        scratch *= one_minus_rho
        mg += scratch
        np.square(mg, out=scratch)
        np.subtract(ms, scratch, out=scratch)
        scratch += epsilon
    np.sqrt(scratch, out=scratch)
    step = np.multiply(grad, lr, out=_temp(var))
    step /= scratch
    mom *= momentum
    mom += step
    var -= mom


@_register
class ApplyRMSProp(_ApplyOp):
    """ms += (grad² - ms)(1 - rho); mom = mom * momentum + lr * grad / sqrt(ms + epsilon);
    var -= mom."""

    input_names = ("var", "ms", "mom", "lr", "rho", "momentum", "epsilon", "grad")
    ref_inputs = (0, 1, 2)

    def update(self, refs, scalars, grad, attrs):
        var, ms, mom = refs
        _rms_prop(var, None, ms, mom, *scalars, grad)


@_register
class ApplyCenteredRMSProp(_ApplyOp):
    """As ApplyRMSProp with the mean gradient mg: mg += (grad - mg)(1 - rho) and the
    denominator sqrt(ms - mg² + epsilon)."""

    input_names = ("var", "mg", "ms", "mom", "lr", "rho", "momentum", "epsilon", "grad")
    ref_inputs = (0, 1, 2, 3)

    def update(self, refs, scalars, grad, attrs):
        _rms_prop(*refs, *scalars, grad)


@_register
class ApplyAdam(_ApplyOp):
    """lr_t = lr * sqrt(1 - beta2_power) / (1 - beta1_power); m += (g - m)(1 - beta1);
    v += (g² - v)(1 - beta2); var -= lr_t * m / (sqrt(v) + epsilon) (with use_nesterov the
    numerator is lr_t * (g (1 - beta1) + beta1 m))."""

    input_names = ("var", "m", "v", "beta1_power", "beta2_power", "lr", "beta1", "beta2",
                   "epsilon", "grad")
    ref_inputs = (0, 1, 2)

    @staticmethod
    def _alpha(scalars):
        beta1_power, beta2_power, lr = scalars[:3]
        one = lr.dtype.type(1)
        return lr * np.sqrt(one - beta2_power) / (one - beta1_power)

    def update(self, refs, scalars, grad, attrs):
        (var, m, v), (beta1, beta2, epsilon) = refs, scalars[3:]
        one = var.dtype.type(1)
        alpha = self._alpha(scalars)
        scratch = np.subtract(grad, m, out=_temp(var))
        scratch *= one - beta1
        m += scratch
        np.square(grad, out=scratch)
        scratch -= v
        scratch *= one - beta2
        v += scratch
        if attrs.get("use_nesterov", False):
            step = np.multiply(grad, one - beta1, out=_temp(var))
            np.multiply(m, beta1, out=scratch)
            step += scratch
            step *= alpha
        else:
            step = np.multiply(m, alpha, out=_temp(var))
        np.sqrt(v, out=scratch)
        scratch += epsilon
        step /= scratch
        var -= step


def _ftrl_update(var, accum, linear, grad, lr, l1, l2, lr_power, l2_shrinkage=None):
    """FTRL-Proximal as TF's ApplyFtrl(V2) functors; ``accum`` holds accum^(-lr_power)
    transiently and ends as accum + grad²."""
    new_accum = np.square(grad, out=_temp(var))
    new_accum += accum
    power = -lr_power
    sqrt_case = lr_power == var.dtype.type(-0.5)
    scratch = (np.sqrt(accum, out=_temp(var)) if sqrt_case
               else np.power(accum, power, out=_temp(var)))
    if sqrt_case:
        np.sqrt(new_accum, out=accum)
    else:
        np.power(new_accum, power, out=accum)
    # accum = new_accum^p, scratch = old_accum^p:  sigma = (new^p - old^p) / lr
    np.subtract(accum, scratch, out=scratch)
    scratch /= lr
    scratch *= var
    if l2_shrinkage is None:
        np.subtract(grad, scratch, out=scratch)
    else:
        shrunk = np.multiply(var, var.dtype.type(2) * l2_shrinkage, out=_temp(var))
        shrunk += grad
        np.subtract(shrunk, scratch, out=scratch)
    linear += scratch
    # y = new^p / lr + 2 l2 ; x = l1 sign(linear) - linear ; var = |linear| > l1 ? x / y : 0
    np.divide(accum, lr, out=scratch)
    scratch += var.dtype.type(2) * l2
    np.sign(linear, out=var)
    var *= l1
    var -= linear
    var /= scratch
    np.abs(linear, out=scratch)
    np.copyto(var, 0, where=~np.greater(scratch, l1))
    np.copyto(accum, new_accum)


_FTRL_CHECKS = {
    "lr": (_positive, "lr is not a positive scalar"),
    "l1": (_non_negative, "l1 regularization strength is not a non-negative scalar"),
    "l2": (_non_negative, "l2 regularization strength is not a non-negative scalar"),
    "l2_shrinkage": (_non_negative,
                     "l2 shrinkage regularization strength is not a non-negative scalar"),
    "lr_power": (_non_positive, "lr_power is not a non-positive scalar"),
}


@_register
class ApplyFtrl(_ApplyOp):
    """FTRL-Proximal (McMahan et al. 2013) with l1/l2 regularisation and the
    learning-rate power (-0.5: per-coordinate 1/sqrt schedule)."""

    input_names = ("var", "accum", "linear", "grad", "lr", "l1", "l2", "lr_power")
    ref_inputs = (0, 1, 2)
    scalar_checks = _FTRL_CHECKS

    def update(self, refs, scalars, grad, attrs):
        (var, accum, linear), (lr, l1, l2, lr_power) = refs, scalars
        _ftrl_update(var, accum, linear, grad, lr, l1, l2, lr_power)


@_register
class ApplyFtrlV2(_ApplyOp):
    """ApplyFtrl with L2 shrinkage: the linear term sees grad + 2 l2_shrinkage var."""

    input_names = ("var", "accum", "linear", "grad", "lr", "l1", "l2", "l2_shrinkage",
                   "lr_power")
    ref_inputs = (0, 1, 2)
    scalar_checks = _FTRL_CHECKS

    def update(self, refs, scalars, grad, attrs):
        (var, accum, linear), (lr, l1, l2, l2_shrinkage, lr_power) = refs, scalars
        _ftrl_update(var, accum, linear, grad, lr, l1, l2, lr_power, l2_shrinkage)


@_register
class ApplyAdadelta(_ApplyOp):
    """accum = rho accum + (1 - rho) g²; update = sqrt(accum_update + eps) / sqrt(accum + eps)
    * g; var -= lr update; accum_update = rho accum_update + (1 - rho) update²."""

    input_names = ("var", "accum", "accum_update", "lr", "rho", "epsilon", "grad")
    ref_inputs = (0, 1, 2)

    def update(self, refs, scalars, grad, attrs):
        (var, accum, accum_update), (lr, rho, epsilon) = refs, scalars
        one_minus_rho = var.dtype.type(1) - rho
        scratch = np.square(grad, out=_temp(var))
        scratch *= one_minus_rho
        accum *= rho
        accum += scratch
        step = np.add(accum_update, epsilon, out=_temp(var))
        np.sqrt(step, out=step)
        np.add(accum, epsilon, out=scratch)
        np.sqrt(scratch, out=scratch)
        step /= scratch
        step *= grad
        np.multiply(step, lr, out=scratch)
        var -= scratch
        np.square(step, out=step)
        step *= one_minus_rho
        accum_update *= rho
        accum_update += step


@_register
class ApplyProximalGradientDescent(_ApplyOp):
    """FOBOS: prox = var - alpha delta; var = sign(prox) max(|prox| - alpha l1, 0) /
    (1 + alpha l2) (just prox / (1 + alpha l2) when l1 == 0)."""

    input_names = ("var", "alpha", "l1", "l2", "delta")
    ref_inputs = (0,)
    grad_name = "delta"

    def update(self, refs, scalars, grad, attrs):
        (var,), (alpha, l1, l2) = refs, scalars
        scratch = np.multiply(grad, alpha, out=_temp(var))
        var -= scratch
        denominator = var.dtype.type(1) + l2 * alpha
        if l1 > 0:
            np.abs(var, out=scratch)
            scratch -= alpha * l1
            np.maximum(scratch, 0, out=scratch)
            np.sign(var, out=var)
            var *= scratch
        var /= denominator


@_register
class ApplyProximalAdagrad(_ApplyOp):
    """FOBOS with Adagrad's rate: accum += grad²; rate = lr / sqrt(accum); prox = var - rate
    grad; var = sign(prox) max(|prox| - rate l1, 0) / (1 + rate l2) (prox / (1 + rate l2)
    when l1 == 0)."""

    input_names = ("var", "accum", "lr", "l1", "l2", "grad")
    ref_inputs = (0, 1)
    scalar_checks = {"lr": _FTRL_CHECKS["lr"], "l1": _FTRL_CHECKS["l1"],
                     "l2": _FTRL_CHECKS["l2"]}

    def update(self, refs, scalars, grad, attrs):
        (var, accum), (lr, l1, l2) = refs, scalars
        rate = np.square(grad, out=_temp(var))
        accum += rate
        np.sqrt(accum, out=rate)
        np.divide(lr, rate, out=rate)
        scratch = np.multiply(grad, rate, out=_temp(var))
        var -= scratch
        if l1 > 0:
            np.abs(var, out=scratch)
            scratch -= np.multiply(rate, l1, out=_temp(var))
            np.maximum(scratch, 0, out=scratch)
            np.sign(var, out=var)
            var *= scratch
        rate *= l2
        rate += var.dtype.type(1)
        var /= rate


@_register
class ApplyAdagradDA(_ApplyOp):
    """Adagrad dual averaging: g += grad; gg += grad²; with T = global_step,
    var = -lr sign(g) max(|g| - T l1, 0) / (l2 T lr + sqrt(gg)) (-lr g / (...) when
    l1 == 0)."""

    input_names = ("var", "gradient_accumulator", "gradient_squared_accumulator", "grad",
                   "lr", "l1", "l2", "global_step")
    ref_inputs = (0, 1, 2)
    fixed_dtypes = {"global_step": dtypes.int64}

    def update(self, refs, scalars, grad, attrs):
        (var, accumulator, squared_accumulator), (lr, l1, l2, global_step) = refs, scalars
        accumulator += grad
        denominator = np.square(grad, out=_temp(var))
        squared_accumulator += denominator
        np.sqrt(squared_accumulator, out=denominator)
        denominator += l2 * (global_step * lr)
        if l1 > 0:
            np.abs(accumulator, out=var)
            var -= global_step * l1
            np.maximum(var, 0, out=var)
            var *= np.sign(accumulator, out=_temp(var))
            var *= -lr
        else:
            np.multiply(accumulator, lr, out=var)
            np.negative(var, out=var)
        var /= denominator


# ---- builders (TF's generated training_ops wrappers) ---------------------------------------------
apply_gradient_descent = _builder("apply_gradient_descent", "ApplyGradientDescent",
                                  {"use_locking": False})
apply_momentum = _builder("apply_momentum", "ApplyMomentum",
                          {"use_locking": False, "use_nesterov": False})
apply_adagrad = _builder("apply_adagrad", "ApplyAdagrad",
                         {"use_locking": False, "update_slots": True})
apply_rms_prop = _builder("apply_rms_prop", "ApplyRMSProp", {"use_locking": False})
apply_centered_rms_prop = _builder("apply_centered_rms_prop", "ApplyCenteredRMSProp",
                                   {"use_locking": False})
apply_adam = _builder("apply_adam", "ApplyAdam", {"use_locking": False, "use_nesterov": False})
apply_ftrl = _builder("apply_ftrl", "ApplyFtrl", {"use_locking": False})
apply_ftrl_v2 = _builder("apply_ftrl_v2", "ApplyFtrlV2", {"use_locking": False})
apply_adadelta = _builder("apply_adadelta", "ApplyAdadelta", {"use_locking": False})
apply_proximal_gradient_descent = _builder(
    "apply_proximal_gradient_descent", "ApplyProximalGradientDescent", {"use_locking": False})
apply_proximal_adagrad = _builder("apply_proximal_adagrad", "ApplyProximalAdagrad",
                                  {"use_locking": False})
apply_adagrad_da = _builder("apply_adagrad_da", "ApplyAdagradDA", {"use_locking": False})

# TF does not export the Apply* builders as tf.* (only as training_ops / tf.raw_ops).
__all__ = []
