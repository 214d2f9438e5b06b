"""Sparse ops (TF's sparse_ops.py): SparseTensor x dense products, sums, reductions,
densification, concatenation, reshapes, reordering, softmax, and the compositions TF builds
from them (sparse_retain, from_dense, to_indicator).

Kernels take and return the three arrays of a SparseTensor (int64 indices [N, rank], values
[N], int64 dense_shape [rank]); outputs come back in row-major (canonical) order, as TF's.
"""
import numpy as np

from tfcompat.framework import dtypes, ops, tensor_shape
from tfcompat.framework.op_def import (OpDef, constant_value, make_op, make_tensor,
                                       register_op)
from tfcompat.ops.sparse_tensor import (SparseTensor, SparseTensorValue,  # noqa: F401
                                              convert_to_tensor_or_sparse_tensor,
                                              sparse_placeholder)
from tfcompat.ops import array_ops, math_ops
from tfcompat.ops.array_ops import _invalid

_VECTOR = tensor_shape.TensorShape([None])


def _sparse_outputs(op, rank, dtype):
    """The static (shape, dtype) of a SparseTensor's three outputs."""
    return [(tensor_shape.TensorShape([None, rank]), dtypes.int64), (_VECTOR, dtype),
            (tensor_shape.TensorShape([rank]), dtypes.int64)]


def _rank_of(shape_tensor):
    return shape_tensor.shape[0].value if shape_tensor.shape.ndims == 1 else None


def _as_sparse(value, name="sp_input"):
    value = convert_to_tensor_or_sparse_tensor(value)
    if not isinstance(value, SparseTensor):
        raise TypeError(f"Input must be a SparseTensor; got {name} = {value!r}")
    return value


def _check_indices(op, indices, shape):
    """TF's checks of a SparseTensor's indices against its dense shape."""
    if indices.ndim != 2 or indices.shape[1] != len(shape):
        raise _invalid(op, f"Input indices should be a matrix with {len(shape)} columns but "
                       f"received shape {list(indices.shape)}")
    bad = np.flatnonzero(((indices < 0) | (indices >= shape)).any(axis=1))
    if bad.size:
        entry = ", ".join(str(int(i)) for i in indices[bad[0]])
        bounds = ", ".join(str(int(d)) for d in shape)
        raise _invalid(op, f"indices[{bad[0]}] = [{entry}] is out of bounds: need 0 <= index "
                       f"< [{bounds}]")


def _canonical(indices, values, shape):
    """Entries sorted in row-major order of their coordinates."""
    order = np.lexsort(indices.T[::-1]) if indices.size else np.arange(len(indices))
    return indices[order], values[order], np.asarray(shape, dtype=np.int64)


def _densify(indices, values, shape, default):
    out = np.full(tuple(int(d) for d in shape), default, dtype=values.dtype)
    out[tuple(indices.T)] = values
    return out


# ---- products -------------------------------------------------------------------------------
@register_op
class SparseTensorDenseMatMul(OpDef):
    """op(A) @ op(B) for a sparse rank-2 A (``tf.sparse_tensor_dense_matmul``); gradients for
    A's values and B as TF's (a sparse product for B, row dot products for the values)."""

    shape_determining_inputs = (2,)

    def infer(self, op):
        indices, values, a_shape, b = op.inputs
        if values.dtype.base_dtype != b.dtype.base_dtype:
            raise TypeError(f"Input 'b' of 'SparseTensorDenseMatMul' Op has type "
                            f"{b.dtype.base_dtype.name} that does not match type "
                            f"{values.dtype.base_dtype.name} of argument 'a_values'.")
        a_dims = _static_dims(a_shape, 2)
        b_dims = b.shape.with_rank(2).as_list() if b.shape.ndims is not None else [None, None]
        if op.attrs["adjoint_a"]:
            a_dims = a_dims[::-1]
        if op.attrs["adjoint_b"]:
            b_dims = b_dims[::-1]
        if a_dims[1] is not None and b_dims[0] is not None and a_dims[1] != b_dims[0]:
            raise ValueError(f"Dimensions must be equal, but are {a_dims[1]} and {b_dims[0]} "
                             f"for '{op.name}' (op: 'SparseTensorDenseMatMul')")
        return [(tensor_shape.TensorShape([a_dims[0], b_dims[1]]), b.dtype.base_dtype)]

    def kernel(self, op, ctx):
        adjoint_a, adjoint_b = op.attrs["adjoint_a"], op.attrs["adjoint_b"]

        def matmul(indices, values, a_shape, b):
            rows, cols = (indices[:, 1], indices[:, 0]) if adjoint_a else (indices[:, 0],
                                                                          indices[:, 1])
            out_rows, inner = (a_shape[::-1] if adjoint_a else a_shape)
            b = b.T if adjoint_b else b
            if b.shape[0] != inner:
                raise _invalid(op, f"Cannot multiply A and B because inner dimension does not "
                               f"match: {inner} vs. {b.shape[0]}.  Did you forget a transpose?"
                               f"  Dimensions of A: [{a_shape[0]}, {a_shape[1]}).  Dimensions "
                               f"of B: {list(b.shape)}")
            if ((cols < 0) | (cols >= inner) | (rows < 0) | (rows >= out_rows)).any():
                raise _invalid(op, "k (or a row of A) is out of bounds of the sparse matrix")
            out = np.zeros((int(out_rows), b.shape[1]), dtype=b.dtype)
            np.add.at(out, rows, values[:, None] * b[cols])
            return out
        return matmul

    def grad(self, op, dy):
        indices, values, a_shape, b = op.inputs
        adjoint_a, adjoint_b = op.attrs["adjoint_a"], op.attrs["adjoint_b"]
        a = SparseTensor(indices, values, a_shape)
        b_grad = sparse_tensor_dense_matmul(a, dy, adjoint_a=not adjoint_a)
        if adjoint_b:
            b_grad = array_ops.transpose(b_grad)
        op_b = array_ops.transpose(b) if adjoint_b else b
        rows = array_ops.gather(indices, 1 if adjoint_a else 0, axis=1)
        cols = array_ops.gather(indices, 0 if adjoint_a else 1, axis=1)
        values_grad = math_ops.reduce_sum(array_ops.gather(dy, rows) * array_ops.gather(op_b,
                                                                                      cols), 1)
        return [None, values_grad, None, b_grad]


def _static_dims(shape_tensor, rank):
    """The known dims of a dense-shape tensor of the given rank."""
    value = constant_value(shape_tensor)
    if value is None:
        return [None] * rank
    return [int(d) for d in value]


def sparse_tensor_dense_matmul(sp_a, b, adjoint_a=False, adjoint_b=False, name=None):
    """``tf.sparse_tensor_dense_matmul(sp_a, b, adjoint_a=False, adjoint_b=False)``."""
    sp_a = _as_sparse(sp_a, "sp_a")
    with ops.name_scope(name, "SparseTensorDenseMatMul", [sp_a.indices, sp_a.values, b]) as scope:
        b = ops.convert_to_tensor(b, name="b")
        return make_tensor("SparseTensorDenseMatMul",
                           [sp_a.indices, sp_a.values, sp_a.dense_shape, b],
                           {"adjoint_a": bool(adjoint_a), "adjoint_b": bool(adjoint_b)},
                           name=scope)


