"""``tf.train.Optimizer``: the TF 1.x base class of the graph-mode optimizers
(``tensorflow/python/training/optimizer.py``).

``minimize`` = ``compute_gradients`` (``tf.gradients`` of the loss w.r.t. the variables'
refs) + ``apply_gradients``, which

- creates the slot variables first, outside any control dependencies and in the caller's name
  scope (TF's ``init_scope``): ``<var>/<name>``, ``<var>/<name>_1`` ... and non-slot
  variables such as Adam's ``beta1_power``;
- opens the name scope ``name or self._name`` ("train/Adam" under ``name_scope("train")``),
  converts the hyperparameters to tensors there (``_prepare``: "learning_rate" ...), and
  adds one Apply* op per variable with a gradient under ``update_<var op name>``;
- groups the updates into a NoOp with exactly that scope's name; with a ``global_step`` the
  group is "<scope>/update" and the returned op is the ``AssignAdd`` of the step, named like
  the scope and run after the updates (control dependency).

Subclasses implement ``_create_slots``, ``_prepare``, ``_apply_dense`` (and ``_finish`` when
they keep extra state, as Adam's beta powers). An ``IndexedSlices`` gradient (a gather's)
goes to ``_apply_sparse_duplicate_indices``, which sums the rows of repeated indices
(Unique + UnsortedSegmentSum) and calls ``_apply_sparse``: the subclass's update of the
touched rows only (SparseApply*/scatter ops), or, for an optimizer without one, the dense
update of the densified gradient.
"""
from tfcompat.framework import dtypes, nest, ops
from tfcompat.ops import variables
from tfcompat.ops.gradients_impl import gradients
from tfcompat.ops.indexed_slices import IndexedSlices, convert_to_tensor_or_indexed_slices
from tfcompat.ops import array_ops, array_ops_extra, control_flow_ops, math_ops, state_ops
from tfcompat.train import slot_creator


def _var_key(var):
    """Slots are keyed by (graph, op name), so a Variable and its ref tensor find the same."""
    if hasattr(var, "op"):
        return (var.op.graph, var.op.name)
    return id(var)


class _RefVariableProcessor:
    """Updates a tf.Variable: the dense Apply* op, then its constraint if it has one."""

    def __init__(self, variable):
        self._v = variable

    def target(self):
        return self._v._ref()

    def update_op(self, optimizer, grad):
        if isinstance(grad, IndexedSlices):
            update = optimizer._apply_sparse_duplicate_indices(grad, self._v)
        else:
            update = optimizer._apply_dense(grad, self._v)
        if self._v.constraint is not None:
            with ops.control_dependencies([update]):
                return self._v.assign(self._v.constraint(self._v))
        return update


class _TensorProcessor:
    """A plain tensor in var_list: its gradient can be computed but it cannot be updated."""

    def __init__(self, tensor):
        self._v = tensor

    def target(self):
        return self._v

    def update_op(self, optimizer, grad):
        raise NotImplementedError("Trying to update a Tensor ", self._v)


def _get_processor(v):
    if isinstance(v, variables.Variable):
        return _RefVariableProcessor(v)
    if isinstance(v, ops.Tensor):
        return _TensorProcessor(v)
    raise NotImplementedError("Trying to optimize unsupported type ", v)


class _InitScope:
    """TF's ``ops.init_scope`` in graph mode: no control dependencies (nor tf.cond context),
    same name scope."""

    def __enter__(self):
        self._context = ops.get_default_graph().control_dependencies(None)
        self._context.__enter__()

    def __exit__(self, *exc):
        return self._context.__exit__(*exc)


