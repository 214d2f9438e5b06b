"""Conditional accumulators of TF 1.x (``data_flow_ops.ConditionalAccumulator`` /
``SparseConditionalAccumulator``): session resources that aggregate gradients from several
workers for ``tf.train.SyncReplicasOptimizer``.

An accumulator has a global step. ``apply_grad(grad, local_step)`` drops a gradient whose
``local_step`` is older than it (logged, as TF's "Dropping stale gradient"), else adds it;
``take_grad(num_required)`` waits until at least ``num_required`` gradients were added, then
returns their mean (``reduction_type="MEAN"``) or sum ("SUM"), empties the accumulator and
advances its global step by one; ``set_global_step`` sets it. The sparse accumulator keeps
the rows of the first gradient as they are (repeated indices too) and adds later rows to the
first row of their index, or appends them: its mean divides each row by the number of
gradient rows added to it, as TF's. As with queues, the handle names a resource
of the session (``shared_name`` shares it between accumulator ops of a graph).
"""
import collections
import threading

import numpy as np

from tfcompat import logging
from tfcompat.framework import dtypes, errors, ops, tensor_shape
from tfcompat.framework.op_def import OpDef, make_op, register_op
from tfcompat.ops.indexed_slices import IndexedSlices

_SCALAR = tensor_shape.TensorShape([])
_REDUCTIONS = ("MEAN", "SUM")


def _debug_shape(dims):
    return "[" + ",".join("-1" if d is None else str(d) for d in dims) + "]"


class AccumulatorResource:
    """A session's accumulator (dense, or sparse with per-row counts)."""

    def __init__(self, name, dtype, shape, reduction_type, sparse):
        self.name, self.dtype, self.reduction_type = name, dtype, reduction_type
        self.sparse = sparse
        self.global_step = 0
        self.count = 0
        # Known dimensions (None: unknown); refined by the first gradient. A sparse
        # accumulator of shape () has an unknown shape, as in TF.
        unknown = shape.ndims is None or (sparse and shape.ndims == 0)
        self.dims = None if unknown else list(shape.as_list())
        self._sum = None  # dense
        self._rows = []   # sparse: [index, sum, count] in the order the rows came
        self._positions = {}  # index -> its first row
        self._cond = threading.Condition()
        self._cancelled = False

    def _check_shape(self, op, shape):
        """Raises TF's "Shape mismatch" unless ``shape`` (None: any size) fits the known
        dimensions, then takes its dimensions as known."""
        if self.dims is not None and (len(self.dims) != len(shape) or any(
                d is not None and s is not None and d != s
                for d, s in zip(self.dims, shape, strict=True))):
            raise errors.InvalidArgumentError(
                None, op, f"Shape mismatch: expected {_debug_shape(self.dims)}, got "
                          f"{_debug_shape(shape)}")
        known = self.dims or [None] * len(shape)
        self.dims = [s if s is not None else d for d, s in zip(known, shape, strict=True)]

    def _is_stale(self, local_step):
        if local_step < self.global_step:
            logging.warning("Dropping stale gradient: Accumulator's global_step=%d, "
                            "gradient's local step=%d", self.global_step, local_step)
            return True
        return False

    def apply_dense(self, op, local_step, grad):
        with self._cond:
            if self._is_stale(local_step):
                return
            self._check_shape(op, list(grad.shape))
            self._sum = grad.copy() if self._sum is None else self._sum + grad
            self.count += 1
            self._cond.notify_all()

    def apply_sparse(self, op, local_step, indices, values, shape, has_known_shape):
        with self._cond:
            if self._is_stale(local_step):
                return
            if values.shape[:1] != indices.shape:
                raise errors.InvalidArgumentError(
                    None, op, f"Shape mismatch: indices and values have {indices.shape[0]} "
                              f"and {values.shape[0] if values.ndim else 0} rows")
            self._check_shape(op, [None if d < 0 else int(d) for d in shape]
                              if has_known_shape else [None] + list(values.shape[1:]))
            first = not self._rows
            for index, row in zip(indices.tolist(), values, strict=True):
                position = None if first else self._positions.get(index)
                if position is None:
                    self._positions.setdefault(index, len(self._rows))
                    self._rows.append([index, row.copy(), 1])
                else:
                    entry = self._rows[position]
                    entry[1] = entry[1] + row
                    entry[2] += 1
            self.count += 1
            self._cond.notify_all()

    def _wait_for(self, op, num_required, ctx):
        if num_required < 1:
            raise errors.InvalidArgumentError(
                None, op, f"Argument num_required must be positive, but was {num_required}")
        ctx.wait(self._cond, lambda: self.count >= num_required or self._cancelled, op)
        if self._cancelled:
            raise errors.CancelledError(None, op, f"ConditionalAccumulator '{self.name}' "
                                                  f"was cancelled: its server is stopping")

    def cancel(self):
        """Ends every wait for gradients with CancelledError (its server stops)."""
        with self._cond:
            self._cancelled = True
            self._cond.notify_all()

    def _finish_take(self):
        self.count = 0
        self.global_step += 1
        self._sum = None
        self._rows, self._positions = [], {}

    def take_dense(self, op, num_required, ctx):
        with self._cond:
            self._wait_for(op, num_required, ctx)
            total = self._sum
            if self.reduction_type == "MEAN":
                total = total / np.asarray(self.count, dtype=total.dtype)
            self._finish_take()
            return total

    def take_sparse(self, op, num_required, ctx):
        with self._cond:
            self._wait_for(op, num_required, ctx)
            dtype = self.dtype.as_numpy_dtype
            indices = np.array([index for index, _, _ in self._rows], dtype=np.int64)
            rows = [total / np.asarray(count, dtype=dtype)
                    if self.reduction_type == "MEAN" else total
                    for _, total, count in self._rows]
            tail = [d or 0 for d in (self.dims or [None])[1:]]
            values = np.stack(rows).astype(dtype, copy=False) if rows else \
                np.zeros([0] + tail, dtype=dtype)
            shape = np.array([-1 if d is None else d for d in (self.dims or [None])],
                             dtype=np.int64)
            self._finish_take()
            return indices, values, shape

    def set_global_step(self, new_global_step):
        with self._cond:
            if new_global_step < self.global_step:
                logging.warning("Attempt to set current_global_step_ to smaller value: "
                                "current_global_step_ = %d > new_global_step = %d",
                                self.global_step, new_global_step)
            self.global_step = int(new_global_step)

    def num_accumulated(self):
        with self._cond:
            return self.count