# ---- sums -----------------------------------------------------------------------------------
@register_op
class SparseAdd(OpDef):
    """a + b for two SparseTensors of one shape; sums with |value| < thresh are dropped
    (``tf.sparse_add``). The gradient routes the sum's value gradient back to the entries of
    a and b (TF's SparseAddGrad)."""

    def infer(self, op):
        a_values, b_values = op.inputs[1], op.inputs[4]
        if a_values.dtype.base_dtype != b_values.dtype.base_dtype:
            raise TypeError(f"Input 'b_values' of 'SparseAdd' Op has type "
                            f"{b_values.dtype.base_dtype.name} that does not match type "
                            f"{a_values.dtype.base_dtype.name} of argument 'a_values'.")
        rank = _rank_of(op.inputs[2]) or _rank_of(op.inputs[5])
        return _sparse_outputs(op, rank, a_values.dtype.base_dtype)

    def kernel(self, op, ctx):
        def sparse_add(a_indices, a_values, a_shape, b_indices, b_values, b_shape, thresh):
            if not np.array_equal(a_shape, b_shape):
                raise _invalid(op, f"Operands do not have the same ranks; got shapes: "
                               f"{list(a_shape)} and {list(b_shape)}")
            _check_indices(op, a_indices, a_shape)
            _check_indices(op, b_indices, b_shape)
            indices = np.concatenate([a_indices, b_indices]).reshape(-1, len(a_shape))
            values = np.concatenate([a_values, b_values])
            unique, position = np.unique(indices, axis=0, return_inverse=True)
            sums = np.zeros(len(unique), dtype=values.dtype)
            np.add.at(sums, position.reshape(-1), values)
            keep = np.abs(sums) >= thresh
            return _canonical(unique[keep].astype(np.int64), sums[keep], a_shape)
        return sparse_add

    def grad(self, op, d_indices, d_values, d_shape):
        a_indices, b_indices = op.inputs[0], op.inputs[3]
        grads = make_op("SparseAddGrad", [d_values, a_indices, b_indices, op.outputs[0]]).outputs
        return [None, grads[0], None, None, grads[1], None, None]


@register_op
class SparseAddGrad(OpDef):
    """The value gradients of SparseAdd's operands: each entry of a and b takes the gradient
    of the sum's entry at its coordinates (0 where that sum was dropped)."""

    differentiable = False

    def infer(self, op):
        dtype = op.inputs[0].dtype.base_dtype
        return [(tensor_shape.TensorShape([op.inputs[1].shape[0]]), dtype),
                (tensor_shape.TensorShape([op.inputs[2].shape[0]]), dtype)]

    def kernel(self, op, ctx):
        def sparse_add_grad(grad, a_indices, b_indices, sum_indices):
            where = {tuple(row): i for i, row in enumerate(sum_indices.tolist())}

            def pick(indices):
                out = np.zeros(len(indices), dtype=grad.dtype)
                for i, row in enumerate(indices.tolist()):
                    position = where.get(tuple(row))
                    if position is not None:
                        out[i] = grad[position]
                return out
            return pick(a_indices), pick(b_indices)
        return sparse_add_grad


@register_op
class SparseTensorDenseAdd(OpDef):
    """dense + sparse -> dense (``tf.sparse_add`` with one dense operand)."""

    def infer(self, op):
        return [(op.inputs[3].shape, op.inputs[3].dtype.base_dtype)]

    def kernel(self, op, ctx):
        def add(indices, values, shape, dense):
            if not np.array_equal(shape, dense.shape):
                raise _invalid(op, f"Dimensions of the sparse and dense operands must match: "
                               f"{list(shape)} vs. {list(dense.shape)}")
            _check_indices(op, indices, shape)
            out = dense.copy()
            np.add.at(out, tuple(indices.T), values)
            return out
        return add

    def grad(self, op, dy):
        return [None, array_ops.gather_nd(dy, op.inputs[0]), None, dy]


def sparse_add(a, b, threshold=0, thresh=None):
    """``tf.sparse_add(a, b, threshold=0)``: SparseTensor + SparseTensor -> SparseTensor
    (SparseAdd), or a sum with a dense operand -> Tensor (SparseTensorDenseAdd)."""
    threshold = thresh if thresh is not None else threshold
    a, b = convert_to_tensor_or_sparse_tensor(a), convert_to_tensor_or_sparse_tensor(b)
    if not any(isinstance(x, SparseTensor) for x in (a, b)):
        raise TypeError("At least one input should be SparseTensor; do you mean to use tf.add?")
    if isinstance(a, SparseTensor) and isinstance(b, SparseTensor):
        thresh = ops.convert_to_tensor(threshold, dtype=a.values.dtype.base_dtype,
                                       name="threshold")
        out = make_op("SparseAdd", [a.indices, a.values, a.dense_shape, b.indices, b.values,
                                    b.dense_shape, thresh]).outputs
        return SparseTensor(*out)
    sparse, dense = (a, b) if isinstance(a, SparseTensor) else (b, a)
    return make_tensor("SparseTensorDenseAdd",
                       [sparse.indices, sparse.values, sparse.dense_shape, dense])


# ---- reductions, densification --------------------------------------------------------------
@register_op
class SparseReduceSum(OpDef):
    """The sum of a SparseTensor's entries over ``reduction_axes`` (all when empty), as a
    dense tensor (``tf.sparse_reduce_sum``)."""

    shape_determining_inputs = (2, 3)

    def infer(self, op):
        _, values, shape_tensor, axes_tensor = op.inputs
        dims, axes = constant_value(shape_tensor), constant_value(axes_tensor)
        dtype = values.dtype.base_dtype
        if dims is None or axes is None:
            return [(tensor_shape.unknown_shape(), dtype)]
        return [(tensor_shape.TensorShape(_reduced(list(dims), axes, op.attrs["keep_dims"])),
                 dtype)]

    def kernel(self, op, ctx):
        keep_dims = op.attrs["keep_dims"]

        def reduce_sum(indices, values, shape, axes):
            _check_indices(op, indices, shape)
            dense = np.zeros(tuple(int(d) for d in shape), dtype=values.dtype)
            np.add.at(dense, tuple(indices.T), values)
            axes = tuple(range(len(shape))) if np.size(axes) == 0 else tuple(
                int(a) % len(shape) for a in np.ravel(axes))
            return np.sum(dense, axis=axes, keepdims=keep_dims).astype(values.dtype)
        return reduce_sum

    def grad(self, op, dy):
        indices, _, shape_tensor, axes_tensor = op.inputs
        rank, axes = _rank_of(shape_tensor), constant_value(axes_tensor)
        if rank is None or axes is None:
            raise LookupError(f"Gradient of SparseReduceSum '{op.name}' needs a static rank and "
                              f"reduction axes in tfcompat")
        reduced = np.zeros(rank, dtype=np.int64)
        reduced[list(range(rank)) if np.size(axes) == 0 else
                [int(a) % rank for a in np.ravel(axes)]] = 1
        kept_shape = shape_tensor * (1 - reduced) + reduced
        grad = array_ops.reshape(dy, kept_shape)
        return [None, array_ops.gather_nd(grad, indices * (1 - reduced)), None, None]


def _reduced(dims, axes, keep_dims):
    rank = len(dims)
    axes = set(range(rank)) if np.size(axes) == 0 else {int(a) % rank for a in np.ravel(axes)}
    if keep_dims:
        return [1 if i in axes else d for i, d in enumerate(dims)]
    return [d for i, d in enumerate(dims) if i not in axes]


def sparse_reduce_sum(sp_input, axis=None, keepdims=None, reduction_axes=None, keep_dims=None):
    """``tf.sparse_reduce_sum(sp_input, axis=None, keepdims=None)`` -> a dense Tensor."""
    sp_input = _as_sparse(sp_input)
    axis = reduction_axes if axis is None else axis
    keep = bool(keepdims if keepdims is not None else keep_dims)
    axes = ops.convert_to_tensor([] if axis is None else axis, dtype=dtypes.int32,
                                 name="reduction_axes")
    return make_tensor("SparseReduceSum", [sp_input.indices, sp_input.values,
                                           sp_input.dense_shape, axes], {"keep_dims": keep})


