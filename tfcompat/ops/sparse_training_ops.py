"""The sparse optimizer updates of TF 1.x (``SparseApply*`` in training_ops.cc): only the rows
``indices`` of the variable and its slots change, with ``grad[i]`` the gradient of row
``indices[i]``. The optimizers use them for IndexedSlices gradients (a gather's).

TF's kernels walk the indices in order, so a repeated index is updated twice; unique indices
(what the optimizers pass after summing duplicates) update all rows at once here. The kernels
write fresh arrays (copies of the variable and slots with the rows changed), like Assign.
RMSProp, centered RMSProp, Adadelta, proximal gradient descent, FTRL, proximal Adagrad and
Adagrad dual averaging apply the update of
their dense Apply* op (``training_ops``) to the gathered rows, so both share TF's arithmetic.
"""
import numpy as np

from tfcompat.framework import dtypes, errors, ops
from tfcompat.framework.op_def import OpDef, format_shape, make_op, register_op
from tfcompat.ops.state_ops import _ref_of, variable_op_of, variable_reader


def _invalid(op, message):
    return errors.InvalidArgumentError(None, op, f"{message}\n\t [[node {op.name}]]")


class _SparseApply(OpDef):
    """Common part: ref inputs (variable, slots), then scalars, ``grad`` and ``indices`` at
    ``grad_index`` among the other inputs, then more scalars (TF's input order). Subclasses
    give ``rule(rows, grad, scalars, attrs)``: the new values of the touched rows of the
    variable and each slot (``rows``) from the gradient of those rows."""

    mutates_state = True
    stateful = True
    differentiable = False
    may_alias_input = True  # the output is the variable's new storage
    num_refs = 2
    ref_inputs = (0, 1)
    grad_index = 1

    def infer(self, op):
        refs = op.inputs[:self.num_refs]
        grad = op.inputs[self.num_refs + self.grad_index]
        indices = op.inputs[self.num_refs + self.grad_index + 1]
        var = refs[0]
        for ref in refs:
            if not ref.dtype.is_ref_dtype:
                raise TypeError(f"'{op.type}' Op requires that its variable inputs be mutable "
                                f"(tf.Variable refs); got {ref.name} of type {ref.dtype.name}")
            if not ref.shape.is_compatible_with(var.shape):
                raise ValueError(f"Shapes must be equal rank, but are {ref.shape.ndims} and "
                                 f"{var.shape.ndims} for '{op.name}' (op: '{op.type}') with "
                                 f"input shapes: {format_shape(var.shape)}, "
                                 f"{format_shape(ref.shape)}.")
        if indices.shape.ndims not in (None, 1):
            raise ValueError(f"Shape must be rank 1 but is rank {indices.shape.ndims} for "
                             f"'{op.name}' (op: '{op.type}')")
        if grad.shape.ndims is not None and var.shape.ndims is not None \
                and not grad.shape[1:].is_compatible_with(var.shape[1:]):
            raise ValueError(f"Dimensions of grad {format_shape(grad.shape)} do not match var "
                             f"{format_shape(var.shape)} beyond the first for '{op.name}' "
                             f"(op: '{op.type}')")
        return [(var.shape, var.dtype)]

    def kernel(self, op, ctx):
        var_ops = [variable_op_of(t) for t in op.inputs[:self.num_refs]]
        readers = [variable_reader(v, ctx) for v in var_ops]
        attrs, rule, position = op.attrs, self.rule, self.grad_index

        def sparse_apply(*inputs):
            grad, indices = inputs[position], inputs[position + 1]
            arrays = [read() for read in readers]
            scalars = [arrays[0].dtype.type(np.asarray(s).reshape(()))
                       for s in inputs[:position] + inputs[position + 2:]]
            _check(op, arrays, grad, indices)
            new_arrays = [a.copy() for a in arrays]
            if np.unique(indices).size == indices.size:
                groups = [(indices, grad)]
            else:  # TF's kernel: one index after the other
                groups = [(indices[i:i + 1], grad[i:i + 1]) for i in range(indices.size)]
            for rows, row_grad in groups:
                updated = rule([a[rows] for a in new_arrays], row_grad, scalars, attrs)
                for array, values in zip(new_arrays, updated, strict=True):
                    array[rows] = values
            for var_op, array in zip(var_ops, new_arrays, strict=True):
                ctx.write_variable(var_op, array)
            return new_arrays[0]
        return sparse_apply


def _check(op, arrays, grad, indices):
    var = arrays[0]
    for array in arrays[1:]:
        if array.shape != var.shape:
            raise _invalid(op, f"var and accum do not have the same shape"
                           f"{list(var.shape)} {list(array.shape)}")
    if grad.shape[1:] != var.shape[1:]:
        raise _invalid(op, f"var and grad must match in dimension 1 and beyond: "
                       f"{list(var.shape)} {list(grad.shape)}")
    if grad.shape[0] != indices.shape[0]:
        raise _invalid(op, f"grad must be the same size as indices in the first dimension: "
                       f"{grad.shape[0]} vs. {indices.shape[0]}")
    bad = np.flatnonzero((indices < 0) | (indices >= var.shape[0]))
    if bad.size:
        raise _invalid(op, f"Index {int(indices[bad[0]])} at offset {int(bad[0])} in indices "
                       f"is out of range")


