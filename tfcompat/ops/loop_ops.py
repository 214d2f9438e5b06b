"""``tf.while_loop`` as TF 1.x builds it: a frame of Enter, Merge, Switch, LoopCond,
Identity, NextIteration and Exit ops under the ``while/`` name scope, and its gradient.

Per loop variable the graph holds ``Enter -> Merge -> Switch(LoopCond)``; the Switch's true
output goes through an Identity into the body, whose result returns through NextIteration
as the Merge's second input, and the false output leaves the loop through Exit. Tensors
from outside enter the frame through Enter ops marked ``is_constant`` (loop invariants);
ops without inputs take a control input from the frame's pivot (the first Merge while the
condition is built, the first body Identity after), as in TF's WhileContext.

The gradient (``loop_gradient``) is a second loop that runs as many times as the forward one
(TF's ``f_count`` counter, added to the forward loop when the gradient is first asked for):
forward values the backward body needs are pushed on stacks (StackV2 ``f_acc``) by the
forward loop and popped in reverse order; loop invariants (weights) are read directly and
their gradients accumulated in extra loop variables. A value on a tf.cond branch inside the
body is pushed through a Merge with a dummy from the other branch, so every iteration pushes
once, and its pop is switched on the recorded predicate.
"""
import contextlib

from tfcompat.framework import dtypes, nest, ops, tensor_shape
from tfcompat.framework.op_def import OpDef, make_op, register_op
from tfcompat.ops import array_ops, control_flow_ops, data_flow_ops


@register_op
class Enter(OpDef):
    """Passes a value into the while frame ``frame_name`` (a loop variable's initial value,
    or a loop invariant when ``is_constant``)."""

    may_alias_input = True
    forwards_input = True

    def infer(self, op):
        data = op.inputs[0]
        return [(data.shape, data.dtype.base_dtype)]

    def kernel(self, op, ctx):
        return lambda data: data


@register_op
class RefEnter(OpDef):
    """A variable's ref entering a while frame: assignments in the body find the variable
    through it, and reads through it see the variable's value when they run."""

    ref_inputs = (0,)
    may_alias_input = True

    def infer(self, op):
        data = op.inputs[0]
        return [(data.shape, data.dtype)]

    def kernel(self, op, ctx):
        from tfcompat.ops import state_ops
        return state_ops.variable_reader(state_ops.variable_op_of(op.inputs[0]), ctx)


@register_op
class Exit(Enter):
    """Passes a loop variable's final value out of its frame."""

    op_type = "Exit"


@register_op
class NextIteration(Enter):
    """Carries a loop variable's new value to the next iteration's Merge."""

    op_type = "NextIteration"


@register_op
class LoopCond(Enter):
    """The loop condition: a scalar bool steering every loop variable's Switch."""

    op_type = "LoopCond"

    differentiable = False

    def infer(self, op):
        pred = op.inputs[0]
        if pred.dtype.base_dtype != dtypes.bool or pred.shape.ndims not in (None, 0):
            raise ValueError(f"'{op.name}': the condition of tf.while_loop must be a scalar "
                             f"bool tensor, got {pred.dtype.base_dtype.name} of shape "
                             f"{pred.shape}")
        return [(tensor_shape.scalar(), dtypes.bool)]


@contextlib.contextmanager
def _building_in(graph, context):
    """Ops created in the block belong to ``context`` and take no ambient control inputs."""
    saved = graph._control_dependencies_stack, graph._control_flow_context
    graph._control_dependencies_stack = []
    graph._control_flow_context = context
    try:
        yield
    finally:
        graph._control_dependencies_stack, graph._control_flow_context = saved


def _context_chain_contains(op, context):
    current = getattr(op, "_control_flow_context", None)
    while current is not None:
        if current is context:
            return True
        current = current.outer
    return False


