"""Stacks (TF's data_flow_ops StackV2 / StackPushV2 / StackPopV2): the accumulators that
carry a while loop's forward values to its gradient loop.

A stack handle is a 0-d object array holding a Python list, made anew by each run of its
StackV2 op. Inside a while frame the runtime pushes and pops for the loop itself
(``runtime/loops.py``); these kernels serve stacks used anywhere else.
"""
import numpy as np

from tfcompat.framework import dtypes, errors, tensor_shape
from tfcompat.framework.op_def import OpDef, make_op, register_op


def new_stack_handle():
    """A fresh, empty stack handle value."""
    handle = np.empty((), dtype=object)
    handle[()] = []
    return handle


@register_op
class StackV2(OpDef):
    """A new, empty stack for elements of ``elem_type`` (max_size < 0: unbounded)."""

    stateful = True
    differentiable = False

    def infer(self, op):
        return [(tensor_shape.scalar(), dtypes.resource)]

    def kernel(self, op, ctx):
        return lambda max_size: new_stack_handle()


@register_op
class StackPushV2(OpDef):
    """Pushes ``elem`` (a copy: kept storage of a plan may be reused) and returns it."""

    stateful = True
    mutates_state = True
    differentiable = False

    def infer(self, op):
        elem = op.inputs[1]
        return [(elem.shape, elem.dtype.base_dtype)]

    def kernel(self, op, ctx):
        def push(handle, elem):
            handle[()].append(np.array(elem, copy=True))
            return elem
        return push


@register_op
class StackPopV2(OpDef):
    """Pops the element pushed last."""

    stateful = True
    mutates_state = True
    differentiable = False
    dynamic_output_shape = True

    def infer(self, op):
        return [(tensor_shape.unknown_shape(), dtypes.as_dtype(op.attrs["elem_type"]))]

    def kernel(self, op, ctx):
        def pop(handle):
            items = handle[()]
            if not items:
                raise errors.InvalidArgumentError(None, op, "Stack is empty.")
            return items.pop()
        return pop


def stack_v2(max_size, elem_type, stack_name="", name=None):
    from tfcompat.framework import ops
    size = ops.convert_to_tensor(max_size, dtype=dtypes.int32)
    return make_op("StackV2", [size], {"elem_type": dtypes.as_dtype(elem_type),
                                       "stack_name": stack_name},
                   name=name or "StackV2").outputs[0]


def stack_push_v2(handle, elem, swap_memory=False, name=None):
    return make_op("StackPushV2", [handle, elem], {"swap_memory": swap_memory, "T": elem.dtype},
                   name=name or "StackPushV2").outputs[0]


def stack_pop_v2(handle, elem_type, name=None):
    return make_op("StackPopV2", [handle], {"elem_type": dtypes.as_dtype(elem_type)},
                   name=name or "StackPopV2").outputs[0]


__all__ = []