@register_op
class SparseToDense(OpDef):
    """A dense tensor of ``output_shape`` filled with ``default_value`` and ``sparse_values``
    at ``sparse_indices`` (``tf.sparse_to_dense``; a scalar value fills every index)."""

    shape_determining_inputs = (1,)

    def infer(self, op):
        _, shape_tensor, values, default = op.inputs
        if values.dtype.base_dtype != default.dtype.base_dtype:
            raise TypeError(f"Input 'default_value' of 'SparseToDense' Op has type "
                            f"{default.dtype.base_dtype.name} that does not match type "
                            f"{values.dtype.base_dtype.name} of argument 'sparse_values'.")
        return [(_output_shape_of(shape_tensor), values.dtype.base_dtype)]

    def kernel(self, op, ctx):
        validate = op.attrs.get("validate_indices", True)

        def to_dense(indices, shape, values, default):
            shape = np.atleast_1d(shape)
            indices = indices.reshape(-1, 1) if indices.ndim < 2 and len(shape) == 1 \
                else indices.reshape(-1, len(shape))
            _check_indices(op, indices, shape)
            if validate and len(indices) > 1:
                flat = np.ravel_multi_index(tuple(indices.T), tuple(int(d) for d in shape))
                if (np.diff(flat) <= 0).any():
                    first = int(np.flatnonzero(np.diff(flat) <= 0)[0]) + 1
                    kind = "repeated" if flat[first] == flat[first - 1] else "out of order"
                    raise _invalid(op, f"indices[{first}] = [{', '.join(map(str, indices[first]))}]"
                                   f" is {kind}")
            values = np.broadcast_to(values, (len(indices),))
            return _densify(indices, values, shape, default)
        return to_dense

    def grad(self, op, dy):
        indices, _, values, _ = op.inputs
        picked = array_ops.gather_nd(dy, array_ops.reshape(indices, [-1, 1])
                                     if indices.shape.ndims is not None and indices.shape.ndims < 2
                                     else indices)
        values_grad = picked if values.shape.ndims != 0 else math_ops.reduce_sum(picked)
        default_grad = math_ops.reduce_sum(dy) - math_ops.reduce_sum(picked)
        return [None, None, values_grad, default_grad]


def _output_shape_of(shape_tensor):
    from tfcompat.framework.op_def import constant_shape_value
    if shape_tensor.shape.ndims == 0:
        value = constant_value(shape_tensor)
        return tensor_shape.TensorShape([None if value is None else int(value)])
    return constant_shape_value(shape_tensor)


def sparse_to_dense(sparse_indices, output_shape, sparse_values, default_value=0,
                    validate_indices=True, name=None):
    """``tf.sparse_to_dense(sparse_indices, output_shape, sparse_values, default_value=0,
    validate_indices=True, name=None)``."""
    values = ops.convert_to_tensor(sparse_values, name="sparse_values")
    indices = array_ops._as_int_tensor(sparse_indices, name="sparse_indices")
    shape = ops.convert_to_tensor(output_shape, dtype=indices.dtype.base_dtype,
                                  name="output_shape") if not isinstance(
        output_shape, ops.Tensor) else output_shape
    default = ops.convert_to_tensor(default_value, dtype=values.dtype.base_dtype,
                                    name="default_value")
    return make_tensor("SparseToDense", [indices, shape, values, default],
                       {"validate_indices": bool(validate_indices)}, name=name or "SparseToDense")


def sparse_tensor_to_dense(sp_input, default_value=0, validate_indices=True, name=None):
    """``tf.sparse_tensor_to_dense`` / ``tf.sparse.to_dense``: SparseToDense of the three
    tensors."""
    sp_input = _as_sparse(sp_input)
    return sparse_to_dense(sp_input.indices, sp_input.dense_shape, sp_input.values,
                           default_value=default_value, validate_indices=validate_indices,
                           name=name)


# ---- concat, reshape, reorder, softmax ------------------------------------------------------
@register_op
class SparseConcat(OpDef):
    """SparseTensors joined along ``concat_dim`` (``tf.sparse_concat``); inputs are the N
    indices, then the N values, then the N shapes."""

    differentiable = False

    def infer(self, op):
        count = op.attrs["N"]
        rank = _rank_of(op.inputs[2 * count])
        return _sparse_outputs(op, rank, op.inputs[count].dtype.base_dtype)

    def kernel(self, op, ctx):
        count, axis = op.attrs["N"], op.attrs["concat_dim"]

        def concat(*inputs):
            indices, values, shapes = (inputs[:count], inputs[count:2 * count],
                                       inputs[2 * count:])
            rank = len(shapes[0])
            dim = axis % rank
            for shape in shapes[1:]:
                others = [i for i in range(rank) if i != dim]
                if len(shape) != rank or (shape[others] != shapes[0][others]).any():
                    raise _invalid(op, f"Input shapes must match: expected {list(shapes[0])}"
                                   f" and {list(shape)} to agree except in dimension {dim}")
            offsets = np.cumsum([0] + [int(s[dim]) for s in shapes[:-1]])
            moved = []
            for index, offset in zip(indices, offsets, strict=True):
                index = index.copy()
                index[:, dim] += offset
                moved.append(index)
            out_shape = shapes[0].copy()
            out_shape[dim] = sum(int(s[dim]) for s in shapes)
            return _canonical(np.concatenate(moved).astype(np.int64),
                              np.concatenate(values), out_shape)
        return concat


def sparse_concat(axis, sp_inputs, name=None, expand_nonconcat_dim=False, concat_dim=None):
    """``tf.sparse_concat(axis, sp_inputs, name=None, expand_nonconcat_dim=False)``."""
    axis = concat_dim if concat_dim is not None else axis
    if expand_nonconcat_dim:
        raise NotImplementedError("tfcompat: sparse_concat(expand_nonconcat_dim=True)")
    sp_inputs = [_as_sparse(s, "sp_inputs") for s in sp_inputs]
    inputs = ([s.indices for s in sp_inputs] + [s.values for s in sp_inputs]
              + [s.dense_shape for s in sp_inputs])
    out = make_op("SparseConcat", inputs, {"N": len(sp_inputs), "concat_dim": int(axis)},
                  name=name or "SparseConcat").outputs
    return SparseTensor(*out)


@register_op
class SparseReshape(OpDef):
    """New indices and shape of a SparseTensor reshaped to ``new_shape`` (one -1 allowed;
    ``tf.sparse_reshape``); values keep their order."""

    differentiable = False
    shape_determining_inputs = (2,)

    def infer(self, op):
        rank = op.inputs[2].shape[0].value if op.inputs[2].shape.ndims == 1 else None
        return [(tensor_shape.TensorShape([op.inputs[0].shape[0], rank]), dtypes.int64),
                (tensor_shape.TensorShape([rank]), dtypes.int64)]

    def kernel(self, op, ctx):
        def reshape(indices, shape, new_shape):
            total = int(np.prod(shape))
            new_shape = np.array(new_shape, dtype=np.int64)
            unknown = np.flatnonzero(new_shape == -1)
            if unknown.size > 1:
                raise _invalid(op, f"only one output dimension may be -1, not both "
                               f"{unknown[0]} and {unknown[1]}")
            known = int(np.prod(new_shape[new_shape != -1]))
            if unknown.size:
                if known == 0 or total % known:
                    raise _invalid(op, f"Input to reshape is a SparseTensor with {total} dense "
                                   f"values, but the requested shape requires a multiple of "
                                   f"{known}")
                new_shape[unknown[0]] = total // known
            elif known != total:
                raise _invalid(op, f"Input to reshape is a tensor with {total} dense values, "
                               f"but the requested shape has {known}")
            flat = np.ravel_multi_index(tuple(indices.T), tuple(int(d) for d in shape)) \
                if len(indices) else np.zeros(0, np.int64)
            new_indices = np.stack(np.unravel_index(flat, tuple(int(d) for d in new_shape)),
                                   axis=1) if len(indices) else np.zeros((0, len(new_shape)))
            return new_indices.astype(np.int64), new_shape
        return reshape