class WhileContext:
    """The frame of one tf.while_loop while it is built: captures outside tensors through
    Enter ops (loop invariants) and records the loop's boundary ops."""

    def __init__(self, scope, parallel_iterations, back_prop, swap_memory, outer):
        self.scope = scope
        self.frame_name = scope + "while_context"
        self.parallel_iterations = parallel_iterations
        self.back_prop = back_prop
        self.swap_memory = swap_memory
        self.outer = outer
        self.pivot = None
        self.loop_cond = None
        self.merges, self.identities, self.body_results, self.exits = [], [], [], []
        self._captured = {}
        self._count_exit = None

    def contains(self, op):
        return _context_chain_contains(op, self)

    def enter(self, tensor, is_constant, name="Enter"):
        """An Enter (RefEnter for a variable's ref) of ``tensor`` (an outer value)."""
        graph = tensor.graph
        op_type = "RefEnter" if tensor.dtype.is_ref_dtype else "Enter"
        with _building_in(graph, self.outer):
            op = make_op(op_type, [tensor], {"frame_name": self.frame_name,
                                             "is_constant": is_constant,
                                             "parallel_iterations": self.parallel_iterations,
                                             "T": tensor.dtype.base_dtype}, name=name)
        op._control_flow_context = self
        return op.outputs[0]

    def capture(self, tensor):
        if self.contains(tensor.op) or tensor is self.pivot:
            return tensor
        captured = self._captured.get(tensor)
        if captured is None:
            captured = self._capture_new(tensor)
            self._captured[tensor] = captured
        return captured

    def _capture_new(self, tensor):
        with _building_in(tensor.graph, self.outer):
            value = self.outer.capture(tensor) if self.outer is not None else tensor
        return self.enter(value, is_constant=True,
                          name="RefEnter" if value.dtype.is_ref_dtype else "Enter")

    def add_loop_var(self, initial, invariant, name_suffix=""):
        """Enter and Merge of a new loop variable (the Merge's back edge is set later by
        ``close_loop_var``); returns the Merge output."""
        graph = initial.graph
        enter = self.enter(initial, is_constant=False, name="Enter" + name_suffix)
        enter._shape = invariant
        with _building_in(graph, self):
            merge = make_op("Merge", [enter, enter], {"N": 2, "T": enter.dtype},
                            name="Merge" + name_suffix)
        merge.outputs[0]._shape = invariant
        return merge.outputs[0]

    def switch_loop_var(self, merged, name_suffix=""):
        """Switch of a loop variable on the loop condition: (exit side, body Identity)."""
        with _building_in(merged.graph, self):
            switched = make_op("Switch", [merged, self.loop_cond],
                               name="Switch" + name_suffix).outputs
            identity = array_ops.identity(switched[1], name="Identity" + name_suffix)
        return switched[0], identity

    def close_loop_var(self, merged, switched_false, result, name_suffix=""):
        """NextIteration of the body's ``result`` into ``merged``'s Merge, and the Exit."""
        graph = merged.graph
        with _building_in(graph, self):
            result = self.capture(result)
            following = make_op("NextIteration", [result], {"T": result.dtype},
                                name="NextIteration" + name_suffix).outputs[0]
        merged.op._update_input(1, following)
        with _building_in(graph, self.outer):
            exit_op = make_op("Exit", [switched_false], {"T": result.dtype},
                              name="Exit" + name_suffix)
        exit_op._while_context = self
        return exit_op.outputs[0]

    def forward_count(self):
        """The number of iterations run (TF's ``f_count`` loop variable, added on demand)."""
        if self._count_exit is None:
            graph = self.loop_cond.graph
            with ops.name_scope(None), ops.name_scope(self.scope[:-1] + "/"):
                with _building_in(graph, self.outer):
                    zero = array_ops.constant(0, dtype=dtypes.int32, name="f_count")
                merged = self.add_loop_var(zero, tensor_shape.scalar(), "_f_count")
                false, identity = self.switch_loop_var(merged, "_f_count")
                with _building_in(graph, self):
                    step = identity + 1
                self._count_exit = self.close_loop_var(merged, false, step, "_f_count")
        return self._count_exit


def _shape_at_most(shape, bound):
    """TF's _ShapeLessThanOrEqual: ``shape`` fits the (possibly partial) ``bound``."""
    if bound.ndims is None:
        return True
    if shape.ndims != bound.ndims:
        return False
    return all(b is None or a == b for a, b in zip(shape.as_list(), bound.as_list()))


