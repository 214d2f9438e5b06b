"""Reverse-mode autodiff as graph construction (``tf.gradients``, TF 1.x gradients_impl).

Starting from ``ys``, ops are visited in reverse topological order (an op is processed once
all its consumers between ``xs`` and ``ys`` have contributed their gradients); each op's
registered ``grad`` builds the gradient ops under the name scope ``gradients/<op>_grad``.
Gradients reaching one tensor from several consumers are summed with ``AddN``.

Gradients may be ``IndexedSlices`` (GatherV2's for axis 0): they pass through Identity ops
(a variable's ``read``) as they are, several of them aggregate by concatenating their rows
(with a dense one among them, AddN of the densified values, as TF's
``_AggregateIndexedSlicesGradients``), and any other op's gradient function gets them
densified.
"""
import collections

from tfcompat.framework import dtypes, ops
from tfcompat.framework.while_frames import Frame, FrameIndex
from tfcompat.ops.indexed_slices import IndexedSlices

# Ops whose gradient functions take IndexedSlices as they are (TF's _IdGrad).
_SPARSE_GRADIENT_OPS = frozenset({"Identity"})


def _as_list(value):
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _is_trainable(tensor):
    """Tensors gradients are computed for: floating and complex (TF's IsTrainable)."""
    return tensor.dtype.base_dtype.is_differentiable


def gradients(ys, xs, grad_ys=None, name="gradients", colocate_gradients_with_ops=False,
              gate_gradients=False, aggregation_method=None, stop_gradients=None,
              unconnected_gradients="none"):
    """Returns d(sum(ys))/dx for each x in ``xs`` (None where x does not affect ys, or
    zeros with ``unconnected_gradients="zero"``). ``gate_gradients``: the gradients of each
    op's inputs pass through a tf.tuple ("<op>_grad/tuple/control_dependency"), as the
    optimizers' default GATE_OP asks.

    Only paths of floating-point tensors carry gradients: an integer or boolean x or y, or a
    path through an integer tensor, gives None. ``stop_gradients`` are tensors treated as
    constants. A differentiable op without a registered gradient raises LookupError.
    """
    unconnected = str(getattr(unconnected_gradients, "value", unconnected_gradients))
    if unconnected not in ("none", "zero"):
        raise ValueError(f"Unknown value for unconnected_gradients: {unconnected_gradients!r}")
    ys = _as_list(ys)
    xs = _as_list(xs)
    stop_gradients = [] if stop_gradients is None else _as_list(stop_gradients)
    grad_ys = [None] * len(ys) if grad_ys is None else _as_list(grad_ys)
    if len(grad_ys) != len(ys):
        raise ValueError(f"Passed {len(grad_ys)} grad_ys for {len(ys)} ys")
    graph = ops._graph_from_values(ys + xs + stop_gradients)
    with graph.as_default(), ops.name_scope(name, "gradients", ys + xs + stop_gradients):
        ys = [ops.convert_to_tensor(y) for y in ys]
        xs = [ops.convert_to_tensor(x, as_ref=True) for x in xs]
        stop_ops = {ops.convert_to_tensor(t).op for t in stop_gradients}
        grad_ys = _default_grad_ys(ys, grad_ys)

        loops = _Loops(graph)
        from_ops = [loops.producer(x) for x in xs]
        between, pending = _pending_counts([loops.producer(y) for y in ys], from_ops, loops)
        # TF's _StopOps: an x whose inputs lie outside the subgraph needs no gradient function.
        for op in from_ops:
            if all(pending.get(loops.producer(t), 0) == 0 for t in op.inputs):
                stop_ops.add(op)

        grads = {}  # tensor -> list of gradient contributions (aggregated when its op runs)
        for y, grad_y in zip(ys, grad_ys):
            grads.setdefault(y, []).append(grad_y)
        queue = collections.deque()
        queued = set()
        for y in ys:
            y_op = loops.producer(y)
            if y_op in between and pending.get(y_op, 0) == 0 and y_op not in queued:
                queued.add(y_op)
                queue.append(y_op)
        while queue:
            op = queue.popleft()
            out_grads = [_aggregate(grads, t) for t in op.outputs]  # (for every op, as TF)
            if op not in stop_ops and any(g is not None for g in out_grads):
                _backpropagate(op, out_grads, grads, gate_gradients)
            for tensor in op.inputs:
                producer = loops.producer(tensor)
                if producer in pending:
                    pending[producer] -= 1
                    if pending[producer] == 0:
                        queue.append(producer)

        results = []
        for x in xs:
            grad = _aggregate(grads, x)
            if grad is None and unconnected == "zero":
                from tfcompat.ops import array_ops
                grad = array_ops.zeros_like(x)
            results.append(grad)
        return results


def _backpropagate(op, out_grads, grads, gate_gradients):
    """Adds the gradients of ``op``'s inputs to ``grads`` (tensor -> contributions), from
    its outputs' aggregated gradients ``out_grads``, under the name scope "<op>_grad"."""
    with ops.name_scope(op.name + "_grad"):
        in_grads = _op_gradients(op, out_grads)
        if gate_gradients and sum(g is not None for g in in_grads) > 1:
            # TF's gate: an op's input gradients are available together.
            from tfcompat.ops import control_flow_ops
            in_grads = control_flow_ops.tuple(in_grads)
    for index, (tensor, grad) in enumerate(zip(op.inputs, in_grads)):
        if grad is None:
            continue
        if isinstance(grad, ops.Tensor):
            try:
                grad.set_shape(tensor.shape)
            except ValueError:
                raise ValueError(
                    "Incompatible shapes between op input and calculated input gradient.  "
                    f"Forward operation: {op.name}.  Input index: {index}. Original input "
                    f"shape: {tensor.shape}.  Calculated input gradient shape: "
                    f"{grad.shape}") from None
        grads.setdefault(tensor, []).append(grad)