# ---- ops ----------------------------------------------------------------------------------
class _AccumulatorOp(OpDef):
    """The handle of an accumulator of the session (attrs dtype, shape, shared_name,
    reduction_type)."""

    differentiable = False
    stateful = True
    sparse = False

    def infer(self, op):
        reduction = op.attrs.get("reduction_type", "MEAN")
        if reduction not in _REDUCTIONS:
            raise ValueError(f"Attr 'reduction_type' of '{op.type}' Op passed string "
                             f"'{reduction}' not in: \"MEAN\", \"SUM\".")
        return [(_SCALAR, dtypes.resource)]

    def kernel(self, op, ctx):
        attrs = op.attrs
        name = attrs.get("shared_name") or f"_{op._id}_{op.name}"
        shape = tensor_shape.as_shape(attrs["shape"])
        sparse = self.sparse

        def make():
            return AccumulatorResource(name, attrs["dtype"], shape, attrs["reduction_type"],
                                       sparse)
        return lambda: ctx.resource(name, make)


@register_op
class ResourceConditionalAccumulator(_AccumulatorOp):
    pass


@register_op
class SparseConditionalAccumulatorOp(_AccumulatorOp):
    op_type = "SparseConditionalAccumulator"
    sparse = True


class _AccumulatorUpdate(OpDef):
    """An op changing the accumulator (no outputs)."""

    differentiable = False
    stateful = True
    mutates_state = True

    def infer(self, op):
        return []


@register_op
class ResourceAccumulatorApplyGradient(_AccumulatorUpdate):
    """Adds ``gradient`` unless ``local_step`` is stale."""

    def kernel(self, op, ctx):
        return lambda accumulator, local_step, gradient: accumulator.apply_dense(
            op, int(local_step), np.asarray(gradient))


@register_op
class SparseAccumulatorApplyGradient(_AccumulatorUpdate):
    """Adds the rows ``gradient_values`` at ``gradient_indices`` unless ``local_step`` is
    stale (attr has_known_shape: ``gradient_shape`` is the dense shape)."""

    def kernel(self, op, ctx):
        known = bool(op.attrs.get("has_known_shape", False))
        return lambda accumulator, local_step, indices, values, shape: \
            accumulator.apply_sparse(op, int(local_step), np.asarray(indices, np.int64),
                                     np.asarray(values), np.asarray(shape), known)