def _initial_invariants(flat_vars, shape_invariants):
    if shape_invariants is None:
        return [v.shape for v in flat_vars]
    invariants = [tensor_shape.TensorShape(s) if not isinstance(s, tensor_shape.TensorShape)
                  else s for s in _flatten_shapes(shape_invariants)]
    if len(invariants) != len(flat_vars):
        raise ValueError(f"The two structures don't have the same number of elements: "
                         f"{len(flat_vars)} loop variables and {len(invariants)} shape "
                         f"invariants")
    for var, shape in zip(flat_vars, invariants):
        if not _shape_at_most(var.shape, shape):
            raise ValueError(f"The shape invariant specified for {var.name} is not compatible "
                             f"with the initial shape of the loop variable. It enters the loop "
                             f"with shape {var.shape}, but the specified shape invariant is "
                             f"{shape}.")
    return invariants


def _flatten_shapes(structure):
    if isinstance(structure, tensor_shape.TensorShape) or structure is None:
        return [tensor_shape.TensorShape(structure)]
    if isinstance(structure, (list, tuple)) and all(
            isinstance(d, (int, type(None), tensor_shape.Dimension)) for d in structure):
        return [tensor_shape.TensorShape(structure)]
    out = []
    for item in (structure.values() if isinstance(structure, dict) else structure):
        out.extend(_flatten_shapes(item))
    return out


def _check_result(merged, initial, result):
    if result.dtype.base_dtype != merged.dtype.base_dtype:
        raise TypeError(f"Input tensor '{initial.name}' enters the loop with type "
                        f"{merged.dtype.base_dtype.name}, but has type "
                        f"{result.dtype.base_dtype.name} after one iteration.")
    if not _shape_at_most(result.shape, merged.shape):
        raise ValueError(f"Input tensor '{initial.name}' enters the loop with shape "
                         f"{merged.shape}, but has shape {result.shape} after one iteration. "
                         f"To allow the shape to vary across iterations, use the "
                         f"`shape_invariants` argument of tf.while_loop to specify a "
                         f"less-specific shape.")


def _is_tensor_array(value):
    return hasattr(value, "_with_flow")


def _as_flows(flat):
    """Loop values with each TensorArray replaced by its flow (TF carries the flow)."""
    return [v.flow if _is_tensor_array(v) else v for v in flat]


def _with_arrays(templates, flat):
    """``flat`` tensors with the positions of TensorArrays in ``templates`` made arrays."""
    return [t._with_flow(v) if _is_tensor_array(t) else v for t, v in zip(templates, flat)]