def sparse_reshape(sp_input, shape, name=None):
    """``tf.sparse_reshape(sp_input, shape, name=None)``."""
    sp_input = _as_sparse(sp_input)
    new_shape = ops.convert_to_tensor(shape, dtype=dtypes.int64, name="shape")
    with ops.name_scope(name, "SparseReshape", [sp_input.values]) as scope:
        indices, dense_shape = make_op("SparseReshape", [sp_input.indices, sp_input.dense_shape,
                                                         new_shape], name=scope).outputs
        return SparseTensor(indices, array_ops.identity(sp_input.values), dense_shape)


@register_op
class SparseReorder(OpDef):
    """A SparseTensor's entries in row-major order (``tf.sparse_reorder``)."""

    def infer(self, op):
        return _sparse_outputs(op, _rank_of(op.inputs[2]), op.inputs[1].dtype.base_dtype)[:2]

    def kernel(self, op, ctx):
        def reorder(indices, values, shape):
            _check_indices(op, indices, shape)
            out_indices, out_values, _ = _canonical(indices, values, shape)
            return out_indices, out_values
        return reorder

    def grad(self, op, d_indices, d_values):
        indices = op.inputs[0]
        # The permutation TF's gradient undoes: reorder the entries' own positions.
        positions = math_ops.cast(math_ops._range(array_ops.shape(indices)[0]), dtypes.int64)
        order = make_op("SparseReorder", [indices, positions, op.inputs[2]]).outputs[1]
        return [None, math_ops.unsorted_segment_sum(d_values, order,
                                                    array_ops.shape(indices)[0]), None]


def sparse_reorder(sp_input, name=None):
    """``tf.sparse_reorder(sp_input, name=None)``."""
    sp_input = _as_sparse(sp_input)
    indices, values = make_op("SparseReorder", [sp_input.indices, sp_input.values,
                                                sp_input.dense_shape],
                              name=name or "SparseReorder").outputs
    return SparseTensor(indices, values, array_ops.identity(sp_input.dense_shape))


@register_op
class SparseSoftmax(OpDef):
    """Softmax over the last dimension of a SparseTensor, among its present entries only
    (``tf.sparse_softmax``); entries must be in canonical order."""

    def infer(self, op):
        return [(_VECTOR if op.inputs[1].shape.ndims is None else op.inputs[1].shape,
                 op.inputs[1].dtype.base_dtype)]

    def kernel(self, op, ctx):
        def softmax(indices, values, shape):
            _check_indices(op, indices, shape)
            if len(shape) < 2:
                raise _invalid(op, f"Input should have rank >= 2, but received shape: "
                               f"{list(shape)}")
            groups = np.unique(indices[:, :-1], axis=0, return_inverse=True)[1].reshape(-1)
            peaks = np.full(groups.max() + 1 if groups.size else 0, -np.inf, values.dtype)
            np.maximum.at(peaks, groups, values)
            exp = np.exp(values - peaks[groups])
            sums = np.zeros_like(peaks)
            np.add.at(sums, groups, exp)
            return (exp / sums[groups]).astype(values.dtype)
        return softmax

    def grad(self, op, dy):
        indices, _, shape = op.inputs
        y = op.outputs[0]
        rank = _static_rank(indices, shape)
        if rank is None:
            raise LookupError(f"Gradient of SparseSoftmax '{op.name}' needs a static rank in "
                              f"tfcompat")
        row_sums = sparse_reduce_sum(SparseTensor(indices, dy * y, shape), axis=-1)
        rows = array_ops.gather_nd(row_sums, array_ops.slice(indices, [0, 0], [-1, rank - 1]))
        return [None, (dy - rows) * y, None]


def _static_rank(indices, shape):
    """A SparseTensor's rank from its indices' or dense shape's static shape, or None."""
    rank = indices.shape[1].value if indices.shape.ndims == 2 else None
    return rank if rank is not None else _rank_of(shape)


def _known_rank(sp_input, what):
    rank = _static_rank(sp_input.indices, sp_input.dense_shape)
    if rank is None:
        raise ValueError(f"tfcompat: {what} needs a SparseTensor of static rank")
    return rank


def sparse_softmax(sp_input, name=None):
    """``tf.sparse_softmax(sp_input, name=None)`` -> a SparseTensor."""
    sp_input = _as_sparse(sp_input)
    with ops.name_scope(name, "SparseSoftmax", [sp_input.indices, sp_input.values]) as scope:
        values = make_tensor("SparseSoftmax", [sp_input.indices, sp_input.values,
                                               sp_input.dense_shape], name=scope)
        return SparseTensor(sp_input.indices, values, sp_input.dense_shape)


# ---- compositions ---------------------------------------------------------------------------
def sparse_retain(sp_input, to_retain):
    """``tf.sparse_retain(sp_input, to_retain)``: the entries where the bool vector
    ``to_retain`` is True (Where + gathers, as TF builds it)."""
    sp_input = _as_sparse(sp_input)
    to_retain = ops.convert_to_tensor(to_retain)
    if to_retain.shape.ndims not in (None, 1):
        raise ValueError(f"to_retain must be a vector, got shape {to_retain.shape}")
    where_true = array_ops.reshape(math_ops.where(to_retain), [-1])
    return SparseTensor(array_ops.gather(sp_input.indices, where_true),
                        array_ops.gather(sp_input.values, where_true),
                        array_ops.identity(sp_input.dense_shape))


def from_dense(tensor, name=None):
    """``tf.sparse.from_dense``: the non-zero entries of a dense tensor."""
    with ops.name_scope(name, "dense_to_sparse"):
        tensor = ops.convert_to_tensor(tensor)
        zero = array_ops.zeros([], dtype=tensor.dtype.base_dtype)
        indices = math_ops.where(math_ops.not_equal(tensor, zero))
        return SparseTensor(indices, array_ops.gather_nd(tensor, indices),
                            array_ops.shape(tensor, out_type=dtypes.int64))


def sparse_to_indicator(sp_input, vocab_size, name=None):
    """``tf.sparse_to_indicator(sp_input, vocab_size)``: a bool tensor of shape
    dense_shape[:-1] + [vocab_size], True at [i..., v] for each value v of row i...."""
    sp_input = _as_sparse(sp_input)
    with ops.name_scope(name, "SparseToIndicator", [sp_input.indices, sp_input.values]):
        rank = _known_rank(sp_input, "sparse_to_indicator")
        outer = array_ops.slice(sp_input.indices, [0, 0], [-1, rank - 1])
        ids = array_ops.expand_dims(math_ops.cast(sp_input.values, dtypes.int64), 1)
        indices = array_ops.concat([outer, ids], 1)
        shape = array_ops.concat([array_ops.slice(sp_input.dense_shape, [0], [rank - 1]),
                                  ops.convert_to_tensor([vocab_size], dtype=dtypes.int64)], 0)
        return sparse_to_dense(indices, shape, True, default_value=False,
                               validate_indices=False)


__all__ = [
    "SparseTensor", "SparseTensorValue", "convert_to_tensor_or_sparse_tensor",
    "sparse_tensor_dense_matmul", "sparse_add", "sparse_reduce_sum", "sparse_to_dense",
    "sparse_tensor_to_dense", "sparse_concat", "sparse_reshape", "sparse_reorder",
    "sparse_softmax", "sparse_retain", "sparse_to_indicator", "sparse_placeholder",
]