def _default_grad_ys(ys, grad_ys):
    """Missing grad_ys are ones shaped like y (TF: ``fill(shape(y), 1)``); given ones are
    converted to y's dtype."""
    from tfcompat.ops import array_ops
    out = []
    for i, (y, grad_y) in enumerate(zip(ys, grad_ys)):
        if grad_y is None:
            if y.dtype.is_complex:
                raise TypeError(f"Gradients of complex tensors must set grad_ys (y.dtype = "
                                f"{y.dtype.base_dtype!r})")
            one = array_ops.constant(1, dtype=y.dtype.base_dtype, name=f"grad_ys_{i}")
            if y.shape.is_fully_defined():
                grad_y = array_ops.fill(y.shape.as_list(), one) if y.shape.ndims else one
            else:
                grad_y = array_ops.fill(array_ops.shape(y), one)
        else:
            grad_y = ops.convert_to_tensor(grad_y, dtype=y.dtype.base_dtype,
                                           name=f"grad_ys_{i}")
        out.append(grad_y)
    return out


class _Loops:
    """While frames as single nodes (``while_frames``): an Exit's producer and an Enter's
    consumer are the frame; a NextIteration is never followed (the loop's back edge)."""

    def __init__(self, graph):
        self._graph = graph
        self._index = None

    def _frame_of(self, op):
        if self._index is None:
            self._index = FrameIndex(self._graph)
        return self._index.frame_of(op)

    def producer(self, tensor):
        op = tensor.op
        return self._frame_of(op) if op.type == "Exit" else op

    def consumers(self, tensor):
        found = []
        for op in tensor.consumers():
            if op.type in ("Enter", "RefEnter"):
                op = self._frame_of(op)
            elif op.type == "NextIteration":
                continue
            if op not in found:
                found.append(op)
        return found


def _pending_counts(to_ops, from_ops, loops):
    """The ops on a path of differentiable tensors from some x to some y ("between"), and for
    each the number of its consumer edges inside that set: an op's gradient is built once all
    of them have delivered their contributions, so every op is visited exactly once."""
    reached = set()
    stack = list(from_ops)
    while stack:
        op = stack.pop()
        if op in reached:
            continue
        reached.add(op)
        for out in op.outputs:
            if _is_trainable(out):
                stack.extend(loops.consumers(out))
    between = set()
    stack = list(to_ops)
    while stack:
        op = stack.pop()
        if op in between or op not in reached:
            continue
        between.add(op)
        stack.extend(loops.producer(t) for t in op.inputs)
    pending = {}
    for op in between:
        for tensor in op.inputs:
            producer = loops.producer(tensor)
            if producer in between:
                pending[producer] = pending.get(producer, 0) + 1
    return between, pending


def _aggregate(grads, tensor):
    """The total gradient of ``tensor``: None, its single contribution, or their AddN (built
    once; the sum replaces the list)."""
    contributions = [g for g in grads.get(tensor, ()) if g is not None]
    if not contributions:
        return None
    if len(contributions) == 1:
        total = contributions[0]
    elif any(isinstance(g, IndexedSlices) for g in contributions) and not any(
            isinstance(g, ops.Tensor) for g in contributions):
        from tfcompat.ops import array_ops, math_ops
        indices = [g.indices for g in contributions]
        if len({i.dtype.base_dtype for i in indices}) > 1:  # TF concatenates int64 then
            indices = [math_ops.cast(i, dtypes.int64) for i in indices]
        total = IndexedSlices(array_ops.concat([g.values for g in contributions], 0),
                              array_ops.concat(indices, 0), contributions[0].dense_shape)
    else:
        from tfcompat.ops.math_ops import add_n
        total = add_n([ops.convert_to_tensor(g) for g in contributions])
    grads[tensor] = [total]
    return total


def _op_gradients(op, out_grads):
    from tfcompat.ops import array_ops
    if op.type not in _SPARSE_GRADIENT_OPS:
        out_grads = [ops.convert_to_tensor(g) if isinstance(g, IndexedSlices) else g
                     for g in out_grads]
    if isinstance(op, Frame):
        from tfcompat.ops.loop_ops import loop_gradient
        return loop_gradient(op, out_grads)
    op_def = op.op_def
    grad_fn = op_def.grad
    override = getattr(op, "_gradient_override", None) or \
        op.graph._gradient_override_map.get(op.type)
    if not op_def.differentiable and override is None:
        return [None] * len(op.inputs)
    if override is not None:
        from tfcompat.framework.gradient_registry import gradient_function
        grad_fn = gradient_function(override) if isinstance(override, str) else override
    if grad_fn is None:
        second_order = "_grad/" in op.name
        raise LookupError(f"No gradient defined for operation '{op.name}' (op type: {op.type})"
                          + (": it belongs to a gradient, and second-order gradients of "
                             f"{op.type} are not implemented in tfcompat" if second_order
                             else ": tfcompat does not implement this gradient yet") + ".")
    # Ops with several outputs get zeros for the outputs no gradient reached (TF 1.x).
    if len(out_grads) > 1 and any(g is None for g in out_grads):
        out_grads = [g if g is not None or not _is_trainable(out) else array_ops.zeros_like(out)
                     for g, out in zip(out_grads, op.outputs)]
    in_grads = list(grad_fn(op, *out_grads))
    if len(in_grads) != len(op.inputs):
        raise ValueError(f"Num gradients {len(in_grads)} generated for op {op.name} do not "
                         f"match num inputs {len(op.inputs)}")
    return in_grads
