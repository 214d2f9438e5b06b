"""Optimizer updates in specialised plans: the Apply* ops of one optimizer as in-place Numba
passes (``runtime.kernels``), checked together before any is applied, and gradients that
are matrix products accumulated straight into the variable with one GEMM (``runtime.blas``).

Per op type the table below gives the Numba kernel, its coefficients (computed from the
op's scalar inputs, in the variable's dtype) and, where the update is linear in the
gradient, its *product form*: how ``var`` (or a slot) takes ``A·B`` as one GEMM
(``plan.fold_products`` rewrites such MatMul + update pairs). ``batch_update`` applies
the updates of a plan's ``UpdateGroup`` that share a ``batch_key``; a run it cannot vouch
for goes through the op's reference ``split_kernel``, which raises TF's error.
"""
import operator

import numpy as np

from tfcompat.ops.state_ops import variable_op_of
from tfcompat.runtime import blas, kernels, lowering


def _scalars(scalars, attrs):
    return tuple(scalars)


def _momentum(scalars, attrs):
    return (*scalars, attrs.get("use_nesterov", False))


def _adagrad(scalars, attrs):
    return (*scalars, attrs.get("update_slots", True))


def _rms_prop(scalars, attrs):
    lr, rho, momentum, epsilon = scalars
    return lr, rho.dtype.type(1) - rho, momentum, epsilon


def _adam(scalars, attrs):
    beta1_power, beta2_power, lr, beta1, beta2, epsilon = scalars
    one = lr.dtype.type(1)
    alpha = lr * np.sqrt(one - beta2_power) / (one - beta1_power)
    return (alpha, beta1, one - beta1, one - beta2, epsilon, attrs.get("use_nesterov", False))


def _gradient_descent_product(op):
    # var -= alpha·(A·B) is var = (-alpha)·A·B + 1·var
    return lambda alpha: (0, -alpha, 1.0, None)


def _momentum_product(op):
    if op.attrs.get("use_nesterov", False):
        return None  # its step reads the gradient once more

    def form(lr, momentum, nesterov):
        # accum = momentum·accum + A·B (the GEMM), then var -= lr·accum
        return 1, 1.0, momentum, lambda var, accum: kernels.apply_gradient_descent(var, accum,
                                                                                   lr)
    return form


#: op type -> (Numba kernel, its coefficients from (scalars, attrs), product form or None).
UPDATES = {
    "ApplyGradientDescent": (kernels.apply_gradient_descent, _scalars,
                             _gradient_descent_product),
    "ApplyMomentum": (kernels.apply_momentum, _momentum, _momentum_product),
    "ApplyAdagrad": (kernels.apply_adagrad, _adagrad, None),
    "ApplyRMSProp": (kernels.apply_rms_prop, _rms_prop, None),
    "ApplyCenteredRMSProp": (kernels.apply_centered_rms_prop, _rms_prop, None),
    "ApplyAdam": (kernels.apply_adam, _adam, None),
}


def batch_key(op):
    """Updates with equal keys share their scalar inputs and attributes, so one
    ``batch_update`` can apply them; None without a Numba kernel for the op and dtype."""
    dtype = op.inputs[0].dtype.base_dtype.as_numpy_dtype
    if op.type not in UPDATES or dtype not in (np.float32, np.float64):
        return None
    op_def = op.op_def
    n_refs = len(op_def.ref_inputs)
    scalars = tuple(t for t, name in zip(op.inputs[n_refs:], op_def.input_names[n_refs:])
                    if name != op_def.grad_name)
    return op.type, dtype, scalars, tuple(sorted(op.attrs.items()))


def product_form(op):
    """How the update takes a gradient that is a matrix product A·B as one in-place GEMM: a
    function of its coefficients returning (index of the ref the product accumulates into,
    alpha, beta, a follow-up ``(*flat refs) -> None`` or None); None when the update needs
    the gradient itself."""
    rule = UPDATES.get(op.type)
    return None if rule is None or rule[2] is None else rule[2](op)


def gradient_index(op):
    """The position of the gradient among the update's value inputs."""
    op_def = op.op_def
    return op_def.input_names[len(op_def.ref_inputs):].index(op_def.grad_name)