# ---- segment reductions over gathered rows ---------------------------------------------------
class _SparseSegment(OpDef):
    """out[s] = reduction of data[indices[i]] over the i with segment_ids[i] == s: sum, mean
    or sum / sqrt(count) (``tf.sparse_segment_sum/mean/sqrt_n``); segment ids sorted; with
    ``num_segments`` (the *WithNumSegments ops) the output has that many rows."""

    reduction = "sum"
    with_num_segments = False
    shape_determining_inputs = (3,)

    def infer(self, op):
        data, indices, segment_ids = op.inputs[:3]
        for tensor, label in ((indices, "Tidx"), (segment_ids, "Tsegmentids")):
            if tensor.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
                raise TypeError(f"Value passed to parameter '{label}' has DataType "
                                f"{tensor.dtype.base_dtype.name} not in list of allowed "
                                f"values: int32, int64")
        rows = None
        if self.with_num_segments:
            count = constant_value(op.inputs[3])
            rows = None if count is None else int(count)
        if data.shape.ndims is None:
            return [(tensor_shape.unknown_shape(), data.dtype.base_dtype)]
        return [(tensor_shape.TensorShape([rows]).concatenate(data.shape[1:]),
                 data.dtype.base_dtype)]

    def kernel(self, op, ctx):
        reduction, with_count = self.reduction, self.with_num_segments

        def segment(data, indices, segment_ids, *num_segments):
            _check_segments(op, data, indices, segment_ids)
            rows = int(num_segments[0]) if with_count else (
                int(segment_ids[-1]) + 1 if segment_ids.size else 0)
            if segment_ids.size and segment_ids[-1] >= rows:
                raise _invalid(op, f"segment ids must be < num_segments: {segment_ids[-1]} "
                               f"vs. {rows}")
            out = np.zeros((rows,) + data.shape[1:], dtype=data.dtype)
            np.add.at(out, segment_ids, data[indices])
            if reduction != "sum":
                counts = np.bincount(segment_ids, minlength=rows).astype(data.dtype)
                scale = counts if reduction == "mean" else np.sqrt(counts)
                scale = np.where(scale > 0, scale, 1).reshape((-1,) + (1,) * (data.ndim - 1))
                out = (out / scale).astype(data.dtype)
            return out
        return segment

    def grad(self, op, dy):
        data, indices, segment_ids = op.inputs[:3]
        rows = array_ops.gather(array_ops.shape(data, out_type=segment_ids.dtype.base_dtype), 0)
        extra = [None] if self.with_num_segments else []
        if self.reduction == "sum":
            return [math_ops.unsorted_segment_sum(array_ops.gather(dy, segment_ids), indices,
                                                  rows), None, None] + extra
        op_type = "SparseSegmentMeanGrad" if self.reduction == "mean" \
            else "SparseSegmentSqrtNGrad"
        return [make_tensor(op_type, [dy, indices, segment_ids,
                                      math_ops.cast(rows, dtypes.int32)]), None, None] + extra


def _check_segments(op, data, indices, segment_ids):
    if indices.shape != segment_ids.shape or indices.ndim != 1:
        raise _invalid(op, f"segment_ids and indices should have same size. segment_ids "
                       f"shape: {list(segment_ids.shape)}, indices shape: {list(indices.shape)}")
    if segment_ids.size and ((np.diff(segment_ids) < 0).any() or segment_ids[0] < 0):
        raise _invalid(op, "segment ids are not increasing")
    bad = np.flatnonzero((indices < 0) | (indices >= data.shape[0]))
    if bad.size:
        raise _invalid(op, f"Bad: indices[{bad[0]}] == {indices[bad[0]]} out of range "
                       f"[0, {data.shape[0]})")


for _reduction, _suffix in (("sum", "Sum"), ("mean", "Mean"), ("sqrt_n", "SqrtN")):
    for _counted in (False, True):
        register_op(type(f"SparseSegment{_suffix}" + ("WithNumSegments" if _counted else ""),
                         (_SparseSegment,), {"reduction": _reduction,
                                             "with_num_segments": _counted,
                                             "__module__": __name__}))


class _SparseSegmentGrad(OpDef):
    """The data gradient of SparseSegmentMean/SqrtN: dy[segment_ids[i]] / count (or
    sqrt(count)) added into row indices[i] of a [output_dim0, ...] tensor."""

    differentiable = False
    shape_determining_inputs = (3,)
    root = False

    def infer(self, op):
        dy = op.inputs[0]
        rows = constant_value(op.inputs[3])
        return [(tensor_shape.TensorShape([None if rows is None else int(rows)]).concatenate(
            dy.shape[1:]) if dy.shape.ndims is not None else tensor_shape.unknown_shape(),
            dy.dtype.base_dtype)]

    def kernel(self, op, ctx):
        root = self.root

        def segment_grad(dy, indices, segment_ids, rows):
            counts = np.bincount(segment_ids, minlength=dy.shape[0]).astype(dy.dtype)
            scale = np.sqrt(counts) if root else counts
            scaled = dy / np.where(scale > 0, scale, 1).reshape((-1,) + (1,) * (dy.ndim - 1))
            out = np.zeros((int(rows),) + dy.shape[1:], dtype=dy.dtype)
            np.add.at(out, indices, scaled[segment_ids])
            return out
        return segment_grad


@register_op
class SparseSegmentMeanGrad(_SparseSegmentGrad):
    """See _SparseSegmentGrad (mean)."""


@register_op
class SparseSegmentSqrtNGrad(_SparseSegmentGrad):
    """See _SparseSegmentGrad (sqrt_n)."""

    root = True


def _sparse_segment(op_base, data, indices, segment_ids, name, num_segments):
    data = ops.convert_to_tensor(data, name="data")
    inputs = [data, array_ops._as_int_tensor(indices, name="indices"),
              array_ops._as_int_tensor(segment_ids, name="segment_ids")]
    op_type = op_base
    if num_segments is not None:
        op_type += "WithNumSegments"
        inputs.append(ops.convert_to_tensor(num_segments, dtype=dtypes.int32,
                                            name="num_segments"))
    return make_tensor(op_type, inputs, name=name or op_type)


def sparse_segment_sum(data, indices, segment_ids, name=None, num_segments=None):
    """``tf.sparse_segment_sum(data, indices, segment_ids, name=None, num_segments=None)``."""
    return _sparse_segment("SparseSegmentSum", data, indices, segment_ids, name, num_segments)


def sparse_segment_mean(data, indices, segment_ids, name=None, num_segments=None):
    """``tf.sparse_segment_mean(data, indices, segment_ids, name=None, num_segments=None)``."""
    return _sparse_segment("SparseSegmentMean", data, indices, segment_ids, name, num_segments)


def sparse_segment_sqrt_n(data, indices, segment_ids, name=None, num_segments=None):
    """``tf.sparse_segment_sqrt_n(data, indices, segment_ids, name=None,
    num_segments=None)``."""
    return _sparse_segment("SparseSegmentSqrtN", data, indices, segment_ids, name, num_segments)


