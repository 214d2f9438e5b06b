"""ps strategies for ``tf.train.replica_device_setter`` (TF 1.x
``contrib/training/python/training/device_setter.py``)."""
import numpy as np

from tfcompat.framework import tensor_shape


class GreedyLoadBalancingStrategy:
    """Puts each variable on the ps task with the least load so far, as ``load_fn(op)``
    measures it (ties go to the lowest task)."""

    def __init__(self, num_tasks, load_fn):
        self._num_tasks = num_tasks
        self._load_fn = load_fn
        self._ps_loads = np.zeros(num_tasks)

    def __call__(self, op):
        task = int(np.argmin(self._ps_loads))
        self._ps_loads[task] += self._load_fn(op)
        return task


def byte_size_load_fn(op):
    """The byte size of a single-output op's value (a variable's storage); the ``shape``
    attribute stands in for an output shape that is not fully known, and a shape still
    unknown counts as a scalar."""
    if len(op.outputs) != 1:
        raise ValueError(f"Op {op} must have a single output")
    output = op.outputs[0]
    shape = output.shape
    if not shape.is_fully_defined() and "shape" in op.attrs:
        shape = tensor_shape.as_shape(op.attrs["shape"])
    if not shape.is_fully_defined():
        shape = tensor_shape.TensorShape([])
    return shape.num_elements() * output.dtype.size
