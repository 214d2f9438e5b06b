"""Control flow: ``tf.no_op``, ``tf.group``, ``tf.tuple`` (TF's control_flow_ops)."""
import builtins

import numpy as np

from tfcompat.framework import dtypes, ops, tensor_shape
from tfcompat.ops.indexed_slices import IndexedSlices, convert_to_tensor_or_indexed_slices
from tfcompat.framework.op_def import DEAD, OpDef, make_op, register_op
from tfcompat.ops import array_ops, state_ops


@register_op
class NoOp(OpDef):
    """Does nothing; used to group control dependencies (``tf.no_op``, ``tf.group``)."""

    differentiable = False

    def infer(self, op):
        return []

    def kernel(self, op, ctx):
        return lambda: None


def no_op(name=None):
    return make_op("NoOp", name=name or "NoOp")


def _flattened(items):
    """The leaves of nested lists / tuples, in order (tf.group flattens its inputs)."""
    for item in items:
        if isinstance(item, (list, builtins.tuple)):
            yield from _flattened(item)
        else:
            yield item


def group(*inputs, name=None):
    """An op that runs all ``inputs`` (``tf.group``), nested lists of them flattened."""
    controls = []
    for item in _flattened(inputs):
        if hasattr(item, "_as_graph_element"):
            item = item._as_graph_element()
        if isinstance(item, ops.Tensor):
            item = item.op
        if not isinstance(item, ops.Operation):
            raise TypeError(f"Expected an Operation or Tensor in tf.group, got {item!r}")
        controls.append(item)
    with ops.name_scope(name, "group_deps", controls) as scope:
        with ops.control_dependencies(controls):
            return no_op(name=scope)


def tuple(tensors, name=None, control_inputs=None):  # noqa: A001 (tf.tuple)
    """Returns identities of ``tensors`` that are available only after all of them are,
    named as TF's: "tuple/group_deps" and "tuple/control_dependency", "..._1"."""
    tensors = [convert_to_tensor_or_indexed_slices(t) if t is not None else None
               for t in tensors]
    with ops.name_scope(name, "tuple", [t for t in tensors if t is not None]):
        gate = group(*[t.values if isinstance(t, IndexedSlices) else t
                       for t in tensors if t is not None], *(control_inputs or ()))
        return [_with_dependencies([gate], t) if t is not None else None for t in tensors]


def _with_dependencies(dependencies, tensor):
    """An identity of ``tensor`` that runs after ``dependencies`` (TF's with_dependencies);
    for IndexedSlices, of their values."""
    if isinstance(tensor, IndexedSlices):
        return IndexedSlices(_with_dependencies(dependencies, tensor.values), tensor.indices,
                             tensor.dense_shape)
    with ops.name_scope(None, "control_dependency", [tensor] + list(dependencies)) as scope:
        with ops.control_dependencies(dependencies):
            return array_ops.identity(tensor, name=scope)


# ---- tf.cond: Switch / Merge with dead-branch semantics (TF 1.x control_flow_ops) ----------
def _check_predicate(op):
    pred = op.inputs[1]
    if pred.dtype.base_dtype != dtypes.bool or pred.shape.ndims not in (None, 0):
        raise ValueError(f"'{op.name}': the predicate of a {op.type}/tf.cond must be a scalar "
                         f"bool tensor, got {pred.dtype.base_dtype.name} of shape {pred.shape}")


@register_op
class Switch(OpDef):
    """Forwards ``data`` to output 1 when ``pred`` is true, else to output 0; the other
    output is dead, so everything that depends on it is skipped."""

    may_alias_input = True
    switches = True

    def infer(self, op):
        _check_predicate(op)
        data = op.inputs[0]
        out = (data.shape, data.dtype.base_dtype)
        return [out, out]

    def kernel(self, op, ctx):
        return lambda data, pred: (DEAD, data) if pred else (data, DEAD)

    def grad(self, op, grad_false, grad_true):
        # TF's _SwitchGrad: merge the gradients of the two branches (only one is alive);
        # a branch that did not use the value contributes zeros guarded by its own output.
        if grad_false is None and grad_true is None:
            return [None, None]
        if grad_false is None:
            grad_false = array_ops.zeros_like(op.outputs[0])
        if grad_true is None:
            grad_true = array_ops.zeros_like(op.outputs[1])
        return [merge([grad_false, grad_true], name="cond_grad")[0], None]