# ---- filling, slicing, splitting, transposing -------------------------------------------------
@register_op
class SparseFillEmptyRows(OpDef):
    """Adds an entry [row, 0, ...] = default_value to every empty row
    (``tf.sparse_fill_empty_rows``): outputs indices, values, the empty-row indicator and
    the map from input entries to output entries."""

    def infer(self, op):
        rank = _rank_of(op.inputs[2])
        outputs = _sparse_outputs(op, rank, op.inputs[1].dtype.base_dtype)[:2]
        return outputs + [(_VECTOR, dtypes.bool), (_VECTOR, dtypes.int64)]

    def kernel(self, op, ctx):
        def fill(indices, values, shape, default):
            _check_indices(op, indices, shape)
            rows = int(shape[0]) if len(shape) else 0
            empty = np.ones(rows, dtype=bool)
            empty[indices[:, 0]] = False
            extra = np.zeros((int(empty.sum()), len(shape)), dtype=np.int64)
            extra[:, 0] = np.flatnonzero(empty)
            all_indices = np.concatenate([indices, extra]).astype(np.int64)
            all_values = np.concatenate([values, np.full(len(extra), default, values.dtype)])
            order = np.lexsort(all_indices.T[::-1])
            position = np.empty_like(order)
            position[order] = np.arange(order.size)
            return (all_indices[order], all_values[order], empty,
                    position[:len(indices)].astype(np.int64))
        return fill

    def grad(self, op, d_indices, d_values, d_empty, d_map):
        values_grad = array_ops.gather(d_values, op.outputs[3])
        default_grad = math_ops.reduce_sum(d_values) - math_ops.reduce_sum(values_grad)
        return [None, values_grad, None, default_grad]


def sparse_fill_empty_rows(sp_input, default_value, name=None):
    """``tf.sparse_fill_empty_rows(sp_input, default_value)`` -> (SparseTensor, empty row
    indicator)."""
    sp_input = _as_sparse(sp_input)
    with ops.name_scope(name, "SparseFillEmptyRows", [sp_input]):
        default = ops.convert_to_tensor(default_value, dtype=sp_input.values.dtype.base_dtype)
        indices, values, empty, _ = make_op("SparseFillEmptyRows", [
            sp_input.indices, sp_input.values, sp_input.dense_shape, default]).outputs
        return SparseTensor(indices, values, sp_input.dense_shape), empty


@register_op
class SparseSlice(OpDef):
    """The entries inside [start, start + size) moved to start at 0, in a shape clipped to
    the input's (``tf.sparse_slice``)."""

    def infer(self, op):
        return _sparse_outputs(op, _rank_of(op.inputs[2]), op.inputs[1].dtype.base_dtype)

    def kernel(self, op, ctx):
        def slice_kernel(indices, values, shape, start, size):
            start, size = np.asarray(start, np.int64), np.asarray(size, np.int64)
            if start.shape != shape.shape or size.shape != shape.shape:
                raise _invalid(op, f"Expected start and size of length {len(shape)}, got "
                               f"{start.size} and {size.size}")
            end = np.minimum(start + size, shape)
            inside = ((indices >= start) & (indices < end)).all(axis=1)
            return ((indices[inside] - start).astype(np.int64), values[inside],
                    np.maximum(end - start, 0).astype(np.int64))
        return slice_kernel

    def grad(self, op, d_indices, d_values, d_shape):
        values_grad = make_tensor("SparseSliceGrad", [d_values, op.inputs[0], op.inputs[3],
                                                       op.outputs[0]])
        return [None, values_grad, None, None, None]


@register_op
class SparseSliceGrad(OpDef):
    """The values gradient of SparseSlice: each input entry takes the gradient of the output
    entry it became (0 if it was sliced away)."""

    differentiable = False

    def infer(self, op):
        return [(tensor_shape.TensorShape([op.inputs[1].shape[0]]),
                 op.inputs[0].dtype.base_dtype)]

    def kernel(self, op, ctx):
        def slice_grad(grad, input_indices, start, output_indices):
            where = {tuple(row): i for i, row in enumerate((output_indices + start).tolist())}
            out = np.zeros(len(input_indices), dtype=grad.dtype)
            for i, row in enumerate(input_indices.tolist()):
                position = where.get(tuple(row))
                if position is not None:
                    out[i] = grad[position]
            return out
        return slice_grad


def sparse_slice(sp_input, start, size, name=None):
    """``tf.sparse_slice(sp_input, start, size, name=None)``."""
    sp_input = _as_sparse(sp_input)
    start = ops.convert_to_tensor(start, dtype=dtypes.int64, name="start")
    size = ops.convert_to_tensor(size, dtype=dtypes.int64, name="size")
    with ops.name_scope(name, "SparseSlice", [sp_input]) as scope:
        out = make_op("SparseSlice", [sp_input.indices, sp_input.values, sp_input.dense_shape,
                                      start, size], name=scope).outputs
        return SparseTensor(*out)


def sparse_split(keyword_required=None, sp_input=None, num_split=None, axis=None, name=None,
                 split_dim=None):
    """``tf.sparse_split(sp_input=, num_split=, axis=)``: ``num_split`` SparseSlices along
    ``axis``, the first (size % num_split) one element larger, as TF's SparseSplit."""
    if keyword_required is not None:
        raise ValueError("Keyword arguments are required for this function.")
    axis = split_dim if axis is None else axis
    sp_input = _as_sparse(sp_input)
    with ops.name_scope(name, "SparseSplit", [sp_input]):
        rank = _known_rank(sp_input, "sparse_split")
        axis = int(axis) % rank
        size = array_ops.gather(sp_input.dense_shape, axis)
        base, extra = size // num_split, size % num_split
        pieces = []
        for i in range(num_split):
            offset = base * i + math_ops.minimum(ops.convert_to_tensor(i, dtype=dtypes.int64),
                                                 extra)
            length = base + math_ops.cast(math_ops.less(
                ops.convert_to_tensor(i, dtype=dtypes.int64), extra), dtypes.int64)
            hot = array_ops.one_hot(axis, rank, dtype=dtypes.int64)
            start = hot * offset
            span = sp_input.dense_shape * (1 - hot) + hot * length
            pieces.append(sparse_slice(sp_input, start, span))
        return pieces


def sparse_transpose(sp_input, perm=None, name=None):
    """``tf.sparse_transpose(sp_input, perm=None)``: permuted indices and shape, reordered
    (TF's composition; reversed dims by default)."""
    sp_input = _as_sparse(sp_input)
    with ops.name_scope(name, "SparseTranspose", [sp_input]):
        if perm is None:
            rank = _known_rank(sp_input, "sparse_transpose")
            perm = list(range(rank - 1, -1, -1))
        perm = ops.convert_to_tensor(perm, dtype=dtypes.int32, name="perm")
        indices = array_ops.transpose(array_ops.gather(array_ops.transpose(sp_input.indices),
                                                       perm))
        shape = array_ops.gather(sp_input.dense_shape, perm)
        return sparse_reorder(SparseTensor(indices, sp_input.values, shape))