class _SetGlobalStep(_AccumulatorUpdate):
    def kernel(self, op, ctx):
        return lambda accumulator, step: accumulator.set_global_step(int(step))


@register_op
class ResourceAccumulatorSetGlobalStep(_SetGlobalStep):
    """Sets the accumulator's global step (a smaller one too, with a warning)."""


@register_op
class AccumulatorSetGlobalStep(_SetGlobalStep):
    """The sparse accumulator's ResourceAccumulatorSetGlobalStep."""


class _NumAccumulated(OpDef):
    differentiable = False
    stateful = True

    def infer(self, op):
        return [(_SCALAR, dtypes.int32)]

    def kernel(self, op, ctx):
        return lambda accumulator: np.array(accumulator.num_accumulated(), dtype=np.int32)


@register_op
class ResourceAccumulatorNumAccumulated(_NumAccumulated):
    """How many gradients were added since the last take."""


@register_op
class AccumulatorNumAccumulated(_NumAccumulated):
    """The sparse accumulator's ResourceAccumulatorNumAccumulated."""


@register_op
class ResourceAccumulatorTakeGradient(OpDef):
    """Waits for ``num_required`` gradients; their mean (or sum), resetting the
    accumulator and advancing its global step."""

    differentiable = False
    stateful = True
    dynamic_output_shape = True

    def infer(self, op):
        return [(tensor_shape.unknown_shape(), op.attrs["dtype"])]

    def kernel(self, op, ctx):
        return lambda accumulator, num_required: accumulator.take_dense(
            op, int(num_required), ctx)


@register_op
class SparseAccumulatorTakeGradient(ResourceAccumulatorTakeGradient):
    """The sparse take: (indices, values, shape) of the aggregated rows."""

    op_type = "SparseAccumulatorTakeGradient"

    def infer(self, op):
        unknown = tensor_shape.unknown_shape()
        return [(unknown, dtypes.int64), (unknown, op.attrs["dtype"]),
                (unknown, dtypes.int64)]

    def kernel(self, op, ctx):
        return lambda accumulator, num_required: accumulator.take_sparse(
            op, int(num_required), ctx)


# ---- the Python classes ---------------------------------------------------------------------
class ConditionalAccumulatorBase:
    """``tf.ConditionalAccumulatorBase(dtype, shape, accumulator_ref)``: what both kinds of
    accumulator share (counting, the global step)."""

    _num_accumulated_type = "ResourceAccumulatorNumAccumulated"
    _set_global_step_type = "ResourceAccumulatorSetGlobalStep"

    def __init__(self, dtype, shape, accumulator_ref):
        self._dtype = dtypes.as_dtype(dtype)
        self._shape = tensor_shape.as_shape(shape) if shape is not None \
            else tensor_shape.unknown_shape()
        self._accumulator_ref = accumulator_ref
        self._name = accumulator_ref.op.name.split("/")[-1]

    @property
    def accumulator_ref(self):
        return self._accumulator_ref

    @property
    def name(self):
        return self._name

    @property
    def dtype(self):
        return self._dtype

    def num_accumulated(self, name=None):
        """The number of gradients added since the last take (int32)."""
        return make_op(self._num_accumulated_type, [self._accumulator_ref],
                       name=name or f"{self._name}_NumAccumulated").outputs[0]

    def set_global_step(self, new_global_step, name=None):
        """Sets the accumulator's global step (gradients of older local steps are
        dropped)."""
        step = ops.convert_to_tensor(new_global_step, dtype=dtypes.int64)
        return make_op(self._set_global_step_type, [self._accumulator_ref, step],
                       name=name or self._set_global_step_type)


def _local_step(local_step):
    from tfcompat.ops import math_ops
    return math_ops.cast(ops.convert_to_tensor(local_step), dtypes.int64)


def _make_accumulator(op_type, dtype, shape, shared_name, name, reduction_type):
    attrs = {"dtype": dtypes.as_dtype(dtype),
             "shape": tensor_shape.as_shape(shape) if shape is not None
             else tensor_shape.unknown_shape(),
             "container": "", "shared_name": shared_name or "",
             "reduction_type": reduction_type}
    return make_op(op_type, [], attrs, name=name).outputs[0]