@register_op
class RefSwitch(OpDef):
    """Switch of a variable's ref (TF 1.x's tf.cond on a ref input, e.g. the moving-average
    AssignSub of batch norm in graphs real TensorFlow wrote): the outputs are refs of the same
    variable, one of them dead. Assignments through them find the variable directly."""

    ref_inputs = (0,)
    may_alias_input = True
    switches = True

    def infer(self, op):
        _check_predicate(op)
        data = op.inputs[0]
        if not data.dtype.is_ref_dtype:
            raise TypeError(f"'{op.name}': RefSwitch needs a variable ref as its data input, got "
                            f"{data.name} of type {data.dtype.name}")
        return [(data.shape, data.dtype), (data.shape, data.dtype)]

    def kernel(self, op, ctx):
        var_op = state_ops.variable_op_of(op.inputs[0])
        read = state_ops.variable_reader(var_op, ctx)
        store = ctx.variables
        # An output nothing consumes (the other branch of initialized_value's cond) is not
        # read: it may be the uninitialised side. Fetching it then fails as a dead value.
        readers = [read if output.consumers() else (lambda: store.get(var_op, DEAD))
                   for output in op.outputs]
        return lambda pred: (DEAD, readers[1]()) if pred else (readers[0](), DEAD)

    def grad(self, op, grad_false, grad_true):
        return Switch.grad(self, op, grad_false, grad_true)


@register_op
class Merge(OpDef):
    """Forwards whichever input is alive, and its index (the join of a tf.cond)."""

    accepts_dead_inputs = True
    may_alias_input = True

    def infer(self, op):
        shape = op.inputs[0].shape
        for t in op.inputs[1:]:
            if t.dtype.base_dtype != op.inputs[0].dtype.base_dtype:
                raise TypeError(f"'{op.name}': the branches of tf.cond must return the same "
                                f"dtypes, got {op.inputs[0].dtype.base_dtype.name} and "
                                f"{t.dtype.base_dtype.name}")
            shape = shape if shape == t.shape else _most_specific_compatible(shape, t.shape)
        return [(shape, op.inputs[0].dtype.base_dtype),
                (tensor_shape.scalar(), dtypes.int32)]

    def kernel(self, op, ctx):
        def merge_kernel(*inputs):
            for index, value in enumerate(inputs):
                if value is not DEAD:
                    return value, np.array(index, np.int32)
            return DEAD, DEAD
        return merge_kernel

    def grad(self, op, grad, _):
        pred = op._cond_pred
        grad_false, grad_true = switch(grad, pred)
        return [grad_false, grad_true]


def _most_specific_compatible(a, b):
    if a.ndims is None or b.ndims is None or a.ndims != b.ndims:
        return tensor_shape.unknown_shape()
    return tensor_shape.TensorShape([x if x == y else None
                                     for x, y in zip(a.as_list(), b.as_list())])


def switch(data, pred, name=None):
    """``(output_false, output_true) = tf.switch(data, pred)``."""
    data = ops.convert_to_tensor(data)
    pred = ops.convert_to_tensor(pred, dtype=dtypes.bool)
    return make_op("Switch", [data, pred], name=name or "Switch").outputs


def merge(inputs, name=None):
    """``(output, value_index) = merge(inputs)``."""
    inputs = [ops.convert_to_tensor(t) for t in inputs]
    return make_op("Merge", inputs, {"N": len(inputs)}, name=name or "Merge").outputs