# ---- max reductions, elementwise max/min ------------------------------------------------------
class _SparseReduceMax(OpDef):
    """The max (SparseReduceSumSparse: sum) over ``reduction_axes`` of the present entries
    (groups without one give 0, as TF 2.21's compat.v1 kernel), dense (SparseReduceMax) or
    as a SparseTensor of the groups that had entries (*Sparse); ``tf.sparse_reduce_max``."""

    differentiable = False
    shape_determining_inputs = (2, 3)
    sparse_output = False

    def infer(self, op):
        _, values, shape_tensor, axes_tensor = op.inputs
        dtype = values.dtype.base_dtype
        dims, axes = constant_value(shape_tensor), constant_value(axes_tensor)
        kept = None if dims is None or axes is None else _reduced(
            list(dims), axes, op.attrs["keep_dims"])
        if self.sparse_output:
            return _sparse_outputs(op, None if kept is None else len(kept), dtype)
        return [(tensor_shape.unknown_shape() if kept is None
                 else tensor_shape.TensorShape(kept), dtype)]

    def kernel(self, op, ctx):
        keep, sparse_output = op.attrs["keep_dims"], self.sparse_output
        reduce_sum = op.type.startswith("SparseReduceSum")

        def reduce_max(indices, values, shape, axes):
            _check_indices(op, indices, shape)
            rank = len(shape)
            reduced = sorted({int(a) % rank for a in np.ravel(axes)} if np.size(axes)
                             else set(range(rank)))
            kept_axes = [a for a in range(rank) if a not in reduced]
            group_index = indices.copy()
            group_index[:, reduced] = 0
            groups, position = np.unique(group_index, axis=0, return_inverse=True)
            position = position.reshape(-1)
            result = np.zeros(len(groups), dtype=values.dtype)
            if not reduce_sum:
                result[:] = -np.inf if values.dtype.kind == "f" else np.iinfo(values.dtype).min
            (np.add if reduce_sum else np.maximum).at(result, position, values)
            out_shape = np.array(_reduced(list(shape), reduced, keep), dtype=np.int64)
            out_indices = (groups if keep else groups[:, kept_axes]).reshape(len(groups), -1)
            if sparse_output:
                return out_indices.astype(np.int64), result, out_shape
            if not out_shape.size:  # everything reduced to a scalar
                return np.array(result[0] if result.size else 0, dtype=values.dtype)
            return _densify(out_indices, result, out_shape, 0)
        return reduce_max


@register_op
class SparseReduceMax(_SparseReduceMax):
    """Dense max reduction (see _SparseReduceMax)."""


@register_op
class SparseReduceMaxSparse(_SparseReduceMax):
    """Sparse max reduction (see _SparseReduceMax)."""

    sparse_output = True


@register_op
class SparseReduceSumSparse(_SparseReduceMax):
    """Sparse sum reduction: one entry per group with present entries."""

    sparse_output = True


def _reduce_builder(op_type, sparse_output):
    def builder(sp_input, axis=None, keepdims=None, reduction_axes=None, keep_dims=None):
        sp_input = _as_sparse(sp_input)
        axis = reduction_axes if axis is None else axis
        keep = bool(keepdims if keepdims is not None else keep_dims)
        axes = ops.convert_to_tensor([] if axis is None else axis, dtype=dtypes.int32,
                                     name="reduction_axes")
        outputs = make_op(op_type, [sp_input.indices, sp_input.values, sp_input.dense_shape,
                                    axes], {"keep_dims": keep}).outputs
        return SparseTensor(*outputs) if sparse_output else outputs[0]
    builder.__doc__ = f"``tf.{_snake_name(op_type)}(sp_input, axis=None, keepdims=None)``."
    return builder


def _snake_name(op_type):
    return {"SparseReduceMax": "sparse_reduce_max",
            "SparseReduceMaxSparse": "sparse_reduce_max_sparse",
            "SparseReduceSumSparse": "sparse_reduce_sum_sparse"}[op_type]


sparse_reduce_max = _reduce_builder("SparseReduceMax", False)
sparse_reduce_max_sparse = _reduce_builder("SparseReduceMaxSparse", True)
sparse_reduce_sum_sparse = _reduce_builder("SparseReduceSumSparse", True)


class _SparseSparseMinOrMax(OpDef):
    """Elementwise max (or min) of two SparseTensors of one shape over the union of their
    entries, a missing entry counting as 0 (``tf.sparse_maximum`` / ``tf.sparse_minimum``)."""

    differentiable = False
    combine = np.maximum

    def infer(self, op):
        return _sparse_outputs(op, _rank_of(op.inputs[2]), op.inputs[1].dtype.base_dtype)[:2]

    def kernel(self, op, ctx):
        combine = self.combine

        def min_or_max(a_indices, a_values, a_shape, b_indices, b_values, b_shape):
            if not np.array_equal(a_shape, b_shape):
                raise _invalid(op, f"Operands' shapes do not match: got {list(a_shape)} and "
                               f"{list(b_shape)}")
            indices = np.concatenate([a_indices, b_indices]).reshape(-1, len(a_shape))
            union, position = np.unique(indices, axis=0, return_inverse=True)
            position = position.reshape(-1)
            a_full = np.zeros(len(union), a_values.dtype)
            b_full = np.zeros(len(union), b_values.dtype)
            a_full[position[:len(a_indices)]] = a_values
            b_full[position[len(a_indices):]] = b_values
            return union.astype(np.int64), combine(a_full, b_full)
        return min_or_max


@register_op
class SparseSparseMaximum(_SparseSparseMinOrMax):
    """See _SparseSparseMinOrMax (maximum)."""


@register_op
class SparseSparseMinimum(_SparseSparseMinOrMax):
    """See _SparseSparseMinOrMax (minimum)."""

    combine = np.minimum


def _min_or_max_builder(op_type):
    def builder(sp_a, sp_b, name=None):
        sp_a, sp_b = _as_sparse(sp_a, "sp_a"), _as_sparse(sp_b, "sp_b")
        indices, values = make_op(op_type, [sp_a.indices, sp_a.values, sp_a.dense_shape,
                                             sp_b.indices, sp_b.values, sp_b.dense_shape],
                                  name=name or op_type).outputs
        return SparseTensor(indices, values, sp_a.dense_shape)
    builder.__doc__ = f"``tf.sparse_{op_type[12:].lower()}(sp_a, sp_b, name=None)``."
    return builder


sparse_maximum = _min_or_max_builder("SparseSparseMaximum")
sparse_minimum = _min_or_max_builder("SparseSparseMinimum")


# ---- more compositions --------------------------------------------------------------------
def sparse_mask(a, mask_indices, name=None):
    """``tf.sparse_mask(a, mask_indices)``: the IndexedSlices ``a`` without the rows whose
    index is in ``mask_indices`` (setdiff1d + gather, as TF)."""
    from tfcompat.ops.indexed_slices import IndexedSlices
    from tfcompat.ops.array_ops_extra import setdiff1d
    with ops.name_scope(name, "sparse_mask", [a, mask_indices]):
        out_indices, to_gather = setdiff1d(a.indices, mask_indices)
        return IndexedSlices(array_ops.gather(a.values, to_gather), out_indices, a.dense_shape)


def sparse_merge(sp_ids, sp_values, vocab_size, name=None, already_sorted=False):
    """``tf.sparse_merge`` (deprecated in TF): entries [i..., sp_ids.values[k]] =
    sp_values.values[k] in a shape dense_shape[:-1] + [vocab_size], reordered unless
    ``already_sorted`` (one SparseTensor of ids, as TF's single-feature case)."""
    sp_ids, sp_values = _as_sparse(sp_ids, "sp_ids"), _as_sparse(sp_values, "sp_values")
    with ops.name_scope(name, "SparseMerge", [sp_ids, sp_values]):
        rank = _known_rank(sp_ids, "sparse_merge")
        outer = array_ops.slice(sp_ids.indices, [0, 0], [-1, rank - 1])
        ids = array_ops.expand_dims(math_ops.cast(sp_ids.values, dtypes.int64), 1)
        shape = array_ops.concat([array_ops.slice(sp_ids.dense_shape, [0], [rank - 1]),
                                  ops.convert_to_tensor([vocab_size], dtype=dtypes.int64)], 0)
        merged = SparseTensor(array_ops.concat([outer, ids], 1), sp_values.values, shape)
        return merged if already_sorted else sparse_reorder(merged)


def sparse_reset_shape(sp_input, new_shape=None):
    """``tf.sparse_reset_shape(sp_input, new_shape=None)``: the tight shape (1 + the largest
    index per dimension) or ``new_shape`` (not checked against the indices here)."""
    sp_input = _as_sparse(sp_input)
    if new_shape is None:
        shape = math_ops.reduce_max(sp_input.indices, 0) + 1
    else:
        shape = ops.convert_to_tensor(new_shape, dtype=dtypes.int64)
    return SparseTensor(array_ops.identity(sp_input.indices),
                        array_ops.identity(sp_input.values), shape)