class ConditionalAccumulator(ConditionalAccumulatorBase):
    """``tf.ConditionalAccumulator(dtype, shape=None, shared_name=None,
    name="conditional_accumulator", reduction_type="MEAN")``: aggregates dense
    gradients."""

    def __init__(self, dtype, shape=None, shared_name=None, name="conditional_accumulator",
                 reduction_type="MEAN"):
        ref = _make_accumulator("ResourceConditionalAccumulator", dtype, shape, shared_name,
                                name, reduction_type)
        super().__init__(dtype, shape, ref)

    def apply_grad(self, grad, local_step=0, name=None):
        """Adds ``grad`` (of the accumulator's shape) unless ``local_step`` is stale."""
        grad = ops.convert_to_tensor(grad, dtype=self._dtype)
        grad.get_shape().assert_is_compatible_with(self._shape)
        return make_op("ResourceAccumulatorApplyGradient",
                       [self._accumulator_ref, _local_step(local_step), grad],
                       {"dtype": self._dtype},
                       name=name or "ResourceAccumulatorApplyGradient")

    def take_grad(self, num_required, name=None):
        """Waits for ``num_required`` gradients and gives their mean (or sum)."""
        num_required = ops.convert_to_tensor(num_required, dtype=dtypes.int32)
        out = make_op("ResourceAccumulatorTakeGradient", [self._accumulator_ref, num_required],
                      {"dtype": self._dtype},
                      name=name or "ResourceAccumulatorTakeGradient").outputs[0]
        out.set_shape(self._shape)
        return out


SparseTakeGradient = collections.namedtuple("SparseAccumulatorTakeGradient",
                                            ["indices", "values", "shape"])


class SparseConditionalAccumulator(ConditionalAccumulatorBase):
    """``tf.SparseConditionalAccumulator(dtype, shape=None, shared_name=None,
    name="sparse_conditional_accumulator", reduction_type="MEAN")``: aggregates
    IndexedSlices gradients row by row."""

    _num_accumulated_type = "AccumulatorNumAccumulated"
    _set_global_step_type = "AccumulatorSetGlobalStep"

    def __init__(self, dtype, shape=None, shared_name=None,
                 name="sparse_conditional_accumulator", reduction_type="MEAN"):
        ref = _make_accumulator("SparseConditionalAccumulator", dtype, shape, shared_name,
                                name, reduction_type)
        super().__init__(dtype, shape, ref)

    def apply_indexed_slices_grad(self, grad, local_step=0, name=None):
        """Adds the IndexedSlices ``grad`` unless ``local_step`` is stale."""
        return self.apply_grad(grad.indices, grad.values, grad.dense_shape, local_step, name)

    def apply_grad(self, grad_indices, grad_values, grad_shape=None, local_step=0, name=None):
        """Adds the rows ``grad_values`` at ``grad_indices`` (``grad_shape``: the dense
        shape, when known) unless ``local_step`` is stale."""
        from tfcompat.ops import math_ops
        has_known_shape = grad_shape is not None
        shape = ops.convert_to_tensor([] if grad_shape is None else grad_shape,
                                      preferred_dtype=dtypes.int64)
        inputs = [self._accumulator_ref, _local_step(local_step),
                  math_ops.cast(grad_indices, dtypes.int64),
                  ops.convert_to_tensor(grad_values, dtype=self._dtype),
                  math_ops.cast(shape, dtypes.int64)]
        return make_op("SparseAccumulatorApplyGradient", inputs,
                       {"dtype": self._dtype, "has_known_shape": has_known_shape},
                       name=name or "SparseAccumulatorApplyGradient")

    def take_grad(self, num_required, name=None):
        """(indices, values, shape) of the mean (or sum) of ``num_required`` gradients."""
        num_required = ops.convert_to_tensor(num_required, dtype=dtypes.int32)
        outputs = make_op("SparseAccumulatorTakeGradient", [self._accumulator_ref,
                                                            num_required],
                          {"dtype": self._dtype},
                          name=name or "SparseAccumulatorTakeGradient").outputs
        return SparseTakeGradient(*outputs)

    def take_indexed_slices_grad(self, num_required, name=None):
        """``take_grad`` as an IndexedSlices."""
        taken = self.take_grad(num_required, name)
        return IndexedSlices(taken.values, taken.indices, taken.shape)


__all__ = ["ConditionalAccumulator", "ConditionalAccumulatorBase",
           "SparseConditionalAccumulator"]