def batch_update(ops, ctx, products=None):
    """(prepare, apply) for updates with one ``batch_key``, over their concatenated value
    inputs: ``prepare(values)`` returns what ``apply`` needs, or None when it cannot vouch
    that every update would pass the checks of ``split_kernel`` exactly as written (a
    variable with new storage that is not plain, a gradient that is a view of a slot, a
    scalar that is not one): the caller then runs ``split_kernel``, which raises TF's error
    or handles the case. ``apply`` writes every update through the Numba kernel and returns
    the variables. The variables' arrays are looked up every run but inspected only when
    they are other objects than last time (the Session replaces a variable's array whenever
    it gets other storage).

    ``products`` (one per update, or None) names the MatMul ops whose products are gradients
    given as their two factors (``plan.ProductUpdate``: A in the gradient's place, B after
    the update's inputs); ``apply`` accumulates such a product straight into the variable or
    slot (``product_form``), or multiplies first where BLAS cannot take the arrays."""
    op_def = ops[0].op_def
    kernel, coefficients_of, _ = UPDATES[ops[0].type]
    dtype = np.dtype(ops[0].inputs[0].dtype.base_dtype.as_numpy_dtype)
    n_refs = len(op_def.ref_inputs)
    value_names = op_def.input_names[n_refs:]
    n_values = len(value_names)
    products = products or [None] * len(ops)
    counts = [n_values + (p is not None) for p in products]
    starts = [sum(counts[:k]) for k in range(len(ops))]
    grad_positions = [start + value_names.index(op_def.grad_name) for start in starts]
    factors = [None if p is None else (start + n_values, p.attrs["transpose_a"],
                                       p.attrs["transpose_b"])
               for start, p in zip(starts, products)]
    fold = product_form(ops[0]) if any(factors) else None
    scalar_positions = [i for i, name in enumerate(value_names) if name != op_def.grad_name]
    read_scalar = _scalar_reader(dtype, [op_def.scalar_checks.get(value_names[i])
                                         for i in scalar_positions])
    refs_of = _refs_reader([variable_op_of(op.inputs[i]) for op in ops
                            for i in op_def.ref_inputs], ctx.variables, dtype, n_refs)
    read_gradient = _gradient_reader(dtype, len(ops))
    attrs = dict(ops[0].attrs)

    def prepare(values):
        layout = refs_of()
        if layout is None:
            return None
        grads = []
        for k, (position, factor, (own, _, shape)) in enumerate(
                zip(grad_positions, factors, layout)):
            if factor is None:
                grad = read_gradient(k, values[position], own, shape, layout)
            else:
                b_position, transpose_a, transpose_b = factor
                grad = _product_factors(values[position], values[b_position], transpose_a,
                                        transpose_b, shape, dtype)
            if grad is None:
                return None
            grads.append(grad)
        scalars = []
        for k, position in enumerate(scalar_positions):
            value = read_scalar(k, values[position])
            if value is None:
                return None
            scalars.append(value)
        return layout, grads, coefficients_of(scalars, attrs)

    def apply(prepared):
        layout, grads, coefficients = prepared
        for (own, flats, _), grad in zip(layout, grads):
            if type(grad) is tuple:  # the factors of a product
                a, transpose_a, b, transpose_b = grad
                target, alpha, beta, follow = fold(*coefficients)
                if blas.gemm(alpha, a, transpose_a, b, transpose_b, beta, own[target]):
                    if follow is not None:
                        follow(*flats)
                    continue
                grad = np.dot(a.T if transpose_a else a, b.T if transpose_b else b)
                grad = grad.reshape(-1)
            kernel(*flats, grad, *coefficients)
        return [own[0] for own, _, _ in layout]
    return prepare, apply