def build_loop(context, cond, body, structure, flat_initial, invariants):
    """Builds the frame of ``context``; returns the flat Exit tensors (TensorArrays in
    ``structure`` travel as their flows) and the body's result structure."""
    graph = flat_initial[0].graph if flat_initial else ops.get_default_graph()
    templates = nest.flatten(structure)
    merges = [context.add_loop_var(v, s, "" if i == 0 else f"_{i}")
              for i, (v, s) in enumerate(zip(flat_initial, invariants))]
    context.merges = merges
    context.pivot = merges[0]
    with _building_in(graph, context):
        pred = ops.convert_to_tensor(cond(*nest.pack_sequence_as(
            structure, _with_arrays(templates, merges))))
        pred = context.capture(pred)
        context.loop_cond = make_op("LoopCond", [pred], name="LoopCond").outputs[0]
    sides = [context.switch_loop_var(m, "" if i == 0 else f"_{i}")
             for i, m in enumerate(merges)]
    context.identities = [identity for _, identity in sides]
    context.pivot = context.identities[0]
    with _building_in(graph, context):
        result = body(*nest.pack_sequence_as(structure,
                                              _with_arrays(templates, context.identities)))
        if not nest.is_sequence(result):
            result = [result]
        nest.assert_same_structure(list(structure), list(result))
        flat_result = [ops.convert_to_tensor(r) for r in _as_flows(nest.flatten(result))]
    for merged, initial, value in zip(merges, flat_initial, flat_result):
        _check_result(merged, initial, value)
    exits = [context.close_loop_var(m, false, value, "" if i == 0 else f"_{i}")
             for i, (m, (false, _), value) in enumerate(zip(merges, sides, flat_result))]
    context.body_results = [m.op.inputs[1].op.inputs[0] for m in merges]
    context.exits = exits
    return _with_arrays(templates, exits), result


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10,
               back_prop=True, swap_memory=False, name=None, maximum_iterations=None,
               return_same_structure=False):
    """Repeats ``body`` while ``cond`` is true (``tf.while_loop``, TF 1.x graph form).

    ``loop_vars`` may be any nesting of lists, tuples, namedtuples and dicts of tensors;
    ``body`` returns the same structure. A loop variable whose shape changes across
    iterations needs a ``shape_invariants`` entry (else ValueError naming it).
    ``maximum_iterations`` adds TF's iteration counter loop variable.
    """
    if not callable(cond):
        raise TypeError("cond must be callable.")
    if not callable(body):
        raise TypeError("body must be callable.")
    if parallel_iterations < 1:
        raise TypeError("parallel_iterations must be a positive integer.")
    if not nest.is_sequence(loop_vars):
        loop_vars = [loop_vars]
    if not loop_vars:
        raise ValueError("No loop variables provided")
    with ops.name_scope(name, "while", nest.flatten(loop_vars)) as scope:
        try_to_pack = len(loop_vars) == 1 and not return_same_structure
        if maximum_iterations is not None:
            maximum_iterations = ops.convert_to_tensor(maximum_iterations,
                                                       name="maximum_iterations")
            if maximum_iterations.shape.ndims not in (None, 0):
                raise ValueError(f"maximum_iterations must be a scalar, saw shape: "
                                 f"{maximum_iterations.shape}")
            counter = array_ops.constant(0, dtype=maximum_iterations.dtype.base_dtype,
                                         name="iteration_counter")
            if shape_invariants is not None:
                shape_invariants = (tensor_shape.scalar(), shape_invariants)
            user_cond, user_body, single = cond, body, try_to_pack
            inner = loop_vars[0] if single else loop_vars
            loop_vars = (counter, inner)

            def cond(i, values):  # noqa: F811 - TF's wrapped condition
                from tfcompat.ops import math_ops
                user = user_cond(values) if single else user_cond(*values)
                return math_ops.logical_and(i < maximum_iterations, user)

            def body(i, values):  # noqa: F811 - TF's wrapped body
                return i + 1, (user_body(values) if single else user_body(*values))
            try_to_pack = False
        flat_initial = [ops.convert_to_tensor(v) for v in _as_flows(nest.flatten(loop_vars))]
        invariants = _initial_invariants(flat_initial, shape_invariants)
        graph = flat_initial[0].graph
        context = WhileContext(scope, parallel_iterations, back_prop, swap_memory,
                               graph._control_flow_context)
        exits, result = build_loop(context, cond, body, loop_vars, flat_initial, invariants)
        packed = nest.pack_sequence_as(result if nest.is_sequence(result) else loop_vars,
                                       exits)
    if maximum_iterations is not None:
        return packed[1]
    if try_to_pack or (not return_same_structure and len(exits) == 1
                       and isinstance(packed, list)):
        return packed[0]
    return packed