@register_op
class SparseApplyMomentum(_SparseApply):
    """accum[i] = momentum * accum[i] + grad; var[i] -= lr * accum[i] (with use_nesterov:
    var[i] -= lr * grad + lr * momentum * accum[i])."""

    def rule(self, rows, grad, scalars, attrs):
        var, accum = rows
        lr, momentum = scalars
        accum = accum * momentum + grad
        if attrs.get("use_nesterov", False):
            return [var - (grad * lr + accum * momentum * lr), accum]
        return [var - accum * lr, accum]


@register_op
class SparseApplyAdagrad(_SparseApply):
    """accum[i] += grad²; var[i] -= lr * grad / sqrt(accum[i])."""

    def rule(self, rows, grad, scalars, attrs):
        var, accum = rows
        (lr,) = scalars
        if attrs.get("update_slots", True):
            accum = accum + grad * grad
        return [var - lr * grad / np.sqrt(accum), accum]


class _DenseRuleOnRows(_SparseApply):
    """A SparseApply* op computing the touched rows with its dense Apply* op's update."""

    dense_op_type = None

    def rule(self, rows, grad, scalars, attrs):
        from tfcompat.framework.op_def import get_op_def
        dense = get_op_def(self.dense_op_type)
        names = [n for n in dense.input_names[len(dense.ref_inputs):] if n != dense.grad_name]
        for name, value in zip(names, scalars, strict=True):
            check = dense.scalar_checks.get(name)
            if check is not None and not check[0](value):
                raise errors.InvalidArgumentError(None, None, f"{check[1]}: []")
        dense.update(rows, list(scalars), grad, attrs)  # in place on the gathered rows
        return rows


for _dense, _refs, _grad_index in (("RMSProp", 3, 4), ("CenteredRMSProp", 4, 4),
                                   ("Adadelta", 3, 3), ("ProximalGradientDescent", 1, 3),
                                   ("Ftrl", 3, 0), ("FtrlV2", 3, 0), ("ProximalAdagrad", 2, 3),
                                   ("AdagradDA", 3, 0)):
    register_op(type(f"SparseApply{_dense}", (_DenseRuleOnRows,), {
        "__doc__": f"Apply{_dense}'s update on the rows ``indices`` "
                   f"(``training_ops.sparse_apply_...``).",
        "dense_op_type": f"Apply{_dense}", "num_refs": _refs,
        "ref_inputs": tuple(range(_refs)), "grad_index": _grad_index,
        "__module__": __name__}))


def sparse_apply(op_type, refs, scalars_before, grad, indices, scalars_after=(),
                 use_locking=False, name=None, **attrs):
    """Builds ``op_type`` from the variable and slots ``refs``, the scalars before the
    gradient, the gradient rows, their indices and the scalars after them."""
    refs = [_ref_of(r) for r in refs]
    dtype = refs[0].dtype.base_dtype
    inputs = refs + [ops.convert_to_tensor(s, dtype=dtype) for s in scalars_before]
    inputs += [ops.convert_to_tensor(grad, dtype=dtype), ops.convert_to_tensor(indices)]
    inputs += [ops.convert_to_tensor(s, dtype=dtype) for s in scalars_after]
    return make_op(op_type, inputs, {"use_locking": bool(use_locking), **attrs},
                   name=name or op_type).outputs[0]


def sparse_apply_momentum(var, accum, lr, grad, indices, momentum, use_locking=False,
                          use_nesterov=False, name=None):
    """``training_ops.sparse_apply_momentum`` -> the updated ``var`` ref."""
    return sparse_apply("SparseApplyMomentum", [var, accum], [lr], grad, indices, [momentum],
                        use_locking=use_locking, name=name, use_nesterov=bool(use_nesterov))


def sparse_apply_adagrad(var, accum, lr, grad, indices, use_locking=False, update_slots=True,
                         name=None):
    """``training_ops.sparse_apply_adagrad`` -> the updated ``var`` ref."""
    return sparse_apply("SparseApplyAdagrad", [var, accum], [lr], grad, indices,
                        use_locking=use_locking, name=name, update_slots=bool(update_slots))


def sparse_apply_adagrad_da(var, gradient_accumulator, gradient_squared_accumulator, grad,
                            indices, lr, l1, l2, global_step, use_locking=False, name=None):
    """``training_ops.sparse_apply_adagrad_da`` (``global_step`` is int64) -> the updated
    ``var`` ref."""
    refs = [_ref_of(r) for r in (var, gradient_accumulator, gradient_squared_accumulator)]
    dtype = refs[0].dtype.base_dtype
    inputs = refs + [ops.convert_to_tensor(grad, dtype=dtype), ops.convert_to_tensor(indices)]
    inputs += [ops.convert_to_tensor(s, dtype=dtype) for s in (lr, l1, l2)]
    inputs.append(ops.convert_to_tensor(global_step, dtype=dtypes.int64))
    return make_op("SparseApplyAdagradDA", inputs, {"use_locking": bool(use_locking)},
                   name=name or "SparseApplyAdagradDA").outputs[0]