def _refs_reader(var_ops, store, dtype, n_refs):
    """``read()``: per update (its refs, their flat views, the variable's shape), or None
    when a ref is uninitialised or not plain writable storage of ``dtype``. The arrays found
    usable last time are compared by identity only; the layout is replaced, never changed,
    so a run applies the layout its own prepare checked."""
    lookup = operator.itemgetter(*var_ops)  # one C call for all the refs
    known = [(), None]

    def usable(refs):
        for array in refs:
            if array is None or array.dtype != dtype or not array.flags.c_contiguous \
                    or not array.flags.writeable:
                return False
        return all(refs[k].shape == refs[k - k % n_refs].shape for k in range(len(refs)))

    def read():
        try:
            refs = lookup(store)
        except KeyError:  # uninitialised: the split kernels raise TF's error
            return None
        if len(var_ops) == 1:
            refs = (refs,)
        seen, layout = known
        if len(refs) != len(seen) or not all(map(operator.is_, refs, seen)):
            if not usable(refs):
                return None
            layout = [(refs[k:k + n_refs], [a.reshape(-1) for a in refs[k:k + n_refs]],
                       refs[k].shape) for k in range(0, len(refs), n_refs)]
            known[:] = refs, layout
        return layout
    return read


def _gradient_reader(dtype, count):
    """``read(k, value, own, shape, layout)``: update ``k``'s flat gradient, or None. The
    gradient array found plain last time (with the same layout) is not checked again: plans
    write gradients into storage they keep, so usually the same object comes again."""
    checked = [(None, None, None)] * count  # per update: (layout, gradient, its flat view)

    def read(k, value, own, shape, layout):
        last_layout, last, flat = checked[k]
        if value is last and last_layout is layout:
            return flat
        flat = _plain_gradient(value, own, shape, dtype)
        checked[k] = (layout, value, flat) if flat is not None else (None, None, None)
        return flat
    return read


def _plain_gradient(grad, own, shape, dtype):
    """The flat gradient, or None when it is not a C-contiguous array of the variable's
    shape and dtype that shares no memory with the variable or its slots."""
    # (Arrays made by Numba carry an equal but not the same dtype object.)
    if type(grad) is not np.ndarray or (grad.dtype is not dtype and grad.dtype != dtype) \
            or grad.shape != shape or not grad.flags.c_contiguous:
        return None
    # A gradient owning its memory overlaps no variable (whose storage is never a view of a
    # value of the graph: Assign copies); a view is checked.
    for array in own:
        if array is grad or (grad.base is not None and np.may_share_memory(grad, array)):
            return None
    return grad.reshape(-1)


def _product_factors(a, b, transpose_a, transpose_b, shape, dtype):
    """(A, transpose_a, B, transpose_b) when op(A)·op(B) has the variable's shape, or None.
    (Factors never alias variables: ``plan.fold_products`` checks.)"""
    if type(a) is not np.ndarray or type(b) is not np.ndarray or a.ndim != 2 \
            or b.ndim != 2 or a.dtype != dtype or b.dtype != dtype:
        return None
    m, k = a.shape[::-1] if transpose_a else a.shape
    k_b, n = b.shape[::-1] if transpose_b else b.shape
    return (a, transpose_a, b, transpose_b) if (m, n) == shape and k == k_b else None


def _scalar_reader(dtype, checks):
    """``read(k, value)``: scalar ``k`` of the update in ``dtype``, or None when it is not a
    0-d array of that dtype passing TF's check. A folded constant (read-only, the same
    object every run) is converted once."""
    frozen = [None] * len(checks)  # per scalar: (read-only input, its scalar)

    def read(k, value):
        cached = frozen[k]
        if cached is not None and cached[0] is value:
            return cached[1]
        if type(value) is not np.ndarray or value.dtype != dtype or value.shape != ():
            return None
        result = value[()]
        check = checks[k]
        if check is not None and not check[0](result):
            return None
        if not value.flags.writeable:
            frozen[k] = (value, result)
        return result
    return read


def written_variables(op):
    """The VariableV2 ops an update writes (its ref inputs)."""
    return [variable_op_of(op.inputs[i]) for i in op.op_def.ref_inputs]


def _single_update(op, ctx):
    """An update outside any group: a batch of one, falling back to the reference."""
    if batch_key(op) is None:
        return None
    prepare, apply = batch_update([op], ctx)
    reference = op.op_def.kernel(op, ctx)

    def update(*values):
        prepared = prepare(values)
        return reference(*values) if prepared is None else apply(prepared)[0]
    return update


for _op_type in UPDATES:
    lowering.fast_kernel(_op_type)(_single_update)