class CondContext:
    """While a branch of tf.cond is built, every tensor it uses from outside is routed
    through a Switch on the predicate, and ops without inputs get a control dependency on the
    branch's pivot, so that the whole branch is dead when not taken (TF 1.x CondContext)."""

    def __init__(self, pred, pivot, branch, outer):
        self.pred = pred
        self.pivot = pivot
        self.branch = branch
        self.outer = outer
        self._captured = {}

    def contains(self, op):
        context = getattr(op, "_control_flow_context", None)
        while context is not None:
            if context is self:
                return True
            context = context.outer
        return False

    def capture(self, tensor):
        if self.contains(tensor.op) or tensor is self.pivot:
            return tensor
        captured = self._captured.get(tensor)
        if captured is None:
            graph = tensor.graph
            saved = graph._control_flow_context
            graph._control_flow_context = self.outer
            try:
                value = self.outer.capture(tensor) if self.outer is not None else tensor
                if value.dtype.is_ref_dtype:  # a variable's ref: TF's RefSwitch keeps it one
                    captured = make_op("RefSwitch", [value, self.pred],
                                       name="Switch").outputs[self.branch]
                else:
                    captured = switch(value, self.pred)[self.branch]
            finally:
                graph._control_flow_context = saved
            self._captured[tensor] = captured
        return captured


def cond(pred, true_fn=None, false_fn=None, strict=False, name=None, fn1=None, fn2=None):
    """``tf.cond(pred, true_fn, false_fn)``: only the taken branch runs. Both functions must
    return the same structure of tensors (a tensor, or a list/tuple of them)."""
    true_fn = true_fn if true_fn is not None else fn1
    false_fn = false_fn if false_fn is not None else fn2
    if not callable(true_fn) or not callable(false_fn):
        raise TypeError("true_fn and false_fn must be callable.")
    with ops.name_scope(name, "cond", [pred]):
        pred = ops.convert_to_tensor(pred)
        if pred.dtype.base_dtype != dtypes.bool or pred.shape.ndims not in (None, 0):
            raise TypeError(f"pred must be a scalar bool tensor, got {pred.dtype.base_dtype.name}"
                            f" of shape {pred.shape}")
        graph = pred.graph
        p_false, p_true = switch(pred, pred)
        pivots = [array_ops.identity(p_false, name="switch_f"),
                  array_ops.identity(p_true, name="switch_t")]
        pred_id = array_ops.identity(pred, name="pred_id")
        outer = graph._control_flow_context
        results = []
        for branch, fn in ((1, true_fn), (0, false_fn)):
            context = CondContext(pred_id, pivots[branch], branch, outer)
            graph._control_flow_context = context
            try:
                value = fn()
                flat = value if isinstance(value, (list, builtins.tuple)) else [value]
                if any(v is None for v in flat):
                    raise ValueError("true_fn and false_fn must return tensors (got None); "
                                     "use tf.no_op()-free branches that return values")
                # As TF's _BuildCondTensor: a tensor of the branch is its output as is, an
                # outside tensor goes through the branch's Switch (no extra Identity).
                flat = [context.capture(ops.convert_to_tensor(v)) if not isinstance(
                    v, ops.Operation) else _op_result(v, context) for v in flat]
            finally:
                graph._control_flow_context = outer
            results.append((value, flat))
        (true_value, true_flat), (_, false_flat) = results
        if len(true_flat) != len(false_flat):
            raise ValueError(f"true_fn and false_fn must return the same number of outputs, got "
                             f"{len(true_flat)} and {len(false_flat)}")
        merged = []
        for f, t in zip(false_flat, true_flat):
            out, _ = merge([f, t])
            out.op._cond_pred = pred_id
            merged.append(out)
    if isinstance(true_value, list):
        return merged
    if isinstance(true_value, builtins.tuple):
        return builtins.tuple(merged)
    return merged[0]


def _op_result(operation, context):
    """An op returned by a branch becomes a dummy tensor that is alive only if it ran."""
    with ops.control_dependencies([operation]):
        return array_ops.identity(context.pivot)


@register_op
class ControlTrigger(NoOp):
    """Does nothing, even on a dead branch (TF's gradient loops order pops with it)."""

    op_type = "ControlTrigger"


# The public builders re-exported as tf.*; extend when adding one.
__all__ = [
    "cond",
    "no_op",
    "group",
    "tuple",
]