# ---- the gradient -------------------------------------------------------------------------
class GradWhileContext(WhileContext):
    """The frame of a gradient loop: values of the forward frame it reads come off stacks the
    forward loop fills (loop invariants are read directly)."""

    def __init__(self, forward, scope, outer):
        super().__init__(scope, forward.parallel_iterations, True, forward.swap_memory, outer)
        self.forward = forward

    def _capture_new(self, tensor):
        if not self.forward.contains(tensor.op):
            return super()._capture_new(tensor)
        op = tensor.op
        if op.type in ("Enter", "RefEnter") and op.get_attr("is_constant"):
            return self.capture(op.inputs[0])
        return self._pop_forward(tensor)

    def _pop_forward(self, tensor):
        graph = tensor.graph
        value, branches = self._alive_every_iteration(tensor)
        with _building_in(graph, None), ops.name_scope(None):
            with ops.name_scope(self.scope + "f_acc_scope"):
                handle = data_flow_ops.stack_v2(-1, value.dtype.base_dtype, name="f_acc")
        with _building_in(graph, self.forward):
            data_flow_ops.stack_push_v2(self.forward.capture(handle), value,
                                        swap_memory=self.swap_memory)
        with _building_in(graph, self):
            popped = data_flow_ops.stack_pop_v2(self.capture(handle), value.dtype.base_dtype)
            popped.set_shape(value.shape)
            for pred, branch in branches:
                popped = control_flow_ops.switch(popped, self.capture(pred))[branch]
            popped.set_shape(tensor.shape)
        return popped

    def _alive_every_iteration(self, tensor):
        """``tensor`` merged with a dummy of the untaken side of each tf.cond it lies in, and
        the (predicate, branch) pairs to undo that, outermost first. A cond Switch's output
        lies on the branch it feeds."""
        value, branches = tensor, []
        context = tensor.op._control_flow_context
        sides = []
        if tensor.op.type in ("Switch", "RefSwitch") \
                and tensor.op.inputs[1].op.type != "LoopCond":
            sides.append((tensor.op.inputs[1], tensor.value_index, context))
        while context is not self.forward:
            if not isinstance(context, control_flow_ops.CondContext):
                raise LookupError(f"tfcompat cannot differentiate {tensor.name}: it lies in a "
                                  f"nested frame of the loop")
            sides.append((context.pred, context.branch, context.outer))
            context = context.outer
        for pred, branch, outer in sides:
            with _building_in(tensor.graph, outer):
                dummy = array_ops.zeros([], dtype=value.dtype.base_dtype, name="cond_dummy")
                other = control_flow_ops.switch(dummy, pred)[1 - branch]
                value = control_flow_ops.merge([value, other])[0]
            branches.insert(0, (pred, branch))
        return value, branches


def loop_gradient(frame, out_grads):
    """The gradients of a while frame's inputs (its loop variables' initial values, then its
    loop invariants, as ``frame.inputs``) given those of its Exit outputs."""
    from tfcompat.ops.gradients_impl import gradients
    from tfcompat.ops import math_ops
    forward = frame.context
    if forward is None:
        raise LookupError(f"No gradient defined for the while loop '{frame.name}': tfcompat "
                          f"differentiates only loops it built itself")
    if not forward.back_prop:
        return [None] * len(frame.inputs)
    count = forward.forward_count()
    exits = {t: g for t, g in zip(frame.outputs, out_grads)}
    carried = [k for k, merged in enumerate(forward.merges)
               if merged.dtype.base_dtype.is_differentiable]
    entering = [t for t in frame.invariant_outputs if t.dtype.base_dtype.is_differentiable
                and t.consumers()]
    initial = [exits.get(forward.exits[k]) for k in carried]
    initial = [g if g is not None else array_ops.zeros_like(forward.exits[k])
               for g, k in zip(initial, carried)]
    initial = [ops.convert_to_tensor(g) for g in initial]
    sums = [array_ops.zeros_like(t.op.inputs[0]) for t in entering]
    graph = count.graph
    scope = graph.get_name_scope()
    context = GradWhileContext(forward, (scope + "/" if scope else "") + "while/",
                               graph._control_flow_context)

    def body(remaining, grads, totals):
        ys = [forward.body_results[k] for k in carried]
        xs = [forward.identities[k] for k in carried] + entering
        found = gradients(ys, xs, grad_ys=list(grads))
        found = [ops.convert_to_tensor(g) if g is not None else None for g in found]
        new_grads = [g if g is not None else array_ops.zeros_like(old)
                     for g, old in zip(found[:len(carried)], grads)]
        new_totals = [total + g if g is not None else total
                      for g, total in zip(found[len(carried):], totals)]
        return remaining - 1, new_grads, new_totals

    structure = (count, initial, sums)
    flat = nest.flatten(structure)
    invariants = [count.shape] + [forward.merges[k].shape for k in carried] + [
        t.op.inputs[0].shape for t in entering]
    with ops.name_scope("while"):
        exits_out, _ = build_loop(context, lambda n, g, s: math_ops.greater(n, 0), body,
                                  structure, flat, invariants)
    by_merge = {forward.merges[k].op: out for k, out in zip(carried, exits_out[1:])}
    by_enter = {t.op: out for t, out in zip(entering, exits_out[1 + len(carried):])}
    return ([by_merge.get(merged.op) for merged in frame.loop_merges]
            + [by_enter.get(t.op) for t in frame.invariant_outputs])


__all__ = ["while_loop"]