def sparse_expand_dims(sp_input, axis=None, name=None):
    """``tf.sparse.expand_dims(sp_input, axis)``: a size-1 dimension inserted at ``axis``."""
    sp_input = _as_sparse(sp_input)
    with ops.name_scope(name, "expand_dims", [sp_input]):
        rank = _known_rank(sp_input, "sparse.expand_dims")
        axis = -1 if axis is None else int(axis)
        axis = axis + rank + 1 if axis < 0 else axis
        zeros = array_ops.zeros_like(sp_input.indices[:, :1])
        indices = array_ops.concat([sp_input.indices[:, :axis], zeros,
                                    sp_input.indices[:, axis:]], 1)
        shape = array_ops.concat([sp_input.dense_shape[:axis],
                                  ops.convert_to_tensor([1], dtype=dtypes.int64),
                                  sp_input.dense_shape[axis:]], 0)
        return SparseTensor(indices, sp_input.values, shape)


def sparse_eye(num_rows, num_columns=None, dtype=dtypes.float32, name=None):
    """``tf.sparse.eye(num_rows, num_columns=None, dtype=tf.float32)``: ones on the diagonal."""
    with ops.name_scope(name, "eye", [num_rows, num_columns]):
        num_rows = ops.convert_to_tensor(num_rows, dtype=dtypes.int64)
        num_columns = num_rows if num_columns is None else ops.convert_to_tensor(
            num_columns, dtype=dtypes.int64)
        diagonal = math_ops._range(math_ops.minimum(num_rows, num_columns))
        return SparseTensor(array_ops.stack([diagonal, diagonal], axis=1),
                            array_ops.ones_like(diagonal, dtype=dtype),
                            array_ops.stack([num_rows, num_columns]))


__all__ += [
    "sparse_segment_sum", "sparse_segment_mean", "sparse_segment_sqrt_n",
    "sparse_fill_empty_rows", "sparse_slice", "sparse_split", "sparse_transpose",
    "sparse_reduce_max", "sparse_reduce_max_sparse", "sparse_reduce_sum_sparse",
    "sparse_maximum", "sparse_minimum", "sparse_mask", "sparse_reset_shape", "sparse_merge",
]


# ---- serialization ----------------------------------------------------------------------------
def _serialized_parts(indices, values, shape, dtype):
    from tfcompat.framework.graph_def import tensor_proto
    out = np.empty(3, dtype=object)
    out[:] = [tensor_proto(indices.astype(np.int64)), tensor_proto(values, dtype),
              tensor_proto(np.asarray(shape, dtype=np.int64))]
    return out


@register_op
class SerializeSparse(OpDef):
    """A SparseTensor as 3 serialized TensorProtos: indices, values, dense_shape
    (``tf.serialize_sparse``)."""

    differentiable = False

    def infer(self, op):
        return [(tensor_shape.TensorShape([3]), dtypes.string)]

    def kernel(self, op, ctx):
        dtype = op.inputs[1].dtype.base_dtype
        return lambda indices, values, shape: _serialized_parts(indices, values, shape, dtype)


@register_op
class SerializeManySparse(OpDef):
    """Row n of the [N, 3] output serializes entry n of the SparseTensor's first dimension
    (its indices and shape without that dimension) (``tf.serialize_many_sparse``)."""

    differentiable = False

    def infer(self, op):
        return [(tensor_shape.TensorShape([None, 3]), dtypes.string)]

    def kernel(self, op, ctx):
        dtype = op.inputs[1].dtype.base_dtype

        def serialize_many(indices, values, shape):
            _check_indices(op, indices, shape)
            if len(shape) < 2:
                raise _invalid(op, f"Rank of input SparseTensor should be > 1, but saw rank: "
                               f"{len(shape)}")
            out = np.empty((int(shape[0]), 3), dtype=object)
            for row in range(int(shape[0])):
                members = indices[:, 0] == row
                out[row] = _serialized_parts(indices[members, 1:], values[members], shape[1:],
                                             dtype)
            return out
        return serialize_many


@register_op
class DeserializeManySparse(OpDef):
    """The [N, 3] serialized SparseTensors as one SparseTensor with the batch dimension
    first and each other dimension the largest of theirs (``tf.deserialize_many_sparse``)."""

    differentiable = False
    dynamic_output_shape = True

    def infer(self, op):
        return _sparse_outputs(op, None, op.attrs["dtype"])

    def kernel(self, op, ctx):
        from tfcompat.framework.graph_def import parse_tensor as parse_proto
        dtype = op.attrs["dtype"]

        def deserialize_many(serialized):
            if serialized.ndim != 2 or serialized.shape[1] != 3:
                raise _invalid(op, f"Serialized sparse should be a matrix with 3 columns, "
                               f"got shape {list(serialized.shape)}")
            parts = [[parse_proto(bytes(item)) for item in row] for row in serialized]
            if any(dtypes.as_dtype(values.dtype) != dtype for _, values, _ in parts):
                raise _invalid(op, f"Requested SparseTensor of type {dtype.name} but "
                               f"SparseTensor had a different type")
            ranks = {len(shape) for _, _, shape in parts}
            if len(ranks) > 1:
                raise _invalid(op, "Inconsistent rank across SparseTensors")
            rank = ranks.pop() if ranks else 0
            indices = [np.concatenate([np.full((len(idx), 1), n), idx.reshape(-1, rank)], 1)
                       for n, (idx, _, _) in enumerate(parts)]
            shape = np.max([s for _, _, s in parts], axis=0) if parts else np.zeros(rank)
            empty = np.zeros(0, dtype=dtype.as_numpy_dtype)
            return (np.concatenate(indices).astype(np.int64) if indices
                    else np.zeros((0, rank + 1), np.int64),
                    np.concatenate([v for _, v, _ in parts]) if parts else empty,
                    np.concatenate([[len(parts)], shape]).astype(np.int64))
        return deserialize_many


def serialize_sparse(sp_input, name=None, out_type=dtypes.string):
    """``tf.serialize_sparse(sp_input, name=None, out_type=tf.string)``."""
    sp_input = _as_sparse(sp_input)
    return make_tensor("SerializeSparse", [sp_input.indices, sp_input.values,
                                           sp_input.dense_shape],
                       {"out_type": dtypes.as_dtype(out_type)}, name=name or "SerializeSparse")


def serialize_many_sparse(sp_input, name=None, out_type=dtypes.string):
    """``tf.serialize_many_sparse(sp_input, name=None, out_type=tf.string)``."""
    sp_input = _as_sparse(sp_input)
    return make_tensor("SerializeManySparse", [sp_input.indices, sp_input.values,
                                               sp_input.dense_shape],
                       {"out_type": dtypes.as_dtype(out_type)},
                       name=name or "SerializeManySparse")


def deserialize_many_sparse(serialized_sparse, dtype, rank=None, name=None):
    """``tf.deserialize_many_sparse(serialized_sparse, dtype, rank=None, name=None)``."""
    serialized = ops.convert_to_tensor(serialized_sparse, dtype=dtypes.string)
    indices, values, shape = make_op("DeserializeManySparse", [serialized],
                                     {"dtype": dtypes.as_dtype(dtype)},
                                     name=name or "DeserializeManySparse").outputs
    if rank is not None:
        indices.set_shape([None, rank])
        shape.set_shape([rank])
    return SparseTensor(indices, values, shape)


__all__ += ["serialize_sparse", "serialize_many_sparse", "deserialize_many_sparse"]