class Optimizer:
    """Base class for optimizers (``tf.train.Optimizer(use_locking, name)``)."""

    GATE_NONE = 0
    GATE_OP = 1
    GATE_GRAPH = 2

    def __init__(self, use_locking, name):
        if not name:
            raise ValueError("Must specify the optimizer name")
        self._use_locking = use_locking
        self._name = name
        # {slot name: {var key: slot variable}}
        self._slots = {}
        # {(name, graph): variable}
        self._non_slot_dict = {}

    def get_name(self):
        return self._name

    # ---- the public API -----------------------------------------------------------------
    def minimize(self, loss, global_step=None, var_list=None, gate_gradients=GATE_OP,
                 aggregation_method=None, colocate_gradients_with_ops=False, name=None,
                 grad_loss=None):
        """compute_gradients + apply_gradients; returns the training op."""
        grads_and_vars = self.compute_gradients(
            loss, var_list=var_list, gate_gradients=gate_gradients,
            aggregation_method=aggregation_method,
            colocate_gradients_with_ops=colocate_gradients_with_ops, grad_loss=grad_loss)
        vars_with_grad = [v for g, v in grads_and_vars if g is not None]
        if not vars_with_grad:
            raise ValueError(
                "No gradients provided for any variable, check your graph for ops that do not "
                "support gradients, between variables %s and loss %s."
                % ([str(v) for _, v in grads_and_vars], loss))
        return self.apply_gradients(grads_and_vars, global_step=global_step, name=name)

    def compute_gradients(self, loss, var_list=None, gate_gradients=GATE_OP,
                          aggregation_method=None, colocate_gradients_with_ops=False,
                          grad_loss=None):
        """[(gradient, variable)] for the trainable variables (or ``var_list``); the gradient
        is None for a variable the loss does not depend on."""
        if callable(loss):
            raise RuntimeError("`loss` passed to Optimizer.compute_gradients should be a "
                               "Tensor in graph mode; callables are for eager execution, "
                               "which tfcompat does not implement.")
        if gate_gradients not in (Optimizer.GATE_NONE, Optimizer.GATE_OP,
                                  Optimizer.GATE_GRAPH):
            raise ValueError("gate_gradients must be one of: Optimizer.GATE_NONE, "
                             "Optimizer.GATE_OP, Optimizer.GATE_GRAPH.  Not %s"
                             % gate_gradients)
        loss = ops.convert_to_tensor(loss)
        self._assert_valid_dtypes([loss])
        if grad_loss is not None:
            grad_loss = ops.convert_to_tensor(grad_loss)
            self._assert_valid_dtypes([grad_loss])
        if var_list is None:
            var_list = (variables.trainable_variables()
                        + ops.get_collection(ops.GraphKeys.TRAINABLE_RESOURCE_VARIABLES))
        else:
            var_list = nest.flatten(var_list)  # also d.values(), as TF's nest
        processors = [_get_processor(v) for v in var_list]
        if not var_list:
            raise ValueError("No variables to optimize.")
        var_refs = [p.target() for p in processors]
        grads = gradients(loss, var_refs, grad_ys=grad_loss,
                          gate_gradients=(gate_gradients == Optimizer.GATE_OP),
                          aggregation_method=aggregation_method,
                          colocate_gradients_with_ops=colocate_gradients_with_ops)
        if gate_gradients == Optimizer.GATE_GRAPH:
            grads = control_flow_ops.tuple(grads)
        grads_and_vars = list(zip(grads, var_list))
        self._assert_valid_dtypes([v for g, v in grads_and_vars if g is not None])
        return grads_and_vars

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        """The op applying the (gradient, variable) pairs (None gradients are skipped); with
        ``global_step`` it also increments the step, after the updates."""
        name = name if name is not None else self.get_name()
        grads_and_vars = tuple(grads_and_vars)
        if not grads_and_vars:
            raise ValueError("No variables provided.")
        converted = []
        for g, v in grads_and_vars:
            if g is not None:
                try:
                    g = convert_to_tensor_or_indexed_slices(g)
                except (TypeError, ValueError):
                    raise TypeError("Gradient must be convertible to a Tensor or "
                                    "IndexedSlices, or None: %s" % (g,)) from None
            converted.append((g, v, _get_processor(v)))
        var_list = [v for g, v, _ in converted if g is not None]
        if not var_list:
            raise ValueError("No gradients provided for any variable: %s."
                             % ([str(v) for _, v, _ in converted],))
        with _InitScope():
            self._create_slots(var_list)
        update_ops = []
        with ops.name_scope(name, self._name) as scope:
            self._prepare()
            for grad, var, processor in converted:
                if grad is None:
                    continue
                with ops.name_scope("update_" + var.op.name), ops.colocate_with(var):
                    update_ops.append(processor.update_op(self, grad))
            if global_step is None:
                apply_updates = self._finish(update_ops, scope)
            else:
                with ops.control_dependencies([self._finish(update_ops, "update")]):
                    with ops.colocate_with(global_step):
                        apply_updates = state_ops.assign_add(global_step, 1, name=scope)
            if isinstance(apply_updates, ops.Tensor):
                apply_updates = apply_updates.op
            train_op = ops.get_collection_ref(ops.GraphKeys.TRAIN_OP)
            if apply_updates not in train_op:
                train_op.append(apply_updates)
            return apply_updates

    def get_slot(self, var, name):
        """The slot ``name`` ("m", "momentum", "accumulator" ...) of ``var``, or None."""
        named_slots = self._slots.get(name)
        if not named_slots:
            return None
        return named_slots.get(_var_key(var))

    def get_slot_names(self):
        return sorted(self._slots.keys())

    def variables(self):
        """The optimizer's variables in the current graph (slots and non-slots), by name."""
        graph = ops.get_default_graph()
        found = [v for v in self._non_slot_variables() if v.op.graph is graph]
        for slots in self._slots.values():
            found.extend(v for v in slots.values() if v.op.graph is graph)
        return sorted(found, key=lambda v: v.name)

    # ---- for subclasses -------------------------------------------------------------------
    def _create_slots(self, var_list):
        pass

    def _prepare(self):
        pass

    def _apply_dense(self, grad, var):
        raise NotImplementedError()

    def _apply_sparse_duplicate_indices(self, grad, var):
        """Sums the rows of repeated indices, then ``_apply_sparse``."""
        unique_indices, positions = array_ops_extra.unique(grad.indices)
        summed = math_ops.unsorted_segment_sum(grad.values, positions,
                                               array_ops.gather(array_ops.shape(unique_indices),
                                                                0))
        return self._apply_sparse(IndexedSlices(summed, unique_indices, grad.dense_shape), var)

    def _apply_sparse(self, grad, var):
        """The update for IndexedSlices; this default applies the dense update to the
        densified gradient (TF's subclasses without a sparse kernel raise instead)."""
        return self._apply_dense(ops.convert_to_tensor(grad), var)

    def _finish(self, update_ops, name_scope):
        return control_flow_ops.group(*update_ops, name=name_scope)

    @staticmethod
    def _call_if_callable(param):
        return param() if callable(param) else param

    def _valid_dtypes(self):
        return [dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64]

    def _assert_valid_dtypes(self, tensors):
        valid = self._valid_dtypes()
        for t in tensors:
            dtype = t.dtype.base_dtype
            if dtype not in valid:
                raise ValueError("Invalid type %r for %s, expected: %s." % (dtype, t.name, valid))

    # ---- slots ----------------------------------------------------------------------------
    def _slot_dict(self, slot_name):
        named_slots = self._slots.get(slot_name)
        if named_slots is None:
            named_slots = self._slots[slot_name] = {}
        return named_slots

    def _get_or_make_slot(self, var, val, slot_name, op_name):
        named_slots = self._slot_dict(slot_name)
        if _var_key(var) not in named_slots:
            named_slots[_var_key(var)] = slot_creator.create_slot(var, val, op_name)
        return named_slots[_var_key(var)]

    def _get_or_make_slot_with_initializer(self, var, initializer, shape, dtype, slot_name,
                                           op_name):
        named_slots = self._slot_dict(slot_name)
        if _var_key(var) not in named_slots:
            named_slots[_var_key(var)] = slot_creator.create_slot_with_initializer(
                var, initializer, shape, dtype, op_name)
        return named_slots[_var_key(var)]

    def _zeros_slot(self, var, slot_name, op_name):
        named_slots = self._slot_dict(slot_name)
        if _var_key(var) not in named_slots:
            named_slots[_var_key(var)] = slot_creator.create_zeros_slot(var, op_name)
        return named_slots[_var_key(var)]

    # ---- non-slot variables (Adam's beta powers) --------------------------------------------
    def _create_non_slot_variable(self, initial_value, name, colocate_with):
        graph = colocate_with.graph
        key = (name, graph)
        variable = self._non_slot_dict.get(key)
        if variable is None:
            with graph.as_default(), ops.colocate_with(colocate_with):
                variable = variables.Variable(initial_value, name=name, trainable=False)
            self._non_slot_dict[key] = variable
        return variable

    def _get_non_slot_variable(self, name, graph=None):
        return self._non_slot_dict.get((name, graph))

    def _non_slot_variables(self):
        return self._non_slot_dict.values()
