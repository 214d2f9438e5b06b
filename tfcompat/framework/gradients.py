"""Reverse-mode autodiff as graph construction (``tf.gradients``, TF 1.x gradients_impl).

Starting from ``ys``, ops are visited in reverse topological order (an op is processed once
all its consumers between ``xs`` and ``ys`` have contributed their gradients); each op's
registered ``grad`` builds the gradient ops under the name scope ``gradients/<op>_grad``.
Gradients reaching one tensor from several consumers are summed with ``AddN``.
"""
from tfcompat.framework import ops


def _as_list(value):
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _is_trainable(tensor):
    return tensor.dtype.base_dtype.is_differentiable


def gradients(ys, xs, grad_ys=None, name="gradients", colocate_gradients_with_ops=False,
              gate_gradients=False, aggregation_method=None, stop_gradients=None):
    """Returns d(sum(ys))/dx for each x in ``xs`` (None where x does not affect ys)."""
    ys = [ops.convert_to_tensor(y) for y in _as_list(ys)]
    xs = [ops.convert_to_tensor(x, as_ref=True) for x in _as_list(xs)]
    grad_ys = [None] * len(ys) if grad_ys is None else _as_list(grad_ys)
    if len(grad_ys) != len(ys):
        raise ValueError(f"Passed {len(grad_ys)} grad_ys for {len(ys)} ys")
    stop_ops = {ops.convert_to_tensor(t).op for t in _as_list(stop_gradients or [])}
    graph = ys[0].graph if ys else ops.get_default_graph()
    with graph.as_default(), ops.name_scope(name, "gradients", ys + xs) as scope:
        with ops.name_scope(scope):
            grad_ys = _default_grad_ys(ys, grad_ys)
        pending, between = _pending_counts(ys, xs)
        accumulated = {}
        for y, grad_y in zip(ys, grad_ys):
            accumulated.setdefault(y, []).append(grad_y)
        ready = [y.op for y in ys if pending.get(y.op, 0) == 0]
        ready = list(dict.fromkeys(ready))
        while ready:
            op = ready.pop()
            if op not in between:
                continue
            with ops.name_scope(scope), ops.name_scope(op.name + "_grad"):
                out_grads = _aggregate(op, accumulated)
                if op not in stop_ops and any(g is not None for g in out_grads):
                    for tensor, grad in zip(op.inputs, _op_gradients(op, out_grads)):
                        if grad is not None and _is_trainable(tensor):
                            accumulated.setdefault(tensor, []).append(grad)
            for tensor in op.inputs:
                if tensor.op in pending:
                    pending[tensor.op] -= 1
                    if pending[tensor.op] == 0:
                        ready.append(tensor.op)
        results = []
        with ops.name_scope(scope):
            for x in xs:
                grads = [g for g in accumulated.get(x, []) if g is not None]
                if not grads:
                    results.append(None)
                elif len(grads) == 1:
                    results.append(grads[0])
                else:
                    from tfcompat.ops.math_ops import add_n
                    results.append(add_n(grads))
        return results


def _default_grad_ys(ys, grad_ys):
    """Missing grad_ys are ones shaped like y (TF: ``fill(shape(y), 1)``)."""
    from tfcompat.ops import array_ops
    out = []
    for i, (y, grad_y) in enumerate(zip(ys, grad_ys)):
        if grad_y is None:
            if not _is_trainable(y):
                raise TypeError(f"Gradients of {y.dtype.base_dtype.name} tensors are not "
                                f"defined: {y.name} is not differentiable.")
            one = array_ops.constant(1, dtype=y.dtype.base_dtype, name=f"grad_ys_{i}")
            if y.shape.is_fully_defined():
                grad_y = array_ops.fill(y.shape.as_list(), one) if y.shape.ndims else one
            else:
                grad_y = array_ops.fill(array_ops.shape(y), one)
        else:
            grad_y = ops.convert_to_tensor(grad_y, dtype=y.dtype.base_dtype)
        out.append(grad_y)
    return out


def _pending_counts(ys, xs):
    """Ops on a path from some x to some y, and for each the number of consumer edges among
    those ops (an op is ready when they have all delivered their gradients)."""
    reached = set()
    stack = [x.op for x in xs]
    while stack:
        op = stack.pop()
        if op in reached:
            continue
        reached.add(op)
        for out in op.outputs:
            stack.extend(out.consumers())
    between = set()
    stack = [y.op for y in ys]
    while stack:
        op = stack.pop()
        if op in between or op not in reached:
            continue
        between.add(op)
        stack.extend(t.op for t in op.inputs)
    pending = {}
    for op in between:
        for tensor in op.inputs:
            if tensor.op in between:
                pending[tensor.op] = pending.get(tensor.op, 0) + 1
    for op in between:
        pending.setdefault(op, 0)
    return pending, between


def _aggregate(op, accumulated):
    from tfcompat.ops.math_ops import add_n
    out_grads = []
    for out in op.outputs:
        grads = [g for g in accumulated.get(out, []) if g is not None]
        if not grads:
            out_grads.append(None)
        elif len(grads) == 1:
            out_grads.append(grads[0])
        else:
            out_grads.append(add_n(grads))
    return out_grads


def _op_gradients(op, out_grads):
    from tfcompat.ops import array_ops
    op_def = op.op_def
    if not op_def.differentiable:
        return [None] * len(op.inputs)
    grad_fn = op_def.grad
    override = op.graph._gradient_override_map.get(op.type)
    if override is not None:
        from tfcompat.framework.op_def import get_op_def
        grad_fn = get_op_def(override).grad if isinstance(override, str) else override
    if grad_fn is None:
        raise LookupError(f"No gradient defined for operation '{op.name}' (op type: {op.type}). "
                          "tfcompat does not support this gradient yet"
                          + (" (second-order gradients of this op are not implemented)"
                             if op.name.startswith("gradients") else "") + ".")
    # Ops with several outputs get zeros for the outputs no gradient reached (TF 1.x).
    if len(out_grads) > 1 and any(g is None for g in out_grads):
        out_grads = [g if g is not None or not _is_trainable(out) else array_ops.zeros_like(out)
                     for g, out in zip(out_grads, op.outputs)]
    in_grads = list(grad_fn(op, *out_grads))
    if len(in_grads) != len(op.inputs):
        raise ValueError(f"Num gradients {len(in_grads)} generated for op {op.name} do not "
                         f"match num inputs {len(op.inputs)}")
    return in_grads
